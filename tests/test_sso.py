"""Single sign-on, end to end against a real OpenID Connect provider.

The provider (`tests/oidc_provider/`, django-oauth-toolkit) runs in a second process on a
free loopback port. A sign-in goes the whole way: the app's start URL sends the browser to
the provider, the person signs in there and authorises the app (a `requests` session
plays the browser), the provider sends them back to the app's callback, and the app
exchanges the code for tokens with the provider over HTTP and checks the ID token
against the provider's published key.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from assessments import permissions
from assessments.people.models import AuditEvent
from assessments.sso.models import SsoIdentity
from tests import oidc_provider
from tests.servers import wait_until_answering

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
#: Longest wait for the provider to start (migrating its database, loading Django) on a
#: slow, busy machine.
START_SECONDS = 240


@dataclass(frozen=True)
class Provider:
    issuer: str
    directory: Path
    port: int

    @property
    def discovery(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def set_groups(self, username: str, *groups: str) -> None:
        """Change a person's groups at the provider (as its admin would)."""
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.oidc_provider.run",
                "groups",
                str(self.directory),
                str(self.port),
                username,
                *groups,
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    directory = tmp_path_factory.mktemp("oidc_provider")
    port = _free_port()
    log = (directory / "provider.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.run", "serve", str(directory), str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    found = Provider(issuer=f"http://127.0.0.1:{port}/o", directory=directory, port=port)

    def output() -> str:
        return (directory / "provider.log").read_text(errors="replace")[-4000:]

    try:
        # Ready when the discovery document answers 200: connection refused, timeouts and
        # any other answer (the database still migrating) are retried until the deadline.
        deadline = time.monotonic() + START_SECONDS
        while True:
            left = max(deadline - time.monotonic(), 1.0)
            answer = wait_until_answering(
                found.discovery, process=process, output=output, seconds=left
            )
            if answer.status_code == 200:
                break
            if time.monotonic() >= deadline:
                raise AssertionError(f"the provider answered {answer.status_code}:\n{output()}")
            time.sleep(0.3)
        yield found
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def sso(settings: Any, provider: Provider) -> Provider:
    """The app configured for the provider, as the environment would configure it."""
    settings.OIDC_RP_CLIENT_ID = oidc_provider.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.CLIENT_SECRET
    settings.SSO_PROVIDER_NAME = "Test IdP"
    settings.SSO_DISCOVERY_URL = provider.discovery
    settings.SSO_GROUPS_CLAIM = "groups"
    settings.SSO_ROLE_MAP = {"ergo-oh": "assessor", "ergo-managers": "manager"}
    settings.SSO_DEPARTMENTS_CLAIM = "departments"
    settings.SSO_CREATE_USERS = True
    return provider


class _Form(HTMLParser):
    """The fields of the first form on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and not self._done and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind not in ("checkbox", "submit") or "checked" in attributes:
                self.fields[str(attributes["name"])] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._done = True


def _form(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.fields


def through_provider(
    client: Client, provider: Provider, username: str, *, next_url: str = ""
) -> str:
    """Start a sign-in on the app and go through the provider's sign-in and consent pages;
    the app's callback URL (path and query) the provider sends the browser back to."""
    start = client.get(reverse("oidc_authentication_init"), {"next": next_url} if next_url else {})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/authorize/")
    browser = requests.Session()
    page = browser.get(start["Location"], timeout=30)
    assert page.status_code == 200 and "/accounts/login/" in page.url, page.text[:500]
    fields = _form(page.text)
    fields.update(username=username, password=oidc_provider.PASSWORD)
    consent = browser.post(page.url, data=fields, timeout=30)
    assert consent.status_code == 200 and "/o/authorize/" in consent.url, consent.text[:500]
    fields = _form(consent.text)
    assert fields["client_id"] == oidc_provider.CLIENT_ID
    fields["allow"] = "Authorize"
    back = browser.post(consent.url, data=fields, allow_redirects=False, timeout=30)
    assert back.status_code == 302, back.text[:500]
    location = urlsplit(back.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == oidc_provider.REDIRECT_URI
    return f"{location.path}?{location.query}"


def sign_in(client: Client, provider: Provider, username: str) -> Any:
    return client.get(through_provider(client, provider, username))


def sign_in_from(client: Client, provider: Provider, username: str, *, next_url: str) -> Any:
    return client.get(through_provider(client, provider, username, next_url=next_url))


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def _groups(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_sign_in_through_the_provider_creates_the_account_with_the_mapped_role(sso):
    client = Client()
    response = sign_in(client, sso, "alice")

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = signed_in_user(client)
    assert user is not None and user.email == "alice@example.org"
    assert _groups(user) == {permissions.ASSESSOR_GROUP}
    assert not user.has_usable_password()
    identity = SsoIdentity.objects.get(user=user)
    assert identity.issuer == sso.issuer and identity.subject
    kinds = set(AuditEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == {AuditEvent.Kind.SSO_SIGN_IN, AuditEvent.Kind.ROLE_CHANGE}
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "Assessor" in home.content.decode()


def test_the_role_follows_the_claim_at_every_sign_in(sso, department):
    sso.set_groups("bob", "ergo-oh")
    bob = User.objects.create_user("bob.local", email="Bob@Example.org", password="x-long-pw-2026")
    reviewers = Group.objects.create(name="Reviewers")  # not in the mapping: never touched
    bob.groups.add(reviewers)

    assert sign_in(Client(), sso, "bob").status_code == 302
    assert _groups(bob) == {permissions.ASSESSOR_GROUP, "Reviewers"}
    # Found by the provider's subject from now on, whatever the email says.
    User.objects.filter(pk=bob.pk).update(email="bob.renamed@example.org")

    sso.set_groups("bob", "ergo-managers", "dept:Northgate / Customer Service")
    client = Client()
    assert sign_in(client, sso, "bob").status_code == 302
    assert signed_in_user(client) == bob
    assert _groups(bob) == {permissions.MANAGER_GROUP, "Reviewers"}
    assert list(bob.managed_departments.all()) == [department]
    change = AuditEvent.objects.filter(user=bob, kind=AuditEvent.Kind.ROLE_CHANGE).first()
    assert change is not None
    assert "added Manager" in change.detail and "removed Assessor" in change.detail
    assert "Customer Service" in change.detail

    # Taken out of every mapped group: the role goes, and the sign-in is refused.
    sso.set_groups("bob", "all-staff")
    client = Client()
    response = sign_in(client, sso, "bob")
    assert response["Location"] == reverse("sso_no_access")
    assert signed_in_user(client) is None
    assert _groups(bob) == {"Reviewers"}


def test_someone_with_no_mapped_group_gets_the_explanation_page(sso):
    client = Client()
    response = sign_in(client, sso, "carol")

    assert response.status_code == 302 and response["Location"] == reverse("sso_no_access")
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 403
    assert "Your Test IdP account has no role in this app" in text
    assert "ask the occupational health admin" in text.lower()
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="carol@example.org").exists()
    refused = AuditEvent.objects.get(kind=AuditEvent.Kind.SSO_REFUSED)
    assert refused.detail.startswith("no_role")
    # Not a password guess: django-axes neither counts nor locks it.
    assert not AccessAttempt.objects.exists()


def test_an_existing_account_with_no_role_is_told_why(sso):
    User.objects.create_user("carol", email="carol@example.org", password="x-long-pw-2026")
    client = Client()
    response = sign_in(client, sso, "carol")
    assert response["Location"] == reverse("sso_no_access")
    assert "has no role in this app" in client.get(response["Location"]).content.decode()
    assert signed_in_user(client) is None


def test_without_account_creation_an_unknown_person_is_not_let_in(sso, settings):
    settings.SSO_CREATE_USERS = False
    client = Client()
    response = sign_in(client, sso, "alice")
    assert response["Location"] == reverse("sso_no_access")
    page = client.get(response["Location"]).content.decode()
    assert "There is no account in this app for your Test IdP account" in page
    assert not User.objects.filter(email="alice@example.org").exists()


def test_a_tampered_state_is_refused(sso):
    client = Client()
    callback = urlsplit(through_provider(client, sso, "alice"))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query["state"] = "x" * len(query["state"])

    response = client.get(f"{callback.path}?{urlencode(query)}")

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_user(client) is None
    page = client.get(reverse("login")).content.decode()
    assert "could not be verified" in page
    assert not User.objects.filter(email="alice@example.org").exists()


def test_a_callback_from_another_browser_is_refused(sso):
    callback = through_provider(Client(), sso, "alice")
    stranger = Client()
    response = stranger.get(callback)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_user(stranger) is None
    assert not User.objects.filter(email="alice@example.org").exists()


def test_an_id_token_from_another_issuer_is_refused(sso, settings):
    settings.SSO_ISSUER = "https://login.example.com/another-tenant"
    client = Client()
    response = sign_in(client, sso, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_user(client) is None
    assert "could not be verified" in client.get(reverse("login")).content.decode()


def test_the_page_asked_for_before_signing_in_is_where_the_sign_in_ends(sso):
    client = Client()
    asked = client.get(reverse("action_list"))
    assert asked.status_code == 302
    login_page = client.get(asked["Location"]).content.decode()
    start = f"{reverse('oidc_authentication_init')}?next={reverse('action_list')}"
    assert start in login_page
    response = sign_in_from(client, sso, "alice", next_url=reverse("action_list"))
    assert response["Location"] == reverse("action_list")


def test_a_code_the_provider_does_not_accept_is_refused_with_a_message(sso):
    client = Client()
    callback = urlsplit(through_provider(client, sso, "alice"))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query["code"] = "not-the-code-the-provider-gave"

    response = client.get(f"{callback.path}?{urlencode(query)}")

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_user(client) is None
    assert "Test IdP did not accept this sign-in" in client.get(reverse("login")).content.decode()
