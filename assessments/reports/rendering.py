"""HTML -> PDF with WeasyPrint, reading static files and photos from disk only.

The URL fetcher refuses anything but files inside the static and media folders (and
inline data), so rendering never makes a network request, whatever a template holds.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.request import DataHandler, OpenerDirector, Request, url2pathname

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
    """Serve `file:` URLs under the allowed folders and `data:` URLs; refuse the rest.

    WeasyPrint's own fetcher builds HTTP handlers and an SSL context for every document
    (about 20 ms); this one has neither, so it is cheaper and cannot open a connection.
    """

    #: Read by WeasyPrint when a fetch fails: log it and go on (a missing photo is not fatal).
    _fail_on_errors = False

    def __init__(self) -> None:
        OpenerDirector.__init__(self)  # no handlers: nothing here goes to the network

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            with DataHandler().data_open(Request(url)) as inline:  # noqa: S310 - data: only
                kind = inline.headers.get("Content-Type", "text/plain")
                return URLFetcherResponse(url, body=inline.read(), headers={"Content-Type": kind})
        if not url.startswith("file://"):
            raise ValueError(f"Reports load local files only, not {url}")
        path = Path(url2pathname(url.removeprefix("file://").split("?")[0])).resolve()
        if not any(path.is_relative_to(root) for root in _allowed_roots()):
            raise ValueError(f"{path} is outside the static and media folders")
        # WeasyPrint uses a stylesheet only when it is served as text/css.
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


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
