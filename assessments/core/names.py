"""How a person who uses the app is named on every page, filter, export and report."""

from __future__ import annotations

from typing import Any


def person_name(user: Any) -> str:
    """A user's full name, or their username when they have no name; "" for no one."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())
