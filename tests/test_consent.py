"""Worker preview and consent: before a line manager sees an individual's assessment, the
employee sees what the manager would see (and their own advice) and consents or objects.

People: the `assessor` (OH), the `manager` of Customer Service, the employee Robin Patel
(with an email address here), who is asked through a link (docs/consent.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from html import unescape
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.core import health
from assessments.insights import tallies
from assessments.insights.models import TallyRow
from assessments.people.models import AuditEvent, DepartmentTally
from assessments.privacy import services as privacy
from assessments.records import services
from assessments.reporting import jobs
from assessments.reporting.runs import NOT_SHARED as REPORT_NOT_SHARED
from assessments.reporting.runs import pack_assessments, report_email_send
from assessments.selfassess import consent as consent_services
from assessments.selfassess import services as selfassess
from assessments.selfassess import tokens
from assessments.selfassess.models import Consent, ConsentEvent, ConsentKey
from tests.conftest import api_client_for, client_for, complete, give_consent
from tests.test_selfassess import _returned

pytestmark = pytest.mark.django_db

NOT_SHARED = health.ASSESSMENT_NOT_SHARED


@pytest.fixture
def asked(draft, assessor) -> Any:
    """Robin's assessment completed, and Robin asked by email (the use case)."""
    draft.employee.email = "robin@example.org"
    draft.employee.save()
    completed = complete(draft, assessor, consent=None)
    consent_services.consent_request(assessment=completed, user=assessor)
    return completed


def _token_from_email() -> str:
    body = mail.outbox[-1].body
    path = reverse("consent_link", args=["TOKEN"]).replace("TOKEN/", "")
    start = body.index(path) + len(path)
    return body[start:].split("/")[0]


def _decide(token: str, decision: str) -> Any:
    return client_for(None).post(reverse("consent_link", args=[token]), {"decision": decision})


def _refused(asked: Any) -> Any:
    assert _decide(_token_from_email(), "refused").status_code == 200
    return asked


# --- Asking ---------------------------------------------------------------------------------


def test_completion_asks_the_employee_by_email_with_a_link_stored_as_a_hash(asked, assessor):
    consent = Consent.objects.get(assessment=asked)
    assert consent.status == Consent.Status.PENDING and consent.link_sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["robin@example.org"]
    token = _token_from_email()
    key = ConsentKey.objects.get(consent=consent)
    assert token not in key.token_hash and key.token_hash == tokens.token_hash(
        tokens.secret_of(token, tokens.CONSENT)
    )
    assert key.expires_at.date() == (timezone.now() + dt.timedelta(days=14)).date()
    sent = AuditEvent.objects.get(kind=AuditEvent.Kind.CONSENT_LINK)
    assert (sent.user, sent.assessment) == (assessor, asked)


def test_an_employee_without_email_is_listed_for_consent_in_person(draft, assessor):
    completed = complete(draft, assessor, consent=None)
    consent_services.consent_request(assessment=completed, user=assessor)
    assert not mail.outbox
    assert [c.assessment for c in consent_services.waiting_in_person()] == [completed]
    queue = client_for(assessor).get(reverse("selfassess_queue")).text
    assert reverse("assessment_detail", args=[completed.pk]) in queue


def test_a_self_assessment_link_does_not_open_the_consent_page(asked):
    token = _token_from_email()
    other_kind, _hash = tokens.new_token()
    response = client_for(None).get(reverse("consent_link", args=[other_kind]))
    assert response.status_code == 404
    assert client_for(None).get(reverse("consent_link", args=[token])).status_code == 200


# --- The employee's page ------------------------------------------------------------------


def test_the_link_page_shows_what_the_manager_would_see_and_the_employees_own_advice(asked):
    page = client_for(None).get(reverse("consent_link", args=[_token_from_email()]))
    assert page.status_code == 200
    text = unescape(page.text)
    preview = text[text.index('id="manager-preview"') : text.index('id="own-advice"')]
    assert "What your manager would see" in preview
    workplace = asked.actions.filter(health.action_visible_q())
    personal = asked.actions.exclude(health.action_visible_q())
    assert workplace.exists() and personal.exists()
    for action in workplace:
        assert action.title in preview
    for action in personal:
        assert action.title not in preview
        assert action.title in text[text.index('id="own-advice"') :]
    assert "BMI" not in text
    assert 'value="given"' in text and 'value="refused"' in text


def test_the_employee_refuses_and_the_link_then_says_so(asked):
    _refused(asked)
    consent = Consent.objects.get(assessment=asked)
    assert consent.status == Consent.Status.REFUSED and consent.decided_by_oh is None
    assert [e.status for e in consent.events.all()] == ["pending", "refused"]
    audit = AuditEvent.objects.get(kind=AuditEvent.Kind.CONSENT)
    assert audit.user is None and "refused" in audit.detail and audit.assessment == asked
    again = client_for(None).get(reverse("consent_link", args=[_token_from_email()]))
    assert again.status_code == 410 and "Already answered" in again.text


def test_consent_given_then_withdrawn_through_the_same_link(asked, manager):
    token = _token_from_email()
    url = reverse("assessment_detail", args=[asked.pk])
    assert client_for(manager).get(url).status_code == 404
    assert _decide(token, "given").status_code == 200
    assert client_for(manager).get(url).status_code == 200
    page = client_for(None).get(reverse("consent_link", args=[token]))
    assert 'value="withdrawn"' in page.text and 'value="refused"' not in page.text
    assert _decide(token, "withdrawn").status_code == 200
    assert Consent.objects.get(assessment=asked).status == Consent.Status.WITHDRAWN
    assert client_for(manager).get(url).status_code == 404


def test_a_decision_that_does_not_apply_is_refused_without_a_500(asked):
    token = _token_from_email()
    assert _decide(token, "withdrawn").status_code == 409
    assert _decide(token, "anything").status_code == 409
    assert Consent.objects.get(assessment=asked).status == Consent.Status.PENDING


@pytest.mark.parametrize("problem", ["expired", "tampered", "unknown"])
def test_a_bad_link_gets_a_clear_page(asked, problem):
    token = _token_from_email()
    if problem == "expired":
        ConsentKey.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
        expected, words = 410, "This link has expired"
    elif problem == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        expected, words = 404, "This link is not valid"
    else:
        token, _hash = tokens.new_token(tokens.CONSENT)
        expected, words = 404, "This link is not valid"
    for method in ("get", "post"):
        response = getattr(client_for(None), method)(
            reverse("consent_link", args=[token]), {"decision": "given"}
        )
        assert response.status_code == expected and words in response.text
    assert Consent.objects.get(assessment=asked).status == Consent.Status.PENDING


# --- What the manager sees without consent ------------------------------------------------


def test_without_consent_the_manager_sees_only_the_workplace_actions(asked, manager):
    _refused(asked)
    client = client_for(manager)
    pk = asked.pk
    link = reverse("assessment_detail", args=[pk])
    assert client.get(link).status_code == 404
    assert client.get(reverse("report_pdf", args=[pk, "manager"])).status_code == 404
    assert client.get(reverse("report_preview", args=[pk, "manager"])).status_code == 404
    listing = client.get(reverse("assessment_list")).text
    assert link not in listing
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(reverse("assessment_export", args=["csv"])).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert rows == []
    api = api_client_for(manager, scope="read")
    assert api.get(reverse("api-assessment-detail", args=[pk])).status_code == 404
    assert api.get(reverse("api-assessment-list")).json()["results"] == []
    employee_page = client.get(reverse("employee_detail", args=[asked.employee_id])).text
    assert link not in employee_page and "band-" not in employee_page
    listed = client.get(reverse("employee_list"), {"band": asked.band}).text
    assert asked.employee.name not in listed
    # The workplace actions, with the neutral line and nothing of the assessment.
    actions = client.get(reverse("action_list")).text
    workplace = asked.actions.filter(health.action_visible_q())
    for action in workplace:
        assert action.title in unescape(actions)
    assert NOT_SHARED in actions and link not in actions
    board = client.get(reverse("action_board")).text
    assert NOT_SHARED in board and link not in board
    detail = client.get(reverse("action_detail", args=[workplace.first().pk])).text
    assert NOT_SHARED in detail and link not in detail
    assert "Clinical review advised" not in detail and "band-" not in detail


def test_with_consent_the_manager_sees_it_and_no_neutral_line(asked, manager):
    _decide(_token_from_email(), "given")
    client = client_for(manager)
    assert client.get(reverse("report_pdf", args=[asked.pk, "manager"])).status_code == 200
    assert NOT_SHARED not in client.get(reverse("action_list")).text


def test_the_managers_dashboard_counts_only_what_the_employee_shared(asked, manager, assessor):
    _refused(asked)
    mine = client_for(manager).get(reverse("dashboard")).context["d"]
    oh = client_for(assessor).get(reverse("dashboard")).context["d"]
    assert (mine.current_total, oh.current_total) == (0, 1)
    _decide_in_person(assessor, asked, "given")
    mine = client_for(manager).get(reverse("dashboard")).context["d"]
    assert mine.current_total == 1


def test_a_report_email_queued_before_a_withdrawal_is_not_sent(
    asked, manager, assessor, django_capture_on_commit_callbacks
):
    manager.email = "manager@example.org"
    manager.save()
    give_consent(asked)
    job = jobs.job_start_report_email(user=assessor, assessment=asked)  # queued, not yet run
    consent = Consent.objects.get(assessment=asked)
    consent_services.consent_decide(consent=consent, status="withdrawn")
    mail.outbox.clear()
    report_email_send(job_id=job.pk)
    assert mail.outbox == []
    job.refresh_from_db()
    assert job.status == "failed" and job.error == str(REPORT_NOT_SHARED)


def test_packs_and_emailed_reports_leave_out_an_unshared_assessment(asked, manager, assessor):
    _refused(asked)
    department = asked.employee.department
    period = {"start": asked.assessed_on, "end": asked.assessed_on}
    assert pack_assessments(department=department, **period).count() == 0
    with pytest.raises(jobs.JobRefused):
        jobs.job_start_report_email(user=assessor, assessment=asked)
    give_consent(asked)
    assert pack_assessments(department=department, **period).count() == 1


# --- OH's panel -----------------------------------------------------------------------------


def _decide_in_person(user: Any, assessment: Any, status: str, note: str = "Said so") -> Any:
    return client_for(user).post(
        reverse("consent_record", args=[assessment.pk]), {"status": status, "note": note}
    )


def test_oh_sees_the_panel_and_records_a_decision_given_in_person(asked, assessor, manager):
    page = client_for(assessor).get(reverse("assessment_detail", args=[asked.pk])).text
    assert 'id="consent-panel"' in page and "Waiting for the employee" in page
    response = _decide_in_person(assessor, asked, "given", "Agreed at the clinic, 3 Dec")
    assert response.status_code == 302
    consent = Consent.objects.get(assessment=asked)
    assert (consent.status, consent.decided_by_oh) == ("given", assessor)
    assert consent.events.last().note == "Agreed at the clinic, 3 Dec"
    audit = AuditEvent.objects.get(kind=AuditEvent.Kind.CONSENT)
    assert audit.user == assessor and "in person" in audit.detail
    # And a withdrawal recorded by OH.
    _decide_in_person(assessor, asked, "withdrawn", "Asked by phone")
    assert Consent.objects.get(assessment=asked).status == "withdrawn"
    url = reverse("assessment_detail", args=[asked.pk])
    assert client_for(manager).get(url).status_code == 404
    assert 'id="consent-panel"' not in client_for(manager).get(reverse("assessment_list")).text


def test_a_decision_needs_a_note(asked, assessor):
    assert _decide_in_person(assessor, asked, "given", note="").status_code == 422
    assert Consent.objects.get(assessment=asked).status == "pending"


def test_oh_resends_the_link(asked, assessor):
    response = client_for(assessor).post(reverse("consent_send", args=[asked.pk]))
    assert response.status_code == 302 and len(mail.outbox) == 2
    assert ConsentKey.objects.filter(consent__assessment=asked).count() == 2


def test_the_manager_cannot_record_or_send(asked, manager):
    give_consent(asked)
    assert _decide_in_person(manager, asked, "refused").status_code == 403
    response = client_for(manager).post(reverse("consent_send", args=[asked.pk]))
    assert response.status_code == 403


def test_a_decision_updates_the_departments_stored_counts_in_its_transaction(asked, assessor):
    client_for(assessor).get(reverse("dashboard"))  # counted, so that a change shows
    department = asked.employee.department
    tally = DepartmentTally.objects.get(department=department)

    def shared_bands() -> int:
        rows = TallyRow.objects.filter(department=department, figure="band", for_managers=True)
        return sum(rows.values_list("n", flat=True))

    before = shared_bands()
    _decide_in_person(assessor, asked, "given")
    after = DepartmentTally.objects.get(pk=tally.pk)
    assert after.version == after.counted_version  # nothing left to recount
    assert shared_bands() == before + 1  # a manager's figures now count it
    assert tallies.stored(department.pk) == tallies.sorted_rows(tallies.count(department.pk))


# --- Amendments, the existing data, erasure ----------------------------------------------


def test_an_amendment_is_asked_again_and_the_old_link_says_it_was_replaced(asked, assessor):
    token = _token_from_email()
    _decide(token, "given")
    amendment = services.assessment_amend(assessment=asked, user=assessor, reason="Wrong desk")
    completed = complete(amendment, assessor, consent=None)
    consent_services.consent_request(assessment=completed, user=assessor)
    assert Consent.objects.get(assessment=completed).status == "pending"
    old = client_for(None).get(reverse("consent_link", args=[token]))
    assert old.status_code == 410 and "replaced" in old.text


def test_assessments_completed_before_consent_was_asked_stay_shared(completed, manager):
    migration = importlib.import_module("assessments.selfassess.migrations.0004_consent_predates")
    Consent.objects.all().delete()
    url = reverse("assessment_detail", args=[completed.pk])
    assert client_for(manager).get(url).status_code == 404
    migration.forwards(apps, None)
    assert Consent.objects.get(assessment=completed).status == Consent.Status.PREDATES
    assert client_for(manager).get(url).status_code == 200


def test_erasure_leaves_no_trace_of_consent(asked, admin_user):
    _refused(asked)
    privacy.employee_erase(employee=asked.employee, user=admin_user)
    assert not Consent.objects.exists()
    assert not ConsentEvent.objects.exists()
    assert not ConsentKey.objects.exists()
    gone = client_for(None).get(reverse("consent_link", args=[_token_from_email()]))
    assert gone.status_code == 404


def test_a_signed_off_self_assessment_asks_for_consent(employee, assessor, manager, settings):
    settings.SITE_URL = "http://testserver"
    invitation = _returned(employee, assessor)
    signed = selfassess.sign_off(
        invitation=invitation, user=assessor, advice="Move more", action_codes=[]
    )
    assert Consent.objects.get(assessment=signed).status == Consent.Status.PENDING
    assert "What your manager would see" in mail.outbox[-1].subject
    url = reverse("assessment_detail", args=[signed.pk])
    assert client_for(manager).get(url).status_code == 404
    page = client_for(None).get(reverse("consent_link", args=[_token_from_email()]))
    assert "Move more" in page.text
