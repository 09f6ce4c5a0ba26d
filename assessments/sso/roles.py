"""Which of this app's roles a provider's claims give a person (no Django here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ROLES = ("assessor", "manager", "admin")


def claim_values(claims: Mapping[str, Any], path: str) -> list[str] | None:
    """The values of a claim as strings, following a dotted path into objects
    (`realm_access.roles`); a single string is one value. None when the claim is absent,
    so "absent" (leave things as they are) differs from "empty" (no values)."""
    if not path:
        return None
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item is not None]
    return [str(value)]


def roles_from_claims(
    claims: Mapping[str, Any], *, claim: str, role_map: Mapping[str, str]
) -> set[str] | None:
    """The roles the mapped claim values give; None when no claim or no mapping is
    configured (the roles are then managed in the app, not by the provider). A configured
    claim that the provider left out counts as empty, so someone taken out of every group
    loses their roles rather than keeping them."""
    if not claim or not role_map:
        return None
    values = claim_values(claims, claim) or []
    return {role_map[value] for value in values if value in role_map}


def managed_roles(role_map: Mapping[str, str]) -> set[str]:
    """The roles the provider decides: those some claim value maps to. The others are
    never added or removed by a sign-in."""
    return set(role_map.values())
