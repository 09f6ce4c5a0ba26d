"""Exports of assessments, lifting tasks and actions as CSV or Excel, and one assessment as JSON.

Rows come from the same filtered querysets as the list pages, and each completed
assessment's values from its snapshot (`assessments.records.snapshot`). Health detail (BMI,
pain history, activity, psychosocial answers, referrals) is written only for people who may
see it (`permissions.can_see_health_detail`); for everyone else each snapshot is first
narrowed to what a manager may see (`assessments.core.health`), exactly as the manager's
pages and reports are.

Spreadsheet programs run a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula. In CSV every text cell that starts with one of those is
written with a leading apostrophe, so it is shown as the text that was typed, never run.
An Excel file says what type each cell is: text is written as a text cell exactly as typed
(no apostrophe), which Excel shows and never runs.
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
from assessments.core.formulas import starts_formula
from assessments.core.health import (
    MANAGER_STRAIN_COMPONENTS,
    Audience,
    code_shown,
    reason_shown,
)
from assessments.core.names import person_name
from assessments.insights import figures
from assessments.records import sections, snapshot
from assessments.records.models import Assessment, LiftingTask

CHUNK = 2000

WORKPLACE_COMPONENTS = MANAGER_STRAIN_COMPONENTS
#: Written only for OH staff and admins, after the workplace components.
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
    # The task's own fields, as the section registry lays them out; its label is "task".
    *("task" if name == "label" else name for name in sections.task_columns()),
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
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell holds it: yes/no, lists joined, local naive times."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


# --- Assessments -------------------------------------------------------------------------


def assessment_table(qs: QuerySet[Assessment], *, audience: Audience) -> Table:
    """Assessments with their scores; the health columns for OH only."""
    health = audience is Audience.OH
    columns = ASSESSMENT_COLUMNS + (ASSESSMENT_HEALTH_COLUMNS if health else [])
    rows = (
        _assessment_row(a, audience=audience)
        for a in qs.select_related("employee__department__site", "assessor")
        .annotate(is_current=figures.flag(figures.current_q()))
        .order_by("-assessed_on", "-pk")
        .iterator(chunk_size=CHUNK)
    )
    return Table("assessments", columns, rows)


def _assessment_row(a: Assessment, *, audience: Audience) -> list[Any]:
    shown = snapshot.load(a).results.for_audience(audience) if a.results is not None else None
    department = a.employee.department
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
        person_name(a.assessor),
        a.scoring_version,
        a.strain_score,
        a.get_band_display() if a.band else "",
    ]
    for name in WORKPLACE_COMPONENTS:
        row += _component_cells(shown, name)
    row += [
        a.rosa_final,
        a.rosa_chair,
        a.rosa_monitor_phone,
        a.rosa_mouse_keyboard,
        a.lifting_index,
        a.limiting_factor,
        shown.sitting.sitting_hours if shown and shown.sitting else None,
        shown.clinical_review_advised if shown else None,
        a.reassess_due,
        a.completed_at,
    ]
    if audience is Audience.OH:
        for name in HEALTH_COMPONENTS:
            row += _component_cells(shown, name)
        worker = shown.worker if shown else None
        row += [
            worker.age_years if worker else None,
            worker.bmi if worker else None,
            worker.bmi_class if worker else None,
            worker.current_pain if worker else None,
            worker.pain_duration_weeks if worker else None,
            worker.pain_intensity if worker else None,
            worker.episodes_last_12_months if worker else None,
            worker.yellow_flags if worker else None,
            worker.red_flags if worker else None,
            [r.reason or r.code for r in shown.referrals] if shown else [],
            shown.sitting.moderate_equivalent_minutes if shown and shown.sitting else None,
        ]
    return row


def _component_cells(results: snapshot.Results | None, name: str) -> list[Any]:
    component = results.component(name) if results else None
    return [component.level, component.points] if component else [None, None]


# --- Lifting tasks -----------------------------------------------------------------------


def lifting_task_table(qs: QuerySet[Assessment], *, audience: Audience) -> Table:
    """One row per lifting task of the listed assessments (snapshot values once completed)."""
    rows = (
        row
        for a in qs.select_related("employee__department__site")
        .prefetch_related("lifting_tasks")
        .order_by("-assessed_on", "-pk")
        .iterator(chunk_size=CHUNK)
        for row in _task_rows(a, audience=audience)
    )
    return Table("lifting-tasks", TASK_COLUMNS, rows)


def _task_rows(a: Assessment, *, audience: Audience) -> Iterator[list[Any]]:
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
    inputs: Sequence[snapshot.TaskInput | LiftingTask]
    evaluated: tuple[snapshot.TaskResult, ...] = ()
    if a.is_completed and a.inputs is not None:
        stored = snapshot.load(a).for_audience(audience)
        inputs = stored.inputs.lifting_tasks
        evaluated = stored.results.lifting.tasks if stored.results.lifting else ()
    else:
        inputs = list(a.lifting_tasks.all())
    for number, task in enumerate(inputs, start=1):
        values = [
            list(getattr(task, name) or []) if name == "conditions" else getattr(task, name)
            for name in sections.task_columns()
        ]
        result = evaluated[number - 1] if number - 1 < len(evaluated) else None
        governing = result.governing if result else None
        li: Any = governing.lifting_index if governing else None
        if governing and governing.lifting_index_is_infinite:
            li = "infinite"
        yield [
            *head,
            number,
            *values,
            result.applicable if result else None,
            governing.rwl if governing else None,
            li,
            governing.limiting if governing else None,
            result.fili if result else None,
            result.stli if result else None,
        ]


# --- Actions -----------------------------------------------------------------------------


def action_table(qs: QuerySet[Action], *, audience: Audience, today: dt.date) -> Table:
    """Actions with their follow-up; the reason as `audience` may read it. The queryset is
    already narrowed to the actions this person may see (`permissions.visible_actions`)."""
    rows = (
        _action_row(action, audience=audience)
        for action in qs.select_related("assessment__employee__department__site", "owner")
        .annotate(overdue=figures.flag(overdue_q(today)))
        .defer("assessment__inputs", "assessment__results")
        .order_by("priority", "due_on", "pk")
        .iterator(chunk_size=CHUNK)
    )
    return Table("actions", ACTION_COLUMNS, rows)


def _action_row(action: Action, *, audience: Audience) -> list[Any]:
    employee = action.assessment.employee
    return [
        action.pk,
        action.assessment_id,
        employee.hr_reference,
        employee.name,
        employee.department.name,
        employee.department.site.name,
        code_shown(action.code, category=action.category, audience=audience),
        action.title,
        action.get_category_display(),
        action.get_priority_display(),
        action.get_cost_band_display(),
        person_name(action.owner),
        action.due_on,
        action.get_status_display(),
        action.overdue,
        action.completed_on,
        action.closed_in_days,
        action.evidence_note,
        reason_shown(
            action.rationale, code=action.code, category=action.category, audience=audience
        ),
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
        yield writer.writerow([_csv_value(safe_text(_cell(value))) for value in row])


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
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
