"""`Authorization: Bearer <token>`: a personal API token signs the call as its owner."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from assessments.api import tokens

INVALID_TOKEN_MESSAGE = _("This API token is unknown, revoked or expired.")
INACTIVE_USER_MESSAGE = _("The account this API token belongs to is inactive.")


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as 'Bearer <token>'."))
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN_MESSAGE) from None
        token = tokens.token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN_MESSAGE)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE_USER_MESSAGE)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The token, as the OpenAPI document describes it."""

    target_class = TokenAuthentication
    name = "PersonalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from your profile page (/profile/tokens/).",
        }
