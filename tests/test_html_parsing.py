"""The HTML parser's pattern cache (`reporting.html_parsing`) gives the same document tree
as the parser's own code, keeps each pattern once, and steps aside with another version."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import tinyhtml5
from tinyhtml5 import inputstream

from assessments.reporting import html_parsing
from assessments.reporting.store import report_html
from tests.report_data import add_photos, complete_with_actions, full_draft

EDGE_CASES = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Edge &amp; cases</title><style>p > b { color: red }</style></head>
<body><!-- a comment --><p class='a "b"' data-x=unquoted>Text &lt;here&gt; &nbsp;&eacute;
&#x2028; &#169; café ✓<br>line<b>bold<i>both</b>italic</i></p>
<table><tr><td>implied tbody<td>second</table><ul><li>one<li>two</ul>
<script>if (a < b && c > d) { x = "</p>"; }</script><textarea>  kept  </textarea>
<pre>
 leading newline</pre><svg viewBox="0 0 1 1"><path d="M0 0"/></svg></body></html>"""


def _tree(html: str) -> bytes:
    return ET.tostring(tinyhtml5.parse(html, namespace_html_elements=False))


def _report_htmls(employee: Any, assessor: Any, manager: Any) -> list[str]:
    assessment = complete_with_actions(
        full_draft(employee=employee, assessor=assessor), user=assessor, owner=manager
    )
    add_photos(assessment, user=assessor)
    return [report_html(assessment, kind, pdf=True) for kind in ("oh", "manager")]


def test_the_cache_is_installed_for_the_pinned_tinyhtml5():
    assert tinyhtml5.__version__ == html_parsing.TINYHTML5_VERSION
    assert isinstance(inputstream.characters_until_regex, html_parsing.UntilPatterns)


@pytest.mark.django_db
def test_the_reports_and_edge_cases_parse_to_the_same_tree_both_ways(employee, assessor, manager):
    documents = [*_report_htmls(employee, assessor, manager), EDGE_CASES]
    cached = [_tree(html) for html in documents]
    html_parsing.uninstall()
    try:
        plain = [_tree(html) for html in documents]
    finally:
        assert html_parsing.install()
    assert cached == plain
    assert b"implied tbody" in cached[-1] and b"<tbody>" in cached[-1]


def test_each_pattern_is_built_once_under_the_key_the_parser_looks_up(monkeypatch):
    monkeypatch.setattr(inputstream, "characters_until_regex", html_parsing.UntilPatterns())
    _tree(EDGE_CASES)
    patterns = dict(inputstream.characters_until_regex)
    assert patterns
    assert not any(isinstance(characters, re.Pattern) for characters, _ in patterns)
    compiled: list[str] = []
    real_compile = re.compile

    def compile_counted(source: str, *args: Any) -> re.Pattern[str]:
        compiled.append(source)
        return real_compile(source, *args)

    monkeypatch.setattr(inputstream.re, "compile", compile_counted)
    _tree(EDGE_CASES)
    assert compiled == []
    assert inputstream.characters_until_regex == patterns


def test_another_tinyhtml5_is_left_as_it_is(monkeypatch):
    html_parsing.uninstall()
    try:
        with monkeypatch.context() as patched:
            patched.setattr(tinyhtml5, "__version__", "2.2.0")
            assert html_parsing.install() is False
            assert not isinstance(inputstream.characters_until_regex, html_parsing.UntilPatterns)
    finally:
        assert html_parsing.install()
