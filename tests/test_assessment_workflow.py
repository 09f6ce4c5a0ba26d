"""Draft -> sections saved one by one -> complete (snapshot, actions) -> amend."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.records import services, snapshot
from assessments.records.models import Assessment, LiftingTask, SittingSection, WorkstationSection
from tests.conftest import LIFT, SITTING, WORKSTATION, client_for

pytestmark = pytest.mark.django_db


def _post_values(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, bool):
            if value:
                data[f"{prefix}-{key}"] = "on"
        elif isinstance(value, list):
            data[f"{prefix}-{key}"] = value
        elif value is None:
            data[f"{prefix}-{key}"] = ""
        else:
            data[f"{prefix}-{key}"] = str(value)
    return data


def test_assessor_starts_a_draft_from_the_employee_page(assessor, employee):
    client = client_for(assessor)
    response = client.post(reverse("assessment_start", args=[employee.pk]))
    assessment = Assessment.objects.get(employee=employee)
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()
    page = client.get(assessment.get_absolute_url())
    assert page.status_code == 200
    assert "Draft" in page.text
    assert "Workstation (ROSA)" in page.text
    assert "Not assessed" in page.text or "not assessed" in page.text


def test_saving_a_section_stores_it_and_shows_results(assessor, employee):
    client = client_for(assessor)
    client.post(reverse("assessment_start", args=[employee.pk]))
    assessment = Assessment.objects.get(employee=employee)
    response = client.post(
        reverse("section_save", args=[assessment.pk, "sitting"]),
        _post_values("sitting", SITTING),
    )
    assert response.status_code == 302
    section = SittingSection.objects.get(assessment=assessment)
    assert section.pct_sitting == 85
    page = client.get(assessment.get_absolute_url())
    assert "Sitting 6.8 h of an 8.0 h day" in page.text


def test_an_invalid_section_keeps_what_was_typed_and_other_sections_stay_saved(assessor, employee):
    client = client_for(assessor)
    client.post(reverse("assessment_start", args=[employee.pk]))
    assessment = Assessment.objects.get(employee=employee)
    client.post(
        reverse("section_save", args=[assessment.pk, "workstation"]),
        _post_values("workstation", WORKSTATION),
    )
    bad = {**SITTING, "pct_sitting": 70, "moderate_minutes_per_week": 77}
    response = client.post(
        reverse("section_save", args=[assessment.pk, "sitting"]),
        _post_values("sitting", bad),
    )
    assert response.status_code == 422
    assert "must add up to 100% (now 85%)" in response.text
    assert 'value="77"' in response.text  # what was typed is still in the form
    assert not SittingSection.objects.filter(assessment=assessment).exists()
    assert WorkstationSection.objects.get(assessment=assessment).seat_height == "too_high"


def test_htmx_section_save_returns_the_section_and_refreshes_results(assessor, employee):
    client = client_for(assessor)
    client.post(reverse("assessment_start", args=[employee.pk]))
    assessment = Assessment.objects.get(employee=employee)
    response = client.post(
        reverse("section_save", args=[assessment.pk, "sitting"]),
        _post_values("sitting", SITTING),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "results-changed"
    assert "Sitting and activity saved." in response.text


def test_live_preview_scores_unsaved_values_without_saving(assessor, draft):
    client = client_for(assessor)
    values = {**LIFT, "h_origin": 25.0, "v_origin": 75.0}
    task = draft.lifting_tasks.get()
    response = client.post(
        reverse("section_preview", args=[draft.pk, f"task-{task.pk}"]),
        _post_values(f"task-{task.pk}", values),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "unsaved changes" in response.text
    task.refresh_from_db()
    assert task.h_origin == 50.0


def test_stale_section_save_is_refused_and_overwrites_nothing(assessor, draft):
    client = client_for(assessor)
    section = SittingSection.objects.get(assessment=draft)
    loaded_version = section.lock_version
    # Someone else saves first.
    SittingSection.objects.filter(pk=section.pk).update(
        pct_sitting=50, pct_standing=45, lock_version=loaded_version + 1
    )
    values = {**SITTING, "moderate_minutes_per_week": 200}
    data = _post_values("sitting", values)
    data["sitting-lock_version"] = str(loaded_version)
    response = client.post(reverse("section_save", args=[draft.pk, "sitting"]), data)
    assert response.status_code == 409
    assert "Someone else saved this section" in response.text
    section.refresh_from_db()
    assert section.pct_sitting == 50
    assert section.moderate_minutes_per_week == 60


def test_lifting_task_add_duplicate_remove(assessor, draft):
    client = client_for(assessor)
    data = _post_values(
        "task-new",
        {
            **LIFT,
            "label": "Sacks to trolley",
            "units": "us",
            "load": 40.0,
            "h_origin": 15.0,
            "v_origin": 10.0,
            "h_dest": 15.0,
            "v_dest": 35.0,
        },
    )
    response = client.post(reverse("task_create", args=[draft.pk]), data)
    assert response.status_code == 302
    task = LiftingTask.objects.get(assessment=draft, label="Sacks to trolley")
    assert task.units == "us"
    client.post(reverse("task_duplicate", args=[draft.pk, task.pk]))
    assert LiftingTask.objects.filter(assessment=draft, label="Sacks to trolley (copy)").exists()
    client.post(reverse("task_delete", args=[draft.pk, task.pk]))
    assert not LiftingTask.objects.filter(pk=task.pk).exists()


def test_lifting_reach_beyond_63_cm_is_accepted_and_explained(assessor, draft):
    client = client_for(assessor)
    task = draft.lifting_tasks.get()
    data = _post_values(f"task-{task.pk}", {**LIFT, "h_origin": 70.0})
    data[f"task-{task.pk}-lock_version"] = str(task.lock_version)
    response = client.post(reverse("task_save", args=[draft.pk, task.pk]), data)
    assert response.status_code == 302
    page = client.get(draft.get_absolute_url())
    assert "63 cm" in page.text
    assert "HM = 0" in page.text


def test_implausible_lifting_input_gets_a_field_message(assessor, draft):
    client = client_for(assessor)
    data = _post_values("task-new", {**LIFT, "load": 900.0, "h_origin": "abc"})
    response = client.post(reverse("task_create", args=[draft.pk]), data)
    assert response.status_code == 422
    assert "Enter a number." in response.text
    assert "not a plausible single lift" in response.text


def test_one_handed_lift_is_accepted_and_shown_as_not_applicable(assessor, draft):
    client = client_for(assessor)
    task = draft.lifting_tasks.get()
    data = _post_values(f"task-{task.pk}", {**LIFT, "conditions": ["one_handed"]})
    data[f"task-{task.pk}-lock_version"] = str(task.lock_version)
    assert client.post(reverse("task_save", args=[draft.pk, task.pk]), data).status_code == 302
    page = client.get(draft.get_absolute_url())
    assert "Not applicable" in page.text


def test_complete_stores_snapshot_actions_and_reassessment_date(
    assessor, draft, django_capture_on_commit_callbacks
):
    client = client_for(assessor)
    page = client.get(reverse("assessment_complete", args=[draft.pk]))
    assert page.status_code == 200
    formset = page.context["formset"]
    total = len(formset.forms)
    assert total >= 3
    data: dict[str, Any] = {
        "actions-TOTAL_FORMS": str(total),
        "actions-INITIAL_FORMS": str(total),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "100",
        "reassess_due": "2027-01-31",
    }
    for i, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name == "selected":
                continue
            data[f"actions-{i}-{name}"] = "" if value is None else str(value)
        if i != 1:  # the assessor deselects the second recommendation
            data[f"actions-{i}-selected"] = "on"
    data["actions-0-title"] = "Edited title"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessment_complete", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.COMPLETED
    assert draft.results["strain"]["band"] == draft.band
    assert draft.scoring_version == draft.results["scoring_version"]
    assert draft.reassess_due == dt.date(2027, 1, 31)
    assert draft.is_latest
    assert draft.actions.count() == total - 1
    assert draft.actions.filter(title="Edited title").exists()
    assert draft.reports.count() == 2  # both PDFs stored on completion


def test_default_reassessment_date_follows_the_band(assessor, draft):
    from tests.conftest import complete

    completed = complete(draft, assessor)
    months = {"very_high": 1, "high": 3, "moderate": 6, "low": 12}[completed.band]
    start = completed.assessed_on
    month_index = start.month - 1 + months
    expected_month = month_index % 12 + 1
    assert completed.reassess_due.month == expected_month


def test_completed_assessment_is_read_only_even_to_crafted_posts(assessor, completed):
    client = client_for(assessor)
    response = client.post(
        reverse("section_save", args=[completed.pk, "sitting"]),
        _post_values("sitting", {**SITTING, "pct_sitting": 10, "pct_standing": 85}),
    )
    assert response.status_code == 403
    assert SittingSection.objects.get(assessment=completed).pct_sitting == 85
    task = completed.lifting_tasks.get()
    assert client.post(reverse("task_delete", args=[completed.pk, task.pk])).status_code == 403
    assert client.post(reverse("assessment_complete", args=[completed.pk])).status_code == 403


def test_amend_creates_a_new_revision_and_keeps_the_old(assessor, completed):
    from tests.conftest import complete

    client = client_for(assessor)
    response = client.post(
        reverse("assessment_amend", args=[completed.pk]), {"reason": "Desk height mis-measured"}
    )
    amendment = Assessment.objects.get(supersedes=completed)
    assert response["Location"] == amendment.get_absolute_url()
    assert amendment.revision == 2 and amendment.is_draft
    assert SittingSection.objects.get(assessment=amendment).pct_sitting == 85
    completed.refresh_from_db()
    assert completed.is_latest  # until the amendment is completed
    # Amending twice is refused.
    client.post(reverse("assessment_amend", args=[completed.pk]), {"reason": "Again"})
    assert Assessment.objects.filter(supersedes=completed).count() == 1
    SittingSection.objects.filter(assessment=amendment).update(pct_sitting=40, pct_standing=55)
    complete(amendment, assessor)
    completed.refresh_from_db()
    amendment.refresh_from_db()
    assert amendment.is_latest and not completed.is_latest
    assert completed.status == Assessment.Status.COMPLETED  # both stay in history
    page = client.get(completed.get_absolute_url())
    assert "revision 2" in page.text


def test_reassess_prefills_from_the_previous_assessment(assessor, completed):
    client = client_for(assessor)
    client.post(reverse("assessment_start", args=[completed.employee.pk]), {"prefill": "previous"})
    new = Assessment.objects.exclude(pk=completed.pk).get(employee=completed.employee)
    assert new.previous == completed
    assert WorkstationSection.objects.get(assessment=new).seat_height == "too_high"
    assert new.lifting_tasks.count() == 1


def test_before_after_shows_on_the_reassessment(assessor, completed):
    from tests.conftest import complete

    action = completed.actions.first()
    action.status = Action.Status.DONE
    action.completed_on = completed.assessed_on
    action.save()
    client = client_for(assessor)
    client.post(reverse("assessment_start", args=[completed.employee.pk]), {"prefill": "previous"})
    new = Assessment.objects.exclude(pk=completed.pk).get(employee=completed.employee)
    WorkstationSection.objects.filter(assessment=new).update(seat_height="knees_90")
    complete(new, assessor)
    page = client.get(new.get_absolute_url())
    assert "Before and after" in page.text
    assert action.title in page.text


def test_completing_with_the_proposed_actions_stores_what_from_recommendation_gives(
    assessor, draft
):
    """The completion page, the demo data, the benchmarks and the tests turn a
    recommendation into an action through one mapping (`ActionDraft.from_recommendation`)."""
    client = client_for(assessor)
    page = client.get(reverse("assessment_complete", args=[draft.pk]))
    formset = page.context["formset"]
    total = len(formset.forms)
    data: dict[str, Any] = {
        "actions-TOTAL_FORMS": str(total),
        "actions-INITIAL_FORMS": str(total),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "100",
        "reassess_due": "2027-01-31",
    }
    for i, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            data[f"actions-{i}-{name}"] = "on" if name == "selected" else str(value)
    expected = [
        action_services.ActionDraft.from_recommendation(rec, assessed_on=draft.assessed_on)
        for rec in snapshot.read_results(
            services.assessment_preview(assessment=draft).results
        ).recommendations
    ]
    assert client.post(reverse("assessment_complete", args=[draft.pk]), data).status_code == 302
    fields = ("code", "title", "detail", "rationale", "category", "priority", "cost_band", "due_on")
    stored = [
        tuple(getattr(action, name) for name in fields) for action in draft.actions.order_by("pk")
    ]
    assert stored == [tuple(getattr(d, name) for name in fields) for d in expected]
    assert any("(" in d.detail for d in expected)  # the what-if figure goes with the action
