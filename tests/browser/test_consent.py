"""Worker preview and consent in a real browser: the employee opens their consent link on a
phone, sees what their manager would see, and objects; the manager then signs in and sees
only the workplace action, with no band, and cannot open the assessment."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessments.core import health
from assessments.records.models import Assessment
from assessments.selfassess import consent as consent_services
from tests.browser.support import new_context, sign_in
from tests.conftest import complete

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _site(settings: Any, live_server: LiveServer) -> None:
    settings.SITE_URL = live_server.url


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Any:
    context = new_context(browser, live_server.url, viewport=PHONE, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(browser: Browser, live_server: LiveServer) -> Any:
    context = new_context(browser, live_server.url, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def asked(draft: Assessment, assessor: User) -> Assessment:
    draft.employee.email = "robin@example.org"
    draft.employee.save()
    completed = complete(draft, assessor, consent=None)
    consent_services.consent_request(assessment=completed, user=assessor)
    return completed


def test_the_employee_refuses_on_a_phone_and_the_manager_sees_only_the_workplace_action(
    phone: Page, desk: Page, asked: Assessment, manager: User, live_server: LiveServer
) -> None:
    found = re.search(rf"{re.escape(live_server.url)}(/consent/[^\s]+/)", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    phone.goto(found.group(1))
    preview = phone.locator("#manager-preview")
    expect(preview).to_contain_text("What your manager would see")
    workplace = asked.actions.filter(health.action_visible_q()).order_by("pk")
    action = workplace.first()
    assert action is not None
    expect(preview).to_contain_text(action.title)
    expect(phone.locator("#own-advice")).to_be_visible()
    # The buttons fit the phone's width.
    box = phone.get_by_role("button", name="I object: do not share it").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    phone.get_by_role("button", name="I object: do not share it").click()
    expect(phone.locator("#thanks")).to_contain_text("will not be shared with your manager")

    sign_in(desk, manager)
    desk.goto("/actions/")
    row = desk.locator("tr", has_text=action.title)
    expect(row).to_contain_text(health.ASSESSMENT_NOT_SHARED)
    expect(desk.locator(f'a[href="{asked.get_absolute_url()}"]')).to_have_count(0)
    expect(desk.locator(".band")).to_have_count(0)
    desk.get_by_role("link", name=action.title).first.click()
    expect(desk.locator("#assessment-withheld")).to_have_text(health.ASSESSMENT_NOT_SHARED)
    expect(desk.get_by_text("Clinical review advised")).to_have_count(0)
    response = desk.goto(asked.get_absolute_url())
    assert response is not None and response.status == 404
