"""What the templates may know about the signed-in person's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from assessments import permissions


def roles(request: HttpRequest) -> dict[str, Any]:
    # An error page for a request refused before sign-in was read (a bad Host header)
    # has no user: it is shown as to someone signed out.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role": {"label": "", "is_admin": False, "health": False, "assess": False}}
    if permissions.is_admin(user):
        label = "Admin"
    elif permissions.is_assessor(user):
        label = "Assessor"
    elif permissions.is_manager(user):
        label = "Manager"
    else:
        label = "No role"
    return {
        "role": {
            "label": label,
            "is_admin": permissions.is_admin(user),
            "health": permissions.can_see_health_detail(user),
            "assess": permissions.can_assess(user),
            "manager": permissions.is_manager(user),
        }
    }
