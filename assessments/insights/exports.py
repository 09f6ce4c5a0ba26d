"""Exports of assessments, lifting tasks and actions as CSV or Excel, and one assessment as JSON.

Rows come from the same filtered querysets as the list pages. Health detail (BMI, pain
history, activity, psychosocial answers, referrals) is written only for people who may see
it (`permissions.can_see_health_detail`); for everyone else each results snapshot is first
passed through `redaction.manager_results`, exactly as the manager's pages and reports are.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula. Every text cell that starts with one of those is written
with a leading apostrophe, so it is shown as the text that was typed, never run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from assessments.actions.models import Action, overdue_q
from assessments.core import health as redaction
from assessments.insights import figures
from assessments.records.models import Assessment

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000

WORKPLACE_COMPONENTS = ("lifting", "workstation", "sedentary")
HEALTH_COMPONENTS = ("activity", "individual", "psychosocial")

ASSESSMENT_COLUMNS = [
    "assessment_id",
    "hr_reference",
    "employee",
    "job_title",
    "department",
    "site",
    "assessed_on",
    "status",
    "revision",
    "current",
    "assessor",
    "scoring_version",
    "strain_score",
    "band",
    *[f"{c}_{part}" for c in WORKPLACE_COMPONENTS for part in ("level", "points")],
    "rosa_final",
    "rosa_chair",
    "rosa_monitor_phone",
    "rosa_mouse_keyboard",
    "lifting_index",
    "limiting_factor",
    "sitting_hours_per_day",
    "clinical_review_advised",
    "reassess_due",
    "completed_at",
]
#: Written only for OH staff and admins.
ASSESSMENT_HEALTH_COLUMNS = [
    *[f"{c}_{part}" for c in HEALTH_COMPONENTS for part in ("level", "points")],
    "age_years",
    "bmi",
    "bmi_class",
    "current_pain",
    "pain_duration_weeks",
    "pain_intensity",
    "episodes_last_12_months",
    "yellow_flags",
    "red_flags",
    "referrals",
    "moderate_equivalent_minutes_per_week",
]
TASK_COLUMNS = [
    "assessment_id",
    "hr_reference",
    "employee",
    "department",
    "site",
    "assessed_on",
    "status",
    "task_number",
    "task",
    "units",
    "load",
    "max_load",
    "h_origin",
    "v_origin",
    "h_dest",
    "v_dest",
    "asymmetry_origin",
    "asymmetry_dest",
    "frequency",
    "duration",
    "coupling",
    "significant_control",
    "conditions",
    "applicable",
    "rwl",
    "lifting_index",
    "limiting_multiplier",
    "fili",
    "stli",
]
ACTION_COLUMNS = [
    "action_id",
    "assessment_id",
    "hr_reference",
    "employee",
    "department",
    "site",
    "code",
    "title",
    "category",
    "priority",
    "cost_band",
    "owner",
    "due_on",
    "status",
    "overdue",
    "completed_on",
    "closed_in_days",
    "evidence_note",
    "why",
    "raised_on",
]


@dataclass(frozen=True)
class Table:
    """An export: a file name stem, its header and its rows (generated lazily)."""

    name: str
    columns: list[str]
    rows: Iterable[Sequence[Any]]


def safe_text(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return safe_text(value)


def _person(user: Any) -> str:
    return "" if user is None else str(user.get_full_name() or user.username)


def _components(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["component"]: c for c in (results.get("strain") or {}).get("components", [])}


# --- Assessments -------------------------------------------------------------------------


def assessment_table(qs: QuerySet[Assessment], *, health: bool) -> Table:
    columns = ASSESSMENT_COLUMNS + (ASSESSMENT_HEALTH_COLUMNS if health else [])
    rows = (
        _assessment_row(a, health=health)
        for a in qs.select_related("employee__department__site", "assessor")
        .annotate(is_current=figures.flag(figures.current_q()))
        .order_by("-assessed_on", "-pk")
        .iterator(chunk_size=CHUNK)
    )
    return Table("assessments", columns, rows)


def _assessment_row(a: Assessment, *, health: bool) -> list[Any]:
    results = a.results or {}
    shown = results if health else redaction.manager_results(results) if results else {}
    components = _components(shown)
    department = a.employee.department
    sitting = shown.get("sitting") or {}
    row: list[Any] = [
        a.pk,
        a.employee.hr_reference,
        a.employee.name,
        a.employee.job_title,
        department.name,
        department.site.name,
        a.assessed_on,
        a.get_status_display(),
        a.revision,
        a.is_current,
        _person(a.assessor),
        a.scoring_version,
        a.strain_score,
        a.get_band_display() if a.band else "",
    ]
    for name in WORKPLACE_COMPONENTS:
        component = components.get(name) or {}
        row += [component.get("level"), component.get("points")]
    row += [
        a.rosa_final,
        a.rosa_chair,
        a.rosa_monitor_phone,
        a.rosa_mouse_keyboard,
        a.lifting_index,
        a.limiting_factor,
        sitting.get("sitting_hours"),
        bool(results.get("referrals")) if results else None,
        a.reassess_due,
        a.completed_at,
    ]
    if health:
        worker = results.get("worker") or {}
        for name in HEALTH_COMPONENTS:
            component = components.get(name) or {}
            row += [component.get("level"), component.get("points")]
        row += [
            worker.get("age_years"),
            worker.get("bmi"),
            worker.get("bmi_class"),
            worker.get("current_pain"),
            worker.get("pain_duration_weeks"),
            worker.get("pain_intensity"),
            worker.get("episodes_last_12_months"),
            worker.get("yellow_flags"),
            worker.get("red_flags"),
            [r.get("reason") or r.get("code") for r in results.get("referrals") or []],
            (results.get("sitting") or {}).get("moderate_equivalent_minutes"),
        ]
    return row


# --- Lifting tasks -----------------------------------------------------------------------


def lifting_task_table(qs: QuerySet[Assessment]) -> Table:
    """One row per lifting task of the listed assessments (snapshot values once completed)."""
    rows = (
        row
        for a in qs.select_related("employee__department__site")
        .prefetch_related("lifting_tasks")
        .order_by("-assessed_on", "-pk")
        .iterator(chunk_size=CHUNK)
        for row in _task_rows(a)
    )
    return Table("lifting-tasks", TASK_COLUMNS, rows)


def _task_rows(a: Assessment) -> Iterator[list[Any]]:
    department = a.employee.department
    head = [
        a.pk,
        a.employee.hr_reference,
        a.employee.name,
        department.name,
        department.site.name,
        a.assessed_on,
        a.get_status_display(),
    ]
    if a.is_completed and a.inputs is not None:
        inputs = a.inputs.get("lifting_tasks") or []
        evaluated = ((a.results or {}).get("lifting") or {}).get("tasks") or []
    else:
        inputs = [task.to_input() for task in a.lifting_tasks.all()]
        evaluated = []
    for number, task in enumerate(inputs, start=1):
        result = evaluated[number - 1] if number - 1 < len(evaluated) else {}
        governing = result.get("governing") or {}
        li = governing.get("lifting_index")
        if governing.get("lifting_index_is_infinite"):
            li = "infinite"
        yield [
            *head,
            number,
            task.get("label"),
            task.get("units"),
            task.get("load"),
            task.get("max_load"),
            task.get("h_origin"),
            task.get("v_origin"),
            task.get("h_dest"),
            task.get("v_dest"),
            task.get("asymmetry_origin"),
            task.get("asymmetry_dest"),
            task.get("frequency"),
            task.get("duration"),
            task.get("coupling"),
            task.get("significant_control"),
            task.get("conditions") or [],
            result.get("applicable") if result else None,
            governing.get("rwl"),
            li,
            governing.get("limiting"),
            result.get("fili"),
            result.get("stli"),
        ]


# --- Actions -----------------------------------------------------------------------------


def action_table(qs: QuerySet[Action], *, health: bool, today: dt.date) -> Table:
    rows = (
        _action_row(action, health=health)
        for action in qs.select_related("assessment__employee__department__site", "owner")
        .annotate(overdue=figures.flag(overdue_q(today)))
        .defer("assessment__inputs", "assessment__results")
        .order_by("priority", "due_on", "pk")
        .iterator(chunk_size=CHUNK)
    )
    return Table("actions", ACTION_COLUMNS, rows)


def _action_row(action: Action, *, health: bool) -> list[Any]:
    employee = action.assessment.employee
    return [
        action.pk,
        action.assessment_id,
        employee.hr_reference,
        employee.name,
        employee.department.name,
        employee.department.site.name,
        action.code,
        action.title,
        action.get_category_display(),
        action.get_priority_display(),
        action.get_cost_band_display(),
        _person(action.owner),
        action.due_on,
        action.get_status_display(),
        action.overdue,
        action.completed_on,
        action.closed_in_days,
        action.evidence_note,
        action.rationale if health else redaction.manager_reason(action.code, action.rationale),
        action.created_at.date() if action.created_at else None,
    ]


# --- Writers -----------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(table: Table) -> Iterator[str]:
    """The table as CSV text, a line at a time (UTF-8 with a byte-order mark for Excel)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(table.columns)
    for row in table.rows:
        yield writer.writerow([_csv_value(_cell(value)) for value in row])


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def xlsx_bytes(table: Table) -> bytes:
    """The table as an Excel workbook, one sheet, dates as dates, header in bold."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31])
    header = []
    for name in table.columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
