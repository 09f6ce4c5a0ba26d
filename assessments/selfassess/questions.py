"""The self-assessment's questions, one screen per question group, in plain words.

The workstation screens follow the areas of the HSE display screen equipment (DSE)
checklist; the back-pain screens ask the assessor's own pain-pattern and red-flag questions
(`assessments.scoring.worker`: the same fields, worded for the person themselves). How the
answers become scoring inputs is `mapping.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from assessments.scoring.worker import (
    CAUDA_EQUINA_FIELDS,
    PATTERN_FIELDS,
    RED_FLAG_FIELDS,
    YELLOW_FLAG_FIELDS,
)

UNSURE: Final = "unsure"
YES: Final = "yes"
NO: Final = "no"
YES_NO: Final = ((YES, "Yes"), (NO, "No"))


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    kind: str  # "choice", "yesno", "number", "whole"
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    help: str = ""
    low: float = 0
    high: float = 24


@dataclass(frozen=True)
class Screen:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    #: Shown only to someone who works from home at least part of the time.
    home_only: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _yes_no(name: str, label: str, help: str = "") -> Question:
    return Question(name, label, "yesno", YES_NO, help=help)


_NOT_SURE = (UNSURE, "I'm not sure")

#: Plain-words versions of the assessor's red-flag questions (same fields, same rules).
RED_FLAG_QUESTIONS: Final = MappingProxyType(
    {
        "rf_saddle_anaesthesia": (
            "Numbness or a strange feeling around your bottom, genitals or inner thighs "
            "(the area that would touch a saddle)"
        ),
        "rf_bladder_bowel_dysfunction": (
            "New problems with your bladder or bowels: trouble peeing, not being able to "
            "control it, or not feeling when you go"
        ),
        "rf_bilateral_or_progressive_leg_weakness": (
            "Weakness in both legs, or a leg getting weaker or walking getting harder"
        ),
        "rf_fever": "A fever, chills or shivering along with the back pain",
        "rf_unexplained_weight_loss": "Losing weight without trying",
        "rf_history_of_cancer": "You have had cancer",
        "rf_immunosuppression": (
            "A weakened immune system (from an illness or from medicine you take)"
        ),
        "rf_iv_drug_use": "Injecting drugs",
        "rf_significant_trauma": "The pain started after a serious fall, crash or injury",
        "rf_osteoporosis_or_steroids": (
            "Thin bones (osteoporosis), or taking steroid tablets for a long time"
        ),
        "rf_progressive_neuro_deficit": ("Numbness or weakness that is spreading or getting worse"),
        "rf_night_pain": (
            "Pain at night that is there all the time and does not ease when you rest or move"
        ),
        "rf_failure_to_improve": "The pain has not got any better after about a month",
    }
)
#: Plain-words versions of the pain-pattern screen (same fields as the assessor's).
PATTERN_QUESTIONS: Final = MappingProxyType(
    {
        "pain_eases_with_movement": "Does the pain get better when you move about or exercise?",
        "pain_returns_after_rest": (
            "Does resting not help: does the pain come back or get worse after resting or sitting?"
        ),
        "night_pain_eases_on_rising": (
            "Does pain wake you in the second half of the night and ease once you get up?"
        ),
        "morning_stiffness_minutes": "How many minutes is your back stiff after waking?",
    }
)
#: Plain-words versions of the psychosocial questions (same fields as the assessor's).
WELLBEING_QUESTIONS: Final = MappingProxyType(
    {
        "yf_stress_worry": "Do you feel stressed or worried much of the time?",
        "yf_low_mood": "Have you been feeling low, or lost interest in things you usually enjoy?",
        "yf_job_dissatisfaction": "Are you unhappy with your job?",
        "yf_low_support_at_work": "Do you get little support from colleagues or your manager?",
        "yf_activity_harmful_belief": "Do you worry that activity or work will harm your back?",
    }
)
assert set(RED_FLAG_QUESTIONS) == set(RED_FLAG_FIELDS)  # nosec B101
assert set(PATTERN_QUESTIONS) == set(PATTERN_FIELDS)  # nosec B101
assert set(WELLBEING_QUESTIONS) == set(YELLOW_FLAG_FIELDS)  # nosec B101

SCREENS: Final[tuple[Screen, ...]] = (
    Screen(
        "about",
        "About you and where you work",
        "A few questions to start. This takes about 10 minutes; your answers are saved as "
        "you go, so you can stop and come back to this link.",
        (
            Question("age_years", "Your age (years)", "whole", low=16, high=100),
            Question(
                "work_place",
                "Where do you usually work?",
                "choice",
                (
                    ("office", "At a workplace only"),
                    ("hybrid", "Partly at a workplace, partly at home"),
                    ("home", "At home only"),
                ),
            ),
        ),
    ),
    Screen(
        "display",
        "Your screen",
        "Think of the screen you use most, sitting as you usually do.",
        (
            Question(
                "monitor",
                "Where is the top of the screen compared with your eyes?",
                "choice",
                (
                    ("eye_level", "About level with my eyes, an arm's length away"),
                    ("too_low", "Lower: I look down at it (for example a laptop on the desk)"),
                    ("too_high", "Higher: I tip my head back to see it"),
                    _NOT_SURE,
                ),
            ),
            _yes_no("monitor_glare", "Do you get glare or reflections on the screen?"),
            Question(
                "screen_hours",
                "About how many hours a day do you use a screen at work?",
                "number",
                low=0,
                high=24,
            ),
            Question(
                "screen_longest_minutes",
                "About how long is your longest stretch at the screen without a break (minutes)?",
                "number",
                low=0,
                high=1440,
            ),
        ),
    ),
    Screen(
        "keyboard",
        "Your keyboard",
        "",
        (
            Question(
                "keyboard",
                "When you type, are your wrists straight?",
                "choice",
                (
                    ("neutral", "Yes, straight and relaxed"),
                    ("wrists_extended", "No, bent upwards"),
                    _NOT_SURE,
                ),
            ),
            _yes_no(
                "keyboard_too_high", "Is the keyboard so high that your shoulders lift to type?"
            ),
        ),
    ),
    Screen(
        "mouse",
        "Your mouse",
        "",
        (
            Question(
                "mouse",
                "Is the mouse close beside the keyboard?",
                "choice",
                (
                    ("in_line", "Yes, I don't stretch to reach it"),
                    ("reaching", "No, I stretch my arm out to reach it"),
                    _NOT_SURE,
                ),
            ),
            _yes_no("mouse_pinch_grip", "Is the mouse so small you pinch it with your fingertips?"),
        ),
    ),
    Screen(
        "chair",
        "Your chair",
        "",
        (
            Question(
                "seat_height",
                "Sitting back in the chair, where are your feet?",
                "choice",
                (
                    ("knees_90", "Flat on the floor, knees at about a right angle"),
                    ("too_low", "Knees higher than my hips (seat too low)"),
                    ("too_high", "Feet only just reach (seat too high)"),
                    ("no_foot_contact", "My feet do not reach the floor"),
                    _NOT_SURE,
                ),
            ),
            Question(
                "seat_depth",
                "The gap between the front of the seat and the back of your knees",
                "choice",
                (
                    ("ok", "About a hand's width"),
                    ("too_long", "Less: the seat presses behind my knees"),
                    ("too_short", "More: my thighs are not supported"),
                    _NOT_SURE,
                ),
            ),
            Question(
                "armrests",
                "Your arms and the armrests",
                "choice",
                (
                    ("supported", "Elbows rest on them with relaxed shoulders"),
                    ("too_high", "They push my shoulders up"),
                    ("too_low_or_none", "Too low, or no armrests"),
                    _NOT_SURE,
                ),
            ),
            Question(
                "back_support",
                "Your back and the backrest",
                "choice",
                (
                    ("adequate", "It supports the small of my back"),
                    ("no_lumbar", "No support in the small of my back"),
                    ("none_or_leaning", "No backrest, or I lean forward away from it"),
                    _NOT_SURE,
                ),
            ),
            _yes_no("chair_adjustable", "Can you adjust the height of the seat?"),
        ),
    ),
    Screen(
        "desk",
        "Your desk, space and phone",
        "",
        (
            _yes_no("leg_space_ok", "Is there enough room under the desk for your legs?"),
            Question(
                "phone",
                "Is your phone within easy reach?",
                "choice",
                (("neutral", "Yes"), ("too_far", "No, I stretch to reach it"), _NOT_SURE),
            ),
            _yes_no("phone_neck_shoulder", "Do you hold the phone between your ear and shoulder?"),
            Question("phone_hours", "About how many hours a day are you on the phone?", "number"),
            Question(
                "phone_longest_minutes",
                "About how long is your longest call (minutes)?",
                "number",
                high=1440,
            ),
        ),
    ),
    Screen(
        "environment",
        "Lighting and surroundings",
        "",
        (
            _yes_no("lighting_ok", "Is the lighting comfortable for your work?"),
            _yes_no("temperature_ok", "Is the temperature comfortable?"),
            _yes_no("noise_ok", "Is the noise level acceptable?"),
        ),
    ),
    Screen(
        "software",
        "Software and breaks",
        "",
        (
            _yes_no("software_ok", "Is the software you use suitable for your work?"),
            _yes_no(
                "breaks_ok", "Can you take short breaks or change activity away from the screen?"
            ),
        ),
    ),
    Screen(
        "home",
        "Your workstation at home",
        "The same checks for where you work at home.",
        (
            _yes_no("home_desk", "Do you have a proper desk or table to work at?"),
            _yes_no("home_chair", "Do you have an adjustable chair with back support?"),
            _yes_no("home_screen", "Is the top of your screen about level with your eyes?"),
            _yes_no(
                "home_keyboard_mouse",
                "If you use a laptop, do you use a separate keyboard and mouse?",
            ),
            _yes_no("home_environment", "Are the lighting, space and temperature comfortable?"),
        ),
        home_only=True,
    ),
    Screen(
        "sitting",
        "Sitting and breaks",
        "A usual working day.",
        (
            Question("hours_worked_per_day", "Hours you work on a usual day", "number"),
            Question("sitting_hours", "Of those, about how many hours do you sit?", "number"),
            Question(
                "rest_of_day",
                "The rest of the day you are mostly",
                "choice",
                (
                    ("standing", "Standing"),
                    ("walking", "Walking about"),
                    ("heavy", "Doing heavy physical work"),
                ),
            ),
            Question(
                "longest_sitting_bout_minutes",
                "Your longest time sitting without getting up (minutes)",
                "number",
                high=1440,
            ),
            Question(
                "location",
                "Where do you do most of your sitting?",
                "choice",
                (
                    ("desk", "At a desk"),
                    ("vehicle", "Driving or in a vehicle"),
                    ("machine", "At a machine or in a control room"),
                ),
            ),
            _yes_no("sit_stand_desk_available", "Do you have a desk you can raise to stand at?"),
            _yes_no("sit_stand_desk_used", "If so, do you use it standing on most days?"),
        ),
    ),
    Screen(
        "activity",
        "Activity",
        "A usual week, at work and outside it.",
        (
            Question(
                "moderate_minutes_per_week",
                "Minutes a week of activity that makes you breathe faster (brisk walking, cycling)",
                "number",
                high=5040,
            ),
            Question(
                "vigorous_minutes_per_week",
                "Minutes a week of hard activity that leaves you out of breath (running, sport)",
                "number",
                high=5040,
            ),
            Question(
                "strengthening_days_per_week",
                "Days a week you do muscle-strengthening activity",
                "whole",
                high=7,
            ),
        ),
    ),
    Screen(
        "back",
        "Your back",
        "About low back pain.",
        (
            _yes_no("current_pain", "Do you have low back pain at the moment?"),
            Question(
                "pain_duration_weeks",
                "If so, for how many weeks has this bout lasted?",
                "number",
                required=False,
                high=5300,
            ),
            Question(
                "pain_intensity",
                "If so, how bad is it now, from 0 (none) to 10 (worst imaginable)?",
                "number",
                required=False,
                high=10,
            ),
            Question(
                "episodes_last_12_months",
                "How many separate bouts of back pain have you had in the last 12 months?",
                "whole",
                high=52,
            ),
            *(
                _yes_no(name, label)
                for name, label in PATTERN_QUESTIONS.items()
                if name != "morning_stiffness_minutes"
            ),
            Question(
                "morning_stiffness_minutes",
                PATTERN_QUESTIONS["morning_stiffness_minutes"],
                "whole",
                required=False,
                high=1440,
            ),
            Question(
                "back_pain_onset_age",
                "How old were you when you first had back pain? (leave empty if never)",
                "whole",
                required=False,
                high=100,
            ),
        ),
    ),
    Screen(
        "wellbeing",
        "How things are",
        "These help OH see what support would help.",
        tuple(_yes_no(name, label) for name, label in WELLBEING_QUESTIONS.items()),
    ),
    Screen(
        "red_flags",
        "Important health questions",
        "Please answer each one. If any is yes, you will be told straight away what to do.",
        tuple(_yes_no(name, label) for name, label in RED_FLAG_QUESTIONS.items()),
    ),
)

BY_KEY: Final = MappingProxyType({s.key: s for s in SCREENS})


def screens_for(answers: dict[str, dict[str, object]]) -> tuple[Screen, ...]:
    """The screens this person sees: the home screen only for home or hybrid working."""
    place = answers.get("about", {}).get("work_place")
    return tuple(s for s in SCREENS if not s.home_only or place in ("home", "hybrid"))


def positive_red_flags(answers: dict[str, dict[str, object]]) -> list[str]:
    flags = answers.get("red_flags", {})
    return [name for name in RED_FLAG_FIELDS if flags.get(name) == YES]


def is_emergency(flags: list[str]) -> bool:
    return any(name in CAUDA_EQUINA_FIELDS for name in flags)
