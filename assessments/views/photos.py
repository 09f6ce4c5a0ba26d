"""Photos are health-adjacent records: served only through this permission check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from assessments import permissions
from assessments.records.photos import thumbnail_bytes


@login_required
@require_GET
def photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    photo = permissions.photo_for_view(request.user, pk)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def photo_thumb(request: HttpRequest, pk: int) -> HttpResponse:
    photo = permissions.photo_for_view(request.user, pk)
    try:
        data = thumbnail_bytes(photo)
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
