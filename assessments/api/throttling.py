"""Rate limit: each person's calls, counted per minute (`API_RATE_LIMIT`, e.g. "600/min")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class PersonRateThrottle(SimpleRateThrottle):
    """Counts the calls of one person, whichever of their tokens (or session) they use."""

    scope = "person"

    def get_rate(self) -> str | None:
        # Read on every call, so the setting can change without a restart of this class.
        return settings.API_RATE_LIMIT or None

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
