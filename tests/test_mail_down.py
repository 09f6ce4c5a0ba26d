"""The mail server down, refusing or timing out: no error page, no lost answers or
completions, and a plain message wherever an email did not go.

Every email of the app is sent as part of a change a person makes (`core.mail`). Here the
email backend raises what Django's SMTP backend raises when the server is unreachable or
hangs up, and each change is checked to be kept (or, where the email is the whole point,
refused with nothing changed), said so, and sent once the server works again.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from assessments.people.models import AuditEvent
from assessments.records.models import Assessment
from assessments.selfassess import services
from assessments.selfassess.models import Alert, Consent, ConsentKey, Invitation, SentEmail
from tests.conftest import client_for, complete
from tests.test_selfassess import ANSWERS, _invite, _returned, link_token

pytestmark = pytest.mark.django_db

WORKING = "django.core.mail.backends.locmem.EmailBackend"
DOWN = "tests.test_mail_down.UnreachableBackend"


class UnreachableBackend(BaseEmailBackend):
    """What Django's SMTP backend raises: the server refuses the connection, or hangs up."""

    error: Exception = ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages: Any) -> int:
        raise self.error


def _use(settings: Any, backend: str) -> None:
    settings.MAILERS = {"default": {"BACKEND": backend}}


@pytest.fixture(autouse=True)
def _addresses(settings: Any) -> None:
    settings.OH_ALERT_EMAILS = ["oh@example.org"]
    settings.SITE_URL = "http://testserver"
    _use(settings, WORKING)


@pytest.fixture
def invitee(employee: Any) -> Any:
    employee.email = "robin@example.org"
    employee.save()
    return employee


def _page(client: Any, response: Any) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        TimeoutError("timed out"),
    ],
    ids=["refused", "hung-up", "timed-out"],
)
def test_a_red_flag_answer_is_kept_and_advised_when_the_alert_email_cannot_go(
    invitee, assessor, settings, caplog, monkeypatch, error
):
    invitation, token = _invite(invitee, assessor)
    _use(settings, DOWN)
    monkeypatch.setattr(UnreachableBackend, "error", error)
    client = client_for(None)
    flags = {**ANSWERS["red_flags"], "rf_bladder_bowel_dysfunction": "yes"}
    with caplog.at_level(logging.WARNING, logger="assessments.core.mail"):
        response = client.post(reverse("selfassess_screen", args=[token, "red_flags"]), flags)
    # The employee is told what to do at once, and their answer is kept.
    assert "Go to an emergency department now" in _page(client, response)
    invitation.refresh_from_db()
    assert invitation.answers["red_flags"]["rf_bladder_bowel_dysfunction"] == "yes"
    # OH sees the alert on their start page; the email is not recorded as sent.
    assert Alert.objects.get(invitation=invitation).emergency
    assert "Red-flag alert" in client_for(assessor).get(reverse("home")).content.decode()
    assert not invitation.emails.filter(kind=SentEmail.Kind.ALERT).exists()
    logged = caplog.text
    assert f"alert email of self-assessment {invitation.pk} not sent" in logged
    assert "robin@example.org" not in logged and "oh@example.org" not in logged
    # With the server back, the next answer sends it, once.
    _use(settings, WORKING)
    mail.outbox = []
    client.post(reverse("selfassess_screen", args=[token, "red_flags"]), flags)
    client.post(reverse("selfassess_screen", args=[token, "red_flags"]), flags)
    assert [m.to for m in mail.outbox] == [["oh@example.org"]]
    assert invitation.emails.filter(kind=SentEmail.Kind.ALERT).count() == 1


def _completion_data(client: Any, assessment: Assessment) -> dict[str, str]:
    page = client.get(reverse("assessment_complete", args=[assessment.pk]))
    forms = page.context["formset"].forms
    data = {
        "actions-TOTAL_FORMS": str(len(forms)),
        "actions-INITIAL_FORMS": str(len(forms)),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "100",
        "reassess_due": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
    }
    for i, form in enumerate(forms):
        for name, value in form.initial.items():
            if name != "selected":
                data[f"actions-{i}-{name}"] = "" if value is None else str(value)
        data[f"actions-{i}-selected"] = "on"
    return data


def test_an_assessment_completes_when_the_consent_email_cannot_go(
    invitee, draft, assessor, settings
):
    client = client_for(assessor)
    data = _completion_data(client, draft)
    _use(settings, DOWN)
    response = client.post(reverse("assessment_complete", args=[draft.pk]), data)
    page = _page(client, response)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.COMPLETED
    assert draft.actions.count() == len(draft.results["recommendations"])
    assert "The consent link could not be emailed to Robin Patel" in page
    # Consent is pending, no link exists, nothing says one was sent.
    consent = Consent.objects.get(assessment=draft)
    assert consent.status == Consent.Status.PENDING and consent.link_sent_at is None
    assert not ConsentKey.objects.filter(consent=consent).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.CONSENT_LINK).exists()
    # OH's queue lists it to send again or ask in person; sending again works once mail does.
    queue = client.get(reverse("selfassess_queue")).content.decode()
    assert "Robin Patel" in queue.split('id="consent-in-person"')[1].split("</ul>")[0]
    _use(settings, WORKING)
    page = _page(client, client.post(reverse("consent_send", args=[draft.pk])))
    assert "Consent link emailed to Robin Patel." in page
    assert [m.to for m in mail.outbox] == [["robin@example.org"]]
    queue = client.get(reverse("selfassess_queue")).content.decode()
    assert 'id="consent-in-person"' not in queue


def test_sending_a_consent_link_when_the_mail_server_is_down_keeps_nothing(
    invitee, draft, assessor, settings
):
    completed = complete(draft, assessor, consent="pending")
    client = client_for(assessor)
    _use(settings, DOWN)
    page = _page(client, client.post(reverse("consent_send", args=[completed.pk])))
    assert "The consent link could not be emailed to Robin Patel" in page
    consent = Consent.objects.get(assessment=completed)
    assert consent.link_sent_at is None
    assert not ConsentKey.objects.filter(consent=consent).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.CONSENT_LINK).exists()


def test_an_invitation_the_mail_server_refuses_is_listed_for_another_route(
    invitee, assessor, settings
):
    client = client_for(assessor)
    _use(settings, DOWN)
    response = client.post(
        reverse("selfassess_invite"), {"who": "employee", "employee": invitee.pk}
    )
    page = _page(client, response)
    assert "0 invited by email; 1 not emailed: the mail server did not take it" in page
    invitation = Invitation.objects.get(employee=invitee)
    assert invitation.sent_at is None and not invitation.emails.exists()
    queue = client.get(reverse("selfassess_queue")).content.decode()
    assert "Robin Patel" in queue.split('id="paper-route"')[1].split("</ul>")[0]


def test_a_question_the_mail_server_refuses_changes_nothing_and_keeps_the_text(
    invitee, assessor, settings
):
    invitation = _returned(invitee, assessor)
    _use(settings, DOWN)
    response = client_for(assessor).post(
        reverse("selfassess_ask", args=[invitation.pk]), {"question": "Is the laptop yours?"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "The question could not be emailed: the mail server did not take it." in page
    assert "Is the laptop yours?" in page  # the question typed is still in the form
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.RETURNED and invitation.question == ""
    assert not invitation.emails.filter(kind=SentEmail.Kind.QUESTION).exists()


def test_a_reminder_the_mail_server_refuses_is_sent_by_the_next_run(invitee, assessor, settings):
    invitation, _ = _invite(invitee, assessor)
    later = timezone.now() + dt.timedelta(days=8)
    _use(settings, DOWN)
    refused = services.send_due(now=later)
    assert (refused.reminders, refused.not_sent) == (0, 1)
    assert "1 reminder(s) not taken by the mail server (sent next run)" in refused.describe()
    assert not invitation.emails.filter(kind=SentEmail.Kind.REMINDER_1).exists()
    _use(settings, WORKING)
    mail.outbox = []
    sent = services.send_due(now=later)
    assert (sent.reminders, sent.not_sent) == (1, 0)
    assert link_token(mail.outbox[0].body)
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 1


def test_a_self_assessment_is_signed_off_when_the_consent_email_cannot_go(
    invitee, assessor, settings
):
    invitation = _returned(invitee, assessor)
    chair = next(
        r["code"]
        for r in invitation.results["recommendations"]
        if r["code"].startswith("workstation.")
    )
    client = client_for(assessor)
    _use(settings, DOWN)
    response = client.post(
        reverse("selfassess_sign_off", args=[invitation.pk]),
        {"advice": "Raise the screen on a stand.", "actions": [chair]},
    )
    page = _page(client, response)
    assert "Signed off." in page
    assert "The consent link could not be emailed to Robin Patel" in page
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SIGNED_OFF
    consent = Consent.objects.get(assessment=invitation.assessment)
    assert consent.status == Consent.Status.PENDING and consent.link_sent_at is None


def test_with_mail_working_completion_sends_the_link_and_warns_of_nothing(invitee, draft, assessor):
    client = client_for(assessor)
    data = _completion_data(client, draft)
    page = _page(client, client.post(reverse("assessment_complete", args=[draft.pk]), data))
    assert "could not be emailed" not in page
    assert [m.to for m in mail.outbox] == [["robin@example.org"]]
    assert Consent.objects.get(assessment=draft).link_sent_at is not None
