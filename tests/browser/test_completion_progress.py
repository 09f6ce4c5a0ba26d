"""Completing an assessment in the browser: the button shows progress and cannot be pressed
twice; the completed page shows the reports as being prepared, and their links appear
by themselves once a worker has stored them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, Route, expect

from assessments.records.models import Assessment
from assessments.reporting import tasks
from tests.browser.support import Problems, sign_in

# Transactional, so the live server's requests commit and the reports are queued after
# the commit, as in production.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page shows at the moment the completion is sent, and then, while the answer is
# awaited, whether pressing the button again or submitting the form once more sends
# anything. Kept in the tab's sessionStorage, to be read on the completed page.
RECORD_AT_SUBMIT_JS = """() => {
    window.addEventListener("submit", (event) => {
        if (sessionStorage.getItem("at-submit")) { return; }
        const form = event.target;
        const button = form.querySelector("button[type=submit]");
        const status = form.querySelector("[data-busy-status]");
        const shown = {
            button: button.textContent.trim(),
            disabled: button.disabled,
            spinner: !!button.querySelector(".spinner-border"),
            busy: form.getAttribute("aria-busy"),
            status_visible: !status.hidden && status.offsetHeight > 0,
        };
        sessionStorage.setItem("at-submit", JSON.stringify(shown));
        setTimeout(() => {
            let again = 0;
            const count = (e) => { if (!e.defaultPrevented) { again += 1; } };
            window.addEventListener("submit", count);
            button.click();
            form.requestSubmit();
            window.removeEventListener("submit", count);
            sessionStorage.setItem("at-submit", JSON.stringify({...shown, sent_again: again}));
        }, 0);
    });
}"""


@pytest.fixture
def queue_without_worker(settings: Any) -> None:
    """A queue that accepts the rendering and leaves it for a worker that has not run yet."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_complete_shows_progress_and_cannot_be_pressed_twice(
    page: Page, assessor: User, draft: Assessment, problems: Problems, queue_without_worker: None
) -> None:
    sign_in(page, assessor)
    page.goto(f"/assessments/{draft.pk}/complete/")
    button = page.get_by_role("button", name="Complete assessment")
    expect(button).to_be_enabled()
    expect(page.get_by_text("Scoring the assessment")).to_be_hidden()
    page.evaluate(RECORD_AT_SUBMIT_JS)

    # The answer is held back, as from a slow server, while the person presses again.
    held: list[Route] = []
    complete_url = re.compile(rf"/assessments/{draft.pk}/complete/$")
    page.route(complete_url, lambda route: held.append(route))
    button.click(no_wait_after=True)
    for _ in range(300):  # until the browser has sent it (at most 15 s)
        if held:
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(500)
    assert len(held) == 1, "the completion was sent more than once"
    held[0].continue_()
    page.unroute(complete_url)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed")
    at_submit = json.loads(page.evaluate("sessionStorage.getItem('at-submit')"))
    assert at_submit == {
        "button": "Completing the assessment…",
        "disabled": True,
        "spinner": True,
        "busy": "true",
        "status_visible": True,
        "sent_again": 0,
    }
    expect(page.get_by_role("status").first).to_contain_text("Assessment completed with")
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.COMPLETED

    # No worker has run: the reports read "being prepared", without a link.
    links = page.locator("#report-links")
    expect(links).to_contain_text("OH report (PDF): being prepared")
    expect(links).to_contain_text(str(tasks.REPORTS_PREPARING))
    expect(links.get_by_role("link", name="OH report (PDF)")).to_have_count(0)

    # The worker stores them; the page picks that up by itself.
    tasks.render_assessment_reports.call(draft.pk, assessor.pk)
    expect(links.get_by_role("link", name="OH report (PDF)")).to_be_visible()
    expect(links.get_by_role("link", name="Manager report (PDF)")).to_be_visible()
    expect(links).not_to_contain_text("being prepared")

    assert problems.messages == [], "\n".join(problems.messages)
