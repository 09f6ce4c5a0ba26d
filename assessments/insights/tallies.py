"""Stored dashboard counts, kept per department.

The dashboard's figures are sums over every current assessment and every action, so
computing them from the assessment and action tables takes time in proportion to those
tables. Instead each department keeps its counts as a few hundred `TallyRow`s (bands,
ROSA sections, limiting multipliers, recommendation codes, quarters, actions by status
and by due date...), and the dashboard adds up the rows of the departments in view.

Keeping them current:

- A use case that changes one or a few employees (completing or amending an assessment,
  updating actions, saving, moving, deleting or erasing an employee) runs inside
  `assessments.people.changes.employees_changing(employee_ids)`. The hook registered by
  this app, `employees_counted`, counts those employees' rows by every figure before and
  after the change (the same definitions, restricted to them) and adds the difference to
  the stored rows in the same transaction: a row whose count reaches 0 is deleted, a new
  one is inserted. The departments' `DepartmentTally` rows are locked first, so two
  changes in one department apply their differences one after the other. Counts that
  were already behind are left to the recount; a difference that does not fit the stored
  rows (which would mean they were wrong) marks the department changed instead.
- What changes too many employees to count them one by one (bulk loads, an admin edit,
  retention) raises the department's `DepartmentTally.version` instead
  (`assessments.people.changes.departments_changed`, `all_departments_changed`). Before
  reading, `ensure_counted` recounts each department in view whose counts are behind its
  version: each figure counts the department's rows itself
  (`assessments.insights.figures`, the same row sets the lists show), in grouped queries
  over that one department, under a row lock so two readers do not count twice. A
  change committed during a recount raises the version again, so the next read counts
  again; nothing is lost.

Figures that depend on today's date (reassessments due or overdue, overdue actions, the
last eight quarters) are stored by date and summed at read time, so the counts never go
stale with the calendar. `manage.py recount_dashboard --check` compares the stored counts
with a fresh count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from assessments.insights import figures as defs
from assessments.insights.models import TallyRow
from assessments.people.changes import departments_changed
from assessments.people.models import Department, DepartmentTally, Employee

#: A counted row of a department: its `TallyRow` fields in this order.
ROW_FIELDS = defs.ROW_FIELDS
Row = defs.Row
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


# --- Changes to a few employees, applied as differences -------------------------------

#: A stored row's identity: its fields but the count, the label and the reference.
Key = tuple[Any, ...]
_FIGURE, _KEY, _DAY, _NUMBER, _MANAGERS, _N, _LABEL, _REF = range(len(ROW_FIELDS))


@contextmanager
def employees_counted(employee_ids: list[int]) -> Iterator[None]:
    """Around a change to these employees (`people.changes.employees_changing`): their
    rows counted before and after it, and the difference added to their departments'
    stored counts."""
    before = _by_department(employee_ids, set())
    yield
    after = _by_department(employee_ids, set(before))
    for department_id in sorted(before.keys() | after.keys()):
        _apply(department_id, before.get(department_id, []), after.get(department_id, []))


def _by_department(employee_ids: list[int], locked: set[int]) -> dict[int, list[Row]]:
    """The employees' rows in each of their departments whose stored counts are current
    (dates as they are), after locking those departments' `DepartmentTally` rows (in
    order, those not `locked` yet). A department never counted, or waiting for a recount,
    is left to that count: nothing is counted for it here."""
    departments = sorted(
        set(Employee.objects.filter(pk__in=employee_ids).values_list("department_id", flat=True))
    )
    list(
        DepartmentTally.objects.select_for_update()
        .filter(department_id__in=[d for d in departments if d not in locked])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    current = DepartmentTally.objects.filter(
        department_id__in=departments,
        counted_version=F("version"),
        counted_on__isnull=False,
    ).values_list("department_id", flat=True)
    return {d: defs.count(d, None, employee_ids=employee_ids) for d in sorted(current)}


def _identity(row: Row, counted_on: dt.date) -> Key:
    day = row[_DAY]
    if row[_FIGURE] in defs.DATED and day is not None:
        day = defs.stored_day(day, counted_on)
    return (row[_FIGURE], row[_KEY], day, row[_NUMBER], bool(row[_MANAGERS]))


def _apply(department_id: int, before: list[Row], after: list[Row]) -> None:
    """Add the difference between a department's rows `after` and `before` a change to its
    stored counts, if they are current (otherwise the recount will count the change)."""
    state = DepartmentTally.objects.filter(department_id=department_id).first()
    if state is None or state.counted_version != state.version or state.counted_on is None:
        return
    diff: dict[Key, int] = defaultdict(int)
    newest_before: dict[Key, int] = {}
    newest_after: dict[Key, tuple[int, str]] = {}
    for row in before:
        key = _identity(row, state.counted_on)
        diff[key] -= row[_N]
        if row[_FIGURE] == defs.Stored.CODE:
            newest_before[key] = row[_REF]
    for row in after:
        key = _identity(row, state.counted_on)
        diff[key] += row[_N]
        if row[_FIGURE] == defs.Stored.CODE:
            newest_after[key] = (row[_REF], row[_LABEL])
    touched = {key for key, n in diff.items() if n} | newest_before.keys() | newest_after.keys()
    if not touched:
        return
    stored_rows: dict[Key, tuple[int, int, int | None, str]] = {}
    for pk, *fields, n, ref, label in TallyRow.objects.filter(
        department_id=department_id, figure__in={key[0] for key in touched}
    ).values_list("pk", *ROW_FIELDS[:_N], "n", "ref", "label"):
        key = _identity(tuple(fields), state.counted_on)
        if key in stored_rows:
            departments_changed([department_id])  # not as a count stores them: recount
            return
        stored_rows[key] = (pk, n, ref, label)
    changed: dict[Key, TallyRow] = {}
    gone: list[int] = []
    new: list[Row] = []
    recheck: set[str] = set()
    for key in touched:
        pk, n, ref, label = stored_rows.get(key, (None, 0, None, ""))
        total = n + diff.get(key, 0)
        if total < 0:
            departments_changed([department_id])  # the stored counts were wrong: recount
            return
        if total == 0:
            if pk is not None:
                gone.append(pk)
            continue
        if pk is not None and key in newest_before and newest_before[key] == ref:
            recheck.add(key[_KEY])  # the newest wording was one of these employees'
        elif key in newest_after and (ref is None or newest_after[key][0] > ref):
            ref, label = newest_after[key]
        if pk is None:
            new.append((*key, total, label, ref))
        else:
            changed[key] = TallyRow(pk=pk, n=total, ref=ref, label=label)
    if recheck:
        for key, (ref, label) in _newest_wording(department_id, recheck).items():
            if key in changed:
                changed[key].ref, changed[key].label = ref, label
    TallyRow.objects.filter(pk__in=gone).delete()
    moved = [
        row for key, row in changed.items() if (row.n, row.ref, row.label) != stored_rows[key][1:]
    ]
    TallyRow.objects.bulk_update(moved, ["n", "ref", "label"])
    if new:
        _insert(department_id, new)


def _newest_wording(department_id: int, codes: set[str]) -> dict[Key, tuple[int, str]]:
    """The newest action of each of these codes in the department, and its wording, in
    each view: what a count of the department stores with the code's counts."""
    whole = defs.Counting.of(department_id, None)
    counting = defs.Counting(
        assessments=whole.assessments, actions=whole.actions.filter(code__in=codes), today=None
    )
    return {
        (row[_FIGURE], row[_KEY], row[_DAY], row[_NUMBER], bool(row[_MANAGERS])): (
            row[_REF],
            row[_LABEL],
        )
        for row in defs.CODES.count(counting)
    }


def stored(department_id: int) -> list[Row]:
    """A department's stored rows, comparable with `count`'s (`sorted_rows`)."""
    return sorted_rows(
        TallyRow.objects.filter(department_id=department_id).values_list(*ROW_FIELDS)
    )


def differing(stored: Iterable[Row], fresh: Iterable[Row]) -> list[str]:
    """The figures (by label) whose stored rows differ from a fresh count's."""
    names = {row[0] for row in set(stored) ^ set(fresh)}
    return [figure.label for figure in defs.FIGURES if figure.stored in names]


def sorted_rows(rows: Iterable[Row]) -> list[Row]:
    """Rows in a fixed order, so that two sets of rows holding the same counts compare
    equal."""
    return sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))


def count(department_id: int, today: dt.date | None = None) -> list[Row]:
    """The counts of one department, from the assessment and action tables, as rows of
    `ROW_FIELDS`, counted on `today` (by default the current date), by each figure's own
    definition (`assessments.insights.figures`)."""
    return defs.count(department_id, today or timezone.localdate())
