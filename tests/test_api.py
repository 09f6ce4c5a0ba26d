"""The REST API: ETags and If-Match, employees (create, update, upsert), drafts from the
interchange format, results, reports, exports, filters, and the audit of health reads."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from assessments.actions.models import Action
from assessments.people.models import AuditEvent, Employee
from assessments.records.models import Assessment
from assessments.reporting.models import Report
from tests.conftest import api_client_for, client_for

pytestmark = pytest.mark.django_db


def _patch(client, url, body, **headers):
    return client.patch(url, body, content_type="application/json", **headers)


def _put(client, url, body, **headers):
    return client.put(url, body, content_type="application/json", **headers)


# --- ETag and If-Match -------------------------------------------------------------------


def test_an_update_without_if_match_is_refused_with_428(manager, completed):
    action = completed.actions.first()
    response = _patch(
        api_client_for(manager), reverse("api-action-detail", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_an_update_with_a_stale_etag_is_refused_with_412(manager, assessor, completed):
    action = completed.actions.first()
    url = reverse("api-action-detail", args=[action.pk])
    mine, theirs = api_client_for(manager), api_client_for(assessor)
    etag = mine.get(url)["ETag"]
    assert _patch(theirs, url, {"evidence_note": "Ordered"}, HTTP_IF_MATCH=etag).status_code == 200
    response = _patch(mine, url, {"status": "declined"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN and action.evidence_note == "Ordered"


def test_an_update_with_the_current_etag_is_saved_and_returns_the_new_one(manager, completed):
    action = completed.actions.first()
    url = reverse("api-action-detail", args=[action.pk])
    client = api_client_for(manager)
    etag = client.get(url)["ETag"]
    response = _patch(
        client, url, {"status": "done", "evidence_note": "Hoist fitted"}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response["ETag"] != etag and response["ETag"] == client.get(url)["ETag"]
    action.refresh_from_db()
    assert (action.status, action.evidence_note) == ("done", "Hoist fitted")
    assert action.completed_on is not None  # the model's follow-up rule


def test_a_page_save_makes_the_api_etag_stale(assessor, completed):
    """The API's ETag is the action's lock version: the forms' optimistic lock."""
    action = completed.actions.first()
    url = reverse("api-action-detail", args=[action.pk])
    client = api_client_for(assessor)
    etag = client.get(url)["ETag"]
    from assessments.actions import services

    services.action_update(action=action, status="in_progress")
    assert _patch(client, url, {"status": "done"}, HTTP_IF_MATCH=etag).status_code == 412


def test_a_read_answers_304_when_the_caller_has_the_current_version(manager, completed):
    client = api_client_for(manager)
    url = reverse("api-employee-detail", args=[completed.employee.pk])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_bad_action_input_gets_a_message_next_to_the_field(manager, completed):
    action = completed.actions.first()
    url = reverse("api-action-detail", args=[action.pk])
    client = api_client_for(manager)
    etag = client.get(url)["ETag"]
    response = _patch(client, url, {"status": "cancelled"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 400 and "status" in response.json()
    response = _patch(client, url, {"status": "declined"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert "evidence_note" in response.json() or "non_field_errors" in response.json()


# --- Employees ---------------------------------------------------------------------------


def test_an_assessor_creates_an_employee(assessor, department):
    response = api_client_for(assessor).post(
        reverse("api-employee-list"),
        {
            "hr_reference": "N1",
            "name": "Ada New",
            "job_title": "Picker",
            "department": department.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response["ETag"]
    employee = Employee.objects.get(hr_reference="N1")
    assert (employee.name, employee.active, employee.work_type) == ("Ada New", True, "office")


def test_employee_input_is_checked_by_the_employee_form(assessor, employee, other_department):
    client = api_client_for(assessor)
    response = client.post(
        reverse("api-employee-list"),
        {"hr_reference": employee.hr_reference, "name": "", "job_title": "x", "department": 999},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"hr_reference", "name", "department"} <= set(response.json())
    assert (
        client.post(
            reverse("api-employee-list"), [1, 2], content_type="application/json"
        ).status_code
        == 400
    )


def test_an_employee_update_changes_only_the_fields_sent(assessor, employee, other_department):
    client = api_client_for(assessor)
    url = reverse("api-employee-detail", args=[employee.pk])
    etag = client.get(url)["ETag"]
    response = _patch(client, url, {"department": other_department.pk}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    employee.refresh_from_db()
    assert employee.department == other_department and employee.name == "Robin Patel"
    assert _patch(client, url, {"name": "Late"}, HTTP_IF_MATCH=etag).status_code == 412


def test_upsert_creates_then_updates_by_hr_reference(assessor, department):
    client = api_client_for(assessor)
    url = reverse("api-employee-upsert", args=["HR-77"])
    body = {"name": "Sam Upsert", "job_title": "Driver", "department": department.pk}
    created = _put(client, url, body)
    assert created.status_code == 201, created.json()
    assert _put(client, url, {**body, "job_title": "Lead"}).status_code == 428
    stale = _put(client, url, {"job_title": "Lead"}, HTTP_IF_MATCH='"old"')
    assert stale.status_code == 412
    updated = _put(client, url, {"job_title": "Lead"}, HTTP_IF_MATCH=created["ETag"])
    assert updated.status_code == 200
    assert _put(client, url, {"job_title": "Chief"}, HTTP_IF_MATCH="*").status_code == 200
    employee = Employee.objects.get(hr_reference="HR-77")
    assert (employee.name, employee.job_title) == ("Sam Upsert", "Chief")
    missing = _put(client, reverse("api-employee-upsert", args=["HR-78"]), body, HTTP_IF_MATCH="*")
    assert missing.status_code == 412
    assert not Employee.objects.filter(hr_reference="HR-78").exists()


def test_upsert_of_an_employee_outside_a_managers_scope_is_refused(manager, other_employee):
    url = reverse("api-employee-upsert", args=[other_employee.hr_reference])
    assert api_client_for(manager).get(url).status_code == 404
    assert _put(api_client_for(manager), url, {"name": "x"}, HTTP_IF_MATCH="*").status_code == 403


# --- Assessments -------------------------------------------------------------------------


def _document(completed: Assessment) -> dict:
    return json.loads(
        client_for(completed.assessor).get(reverse("assessment_json", args=[completed.pk])).content
    )


def test_a_draft_is_created_from_an_interchange_document(assessor, completed):
    response = api_client_for(assessor).post(
        reverse("api-assessment-list"),
        {"employee": completed.employee.pk, "document": _document(completed)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    draft = Assessment.objects.get(pk=response.json()["id"])
    assert (
        draft.status == "draft" and draft.lifting_tasks.count() == completed.lifting_tasks.count()
    )


def test_a_bad_interchange_document_is_refused_with_paths(assessor, completed):
    document = _document(completed)
    document["workstation"]["chair_hours_per_day"] = 99
    response = api_client_for(assessor).post(
        reverse("api-assessment-list"),
        {"employee": completed.employee.pk, "document": document},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert any("workstation" in problem for problem in response.json()["document"])
    assert Assessment.objects.count() == 1


def test_results_are_read_from_the_snapshot(assessor, manager, completed):
    oh = api_client_for(assessor).get(reverse("api-assessment-results", args=[completed.pk]))
    mgr = api_client_for(manager).get(reverse("api-assessment-results", args=[completed.pk]))
    assert oh.status_code == mgr.status_code == 200
    assert oh.json()["results"]["strain"]["band"] == completed.band
    assert mgr.json()["results"]["strain"]["band"] == completed.band
    assert "worker" in oh.json()["results"] and "referrals" in oh.json()["results"]
    assert "worker" not in mgr.json()["results"] and "referrals" not in mgr.json()["results"]
    assert (
        "notes"
        not in api_client_for(manager)
        .get(reverse("api-assessment-detail", args=[completed.pk]))
        .json()
    )


def test_lists_filter_by_department_band_status_and_date(assessor, completed, other_completed):
    client = api_client_for(assessor)
    url = reverse("api-assessment-list")
    dept = completed.employee.department_id
    ids = lambda query: {row["id"] for row in client.get(url + query).json()["results"]}  # noqa: E731
    assert ids(f"?department={dept}") == {completed.pk}
    assert ids(f"?band={completed.band}&status=completed") >= {completed.pk}
    assert ids(f"?assessed_after={completed.assessed_on}") == {completed.pk, other_completed.pk}
    assert ids("?assessed_before=2000-01-01") == set()
    bad = client.get(url + "?assessed_after=yesterday")
    assert bad.status_code == 400 and "assessed_after" in bad.json()
    actions = client.get(reverse("api-action-list") + f"?department={dept}&status=open").json()
    assert actions["count"] == completed.actions.count()


def test_lists_are_paginated(assessor, completed):
    client = api_client_for(assessor)
    page = client.get(reverse("api-action-list") + "?page_size=2").json()
    assert len(page["results"]) == 2 and page["count"] == completed.actions.count()
    assert "page=2" in page["next"]


# --- Reports and exports -----------------------------------------------------------------


def test_a_stored_report_is_downloaded_never_rendered(manager, completed):
    client = api_client_for(manager)
    url = reverse("api-report-download", args=[completed.pk, "manager"])
    assert client.get(url).status_code == 409  # not stored yet: nothing is rendered
    assert not Report.objects.exists()
    report = Report(assessment=completed, kind="manager", sha256="a" * 64, snapshot_sha256="b" * 64)
    report.file.save("m.pdf", ContentFile(b"%PDF-1.7 stored"), save=False)
    report.save()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 stored"
    assert response["X-Report-SHA256"] == "a" * 64
    listed = client.get(reverse("api-report-list", args=[completed.pk])).json()
    assert [r["kind"] for r in listed] == ["manager"]


def test_exports_have_the_same_columns_as_the_page_exports(assessor, completed):
    client = api_client_for(assessor)
    for table, page in [("actions", "action_export"), ("assessments", "assessment_export")]:
        page_csv = b"".join(client_for(assessor).get(reverse(page, args=["csv"])).streaming_content)
        api_csv = b"".join(client.get(reverse("api-export", args=[table, "csv"])).streaming_content)
        assert api_csv == page_csv
        header = next(csv.reader(io.StringIO(page_csv.decode("utf-8-sig"))))
        data = client.get(reverse("api-export", args=[table, "json"])).json()
        assert data["columns"] == header
        assert set(data["rows"][0]) == set(header)
    assert client.get(reverse("api-export", args=["actions", "pdf"])).status_code == 404


# --- Audit -------------------------------------------------------------------------------


def test_every_oh_read_of_health_data_is_audited(assessor, completed):
    client = api_client_for(assessor)
    health_action = completed.actions.exclude(
        category__in=["eliminate", "engineering", "administrative"]
    ).first()
    calls = [
        reverse("api-assessment-detail", args=[completed.pk]),
        reverse("api-assessment-results", args=[completed.pk]),
        reverse("api-assessment-interchange", args=[completed.pk]),
        reverse("api-action-detail", args=[health_action.pk]),
        reverse("api-action-list"),
        reverse("api-export", args=["assessments", "json"]),
        reverse("api-export", args=["actions", "csv"]),
    ]
    for url in calls:
        before = AuditEvent.objects.count()
        assert client.get(url).status_code == 200, url
        events = list(AuditEvent.objects.order_by("-pk")[: AuditEvent.objects.count() - before])
        assert len(events) == 1, (url, events)  # one event per response, as for the pages
        assert events[0].user == assessor and events[0].detail.startswith("API:")


def test_a_managers_reads_are_not_health_reads(manager, completed):
    client = api_client_for(manager)
    for url in [
        reverse("api-assessment-detail", args=[completed.pk]),
        reverse("api-assessment-results", args=[completed.pk]),
        reverse("api-action-list"),
        reverse("api-export", args=["actions", "json"]),
    ]:
        assert client.get(url).status_code == 200
    assert not AuditEvent.objects.exists()


def test_an_hr_system_sends_and_reads_the_email_and_start_date(assessor, department):
    client = api_client_for(assessor)
    url = reverse("api-employee-upsert", args=["HR-79"])
    body = {
        "name": "Pat Starter",
        "job_title": "Driver",
        "department": department.pk,
        "email": "pat@example.org",
        "started_on": timezone.localdate().isoformat(),
    }
    created = _put(client, url, body)
    assert created.status_code == 201, created.json()
    read = client.get(url).json()
    assert read["email"] == "pat@example.org"
    assert read["started_on"] == timezone.localdate().isoformat()
    bad = _put(client, url, {"email": "not-an-address"}, HTTP_IF_MATCH=created["ETag"])
    assert bad.status_code == 400 and "email" in bad.json()
