"""Report packs and report emails as background jobs (immediate backend: the embedded default).

The same jobs on real workers (database queue, Redis) are in `test_job_workers.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.records import services
from assessments.reporting import forms as job_forms
from assessments.reporting import jobs, runs, store
from assessments.reporting.models import Job, Report
from tests.conftest import client_for, complete, fill_draft

pytestmark = pytest.mark.django_db

HEALTH_MARKERS = ["BMI", "Yellow flags", "psychosocial", "Red flags"]


@pytest.fixture(autouse=True)
def _no_retry_pause(monkeypatch):
    monkeypatch.setattr(runs, "RETRY_DELAY_SECONDS", 0)


@pytest.fixture
def second_completed(employee, assessor):
    """A second completed assessment in the manager's department (a reassessment)."""
    draft = fill_draft(services.assessment_create(employee=employee, assessor=assessor))
    return complete(draft, assessor)


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": str(today - dt.timedelta(days=30)), "end": str(today)}


def _start_pack(client, department, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("pack_start"), {"department": department.pk, **_period(), **extra}
        )


def test_manager_gets_a_zip_of_every_manager_report_and_the_department_report(
    manager, department, completed, second_completed, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    response = _start_pack(client, department, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])

    page = client.get(response["Location"]).content.decode()
    assert "Done" in page
    assert "3 of 3 reports" in page
    assert "Download report-pack-customer-service-" in page

    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    start, end = _period()["start"], _period()["end"]
    assert sorted(archive.namelist()) == sorted(
        [
            f"manager-reports/EA-{completed.pk:06d}-R1-robin-patel.pdf",
            f"manager-reports/EA-{second_completed.pk:06d}-R1-robin-patel.pdf",
            f"department-report-customer-service-{start}-{end}.pdf",
            "manifest.csv",
        ]
    )
    for name in archive.namelist():
        if name.endswith(".pdf"):
            reader = PdfReader(io.BytesIO(archive.read(name)))
            text = "".join(page.extract_text() for page in reader.pages)
            assert len(reader.pages) >= 1, name
            for marker in HEALTH_MARKERS:
                assert marker not in text, (name, marker)
    manifest = archive.read("manifest.csv").decode()
    assert f"EA-{completed.pk:06d}-R1" in manifest


def test_the_pack_reuses_the_stored_manager_reports(
    manager, department, completed, django_capture_on_commit_callbacks
):
    stored = store.report_store(assessment=completed, kind=Report.Kind.MANAGER)
    client = client_for(manager)
    _start_pack(client, department, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    archive = zipfile.ZipFile(job.result.open("rb"))
    with stored.file.open("rb") as handle:
        assert archive.read(f"manager-reports/EA-{completed.pk:06d}-R1-robin-patel.pdf") == (
            handle.read()
        )
    assert Report.objects.filter(assessment=completed, kind=Report.Kind.MANAGER).count() == 1


def test_a_report_that_fails_once_is_retried_and_the_retry_is_shown(
    manager, department, completed, monkeypatch, django_capture_on_commit_callbacks
):
    real_render = store.report_render
    calls = []

    def flaky(assessment, kind):
        calls.append(kind)
        if len(calls) == 1:
            raise RuntimeError("renderer crashed")
        return real_render(assessment, kind)

    monkeypatch.setattr(store, "report_render", flaky)
    client = client_for(manager)
    _start_pack(client, department, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert len(calls) == 2
    assert job.retries == [
        {
            "step": f"Manager report EA-{completed.pk:06d}-R1",
            "attempt": 1,
            "error": "RuntimeError: renderer crashed",
        }
    ]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Retried steps" in page
    assert "attempt 1 failed (RuntimeError: renderer crashed)" in page
    assert f"manager-reports/EA-{completed.pk:06d}-R1-robin-patel.pdf" in (
        zipfile.ZipFile(job.result.open("rb")).namelist()
    )


def test_a_report_that_keeps_failing_fails_the_pack_and_is_named(
    manager,
    department,
    completed,
    second_completed,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    real_render = store.report_render

    def broken_for_one(assessment, kind):
        if assessment.pk == completed.pk:
            raise OSError("font file missing")
        return real_render(assessment, kind)

    monkeypatch.setattr(store, "report_render", broken_for_one)
    client = client_for(manager)
    _start_pack(client, department, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert (job.done, job.total) == (2, 3)
    assert [r["attempt"] for r in job.retries] == [1, 2, 3]
    assert not job.result
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The job failed." in page
    assert "2 of 3 reports" in page
    assert f"Manager report EA-{completed.pk:06d}-R1: OSError: font file missing" in page
    assert "still failed after 3 attempts" in page
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_the_job_page_counts_reports_as_they_are_done(
    manager,
    department,
    completed,
    second_completed,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    client = client_for(manager)
    seen: list[str] = []
    real_store = store.report_store

    def store_and_look(**kwargs):
        job = Job.objects.get()
        page = client.get(job.get_absolute_url()).content.decode()
        seen.append(page.split('id="job-progress">')[1].split("<")[0])
        assert "Running" in page
        assert "updates itself" in page
        return real_store(**kwargs)

    monkeypatch.setattr(store, "report_store", store_and_look)
    _start_pack(client, department, django_capture_on_commit_callbacks)
    assert seen == ["0 of 3 reports", "1 of 3 reports"]
    assert "3 of 3 reports" in client.get(Job.objects.get().get_absolute_url()).content.decode()


def test_a_manager_cannot_pack_another_department(
    other_manager, department, completed, django_capture_on_commit_callbacks
):
    response = _start_pack(
        client_for(other_manager), department, django_capture_on_commit_callbacks
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.exists()


def test_a_period_without_completed_assessments_is_refused_with_a_message(
    manager, department, draft, django_capture_on_commit_callbacks
):
    response = _start_pack(client_for(manager), department, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert str(job_forms.NOTHING_TO_PACK) in response.content.decode()
    assert not Job.objects.exists()


def test_an_end_before_the_start_is_refused_next_to_the_field(
    manager, department, completed, django_capture_on_commit_callbacks
):
    response = _start_pack(
        client_for(manager),
        department,
        django_capture_on_commit_callbacks,
        start="2026-05-01",
        end="2026-04-01",
    )
    assert response.status_code == 422
    assert str(job_forms.END_BEFORE_START) in response.content.decode()


def test_the_department_report_page_offers_the_pack_and_lists_recent_ones(
    manager,
    department,
    completed,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client = client_for(manager)
    _start_pack(client, department, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("department_report")).content.decode()
    assert "Prepare report pack" in page
    assert "Your recent report packs" in page
    assert "Customer Service, " in page


def test_only_the_requester_and_oh_staff_see_a_job(
    manager, department, completed, assessor, admin_user, django_capture_on_commit_callbacks
):
    from tests.conftest import _user

    _start_pack(client_for(manager), department, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    colleague = _user("colleague", "Manager")
    department.managers.add(colleague)
    assert client_for(colleague).get(job.get_absolute_url()).status_code == 404
    assert client_for(colleague).get(reverse("job_download", args=[job.pk])).status_code == 404
    assert client_for(assessor).get(job.get_absolute_url()).status_code == 200
    assert client_for(admin_user).get(reverse("job_download", args=[job.pk])).status_code == 200


def test_a_manager_who_no_longer_manages_the_department_loses_the_pack(
    manager, department, completed, django_capture_on_commit_callbacks
):
    _start_pack(client_for(manager), department, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    department.managers.remove(manager)
    manager.refresh_from_db()
    assert client_for(manager).get(job.get_absolute_url()).status_code in (403, 404)


def test_the_job_page_needs_few_queries(
    manager,
    department,
    completed,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client = client_for(manager)
    _start_pack(client, department, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    with django_assert_max_num_queries(8):
        assert client.get(job.get_absolute_url()).status_code == 200


def test_a_queue_that_cannot_be_reached_fails_the_job_with_a_message(
    manager, department, completed, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    client = client_for(manager)
    response = _start_pack(client, department, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert str(jobs.QUEUE_DOWN) in page


# --- Report emails -------------------------------------------------------------------------


def test_assessor_emails_the_manager_report_to_each_department_manager(
    assessor, manager, department, completed, django_capture_on_commit_callbacks
):
    from tests.conftest import _user

    manager.email = "manager@example.org"
    manager.save()
    deputy = _user("deputy", "Manager", email="deputy@example.org")
    department.managers.add(deputy)
    client = client_for(assessor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_email", args=[completed.pk]))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert sorted(m.to[0] for m in mail.outbox) == ["deputy@example.org", "manager@example.org"]
    message = mail.outbox[0]
    assert "Manager report: Robin Patel, Customer Service" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert name == f"manager-report-EA-{completed.pk:06d}-R1-robin-patel.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    page = client.get(job.get_absolute_url()).content.decode()
    assert "2 of 2 emails" in page
    assert "sent to 2 managers" in page


def test_an_email_that_fails_once_is_retried(
    assessor, manager, completed, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage

    manager.email = "manager@example.org"
    manager.save()
    real_send = EmailMessage.send
    attempts = []

    def flaky_send(self, *args, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionRefusedError("SMTP server not answering")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky_send)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(assessor).post(reverse("report_email", args=[completed.pk]))
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert len(mail.outbox) == 1
    assert job.retries[0]["step"] == "Email to manager@example.org"


def test_no_email_job_when_no_manager_has_an_address(assessor, manager, completed):
    response = client_for(assessor).post(reverse("report_email", args=[completed.pk]), follow=True)
    assert "No manager of Customer Service has an email address" in response.content.decode()
    assert not Job.objects.exists()
    assert not mail.outbox


def test_managers_cannot_send_report_emails(manager, completed):
    response = client_for(manager).post(reverse("report_email", args=[completed.pk]))
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_only_oh_staff_are_offered_the_report_email(assessor, manager, completed):
    url = reverse("assessment_detail", args=[completed.pk])
    assert "Email manager report to managers" in client_for(assessor).get(url).content.decode()
    assert "Email manager report to managers" not in client_for(manager).get(url).content.decode()
