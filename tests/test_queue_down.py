"""The task queue unreachable after a change is committed: never an error page.

Completing an assessment and updating an action commit first and hand work to the queue
afterwards. With the queue down (a backend whose enqueue raises, or Redis not
answering) the change stays saved, the person sees a plain message, the reports are
marked as not queued, and they become available later: on first download, or when a
worker catches up.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

import pytest
from django.tasks.backends.dummy import DummyBackend
from django.urls import reverse

from assessments.actions.models import Action
from assessments.records.models import Assessment
from assessments.reporting import tasks
from assessments.reporting.models import PendingReports, Report
from assessments.views.assessments import COMPLETED_MESSAGE
from tests.conftest import client_for, give_consent

pytestmark = pytest.mark.django_db


class UnreachableQueue(DummyBackend):
    """A task backend whose queue cannot be reached."""

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        raise ConnectionError("Error 111 connecting to the queue. Connection refused.")


UNREACHABLE = {"default": {"BACKEND": "tests.test_queue_down.UnreachableQueue"}}
REDIS_DOWN = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}


@pytest.fixture(params=["backend", "redis"])
def queue_down(request: pytest.FixtureRequest, settings: Any) -> None:
    if request.param == "redis":
        settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
        settings.TASKS = REDIS_DOWN
    else:
        settings.TASKS = UNREACHABLE


@pytest.fixture
def queue_that_waits(settings: Any) -> None:
    """A queue that accepts tasks and leaves them for a worker that has not run yet."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _complete(client: Any, draft: Assessment, on_commit: Any) -> Any:
    """Complete through the review page, keeping every recommended action."""
    url = reverse("assessment_complete", args=[draft.pk])
    formset = client.get(url).context["formset"]
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
            data[f"actions-{i}-{name}"] = "" if value is None else str(value)
        data[f"actions-{i}-selected"] = "on"
    with on_commit(execute=True):
        response = client.post(url, data)
    done = Assessment.objects.get(pk=draft.pk)
    if done.is_completed:  # the employee lets their manager see it (docs/consent.md)
        give_consent(done)
    return response, total


def test_completing_with_the_queue_down_keeps_the_completion_and_says_so(
    assessor, draft, queue_down, django_capture_on_commit_callbacks, caplog
):
    client = client_for(assessor)
    with caplog.at_level(logging.ERROR, logger="assessments.core.queue"):
        response, kept = _complete(client, draft, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert "could not enqueue" in caplog.text

    draft.refresh_from_db()
    assert draft.status == Assessment.Status.COMPLETED
    assert draft.actions.count() == kept
    assert not draft.reports.exists()
    assert PendingReports.objects.get(assessment=draft).status == "not_queued"

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert escape(str(COMPLETED_MESSAGE).format(count=kept)) in text
    assert escape(str(tasks.REPORTS_NOT_QUEUED)) in text
    # Nothing waits for a worker: the links are there and render on first download.
    assert reverse("report_pdf", args=[draft.pk, "oh"]) in text
    assert "being prepared" not in text


def test_reports_not_queued_render_on_first_download(
    assessor, manager, draft, queue_down, django_capture_on_commit_callbacks
):
    _complete(client_for(assessor), draft, django_capture_on_commit_callbacks)
    response = client_for(manager).get(reverse("report_pdf", args=[draft.pk, "manager"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert draft.reports.filter(kind=Report.Kind.MANAGER).exists()


def test_a_worker_catches_up_on_reports_that_were_not_queued(
    assessor, draft, queue_down, django_capture_on_commit_callbacks
):
    _complete(client_for(assessor), draft, django_capture_on_commit_callbacks)
    assert tasks.reports_catch_up() == 1
    assert set(draft.reports.values_list("kind", flat=True)) == {"oh", "manager"}
    assert not PendingReports.objects.exists()
    assert tasks.reports_catch_up() == 0  # nothing left, nothing rendered twice
    page = client_for(assessor).get(draft.get_absolute_url()).content.decode()
    assert escape(str(tasks.REPORTS_NOT_QUEUED)) not in page


def test_the_next_rendering_catches_up_on_earlier_reports(
    assessor, draft, employee, queue_down, django_capture_on_commit_callbacks, settings
):
    from assessments.records import services
    from tests.conftest import complete, fill_draft

    _complete(client_for(assessor), draft, django_capture_on_commit_callbacks)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    later = complete(
        fill_draft(services.assessment_create(employee=employee, assessor=assessor)), assessor
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.reports_schedule(assessment=later, user=assessor)
    assert later.reports.count() == 2
    assert draft.reports.count() == 2  # caught up by the same worker run
    assert not PendingReports.objects.exists()


def test_updating_an_action_with_the_queue_down_saves_it(
    manager, completed, queue_down, django_capture_on_commit_callbacks
):
    action = completed.actions.exclude(category__in=["clinical", "individual"]).first()
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("action_detail", args=[action.pk]),
            {
                "status": "in_progress",
                "owner": "",
                "due_on": "",
                "completed_on": "",
                "evidence_note": "Chair ordered from the catalogue.",
                "lock_version": action.lock_version,
            },
        )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.evidence_note == "Chair ordered from the catalogue."
    assert "Action updated." in client.get(response["Location"]).content.decode()


def test_bulk_action_update_with_the_queue_down_saves_them(
    manager, completed, queue_down, django_capture_on_commit_callbacks
):
    actions = completed.actions.exclude(category__in=["clinical", "individual"])[:2]
    ids = [str(a.pk) for a in actions]
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("action_bulk_update"),
            {"selected": ids, "status": "in_progress", "note": "Ordered."},
        )
    assert response.status_code == 302
    assert set(Action.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "in_progress"
    }


# --- Reports being prepared ---------------------------------------------------------------


def test_reports_read_being_prepared_until_a_worker_stores_them(
    assessor, draft, queue_that_waits, django_capture_on_commit_callbacks
):
    client = client_for(assessor)
    response, _ = _complete(client, draft, django_capture_on_commit_callbacks)
    assert PendingReports.objects.get(assessment=draft).status == "queued"
    text = client.get(response["Location"]).content.decode()
    assert "OH report (PDF): being prepared" in text
    assert "Manager report (PDF): being prepared" in text
    assert escape(str(tasks.REPORTS_PREPARING)) in text
    assert reverse("report_pdf", args=[draft.pk, "oh"]) not in text
    # The links ask for themselves again until the reports are stored.
    links_url = reverse("report_links", args=[draft.pk])
    assert f'hx-get="{links_url}"' in text

    tasks.render_assessment_reports.call(draft.pk, assessor.pk)  # what the worker does
    links = client.get(links_url).content.decode()
    assert "being prepared" not in links
    assert "hx-trigger" not in links
    assert reverse("report_pdf", args=[draft.pk, "oh"]) in links
    assert reverse("report_pdf", args=[draft.pk, "manager"]) in links
    assert not PendingReports.objects.exists()


def test_a_manager_sees_only_the_manager_report_being_prepared(
    assessor, manager, draft, queue_that_waits, django_capture_on_commit_callbacks
):
    _complete(client_for(assessor), draft, django_capture_on_commit_callbacks)
    links = client_for(manager).get(reverse("report_links", args=[draft.pk])).content.decode()
    assert "Manager report (PDF): being prepared" in links
    assert "OH report" not in links


def test_a_download_before_the_worker_renders_the_report_there_and_then(
    assessor, draft, queue_that_waits, django_capture_on_commit_callbacks
):
    client = client_for(assessor)
    _complete(client, draft, django_capture_on_commit_callbacks)
    response = client.get(reverse("report_pdf", args=[draft.pk, "oh"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # The worker's rendering later finds it stored and keeps it.
    stored = Report.objects.get(assessment=draft, kind="oh")
    tasks.render_assessment_reports.call(draft.pk, assessor.pk)
    assert Report.objects.get(assessment=draft, kind="oh").sha256 == stored.sha256


def test_an_overdue_rendering_is_no_longer_shown_as_being_prepared(
    assessor, draft, queue_that_waits, django_capture_on_commit_callbacks
):
    client = client_for(assessor)
    _complete(client, draft, django_capture_on_commit_callbacks)
    PendingReports.objects.update(
        updated_at=PendingReports.objects.get().updated_at - tasks.QUEUED_GIVE_UP_AFTER
    )
    text = client.get(draft.get_absolute_url()).content.decode()
    assert "being prepared" not in text
    assert reverse("report_pdf", args=[draft.pk, "oh"]) in text
    assert tasks.reports_catch_up() == 1  # a worker starting takes it over
    assert draft.reports.count() == 2


def test_a_report_that_cannot_be_prepared_on_download_gives_a_plain_message(
    assessor, completed, monkeypatch, caplog
):
    from assessments.reporting import store
    from assessments.views.reports import REPORT_NOT_READY

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise OSError("No space left on device")

    monkeypatch.setattr(store, "report_render", broken)
    client = client_for(assessor)
    with caplog.at_level(logging.ERROR):
        response = client.get(reverse("report_pdf", args=[completed.pk, "oh"]))
    assert response.status_code == 302
    assert response["Location"] == completed.get_absolute_url()
    assert escape(str(REPORT_NOT_READY)) in client.get(response["Location"]).content.decode()
    assert "could not be prepared" in caplog.text
