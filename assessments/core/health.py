"""What a manager may see of an assessment: decided here, once, for pages, reports and exports.

Managers see the risk band and score, the workplace components of the strain score
(lifting, workstation, sedentary work), the workplace findings and the actions that
change the workplace. They never see BMI, pain history, activity habits, psychosocial
answers or red-flag detail: at most "clinical review advised".
"""

from __future__ import annotations

import copy
from typing import Any

#: Strain components that describe the workplace rather than the person.
WORKPLACE_COMPONENTS = frozenset({"lifting", "workstation", "sedentary"})
#: Action categories that concern the person's health and stay with OH.
HEALTH_CATEGORIES = frozenset({"individual", "clinical"})
#: Recommendation code prefixes whose reason would reveal a health answer.
HEALTH_CODE_PREFIXES = ("psychosocial.", "activity.", "individual.", "clinical.")
#: Recommendation code prefixes of personal health measures (never shown to managers).
HEALTH_ACTION_PREFIXES = ("individual.", "clinical.", "activity.")
WITHHELD = "Raised in the confidential part of the assessment (held by occupational health)."
CLINICAL_REVIEW_ADVISED = "Clinical review advised"


def is_health_action(code: str, category: str) -> bool:
    """True for actions a manager must not see at all (personal health measures)."""
    return category in HEALTH_CATEGORIES or code.startswith(HEALTH_ACTION_PREFIXES)


def manager_reason(code: str, reason: str) -> str:
    """The 'why' of an action as a manager may read it."""
    return WITHHELD if code.startswith(HEALTH_CODE_PREFIXES) else reason


def manager_results(results: dict[str, Any]) -> dict[str, Any]:
    """A copy of a results snapshot with every health field removed."""
    redacted = copy.deepcopy(results)
    clinical = bool(redacted.get("referrals"))
    redacted["worker"] = None
    redacted["referrals"] = []
    redacted["clinical_review_advised"] = clinical
    sitting = redacted.get("sitting")
    if isinstance(sitting, dict):
        # Sitting time at work is a workplace exposure; leisure activity is personal.
        redacted["sitting"] = {
            key: sitting.get(key)
            for key in (
                "hours_worked_per_day",
                "sitting_hours",
                "standing_hours",
                "walking_hours",
                "heavy_hours",
                "standing_light_hours",
                "goal_initial_hours",
                "goal_progressed_hours",
                "gap_to_initial_goal_hours",
                "gap_to_progressed_goal_hours",
                "meets_initial_goal",
                "meets_progressed_goal",
                "sedentary_exposure",
                "longest_sitting_bout_minutes",
                "sit_stand_desk_unused",
                "sedentary_reasons",
                "goal_reasons",
            )
        }
    strain = redacted.get("strain")
    if isinstance(strain, dict):
        strain["components"] = [
            c for c in strain.get("components", []) if c.get("component") in WORKPLACE_COMPONENTS
        ]
        strain["referrals"] = []
        strain["summary"] = ""
        strain["not_assessed"] = [
            c for c in strain.get("not_assessed", []) if c in WORKPLACE_COMPONENTS
        ]
    redacted["recommendations"] = manager_recommendations(redacted.get("recommendations") or [])
    return redacted


def manager_recommendations(recommendations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The recommendations a manager may see, with health reasons withheld (new dicts)."""
    return [
        {**rec, "why": manager_reason(rec.get("code", ""), rec.get("why", ""))}
        for rec in recommendations
        if not is_health_action(rec.get("code", ""), rec.get("category", ""))
    ]
