"""Shapes stored results and inputs for templates: grouping, labels, redaction, charts.

Nothing here scores: it reads the snapshot dicts written by the scoring package (see
docs/interchange.md for their fields) and arranges them for people to read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assessments.core import charts
from assessments.core import health as redaction
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


def results_view(results: dict[str, Any], *, redact: bool = False) -> dict[str, Any]:
    """The results snapshot arranged for display (redacted for managers)."""
    view = redaction.manager_results(results) if redact else dict(results)
    strain = view.get("strain") or {}
    view["strain_chart"] = charts.strain_components(strain.get("components", [])) if strain else ""
    sitting = view.get("sitting")
    if sitting and not redact:
        view["sitting_chart"] = charts.sitting_against_goals(sitting)
    lifting = view.get("lifting")
    if lifting:
        view["lifting_rows"] = [_task_row(task) for task in lifting.get("tasks", [])]
    view["emergency"] = any(r.get("urgency") == "emergency" for r in view.get("referrals") or [])
    return view


def _task_row(task: dict[str, Any]) -> dict[str, Any]:
    """One lifting task with the governing end's multipliers, ready for a table."""
    governing = task["governing"]
    ends = [task["origin"]] + ([task["destination"]] if task.get("destination") else [])
    return {
        "label": task["task"]["label"],
        "units": task["task"]["units"],
        "task": task["task"],
        "ends": ends,
        "travel_distance": task.get("travel_distance"),
        "governing": governing,
        "li": governing.get("lifting_index"),
        "li_infinite": governing.get("lifting_index_is_infinite", False),
        "warnings": task.get("warnings", []),
        "applicable": task.get("applicable", True),
        "not_applicable_reasons": task.get("not_applicable_reasons", []),
        "limiting": FACTOR_LABELS.get(str(governing.get("limiting")), governing.get("limiting")),
        "fili": task.get("fili"),
        "stli": task.get("stli"),
    }


def action_initial(results: dict[str, Any], *, assessed_on: dt.date) -> list[dict[str, Any]]:
    """Completion-page defaults: every recommendation selected, due by priority."""
    due_days = {1: 7, 2: 30, 3: 60, 4: 90}
    rows = []
    for rec in results.get("recommendations", []):
        detail = rec["action"]
        if rec.get("what_if"):
            detail = f"{detail} ({rec['what_if']})"
        rows.append(
            {
                "selected": True,
                "code": rec["code"],
                "title": rec["title"][:200],
                "detail": detail,
                "rationale": rec["why"],
                "category": rec["category"],
                "priority": rec["priority"],
                "cost_band": rec["cost_band"],
                "due_on": assessed_on + dt.timedelta(days=due_days.get(rec["priority"], 60)),
            }
        )
    return rows


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
    """The previous completed assessment beside this one, with actions closed in between."""
    previous = assessment.previous
    if previous is None or not previous.is_completed or not previous.results:
        return None
    now, before = assessment.results or {}, previous.results

    def components(results: dict[str, Any]) -> dict[str, Any]:
        return {c["component"]: c for c in (results.get("strain") or {}).get("components", [])}

    now_c, before_c = components(now), components(before)
    rows = [
        {
            "name": name.replace("_", " ").capitalize(),
            "before": before_c[name]["level"],
            "after": now_c[name]["level"],
            "change": now_c[name]["level"] - before_c[name]["level"],
        }
        for name in now_c
        if name in before_c
    ]

    def rosa_final(results: dict[str, Any]) -> Any:
        ws = results.get("workstation")
        return ws["result"]["final"] if ws else None

    def task_lis(results: dict[str, Any]) -> dict[str, Any]:
        lifting = results.get("lifting") or {}
        return {
            t["task"]["label"]: t["governing"].get("lifting_index")
            for t in lifting.get("tasks", [])
        }

    before_tasks, now_tasks = task_lis(before), task_lis(now)
    closed = previous.actions.filter(
        status="done", completed_on__lte=assessment.assessed_on
    ).order_by("completed_on")
    return {
        "previous": previous,
        "score_before": before["strain"]["score"],
        "score_after": now["strain"]["score"],
        "band_before": before["strain"]["band"],
        "band_after": now["strain"]["band"],
        "components": rows,
        "rosa_before": rosa_final(before),
        "rosa_after": rosa_final(now),
        "tasks": [
            {"label": label, "before": before_tasks.get(label), "after": now_tasks.get(label)}
            for label in dict.fromkeys([*before_tasks, *now_tasks])
        ],
        "closed_actions": list(closed),
    }
