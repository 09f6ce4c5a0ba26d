"""The reports' line breaking decides where a line ends exactly as WeasyPrint's own
`split_first_line` does: the same line, layout, width, height, baseline and glyphs, on
generated text and widths as well as on the reports (tests/test_text_hooks.py compares
the PDFs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import weasyprint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from weasyprint.layout import inline
from weasyprint.text.ffi import ffi, pango

from assessments.reporting import line_breaking, rendering, text_hooks
from tests.weasyprint_hooks import hooks_removed

#: Paragraphs in the reports' styles and a few others: each gives the style its text is
#: broken with.
STYLES_HTML = """<!doctype html><html lang="en"><head><style>
.small { font-size: 7pt; } .big { font-size: 15pt; font-weight: bold; }
.serif { font-family: serif; font-style: italic; } .u { text-decoration: underline; }
.kern { font-kerning: none; font-variant-ligatures: none; }
</style></head><body>
<p>Body text of the report.</p><p class="small">Small print.</p>
<p class="big">Large bold.</p><p class="serif">Serif italic.</p>
<p class="u">Underlined.</p><p class="kern">No kerning, no ligatures.</p>
</body></html>"""

#: Words of letters (ligatures among them), digits, punctuation that Pango may break
#: after (hyphens, slashes, dashes), accented letters, symbols, no-break, thin and
#: zero-width spaces, a combining mark, and glyphs the fonts lack.
WORDS = st.lists(
    st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        + list(".,;:!?()'\"-/%&+=")
        + list("éèàüößçñøÅŁ")
        + ["\u2013", "\u2014", "\u2192", "\u00d7", "\u2264", "\u00b0", "fi", "ffl"]
        + ["\u00a0", "\u2009", "\u200b", "\u0301", "\u4e2d", "\U0001f600"]
    ),
    min_size=1,
    max_size=12,
).map("".join)
TEXTS = st.lists(
    st.tuples(WORDS, st.sampled_from([" ", " ", " ", "  ", "   "])), min_size=1, max_size=60
).map(lambda words: "".join(word + space for word, space in words))


@pytest.fixture(scope="module")
def styles() -> Iterator[list[tuple[Any, Any]]]:
    """(style, layout context) of each paragraph, kept alive with their document's fonts."""
    seen: dict[int, tuple[Any, Any]] = {}
    original = inline.split_first_line

    def record(text: str, style: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        seen.setdefault(id(style), (style, context))
        return original(text, style, context, *args, **kwargs)

    inline.split_first_line = record
    try:
        rendering.html_to_pdf(STYLES_HTML)
    finally:
        inline.split_first_line = original
    yield list(seen.values())


def _glyphs(layout: Any) -> list[tuple[int, ...]]:
    """The glyphs of the layout's first line as drawn (without a width)."""
    pango.pango_layout_set_width(layout.layout, -1)
    line, _ = layout.get_first_line()
    glyphs = []
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        for i in range(item.glyphs.num_glyphs):
            info = item.glyphs.glyphs[i]
            glyphs.append(
                (
                    item.item.offset + item.glyphs.log_clusters[i],
                    info.glyph,
                    info.geometry.width,
                    info.geometry.x_offset,
                    info.geometry.y_offset,
                )
            )
    return glyphs


def _same_as_weasyprint(text: str, style: Any, context: Any, width: float) -> bool:
    """Whether the fast path decided, and if so, that it decided as WeasyPrint does."""
    with text_hooks.drawing_reused():  # layouts are kept, to compare their glyphs
        if not line_breaking._plain(style, width, text):
            return False
        fast = line_breaking._split_plain(text, style, width, 0)
        if fast is None:
            return False
        own = line_breaking._original_split_first_line(text, style, context, width, 0)
    layout, *figures = fast
    own_layout, *own_figures = own
    assert figures == own_figures, (text, width)
    assert layout.text == own_layout.text
    assert layout.first_line_direction == own_layout.first_line_direction
    assert layout.max_width == own_layout.max_width
    assert _glyphs(layout) == _glyphs(own_layout)
    return True


def test_installed_for_the_pinned_weasyprint():
    assert weasyprint.__version__ == text_hooks.WEASYPRINT_VERSION
    assert inline.split_first_line is line_breaking.split_first_line


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS, width_mm=st.floats(min_value=8, max_value=190), which=st.integers(0, 5))
def test_generated_lines_break_as_weasyprint_breaks_them(styles, text, width_mm, which):
    style, context = styles[which % len(styles)]
    _same_as_weasyprint(text, style, context, width_mm * 96 / 25.4)


def test_most_lines_of_running_text_are_decided_and_decided_alike(styles):
    """Every line of a long text at many widths, in every style: the fast path decides
    most of them (the test above would otherwise compare little), all as WeasyPrint."""
    text = (
        "Reaching to the mouse: not in line with the shoulder, 2 points; the keyboard "
        "is too high (wrists extended > 15°), 1 point; telephone 30 cm away → 1 point. "
        "Lifting cartons from pallet to conveyor: H at the origin 53 → 25 cm, LI 7.4 → 3.5; "
        "sit-stand desk, lumbar support and a lift assist, with job rotation every 2 hours. "
    ) * 3
    decided = tried = 0
    for style, context in styles:
        for width_mm in range(20, 190, 7):
            width = width_mm * 96 / 25.4
            rest = text
            while rest and tried < 4000:
                tried += 1
                if _same_as_weasyprint(rest, style, context, width):
                    decided += 1
                with text_hooks.drawing_reused():
                    _layout, _length, resume, *_ = line_breaking._original_split_first_line(
                        rest, style, context, width, 0
                    )
                if resume is None:
                    break
                rest = rest.encode()[resume:].decode()
    assert tried > 500
    assert decided / tried > 0.75


def test_a_draft_that_ends_too_soon_is_followed_by_a_longer_one(styles):
    """Narrow letters: the short draft ends before the width, so the line is decided
    from a draft as long as WeasyPrint's, and decided as WeasyPrint decides it."""
    style, context = styles[0]
    width = 60 * 96 / 25.4
    text = "il " * 200
    short = text[: int(width / style["font_size"] * line_breaking.DRAFT_RATIOS[0])]
    with text_hooks.drawing_reused():
        assert line_breaking._split_draft(text, short, style, width, 0) is line_breaking._LONGER
    assert _same_as_weasyprint(text, style, context, width)


def test_a_styles_strut_is_weasyprints(styles):
    for style, _context in styles:
        with text_hooks.drawing_reused():
            kept = line_breaking.strut(style)
            assert line_breaking.strut(style) is kept  # kept on the style
        assert kept == line_breaking._original_strut(style)
        other = style.copy()
        other["font_size"] = style["font_size"] * 2
        with text_hooks.drawing_reused():
            assert line_breaking.strut(other) == line_breaking._original_strut(other) != kept
    assert inline.strut is line_breaking.strut


def test_text_it_does_not_decide_goes_to_weasyprint(styles):
    style, _context = styles[0]
    for text in ("soft\u00adhyphen", "tab\there", "new\nline", "שלום עולם"):
        assert not line_breaking._plain(style, 300.0, text)
    assert not line_breaking._plain(style, None, "no width")
    assert not line_breaking._plain(style, style["font_size"] * 3, "too narrow")


def test_outside_report_rendering_weasyprint_breaks_lines_itself(styles, monkeypatch):
    style, context = styles[0]
    monkeypatch.setattr(
        line_breaking, "_split_plain", lambda *args: pytest.fail("used outside a report")
    )
    inline.split_first_line("Plain WeasyPrint, as anywhere else.", style, context, 300.0, 0)
    other = style.copy()
    inline.strut(other)
    assert "_strut" not in vars(other)


def test_another_weasyprint_version_gets_no_line_breaking(monkeypatch):
    with hooks_removed(), monkeypatch.context() as patch:
        patch.setattr(weasyprint, "__version__", "71.0")
        assert text_hooks.install() is False
        assert line_breaking.install() is False
        assert inline.split_first_line is line_breaking._original_split_first_line
        assert inline.strut is line_breaking._original_strut
