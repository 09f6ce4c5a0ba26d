"""What people see after an employee is erased: pages without the person, reports and
report packs gone (410), open actions cancelled and counted as closed, nothing more added.

`test_erasure_canary.py` searches every table and file for what is left; this module checks
the behaviour around it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from html import escape, unescape
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from assessments.actions.forms import CHOSEN_STATUSES
from assessments.actions.models import Action
from assessments.actions.services import ACTION_CANCELLED_MESSAGE
from assessments.insights import tallies
from assessments.people.models import AuditEvent, DepartmentTally, Employee
from assessments.records.models import Assessment
from assessments.reporting import jobs as reporting_jobs
from assessments.reporting import runs
from assessments.reporting import tasks as reporting_tasks
from assessments.reporting.models import Job, Report
from tests.conftest import client_for
from tests.report_data import complete_with_actions, full_draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_retry_pause(monkeypatch):
    monkeypatch.setattr(runs, "RETRY_DELAY_SECONDS", 0)


@pytest.fixture
def referred(employee, assessor, manager) -> Assessment:
    """A completed assessment with red flags (a referral) and open workplace actions."""
    return complete_with_actions(
        full_draft(employee=employee, assessor=assessor), user=assessor, owner=manager
    )


def _erase(admin_user: Any, employee: Employee, capture: Any) -> Any:
    with capture(execute=True):
        return client_for(admin_user).post(
            reverse("employee_erase", args=[employee.pk]), {"confirm": employee.hr_reference}
        )


def _text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:p|div)>', html, re.S)
    assert match, element_id
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


# --- Pages --------------------------------------------------------------------------------


def test_an_erased_assessment_offers_no_amend_reports_or_referral(
    assessor, admin_user, referred, django_capture_on_commit_callbacks
):
    url = reverse("assessment_detail", args=[referred.pk])
    before = client_for(assessor).get(url).text
    assert ">Amend<" in before and "referral" in before.lower() and "OH report (PDF)" in before

    response = _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)
    assert "1 completed assessment(s) anonymised" in " ".join(
        m.message for m in response.wsgi_request._messages
    )
    page = client_for(assessor).get(url).text
    assert ">Amend<" not in page
    assert "referral" not in page.lower() and "red flag" not in page.lower()
    assert "Worker factors" not in page
    assert "report_pdf" not in page and "/report/" not in page
    assert "Email manager report" not in page
    assert "The employee's records were erased" in _text(page, "erased")
    assert "Robin Patel" not in page
    # The workplace results stay.
    assert "Workstation (ROSA)" in page and "Lifting (Revised NIOSH Lifting Equation)" in page


def test_an_erased_employee_page_offers_nothing_to_add(
    assessor, admin_user, referred, django_capture_on_commit_callbacks
):
    employee = referred.employee
    _erase(admin_user, employee, django_capture_on_commit_callbacks)
    page = client_for(assessor).get(reverse("employee_detail", args=[employee.pk])).text
    for offer in ("Reassess (pre-filled)", "New assessment", "Edit details", "Import from file"):
        assert offer not in page
    assert "Records erased on" in page
    assert "Reassessment due" not in page


def test_nothing_can_be_added_to_an_erased_employee(
    assessor, admin_user, referred, django_capture_on_commit_callbacks
):
    employee = referred.employee
    _erase(admin_user, employee, django_capture_on_commit_callbacks)
    client = client_for(assessor)
    count = Assessment.objects.count()
    amend = client.post(
        reverse("assessment_amend", args=[referred.pk]), {"reason": "Late note"}, follow=True
    )
    assert "The employee's records were erased" in amend.text
    start = client.post(reverse("assessment_start", args=[employee.pk]), {"prefill": "previous"})
    assert start.status_code == 403
    assert client.get(reverse("assessment_import", args=[employee.pk])).status_code == 403
    assert Assessment.objects.count() == count


# --- Actions and counts ---------------------------------------------------------------------


def test_open_actions_are_cancelled_and_count_as_closed(
    assessor, manager, admin_user, referred, django_capture_on_commit_callbacks
):
    department = referred.employee.department
    tally = DepartmentTally.objects.get_or_create(department=department)[0]
    assert (
        _open_on_home(manager)
        == referred.actions.exclude(category__in=["individual", "clinical"])
        .exclude(code__startswith="activity.")
        .count()
    )

    _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)

    tally.refresh_from_db()
    # The erasure updated the stored counts in its own transaction: nothing to recount, and
    # they equal a fresh count.
    assert tally.version == tally.counted_version
    assert tallies.stored(department.pk) == tallies.sorted_rows(tallies.count(department.pk))
    remaining = Action.objects.filter(assessment=referred)
    assert not remaining.filter(status__in=["open", "in_progress"]).exists()
    cancelled = remaining.filter(status="cancelled")
    assert cancelled.exists()
    assert not remaining.filter(category__in=["individual", "clinical"]).exists()

    assert _open_on_home(manager) == 0
    figure = _text(client_for(assessor).get(reverse("dashboard")).text, "fig-actions")
    assert figure.startswith("Actions: 0 open · 0 in progress")
    assert figure.endswith(f"· {cancelled.count()} cancelled")
    board = client_for(assessor).get(reverse("action_board")).text
    column = board[board.index('id="column-cancelled"') :]
    assert 'action="/actions/bulk/"' not in column

    action = cancelled.first()
    page = client_for(manager).get(reverse("action_detail", args=[action.pk])).text
    assert (
        escape(str(Action.CANCELLED_REASON)) in page
        and "A cancelled action cannot be changed" in page
    )
    refused = client_for(manager).post(
        reverse("action_detail", args=[action.pk]),
        {"status": "open", "evidence_note": "", "lock_version": action.lock_version},
    )
    assert refused.status_code == 422
    assert escape(str(ACTION_CANCELLED_MESSAGE)) in refused.text
    bulk = client_for(manager).post(
        reverse("action_bulk_update"), {"selected": [action.pk], "status": "done", "note": "x"}
    )
    assert bulk.status_code == 302
    action.refresh_from_db()
    assert action.status == "cancelled"
    assert "cancelled" not in dict(CHOSEN_STATUSES)


def _open_on_home(manager: Any) -> int:
    """The open actions the manager's home page gives for the department."""
    html = client_for(manager).get(reverse("home")).text
    found = re.search(r'status=in_progress">(\d+)<', html)
    assert found
    return int(found.group(1))


def test_the_reassessment_is_cancelled(admin_user, referred, django_capture_on_commit_callbacks):
    assert referred.reassess_due is not None
    _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)
    referred.refresh_from_db()
    assert referred.reassess_due is None


def test_the_department_report_counts_no_open_action_of_an_erased_employee(
    manager, admin_user, referred, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    query = {
        "departments": referred.employee.department_id,
        "start": (today - dt.timedelta(days=30)).isoformat(),
        "end": today.isoformat(),
        "format": "html",
    }
    before = client_for(manager).get(reverse("department_report"), query).text
    assert re.search(r"Robin Patel</strong> · \d+ open", before)
    _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)
    after = client_for(manager).get(reverse("department_report"), query)
    assert after.status_code == 200
    assert "Robin Patel" not in after.text
    assert not re.search(r"Erased employee \d+</strong> · \d+ open", after.text)


# --- Reports, packs and emails ----------------------------------------------------------------


def _pack(user: Any, department: Any, capture: Any) -> Job:
    today = timezone.localdate()
    with capture(execute=True):
        response = client_for(user).post(
            reverse("pack_start"),
            {
                "department": department.pk,
                "start": (today - dt.timedelta(days=30)).isoformat(),
                "end": today.isoformat(),
            },
        )
    assert response.status_code == 302
    return Job.objects.latest("pk")


def _manifest(job: Job) -> list[dict[str, str]]:
    with job.result.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        return list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))


def test_report_packs_holding_an_erased_employee_are_deleted_and_expire(
    assessor, manager, admin_user, referred, other_completed, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    theirs = _pack(manager, referred.employee.department, capture)
    other = _pack(assessor, other_completed.employee.department, capture)
    assert theirs.status == other.status == Job.Status.SUCCEEDED
    assert "Robin Patel" in {row["employee"] for row in _manifest(theirs)}
    pack_file = theirs.result.name

    _erase(admin_user, referred.employee, capture)

    theirs.refresh_from_db()
    assert theirs.status == Job.Status.EXPIRED and not theirs.result
    assert not default_storage.exists(pack_file)
    download = client_for(manager).get(reverse("job_download", args=[theirs.pk]))
    assert download.status_code == 410
    assert escape(str(reporting_jobs.ERASED_SINCE)) in download.text
    job_page = client_for(manager).get(reverse("job_detail", args=[theirs.pk])).text
    assert "No longer available." in job_page and "Expired" in job_page
    # A pack without them stays, and a new pack of their department leaves them out.
    other.refresh_from_db()
    assert other.status == Job.Status.SUCCEEDED
    assert client_for(assessor).get(reverse("job_download", args=[other.pk])).status_code == 200
    today = timezone.localdate()
    assert referred not in runs.pack_assessments(
        department=referred.employee.department, start=today - dt.timedelta(days=30), end=today
    )


def test_a_pack_of_the_same_period_that_does_not_hold_them_stays(
    assessor, admin_user, referred, department, django_capture_on_commit_callbacks
):
    """A pack is expired for what its manifest lists, not for its dates alone."""
    capture = django_capture_on_commit_callbacks
    job = _pack(assessor, department, capture)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.csv", "file,document,employee,assessed_on,band,sha256\n")
    job.result.save("other.zip", ContentFile(buffer.getvalue()), save=True)
    _erase(admin_user, referred.employee, capture)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result


def test_unsent_report_emails_expire(
    admin_user, assessor, referred, django_capture_on_commit_callbacks
):
    job = Job.objects.create(
        kind=Job.Kind.EMAIL,
        requested_by=assessor,
        department=referred.employee.department,
        assessment=referred,
        total=1,
    )
    _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.EXPIRED
    runs.report_email_send(job_id=job.pk)  # a delivery that was already queued does nothing
    job.refresh_from_db()
    assert job.status == Job.Status.EXPIRED


def test_a_pack_that_expires_while_it_is_built_keeps_no_file(assessor, department):
    job = Job.objects.create(
        kind=Job.Kind.PACK,
        requested_by=assessor,
        department=department,
        status=Job.Status.EXPIRED,  # an erasure expired it while the worker was building it
    )
    job.result.save("pack.zip", ContentFile(b"PK..."), save=False)
    name = job.result.name
    runs._finish(job, failures=[])
    job.refresh_from_db()
    assert job.status == Job.Status.EXPIRED
    assert not default_storage.exists(name)


def test_reports_queued_before_an_erasure_are_not_stored_after_it(
    admin_user, assessor, referred, django_capture_on_commit_callbacks
):
    _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)
    result = reporting_tasks.render_assessment_reports.call(referred.pk, assessor.pk)
    assert result == []
    assert not Report.objects.filter(assessment=referred).exists()


def test_stored_reports_of_an_erased_employee_answer_gone_to_oh_and_managers(
    assessor, manager, admin_user, referred, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reporting_tasks.reports_schedule(assessment=referred, user=assessor)
    files = list(Report.objects.filter(assessment=referred).values_list("file", flat=True))
    assert len(files) == 2
    _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)
    assert not any(default_storage.exists(name) for name in files)
    for user, kind in ((assessor, "oh"), (assessor, "manager"), (manager, "manager")):
        response = client_for(user).get(reverse("report_pdf", args=[referred.pk, kind]))
        assert response.status_code == 410
        assert "This report is no longer available" in response.text
    assert not Report.objects.filter(assessment=referred).exists()


def test_a_cancelled_action_is_read_only_in_the_django_admin(
    admin_user, referred, django_capture_on_commit_callbacks
):
    workplace = referred.actions.filter(code__startswith="lifting.").first()
    url = reverse("admin:actions_action_change", args=[workplace.pk])
    before = client_for(admin_user).get(url).text
    assert 'name="status"' in before and 'value="cancelled"' not in before
    _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)
    page = client_for(admin_user).get(url)
    assert page.status_code == 200 and 'name="status"' not in page.text
    refused = client_for(admin_user).post(url, {"status": "open", "title": "x"})
    assert refused.status_code == 403
    workplace.refresh_from_db()
    assert workplace.status == "cancelled"


def test_audit_details_lose_the_name_and_hr_reference_and_nothing_else(
    assessor, admin_user, referred, django_capture_on_commit_callbacks
):
    client = client_for(assessor)
    client.get(reverse("assessment_export", args=["csv"]), {"q": "robin patel"})
    client.get(reverse("assessment_export", args=["csv"]), {"q": "E100"})
    client.get(reverse("assessment_export", args=["csv"]), {"q": "E1001"})
    _erase(admin_user, referred.employee, django_capture_on_commit_callbacks)
    details = list(
        AuditEvent.objects.filter(kind="export").order_by("pk").values_list("detail", flat=True)
    )
    assert details == [
        "assessments csv with health detail (q=[erased])",
        "assessments csv with health detail (q=[erased])",
        "assessments csv with health detail (q=E1001)",
    ]
