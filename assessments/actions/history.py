"""The change history of an action as people read it: who, when, and what changed.

Built from django-simple-history records: each record is compared with the one before
it, field by field, and only the fields that changed are listed, with their old and new
values as the action page shows them (status labels, owners' names, dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.formats import date_format

from assessments.actions.models import Action
from assessments.core.names import person_name

#: Bookkeeping columns that change on every save and mean nothing to a reader.
IGNORED = frozenset({"id", "updated_at", "created_at", "lock_version", "assessment"})
#: Fields a manager does not see the full text of (the "why" may reveal a health answer).
HEALTH_ONLY = frozenset({"rationale"})
#: What the first record shows: the action as it was raised.
ON_CREATE = ("status", "priority", "owner", "due_on")
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    when: dt.datetime
    who: str
    kind: str
    created: bool
    changes: tuple[Change, ...]


def _label(name: str) -> str:
    return str(Action._meta.get_field(name).verbose_name).capitalize()


def _shown(name: str, value: Any, people: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if name == "owner":
        return people.get(value, f"#{value}")
    if name == "status":
        return str(Action.Status(value).label)
    if name == "priority":
        return str(Action.Priority(value).label)
    if name == "category":
        return str(Action.Category(value).label)
    if name == "cost_band":
        return str(Action.CostBand(value).label)
    if isinstance(value, dt.date):
        return date_format(value, "j M Y")
    return str(value)


def entries(action: Action, *, health: bool, limit: int = HISTORY_LIMIT) -> list[Entry]:
    """Newest first: each saved change with the fields it changed (two queries in all)."""
    records = list(
        action.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    records.reverse()  # oldest first, to compare each record with the one before
    fields = [
        f.attname
        for f in Action._meta.concrete_fields
        if f.name not in IGNORED and (health or f.name not in HEALTH_ONLY)
    ]
    owner_ids = {r.owner_id for r in records if r.owner_id}
    people = {
        user.pk: person_name(user) for user in get_user_model().objects.filter(pk__in=owner_ids)
    }
    result: list[Entry] = []
    for index, record in enumerate(records):
        previous = records[index - 1] if index else None
        if previous is None and len(records) > limit:
            continue  # the oldest record fetched only to compare the next one with
        changes = []
        for attname in fields:
            name = attname.removesuffix("_id") if attname == "owner_id" else attname
            new = getattr(record, attname)
            old = getattr(previous, attname) if previous is not None else None
            if previous is not None and old == new:
                continue
            if previous is None and (name not in ON_CREATE or new is None or new == ""):
                continue
            changes.append(
                Change(
                    field=name,
                    label=_label(name),
                    old=_shown(name, old, people) if previous is not None else "",
                    new=_shown(name, new, people),
                )
            )
        user = record.history_user
        result.append(
            Entry(
                when=record.history_date,
                who=person_name(user) or "system",
                kind=record.get_history_type_display(),
                created=record.history_type == "+",
                changes=tuple(changes),
            )
        )
    result.reverse()
    return result
