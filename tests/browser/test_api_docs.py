"""The API documentation page (Swagger UI) works under the app's Content Security Policy,
from the app's own files, and the token page makes a token a person can copy."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.support import Problems, sign_in
from tests.browser.test_console import CSP_LISTENER, csp_violations

pytestmark = pytest.mark.browser


def test_the_api_docs_page_renders_under_the_csp_from_local_files(
    context: BrowserContext, page: Page, live_server: LiveServer, problems: Problems
) -> None:
    context.add_init_script(CSP_LISTENER)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    response = page.goto(live_server.url + reverse("api-docs"))
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Ergo Assess API").first).to_be_visible()
    expect(page.locator("#operations-employees-employees_list")).to_be_visible()
    assert not csp_violations(page), csp_violations(page)
    assert not problems.messages, problems.messages
    assert not outside, outside


def test_a_manager_makes_a_token_and_sees_it_once(
    page: Page, main_pages: dict[str, Any], problems: Problems
) -> None:
    sign_in(page, main_pages["manager"])
    page.goto(reverse("token_list"))
    page.get_by_label("Name").fill("Nightly EHS sync")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#token-secret").inner_text()
    assert secret.startswith("ergo_")
    expect(page.get_by_role("cell", name="Nightly EHS sync", exact=True)).to_be_visible()
    page.goto(reverse("token_list"))  # opened again: the secret is gone
    expect(page.locator("#token-secret")).to_have_count(0)
    assert not problems.messages, problems.messages
