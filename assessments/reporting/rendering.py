"""HTML -> PDF with WeasyPrint, reading static files and photos from disk only.

The URL fetcher refuses anything but files inside the static and media folders (and
inline data), so rendering never makes a network request, whatever a template holds.

Three things make a report cheaper to render (docs/performance.md, "PDF reports"): the
print stylesheet is parsed, and its bundled fonts loaded, once per thread and reused for
every document (print templates do not link it when rendering a PDF); the PDF's streams
are compressed at zlib's default level rather than WeasyPrint's maximum; and the
documents are styled by the defaults their elements need rather than WeasyPrint's
stylesheet for all of HTML. Four private hooks, each installed only for the library
version it was written against, do the rest: `text_hooks` (drawing text), `line_breaking`
(where lines end), `style_values` (style properties an element does not declare) and
`html_parsing` (the HTML parser's pattern cache).
"""

from __future__ import annotations

import functools
import mimetypes
import os
import threading
import zlib
from pathlib import Path
from typing import Any
from urllib.request import DataHandler, OpenerDirector, Request, url2pathname

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessments.reporting import html_parsing, line_breaking, style_values, text_hooks

#: The WeasyPrint hooks, in the order they install: the others install only where
#: `text_hooks` did (the pinned WeasyPrint).
WEASYPRINT_HOOKS = (text_hooks, line_breaking, style_values)


def install_weasyprint_hooks() -> bool:
    """Install every WeasyPrint hook; whether all of them are in place."""
    return [hook.install() for hook in WEASYPRINT_HOOKS] == [True] * len(WEASYPRINT_HOOKS)


def uninstall_weasyprint_hooks() -> None:
    for hook in reversed(WEASYPRINT_HOOKS):
        hook.uninstall()


html_parsing.install()
install_weasyprint_hooks()

PRINT_STYLESHEET = "css/print.css"
#: zlib's default: files within 1 % of WeasyPrint's level 9, in a fraction of the time.
STREAM_COMPRESSION_LEVEL = 6

#: The rules of WeasyPrint's default stylesheet for HTML (css/html5_ua.css) that apply to
#: the elements print templates use, with the same values. WeasyPrint matches every
#: element against its whole default sheet, whose rules for footnotes, notes and list
#: markers apply to every element; these apply to what the reports hold. Print templates
#: use only REPORT_ELEMENTS (tested): add an element there and its rules here together.
#: Likewise for the page's margin boxes: only those the print stylesheet uses
#: (REPORT_MARGIN_BOXES, tested) have their rules here; a margin box without a rule takes
#: the page's style as it is, without a style of its own computed on every page.
REPORT_HTML_DEFAULTS = """
head, link, meta, script, style, title, template, [hidden] { display: none }
html, body, div, p, section, figure, figcaption, h1, h2, h3, ul { display: block }
li { display: list-item }
table { display: table; box-sizing: border-box; border-spacing: 2px;
        border-collapse: separate; text-indent: initial }
thead { display: table-header-group }
tbody { display: table-row-group }
tr { display: table-row }
td, th { display: table-cell; padding: 1px }
thead, tbody, table > tr { vertical-align: middle }
tr, td, th { vertical-align: inherit }
table, td, th { border-color: gray }
thead, tbody, tr { border-color: inherit }
html { color-scheme: light }
body { margin: 8px }
p, figure, ul { margin-top: 1em; margin-bottom: 1em }
figure { margin-left: 40px; margin-right: 40px }
ul { padding-left: 40px; list-style-type: disc; counter-reset: list-item; break-before: avoid }
li::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }
h1 { font-size: 2em; margin-top: .67em; margin-bottom: .67em; bookmark-level: 1 }
h2 { font-size: 1.5em; margin-top: .83em; margin-bottom: .83em; bookmark-level: 2 }
h3 { font-size: 1.17em; margin-top: 1em; margin-bottom: 1em; bookmark-level: 3 }
h1, h2, h3 { font-weight: bold; bookmark-label: content(text); hyphens: manual;
             break-after: avoid; break-inside: avoid }
b, strong, th { font-weight: bold }
em, i { font-style: italic }
img, svg { overflow: hidden }
br::before { content: "\\A"; white-space: pre-line }
@page {
  margin: 75px;
  @top-left { text-align: left; vertical-align: middle }
  @bottom-left { text-align: left; vertical-align: middle }
}
"""
#: The page margin boxes the print stylesheet fills (static/css/print.css).
REPORT_MARGIN_BOXES = frozenset({"top-left", "bottom-left"})
#: The HTML elements print templates may use (inline SVG keeps its own elements).
REPORT_ELEMENTS = frozenset(
    {"html", "head", "title", "meta", "link", "body", "div", "p", "section", "figure"}
    | {"figcaption", "h1", "h2", "h3", "ul", "li", "table", "thead", "tbody", "tr", "th"}
    | {"td", "span", "strong", "b", "em", "i", "img", "br", "svg"}
)


def _allowed_roots() -> tuple[str, ...]:
    """The folders reports may read, resolved, each ending with a separator."""
    folders = (settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS)
    return _resolved_roots(tuple(str(folder) for folder in folders))


@functools.lru_cache(maxsize=8)
def _resolved_roots(folders: tuple[str, ...]) -> tuple[str, ...]:
    # Resolving a folder reads every part of its path from disk: once per configuration.
    return tuple(os.path.join(Path(folder).resolve(), "") for folder in folders)


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
        if not str(path).startswith(_allowed_roots()):
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


class ReportHTML(HTML):  # type: ignore[misc]
    """A print template's HTML, styled by REPORT_HTML_DEFAULTS and the print stylesheet."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_report_defaults()]


_per_thread = threading.local()


def _report_defaults() -> CSS:
    sheet: CSS | None = getattr(_per_thread, "defaults", None)
    if sheet is None:
        sheet = _per_thread.defaults = CSS(string=REPORT_HTML_DEFAULTS)
    return sheet


def print_stylesheet() -> tuple[CSS, FontConfiguration]:
    """The print stylesheet with its fonts loaded, parsed once per thread.

    A FontConfiguration (Fontconfig and Pango objects) is not shared between threads,
    so each thread that renders keeps its own.
    """
    cached: tuple[CSS, FontConfiguration] | None = getattr(_per_thread, "stylesheet", None)
    if cached is None:
        fonts = FontConfiguration()
        sheet = CSS(
            url=static_path(PRINT_STYLESHEET), url_fetcher=LocalFetcher(), font_config=fonts
        )
        cached = _per_thread.stylesheet = (sheet, fonts)
    return cached


def _compress_streams(document: Any, pdf: pydyf.PDF) -> None:
    """Deflate the streams WeasyPrint marked for compression, at STREAM_COMPRESSION_LEVEL.

    A WeasyPrint finisher: it runs on the finished PDF objects just before they are
    written, so it changes how the streams are stored, not what they hold.
    """
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.compress:
            # The stream's parts serialised as pydyf itself does before compressing them.
            raw = b"\n".join(pydyf._to_bytes(part) for part in item.stream)
            item.stream = [zlib.compress(raw, STREAM_COMPRESSION_LEVEL)]
            item.extra["Filter"] = "/FlateDecode"
            item.compress = False


def html_to_pdf(html: str) -> bytes:
    """The PDF of a print template's HTML, styled by the print stylesheet."""
    sheet, fonts = print_stylesheet()
    base = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    document = ReportHTML(string=html, base_url=base, url_fetcher=LocalFetcher())
    with text_hooks.drawing_reused():
        pdf: bytes = document.write_pdf(
            stylesheets=[sheet], font_config=fonts, finisher=_compress_streams
        )
    return pdf


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html(template, {**context, "pdf": True}))
