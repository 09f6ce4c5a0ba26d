"""HTML -> PDF with WeasyPrint, reading static files and photos from disk only.

The URL fetcher refuses anything but files inside the static and media folders (and
inline data), so rendering never makes a network request, whatever a template holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()]
    roots += [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    return roots


class LocalFetcher(URLFetcher):  # type: ignore[misc]
    """Serve `file:` URLs under the allowed folders and `data:` URLs; refuse the rest."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith("file://"):
            raise ValueError(f"Reports load local files only, not {url}")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not any(path.is_relative_to(root) for root in _allowed_roots()):
            raise ValueError(f"{path} is outside the static and media folders")
        return URLFetcherResponse(url, body=path.read_bytes())


def static_path(name: str) -> str:
    """`file://` URL of a static file, for print templates."""
    found = finders.find(name)
    if not found:
        candidate = Path(settings.STATIC_ROOT) / name
        if not candidate.exists():
            raise FileNotFoundError(name)
        found = str(candidate)
    return Path(found).resolve().as_uri()


def render_html(template: str, context: dict[str, Any]) -> str:
    return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    base = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    pdf: bytes = HTML(string=html, base_url=base, url_fetcher=LocalFetcher()).write_pdf()
    return pdf


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html(template, {**context, "pdf": True}))
