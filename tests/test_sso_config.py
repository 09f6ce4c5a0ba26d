"""Single sign-on's configuration and what it leaves alone, without a provider: it is off
unless configured, the sign-in page offers it only then, local accounts and their lockout
keep working beside it, an unreachable provider gets a clear message, and the role mapping
reads the claims as documented (docs/sso.md)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from assessments.sso import config
from assessments.sso.roles import claim_values, roles_from_claims
from ergo_site.env import env_mapping
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(settings: Any) -> Any:
    """Configured for a provider that is not running (nothing here reaches it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OIDC_RP_CLIENT_ID = "ergonomics-app"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.SSO_PROVIDER_NAME = "Contoso Entra ID"
    settings.SSO_DISCOVERY_URL = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    settings.OIDC_TIMEOUT = 2
    return settings


def test_single_sign_on_is_off_unless_configured(client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    callback = client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": "s"})
    assert callback.status_code == 404


def test_the_sign_in_page_offers_the_provider_beside_local_accounts(configured, client):
    page = client.get(reverse("login"), {"next": "/actions/"}).content.decode()
    assert "Sign in with Contoso Entra ID" in page
    assert f"{reverse('oidc_authentication_init')}?next=/actions/" in page
    assert 'name="password"' in page


def test_local_accounts_still_sign_in_when_single_sign_on_is_configured(configured, assessor):
    client = Client()
    response = client.post(reverse("login"), {"username": "assessor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_local_sign_in_is_still_locked_after_five_failures(configured, assessor):
    client = Client()
    for _ in range(5):
        last = client.post(reverse("login"), {"username": "assessor", "password": "wrong"})
    assert last.status_code == 429
    right = client.post(reverse("login"), {"username": "assessor", "password": PASSWORD})
    assert right.status_code == 429
    assert "Too many failed sign-in attempts" in right.content.decode()


def test_an_unreachable_provider_gets_a_clear_message_not_an_error(configured, client):
    config._documents.clear()
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert "Contoso Entra ID could not be reached" in page
    assert "sign in with a local account" in page


def test_a_callback_without_a_started_sign_in_is_refused(configured, client):
    response = client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": "s"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert (
        "You were not signed in with Contoso Entra ID"
        in client.get(reverse("login")).content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_a_sign_in_cancelled_at_the_provider_returns_to_the_sign_in_page(configured, client):
    session = client.session
    session["sso_refusal"] = "no_role"  # left from an earlier refused sign-in
    session.save()
    response = client.get(reverse("oidc_authentication_callback"), {"error": "access_denied"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert (
        "You were not signed in with Contoso Entra ID"
        in client.get(reverse("login")).content.decode()
    )


def test_the_explanation_page_needs_a_refused_sign_in(client):
    response = client.get(reverse("sso_no_access"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


@pytest.mark.parametrize(
    ("claims", "path", "values"),
    [
        ({"groups": ["a", "b"]}, "groups", ["a", "b"]),
        ({"groups": "a"}, "groups", ["a"]),
        ({"realm_access": {"roles": ["oh"]}}, "realm_access.roles", ["oh"]),
        ({"realm_access": {}}, "realm_access.roles", None),
        ({}, "groups", None),
        ({"groups": None}, "groups", []),
    ],
)
def test_claim_values_follow_a_dotted_path(claims, path, values):
    assert claim_values(claims, path) == values


def test_roles_come_from_mapped_values_only():
    role_map = {"ergo-oh": "assessor", "ergo-mgr": "manager", "it-admins": "admin"}
    claims = {"groups": ["ergo-mgr", "everyone"]}
    assert roles_from_claims(claims, claim="groups", role_map=role_map) == {"manager"}
    # A claim the provider left out counts as empty: the mapped roles go.
    assert roles_from_claims({}, claim="groups", role_map=role_map) == set()
    # No claim or no mapping configured: roles are managed in the app instead.
    assert roles_from_claims(claims, claim="", role_map=role_map) is None
    assert roles_from_claims(claims, claim="groups", role_map={}) is None


def test_the_role_mapping_reads_pairs_and_refuses_unknown_roles(monkeypatch):
    monkeypatch.setenv("X_MAP", "ergo-oh=assessor, 0b5c6a1e-7f2d=Manager,team=a=b=admin")
    assert env_mapping("X_MAP", values=("assessor", "manager", "admin")) == {
        "ergo-oh": "assessor",
        "0b5c6a1e-7f2d": "manager",
        "team=a=b": "admin",  # the role is after the last "="
    }
    monkeypatch.setenv("X_MAP", "ergo-oh=superuser")
    with pytest.raises(ImproperlyConfigured, match="roles are: assessor, manager, admin"):
        env_mapping("X_MAP", values=("assessor", "manager", "admin"))
    monkeypatch.setenv("X_MAP", "ergo-oh")
    with pytest.raises(ImproperlyConfigured, match="write claim-value=role"):
        env_mapping("X_MAP", values=("assessor",))


def _start(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, **extra, "DJANGO_SETTINGS_MODULE": "ergo_site.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_incomplete_configuration_stops_the_start_with_what_is_missing():
    no_secret = _start({"OIDC_CLIENT_ID": "app", "OIDC_ISSUER": "https://idp.example"})
    assert no_secret.returncode != 0 and "set OIDC_CLIENT_SECRET too" in no_secret.stderr
    nowhere = _start({"OIDC_CLIENT_ID": "app", "OIDC_CLIENT_SECRET": "s"})
    assert nowhere.returncode != 0 and "set OIDC_ISSUER" in nowhere.stderr
    complete = _start(
        {"OIDC_CLIENT_ID": "app", "OIDC_CLIENT_SECRET": "s", "OIDC_ISSUER": "https://idp.example"}
    )
    assert complete.returncode == 0, complete.stderr
