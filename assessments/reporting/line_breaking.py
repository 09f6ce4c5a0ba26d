"""Splitting text into lines with fewer Pango layouts, with WeasyPrint's own result.

To find where a line of text ends, WeasyPrint 70 (`split_first_line`) lays text out with
Pango up to three times: a draft of about two lines' text wrapped at the available width,
the first line again with the next word added (Pango can break a word too early), and the
final line without a width, which is the one drawn. Wrapping is the dear part of a Pango
layout: in the OH report the two wrapped layouts took about 20 ms of 140 (docs/performance.md,
"PDF reports").

For the plain case, here, a draft is laid out once *without* a width (about one and a
third lines' text, or as much as WeasyPrint's draft when that ends too soon), and the break
is read from it: Pango's break opportunities (its log attributes) and the glyphs'
advances, the same widths Pango's own wrapping compares with the available width. The
lines of a text share their style's Pango context, font description and features
(`_Setup`), which WeasyPrint makes again for every line. The line ends at
the last opportunity whose text fits, when the decision is clear: the line, with its
trailing spaces, fits with a margin (`MARGIN`, a tenth of the font size), and the next
word, without its spaces, overflows by more than the margin. The final line is then laid
out exactly as WeasyPrint does (`first_line_metrics`), so the box's layout, width, height
and baseline are WeasyPrint's own. A text that fits whole with that margin keeps its draft
layout, as WeasyPrint keeps its own.

Anything else goes to WeasyPrint's function: a decision within the margin, text that is
not white-space: normal, letter or word spacing, soft hyphens or automatic hyphenation,
word breaking, tabs or preserved breaks, right-to-left or bidirectional text, a line whose
first word does not fit, an available width under four font sizes.

Each line also asks for its style's strut (the line height and baseline, `strut`), which
WeasyPrint caches under a key it builds from fourteen style values on every call; here the
answer is kept on the style itself.

These replace private functions of WeasyPrint, so they are installed only for the version
they were written against (`text_hooks.WEASYPRINT_VERSION`), and act only while a report
renders (`text_hooks.drawing_reused`). Tests compare them with WeasyPrint's functions on
generated text and widths and on the reports' styles, and render the reports and a
document of edge cases both ways and compare the PDFs byte for byte.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from math import inf
from typing import Any

from weasyprint.layout import inline as inline_layout
from weasyprint.text import line_break
from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
from weasyprint.text.fonts import font_features, get_font_description

from assessments.reporting import text_hooks

#: How clear a decision must be, in font sizes: the line must fit by this much and the
#: next word overflow by this much, or WeasyPrint's own function decides.
MARGIN = 0.1
#: WeasyPrint's draft: the first int(width / font size * 4) characters of the text.
DRAFT_RATIO = 4
#: The drafts tried here, in characters per font size of the width: most lines of text
#: are decided from the first, shorter one (less text for Pango to shape); when it ends
#: too soon, from one as long as WeasyPrint's.
DRAFT_RATIOS = (2.6, DRAFT_RATIO)
#: A draft that ended before the line could be decided.
_LONGER = object()
#: Characters before the end of a cut draft whose break opportunities are not trusted:
#: whether Pango may break before a character depends on the characters around it.
_CUT_GAP = 4

_original_split_first_line = line_break.split_first_line
_original_strut = line_break.strut

#: Text this does not decide: soft hyphens, tabs, breaks Pango or WeasyPrint treat
#: specially, and right-to-left scripts and bidirectional controls.
_NOT_PLAIN = re.compile(
    "[\xad\t\n\r\x0b\x0c\x85\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
#: Bit 0 of a PangoLogAttr is `is_line_break` (GCC's bit-field order on this ABI, checked
#: by `install`).
_IS_LINE_BREAK = 1


class _Line:
    """What `first_line_metrics` reads of a Pango line it relays out: its length."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


def _plain(style: Any, max_width: float | None, text: str) -> bool:
    return (
        max_width is not None
        and max_width != inf
        and max_width < 2**21
        and style["white_space"] == "normal"
        and style["font_size"]
        and style["font_size"] * DRAFT_RATIO <= max_width
        and style["letter_spacing"] == "normal"
        and not style["word_spacing"]
        and style["overflow_wrap"] == "normal"
        and style["word_break"] == "normal"
        and style["hyphens"] != "auto"
        and style["direction"] == "ltr"
        and _NOT_PLAIN.search(text) is None
    )


def split_first_line(
    text: str,
    style: Any,
    context: Any,
    max_width: float | None,
    justification_spacing: float,
    is_line_start: bool = True,
    minimum: bool = False,
) -> tuple[Any, ...]:
    """WeasyPrint's `split_first_line`, deciding the plain case from one layout."""
    if text_hooks.reusing() and _plain(style, max_width, text):
        result = _split_plain(text, style, max_width, justification_spacing)
        if result is not None:
            return result
    return _original_split_first_line(
        text, style, context, max_width, justification_spacing, is_line_start, minimum
    )


def _split_plain(
    text: str, style: Any, max_width: float, justification_spacing: float
) -> tuple[Any, ...] | None:
    """The first line of the text, or None if the decision is WeasyPrint's to make."""
    for ratio in DRAFT_RATIOS:
        draft = text[: int(max_width / style["font_size"] * ratio)]
        result = _split_draft(text, draft, style, max_width, justification_spacing)
        if result is not _LONGER:
            return result
    return None


def _split_draft(
    text: str, draft: str, style: Any, max_width: float, justification_spacing: float
) -> Any:
    """The first line, decided from the draft's layout; None for WeasyPrint to decide, or
    _LONGER if the draft ends before the decision can be made."""
    whole = draft == text
    layout = _new_layout(style, justification_spacing, max_width)
    layout.set_text(draft)
    first_line, second_line_start = layout.get_first_line()
    if second_line_start is not None:  # not one line: something this does not decide
        return None

    margin = MARGIN * style["font_size"]
    fit_end, over_start = _reach(first_line, max_width - margin, max_width + margin)
    if whole and over_start is None and fit_end == len(draft.encode()):
        # All of it fits, trailing spaces included: WeasyPrint keeps the draft.
        return line_break.first_line_metrics(first_line, text, layout, None, True, style)

    # The last break opportunity whose text, with its trailing spaces, surely fits, and
    # the next one, whose text must surely overflow.
    fit_characters = fit_end if draft.isascii() else len(draft.encode()[:fit_end].decode())
    flags = _line_break_flags(layout, len(draft))
    end = flags.rfind(1, 1, fit_characters + 1)
    # Where a draft is cut, Pango sees no text after it: opportunities just before the
    # cut are not trusted.
    trusted = len(draft) if whole else len(draft) - _CUT_GAP
    next_end = flags.find(1, fit_characters + 1, trusted)
    if over_start is None or next_end == -1:
        if not whole:
            return _LONGER
        if over_start is None:
            return None  # the text ends where it might still fit
        next_end = len(draft)  # the rest is one word
    if end == -1 or draft[end - 1] != " ":
        return None
    # Pango lets white space at the end of a line hang past the width (no-break spaces
    # too, which WeasyPrint then keeps on the line): the next word ends before its own.
    next_text_end = len(draft[:next_end].rstrip().encode())
    if next_text_end < over_start:
        return None  # the next word might fit
    resume = len(draft[:end].encode())
    return line_break.first_line_metrics(_Line(resume), text, layout, resume, True, style)


class _Setup:
    """What WeasyPrint's `Layout.setup` makes for a style: the Pango context, font
    description, language, font features and decoration metrics, made from the style
    values in `_SETUP_VALUES` (and whether the text is decorated). Made once for those
    values (`_setup_for`): every line of every style with them shares it, and each line
    gets its own Pango layout."""

    __slots__ = ("attributes", "context", "decoration", "font_description", "language")

    def __init__(self, style: Any) -> None:
        # As `Layout.setup` does it, step for step.
        context = ffi.gc(
            pango.pango_font_map_create_context(style.font_config.font_map),
            gobject.g_object_unref,
        )
        pango.pango_context_set_round_glyph_positions(context, False)
        pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
        if style["font_language_override"] != "normal":
            override = style["font_language_override"]
            lang_p, lang = unicode_to_char_p(LST_TO_ISO.get(override.lower(), override))
        elif style["lang"]:
            lang_p, lang = unicode_to_char_p(style["lang"])
        else:
            lang = None
            self.language = pango.pango_language_get_default()
        if lang:
            self.language = pango.pango_language_from_string(lang_p)
            pango.pango_context_set_language(context, self.language)
        self.context = context
        self.font_description = get_font_description(style)
        self.decoration: tuple[float, ...] | None = None
        if style["text_decoration_line"] != "none":
            metrics = ffi.gc(
                pango.pango_context_get_metrics(context, self.font_description, self.language),
                pango.pango_font_metrics_unref,
            )
            self.decoration = tuple(
                FROM_UNITS * getter(metrics)
                for getter in (
                    pango.pango_font_metrics_get_ascent,
                    pango.pango_font_metrics_get_underline_position,
                    pango.pango_font_metrics_get_strikethrough_position,
                    pango.pango_font_metrics_get_underline_thickness,
                    pango.pango_font_metrics_get_strikethrough_thickness,
                )
            )
        self.attributes = None
        features = font_features(
            style["font_kerning"],
            style["font_variant_ligatures"],
            style["font_variant_position"],
            style["font_variant_caps"],
            style["font_variant_numeric"],
            style["font_variant_alternates"],
            style["font_variant_east_asian"],
            style["font_feature_settings"],
        )
        if features:
            key = ",".join(f"{name} {value}" for name, value in features.items()).encode()
            cache = style.font_config.font_features
            if key not in cache:
                cache[key] = pango.pango_attr_font_features_new(key)
            # Never freed, as WeasyPrint's own: freeing it would free the shared attribute.
            self.attributes = pango.pango_attr_list_new()
            pango.pango_attr_list_insert(self.attributes, cache[key])


#: The style values a `_Setup` is made from.
_SETUP_VALUES = (
    "direction",
    "font_language_override",
    "lang",
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_size",
    "font_variant_caps",
    "font_variation_settings",
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
)
#: Setups kept per font configuration (a thread's, for all its reports): a report's
#: stylesheet makes a handful; past this many, the oldest are dropped.
_SETUPS_KEPT = 64


def _setup_for(style: Any) -> _Setup:
    """The setup for the style's values, shared by the styles of its font configuration
    that have the same values: the reports' many styles use a few fonts and sizes."""
    try:
        key = (
            *(style[name] for name in _SETUP_VALUES),
            style["text_decoration_line"] != "none",
        )
        hash(key)
    except TypeError:  # a value that cannot be a key: a setup of its own
        return _Setup(style)
    setups: dict[tuple[Any, ...], _Setup] = style.font_config.__dict__.setdefault(
        "_report_line_setups", {}
    )
    setup = setups.get(key)
    if setup is None:
        if len(setups) >= _SETUPS_KEPT:
            del setups[next(iter(setups))]
        setup = setups[key] = _Setup(style)
    return setup


def _new_layout(style: Any, justification_spacing: float, max_width: float) -> Any:
    """A `Layout` as WeasyPrint's constructor makes it, from the style's shared setup."""
    setup = style.__dict__.get("_line_setup")
    if setup is None:
        setup = style.__dict__["_line_setup"] = _setup_for(style)
    layout = line_break.Layout.__new__(line_break.Layout)
    layout.justification_spacing = justification_spacing
    layout.max_width = max_width
    layout.style = style
    layout.first_line_direction = 0
    layout.language = setup.language
    layout.layout = ffi.gc(pango.pango_layout_new(setup.context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(layout.layout, False)
    pango.pango_layout_set_font_description(layout.layout, setup.font_description)
    if setup.decoration is None:
        layout.ascent = layout.underline_position = layout.strikethrough_position = None
    else:
        (
            layout.ascent,
            layout.underline_position,
            layout.strikethrough_position,
            layout.underline_thickness,
            layout.strikethrough_thickness,
        ) = setup.decoration
    if setup.attributes is not None:
        pango.pango_layout_set_attributes(layout.layout, setup.attributes)
    return layout


def _reach(line: Any, fits: float, overflows: float) -> tuple[int, int | None]:
    """Byte offsets in a one-line, left-to-right layout: the furthest cluster boundary
    whose text ends at or before `fits`, and the first one whose text ends after
    `overflows` (None if the text ends first)."""
    fits_units, overflows_units = fits / FROM_UNITS, overflows / FROM_UNITS
    x = 0
    fit_end = 0
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        if not count:
            continue
        # The glyphs' advances (the second of PangoGlyphInfo's five 32-bit fields), and
        # where each run of glyphs ends, from the run's start.
        raw = ffi.buffer(glyphs.glyphs, count * text_hooks.GLYPH_INFO.size)
        fields = memoryview(raw).cast("i")
        ends = list(accumulate(fields[1::5], initial=x))
        x = ends[-1]
        item = glyph_item.item
        if x <= fits_units:
            fit_end = item.offset + item.length
            continue
        clusters = ffi.unpack(glyphs.log_clusters, count)
        # Glyph i ends at ends[i + 1]; the boundary after it is where the next cluster
        # starts (glyphs of one cluster share it).
        last_fit = bisect_right(ends, fits_units) - 2  # the last glyph ending within
        while (
            last_fit >= 0 and last_fit + 1 < count and clusters[last_fit + 1] == clusters[last_fit]
        ):
            last_fit -= 1
        if last_fit >= 0:
            fit_end = item.offset + (
                clusters[last_fit + 1] if last_fit + 1 < count else item.length
            )
        first_over = bisect_right(ends, overflows_units) - 1  # the first glyph ending after
        if first_over < count:
            while first_over + 1 < count and clusters[first_over + 1] == clusters[first_over]:
                first_over += 1
            return fit_end, item.offset + (
                clusters[first_over + 1] if first_over + 1 < count else item.length
            )
    return fit_end, None


#: A byte's bit 0 as b"\x01" or b"\x00", to find `is_line_break` with bytes.find.
_BIT_0 = bytes(value & _IS_LINE_BREAK for value in range(256))


def _line_break_flags(layout: Any, characters: int) -> bytes:
    """One byte per character position: 1 where Pango may break the line before it."""
    count = ffi.new("int *")
    attrs = pango.pango_layout_get_log_attrs_readonly(layout.layout, count)
    return _flags(attrs, min(count[0], characters + 1))


def _flags(attrs: Any, count: int) -> bytes:
    raw = ffi.buffer(attrs, count * 4)[:][0::4]  # each attribute's low byte
    return raw.translate(_BIT_0)


def strut(style: Any) -> tuple[float, float]:
    """WeasyPrint's `strut` (a line's height and baseline for the style), kept on the style.

    WeasyPrint caches it per font and size in the font configuration, under a key it builds
    from fourteen style values on every call: once per line and per piece of text in a
    line. The values it depends on do not change once a style is computed."""
    if not text_hooks.reusing():
        return _original_strut(style)  # type: ignore[no-any-return]
    found: tuple[float, float] | None = style.__dict__.get("_strut")
    if found is None:
        found = style.__dict__["_strut"] = _original_strut(style)
    return found


def _reads_log_attributes() -> bool:
    """Whether `_flags` reads Pango's `is_line_break` where cffi reads it."""
    if ffi.sizeof("PangoLogAttr") != 4:
        return False
    text = b"ab cd-ef gh"
    attrs = ffi.new("PangoLogAttr[]", len(text) + 1)
    pango.pango_get_log_attrs(
        text, len(text), -1, pango.pango_language_get_default(), attrs, len(text) + 1
    )
    expected = bytes(attrs[i].is_line_break for i in range(len(text) + 1))
    return expected.count(1) >= 2 and _flags(attrs, len(text) + 1) == expected


def install() -> bool:
    """Install for the WeasyPrint version the text hooks were written for."""
    if not text_hooks.installed() or not _reads_log_attributes():
        return False
    inline_layout.split_first_line = split_first_line
    inline_layout.strut = strut
    return True


def uninstall() -> None:
    inline_layout.split_first_line = _original_split_first_line
    inline_layout.strut = _original_strut
