"""Computed style values without the general path for the plain case, same values.

WeasyPrint 70 computes each property of an element's style when it is first read
(`ComputedStyle.__missing__`). Its one function handles every case: values from the
cascade, custom properties, logical properties, math functions, the properties whose
specified values it keeps, text decorations. Most values a report reads are not declared
on the element at all: each of its distinct styles reads about ninety properties, and
nine in ten are simply the parent's value (inherited properties) or the initial value
(the rest). For those, `ReportStyle.__missing__` gives the answer without the general
path: the OH report reads about 7,600 values a rendering (docs/performance.md, "PDF
reports").

It gives what WeasyPrint's function gives. For a property that is not declared, neither
directly nor through its logical counterpart (`margin-inline-start` for `margin-left`):

- an inherited property (or custom property) of an element with a parent takes the
  parent's computed value. WeasyPrint then looks for math functions in that value, but
  it stores and returns the parent's value whatever it finds;
- anything else takes the initial value (checked, when installed, to hold no math
  function), computed by the property's computer when WeasyPrint computes it.

Declared properties and `float`, `display`, `position`, `page` and the text decorations
go to WeasyPrint's function. Styles become `ReportStyle`s when WeasyPrint makes them
during a report's rendering (`text_hooks.drawing_reused`); any other rendering in the
process keeps WeasyPrint's own. Installed only for the version it was written against
(through `text_hooks.installed`). A test computes every property of every style of the
reports and a document of edge cases both ways and compares them; the PDFs are compared
byte for byte.
"""

from __future__ import annotations

from typing import Any

from weasyprint import css
from weasyprint.css.computed_values import COMPUTER_FUNCTIONS
from weasyprint.css.functions import check_math
from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES

from assessments.reporting import text_hooks

_original_set_computed_styles = css.StyleFor.set_computed_styles

#: Properties WeasyPrint's function treats specially even when they are not declared.
_GENERAL = frozenset({"float", "display", "position", "page"}) | frozenset(
    key for key in INITIAL_VALUES if key.startswith("text_decoration_")
)
#: A physical property's logical counterpart for a direction (`margin_left`, "ltr" ->
#: `margin_inline_start`), as WeasyPrint's PHYSICAL_FUNCTIONS give it.
_logical: dict[tuple[str, str], str] = {}


class ReportStyle(css.ComputedStyle):  # type: ignore[misc]
    """A ComputedStyle whose undeclared properties are computed without the general path."""

    __slots__ = ()

    def __missing__(self, key: str) -> Any:
        cascaded = self.cascaded
        if key in cascaded or key in _GENERAL:
            return css.ComputedStyle.__missing__(self, key)
        physical = css.PHYSICAL_FUNCTIONS.get(key)
        if physical is not None:
            direction = self["direction"]
            logical = _logical.get((key, direction))
            if logical is None:
                logical = _logical[key, direction] = physical(block="ttb", inline=direction)
            if logical in cascaded:
                return css.ComputedStyle.__missing__(self, key)
        parent = self.parent_style
        custom = key[:2] == "__"
        if parent is not None and (custom or key in INHERITED):
            value = self[key] = parent[key]
            return value
        if custom:
            value = self[key] = []
            return value
        value = INITIAL_VALUES[key]
        if key in INITIAL_NOT_COMPUTED and key in COMPUTER_FUNCTIONS:
            value = COMPUTER_FUNCTIONS[key](self, key, value)
        self[key] = value
        return value

    def copy(self) -> ReportStyle:
        copy = super().copy()
        copy.__class__ = ReportStyle
        return copy  # type: ignore[no-any-return]


def set_computed_styles(
    self: Any,
    element: Any,
    parent: Any,
    root: Any = None,
    pseudo_type: Any = None,
    base_url: Any = None,
    target_collector: Any = None,
) -> None:
    """WeasyPrint's `StyleFor.set_computed_styles`; during a report, the style made is a
    ReportStyle."""
    _original_set_computed_styles(
        self, element, parent, root, pseudo_type, base_url, target_collector
    )
    if text_hooks.reusing():
        style = self._computed_styles[element, pseudo_type]
        if type(style) is css.ComputedStyle:
            style.__class__ = ReportStyle


def _initial_values_hold_no_math() -> bool:
    return not any(check_math(value) for value in INITIAL_VALUES.values())


def install() -> bool:
    """Install for the WeasyPrint version the text hooks were written for."""
    if not text_hooks.installed() or not _initial_values_hold_no_math():
        return False
    css.StyleFor.set_computed_styles = set_computed_styles
    return True


def uninstall() -> None:
    css.StyleFor.set_computed_styles = _original_set_computed_styles
