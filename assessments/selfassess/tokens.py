"""The link's secret: random, signed with the site's key, stored only as a hash.

A link carries ``<secret>:<signature>``. A changed character fails the signature
(tampered); a valid signature whose hash is not stored is an unknown link; expiry and
single use are the invitation's (or the consent's) state, checked by the services.

Self-assessment links and consent links are signed with different salts, so one kind of
link never opens the other kind of page.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

#: The salt of self-assessment links (`Invitation`, `LinkKey`).
SELF_ASSESSMENT = "assessments.selfassess.link"
#: The salt of consent links (`Consent`, `ConsentKey`).
CONSENT = "assessments.selfassess.consent"


def new_token(salt: str = SELF_ASSESSMENT) -> tuple[str, str]:
    """A fresh link token and the hash to store."""
    secret = secrets.token_urlsafe(24)
    return signing.Signer(salt=salt).sign(secret), token_hash(secret)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_of(token: str, salt: str = SELF_ASSESSMENT) -> str | None:
    """The secret inside a link token, or None when the signature does not match."""
    try:
        return signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        return None
