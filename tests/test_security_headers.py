"""Browser-side hardening: the Content Security Policy and the production security headers.

Every page the app renders is scanned: scripts only from our origin or carrying the
request's nonce, no inline event handlers, no `javascript:` URLs and no inline styles
(the policy's `style-src` has no 'unsafe-inline', so a `style="..."` attribute would be
blocked by the browser and the page would render differently than designed).
"""

from __future__ import annotations

import importlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.test_permission_matrix import RULES, Matrix, make_matrix, user_for

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
NONCE = re.compile(r"'nonce-([A-Za-z0-9_\-+/=]+)'")
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class _PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.script_nonces: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"inline event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f'inline style="{value}" on <{tag}>')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL on <{tag}>")
        if tag == "script":
            kind = (values.get("type") or "").strip().lower()
            if "src" in values:
                self.script_nonces.append(values.get("nonce") or "")
            elif kind in EXECUTABLE_SCRIPT_TYPES:
                if not values.get("nonce"):
                    self.problems.append("inline <script> without a nonce")
                self.script_nonces.append(values.get("nonce") or "")
        if tag == "style" and not values.get("nonce"):
            self.problems.append("<style> block without a nonce")


def scan(html: str) -> _PageScan:
    parser = _PageScan()
    parser.feed(html)
    return parser


def _policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


# --- The policy ------------------------------------------------------------------------------


def test_every_page_sends_a_strict_policy_with_a_fresh_nonce(assessor, completed):
    client = client_for(assessor)
    url = reverse("assessment_detail", args=[completed.pk])
    first, second = client.get(url), client.get(url)
    policy = _policy(first)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
        assert "'self'" in policy[directive]
    nonce = NONCE.search(first["Content-Security-Policy"]).group(1)
    assert len(nonce) >= 16
    assert nonce != NONCE.search(second["Content-Security-Policy"]).group(1)
    page = scan(first.content.decode())
    assert page.script_nonces and set(page.script_nonces) == {nonce}


def _pages(matrix: Matrix) -> list[tuple[str, str, Any]]:
    """(role, url, response) for every page of the app that renders HTML with a 200, with
    the permission matrix's people and objects."""
    found = []
    found_objects = matrix.objects
    users = {role: user_for(matrix, role) for role in ("assessor", "manager", "admin")}
    for role, user in users.items():
        client = client_for(user)
        for name, (method, key, _expected) in sorted(RULES.items()):
            if method != "get":
                continue
            url = reverse(name, args=found_objects[key] if key else [])
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                found.append((role, url, response))
    admin = client_for(users["admin"])
    for url in (
        reverse("admin:index"),
        reverse("admin:records_assessment_changelist"),
        reverse("admin:records_assessment_change", args=found_objects["completed"]),
        reverse("admin:people_employee_add"),
    ):
        found.append(("admin", url, admin.get(url)))
    found.append(("anonymous", reverse("login"), client_for(None).get(reverse("login"))))
    return found


def test_no_page_has_inline_script_style_or_handlers(settings):
    pages = _pages(make_matrix(settings.MEDIA_ROOT))
    assert len(pages) > 40
    problems = []
    for role, url, response in pages:
        nonce_in_header = NONCE.search(response["Content-Security-Policy"])
        page = scan(response.content.decode())
        problems += [f"{role} {url}: {p}" for p in page.problems]
        for nonce in page.script_nonces:
            if nonce and (not nonce_in_header or nonce != nonce_in_header.group(1)):
                problems.append(f"{role} {url}: script nonce does not match the header")
    assert problems == []


def test_templates_have_no_inline_styles_or_scripts():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text("utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and "nonce=" not in tag and "application/json" not in tag:
                offenders.append(f"{path.name}: {tag}")
        if re.search(r"\sstyle=", text):
            offenders.append(f"{path.name}: style attribute")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path.name}: inline event handler")
    assert offenders == []


# --- Production headers and cookies ---------------------------------------------------------


@pytest.fixture
def production(settings: Any) -> Any:
    """The transport settings as production has them (the test defaults relax them)."""
    module = importlib.import_module("ergo_site.settings")
    for name in (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    ):
        setattr(settings, name, getattr(module, name))
    return settings


def test_production_defaults_are_secure_when_debug_is_off():
    module = importlib.import_module("ergo_site.settings")
    assert module.DEBUG is False
    assert module.SECURE_SSL_REDIRECT is True
    assert module.SESSION_COOKIE_SECURE is True
    assert module.CSRF_COOKIE_SECURE is True
    assert module.SESSION_COOKIE_HTTPONLY is True
    assert module.SECURE_HSTS_SECONDS >= 31536000
    assert module.X_FRAME_OPTIONS == "DENY"
    assert module.SECURE_REFERRER_POLICY == "same-origin"


def test_https_pages_carry_the_security_headers(production, assessor):
    response = client_for(assessor).get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


def test_plain_http_is_redirected_to_https(production, assessor):
    response = client_for(assessor).get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_session_and_csrf_cookies_are_secure_and_http_only(production, assessor):
    from tests.conftest import PASSWORD

    client = client_for(None)
    login = client.get(reverse("login"), secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"), {"username": "assessor", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_reports_and_photos_are_not_cached_by_shared_caches(assessor, completed):
    response = client_for(assessor).get(reverse("report_pdf", args=[completed.pk, "oh"]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
