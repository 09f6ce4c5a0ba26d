"""Dashboard figures, computed by grouped, indexed queries in the database.

Every figure comes from a fixed handful of aggregate queries whatever the number of
assessments: Python only folds grouped rows (a few per department, band, quarter or
recommendation code, or distinct score), never one row per assessment. Medians are
exact: they are read off the counts of each distinct value.

The row sets behind the figures are defined here once, as filters, and the list pages
use the same definitions (`assessments.filters`), so the number on the dashboard is the
number of rows the list behind it shows. docs/dashboard.md defines every figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from assessments.models import Action, Assessment

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
CHANGES = ("improved", "worse", "unchanged")

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
    *, assessments: QuerySet[Assessment], actions: QuerySet[Action], today: dt.date
) -> Dashboard:
    """All dashboard figures for the (already scoped and filtered) querysets."""
    current = assessments.filter(current_q())
    band_counts, departments, sites, extras = _risk_now(current, today)
    total = sum(band_counts.values())
    high = band_counts["high"] + band_counts["very_high"]

    top_codes = _top_codes(actions.filter(assessment__in=current.values("pk")), actions)
    limiting = sorted(
        (
            (factor, FACTOR_NAMES[factor], extras[f"lim_{factor}"])
            for factor in FACTORS
            if extras[f"lim_{factor}"]
        ),
        key=lambda item: (-item[2], item[0]),
    )
    rosa_sections = sorted(
        ((key, label, extras[f"rosa_{key}"]) for key, (_, label) in ROSA_SECTIONS.items()),
        key=lambda item: -item[2],
    )

    change = _change(assessments)
    # One grouped query: actions by status, and done ones by whole days to close (from
    # which the median is exact).
    action_counts = dict.fromkeys(Action.Status.values, 0)
    days_counts: dict[int, int] = {}
    for status, days, n in (
        actions.order_by()
        .values("status", "closed_in_days")
        .annotate(n=Count("pk"))
        .values_list("status", "closed_in_days", "n")
    ):
        action_counts[status] += n
        if status == Action.Status.DONE and days is not None:
            days_counts[days] = days_counts.get(days, 0) + n
    done_with_days = sum(days_counts.values())
    overdue = actions.filter(action_overdue_q(today))

    high_closed = (
        current.filter(band__in=HIGH_BANDS).filter(all_actions_closed_q(actions)).count()
        if high
        else 0
    )
    return Dashboard(
        today=today,
        band_counts=band_counts,
        current_total=total,
        high_count=high,
        high_share=high / total if total else None,
        by_department=departments,
        by_site=sites,
        top_codes=top_codes,
        limiting_factors=limiting,
        lifting_over_one=sum(item[2] for item in limiting),
        rosa_sections=rosa_sections,
        quarters=_quarters(assessments, today),
        change=change,
        action_counts=action_counts,
        overdue_actions=_oldest_overdue(overdue),
        overdue_count=overdue.count(),
        median_days_to_close=median_of_counts(days_counts),
        done_with_days=done_with_days,
        high_all_closed=high_closed,
        high_all_closed_share=high_closed / high if high else None,
        reassess_due_soon=extras["soon"],
        reassess_overdue=extras["overdue"],
    )


def _risk_now(
    current: QuerySet[Assessment], today: dt.date
) -> tuple[dict[str, int], list[dict[str, Any]], list[dict[str, Any]], dict[str, int]]:
    """Bands by department and site, ROSA sections, limiting factors and reassessments due:
    one grouped query over the current assessments."""
    window = today + dt.timedelta(days=REASSESS_WINDOW_DAYS)
    counters: dict[str, Any] = {
        "n": Count("pk"),
        "soon": Count("pk", filter=Q(reassess_due__gte=today, reassess_due__lte=window)),
        "overdue": Count("pk", filter=Q(reassess_due__lt=today)),
    }
    for key in ROSA_SECTIONS:
        counters[f"rosa_{key}"] = Count("pk", filter=rosa_section_q(key))
    for factor in FACTORS:
        counters[f"lim_{factor}"] = Count("pk", filter=limiting_q(factor))
    rows = (
        current.order_by()
        .values(
            "employee__department_id",
            "employee__department__name",
            "employee__department__site_id",
            "employee__department__site__name",
            "band",
        )
        .annotate(**counters)
    )
    band_counts = dict.fromkeys(BANDS, 0)
    extras: dict[str, int] = defaultdict(int)
    departments: dict[int, dict[str, Any]] = {}
    sites: dict[int, dict[str, Any]] = {}
    for row in rows:
        band, n = row["band"], row["n"]
        band_counts[band] += n
        for key in counters:
            if key != "n":
                extras[key] += row[key]
        dep = departments.setdefault(
            row["employee__department_id"],
            {
                "id": row["employee__department_id"],
                "name": row["employee__department__name"],
                "site_id": row["employee__department__site_id"],
                "site": row["employee__department__site__name"],
                **dict.fromkeys(BANDS, 0),
            },
        )
        dep[band] += n
        site = sites.setdefault(
            row["employee__department__site_id"],
            {
                "id": row["employee__department__site_id"],
                "name": row["employee__department__site__name"],
                **dict.fromkeys(BANDS, 0),
            },
        )
        site[band] += n
    for entry in [*departments.values(), *sites.values()]:
        entry["total"] = sum(entry[b] for b in BANDS)
        entry["high_total"] = entry["high"] + entry["very_high"]
        entry["high_share"] = entry["high_total"] / entry["total"]
    return (
        band_counts,
        sorted(departments.values(), key=lambda d: (d["site"], d["name"])),
        sorted(sites.values(), key=lambda s: s["name"]),
        extras,
    )


def _oldest_overdue(overdue: QuerySet[Action]) -> list[Action]:
    """The ten overdue actions due first: chosen on the action index alone, then joined."""
    first_ten = overdue.order_by("due_on", "pk").values_list("pk", flat=True)[:10]
    return list(
        Action.objects.filter(pk__in=list(first_ten))
        .select_related("owner", "assessment__employee")
        .only(*OVERDUE_LIST_FIELDS)
        .order_by("due_on", "pk")
    )


def _top_codes(
    current_actions: QuerySet[Action], visible: QuerySet[Action]
) -> list[dict[str, Any]]:
    """The recommendation codes raised most often for current assessments."""
    top = list(
        current_actions.order_by().values("code").annotate(n=Count("pk")).order_by("-n", "code")[:8]
    )
    for row in top:
        # The newest wording of that recommendation among the actions this person may see.
        title = (
            visible.filter(code=row["code"]).order_by("-pk").values_list("title", flat=True).first()
        )
        row["title"] = title or row["code"]
    return top


def _quarters(assessments: QuerySet[Assessment], today: dt.date) -> list[Quarter]:
    """Band mix and median strain score of completed assessments, by quarter assessed.

    The quarter of each row is a CASE over the eight quarters' date ranges, so the grouping
    runs on the indexed date column without a date function per row.
    """
    starts = quarter_starts(today)
    bucket = Case(
        *[
            When(assessed_on__lt=next_start, then=Value(index))
            for index, next_start in enumerate(starts[1:])
        ],
        default=Value(len(starts) - 1),
        output_field=IntegerField(),
    )
    trend = unsuperseded(assessments).filter(assessed_on__gte=starts[0], assessed_on__lte=today)
    # One grouped query by quarter, band and score: the band mix adds up the scores, the
    # median reads the scores' counts (scores take a bounded set of values).
    mix: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BANDS, 0))
    scores: dict[int, dict[float, int]] = defaultdict(dict)
    for q, band, score, n in (
        trend.order_by()
        .annotate(q=bucket)
        .values("q", "band", "strain_score")
        .annotate(n=Count("pk"))
        .values_list("q", "band", "strain_score", "n")
    ):
        mix[q][band] += n
        scores[q][score] = scores[q].get(score, 0) + n
    medians = {q: median_of_counts(counts) for q, counts in scores.items()}
    quarters = []
    for index in sorted(mix):
        first, last = quarter_bounds(starts[index])
        quarters.append(
            Quarter(
                label=f"{first.year} Q{(first.month - 1) // 3 + 1}",
                start=first,
                end=last,
                bands=mix[index],
                total=sum(mix[index].values()),
                median=medians.get(index),
            )
        )
    return quarters


def _change(assessments: QuerySet[Assessment]) -> dict[str, Any]:
    """For re-assessed employees: the change in strain score since their previous assessment.

    One grouped query by the change itself: the counts of improved, worse and unchanged
    and the exact median all follow from it.
    """
    delta = Cast(F("strain_score") - F("previous__strain_score"), FloatField())
    counts: dict[float, int] = {}
    for value, n in (
        assessments.filter(reassessed_q())
        .annotate(m_delta=delta)
        .order_by()
        .values("m_delta")
        .annotate(n=Count("pk"))
        .values_list("m_delta", "n")
    ):
        counts[float(value)] = counts.get(float(value), 0) + n
    return {
        "reassessed": sum(counts.values()),
        "improved": sum(n for value, n in counts.items() if value < 0),
        "worse": sum(n for value, n in counts.items() if value > 0),
        "unchanged": counts.get(0.0, 0),
        "median_change": median_of_counts(counts),
    }
