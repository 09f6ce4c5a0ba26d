"""Sign-in hardening: lockout after repeated failures, Argon2 hashes, password rules, idle
sessions ending, and a password change signing out every other session."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ergo_site.env import env_addresses
from ergo_site.proxy import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(assessor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(4):
        response = _sign_in(client, "assessor", "wrong-password")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    fifth = _sign_in(client, "assessor", "wrong-password")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    right = _sign_in(client, "assessor", PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert not _signed_in(client)


def test_a_lockout_does_not_block_other_accounts(assessor, manager):
    client = Client()
    for _ in range(5):
        _sign_in(client, "assessor", "wrong-password")
    assert _sign_in(client, "manager", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_successful_sign_in_resets_the_failure_count(assessor):
    client = Client()
    for _ in range(4):
        _sign_in(client, "assessor", "wrong-password")
    assert _sign_in(client, "assessor", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _sign_in(client, "assessor", "wrong-password")
    assert _sign_in(client, "assessor", PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2(settings):
    module = importlib.import_module("ergo_site.settings")
    settings.PASSWORD_HASHERS = module.PASSWORD_HASHERS
    assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = User.objects.create_user("hashed", password="a-long-test-password-2026")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("a-long-test-password-2026")


@pytest.mark.parametrize(
    ("password", "complaint"),
    [
        ("short1", "This password is too short"),
        ("password123", "This password is too common"),
        ("4815162342108", "This password is entirely numeric"),
        ("assessor-alex", "The password is too similar"),
    ],
)
def test_weak_passwords_are_refused(assessor, password, complaint):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=assessor)
    assert any(message.startswith(complaint) for message in refused.value.messages)


def test_the_password_change_form_applies_the_rules(assessor):
    client = Client()
    _sign_in(client, "assessor", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    assessor.refresh_from_db()
    assert assessor.check_password(PASSWORD)


def test_changing_the_password_signs_out_every_other_session(assessor):
    laptop, tablet = Client(), Client()
    _sign_in(laptop, "assessor", PASSWORD)
    _sign_in(tablet, "assessor", PASSWORD)
    assert _signed_in(laptop) and _signed_in(tablet)
    new = "another-long-password-2027"
    response = laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert _signed_in(laptop)  # the session that changed it stays signed in
    stale = tablet.get(reverse("home"))
    assert stale.status_code == 302 and stale["Location"].startswith(reverse("login"))
    assert _sign_in(Client(), "assessor", PASSWORD).status_code == 200  # old one refused


def test_sign_out_is_a_post(assessor):
    client = Client()
    _sign_in(client, "assessor", PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    assert _signed_in(client)
    client.post(reverse("logout"))
    assert not _signed_in(client)


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_ends_after_the_idle_time(assessor, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client = Client()
    _sign_in(client, "assessor", PASSWORD)
    session = _session(client)
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_each_request_extends_an_active_session(assessor):
    client = Client()
    _sign_in(client, "assessor", PASSWORD)
    session = _session(client)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    assert _signed_in(client)
    remaining = _session(client).expire_date - timezone.now()
    assert remaining > dt.timedelta(minutes=29)


# --- Lockouts behind the proxy -----------------------------------------------------------

PROXY = "10.0.0.5"


def _sign_in_via(client: Client, forwarded_for: str, password: str, *, peer: str = PROXY) -> Any:
    return client.post(
        reverse("login"),
        {"username": "assessor", "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]


def test_a_lockout_at_one_address_does_not_lock_the_user_at_another(assessor, behind_proxy):
    attacker, user = Client(), Client()
    for _ in range(5):
        last = _sign_in_via(attacker, "203.0.113.66", "wrong-password")
    assert last.status_code == 429 and LOCKED in last.content.decode()
    assert _sign_in_via(attacker, "203.0.113.66", PASSWORD).status_code == 429

    # The same user, through the same proxy, from their own address.
    assert _sign_in_via(user, "198.51.100.20", PASSWORD).status_code == 302
    assert _signed_in(user)


def test_a_forged_forwarded_for_does_not_escape_a_lockout(assessor, behind_proxy):
    """The proxy appends the address it saw; what the client wrote to the left of it is
    not believed, so changing it every time still counts against the real address."""
    client = Client()
    for attempt in range(5):
        last = _sign_in_via(client, f"192.0.2.{attempt}, 203.0.113.66", "wrong-password")
    assert last.status_code == 429
    assert _sign_in_via(client, "192.0.2.99, 203.0.113.66", PASSWORD).status_code == 429


def test_forwarded_for_from_an_untrusted_peer_is_ignored(assessor, behind_proxy):
    client = Client()
    for attempt in range(5):
        last = _sign_in_via(client, f"198.51.100.{attempt}", "wrong-password", peer="192.0.2.200")
    assert last.status_code == 429
    assert _sign_in_via(client, "198.51.100.77", PASSWORD, peer="192.0.2.200").status_code == 429


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "client"),
    [
        ([], "10.0.0.5", "203.0.113.7", "10.0.0.5"),  # no proxy configured
        (["10.0.0.5"], "10.0.0.5", "", "10.0.0.5"),  # the proxy sent no header
        (["10.0.0.5"], "10.0.0.5", "203.0.113.7", "203.0.113.7"),
        (["10.0.0.5"], "192.0.2.1", "203.0.113.7", "192.0.2.1"),  # not from the proxy
        (["10.0.0.5"], "10.0.0.5", "1.1.1.1, 203.0.113.7", "203.0.113.7"),
        (["10.0.0.0/8"], "10.0.0.5", "203.0.113.7, 10.1.2.3", "203.0.113.7"),  # two proxies
        (["10.0.0.5"], "10.0.0.5", "203.0.113.7:4711", "203.0.113.7"),
        (["10.0.0.5"], "10.0.0.5", "[2001:db8::7]:4711", "2001:db8::7"),
        (["10.0.0.5"], "10.0.0.5", "not-an-address", "10.0.0.5"),
        (["*"], "192.0.2.1", "1.1.1.1, 203.0.113.7", "203.0.113.7"),  # one hop only
        (["127.0.0.1"], "::ffff:127.0.0.1", "203.0.113.7", "203.0.113.7"),
    ],
)
def test_the_client_address_is_read_from_the_trusted_proxy(
    rf, settings, trusted, peer, forwarded, client
):
    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


def test_a_bad_trusted_proxy_address_stops_the_start(monkeypatch):
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match=r"'proxy\.internal' is not an IP address"):
        env_addresses("FORWARDED_ALLOW_IPS", default=[])
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5, 10.1.0.0/16, *")
    assert env_addresses("FORWARDED_ALLOW_IPS", default=[]) == ["10.0.0.5", "10.1.0.0/16", "*"]
