"""The self-assessment loop: invitations and their links, answering screen by screen, red
flags that do not wait, the triage queue, sign-off, a question, a visit, events and the
cycle."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.actions.models import Action
from assessments.people.models import AuditEvent, Employee
from assessments.records.models import Assessment
from assessments.scoring.worker import RED_FLAG_FIELDS
from assessments.selfassess import services
from assessments.selfassess.models import Alert, EventRule, Invitation, LinkKey, SentEmail
from assessments.selfassess.questions import SCREENS
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

#: A full set of answers, screen by screen, as the forms post them.
ANSWERS: dict[str, dict[str, Any]] = {
    "about": {"age_years": 38, "work_place": "office"},
    "display": {
        "monitor": "too_low",
        "monitor_glare": "no",
        "screen_hours": 7,
        "screen_longest_minutes": 90,
    },
    "keyboard": {"keyboard": "neutral", "keyboard_too_high": "no"},
    "mouse": {"mouse": "reaching", "mouse_pinch_grip": "no"},
    "chair": {
        "seat_height": "knees_90",
        "seat_depth": "ok",
        "armrests": "too_low_or_none",
        "back_support": "no_lumbar",
        "chair_adjustable": "yes",
    },
    "desk": {
        "leg_space_ok": "yes",
        "phone": "neutral",
        "phone_neck_shoulder": "no",
        "phone_hours": 0.5,
        "phone_longest_minutes": 10,
    },
    "environment": {"lighting_ok": "yes", "temperature_ok": "no", "noise_ok": "yes"},
    "software": {"software_ok": "yes", "breaks_ok": "yes"},
    "sitting": {
        "hours_worked_per_day": 8,
        "sitting_hours": 7,
        "rest_of_day": "walking",
        "longest_sitting_bout_minutes": 120,
        "location": "desk",
        "sit_stand_desk_available": "no",
        "sit_stand_desk_used": "no",
    },
    "activity": {
        "moderate_minutes_per_week": 60,
        "vigorous_minutes_per_week": 0,
        "strengthening_days_per_week": 0,
    },
    "back": {
        "current_pain": "yes",
        "pain_duration_weeks": 2,
        "pain_intensity": 4,
        "episodes_last_12_months": 1,
        "pain_eases_with_movement": "yes",
        "pain_returns_after_rest": "yes",
        "night_pain_eases_on_rising": "no",
    },
    "wellbeing": {
        "yf_stress_worry": "no",
        "yf_low_mood": "no",
        "yf_job_dissatisfaction": "no",
        "yf_low_support_at_work": "no",
        "yf_activity_harmful_belief": "no",
    },
    "red_flags": dict.fromkeys(RED_FLAG_FIELDS, "no"),
}


@pytest.fixture(autouse=True)
def _email(settings: Any) -> None:
    settings.OH_ALERT_EMAILS = ["oh@example.org"]
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def invitee(employee: Employee) -> Employee:
    employee.email = "robin@example.org"
    employee.save()
    return employee


def _invite(employee: Employee, user: Any) -> tuple[Invitation, str]:
    if not employee.email:
        employee.email = f"{employee.hr_reference.lower()}@example.org"
        employee.save()
    mail.outbox = []
    invitation = services.invitation_create(employee=employee, user=user)
    token = link_token(mail.outbox[-1].body)
    return invitation, token


def link_token(body: str) -> str:
    found = re.search(r"http://testserver/s/([^/\s]+)/", body)
    assert found, body
    return found.group(1)


def answer_all(client: Any, token: str, answers: dict[str, dict[str, Any]] = ANSWERS) -> None:
    for screen in SCREENS:
        if screen.key not in answers:
            continue
        response = client.post(
            reverse("selfassess_screen", args=[token, screen.key]), answers[screen.key]
        )
        assert response.status_code == 302, (screen.key, response.content.decode()[:3000])


# --- Invitations and links ----------------------------------------------------------------


def test_an_invitation_emails_a_link_and_stores_only_its_hash(invitee, assessor):
    invitation, token = _invite(invitee, assessor)
    assert mail.outbox[0].to == ["robin@example.org"]
    assert invitation.sent_at is not None
    secret = token.rsplit(":", 1)[0]
    stored = LinkKey.objects.get(invitation=invitation).token_hash
    assert secret not in stored and token not in stored
    assert len(stored) == 64


def test_an_employee_without_email_is_listed_for_the_paper_route(employee, assessor):
    services.invitation_create(employee=employee, user=assessor)
    page = client_for(assessor).get(reverse("selfassess_queue")).content.decode()
    assert "Not emailed: paper or in person" in page
    assert employee.name in page.split('id="paper-route"')[1]


def test_invite_a_department_and_a_pasted_list(invitee, other_employee, assessor):
    client = client_for(assessor)
    response = client.post(
        reverse("selfassess_invite"), {"who": "department", "department": invitee.department_id}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(employee=invitee).count() == 1
    client.post(
        reverse("selfassess_invite"),
        {
            "who": "references",
            "references": f"{other_employee.hr_reference}, NOPE-1\n{invitee.hr_reference}",
        },
    )
    assert Invitation.objects.filter(employee=other_employee).count() == 1
    # Already in progress: not invited twice.
    assert Invitation.objects.filter(employee=invitee).count() == 1


def test_invite_form_errors_stay_next_to_the_field(assessor):
    response = client_for(assessor).post(reverse("selfassess_invite"), {"who": "employee"})
    assert response.status_code == 422
    assert "Choose the employee." in response.content.decode()


@pytest.mark.parametrize("change", ["tampered", "unknown"])
def test_a_tampered_or_unknown_link_gets_a_clear_page(invitee, assessor, change):
    _, token = _invite(invitee, assessor)
    bad = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    if change == "unknown":
        from assessments.selfassess import tokens

        bad = tokens.new_token()[0]
    response = client_for(None).get(reverse("selfassess_link", args=[bad]))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_an_expired_link_gets_a_clear_page(invitee, assessor):
    invitation, token = _invite(invitee, assessor)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client_for(None).get(reverse("selfassess_link", args=[token]))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


# --- Answering -----------------------------------------------------------------------------


def test_answers_are_saved_per_screen_and_the_link_resumes(invitee, assessor):
    invitation, token = _invite(invitee, assessor)
    client = client_for(None)
    first = client.get(reverse("selfassess_link", args=[token]))
    assert first["Location"] == reverse("selfassess_screen", args=[token, "about"])
    client.post(reverse("selfassess_screen", args=[token, "about"]), ANSWERS["about"])
    # A new visit (a reload, another day) resumes at the first screen not answered.
    resumed = client_for(None).get(reverse("selfassess_link", args=[token]))
    assert resumed["Location"] == reverse("selfassess_screen", args=[token, "display"])
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED
    assert invitation.answers["about"] == {"age_years": 38, "work_place": "office"}
    page = client.get(reverse("selfassess_screen", args=[token, "display"])).content.decode()
    assert "Step 2 of" in page


def test_bad_answers_get_a_message_next_to_the_field(invitee, assessor):
    _, token = _invite(invitee, assessor)
    response = client_for(None).post(
        reverse("selfassess_screen", args=[token, "display"]),
        {**ANSWERS["display"], "screen_hours": 1, "screen_longest_minutes": 200},
    )
    assert response.status_code == 422
    assert "cannot be longer than the whole day" in response.content.decode()


def test_home_workers_get_the_home_workstation_screen(invitee, assessor):
    _, token = _invite(invitee, assessor)
    client = client_for(None)
    office = client.post(reverse("selfassess_screen", args=[token, "about"]), ANSWERS["about"])
    assert client.get(reverse("selfassess_screen", args=[token, "home"])).status_code == 404
    client.post(
        reverse("selfassess_screen", args=[token, "about"]),
        {"age_years": 38, "work_place": "hybrid"},
    )
    assert client.get(reverse("selfassess_screen", args=[token, "home"])).status_code == 200
    assert office.status_code == 302


def test_returned_answers_are_scored_self_reported_and_the_link_is_single_use(invitee, assessor):
    invitation, token = _invite(invitee, assessor)
    client = client_for(None)
    answer_all(client, token)
    sent = client.post(reverse("selfassess_send", args=[token]))
    assert sent.status_code == 200
    assert "sent to occupational health" in sent.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.RETURNED
    # The same scoring as an assessor's: ROSA from the mapped items, the strain score.
    assert invitation.results["workstation"]["result"]["final"] >= 1
    assert invitation.inputs["workstation"]["monitor"] == "too_low"
    assert invitation.inputs["sitting"]["pct_sitting"] == 88
    assert invitation.results["strain"]["band"]
    again = client_for(None).get(reverse("selfassess_link", args=[token]))
    assert again.status_code == 410
    assert "already been sent" in again.content.decode()
    reused = client_for(None).post(
        reverse("selfassess_screen", args=[token, "about"]), ANSWERS["about"]
    )
    assert reused.status_code == 410


def test_not_sure_leaves_the_self_reported_rosa_unscored(invitee, assessor):
    invitation, token = _invite(invitee, assessor)
    answers = {**ANSWERS, "chair": {**ANSWERS["chair"], "seat_depth": "unsure"}}
    client = client_for(None)
    answer_all(client, token, answers)
    client.post(reverse("selfassess_send", args=[token]))
    invitation.refresh_from_db()
    assert invitation.results["workstation"] is None
    page = client_for(assessor).get(invitation.get_absolute_url()).content.decode()
    assert "Self-reported ROSA" in page and "not scored" in page


# --- Red flags -----------------------------------------------------------------------------


def test_a_cauda_equina_answer_shows_emergency_advice_and_alerts_oh_at_once(invitee, assessor):
    invitation, token = _invite(invitee, assessor)
    client = client_for(None)
    flags = {**ANSWERS["red_flags"], "rf_bladder_bowel_dysfunction": "yes"}
    response = client.post(reverse("selfassess_screen", args=[token, "red_flags"]), flags)
    assert response["Location"] == reverse("selfassess_advice", args=[token])
    page = client.get(response["Location"]).content.decode()
    assert "Go to an emergency department now" in page
    # Before anything is sent: the alert is there, and OH has an email with no answers in it.
    alert = Alert.objects.get(invitation=invitation)
    assert alert.emergency and alert.acknowledged_at is None
    oh = [m for m in mail.outbox if m.to == ["oh@example.org"]]
    assert len(oh) == 1 and "bladder" not in oh[0].body.lower()
    home = client_for(assessor).get(reverse("home")).content.decode()
    assert "Red-flag alert" in home and invitee.name in home
    # It stays until acknowledged; acknowledging records who.
    client_for(assessor).post(reverse("selfassess_alert_ack", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.acknowledged_by == assessor
    assert "Red-flag alert" not in client_for(assessor).get(reverse("home")).content.decode()
    # The acknowledgement is in the audit trail, once, even if the button is pressed again.
    client_for(assessor).post(reverse("selfassess_alert_ack", args=[alert.pk]))
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.ALERT_ACK)
    assert [(e.user, e.employee) for e in events] == [(assessor, invitee)]
    assert "emergency" in events[0].detail


def test_another_red_flag_gets_gp_advice(invitee, assessor):
    _, token = _invite(invitee, assessor)
    client = client_for(None)
    flags = {**ANSWERS["red_flags"], "rf_fever": "yes"}
    response = client.post(reverse("selfassess_screen", args=[token, "red_flags"]), flags)
    page = client.get(response["Location"]).content.decode()
    assert "Contact your GP today" in page


# --- Triage --------------------------------------------------------------------------------


def _returned(employee: Employee, assessor: Any, answers: dict[str, Any] = ANSWERS) -> Invitation:
    invitation, token = _invite(employee, assessor)
    client = client_for(None)
    answer_all(client, token, answers)
    client.post(reverse("selfassess_send", args=[token]))
    invitation.refresh_from_db()
    return invitation


def test_the_queue_puts_red_flags_then_persistent_pain_then_band(
    employee, other_employee, assessor, department
):
    third = Employee.objects.create(
        hr_reference="E300", name="Sam Lee", job_title="Adviser", department=department
    )
    plain = _returned(employee, assessor)
    pain = _returned(
        other_employee,
        assessor,
        {**ANSWERS, "back": {**ANSWERS["back"], "pain_duration_weeks": 10}},
    )
    flagged = _returned(
        third, assessor, {**ANSWERS, "red_flags": {**ANSWERS["red_flags"], "rf_fever": "yes"}}
    )
    page = client_for(assessor).get(reverse("selfassess_queue")).content.decode()
    table = page.split('id="triage-queue"')[1]
    assert table.index(third.name) < table.index(other_employee.name) < table.index(employee.name)
    assert "Persistent pain: 10 weeks" in table
    assert [i.pk for i in services.triage_queue()] == [flagged.pk, pain.pk, plain.pk]


def test_sign_off_creates_the_assessment_and_the_chosen_action(employee, assessor):
    invitation = _returned(employee, assessor)
    page = client_for(assessor).get(invitation.get_absolute_url()).content.decode()
    assert "Strain score, self-reported" in page
    codes = [r["code"] for r in invitation.results["recommendations"]]
    chair = next(c for c in codes if c.startswith("workstation."))
    response = client_for(assessor).post(
        reverse("selfassess_sign_off", args=[invitation.pk]),
        {"advice": "Raise the screen on a stand.", "actions": [chair]},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SIGNED_OFF
    assert invitation.checked_by == assessor
    assessment = invitation.assessment
    assert assessment.status == Assessment.Status.COMPLETED
    assert "completed by Robin Patel" in assessment.notes
    assert list(Action.objects.filter(assessment=assessment).values_list("code", flat=True)) == [
        chair
    ]
    page = client_for(assessor).get(invitation.get_absolute_url()).content.decode()
    assert "Completed by" in page and "(the employee)" in page and "Checked by" in page


def test_sign_off_needs_advice(employee, assessor):
    invitation = _returned(employee, assessor)
    response = client_for(assessor).post(reverse("selfassess_sign_off", args=[invitation.pk]), {})
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()


def test_ask_a_question_and_the_employee_answers_on_the_link(invitee, assessor):
    invitation = _returned(invitee, assessor)
    mail.outbox = []
    client_for(assessor).post(
        reverse("selfassess_ask", args=[invitation.pk]), {"question": "Is the laptop yours?"}
    )
    token = link_token(mail.outbox[-1].body)
    page = client_for(None).get(reverse("selfassess_link", args=[token])).content.decode()
    assert "Is the laptop yours?" in page
    client_for(None).post(reverse("selfassess_link", args=[token]), {"reply": "Yes, my own."})
    invitation.refresh_from_db()
    assert invitation.reply == "Yes, my own." and invitation.status == Invitation.Status.RETURNED
    assert client_for(None).get(reverse("selfassess_link", args=[token])).status_code == 410


def test_book_a_visit_opens_a_prefilled_draft_to_confirm(employee, assessor):
    invitation = _returned(employee, assessor)
    response = client_for(assessor).post(reverse("selfassess_visit", args=[invitation.pk]))
    draft = Assessment.objects.get(employee=employee, status=Assessment.Status.DRAFT)
    assert response["Location"] == draft.get_absolute_url()
    assert draft.workstation.monitor == "too_low"
    assert draft.worker.age_years == 38
    assert "from self-assessment, confirm" in draft.notes
    # Each pre-filled field carries the mark in the editor until its section is saved.
    page = client_for(assessor).get(draft.get_absolute_url()).content.decode()
    assert page.count("From self-assessment, confirm") >= 20
    invitation.refresh_from_db()
    assert "monitor" in invitation.prefilled["workstation"]
    from assessments.selfassess.services import section_confirmed

    section_confirmed(assessment=draft, section="workstation")
    invitation.refresh_from_db()
    assert "workstation" not in invitation.prefilled


# --- Events and the cycle ------------------------------------------------------------------


def test_an_event_opens_an_invitation_or_a_review_by_its_rule(invitee, assessor):
    client = client_for(assessor)
    client.post(
        reverse("employee_event", args=[invitee.pk]),
        {"kind": "home_working", "occurred_on": "2026-11-02"},
    )
    assert Invitation.objects.get(employee=invitee).trigger == "event"
    EventRule.objects.filter(kind="manager_request").update(outcome="review")
    client.post(
        reverse("employee_event", args=[invitee.pk]),
        {"kind": "manager_request", "occurred_on": "2026-11-03"},
    )
    page = client.get(reverse("selfassess_queue")).content.decode()
    assert "Manager&#x27;s request" in page or "Manager's request" in page


def test_the_event_form_offers_today_in_the_date_picker(invitee, assessor):
    page = client_for(assessor).get(reverse("employee_event", args=[invitee.pk])).content.decode()
    # A date input only shows (and sends) a value written as YYYY-MM-DD.
    assert f'value="{dt.date.today().isoformat()}"' in page


def test_reminders_and_the_cycle_send_once(invitee, other_employee, assessor, settings):
    invitation, _ = _invite(invitee, assessor)
    Employee.objects.filter(pk=other_employee.pk).update(started_on=dt.date(2020, 1, 1))
    later = timezone.now() + dt.timedelta(days=8)
    mail.outbox = []
    call_command("selfassess_send_due", stdout=__import__("io").StringIO())
    assert mail.outbox == []  # nothing due yet for the reminder; the cycle invites the other
    first = services.send_due(now=later)
    second = services.send_due(now=later)
    assert first.reminders == 1 and second.reminders == 0
    assert SentEmail.objects.filter(invitation=invitation, kind="reminder_1").count() == 1
    assert Invitation.objects.filter(employee=other_employee, trigger="cycle").count() == 1


def test_the_scheduled_task_sends_what_is_due_once(invitee, other_employee, assessor):
    from assessments.selfassess.tasks import send_due_self_assessments

    Employee.objects.filter(pk=other_employee.pk).update(started_on=dt.date(2020, 1, 1))
    first = send_due_self_assessments.enqueue()
    second = send_due_self_assessments.enqueue()
    assert first.return_value == "0 reminder(s) sent, 1 invitation(s) for the cycle"
    assert second.return_value == "0 reminder(s) sent, 0 invitation(s) for the cycle"
    assert Invitation.objects.filter(employee=other_employee, trigger="cycle").count() == 1
