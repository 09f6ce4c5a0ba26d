"""docs/recommendations.md, written from the catalogue and its sources.

``python -m assessments.scoring.catalogue_docs > docs/recommendations.md`` regenerates it;
``tests/scoring/test_catalogue.py`` fails when the file and the catalogue differ.
"""

from __future__ import annotations

import sys

from assessments.scoring.catalogue import (
    CATALOGUE,
    CATALOGUE_VERSION,
    NOT_RECOMMENDED,
    RETIRED,
    CatalogueEntry,
)
from assessments.scoring.evidence import SOURCES, Certainty, Mark

__all__ = ["markdown"]

_FAMILIES = (
    ("workstation", "Workstation"),
    ("sitting", "Sitting"),
    ("lifting", "Lifting"),
    ("activity", "Physical activity"),
    ("individual", "Individual"),
    ("psychosocial", "Psychosocial"),
    ("clinical", "Clinical referrals"),
)

_CERTAINTY_MEANING = {
    Certainty.HIGH: "GRADE high: a systematic review's own grade.",
    Certainty.MODERATE: "GRADE moderate: a systematic review's own grade.",
    Certainty.LOW: "GRADE low: a systematic review's own grade.",
    Certainty.VERY_LOW: "GRADE very low: a systematic review's own grade.",
    Certainty.CONSENSUS: "A regulation, standard, guideline, expert statement or published "
    "method says to do it: what to do, not a measured effect.",
    Certainty.NOT_GRADED: "Studies without a certainty grade (observational, laboratory or "
    "mostly non-randomised); the line says which.",
}

_MARK_MEANING = {
    Mark.VERIFIED: "read in the source itself",
    Mark.SECONDARY: "read in a named secondary source",
    Mark.UNVERIFIED: "from memory (never shown)",
    Mark.CITED: "cited by name: what it requires, not an effect estimate",
}


def _entry(entry: CatalogueEntry) -> list[str]:
    lines = [
        f"### `{entry.code}` — {entry.title}",
        "",
        f"- **Finding that triggers it:** {entry.trigger}.",
        f"- **Control:** {entry.category.value}; default priority "
        f"{entry.priority.name.lower()}; cost band {entry.cost_band.value}.",
        f"- **Outcome the evidence speaks to:** {entry.outcome.value}.",
        f"- **Certainty:** {entry.certainty.value}.",
        f"- **{entry.evidence_line}.**",
    ]
    if entry.standard:
        lines.append(f"- **Standard or regulation:** {entry.standard}.")
    lines.append(f"- **Action:** {entry.action}")
    for key, step in entry.steps.items():
        lines.append(f"  - `{key}` (cost band {step.cost_band.value}): {step.text}")
    if entry.alternatives:
        lines.append(f"- **Alternatives (in the same action):** {'; '.join(entry.alternatives)}.")
    sources = " ".join(dict.fromkeys(SOURCES[c.source].citation for c in entry.cites))
    lines += [f"- **Sources:** {sources}", ""]
    return lines


def markdown() -> str:
    out = [
        "# Recommendations",
        "",
        "<!-- Generated from assessments/scoring/catalogue.py and evidence.py by "
        "`python -m assessments.scoring.catalogue_docs > docs/recommendations.md`; "
        "tests/scoring/test_catalogue.py fails when this file and the catalogue differ. -->",
        "",
        f"Catalogue version **{CATALOGUE_VERSION}**. Every recommendation the app can make, with "
        "the finding that triggers it, its place on the hierarchy of controls, its cost band, the "
        "outcome its evidence speaks to, the certainty of that evidence as the source states it, "
        "the standard or regulation it serves, and the alternatives offered inside the same "
        "action. The rules that fire them are in [scoring.md](scoring.md#recommendations). Each "
        "result stores the catalogue version that wrote its recommendations "
        "(`catalogue_version`); results without one were written by catalogue 1.",
        "",
        "## Certainty",
        "",
        "| certainty | meaning |",
        "|---|---|",
        *(f"| {c.value} | {_CERTAINTY_MEANING[c]} |" for c in Certainty),
        "",
        "Within the same urgency (priority) and the same place on the hierarchy of controls, "
        "the stronger certainty ranks first (in the order above), then the larger computed "
        "reduction in the lifting index, then the cheaper cost band. Clinical referrals come "
        "first whatever their evidence. The OH report and the results pages show each "
        "recommendation's evidence line; the manager report shows its certainty and cost in "
        "plain words.",
        "",
        "Cost bands: "
        + "; ".join(
            f"{band}, {plain}"
            for band, plain in (
                ("none", "no purchase"),
                ("low", "under £100"),
                ("medium", "£100 to £1,000"),
                ("high", "over £1,000"),
            )
        )
        + ".",
        "",
    ]
    for family, heading in _FAMILIES:
        entries = [e for code, e in CATALOGUE.items() if code.startswith(f"{family}.")]
        if not entries:
            continue
        out += [f"## {heading}", ""]
        for entry in entries:
            out += _entry(entry)
    out += [
        "## Not recommended, and why",
        "",
        "Never offered as a control. The OH report and the results pages say so when an assessor "
        "looks for them.",
        "",
        *(f"- {m.line}" for m in NOT_RECOMMENDED),
        "",
        "## Retired codes",
        "",
        "Codes an earlier catalogue emitted. Results and actions stored with them keep their "
        "own wording and still render; erasure still knows their titles.",
        "",
        "| code | title | now | why |",
        "|---|---|---|---|",
        *(f"| `{r.code}` | {r.title} | `{r.replaced_by}` | {r.reason} |" for r in RETIRED.values()),
        "",
        "## Sources",
        "",
        "Each claim with the certainty in the source's own words and how it was checked ("
        + "; ".join(f"{m.value}: {_MARK_MEANING[m]}" for m in Mark)
        + ").",
        "",
    ]
    for source in sorted(SOURCES.values(), key=lambda s: s.short.lower()):
        out.append(f"- **{source.short}** ({source.kind}). {source.citation}")
        for key, claim in source.claims.items():
            certainty = ", ".join(c.value for c in Certainty if c in claim.certainties)
            out.append(
                f"  - `{key}` ({claim.outcome.value}; {certainty}; mark {claim.mark.value}): "
                f"{claim.summary}; {claim.words}."
            )
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - a developer's command
    sys.stdout.write(markdown())
