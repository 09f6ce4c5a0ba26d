"""Personal API tokens: made on the profile page, shown once, stored hashed, scoped, expiring,
revocable; and the rate limit on what they call."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments.api import tokens
from assessments.api.models import ApiToken
from tests.conftest import api_client_for, client_for

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_new_token_is_shown_once_and_stored_only_as_its_hash(manager):
    page = client_for(manager)
    response = page.post(
        reverse("token_list"), {"name": "EHS sync", "scope": "read", "lifetime_days": "30"}
    )
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret.startswith("ergo_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=manager)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(secret in value for value in stored)
    assert token.prefix == secret[: tokens.PREFIX_LENGTH]
    # Never again: the list shows the name and the first characters only.
    again = page.get(reverse("token_list")).content.decode()
    assert "EHS sync" in again and token.prefix in again and secret not in again
    assert timezone.now() + dt.timedelta(days=29) < token.expires_at
    assert token.expires_at < timezone.now() + dt.timedelta(days=31)
    assert page.get(reverse("api-site-list"), **_bearer(secret)).status_code == 200


def test_a_token_form_with_bad_input_says_why_next_to_the_field(manager):
    response = client_for(manager).post(
        reverse("token_list"), {"name": "", "scope": "admin", "lifetime_days": "9999"}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"name", "scope", "lifetime_days"}
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused(manager):
    made = tokens.token_create(user=manager, name="x", scope="read", lifetime_days=7)
    client = client_for(manager)
    assert client.get(reverse("api-site-list"), **_bearer(made.secret)).status_code == 200
    response = client.post(reverse("token_revoke", args=[made.token.pk]))
    assert response.status_code == 302
    refused = client_for(None).get(reverse("api-site-list"), **_bearer(made.secret))
    assert refused.status_code == 401
    assert "revoked or expired" in refused.json()["detail"]


def test_someone_elses_token_cannot_be_revoked(manager, other_manager):
    made = tokens.token_create(user=manager, name="x", scope="read", lifetime_days=7)
    response = client_for(other_manager).post(reverse("token_revoke", args=[made.token.pk]))
    assert response.status_code == 404
    made.token.refresh_from_db()
    assert made.token.revoked_at is None


def test_an_expired_token_is_refused(manager):
    made = tokens.token_create(user=manager, name="x", scope="read", lifetime_days=7)
    ApiToken.objects.filter(pk=made.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client_for(None).get(reverse("api-site-list"), **_bearer(made.secret))
    assert response.status_code == 401


def test_an_unknown_token_is_refused(manager):
    made = tokens.token_create(user=manager, name="x", scope="read", lifetime_days=7)
    response = client_for(None).get(reverse("api-site-list"), **_bearer(made.secret + "x"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_read_only_token_is_refused_on_writes(manager, completed):
    client = api_client_for(manager, scope="read")
    action = completed.actions.first()
    url = reverse("api-action-detail", args=[action.pk])
    etag = client.get(url)["ETag"]
    response = client.patch(
        url, {"status": "in_progress"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    action.refresh_from_db()
    assert action.status == "open"


def test_a_read_write_token_writes(manager, completed):
    client = api_client_for(manager, scope="write")
    action = completed.actions.first()
    url = reverse("api-action-detail", args=[action.pk])
    etag = client.get(url)["ETag"]
    response = client.patch(
        url, {"status": "in_progress"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_a_token_calls_as_its_owner_within_their_role(manager, other_completed):
    client = api_client_for(manager)
    response = client.get(reverse("api-assessment-detail", args=[other_completed.pk]))
    assert response.status_code == 404


def test_a_token_of_someone_without_a_role_is_refused(nobody):
    assert api_client_for(nobody).get(reverse("api-site-list")).status_code == 403


def test_calls_over_the_rate_limit_are_refused(manager, other_manager, settings):
    settings.API_RATE_LIMIT = "3/min"
    cache.clear()
    client = api_client_for(manager)
    statuses = [client.get(reverse("api-site-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(client.get(reverse("api-site-list"))["Retry-After"]) > 0
    # A second token of the same person shares the allowance; another person has their own.
    assert api_client_for(manager).get(reverse("api-site-list")).status_code == 429
    assert api_client_for(other_manager).get(reverse("api-site-list")).status_code == 200
    cache.clear()
