"""Dashboard figures: what each one counts, and reading them off the stored counts.

The row sets behind the figures are defined here once, as filters, and the list pages
use the same definitions (`assessments.insights.filters`), so the number on the dashboard is the
number of rows the list behind it shows. docs/dashboard.md defines every figure.

Each department keeps its counts of those row sets (`assessments.insights.tallies`: a few hundred
rows per department, recounted when something in the department changes), so the
dashboard adds up a bounded number of stored counts in a handful of grouped queries,
however many assessments and actions there are. Medians are exact: they are read off
the counts of each distinct value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum

from assessments.actions.models import Action
from assessments.insights.models import TallyRow
from assessments.people.models import Department
from assessments.records.models import Assessment

Figure = TallyRow.Figure
BANDS = ["low", "moderate", "high", "very_high"]
HIGH_BANDS = ["high", "very_high"]
OPEN = [Action.Status.OPEN, Action.Status.IN_PROGRESS]
FACTORS = ["hm", "vm", "dm", "am", "fm", "cm"]
FACTOR_NAMES = {
    "hm": "Reach (HM)",
    "vm": "Height (VM)",
    "dm": "Travel (DM)",
    "am": "Twisting (AM)",
    "fm": "Frequency (FM)",
    "cm": "Grip (CM)",
}
#: ROSA scores of 5 or more call for further assessment and change (Sonne et al. 2012).
ROSA_ACTION_LEVEL = 5
ROSA_SECTIONS = {
    "chair": ("rosa_chair", "Chair"),
    "monitor_phone": ("rosa_monitor_phone", "Monitor and telephone"),
    "mouse_keyboard": ("rosa_mouse_keyboard", "Mouse and keyboard"),
}
REASSESS_WINDOW_DAYS = 30
TREND_QUARTERS = 8
#: The two views of "every action closed": OH counts all actions, managers the ones they see.
HIGH_CLOSED_OH = "oh"
HIGH_CLOSED_MANAGERS = "managers"

# --- The row sets behind the figures (shared with the list filters) ---------------------


def current_q() -> Q:
    """An active employee's current assessment: their latest completed, unsuperseded one."""
    return Q(is_latest=True, employee__active=True)


def reassess_overdue_q(today: dt.date) -> Q:
    return current_q() & Q(reassess_due__lt=today)


def reassess_soon_q(today: dt.date) -> Q:
    window = today + dt.timedelta(days=REASSESS_WINDOW_DAYS)
    return current_q() & Q(reassess_due__gte=today, reassess_due__lte=window)


def rosa_section_q(section: str) -> Q:
    column = ROSA_SECTIONS[section][0]
    return Q(**{f"{column}__gte": ROSA_ACTION_LEVEL})


def limiting_q(factor: str) -> Q:
    """Lifting above the recommended limit (LI or CLI > 1), limited most by `factor`."""
    return Q(lifting_index__gt=1, limiting_factor=factor)


def reassessed_q() -> Q:
    """A current assessment that followed up an earlier completed one."""
    return current_q() & Q(previous__status=Assessment.Status.COMPLETED)


def change_q(kind: str) -> Q:
    before = F("previous__strain_score")
    condition = {
        "improved": Q(strain_score__lt=before),
        "worse": Q(strain_score__gt=before),
        "unchanged": Q(strain_score=before),
    }[kind]
    return reassessed_q() & condition


def unsuperseded(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Completed assessments, leaving out revisions replaced by a completed amendment."""
    return qs.filter(status=Assessment.Status.COMPLETED).exclude(
        superseded_by__status=Assessment.Status.COMPLETED
    )


def all_actions_closed_q(actions: QuerySet[Action]) -> Q:
    """At least one of the `actions` (those the viewer may see) was raised, and none is open
    or in progress."""
    mine = actions.filter(assessment=OuterRef("pk"))
    return Q(Exists(mine)) & ~Q(Exists(mine.filter(status__in=OPEN)))


def action_current_q() -> Q:
    """Actions raised by an active employee's current assessment."""
    return Q(assessment__is_latest=True, assessment__employee__active=True)


def action_overdue_q(today: dt.date) -> Q:
    return Q(status__in=OPEN, due_on__lt=today)


def quarter_bounds(start: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the quarter that starts on `start`."""
    month = start.month + 3
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return start, dt.date(year, month, 1) - dt.timedelta(days=1)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_starts(today: dt.date) -> list[dt.date]:
    """First days of the quarters the trend shows: this quarter and the seven before it."""
    start = quarter_start(today)
    months = start.year * 12 + start.month - 1
    return [
        dt.date((m := months - 3 * back) // 12, m % 12 + 1, 1)
        for back in range(TREND_QUARTERS - 1, -1, -1)
    ]


# --- Medians ----------------------------------------------------------------------------
#
# Medians are exact: the database counts the rows per distinct value and the median is
# read off those counts. Strain scores are sums of a few weighted component levels and days
# to close are whole numbers, so the distinct values number a few hundred at most,
# whatever the number of rows.


def median_of_counts(counts: dict[Any, int]) -> float | None:
    """The exact median of numbers given as value -> how many times it occurs."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts)

    def nth(k: int) -> Any:
        running = 0
        for value in ordered:
            running += counts[value]
            if running >= k:
                return value
        return ordered[-1]  # pragma: no cover

    if total % 2:
        return float(nth(total // 2 + 1))
    return (nth(total // 2) + nth(total // 2 + 1)) / 2


# --- The figures ------------------------------------------------------------------------

#: Columns the "oldest overdue" list shows (the snapshot JSON is never read for it).
OVERDUE_LIST_FIELDS = (
    "title",
    "due_on",
    "status",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "assessment__employee__name",
)


@dataclass(frozen=True)
class Quarter:
    label: str
    start: dt.date
    end: dt.date
    bands: dict[str, int]
    total: int
    median: float | None


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    band_counts: dict[str, int]
    current_total: int
    high_count: int
    high_share: float | None
    by_department: list[dict[str, Any]]
    by_site: list[dict[str, Any]]
    top_codes: list[dict[str, Any]]
    limiting_factors: list[tuple[str, str, int]]
    lifting_over_one: int
    rosa_sections: list[tuple[str, str, int]]
    quarters: list[Quarter]
    change: dict[str, Any]
    action_counts: dict[str, int]
    overdue_actions: list[Action]
    overdue_count: int
    median_days_to_close: float | None
    done_with_days: int
    high_all_closed: int
    high_all_closed_share: float | None
    reassess_due_soon: int
    reassess_overdue: int


def build(
    *,
    departments: list[Department],
    managers_view: bool,
    actions: QuerySet[Action],
    today: dt.date,
) -> Dashboard:
    """All dashboard figures for these departments, from their stored counts
    (`assessments.insights.tallies`, which must be current: `tallies.ensure_counted`).

    `managers_view` counts what a line manager sees (no personal health actions);
    `actions` are the actions in view, for the list of the oldest overdue ones.
    """
    ids = [d.pk for d in departments]
    rows = TallyRow.objects.filter(department_id__in=ids)
    if managers_view:
        rows = rows.filter(for_managers=True)
    band_counts, by_department, by_site = _risk_now(rows, departments)
    total = sum(band_counts.values())
    high = band_counts["high"] + band_counts["very_high"]

    # One grouped query for the figures summed over the departments in view.
    summed: dict[tuple[str, str, float | None], int] = {}
    for figure, key, number, n in (
        rows.filter(figure__in=[Figure.ROSA, Figure.LIMITING, Figure.CHANGE, Figure.ACTION])
        .order_by()
        .values("figure", "key", "number")
        .annotate(n=Sum("n"))
        .values_list("figure", "key", "number", "n")
    ):
        summed[(figure, key, number)] = n

    def by_key(figure: str) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (f, key, _number), n in summed.items():
            if f == figure:
                out[key] += n
        return out

    limiting_counts = by_key(Figure.LIMITING)
    limiting = sorted(
        (
            (factor, FACTOR_NAMES[factor], limiting_counts[factor])
            for factor in FACTORS
            if limiting_counts[factor]
        ),
        key=lambda item: (-item[2], item[0]),
    )
    rosa_counts = by_key(Figure.ROSA)
    rosa_sections = sorted(
        ((key, label, rosa_counts[key]) for key, (_, label) in ROSA_SECTIONS.items()),
        key=lambda item: -item[2],
    )
    changes = {
        number: n
        for (f, _k, number), n in summed.items()
        if f == Figure.CHANGE and number is not None
    }
    action_counts = dict.fromkeys(Action.Status.values, 0)
    days_counts: dict[int, int] = defaultdict(int)
    for (f, status, days), n in summed.items():
        if f != Figure.ACTION:
            continue
        action_counts[status] += n
        if status == Action.Status.DONE and days is not None:
            days_counts[int(days)] += n
    done_with_days = sum(days_counts.values())

    # One aggregate for the figures that depend on today's date.
    window = today + dt.timedelta(days=REASSESS_WINDOW_DAYS)
    closed_key = HIGH_CLOSED_MANAGERS if managers_view else HIGH_CLOSED_OH
    dated = rows.filter(figure__in=[Figure.REASSESS, Figure.OVERDUE, Figure.HIGH_CLOSED]).aggregate(
        soon=Sum("n", filter=Q(figure=Figure.REASSESS, day__gte=today, day__lte=window)),
        overdue=Sum("n", filter=Q(figure=Figure.REASSESS, day__lt=today)),
        overdue_actions=Sum("n", filter=Q(figure=Figure.OVERDUE, day__lt=today)),
        high_closed=Sum("n", filter=Q(figure=Figure.HIGH_CLOSED, key=closed_key)),
    )
    high_closed = dated["high_closed"] or 0
    return Dashboard(
        today=today,
        band_counts=band_counts,
        current_total=total,
        high_count=high,
        high_share=high / total if total else None,
        by_department=by_department,
        by_site=by_site,
        top_codes=_top_codes(rows),
        limiting_factors=limiting,
        lifting_over_one=sum(item[2] for item in limiting),
        rosa_sections=rosa_sections,
        quarters=_quarters(rows, today),
        change=_change(changes),
        action_counts=action_counts,
        overdue_actions=_oldest_overdue(actions.filter(action_overdue_q(today))),
        overdue_count=dated["overdue_actions"] or 0,
        median_days_to_close=median_of_counts(days_counts),
        done_with_days=done_with_days,
        high_all_closed=high_closed,
        high_all_closed_share=high_closed / high if high else None,
        reassess_due_soon=dated["soon"] or 0,
        reassess_overdue=dated["overdue"] or 0,
    )


def _risk_now(
    rows: QuerySet[TallyRow], departments: list[Department]
) -> tuple[dict[str, int], list[dict[str, Any]], list[dict[str, Any]]]:
    """Current assessments by band, by department and by site."""
    known = {d.pk: d for d in departments}
    band_counts = dict.fromkeys(BANDS, 0)
    by_department: dict[int, dict[str, Any]] = {}
    by_site: dict[int, dict[str, Any]] = {}
    for department_id, band, n in (
        rows.filter(figure=Figure.BAND)
        .order_by()
        .values("department_id", "key")
        .annotate(n=Sum("n"))
        .values_list("department_id", "key", "n")
    ):
        department = known[department_id]
        band_counts[band] += n
        dep = by_department.setdefault(
            department_id,
            {
                "id": department_id,
                "name": department.name,
                "site_id": department.site_id,
                "site": department.site.name,
                **dict.fromkeys(BANDS, 0),
            },
        )
        dep[band] += n
        site = by_site.setdefault(
            department.site_id,
            {"id": department.site_id, "name": department.site.name, **dict.fromkeys(BANDS, 0)},
        )
        site[band] += n
    for entry in [*by_department.values(), *by_site.values()]:
        entry["total"] = sum(entry[b] for b in BANDS)
        entry["high_total"] = entry["high"] + entry["very_high"]
        entry["high_share"] = entry["high_total"] / entry["total"]
    return (
        band_counts,
        sorted(by_department.values(), key=lambda d: (d["site"], d["name"])),
        sorted(by_site.values(), key=lambda s: s["name"]),
    )


def _oldest_overdue(overdue: QuerySet[Action]) -> list[Action]:
    """The ten overdue actions due first. Each status is read in due-date order off the
    `(status, due_on)` index and stops after ten rows; the two short lists are merged here
    (one query over both statuses would sort every overdue action)."""
    first: list[tuple[dt.date, int]] = []
    for status in OPEN:
        first += (
            overdue.filter(status=status).order_by("due_on", "pk").values_list("due_on", "pk")[:10]
        )
    ten = [pk for _due, pk in sorted(first)[:10]]
    return list(
        Action.objects.filter(pk__in=ten)
        .select_related("owner", "assessment__employee")
        .only(*OVERDUE_LIST_FIELDS)
        .order_by("due_on", "pk")
    )


def _top_codes(rows: QuerySet[TallyRow]) -> list[dict[str, Any]]:
    """The recommendation codes raised most often for current assessments, each with the
    newest wording among the actions counted."""
    codes = rows.filter(figure=Figure.CODE)
    top = list(codes.order_by().values("key").annotate(n=Sum("n")).order_by("-n", "key")[:8])
    titles: dict[str, str] = {}
    for code, label in (
        codes.filter(key__in=[row["key"] for row in top])
        .order_by("-ref")
        .values_list("key", "label")
    ):
        titles.setdefault(code, label)
    return [
        {"code": row["key"], "n": row["n"], "title": titles.get(row["key"]) or row["key"]}
        for row in top
    ]


def _quarters(rows: QuerySet[TallyRow], today: dt.date) -> list[Quarter]:
    """Band mix and median strain score of completed assessments, by quarter assessed."""
    starts = quarter_starts(today)
    mix: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BANDS, 0))
    scores: dict[dt.date, dict[float, int]] = defaultdict(lambda: defaultdict(int))
    for start, band, score, n in (
        rows.filter(figure=Figure.TREND, day__gte=starts[0], day__lte=starts[-1])
        .order_by()
        .values("day", "key", "number")
        .annotate(n=Sum("n"))
        .values_list("day", "key", "number", "n")
    ):
        mix[start][band] += n
        scores[start][score] += n
    quarters = []
    for start in sorted(mix):
        first, last = quarter_bounds(start)
        quarters.append(
            Quarter(
                label=f"{first.year} Q{(first.month - 1) // 3 + 1}",
                start=first,
                end=last,
                bands=mix[start],
                total=sum(mix[start].values()),
                median=median_of_counts(scores[start]),
            )
        )
    return quarters


def _change(counts: dict[float, int]) -> dict[str, Any]:
    """For re-assessed employees: the change in strain score since their previous
    assessment, from the counts of each change."""
    return {
        "reassessed": sum(counts.values()),
        "improved": sum(n for value, n in counts.items() if value < 0),
        "worse": sum(n for value, n in counts.items() if value > 0),
        "unchanged": counts.get(0.0, 0),
        "median_change": median_of_counts(counts),
    }
