"""The reports' WeasyPrint hooks (text drawing, line breaking, style values) give the same PDF as
WeasyPrint's own code, byte for byte, and step aside outside report rendering and with
another WeasyPrint version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import weasyprint
from weasyprint.text import line_break

from assessments.reporting import context, rendering, text_hooks
from assessments.reporting.store import report_render
from tests.report_data import add_photos, complete_with_actions, full_draft
from tests.weasyprint_hooks import hooks_removed


def _both_ways(render: Callable[[], bytes]) -> tuple[bytes, bytes]:
    """The rendering with the reports' WeasyPrint hooks, and without any."""
    hooked = render()
    with hooks_removed():
        plain = render()
    return hooked, plain


@pytest.fixture
def full(employee: Any, assessor: Any, manager: Any) -> Any:
    assessment = complete_with_actions(
        full_draft(employee=employee, assessor=assessor), user=assessor, owner=manager
    )
    add_photos(assessment, user=assessor)
    return assessment


def test_the_hooks_are_installed_for_the_pinned_weasyprint():
    assert weasyprint.__version__ == text_hooks.WEASYPRINT_VERSION
    assert line_break.Layout.deactivate is text_hooks._deactivate


@pytest.mark.parametrize("kind", ["oh", "manager"])
def test_reports_are_the_same_pdf_with_and_without_the_hooks(full, kind):
    hooked, plain = _both_ways(lambda: report_render(full, kind))
    assert hooked == plain


def test_the_department_report_is_the_same_pdf_with_and_without_the_hooks(full, department):
    today = dt.date.today()

    def render() -> bytes:
        ctx = context.department_context(
            departments=type(department).objects.filter(pk=department.pk),
            start=today - dt.timedelta(days=365),
            end=today,
        )
        return rendering.render_pdf("assessments/pdf/department_report.html", ctx)

    hooked, plain = _both_ways(render)
    assert hooked == plain


#: Text WeasyPrint draws in other ways: justified lines (word spacing added when drawing),
#: preserved newlines and tabs, an ellipsis, letter spacing, underlines, right-to-left
#: scripts, combining marks (glyph offsets), a soft hyphen, glyphs the fonts lack, sizes
#: and weights, and the same glyphs in a second document (widths recorded per document).
#: And lines broken in other ways: at hyphens, slashes and dashes, before a word too long
#: for the line, at runs of spaces and no-break spaces, in a narrow box and around inline
#: elements. And styles computed in other ways: logical properties, custom properties,
#: a math function in an inherited property, text decorations and named pages.
EDGE_CASES = """<!doctype html><html lang="en"><head><style>
p { width: 60mm; }
.j { text-align: justify; }
.pre { white-space: pre-wrap; tab-size: 12mm; }
.clip { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.ls { letter-spacing: 0.6pt; }
.u { text-decoration: underline overline line-through; }
.big { font-size: 18pt; font-weight: bold; }
.caps { font-variant: small-caps; font-kerning: none; }
.logical { margin-inline-start: 8mm; padding-inline-end: 2mm; border-inline-start: 1pt solid; }
.vars { --gap: 3mm; --ink: #a33; }
.vars p { margin-top: var(--gap); color: var(--ink); }
.indent { text-indent: calc(5% + 2mm); }
.named { page: wide; }
@page wide { size: A4 landscape; }
</style></head><body>
<p class="j">Justified text spreads its words so that every line but the last fills the
width of the column, which WeasyPrint does while drawing each line.</p>
<p class="pre">Origin\t20.0\t53
Destination\t12.0\t40
a line that is long enough to wrap inside the preformatted block of text</p>
<p class="clip">A line far too long for its box ends with an ellipsis where it is cut.</p>
<p class="ls">Letter spacing widens every gap between the glyphs of this line.</p>
<p class="u">Underlined, overlined and struck through.</p>
<p dir="rtl">שלום עולם — مرحبا بالعالم</p>
<p>Combining marks: e\u0301 a\u0308 o\u0302 n\u0303; ligatures: office, ffi, fl.</p>
<p>Soft hyphen: extra\u00adordinarily long\u00adwinded words in a narrow column.</p>
<p>Missing glyphs: \u4e2d\u6587 \U0001f600 \u2603.</p>
<p class="big">Large bold heading text</p>
<p class="caps">Small capitals without kerning</p>
<p>Sit-stand desks/monitor arms—and chairs–lumbar support: well-known,
evidence-based, cost-effective, user-adjustable workstation-related changes.</p>
<p>A word too long: Pneumonoultramicroscopicsilicovolcanoconiosisandmoreletters ends
here, and spaces   in   runs, no-break spaces keep these together.</p>
<p style="width: 22mm">Narrow box: each word nearly fills a line.</p>
<p>Inline <strong>bold words</strong> and <em>italic words</em> break across
<span style="font-size: 8pt">smaller text</span> within one line box and the next.</p>
<p style="hyphens: auto">Automatic hyphenation of extraordinarily incomprehensible words.</p>
<p class="logical">Logical margin, padding and border at the start of the line.</p>
<div class="vars"><p>Custom properties give this margin and colour.</p></div>
<div class="indent"><p>An indent from a math function, inherited by this paragraph of
text that wraps onto a second line.</p></div>
<div class="named"><p>A page of its own name and size.</p></div>
</body></html>"""


def test_edge_cases_are_the_same_pdf_with_and_without_the_hooks():
    hooked, plain = _both_ways(
        lambda: rendering.html_to_pdf(EDGE_CASES) + rendering.html_to_pdf(EDGE_CASES)
    )
    assert hooked == plain


def test_outside_report_rendering_the_layouts_are_discarded_as_weasyprint_does():
    html = weasyprint.HTML(string="<p>Plain WeasyPrint, as anywhere else.</p>")
    assert not text_hooks.reusing()
    layout = line_break.create_layout("text", html.render().pages[0]._page_box.style, None, None, 0)
    layout.deactivate()
    assert not hasattr(layout, "layout")  # discarded, not kept
    with text_hooks.drawing_reused():
        assert text_hooks.reusing()
    assert not text_hooks.reusing()


def test_another_weasyprint_version_gets_no_hooks(monkeypatch):
    with hooks_removed(), monkeypatch.context() as patch:
        patch.setattr(weasyprint, "__version__", "71.0")
        assert text_hooks.install() is False
        assert line_break.Layout.deactivate is text_hooks._original_deactivate
