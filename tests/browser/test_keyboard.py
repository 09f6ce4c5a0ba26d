"""The assessment form with the keyboard alone: every control is reached and operated with
Tab, Shift+Tab, the arrow keys, Space and Enter; focus is always visible; nothing traps it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from assessments.people.models import Employee
from assessments.records import services
from assessments.records.models import Assessment
from tests.browser.support import assert_focus_visible, focused, sign_in

pytestmark = pytest.mark.browser

MAX_TABS = 400  # far more tab stops than the page has; reaching it means focus is stuck


@pytest.fixture
def fresh_draft(employee: Employee, assessor: User) -> Assessment:
    return services.assessment_create(employee=employee, assessor=assessor)


def press(page: Page, key: str) -> dict[str, Any] | None:
    page.keyboard.press(key)
    return focused(page)


def tab_until(page: Page, matches: Any, *, key: str = "Tab", limit: int = 80) -> dict[str, Any]:
    """Press Tab until the focused element matches, checking focus is visible at each stop."""
    for _ in range(limit):
        info = press(page, key)
        assert_focus_visible(info)
        assert info is not None
        if matches(info):
            return info
    raise AssertionError(f"not reached with {limit} presses of {key}")


def test_assessment_form_works_with_the_keyboard_alone(
    page: Page, assessor: User, fresh_draft: Assessment
) -> None:
    sign_in(page, assessor)
    page.goto(fresh_draft.get_absolute_url())

    # The first stop is the skip link, and it leads into the main content.
    skip = press(page, "Tab")
    assert_focus_visible(skip)
    assert skip is not None and skip["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    first_in_main = press(page, "Tab")
    assert_focus_visible(first_in_main)
    assert page.evaluate("document.activeElement.closest('main') !== null")

    # Tabs: Tab reaches the selected tab; the arrow keys move along the tab list.
    tab = tab_until(page, lambda i: i["role"] == "tab")
    assert tab["text"].startswith("Workstation") and tab["selected"] == "true"
    sitting = press(page, "ArrowRight")
    assert_focus_visible(sitting)
    assert sitting is not None and sitting["text"].startswith("Sitting")
    expect(page.get_by_role("tab", name=re.compile("^Sitting"))).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator("#tab-sitting")).to_be_visible()
    back = press(page, "ArrowLeft")
    assert back is not None and back["text"].startswith("Workstation")
    expect(page.locator("#tab-workstation")).to_be_visible()

    # Radios: Tab enters the group at the chosen answer; arrows change the answer.
    radio = tab_until(page, lambda i: i["type"] == "radio")
    # The first option is "— not answered —", where every ROSA item starts.
    assert radio["key"] == "id_workstation-seat_height_0" and radio["checked"]
    press(page, "ArrowDown")
    press(page, "ArrowDown")
    chosen = press(page, "ArrowDown")
    assert_focus_visible(chosen)
    assert chosen is not None and chosen["key"] == "id_workstation-seat_height_3"
    expect(page.locator("#id_workstation-seat_height_3")).to_be_checked()

    # Checkboxes: Space ticks them.
    box = tab_until(page, lambda i: i["type"] == "checkbox")
    assert box["key"] == "id_workstation-seat_leg_space_insufficient" and not box["checked"]
    page.keyboard.press("Space")
    expect(page.locator("#id_workstation-seat_leg_space_insufficient")).to_be_checked()

    # Every other control of the section, then its save button, operated with Enter.
    save = tab_until(page, lambda i: i["key"] == "save-workstation", limit=120)
    assert save["text"].startswith("Save workstation")
    page.keyboard.press("Enter")
    expect(page.locator("#section-workstation").get_by_role("status")).to_have_text(
        "Workstation (ROSA) saved."
    )
    # The section was replaced; focus stays on its save button rather than the page.
    after_save = focused(page)
    assert_focus_visible(after_save)
    assert after_save is not None and after_save["key"] == "save-workstation"
    section = Assessment.objects.get(pk=fresh_draft.pk).workstation
    assert section.seat_height == "too_high"
    assert section.seat_leg_space_insufficient is True

    # Shift+Tab goes back into the form.
    previous = press(page, "Shift+Tab")
    assert_focus_visible(previous)
    assert page.evaluate("document.activeElement.closest('#section-workstation') !== null")

    # Nothing traps focus: tabbing on leaves the page (or wraps to its start) and every stop
    # on the way is visible.
    press(page, "Tab")
    seen: list[str] = []
    for _ in range(MAX_TABS):
        info = press(page, "Tab")
        if info is None or info["text"] == "Skip to main content":
            break
        assert_focus_visible(info)
        seen.append(info["key"])
    else:
        raise AssertionError(f"focus never left the page; last stops: {seen[-10:]}")
    assert len(seen) == len(set(seen)), f"focus came back to an earlier stop: {seen}"
