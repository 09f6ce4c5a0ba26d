"""HR roster sync: who works where, as HR's system says (docs/roster.md).

Three steps, each usable on its own so that a CSV upload and an API call share them:

- `parse_csv(data)` reads an uploaded file into `RosterRow`s and row-level `RowError`s
  (encoding, columns, size, duplicates, formulas, dates); `parse_rows(records)` does the
  same for rows that arrive already split into fields (an API body).
- `roster_plan(rows=...)` compares the rows with the stored employees and says what would
  change: joiners, changed, moved department, leavers, unchanged, and rows with errors,
  each with a reason. It writes nothing.
- `roster_apply(rows=..., user=...)` plans again against the data as it is now, inside
  one transaction, and applies the plan only if it has no errors (and, when the caller
  passes the fingerprint of the plan the admin confirmed, only if nothing changed since):
  all rows or none.

Blank optional cells (email, start date, leaving date) never clear a stored value, and
employees missing from the file are left as they are. A leaving date goes through the
same bounds as the employee form (`services.left_on_refusal`, as an admin may set it):
it starts the retention period (`retention.py`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.core.formulas import starts_formula
from assessments.core.text import unstorable
from assessments.people.changes import departments_changed
from assessments.people.models import AuditEvent, Department, Employee, Site
from assessments.people.services import audit, left_on_refusal

#: The columns of a roster file, in the order of the example in docs/roster.md.
COLUMNS = (
    "hr_reference",
    "name",
    "email",
    "job_title",
    "department",
    "site",
    "start_date",
    "leaving_date",
)
REQUIRED = ("hr_reference", "name", "job_title", "department", "site")
#: The longest text each column may hold (the model's field lengths).
MAX_LENGTHS = {
    "hr_reference": Employee._meta.get_field("hr_reference").max_length,
    "name": Employee._meta.get_field("name").max_length,
    "email": Employee._meta.get_field("email").max_length,
    "job_title": Employee._meta.get_field("job_title").max_length,
    "department": Department._meta.get_field("name").max_length,
    "site": Site._meta.get_field("name").max_length,
}
MAX_ROWS = 10_000
MAX_BYTES = 2 * 1024 * 1024
_CHUNK = 2000

NOT_UTF8_MESSAGE = _("The file is not UTF-8 text (save it from the spreadsheet as “CSV UTF-8”).")
EMPTY_MESSAGE = _("The file is empty: the first line must name the columns.")
NO_ROWS_MESSAGE = _("The file names the columns but has no rows.")
MISSING_COLUMNS_MESSAGE = _("Columns missing from the first line: {columns}.")
REPEATED_COLUMN_MESSAGE = _("The column “{column}” appears twice in the first line.")
TOO_MANY_ROWS_MESSAGE = _("The file has more than {limit} rows, the most one sync accepts.")
TOO_LARGE_MESSAGE = _("The file is {size} KB; the largest accepted is {limit} KB.")
NOT_CSV_MESSAGE = _("The file cannot be read as CSV: {problem}.")
WRONG_CELLS_MESSAGE = _("This row has {count} cells; the first line names {expected} columns.")
REQUIRED_MESSAGE = _("“{column}” is empty: it is required.")
TOO_LONG_MESSAGE = _("“{column}” is {length} characters long; the most is {limit}.")
FORMULA_MESSAGE = _(
    "“{column}” starts with “{start}”, which a spreadsheet runs as a formula: "
    "remove it, the file is never imported with one."
)
UNSTORABLE_CELL_MESSAGE = _("“{column}” contains a character that cannot be stored ({character}).")
BAD_DATE_MESSAGE = _("“{column}” is “{value}”: write dates as YYYY-MM-DD, e.g. 2026-03-31.")
BAD_EMAIL_MESSAGE = _("“email” is “{value}”, which is not an email address.")
DUPLICATE_MESSAGE = _(
    "The HR reference {reference} is on lines {lines}: each person once, so none of them "
    "is applied."
)
LEAVES_BEFORE_START_MESSAGE = _("The leaving date is before the start date.")
UNKNOWN_SITE_MESSAGE = _(
    "Unknown site “{site}”: add it first, or tick “create missing departments”."
)
UNKNOWN_DEPARTMENT_MESSAGE = _(
    "Unknown department “{department}” at site “{site}”: add it first, or tick "
    "“create missing departments”."
)
ERASED_MESSAGE = _("This employee's records were erased: the roster cannot change them.")

_LABELS = {
    "name": _("name"),
    "email": _("email"),
    "job_title": _("job title"),
    "department": _("department"),
    "started_on": _("start date"),
    "left_on": _("leaving date"),
}


# --- Rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    """One person as HR sends them. `line` is the line in the file (the header is line 1)."""

    line: int
    hr_reference: str
    name: str
    email: str
    job_title: str
    department: str
    site: str
    started_on: dt.date | None
    left_on: dt.date | None


@dataclass(frozen=True)
class RowError:
    """Why a row (line 0: the whole file) cannot be applied."""

    line: int
    hr_reference: str
    reason: str


@dataclass(frozen=True)
class ParsedRoster:
    rows: tuple[RosterRow, ...]
    errors: tuple[RowError, ...]


def _date(column: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(str(BAD_DATE_MESSAGE).format(column=column, value=value[:40])) from None


def row_from_values(line: int, values: Mapping[str, Any]) -> RosterRow | list[str]:
    """One row from its cells by column name, or every reason it cannot be read."""
    problems: list[str] = []
    cells: dict[str, str] = {}
    for column in COLUMNS:
        raw = values.get(column)
        raw = "" if raw is None else str(raw)
        character = unstorable(raw)
        if character:
            problems.append(str(UNSTORABLE_CELL_MESSAGE).format(column=column, character=character))
            continue
        if starts_formula(raw):
            start = raw[:1].replace("\t", "tab").replace("\r", "carriage return")
            problems.append(str(FORMULA_MESSAGE).format(column=column, start=start))
            continue
        text = raw.strip()
        limit = MAX_LENGTHS.get(column)
        if limit is not None and len(text) > limit:
            problems.append(
                str(TOO_LONG_MESSAGE).format(column=column, length=len(text), limit=limit)
            )
            continue
        if column in REQUIRED and not text:
            problems.append(str(REQUIRED_MESSAGE).format(column=column))
            continue
        cells[column] = text
    dates: dict[str, dt.date | None] = {}
    for column in ("start_date", "leaving_date"):
        if column in cells:
            try:
                dates[column] = _date(column, cells[column])
            except ValueError as error:
                problems.append(str(error))
    if cells.get("email"):
        try:
            validate_email(cells["email"])
        except ValidationError:
            problems.append(str(BAD_EMAIL_MESSAGE).format(value=cells["email"][:80]))
    started_on, left_on = dates.get("start_date"), dates.get("leaving_date")
    if started_on and left_on and left_on < started_on:
        problems.append(str(LEAVES_BEFORE_START_MESSAGE))
    if problems:
        return problems
    return RosterRow(
        line=line,
        hr_reference=cells["hr_reference"],
        name=cells["name"],
        email=cells.get("email", ""),
        job_title=cells["job_title"],
        department=cells["department"],
        site=cells["site"],
        started_on=started_on,
        left_on=left_on,
    )


def parse_rows(
    records: Iterable[tuple[int, Mapping[str, Any]]], *, max_rows: int | None = None
) -> ParsedRoster:
    """Rows from (line, {column: cell}) pairs: each row's own checks, then duplicates (an
    HR reference on two rows is an error on both: neither is applied)."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    for count, (line, values) in enumerate(records, start=1):
        if count > max_rows:
            return _file_error(str(TOO_MANY_ROWS_MESSAGE).format(limit=max_rows))
        row = row_from_values(line, values)
        if isinstance(row, list):
            reference = str(values.get("hr_reference") or "").strip()[:40]
            errors.extend(RowError(line, reference, reason) for reason in row)
        else:
            rows.append(row)
    lines: dict[str, list[int]] = {}
    for row in rows:
        lines.setdefault(row.hr_reference.casefold(), []).append(row.line)
    kept = []
    for row in rows:
        found = lines[row.hr_reference.casefold()]
        if len(found) > 1:
            listed = ", ".join(str(line) for line in found)
            errors.append(
                RowError(
                    row.line,
                    row.hr_reference,
                    str(DUPLICATE_MESSAGE).format(reference=row.hr_reference, lines=listed),
                )
            )
        else:
            kept.append(row)
    errors.sort(key=lambda error: error.line)
    return ParsedRoster(rows=tuple(kept), errors=tuple(errors))


def _file_error(message: str) -> ParsedRoster:
    return ParsedRoster(rows=(), errors=(RowError(0, "", message),))


def parse_csv(
    data: bytes, *, max_rows: int | None = None, max_bytes: int | None = None
) -> ParsedRoster:
    """A roster file (UTF-8, with or without a byte-order mark; comma-separated; the first
    line names the columns, in any order; other columns are ignored)."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > max_bytes:
        return _file_error(
            str(TOO_LARGE_MESSAGE).format(size=len(data) // 1024, limit=max_bytes // 1024)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _file_error(str(NOT_UTF8_MESSAGE))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, Mapping[str, Any]]] = []
    shape_errors: list[RowError] = []
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            return _file_error(str(EMPTY_MESSAGE))
        names = [cell.strip().lower().replace(" ", "_") for cell in header]
        for name in COLUMNS:
            if names.count(name) > 1:
                return _file_error(str(REPEATED_COLUMN_MESSAGE).format(column=name))
        missing = [column for column in COLUMNS if column not in names]
        if missing:
            return _file_error(str(MISSING_COLUMNS_MESSAGE).format(columns=", ".join(missing)))
        counted = 0
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, e.g. at the end
            counted += 1
            if counted > max_rows:
                return _file_error(str(TOO_MANY_ROWS_MESSAGE).format(limit=max_rows))
            if len(cells) != len(names):
                values = dict(zip(names, cells, strict=False))
                shape_errors.append(
                    RowError(
                        reader.line_num,
                        str(values.get("hr_reference", "")).strip()[:40],
                        str(WRONG_CELLS_MESSAGE).format(count=len(cells), expected=len(names)),
                    )
                )
                continue
            records.append((reader.line_num, dict(zip(names, cells, strict=True))))
    except csv.Error as error:
        return _file_error(str(NOT_CSV_MESSAGE).format(problem=error))
    if not records and not shape_errors:
        return _file_error(str(NO_ROWS_MESSAGE))
    parsed = parse_rows(records, max_rows=max_rows)
    errors = sorted([*parsed.errors, *shape_errors], key=lambda error: error.line)
    return ParsedRoster(rows=parsed.rows, errors=tuple(errors))


# --- The plan -------------------------------------------------------------------------------

NEW = "new"
CHANGED = "changed"
MOVED = "moved"
LEAVER = "leaver"
UNCHANGED = "unchanged"
KINDS = (NEW, CHANGED, MOVED, LEAVER, UNCHANGED)


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class PlanItem:
    row: RosterRow
    kind: str
    employee_id: int | None
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class RosterPlan:
    """What applying the rows would do. Nothing is applied while `errors` is not empty."""

    items: tuple[PlanItem, ...]
    errors: tuple[RowError, ...]
    #: (site, department) pairs to create, and the sites among them that are new too.
    new_departments: tuple[tuple[str, str], ...] = ()
    new_sites: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def of_kind(self, kind: str) -> list[PlanItem]:
        return [item for item in self.items if item.kind == kind]

    @property
    def fingerprint(self) -> str:
        """Changes when anything the plan would do changes (to confirm what was previewed)."""
        digest = hashlib.sha256()
        for item in self.items:
            digest.update(repr((item.row, item.kind, item.employee_id, item.changes)).encode())
        digest.update(repr((self.errors, self.new_departments, self.new_sites)).encode())
        return digest.hexdigest()

    def describe(self) -> str:
        counts = self.counts
        return (
            f"{counts.get(NEW, 0)} joined, {counts.get(CHANGED, 0)} changed, "
            f"{counts.get(MOVED, 0)} moved department, {counts.get(LEAVER, 0)} left, "
            f"{counts.get(UNCHANGED, 0)} unchanged, "
            f"{len(self.new_departments)} department(s) created"
        )


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _stored_employees(references: list[str], *, lock: bool) -> dict[str, Employee]:
    found: dict[str, Employee] = {}
    for start in range(0, len(references), _CHUNK):
        chunk = references[start : start + _CHUNK]
        query = Employee.objects.filter(hr_reference__in=chunk).select_related("department__site")
        if lock:
            query = query.select_for_update(of=("self",))
        for employee in query:
            found[employee.hr_reference] = employee
    return found


def roster_plan(
    *,
    rows: Sequence[RosterRow],
    errors: Sequence[RowError] = (),
    create_missing_departments: bool = False,
    today: dt.date | None = None,
    lock: bool = False,
) -> RosterPlan:
    """What the rows would change, row by row; `errors` from parsing are carried along."""
    today = today or timezone.localdate()
    sites = {_key(site.name): site for site in Site.objects.all()}
    departments = {
        (_key(d.site.name), _key(d.name)): d for d in Department.objects.select_related("site")
    }
    stored = _stored_employees([row.hr_reference for row in rows], lock=lock)
    new_departments: dict[tuple[str, str], tuple[str, str]] = {}
    new_sites: dict[str, str] = {}
    items: list[PlanItem] = []
    problems = list(errors)
    for row in rows:
        employee = stored.get(row.hr_reference)
        place = (_key(row.site), _key(row.department))
        department = departments.get(place)
        if department is None:
            if not create_missing_departments:
                message = UNKNOWN_DEPARTMENT_MESSAGE if place[0] in sites else UNKNOWN_SITE_MESSAGE
                problems.append(
                    RowError(
                        row.line,
                        row.hr_reference,
                        str(message).format(site=row.site, department=row.department),
                    )
                )
                continue
            new_departments.setdefault(place, (row.site, row.department))
            if place[0] not in sites:
                new_sites.setdefault(place[0], row.site)
        if employee is not None and employee.is_erased:
            problems.append(RowError(row.line, row.hr_reference, str(ERASED_MESSAGE)))
            continue
        leaving = row.left_on if employee is None or row.left_on != employee.left_on else None
        refusal = left_on_refusal(
            stored=employee, left_on=leaving, may_start_retention=True, today=today
        )
        if refusal:
            problems.append(RowError(row.line, row.hr_reference, refusal))
            continue
        if employee is None:
            items.append(PlanItem(row=row, kind=NEW, employee_id=None))
            continue
        started_on = row.started_on or employee.started_on
        left_on = row.left_on or employee.left_on
        if started_on and left_on and left_on < started_on:
            problems.append(RowError(row.line, row.hr_reference, str(LEAVES_BEFORE_START_MESSAGE)))
            continue
        place_name = (
            f"{department.name} ({department.site.name})"
            if department is not None
            else f"{row.department} ({row.site})"
        )
        # (field, stored value, value after the sync), shown as text.
        compared = [
            ("name", employee.name, row.name),
            ("email", employee.email, row.email or employee.email),
            ("job_title", employee.job_title, row.job_title),
            (
                "department",
                f"{employee.department.name} ({employee.department.site.name})",
                place_name,
            ),
            ("started_on", _shown(employee.started_on), _shown(started_on)),
            ("left_on", _shown(employee.left_on), _shown(left_on)),
        ]
        changes = [
            Change(str(_LABELS[name]), old, new) for name, old, new in compared if old != new
        ]
        if employee.left_on is None and row.left_on is not None:
            kind = LEAVER
        elif department is None or department.pk != employee.department_id:
            kind = MOVED
        elif changes:
            kind = CHANGED
        else:
            kind = UNCHANGED
        items.append(PlanItem(row=row, kind=kind, employee_id=employee.pk, changes=tuple(changes)))
    problems.sort(key=lambda error: error.line)
    counts = {kind: 0 for kind in KINDS}
    for item in items:
        counts[item.kind] += 1
    return RosterPlan(
        items=tuple(items),
        errors=tuple(problems),
        new_departments=tuple(sorted(new_departments.values())),
        new_sites=tuple(sorted(new_sites.values())),
        counts=counts,
    )


# --- Applying -------------------------------------------------------------------------------

CHANGED_SINCE_MESSAGE = _(
    "The employees changed since this preview was made: nothing was applied. Check the "
    "new preview below and confirm again."
)
HAS_ERRORS_MESSAGE = _("Nothing was applied: {count} row(s) have errors, listed below.")


class RosterRefused(Exception):
    """Nothing was applied: the plan (made again at apply time) says why."""

    def __init__(self, plan: RosterPlan, message: str) -> None:
        super().__init__(message)
        self.plan = plan
        self.message = message


@transaction.atomic
def roster_apply(
    *,
    rows: Sequence[RosterRow],
    user: Any,
    errors: Sequence[RowError] = (),
    create_missing_departments: bool = False,
    confirmed: str | None = None,
    today: dt.date | None = None,
) -> RosterPlan:
    """Apply the rows, all or none: plan again against the data as it is now (rows
    locked), refuse if any row has an error or if `confirmed` (the fingerprint of the
    plan the admin saw) no longer matches, else create the missing sites and departments
    (when asked), the joiners, and save every changed employee, in one transaction with
    one audit event. Raises `RosterRefused` with the new plan."""
    today = today or timezone.localdate()
    plan = roster_plan(
        rows=rows,
        errors=errors,
        create_missing_departments=create_missing_departments,
        today=today,
        lock=True,
    )
    if plan.errors:
        raise RosterRefused(plan, str(HAS_ERRORS_MESSAGE).format(count=len(plan.errors)))
    if confirmed is not None and confirmed != plan.fingerprint:
        raise RosterRefused(plan, str(CHANGED_SINCE_MESSAGE))
    try:
        with transaction.atomic():
            _apply(plan, user=user)
    except IntegrityError:
        # Another request added one of these HR references (or departments) meanwhile.
        again = roster_plan(
            rows=rows, create_missing_departments=create_missing_departments, today=today
        )
        raise RosterRefused(again, str(CHANGED_SINCE_MESSAGE)) from None
    return plan


def _apply(plan: RosterPlan, *, user: Any) -> None:
    sites = {_key(site.name): site for site in Site.objects.all()}
    for name in plan.new_sites:
        sites[_key(name)] = Site.objects.create(name=name)
    departments = {
        (_key(d.site.name), _key(d.name)): d for d in Department.objects.select_related("site")
    }
    for site_name, name in plan.new_departments:
        site = sites[_key(site_name)]
        departments[(_key(site_name), _key(name))] = Department.objects.create(site=site, name=name)

    def department_of(row: RosterRow) -> Department:
        return departments[(_key(row.site), _key(row.department))]

    joiners = [
        Employee(
            hr_reference=item.row.hr_reference,
            name=item.row.name,
            email=item.row.email,
            job_title=item.row.job_title,
            department=department_of(item.row),
            started_on=item.row.started_on,
            left_on=item.row.left_on,
            active=item.row.left_on is None,
        )
        for item in plan.items
        if item.kind == NEW
    ]
    if joiners:
        bulk_create_with_history(joiners, Employee, batch_size=500, default_user=user)
    updating = [item for item in plan.items if item.kind not in (NEW, UNCHANGED)]
    ids = [item.employee_id for item in updating]
    stored: dict[int | None, Employee] = {}
    for start in range(0, len(ids), _CHUNK):
        stored.update(Employee.objects.in_bulk(ids[start : start + _CHUNK]))
    touched: set[int] = set()
    changed: list[Employee] = []
    for item in updating:
        employee = stored[item.employee_id]
        row = item.row
        touched.add(employee.department_id)
        employee.name = row.name
        employee.email = row.email or employee.email
        employee.job_title = row.job_title
        employee.department = department_of(row)
        employee.started_on = row.started_on or employee.started_on
        if row.left_on is not None and row.left_on != employee.left_on:
            employee.left_on = row.left_on  # never in the future (left_on_refusal)
            employee.active = False
        touched.add(employee.department_id)
        changed.append(employee)
    if changed:
        bulk_update_with_history(
            changed,
            Employee,
            ["name", "email", "job_title", "department", "started_on", "left_on", "active"],
            batch_size=500,
            default_user=user,
        )
    departments_changed(touched)
    audit(kind=AuditEvent.Kind.ROSTER_SYNC, user=user, detail=f"roster sync: {plan.describe()}")
