"""What the pages and reports say about the evidence behind each recommendation.

Read from the snapshot, so a page or report says what the stored results said: a result of
catalogue 2 or later carries its evidence line and certainty; an older one (scoring 1.0 and
the first 1.1 results) carries only its sources, shown as they were, and a code the catalogue
has since retired is named with the recommendation that now covers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assessments.records import snapshot
from assessments.scoring.catalogue import CATALOGUE, NOT_RECOMMENDED, RETIRED, CostBand
from assessments.scoring.evidence import Certainty

__all__ = ["cost_words", "evidence_lines", "manager_evidence", "not_recommended_lines"]


def _line(rec: snapshot.Recommendation) -> str:
    line = getattr(rec, "evidence_line", "")
    if line:
        return str(line)
    text = f"Sources: {rec.evidence}" if rec.evidence else ""
    retired = RETIRED.get(rec.code)
    if retired is not None:
        now = CATALOGUE[retired.replaced_by].title
        text = f"{text} (catalogue 1; now part of “{now}”)".strip()
    return text


def evidence_lines(recommendations: Iterable[snapshot.Recommendation]) -> dict[str, str]:
    """Recommendation code -> its evidence line, for OH (pages, the OH report)."""
    return {rec.code: _line(rec) for rec in recommendations}


def certainty_words(value: str) -> str:
    """A stored certainty in plain words; "" when none was stored (before catalogue 2)."""
    try:
        return Certainty(value).plain
    except ValueError:
        return ""


def cost_words(value: str) -> str:
    try:
        return CostBand(value).plain
    except ValueError:
        return ""


def manager_evidence(
    recommendations: Iterable[snapshot.Recommendation],
) -> Mapping[str, str]:
    """Recommendation code -> the certainty of its evidence in plain words, for a manager
    (results already narrowed to what a manager may see)."""
    return {rec.code: certainty_words(getattr(rec, "certainty", "")) for rec in recommendations}


def not_recommended_lines() -> tuple[str, ...]:
    """Measures never offered, each with why ("Not recommended, and why")."""
    return tuple(m.line for m in NOT_RECOMMENDED)
