"""Who may call the API: the people who may use the app, within their token's scope.

What each call may see or change is decided by `assessments.permissions`, as for the pages;
this only adds what is particular to the API: a read-only token never writes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions as drf_permissions
from rest_framework.request import Request

from assessments import permissions
from assessments.api.models import ApiToken

READ_ONLY_TOKEN_MESSAGE = _(
    "This API token is read-only: make a read-and-write token to change data."
)


class AppUser(drf_permissions.BasePermission):
    """Signed in (session or token) and allowed to use the app; a read-only token reads."""

    message = _("Your account has no role in this app.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if not permissions.can_use_app(request.user):
            return False
        token = request.auth
        if (
            isinstance(token, ApiToken)
            and request.method not in drf_permissions.SAFE_METHODS
            and not token.can_write
        ):
            self.message = READ_ONLY_TOKEN_MESSAGE
            return False
        return True
