"""The recommendation catalogue: every recommendation the product can make, as data.

Each :class:`CatalogueEntry` has a stable dotted code, a title, what to do, the finding that
triggers it, its place on the hierarchy of controls, a default priority, a cost band, the
evidence behind it (one or two :class:`Cite` of a claim in :data:`evidence.SOURCES`, the first
setting its certainty), the standard or regulation clause it serves, and the cheaper or
stronger alternatives offered inside the same action. Entries that group several findings of
one area (the ROSA chair section, say) hold one :class:`Step` per finding, so the action
names every adjustment that applies.

:data:`CATALOGUE_VERSION` is stored with every result. A code the catalogue no longer emits
stays in :data:`RETIRED`, so results stored before it was retired keep rendering.
:data:`NOT_RECOMMENDED` lists measures the evidence shows do not prevent back pain, with why.
``docs/recommendations.md`` is generated from this module (``python -m
assessments.scoring.catalogue``) and a test compares the two.

Pure data: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Final

from assessments.scoring.evidence import SOURCES, Certainty, Claim, Outcome, Source

__all__ = [
    "BACK_BELT_NOTE",
    "CATALOGUE",
    "CATALOGUE_VERSION",
    "KNOWN_TITLES",
    "NOT_RECOMMENDED",
    "RETIRED",
    "CatalogueEntry",
    "Category",
    "Cite",
    "CostBand",
    "NotRecommended",
    "Priority",
    "RetiredEntry",
    "Step",
]

CATALOGUE_VERSION: Final = "2"
"""Version of the catalogue and its rules, stored with every result (`catalogue_version`).
Results without one were made by catalogue 1 (scoring 1.0 and the first 1.1 results): one
recommendation per ROSA item, education offered on its own, team lifting a separate action."""


# --------------------------------------------------------------------------------------
# Enumerations (values are stored by the web app; keep them stable)
# --------------------------------------------------------------------------------------


class Category(StrEnum):
    """Place on the hierarchy of controls, most effective first."""

    ELIMINATE = "eliminate"
    """Remove the hazard (e.g. mechanical handling replaces the manual lift)."""
    ENGINEERING = "engineering"
    """Change the workplace, equipment or object (layout, chair, desk, container)."""
    ADMINISTRATIVE = "administrative"
    """Change how work is organised (breaks, rotation, pacing)."""
    INDIVIDUAL = "individual"
    """Support for the person (exercise, weight management, psychological support)."""
    CLINICAL = "clinical"
    """Clinical referral (red flags, inflammatory pattern, persistent pain)."""

    @property
    def rank(self) -> int:
        """0 for eliminate ... 4 for clinical."""
        return _CATEGORY_ORDER.index(self)


_CATEGORY_ORDER: Final = (
    Category.ELIMINATE,
    Category.ENGINEERING,
    Category.ADMINISTRATIVE,
    Category.INDIVIDUAL,
    Category.CLINICAL,
)


class CostBand(StrEnum):
    """Rough cost to the employer."""

    NONE = "none"
    """An adjustment or a change of habit; no purchase."""
    LOW = "low"
    """A small purchase or a few sessions (footrest, headset, monitor arm): under £100."""
    MEDIUM = "medium"
    """Equipment such as a chair or a sit-stand desk: £100-£1,000."""
    HIGH = "high"
    """Capital equipment or redesign (lift assists, conveyors, layout changes): over £1,000."""

    @property
    def rank(self) -> int:
        """0 for none ... 3 for high: the cheaper ranks first among equals."""
        return _COST_ORDER.index(self)

    @property
    def plain(self) -> str:
        """The cost in plain words for a manager."""
        return _COST_PLAIN[self]


_COST_ORDER: Final = (CostBand.NONE, CostBand.LOW, CostBand.MEDIUM, CostBand.HIGH)
_COST_PLAIN: Final[Mapping[CostBand, str]] = MappingProxyType(
    {
        CostBand.NONE: "no cost",
        CostBand.LOW: "low cost (under £100)",
        CostBand.MEDIUM: "medium cost (£100 to £1,000)",
        CostBand.HIGH: "high cost (over £1,000)",
    }
)


class Priority(IntEnum):
    """How soon to act; lower is sooner. Stored as its integer value."""

    URGENT = 1
    HIGH = 2
    MEDIUM = 3
    LOW = 4


# --------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cite:
    """One claim of a source, with the certainty the entry takes from it."""

    source: str
    claim: str
    certainty: Certainty

    @property
    def found(self) -> tuple[Source, Claim]:
        source = SOURCES[self.source]
        return source, source.claims[self.claim]

    def sentence(self) -> str:
        source, claim = self.found
        return f"{claim.summary} ({source.short}, {source.kind}: {claim.words})"


@dataclass(frozen=True, slots=True)
class Step:
    """One adjustment of a grouped recommendation, for one finding."""

    text: str
    cost_band: CostBand


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One recommendation the product can make. ``priority`` is the default; the rules raise
    or lower it with the severity of the finding (see docs/scoring.md)."""

    code: str
    title: str
    action: str
    trigger: str
    """The finding that triggers it, in words."""
    category: Category
    priority: Priority
    cost_band: CostBand
    """The cost of the whole measure; a grouped entry's recommendation costs the dearest of
    the steps that apply."""
    cites: tuple[Cite, ...]
    standard: str
    """The standard or regulation clause it serves ("" where none applies)."""
    alternatives: tuple[str, ...] = ()
    steps: Mapping[str, Step] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def certainty(self) -> Certainty:
        return self.cites[0].certainty

    @property
    def outcome(self) -> Outcome:
        return self.cites[0].found[1].outcome

    @property
    def evidence(self) -> str:
        """The full citations, for the reader who wants the source."""
        seen: list[str] = []
        for cite in self.cites:
            citation = SOURCES[cite.source].citation
            if citation not in seen:
                seen.append(citation)
        return " ".join(seen)

    @property
    def evidence_line(self) -> str:
        """One short line: the certainty, what the evidence found and where."""
        sentences = "; ".join(cite.sentence() for cite in self.cites)
        return f"Evidence: {self.certainty.value} — {sentences}"


def _entry(
    code: str,
    title: str,
    action: str,
    *,
    trigger: str,
    category: Category,
    priority: Priority,
    cost_band: CostBand,
    cites: tuple[Cite, ...],
    standard: str = "",
    alternatives: tuple[str, ...] = (),
    steps: Mapping[str, Step] | None = None,
) -> tuple[str, CatalogueEntry]:
    return code, CatalogueEntry(
        code=code,
        title=title,
        action=action,
        trigger=trigger,
        category=category,
        priority=priority,
        cost_band=cost_band,
        cites=cites,
        standard=standard,
        alternatives=alternatives,
        steps=MappingProxyType(dict(steps or {})),
    )


_ELIM, _ENG, _ADM, _IND, _CLIN = (
    Category.ELIMINATE,
    Category.ENGINEERING,
    Category.ADMINISTRATIVE,
    Category.INDIVIDUAL,
    Category.CLINICAL,
)
_NONE, _LOW, _MED, _HIGH = CostBand.NONE, CostBand.LOW, CostBand.MEDIUM, CostBand.HIGH
_C, _M, _L, _VL, _NG = (
    Certainty.CONSENSUS,
    Certainty.MODERATE,
    Certainty.LOW,
    Certainty.VERY_LOW,
    Certainty.NOT_GRADED,
)

_DSE = Cite("dse1992", "workstation_minimum", _C)
_NO_LBP_EFFECT = Cite("driessen2010", "ergonomics_no_effect", _L)
_LI = Cite("niosh94_110", "lifting_index", _C)
_LIFTING_STANDARD = (
    "ISO 11228-1:2021; NIOSH 94-110; HSE L23 (Manual Handling Operations Regulations 1992, "
    "regulation 4(1)(b)(ii))"
)
_SIT_STAND = Cite("shrestha2016", "sit_stand_sitting", _L)

CATALOGUE: Final[Mapping[str, CatalogueEntry]] = MappingProxyType(
    dict(
        [
            # --- workstation (one per ROSA section) -------------------------------------
            _entry(
                "workstation.chair_adjust_or_replace",
                "Set up the chair, or replace it with a fully adjustable chair",
                "Set the chair up with the worker, one adjustment at a time:",
                trigger="Any ROSA chair finding (seat height and pan, armrests, back support)",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_MED,
                cites=(_DSE, _NO_LBP_EFFECT),
                standard="EN 1335-1:2020 (office work chair); DSE Regulations 1992, Schedule "
                "(work chair)",
                alternatives=(
                    "adjusting the existing chair with the worker costs nothing: try it before "
                    "buying",
                    "an adjustable lumbar cushion or a footrest (low cost) where one part "
                    "cannot be set",
                    "a new fully adjustable chair (medium cost) only where the chair cannot be "
                    "made to fit",
                ),
                steps={
                    "seat_height": Step(
                        "Seat height: knees at about 90° with the feet flat on the floor; if "
                        "the desk is then too high, add a footrest rather than sitting low.",
                        _NONE,
                    ),
                    "footrest": Step(
                        "Footrest: provide one where the feet do not rest flat on the floor "
                        "once the seat is set for the desk.",
                        _LOW,
                    ),
                    "leg_space": Step(
                        "Leg space: clear boxes, drawers or bins from under the desk so the "
                        "chair can be drawn in close.",
                        _NONE,
                    ),
                    "seat_depth": Step(
                        "Seat depth: about 8 cm (two to three fingers) between the front of "
                        "the seat and the back of the knee.",
                        _NONE,
                    ),
                    "armrests": Step(
                        "Armrests: elbows supported in line with the shoulders, shoulders "
                        "relaxed; pad or replace hard or damaged armrests, bring wide ones in "
                        "or remove those that hold the arms away from the body.",
                        _LOW,
                    ),
                    "lumbar_support": Step(
                        "Lumbar support: set it into the small of the back; if the chair has "
                        "none, add an adjustable one.",
                        _LOW,
                    ),
                    "backrest_angle": Step(
                        "Backrest: recline it to 95-110° and show the worker the tilt lock.",
                        _NONE,
                    ),
                    "work_surface_height": Step(
                        "Work surface: lower the desk to elbow height if it adjusts, or raise "
                        "the chair and add a footrest.",
                        _LOW,
                    ),
                    "replace": Step(
                        "Where a part cannot be adjusted (fixed parts, a stool, no back "
                        "support), replace the chair with one adjustable in seat height, seat "
                        "depth, backrest height and tilt, and armrest height.",
                        _MED,
                    ),
                },
            ),
            _entry(
                "workstation.monitor_phone",
                "Set up the screen and the telephone",
                "Set up the screen and the telephone with the worker:",
                trigger="Any ROSA monitor or telephone finding",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(_DSE, _NO_LBP_EFFECT),
                standard="DSE Regulations 1992, Schedule (display screen, reflections and "
                "glare, document holder); ISO 9241-5",
                alternatives=(
                    "moving the screen and the telephone costs nothing: a monitor arm, "
                    "document holder or headset (low cost) only where that is not enough",
                ),
                steps={
                    "monitor_position": Step(
                        "Screen: directly in front, about an arm's length away (40-75 cm), "
                        "its top at or slightly below eye level; a monitor arm or stand where "
                        "needed.",
                        _LOW,
                    ),
                    "glare": Step(
                        "Glare: turn the screen side-on to windows, use blinds, and shade or "
                        "adjust lighting so no bright light reflects on the screen.",
                        _LOW,
                    ),
                    "document_holder": Step(
                        "Documents: a document holder beside the screen, at the same height "
                        "and distance.",
                        _LOW,
                    ),
                    "headset": Step(
                        "Telephone: a headset or hands-free telephone, so the phone is never "
                        "held between neck and shoulder.",
                        _LOW,
                    ),
                    "phone_placement": Step(
                        "Telephone within easy reach (about 30 cm).",
                        _NONE,
                    ),
                },
            ),
            _entry(
                "workstation.mouse_keyboard",
                "Set up the mouse and keyboard",
                "Set up the mouse and keyboard with the worker:",
                trigger="Any ROSA mouse or keyboard finding",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(_DSE, _NO_LBP_EFFECT),
                standard="DSE Regulations 1992, Schedule (keyboard, work surface); ISO 9241-5",
                alternatives=(
                    "moving the keyboard and mouse costs nothing: a new mouse or keyboard "
                    "platform (low cost) only where that is not enough",
                ),
                steps={
                    "keyboard_mouse_placement": Step(
                        "Keyboard and mouse together on the same surface, close to the body "
                        "and in line with the shoulder, at elbow height with straight wrists; "
                        "an adjustable keyboard platform where the desk is too high.",
                        _NONE,
                    ),
                    "input_devices": Step(
                        "A mouse that fits the hand without a pinch grip; remove hard palm "
                        "rests that press on the wrist.",
                        _LOW,
                    ),
                    "reach_zone": Step(
                        "Often-used items within easy reach of the seated worker; overhead "
                        "storage for items rarely used.",
                        _NONE,
                    ),
                },
            ),
            _entry(
                "workstation.sit_stand_desk",
                "Provide a sit-stand desk and alternate sitting with standing",
                "Provide a height-adjustable (sit-stand) desk and agree a routine of changing "
                "posture through the day: alternate sitting and standing, building towards 2 h "
                "of standing and light activity at work, then 4 h (prorated for part-time "
                "hours). The aim is to change posture often, not to stand for long periods: "
                "prolonged static standing brings its own discomfort, so introduce standing "
                "gradually and keep alternating.",
                trigger="Sitting 6 h a day or more at a desk or machine, without a sit-stand desk",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_MED,
                cites=(_SIT_STAND,),
                standard="ISO 9241-5 (postural change); EN 527-1 (work desks)",
                alternatives=(
                    "breaking up sitting every 30-60 min costs nothing and can start at once",
                ),
            ),
            _entry(
                "workstation.sit_stand_desk_use",
                "Use the sit-stand desk already provided",
                "Show the worker how to set the desk at both a sitting and a standing height "
                "and agree prompts to alternate (for example at each change of task or every "
                "30-60 min). Alternate postures rather than standing for long periods.",
                trigger="Sitting 6 h a day or more with a sit-stand desk that is not used",
                category=_ADM,
                priority=Priority.MEDIUM,
                cost_band=_NONE,
                cites=(_SIT_STAND,),
                standard="ISO 9241-5 (postural change)",
            ),
            # --- sitting ----------------------------------------------------------------
            _entry(
                "sitting.break_up_sitting",
                "Break up sitting every 30-60 minutes",
                "Stand up, move or change task for a few minutes at least every 30-60 min of "
                "sitting or screen work; short, frequent breaks are better than occasional "
                "long ones. Prompts help: a timer, or tasks that need standing or walking.",
                trigger="A sitting bout over 60 min, or ROSA rating a device's daily use +1",
                category=_ADM,
                priority=Priority.MEDIUM,
                cost_band=_NONE,
                cites=(Cite("stock2018", "supplementary_breaks", _M),),
                standard="DSE Regulations 1992, regulation 4 (breaks or changes of activity)",
            ),
            _entry(
                "sitting.vehicle_seat",
                "Adjust the vehicle seat and lumbar support",
                "Set the seat so the hips are at or slightly above the knees, the pedals are "
                "reached without stretching and the backrest is slightly reclined; set the "
                "lumbar support into the small of the back and the steering wheel within easy "
                "reach.",
                trigger="Sitting 4 h a day or more in a vehicle",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(
                    Cite("hse_driving", "driving_guidance", _C),
                    Cite("baradaran2021", "driving_time", _NG),
                ),
                standard="HSE INDG382 (driving at work)",
                alternatives=(
                    "where the seat cannot be adjusted, fit an adjustable seat with lumbar "
                    "support, and suspension where the ride is rough (medium cost)",
                ),
            ),
            _entry(
                "sitting.driving_breaks",
                "Plan breaks on long drives",
                "Plan routes and schedules with a break out of the vehicle at least every "
                "2 hours of driving (more often when sitting is the whole shift): walk and "
                "stretch, and avoid heavy lifting straight after a long drive.",
                trigger="Driving bouts over 60 min, or 6 h a day or more in the vehicle",
                category=_ADM,
                priority=Priority.MEDIUM,
                cost_band=_NONE,
                cites=(
                    Cite("hse_driving", "driving_guidance", _C),
                    Cite("baradaran2021", "driving_time", _NG),
                ),
                standard="HSE INDG382 (driving at work)",
            ),
            _entry(
                "sitting.walking_meetings",
                "Stand or walk for meetings and calls",
                "Hold short meetings standing or walking, take phone calls standing, and use "
                "stairs and shared printers, to add standing and light activity to the "
                "working day.",
                trigger="Standing and light activity at work below the 2 h/day goal",
                category=_ADM,
                priority=Priority.LOW,
                cost_band=_NONE,
                cites=(Cite("buckley2015", "standing_goal", _C),),
            ),
            # --- lifting ----------------------------------------------------------------
            _entry(
                "lifting.reduce_h",
                "Bring the load closer to the body",
                "Reduce the horizontal reach: remove obstacles between the worker and the "
                "load, use smaller containers, bring shelves and pallets to the front (turn "
                "tables, pallet rotators), so the hands work close to the body.",
                trigger="HM below 0.85 at the governing end of a task with LI above 1",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_MED,
                cites=(_LI,),
                standard=_LIFTING_STANDARD,
                alternatives=("removing an obstacle in front of the load costs nothing",),
            ),
            _entry(
                "lifting.vertical_to_75",
                "Bring the lift towards knuckle height",
                "Raise low origins and lower high destinations towards about 75 cm (30 in): "
                "lift tables, pallet positioners, spring-loaded platforms, or storing heavy "
                "items at waist height.",
                trigger="VM below 0.85 at the governing end of a task with LI above 1",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_MED,
                cites=(_LI,),
                standard=_LIFTING_STANDARD,
                alternatives=(
                    "storing the heaviest items at waist height costs nothing; a lift table or "
                    "pallet positioner where they cannot be",
                ),
            ),
            _entry(
                "lifting.reduce_travel",
                "Reduce the vertical travel",
                "Reduce the vertical distance the load moves: place origin and destination at "
                "similar heights, or split the lift into stages at a comfortable height.",
                trigger="DM below 0.90 (travel over 56 cm) in a task with LI above 1",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_MED,
                cites=(_LI,),
                standard=_LIFTING_STANDARD,
            ),
            _entry(
                "lifting.remove_twisting",
                "Remove twisting",
                "Lay out the work so the worker faces both the origin and the destination: "
                "put them in front of each other, or give room to turn with the feet rather "
                "than the trunk.",
                trigger="AM below 0.85 at the governing end of a task with LI above 1",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(_LI,),
                standard=_LIFTING_STANDARD,
            ),
            _entry(
                "lifting.reduce_frequency",
                "Lift less often, or add recovery time",
                "Reduce the lifting rate (pace, batch sizes, fewer handlings per item), or "
                "shorten continuous lifting with recovery periods of light work or rotation "
                "to non-lifting tasks.",
                trigger="FM below 0.85 in a task with LI above 1",
                category=_ADM,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(_LI,),
                standard=_LIFTING_STANDARD,
            ),
            _entry(
                "lifting.improve_coupling",
                "Give the load good handles",
                "Use containers with handles or hand-hold cut-outs of good design, or provide "
                "grips, so the hands can wrap around the load.",
                trigger="Coupling short of good in a task with LI above 1",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(_LI,),
                standard=_LIFTING_STANDARD,
            ),
            _entry(
                "lifting.reduce_load",
                "Reduce or split the load",
                "Reduce the weight handled at once: smaller or lighter containers, part-filled "
                "containers, or splitting the load, so that it does not exceed the "
                "recommended weight limit.",
                trigger="A task with LI above 1",
                category=_ENG,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(_LI,),
                standard=_LIFTING_STANDARD,
            ),
            _entry(
                "lifting.mechanical_assist",
                "Replace the manual lift with mechanical handling",
                "Remove the manual lift: a vacuum lifter, hoist, lift assist, conveyor, or a "
                "process change so that the load is not lifted by hand.",
                trigger="LI above 2 (a task, or the CLI of several), or a load over 25 kg",
                category=_ELIM,
                priority=Priority.HIGH,
                cost_band=_HIGH,
                cites=(
                    Cite("hse_l23", "avoid_then_reduce", _C),
                    Cite("richarz2023", "lift_assists", _NG),
                ),
                standard="Manual Handling Operations Regulations 1992, regulation 4(1)(a); "
                "HSE L23; ISO 11228-1:2021",
                alternatives=(
                    "a lift table or pallet positioner that brings the load to waist height "
                    "(medium cost) removes much of the risk where the lift itself cannot go",
                    "a two-person lift only as an interim measure while handling aids are "
                    "arranged: there is no outcome evidence for team lifting, and the lifting "
                    "equation does not cover it",
                ),
            ),
            _entry(
                "lifting.job_rotation",
                "Rotate with non-lifting work",
                "Rotate workers between the lifting tasks and light work, so that continuous "
                "lifting is shorter and is followed by recovery time.",
                trigger="A composite lifting index above 1 across two or more tasks",
                category=_ADM,
                priority=Priority.MEDIUM,
                cost_band=_NONE,
                cites=(_LI, Cite("job_rotation_review", "inconsistent", _NG)),
                standard=_LIFTING_STANDARD,
            ),
            _entry(
                "lifting.assess_other_method",
                "Assess this handling with a suitable method",
                "The NIOSH equation does not apply to this task as observed; assess it with a "
                "method made for it (HSE MAC for carrying and team handling, RAPP for pushing "
                "and pulling, or the Key Indicator Method).",
                trigger="A lifting task outside the equation's scope",
                category=_ADM,
                priority=Priority.MEDIUM,
                cost_band=_NONE,
                cites=(Cite("niosh94_110", "out_of_scope", _C),),
                standard="HSE L23 (risk filters); ISO 11228-1:2021",
            ),
            # --- activity and individual ------------------------------------------------
            _entry(
                "activity.physical_activity",
                "Physical activity to WHO levels",
                "Encourage, at the worker's own pace:",
                trigger="Moderate-equivalent activity below 150 min/week, or muscle "
                "strengthening on fewer than 2 days a week",
                category=_IND,
                priority=Priority.MEDIUM,
                cost_band=_NONE,
                cites=(
                    Cite("who2020", "activity_levels", _C),
                    Cite("shiri2017", "leisure_activity", _NG),
                ),
                standard="WHO 2020 guidelines on physical activity",
                steps={
                    "aerobic": Step(
                        "at least 150 min a week of moderate-intensity activity (or 75 min "
                        "vigorous, or a mix), such as brisk walking or cycling to work, built "
                        "up gradually;",
                        _NONE,
                    ),
                    "strengthening": Step(
                        "muscle-strengthening activity for all major muscle groups, including "
                        "the trunk and legs, on at least 2 days a week.",
                        _NONE,
                    ),
                },
            ),
            _entry(
                "individual.core_programme",
                "Exercise programme with education (physiotherapist)",
                "Offer a structured exercise programme led by a physiotherapist (trunk "
                "strength and control, flexibility, general fitness) together with education: "
                "the back is strong, staying active helps it recover, and how to pace "
                "activity. Continue it as regular exercise: the protective effect fades when "
                "exercise stops. Where a clinical referral is listed, start once that review "
                "has taken place.",
                trigger="Current mechanical back pain, or an episode in the last 12 months",
                category=_IND,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(Cite("steffens2016", "exercise_with_education", _M),),
                standard="NICE NG59 (exercise programmes)",
                alternatives=(
                    "a group exercise programme (NICE NG59) costs less than one-to-one sessions",
                ),
            ),
            _entry(
                "individual.weight_management",
                "Offer weight-management support",
                "Offer confidential access to weight-management support (for example through "
                "occupational health or the GP), if the worker wishes. Raise it privately and "
                "as one health factor among several.",
                trigger="BMI 30 or more",
                category=_IND,
                priority=Priority.LOW,
                cost_band=_LOW,
                cites=(Cite("shiri2010", "obesity", _NG),),
            ),
            # --- psychosocial -----------------------------------------------------------
            _entry(
                "psychosocial.workload_support_review",
                "Review workload and support at work",
                "The line manager and the worker review workload, control over work, and the "
                "support available from colleagues and supervisors, and agree changes.",
                trigger="A work-related yellow flag (stress, job dissatisfaction, low support)",
                category=_ADM,
                priority=Priority.MEDIUM,
                cost_band=_NONE,
                cites=(
                    Cite("hse_management_standards", "stress_review", _C),
                    Cite("hoogendoorn2000", "work_factors", _NG),
                ),
                standard="HSE Management Standards for work-related stress",
            ),
            _entry(
                "psychosocial.eap_cbt",
                "Offer psychological support (EAP, CBT-based) with the exercise programme",
                "Offer the employee assistance programme and, where distress or worry about "
                "the back persists, support with a cognitive behavioural approach, combined "
                "with the exercise programme rather than on its own.",
                trigger="A personal yellow flag (distress, low mood, belief that activity harms)",
                category=_IND,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(
                    Cite("nice_ng59", "psychological_with_exercise", _C),
                    Cite("linton2001", "cbt_group", _NG),
                ),
                standard="NICE NG59 (psychological therapy within a treatment package)",
            ),
            # --- clinical ---------------------------------------------------------------
            _entry(
                "clinical.emergency_cauda_equina",
                "Emergency: same-day assessment for possible cauda equina syndrome",
                "Send the worker for same-day emergency assessment (A&E) now; do not wait for "
                "a routine appointment.",
                trigger="A cauda equina red flag answered yes",
                category=_CLIN,
                priority=Priority.URGENT,
                cost_band=_NONE,
                cites=(Cite("red_flags", "same_day", _C),),
            ),
            _entry(
                "clinical.urgent_review",
                "Urgent clinical review of red flags",
                "Arrange an urgent review by the GP or occupational physician to exclude a "
                "specific cause before relying on ergonomic measures.",
                trigger="A red flag of serious pathology answered yes",
                category=_CLIN,
                priority=Priority.URGENT,
                cost_band=_NONE,
                cites=(Cite("nice_ng59", "exclude_specific_causes", _C),),
                standard="NICE NG59 (exclude specific causes)",
            ),
            _entry(
                "clinical.inflammatory_referral",
                "Possible inflammatory back pain: GP review for rheumatology referral",
                "Suggest the worker sees their GP with this screen, for referral to "
                "rheumatology as NICE NG65 describes (with exactly 3 features, an HLA-B27 test "
                "first, referring if positive). Do not treat the pain as mechanical strain "
                "until that assessment has taken place.",
                trigger="ASAS criteria or NICE NG65 referral criteria met",
                category=_CLIN,
                priority=Priority.MEDIUM,
                cost_band=_NONE,
                cites=(Cite("nice_ng65", "rheumatology_referral", _C),),
                standard="NICE NG65, 1.1",
            ),
            _entry(
                "clinical.persistent_pain_review",
                "Review of persistent back pain (GP or physiotherapist)",
                "Arrange a review of the persistent back pain with the GP or a physiotherapist, "
                "with a structured exercise programme, and agree work adjustments that keep "
                "the worker active at work.",
                trigger="Current back pain for more than 6 weeks",
                category=_CLIN,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(Cite("nice_ng59", "exercise_programme", _C),),
                standard="NICE NG59, 1.2 (exercise)",
            ),
            _entry(
                "clinical.combined_programme",
                "Combined physical and psychological programme",
                "Refer, through the GP or occupational health, for a combined physical and "
                "psychological programme: group or individual exercise together with a "
                "cognitive behavioural approach.",
                trigger="Chronic back pain (over 12 weeks) with psychosocial flags",
                category=_CLIN,
                priority=Priority.MEDIUM,
                cost_band=_LOW,
                cites=(Cite("nice_ng59", "psychological_with_exercise", _C),),
                standard="NICE NG59, 1.2 (combined physical and psychological programmes)",
            ),
        ]
    )
)
"""Every recommendation the product can make now, by code."""


# --------------------------------------------------------------------------------------
# Retired codes (results stored before they were retired still name them)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetiredEntry:
    """A code an earlier catalogue emitted. Stored results and actions keep their own
    wording; this keeps the code known (its title, where it went) to the pages, the reports
    and erasure."""

    code: str
    title: str
    category: Category
    cost_band: CostBand
    replaced_by: str
    """The current code that covers the finding, or "" where nothing does."""
    reason: str


def _retired(
    code: str, title: str, category: Category, cost_band: CostBand, replaced_by: str, reason: str
) -> tuple[str, RetiredEntry]:
    return code, RetiredEntry(code, title, category, cost_band, replaced_by, reason)


_CHAIR, _SCREEN, _INPUT = (
    "workstation.chair_adjust_or_replace",
    "workstation.monitor_phone",
    "workstation.mouse_keyboard",
)
_BY_SECTION = "catalogue 2: one recommendation per ROSA section, listing each adjustment"

RETIRED: Final[Mapping[str, RetiredEntry]] = MappingProxyType(
    dict(
        [
            _retired(
                "workstation.seat_height", "Set the seat height", _ENG, _NONE, _CHAIR, _BY_SECTION
            ),
            _retired(
                "workstation.seat_depth", "Set the seat depth", _ENG, _NONE, _CHAIR, _BY_SECTION
            ),
            _retired("workstation.footrest", "Provide a footrest", _ENG, _LOW, _CHAIR, _BY_SECTION),
            _retired(
                "workstation.armrests",
                "Adjust or replace the armrests",
                _ENG,
                _LOW,
                _CHAIR,
                _BY_SECTION,
            ),
            _retired(
                "workstation.lumbar_support",
                "Support the lower back",
                _ENG,
                _LOW,
                _CHAIR,
                _BY_SECTION,
            ),
            _retired(
                "workstation.backrest_angle",
                "Set the backrest angle",
                _ENG,
                _NONE,
                _CHAIR,
                _BY_SECTION,
            ),
            _retired(
                "workstation.leg_space",
                "Clear the space under the desk",
                _ENG,
                _NONE,
                _CHAIR,
                _BY_SECTION,
            ),
            _retired(
                "workstation.work_surface_height",
                "Bring the work surface to elbow height",
                _ENG,
                _LOW,
                _CHAIR,
                _BY_SECTION,
            ),
            _retired(
                "workstation.monitor_position",
                "Position the monitor",
                _ENG,
                _LOW,
                _SCREEN,
                _BY_SECTION,
            ),
            _retired(
                "workstation.glare",
                "Remove glare from the screen",
                _ENG,
                _LOW,
                _SCREEN,
                _BY_SECTION,
            ),
            _retired(
                "workstation.document_holder",
                "Provide a document holder",
                _ENG,
                _LOW,
                _SCREEN,
                _BY_SECTION,
            ),
            _retired(
                "workstation.headset",
                "Provide a headset or hands-free telephone",
                _ENG,
                _LOW,
                _SCREEN,
                _BY_SECTION,
            ),
            _retired(
                "workstation.phone_placement",
                "Keep the telephone within reach",
                _ENG,
                _NONE,
                _SCREEN,
                _BY_SECTION,
            ),
            _retired(
                "workstation.keyboard_mouse_placement",
                "Place the keyboard and mouse close and level",
                _ENG,
                _NONE,
                _INPUT,
                _BY_SECTION,
            ),
            _retired(
                "workstation.input_devices",
                "Provide a mouse that fits the hand",
                _ENG,
                _LOW,
                _INPUT,
                _BY_SECTION,
            ),
            _retired(
                "workstation.reach_zone",
                "Keep often-used items within reach",
                _ENG,
                _NONE,
                _INPUT,
                _BY_SECTION,
            ),
            _retired(
                "activity.aerobic",
                "Build up to 150 minutes of moderate activity a week",
                _IND,
                _NONE,
                "activity.physical_activity",
                "catalogue 2: one recommendation for physical activity below WHO levels",
            ),
            _retired(
                "activity.strengthening",
                "Muscle strengthening on 2 or more days a week",
                _IND,
                _NONE,
                "activity.physical_activity",
                "catalogue 2: one recommendation for physical activity below WHO levels",
            ),
            _retired(
                "lifting.team_lift",
                "Two-person lift as an interim measure",
                _ADM,
                _NONE,
                "lifting.mechanical_assist",
                "catalogue 2: offered as an interim alternative inside the mechanical-handling "
                "action (no outcome evidence for team lifting)",
            ),
            _retired(
                "education.back_care",
                "Ergonomics and back-care education",
                _ADM,
                _LOW,
                "individual.core_programme",
                "catalogue 2: education alone does not prevent back pain (Steffens 2016); it is "
                "given with the exercise programme instead",
            ),
        ]
    )
)
"""Every code an earlier catalogue emitted and this one does not, by code."""

KNOWN_TITLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        **{code: entry.title for code, entry in RETIRED.items()},
        **{code: entry.title for code, entry in CATALOGUE.items()},
    }
)
"""The catalogue's title of every code ever emitted, current or retired."""


# --------------------------------------------------------------------------------------
# Not recommended, and why
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotRecommended:
    """A measure people ask for that the evidence shows does not prevent back pain."""

    measure: str
    why: str
    cites: tuple[Cite, ...]

    @property
    def line(self) -> str:
        sentences = "; ".join(cite.sentence() for cite in self.cites)
        return f"{self.measure}: {self.why} ({sentences})."


NOT_RECOMMENDED: Final = (
    NotRecommended(
        "Back belts or lumbar corsets worn at work",
        "never offered: they do not prevent back pain or injury",
        (
            Cite("wassell2000", "belts_no_effect", _NG),
            Cite("nice_ng59", "no_belts", _C),
        ),
    ),
    NotRecommended(
        "Manual-handling (lifting technique) training on its own",
        "never offered as a control: training does not prevent back pain; the lift itself "
        "is changed instead",
        (Cite("verbeek2011", "training_no_effect", _M),),
    ),
    NotRecommended(
        "Back-care or ergonomics education on its own",
        "never offered on its own: education is given with the exercise programme, where "
        "the combination works",
        (Cite("steffens2016", "education_alone", _M),),
    ),
)
"""Measures never offered as a control, each with its evidence."""

BACK_BELT_NOTE: Final = (
    "Back belts are never recommended. NIOSH's Back Belt Working Group (Workplace Use of Back "
    "Belts, DHHS (NIOSH) 94-122, 1994) found insufficient evidence that back belts prevent "
    "injury and does not recommend them for uninjured workers; a prospective study of 13,873 "
    "material handlers found no reduction in back injury claims or back pain (Wassell et al. "
    "2000, JAMA 284:2727-2732); and NICE NG59 advises against belts or corsets for low back "
    "pain."
)
"""Why no catalogue entry recommends back belts."""
