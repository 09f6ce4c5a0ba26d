"""The address a request came from, as the trusted proxy saw it.

Behind the proxy, `REMOTE_ADDR` is the proxy's own address for every request, so a
sign-in lockout keyed on it would lock a user out for everyone. The proxy appends the
address it received each request from to `X-Forwarded-For`; a client can send that header
too, so only the entries added by trusted proxies are believed. Reading the header from
the right, the first address that is not a trusted proxy is the client.

The trusted proxies are `settings.TRUSTED_PROXIES`, read from `FORWARDED_ALLOW_IPS`, the
variable that tells gunicorn whose `X-Forwarded-*` headers to trust: addresses or networks
(`10.0.0.0/8`), or `*` when nothing but the proxy can reach the app server. A request
that does not come from a trusted proxy is taken at its `REMOTE_ADDR`, whatever headers it
sends.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(text: str) -> Address | None:
    """An IP address from a header entry ("203.0.113.7", "203.0.113.7:4711",
    "[2001:db8::1]:4711"), or None when it is not one."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[bool, tuple[Network, ...]]:
    """(any peer is the proxy, the trusted networks) for a `FORWARDED_ALLOW_IPS` list."""
    networks = []
    for entry in entries:
        if entry == "*":
            continue
        networks.append(ipaddress.ip_network(entry, strict=False))  # checked by the settings
    return "*" in entries, tuple(networks)


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    return any(address in net or (mapped is not None and mapped in net) for net in networks)


def client_ip(request: Any) -> str:
    """The client's address: `REMOTE_ADDR`, or behind a trusted proxy the nearest address
    in `X-Forwarded-For` that the proxies did not vouch for as one of their own."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    any_peer, networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    peer = _address(remote)
    if peer is None or not (any_peer or _trusted(peer, networks)):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    client = peer
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        hop = _address(entry)
        if hop is None:
            break  # a malformed entry: believe nothing to the left of it
        client = hop
        if not _trusted(hop, networks):
            break
    return str(client)
