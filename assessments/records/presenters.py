"""Shapes results for templates: grouping, labels, charts, what each audience may see.

Nothing here scores, and nothing reads the stored JSON: results come from the snapshot
reader (`assessments.records.snapshot`) and are arranged here for people to read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from assessments.core import charts
from assessments.core.health import Audience
from assessments.records import snapshot
from assessments.records.models import Assessment
from assessments.scoring import interchange, niosh

FACTOR_LABELS = {
    "hm": "HM (reach)",
    "vm": "VM (height)",
    "dm": "DM (travel)",
    "am": "AM (twist)",
    "fm": "FM (frequency)",
    "cm": "CM (grip)",
}


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One lifting task with the governing end's multipliers, ready for a table."""

    label: str
    units: str
    task: snapshot.TaskInput
    ends: tuple[snapshot.LiftEnd, ...]
    travel_distance: float
    governing: snapshot.LiftEnd
    li: float | None
    li_infinite: bool
    warnings: tuple[str, ...]
    applicable: bool
    not_applicable_reasons: tuple[str, ...]
    limiting: str
    fili: float | None
    stli: float | None


@dataclass(frozen=True, slots=True)
class ResultsView(snapshot.Results):
    """Results as one audience may see them, with their charts and lifting table."""

    strain_chart: str = ""
    sitting_chart: str = ""
    lifting_rows: tuple[TaskRow, ...] = ()


def results_view(results: snapshot.Results, *, audience: Audience) -> ResultsView:
    """The results arranged for display to `audience` (managers: the health allowlist)."""
    shown = results.for_audience(audience)
    return ResultsView(
        **{f.name: getattr(shown, f.name) for f in fields(shown)},
        strain_chart=charts.strain_components(shown.strain.components),
        sitting_chart=charts.sitting_against_goals(shown.sitting) if shown.sitting else "",
        lifting_rows=tuple(_task_row(t) for t in shown.lifting.tasks) if shown.lifting else (),
    )


def _task_row(task: snapshot.TaskResult) -> TaskRow:
    governing = task.governing
    return TaskRow(
        label=task.task.label,
        units=task.task.units,
        task=task.task,
        ends=task.ends,
        travel_distance=task.travel_distance,
        governing=governing,
        li=governing.lifting_index,
        li_infinite=governing.lifting_index_is_infinite,
        warnings=task.warnings,
        applicable=task.applicable,
        not_applicable_reasons=task.not_applicable_reasons,
        limiting=FACTOR_LABELS.get(governing.limiting, governing.limiting),
        fili=task.fili,
        stli=task.stli,
    )


def task_field_warnings(task: Any) -> dict[str, list[str]]:
    """The NIOSH boundary rules a saved task triggers, placed next to the field concerned."""
    try:
        parsed = interchange.parse_input(
            {
                "format": interchange.INPUT_FORMAT,
                "version": 1,
                "workstation": None,
                "sitting": None,
                "worker": None,
                "lifting_tasks": [task.to_input()],
            }
        )
    except interchange.InputErrors:
        return {}
    result = niosh.evaluate_task(parsed.lifting_tasks[0])
    placed: dict[str, list[str]] = {}
    for field, message in niosh.field_warnings(result):
        placed.setdefault(field, []).append(message)
    return placed


def before_after(assessment: Assessment) -> dict[str, Any] | None:
    """The previous completed assessment beside this one, with actions closed in between
    (OH's view: both snapshots whole)."""
    previous = assessment.previous
    if previous is None or not previous.is_completed or previous.results is None:
        return None
    now, before = snapshot.load(assessment).results, snapshot.load(previous).results
    before_levels = {c.component: c.level for c in before.strain.components}
    rows = [
        {
            "name": c.component.replace("_", " ").capitalize(),
            "before": before_levels[c.component],
            "after": c.level,
            "change": c.level - before_levels[c.component],
        }
        for c in now.strain.components
        if c.component in before_levels
    ]

    def rosa_final(results: snapshot.Results) -> int | None:
        return results.workstation.result.final if results.workstation else None

    def task_lis(results: snapshot.Results) -> dict[str, float | None]:
        tasks = results.lifting.tasks if results.lifting else ()
        return {t.task.label: t.governing.lifting_index for t in tasks}

    before_tasks, now_tasks = task_lis(before), task_lis(now)
    closed = previous.actions.filter(
        status="done", completed_on__lte=assessment.assessed_on
    ).order_by("completed_on")
    return {
        "previous": previous,
        "score_before": before.strain.score,
        "score_after": now.strain.score,
        "band_before": before.strain.band,
        "band_after": now.strain.band,
        "components": rows,
        "rosa_before": rosa_final(before),
        "rosa_after": rosa_final(now),
        "tasks": [
            {"label": label, "before": before_tasks.get(label), "after": now_tasks.get(label)}
            for label in dict.fromkeys([*before_tasks, *now_tasks])
        ],
        "closed_actions": list(closed),
    }
