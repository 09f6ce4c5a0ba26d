"""Stored dashboard counts, kept per department.

The dashboard's figures are sums over every current assessment and every action, so
computing them from the assessment and action tables takes time in proportion to those
tables. Instead each department keeps its counts as a few hundred `TallyRow`s (bands,
ROSA sections, limiting multipliers, recommendation codes, quarters, actions by status
and by due date...), and the dashboard adds up the rows of the departments in view.

Keeping them current:

- Every use case that can move a figure raises the department's `DepartmentTally.version`
  in its own transaction by calling `assessments.people.changes.departments_changed`:
  completing an assessment, updating an action, saving or moving an employee (both
  departments when an employee moves), an admin edit or deletion, erasure, retention,
  and bulk loads (`all_departments_changed`).
- Before reading, `ensure_counted` recounts each department in view whose counts are
  behind its version: the same definitions as the lists (`assessments.insights.figures`), as
  grouped queries over that one department, under a row lock so two readers do not
  count twice. A change committed during a recount raises the version again, so the next
  read counts again; nothing is lost.

Figures that depend on today's date (reassessments due or overdue, overdue actions, the
last eight quarters) are stored by date and summed at read time, so the counts never go
stale with the calendar. `manage.py recount_dashboard --check` compares the stored counts
with a fresh count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, FloatField, Max, Q, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from assessments.actions.models import Action
from assessments.core import health
from assessments.insights import figures as defs
from assessments.insights.models import TallyRow
from assessments.people.models import Department, DepartmentTally, Employee
from assessments.records.models import Assessment

Figure = TallyRow.Figure
#: A counted row of a department: its `TallyRow` fields in this order.
ROW_FIELDS = ("figure", "key", "day", "number", "for_managers", "n", "label", "ref")
Row = tuple[Any, ...]
INSERT_BATCH = 200


# --- Recounting -------------------------------------------------------------------------


def ensure_counted(department_ids: Iterable[int]) -> None:
    """Recount the departments among these whose stored counts are behind."""
    ids = list(department_ids)
    behind = Department.objects.filter(pk__in=ids).filter(
        Q(tally__isnull=True) | ~Q(tally__counted_version=F("tally__version"))
    )
    for department_id in behind.values_list("pk", flat=True):
        recount(department_id)


def recount(department_id: int) -> None:
    """Replace one department's stored counts with a fresh count, if they are behind."""
    with transaction.atomic():
        state, _ = DepartmentTally.objects.select_for_update().get_or_create(
            department_id=department_id
        )
        if state.counted_version == state.version:
            return  # another request counted it while this one waited
        today = timezone.localdate()
        rows = count(department_id, today=today)
        TallyRow.objects.filter(department_id=department_id).delete()
        _insert(department_id, rows)
        state.counted_version = state.version
        state.counted_on = today
        state.save(update_fields=["counted_version", "counted_on"])


def _insert(department_id: int, rows: list[Row]) -> None:
    """Write a department's rows in bulk: with COPY on PostgreSQL, elsewhere as multi-row
    INSERTs of a few hundred rows. A department has hundreds to a few thousand rows, and
    a model instance or a statement for each would cost more than counting them."""
    quote = connection.ops.quote_name
    table = quote(TallyRow._meta.db_table)
    names = ("department_id", *ROW_FIELDS)
    columns = ", ".join(quote(TallyRow._meta.get_field(name).column) for name in names)
    values = [(department_id, *row) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        day = names.index("day")
        adapt = connection.ops.adapt_datefield_value
        for start in range(0, len(values), INSERT_BATCH):
            batch = values[start : start + INSERT_BATCH]
            params = [adapt(v) if k == day else v for row in batch for k, v in enumerate(row)]
            # Table and column names come from the model, never from input; values are
            # passed as parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}"  # noqa: S608  # nosec B608
            cursor.execute(sql, params)


def stored(department_id: int) -> list[Row]:
    """A department's stored rows, comparable with `count`'s (`sorted_rows`)."""
    return sorted_rows(
        TallyRow.objects.filter(department_id=department_id).values_list(*ROW_FIELDS)
    )


def sorted_rows(rows: Iterable[Row]) -> list[Row]:
    """Rows in a fixed order, so that two sets of rows holding the same counts compare
    equal."""
    return sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))


def _for_managers() -> Case:
    """Whether an action counts in a line manager's view (`permissions.visible_actions`)."""
    return Case(
        When(~health.action_visible_q(), then=Value(False)),
        When(~Q(assessment__status=Assessment.Status.COMPLETED), then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )


def count(department_id: int, today: dt.date | None = None) -> list[Row]:
    """The counts of one department, from the assessment and action tables, as rows of
    `ROW_FIELDS`, counted on `today` (by default the current date).

    Reassessment and action due dates before `today` are in the past for every later
    reading too, so they are stored as one row dated the day before; later dates are
    stored day by day.
    """
    # max(day, past): any date before today becomes yesterday; later dates stay as they are.
    past = (today or timezone.localdate()) - dt.timedelta(days=1)
    rows: list[Row] = []

    def add(
        figure: str,
        n: int,
        *,
        key: str = "",
        day: dt.date | None = None,
        number: float | None = None,
        for_managers: bool = True,
        label: str = "",
        ref: int | None = None,
    ) -> None:
        if n:  # SQLite reads a CASE back as 0 or 1, hence bool()
            rows.append((figure, key, day, number, bool(for_managers), n, label, ref))

    # `IN (subquery)` rather than joins, so that every query starts from the department's
    # employees and reads the indexes led by `employee` and `assessment`.
    staff = Employee.objects.filter(department_id=department_id)
    assessments = Assessment.objects.filter(employee_id__in=staff.values("pk"))
    actions = Action.objects.filter(assessment_id__in=assessments.values("pk"))
    # `dashboard.current_q()` (is_latest, employee active), starting from the active staff.
    current = Assessment.objects.filter(
        employee_id__in=staff.filter(active=True).values("pk"), is_latest=True
    )

    # Current assessments: bands, ROSA sections and limiting multipliers.
    counters: dict[str, Any] = {"n": Count("pk")}
    for key in defs.ROSA_SECTIONS:
        counters[f"rosa_{key}"] = Count("pk", filter=defs.rosa_section_q(key))
    for factor in defs.FACTORS:
        counters[f"lim_{factor}"] = Count("pk", filter=defs.limiting_q(factor))
    sums: dict[str, int] = dict.fromkeys(counters, 0)
    for row in current.order_by().values("band").annotate(**counters):
        add(Figure.BAND, row["n"], key=row["band"])
        for name in counters:
            sums[name] += row[name]
    for key in defs.ROSA_SECTIONS:
        add(Figure.ROSA, sums[f"rosa_{key}"], key=key)
    for factor in defs.FACTORS:
        add(Figure.LIMITING, sums[f"lim_{factor}"], key=factor)

    # Reassessments by due date.
    due: dict[dt.date, int] = defaultdict(int)
    for day, n in (
        current.filter(reassess_due__isnull=False)
        .order_by()
        .values("reassess_due")
        .annotate(n=Count("pk"))
        .values_list("reassess_due", "n")
    ):
        due[max(day, past)] += n
    for day, n in due.items():
        add(Figure.REASSESS, n, day=day)

    # High or very high with every action closed: once over all actions (OH's view), once
    # over the actions a manager sees.
    high = current.filter(band__in=defs.HIGH_BANDS)
    managers_see = Action.objects.filter(
        health.action_visible_q(), assessment__status=Assessment.Status.COMPLETED
    )
    add(
        Figure.HIGH_CLOSED,
        high.filter(defs.all_actions_closed_q(Action.objects.all())).count(),
        key=defs.HIGH_CLOSED_OH,
        for_managers=False,
    )
    add(
        Figure.HIGH_CLOSED,
        high.filter(defs.all_actions_closed_q(managers_see)).count(),
        key=defs.HIGH_CLOSED_MANAGERS,
    )

    # Current actions by recommendation code, with the newest wording of each.
    codes = list(
        actions.filter(assessment__in=current.values("pk"))
        .annotate(m=_for_managers())
        .order_by()
        .values("code", "m")
        .annotate(n=Count("pk"), ref=Max("pk"))
        .values_list("code", "m", "n", "ref")
    )
    titles = dict(Action.objects.filter(pk__in=[c[3] for c in codes]).values_list("pk", "title"))
    for code, managers, n, ref in codes:
        add(Figure.CODE, n, key=code, for_managers=managers, label=titles.get(ref, ""), ref=ref)

    # Completed (unsuperseded) assessments by quarter, band and score (grouped by day in
    # the database, folded into quarters here: no date function per row).
    trend: dict[tuple[dt.date, str, float], int] = defaultdict(int)
    for day, band, score, n in (
        defs.unsuperseded(assessments)
        .order_by()
        .values("assessed_on", "band", "strain_score")
        .annotate(n=Count("pk"))
        .values_list("assessed_on", "band", "strain_score", "n")
    ):
        trend[(defs.quarter_start(day), band, score)] += n
    for (quarter, band, score), n in trend.items():
        add(Figure.TREND, n, day=quarter, key=band, number=score)

    # Change in strain score since the previous assessment.
    delta = Cast(F("strain_score") - F("previous__strain_score"), FloatField())
    for value, n in (
        assessments.filter(defs.reassessed_q())
        .annotate(m_delta=delta)
        .order_by()
        .values("m_delta")
        .annotate(n=Count("pk"))
        .values_list("m_delta", "n")
    ):
        add(Figure.CHANGE, n, number=float(value))

    # Actions by status (and days to close), and open ones by due date: one grouped query.
    open_due_on = Case(When(status__in=defs.OPEN, then=F("due_on")), default=None)
    open_due: dict[tuple[dt.date, bool], int] = defaultdict(int)
    for status, days, day, managers, n in (
        actions.annotate(m=_for_managers(), open_due_on=open_due_on)
        .order_by()
        .values("status", "closed_in_days", "open_due_on", "m")
        .annotate(n=Count("pk"))
        .values_list("status", "closed_in_days", "open_due_on", "m", "n")
    ):
        add(Figure.ACTION, n, key=status, number=days, for_managers=managers)
        if day is not None:
            open_due[(max(_as_date(day), past), bool(managers))] += n
    for (day, managers), n in open_due.items():
        add(Figure.OVERDUE, n, day=day, for_managers=managers)
    return rows


def _as_date(value: dt.date | str) -> dt.date:
    """A date from a CASE expression (SQLite may return it as ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
