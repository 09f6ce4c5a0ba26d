"""Nothing assessed is "not assessable", never Low (scoring 1.1).

Completing with sections not assessed asks the assessor to state, for each, that it does not
apply to this job ("no lifting in this role") or that it applies but could not be assessed.
Both reports and the results page show the statements, and the band is labelled as based on
the sections assessed.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import pytest
from django.urls import reverse

from assessments.privacy import services as privacy_services
from assessments.records import services, snapshot
from assessments.records.forms import REASON_REQUIRED, STATEMENT_REQUIRED
from assessments.records.models import Assessment, WorkstationSection
from assessments.reporting.store import report_html
from tests.conftest import WORKSTATION, client_for, give_consent

STATED = {
    "statement_workstation": "not_applicable",
    "statement_workstation_reason": "No computer work in this role",
    "statement_sitting": "not_applicable",
    "statement_sitting_reason": "Works on foot all shift",
    "statement_worker": "could_not_assess",
    "statement_worker_reason": "Worker declined the health questions",
    "statement_lifting": "not_applicable",
    "statement_lifting_reason": "No lifting in this role",
}


def _post(client: Any, assessment: Assessment, extra: dict[str, str]) -> Any:
    page = client.get(reverse("assessment_complete", args=[assessment.pk]))
    assert page.status_code == 200
    data = {
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "100",
        "reassess_due": "",
        **extra,
    }
    return client.post(reverse("assessment_complete", args=[assessment.pk]), data)


@pytest.fixture
def empty_draft(employee, assessor) -> Assessment:
    return services.assessment_create(employee=employee, assessor=assessor)


def test_completing_with_sections_not_assessed_asks_for_a_statement_for_each(assessor, empty_draft):
    client = client_for(assessor)
    page = client.get(reverse("assessment_complete", args=[empty_draft.pk])).text
    assert "Sections not assessed" in page
    for name in ("workstation", "sitting", "worker", "lifting"):
        assert f'name="statement_{name}"' in page
    refused = _post(client, empty_draft, {"statement_lifting": "not_applicable"})
    assert refused.status_code == 422
    assert escape(str(STATEMENT_REQUIRED)) in refused.text
    assert escape(str(REASON_REQUIRED)) in refused.text
    empty_draft.refresh_from_db()
    assert empty_draft.is_draft


def test_nothing_assessed_is_not_assessable_in_the_page_reports_and_lists(
    assessor, manager, empty_draft, django_capture_on_commit_callbacks
):
    client = client_for(assessor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, empty_draft, STATED)
    assert response.status_code == 302
    done = Assessment.objects.get(pk=empty_draft.pk)
    give_consent(done)  # the employee lets their manager see it (docs/consent.md)
    assert done.band == "not_assessable" and done.reassess_due is None
    assert done.results["strain"]["band"] == "not_assessable"
    assert [s["section"] for s in done.inputs["unassessed_sections"]] == [
        "workstation",
        "sitting",
        "worker",
        "lifting",
    ]

    page = client.get(done.get_absolute_url()).text
    assert 'class="band band-not_assessable">Not assessable' in page
    assert "No section of this assessment was assessed" in page
    assert "Lifting: does not apply to this job (No lifting in this role)" in page
    assert "Worker: applies to this job but could not be assessed" in page
    assert "band-low" not in page and "12 months" not in page

    oh = report_html(done, "oh")
    assert "Not assessable" in oh and "No lifting in this role" in oh
    assert "Worker declined the health questions" in oh
    assert "band-low" not in oh

    theirs = report_html(done, "manager")
    assert 'class="band band-not_assessable">Not assessable' in theirs
    assert "Lifting: does not apply to this job (No lifting in this role)" in theirs
    assert "No reassessment date" in theirs
    # the worker section's statement concerns the person: OH only
    assert "Worker declined" not in theirs and "band-low" not in theirs

    listed = client.get(reverse("assessment_list")).text
    assert 'class="band band-not_assessable">Not assessable' in listed
    employees = client.get(reverse("employee_list")).text
    assert 'class="band band-not_assessable">Not assessable' in employees
    dashboard = client.get(reverse("dashboard")).text
    figure = re.search(r'id="fig-band-not_assessable" data-count="(\d+)"', dashboard)
    assert figure is not None and figure.group(1) == "1"
    low = re.search(r'id="fig-band-low" data-count="(\d+)"', dashboard)
    assert low is not None and low.group(1) == "0"
    manager_page = client_for(manager).get(done.get_absolute_url()).text
    assert "Not assessable" in manager_page and "Worker declined" not in manager_page


def test_a_partly_assessed_band_is_labelled_as_based_on_the_sections_assessed(
    assessor, empty_draft
):
    WorkstationSection.objects.create(assessment=empty_draft, **WORKSTATION)
    client = client_for(assessor)
    page = client.get(reverse("assessment_complete", args=[empty_draft.pk])).text
    assert 'name="statement_workstation"' not in page  # assessed: nothing to state
    stated = {k: v for k, v in STATED.items() if not k.startswith("statement_workstation")}
    assert _post(client, empty_draft, stated).status_code == 302
    done = Assessment.objects.get(pk=empty_draft.pk)
    assert done.band not in ("", "not_assessable")
    shown = client.get(done.get_absolute_url()).text
    assert "The band is based on the sections assessed and is <strong>provisional</strong>" in (
        shown
    )
    assert "Sitting: does not apply to this job (Works on foot all shift)" in shown
    assert "based on the sections assessed" in report_html(done, "oh")


def test_erasure_removes_the_statements_and_keeps_the_snapshot_readable(
    assessor, admin_user, empty_draft
):
    client = client_for(assessor)
    assert _post(client, empty_draft, STATED).status_code == 302
    done = Assessment.objects.get(pk=empty_draft.pk)
    assert done.section_statements
    privacy_services.employee_erase(employee=done.employee, user=admin_user)
    done.refresh_from_db()
    assert done.section_statements == []
    assert "unassessed_sections" not in done.inputs
    assert done.results["unassessed_sections"] == []
    stored = f"{done.inputs} {done.results} {list(done.history.values())}"
    assert "Worker declined" not in stored and "No lifting in this role" not in stored
    read = snapshot.load(done).results
    assert read.strain.band == "not_assessable" and read.unassessed_sections == ()
