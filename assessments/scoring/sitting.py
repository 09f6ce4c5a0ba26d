"""Sitting time and physical activity: occupational sitting exposure and activity guidelines.

Inputs follow the Occupational Sitting and Physical Activity Questionnaire (OSPAQ, Chau et al.
2012): hours worked per day and the percentage of the working day spent sitting, standing,
walking and in heavy labour (the four add to 100 %). To these we add the usual longest
uninterrupted sitting bout, whether a sit-stand desk is available and used, and the weekly
leisure and work activity needed to compare with the WHO 2020 guidelines.

Outputs, each with the reasons a report needs:

* hours per workday sitting, standing, walking and in heavy labour;
* standing and light activity at work (standing + walking) against the expert-statement goal
  of 2 h/day, progressing to 4 h/day, prorated for part-time hours (Buckley et al. 2015);
* moderate-equivalent minutes per week (moderate + 2 x vigorous) against WHO 2020
  (150-300 min/week) and muscle-strengthening days against WHO 2020 (>= 2 days/week);
* a sedentary exposure level from daily sitting hours and an activity exposure level from
  moderate-equivalent minutes, plus the flags that recommendations act on (sitting bout over
  60 min, sit-stand desk available but not used).

Sitting is treated as a modest, recurrence-relevant factor for low back pain (da Silva et al.
2019: more than 5 h/day predicted recurrence), not as a strong independent cause; breaking up
sitting is recommended mainly on cardiometabolic grounds (Buckley et al. 2015; WHO 2020).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from assessments.scoring.errors import InputError

__all__ = [
    "BOUT_LIMIT_MINUTES",
    "FULL_TIME_REFERENCE_HOURS",
    "HOURS_WORKED_MAX",
    "INITIAL_GOAL_HOURS",
    "ITEM_LABELS",
    "MAX_WEEKLY_MINUTES",
    "PERCENT_TOLERANCE",
    "PROGRESSED_GOAL_HOURS",
    "RECURRENCE_SITTING_HOURS",
    "STRENGTHENING_DAYS_GUIDELINE",
    "STRENGTHENING_DAYS_MAX",
    "WHO_AEROBIC_MINIMUM",
    "WHO_AEROBIC_UPPER",
    "ExposureLevel",
    "SittingInput",
    "SittingInputError",
    "SittingResult",
    "activity_level",
    "score",
    "sedentary_level",
]

# --- Method constants -------------------------------------------------------------------------

#: Full-time reference workday for prorating the Buckley et al. (2015) goals. The expert
#: statement says "prorated for part-time hours" without defining full time; we take 8 h.
FULL_TIME_REFERENCE_HOURS = 8.0
#: Buckley et al. 2015: initially accumulate 2 h/day of standing and light activity at work...
INITIAL_GOAL_HOURS = 2.0
#: ...eventually progressing to 4 h/day.
PROGRESSED_GOAL_HOURS = 4.0
#: WHO 2020: 150-300 min/week of moderate-intensity activity (or the vigorous equivalent).
WHO_AEROBIC_MINIMUM = 150.0
WHO_AEROBIC_UPPER = 300.0
#: WHO 2020: muscle-strengthening activities on 2 or more days a week.
STRENGTHENING_DAYS_GUIDELINE = 2
#: HSE DSE break guidance: a 5-10 min break after 50-60 min of continuous screen work.
BOUT_LIMIT_MINUTES = 60.0
#: da Silva et al. 2019: sitting more than 5 h/day predicted recurrence of low back pain.
RECURRENCE_SITTING_HOURS = 5.0
#: The four OSPAQ percentages must add to 100 within this tolerance (rounding of answers).
PERCENT_TOLERANCE = 0.5
#: 12 h/day x 7 days: the most activity minutes per week we accept as a plausible answer.
MAX_WEEKLY_MINUTES = 5040.0
#: A working day is more than 0 h and at most the hours in a day.
HOURS_WORKED_MAX = 24.0
#: Muscle-strengthening days are counted per week.
STRENGTHENING_DAYS_MAX = 7

_PCT_FIELDS = ("pct_sitting", "pct_standing", "pct_walking", "pct_heavy")


class SittingInputError(InputError):
    """Invalid sitting/activity input.

    ``path`` is the field at fault (the first of ``fields``); ``fields`` names every field the
    message involves, so a form can mark each of them. ``str()`` is "path: message".
    """

    def __init__(self, fields: str | tuple[str, ...], message: str) -> None:
        self.fields: tuple[str, ...] = (fields,) if isinstance(fields, str) else fields
        super().__init__(self.fields[0], message)


class ExposureLevel(StrEnum):
    """Ordered exposure level. ``rank`` runs 0 (low) to 3 (very high)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def rank(self) -> int:
        return _LEVEL_ORDER.index(self)


_LEVEL_ORDER: tuple[ExposureLevel, ...] = (
    ExposureLevel.LOW,
    ExposureLevel.MODERATE,
    ExposureLevel.HIGH,
    ExposureLevel.VERY_HIGH,
)


class SittingLocation(StrEnum):
    """Where the sitting happens (scoring 1.1): the advice differs (a driver is not offered a
    sit-stand desk)."""

    DESK = "desk"
    VEHICLE = "vehicle"
    MACHINE = "machine"
    """At a machine or in a control room."""


# --- Input ------------------------------------------------------------------------------------


def _number(field: str, value: object) -> float:
    """Return ``value`` as a finite float, or raise naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SittingInputError(field, f"expected a number, got {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise SittingInputError(field, f"{value!r} is not a finite number")
    return result


def _in_range(field: str, value: object, low: float, high: float, unit: str) -> float:
    number = _number(field, value)
    if not low <= number <= high:
        raise SittingInputError(
            field, f"{number:g}{unit} is outside the allowed range {low:g}-{high:g}{unit}"
        )
    return number


_GROUP: Final = "Sitting and activity"

#: The numbers an assessor must answer, each with its group and label for the "not answered"
#: messages, in the form's order.
ITEM_LABELS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "hours_worked_per_day": (_GROUP, "hours worked per day"),
        "pct_sitting": (_GROUP, "% of the workday sitting"),
        "pct_standing": (_GROUP, "% standing"),
        "pct_walking": (_GROUP, "% walking"),
        "pct_heavy": (_GROUP, "% heavy labour"),
        "longest_sitting_bout_minutes": (_GROUP, "longest uninterrupted sitting"),
        "moderate_minutes_per_week": (_GROUP, "moderate activity minutes per week"),
        "vigorous_minutes_per_week": (_GROUP, "vigorous activity minutes per week"),
        "strengthening_days_per_week": (_GROUP, "muscle-strengthening days per week"),
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SittingInput:
    """What the worker reports about a usual working day and a usual week.

    The percentages are of the working day (OSPAQ); activity minutes are per week and include
    work and leisure (WHO 2020 counts all domains).
    """

    hours_worked_per_day: float
    pct_sitting: float
    pct_standing: float
    pct_walking: float
    pct_heavy: float
    longest_sitting_bout_minutes: float
    sit_stand_desk_available: bool
    sit_stand_desk_used: bool
    moderate_minutes_per_week: float
    vigorous_minutes_per_week: float
    strengthening_days_per_week: int
    location: SittingLocation = SittingLocation.DESK
    """Where the sitting happens; a document without it means a desk (scoring 1.0)."""

    def __post_init__(self) -> None:
        if not isinstance(self.location, SittingLocation):
            raise SittingInputError(
                "location",
                f"{self.location!r} is not one of "
                + ", ".join(f'"{c.value}"' for c in SittingLocation),
            )
        hours = _number("hours_worked_per_day", self.hours_worked_per_day)
        if not 0.0 < hours <= HOURS_WORKED_MAX:
            raise SittingInputError(
                "hours_worked_per_day",
                f"{hours:g} h is outside the allowed range (more than 0 h, at most "
                f"{HOURS_WORKED_MAX:g} h)",
            )
        pcts = [_in_range(name, getattr(self, name), 0.0, 100.0, " %") for name in _PCT_FIELDS]
        total = sum(pcts)
        if abs(total - 100.0) > PERCENT_TOLERANCE:
            raise SittingInputError(
                _PCT_FIELDS,
                f"{' + '.join(_PCT_FIELDS)} add to {total:g} %; the four percentages of the "
                f"working day must add to 100 % (± {PERCENT_TOLERANCE:g})",
            )
        bout = _number("longest_sitting_bout_minutes", self.longest_sitting_bout_minutes)
        sitting_minutes = hours * 60.0 * pcts[0] / 100.0
        if bout < 0.0:
            raise SittingInputError(
                "longest_sitting_bout_minutes",
                f"{bout:g} min is negative",
            )
        if bout > sitting_minutes + 1e-6:
            raise SittingInputError(
                ("longest_sitting_bout_minutes", "pct_sitting", "hours_worked_per_day"),
                f"{bout:g} min is more than the "
                f"{sitting_minutes:g} min sitting per workday ({pcts[0]:g} % of {hours:g} h)",
            )
        for name in ("sit_stand_desk_available", "sit_stand_desk_used"):
            if not isinstance(getattr(self, name), bool):
                raise SittingInputError(
                    name, f"expected true or false, got {getattr(self, name)!r}"
                )
        if self.sit_stand_desk_used and not self.sit_stand_desk_available:
            raise SittingInputError(
                ("sit_stand_desk_used", "sit_stand_desk_available"),
                "a sit-stand desk cannot be used when sit_stand_desk_available is false",
            )
        for name in ("moderate_minutes_per_week", "vigorous_minutes_per_week"):
            _in_range(name, getattr(self, name), 0.0, MAX_WEEKLY_MINUTES, " min/week")
        days = self.strengthening_days_per_week
        if isinstance(days, bool) or not isinstance(days, int):
            raise SittingInputError(
                "strengthening_days_per_week",
                f"expected a whole number of days 0-{STRENGTHENING_DAYS_MAX}, got {days!r}",
            )
        if not 0 <= days <= STRENGTHENING_DAYS_MAX:
            raise SittingInputError(
                "strengthening_days_per_week",
                f"{days} days is outside the allowed range 0-{STRENGTHENING_DAYS_MAX}",
            )


# --- Result -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SittingResult:
    """Every intermediate value of the sitting/activity assessment, with its reasons."""

    hours_worked_per_day: float
    sitting_hours: float
    standing_hours: float
    walking_hours: float
    heavy_hours: float
    #: Standing + walking at work: the "standing and light activity" of Buckley et al. 2015.
    standing_light_hours: float
    #: min(hours worked, 8) / 8: the part-time prorating factor (1 for a full-time day or more).
    prorate_factor: float
    goal_initial_hours: float
    goal_progressed_hours: float
    gap_to_initial_goal_hours: float
    gap_to_progressed_goal_hours: float
    meets_initial_goal: bool
    meets_progressed_goal: bool
    moderate_equivalent_minutes: float
    meets_aerobic_guideline: bool
    #: 300 min/week or more: the top of WHO's range, where additional benefit is documented.
    reaches_aerobic_upper_range: bool
    strengthening_days_per_week: int
    meets_strengthening_guideline: bool
    sedentary_exposure: ExposureLevel
    activity_exposure: ExposureLevel
    longest_sitting_bout_minutes: float
    bout_over_60_min: bool
    #: Sitting more than 5 h/day (the recurrence predictor of da Silva et al. 2019).
    sitting_over_5_hours: bool
    sit_stand_desk_available: bool
    sit_stand_desk_used: bool
    #: Available but not used: a prompt to use it, not a purchase.
    sit_stand_desk_unused: bool
    sedentary_reasons: tuple[str, ...]
    goal_reasons: tuple[str, ...]
    activity_reasons: tuple[str, ...]
    #: All statements in report order: sedentary, goal, activity.
    reasons: tuple[str, ...]
    #: Where the sitting happens (scoring 1.1).
    location: SittingLocation = SittingLocation.DESK


# --- Scoring ----------------------------------------------------------------------------------


def _tidy(value: float) -> float:
    """Remove binary floating-point noise (8 x 0.7 = 5.6000000000000005) before comparing."""
    return round(value, 9) + 0.0


def _h(value: float) -> str:
    """Hours for reasons: two decimals at most, at least one ("2.0 h", "1.25 h")."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _n(value: float) -> str:
    return f"{value:g}"


def sedentary_level(sitting_hours: float) -> ExposureLevel:
    """Sitting hours per workday: < 4 low, 4 to < 6 moderate, 6 to < 8 high, >= 8 very high."""
    if sitting_hours < 4.0:
        return ExposureLevel.LOW
    if sitting_hours < 6.0:
        return ExposureLevel.MODERATE
    if sitting_hours < 8.0:
        return ExposureLevel.HIGH
    return ExposureLevel.VERY_HIGH


def activity_level(moderate_equivalent_minutes: float) -> ExposureLevel:
    """Inactivity exposure: >= 150 low, 75 to < 150 moderate, > 0 to < 75 high, 0 very high."""
    if moderate_equivalent_minutes >= WHO_AEROBIC_MINIMUM:
        return ExposureLevel.LOW
    if moderate_equivalent_minutes >= WHO_AEROBIC_MINIMUM / 2:
        return ExposureLevel.MODERATE
    if moderate_equivalent_minutes > 0.0:
        return ExposureLevel.HIGH
    return ExposureLevel.VERY_HIGH


_SEDENTARY_BANDS = {
    ExposureLevel.LOW: "under 4 h/day",
    ExposureLevel.MODERATE: "4 to under 6 h/day",
    ExposureLevel.HIGH: "6 to under 8 h/day",
    ExposureLevel.VERY_HIGH: "8 h/day or more",
}

_ACTIVITY_BANDS = {
    ExposureLevel.LOW: "150 min/week or more",
    ExposureLevel.MODERATE: "75 to under 150 min/week",
    ExposureLevel.HIGH: "under 75 min/week",
    ExposureLevel.VERY_HIGH: "none",
}


def score(data: SittingInput) -> SittingResult:
    """Score one worker's sitting time and activity (see module docstring for the sources)."""
    hours = float(data.hours_worked_per_day)
    sitting = _tidy(hours * data.pct_sitting / 100.0)
    standing = _tidy(hours * data.pct_standing / 100.0)
    walking = _tidy(hours * data.pct_walking / 100.0)
    heavy = _tidy(hours * data.pct_heavy / 100.0)
    standing_light = _tidy(standing + walking)

    # --- sedentary exposure
    sed_level = sedentary_level(sitting)
    bout = float(data.longest_sitting_bout_minutes)
    bout_over = bout > BOUT_LIMIT_MINUTES
    over_5 = sitting > RECURRENCE_SITTING_HOURS
    sed_reasons = [
        f"Sits {_h(sitting)} h of the {_h(hours)} h workday ({_n(data.pct_sitting)} % sitting): "
        f"{sed_level.value.replace('_', ' ')} sedentary exposure "
        f"({_SEDENTARY_BANDS[sed_level]})."
    ]
    if over_5:
        sed_reasons.append(
            f"Sitting more than {_n(RECURRENCE_SITTING_HOURS)} h/day predicted recurrence of low "
            "back pain in people recently recovered from an episode (da Silva et al. 2019); "
            "sitting on its own is at most a modest risk factor for low back pain."
        )
    if bout_over:
        sed_reasons.append(
            f"Usual longest uninterrupted sitting bout {_n(bout)} min is over "
            f"{_n(BOUT_LIMIT_MINUTES)} min; HSE guidance favours a 5–10 min break or change of "
            "activity after 50–60 min of continuous screen work."
        )
    else:
        sed_reasons.append(
            f"Usual longest uninterrupted sitting bout {_n(bout)} min is within "
            f"{_n(BOUT_LIMIT_MINUTES)} min (HSE break guidance: 5–10 min after 50–60 min)."
        )

    # --- standing and light activity goal (Buckley et al. 2015)
    factor = _tidy(min(hours, FULL_TIME_REFERENCE_HOURS) / FULL_TIME_REFERENCE_HOURS)
    goal_initial = _tidy(INITIAL_GOAL_HOURS * factor)
    goal_progressed = _tidy(PROGRESSED_GOAL_HOURS * factor)
    gap_initial = _tidy(max(0.0, goal_initial - standing_light))
    gap_progressed = _tidy(max(0.0, goal_progressed - standing_light))
    desk_unused = data.sit_stand_desk_available and not data.sit_stand_desk_used
    goal_reasons: list[str] = []
    if factor < 1.0:
        goal_reasons.append(
            f"Goals prorated for a {_h(hours)} h workday: {_h(hours)}/"
            f"{_n(FULL_TIME_REFERENCE_HOURS)} × {_n(INITIAL_GOAL_HOURS)} h = {_h(goal_initial)} h "
            f"and {_h(hours)}/{_n(FULL_TIME_REFERENCE_HOURS)} × {_n(PROGRESSED_GOAL_HOURS)} h = "
            f"{_h(goal_progressed)} h."
        )
    status_initial = (
        "initial goal met" if gap_initial == 0.0 else f"{_h(gap_initial)} h short of it"
    )
    status_progressed = (
        "progressed goal met"
        if gap_progressed == 0.0
        else f"{_h(gap_progressed)} h short of the progressed goal"
    )
    goal_reasons.append(
        f"Standing and light activity at work {_h(standing_light)} h/day (standing "
        f"{_h(standing)} h + walking {_h(walking)} h) against the expert-statement goal of "
        f"{_h(goal_initial)} h/day, progressing to {_h(goal_progressed)} h/day "
        f"(Buckley et al. 2015): {status_initial}; {status_progressed}."
    )
    if heavy > 0.0:
        goal_reasons.append(
            f"Heavy labour ({_h(heavy)} h/day) is not counted as standing or light activity."
        )
    if desk_unused:
        goal_reasons.append("A sit-stand desk is available but not used.")
    elif data.sit_stand_desk_used:
        goal_reasons.append("A sit-stand desk is available and used.")

    # --- activity (WHO 2020)
    moderate = float(data.moderate_minutes_per_week)
    vigorous = float(data.vigorous_minutes_per_week)
    mod_eq = _tidy(moderate + 2.0 * vigorous)
    meets_aerobic = mod_eq >= WHO_AEROBIC_MINIMUM
    upper = mod_eq >= WHO_AEROBIC_UPPER
    act_level = activity_level(mod_eq)
    days = data.strengthening_days_per_week
    meets_strength = days >= STRENGTHENING_DAYS_GUIDELINE
    who_range = f"{_n(WHO_AEROBIC_MINIMUM)}–{_n(WHO_AEROBIC_UPPER)} min/week"
    if upper:
        comparison = f"at or above the top of the WHO 2020 range of {who_range}"
    elif meets_aerobic:
        comparison = f"within the WHO 2020 range of {who_range}"
    else:
        comparison = f"below the WHO 2020 minimum of {_n(WHO_AEROBIC_MINIMUM)} min/week"
    act_reasons = [
        f"Moderate-equivalent activity {_n(mod_eq)} min/week ({_n(moderate)} moderate + 2 × "
        f"{_n(vigorous)} vigorous) is {comparison}: "
        f"{act_level.value.replace('_', ' ')} inactivity exposure "
        f"({_ACTIVITY_BANDS[act_level]})."
    ]
    day_word = "day" if days == 1 else "days"
    act_reasons.append(
        f"Muscle-strengthening on {days} {day_word}/week: "
        + (
            "meets the WHO 2020 guideline of at least 2 days/week."
            if meets_strength
            else "below the WHO 2020 guideline of at least 2 days/week."
        )
    )

    return SittingResult(
        hours_worked_per_day=hours,
        sitting_hours=sitting,
        standing_hours=standing,
        walking_hours=walking,
        heavy_hours=heavy,
        standing_light_hours=standing_light,
        prorate_factor=factor,
        goal_initial_hours=goal_initial,
        goal_progressed_hours=goal_progressed,
        gap_to_initial_goal_hours=gap_initial,
        gap_to_progressed_goal_hours=gap_progressed,
        meets_initial_goal=gap_initial == 0.0,
        meets_progressed_goal=gap_progressed == 0.0,
        moderate_equivalent_minutes=mod_eq,
        meets_aerobic_guideline=meets_aerobic,
        reaches_aerobic_upper_range=upper,
        strengthening_days_per_week=days,
        meets_strengthening_guideline=meets_strength,
        sedentary_exposure=sed_level,
        activity_exposure=act_level,
        longest_sitting_bout_minutes=bout,
        bout_over_60_min=bout_over,
        sitting_over_5_hours=over_5,
        sit_stand_desk_available=data.sit_stand_desk_available,
        sit_stand_desk_used=data.sit_stand_desk_used,
        sit_stand_desk_unused=desk_unused,
        sedentary_reasons=tuple(sed_reasons),
        goal_reasons=tuple(goal_reasons),
        activity_reasons=tuple(act_reasons),
        reasons=(*sed_reasons, *goal_reasons, *act_reasons),
        location=data.location,
    )
