"""The main pages under the app's real Content Security Policy: no violation, no script
error, no failed request in the browser console."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.support import PAGES, Problems, sign_in

pytestmark = pytest.mark.browser

# Collects what the browser reports as CSP violations, whatever it prints to the console.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
        + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def csp_violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__cspViolations || []"))


def test_main_pages_load_under_the_csp_without_console_errors(
    context: BrowserContext,
    page: Page,
    live_server: LiveServer,
    main_pages: dict[str, Any],
    problems: Problems,
) -> None:
    context.add_init_script(CSP_LISTENER)
    signed_in_as = None
    found: list[str] = []
    for name, (who, url) in PAGES.items():
        if who != signed_in_as:
            context.clear_cookies()
            if who is not None:
                sign_in(page, main_pages[who])
            signed_in_as = who
        problems.messages.clear()
        response = page.goto(url(main_pages))
        assert response is not None and response.status == 200, name
        page.wait_for_load_state("networkidle")
        policy = response.header_value("content-security-policy") or ""
        assert re.search(r"script-src 'self' 'nonce-[^']+'", policy), (name, policy)
        found += [f"{name}: {line}" for line in problems.messages + csp_violations(page)]
    assert not found, "\n".join(found)


def test_live_preview_and_save_run_under_the_csp(
    context: BrowserContext, page: Page, main_pages: dict[str, Any], problems: Problems
) -> None:
    """htmx swaps (preview while typing, save, panel reload) break no CSP rule."""
    context.add_init_script(CSP_LISTENER)
    sign_in(page, main_pages["assessor"])
    page.goto(main_pages["draft"].get_absolute_url())
    hours = page.locator('[name="workstation-chair_hours_per_day"]')
    hours.fill("")
    hours.press_sequentially("5", delay=40)
    expect(page.locator("#results-panel")).to_contain_text("unsaved changes")
    page.get_by_role("button", name=re.compile("^Save workstation")).click()
    expect(page.locator("#section-workstation").get_by_role("status")).to_contain_text("saved")
    expect(page.locator("#results-panel")).not_to_contain_text("unsaved changes")
    page.wait_for_load_state("networkidle")
    assert not problems.messages + csp_violations(page)
