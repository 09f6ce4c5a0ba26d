"""The provider's settings, as the settings module read them from the environment, with
its endpoints taken from its discovery document when they are not given one by one.

The discovery document is fetched on first use (never at start-up, and never for a local
sign-in) and kept for an hour.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from django.conf import settings

#: mozilla-django-oidc's setting -> the discovery document's key.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",  # nosec B105 (a key name, not a secret)
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 3600
_MISSING = object()
_documents: dict[str, tuple[float, dict[str, Any]]] = {}


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read."""


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def provider_name() -> str:
    return str(settings.SSO_PROVIDER_NAME)


def discovery_url() -> str:
    if settings.SSO_DISCOVERY_URL:
        return str(settings.SSO_DISCOVERY_URL)
    if settings.SSO_ISSUER:
        return str(settings.SSO_ISSUER).rstrip("/") + "/.well-known/openid-configuration"
    return ""


def discovery() -> dict[str, Any]:
    url = discovery_url()
    if not url:
        return {}
    cached = _documents.get(url)
    if cached and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    if not isinstance(document, dict) or any(key not in document for key in ENDPOINTS.values()):
        raise ProviderUnavailable(f"{url} is not an OpenID Connect discovery document")
    _documents[url] = (time.monotonic(), document)
    return document


def setting(attr: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting; an endpoint not set explicitly comes from discovery."""
    value = getattr(settings, attr, _MISSING)
    if attr in ENDPOINTS and not value:
        return discovery()[ENDPOINTS[attr]]
    if value is _MISSING:
        if default:
            return default[0]
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"Setting {attr} not found")
    return value


def issuer() -> str:
    """The issuer the ID token must name: configured, or the discovery document's."""
    if settings.SSO_ISSUER:
        return str(settings.SSO_ISSUER)
    return str(discovery().get("issuer", ""))
