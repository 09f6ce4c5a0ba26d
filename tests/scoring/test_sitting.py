"""Sitting time and activity: OSPAQ-style hours, Buckley et al. 2015 goals, WHO 2020 guidelines."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring.sitting import (
    ExposureLevel,
    SittingInput,
    SittingInputError,
    activity_level,
    score,
    sedentary_level,
)


def make(**overrides: Any) -> SittingInput:
    values: dict[str, Any] = {
        "hours_worked_per_day": 8,
        "pct_sitting": 50,
        "pct_standing": 30,
        "pct_walking": 20,
        "pct_heavy": 0,
        "longest_sitting_bout_minutes": 45,
        "sit_stand_desk_available": False,
        "sit_stand_desk_used": False,
        "moderate_minutes_per_week": 150,
        "vigorous_minutes_per_week": 0,
        "strengthening_days_per_week": 2,
    }
    values.update(overrides)
    return SittingInput(**values)


def with_sitting(hours: float, pct_sitting: float) -> SittingInput:
    """A day with the given sitting share and the rest spent standing."""
    return make(
        hours_worked_per_day=hours,
        pct_sitting=pct_sitting,
        pct_standing=100 - pct_sitting,
        pct_walking=0,
        longest_sitting_bout_minutes=0,
    )


# --- Worked examples (also in docs/scoring.md) -----------------------------------------


def test_worked_example_full_time_office_worker() -> None:
    result = score(
        make(
            hours_worked_per_day=8,
            pct_sitting=75,
            pct_standing=15,
            pct_walking=10,
            pct_heavy=0,
            longest_sitting_bout_minutes=90,
            sit_stand_desk_available=True,
            sit_stand_desk_used=False,
            moderate_minutes_per_week=60,
            vigorous_minutes_per_week=20,
            strengthening_days_per_week=1,
        )
    )
    assert result.sitting_hours == 6.0
    assert result.standing_hours == 1.2
    assert result.walking_hours == 0.8
    assert result.heavy_hours == 0.0
    assert result.standing_light_hours == 2.0
    assert result.prorate_factor == 1.0
    assert (result.goal_initial_hours, result.goal_progressed_hours) == (2.0, 4.0)
    assert result.gap_to_initial_goal_hours == 0.0
    assert result.gap_to_progressed_goal_hours == 2.0
    assert result.meets_initial_goal and not result.meets_progressed_goal
    assert result.moderate_equivalent_minutes == 100.0
    assert not result.meets_aerobic_guideline
    assert not result.meets_strengthening_guideline
    assert result.sedentary_exposure is ExposureLevel.HIGH
    assert result.activity_exposure is ExposureLevel.MODERATE
    assert result.bout_over_60_min
    assert result.sitting_over_5_hours
    assert result.sit_stand_desk_unused
    assert result.reasons == (
        *result.sedentary_reasons,
        *result.goal_reasons,
        *result.activity_reasons,
    )
    assert result.sedentary_reasons[0] == (
        "Sits 6.0 h of the 8.0 h workday (75 % sitting): high sedentary exposure "
        "(6 to under 8 h/day)."
    )
    assert any("da Silva et al. 2019" in r for r in result.sedentary_reasons)
    assert any("90 min is over 60 min" in r for r in result.sedentary_reasons)
    assert "A sit-stand desk is available but not used." in result.goal_reasons
    assert result.activity_reasons[0] == (
        "Moderate-equivalent activity 100 min/week (60 moderate + 2 × 20 vigorous) is below "
        "the WHO 2020 minimum of 150 min/week: moderate inactivity exposure "
        "(75 to under 150 min/week)."
    )


def test_worked_example_part_time_day_prorates_goals() -> None:
    result = score(
        make(
            hours_worked_per_day=5,
            pct_sitting=90,
            pct_standing=10,
            pct_walking=0,
            pct_heavy=0,
            longest_sitting_bout_minutes=60,
        )
    )
    assert result.sitting_hours == 4.5
    assert result.standing_light_hours == 0.5
    assert result.prorate_factor == 0.625
    assert (result.goal_initial_hours, result.goal_progressed_hours) == (1.25, 2.5)
    assert result.gap_to_initial_goal_hours == 0.75
    assert result.gap_to_progressed_goal_hours == 2.0
    assert result.sedentary_exposure is ExposureLevel.MODERATE
    assert not result.bout_over_60_min
    assert not result.sitting_over_5_hours
    assert result.goal_reasons[0] == (
        "Goals prorated for a 5.0 h workday: 5.0/8 × 2 h = 1.25 h and 5.0/8 × 4 h = 2.5 h."
    )


# --- Prorating ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "initial", "progressed"),
    [
        (4, 1.0, 2.0),
        (6, 1.5, 3.0),
        (7.5, 1.875, 3.75),
        (7.99, 1.9975, 3.995),
        (8, 2.0, 4.0),
        (10, 2.0, 4.0),
        (12, 2.0, 4.0),
        (24, 2.0, 4.0),
    ],
)
def test_goals_prorated_below_8_hours_and_never_scaled_above(
    hours: float, initial: float, progressed: float
) -> None:
    result = score(with_sitting(hours, 50))
    assert result.goal_initial_hours == pytest.approx(initial, abs=1e-9)
    assert result.goal_progressed_hours == pytest.approx(progressed, abs=1e-9)


def test_no_prorating_reason_for_full_time_day() -> None:
    assert not any("prorated" in r for r in score(with_sitting(8, 50)).goal_reasons)


def test_gap_is_zero_when_goal_exceeded() -> None:
    result = score(with_sitting(8, 40))  # 4.8 h standing
    assert result.standing_light_hours == 4.8
    assert result.gap_to_initial_goal_hours == 0.0
    assert result.gap_to_progressed_goal_hours == 0.0
    assert result.meets_progressed_goal


def test_heavy_labour_is_not_standing_or_light_activity() -> None:
    result = score(
        make(pct_sitting=50, pct_standing=10, pct_walking=10, pct_heavy=30, hours_worked_per_day=8)
    )
    assert result.heavy_hours == 2.4
    assert result.standing_light_hours == 1.6
    assert result.gap_to_initial_goal_hours == pytest.approx(0.4)
    assert any("Heavy labour (2.4 h/day)" in r for r in result.goal_reasons)


# --- Sedentary exposure ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "level"),
    [
        (0.0, ExposureLevel.LOW),
        (3.99, ExposureLevel.LOW),
        (4.0, ExposureLevel.MODERATE),
        (5.99, ExposureLevel.MODERATE),
        (6.0, ExposureLevel.HIGH),
        (7.99, ExposureLevel.HIGH),
        (8.0, ExposureLevel.VERY_HIGH),
        (24.0, ExposureLevel.VERY_HIGH),
    ],
)
def test_sedentary_level_boundaries(hours: float, level: ExposureLevel) -> None:
    assert sedentary_level(hours) is level


@pytest.mark.parametrize(
    ("hours", "pct", "level"),
    [
        (10, 39.9, ExposureLevel.LOW),
        (10, 40, ExposureLevel.MODERATE),
        (10, 59.9, ExposureLevel.MODERATE),
        (10, 60, ExposureLevel.HIGH),
        (7.5, 80, ExposureLevel.HIGH),  # 6.0 h exactly
        (10, 79.9, ExposureLevel.HIGH),
        (10, 80, ExposureLevel.VERY_HIGH),
        (8, 100, ExposureLevel.VERY_HIGH),
        (8, 70, ExposureLevel.MODERATE),  # 5.6 h: no floating-point drift above the band
    ],
)
def test_sedentary_level_from_sitting_percentage(
    hours: float, pct: float, level: ExposureLevel
) -> None:
    assert score(with_sitting(hours, pct)).sedentary_exposure is level


@pytest.mark.parametrize(("pct", "over"), [(62.5, False), (63, True)])
def test_recurrence_threshold_is_more_than_5_hours(pct: float, over: bool) -> None:
    result = score(with_sitting(8, pct))  # 5.0 h / 5.04 h
    assert result.sitting_over_5_hours is over
    assert any("da Silva et al. 2019" in r for r in result.sedentary_reasons) is over


@pytest.mark.parametrize(("bout", "over"), [(0, False), (60, False), (60.5, True), (61, True)])
def test_bout_over_60_minutes(bout: float, over: bool) -> None:
    result = score(make(longest_sitting_bout_minutes=bout))
    assert result.bout_over_60_min is over
    assert result.longest_sitting_bout_minutes == bout
    assert any("HSE" in r for r in result.sedentary_reasons)


def test_exposure_level_rank_orders_levels() -> None:
    assert [level.rank for level in ExposureLevel] == [0, 1, 2, 3]
    assert [level.value for level in ExposureLevel] == ["low", "moderate", "high", "very_high"]


# --- Activity ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moderate", "vigorous", "equivalent", "level", "meets"),
    [
        (150, 0, 150, ExposureLevel.LOW, True),
        (0, 75, 150, ExposureLevel.LOW, True),
        (149, 0, 149, ExposureLevel.MODERATE, False),
        (100, 25, 150, ExposureLevel.LOW, True),
        (75, 0, 75, ExposureLevel.MODERATE, False),
        (74, 0, 74, ExposureLevel.HIGH, False),
        (0, 37, 74, ExposureLevel.HIGH, False),
        (1, 0, 1, ExposureLevel.HIGH, False),
        (0.5, 0, 0.5, ExposureLevel.HIGH, False),
        (0, 0, 0, ExposureLevel.VERY_HIGH, False),
    ],
)
def test_activity_levels_from_moderate_equivalent_minutes(
    moderate: float, vigorous: float, equivalent: float, level: ExposureLevel, meets: bool
) -> None:
    result = score(make(moderate_minutes_per_week=moderate, vigorous_minutes_per_week=vigorous))
    assert result.moderate_equivalent_minutes == equivalent
    assert result.activity_exposure is level
    assert activity_level(equivalent) is level
    assert result.meets_aerobic_guideline is meets


@pytest.mark.parametrize(("minutes", "upper"), [(299, False), (300, True), (600, True)])
def test_upper_end_of_who_range(minutes: float, upper: bool) -> None:
    result = score(make(moderate_minutes_per_week=minutes))
    assert result.reaches_aerobic_upper_range is upper
    phrase = "at or above the top of the WHO 2020 range" if upper else "within the WHO 2020 range"
    assert phrase in result.activity_reasons[0]


@pytest.mark.parametrize(("days", "meets"), [(0, False), (1, False), (2, True), (7, True)])
def test_strengthening_guideline_two_days(days: int, meets: bool) -> None:
    result = score(make(strengthening_days_per_week=days))
    assert result.meets_strengthening_guideline is meets
    assert result.strengthening_days_per_week == days


# --- Sit-stand desk ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "used", "unused_flag"),
    [(False, False, False), (True, False, True), (True, True, False)],
)
def test_sit_stand_desk_unused_flag(available: bool, used: bool, unused_flag: bool) -> None:
    result = score(make(sit_stand_desk_available=available, sit_stand_desk_used=used))
    assert result.sit_stand_desk_unused is unused_flag
    assert (result.sit_stand_desk_available, result.sit_stand_desk_used) == (available, used)


def test_desk_used_without_being_available_is_an_error() -> None:
    with pytest.raises(SittingInputError) as info:
        make(sit_stand_desk_available=False, sit_stand_desk_used=True)
    assert info.value.fields == ("sit_stand_desk_used", "sit_stand_desk_available")
    assert "sit_stand_desk_available" in str(info.value)


# --- Validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pcts", "shown_sum"),
    [
        ((50, 30, 19, 0), "99"),
        ((50, 30, 20, 0.6), "100.6"),
        ((0, 0, 0, 0), "0"),
        ((60, 60, 0, 0), "120"),
    ],
)
def test_percentages_not_adding_to_100_name_fields_and_sum(
    pcts: tuple[float, ...], shown_sum: str
) -> None:
    names = ("pct_sitting", "pct_standing", "pct_walking", "pct_heavy")
    with pytest.raises(SittingInputError) as info:
        make(**dict(zip(names, pcts, strict=True)))
    message = str(info.value)
    for name in names:
        assert name in message
    assert f"add to {shown_sum} %" in message
    assert info.value.fields == names


@pytest.mark.parametrize("pcts", [(50, 30, 19.5, 0), (50, 30, 20, 0.5), (33.3, 33.3, 33.3, 0)])
def test_percentages_within_half_a_point_of_100_are_accepted(pcts: tuple[float, ...]) -> None:
    names = ("pct_sitting", "pct_standing", "pct_walking", "pct_heavy")
    score(make(**dict(zip(names, pcts, strict=True))))


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("hours_worked_per_day", 0, "hours_worked_per_day: 0 h"),
        ("hours_worked_per_day", -1, "hours_worked_per_day"),
        ("hours_worked_per_day", 24.5, "at most 24 h"),
        ("hours_worked_per_day", math.nan, "not a finite number"),
        ("hours_worked_per_day", math.inf, "not a finite number"),
        ("hours_worked_per_day", True, "expected a number"),
        ("hours_worked_per_day", "8", "expected a number"),
        ("pct_sitting", -1, "pct_sitting: -1 % is outside the allowed range 0-100 %"),
        ("pct_sitting", 101, "pct_sitting: 101 %"),
        ("longest_sitting_bout_minutes", -5, "negative"),
        ("moderate_minutes_per_week", -1, "moderate_minutes_per_week: -1 min/week"),
        ("moderate_minutes_per_week", 5041, "0-5040 min/week"),
        ("vigorous_minutes_per_week", 5041, "vigorous_minutes_per_week"),
        ("strengthening_days_per_week", 8, "strengthening_days_per_week: 8 days"),
        ("strengthening_days_per_week", -1, "0-7"),
        ("strengthening_days_per_week", 2.0, "whole number"),
        ("sit_stand_desk_available", 1, "expected true or false"),
    ],
)
def test_invalid_values_name_the_field_and_range(field: str, value: Any, fragment: str) -> None:
    with pytest.raises(SittingInputError) as info:
        make(**{field: value})
    assert fragment in str(info.value)
    assert field in info.value.fields
    assert isinstance(info.value, ValueError)


def test_limits_themselves_are_accepted() -> None:
    score(
        make(
            hours_worked_per_day=24, moderate_minutes_per_week=5040, vigorous_minutes_per_week=5040
        )
    )
    score(make(strengthening_days_per_week=0))
    score(make(strengthening_days_per_week=7))


def test_sitting_bout_cannot_exceed_daily_sitting_time() -> None:
    # 50 % of 8 h = 240 min sitting.
    score(make(longest_sitting_bout_minutes=240))
    with pytest.raises(SittingInputError) as info:
        make(longest_sitting_bout_minutes=241)
    assert "241 min is more than the 240 min sitting per workday" in str(info.value)
    assert "longest_sitting_bout_minutes" in info.value.fields


def test_no_sitting_allows_only_a_zero_bout() -> None:
    assert score(with_sitting(8, 0)).sedentary_exposure is ExposureLevel.LOW
    with pytest.raises(SittingInputError):
        make(pct_sitting=0, pct_standing=80, longest_sitting_bout_minutes=1)


def test_result_is_frozen() -> None:
    result = score(make())
    with pytest.raises(AttributeError):
        result.sitting_hours = 1.0  # type: ignore[misc]


# --- Properties --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    hours=st.floats(min_value=0.5, max_value=24),
    a=st.floats(min_value=0, max_value=100),
    b=st.floats(min_value=0, max_value=100),
)
def test_sedentary_level_never_falls_as_sitting_percentage_rises(
    hours: float, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    less, more = score(with_sitting(hours, low)), score(with_sitting(hours, high))
    assert less.sedentary_exposure.rank <= more.sedentary_exposure.rank
    assert less.sitting_hours <= more.sitting_hours
    assert less.standing_light_hours >= more.standing_light_hours
    assert less.gap_to_initial_goal_hours <= more.gap_to_initial_goal_hours


@settings(max_examples=60, deadline=None)
@given(
    moderate=st.floats(min_value=0, max_value=5040),
    vigorous=st.floats(min_value=0, max_value=5040),
    extra=st.floats(min_value=0, max_value=500),
)
def test_activity_level_never_worsens_with_more_activity(
    moderate: float, vigorous: float, extra: float
) -> None:
    base = score(make(moderate_minutes_per_week=moderate, vigorous_minutes_per_week=vigorous))
    more = score(
        make(
            moderate_minutes_per_week=min(5040.0, moderate + extra),
            vigorous_minutes_per_week=vigorous,
        )
    )
    assert more.activity_exposure.rank <= base.activity_exposure.rank
    assert base.moderate_equivalent_minutes == pytest.approx(moderate + 2 * vigorous, abs=1e-6)


def test_errors_are_shared_input_errors_with_the_field_as_path() -> None:
    from assessments.scoring.errors import InputError

    with pytest.raises(InputError) as info:
        make(pct_sitting=50, pct_standing=30, pct_walking=19, pct_heavy=0)
    error = info.value
    assert isinstance(error, SittingInputError)
    assert error.path == "pct_sitting"
    assert str(error) == (
        "pct_sitting: pct_sitting + pct_standing + pct_walking + pct_heavy add to 99 %; "
        "the four percentages of the working day must add to 100 % (± 0.5)"
    )
    assert error.within("sitting").path == "sitting.pct_sitting"
