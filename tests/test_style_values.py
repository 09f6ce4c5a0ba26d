"""While a report renders, its styles compute every property as WeasyPrint's own
ComputedStyle does (tests/test_text_hooks.py compares the PDFs byte for byte)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import weasyprint
from weasyprint import css
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.text.ffi import pango

from assessments.reporting import line_breaking, rendering, style_values, text_hooks
from assessments.reporting.store import report_html
from tests.report_data import add_photos, complete_with_actions, full_draft
from tests.test_text_hooks import EDGE_CASES
from tests.weasyprint_hooks import hooks_removed

#: Every property, in a fixed order, and custom properties declared or not.
PROPERTIES = sorted(INITIAL_VALUES)


def _computed(style: Any, keys: list[str]) -> dict[str, Any]:
    values = {}
    for key in keys:
        try:
            values[key] = style[key]
        except Exception as error:  # a failure must fail alike
            values[key] = ("raised", type(error))
    return values


def _compare_every_style(
    monkeypatch: pytest.MonkeyPatch, render: Callable[[], Any]
) -> tuple[int, list[str]]:
    """Render, and for each style WeasyPrint makes, compute every property both as a
    ReportStyle and as WeasyPrint's ComputedStyle from the same cascade and parent.
    Returns how many styles were compared and the differences."""
    made = {"styles": 0, "report_styles": 0}
    differences: list[str] = []
    installed = css.StyleFor.set_computed_styles

    def compare(
        self: Any,
        element: Any,
        parent: Any,
        root: Any = None,
        pseudo_type: Any = None,
        base_url: Any = None,
        target_collector: Any = None,
    ) -> None:
        installed(self, element, parent, root, pseudo_type, base_url, target_collector)
        style = self._computed_styles[element, pseudo_type]
        made["styles"] += 1
        made["report_styles"] += isinstance(style, style_values.ReportStyle)
        state = (
            style.parent_style,
            style.cascaded,
            style.pseudo_type,
            style.root_style,
            style.base_url,
            style.font_config,
            style.initial_page_sizes,
        )
        custom = sorted({key for key in style.cascaded if key[:2] == "__"} | {"__undeclared"})
        keys = PROPERTIES + custom
        fast = _computed(style_values.ReportStyle(*state), keys)
        general = _computed(css.ComputedStyle(*state), keys)
        differences.extend(
            f"{pseudo_type or getattr(element, 'tag', element)}: {key} "
            f"{fast[key]!r} != {general[key]!r}"
            for key in keys
            if fast[key] != general[key]
        )

    monkeypatch.setattr(css.StyleFor, "set_computed_styles", compare)
    render()
    assert made["report_styles"] == made["styles"]  # each style made was a ReportStyle
    return made["styles"], differences


@pytest.mark.parametrize("kind", ["oh", "manager"])
def test_report_styles_compute_every_property_as_weasyprint(
    monkeypatch, employee, assessor, manager, kind
):
    assessment = complete_with_actions(
        full_draft(employee=employee, assessor=assessor), user=assessor, owner=manager
    )
    add_photos(assessment, user=assessor)
    html = report_html(assessment, kind, pdf=True)
    compared, differences = _compare_every_style(monkeypatch, lambda: rendering.html_to_pdf(html))
    assert compared > 30  # elements, pages and their margin boxes
    assert differences == []


def test_edge_case_styles_compute_every_property_as_weasyprint(monkeypatch):
    compared, differences = _compare_every_style(
        monkeypatch, lambda: rendering.html_to_pdf(EDGE_CASES)
    )
    assert compared > 20
    assert differences == []


def test_a_difference_would_be_found(monkeypatch):
    """The comparison sees a wrong value: here inherited properties taken from the root."""
    right = style_values.ReportStyle.__missing__

    def wrong(self: Any, key: str) -> Any:
        if key == "color" and self.parent_style is not None and "color" not in self.cascaded:
            return self.root_style["color"]
        return right(self, key)

    monkeypatch.setattr(style_values.ReportStyle, "__missing__", wrong)
    _, differences = _compare_every_style(
        monkeypatch,
        lambda: rendering.html_to_pdf(
            '<p style="color: red"><span>red text</span></p><div><p>black</p></div>'
        ),
    )
    assert any(": color " in difference for difference in differences)


def test_outside_report_rendering_styles_are_weasyprints():
    assert not text_hooks.reusing()
    page = weasyprint.HTML(string="<p>Plain WeasyPrint.</p>").render().pages[0]
    assert type(page._page_box.style) is css.ComputedStyle
    html = page._page_box.children[0]
    assert type(html.style) is css.ComputedStyle


def test_report_styles_stay_report_styles_when_copied():
    with text_hooks.drawing_reused():
        page = rendering.ReportHTML(string="<p>Report text.</p>").render().pages[0]
    style = page._page_box.children[0].style
    assert type(style) is style_values.ReportStyle
    assert type(style.copy()) is style_values.ReportStyle
    assert style.copy()["color"] == style["color"]


def test_another_weasyprint_version_gets_no_style_values(monkeypatch):
    with hooks_removed(), monkeypatch.context() as patch:
        patch.setattr(weasyprint, "__version__", "71.0")
        assert text_hooks.install() is False
        assert style_values.install() is False
        assert css.StyleFor.set_computed_styles is style_values._original_set_computed_styles


def test_lines_of_styles_with_the_same_font_values_share_one_pango_setup():
    html = (
        '<p>One paragraph.</p><p style="color: blue">Another colour, the same font.</p>'
        '<p style="font-size: 20pt">Another size.</p>'
    )
    seen: dict[str, Any] = {}
    with text_hooks.drawing_reused():
        pages = rendering.ReportHTML(string=html).render().pages
    body = pages[0]._page_box.children[0].children[0]
    for paragraph, name in zip(body.children, ("one", "colour", "size"), strict=True):
        text_style = paragraph.children[0].children[0].style
        seen[name] = text_style.__dict__["_line_setup"]
    assert seen["one"] is seen["colour"]
    assert seen["one"] is not seen["size"]
    assert line_breaking._setup_for(text_style) is seen["size"]


def test_more_font_values_than_are_kept_render_as_weasyprint_does():
    """Past `_SETUPS_KEPT` sets of font values, the oldest setups make way (a thread's
    fonts live as long as it does); every line is still laid out as WeasyPrint does."""
    count = line_breaking._SETUPS_KEPT + 6
    html = "".join(
        f'<p style="font-size: {8 + i / 4:g}pt">Line {i} of a run of paragraphs in sizes '
        "a quarter of a point apart, long enough to wrap at least once on the page.</p>"
        for i in range(count)
    )
    hooked = rendering.html_to_pdf(html)
    kept = rendering.print_stylesheet()[1].__dict__["_report_line_setups"]
    assert len(kept) == line_breaking._SETUPS_KEPT
    with hooks_removed():
        plain = rendering.html_to_pdf(html)
    assert hooked == plain


def test_a_style_value_that_cannot_be_a_key_gets_a_setup_of_its_own():
    with text_hooks.drawing_reused():
        pages = rendering.ReportHTML(string="<p>Report text.</p>").render().pages
    line = pages[0]._page_box.children[0].children[0].children[0]
    text_style = line.children[0].style
    shared = line_breaking._setup_for(text_style)
    odd = text_style.copy()
    odd["font_family"] = list(text_style["font_family"])  # a list cannot be a dict key
    kept = dict(odd.font_config.__dict__["_report_line_setups"])
    first, second = line_breaking._setup_for(odd), line_breaking._setup_for(odd)
    assert first is not second and first is not shared
    assert odd.font_config.__dict__["_report_line_setups"] == kept  # nothing stored
    describe = pango.pango_font_description_hash
    assert describe(first.font_description) == describe(shared.font_description)
