from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: Any, *, per_page: int = 25) -> Page:
    """The requested page; out-of-range or junk page numbers give the nearest real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
