"""Health-data protection: an employee's data export and erasure, retention, the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from html import escape
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.core import health
from assessments.people import services as people_services
from assessments.people.models import AuditEvent, Employee
from assessments.privacy import services as privacy
from assessments.privacy.forms import ERASE_CONFIRM_MESSAGE
from assessments.records import photos, services
from assessments.records.models import Assessment, Photo, WorkerSection
from assessments.reporting.models import Report
from assessments.views.reports import REPORT_ERASED_MESSAGE
from tests.conftest import client_for, complete, fill_draft

pytestmark = pytest.mark.django_db

NOTE = "Mentioned a divorce and poor sleep since March"
EVIDENCE = "Robin says the new chair helps her hip"


def _photo(assessment: Assessment, user: Any, caption: str = "Desk from the left") -> Photo:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    upload = SimpleUploadedFile("desk.jpg", buffer.getvalue(), content_type="image/jpeg")
    return photos.photo_store(
        assessment=assessment, upload=upload, section="workstation", caption=caption, user=user
    )


def _report(assessment: Assessment, kind: str = "oh") -> Report:
    report = Report(assessment=assessment, kind=kind, sha256="0" * 64, snapshot_sha256="1" * 64)
    report.file.save(f"{kind}-{assessment.pk}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.save()
    return report


@pytest.fixture
def held(completed: Assessment, assessor: Any) -> dict[str, Any]:
    """A completed assessment with notes, evidence, a photo and a stored report, and a draft."""
    Assessment.objects.filter(pk=completed.pk).update(notes=NOTE)
    action = completed.actions.exclude(category="clinical").first()
    action_services.action_update(action=action, status="in_progress", evidence_note=EVIDENCE)
    photo = _photo(completed, assessor)
    report = _report(completed)
    draft = fill_draft(services.assessment_create(employee=completed.employee, assessor=assessor))
    draft_photo = _photo(draft, assessor, caption="Draft photo")
    return {
        "completed": completed,
        "draft": draft,
        "photo": photo,
        "draft_photo": draft_photo,
        "report": report,
        "action": action,
    }


# --- Export ----------------------------------------------------------------------------------


def _export(admin_user: Any, employee: Employee) -> zipfile.ZipFile:
    response = client_for(admin_user).post(reverse("employee_data_export", args=[employee.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="employee-{employee.pk}-data.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_admin_downloads_everything_held_about_an_employee(admin_user, held):
    completed = held["completed"]
    Employee.objects.filter(pk=completed.employee.pk).update(
        email="robin.patel@example.org", started_on=dt.date(2019, 4, 1)
    )
    archive = _export(admin_user, completed.employee)
    names = set(archive.namelist())
    assert "employee.json" in names
    assert f"reports/{completed.pk}-oh-r1.pdf" in names
    assert f"photos/{completed.pk}-{held['photo'].pk}.jpg" in names
    assert f"photos/{held['draft'].pk}-{held['draft_photo'].pk}.jpg" in names
    assert archive.read(f"reports/{completed.pk}-oh-r1.pdf") == b"%PDF-1.7 test"

    data = json.loads(archive.read("employee.json"))
    assert data["format"] == "ergo-employee-export"
    assert data["employee"]["name"] == "Robin Patel"
    assert data["employee"]["hr_reference"] == "E100"
    assert data["employee"]["email"] == "robin.patel@example.org"
    assert data["employee"]["started_on"] == "2019-04-01"
    assert data["exported_by"] == "admin"
    by_id = {a["id"]: a for a in data["assessments"]}
    done = by_id[completed.pk]
    assert done["status"] == "completed"
    assert done["notes"] == NOTE
    assert done["inputs"]["worker"]["weight_kg"] == 92.0
    assert done["results"]["strain"]["band"] == completed.band
    assert len(done["actions"]) == completed.actions.count()
    assert EVIDENCE in [a["evidence_note"] for a in done["actions"]]
    assert done["photos"][0]["caption"] == "Desk from the left"
    assert done["reports"][0]["kind"] == "oh"
    assert {row["model"] for row in done["history"]} >= {"assessment", "workersection", "action"}
    draft = by_id[held["draft"].pk]
    assert draft["status"] == "draft"
    assert draft["results"] is None
    assert draft["inputs"]["sitting"]["pct_sitting"] == 85


def test_the_export_is_in_the_audit_trail_and_in_the_next_export(admin_user, held):
    employee = held["completed"].employee
    _export(admin_user, employee)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.user == admin_user and event.employee == employee
    assert event.detail.startswith("data export: 2 assessment(s)")
    data = json.loads(_export(admin_user, employee).read("employee.json"))
    assert [e["kind"] for e in data["access_log"]] == ["export"]


def test_a_missing_stored_file_is_listed_not_fatal(admin_user, held):
    default_storage.delete(held["report"].file.name)
    archive = _export(admin_user, held["completed"].employee)
    assert archive.read("missing-files.txt").decode().strip().startswith("reports/")


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_only_admins_export(request, role, held):
    user = request.getfixturevalue(role)
    employee = held["completed"].employee
    response = client_for(user).post(reverse("employee_data_export", args=[employee.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_privacy_page_says_what_is_held(admin_user, held):
    employee = held["completed"].employee
    response = client_for(admin_user).get(reverse("employee_privacy", args=[employee.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 completed assessment(s), 1 draft(s)" in text
    assert "2 photo(s), 1 stored PDF report(s)" in text
    assert "kept for 6 year(s) after the employee leaves" in text


# --- Erasure ---------------------------------------------------------------------------------


def test_erasure_asks_for_the_hr_reference(admin_user, held):
    employee = held["completed"].employee
    url = reverse("employee_erase", args=[employee.pk])
    client = client_for(admin_user)
    page = client.get(url)
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    response = client.post(url, {"confirm": "E10"})
    assert response.status_code == 422
    assert escape(str(ERASE_CONFIRM_MESSAGE)) in response.content.decode()
    employee.refresh_from_db()
    assert employee.name == "Robin Patel" and employee.anonymised_at is None
    assert Assessment.objects.filter(pk=held["draft"].pk).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ERASE).exists()


def _erase(admin_user: Any, employee: Employee) -> Any:
    return client_for(admin_user).post(
        reverse("employee_erase", args=[employee.pk]), {"confirm": employee.hr_reference}
    )


def test_erasure_keeps_statistics_and_removes_the_person(
    admin_user, held, django_capture_on_commit_callbacks
):
    completed, employee = held["completed"], held["completed"].employee
    Employee.objects.filter(pk=employee.pk).update(
        email="robin.patel@example.org", started_on=dt.date(2019, 4, 1)
    )
    band, score, results = completed.band, completed.strain_score, completed.results
    inputs = completed.inputs
    files = [held["photo"].image.name, held["draft_photo"].image.name, held["report"].file.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = _erase(admin_user, employee)
    assert response.status_code == 302
    assert response["Location"] == reverse("employee_detail", args=[employee.pk])

    employee.refresh_from_db()
    assert employee.name == f"Erased employee {employee.pk}"
    assert employee.hr_reference == f"erased-{employee.pk}"
    assert employee.job_title == ""
    assert employee.email == "" and employee.started_on is None
    assert not employee.active and employee.anonymised_at is not None
    assert employee.left_on == timezone.localdate()

    completed.refresh_from_db()
    # Statistics stay: the band, the score and the workplace method results (ROSA, NIOSH).
    assert (completed.band, completed.strain_score) == (band, score)
    kept = completed.results
    assert kept["workstation"] == results["workstation"]
    assert kept["strain"]["score"] == score and kept["strain"]["band"] == band
    assert kept["lifting"]["tasks"][0]["governing"] == results["lifting"]["tasks"][0]["governing"]
    assert completed.inputs["workstation"] == inputs["workstation"]
    # Nothing about the person does: worker factors, activity, referrals, reasons, labels.
    assert kept["worker"] is None and kept["sitting"] is None
    assert completed.inputs["worker"] is None and completed.inputs["sitting"] is None
    assert kept["strain"]["components"] == [] and kept["referrals"] == []
    assert kept["recommendations"] == []
    assert kept["lifting"]["tasks"][0]["task"]["label"] == "Task 1"
    assert "Boxes to shelf" not in json.dumps([completed.inputs, kept])
    assert completed.reassess_due is None
    assert completed.notes == ""
    assert not Assessment.objects.filter(pk=held["draft"].pk).exists()
    assert not Photo.objects.filter(assessment__employee=employee).exists()
    assert not Report.objects.filter(assessment__employee=employee).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert not Action.objects.filter(assessment=completed).exclude(evidence_note="").exists()
    for action in Action.objects.filter(assessment=completed):
        if not health.reason_visible(code=action.code, category=action.category):
            assert action.rationale == privacy.REMOVED_TEXT and action.detail == ""
    # Personal health and psychosocial actions are gone altogether; the open workplace
    # actions are cancelled (the status is the reason).
    remaining = Action.objects.filter(assessment=completed)
    assert not remaining.filter(code__startswith="individual.").exists()
    assert not remaining.filter(code__startswith="clinical.").exists()
    assert not remaining.filter(code__startswith="psychosocial.").exists()
    assert remaining.exists()
    assert not remaining.exclude(status__in=["done", "declined", "cancelled"]).exists()
    assert remaining.filter(status="cancelled").exists()
    assert not remaining.exclude(detail="").exists()
    assert not remaining.exclude(rationale="").exists()

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ERASE)
    assert event.user == admin_user and event.employee == employee
    assert event.detail == (
        "erasure request: 1 completed assessment(s) anonymised, 1 draft(s) deleted, "
        "2 photo(s) and 1 stored report(s) removed"
    )


def test_nothing_personal_is_left_anywhere_after_erasure(admin_user, held):
    employee = held["completed"].employee
    _erase(admin_user, employee)
    document, files = privacy.employee_export_document(Employee.objects.get(pk=employee.pk))
    text = json.dumps(document, default=str)
    for personal in ("Robin Patel", "E100", "Customer adviser", NOTE, EVIDENCE):
        assert personal not in text, personal
    assert files == {}
    assert not WorkerSection.history.filter(assessment_id=held["draft"].pk).exists()
    assert not Assessment.history.filter(id=held["draft"].pk).exists()
    assert not Assessment.history.filter(notes=NOTE).exists()
    assert not Action.history.filter(evidence_note=EVIDENCE).exists()


@pytest.mark.parametrize("kind", ["oh", "manager"])
@pytest.mark.parametrize("view", ["report_preview", "report_pdf"])
def test_reports_of_an_erased_employee_are_gone_not_rendered_again(
    admin_user, manager, held, kind, view
):
    completed = held["completed"]
    _erase(admin_user, completed.employee)
    for user in (admin_user, manager):
        response = client_for(user).get(reverse(view, args=[completed.pk, kind]))
        if kind == "oh" and user is manager:
            assert response.status_code == 403
            continue
        assert response.status_code == 410
        assert response["Content-Type"].startswith("text/html")
        text = response.content.decode()
        assert escape(str(REPORT_ERASED_MESSAGE)) in text
        assert "Robin Patel" not in text
    assert not Report.objects.filter(assessment=completed).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEW_OH_REPORT).exists()


def test_erased_photos_are_no_longer_served(admin_user, held):
    photo = held["photo"]
    _erase(admin_user, held["completed"].employee)
    client = client_for(admin_user)
    assert client.get(reverse("photo_file", args=[photo.pk])).status_code == 404


# --- Retention -------------------------------------------------------------------------------


def _leaver(department: Any, ref: str, left_on: dt.date) -> Employee:
    return Employee.objects.create(
        hr_reference=ref,
        name=f"Leaver {ref}",
        job_title="Clerk",
        department=department,
        active=False,
        left_on=left_on,
    )


@pytest.fixture
def leavers(department, assessor, settings):
    settings.RETENTION_YEARS_AFTER_LEAVING = 6
    today = timezone.localdate()
    due = _leaver(department, "L1", privacy.retention_cutoff(today=today, years=6))
    recent = _leaver(department, "L2", today - dt.timedelta(days=5 * 365))
    for employee in (due, recent):
        complete(
            fill_draft(services.assessment_create(employee=employee, assessor=assessor)), assessor
        )
    return due, recent


def test_dry_run_lists_leavers_past_retention_and_changes_nothing(leavers):
    due, recent = leavers
    out = io.StringIO()
    call_command("anonymise_leavers", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Retention: 6 year(s) after leaving; 1 employee(s) due." in text
    assert f"employee #{due.pk}, left {due.left_on:%Y-%m-%d}: 1 completed assessment(s)" in text
    assert f"#{recent.pk}" not in text
    assert "Dry run: nothing was changed." in text
    assert not Employee.objects.filter(anonymised_at__isnull=False).exists()
    assert not AuditEvent.objects.exists()


def test_retention_run_anonymises_only_leavers_past_the_period(leavers):
    due, recent = leavers
    out = io.StringIO()
    call_command("anonymise_leavers", stdout=out)
    assert "Anonymised 1 employee(s)." in out.getvalue()
    due.refresh_from_db()
    recent.refresh_from_db()
    assert due.name == f"Erased employee {due.pk}" and due.anonymised_at is not None
    assert recent.name == "Leaver L2" and recent.anonymised_at is None
    assert due.assessments.get().band  # kept for statistics
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ERASE)
    assert event.user is None
    assert event.detail.startswith(f"retention (6 years after leaving on {due.left_on:%Y-%m-%d})")
    again = io.StringIO()
    call_command("anonymise_leavers", stdout=again)
    assert "0 employee(s) anonymising" in again.getvalue()


def test_retention_period_comes_from_settings(leavers, settings):
    settings.RETENTION_YEARS_AFTER_LEAVING = 4
    assert {e.hr_reference for e in privacy.leavers_due()} == {"L1", "L2"}


def test_retention_cutoff_handles_29_february():
    assert privacy.retention_cutoff(today=dt.date(2028, 2, 29), years=6) == dt.date(2022, 2, 28)


def test_employee_form_records_the_leaving_date(assessor, employee):
    Employee.objects.filter(pk=employee.pk).update(
        created_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    )
    client = client_for(assessor)
    data = {
        "hr_reference": "E100",
        "name": "Robin Patel",
        "job_title": "Customer adviser",
        "work_type": "office",
        "department": employee.department_id,
        "left_on": "2025-01-31",
    }
    still_active = client.post(
        reverse("employee_edit", args=[employee.pk]), {**data, "active": "on"}
    )
    assert still_active.status_code == 200
    assert "Someone who has left is no longer active" in still_active.content.decode()
    assert client.post(reverse("employee_edit", args=[employee.pk]), data).status_code == 302
    employee.refresh_from_db()
    assert employee.left_on == dt.date(2025, 1, 31) and not employee.active


# --- Audit trail -----------------------------------------------------------------------------


def _events() -> list[tuple[str, str]]:
    return list(AuditEvent.objects.order_by("pk").values_list("kind", "detail"))


def test_opening_a_completed_assessment_is_logged_for_oh_not_for_managers(
    assessor, manager, completed
):
    url = reverse("assessment_detail", args=[completed.pk])
    client_for(manager).get(url)
    assert _events() == []
    client_for(assessor).get(url)
    event = AuditEvent.objects.get()
    assert (event.kind, event.user, event.employee, event.assessment) == (
        "view_health",
        assessor,
        completed.employee,
        completed,
    )


def test_opening_a_draft_and_its_completion_review_is_logged(assessor, draft):
    client = client_for(assessor)
    client.get(reverse("assessment_detail", args=[draft.pk]))
    client.get(reverse("assessment_complete", args=[draft.pk]))
    assert _events() == [("view_health", "draft editor"), ("view_health", "completion review")]


def test_oh_report_views_are_logged_and_manager_reports_are_not(assessor, manager, completed):
    client_for(manager).get(reverse("report_preview", args=[completed.pk, "manager"]))
    assert _events() == []
    client_for(assessor).get(reverse("report_preview", args=[completed.pk, "oh"]))
    assert _events() == [("view_oh_report", "OH report oh")]


def test_oh_pdf_download_is_logged(assessor, completed):
    response = client_for(assessor).get(reverse("report_pdf", args=[completed.pk, "oh"]))
    assert response.status_code == 200
    assert AuditEvent.objects.get().kind == "view_oh_report"


def test_admin_pages_with_health_detail_and_admin_exports_are_logged(admin_user, completed):
    client = client_for(admin_user)
    worker = WorkerSection.objects.get(assessment=completed)
    client.get(reverse("admin:records_workersection_change", args=[worker.pk]))
    client.get(reverse("admin:records_assessment_change", args=[completed.pk]))
    client.post(
        reverse("admin:actions_action_changelist"),
        {"action": "export_csv", "_selected_action": [a.pk for a in completed.actions.all()]},
    )
    count = completed.actions.count()
    assert _events() == [
        ("view_health", "admin: worker section"),
        ("view_health", "admin: assessment"),
        ("export", f"admin CSV export: {count} action row(s)"),
    ]


def test_sections_of_a_completed_assessment_cannot_be_changed_in_the_admin(admin_user, completed):
    worker = WorkerSection.objects.get(assessment=completed)
    url = reverse("admin:records_workersection_change", args=[worker.pk])
    client = client_for(admin_user)
    assert 'name="age_years"' not in client.get(url).content.decode()
    client.post(url, {"age_years": 99, "episodes_last_12_months": 0, "assessment": completed.pk})
    worker.refresh_from_db()
    assert worker.age_years == 42
    delete = reverse("admin:records_workersection_delete", args=[worker.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert WorkerSection.objects.filter(pk=worker.pk).exists()


def test_audit_page_lists_events_for_admins(
    admin_user, assessor, completed, django_assert_max_num_queries
):
    for _ in range(60):
        people_services.audit(
            kind="view_health",
            user=assessor,
            employee=completed.employee,
            assessment=completed,
            detail="assessment page",
        )
    people_services.audit(
        kind="export", user=admin_user, detail="admin CSV export: 3 action row(s)"
    )
    client = client_for(admin_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Exported data" in text and "Viewed health detail" in text
    assert "Page 1 of 2 (61)" in text
    only_his = client.get(reverse("audit_log"), {"employee": completed.employee.pk})
    assert "Page 1 of 2 (60)" in only_his.content.decode()
    exports = client.get(reverse("audit_log"), {"kind": "export"})
    assert "admin CSV export" in exports.content.decode()
    assert "assessment page" not in exports.content.decode()


# --- Managers never see personal health actions -------------------------------------------


def test_managers_do_not_see_personal_health_actions(manager, assessor, completed):
    health = completed.actions.filter(code="individual.weight_management").get()
    listing = client_for(manager).get(reverse("action_list")).content.decode()
    assert "weight-management" not in listing
    assert client_for(manager).get(reverse("action_detail", args=[health.pk])).status_code == 404
    assert client_for(assessor).get(reverse("action_detail", args=[health.pk])).status_code == 200


def test_managers_read_the_withheld_reason_for_psychosocial_actions(manager, completed):
    action = (
        completed.actions.filter(code__startswith="psychosocial.")
        .exclude(category="individual")
        .first()
    )
    page = client_for(manager).get(reverse("action_detail", args=[action.pk])).content.decode()
    assert health.WITHHELD in page
    assert "yellow flag" not in page


def test_opening_a_health_action_is_logged_for_oh_staff(assessor, manager, completed):
    health = completed.actions.get(code="individual.weight_management")
    client_for(assessor).get(reverse("action_detail", args=[health.pk]))
    workplace = completed.actions.filter(code__startswith="workstation.").first()
    client_for(assessor).get(reverse("action_detail", args=[workplace.pk]))
    psychosocial = (
        completed.actions.filter(code__startswith="psychosocial.")
        .exclude(category="individual")
        .first()
    )
    client_for(manager).get(reverse("action_detail", args=[psychosocial.pk]))
    assert _events() == [("view_health", "action individual.weight_management")]
