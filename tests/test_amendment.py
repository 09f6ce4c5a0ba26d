"""Amending a completed assessment: a required reason, kept for OH only, and the actions of
the revision it supersedes carried over (still recommended) or closed as superseded, so
every count of open actions counts the current revision once."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import permissions
from assessments.actions import carry_over
from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.records import services, snapshot
from assessments.records.models import AMENDMENT_REASON_REQUIRED, Assessment, LiftingTask
from assessments.reporting.store import report_html
from tests.conftest import client_for, complete
from tests.test_figure_agreement import _csv, _dashboard, _home, _listed, _open

pytestmark = pytest.mark.django_db

REASON = "Desk height was measured at the wrong desk; remeasured with the employee."


def _amend(user: Any, assessment: Assessment, reason: str = REASON) -> Any:
    return client_for(user).post(
        reverse("assessment_amend", args=[assessment.pk]), {"reason": reason}
    )


def _amendment_without_lifting(completed: Assessment, assessor: Any) -> Assessment:
    """An amendment whose results no longer recommend the lifting actions (the task is
    gone) but still recommend the workstation ones."""
    assert _amend(assessor, completed).status_code == 302
    amendment = Assessment.objects.get(supersedes=completed)
    LiftingTask.objects.filter(assessment=amendment).delete()
    return amendment


# --- The reason ---------------------------------------------------------------------------


def test_the_amend_button_opens_a_confirm_page_with_a_reason_field(assessor, completed):
    client = client_for(assessor)
    page = client.get(completed.get_absolute_url())
    assert f'href="{reverse("assessment_amend", args=[completed.pk])}"' in page.text
    confirm = client.get(reverse("assessment_amend", args=[completed.pk]))
    assert confirm.status_code == 200
    assert "Reason for the amendment" in confirm.text
    assert 'name="reason"' in confirm.text
    assert not Assessment.objects.filter(supersedes=completed).exists()


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_an_amendment_without_a_reason_is_refused_at_the_field(assessor, completed, reason):
    response = _amend(assessor, completed, reason)
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["reason"] == [str(AMENDMENT_REASON_REQUIRED)]
    assert str(AMENDMENT_REASON_REQUIRED) in response.text
    assert "is-invalid" in response.text
    assert not Assessment.objects.filter(supersedes=completed).exists()


def test_a_reason_too_long_is_refused_at_the_field(assessor, completed):
    response = _amend(assessor, completed, "x" * 2001)
    assert response.status_code == 422
    assert "reason" in response.context["form"].errors
    assert not Assessment.objects.filter(supersedes=completed).exists()


def test_the_service_refuses_a_blank_reason(assessor, completed):
    with pytest.raises(ValidationError) as raised:
        services.assessment_amend(assessment=completed, user=assessor, reason=" ")
    assert raised.value.message_dict == {"reason": [str(AMENDMENT_REASON_REQUIRED)]}
    assert not Assessment.objects.filter(supersedes=completed).exists()


def test_the_reason_is_stored_on_the_new_revision_and_shown_to_oh_only(
    assessor, manager, completed
):
    amendment = _amendment_without_lifting(completed, assessor)
    assert amendment.amendment_reason == REASON
    editor = client_for(assessor).get(amendment.get_absolute_url())
    assert f"Reason: {REASON}" in editor.text
    completed.refresh_from_db()
    assert completed.amendment_reason == ""
    amendment = complete(amendment, assessor)

    oh_page = client_for(assessor).get(amendment.get_absolute_url())
    assert "Reason for the amendment" in oh_page.text and REASON in oh_page.text
    manager_page = client_for(manager).get(amendment.get_absolute_url())
    assert manager_page.status_code == 200
    assert "revision 2" in manager_page.text
    assert REASON not in manager_page.text and "Reason for the amendment" not in manager_page.text

    assert REASON in report_html(amendment, "oh")
    assert REASON not in report_html(amendment, "manager")
    assert (
        REASON
        not in client_for(manager)
        .get(reverse("report_preview", args=[amendment.pk, "manager"]))
        .text
    )


# --- The actions --------------------------------------------------------------------------


def _open_codes(assessment: Assessment) -> set[str]:
    return set(
        assessment.actions.filter(status__in=Action.OPEN_STATUSES).values_list("code", flat=True)
    )


def test_completing_an_amendment_carries_over_what_is_still_recommended(
    assessor, manager, completed
):
    before = {a.code: a for a in completed.actions.all()}
    chair = next(a for a in before.values() if a.code.startswith("workstation."))
    action_services.action_update(
        action=chair, status=Action.Status.IN_PROGRESS, evidence_note="Chair ordered"
    )
    lifting = {code for code in before if code.startswith("lifting.")}
    assert lifting, "the fixture's lifting task raises lifting actions"
    amendment = _amendment_without_lifting(completed, assessor)

    completed_amendment = complete(amendment, assessor)  # every recommendation confirmed

    recommended = {r.code for r in snapshot.load(completed_amendment).results.recommendations}
    carried = set(before) & recommended
    closed = set(before) - recommended
    assert carried and closed and closed >= lifting
    # The same rows, re-pointed, with their progress; none left open on the old revision.
    chair.refresh_from_db()
    assert chair.assessment_id == amendment.pk
    assert chair.status == Action.Status.IN_PROGRESS and chair.evidence_note == "Chair ordered"
    assert _open_codes(completed) == set()
    for code in carried:
        assert Action.objects.get(pk=before[code].pk).assessment_id == amendment.pk
    # One action per recommendation on the new revision: no duplicates.
    codes = Counter(amendment.actions.values_list("code", flat=True))
    assert set(codes) == recommended
    assert max(codes.values()) == 1
    # The rest closed as superseded, with a note naming the revision.
    superseded = completed.actions.all()
    assert {a.code for a in superseded} == closed
    for action in superseded:
        assert action.status == Action.Status.SUPERSEDED
        assert "Superseded by revision 2" in action.evidence_note
        assert action.is_closed
    # History is kept: the carried action's history shows both assessments.
    assert set(chair.history.values_list("assessment_id", flat=True)) == {
        completed.pk,
        amendment.pk,
    }


def test_closed_actions_stay_with_the_revision_that_raised_them(assessor, completed):
    done = completed.actions.first()
    action_services.action_update(action=done, status=Action.Status.DONE, evidence_note="Fitted")
    complete(_amendment_without_lifting(completed, assessor), assessor)
    done.refresh_from_db()
    assert done.assessment_id == completed.pk and done.status == Action.Status.DONE


def test_a_superseded_action_cannot_be_changed(assessor, completed):
    complete(_amendment_without_lifting(completed, assessor), assessor)
    action = completed.actions.filter(code__startswith="lifting.", status="superseded").first()
    assert action is not None
    with pytest.raises(ValidationError):
        action_services.action_update(action=action, status=Action.Status.OPEN)
    page = client_for(assessor).get(action.get_absolute_url())
    assert "A superseded action cannot be changed" in page.text
    assert "Superseded by revision 2" in page.text
    response = client_for(assessor).post(
        reverse("action_bulk_update"), {"selected": [action.pk], "status": "open", "note": ""}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.SUPERSEDED


def test_the_completion_page_says_what_carries_over_and_what_closes(
    assessor, completed, django_capture_on_commit_callbacks
):
    amendment = _amendment_without_lifting(completed, assessor)
    client = client_for(assessor)
    page = client.get(reverse("assessment_complete", args=[amendment.pk]))
    assert page.status_code == 200
    plan = page.context["carry_over"]
    lifting = completed.actions.filter(code__startswith="lifting.")
    assert {a.pk for a in plan.closed} == set(lifting.values_list("pk", flat=True))
    carried_titles = [a.title for a in plan.carried]
    assert carried_titles
    carried_block = re.search(r'id="carried">(.*?)</ul>', page.text, re.S).group(1)
    superseded_block = re.search(r'id="superseded">(.*?)</ul>', page.text, re.S).group(1)
    for title in carried_titles:
        assert title in carried_block
    for action in lifting:
        assert action.title in superseded_block
    assert "Carried over: the open action of revision 1 continues" in page.text

    formset = page.context["formset"]
    data: dict[str, Any] = {
        "actions-TOTAL_FORMS": str(len(formset.forms)),
        "actions-INITIAL_FORMS": str(len(formset.forms)),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "100",
        "reassess_due": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        # The amendment drops the lifting tasks, so the assessor says why (scoring 1.1).
        "statement_lifting": "not_applicable",
        "statement_lifting_reason": "no lifting at the new desk",
    }
    for i, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name != "selected":
                data[f"actions-{i}-{name}"] = "" if value is None else str(value)
        data[f"actions-{i}-selected"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment_complete", args=[amendment.pk]), data, follow=True
        )
    assert response.status_code == 200
    text = response.text
    assert f"Assessment completed with {len(formset.forms)} action(s)." in text
    assert "Carried over from revision 1:" in text
    assert "Closed as superseded (no longer recommended):" in text
    for title in carried_titles:
        assert title in text
    assert amendment.actions.count() == len(formset.forms)


def test_carry_over_does_nothing_for_a_first_revision(draft):
    assert not carry_over.plan(amendment=draft, recommended=["workstation.chair_adjust"])


def test_the_data_migration_closes_open_actions_of_replaced_revisions(assessor, completed):
    """Amendments completed before actions were carried over left the old ones open."""
    amendment = services.assessment_amend(assessment=completed, user=assessor, reason=REASON)
    complete(amendment, assessor)
    # What the old completion left: the old revision's actions open beside the new ones.
    for action in amendment.actions.all()[:3]:
        Action.objects.create(
            assessment=completed,
            code=action.code,
            title=action.title,
            category=action.category,
            status=Action.Status.IN_PROGRESS,
        )
    Action.objects.create(
        assessment=completed,
        code="workstation.x",
        title="Done",
        category="engineering",
        status=Action.Status.DONE,
        completed_on=timezone.localdate(),
    )
    module = importlib.import_module("assessments.actions.migrations.0004_action_status_superseded")
    module.close_actions_of_superseded_revisions(apps, None)
    statuses = Counter(completed.actions.values_list("status", flat=True))
    assert statuses == {"superseded": 3, "done": 1}
    notes = completed.actions.filter(status="superseded").values_list("evidence_note", flat=True)
    assert all("Superseded by revision 2" in note for note in notes)
    assert set(amendment.actions.values_list("status", flat=True)) == {"open"}


# --- Counts ---------------------------------------------------------------------------------


def _department_report(user: Any, department: Any) -> dict[str, int]:
    today = timezone.localdate()
    html = (
        client_for(user)
        .get(
            reverse("department_report"),
            {
                "departments": [department.pk],
                "start": (today - dt.timedelta(days=365)).isoformat(),
                "end": today.isoformat(),
                "format": "html",
            },
        )
        .text
    )
    return {label: int(n) for label, n in re.findall(r"<th>([^<]+)</th><td>(\d+)</td>", html)}


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_after_an_amendment_every_count_of_open_actions_agrees(
    role, request, assessor, manager, department, completed
):
    user = request.getfixturevalue(role)
    first_open = completed.actions.filter(status__in=Action.OPEN_STATUSES).count()
    complete(_amendment_without_lifting(completed, assessor), assessor)
    employee = completed.employee

    # No person has two open actions for one recommendation.
    open_actions = Action.objects.filter(
        assessment__employee=employee, status__in=Action.OPEN_STATUSES
    )
    codes = Counter(open_actions.values_list("code", flat=True))
    assert codes and max(codes.values()) == 1
    assert open_actions.count() < first_open  # the lifting ones closed, nothing doubled

    client = client_for(user)
    dashboard = _dashboard(user, department=department.pk)
    open_count = _open(dashboard.actions)
    visible_open = (
        Action.objects.filter(pk__in=open_actions)
        .filter(pk__in=permissions.visible_actions(user))
        .count()
    )
    assert open_count == visible_open > 0
    # Every figure of the dashboard equals the list it links to.
    for expected, href in dashboard.figures:
        assert _listed(user, href) == expected, href
    # The action list, current revision or not, lists the same open actions.
    for revision in ("current", ""):
        listed = _listed(
            user,
            f"{reverse('action_list')}?revision={revision}&department={department.pk}"
            "&status=open&status=in_progress",
        )
        assert listed == open_count, revision
    # The manager's home page and the department report.
    home = _home(manager).departments[department.name]
    managers = _dashboard(manager, department=department.pk)
    assert home[2] == _open(managers.actions)
    assert _department_report(user, department)["Open actions"] == home[2]
    # The exports: current revision and all revisions alike.
    for params in ({"revision": "current"}, {}):
        rows = _csv(
            client.get(
                reverse("action_export", args=["csv"]), {"department": department.pk, **params}
            )
        )
        exported_open = [r for r in rows if r["status"] in ("Open", "In progress")]
        assert len(exported_open) == open_count, params
    assessments = _csv(
        client.get(reverse("assessment_export", args=["csv"]), {"department": department.pk})
    )
    assert sum(row["current"] == "yes" for row in assessments) == dashboard.current == 1
