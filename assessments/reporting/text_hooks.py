"""Faster text drawing for the reports, with the same PDF as WeasyPrint's own.

WeasyPrint lays each line of text out with Pango and then discards the layout; to draw the
line it builds it again (a new Pango context, font description and layout, the text shaped
once more) and writes the glyphs one at a time, reading every field of Pango's glyph array
through cffi. In a text-heavy report that is about a fifth of the rendering time
(docs/performance.md, "PDF reports"). While a report renders (`drawing_reused`):

- a line's layout is kept from layout to drawing and drawn as it is, unless the line is
  justified (its word spacing is added when drawing) or its style changed;
- a line's glyphs are read from Pango's array in one pass, for the plain case: no ellipsis,
  no colour, bitmap or SVG glyphs, no missing glyphs and no vertical glyph offsets.
  Anything else is drawn by WeasyPrint's own function.

These replace private functions of WeasyPrint, so they are installed only for the version
they were written against (`WEASYPRINT_VERSION`); with any other, rendering stays as it is.
Outside `drawing_reused` (any other WeasyPrint use in the process) they step aside.
Tests render the reports and a document of edge cases both ways and compare the PDFs byte
for byte.
"""

from __future__ import annotations

import contextlib
import struct
import threading
from collections.abc import Iterator
from typing import Any

import weasyprint
from weasyprint.draw import text as draw_text_module
from weasyprint.text import line_break
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

#: The WeasyPrint release whose private functions these replace.
WEASYPRINT_VERSION = "70.0"

#: PangoGlyphInfo: glyph (guint32), geometry (width, x_offset, y_offset: gint32), attr.
#: Read as 32-bit fields, a glyph is five of them: id, width, x and y offsets, attributes.
GLYPH_INFO = struct.Struct("=Iiii4x")
#: Characters Pango treats as ending a paragraph (single-paragraph mode draws them instead).
_PARAGRAPH_SEPARATORS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")

_original_draw_first_line = draw_text_module.draw_first_line
_original_deactivate = line_break.Layout.deactivate
_original_reactivate = line_break.Layout.reactivate

_state = threading.local()


def reusing() -> bool:
    """Whether this thread is inside `drawing_reused`."""
    return getattr(_state, "depth", 0) > 0


def installed() -> bool:
    """Whether the hooks are in place (the pinned WeasyPrint)."""
    return draw_text_module.draw_first_line is _draw_first_line


@contextlib.contextmanager
def drawing_reused() -> Iterator[None]:
    """Within this block, this thread's WeasyPrint renderings use the hooks."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def _deactivate(self: Any) -> None:
    if reusing():
        self.kept = True  # the layout stays; `_reactivate` may draw it as it is
        return
    _original_deactivate(self)


def _reactivate(self: Any, style: Any) -> None:
    if (
        reusing()
        and getattr(self, "kept", False)
        and style is self.style
        and not self.justification_spacing
    ):
        # What a fresh layout of this text would be: no width, the same text and
        # attributes (set with justify=True, which adds nothing without justification).
        self.kept = False
        pango.pango_layout_set_width(self.layout, -1)
        return
    self.kept = False
    _original_reactivate(self, style)


class _NotPlain(Exception):
    """A line WeasyPrint's own function draws."""


def _draw_first_line(
    stream: Any, textbox: Any, text_overflow: str, block_ellipsis: str, matrix: Any
) -> list[Any]:
    if not reusing() or text_overflow == "ellipsis" or block_ellipsis != "none":
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if not textbox.text.strip():
        return []
    style_font_size = textbox.style["font_size"]
    if style_font_size < 1e-6:  # WeasyPrint's own threshold
        return []
    layout = textbox.pango_layout
    if not _PARAGRAPH_SEPARATORS.isdisjoint(layout.text):
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    # Without separators single-paragraph mode changes nothing, and setting it would make
    # Pango lay the line out again.
    try:
        operations = _plain_glyphs(stream, textbox, layout, style_font_size)
    except _NotPlain:
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.set_text_matrix(*matrix.values)
    for operation in operations:
        if isinstance(operation, str):
            stream.show_text(operation)
        else:
            stream.set_font_size(*operation)
    return []


def _plain_glyphs(stream: Any, textbox: Any, layout: Any, style_font_size: float) -> list[Any]:
    """The text operations of the line, as WeasyPrint writes them: glyph strings to show,
    and (font, size) changes between them. Raises _NotPlain for anything else."""
    first_line, _index = layout.get_first_line()
    operations: list[Any] = []
    parts: list[str] = []
    previous_pango_font = None
    old_pango = pango.pango_version() < 14802  # WeasyPrint's own test
    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    utf8_text = None
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        num_glyphs = glyph_string.num_glyphs
        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_pango_font:
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)
            if font.bitmap or font.svg or font.png or font.colr:
                raise _NotPlain
            if old_pango:
                font_size = style_font_size
            shown = "".join(parts)
            if shown:
                operations.append(shown)
            parts = []
            operations.append((font.hash, font_size))
        widths, to_unicode = font.widths, font.to_unicode
        # In one document, a glyph of this font at the same advance and without offset is
        # always written the same way (its width is then recorded in `font.widths`).
        written = font.__dict__.setdefault("written_glyphs", {}).setdefault(font_size, {})
        parts.append("<")
        raw = ffi.buffer(glyph_string.glyphs, num_glyphs * GLYPH_INFO.size)
        fields = memoryview(raw).cast("i")
        if any(fields[3::5]):  # vertical offsets
            raise _NotPlain
        glyph_ids = memoryview(raw).cast("I")[0::5]
        if max(glyph_ids) < empty and not any(fields[2::5]):
            # The common run: glyphs the font has, without offsets, mostly written before.
            keys = list(zip(glyph_ids, fields[1::5], strict=True))
            glyphs = list(map(written.get, keys))
            if None in glyphs:
                for i, glyph in enumerate(glyphs):
                    if glyph is not None:
                        continue
                    glyph_id, width = keys[i]
                    if glyph_id not in to_unicode:
                        utf8_text = utf8_text or layout.text.encode()
                        to_unicode[glyph_id] = _cluster_text(glyph_item, i, utf8_text)
                    glyph = written.get(keys[i])
                    if glyph is None:
                        glyph = written[keys[i]] = _glyph(
                            stream, pango_font, widths, glyph_id, width, 0.0, font_size
                        )
                    glyphs[i] = glyph
            parts.extend(glyphs)
        else:
            for i, (glyph_id, width, x_offset, _y) in enumerate(GLYPH_INFO.iter_unpack(raw)):
                if glyph_id == empty:
                    parts.append(f">{-width / font_size}<")
                    continue
                if glyph_id & unknown:
                    raise _NotPlain
                if glyph_id not in to_unicode:
                    utf8_text = utf8_text or layout.text.encode()
                    to_unicode[glyph_id] = _cluster_text(glyph_item, i, utf8_text)
                if not x_offset:
                    glyph = written.get((glyph_id, width))
                    if glyph is None:
                        glyph = written[glyph_id, width] = _glyph(
                            stream, pango_font, widths, glyph_id, width, 0.0, font_size
                        )
                    parts.append(glyph)
                    continue
                offset = x_offset / font_size
                parts.append(f">{-offset}<")
                parts.append(_glyph(stream, pango_font, widths, glyph_id, width, offset, font_size))
        # Close the run's glyph list as WeasyPrint does: drop a trailing "<", else add ">".
        if parts[-1].endswith("<"):
            parts[-1] = parts[-1][:-1]
        else:
            parts.append(">")
    operations.append("".join(parts))
    return operations


def _cluster_text(glyph_item: Any, i: int, utf8_text: bytes) -> str:
    """The text glyph i of the run stands for, as WeasyPrint finds it."""
    glyph_string = glyph_item.glyphs
    clusters = glyph_string.log_clusters
    item = glyph_item.item
    t1 = clusters[i]
    if item.analysis.level % 2:  # right to left
        t2 = item.length if i == 0 else clusters[i - 1]
    else:
        t2 = item.length if i == glyph_string.num_glyphs - 1 else clusters[i + 1]
    return utf8_text[item.offset + t1 : item.offset + t2].decode()


def _glyph(
    stream: Any,
    pango_font: Any,
    widths: dict[int, int],
    glyph_id: int,
    width: int,
    offset: float,
    font_size: float,
) -> str:
    """A glyph as WeasyPrint writes it: its id, then the kerning that brings the font's
    own width to Pango's advance."""
    logical_width = widths.get(glyph_id)
    if logical_width is None:
        pango.pango_font_get_glyph_extents(
            pango_font, glyph_id, stream.ink_rect, stream.logical_rect
        )
        logical_width = widths[glyph_id] = round(
            stream.logical_rect.width * 1000 * FROM_UNITS / font_size
        )
    kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
    return f"{glyph_id:04x}>{int(kerning)}<" if kerning else f"{glyph_id:04x}"


def install() -> bool:
    """Install the hooks if WeasyPrint is the version they were written for."""
    if (
        weasyprint.__version__ != WEASYPRINT_VERSION
        or ffi.sizeof("PangoGlyphInfo") != GLYPH_INFO.size
    ):
        return False
    draw_text_module.draw_first_line = _draw_first_line
    line_break.Layout.deactivate = _deactivate
    line_break.Layout.reactivate = _reactivate
    return True


def uninstall() -> None:
    draw_text_module.draw_first_line = _original_draw_first_line
    line_break.Layout.deactivate = _original_deactivate
    line_break.Layout.reactivate = _original_reactivate
