"""Accessibility of the main pages, checked with axe-core in Chromium.

axe-core (tests/browser/vendor/axe.min.js, MPL-2.0) is injected by Playwright into a
context that bypasses the app's CSP; the pages themselves are unchanged. A page fails on
any serious or critical violation, and on the structural rules (landmarks, heading order,
labels) whatever their impact. The same pages are loaded with the CSP enforced by the
console test in test_console.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.support import (
    LINK_PAGES,
    PAGES,
    axe_violations,
    blocking,
    new_context,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(
    name: str, browser: Browser, live_server: LiveServer, main_pages: dict[str, Any]
) -> None:
    who, url = PAGES[name]
    context = new_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    try:
        if who is not None:
            sign_in(page, main_pages[who])
        response = page.goto(url(main_pages))
        assert response is not None and response.status == 200
        found = blocking(axe_violations(page))
        assert not found, f"{name}:\n" + "\n".join(found)
    finally:
        context.close()


@pytest.mark.parametrize("name", list(LINK_PAGES))
def test_employee_link_page_has_no_serious_accessibility_violations(
    name: str, browser: Browser, live_server: LiveServer, main_pages: dict[str, Any]
) -> None:
    status, url = LINK_PAGES[name]
    context = new_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    try:
        response = page.goto(url(main_pages))
        assert response is not None and response.status == status
        found = blocking(axe_violations(page))
        assert not found, f"{name}:\n" + "\n".join(found)
    finally:
        context.close()


def test_every_tab_of_the_assessment_form_is_accessible(
    browser: Browser, live_server: LiveServer, main_pages: dict[str, Any]
) -> None:
    """Hidden tab panels are skipped by axe, so each one is shown and checked in turn."""
    context = new_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, main_pages["assessor"])
        page.goto(main_pages["draft"].get_absolute_url())
        tabs = page.get_by_role("tab")
        names = [tabs.nth(i).inner_text() for i in range(tabs.count())]
        assert len(names) >= 5, names
        found: list[str] = []
        for i, tab_name in enumerate(names):
            tabs.nth(i).click()
            expect(tabs.nth(i)).to_have_attribute("aria-selected", "true")
            expect(page.get_by_role("tabpanel")).to_be_visible()
            found += [f"[{tab_name}] {line}" for line in blocking(axe_violations(page))]
        assert not found, "\n".join(found)
    finally:
        context.close()
