"""Tests of the recurrent-LBP strain score (model version 1.0).

The level boundaries, weights and floors are the ones documented in docs/scoring.md ("Strain
score"); the two worked examples there (office worker, warehouse picker) are asserted here
number by number.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring.errors import InputError
from assessments.scoring.strain import (
    BAND_LOWER_BOUNDS,
    LEVEL_WORDS,
    MAX_LEVEL,
    MODEL_VERSION,
    REASSESS_MONTHS,
    WEIGHTS,
    Band,
    Component,
    StrainInput,
    StrainResult,
    band_for,
    display_score,
    evaluate,
    plain_reasons,
)

# "Not assessable" only when nothing is assessed: any band at all is more information.
BAND_ORDER = [Band.NOT_ASSESSABLE, Band.LOW, Band.MODERATE, Band.HIGH, Band.VERY_HIGH]


def level_of(result: StrainResult, component: Component) -> int:
    return result.component(component).level


# ---------------------------------------------------------------------------------------------
# Model constants and interchange values
# ---------------------------------------------------------------------------------------------


def test_model_version_is_1_1_and_is_carried_by_every_result() -> None:
    assert MODEL_VERSION == "1.1"
    assert evaluate(StrainInput()).model_version == "1.1"


def test_weights_sum_to_100_with_the_documented_split() -> None:
    assert sum(WEIGHTS.values()) == 100
    assert dict(WEIGHTS) == {
        Component.LIFTING: 30,
        Component.WORKSTATION: 15,
        Component.SEDENTARY: 15,
        Component.ACTIVITY: 10,
        Component.INDIVIDUAL: 15,
        Component.PSYCHOSOCIAL: 15,
    }


def test_enum_interchange_values_are_stable_lowercase_strings() -> None:
    assert [c.value for c in Component] == [
        "lifting",
        "workstation",
        "sedentary",
        "activity",
        "individual",
        "psychosocial",
    ]
    assert [b.value for b in Band] == ["low", "moderate", "high", "very_high", "not_assessable"]
    assert [b.label for b in Band] == ["Low", "Moderate", "High", "Very high", "Not assessable"]


def test_components_are_returned_in_the_fixed_report_order() -> None:
    result = evaluate(StrainInput())
    assert [c.component for c in result.components] == list(Component)


def test_reassessment_months_by_band() -> None:
    assert dict(REASSESS_MONTHS) == {
        Band.VERY_HIGH: 1,
        Band.HIGH: 3,
        Band.MODERATE: 6,
        Band.LOW: 12,
    }
    assert evaluate(StrainInput(lifting_index=math.inf)).reassess_months == 1
    assert evaluate(StrainInput(rosa_final=1)).reassess_months == 12
    # Nothing assessed: not assessable, so no "reassess in 12 months".
    assert evaluate(StrainInput()).reassess_months is None


# ---------------------------------------------------------------------------------------------
# Bands and display
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.0, Band.LOW),
        (24.99, Band.LOW),
        (25.0, Band.MODERATE),
        (49.99, Band.MODERATE),
        (50.0, Band.HIGH),
        (74.99, Band.HIGH),
        (75.0, Band.VERY_HIGH),
        (100.0, Band.VERY_HIGH),
    ],
)
def test_band_for_boundaries_low_25_moderate_50_high_75_very_high(score: float, band: Band) -> None:
    assert band_for(score) is band


def test_band_lower_bounds_match_band_for() -> None:
    for band, bound in BAND_LOWER_BOUNDS.items():
        assert band_for(bound) is band


@pytest.mark.parametrize("score", [-0.1, 100.25, math.nan, math.inf])
def test_band_for_rejects_scores_outside_0_to_100(score: float) -> None:
    with pytest.raises(ValueError, match="score"):
        band_for(score)


@pytest.mark.parametrize(
    ("score", "text"),
    [(28.75, "28.8"), (48.75, "48.8"), (50.0, "50"), (0.0, "0"), (56.25, "56.3"), (3.75, "3.8")],
)
def test_display_score_rounds_half_up_to_one_decimal(score: float, text: str) -> None:
    assert display_score(score) == text


# ---------------------------------------------------------------------------------------------
# Lifting component
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("li", "level"),
    [
        (0.0, 0),
        (0.85, 0),
        (0.8501, 1),
        (1.0, 1),
        (1.0001, 2),
        (2.0, 2),
        (2.0001, 3),
        (3.0, 3),
        (3.0001, 4),
        (12.0, 4),
        (math.inf, 4),
    ],
)
def test_lifting_level_boundaries(li: float, level: int) -> None:
    lifting = evaluate(StrainInput(lifting_index=li)).component(Component.LIFTING)
    assert lifting.level == level
    assert lifting.points == 30 * level / 4
    assert lifting.assessed


def test_lifting_reason_names_the_composite_index_and_its_range() -> None:
    lifting = evaluate(StrainInput(lifting_index=2.4, lifting_task_count=3)).component(
        Component.LIFTING
    )
    assert lifting.reasons[0] == "Composite lifting index 2.4 (> 2.0 and ≤ 3.0): level 3"
    assert "Composite of 3 lifting tasks (NIOSH multi-task procedure)" in lifting.reasons


def test_lifting_reason_for_a_single_task_says_lifting_index() -> None:
    lifting = evaluate(StrainInput(lifting_index=0.8, lifting_task_count=1)).component(
        Component.LIFTING
    )
    assert lifting.reasons[0] == "Lifting index 0.8 (≤ 0.85): level 0"


def test_lifting_reason_shows_enough_decimals_not_to_contradict_the_level() -> None:
    lifting = evaluate(StrainInput(lifting_index=2.0001)).component(Component.LIFTING)
    assert lifting.reasons[0] == "Lifting index 2.0001 (> 2.0 and ≤ 3.0): level 3"
    lifting = evaluate(StrainInput(lifting_index=1.8367)).component(Component.LIFTING)
    assert lifting.reasons[0] == "Lifting index 1.84 (> 1.0 and ≤ 2.0): level 2"


def test_infinite_lifting_index_is_level_4_and_very_high() -> None:
    result = evaluate(StrainInput(lifting_index=math.inf))
    lifting = result.component(Component.LIFTING)
    assert lifting.level == 4
    assert lifting.points == 30.0
    assert (
        lifting.reasons[0] == "Lifting index infinite, recommended weight limit 0 (> 3.0): level 4"
    )
    assert result.raw_score == 30.0
    assert result.score == 75.0
    assert result.band is Band.VERY_HIGH


def test_no_lifting_is_reported_as_not_assessed_at_level_0() -> None:
    lifting = evaluate(StrainInput()).component(Component.LIFTING)
    assert not lifting.assessed
    assert lifting.level == 0
    assert lifting.points == 0.0
    assert lifting.reasons == ("Not assessed: no lifting tasks recorded (level 0)",)


def test_lifting_tasks_without_an_index_are_not_assessed_and_say_so() -> None:
    lifting = evaluate(StrainInput(lifting_task_count=2)).component(Component.LIFTING)
    assert not lifting.assessed
    assert lifting.reasons == (
        "Not assessed: 2 lifting tasks recorded but no lifting index was given (level 0)",
    )


def test_not_applicable_equation_without_an_index_is_not_assessed_with_the_reason() -> None:
    inputs = StrainInput(
        lifting_task_count=1,
        lifting_applicable=False,
        lifting_not_applicable_reasons=("seated lifting",),
    )
    result = evaluate(inputs)
    lifting = result.component(Component.LIFTING)
    assert not lifting.assessed
    assert lifting.level == 0
    assert "does not apply (seated lifting)" in lifting.reasons[0]
    assert lifting.reasons[0].startswith("Not assessable by this method")
    assert "HSE MAC" in lifting.reasons[0] and "Key Indicator Method" in lifting.reasons[0]
    assert result.floors_applied == ()
    assert result.not_assessable == (Component.LIFTING,) and result.provisional


def test_not_applicable_equation_with_a_high_index_sets_no_level_but_keeps_the_floor() -> None:
    applicable = evaluate(StrainInput(lifting_index=2.4))
    not_applicable = evaluate(
        StrainInput(
            lifting_index=2.4,
            lifting_applicable=False,
            lifting_not_applicable_reasons=("one-handed lifting",),
        )
    )
    lifting = not_applicable.component(Component.LIFTING)
    assert not lifting.assessed
    assert lifting.level == 0
    assert applicable.score == 50.0 and applicable.band is Band.HIGH
    # never pulled down: the out-of-scope index above 1 still sets the floor, read conservatively
    assert not_applicable.score == 50.0 and not_applicable.raw_score == 0.0
    assert not_applicable.band is Band.HIGH and not_applicable.provisional
    assert "does not apply to at least one task (one-handed lifting)" in lifting.reasons[0]
    assert "still sets the band's floor" in lifting.reasons[0]


def test_a_seated_task_with_li_0_14_is_not_assessable_and_the_band_provisional() -> None:
    """Worked example (docs/scoring.md): a seated task with LI 0.14 and a ROSA final score
    of 3. Version 1.0 gave lifting level 0 as if the lift were safe; 1.1 says the lifting
    equation cannot assess it and marks the band provisional."""
    result = evaluate(
        StrainInput(
            lifting_index=0.14,
            lifting_task_count=1,
            lifting_applicable=False,
            lifting_not_applicable_reasons=("Lifting while seated or kneeling",),
            rosa_final=3,
        )
    )
    lifting = result.component(Component.LIFTING)
    assert not lifting.assessed and lifting.level == 0
    assert lifting.reasons[0].startswith("Not assessable by this method")
    assert "The lifting index 0.14 is outside the equation's limits" in lifting.reasons[0]
    assert "HSE MAC" in lifting.reasons[0]
    assert result.not_assessable == (Component.LIFTING,)
    assert result.provisional
    assert result.band is Band.LOW and result.score == 3.75
    assert result.summary.startswith("Low strain risk, provisional (score 3.8)")
    assert "Provisional: lifting could not be assessed" in result.summary


def test_the_assessor_states_what_does_not_apply_and_what_could_not_be_assessed() -> None:
    result = evaluate(
        StrainInput(
            rosa_final=5,
            not_applicable=(Component.LIFTING,),
            could_not_assess=(Component.SEDENTARY,),
        )
    )
    lifting = result.component(Component.LIFTING)
    sedentary = result.component(Component.SEDENTARY)
    assert lifting.reasons == ("Does not apply to this job, as the assessor states (level 0)",)
    assert sedentary.reasons[0].startswith("Not assessable: the assessor states it applies")
    assert result.not_applicable == (Component.LIFTING,)
    assert result.not_assessable == (Component.SEDENTARY,)
    assert result.provisional and result.band is Band.MODERATE


def test_a_statement_is_refused_twice_or_for_an_unknown_component() -> None:
    with pytest.raises(InputError, match="stated twice"):
        StrainInput(not_applicable=(Component.LIFTING,), could_not_assess=(Component.LIFTING,))
    with pytest.raises(InputError, match="not a strain component"):
        StrainInput(not_applicable=("lifting",))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Workstation component
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rosa", "level"),
    [(1, 0), (2, 0), (3, 1), (4, 1), (5, 2), (6, 3), (7, 3), (8, 4), (9, 4), (10, 4)],
)
def test_workstation_level_for_every_rosa_final_score(rosa: int, level: int) -> None:
    workstation = evaluate(StrainInput(rosa_final=rosa)).component(Component.WORKSTATION)
    assert workstation.level == level
    assert workstation.points == 15 * level / 4
    assert workstation.assessed


def test_workstation_reason_cites_the_rosa_action_level() -> None:
    workstation = evaluate(StrainInput(rosa_final=5)).component(Component.WORKSTATION)
    assert workstation.reasons == (
        "ROSA final score 5 (5): level 2",
        "At or above the ROSA action level of 5 (Sonne et al. 2012): change is needed",
    )


def test_no_computer_work_is_reported_as_not_assessed() -> None:
    workstation = evaluate(StrainInput()).component(Component.WORKSTATION)
    assert not workstation.assessed
    assert workstation.reasons == (
        "Not assessed: no ROSA workstation assessment recorded (level 0)",
    )


# ---------------------------------------------------------------------------------------------
# Sedentary component
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "level"),
    [(0.0, 0), (3.99, 0), (4.0, 1), (5.99, 1), (6.0, 2), (7.99, 2), (8.0, 3), (24.0, 3)],
)
def test_sedentary_level_for_sitting_hours(hours: float, level: int) -> None:
    sedentary = evaluate(
        StrainInput(sitting_hours_per_workday=hours, longest_sitting_bout_minutes=30)
    ).component(Component.SEDENTARY)
    assert sedentary.level == level
    assert sedentary.points == 15 * level / 4


@pytest.mark.parametrize(("bout", "extra"), [(0.0, 0), (60.0, 0), (60.5, 1), (240.0, 1)])
def test_sedentary_adds_one_when_the_bout_exceeds_60_minutes(bout: float, extra: int) -> None:
    sedentary = evaluate(
        StrainInput(sitting_hours_per_workday=5.0, longest_sitting_bout_minutes=bout)
    ).component(Component.SEDENTARY)
    assert sedentary.level == 1 + extra


def test_sedentary_maximum_is_level_4() -> None:
    sedentary = evaluate(
        StrainInput(sitting_hours_per_workday=10.0, longest_sitting_bout_minutes=120)
    ).component(Component.SEDENTARY)
    assert sedentary.level == 4
    assert sedentary.points == 15.0


def test_sedentary_with_only_the_bout_recorded_is_assessed_from_the_bout() -> None:
    sedentary = evaluate(StrainInput(longest_sitting_bout_minutes=90)).component(
        Component.SEDENTARY
    )
    assert sedentary.assessed
    assert sedentary.level == 1
    assert sedentary.reasons[0] == "Sitting hours per workday not recorded: +0"


def test_sedentary_not_recorded_is_not_assessed() -> None:
    sedentary = evaluate(StrainInput()).component(Component.SEDENTARY)
    assert not sedentary.assessed
    assert sedentary.reasons == ("Not assessed: sitting time not recorded (level 0)",)


# ---------------------------------------------------------------------------------------------
# Activity component
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "level"),
    [(300.0, 0), (150.0, 0), (149.9, 1), (75.0, 1), (74.9, 2), (0.5, 2), (0.0, 3)],
)
def test_activity_level_for_moderate_equivalent_minutes(minutes: float, level: int) -> None:
    activity = evaluate(
        StrainInput(moderate_equivalent_minutes=minutes, strengthening_days_per_week=2)
    ).component(Component.ACTIVITY)
    assert activity.level == level
    assert activity.points == 10 * level / 4


@pytest.mark.parametrize(("days", "extra"), [(0, 1), (1, 1), (2, 0), (7, 0)])
def test_activity_adds_one_below_two_strengthening_days(days: int, extra: int) -> None:
    activity = evaluate(
        StrainInput(moderate_equivalent_minutes=200.0, strengthening_days_per_week=days)
    ).component(Component.ACTIVITY)
    assert activity.level == extra


def test_activity_maximum_is_level_4() -> None:
    activity = evaluate(
        StrainInput(moderate_equivalent_minutes=0.0, strengthening_days_per_week=0)
    ).component(Component.ACTIVITY)
    assert activity.level == 4
    assert activity.points == 10.0


def test_activity_not_recorded_is_not_assessed() -> None:
    activity = evaluate(StrainInput()).component(Component.ACTIVITY)
    assert not activity.assessed
    assert activity.level == 0


# ---------------------------------------------------------------------------------------------
# Individual component
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bmi", "level"), [(18.5, 0), (24.99, 0), (25.0, 1), (29.99, 1), (30.0, 2), (45.0, 2)]
)
def test_individual_bmi_points(bmi: float, level: int) -> None:
    individual = evaluate(StrainInput(bmi=bmi)).component(Component.INDIVIDUAL)
    assert individual.level == level


@pytest.mark.parametrize(("episodes", "level"), [(0, 0), (1, 1), (2, 1), (3, 2), (12, 2)])
def test_individual_episode_points(episodes: int, level: int) -> None:
    individual = evaluate(StrainInput(episodes_last_12_months=episodes)).component(
        Component.INDIVIDUAL
    )
    assert individual.level == level


def test_individual_current_mechanical_pain_adds_one() -> None:
    without = evaluate(StrainInput(bmi=22.0, episodes_last_12_months=0))
    with_pain = evaluate(
        StrainInput(bmi=22.0, episodes_last_12_months=0, current_pain_mechanical=True)
    )
    assert level_of(without, Component.INDIVIDUAL) == 0
    assert level_of(with_pain, Component.INDIVIDUAL) == 1


def test_individual_is_capped_at_level_4_and_keeps_the_uncapped_sum() -> None:
    individual = evaluate(
        StrainInput(bmi=32.0, episodes_last_12_months=4, current_pain_mechanical=True)
    ).component(Component.INDIVIDUAL)
    assert individual.uncapped_level == 5
    assert individual.level == 4
    assert individual.points == 15.0
    assert individual.reasons[-1] == "Sum 5, capped at level 4"


def test_individual_not_recorded_is_not_assessed() -> None:
    individual = evaluate(StrainInput()).component(Component.INDIVIDUAL)
    assert not individual.assessed


# ---------------------------------------------------------------------------------------------
# Psychosocial component
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "level"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (6, 4)])
def test_psychosocial_one_level_per_yellow_flag_capped_at_4(count: int, level: int) -> None:
    flags = tuple(f"flag {i}" for i in range(count))
    psychosocial = evaluate(StrainInput(yellow_flags=flags)).component(Component.PSYCHOSOCIAL)
    assert psychosocial.assessed
    assert psychosocial.level == level
    assert psychosocial.uncapped_level == count
    assert psychosocial.points == 15 * level / 4


def test_psychosocial_screened_with_no_flags_differs_from_not_screened() -> None:
    screened = evaluate(StrainInput(yellow_flags=())).component(Component.PSYCHOSOCIAL)
    unscreened = evaluate(StrainInput()).component(Component.PSYCHOSOCIAL)
    assert screened.assessed
    assert screened.reasons == ("Yellow flags screened, none positive: level 0",)
    assert not unscreened.assessed
    assert unscreened.reasons == ("Not assessed: yellow flags not screened (level 0)",)


def test_psychosocial_reason_lists_the_flags() -> None:
    psychosocial = evaluate(
        StrainInput(yellow_flags=("low mood", "job dissatisfaction"))
    ).component(Component.PSYCHOSOCIAL)
    assert psychosocial.reasons == (
        "2 yellow flags positive (low mood, job dissatisfaction): level 2",
    )


# ---------------------------------------------------------------------------------------------
# Every component at its maximum
# ---------------------------------------------------------------------------------------------


def test_every_component_at_level_4_scores_100() -> None:
    result = evaluate(
        StrainInput(
            lifting_index=3.5,
            rosa_final=9,
            sitting_hours_per_workday=9.0,
            longest_sitting_bout_minutes=120.0,
            moderate_equivalent_minutes=0.0,
            strengthening_days_per_week=0,
            bmi=35.0,
            episodes_last_12_months=5,
            current_pain_mechanical=True,
            yellow_flags=("a", "b", "c", "d"),
        )
    )
    assert [c.level for c in result.components] == [MAX_LEVEL] * 6
    assert result.raw_score == result.score == 100.0
    assert result.band is Band.VERY_HIGH


# ---------------------------------------------------------------------------------------------
# Floors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("li", "score", "band"),
    [
        (1.0, 7.5, Band.LOW),
        (1.0001, 25.0, Band.MODERATE),
        (2.0, 25.0, Band.MODERATE),
        (2.0001, 50.0, Band.HIGH),
        (3.0, 50.0, Band.HIGH),
        (3.0001, 75.0, Band.VERY_HIGH),
        (math.inf, 75.0, Band.VERY_HIGH),
    ],
)
def test_lifting_index_floors_raise_the_score_to_the_band_bound(
    li: float, score: float, band: Band
) -> None:
    result = evaluate(StrainInput(lifting_index=li))
    assert result.score == score
    assert result.band is band
    assert result.raw_score == WEIGHTS[Component.LIFTING] * level_of(result, Component.LIFTING) / 4


def test_lifting_floor_reason_cites_the_threshold_and_source() -> None:
    result = evaluate(StrainInput(lifting_index=2.4))
    assert result.floors_applied == (
        "Lifting index 2.4 exceeds 2.0: at least High (NIOSH; Lu et al. 2014 CLI > 2)",
    )


def test_only_the_highest_lifting_floor_is_recorded() -> None:
    result = evaluate(StrainInput(lifting_index=3.2, lifting_task_count=2))
    assert result.floors_applied == (
        "Composite lifting index 3.2 exceeds 3.0: Very high (NIOSH: nearly all workers are at "
        "increased risk above 3.0)",
    )


@pytest.mark.parametrize(("rosa", "score"), [(4, 3.75), (5, 25.0), (10, 25.0)])
def test_rosa_action_level_5_floors_the_score_at_moderate(rosa: int, score: float) -> None:
    result = evaluate(StrainInput(rosa_final=rosa))
    assert result.score == score
    assert (result.band is Band.MODERATE) == (rosa >= 5)
    if rosa >= 5:
        assert result.floors_applied == (
            f"ROSA final score {rosa} is at or above the action level of 5: at least Moderate "
            "(Sonne et al. 2012)",
        )
    else:
        assert result.floors_applied == ()


def test_a_floor_never_lowers_a_score_already_above_it() -> None:
    result = evaluate(
        StrainInput(
            lifting_index=1.5,
            rosa_final=8,
            sitting_hours_per_workday=9.0,
            longest_sitting_bout_minutes=90.0,
            moderate_equivalent_minutes=0.0,
            strengthening_days_per_week=0,
            bmi=31.0,
            episodes_last_12_months=3,
            yellow_flags=("stress", "low mood"),
        )
    )
    # 15 + 15 + 15 + 10 + 15 + 7.5 = 77.5, above both floors (Moderate, 25)
    assert result.raw_score == 77.5
    assert result.score == 77.5
    assert result.band is Band.VERY_HIGH
    assert len(result.floors_applied) == 2


def test_sedentary_activity_individual_and_psychosocial_have_no_floor() -> None:
    result = evaluate(
        StrainInput(
            sitting_hours_per_workday=9.0,
            longest_sitting_bout_minutes=120.0,
            moderate_equivalent_minutes=0.0,
            strengthening_days_per_week=0,
        )
    )
    assert result.floors_applied == ()
    assert result.score == result.raw_score == 25.0


def test_summary_names_the_floor_that_raised_the_score() -> None:
    result = evaluate(StrainInput(lifting_index=1.5, rosa_final=5))
    # lifting 15 + workstation 7.5 = 22.5, both floors at Moderate
    assert result.raw_score == 22.5
    assert result.score == 25.0
    assert result.summary.startswith(
        "Moderate strain risk (score 25, raised from 22.5 by the lifting and ROSA action level "
        "floor): driven by lifting (level 2) and workstation setup (level 2)."
    )


# ---------------------------------------------------------------------------------------------
# Not assessed and referrals
# ---------------------------------------------------------------------------------------------


def test_empty_input_reports_every_component_as_not_assessed() -> None:
    result = evaluate(StrainInput())
    assert result.not_assessed == tuple(Component)
    assert all(not c.assessed and c.level == 0 for c in result.components)
    assert all(c.reasons[0].startswith("Not assessed:") for c in result.components)
    assert result.score == 0.0
    # never Low: with nothing assessed there is no band to give
    assert result.band is Band.NOT_ASSESSABLE
    assert result.reassess_months is None
    assert result.summary == "Not assessable: no section of the assessment was assessed."


def test_referrals_are_carried_through_and_never_summed() -> None:
    base = StrainInput(rosa_final=3, yellow_flags=())
    referred = replace(
        base,
        referrals=(
            "Emergency: possible cauda equina syndrome",
            "Consider referral for assessment of inflammatory back pain (NICE NG65)",
        ),
    )
    plain, with_referrals = evaluate(base), evaluate(referred)
    assert with_referrals.referrals == referred.referrals
    assert with_referrals.score == plain.score
    assert with_referrals.raw_score == plain.raw_score
    assert with_referrals.band is plain.band
    assert with_referrals.components == plain.components
    assert with_referrals.summary.endswith(
        "2 clinical referrals listed separately (not part of the score)."
    )


# ---------------------------------------------------------------------------------------------
# Worked examples (docs/scoring.md)
# ---------------------------------------------------------------------------------------------

OFFICE_WORKER = StrainInput(
    rosa_final=6,
    sitting_hours_per_workday=7.5,
    longest_sitting_bout_minutes=90.0,
    moderate_equivalent_minutes=60.0,
    strengthening_days_per_week=0,
    bmi=23.0,
    episodes_last_12_months=1,
    current_pain_mechanical=True,
    yellow_flags=("work stress", "low support at work"),
)

WAREHOUSE_PICKER = StrainInput(
    lifting_index=2.4,
    lifting_task_count=3,
    sitting_hours_per_workday=1.5,
    longest_sitting_bout_minutes=30.0,
    moderate_equivalent_minutes=200.0,
    strengthening_days_per_week=1,
    bmi=24.0,
    episodes_last_12_months=1,
    yellow_flags=(),
)


def test_worked_example_office_worker() -> None:
    result = evaluate(OFFICE_WORKER)
    assert [(c.component, c.level, c.points, c.assessed) for c in result.components] == [
        (Component.LIFTING, 0, 0.0, False),
        (Component.WORKSTATION, 3, 11.25, True),
        (Component.SEDENTARY, 3, 11.25, True),
        (Component.ACTIVITY, 3, 7.5, True),
        (Component.INDIVIDUAL, 2, 7.5, True),
        (Component.PSYCHOSOCIAL, 2, 7.5, True),
    ]
    assert result.raw_score == 45.0
    assert result.score == 45.0
    assert result.band is Band.MODERATE
    assert result.floors_applied == (
        "ROSA final score 6 is at or above the action level of 5: at least Moderate "
        "(Sonne et al. 2012)",
    )
    assert result.not_assessed == (Component.LIFTING,)
    assert result.summary == (
        "Moderate strain risk (score 45): driven by workstation setup (level 3) and sedentary "
        "work (level 3). Based on the sections assessed; not assessed: lifting."
    )
    assert result.component(Component.SEDENTARY).reasons == (
        "Sitting 7.5 h per workday (6 to < 8 h): +2",
        "Longest uninterrupted sitting bout 90 min (> 60 min): +1",
        "Level 3",
    )
    assert result.component(Component.ACTIVITY).reasons == (
        "Moderate-equivalent activity 60 min/week (> 0 and < 75): +2",
        "Muscle-strengthening on 0 days per week (< 2, WHO 2020 recommends ≥ 2): +1",
        "Level 3",
    )
    assert result.component(Component.INDIVIDUAL).reasons == (
        "BMI 23 (< 25): +0",
        "1 episode of low back pain in the last 12 months (1-2): +1",
        "Current low back pain with the mechanical pattern: +1",
        "Level 2",
    )


def test_worked_example_warehouse_picker_is_raised_to_high_by_the_cli_floor() -> None:
    result = evaluate(WAREHOUSE_PICKER)
    assert [(c.component, c.level, c.points, c.assessed) for c in result.components] == [
        (Component.LIFTING, 3, 22.5, True),
        (Component.WORKSTATION, 0, 0.0, False),
        (Component.SEDENTARY, 0, 0.0, True),
        (Component.ACTIVITY, 1, 2.5, True),
        (Component.INDIVIDUAL, 1, 3.75, True),
        (Component.PSYCHOSOCIAL, 0, 0.0, True),
    ]
    assert result.raw_score == 28.75
    assert result.score == 50.0
    assert result.band is Band.HIGH
    assert result.floors_applied == (
        "Composite lifting index 2.4 exceeds 2.0: at least High (NIOSH; Lu et al. 2014 CLI > 2)",
    )
    assert result.not_assessed == (Component.WORKSTATION,)
    assert result.summary == (
        "High strain risk (score 50, raised from 28.8 by the lifting floor): driven by lifting "
        "(level 3) and individual factors (level 1). Based on the sections assessed; "
        "not assessed: workstation."
    )
    assert result.reassess_months == 3


def test_summary_lists_components_tied_with_the_second_driver() -> None:
    result = evaluate(StrainInput(rosa_final=6, sitting_hours_per_workday=8.0, bmi=31.0))
    # workstation 3, sedentary 3, individual 2: 11.25, 11.25, 7.5
    assert "driven by workstation setup (level 3) and sedentary work (level 3)." in result.summary
    tied = evaluate(
        StrainInput(rosa_final=6, sitting_hours_per_workday=8.0, yellow_flags=("a", "b", "c"))
    )
    assert (
        "driven by workstation setup (level 3), sedentary work (level 3) and psychosocial "
        "factors (level 3)." in tied.summary
    )


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lifting_index", -0.1),
        ("lifting_index", math.nan),
        ("lifting_index", -math.inf),
        ("lifting_index", "2.4"),
        ("lifting_task_count", -1),
        ("lifting_task_count", 1.5),
        ("rosa_final", 0),
        ("rosa_final", 11),
        ("rosa_final", 5.0),
        ("rosa_final", True),
        ("sitting_hours_per_workday", -1.0),
        ("sitting_hours_per_workday", 24.5),
        ("sitting_hours_per_workday", math.nan),
        ("sitting_hours_per_workday", math.inf),
        ("longest_sitting_bout_minutes", -5.0),
        ("longest_sitting_bout_minutes", 1441.0),
        ("moderate_equivalent_minutes", -1.0),
        ("moderate_equivalent_minutes", math.nan),
        ("moderate_equivalent_minutes", 20161.0),
        ("strengthening_days_per_week", -1),
        ("strengthening_days_per_week", 8),
        ("bmi", 0.0),
        ("bmi", -22.0),
        ("bmi", math.nan),
        ("bmi", 150.0),
        ("episodes_last_12_months", -1),
        ("episodes_last_12_months", 2.5),
        ("current_pain_mechanical", 1),
        ("lifting_applicable", "yes"),
        ("yellow_flags", "low mood"),
        ("yellow_flags", ("low mood", "")),
        ("yellow_flags", ("low mood", "low mood")),
        ("referrals", ("",)),
        ("referrals", "urgent"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"^{field}: "):
        StrainInput(**{field: value})  # type: ignore[arg-type]


def test_rosa_error_states_the_allowed_range() -> None:
    with pytest.raises(
        ValueError, match=r"rosa_final: 11 is outside the ROSA final score range 1-10"
    ):
        StrainInput(rosa_final=11)


def test_not_applicable_reasons_require_lifting_applicable_false() -> None:
    with pytest.raises(ValueError, match=r"^lifting_not_applicable_reasons: "):
        StrainInput(lifting_index=1.2, lifting_not_applicable_reasons=("seated",))


def test_infinite_lifting_index_is_accepted() -> None:
    assert StrainInput(lifting_index=math.inf).lifting_index == math.inf


def test_lists_of_labels_are_stored_as_tuples() -> None:
    inputs = StrainInput(yellow_flags=["low mood"], referrals=["urgent review"])  # type: ignore[arg-type]
    assert inputs.yellow_flags == ("low mood",)
    assert inputs.referrals == ("urgent review",)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)

_labels = st.text(alphabet="abcdefghij ", min_size=1, max_size=8).filter(lambda s: s.strip() != "")


@st.composite
def strain_inputs(draw: st.DrawFn) -> StrainInput:
    def maybe(strategy: st.SearchStrategy[object]) -> object:
        return draw(st.one_of(st.none(), strategy))

    return StrainInput(
        lifting_index=maybe(  # type: ignore[arg-type]
            st.one_of(st.floats(0.0, 5.0, allow_nan=False), st.just(math.inf))
        ),
        lifting_task_count=draw(st.integers(0, 5)),
        lifting_applicable=draw(st.booleans()),
        rosa_final=maybe(st.integers(1, 10)),  # type: ignore[arg-type]
        sitting_hours_per_workday=maybe(st.floats(0.0, 24.0)),  # type: ignore[arg-type]
        longest_sitting_bout_minutes=maybe(st.floats(0.0, 1440.0)),  # type: ignore[arg-type]
        moderate_equivalent_minutes=maybe(st.floats(0.0, 600.0)),  # type: ignore[arg-type]
        strengthening_days_per_week=maybe(st.integers(0, 7)),  # type: ignore[arg-type]
        bmi=maybe(st.floats(15.0, 50.0)),  # type: ignore[arg-type]
        episodes_last_12_months=maybe(st.integers(0, 10)),  # type: ignore[arg-type]
        current_pain_mechanical=draw(st.booleans()),
        yellow_flags=maybe(  # type: ignore[arg-type]
            st.lists(_labels, max_size=6, unique=True).map(tuple)
        ),
        referrals=draw(st.lists(_labels, max_size=3).map(tuple)),
    )


def assert_not_better(before: StrainInput, after: StrainInput) -> None:
    """``after`` is a worse exposure than ``before``: neither score nor band may fall."""
    a, b = evaluate(before), evaluate(after)
    assert b.score >= a.score
    assert b.raw_score >= a.raw_score
    assert BAND_ORDER.index(b.band) >= BAND_ORDER.index(a.band)


def ordered(values: st.SearchStrategy[float]) -> st.SearchStrategy[tuple[float, float]]:
    return st.tuples(values, values).map(lambda p: (min(p), max(p)))


@PROPERTY_SETTINGS
@given(strain_inputs())
def test_property_score_band_and_points_are_consistent(inputs: StrainInput) -> None:
    result = evaluate(inputs)
    assert 0.0 <= result.raw_score <= result.score <= 100.0
    if result.band is Band.NOT_ASSESSABLE:
        assert result.score == 0.0 and not result.floors_applied
        assert not any(c.assessed for c in result.components)
    else:
        assert result.band is band_for(result.score)
    assert result.provisional is bool(result.not_assessable)
    assert result.raw_score == sum(c.points for c in result.components)
    for c in result.components:
        assert 0 <= c.level <= MAX_LEVEL
        assert c.points == c.weight * c.level / 4
    if result.score > result.raw_score:
        assert result.floors_applied
        assert result.score in BAND_LOWER_BOUNDS.values()


@PROPERTY_SETTINGS
@given(strain_inputs(), ordered(st.floats(0.0, 6.0)), st.booleans())
def test_property_higher_lifting_index_never_lowers_the_score(
    base: StrainInput, pair: tuple[float, float], to_infinity: bool
) -> None:
    low, high = pair
    assert_not_better(
        replace(base, lifting_index=low),
        replace(base, lifting_index=math.inf if to_infinity else high),
    )


@PROPERTY_SETTINGS
@given(strain_inputs(), st.tuples(st.integers(1, 10), st.integers(1, 10)))
def test_property_higher_rosa_never_lowers_the_score(
    base: StrainInput, pair: tuple[int, int]
) -> None:
    assert_not_better(replace(base, rosa_final=min(pair)), replace(base, rosa_final=max(pair)))


@PROPERTY_SETTINGS
@given(strain_inputs(), ordered(st.floats(0.0, 24.0)))
def test_property_more_sitting_never_lowers_the_score(
    base: StrainInput, pair: tuple[float, float]
) -> None:
    assert_not_better(
        replace(base, sitting_hours_per_workday=pair[0]),
        replace(base, sitting_hours_per_workday=pair[1]),
    )


@PROPERTY_SETTINGS
@given(strain_inputs(), ordered(st.floats(0.0, 1440.0)))
def test_property_longer_sitting_bout_never_lowers_the_score(
    base: StrainInput, pair: tuple[float, float]
) -> None:
    assert_not_better(
        replace(base, longest_sitting_bout_minutes=pair[0]),
        replace(base, longest_sitting_bout_minutes=pair[1]),
    )


@PROPERTY_SETTINGS
@given(strain_inputs(), ordered(st.floats(0.0, 400.0)))
def test_property_less_activity_never_lowers_the_score(
    base: StrainInput, pair: tuple[float, float]
) -> None:
    assert_not_better(
        replace(base, moderate_equivalent_minutes=pair[1]),
        replace(base, moderate_equivalent_minutes=pair[0]),
    )


@PROPERTY_SETTINGS
@given(strain_inputs(), st.tuples(st.integers(0, 7), st.integers(0, 7)))
def test_property_fewer_strengthening_days_never_lowers_the_score(
    base: StrainInput, pair: tuple[int, int]
) -> None:
    assert_not_better(
        replace(base, strengthening_days_per_week=max(pair)),
        replace(base, strengthening_days_per_week=min(pair)),
    )


@PROPERTY_SETTINGS
@given(strain_inputs(), ordered(st.floats(10.0, 100.0)))
def test_property_higher_bmi_never_lowers_the_score(
    base: StrainInput, pair: tuple[float, float]
) -> None:
    assert_not_better(replace(base, bmi=pair[0]), replace(base, bmi=pair[1]))


@PROPERTY_SETTINGS
@given(strain_inputs(), st.tuples(st.integers(0, 20), st.integers(0, 20)))
def test_property_more_episodes_never_lowers_the_score(
    base: StrainInput, pair: tuple[int, int]
) -> None:
    assert_not_better(
        replace(base, episodes_last_12_months=min(pair)),
        replace(base, episodes_last_12_months=max(pair)),
    )


@PROPERTY_SETTINGS
@given(strain_inputs())
def test_property_current_mechanical_pain_never_lowers_the_score(base: StrainInput) -> None:
    assert_not_better(
        replace(base, current_pain_mechanical=False), replace(base, current_pain_mechanical=True)
    )


@PROPERTY_SETTINGS
@given(strain_inputs(), st.lists(_labels, min_size=1, max_size=3, unique=True))
def test_property_more_yellow_flags_never_lowers_the_score(
    base: StrainInput, extra: list[str]
) -> None:
    before = tuple(f"base {flag}" for flag in (base.yellow_flags or ()))
    assert_not_better(
        replace(base, yellow_flags=before),
        replace(base, yellow_flags=before + tuple(f"new {flag}" for flag in extra)),
    )


@PROPERTY_SETTINGS
@given(strain_inputs(), st.lists(_labels, max_size=4).map(tuple))
def test_property_referrals_never_change_the_score_or_band(
    base: StrainInput, referrals: tuple[str, ...]
) -> None:
    plain = evaluate(replace(base, referrals=()))
    referred = evaluate(replace(base, referrals=referrals))
    assert referred.score == plain.score
    assert referred.raw_score == plain.raw_score
    assert referred.band is plain.band
    assert referred.components == plain.components
    assert referred.floors_applied == plain.floors_applied
    assert referred.referrals == referrals


# ---------------------------------------------------------------------------------------------
# Plain language (the manager's report)
# ---------------------------------------------------------------------------------------------


def test_plain_reasons_keep_the_findings_and_drop_the_arithmetic() -> None:
    sedentary = evaluate(
        StrainInput(sitting_hours_per_workday=6.4, longest_sitting_bout_minutes=90.0)
    ).component(Component.SEDENTARY)
    assert sedentary.reasons == (
        "Sitting 6.4 h per workday (6 to < 8 h): +2",
        "Longest uninterrupted sitting bout 90 min (> 60 min): +1",
        "Level 3",
    )
    assert plain_reasons(sedentary.reasons) == (
        "Sitting 6.4 h per workday (6 to < 8 h)",
        "Longest uninterrupted sitting bout 90 min (> 60 min)",
    )
    workstation = evaluate(StrainInput(rosa_final=5)).component(Component.WORKSTATION)
    assert plain_reasons(workstation.reasons)[0] == "ROSA final score 5"
    lifting = evaluate(StrainInput()).component(Component.LIFTING)
    assert plain_reasons(lifting.reasons) == ("Not assessed: no lifting tasks recorded",)
    assert LEVEL_WORDS[3] == "high risk" and set(LEVEL_WORDS) == set(range(MAX_LEVEL + 1))


@PROPERTY_SETTINGS
@given(strain_inputs())
def test_property_plain_reasons_never_show_points_or_levels(inputs: StrainInput) -> None:
    for component in evaluate(inputs).components:
        for reason in plain_reasons(component.reasons):
            assert not re.search(r"\+\d+$|level \d+\)?$|^Level \d+$", reason), reason
