"""Worker factors: WHO BMI classes, pain duration, yellow and red flags, ASAS and NICE NG65."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring.worker import (
    ASAS_FIELDS,
    ASAS_PATTERN_FEATURES,
    CAUDA_EQUINA_FIELDS,
    NG65_FIELDS,
    NG65_PATTERN_FEATURES,
    PATTERN_FIELDS,
    RED_FLAG_CONDITIONS,
    RED_FLAG_FIELDS,
    YELLOW_FLAG_FIELDS,
    Answer,
    BmiClass,
    BmiSource,
    Ng65Outcome,
    PainClass,
    PainDurationClass,
    Urgency,
    WorkerInput,
    WorkerInputError,
    WorkerResult,
    bmi_class,
    pain_duration_class,
    score,
)


def make(**overrides: Any) -> WorkerInput:
    """A worker input; a red flag given as True / False is answered "yes" / "no"."""
    values: dict[str, Any] = {"age_years": 40, "current_pain": False, "episodes_last_12_months": 0}
    for name, value in overrides.items():
        if name in RED_FLAG_FIELDS and isinstance(value, bool):
            value = Answer.YES if value else Answer.NO
        values[name] = value
    return WorkerInput(**values)


def run(**overrides: Any) -> WorkerResult:
    return score(make(**overrides))


def chronic(**overrides: Any) -> WorkerResult:
    """Current pain for 20 weeks (more than 3 months) in a 40-year-old.

    At 40 neither onset feature follows from the age, and pain that began 20 weeks ago
    certainly began before 45, so NG65 applies.
    """
    values: dict[str, Any] = {"age_years": 40, "current_pain": True, "pain_duration_weeks": 20}
    values.update(overrides)
    return run(**values)


def codes(result: WorkerResult) -> list[str]:
    return [r.code for r in result.referrals]


#: The five ASAS features and nine NG65 features as the questions that answer them: the
#: pain-pattern screen answers three of ASAS and two of NG65.
ASAS = [
    "asas_onset_before_40",
    "asas_insidious_onset",
    "pain_eases_with_movement",
    "pain_returns_after_rest",
    "night_pain_eases_on_rising",
]
NG65 = [
    "ng65_started_before_35",
    "night_pain_eases_on_rising",
    "ng65_buttock_pain",
    "pain_eases_with_movement",
    *(f for f in NG65_FIELDS if f not in ("ng65_started_before_35", "ng65_buttock_pain")),
]
# NG65 features that do not depend on the onset age (so they can be combined freely).
#: NG65 features other than the onset: those only NG65 asks first, then the two pattern
#: questions ASAS also counts.
NG65_FREE = [
    *(f for f in NG65_FIELDS if f != "ng65_started_before_35"),
    "night_pain_eases_on_rising",
    "pain_eases_with_movement",
]


def screen_codes(result: WorkerResult) -> list[str]:
    """Referral codes other than the persistent-pain review (tested on its own below)."""
    return [code for code in codes(result) if not code.startswith("persistent.")]


# --- Worked examples (also in docs/scoring.md) ------------------------------------------


def test_worked_example_chronic_pain_with_inflammatory_features() -> None:
    """Recorded through the pain-pattern questions: each answer counts wherever it applies
    (eases with movement: ASAS and NG65; night pain easing on rising: ASAS and NG65)."""
    result = run(
        age_years=34,
        current_pain=True,
        episodes_last_12_months=3,
        height_cm=175,
        weight_kg=85,
        pain_duration_weeks=20,
        pain_intensity=4,
        pain_eases_with_movement=True,
        pain_returns_after_rest=True,
        night_pain_eases_on_rising=True,
        back_pain_onset_age=31,
        yf_stress_worry=True,
        yf_low_support_at_work=True,
        asas_onset_before_40=True,
        asas_insidious_onset=True,
        ng65_started_before_35=True,
        ng65_buttock_pain=True,
    )
    assert result.bmi == 27.8  # 85 / 1.75² = 27.755...
    assert result.bmi_source is BmiSource.COMPUTED
    assert result.bmi_class is BmiClass.OVERWEIGHT
    assert result.pain_duration_class is PainDurationClass.CHRONIC
    assert result.pain_class is PainClass.POSSIBLE_INFLAMMATORY
    assert not result.mechanical_pattern
    assert result.yellow_flags == (
        "Feels stressed or worried much of the time",
        "Little support from colleagues or supervisors",
    )
    assert result.red_flags == ()
    screen = result.inflammatory
    assert (screen.asas_applicable, screen.asas_count, screen.asas_positive) == (True, 5, True)
    assert (screen.ng65_applicable, screen.ng65_count) == (True, 4)
    assert screen.ng65_outcome is Ng65Outcome.REFER
    assert screen.pattern_overlap
    assert codes(result) == ["inflammatory.consider_referral", "persistent.combined_programme"]
    referral = result.referrals[0]
    assert referral.urgency is Urgency.ROUTINE
    assert referral.reason.startswith(
        "Possible inflammatory back pain: the worker should see their GP for referral to "
        "rheumatology for assessment of axial spondyloarthritis. ASAS criteria met (5 of 5: "
    )
    assert "NICE NG65 referral criteria met (4 of 9: " in referral.reason
    assert result.reasons[0] == (
        "BMI 27.8 kg/m² (85 kg / (1.75 m)²): overweight (WHO: 25 to under 30 kg/m²)."
    )


def test_worked_example_older_worker_with_red_flags() -> None:
    result = run(
        age_years=58,
        current_pain=True,
        episodes_last_12_months=1,
        pain_duration_weeks=3,
        bmi=31.04,
        rf_saddle_anaesthesia=True,
        rf_fever=True,
        rf_history_of_cancer=True,
    )
    assert result.bmi == 31.0
    assert result.bmi_source is BmiSource.ENTERED
    assert result.bmi_class is BmiClass.OBESE
    assert result.pain_duration_class is PainDurationClass.ACUTE
    assert result.age_red_flag
    assert codes(result) == ["red_flag.cauda_equina", "red_flag.serious_pathology"]
    emergency, urgent = result.referrals
    assert emergency.urgency is Urgency.EMERGENCY
    assert RED_FLAG_FIELDS["rf_saddle_anaesthesia"] in emergency.reason
    assert urgent.urgency is Urgency.URGENT
    assert urgent.reason == (
        "Red flags for serious spinal pathology. Possible cancer: History of cancer; "
        "New-onset back pain (current episode 12 weeks or less) at age over 50. "
        "Possible infection: Fever, chills or rigors. Urgent clinical review (GP or "
        "occupational physician) to exclude a specific cause before relying on ergonomic "
        "measures."
    )
    assert result.red_flags[0] == RED_FLAG_FIELDS["rf_saddle_anaesthesia"]
    assert len(result.red_flags) == 4


# --- BMI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cls"),
    [
        (12.0, BmiClass.UNDERWEIGHT),
        (18.4, BmiClass.UNDERWEIGHT),
        (18.5, BmiClass.HEALTHY),
        (24.9, BmiClass.HEALTHY),
        (25.0, BmiClass.OVERWEIGHT),
        (29.9, BmiClass.OVERWEIGHT),
        (30.0, BmiClass.OBESE),
        (80.0, BmiClass.OBESE),
    ],
)
def test_who_bmi_class_edges(value: float, cls: BmiClass) -> None:
    assert bmi_class(value) is cls
    assert run(bmi=value).bmi_class is cls


@pytest.mark.parametrize(
    ("entered", "shown", "cls"),
    [
        (24.94, 24.9, BmiClass.HEALTHY),
        (24.96, 25.0, BmiClass.OVERWEIGHT),
        (29.96, 30.0, BmiClass.OBESE),
        (18.46, 18.5, BmiClass.HEALTHY),
    ],
)
def test_bmi_is_classed_on_the_one_decimal_value_reported(
    entered: float, shown: float, cls: BmiClass
) -> None:
    result = run(bmi=entered)
    assert result.bmi == shown
    assert result.bmi_class is cls


@pytest.mark.parametrize(
    ("height", "weight", "bmi", "cls"),
    [
        (180, 81, 25.0, BmiClass.OVERWEIGHT),  # 81 / 3.24
        (160, 64, 25.0, BmiClass.OVERWEIGHT),  # 64 / 2.56
        (200, 120, 30.0, BmiClass.OBESE),  # 120 / 4
        (170, 53.4, 18.5, BmiClass.HEALTHY),  # 53.4 / 2.89 = 18.477
        (170, 53.3, 18.4, BmiClass.UNDERWEIGHT),  # 18.443
        (175, 85, 27.8, BmiClass.OVERWEIGHT),
    ],
)
def test_bmi_computed_from_height_and_weight(
    height: float, weight: float, bmi: float, cls: BmiClass
) -> None:
    result = run(height_cm=height, weight_kg=weight)
    assert result.bmi == bmi
    assert result.bmi_class is cls
    assert result.bmi_source is BmiSource.COMPUTED


def test_entered_bmi_within_half_a_point_of_computed_is_accepted_and_computed_is_used() -> None:
    result = run(height_cm=175, weight_kg=85, bmi=28.2)  # computed 27.76, difference 0.44
    assert result.bmi == 27.8
    assert result.bmi_source is BmiSource.COMPUTED


def test_entered_bmi_disagreeing_by_more_than_half_a_point_is_an_error() -> None:
    with pytest.raises(WorkerInputError) as info:
        make(height_cm=175, weight_kg=85, bmi=28.3)  # difference 0.54
    message = str(info.value)
    assert "28.3" in message and "27.8" in message
    assert "height_cm 175 cm" in message and "weight_kg 85 kg" in message
    assert info.value.fields == ("bmi", "height_cm", "weight_kg")


def test_bmi_not_determined_without_both_height_and_weight() -> None:
    assert run(height_cm=175).bmi is None
    assert run(weight_kg=80).bmi_class is None
    only_height = run(height_cm=175, bmi=22)
    assert (only_height.bmi, only_height.bmi_source) == (22.0, BmiSource.ENTERED)
    assert "BMI not recorded." in run().reasons


def test_implausible_computed_bmi_is_an_error() -> None:
    with pytest.raises(WorkerInputError) as info:
        make(height_cm=250, weight_kg=30)  # 4.8 kg/m²
    assert "BMI of 4.8" in str(info.value)
    assert info.value.fields == ("height_cm", "weight_kg")


@settings(max_examples=60, deadline=None)
@given(
    height=st.floats(min_value=150, max_value=200),
    w1=st.floats(min_value=50, max_value=150),
    w2=st.floats(min_value=50, max_value=150),
)
def test_bmi_never_falls_as_weight_rises(height: float, w1: float, w2: float) -> None:
    light, heavy = sorted((w1, w2))
    a, b = run(height_cm=height, weight_kg=light), run(height_cm=height, weight_kg=heavy)
    assert a.bmi is not None and b.bmi is not None
    assert a.bmi <= b.bmi
    order = list(BmiClass)
    assert a.bmi_class is not None and b.bmi_class is not None
    assert order.index(a.bmi_class) <= order.index(b.bmi_class)


# --- Pain history ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weeks", "cls"),
    [
        (0, PainDurationClass.ACUTE),
        (5.9, PainDurationClass.ACUTE),
        (6, PainDurationClass.SUBACUTE),
        (12, PainDurationClass.SUBACUTE),
        (12.1, PainDurationClass.CHRONIC),
        (52, PainDurationClass.CHRONIC),
    ],
)
def test_pain_duration_class_boundaries(weeks: float, cls: PainDurationClass) -> None:
    assert pain_duration_class(weeks) is cls
    assert run(current_pain=True, pain_duration_weeks=weeks).pain_duration_class is cls


def test_no_current_pain_has_no_duration_class() -> None:
    result = run()
    assert result.pain_duration_class is None
    assert result.pain_duration_weeks is None
    assert "No current back pain." in result.reasons


def test_current_pain_requires_duration() -> None:
    with pytest.raises(WorkerInputError) as info:
        make(current_pain=True)
    assert info.value.fields == ("pain_duration_weeks",)
    assert "required when current_pain is true" in str(info.value)


def test_duration_without_current_pain_is_ignored_and_said_so() -> None:
    result = run(age_years=60, pain_duration_weeks=4)
    assert result.pain_duration_weeks is None
    assert result.pain_duration_class is None
    assert not result.age_red_flag
    assert any("pain_duration_weeks (4) ignored" in r for r in result.reasons)
    with pytest.raises(WorkerInputError):
        make(pain_duration_weeks=-1)  # still an impossible value


@pytest.mark.parametrize(
    ("eases", "returns", "pain", "pattern"),
    [
        (True, True, True, True),
        (True, False, True, False),
        (False, True, True, False),
        (True, True, False, False),
    ],
)
def test_mechanical_pattern_needs_current_pain_and_both_features(
    eases: bool, returns: bool, pain: bool, pattern: bool
) -> None:
    extra: dict[str, Any] = {"pain_duration_weeks": 4} if pain else {}
    result = run(
        current_pain=pain,
        pain_eases_with_movement=eases,
        pain_returns_after_rest=returns,
        **extra,
    )
    assert result.mechanical_pattern is pattern


# --- Yellow flags ------------------------------------------------------------------------------


def test_yellow_flags_report_labels_in_catalogue_order() -> None:
    result = run(yf_activity_harmful_belief=True, yf_low_mood=True)
    assert result.yellow_flags == (
        YELLOW_FLAG_FIELDS["yf_low_mood"],
        YELLOW_FLAG_FIELDS["yf_activity_harmful_belief"],
    )
    assert result.referrals == ()


def test_all_yellow_flags() -> None:
    result = run(**dict.fromkeys(YELLOW_FLAG_FIELDS, True))
    assert result.yellow_flags == tuple(YELLOW_FLAG_FIELDS.values())


def test_yellow_flag_labels_do_not_reuse_start_back_wording() -> None:
    copyrighted_phrases = (
        "not really safe",
        "worrying thoughts",
        "never going to get",
        "enjoyed",
        "terrible",
        "bothersome",
    )
    for label in YELLOW_FLAG_FIELDS.values():
        for phrase in copyrighted_phrases:
            assert phrase not in label.lower()


# --- Red flags ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field", list(RED_FLAG_FIELDS))
def test_each_red_flag_gives_the_right_referral_and_urgency(field: str) -> None:
    result = run(**{field: True})
    assert len(result.referrals) == 1
    referral = result.referrals[0]
    assert RED_FLAG_FIELDS[field] in referral.reason
    assert result.red_flags == (RED_FLAG_FIELDS[field],)
    if field in CAUDA_EQUINA_FIELDS:
        assert referral.code == "red_flag.cauda_equina"
        assert referral.urgency is Urgency.EMERGENCY
        assert "emergency department" in referral.reason
    else:
        assert referral.code == "red_flag.serious_pathology"
        assert referral.urgency is Urgency.URGENT
        assert f"Possible {RED_FLAG_CONDITIONS[field]}" in referral.reason


def test_cauda_equina_signs_give_one_emergency_referral_listing_them() -> None:
    result = run(**dict.fromkeys(CAUDA_EQUINA_FIELDS, True))
    assert codes(result) == ["red_flag.cauda_equina"]
    for field in CAUDA_EQUINA_FIELDS:
        assert RED_FLAG_FIELDS[field] in result.referrals[0].reason


def test_other_red_flags_are_grouped_into_one_urgent_referral() -> None:
    others = [f for f in RED_FLAG_FIELDS if f not in CAUDA_EQUINA_FIELDS]
    result = run(**dict.fromkeys(others, True))
    assert codes(result) == ["red_flag.serious_pathology"]
    reason = result.referrals[0].reason
    for field in others:
        assert RED_FLAG_FIELDS[field] in reason
    for condition in ("cancer", "infection", "fracture", "neurological compromise"):
        assert f"Possible {condition}:" in reason
    assert len(result.red_flags) == len(others)


def test_referrals_are_ordered_emergency_urgent_routine() -> None:
    result = chronic(
        rf_fever=True,
        rf_bladder_bowel_dysfunction=True,
        **dict.fromkeys(ASAS[:4], True),
    )
    assert [(r.code, r.urgency) for r in result.referrals] == [
        ("red_flag.cauda_equina", Urgency.EMERGENCY),
        ("red_flag.serious_pathology", Urgency.URGENT),
        ("inflammatory.consider_referral", Urgency.ROUTINE),
        ("persistent.chronic_review", Urgency.ROUTINE),
    ]
    assert [u.rank for u in Urgency] == [0, 1, 2]
    assert [u.value for u in Urgency] == ["emergency", "urgent", "routine"]


def test_red_flags_refer_even_without_current_pain() -> None:
    assert codes(run(rf_history_of_cancer=True)) == ["red_flag.serious_pathology"]


@pytest.mark.parametrize(
    ("age", "weeks", "flag"),
    [
        (51, 4, True),
        (50, 4, False),
        (19, 4, True),
        (16, 0, True),
        (20, 4, False),
        (35, 4, False),
        (51, 12, True),
        (51, 12.5, False),
        (19, 13, False),
    ],
)
def test_age_red_flag_for_new_onset_pain_over_50_or_under_20(
    age: int, weeks: float, flag: bool
) -> None:
    result = run(age_years=age, current_pain=True, pain_duration_weeks=weeks)
    assert result.age_red_flag is flag
    if flag:
        assert screen_codes(result) == ["red_flag.serious_pathology"]
        label = "at age over 50" if age > 50 else "at age under 20"
        assert label in result.referrals[0].reason
    else:
        assert screen_codes(result) == []


def test_age_red_flag_needs_current_pain() -> None:
    result = run(age_years=70)
    assert not result.age_red_flag
    assert result.referrals == ()


def test_red_flags_change_nothing_but_red_flags_and_referrals() -> None:
    base = chronic(height_cm=170, weight_kg=90, yf_low_mood=True, episodes_last_12_months=2)
    flagged = chronic(
        height_cm=170,
        weight_kg=90,
        yf_low_mood=True,
        episodes_last_12_months=2,
        **dict.fromkeys(RED_FLAG_FIELDS, True),
    )
    ignored = {"red_flags", "referrals", "reasons", "red_flags_not_asked"}
    for field in dataclasses.fields(WorkerResult):
        if field.name not in ignored:
            assert getattr(base, field.name) == getattr(flagged, field.name), field.name


# --- Inflammatory screen: ASAS -----------------------------------------------------------------


@pytest.mark.parametrize(("count", "positive"), [(0, False), (3, False), (4, True), (5, True)])
def test_asas_needs_4_of_5_in_chronic_pain(count: int, positive: bool) -> None:
    result = chronic(**dict.fromkeys(ASAS[:count], True))
    screen = result.inflammatory
    assert screen.asas_applicable
    assert screen.asas_count == count
    assert screen.asas_positive is positive
    assert ("inflammatory.consider_referral" in codes(result)) is positive


@pytest.mark.parametrize("count", [4, 5])
def test_asas_any_four_features_count(count: int) -> None:
    fields = ASAS[-count:]  # a different subset from the head of the list
    assert chronic(**dict.fromkeys(fields, True)).inflammatory.asas_positive


@pytest.mark.parametrize(("weeks", "applicable"), [(12, False), (13, False), (13.1, True)])
def test_asas_applies_only_beyond_3_months(weeks: float, applicable: bool) -> None:
    result = chronic(pain_duration_weeks=weeks, **dict.fromkeys(ASAS, True))
    assert result.inflammatory.asas_applicable is applicable
    assert result.inflammatory.asas_count == 5
    assert result.inflammatory.asas_positive is applicable


def test_asas_not_applied_without_current_pain() -> None:
    result = run(**dict.fromkeys(ASAS, True))
    assert not result.inflammatory.asas_applicable
    assert result.referrals == ()


# --- Inflammatory screen: NICE NG65 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "outcome"),
    [
        (2, Ng65Outcome.NONE),
        (3, Ng65Outcome.HLA_B27),
        (4, Ng65Outcome.REFER),
        (8, Ng65Outcome.REFER),
    ],
)
def test_ng65_outcome_by_feature_count(count: int, outcome: Ng65Outcome) -> None:
    result = chronic(**dict.fromkeys(NG65_FREE[:count], True))
    screen = result.inflammatory
    assert screen.ng65_applicable
    assert screen.ng65_count == count
    assert screen.ng65_outcome is outcome


def test_ng65_three_features_advise_hla_b27_testing() -> None:
    result = chronic(**dict.fromkeys(NG65_FREE[:3], True))
    assert screen_codes(result) == ["inflammatory.consider_referral"]
    referral = result.referrals[0]
    assert referral.urgency is Urgency.ROUTINE
    assert referral.reason.startswith("Possible inflammatory back pain: the worker should see")
    assert "consider an HLA-B27 test and refer to rheumatology if it is positive" in referral.reason
    assert result.pain_class is PainClass.POSSIBLE_INFLAMMATORY


def test_ng65_four_features_consider_referral() -> None:
    result = chronic(**dict.fromkeys(NG65_FREE[:4], True))
    assert screen_codes(result) == ["inflammatory.consider_referral"]
    assert "NICE NG65 referral criteria met (4 of 9: " in result.referrals[0].reason
    assert "HLA-B27" not in result.referrals[0].reason


def test_ng65_two_features_no_referral() -> None:
    result = chronic(**dict.fromkeys(NG65_FREE[:2], True))
    assert screen_codes(result) == []
    assert result.pain_class is PainClass.UNCLASSIFIED


@pytest.mark.parametrize("count", [3, 4])
def test_ng65_not_applied_when_pain_has_not_lasted_over_3_months(count: int) -> None:
    result = chronic(pain_duration_weeks=13, **dict.fromkeys(NG65_FREE[:count], True))
    assert not result.inflammatory.ng65_applicable
    assert result.inflammatory.ng65_count == count
    assert result.inflammatory.ng65_outcome is Ng65Outcome.NONE
    assert screen_codes(result) == []


@pytest.mark.parametrize("count", [3, 4])
def test_ng65_not_applied_when_pain_started_at_45_or_later(count: int) -> None:
    result = chronic(age_years=60, back_pain_onset_age=45, **dict.fromkeys(NG65_FREE[:count], True))
    assert not result.inflammatory.onset_before_45
    assert not result.inflammatory.ng65_applicable
    assert result.inflammatory.ng65_outcome is Ng65Outcome.NONE
    assert screen_codes(result) == []


def test_ng65_applies_when_pain_started_at_44() -> None:
    result = chronic(age_years=60, back_pain_onset_age=44, **dict.fromkeys(NG65_FREE[:4], True))
    assert result.inflammatory.ng65_outcome is Ng65Outcome.REFER


@pytest.mark.parametrize(
    ("age", "weeks", "before_45"),
    [
        (44, 20, True),  # current age under 45: pain must have started before 45
        (45, 20, False),  # could have started at 45
        (45, 53, True),  # began more than a year ago, before age 45 at the latest
        (60, 52 * 20, True),  # 20 years of pain at 60: began by 41
        (60, 20, False),  # unknown onset, recent episode
    ],
)
def test_ng65_onset_before_45_derived_from_age_and_duration_when_onset_age_unknown(
    age: int, weeks: float, before_45: bool
) -> None:
    result = chronic(age_years=age, pain_duration_weeks=weeks, **dict.fromkeys(NG65_FREE[:4], True))
    assert result.inflammatory.onset_before_45 is before_45
    expected = Ng65Outcome.REFER if before_45 else Ng65Outcome.NONE
    assert result.inflammatory.ng65_outcome is expected


def test_onset_features_establish_onset_before_45() -> None:
    result = chronic(
        age_years=60,
        asas_onset_before_40=True,
        ng65_started_before_35=True,
        **dict.fromkeys(NG65_FREE[:3], True),
    )
    assert result.inflammatory.onset_before_45
    assert result.inflammatory.ng65_count == 4
    assert result.inflammatory.ng65_outcome is Ng65Outcome.REFER


def test_asas_positive_with_three_ng65_features_gives_one_referral_mentioning_both() -> None:
    result = chronic(**(dict.fromkeys(ASAS[1:5], True) | dict.fromkeys(NG65_FREE[:1], True)))
    assert result.inflammatory.ng65_count == 3  # buttock pain, night pain, eases with movement
    assert screen_codes(result) == ["inflammatory.consider_referral"]
    reason = result.referrals[0].reason
    assert "ASAS criteria met (4 of 5: " in reason
    assert "NICE NG65: 3 of 9 features" in reason


def test_pattern_overlap_flags_mechanical_pattern_where_ng65_applies() -> None:
    pattern = {"pain_eases_with_movement": True, "pain_returns_after_rest": True}
    assert chronic(**pattern).inflammatory.pattern_overlap
    assert not chronic(pain_duration_weeks=8, **pattern).inflammatory.pattern_overlap
    assert not chronic().inflammatory.pattern_overlap


# --- Onset consistency and other validation ----------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"back_pain_onset_age": 42, "asas_onset_before_40": True}, "asas_onset_before_40"),
        (
            {
                "back_pain_onset_age": 36,
                "asas_onset_before_40": True,
                "ng65_started_before_35": True,
            },
            "ng65_started_before_35",
        ),
        ({"age_years": 40, "back_pain_onset_age": 41}, "back_pain_onset_age"),
        (
            {"age_years": 50, "back_pain_onset_age": 50, "pain_duration_weeks": 104},
            "back_pain_onset_age",
        ),
    ],
)
def test_contradictory_onset_answers_are_errors(overrides: dict[str, Any], fields: str) -> None:
    values: dict[str, Any] = {"age_years": 50, "current_pain": True, "pain_duration_weeks": 20}
    values.update(overrides)
    with pytest.raises(WorkerInputError) as info:
        make(**values)
    assert fields in info.value.fields
    assert fields in str(info.value)


def test_consistent_onset_answers_are_accepted() -> None:
    chronic(back_pain_onset_age=30, asas_onset_before_40=True, ng65_started_before_35=True)
    chronic(age_years=50, back_pain_onset_age=36, asas_onset_before_40=True)
    chronic(age_years=50, back_pain_onset_age=40)


def test_contradicting_onset_message() -> None:
    with pytest.raises(WorkerInputError) as info:
        make(age_years=50, asas_onset_before_40=True, back_pain_onset_age=42)
    assert str(info.value) == (
        "asas_onset_before_40: true, but back_pain_onset_age is 42 years (not before 40)"
    )


@pytest.mark.parametrize(
    ("overrides", "asas_derived", "ng65_derived"),
    [
        ({"back_pain_onset_age": 31}, True, True),
        ({"back_pain_onset_age": 36}, True, False),
        ({"back_pain_onset_age": 40}, False, False),
        ({"age_years": 34}, True, True),  # current pain at 34: it started before 35
        ({"age_years": 39}, True, False),
        ({"ng65_started_before_35": True}, True, False),
        ({"asas_onset_before_40": True, "ng65_started_before_35": True}, False, False),
    ],
)
def test_onset_features_implied_by_ages_are_counted(
    overrides: dict[str, Any], asas_derived: bool, ng65_derived: bool
) -> None:
    values: dict[str, Any] = {"age_years": 50}
    values.update(overrides)
    screen = chronic(**values).inflammatory
    asas_label = ASAS_FIELDS["asas_onset_before_40"]
    ng65_label = NG65_FIELDS["ng65_started_before_35"]
    assert (asas_label in screen.derived_features) is asas_derived
    assert (ng65_label in screen.derived_features) is ng65_derived
    ticked = [f for f in ("asas_onset_before_40", "ng65_started_before_35") if overrides.get(f)]
    assert screen.asas_count == int(asas_derived) + int("asas_onset_before_40" in ticked)
    assert screen.ng65_count == int(ng65_derived) + int("ng65_started_before_35" in ticked)
    for label in screen.derived_features:
        assert any(r.startswith(f"{label}: counted from") for r in screen.reasons)


def test_derived_onset_features_can_complete_the_ng65_rule() -> None:
    # A 30-year-old with 20 weeks of pain: "started before 35" is certain, so three ticked
    # features make four.
    result = chronic(age_years=30, **dict.fromkeys(NG65_FREE[:3], True))
    assert result.inflammatory.ng65_count == 4
    assert result.inflammatory.ng65_outcome is Ng65Outcome.REFER


def test_onset_features_not_derived_without_current_pain() -> None:
    screen = run(age_years=25).inflammatory
    assert screen.derived_features == ()
    assert screen.asas_count == 0


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("age_years", 15, "age_years: 15 years is outside the allowed range 16-100 years"),
        ("age_years", 101, "age_years"),
        ("age_years", 40.5, "whole number"),
        ("age_years", True, "whole number"),
        ("height_cm", 99, "height_cm: 99 cm is outside the allowed range 100-250 cm"),
        ("height_cm", 251, "height_cm"),
        ("weight_kg", 29, "weight_kg: 29 kg is outside the allowed range 30-350 kg"),
        ("weight_kg", 351, "weight_kg"),
        ("weight_kg", math.nan, "not a finite number"),
        ("bmi", 11.9, "bmi: 11.9 kg/m² is outside the allowed range 12-80 kg/m²"),
        ("bmi", 80.1, "bmi"),
        ("episodes_last_12_months", -1, "0-52 episodes"),
        ("episodes_last_12_months", 53, "episodes_last_12_months"),
        ("pain_intensity", 11, "pain_intensity: 11 is outside the allowed range 0-10"),
        ("pain_intensity", -1, "pain_intensity"),
        ("rf_fever", "maybe", 'rf_fever: expected "yes", "no" or "not_asked"'),
        ("yf_low_mood", 1, "yf_low_mood"),
        ("current_pain", None, "current_pain"),
    ],
)
def test_invalid_values_name_the_field_and_range(field: str, value: Any, fragment: str) -> None:
    with pytest.raises(WorkerInputError) as info:
        make(**{field: value})
    assert fragment in str(info.value)
    assert field in info.value.fields
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("weeks", [-1, math.inf, 52 * 42])
def test_impossible_pain_duration_is_an_error(weeks: float) -> None:
    with pytest.raises(WorkerInputError) as info:
        make(age_years=40, current_pain=True, pain_duration_weeks=weeks)
    assert "pain_duration_weeks" in info.value.fields


def test_input_limits_are_accepted() -> None:
    run(age_years=16, height_cm=100, weight_kg=30)  # BMI 30.0
    run(age_years=100, bmi=12)
    run(bmi=80, episodes_last_12_months=52, pain_intensity=10)


# --- Catalogues --------------------------------------------------------------------------------


def test_catalogue_keys_are_input_fields_with_false_defaults() -> None:
    defaults = {f.name: f.default for f in dataclasses.fields(WorkerInput)}
    for catalogue in (YELLOW_FLAG_FIELDS, ASAS_FIELDS, NG65_FIELDS):
        for key in catalogue:
            assert defaults[key] is False
    for key in RED_FLAG_FIELDS:
        assert defaults[key] is Answer.NOT_ASKED
    assert set(CAUDA_EQUINA_FIELDS) <= set(RED_FLAG_FIELDS)
    assert set(RED_FLAG_CONDITIONS) == set(RED_FLAG_FIELDS)
    assert len(ASAS_FIELDS) + len(ASAS_PATTERN_FEATURES) == 5
    assert len(NG65_FIELDS) + len(NG65_PATTERN_FEATURES) == 9
    assert len(RED_FLAG_FIELDS) == 13
    assert set(ASAS_PATTERN_FEATURES) | set(NG65_PATTERN_FEATURES) <= set(PATTERN_FIELDS)


def test_catalogues_are_read_only() -> None:
    with pytest.raises(TypeError):
        RED_FLAG_FIELDS["rf_new"] = "x"  # type: ignore[index]


def test_inflammatory_fields_list_asas_then_ng65() -> None:
    from assessments.scoring.worker import INFLAMMATORY_FIELDS

    assert list(INFLAMMATORY_FIELDS) == [*ASAS_FIELDS, *NG65_FIELDS]
    assert INFLAMMATORY_FIELDS["ng65_buttock_pain"] == "Buttock pain"


def test_errors_are_shared_input_errors_with_the_field_as_path() -> None:
    from assessments.scoring.errors import InputError

    with pytest.raises(InputError) as info:
        make(height_cm=175, weight_kg=85, bmi=28.3)
    error = info.value
    assert isinstance(error, WorkerInputError)
    assert error.path == "bmi"
    assert str(error) == f"bmi: {error.message}"
    assert error.message.startswith("the entered BMI 28.3 kg/m² disagrees")
    assert error.within("worker").path == "worker.bmi"


# --- The pain-pattern screen (issue: one screen, each question asked once) --------------------


def test_asas_positive_pain_recorded_through_the_pattern_questions_alone_is_not_mechanical() -> (
    None
):
    """A 30-year-old, 20 weeks of pain that came on gradually, eases with movement, is not
    eased by rest, and wakes them in the second half of the night: ASAS 5 of 5 (onset under
    40 follows from the age) and NG65 3 of 9, from the pattern questions and the onset only."""
    result = chronic(
        age_years=30,
        asas_insidious_onset=True,
        pain_eases_with_movement=True,
        pain_returns_after_rest=True,
        night_pain_eases_on_rising=True,
        morning_stiffness_minutes=45,
    )
    assert result.inflammatory.asas_count == 5 and result.inflammatory.asas_positive
    assert result.inflammatory.ng65_outcome is Ng65Outcome.HLA_B27
    assert result.pain_class is PainClass.POSSIBLE_INFLAMMATORY
    assert not result.mechanical_pattern
    assert screen_codes(result) == ["inflammatory.consider_referral"]
    assert result.pain_class_criteria[-1] == "stiffness on waking 45 minutes (more than 30)"
    assert result.pain_class_criteria[0].startswith("ASAS 5 of 5: Age at onset under 40; ")


def test_pattern_without_inflammatory_criteria_is_mechanical() -> None:
    result = run(
        current_pain=True,
        pain_duration_weeks=3,
        pain_eases_with_movement=True,
        pain_returns_after_rest=True,
    )
    assert result.pain_class is PainClass.MECHANICAL
    assert result.mechanical_pattern
    assert result.pain_class_criteria == (
        "Pain eases with movement or exercise",
        "Rest does not ease the pain: it comes back or gets worse after rest or sitting",
    )


def test_pain_without_a_pattern_is_unclassified_and_no_pain_has_no_class() -> None:
    assert run(current_pain=True, pain_duration_weeks=3).pain_class is PainClass.UNCLASSIFIED
    assert run().pain_class is None


def test_ng65_three_feature_route_under_45_with_over_3_months_is_possible_inflammatory() -> None:
    result = chronic(ng65_buttock_pain=True, ng65_psoriasis=True, ng65_enthesitis=True)
    assert result.inflammatory.ng65_outcome is Ng65Outcome.HLA_B27
    assert result.pain_class is PainClass.POSSIBLE_INFLAMMATORY


# --- Persistent pain (NICE NG59) ----------------------------------------------------------------


def test_eight_weeks_of_pain_gets_a_subacute_review() -> None:
    result = run(current_pain=True, pain_duration_weeks=8)
    assert codes(result) == ["persistent.subacute_review"]
    reason = result.referrals[0].reason
    assert reason.startswith("Back pain for 8 weeks (past 6 weeks, subacute): arrange a review")
    assert "GP or a physiotherapist" in reason and "exercise programme" in reason
    assert "medication" not in reason.lower()


@pytest.mark.parametrize(("weeks", "expected"), [(5.9, []), (6, ["persistent.subacute_review"])])
def test_review_starts_at_six_weeks(weeks: float, expected: list[str]) -> None:
    assert codes(run(current_pain=True, pain_duration_weeks=weeks)) == expected


def test_chronic_pain_gets_a_review_and_with_yellow_flags_a_combined_programme() -> None:
    assert codes(chronic(age_years=60)) == ["persistent.chronic_review"]
    combined = chronic(age_years=60, yf_activity_harmful_belief=True)
    assert codes(combined) == ["persistent.combined_programme"]
    assert "combined physical and psychological programme" in combined.referrals[0].reason


# --- Red flags: yes / no / not asked -------------------------------------------------------------


def test_red_flags_default_to_not_asked_and_not_asked_is_not_no() -> None:
    result = run()
    assert len(result.red_flags_not_asked) == 13
    assert result.red_flags == ()
    answered = run(**dict.fromkeys(RED_FLAG_FIELDS, False))
    assert answered.red_flags_not_asked == ()


def test_the_reason_red_flags_were_not_asked_is_kept_while_any_is_not_asked() -> None:
    result = run(red_flags_not_asked_reason="  Interpreter not available  ")
    assert result.red_flags_not_asked_reason == "Interpreter not available"
    assert any("Interpreter not available" in reason for reason in result.reasons)
    asked = run(red_flags_not_asked_reason="x", **dict.fromkeys(RED_FLAG_FIELDS, False))
    assert asked.red_flags_not_asked_reason == ""
