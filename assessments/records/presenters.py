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
from assessments.scoring import interchange, niosh, strain

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
    unassessed_sections: tuple[snapshot.SectionStatement, ...] = ()  # type: ignore[misc]


#: The strain components as a reader who does not score would name them.
COMPONENT_NAMES = {
    "lifting": "Lifting",
    "workstation": "Workstation",
    "sedentary": "Time spent sitting",
    "activity": "Physical activity",
    "individual": "Individual factors",
    "psychosocial": "Psychosocial factors",
}


@dataclass(frozen=True, slots=True)
class PlainFinding:
    """One strain component in plain words: its name, what its level means ("high risk",
    or "not assessed") and the findings behind it, without the scoring arithmetic."""

    name: str
    risk: str
    findings: tuple[str, ...]


def _without_not_assessed(reason: str) -> str:
    why = reason.removeprefix("Not assessed: ")
    return why[:1].upper() + why[1:]


def plain_findings(components: tuple[snapshot.StrainComponent, ...]) -> list[PlainFinding]:
    """The components for a manager's report (`strain.plain_reasons`, `strain.LEVEL_WORDS`):
    "Time spent sitting: high risk. Sitting 6.4 h per workday (6 to < 8 h)."."""
    return [
        PlainFinding(
            name=COMPONENT_NAMES.get(c.component, c.component.replace("_", " ").capitalize()),
            risk=strain.LEVEL_WORDS[c.level] if c.assessed else "not assessed",
            findings=tuple(
                _without_not_assessed(reason) if not c.assessed else reason
                for reason in strain.plain_reasons(c.reasons)
            ),
        )
        for c in components
    ]


def results_view(results: snapshot.Results, *, audience: Audience) -> ResultsView:
    """The results arranged for display to `audience` (managers: the health allowlist)."""
    shown = results.for_audience(audience)
    return ResultsView(
        **{f.name: getattr(shown, f.name) for f in fields(snapshot.Results)},
        unassessed_sections=shown.unassessed_sections,
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
                "version": interchange.INPUT_VERSION,
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
