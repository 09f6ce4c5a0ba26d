"""The one rule for what a spreadsheet runs as a formula.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (CSV injection). Exports write such text with a leading
apostrophe (`assessments.insights.exports.safe_text`, the admin's CSV export); files read
in (the HR roster, `assessments.people.roster`) refuse a cell that starts with one.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would run `text` as a formula."""
    return text.startswith(FORMULA_TRIGGERS)
