"""The self-assessment loop in a real browser: an assessor invites on a desktop, the
employee answers on a phone (reloading half-way), the assessor triages and signs off with an
action; a red-flag answer gets its advice at once and an alert on OH's start page; a used or
expired link gets a plain page; an event recorded on an employee invites them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessments.actions.models import Action
from assessments.people.models import Employee
from assessments.selfassess import services
from assessments.selfassess.models import Invitation
from tests.browser.support import new_context, sign_in
from tests.test_selfassess import ANSWERS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _site(settings: Any, live_server: LiveServer) -> None:
    settings.SITE_URL = live_server.url
    settings.OH_ALERT_EMAILS = ["oh@example.org"]


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Any:
    context = new_context(browser, live_server.url, viewport=PHONE, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(browser: Browser, live_server: LiveServer) -> Any:
    context = new_context(browser, live_server.url, viewport=DESKTOP, has_touch=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def invitee(employee: Employee) -> Employee:
    employee.email = "robin@example.org"
    employee.save()
    return employee


def _link(live_server: LiveServer) -> str:
    found = re.search(rf"{re.escape(live_server.url)}(/s/[^\s]+/)", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def _answer_screen(page: Page, answers: dict[str, Any]) -> None:
    for name, value in answers.items():
        field = page.locator(f'[name="{name}"]')
        if field.first.get_attribute("type") == "radio":
            page.locator(f'input[name="{name}"][value="{value}"]').check()
        else:
            field.fill(str(value))
    page.get_by_role("button", name="Save and continue").click()


def test_invite_answer_on_a_phone_with_a_reload_triage_and_sign_off(
    desk: Page, phone: Page, assessor: User, invitee: Employee, live_server: LiveServer
) -> None:
    sign_in(desk, assessor)
    desk.goto("/self-assessments/invite/")
    desk.get_by_label("One employee").check()
    desk.get_by_label("Employee", exact=True).select_option(label=str(invitee))
    mail.outbox = []
    desk.get_by_role("button", name="Send invitations").click()
    expect(desk.get_by_role("status")).to_contain_text("1 invited by email")

    phone.goto(_link(live_server))
    screens = list(ANSWERS)
    for number, key in enumerate(screens):
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        if number == 5:
            # Half-way, the phone reloads: the answers so far are kept, and it goes on here.
            phone.reload()
            expect(phone.locator("#progress-text")).to_contain_text("5 done")
        _answer_screen(phone, ANSWERS[key])
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your answers and send")
    phone.get_by_role("button", name="Send to occupational health").click()
    expect(phone.locator("#thanks")).to_contain_text("sent to occupational health")

    desk.goto("/self-assessments/")
    desk.locator("#triage-queue").get_by_role("link", name=invitee.name).click()
    expect(desk.locator("#self-scores")).to_contain_text("Strain score, self-reported")
    expect(desk.locator("#self-scores")).to_contain_text("Self-reported ROSA")
    sign_off = desk.get_by_role("region", name="Sign off")
    sign_off.get_by_label("Advice to the employee").fill("Raise the screen to eye level.")
    choice = sign_off.locator('input[name="actions"]').first
    code = choice.get_attribute("value")
    choice.check()
    sign_off.get_by_role("button", name="Sign off").click()
    expect(desk.get_by_role("status")).to_contain_text("Signed off")
    invitation = Invitation.objects.get(employee=invitee)
    assert invitation.status == Invitation.Status.SIGNED_OFF and invitation.checked_by == assessor
    assert Action.objects.filter(assessment=invitation.assessment, code=code).exists()


def test_a_red_flag_answer_gets_advice_at_once_and_an_alert_for_oh(
    desk: Page, phone: Page, assessor: User, invitee: Employee, live_server: LiveServer
) -> None:
    mail.outbox = []
    services.invitation_create(employee=invitee, user=assessor)
    link = _link(live_server)
    phone.goto(link.rstrip("/") + "/red_flags/")
    _answer_screen(phone, {**ANSWERS["red_flags"], "rf_saddle_anaesthesia": "yes"})
    expect(phone.get_by_role("alert")).to_contain_text("Go to an emergency department now")
    expect(phone.locator("#oh-told")).to_contain_text("Occupational health has been told")

    sign_in(desk, assessor)
    alerts = desk.locator("#selfassess-alerts")
    expect(alerts).to_contain_text(invitee.name)
    expect(alerts).to_contain_text("Emergency")
    alerts.get_by_role("link", name=invitee.name).click()
    desk.get_by_role("button", name="Acknowledge").click()
    expect(desk.get_by_role("status")).to_contain_text("Alert acknowledged")
    desk.goto("/")
    expect(desk.locator("#selfassess-alerts")).to_have_count(0)


def test_a_used_or_expired_link_gets_a_plain_page(
    phone: Page, assessor: User, invitee: Employee, live_server: LiveServer
) -> None:
    mail.outbox = []
    invitation = services.invitation_create(employee=invitee, user=assessor)
    link = _link(live_server)
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.RETURNED)
    response = phone.goto(link)
    assert response is not None and response.status == 410
    expect(phone.locator("#link-problem")).to_contain_text("already been sent")
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.STARTED, expires_at=timezone.now()
    )
    response = phone.goto(link)
    assert response is not None and response.status == 410
    expect(phone.get_by_role("heading", level=1)).to_have_text("This link has expired")


def test_an_event_recorded_on_an_employee_invites_them(
    desk: Page, phone: Page, assessor: User, invitee: Employee, live_server: LiveServer
) -> None:
    sign_in(desk, assessor)
    desk.goto(invitee.get_absolute_url())
    desk.get_by_role("link", name="Record an event").click()
    desk.get_by_label("Event").select_option(label="Move to home or hybrid working")
    mail.outbox = []
    desk.get_by_role("button", name="Record the event").click()
    expect(desk.get_by_role("status")).to_contain_text("Move to home or hybrid working recorded")
    invitation = Invitation.objects.get(employee=invitee)
    assert invitation.trigger == "event" and mail.outbox[-1].to == [invitee.email]
    phone.goto(_link(live_server))
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone.locator("#link-problem")).to_have_count(0)
