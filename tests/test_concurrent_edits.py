"""Two people editing the same thing: the second save is refused with a message saying what
differs, and nothing the first person saved is overwritten (sections, lifting tasks, actions)."""

from __future__ import annotations

from html import escape
from typing import Any

import pytest
from django.urls import reverse

from assessments.actions.forms import ACTION_STALE_MESSAGE
from assessments.actions.models import Action
from assessments.records.forms import STALE_MESSAGE
from assessments.records.models import SittingSection
from tests.conftest import LIFT, SITTING, client_for
from tests.test_assessment_workflow import _post_values

pytestmark = pytest.mark.django_db


def _opened_form(client: Any, url: str, field: str) -> str:
    """The lock version the page handed out with the form (what a browser would post back)."""
    page = client.get(url).content.decode()
    marker = f'name="{field}" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_second_section_save_is_refused_and_says_what_differs(assessor, admin_user, draft):
    first, second = client_for(assessor), client_for(admin_user)
    url = draft.get_absolute_url()
    version_a = _opened_form(first, url, "sitting-lock_version")
    version_b = _opened_form(second, url, "sitting-lock_version")
    save = reverse("section_save", args=[draft.pk, "sitting"])

    mine = {**_post_values("sitting", {**SITTING, "vigorous_minutes_per_week": 90})}
    mine["sitting-lock_version"] = version_a
    assert first.post(save, mine).status_code == 302

    theirs = _post_values("sitting", {**SITTING, "vigorous_minutes_per_week": 15})
    theirs["sitting-lock_version"] = version_b
    response = second.post(save, theirs)
    assert response.status_code == 409
    text = response.content.decode()
    assert escape(str(STALE_MESSAGE)) in text
    assert "Fields they changed differently from you" in text
    assert "(yours: 15)" in text
    section = SittingSection.objects.get(assessment=draft)
    assert section.vigorous_minutes_per_week == 90
    assert section.lock_version == int(version_a) + 1


def test_a_crafted_section_post_without_a_version_is_refused(assessor, draft):
    data = _post_values("sitting", {**SITTING, "pct_sitting": 80, "pct_standing": 15})
    response = client_for(assessor).post(reverse("section_save", args=[draft.pk, "sitting"]), data)
    assert response.status_code == 409
    assert SittingSection.objects.get(assessment=draft).pct_sitting == 85


@pytest.mark.parametrize("htmx", [False, True])
def test_second_lifting_task_save_is_refused(assessor, admin_user, draft, htmx):
    task = draft.lifting_tasks.get()
    first, second = client_for(assessor), client_for(admin_user)
    field = f"task-{task.pk}-lock_version"
    version_a = _opened_form(first, draft.get_absolute_url(), field)
    version_b = _opened_form(second, draft.get_absolute_url(), field)
    url = reverse("task_save", args=[draft.pk, task.pk])
    headers = {"HX-Request": "true"} if htmx else {}

    mine = _post_values(f"task-{task.pk}", {**LIFT, "load": 12.0})
    mine[field] = version_a
    assert first.post(url, mine, headers=headers).status_code in (200, 302)

    theirs = _post_values(f"task-{task.pk}", {**LIFT, "load": 18.0})
    theirs[field] = version_b
    response = second.post(url, theirs, headers=headers)
    assert response.status_code == 409
    text = response.content.decode()
    assert escape(str(STALE_MESSAGE)) in text
    assert "(yours: 18.0)" in text
    task.refresh_from_db()
    assert task.load == 12.0


def _action_post(action: Action, version: str, **changes: Any) -> dict[str, Any]:
    data = {
        "status": action.status,
        "owner": action.owner_id or "",
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "completed_on": "",
        "evidence_note": action.evidence_note,
        "lock_version": version,
    }
    data.update(changes)
    return data


def test_second_action_update_is_refused_and_says_what_differs(assessor, manager, completed):
    action = completed.actions.order_by("pk").first()
    url = reverse("action_detail", args=[action.pk])
    first, second = client_for(assessor), client_for(manager)
    version_a = _opened_form(first, url, "lock_version")
    version_b = _opened_form(second, url, "lock_version")

    done = _action_post(action, version_a, status="done", evidence_note="Chair replaced")
    assert first.post(url, done).status_code == 302

    declined = _action_post(action, version_b, status="declined", evidence_note="No budget")
    response = second.post(url, declined)
    assert response.status_code == 409
    text = response.content.decode()
    assert escape(str(ACTION_STALE_MESSAGE)) in text
    assert "(yours: Declined)" in text
    assert "(yours: No budget)" in text
    action.refresh_from_db()
    assert action.status == "done" and action.evidence_note == "Chair replaced"
    # The refreshed form carries the new version: saving again now works.
    again = _action_post(action, str(action.lock_version), evidence_note="Chair replaced, ok")
    assert second.post(url, again).status_code == 302


def test_a_crafted_action_post_without_a_version_is_refused(manager, completed):
    action = completed.actions.order_by("pk").first()
    url = reverse("action_detail", args=[action.pk])
    data = _action_post(action, "", status="in_progress")
    assert client_for(manager).post(url, data).status_code == 409
    action.refresh_from_db()
    assert action.status == "open"


def test_a_bulk_status_change_makes_open_action_forms_stale(assessor, manager, completed):
    action = completed.actions.order_by("pk").first()
    url = reverse("action_detail", args=[action.pk])
    version = _opened_form(client_for(manager), url, "lock_version")
    client_for(assessor).post(
        reverse("action_bulk_update"), {"selected": [action.pk], "status": "in_progress"}
    )
    response = client_for(manager).post(url, _action_post(action, version, status="done"))
    assert response.status_code == 409
    action.refresh_from_db()
    assert action.status == "in_progress"
