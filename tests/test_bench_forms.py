"""The load benchmark's form reader submits what a browser would."""

from __future__ import annotations

import pytest

from assessments.devtools.bench.forms import form_fields

PAGE = """
<form method="post" action="/accounts/logout/"><input name="csrfmiddlewaretoken" value="t"></form>
<form method="post" action="/assessments/7/sections/sitting/">
  <input type="hidden" name="csrfmiddlewaretoken" value="t">
  <input type="number" name="sitting-pct_sitting" value="80">
  <input type="checkbox" name="sitting-desk" checked>
  <input type="checkbox" name="sitting-used">
  <input type="radio" name="sitting-kind" value="a">
  <input type="radio" name="sitting-kind" value="b" checked>
  <select name="sitting-band"><option value="low">Low</option>
    <option value="high" selected>High</option></select>
  <select name="sitting-first"><option value="x">X</option><option value="y">Y</option></select>
  <textarea name="sitting-notes">
two words</textarea>
  <button type="submit" name="go">Save</button>
</form>
<form method="post"><input name="actions-TOTAL_FORMS" value="2"></form>
"""


def test_reads_the_form_with_the_given_action_as_a_browser_submits_it():
    assert form_fields(PAGE, action_contains="/sections/sitting/") == [
        ("csrfmiddlewaretoken", "t"),
        ("sitting-pct_sitting", "80"),
        ("sitting-desk", "on"),
        ("sitting-kind", "b"),
        ("sitting-band", "high"),
        ("sitting-first", "x"),
        ("sitting-notes", "two words"),
    ]


def test_without_an_action_reads_the_form_that_posts_to_its_own_page():
    assert form_fields(PAGE) == [("actions-TOTAL_FORMS", "2")]


def test_a_missing_form_is_an_error():
    with pytest.raises(ValueError, match="no POST form"):
        form_fields(PAGE, action_contains="/complete/")
