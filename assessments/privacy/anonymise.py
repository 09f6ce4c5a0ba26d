"""What an erasure leaves of a person's records, decided field by field.

Allowlists, not denylists: what stays of a completed assessment and of an action is named
here, and every other field is emptied, so a field added later is erased until someone
decides it may stay. What stays is anonymous statistics: dates, the workplace method
results (ROSA, NIOSH) and the overall band and score the dashboard counts, with nothing
that says who, why, or anything about the person's health.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from assessments.scoring.catalogue import KNOWN_TITLES

#: Written where free text had to stay non-empty (a declined action must give a reason).
REMOVED_TEXT = "[removed on erasure]"
#: What replaces a name or HR reference found in free text (audit details, admin log).
ERASED_MARK = "[erased]"

#: Fields of a completed assessment that stay: dates, the links between revisions, the
#: (anonymised) snapshot and the query columns the dashboard counts.
ASSESSMENT_KEEPS = frozenset(
    {
        "id",
        "employee",
        "assessor",
        "assessed_on",
        "status",
        "revision",
        "supersedes",
        "previous",
        "inputs",
        "results",
        "scoring_version",
        "strain_score",
        "band",
        "completed_at",
        "rosa_final",
        "rosa_chair",
        "rosa_monitor_phone",
        "rosa_mouse_keyboard",
        "lifting_index",
        "limiting_factor",
        "is_latest",
        "lock_version",
        "created_at",
        "updated_at",
    }
)
#: Fields of a workplace action that stay: what kind of measure, its follow-up and dates.
#: The title becomes the catalogue's wording; what to do, why and the evidence go.
ACTION_KEEPS = frozenset(
    {
        "id",
        "assessment",
        "code",
        "category",
        "priority",
        "owner",
        "due_on",
        "cost_band",
        "status",
        "completed_on",
        "closed_in_days",
        "lock_version",
        "created_at",
        "updated_at",
    }
)
#: Bookkeeping of a change-history row that stays (who changed it and when, not why).
HISTORY_KEEPS = frozenset({"history_id", "history_date", "history_type", "history_user"})


def emptied(
    model: type[models.Model], *, keep: Iterable[str], replace: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Update values that empty every concrete field of `model` not in `keep`: NULL where
    allowed, else "" for text, else the value given in `replace`."""
    kept, replace = set(keep), dict(replace or {})
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.name in kept or field.name in replace:
            continue
        if field.null:
            values[field.attname] = None
        elif isinstance(field, models.CharField | models.TextField) and field.blank:
            values[field.attname] = ""
        else:
            raise ImproperlyConfigured(
                f"Erasure cannot empty {model.__name__}.{field.name}: keep it "
                "(assessments/privacy/anonymise.py) or say what replaces it."
            )
    return {**values, **replace}


def action_title(code: str) -> str:
    """The catalogue's wording for a recommendation code, free of anything typed (a code an
    earlier catalogue emitted included)."""
    return KNOWN_TITLES.get(code, REMOVED_TEXT)


def action_evidence(status: str) -> str:
    """The evidence an erased action keeps: none, but a declined one must show a reason.
    (A cancelled one's reason is its status: `Action.CANCELLED_REASON`.)"""
    return REMOVED_TEXT if status == "declined" else ""


# --- The snapshot ----------------------------------------------------------------------------


def _relabelled(value: Any, names: dict[str, str]) -> Any:
    """`value` with every task label replaced by its neutral name ("Task 2")."""
    if isinstance(value, dict):
        return {key: _relabelled(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_relabelled(item, names) for item in value]
    if isinstance(value, str):
        if value in names:
            return names[value]
        for label in sorted(names, key=len, reverse=True):
            if len(label) >= 3:
                value = value.replace(label, names[label])
        return value
    return value


def anonymous_snapshot(
    inputs: dict[str, Any] | None, results: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The snapshot reduced to anonymous workplace statistics.

    Kept: the ROSA observations and result, the lifting tasks and their NIOSH results
    (labels replaced by "Task 1", "Task 2"...), the strain score, band and model version.
    Gone: the worker factors, sitting and activity, the strain score's components and
    reasons, referrals and recommendations.
    """
    inputs, results = inputs or {}, results or {}
    tasks = list(inputs.get("lifting_tasks") or [])
    names = {
        str(task.get("label")): f"Task {n}"
        for n, task in enumerate(tasks, start=1)
        if task.get("label")
    }
    strain = results.get("strain") or {}
    kept_inputs = {
        "format": inputs.get("format"),
        "version": inputs.get("version"),
        "workstation": inputs.get("workstation"),
        "sitting": None,
        "worker": None,
        "lifting_tasks": [{**task, "label": f"Task {n}"} for n, task in enumerate(tasks, start=1)],
    }
    kept_results = {
        "scoring_version": results.get("scoring_version"),
        "workstation": results.get("workstation"),
        "sitting": None,
        "worker": None,
        "lifting": _relabelled(results.get("lifting"), names),
        "strain": {
            "model_version": strain.get("model_version"),
            "score": strain.get("score"),
            "raw_score": strain.get("score"),
            "band": strain.get("band"),
            "components": [],
            "floors_applied": [],
            "referrals": [],
            "not_assessed": [],
            "summary": "",
        },
        "referrals": [],
        "recommendations": [],
    }
    if "unassessed_sections" in results:
        # Scoring 1.1: the statements' reasons are free text (gone); the band's basis stays.
        kept_results["unassessed_sections"] = []
        kept_results["strain"] |= {
            "not_applicable": [],
            "not_assessable": [],
            "provisional": bool(strain.get("provisional")),
        }
    return kept_inputs, kept_results


# --- Free text elsewhere -----------------------------------------------------------------


def identity_forms(words: Iterable[str]) -> list[str]:
    """A person's name and HR reference as typed, and as a query string spells them
    ("Robin+Patel", "Robin%20Patel"); longest first. Words under 3 characters are left
    alone: they would match too much else."""
    forms: set[str] = set()
    for word in words:
        word = word.strip()
        if len(word) >= 3:
            forms |= {word, word.replace(" ", "+"), word.replace(" ", "%20")}
    return sorted(forms, key=lambda form: (-len(form), form))


def scrubbed(text: str, forms: list[str]) -> str:
    """`text` with each of `forms` (any case, as a whole word: the HR reference E100 is not
    taken out of E1001) replaced by `ERASED_MARK`."""
    if not text or not forms:
        return text
    alternatives = "|".join(re.escape(form) for form in forms)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return pattern.sub(ERASED_MARK, text)


def change_message_without_objects(message: str) -> str:
    """An admin log entry's change message without the names of the objects it added,
    changed or deleted (it keeps which fields changed)."""
    try:
        entries = json.loads(message)
    except ValueError:
        return ""
    if not isinstance(entries, list):
        return ""
    for entry in entries:
        for detail in entry.values() if isinstance(entry, dict) else ():
            if isinstance(detail, dict):
                detail.pop("object", None)
    return json.dumps(entries)
