"""Making, finding and revoking personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessments.api.models import ApiToken

#: Every token starts with this, so a leaked one is easy to recognise (and to search for).
TOKEN_PREFIX = "ergo_"  # noqa: S105  # nosec B105 (a label, not a secret)
PREFIX_LENGTH = len(TOKEN_PREFIX) + 6
#: How long a new token may live: the profile page offers these.
LIFETIMES_DAYS = (7, 30, 90, 365)
#: `last_used_at` is written at most this often per token, not on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made and its secret: the only moment the secret exists."""

    token: ApiToken
    secret: str


@transaction.atomic
def token_create(*, user: Any, name: str, scope: str, lifetime_days: int) -> NewToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=key_hash(secret),
        expires_at=timezone.now() + dt.timedelta(days=lifetime_days),
    )
    token.full_clean()
    token.save()
    return NewToken(token=token, secret=secret)


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret (not revoked, not expired), else None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(secret), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
