"""Tablet-first results: below 992 px a compact results bar stays in view while the assessor
types, follows the live results, and opens the full results panel; from 992 px up the side
panel is shown as before."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Locator, Page, expect

from assessments.records import services
from assessments.records.models import Assessment
from tests.browser.support import TABLET, Problems, new_context, sign_in
from tests.conftest import WORKSTATION

pytestmark = pytest.mark.browser


def rosa_final(assessment: Assessment, **changes: Any) -> int:
    """The ROSA final score the server gives for the draft's workstation with `changes`."""
    preview = services.assessment_preview(
        assessment=assessment, overrides={"workstation": {**WORKSTATION, **changes}}
    )
    assert preview.results is not None
    final: int = preview.results["workstation"]["result"]["final"]
    return final


def in_viewport(page: Page, element: Locator) -> bool:
    box = element.bounding_box()
    assert box is not None
    viewport = page.viewport_size
    assert viewport is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def scroll_to_bottom(page: Page) -> None:
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(
        "window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"
    )
    assert page.evaluate("window.scrollY") > 500  # the form is long: this is far down


def test_results_bar_stays_in_view_follows_the_answers_and_opens_the_panel(
    page: Page, assessor: User, draft: Assessment, problems: Problems
) -> None:
    assert page.viewport_size == TABLET
    before = rosa_final(draft)
    after = rosa_final(draft, keyboard="wrists_extended", keyboard_too_high=True)
    assert before != after  # the change below must move the score
    sign_in(page, assessor)
    page.goto(f"/assessments/{draft.pk}/")

    bar = page.get_by_role("region", name="Results summary")
    expect(bar).to_be_visible()
    expect(bar.locator('[data-bar="rosa"]')).to_have_text(f"ROSA {before}")
    expect(bar.locator('[data-bar="lifting"]')).to_have_text(re.compile(r"^LI \d+\.\d\d$"))
    expect(bar.locator('[data-bar="band"]')).to_contain_text(re.compile("Low|Moderate|High"))
    expect(bar.locator('[data-bar="red-flag"]')).to_have_count(0)
    # The full panel is not on the page until asked for.
    expect(page.locator("#results-panel")).to_be_hidden()

    # Scrolled to the bottom of the form, the bar is still in view.
    scroll_to_bottom(page)
    expect(bar).to_be_visible()
    assert in_viewport(page, bar)

    # Changing answers at the bottom of the form updates the bar, unsaved.
    form = page.locator("#section-workstation")
    form.locator('[name="workstation-keyboard"][value="wrists_extended"]').check()
    form.locator('[name="workstation-keyboard_too_high"]').check()
    expect(bar.locator('[data-bar="rosa"]')).to_have_text(f"ROSA {after}")
    scroll_to_bottom(page)
    assert in_viewport(page, bar)
    # Saved (the live results show one section's unsaved changes at a time), the bar keeps it.
    page.get_by_role("button", name=re.compile("^Save workstation")).click()
    expect(form.get_by_role("status")).to_have_text("Workstation (ROSA) saved.")
    expect(bar.locator('[data-bar="rosa"]')).to_have_text(f"ROSA {after}")

    # A red flag answered "yes" in the worker factors shows a marker on the bar.
    page.get_by_role("tab", name=re.compile("^Worker factors")).click()
    page.locator('[name="worker-rf_fever"][value="yes"]').check()
    expect(bar.locator('[data-bar="red-flag"]')).to_have_text("⚑ Red flag")

    # The bar's button opens the full results, with the same numbers.
    bar.get_by_role("button", name="Open the full results").click()
    panel = page.locator("#results-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(f"ROSA workstation: final {after}")
    page.get_by_role("button", name="Close the full results").click()
    expect(panel).to_be_hidden()
    assert problems.messages == [], "\n".join(problems.messages)


def test_from_992_px_the_side_panel_is_shown_and_the_bar_is_not(
    browser: Browser, live_server: Any, assessor: User, draft: Assessment
) -> None:
    context = new_context(browser, live_server.url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, assessor)
        page.goto(f"/assessments/{draft.pk}/")
        expect(page.get_by_role("region", name="Results summary")).to_be_hidden()
        panel = page.locator("#results-panel")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text(f"ROSA workstation: final {rosa_final(draft)}")
        expect(page.get_by_role("button", name="Close the full results")).to_be_hidden()
        # Beside the form, not below it.
        form_box = page.locator("#section-workstation").bounding_box()
        panel_box = panel.bounding_box()
        assert form_box is not None and panel_box is not None
        assert panel_box["x"] > form_box["x"] + form_box["width"] - 1
    finally:
        context.close()
