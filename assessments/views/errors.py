"""Error pages in the app's own layout: 400, 403 (also for a form refused by the CSRF
check), 404, 413 and 500, never a stack trace.

Each page gives the request's id (`ergo_site.middleware`), which is also on the log line
of the request, so that a person who reports a problem can quote it. The 500 page is
rendered without the request's context processors: whatever broke (the database, say)
must not break the error page too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

FORM_EXPIRED_MESSAGE = _(
    "This form could not be accepted: it was opened before you last signed in, or your "
    "browser did not send its security cookie. Nothing was saved. Reload the page and send "
    "the form again."
)


def _request_id(request: HttpRequest) -> str | None:
    return getattr(request, "request_id", None)


def _page(request: HttpRequest, template: str, status: int, **context: object) -> HttpResponse:
    body = loader.render_to_string(
        template, {"request_id": _request_id(request), **context}, request=request
    )
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 when the form sent more text than the server accepts."""
    if isinstance(exception, RequestDataTooBig):
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        photo_mb = settings.PHOTO_MAX_BYTES / (1024 * 1024)
        return _page(request, "413.html", 413, limit_mb=limit_mb, photo_mb=photo_mb)
    return _page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "403.html", 403, exception=str(exception))


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form refused by the CSRF check; the technical reason goes to the log only."""
    return _page(request, "403.html", 403, exception=str(FORM_EXPIRED_MESSAGE))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "404.html", 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    body = loader.render_to_string("500.html", {"request_id": _request_id(request)})
    return HttpResponse(body, status=500)
