"""Strict readers for environment variables.

A bad value stops the process at start-up with a message naming the variable and what
it accepts, instead of silently falling back to a default.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, *, default: str) -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, *, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, *, default: int, minimum: int = 0) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, *, default: Sequence[str]) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: Sequence[str], *, default: str) -> str:
    value = env_str(name, default=default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def env_addresses(name: str, *, default: Sequence[str]) -> list[str]:
    """A comma-separated list of IP addresses and networks (`10.0.0.0/8`), or `*`."""
    items = env_list(name, default=default)
    for item in items:
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}={item!r} is not an IP address or network; list addresses, "
                "networks such as 10.0.0.0/8, or *."
            ) from None
    return items


def env_mapping(name: str, *, values: Sequence[str]) -> dict[str, str]:
    """Comma-separated `key=value` pairs (`ergo-oh=assessor,ergo-managers=manager`). A key
    is everything before the last `=`, so it may itself hold `=`; each value must be one of
    `values`."""
    mapping: dict[str, str] = {}
    for item in env_list(name, default=[]):
        key, sep, value = item.rpartition("=")
        key, value = key.strip(), value.strip().lower()
        if not sep or not key:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not a pair; write claim-value=role, separated by commas."
            )
        if value not in values:
            raise ImproperlyConfigured(
                f"{name}: {item!r} names the role {value!r}; roles are: {', '.join(values)}."
            )
        mapping[key] = value
    return mapping
