"""Real-browser fixtures: Debian's Chromium driven by Playwright against the live server.

The browser is Debian's ``chromium`` package (``make browser-deps`` installs it), never a
browser build downloaded by Playwright. If it is missing the tests fail with a message
saying how to install it; they are never skipped.

Playwright's sync API keeps an asyncio event loop running in the test thread, which makes
Django refuse ORM calls there; ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set for these tests only.
The live server runs in its own thread and is unaffected.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TABLET = {"width": 820, "height": 1180}
TIMEOUT_MS = 15_000
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
MISSING_CHROMIUM = (
    "Chromium not found at {path}. The browser tests need Debian's chromium package: "
    "run `make browser-deps` (or `apt-get install chromium`), or set CHROMIUM_PATH."
)


def _chromium_path() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).is_file() else None)
    if path is None:
        pytest.fail(MISSING_CHROMIUM.format(path=CHROMIUM), pytrace=False)
    return path


@pytest.fixture(scope="package")
def _async_unsafe_orm() -> Iterator[None]:
    # Package scope, so it outlives the per-test database flush that runs in this thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def playwright(_async_unsafe_orm: None) -> Iterator[Playwright]:
    # Package scope: the event loop stops after the browser tests, before any other module.
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # Playwright gives every launch a fresh, temporary user-data directory.
    browser = playwright.chromium.launch(
        executable_path=_chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def live_server(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[LiveServer]:
    """pytest-django's live server, started over plain HTTP.

    Django's security middleware reads SECURE_SSL_REDIRECT once, when the server thread
    builds its handler; production's redirect to HTTPS would send the browser to a port
    that speaks no TLS. Depending on ``django_db_setup`` makes the server share the test
    database rather than the development one.
    """
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with django_db_blocker.unblock(), override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer(addr)
    yield server
    server.stop()


@dataclass
class Problems:
    """JavaScript errors, CSP violations and failed requests seen by one browser context."""

    messages: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning") and not _ignorable(message.text):
            self.messages.append(f"console {message.type}: {message.text} ({message.location})")

    def on_page_error(self, error: Any) -> None:
        self.messages.append(f"uncaught exception: {error}")


def _ignorable(text: str) -> bool:
    # Chromium warns about its own command-line switches; not the app's concern.
    return "--no-sandbox" in text


def new_context(browser: Browser, live_server: Any, **options: Any) -> BrowserContext:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=TABLET,
        accept_downloads=True,
        locale="en-GB",
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def context(browser: Browser, live_server: Any, problems: Problems) -> Iterator[BrowserContext]:
    context = new_context(browser, live_server)
    context.on("console", problems.on_console)
    context.on("weberror", lambda error: problems.on_page_error(error.error))
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sign_in(page: Page, user: User) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
