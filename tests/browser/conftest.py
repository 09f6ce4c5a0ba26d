"""Real-browser fixtures: Debian's Chromium driven by Playwright against the live server.

The browser is Debian's ``chromium`` package (``make browser-deps`` installs it), never a
browser build downloaded by Playwright. If it is missing the tests fail with a message
saying how to install it; they are never skipped.

Playwright's sync API keeps an asyncio event loop running in the test thread, which makes
Django refuse ORM calls there; ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set while these tests run
and removed after them. The live server runs in its own thread and is unaffected.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.servers.basehttp import WSGIServer
from django.test import override_settings
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from assessments.people.models import Department, Employee
from assessments.records import services
from assessments.records.models import Assessment
from assessments.selfassess import services as selfassess_services
from tests.browser.support import TIMEOUT_MS, Problems, new_context
from tests.conftest import consent_link, fill_draft

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
# Assertions wait as long as actions do: a loaded two-core CI machine is slow, not broken.
expect.set_options(timeout=TIMEOUT_MS)

MISSING_CHROMIUM = (
    "Chromium not found at {path}. The browser tests need Debian's chromium package: "
    "run `make browser-deps` (or `apt-get install chromium`), or set CHROMIUM_PATH."
)


def _chromium_path() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).is_file() else None)
    if path is None:
        pytest.fail(MISSING_CHROMIUM.format(path=CHROMIUM), pytrace=False)
    return path


class SerialLiveServerThread(LiveServerThread):
    """Django's live server thread, answering one request at a time.

    With SQLite the test database is one in-memory connection shared by every request
    thread, and two overlapping requests (a live preview still running when Save is
    pressed) would fail with "database is locked". A browser queues its requests instead.
    """

    def _create_server(self, connections_override: Any = None) -> WSGIServer:
        # Requests are handled in this thread, whose connections are already the overrides.
        return WSGIServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )


@pytest.fixture(scope="package")
def live_server(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[LiveServer]:
    """pytest-django's live server, over plain HTTP and one request at a time.

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
        server = LiveServer(addr, start=False)
        threaded = server.thread
        server.thread = SerialLiveServerThread(
            threaded.host,
            threaded.static_handler,
            connections_override=threaded.connections_override,
            port=threaded.port,
        )
        server.thread.daemon = True
        server.start()
    yield server
    server.stop()


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
    # Package scope: the event loop stops after the browser tests, before other modules run.
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright, live_server: LiveServer) -> Iterator[Browser]:
    # Each launch gets a fresh temporary user-data directory from Playwright. Depending on
    # the live server makes the browser close (and drop its open connections) first.
    browser = playwright.chromium.launch(
        executable_path=_chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def context(
    browser: Browser, live_server: LiveServer, problems: Problems
) -> Iterator[BrowserContext]:
    context = new_context(browser, live_server.url)
    problems.watch(context)
    yield context
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Page]:
    page = context.new_page()
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        # What the browser showed when the test failed: in BROWSER_TEST_ARTIFACTS if set,
        # otherwise with pytest's temporary files.
        folder = Path(os.environ.get("BROWSER_TEST_ARTIFACTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        (folder / f"{name}.html").write_text(page.content())
        print(f"\nWhat the browser showed: {folder / name}.png and .html")


@pytest.fixture
def main_pages(completed: Assessment, assessor: User, manager: User) -> dict[str, Any]:
    """Data behind the main pages: a completed assessment and a filled-in draft."""
    draft = fill_draft(services.assessment_create(employee=completed.employee, assessor=assessor))
    return {
        "completed": completed,
        "draft": draft,
        "assessor": assessor,
        "manager": manager,
        "token": _self_assessment_link(completed.employee.department, assessor),
        "consent_token": consent_link(completed),
    }


def _self_assessment_link(department: Department, assessor: User) -> str:
    """The token of a fresh self-assessment link, as emailed to a colleague of the employee."""
    invitee = Employee.objects.create(
        hr_reference="E150",
        name="Ash Invitee",
        email="ash@example.org",
        department=department,
    )
    mail.outbox = []
    selfassess_services.invitation_create(employee=invitee, user=assessor)
    found = re.search(r"/s/([^/\s]+)/", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)
