"""The authentication backend that answers the provider's callback.

mozilla-django-oidc exchanges the code for tokens at the provider, checks the ID token's
signature against the provider's published keys (JWKS), its expiry and its nonce; this
backend also checks its issuer and audience, reads the userinfo claims, and hands the
claims to `services.sso_sign_in`. A local sign-in (username and password) never reaches
it: it answers only calls that carry the nonce of a sign-in started here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from assessments.sso import config, services

#: Session key: why the last single sign-on was refused (for the explanation page).
REFUSAL_SESSION_KEY = "sso_refusal"


def policy() -> services.SsoPolicy:
    return services.SsoPolicy(
        groups_claim=settings.SSO_GROUPS_CLAIM,
        role_map=settings.SSO_ROLE_MAP,
        departments_claim=settings.SSO_DEPARTMENTS_CLAIM,
        create_users=settings.SSO_CREATE_USERS,
        match_unverified_email=settings.SSO_MATCH_UNVERIFIED_EMAIL,
    )


def is_single_sign_on(request: Any, credentials: dict[str, Any] | None) -> bool:
    """For django-axes (`AXES_WHITELIST_CALLABLE`): a provider's callback is not a password
    guess. Its code and state cannot be guessed, so it is neither counted as a failure nor
    locked out; a refused single sign-on (no role) must not lock the office's address
    out of local sign-in, nor lock everyone behind it out of single sign-on."""
    return bool(credentials) and "nonce" in credentials and not credentials.get("username")


class SsoBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    get_settings = staticmethod(config.setting)
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The endpoints are read when a sign-in needs them (they may come from the
        # provider's discovery document), not whenever Django lists its backends.
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # the library's attribute names
        return str(config.setting("OIDC_OP_TOKEN_ENDPOINT"))

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return str(config.setting("OIDC_OP_USER_ENDPOINT"))

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return str(config.setting("OIDC_OP_JWKS_ENDPOINT"))

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return str(settings.OIDC_RP_CLIENT_SECRET)

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return str(settings.OIDC_RP_SIGN_ALGO)

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if request is None or "nonce" not in kwargs or not config.enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued to this app (aud).")
        expected = config.issuer()
        if expected and payload.get("iss") != expected:
            raise SuspiciousOperation("The ID token comes from another issuer (iss).")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("The userinfo subject differs from the ID token's.")
        # Some providers put the groups in the ID token only (Entra ID), others in the
        # userinfo only: read both, the userinfo winning where both say something.
        claims = {**payload, **userinfo}
        result = services.sso_sign_in(
            claims=claims, issuer=str(payload.get("iss", "")), policy=policy()
        )
        if result.user is None:
            self.request.session[REFUSAL_SESSION_KEY] = result.refusal
        return result.user
