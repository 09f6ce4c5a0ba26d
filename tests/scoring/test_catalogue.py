"""The recommendation catalogue as data: every entry has its evidence, certainty as its
source states it, a category and a cost band; retired codes stay known; the honest ranking
(evidence, then computed reduction, then cost); no more than about 12 recommendations for the
worked examples; docs/recommendations.md is the catalogue, generated."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assessments.scoring import catalogue_docs
from assessments.scoring.assessment import AssessmentInput, assess
from assessments.scoring.catalogue import (
    CATALOGUE,
    KNOWN_TITLES,
    NOT_RECOMMENDED,
    RETIRED,
    Category,
    CostBand,
    Priority,
)
from assessments.scoring.evidence import SOURCES, Certainty, Mark
from assessments.scoring.interchange import parse_input
from assessments.scoring.recommendations import _Collector
from tests.scoring.test_recommendations import task as _task

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "recommendations.md"
REFERENCE_SOURCES = ("Steffens", "Stock", "Shrestha", "Driessen", "Richarz", "Verbeek")


def example(name: str) -> AssessmentInput:
    return parse_input(json.loads((ROOT / "docs" / "examples" / f"{name}.json").read_text("utf-8")))


# --- every entry: certainty, source, category, cost band ---------------------------------------


def test_every_entry_has_certainty_source_category_and_cost_band() -> None:
    for code, entry in CATALOGUE.items():
        assert isinstance(entry.category, Category), code
        assert isinstance(entry.cost_band, CostBand), code
        assert isinstance(entry.priority, Priority), code
        assert entry.cites, code
        assert isinstance(entry.certainty, Certainty), code
        assert entry.trigger, code
        for cite in entry.cites:
            assert cite.source in SOURCES, (code, cite.source)
            assert cite.claim in SOURCES[cite.source].claims, (code, cite.claim)
        assert entry.evidence_line.startswith(f"Evidence: {entry.certainty.value} — "), code


def test_no_entry_claims_a_certainty_its_source_does_not_give() -> None:
    for code, entry in CATALOGUE.items():
        for cite in entry.cites:
            source, claim = cite.found
            assert cite.certainty in claim.certainties, (code, source.key, cite.claim)
            # The source's own words are what the line shows.
            assert claim.words in entry.evidence_line, code
    for measure in NOT_RECOMMENDED:
        for cite in measure.cites:
            assert cite.certainty in cite.found[1].certainties, measure.measure


def test_no_claim_shown_to_users_is_unverified() -> None:
    """The evidence notes mark figures "from memory" (U): none reaches a user."""
    for source in SOURCES.values():
        for key, claim in source.claims.items():
            assert claim.mark is not Mark.UNVERIFIED, (source.key, key)


def test_the_evidence_that_justifies_a_measure_shows_an_effect() -> None:
    """An entry's first citation is why it is offered: a claim of no effect can only stand
    beside it (as the honest note that, say, workstation changes do not prevent back pain)."""
    for code, entry in CATALOGUE.items():
        assert entry.cites[0].found[1].effective, code


def test_graded_certainty_comes_only_from_reviews_that_grade_it() -> None:
    """High to very low are GRADE-style grades: only a systematic review gives them; a
    regulation, guideline or method is consensus, and an ungraded study is not graded."""
    graded = {Certainty.HIGH, Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW}
    for source in SOURCES.values():
        for key, claim in source.claims.items():
            if claim.certainties & graded:
                assert source.kind == "systematic review", (source.key, key)
            if Certainty.CONSENSUS in claim.certainties:
                assert source.kind in {
                    "regulation",
                    "guideline",
                    "guidance",
                    "published method",
                    "expert statement",
                }, (source.key, key)


def test_the_reference_certainties_are_stated_in_the_sources_words() -> None:
    claims = {(s.key, k): c for s in SOURCES.values() for k, c in s.claims.items()}
    exercise = claims[("steffens2016", "exercise_with_education")]
    assert exercise.certainties == {Certainty.MODERATE}
    assert "RR 0.55" in exercise.summary
    assert claims[("steffens2016", "exercise_alone")].certainties == {
        Certainty.LOW,
        Certainty.VERY_LOW,
    }
    assert not claims[("steffens2016", "education_alone")].effective
    assert "not been shown" in claims[("shrestha2016", "sit_stand_sitting")].summary
    assert not claims[("driessen2010", "ergonomics_no_effect")].effective


def test_every_rule_code_is_in_the_catalogue_and_retired_codes_are_not() -> None:
    assert not set(RETIRED) & set(CATALOGUE)
    for code, retired in RETIRED.items():
        assert retired.replaced_by in CATALOGUE, code
        assert KNOWN_TITLES[code] == retired.title
    assert set(KNOWN_TITLES) == set(CATALOGUE) | set(RETIRED)


def test_retired_codes_cover_every_code_catalogue_one_emitted() -> None:
    """The codes the stored fixtures of scoring 1.0 and 1.1 hold are all still known."""
    for name in ("snapshot_v1_0.json", "snapshot_v1_1.json"):
        stored = json.loads((ROOT / "tests" / "fixtures" / name).read_text("utf-8"))
        for rec in stored["results"]["recommendations"]:
            assert rec["code"] in KNOWN_TITLES, (name, rec["code"])


def test_grouped_entries_cost_the_dearest_step_and_name_a_standard() -> None:
    for code, entry in CATALOGUE.items():
        if entry.steps:
            dearest = max((s.cost_band for s in entry.steps.values()), key=lambda c: c.rank)
            assert entry.cost_band is dearest, code
        if entry.category in (Category.ELIMINATE, Category.ENGINEERING):
            assert entry.standard, code


def test_not_recommended_names_belts_training_and_education_alone() -> None:
    text = " ".join(m.line for m in NOT_RECOMMENDED)
    assert "Back belts" in text and "training on its own" in text and "education on its own" in text
    for entry in CATALOGUE.values():
        for words in (entry.title, entry.action):
            assert "belt" not in words.lower(), entry.code
        assert not (entry.code.startswith("education.") or "training" in entry.title.lower())


def test_alternatives_are_offered_inside_the_same_action() -> None:
    chair = CATALOGUE["workstation.chair_adjust_or_replace"]
    assert "adjusting the existing chair" in chair.alternatives[0]
    assist = CATALOGUE["lifting.mechanical_assist"]
    assert assist.alternatives[0].startswith("a lift table")
    recs = assess(AssessmentInput(lifting_tasks=(_task(load=30.0, h_origin=50.0),)))
    action = next(r for r in recs.recommendations if r.code == "lifting.mechanical_assist")
    assert action.alternatives == assist.alternatives
    assert action.action.endswith("Alternatives: " + "; ".join(assist.alternatives) + ".")


# --- honest ranking ----------------------------------------------------------------------------


def test_stronger_evidence_ranks_first_within_the_same_urgency_and_category() -> None:
    out = _Collector()
    # Both individual, both medium: guidance (consensus) before an exercise programme with
    # moderate-certainty evidence if ranking ignored evidence (it was added first).
    out.add("activity.physical_activity", "60 min/week", Priority.MEDIUM, step="aerobic")
    out.add("individual.core_programme", "an episode", Priority.MEDIUM)
    ranked = [r.code for r in out.ranked()]
    assert ranked == ["individual.core_programme", "activity.physical_activity"]
    assert CATALOGUE["individual.core_programme"].certainty is Certainty.MODERATE
    # Administrative, medium: breaks (moderate evidence) before walking meetings (consensus).
    out = _Collector()
    out.add("sitting.walking_meetings", "short of the goal", Priority.MEDIUM)
    out.add("sitting.break_up_sitting", "120 min bout", Priority.MEDIUM)
    assert [r.code for r in out.ranked()] == [
        "sitting.break_up_sitting",
        "sitting.walking_meetings",
    ]


def test_evidence_does_not_override_urgency_or_the_hierarchy() -> None:
    out = _Collector()
    out.add("individual.core_programme", "an episode", Priority.MEDIUM)  # moderate evidence
    out.add("sitting.walking_meetings", "short of the goal", Priority.MEDIUM)  # consensus
    out.add("activity.physical_activity", "0 days", Priority.HIGH, step="strengthening")
    assert [r.code for r in out.ranked()] == [
        "activity.physical_activity",  # higher priority
        "sitting.walking_meetings",  # administrative before individual
        "individual.core_programme",
    ]


def test_equal_evidence_ranks_the_larger_computed_reduction_first() -> None:
    out = _Collector()
    out.add(
        "lifting.improve_coupling",
        "CM",
        Priority.MEDIUM,
        lifting_index=2.0,
        what_if_lifting_index=1.9,
        what_if="c",
    )
    out.add(
        "lifting.reduce_h",
        "HM",
        Priority.MEDIUM,
        lifting_index=2.0,
        what_if_lifting_index=1.0,
        what_if="h",
    )
    assert [r.code for r in out.ranked()] == ["lifting.reduce_h", "lifting.improve_coupling"]


def test_equal_evidence_and_reduction_ranks_the_cheaper_first() -> None:
    """Mouse and keyboard (no cost for placement) before the chair when a new chair is
    needed (medium), and the chair before when it only needs setting up (no cost)."""
    out = _Collector()
    out.add("workstation.chair_adjust_or_replace", "fixed seat", Priority.HIGH, step="replace")
    out.add(
        "workstation.mouse_keyboard", "reaching", Priority.HIGH, step="keyboard_mouse_placement"
    )
    assert [r.code for r in out.ranked()] == [
        "workstation.mouse_keyboard",
        "workstation.chair_adjust_or_replace",
    ]
    out = _Collector()
    out.add("workstation.mouse_keyboard", "pinch grip", Priority.HIGH, step="input_devices")
    out.add("workstation.chair_adjust_or_replace", "seat high", Priority.HIGH, step="seat_height")
    ranked = out.ranked()
    assert [(r.code, r.cost_band) for r in ranked] == [
        ("workstation.chair_adjust_or_replace", CostBand.NONE),
        ("workstation.mouse_keyboard", CostBand.LOW),
    ]


# --- about 12 recommendations at most ----------------------------------------------------------


def test_the_office_example_gives_at_most_12_recommendations() -> None:
    recs = assess(example("office_worker")).recommendations
    assert len(recs) <= 12
    codes = [r.code for r in recs]
    assert len(codes) == len(set(codes))
    # One per ROSA section, every finding named in its reason.
    workstation = [c for c in codes if c.startswith("workstation.") and "desk" not in c]
    assert sorted(workstation) == [
        "workstation.chair_adjust_or_replace",
        "workstation.monitor_phone",
        "workstation.mouse_keyboard",
    ]


def test_a_two_task_lifting_example_gives_at_most_12_recommendations() -> None:
    data = example("warehouse_picker")
    assert len(data.lifting_tasks) == 2
    recs = assess(data).recommendations
    assert len(recs) <= 12
    assert recs[0].code == "lifting.mechanical_assist"


# --- every result carries the catalogue's evidence ---------------------------------------------


def test_each_recommendation_carries_its_evidence_line_certainty_and_standard() -> None:
    for name in ("office_worker", "warehouse_picker"):
        for rec in assess(example(name)).recommendations:
            entry = CATALOGUE[rec.code]
            assert rec.certainty is entry.certainty
            assert rec.evidence_line == entry.evidence_line
            assert rec.standard == entry.standard
            assert rec.outcome == entry.outcome.value


# --- docs/recommendations.md is the catalogue ----------------------------------------------------


def test_docs_recommendations_md_matches_the_catalogue() -> None:
    """Regenerate with `python -m assessments.scoring.catalogue_docs > docs/recommendations.md`."""
    assert DOCS.read_text("utf-8") == catalogue_docs.markdown()


def test_docs_list_every_code_with_its_certainty_and_source() -> None:
    text = DOCS.read_text("utf-8")
    for code, entry in CATALOGUE.items():
        assert f"`{code}`" in text
        assert entry.certainty.value in text
    for code in RETIRED:
        assert f"`{code}`" in text
    for name in REFERENCE_SOURCES:
        assert re.search(name, text), name


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_the_reference_source_of_each_entry_is_named_in_the_docs(code: str) -> None:
    text = DOCS.read_text("utf-8")
    for cite in CATALOGUE[code].cites:
        assert SOURCES[cite.source].citation in text, (code, cite.source)
