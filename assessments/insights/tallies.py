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
  behind its version: each figure counts the department's rows itself
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
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from assessments.insights import figures as defs
from assessments.insights.models import TallyRow
from assessments.people.models import Department, DepartmentTally

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
