"""From the employee's answers to the scoring package's inputs: self-reported, and only
what the answers map to.

The answers become an interchange input document (`scoring.interchange`), which is parsed
and scored by the same code as an assessor's draft: no formula is repeated here. A
workstation question answered "not sure" leaves its ROSA item unanswered, so the
self-reported ROSA is not scored (the result says which items are missing) rather than
guessed. ROSA modifiers no question asks about stay off (not observed).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from assessments.scoring import interchange
from assessments.scoring.assessment import assess
from assessments.scoring.worker import RED_FLAG_FIELDS, YELLOW_FLAG_FIELDS
from assessments.selfassess.questions import NO, UNSURE, YES

#: ROSA item <- (screen, question) it is read from. Every device's hours and longest bout
#: are the screen-time answers (a person cannot split their day by device), except the
#: telephone's, which are asked separately. Documented in docs/self-assessment.md.
ROSA_ITEMS: Final = MappingProxyType(
    {
        "seat_height": ("chair", "seat_height"),
        "seat_depth": ("chair", "seat_depth"),
        "armrests": ("chair", "armrests"),
        "back_support": ("chair", "back_support"),
        "monitor": ("display", "monitor"),
        "phone": ("desk", "phone"),
        "mouse": ("mouse", "mouse"),
        "keyboard": ("keyboard", "keyboard"),
    }
)
#: ROSA modifier <- (screen, question, the answer that sets it).
ROSA_MODIFIERS: Final = MappingProxyType(
    {
        "seat_height_non_adjustable": ("chair", "chair_adjustable", NO),
        "seat_leg_space_insufficient": ("desk", "leg_space_ok", NO),
        "monitor_glare": ("display", "monitor_glare", YES),
        "phone_neck_shoulder": ("desk", "phone_neck_shoulder", YES),
        "mouse_pinch_grip": ("mouse", "mouse_pinch_grip", YES),
        "keyboard_too_high": ("keyboard", "keyboard_too_high", YES),
    }
)
_SCREEN_DEVICES: Final = ("chair", "monitor", "mouse", "keyboard")

#: DSE checklist answers that no ROSA item covers: (screen, question, the answer that is a
#: problem) -> what OH reads in the triage queue.
CHECKLIST_PROBLEMS: Final = MappingProxyType(
    {
        ("environment", "lighting_ok", NO): "Lighting not comfortable",
        ("environment", "temperature_ok", NO): "Temperature not comfortable",
        ("environment", "noise_ok", NO): "Noise level not acceptable",
        ("software", "software_ok", NO): "Software not suitable for the work",
        ("software", "breaks_ok", NO): "Cannot take breaks away from the screen",
        ("home", "home_desk", NO): "Home: no proper desk or table",
        ("home", "home_chair", NO): "Home: no adjustable chair with back support",
        ("home", "home_screen", NO): "Home: screen not at eye level",
        ("home", "home_keyboard_mouse", NO): "Home: laptop without a separate keyboard and mouse",
        ("home", "home_environment", NO): "Home: lighting, space or temperature not comfortable",
    }
)


def _get(answers: dict[str, Any], screen: str, name: str) -> Any:
    return answers.get(screen, {}).get(name)


def _workstation(answers: dict[str, Any]) -> dict[str, Any] | None:
    if not answers.get("chair") and not answers.get("display"):
        return None
    data: dict[str, Any] = {}
    for item, (screen, name) in ROSA_ITEMS.items():
        value = _get(answers, screen, name)
        data[item] = None if value in (None, UNSURE) else value
    for item, (screen, name, when) in ROSA_MODIFIERS.items():
        data[item] = _get(answers, screen, name) == when
    hours = _get(answers, "display", "screen_hours")
    longest = _get(answers, "display", "screen_longest_minutes")
    for device in _SCREEN_DEVICES:
        data[f"{device}_hours_per_day"] = hours
        data[f"{device}_longest_continuous_minutes"] = longest
    data["phone_hours_per_day"] = _get(answers, "desk", "phone_hours")
    data["phone_longest_continuous_minutes"] = _get(answers, "desk", "phone_longest_minutes")
    return data


def _sitting(answers: dict[str, Any]) -> dict[str, Any] | None:
    day = answers.get("sitting")
    week = answers.get("activity")
    if not day or not week:
        return None
    worked = float(day["hours_worked_per_day"])
    sitting = float(day["sitting_hours"])
    # Whole percentages (as the assessor's form takes them), adding to 100.
    pct_sitting = min(100, round(100.0 * sitting / worked)) if worked else 0
    rest = 100 - pct_sitting
    return {
        "hours_worked_per_day": worked,
        "pct_sitting": pct_sitting,
        "pct_standing": rest if day["rest_of_day"] == "standing" else 0,
        "pct_walking": rest if day["rest_of_day"] == "walking" else 0,
        "pct_heavy": rest if day["rest_of_day"] == "heavy" else 0,
        "longest_sitting_bout_minutes": day["longest_sitting_bout_minutes"],
        "sit_stand_desk_available": day["sit_stand_desk_available"] == YES,
        "sit_stand_desk_used": day["sit_stand_desk_available"] == YES
        and day["sit_stand_desk_used"] == YES,
        "location": day["location"],
        "moderate_minutes_per_week": week["moderate_minutes_per_week"],
        "vigorous_minutes_per_week": week["vigorous_minutes_per_week"],
        "strengthening_days_per_week": week["strengthening_days_per_week"],
    }


def _worker(answers: dict[str, Any]) -> dict[str, Any] | None:
    about, back = answers.get("about"), answers.get("back")
    if not about or not back:
        return None
    pain = back["current_pain"] == YES
    data: dict[str, Any] = {
        "age_years": about["age_years"],
        "current_pain": pain,
        "episodes_last_12_months": back["episodes_last_12_months"],
        "pain_duration_weeks": back.get("pain_duration_weeks") if pain else None,
        "pain_intensity": back.get("pain_intensity") if pain else None,
        "pain_eases_with_movement": pain and back.get("pain_eases_with_movement") == YES,
        "pain_returns_after_rest": pain and back.get("pain_returns_after_rest") == YES,
        "night_pain_eases_on_rising": pain and back.get("night_pain_eases_on_rising") == YES,
        "morning_stiffness_minutes": back.get("morning_stiffness_minutes"),
        "back_pain_onset_age": back.get("back_pain_onset_age"),
    }
    wellbeing = answers.get("wellbeing", {})
    for name in YELLOW_FLAG_FIELDS:
        data[name] = wellbeing.get(name) == YES
    flags = answers.get("red_flags", {})
    for name in RED_FLAG_FIELDS:
        data[name] = flags.get(name, "not_asked")
    return data


def input_document(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as a scoring interchange input document (self-reported)."""
    return {
        "format": interchange.INPUT_FORMAT,
        "version": interchange.INPUT_VERSION,
        "workstation": _workstation(answers),
        "sitting": _sitting(answers),
        "worker": _worker(answers),
    }


def checklist_problems(answers: dict[str, Any]) -> list[str]:
    return [
        text
        for (screen, name, when), text in CHECKLIST_PROBLEMS.items()
        if _get(answers, screen, name) == when
    ]


@dataclass(frozen=True)
class Scored:
    inputs: dict[str, Any]
    results: dict[str, Any] | None
    errors: tuple[str, ...]


def score(answers: dict[str, Any]) -> Scored:
    """Score the answers with the scoring package; input errors are returned, never raised."""
    document = input_document(answers)
    try:
        parsed = interchange.parse_input(document)
    except interchange.InputErrors as exc:
        return Scored(inputs=document, results=None, errors=tuple(str(e) for e in exc.errors))
    return Scored(inputs=document, results=interchange.dump_result(assess(parsed)), errors=())
