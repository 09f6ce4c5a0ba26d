"""The link's secret: random, signed with the site's key, stored only as a hash.

A link carries ``<secret>:<signature>``. A changed character fails the signature
(tampered); a valid signature whose hash is not stored is an unknown link; expiry and
single use are the invitation's state, checked by `services.invitation_for_link`.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

_SALT = "assessments.selfassess.link"


def new_token() -> tuple[str, str]:
    """A fresh link token and the hash to store."""
    secret = secrets.token_urlsafe(24)
    return signing.Signer(salt=_SALT).sign(secret), token_hash(secret)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_of(token: str) -> str | None:
    """The secret inside a link token, or None when the signature does not match."""
    try:
        return signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
