"""Request ids and one structured log line per request.

Every request gets an id: the proxy's `X-Request-ID` when it looks like one (letters,
digits, `.`, `_`, `-`; at most 64 characters), a fresh random one otherwise. The id is
sent back in the response header, attached to every log record written while the
request is handled, and logged with the user id, method, path, status and duration on
the logger `ergo_site.requests` (one JSON object per line when `LOG_FORMAT=json`).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from ergo_site.logging import current_request_id

logger = logging.getLogger("ergo_site.requests")

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_from(value: str | None) -> str:
    """The caller's id if it is safe to log and echo back, else a new random one."""
    if value and _SANE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    # Log a user the request already loaded; never query the session just to log it.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:  # a broken session must not break the log line
        return None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[HEADER] = request_id
            status = response.status_code
            logger.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "%s %s %s %.1fms",
                request.method,
                request.path,
                status,
                duration_ms,
                extra={
                    "request_id": request_id,
                    "user_id": _user_id(request),
                    "path": request.path,
                    "method": request.method,
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            current_request_id.reset(token)
