"""Demo self-assessments: invited, started, returned (one with a red flag and one with a
question answered), a visit booked and one signed off with an action."""

from __future__ import annotations

import random
from typing import Any

from assessments.people.models import Employee
from assessments.scoring.worker import RED_FLAG_FIELDS
from assessments.selfassess import questions, services


def answers(rng: random.Random, *, red_flag: bool = False) -> dict[str, dict[str, Any]]:
    """A plausible set of answers for an office worker."""
    hours = rng.choice([6.0, 7.0, 7.5])
    pain = rng.random() < 0.6
    return {
        "about": {"age_years": rng.randint(24, 60), "work_place": rng.choice(["office", "hybrid"])},
        "display": {
            "monitor": rng.choice(["eye_level", "too_low", "too_low", "too_high"]),
            "monitor_glare": rng.choice(["yes", "no"]),
            "screen_hours": hours,
            "screen_longest_minutes": rng.choice([45, 90, 120]),
        },
        "keyboard": {
            "keyboard": rng.choice(["neutral", "wrists_extended"]),
            "keyboard_too_high": "no",
        },
        "mouse": {"mouse": rng.choice(["in_line", "reaching"]), "mouse_pinch_grip": "no"},
        "chair": {
            "seat_height": rng.choice(["knees_90", "too_high", "too_low"]),
            "seat_depth": "ok",
            "armrests": rng.choice(["supported", "too_low_or_none"]),
            "back_support": rng.choice(["adequate", "no_lumbar"]),
            "chair_adjustable": "yes",
        },
        "desk": {
            "leg_space_ok": "yes",
            "phone": "neutral",
            "phone_neck_shoulder": "no",
            "phone_hours": 1.0,
            "phone_longest_minutes": 20,
        },
        "environment": {
            "lighting_ok": "yes",
            "temperature_ok": rng.choice(["yes", "no"]),
            "noise_ok": "yes",
        },
        "software": {"software_ok": "yes", "breaks_ok": rng.choice(["yes", "no"])},
        "home": {
            "home_desk": "no",
            "home_chair": "no",
            "home_screen": "no",
            "home_keyboard_mouse": "yes",
            "home_environment": "yes",
        },
        "sitting": {
            "hours_worked_per_day": 8.0,
            "sitting_hours": hours,
            "rest_of_day": "walking",
            "longest_sitting_bout_minutes": 90,
            "location": "desk",
            "sit_stand_desk_available": "no",
            "sit_stand_desk_used": "no",
        },
        "activity": {
            "moderate_minutes_per_week": rng.choice([30, 90, 200]),
            "vigorous_minutes_per_week": 0,
            "strengthening_days_per_week": rng.randint(0, 2),
        },
        "back": {
            "current_pain": "yes" if pain else "no",
            **(
                {"pain_duration_weeks": rng.choice([2.0, 8.0, 20.0]), "pain_intensity": 4.0}
                if pain
                else {}
            ),
            "episodes_last_12_months": rng.randint(0, 3),
            "pain_eases_with_movement": "yes",
            "pain_returns_after_rest": "yes",
            "night_pain_eases_on_rising": "no",
        },
        "wellbeing": {
            "yf_stress_worry": rng.choice(["yes", "no"]),
            "yf_low_mood": "no",
            "yf_job_dissatisfaction": "no",
            "yf_low_support_at_work": "no",
            "yf_activity_harmful_belief": "no",
        },
        "red_flags": {
            **dict.fromkeys(RED_FLAG_FIELDS, "no"),
            **({"rf_fever": "yes"} if red_flag else {}),
        },
    }


def seed(*, employees: list[Employee], assessor: Any, rng: random.Random) -> int:
    """Self-assessments in every state for the first employees given; returns how many."""
    made = 0
    for index, employee in enumerate(employees):
        invitation = services.invitation_create(employee=employee, user=assessor)
        made += 1
        if index == 0:
            continue  # invited, not started
        given = answers(rng, red_flag=index == 3)
        screens = [s.key for s in questions.screens_for(given)]
        for screen in screens if index > 1 else screens[:3]:
            services.answers_save(invitation=invitation, screen=screen, answers=given[screen])
        if index == 1:
            continue  # started
        invitation = services.invitation_return(invitation=invitation)
        if index == 4:
            services.question_ask(
                invitation=invitation, user=assessor, question="Is the laptop stand yours to keep?"
            )
            services.reply_save(invitation=invitation, reply="Yes, I bought it myself.")
        elif index == 5:
            services.visit_book(invitation=invitation, user=assessor)
        elif index == 6:
            codes = [r["code"] for r in invitation.results["recommendations"]][:1]
            services.sign_off(
                invitation=invitation,
                user=assessor,
                advice="Raise the screen to eye level and take a short break every hour.",
                action_codes=codes,
            )
    return made
