"""Dashboard figures, each defined once.

Every figure is one `Figure` below, which holds

- `rows`: the rows it counts, as a filter over assessments or actions. The list behind
  the figure applies the same filter (`assessments.insights.filters`), so the list shows
  the figure's number, and the department report lists the same rows;
- `count`: how one department's rows are counted into stored `TallyRow`s
  (`assessments.insights.tallies` stores them, and recounts a department when it changes);
- `read`: how the stored counts of the departments in view are read back, in the viewer's
  view (a line manager's figures never count a personal health action).

The dashboard, the home page, the department report and the exports take a figure from
here and nowhere else, so a number shown in two places is the same number.
docs/dashboard.md defines every figure in words.

A department keeps a few hundred stored rows whatever its size, so the dashboard adds up a
bounded number of stored counts in a handful of grouped queries, however many assessments
and actions there are. Medians are exact: they are read off the counts of each distinct
value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast

from assessments import permissions
from assessments.actions.models import Action, overdue_q, past_due_q
from assessments.core import health
from assessments.insights.models import TallyRow
from assessments.people.models import Department, Employee
from assessments.records.models import Assessment, unsuperseded_q
from assessments.selfassess.models import Invitation
from assessments.selfassess.services import months_before

Stored = TallyRow.Figure
#: "not_assessable": completed with no section assessed (scoring 1.1), never counted as low.
BANDS = ["not_assessable", "low", "moderate", "high", "very_high"]
#: The bands that count as high risk, and the list filter that shows them.
HIGH_BANDS = ["high", "very_high"]
HIGH_QUERY = "&".join(f"band={band}" for band in HIGH_BANDS)
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
TOP_CODES = 8
#: The two views of "every action closed": OH counts all actions, managers the ones they see.
HIGH_CLOSED_OH = "oh"
HIGH_CLOSED_MANAGERS = "managers"
#: A stored count's `TallyRow` fields, in the order `Figure.count` gives them.
ROW_FIELDS = ("figure", "key", "day", "number", "for_managers", "n", "label", "ref")
Row = tuple[Any, ...]


# --- The row sets (shared with the list filters, the home page and the reports) ---------


def current_q(prefix: str = "") -> Q:
    """An active employee's current assessment: their latest completed revision that no
    amendment has replaced (`Assessment.is_latest`, kept by `records.services`).

    `prefix` reaches the assessment through a relation (``"assessment__"`` from an action).
    """
    return Q(**{f"{prefix}is_latest": True, f"{prefix}employee__active": True})


def high_q() -> Q:
    """Assessed at high or very high risk."""
    return Q(band__in=HIGH_BANDS)


def staff_q(prefix: str = "") -> Q:
    """A department's staff: its active employees (`prefix`: from a department,
    ``"employees__"``)."""
    return Q(**{f"{prefix}active": True})


def in_force_q() -> Q:
    """Actions raised by a completed assessment that no amendment has replaced (an amended
    assessment's actions are raised again, as confirmed, by the revision that replaced it)."""
    return unsuperseded_q("assessment__")


def managers_see_q() -> Q:
    """The actions of a department that count in a line manager's view: the ones
    `permissions.visible_actions` shows them."""
    return permissions.manager_actions_q()


def action_current_q() -> Q:
    """Actions raised by an active employee's current assessment."""
    return current_q("assessment__")


def open_actions_q() -> Q:
    """Actions in force still to be carried out (open or in progress)."""
    return in_force_q() & Q(status__in=Action.OPEN_STATUSES)


def overdue_actions_q(today: dt.date) -> Q:
    """Actions in force that are overdue on `today` (`actions.models.overdue_q`)."""
    return in_force_q() & overdue_q(today)


def _before(column: str, today: dt.date) -> Q:
    """A reassessment date (in `column`) that has passed."""
    return Q(**{f"{column}__lt": today})


def _within(column: str, today: dt.date, days: int) -> Q:
    """A reassessment date (in `column`) from today to `days` days ahead."""
    return Q(**{f"{column}__gte": today, f"{column}__lte": today + dt.timedelta(days=days)})


def reassess_overdue_q(today: dt.date) -> Q:
    return current_q() & _before("reassess_due", today)


def reassess_soon_q(today: dt.date, days: int = REASSESS_WINDOW_DAYS) -> Q:
    return current_q() & _within("reassess_due", today, days)


def reassess_due_q(today: dt.date, days: int = REASSESS_WINDOW_DAYS) -> Q:
    """Current assessments whose reassessment is overdue or due within `days`."""
    return reassess_overdue_q(today) | reassess_soon_q(today, days)


def rosa_section_q(section: str) -> Q:
    """ROSA `section` scored at or above the action level."""
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


def assessed_between_q(start: dt.date, end: dt.date) -> Q:
    """Completed assessments (amended ones counted once) assessed from `start` to `end`."""
    return unsuperseded_q() & Q(assessed_on__gte=start, assessed_on__lte=end)


def all_actions_closed_q(actions: QuerySet[Action]) -> Q:
    """At least one of the `actions` (those the viewer may see) was raised, and none is open
    or in progress."""
    mine = actions.filter(assessment=OuterRef("pk"))
    return Q(Exists(mine)) & ~Q(Exists(mine.filter(status__in=Action.OPEN_STATUSES)))


def flag(condition: Q) -> ExpressionWrapper:
    """A row set as a yes/no column, for pages and exports that show it per row."""
    return ExpressionWrapper(condition, output_field=BooleanField())


def high_of(bands: Mapping[str, int]) -> int:
    """The high-risk count among counts by band."""
    return sum(bands.get(band, 0) for band in HIGH_BANDS)


def open_of(statuses: Mapping[str, int]) -> int:
    """The open actions (open or in progress) among counts by status."""
    return sum(statuses.get(status, 0) for status in Action.OPEN_STATUSES)


# --- Quarters ---------------------------------------------------------------------------


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


# --- Counting a department and reading the stored counts ---------------------------------


@dataclass(frozen=True)
class Counting:
    """What a recount of one department reads, and the day it counts on.

    Every query starts from the department's employees (`IN (subquery)` rather than joins),
    so that it reads the indexes led by `employee` and `assessment`.
    """

    assessments: QuerySet[Assessment]
    actions: QuerySet[Action]
    #: None: dates are kept as they are (`stored_day`), for counts that are folded later.
    today: dt.date | None

    @classmethod
    def of(
        cls,
        department_id: int,
        today: dt.date | None,
        *,
        employee_ids: Iterable[int] | None = None,
    ) -> Counting:
        """The department's rows, or only those of `employee_ids` among its employees (the
        rows a change to those employees moves: `tallies.employees_counted`)."""
        staff = Employee.objects.filter(department_id=department_id)
        if employee_ids is not None:
            staff = staff.filter(pk__in=list(employee_ids))
        assessments = Assessment.objects.filter(employee_id__in=staff.values("pk"))
        actions = Action.objects.filter(assessment_id__in=assessments.values("pk"))
        return cls(assessments=assessments, actions=actions, today=today)

    def stored_day(self, day: dt.date) -> dt.date:
        """The day a count by date is stored under. A date before today is in the past for
        every later reading too, so all of them are stored as the day before today; later
        dates are stored as they are."""
        return stored_day(day, self.today)


#: The figures stored by date, whose dates before the day counted are stored as one day.
DATED = (Stored.REASSESS, Stored.OVERDUE)


def stored_day(day: dt.date, today: dt.date | None) -> dt.date:
    """`day` as a count by date taken on `today` stores it (`Counting.stored_day`)."""
    return day if today is None else max(day, today - dt.timedelta(days=1))


@dataclass(frozen=True)
class Reading:
    """The stored counts of the departments in view, as one viewer reads them on `today`."""

    stored: QuerySet[TallyRow]
    today: dt.date
    managers_view: bool

    @classmethod
    def of(cls, department_ids: Iterable[int], *, managers_view: bool, today: dt.date) -> Reading:
        stored = TallyRow.objects.filter(department_id__in=list(department_ids))
        if managers_view:
            stored = stored.filter(for_managers=True)
        return cls(stored=stored, today=today, managers_view=managers_view)

    @cached_property
    def _summed(self) -> dict[str, list[tuple[int | None, str, dt.date | None, float | None, int]]]:
        """The figures read as totals over the departments in view, in one grouped query:
        (department, key, day, number, n), with the department only for the figures also
        shown by department (`BY_DEPARTMENT`), None for the rest. The recommendation codes
        and the figures stored by date are read on their own."""
        place = Case(
            When(figure__in=BY_DEPARTMENT, then=F("department_id")),
            default=Value(None),
            output_field=BigIntegerField(),
        )
        out: dict[str, list[tuple[int | None, str, dt.date | None, float | None, int]]]
        out = defaultdict(list)
        for figure, department_id, key, day, number, n in (
            self.stored.filter(figure__in=SUMMED)
            .order_by()
            .values("figure", "key", "day", "number", place=place)
            .annotate(n=Sum("n"))
            .values_list("figure", "place", "key", "day", "number", "n")
        ):
            out[figure].append((department_id, key, day, number, n))
        return out

    def summed(self, figure: str) -> list[tuple[str, dt.date | None, float | None, int]]:
        """A figure's stored counts summed over the departments: (key, day, number, n)."""
        return [row[1:] for row in self._summed.get(figure, [])]

    def by_key(self, figure: str) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for key, _day, _number, n in self.summed(figure):
            out[key] += n
        return out

    def by_department(self, figure: str) -> dict[int, dict[str, int]]:
        """A figure of `BY_DEPARTMENT`: its counts by department and key."""
        out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for department_id, key, _day, _number, n in self._summed.get(figure, []):
            out[department_id][key] += n
        return out

    @cached_property
    def dated(self) -> dict[str, int]:
        """The figures stored by date, summed over the departments in one query:
        reassessments overdue and due soon (`REASSESS`), and overdue actions (`OVERDUE`)."""
        reassess, overdue = Q(figure=Stored.REASSESS), Q(figure=Stored.OVERDUE)
        counted = self.stored.filter(figure__in=DATED).aggregate(
            reassess_overdue=Sum("n", filter=reassess & _before("day", self.today)),
            reassess_soon=Sum(
                "n", filter=reassess & _within("day", self.today, REASSESS_WINDOW_DAYS)
            ),
            overdue=Sum("n", filter=overdue & past_due_q(self.today, "day")),
        )
        return {name: n or 0 for name, n in counted.items()}


#: The figures `Reading.summed` reads in one query (the index `tally_summed` serves it).
SUMMED = tuple(f for f in Stored if f not in (Stored.CODE, Stored.REASSESS, Stored.OVERDUE))
#: The summed figures the dashboard also shows by department and site.
BY_DEPARTMENT = (Stored.BAND,)


@dataclass(frozen=True)
class Figure[T]:
    """One dashboard figure: the rows it counts, how they are counted, how they are read."""

    #: What its counts are stored as; its label names the figure.
    stored: TallyRow.Figure
    #: The row set, as a filter on assessments or actions (its arguments, if any, narrow it:
    #: a ROSA section, a multiplier, a day).
    rows: Callable[..., Q]
    #: One department's rows, counted into stored rows (`ROW_FIELDS`).
    count: Callable[[Counting], Iterator[Row]] = field(repr=False)
    #: The stored counts of the departments in view, read back.
    read: Callable[[Reading], T] = field(repr=False)

    @property
    def label(self) -> str:
        return str(self.stored.label)

    def by_department(self, reading: Reading) -> dict[int, dict[str, int]]:
        """The stored counts by department and key (band, status...), in one query (or
        none: those of `BY_DEPARTMENT` come with the summed figures)."""
        if self.stored in BY_DEPARTMENT:
            return reading.by_department(self.stored)
        out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for department_id, key, n in (
            reading.stored.filter(figure=self.stored)
            .order_by()
            .values("department_id", "key")
            .annotate(n=Sum("n"))
            .values_list("department_id", "key", "n")
        ):
            out[department_id][key] += n
        return out


def _row(
    figure: str,
    n: int,
    *,
    key: str = "",
    day: dt.date | None = None,
    number: float | None = None,
    for_managers: bool = True,
    label: str = "",
    ref: int | None = None,
) -> Row:
    # SQLite reads a CASE back as 0 or 1, hence bool().
    return (figure, key, day, number, bool(for_managers), n, label, ref)


def _for_managers() -> Case:
    """Whether an action counts in a line manager's view (`managers_see_q`)."""
    return Case(
        When(managers_see_q(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _shared() -> Case:
    """Whether an assessment counts in a line manager's view
    (`permissions.consent_visible_q`): the counts about assessments are stored apart for
    the ones the employee lets managers see, so that a manager's figures count what their
    lists show."""
    return Case(
        When(permissions.consent_visible_q(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


#: Both views of an assessment count: shared with managers (True), OH's only (False).
SHARED = (True, False)


# --- Current assessments by band ----------------------------------------------------------


def _count_bands(c: Counting) -> Iterator[Row]:
    for band, shared, n in (
        c.assessments.filter(CURRENT.rows())
        .annotate(m=_shared())
        .order_by()
        .values("band", "m")
        .annotate(n=Count("pk"))
        .values_list("band", "m", "n")
    ):
        yield _row(Stored.BAND, n, key=band, for_managers=shared)


def _read_bands(r: Reading) -> dict[str, int]:
    counts = r.by_key(Stored.BAND)
    return {band: counts.get(band, 0) for band in BANDS}


#: Employees with a current assessment, by band (`by_department` for each department).
CURRENT: Figure[dict[str, int]] = Figure(
    stored=Stored.BAND,
    rows=current_q,
    count=_count_bands,
    read=_read_bands,
)


# --- ROSA sections and limiting multipliers of current assessments -------------------------


def _count_rosa(c: Counting) -> Iterator[Row]:
    counted = c.assessments.annotate(m=_shared()).aggregate(
        **{
            f"{key}:{shared:d}": Count("pk", filter=ROSA.rows(key) & Q(m=shared))
            for key in ROSA_SECTIONS
            for shared in SHARED
        }
    )
    for key in ROSA_SECTIONS:
        for shared in SHARED:
            if n := counted[f"{key}:{shared:d}"]:
                yield _row(Stored.ROSA, n, key=key, for_managers=shared)


def _read_rosa(r: Reading) -> list[tuple[str, str, int]]:
    counts = r.by_key(Stored.ROSA)
    return sorted(
        ((key, label, counts.get(key, 0)) for key, (_, label) in ROSA_SECTIONS.items()),
        key=lambda item: -item[2],
    )


#: Current assessments with a ROSA section at or above the action level, by section.
ROSA: Figure[list[tuple[str, str, int]]] = Figure(
    stored=Stored.ROSA,
    rows=lambda section: current_q() & rosa_section_q(section),
    count=_count_rosa,
    read=_read_rosa,
)


def _count_limiting(c: Counting) -> Iterator[Row]:
    counted = c.assessments.annotate(m=_shared()).aggregate(
        **{
            f"{factor}:{shared:d}": Count("pk", filter=LIMITING.rows(factor) & Q(m=shared))
            for factor in FACTORS
            for shared in SHARED
        }
    )
    for factor in FACTORS:
        for shared in SHARED:
            if n := counted[f"{factor}:{shared:d}"]:
                yield _row(Stored.LIMITING, n, key=factor, for_managers=shared)


def _read_limiting(r: Reading) -> list[tuple[str, str, int]]:
    counts = r.by_key(Stored.LIMITING)
    return sorted(
        (
            (factor, FACTOR_NAMES[factor], counts[factor])
            for factor in FACTORS
            if counts.get(factor)
        ),
        key=lambda item: (-item[2], item[0]),
    )


#: Current assessments lifting above LI 1, by the multiplier that limits them most.
LIMITING: Figure[list[tuple[str, str, int]]] = Figure(
    stored=Stored.LIMITING,
    rows=lambda factor: current_q() & limiting_q(factor),
    count=_count_limiting,
    read=_read_limiting,
)


# --- Reassessments ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reassessments:
    overdue: int
    due_soon: int


def _count_reassess(c: Counting) -> Iterator[Row]:
    due: dict[tuple[dt.date, bool], int] = defaultdict(int)
    for day, shared, n in (
        c.assessments.filter(REASSESS.rows(), reassess_due__isnull=False)
        .annotate(m=_shared())
        .order_by()
        .values("reassess_due", "m")
        .annotate(n=Count("pk"))
        .values_list("reassess_due", "m", "n")
    ):
        due[(c.stored_day(day), bool(shared))] += n
    for (day, shared), n in due.items():
        yield _row(Stored.REASSESS, n, day=day, for_managers=shared)


def _read_reassess(r: Reading) -> Reassessments:
    return Reassessments(overdue=r.dated["reassess_overdue"], due_soon=r.dated["reassess_soon"])


#: Current assessments by reassessment date: overdue (`reassess_overdue_q`) and due within
#: `REASSESS_WINDOW_DAYS` (`reassess_soon_q`), the same date rules applied to the stored
#: dates.
REASSESS: Figure[Reassessments] = Figure(
    stored=Stored.REASSESS,
    rows=current_q,
    count=_count_reassess,
    read=_read_reassess,
)


# --- High or very high with every action closed -------------------------------------------


def _count_high_closed(c: Counting) -> Iterator[Row]:
    oh = c.assessments.filter(HIGH_CLOSED.rows(Action.objects.all())).count()
    if oh:
        yield _row(Stored.HIGH_CLOSED, oh, key=HIGH_CLOSED_OH, for_managers=False)
    seen = Action.objects.filter(managers_see_q())
    managers = (
        c.assessments.filter(permissions.consent_visible_q()).filter(HIGH_CLOSED.rows(seen)).count()
    )
    if managers:
        yield _row(Stored.HIGH_CLOSED, managers, key=HIGH_CLOSED_MANAGERS)


def _read_high_closed(r: Reading) -> int:
    return r.by_key(Stored.HIGH_CLOSED).get(
        HIGH_CLOSED_MANAGERS if r.managers_view else HIGH_CLOSED_OH, 0
    )


#: Current high or very-high assessments with at least one action the viewer may see and
#: none of them open: counted once over every action (OH) and once over a manager's.
HIGH_CLOSED: Figure[int] = Figure(
    stored=Stored.HIGH_CLOSED,
    rows=lambda actions: current_q() & high_q() & all_actions_closed_q(actions),
    count=_count_high_closed,
    read=_read_high_closed,
)


# --- Recommendation codes of current actions ----------------------------------------------


def _count_codes(c: Counting) -> Iterator[Row]:
    codes = list(
        c.actions.filter(CODES.rows())
        .annotate(m=_for_managers())
        .order_by()
        .values("code", "m")
        .annotate(n=Count("pk"), ref=Max("pk"))
        .values_list("code", "m", "n", "ref")
    )
    titles = dict(Action.objects.filter(pk__in=[c[3] for c in codes]).values_list("pk", "title"))
    for code, managers, n, ref in codes:
        yield _row(
            Stored.CODE, n, key=code, for_managers=managers, label=titles.get(ref, ""), ref=ref
        )


def _read_codes(r: Reading) -> list[dict[str, Any]]:
    """The codes raised most often, each with the newest wording among the actions counted.

    One query reads every stored code row of the departments in view (a few per code and
    department) and they are ranked here."""
    totals: dict[str, int] = defaultdict(int)
    newest: dict[str, tuple[int, str]] = {}
    for code, n, ref, label in r.stored.filter(figure=Stored.CODE).values_list(
        "key", "n", "ref", "label"
    ):
        totals[code] += n
        if code not in newest or (ref or 0) > newest[code][0]:
            newest[code] = (ref or 0, label)
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    if r.managers_view:
        # A code a manager may not read (its family names what was found) is not listed:
        # the link would carry it.
        ranked = [item for item in ranked if health.code_readable(item[0])]
    return [
        {"code": code, "n": n, "title": newest[code][1] or code} for code, n in ranked[:TOP_CODES]
    ]


#: Actions raised by current assessments, by recommendation code (the most common ones).
CODES: Figure[list[dict[str, Any]]] = Figure(
    stored=Stored.CODE,
    rows=action_current_q,
    count=_count_codes,
    read=_read_codes,
)


# --- Completed assessments by quarter -----------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    label: str
    start: dt.date
    end: dt.date
    bands: dict[str, int]
    total: int
    median: float | None


def trend_counts(
    grouped: Iterable[tuple[dt.date, str, float, int]],
) -> dict[tuple[dt.date, str, float], int]:
    """Counts by (day, band, score), folded into counts by (first day of the quarter, band,
    score). Grouping by day is done by the database; folding here needs no date function
    per row."""
    trend: dict[tuple[dt.date, str, float], int] = defaultdict(int)
    for day, band, score, n in grouped:
        trend[(quarter_start(day), band, score)] += n
    return trend


def trend_grouped(qs: QuerySet[Assessment]) -> QuerySet[Any]:
    """The assessments counted by (day assessed, band, score), and whether they count in a
    line manager's view."""
    return (
        qs.annotate(m=_shared())
        .order_by()
        .values("assessed_on", "band", "strain_score", "m")
        .annotate(n=Count("pk"))
        .values_list("assessed_on", "band", "strain_score", "m", "n")
    )


def quarters_of(counts: Mapping[tuple[dt.date, str, float], int]) -> list[Quarter]:
    """Band mix and exact median score of each quarter, from counts by (quarter, band,
    score); "not assessable" assessments have no score and stay out of the median."""
    mix: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BANDS, 0))
    scores: dict[dt.date, dict[float, int]] = defaultdict(lambda: defaultdict(int))
    for (start, band, score), n in counts.items():
        mix[start][band] += n
        if band != "not_assessable":  # no score to take the median of
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


def _count_trend(c: Counting) -> Iterator[Row]:
    grouped = list(trend_grouped(c.assessments.filter(TREND.rows())))
    for shared in SHARED:
        view = ((day, band, score, n) for day, band, score, m, n in grouped if bool(m) == shared)
        for (quarter, band, score), n in trend_counts(view).items():
            yield _row(Stored.TREND, n, day=quarter, key=band, number=score, for_managers=shared)


def _read_trend(r: Reading) -> list[Quarter]:
    starts = quarter_starts(r.today)
    # The score is None for "not assessable", counted in the band mix only.
    counts: dict[tuple[dt.date, str, Any], int] = defaultdict(int)
    for band, start, score, n in r.summed(Stored.TREND):
        if start is not None and starts[0] <= start <= starts[-1]:
            counts[(start, band, score)] += n
    return quarters_of(counts)


#: Completed assessments (of an amended one, only the revision that replaced it) by
#: quarter assessed, band and strain score; employees who have left still count.
TREND: Figure[list[Quarter]] = Figure(
    stored=Stored.TREND,
    rows=unsuperseded_q,
    count=_count_trend,
    read=_read_trend,
)


# --- Change since the previous assessment -------------------------------------------------


def _count_change(c: Counting) -> Iterator[Row]:
    delta = Cast(F("strain_score") - F("previous__strain_score"), FloatField())
    for value, shared, n in (
        c.assessments.filter(CHANGE.rows())
        .annotate(m_delta=delta, m=_shared())
        .order_by()
        .values("m_delta", "m")
        .annotate(n=Count("pk"))
        .values_list("m_delta", "m", "n")
    ):
        yield _row(Stored.CHANGE, n, number=float(value), for_managers=shared)


def _read_change(r: Reading) -> dict[str, Any]:
    counts: dict[float, int] = defaultdict(int)
    for _key, _day, number, n in r.summed(Stored.CHANGE):
        if number is not None:
            counts[number] += n
    return {
        "reassessed": sum(counts.values()),
        "improved": sum(n for value, n in counts.items() if value < 0),
        "worse": sum(n for value, n in counts.items() if value > 0),
        "unchanged": counts.get(0.0, 0),
        "median_change": median_of_counts(counts),
    }


#: Re-assessed employees, by the change in strain score since their previous assessment.
CHANGE: Figure[dict[str, Any]] = Figure(
    stored=Stored.CHANGE,
    rows=lambda kind=None: change_q(kind) if kind else reassessed_q(),
    count=_count_change,
    read=_read_change,
)


# --- Actions by status and days to close --------------------------------------------------


@dataclass(frozen=True)
class ActionCounts:
    by_status: dict[str, int]
    #: Done actions by days to close (for the median).
    days_to_close: dict[int, int]


def _count_actions(c: Counting) -> Iterator[Row]:
    for status, days, managers, n in (
        c.actions.filter(ACTIONS.rows())
        .annotate(m=_for_managers())
        .order_by()
        .values("status", "closed_in_days", "m")
        .annotate(n=Count("pk"))
        .values_list("status", "closed_in_days", "m", "n")
    ):
        yield _row(Stored.ACTION, n, key=status, number=days, for_managers=managers)


def _read_actions(r: Reading) -> ActionCounts:
    by_status = dict.fromkeys(Action.Status.values, 0)
    days: dict[int, int] = defaultdict(int)
    for status, _day, number, n in r.summed(Stored.ACTION):
        by_status[status] += n
        if status == Action.Status.DONE and number is not None:
            days[int(number)] += n
    return ActionCounts(by_status=by_status, days_to_close=dict(days))


#: The statuses an action in force can have: every one but superseded (an action is
#: superseded only when the revision that raised it is replaced, so it is never in force).
IN_FORCE_STATUSES: tuple[tuple[str, str], ...] = tuple(
    (value, label) for value, label in Action.Status.choices if value != Action.Status.SUPERSEDED
)


#: Actions in force (`in_force_q`) by status, and done ones by days to close
#: (`by_department` for each department).
ACTIONS: Figure[ActionCounts] = Figure(
    stored=Stored.ACTION,
    rows=in_force_q,
    count=_count_actions,
    read=_read_actions,
)


# --- Overdue actions ----------------------------------------------------------------------


def _count_overdue(c: Counting) -> Iterator[Row]:
    """Open actions in force by due date (overdue is decided when read, on that day)."""
    due: dict[tuple[dt.date, bool], int] = defaultdict(int)
    for day, managers, n in (
        c.actions.filter(open_actions_q(), due_on__isnull=False)
        .annotate(m=_for_managers())
        .order_by()
        .values("due_on", "m")
        .annotate(n=Count("pk"))
        .values_list("due_on", "m", "n")
    ):
        due[(c.stored_day(day), bool(managers))] += n
    for (day, managers), n in due.items():
        yield _row(Stored.OVERDUE, n, day=day, for_managers=managers)


def _read_overdue(r: Reading) -> int:
    return r.dated["overdue"]


#: Actions in force, open or in progress, with a due date before today (stored by due
#: date; `actions.models.past_due_q` applied to the stored dates when read).
OVERDUE: Figure[int] = Figure(
    stored=Stored.OVERDUE,
    rows=overdue_actions_q,
    count=_count_overdue,
    read=_read_overdue,
)

#: Every stored figure, in the order a department is counted.
FIGURES: tuple[Figure[Any], ...] = (
    CURRENT,
    ROSA,
    LIMITING,
    REASSESS,
    HIGH_CLOSED,
    CODES,
    TREND,
    CHANGE,
    ACTIONS,
    OVERDUE,
)


def count(
    department_id: int, today: dt.date | None, *, employee_ids: Iterable[int] | None = None
) -> list[Row]:
    """The stored rows of one department, counted on `today`, by every figure (only the
    rows of `employee_ids`, if given; `today` None: dates as they are)."""
    counting = Counting.of(department_id, today, employee_ids=employee_ids)
    return [row for figure in FIGURES for row in figure.count(counting)]


# --- The dashboard ------------------------------------------------------------------------

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
    reading = Reading.of([d.pk for d in departments], managers_view=managers_view, today=today)
    band_counts = CURRENT.read(reading)
    by_department, by_site = _risk_by_place(CURRENT.by_department(reading), departments)
    total = sum(band_counts.values())
    high = high_of(band_counts)
    limiting = LIMITING.read(reading)
    action_counts = ACTIONS.read(reading)
    reassess = REASSESS.read(reading)
    high_closed = HIGH_CLOSED.read(reading)
    return Dashboard(
        today=today,
        band_counts=band_counts,
        current_total=total,
        high_count=high,
        high_share=high / total if total else None,
        by_department=by_department,
        by_site=by_site,
        top_codes=CODES.read(reading),
        limiting_factors=limiting,
        lifting_over_one=sum(item[2] for item in limiting),
        rosa_sections=ROSA.read(reading),
        quarters=TREND.read(reading),
        change=CHANGE.read(reading),
        action_counts=action_counts.by_status,
        overdue_actions=_oldest_overdue(actions.filter(OVERDUE.rows(today))),
        overdue_count=OVERDUE.read(reading),
        median_days_to_close=median_of_counts(action_counts.days_to_close),
        done_with_days=sum(action_counts.days_to_close.values()),
        high_all_closed=high_closed,
        high_all_closed_share=high_closed / high if high else None,
        reassess_due_soon=reassess.due_soon,
        reassess_overdue=reassess.overdue,
    )


def _risk_by_place(
    bands: dict[int, dict[str, int]], departments: list[Department]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Current assessments by band for each department and each site."""
    known = {d.pk: d for d in departments}
    by_department: dict[int, dict[str, Any]] = {}
    by_site: dict[int, dict[str, Any]] = {}
    for department_id, counts in bands.items():
        department = known[department_id]
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
        site = by_site.setdefault(
            department.site_id,
            {"id": department.site_id, "name": department.site.name, **dict.fromkeys(BANDS, 0)},
        )
        for band, n in counts.items():
            dep[band] += n
            site[band] += n
    for entry in [*by_department.values(), *by_site.values()]:
        entry["total"] = sum(entry[b] for b in BANDS)
        entry["high_total"] = high_of(entry)
        entry["high_share"] = entry["high_total"] / entry["total"]
    return (
        sorted(by_department.values(), key=lambda d: (d["site"], d["name"])),
        sorted(by_site.values(), key=lambda s: s["name"]),
    )


def _oldest_overdue(overdue: QuerySet[Action]) -> list[Action]:
    """The ten overdue actions due first. Each status is read in due-date order off the
    `(status, due_on)` index and stops after ten rows; the two short lists are merged here
    (one query over both statuses would sort every overdue action)."""
    first: list[tuple[dt.date, int]] = []
    for status in Action.OPEN_STATUSES:
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


# --- A manager's departments --------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentFigures:
    department: Department
    staff: int
    high_risk: int
    open_actions: int


def department_figures(
    departments: list[Department], *, managers_view: bool, today: dt.date
) -> list[DepartmentFigures]:
    """For each department (stored counts current: `tallies.ensure_counted`): its staff,
    and the dashboard's high-risk count and open actions."""
    reading = Reading.of([d.pk for d in departments], managers_view=managers_view, today=today)
    bands = CURRENT.by_department(reading)
    statuses = ACTIONS.by_department(reading)
    staff = dict(
        Employee.objects.filter(staff_q(), department__in=departments)
        .order_by()
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    return [
        DepartmentFigures(
            department=d,
            staff=staff.get(d.pk, 0),
            high_risk=high_of(bands.get(d.pk, {})),
            open_actions=open_of(statuses.get(d.pk, {})),
        )
        for d in departments
    ]


# --- Self-assessments (OH's view) -----------------------------------------------------------
#
# Counted live from the invitations (a department has a few a month): what OH has been sent
# back, what waits for triage, and how long triage takes. The triage queue lists exactly the
# backlog's rows.


def selfassess_returned_q() -> Q:
    """Self-assessments the employee sent back (whatever happened to them since)."""
    return Q(returned_at__isnull=False)


def triage_backlog_q() -> Q:
    """Returned self-assessments waiting for OH: not yet signed off or booked for a visit
    (one with a question out to the employee is still waiting)."""
    return Q(status__in=Invitation.BACKLOG)


def triaged_q() -> Q:
    """Returned and triaged (signed off, or a visit booked)."""
    return selfassess_returned_q() & Q(triaged_at__isnull=False)


@dataclass(frozen=True)
class SelfAssessmentFigures:
    department: Department | None
    returned: int
    backlog: int
    #: Median days from return to triage (signed off or visit booked); None: none triaged.
    median_days_to_triage: float | None


def self_assessment_figures(departments: list[Department]) -> list[SelfAssessmentFigures]:
    """Per department (and a last row for them all): self-assessments returned, the triage
    backlog, and the median days from return to triage."""
    # Read from the invitations alone, then their employees' departments: there are far
    # fewer returned invitations than employees, and a filter on the employee's department
    # would have SQLite walk every employee to find them.
    counted = selfassess_returned_q() | triage_backlog_q()
    invitations = Invitation.objects.filter(counted).order_by()
    department_of = dict(
        Employee.objects.filter(
            department__in=departments, pk__in=invitations.values("employee_id")
        ).values_list("pk", "department_id")
    )
    returned: dict[int, int] = defaultdict(int)
    backlog: dict[int, int] = defaultdict(int)
    days: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    everyone: dict[int, int] = defaultdict(int)
    for employee_id, is_returned, in_backlog, is_triaged, back, triaged in (
        invitations.annotate(
            is_returned=flag(selfassess_returned_q()),
            in_backlog=flag(triage_backlog_q()),
            is_triaged=flag(triaged_q()),
        ).values_list(
            "employee_id", "is_returned", "in_backlog", "is_triaged", "returned_at", "triaged_at"
        )
        if department_of
        else ()
    ):
        department_id = department_of.get(employee_id)
        if department_id is None:
            continue
        returned[department_id] += bool(is_returned)
        backlog[department_id] += bool(in_backlog)
        if not is_triaged:
            continue
        waited = max(0, (triaged - back).days)
        days[department_id][waited] += 1
        everyone[waited] += 1
    result = [
        SelfAssessmentFigures(
            department=d,
            returned=returned.get(d.pk, 0),
            backlog=backlog.get(d.pk, 0),
            median_days_to_triage=median_of_counts(days.get(d.pk, {})),
        )
        for d in departments
        if returned.get(d.pk)
    ]
    result.append(
        SelfAssessmentFigures(
            department=None,
            returned=sum(returned.values()),
            backlog=sum(backlog.values()),
            median_days_to_triage=median_of_counts(everyone),
        )
    )
    return result


# --- Assessment coverage (read live: a count of people, not of stored rows) ----------------


def cycle_start(today: dt.date) -> dt.date:
    """The earliest assessment date still current: `ASSESSMENT_CYCLE_MONTHS` before today."""
    return months_before(today, settings.ASSESSMENT_CYCLE_MONTHS)


def covered_q(today: dt.date) -> Q:
    """An employee (in an `Employee` query) whose current assessment was made within the
    assessment cycle."""
    return Q(
        Exists(
            Assessment.objects.filter(
                current_q(), employee=OuterRef("pk"), assessed_on__gte=cycle_start(today)
            )
        )
    )


def assessment_overdue(employees: QuerySet[Employee], today: dt.date) -> QuerySet[Employee]:
    """Of `employees` (those the viewer may see), the active ones with no current assessment
    made within the cycle: never assessed, or last assessed before the cycle began. Each is
    annotated with `last_assessed_on` (their latest completed assessment, or None); their due
    date is `due_date(last_assessed_on)`. Names and dates only: no answer, band or score."""
    return (
        employees.filter(staff_q(), anonymised_at__isnull=True)
        .exclude(covered_q(today))
        .annotate(
            last_assessed_on=Max(
                "assessments__assessed_on",
                filter=Q(assessments__status=Assessment.Status.COMPLETED),
            )
        )
    )


def due_date(last_assessed_on: dt.date | None) -> dt.date | None:
    """When the next assessment falls due after one made on `last_assessed_on`."""
    if last_assessed_on is None:
        return None
    return months_before(last_assessed_on, -settings.ASSESSMENT_CYCLE_MONTHS)


@dataclass(frozen=True)
class Coverage:
    """A department's share of active employees with a current assessment made within the
    cycle (`department` None: every department in view)."""

    department: Department | None
    staff: int
    covered: int

    @property
    def overdue(self) -> int:
        return self.staff - self.covered

    @property
    def percent(self) -> int | None:
        """Whole percent covered, rounded down (None when the department has no staff), so
        100% means everyone."""
        return None if not self.staff else self.covered * 100 // self.staff


def coverage(departments: list[Department], today: dt.date) -> list[Coverage]:
    """Coverage of each of `departments` that has staff, then the total over them."""
    rows = (
        Employee.objects.filter(staff_q(), anonymised_at__isnull=True, department__in=departments)
        .order_by()
        .values("department_id")
        .annotate(staff=Count("pk"), covered=Count("pk", filter=covered_q(today)))
    )
    counts = {row["department_id"]: (row["staff"], row["covered"]) for row in rows}
    result = [
        Coverage(department=d, staff=counts[d.pk][0], covered=counts[d.pk][1])
        for d in departments
        if d.pk in counts
    ]
    result.append(
        Coverage(
            department=None,
            staff=sum(c.staff for c in result),
            covered=sum(c.covered for c in result),
        )
    )
    return result
