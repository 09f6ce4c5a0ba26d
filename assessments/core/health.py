"""What a line manager may see of an assessment: one allowlist, asked by every output.

Occupational health (OH) staff and admins see everything. A manager sees only what this
module names: the risk band and score, the workplace parts of the results (workstation,
lifting, sitting time at work, the workplace components of the strain score), the
recommendations and actions that change the workplace, and the photos of the workplace.
Anything not named here stays with OH: BMI, pain history, activity habits, psychosocial
answers, red flags and referrals (at most "clinical review advised"), personal health
actions, and any field or code added later until it is added here.

Each rule is written once, as data, and both its Python check and its Django query
(`Q`) are made from that data, so pages, reports, exports, the dashboard counts and the
erasure of health wording cannot disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from types import MappingProxyType
from typing import Final

from django.db.models import Q


class Audience(enum.Enum):
    """Who an output is for. Every function that shapes health data takes one, never a default."""

    OH = "oh"
    """OH staff and admins: every field, every action, every photo."""
    MANAGER = "manager"
    """Line managers: only what the allowlists below name."""


#: Shown instead of the reason ("why") of an action whose reason a manager may not read.
WITHHELD: Final = "Raised in the confidential part of the assessment (held by occupational health)."
CLINICAL_REVIEW_ADVISED: Final = "Clinical review advised"
#: Shown to a manager, beside a workplace action, instead of anything about the assessment
#: that raised it when the employee has not let managers see it (docs/consent.md): no link
#: to it, no band, no clinical hint.
ASSESSMENT_NOT_SHARED: Final = "Details of the assessment are not shared with managers."

# --- Results -------------------------------------------------------------------------------

#: The fields of the results read model (`assessments.records.snapshot`) a manager may see,
#: by block. A block of results that is not a key here (the worker factors, the referrals)
#: is withheld whole; a field of a listed block that is not named is withheld (emptied).
MANAGER_RESULT_FIELDS: Final = MappingProxyType(
    {
        "results": frozenset(
            {
                "scoring_version",
                "workstation",
                "sitting",
                "lifting",
                "strain",
                "recommendations",
                "clinical_review_advised",
                "unassessed_sections",
                "catalogue_version",
            }
        ),
        "inputs": frozenset({"lifting_tasks"}),
        "workstation": frozenset({"result", "findings", "notes"}),
        "workstation.result": frozenset(
            {
                "chair",
                "chair_table",
                "monitor_phone",
                "mouse_keyboard",
                "peripherals",
                "final",
                "action_required",
                "seat_row",
                "chair_column",
                "chair_duration",
                "monitor_total",
                "phone_total",
                "mouse_total",
                "keyboard_total",
                "reasons",
            }
        ),
        "workstation.finding": frozenset({"code", "section", "text", "points"}),
        # Sitting time at work is a workplace exposure; activity outside work is personal.
        "sitting": frozenset(
            {
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
                "location",
            }
        ),
        "lifting": frozenset(
            {
                "tasks",
                "duration",
                "v_below_75cm",
                "composite_lifting_index",
                "composite_lifting_index_is_infinite",
                "applicable",
                "not_applicable_reasons",
                "warnings",
                "notes",
            }
        ),
        "lifting.task": frozenset(
            {
                "task",
                "origin",
                "destination",
                "governing",
                "travel_distance",
                "warnings",
                "warning_fields",
                "applicable",
                "not_applicable_reasons",
                "firwl",
                "strwl",
                "fili",
                "fili_is_infinite",
                "stli",
                "stli_is_infinite",
            }
        ),
        "lifting.task_input": frozenset(
            {
                "label",
                "units",
                "load",
                "max_load",
                "h_origin",
                "v_origin",
                "h_dest",
                "v_dest",
                "asymmetry_origin",
                "asymmetry_dest",
                "frequency",
                "duration",
                "coupling",
                "significant_control",
                "conditions",
            }
        ),
        "lifting.end": frozenset(
            {
                "point",
                "rwl",
                "lifting_index",
                "lifting_index_is_infinite",
                "multipliers",
                "limiting",
                "firwl",
            }
        ),
        "lifting.multipliers": frozenset({"lc", "hm", "vm", "dm", "am", "fm", "cm"}),
        # The score and band combine every component; the summary names the personal ones.
        "strain": frozenset(
            {
                "model_version",
                "score",
                "raw_score",
                "band",
                "components",
                "floors_applied",
                "not_assessed",
                "not_applicable",
                "not_assessable",
                "provisional",
            }
        ),
        # What the assessor stated about a section not assessed; a manager sees the
        # workplace sections' statements only (`statement_visible`).
        "statement": frozenset({"section", "applies", "reason"}),
        "strain.component": frozenset(
            {"component", "weight", "level", "uncapped_level", "points", "assessed", "reasons"}
        ),
        # A recommendation's reason is shown by the reason rule below, not by this list.
        "recommendation": frozenset(
            {
                "code",
                "title",
                "action",
                "category",
                "priority",
                "evidence",
                "cost_band",
                "what_if",
                "task_label",
                "task_index",
                "lifting_index",
                "lifting_index_is_infinite",
                "what_if_lifting_index",
                "what_if_lifting_index_is_infinite",
                "task_names",
                # The certainty and the cost band are what a manager reads of the evidence;
                # the evidence line names what was found, like the reason, and stays with OH.
                "certainty",
                "standard",
                "alternatives",
            }
        ),
    }
)

#: Strain components that describe the workplace rather than the person (in report order).
MANAGER_STRAIN_COMPONENTS: Final = ("lifting", "workstation", "sedentary")


def result_block_visible(block: str) -> bool:
    """Whether a manager may see any of this block of the results."""
    return block in MANAGER_RESULT_FIELDS


def result_field_visible(block: str, field: str) -> bool:
    """Whether a manager may see this field of this block of the results."""
    return field in MANAGER_RESULT_FIELDS.get(block, frozenset())


def strain_component_visible(component: str) -> bool:
    return component in MANAGER_STRAIN_COMPONENTS


#: Sections whose "not assessed" statement a manager may read: the workplace ones. The worker
#: section's statement concerns the person.
MANAGER_STATEMENT_SECTIONS: Final = frozenset({"workstation", "sitting", "lifting"})


def statement_visible(section: str) -> bool:
    return section in MANAGER_STATEMENT_SECTIONS


# --- Recommendations and actions -----------------------------------------------------------

#: Places on the hierarchy of controls that change the workplace. "individual" and
#: "clinical" concern the person's health and stay with OH.
MANAGER_ACTION_CATEGORIES: Final = frozenset({"eliminate", "engineering", "administrative"})
#: Recommendation code families (a code is "<family>.<name>") a manager may see.
MANAGER_CODE_FAMILIES: Final = frozenset(
    {"workstation", "sitting", "lifting", "education", "psychosocial"}
)
#: Of those, the families whose reason a manager may read. A psychosocial action (a
#: workload review) is agreed with the manager, but its reason quotes the worker's answers.
MANAGER_REASON_FAMILIES: Final = frozenset({"workstation", "sitting", "lifting", "education"})


def _family(code: str) -> str:
    family, dot, _name = code.partition(".")
    return family if dot else ""


def _field(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


def _families_q(families: Iterable[str], prefix: str) -> Q:
    condition = Q(pk__in=[])  # matches nothing: a family must be named to match
    for family in sorted(families):
        condition |= Q(**{_field(prefix, "code__startswith"): f"{family}."})
    return condition


def action_visible(*, code: str, category: str) -> bool:
    """Whether a manager may see this recommendation or action at all."""
    return category in MANAGER_ACTION_CATEGORIES and _family(code) in MANAGER_CODE_FAMILIES


def action_visible_q(prefix: str = "") -> Q:
    """`action_visible` as a query on `Action` (or on the action at `prefix`, e.g. "action")."""
    categories = Q(**{_field(prefix, "category__in"): sorted(MANAGER_ACTION_CATEGORIES)})
    return categories & _families_q(MANAGER_CODE_FAMILIES, prefix)


def reason_visible(*, code: str, category: str) -> bool:
    """Whether a manager may read the reason ("why") of this recommendation or action."""
    return action_visible(code=code, category=category) and (
        _family(code) in MANAGER_REASON_FAMILIES
    )


def code_readable(code: str) -> bool:
    """Whether a manager may read this code of an action they see: its family names what was
    found ("psychosocial." says that yellow flags were raised), as its reason does."""
    return _family(code) in MANAGER_REASON_FAMILIES


def reason_visible_q(prefix: str = "") -> Q:
    """`reason_visible` as a query on `Action`. Its negation is every action whose wording
    is health detail (what an erasure removes, what opening records in the audit trail)."""
    return action_visible_q(prefix) & _families_q(MANAGER_REASON_FAMILIES, prefix)


def reason_shown(reason: str, *, code: str, category: str, audience: Audience) -> str:
    """The reason of an action or recommendation as this audience may read it."""
    if audience is Audience.OH or reason_visible(code=code, category=category):
        return reason
    return WITHHELD


def code_shown(code: str, *, category: str, audience: Audience) -> str:
    """The recommendation code as this audience may read it. A code names its family, so a
    manager reads it only where they may read the reason ("psychosocial." would say that
    yellow flags were raised)."""
    if audience is Audience.OH or reason_visible(code=code, category=category):
        return code
    return WITHHELD


def evidence_shown(evidence: str, *, code: str, category: str, audience: Audience) -> str:
    """The evidence a recommendation cites, as this audience may read it. Like the code, the
    evidence names what was found ("psychosocial yellow flags"), so a manager reads it only
    where they may read the reason."""
    if audience is Audience.OH or reason_visible(code=code, category=category):
        return evidence
    return WITHHELD


# --- Photos --------------------------------------------------------------------------------

#: Photo sections a manager may see: the workplace, and the evidence of actions they see.
#: "general" photos (which may show the person) stay with OH.
MANAGER_PHOTO_SECTIONS: Final = frozenset({"workstation", "lifting", "action"})


def photo_visible_q(prefix: str = "") -> Q:
    """The photos a manager may see, as a query on `Photo`: a listed section, and for action
    evidence, an action the manager may see."""
    section = Q(**{_field(prefix, "section__in"): sorted(MANAGER_PHOTO_SECTIONS)})
    action = Q(**{_field(prefix, "action__isnull"): True}) | action_visible_q(
        _field(prefix, "action")
    )
    return section & action


# --- Free text on the assessment record ------------------------------------------------------

#: Free-text fields of an assessment record a manager may read: none. The notes and the
#: reason for an amendment are written by OH about the person and may mention their health,
#: so they stay with OH; a text field added later is withheld until it is named here.
MANAGER_ASSESSMENT_TEXT: Final[frozenset[str]] = frozenset()


def assessment_text_visible(field: str, *, audience: Audience) -> bool:
    """Whether `audience` may read the free-text `field` of an assessment record."""
    return audience is Audience.OH or field in MANAGER_ASSESSMENT_TEXT


def assessment_text_shown(field: str, value: str, *, audience: Audience) -> str:
    """The free-text `field` of an assessment as `audience` may read it: empty when withheld."""
    return value if assessment_text_visible(field, audience=audience) else ""
