"""From findings to ranked recommendations.

A fixed catalogue (:data:`CATALOGUE`) holds every recommendation the product can make, each
with a stable dotted code, what to do, its place on the hierarchy of controls, a default
priority, the evidence behind it and a cost band. :func:`recommend` reads the method results
(ROSA, sitting and activity, worker factors, NIOSH lifting, the strain score) and turns each
finding into a :class:`Recommendation` that says why it applies, quoting the finding and its
number, and for lifting what the lifting index would be if that one change were made.

Rules, each documented in docs/scoring.md ("Recommendations"):

* Workstation: every ROSA finding code maps to one workstation recommendation
  (:data:`ROSA_FINDING_RECOMMENDATIONS`); priority follows the ROSA final score (5 or more, the
  paper's action level: high; 3-4: medium; 1-2: low).
* Sitting in a vehicle (scoring 1.1): seat and lumbar adjustment when sitting 4 h/day or more,
  and planned breaks on long drives when a bout exceeds 60 min or sitting is 6 h/day or more;
  never a sit-stand desk, desk break prompts or walking meetings.
* Sitting at a desk or machine: a sit-stand desk when sitting is 6 h/day or more (high or very
  high sedentary exposure), with prompts to alternate rather than stand for long; use of a desk
  already provided when it is not used; breaking up sitting every 30-60 min when the longest
  bout exceeds 60 min or ROSA rates a device's use +1; standing and walking meetings when
  standing and light activity at work is below the expert-statement goal.
* Lifting: for each task with LI > 1, one recommendation per weak multiplier at the governing
  end (:data:`WEAK_THRESHOLDS`), each with a what-if computed by :func:`niosh.what_if`; reduce or
  split the load (what-if: the load equal to the RWL); mechanical handling when LI > 2 or the
  load exceeds 25 kg (Kuijer et al. 2014), with a team lift as an interim, lower-ranked
  measure; job rotation when a job of several tasks has a composite lifting index above 1, and
  when that CLI exceeds 2 the same mechanical handling and interim team lift as a single task,
  on the task that dominates the CLI (scoring 1.1).
* Worker: physical activity below WHO's 150 min/week; strengthening on fewer than 2 days a
  week; a core and flexibility programme with a physiotherapist for current mechanical pain or
  any episode in the last 12 months; weight-management support at BMI 30 or more; workload and
  support review and EAP/CBT-based support for yellow flags; clinical referrals from the
  worker's referrals (red flags, inflammatory screen, persistent pain). Possible inflammatory
  pain never gets the mechanical exercise programme.
* Education in ergonomics and back care whenever the lifting, workstation or sedentary
  component of the strain score is at level 2 or more.

Ranking: clinical referrals first (emergencies first among them), above every ergonomic
recommendation; then priority (urgent to low), then the hierarchy of controls (eliminate,
engineering, administrative, information and training (:data:`INFORMATION_CODES`),
individual, clinical), then, for lifting, the larger reduction in the lifting index first.
Recommendations are deduplicated by code (scoring 1.1: across tasks too): several findings
behind one code give one recommendation whose ``why`` lists them all, at the highest of their
priorities, naming every task it applies to.

Back belts are never recommended: see :data:`BACK_BELT_NOTE`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Final

from assessments.scoring import niosh, rosa
from assessments.scoring import sitting as sitting_method
from assessments.scoring import strain as strain_method
from assessments.scoring import worker as worker_method
from assessments.scoring.units import Units, lb_to_kg, length_unit, mass_unit

__all__ = [
    "BACK_BELT_NOTE",
    "CATALOGUE",
    "CLINICAL_URGENCY",
    "EXPOSURE_COMPONENTS",
    "INFORMATION_CODES",
    "MECHANICAL_ASSIST_LI",
    "MECHANICAL_ASSIST_LOAD_KG",
    "ROSA_FINDING_RECOMMENDATIONS",
    "WEAK_MULTIPLIER",
    "WEAK_THRESHOLDS",
    "CatalogueEntry",
    "Category",
    "CostBand",
    "Priority",
    "Recommendation",
    "format_li",
    "recommend",
]


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
    """Change how work is organised (breaks, rotation, pacing, team lifts, training)."""
    INDIVIDUAL = "individual"
    """Support for the person (exercise, weight management, psychological support)."""
    CLINICAL = "clinical"
    """Clinical referral (red flags, inflammatory pattern)."""

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
    """A small purchase or a few sessions (footrest, headset, monitor arm)."""
    MEDIUM = "medium"
    """Equipment such as a chair or a sit-stand desk."""
    HIGH = "high"
    """Capital equipment or redesign (lift assists, conveyors, layout changes)."""


class Priority(IntEnum):
    """How soon to act; lower is sooner. Stored as its integer value."""

    URGENT = 1
    HIGH = 2
    MEDIUM = 3
    LOW = 4


# --------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One recommendation the product can make. ``priority`` is the default; the rules
    raise or lower it with the severity of the finding (see docs/scoring.md)."""

    code: str
    title: str
    action: str
    category: Category
    priority: Priority
    evidence: str
    cost_band: CostBand


_ROSA = "ROSA (Sonne, Villalta & Andrews 2012, Applied Ergonomics 43:98-108)"
_DSE = "Health and Safety (Display Screen Equipment) Regulations 1992, Schedule"
_HSE_BREAKS = (
    "HSE guidance on DSE breaks (Regulation 4: short, frequent breaks, e.g. 5-10 min after "
    "50-60 min of continuous screen work)"
)
_BUCKLEY = "Buckley et al. 2015, expert statement on the sedentary office, BJSM 49:1357-1362"
_NIOSH = "Revised NIOSH Lifting Equation, Applications Manual 94-110 (Waters et al., rev. 2021)"
_KUIJER = "Kuijer et al. 2014, Dutch practice guideline (loads over 25 kg are always a risk)"
_L23 = "HSE L23, Manual Handling Operations Regulations 1992 guidance (hierarchy of measures)"
_WHO = "WHO 2020 guidelines on physical activity and sedentary behaviour (Bull et al., BJSM)"
_STEFFENS = (
    "Steffens et al. 2016, JAMA Intern Med 176:199-208 (exercise with education RR 0.55, "
    "exercise alone RR 0.65 for a new episode of low back pain)"
)
_NG59 = "NICE NG59 Low back pain and sciatica in over 16s (2016, updated 2020)"
_YELLOW = "Kendall, Linton & Main 1997, Guide to assessing psychosocial yellow flags"


def _entry(
    code: str,
    title: str,
    action: str,
    category: Category,
    priority: Priority,
    evidence: str,
    cost_band: CostBand,
) -> tuple[str, CatalogueEntry]:
    return code, CatalogueEntry(code, title, action, category, priority, evidence, cost_band)


_ENG, _ADM, _IND, _CLIN = (
    Category.ENGINEERING,
    Category.ADMINISTRATIVE,
    Category.INDIVIDUAL,
    Category.CLINICAL,
)

CATALOGUE: Final[Mapping[str, CatalogueEntry]] = MappingProxyType(
    dict(
        [
            # --- workstation ----------------------------------------------------------
            _entry(
                "workstation.sit_stand_desk",
                "Provide a sit-stand desk and alternate sitting with standing",
                "Provide a height-adjustable (sit-stand) desk and agree a routine of changing "
                "posture through the day: alternate sitting and standing, building towards 2 h "
                "of standing and light activity at work, then 4 h (prorated for part-time "
                "hours). The aim is to change posture often, not to stand for long periods: "
                "prolonged static standing brings its own discomfort, so introduce standing "
                "gradually and keep alternating.",
                _ENG,
                Priority.MEDIUM,
                f"{_BUCKLEY}; Shrestha et al. 2018, Cochrane review CD010912 (sit-stand desks "
                "reduce sitting at work; low-quality evidence)",
                CostBand.MEDIUM,
            ),
            _entry(
                "workstation.sit_stand_desk_use",
                "Use the sit-stand desk already provided",
                "Show the worker how to set the desk at both a sitting and a standing height "
                "and agree prompts to alternate (for example at each change of task or every "
                "30-60 min). Alternate postures rather than standing for long periods.",
                _ADM,
                Priority.MEDIUM,
                _BUCKLEY,
                CostBand.NONE,
            ),
            _entry(
                "workstation.chair_adjust_or_replace",
                "Adjust the chair, or replace it with a fully adjustable chair",
                "Set the chair up with the worker: seat height, seat depth, backrest height "
                "and angle, armrests. Where the chair cannot be adjusted to fit (fixed parts, a "
                "stool, no back support), replace it with a chair adjustable in seat height, "
                "seat depth, backrest height and tilt, and armrest height.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: each non-adjustable chair part adds a point; {_DSE} (work chair)",
                CostBand.MEDIUM,
            ),
            _entry(
                "workstation.lumbar_support",
                "Support the lower back",
                "Set the backrest so its lumbar support sits in the small of the back. If the "
                "chair has none, add an adjustable lumbar support or provide a chair with one.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: adequate lumbar support with the chair reclined 95-110°",
                CostBand.LOW,
            ),
            _entry(
                "workstation.backrest_angle",
                "Set the backrest angle",
                "Adjust the backrest to recline between 95° and 110° and show the worker how "
                "to use the tilt lock.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: backrest reclined 95-110°",
                CostBand.NONE,
            ),
            _entry(
                "workstation.seat_height",
                "Set the seat height",
                "Set the seat height so the knees are at about 90° with the feet flat on the "
                "floor. If the desk is then too high, add a footrest rather than sitting low.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: knees at about 90°; {_DSE} (seat adjustable in height)",
                CostBand.NONE,
            ),
            _entry(
                "workstation.seat_depth",
                "Set the seat depth",
                "Adjust the seat pan so there is about 8 cm (3 in, two to three fingers) "
                "between its front edge and the back of the knee. If the depth cannot be set, "
                "use a chair with a seat slider or a better-fitting seat.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: about 8 cm between the seat front and the back of the knee",
                CostBand.NONE,
            ),
            _entry(
                "workstation.footrest",
                "Provide a footrest",
                "Provide a footrest where the feet do not rest flat on the floor once the seat "
                "is set for the desk.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: feet in contact with the floor; {_DSE} (footrest if wanted)",
                CostBand.LOW,
            ),
            _entry(
                "workstation.armrests",
                "Adjust or replace the armrests",
                "Set the armrests so the elbows are supported in line with the shoulders and "
                "the shoulders are relaxed; pad or replace hard or damaged armrests; bring "
                "wide armrests in, or remove armrests that hold the arms away from the body.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: elbows supported in line with the shoulders",
                CostBand.LOW,
            ),
            _entry(
                "workstation.leg_space",
                "Clear the space under the desk",
                "Remove boxes, drawers or bins from under the desk so the legs fit and the "
                "chair can be drawn in close.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: insufficient space under the desk adds a point; {_DSE} (space)",
                CostBand.NONE,
            ),
            _entry(
                "workstation.work_surface_height",
                "Bring the work surface to elbow height",
                "Lower the desk if it adjusts, or raise the chair and add a footrest, so the "
                "work surface is at elbow height and the shoulders are relaxed.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: work surface too high (shoulders shrugged) adds a point",
                CostBand.LOW,
            ),
            _entry(
                "workstation.monitor_position",
                "Position the monitor",
                "Place the screen directly in front, about an arm's length away (40-75 cm), "
                "with its top at or slightly below eye level; use a monitor arm or stand where "
                "needed.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: screen at arm's length and at eye level",
                CostBand.LOW,
            ),
            _entry(
                "workstation.glare",
                "Remove glare from the screen",
                "Turn the screen side-on to windows, use blinds, and adjust or shade lighting "
                "so that no bright light reflects on the screen.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: glare adds a point; {_DSE} (reflections and glare)",
                CostBand.LOW,
            ),
            _entry(
                "workstation.document_holder",
                "Provide a document holder",
                "Provide a document holder next to the screen, at the same height and distance, "
                "for work from paper documents.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: documents without a holder add a point; {_DSE} (document holder)",
                CostBand.LOW,
            ),
            _entry(
                "workstation.headset",
                "Provide a headset or hands-free telephone",
                "Provide a headset or hands-free telephone so the phone is never held between "
                "the neck and shoulder, especially where calls take much of the day.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: phone held between neck and shoulder adds two points",
                CostBand.LOW,
            ),
            _entry(
                "workstation.phone_placement",
                "Keep the telephone within reach",
                "Place the telephone within easy reach, within about 30 cm.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: telephone more than 30 cm away",
                CostBand.NONE,
            ),
            _entry(
                "workstation.keyboard_mouse_placement",
                "Place the keyboard and mouse close and level",
                "Put the keyboard and mouse together on the same surface, close to the body "
                "and in line with the shoulder, at elbow height with straight wrists; use an "
                "adjustable keyboard platform where the desk is too high.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: mouse in line with the shoulder, wrists straight",
                CostBand.NONE,
            ),
            _entry(
                "workstation.input_devices",
                "Provide a mouse that fits the hand",
                "Provide a mouse that fits the hand without a pinch grip, and remove hard palm "
                "rests that press on the wrist.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: pinch grip and hard palm rest each add a point",
                CostBand.LOW,
            ),
            _entry(
                "workstation.reach_zone",
                "Keep often-used items within reach",
                "Move frequently used items within easy reach of the seated worker; keep "
                "overhead storage for items rarely used.",
                _ENG,
                Priority.MEDIUM,
                f"{_ROSA}: reaching to overhead items adds a point",
                CostBand.NONE,
            ),
            # --- sitting ----------------------------------------------------------------
            _entry(
                "sitting.break_up_sitting",
                "Break up sitting every 30-60 minutes",
                "Stand up, move or change task for a few minutes at least every 30-60 min of "
                "sitting or screen work; short, frequent breaks are better than occasional "
                "long ones. Prompts help: a timer, or tasks that need standing or walking.",
                _ADM,
                Priority.MEDIUM,
                f"{_HSE_BREAKS}; {_BUCKLEY}",
                CostBand.NONE,
            ),
            _entry(
                "sitting.vehicle_seat",
                "Adjust the vehicle seat and lumbar support",
                "Set the seat so the hips are at or slightly above the knees, the pedals are "
                "reached without stretching and the backrest is slightly reclined; set the "
                "lumbar support into the small of the back and the steering wheel within easy "
                "reach. Where the seat cannot be adjusted, fit an adjustable one with lumbar "
                "support (and suspension where the ride is rough).",
                _ENG,
                Priority.MEDIUM,
                "Baradaran Mahdavi et al. 2021, Health Promot Perspect 11:393-410 (driving time "
                "and low back pain, OR 2.03); HSE guidance on driving for work",
                CostBand.LOW,
            ),
            _entry(
                "sitting.driving_breaks",
                "Plan breaks on long drives",
                "Plan routes and schedules with a break out of the vehicle at least every "
                "2 hours of driving (more often when sitting is the whole shift): walk and "
                "stretch, and avoid heavy lifting straight after a long drive.",
                _ADM,
                Priority.MEDIUM,
                "Baradaran Mahdavi et al. 2021 (driving time OR 2.03); HSE guidance on "
                "driving for work; Buckley et al. 2015 (break up prolonged sitting)",
                CostBand.NONE,
            ),
            _entry(
                "sitting.walking_meetings",
                "Stand or walk for meetings and calls",
                "Hold short meetings standing or walking, take phone calls standing, and use "
                "stairs and shared printers, to add standing and light activity to the "
                "working day.",
                _ADM,
                Priority.LOW,
                _BUCKLEY,
                CostBand.NONE,
            ),
            # --- lifting ----------------------------------------------------------------
            _entry(
                "lifting.reduce_h",
                "Bring the load closer to the body",
                "Reduce the horizontal reach: remove obstacles between the worker and the "
                "load, use smaller containers, bring shelves and pallets to the front (turn "
                "tables, pallet rotators), so the hands work close to the body.",
                _ENG,
                Priority.MEDIUM,
                f"{_NIOSH}: HM = 25/H (cm), 1.0 at 25 cm",
                CostBand.MEDIUM,
            ),
            _entry(
                "lifting.vertical_to_75",
                "Bring the lift towards knuckle height",
                "Raise low origins and lower high destinations towards about 75 cm (30 in): "
                "lift tables, pallet positioners, spring-loaded platforms, or storing heavy "
                "items at waist height.",
                _ENG,
                Priority.MEDIUM,
                f"{_NIOSH}: VM = 1 - 0.003|V - 75| (cm), 1.0 at 75 cm",
                CostBand.MEDIUM,
            ),
            _entry(
                "lifting.reduce_travel",
                "Reduce the vertical travel",
                "Reduce the vertical distance the load moves: place origin and destination at "
                "similar heights, or split the lift into stages at a comfortable height.",
                _ENG,
                Priority.MEDIUM,
                f"{_NIOSH}: DM = 0.82 + 4.5/D (cm), 1.0 at 25 cm",
                CostBand.MEDIUM,
            ),
            _entry(
                "lifting.remove_twisting",
                "Remove twisting",
                "Lay out the work so the worker faces both the origin and the destination: "
                "put them in front of each other, or give room to turn with the feet rather "
                "than the trunk.",
                _ENG,
                Priority.MEDIUM,
                f"{_NIOSH}: AM = 1 - 0.0032A, 1.0 with no asymmetry",
                CostBand.LOW,
            ),
            _entry(
                "lifting.reduce_frequency",
                "Lift less often, or add recovery time",
                "Reduce the lifting rate (pace, batch sizes, fewer handlings per item), or "
                "shorten continuous lifting with recovery periods of light work or rotation "
                "to non-lifting tasks.",
                _ADM,
                Priority.MEDIUM,
                f"{_NIOSH}: FM from Table 5 by frequency and duration",
                CostBand.LOW,
            ),
            _entry(
                "lifting.improve_coupling",
                "Give the load good handles",
                "Use containers with handles or hand-hold cut-outs of good design, or provide "
                "grips, so the hands can wrap around the load.",
                _ENG,
                Priority.MEDIUM,
                f"{_NIOSH}: CM from Table 7, 1.0 with good coupling",
                CostBand.LOW,
            ),
            _entry(
                "lifting.reduce_load",
                "Reduce or split the load",
                "Reduce the weight handled at once: smaller or lighter containers, part-filled "
                "containers, or splitting the load, so that it does not exceed the "
                "recommended weight limit.",
                _ENG,
                Priority.MEDIUM,
                f"{_NIOSH}: LI = load / RWL; the design goal is LI of 1.0 or less",
                CostBand.LOW,
            ),
            _entry(
                "lifting.mechanical_assist",
                "Replace the manual lift with mechanical handling",
                "Remove the manual lift: a vacuum lifter, hoist, lift assist, conveyor, or a "
                "process change so that the load is not lifted by hand.",
                Category.ELIMINATE,
                Priority.HIGH,
                f"{_L23}; {_KUIJER}; {_NIOSH} (LI above 2)",
                CostBand.HIGH,
            ),
            _entry(
                "lifting.team_lift",
                "Two-person lift as an interim measure",
                "Until mechanical handling is in place, plan a two-person lift with a "
                "designated lead and clear signals. A team does not halve the risk: a "
                "two-person team can handle about two-thirds of the sum of their individual "
                "capacities, and the NIOSH equation does not cover team lifts.",
                _ADM,
                Priority.MEDIUM,
                f"{_L23} (team handling)",
                CostBand.NONE,
            ),
            _entry(
                "lifting.job_rotation",
                "Rotate with non-lifting work",
                "Rotate workers between the lifting tasks and light work, so that continuous "
                "lifting is shorter and is followed by recovery time.",
                _ADM,
                Priority.MEDIUM,
                f"{_NIOSH}: duration categories and recovery (pp.13-14); composite lifting "
                "index (pp.26-28)",
                CostBand.NONE,
            ),
            _entry(
                "lifting.assess_other_method",
                "Assess this handling with a suitable method",
                "The NIOSH equation does not apply to this task as observed; assess it with a "
                "method made for it (HSE MAC for carrying and team handling, RAPP for pushing "
                "and pulling, or the Key Indicator Method).",
                _ADM,
                Priority.MEDIUM,
                f"{_NIOSH}: conditions where the equation does not apply (p.6)",
                CostBand.NONE,
            ),
            # --- activity and individual ------------------------------------------------
            _entry(
                "activity.aerobic",
                "Build up to 150 minutes of moderate activity a week",
                "Encourage at least 150 min a week of moderate-intensity activity (or 75 min "
                "vigorous, or a mix), for example brisk walking or cycling to work, building up "
                "gradually; active travel and workplace schemes make this easier.",
                _IND,
                Priority.MEDIUM,
                _WHO,
                CostBand.NONE,
            ),
            _entry(
                "activity.strengthening",
                "Muscle strengthening on 2 or more days a week",
                "Encourage muscle-strengthening activity for all major muscle groups, including "
                "the trunk and legs, on at least 2 days a week.",
                _IND,
                Priority.LOW,
                _WHO,
                CostBand.NONE,
            ),
            _entry(
                "individual.core_programme",
                "Exercise programme with a physiotherapist",
                "Offer a structured exercise programme led by a physiotherapist (trunk "
                "strength and control, flexibility, general fitness), continued as regular "
                "exercise; the protective effect fades when exercise stops. Where a clinical "
                "referral is listed, start once that review has taken place.",
                _IND,
                Priority.MEDIUM,
                f"{_STEFFENS}; {_NG59} (group exercise programmes)",
                CostBand.LOW,
            ),
            _entry(
                "individual.weight_management",
                "Offer weight-management support",
                "Offer confidential access to weight-management support (for example through "
                "occupational health or the GP), if the worker wishes. Raise it privately and "
                "as one health factor among several.",
                _IND,
                Priority.LOW,
                "Shiri et al. 2010, Am J Epidemiol 171:135-154 (obesity and incident low back "
                "pain OR 1.53); Zhang et al. 2018 (obesity OR 1.36)",
                CostBand.LOW,
            ),
            # --- psychosocial -----------------------------------------------------------
            _entry(
                "psychosocial.workload_support_review",
                "Review workload and support at work",
                "The line manager and the worker review workload, control over work, and the "
                "support available from colleagues and supervisors, and agree changes.",
                _ADM,
                Priority.MEDIUM,
                f"{_YELLOW} (work domain); HSE Management Standards for work-related stress",
                CostBand.NONE,
            ),
            _entry(
                "psychosocial.eap_cbt",
                "Offer psychological support (EAP, CBT-based)",
                "Offer the employee assistance programme and, where distress or worry about "
                "the back persists, support with a cognitive behavioural approach, ideally "
                "combined with the exercise programme.",
                _IND,
                Priority.MEDIUM,
                f"{_NG59} (psychological therapy with a cognitive behavioural approach within "
                f"a treatment package); {_YELLOW}",
                CostBand.LOW,
            ),
            # --- education --------------------------------------------------------------
            _entry(
                "education.back_care",
                "Ergonomics and back-care education",
                "Train the worker in setting up their workstation or handling task and in back "
                "care: staying active is good for the back, and how to use the changes above. "
                "Education alone does not prevent back pain, so give it together with the "
                "workplace changes and exercise, never instead of them.",
                _ADM,
                Priority.LOW,
                f"{_STEFFENS} (education alone: no effect); {_NG59}",
                CostBand.LOW,
            ),
            # --- clinical ---------------------------------------------------------------
            _entry(
                "clinical.emergency_cauda_equina",
                "Emergency: same-day assessment for possible cauda equina syndrome",
                "Send the worker for same-day emergency assessment (A&E) now; do not wait for "
                "a routine appointment.",
                _CLIN,
                Priority.URGENT,
                "NICE CKS-derived NHS red-flag list; British Association of Spine Surgeons "
                "cauda equina guidance (2018)",
                CostBand.NONE,
            ),
            _entry(
                "clinical.urgent_review",
                "Urgent clinical review of red flags",
                "Arrange an urgent review by the GP or occupational physician to exclude a "
                "specific cause before relying on ergonomic measures.",
                _CLIN,
                Priority.URGENT,
                f"NICE CKS-derived NHS red-flag list; {_NG59} (exclude specific causes)",
                CostBand.NONE,
            ),
            _entry(
                "clinical.inflammatory_referral",
                "Possible inflammatory back pain: GP review for rheumatology referral",
                "Suggest the worker sees their GP with this screen, for referral to "
                "rheumatology as NICE NG65 describes (with exactly 3 features, an HLA-B27 test "
                "first, referring if positive). Do not treat the pain as mechanical strain "
                "until that assessment has taken place.",
                _CLIN,
                Priority.MEDIUM,
                "ASAS criteria (Sieper et al. 2009); NICE NG65 Spondyloarthritis (2017), 1.1",
                CostBand.NONE,
            ),
            _entry(
                "clinical.persistent_pain_review",
                "Review of persistent back pain (GP or physiotherapist)",
                "Arrange a review of the persistent back pain with the GP or a physiotherapist, "
                "with a structured exercise programme, and agree work adjustments that keep "
                "the worker active at work.",
                _CLIN,
                Priority.MEDIUM,
                f"{_NG59}, 1.2 (exercise programmes for low back pain)",
                CostBand.LOW,
            ),
            _entry(
                "clinical.combined_programme",
                "Combined physical and psychological programme",
                "Refer, through the GP or occupational health, for a combined physical and "
                "psychological programme: group or individual exercise together with a "
                "cognitive behavioural approach.",
                _CLIN,
                Priority.MEDIUM,
                f"{_NG59}, 1.2 (combined physical and psychological programmes for persistent "
                "low back pain with psychosocial obstacles to recovery)",
                CostBand.LOW,
            ),
        ]
    )
)
"""Every recommendation the product can make, by code."""

BACK_BELT_NOTE: Final = (
    "Back belts are never recommended. NIOSH's Back Belt Working Group (Workplace Use of Back "
    "Belts, DHHS (NIOSH) 94-122, 1994) found insufficient evidence that back belts prevent "
    "injury and does not recommend them for uninjured workers; a prospective study of 13,873 "
    "material handlers found no reduction in back injury claims or back pain (Wassell et al. "
    "2000, JAMA 284:2727-2732); and NICE NG59 advises against belts or corsets for low back "
    "pain."
)
"""Why no catalogue entry recommends back belts."""


# --------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------

ROSA_FINDING_RECOMMENDATIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "seat_height.too_low": "workstation.seat_height",
        "seat_height.too_high": "workstation.seat_height",
        "seat_height.no_foot_contact": "workstation.footrest",
        "seat_height.leg_space": "workstation.leg_space",
        "seat_height.non_adjustable": "workstation.chair_adjust_or_replace",
        "seat_depth.too_long": "workstation.seat_depth",
        "seat_depth.too_short": "workstation.seat_depth",
        "seat_depth.non_adjustable": "workstation.chair_adjust_or_replace",
        "armrests.too_high": "workstation.armrests",
        "armrests.too_low_or_none": "workstation.armrests",
        "armrests.hard_or_damaged": "workstation.armrests",
        "armrests.too_wide": "workstation.armrests",
        "armrests.non_adjustable": "workstation.chair_adjust_or_replace",
        "back_support.no_lumbar": "workstation.lumbar_support",
        "back_support.recline_out_of_range": "workstation.backrest_angle",
        "back_support.none_or_leaning": "workstation.chair_adjust_or_replace",
        "back_support.work_surface_too_high": "workstation.work_surface_height",
        "back_support.non_adjustable": "workstation.chair_adjust_or_replace",
        "monitor.too_low": "workstation.monitor_position",
        "monitor.too_high": "workstation.monitor_position",
        "monitor.neck_twist": "workstation.monitor_position",
        "monitor.glare": "workstation.glare",
        "monitor.no_document_holder": "workstation.document_holder",
        "monitor.too_far": "workstation.monitor_position",
        "phone.too_far": "workstation.phone_placement",
        "phone.neck_shoulder": "workstation.headset",
        "phone.no_hands_free": "workstation.headset",
        "mouse.reaching": "workstation.keyboard_mouse_placement",
        "mouse.different_surface": "workstation.keyboard_mouse_placement",
        "mouse.pinch_grip": "workstation.input_devices",
        "mouse.palm_rest": "workstation.input_devices",
        "keyboard.wrists_extended": "workstation.keyboard_mouse_placement",
        "keyboard.wrists_deviated": "workstation.keyboard_mouse_placement",
        "keyboard.too_high": "workstation.keyboard_mouse_placement",
        "keyboard.overhead_reach": "workstation.reach_zone",
        "keyboard.platform_non_adjustable": "workstation.keyboard_mouse_placement",
        "duration.chair": "sitting.break_up_sitting",
        "duration.monitor": "sitting.break_up_sitting",
        "duration.phone": "workstation.headset",
        "duration.mouse": "sitting.break_up_sitting",
        "duration.keyboard": "sitting.break_up_sitting",
    }
)
"""ROSA finding code -> recommendation code. Covers every code in ``rosa.FINDING_CODES``."""

WEAK_MULTIPLIER: Final = 0.85
"""A multiplier below this removes more than 15 % of the load constant: "weak"."""

WEAK_THRESHOLDS: Final[Mapping[niosh.Factor, float]] = MappingProxyType(
    {
        niosh.Factor.HM: WEAK_MULTIPLIER,
        niosh.Factor.VM: WEAK_MULTIPLIER,
        # Within the equation's range DM never falls below 0.85 (0.846 at 175 cm), so 0.90
        # (D above 56 cm / 22.5 in) marks a long travel.
        niosh.Factor.DM: 0.90,
        niosh.Factor.AM: WEAK_MULTIPLIER,
        niosh.Factor.FM: WEAK_MULTIPLIER,
        # Table 7's lowest value is 0.90, so any coupling short of good is weak: handles are
        # usually the cheapest fix.
        niosh.Factor.CM: 1.0,
    }
)
"""A multiplier below its threshold at the governing end of a task with LI > 1 is weak."""

MECHANICAL_ASSIST_LI: Final = 2.0
"""LI above this calls for mechanical handling (LI 2-3 and above: Waters et al. 2011)."""
MECHANICAL_ASSIST_LOAD_KG: Final = 25.0
"""A load above this (kg) calls for mechanical handling whatever the LI (Kuijer et al. 2014)."""

INFORMATION_CODES: Final = frozenset({"education.back_care"})
"""Information and training: the last rung of the hierarchy of controls. Within the same
priority they rank after the other administrative controls (HSE L23; NIOSH hierarchy)."""

EXPOSURE_COMPONENTS: Final = (
    strain_method.Component.LIFTING,
    strain_method.Component.WORKSTATION,
    strain_method.Component.SEDENTARY,
)
"""Strain components that measure work exposure (for the education rule)."""

_EMERGENCY_CODES: Final = frozenset({"clinical.emergency_cauda_equina"})

CLINICAL_URGENCY: Final[Mapping[str, worker_method.Urgency]] = MappingProxyType(
    {
        "clinical.emergency_cauda_equina": worker_method.Urgency.EMERGENCY,
        "clinical.urgent_review": worker_method.Urgency.URGENT,
        "clinical.inflammatory_referral": worker_method.Urgency.ROUTINE,
        "clinical.persistent_pain_review": worker_method.Urgency.ROUTINE,
        "clinical.combined_programme": worker_method.Urgency.ROUTINE,
    }
)
"""Clinical recommendation code -> the urgency of its referral (it sets the action's due
date). Covers every clinical code in the catalogue."""

_REFERRAL_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "red_flag.cauda_equina": "clinical.emergency_cauda_equina",
        "red_flag.serious_pathology": "clinical.urgent_review",
        "inflammatory.consider_referral": "clinical.inflammatory_referral",
        "persistent.subacute_review": "clinical.persistent_pain_review",
        "persistent.chronic_review": "clinical.persistent_pain_review",
        "persistent.combined_programme": "clinical.combined_programme",
    }
)
_REFERRAL_BY_URGENCY: Final[Mapping[worker_method.Urgency, str]] = MappingProxyType(
    {
        worker_method.Urgency.EMERGENCY: "clinical.emergency_cauda_equina",
        worker_method.Urgency.URGENT: "clinical.urgent_review",
        worker_method.Urgency.ROUTINE: "clinical.inflammatory_referral",
    }
)

# Yellow flag field -> which psychosocial recommendations it calls for.
_WORK_FLAGS: Final = frozenset(
    {"yf_stress_worry", "yf_job_dissatisfaction", "yf_low_support_at_work"}
)
_PERSONAL_FLAGS: Final = frozenset({"yf_stress_worry", "yf_low_mood", "yf_activity_harmful_belief"})


# --------------------------------------------------------------------------------------
# Recommendation
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommendation for this assessment.

    ``why`` states the finding with its number. For lifting, ``task_label`` and
    ``task_index`` (position in the input) name the task, ``what_if`` describes the single
    change and the lifting index it would give ("H at the origin 50 → 25 cm: LI 1.8 → 1.1"),
    and ``lifting_index`` / ``what_if_lifting_index`` carry those two numbers unrounded
    (``math.inf`` when the RWL is zero). When the finding covers several tasks,
    ``task_names`` names them all, ``what_if`` gives each task's figure after its name, and
    ``task_label``, ``task_index`` and the two numbers are those of the task where the change
    helps most.
    """

    code: str
    title: str
    action: str
    why: str
    category: Category
    priority: Priority
    evidence: str
    cost_band: CostBand
    what_if: str | None = None
    task_label: str | None = None
    task_index: int | None = None
    lifting_index: float | None = None
    what_if_lifting_index: float | None = None
    task_names: tuple[str, ...] = ()
    """Every task the finding applies to ("Task “Boxes to shelf”", "Task 2"), in input
    order (scoring 1.1: one recommendation per finding, not one per task)."""


@dataclass(slots=True)
class _Draft:
    code: str
    whys: list[str]
    priority: Priority
    order: int
    what_if: str | None = None
    task_label: str | None = None
    task_index: int | None = None
    lifting_index: float | None = None
    what_if_lifting_index: float | None = None
    title: str | None = None
    #: Every task the finding applies to: (input index, name as in the reasons).
    tasks: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    #: Each task's what-if, by the task's input index.
    what_ifs: dict[int, str] = dataclasses.field(default_factory=dict)

    def gain(self) -> float:
        return _gain(self.lifting_index, self.what_if_lifting_index)

    def task_names(self) -> tuple[str, ...]:
        """The tasks' names; two tasks with the same label are told apart by position."""
        names = [name for _, name in self.tasks]
        return tuple(
            name if names.count(name) == 1 else f"{name} (task {index + 1})"
            for index, name in self.tasks
        )

    def combined_what_if(self) -> str | None:
        if len(self.what_ifs) <= 1:
            return self.what_if
        names = dict(zip((i for i, _ in self.tasks), self.task_names(), strict=True))
        return "; ".join(f"{names[i]}: {text}" for i, text in self.what_ifs.items())


def _gain(before: float | None, after: float | None) -> float:
    if before is None or after is None:
        return 0.0
    if math.isinf(before):
        return math.inf if math.isfinite(after) else 0.0
    return before - after


class _Collector:
    """Collects drafts, merging those with the same code: one recommendation per finding per
    assessment, naming every task it applies to (scoring 1.1)."""

    def __init__(self) -> None:
        self._drafts: dict[str, _Draft] = {}

    def add(
        self,
        code: str,
        why: str,
        priority: Priority | None = None,
        *,
        what_if: str | None = None,
        task_label: str | None = None,
        task_index: int | None = None,
        lifting_index: float | None = None,
        what_if_lifting_index: float | None = None,
        title: str | None = None,
    ) -> None:
        entry = CATALOGUE[code]
        chosen = entry.priority if priority is None else priority
        name = None if task_index is None else _task_name(task_index, task_label or "")
        draft = self._drafts.get(code)
        if draft is None:
            draft = self._drafts[code] = _Draft(
                code=code,
                whys=[why],
                priority=chosen,
                order=len(self._drafts),
                what_if=what_if,
                task_label=task_label,
                task_index=task_index,
                lifting_index=lifting_index,
                what_if_lifting_index=what_if_lifting_index,
                title=title,
            )
        else:
            if why not in draft.whys:
                draft.whys.append(why)
            draft.priority = min(draft.priority, chosen)
            if what_if is not None and (
                draft.what_if is None or _gain(lifting_index, what_if_lifting_index) > draft.gain()
            ):
                # The figures of the task where the change helps most lead.
                draft.what_if = what_if
                draft.lifting_index = lifting_index
                draft.what_if_lifting_index = what_if_lifting_index
                draft.task_label = task_label
                draft.task_index = task_index
                draft.title = title or draft.title
        if task_index is not None and name is not None:
            if all(index != task_index for index, _ in draft.tasks):
                draft.tasks.append((task_index, name))
            if what_if is not None:
                draft.what_ifs.setdefault(task_index, what_if)

    def ranked(self) -> tuple[Recommendation, ...]:
        def key(draft: _Draft) -> tuple[int, int, int, int, float, int]:
            entry = CATALOGUE[draft.code]
            # Clinical referrals come first, emergencies first among them: above every
            # ergonomic recommendation, whatever its priority.
            if draft.code in _EMERGENCY_CODES:
                tier = 0
            elif entry.category is Category.CLINICAL:
                tier = 1
            else:
                tier = 2
            return (
                tier,
                int(draft.priority),
                entry.category.rank,
                1 if draft.code in INFORMATION_CODES else 0,
                -draft.gain(),
                draft.order,
            )

        result = []
        for draft in sorted(self._drafts.values(), key=key):
            entry = CATALOGUE[draft.code]
            result.append(
                Recommendation(
                    code=entry.code,
                    title=draft.title or entry.title,
                    action=entry.action,
                    why="; ".join(draft.whys),
                    category=entry.category,
                    priority=draft.priority,
                    evidence=entry.evidence,
                    cost_band=entry.cost_band,
                    what_if=draft.combined_what_if(),
                    task_label=draft.task_label,
                    task_index=draft.task_index,
                    lifting_index=draft.lifting_index,
                    what_if_lifting_index=draft.what_if_lifting_index,
                    task_names=draft.task_names(),
                )
            )
        return tuple(result)


# --------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------


def _num(value: float, decimals: int = 1) -> str:
    """A measurement for a sentence: at most ``decimals`` decimals, no trailing zeros."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _multiplier(value: float) -> str:
    """A multiplier to two decimals, halves rounded up as in the manual's tables (VM at
    10 cm = 0.805 -> 0.81). Rounding to 9 decimals first removes binary noise
    (1 - 0.003 x 65 is 0.8049999999999999 in floating point)."""
    tidy = Decimal(repr(round(value, 9)))
    return str(tidy.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def format_li(value: float) -> str:
    """A lifting index to one decimal, as in the manual's worked examples; two decimals when
    one would show 1.0 for a value that is not 1.0; "∞" when the RWL is zero."""
    if math.isinf(value):
        return "∞"
    text = f"{value:.1f}"
    if text == "1.0" and abs(value - 1.0) >= 0.005:
        text = f"{value:.2f}"
    return text


def _task_name(index: int, label: str) -> str:
    return f"Task “{label}”" if label else f"Task {index + 1}"


# --------------------------------------------------------------------------------------
# Workstation (ROSA)
# --------------------------------------------------------------------------------------


def _rosa_priority(final: int) -> Priority:
    if final >= rosa.ACTION_LEVEL:
        return Priority.HIGH
    if final >= 3:
        return Priority.MEDIUM
    return Priority.LOW


def _workstation(score: rosa.RosaScore, out: _Collector) -> None:
    final = score.result.final
    priority = _rosa_priority(final)
    level = (
        f"ROSA final score {final}, at or above the action level of {rosa.ACTION_LEVEL}"
        if final >= rosa.ACTION_LEVEL
        else f"ROSA final score {final}"
    )
    grouped: dict[str, list[str]] = {}
    for finding in score.findings:
        code = ROSA_FINDING_RECOMMENDATIONS.get(finding.code)
        if code is None:  # a finding code added to ROSA later; see the catalogue test
            continue
        text = finding.text
        if finding.code.startswith("duration."):
            text = f"ROSA duration: {text}"
        grouped.setdefault(code, []).append(f"{text} (+{finding.points})")
    for code, texts in grouped.items():
        out.add(code, f"{'; '.join(texts)} ({level})", priority)


# --------------------------------------------------------------------------------------
# Sitting and activity
# --------------------------------------------------------------------------------------

_HIGH_SEDENTARY: Final = frozenset(
    {sitting_method.ExposureLevel.HIGH, sitting_method.ExposureLevel.VERY_HIGH}
)


def _sitting(result: sitting_method.SittingResult, out: _Collector) -> None:
    sitting_hours = _num(result.sitting_hours, 2)
    if result.location is sitting_method.SittingLocation.VEHICLE:
        _vehicle_sitting(result, out)
    elif result.sedentary_exposure in _HIGH_SEDENTARY:
        why = (
            f"Sits {sitting_hours} h per workday of {_num(result.hours_worked_per_day, 2)} h "
            f"({result.sedentary_exposure.value.replace('_', ' ')} sedentary exposure, "
            "6 h/day or more)"
        )
        if result.sit_stand_desk_unused:
            out.add(
                "workstation.sit_stand_desk_use",
                f"{why}; a sit-stand desk is available but not used",
            )
        elif not result.sit_stand_desk_used:
            out.add("workstation.sit_stand_desk", why)
    if result.bout_over_60_min and result.location is not sitting_method.SittingLocation.VEHICLE:
        out.add(
            "sitting.break_up_sitting",
            f"Longest uninterrupted sitting bout {_num(result.longest_sitting_bout_minutes)} min, "
            f"more than {_num(sitting_method.BOUT_LIMIT_MINUTES)} min",
        )
    if (
        not result.meets_initial_goal
        and result.location is not sitting_method.SittingLocation.VEHICLE
    ):
        out.add(
            "sitting.walking_meetings",
            f"Standing and light activity at work {_num(result.standing_light_hours, 2)} h/day, "
            f"{_num(result.gap_to_initial_goal_hours, 2)} h short of the "
            f"{_num(result.goal_initial_hours, 2)} h/day goal",
        )
    if not result.meets_aerobic_guideline:
        out.add(
            "activity.aerobic",
            f"Moderate-equivalent activity {_num(result.moderate_equivalent_minutes)} min/week "
            "(moderate + 2 × vigorous), below WHO's "
            f"{_num(sitting_method.WHO_AEROBIC_MINIMUM)} min/week",
        )
    if not result.meets_strengthening_guideline:
        days = result.strengthening_days_per_week
        out.add(
            "activity.strengthening",
            f"Muscle strengthening on {days} day{'s' if days != 1 else ''} a week, fewer than "
            f"WHO's {sitting_method.STRENGTHENING_DAYS_GUIDELINE}",
        )


def _vehicle_sitting(result: sitting_method.SittingResult, out: _Collector) -> None:
    """Sitting in a vehicle: seat and lumbar adjustment, and breaks on long drives; never a
    sit-stand desk, desk-based break prompts or walking meetings."""
    hours = _num(result.sitting_hours, 2)
    if result.sitting_hours >= 4.0 or result.sedentary_exposure in _HIGH_SEDENTARY:
        out.add(
            "sitting.vehicle_seat",
            f"Sits {hours} h per workday in a vehicle "
            f"({result.sedentary_exposure.value.replace('_', ' ')} sedentary exposure)",
            Priority.HIGH if result.sedentary_exposure in _HIGH_SEDENTARY else None,
        )
    if result.bout_over_60_min or result.sedentary_exposure in _HIGH_SEDENTARY:
        out.add(
            "sitting.driving_breaks",
            f"Drives up to {_num(result.longest_sitting_bout_minutes)} min without a break, "
            f"{hours} h per workday in the vehicle",
        )


# --------------------------------------------------------------------------------------
# Worker
# --------------------------------------------------------------------------------------

_YELLOW_FIELD_BY_LABEL: Final[Mapping[str, str]] = MappingProxyType(
    {label: field for field, label in worker_method.YELLOW_FLAG_FIELDS.items()}
)


def _worker(result: worker_method.WorkerResult, out: _Collector) -> None:
    for referral in result.referrals:
        code = _REFERRAL_CODES.get(referral.code) or _REFERRAL_BY_URGENCY[referral.urgency]
        priority = (
            Priority.URGENT
            if referral.urgency in (worker_method.Urgency.EMERGENCY, worker_method.Urgency.URGENT)
            else Priority.MEDIUM
        )
        out.add(code, referral.reason, priority)

    episodes = result.episodes_last_12_months
    inflammatory = result.pain_class is worker_method.PainClass.POSSIBLE_INFLAMMATORY
    # Possible inflammatory pain gets the rheumatology route, never the mechanical programme.
    if not inflammatory and (result.mechanical_pattern or episodes >= 1):
        parts = []
        if result.mechanical_pattern:
            parts.append("current back pain that eases with movement and returns after rest")
        if episodes >= 1:
            parts.append(
                f"{episodes} episode{'s' if episodes != 1 else ''} of low back pain in the "
                "last 12 months (previous episodes predict recurrence)"
            )
        why = "; ".join(parts)
        why = why[0].upper() + why[1:]
        out.add(
            "individual.core_programme",
            why,
            Priority.HIGH if episodes >= 3 else Priority.MEDIUM,
        )

    if result.bmi is not None and result.bmi_class is worker_method.BmiClass.OBESE:
        out.add(
            "individual.weight_management",
            f"BMI {result.bmi:.1f} kg/m² (30 or more is a risk factor for back pain)",
        )

    flags = result.yellow_flags
    if flags:
        fields = {_YELLOW_FIELD_BY_LABEL.get(label, "") for label in flags}
        priority = Priority.HIGH if len(flags) >= 3 else Priority.MEDIUM
        count = f"{len(flags)} psychosocial yellow flag{'s' if len(flags) != 1 else ''}"
        work = [label for label in flags if _YELLOW_FIELD_BY_LABEL.get(label) in _WORK_FLAGS]
        personal = [
            label for label in flags if _YELLOW_FIELD_BY_LABEL.get(label) in _PERSONAL_FLAGS
        ]
        unknown = not fields <= (_WORK_FLAGS | _PERSONAL_FLAGS)
        if work or unknown:
            out.add(
                "psychosocial.workload_support_review",
                f"{count}: {'; '.join(work or flags)}",
                priority,
            )
        if personal or unknown:
            out.add(
                "psychosocial.eap_cbt",
                f"{count}: {'; '.join(personal or flags)}",
                priority,
            )


# --------------------------------------------------------------------------------------
# Lifting
# --------------------------------------------------------------------------------------

# The method's own ideal values, per unit system (94-110 p.7): H at 25 cm / 10 in, V at
# 75 cm / 30 in, D at 25 cm / 10 in.
_H_IDEAL: Final[Mapping[Units, float]] = MappingProxyType({Units.METRIC: 25.0, Units.US: 10.0})
_V_IDEAL: Final[Mapping[Units, float]] = MappingProxyType({Units.METRIC: 75.0, Units.US: 30.0})
#: Lifting recommendations whose title names the target, in the task's own units
#: ("Bring the lift towards knuckle height (30 in)").
_TITLE_WITH_TARGET: Final = frozenset({"lifting.vertical_to_75"})
_D_IDEAL: Final[Mapping[Units, float]] = MappingProxyType({Units.METRIC: 25.0, Units.US: 10.0})

_SHORTER: Final[Mapping[niosh.Duration, niosh.Duration]] = MappingProxyType(
    {
        niosh.Duration.LONG: niosh.Duration.MODERATE,
        niosh.Duration.MODERATE: niosh.Duration.SHORT,
    }
)

_FACTOR_CODES: Final[Mapping[niosh.Factor, str]] = MappingProxyType(
    {
        niosh.Factor.HM: "lifting.reduce_h",
        niosh.Factor.VM: "lifting.vertical_to_75",
        niosh.Factor.DM: "lifting.reduce_travel",
        niosh.Factor.AM: "lifting.remove_twisting",
        niosh.Factor.FM: "lifting.reduce_frequency",
        niosh.Factor.CM: "lifting.improve_coupling",
    }
)


def _li_priority(li: float) -> Priority:
    """Lifting priority from the lifting index: > 3 urgent, > 2 high, > 1 medium."""
    if li > 3.0:
        return Priority.URGENT
    if li > 2.0:
        return Priority.HIGH
    if li > 1.0:
        return Priority.MEDIUM
    return Priority.LOW


def _lower(priority: Priority) -> Priority:
    return Priority(min(int(priority) + 1, int(Priority.LOW)))


@dataclass(frozen=True, slots=True)
class _Change:
    changes: Mapping[str, object]
    before: str
    after: str


def _factor_change(
    factor: niosh.Factor, task: niosh.LiftingTask, end: niosh.EndResult
) -> tuple[str, _Change] | None:
    """The finding text and the single change for one weak multiplier, or None when the
    multiplier cannot be improved by the change this factor stands for."""
    length = length_unit(task.units)
    at_origin = end.point is niosh.Point.ORIGIN
    where = "at the origin" if at_origin else "at the destination"
    m = end.multipliers
    if factor is niosh.Factor.HM:
        name = "h_origin" if at_origin else "h_dest"
        h = float(getattr(task, name))
        target = _H_IDEAL[task.units]
        if h <= target:
            return None
        finding = f"H {where} {_num(h)} {length} gives HM {_multiplier(m.hm)}"
        return finding, _Change(
            {name: target},
            f"H {where} {_num(h)}",
            f"{_num(target)} {length}",
        )
    if factor is niosh.Factor.VM:
        name = "v_origin" if at_origin else "v_dest"
        v = float(getattr(task, name))
        target = _V_IDEAL[task.units]
        if v == target:
            return None
        finding = f"V {where} {_num(v)} {length} gives VM {_multiplier(m.vm)}"
        return finding, _Change({name: target}, f"V {where} {_num(v)}", f"{_num(target)} {length}")
    if factor is niosh.Factor.DM:
        d = task.travel_distance
        target = _D_IDEAL[task.units]
        if d <= target:
            return None
        ideal_v = _V_IDEAL[task.units]
        v_o, v_d = task.v_origin, task.v_dest
        # Keep the end nearer 75 cm (30 in) and bring the other end to within D_ideal of it,
        # keeping the direction of the lift.
        if abs(v_o - ideal_v) <= abs(v_d - ideal_v):
            new = {"v_dest": v_o + math.copysign(target, v_d - v_o)}
        else:
            new = {"v_origin": v_d + math.copysign(target, v_o - v_d)}
        finding = f"vertical travel D {_num(d)} {length} gives DM {_multiplier(m.dm)}"
        return finding, _Change(new, f"D {_num(d)}", f"{_num(target)} {length}")
    if factor is niosh.Factor.AM:
        name = "asymmetry_origin" if at_origin else "asymmetry_dest"
        a = float(getattr(task, name))
        if a == 0.0:
            return None
        finding = f"asymmetry A {where} {_num(a)}° gives AM {_multiplier(m.am)}"
        return finding, _Change(
            {"asymmetry_origin": 0.0, "asymmetry_dest": 0.0}, f"A {where} {_num(a)}", "0°"
        )
    if factor is niosh.Factor.FM:
        # FM is weak only above F = 0.2 (at F <= 0.2 Table 5 gives 0.85 or more), so halving
        # F always changes it.
        f = task.frequency
        finding = (
            f"F {_num(f, 2)} lifts/min for {task.duration.value}-duration lifting gives "
            f"FM {_multiplier(m.fm)}"
        )
        return finding, _Change(
            {"frequency": f / 2}, f"F {_num(f, 2)}", f"{_num(f / 2, 2)} lifts/min"
        )
    # CM
    if task.coupling is niosh.Coupling.GOOD:
        return None
    finding = f"{task.coupling.value} coupling gives CM {_multiplier(m.cm)}"
    return finding, _Change(
        {"coupling": niosh.Coupling.GOOD}, f"coupling {task.coupling.value}", "good"
    )


def _what_if_text(change: _Change, before: float, after: float, index_name: str = "LI") -> str:
    return (
        f"{change.before} → {change.after}: {index_name} {format_li(before)} → {format_li(after)}"
    )


def _lifting_task(index: int, result: niosh.TaskResult, out: _Collector) -> None:
    task = result.task
    name = _task_name(index, task.label)
    label = task.label
    li = result.lifting_index

    if not result.applicable:
        out.add(
            "lifting.assess_other_method",
            f"{name}: " + "; ".join(result.not_applicable_reasons),
            task_label=label,
            task_index=index,
        )
        return

    mass = mass_unit(task.units)
    load_kg = (
        task.effective_max_load if task.units is Units.METRIC else lb_to_kg(task.effective_max_load)
    )
    heavy = load_kg > MECHANICAL_ASSIST_LOAD_KG
    if li > MECHANICAL_ASSIST_LI or heavy:
        reasons = []
        if li > MECHANICAL_ASSIST_LI:
            reasons.append(f"LI {format_li(li)}, above {_num(MECHANICAL_ASSIST_LI)}")
        if heavy:
            shown = f"{_num(task.effective_max_load)} {mass}"
            if task.units is not Units.METRIC:
                shown += f" ({_num(load_kg)} kg)"
            reasons.append(f"load {shown}, above {_num(MECHANICAL_ASSIST_LOAD_KG)} kg")
        why = f"{name}: {' and '.join(reasons)}"
        priority = Priority.URGENT if li > 3.0 else Priority.HIGH
        out.add(
            "lifting.mechanical_assist",
            why,
            priority,
            task_label=label,
            task_index=index,
            lifting_index=li,
        )
        out.add(
            "lifting.team_lift",
            why,
            _lower(priority),
            task_label=label,
            task_index=index,
            lifting_index=li,
        )

    if not li > 1.0:
        return
    priority = _li_priority(li)
    end = result.governing
    for factor in niosh.Factor:
        value = end.multipliers.factor(factor)
        if not value < WEAK_THRESHOLDS[factor]:
            continue
        found = _factor_change(factor, task, end)
        if found is None:
            continue
        finding, change = found
        after = niosh.what_if(task, **change.changes).lifting_index
        code = _FACTOR_CODES[factor]
        out.add(
            code,
            f"{name}: {finding} (LI {format_li(li)})",
            priority,
            what_if=_what_if_text(change, li, after),
            task_label=label,
            task_index=index,
            lifting_index=li,
            what_if_lifting_index=after,
            title=(
                f"{CATALOGUE[code].title} ({change.after})" if code in _TITLE_WITH_TARGET else None
            ),
        )

    rwl = result.rwl
    if rwl > 0.0:
        ratio = rwl / task.load
        changes: dict[str, object] = {"load": rwl}
        if task.max_load is not None:
            changes["max_load"] = task.max_load * ratio
        after = niosh.what_if(task, **changes).lifting_index
        change = _Change(changes, f"load {_num(task.load)}", f"{_num(rwl)} {mass} (the RWL)")
        out.add(
            "lifting.reduce_load",
            f"{name}: load {_num(task.load)} {mass} against an RWL of {_num(rwl)} {mass} "
            f"(LI {format_li(li)})",
            priority,
            what_if=_what_if_text(change, li, after),
            task_label=label,
            task_index=index,
            lifting_index=li,
            what_if_lifting_index=after,
        )
    else:
        out.add(
            "lifting.reduce_load",
            f"{name}: the RWL is 0 {mass} (no load is acceptable as the task stands); change "
            "the task's layout before its load",
            priority,
            task_label=label,
            task_index=index,
            lifting_index=li,
        )


def _lifting(job: niosh.JobResult, out: _Collector) -> None:
    for index, result in enumerate(job.tasks):
        _lifting_task(index, result, out)
    cli = job.composite_lifting_index
    if len(job.tasks) >= 2 and job.applicable and cli > MECHANICAL_ASSIST_LI:
        # A CLI above 2 (or 3) calls for the same engineering controls as a single task with
        # that index, on the task that dominates the CLI (the largest single-task LI).
        dominant = job.order[0]
        task = job.tasks[dominant].task
        why = (
            f"Composite lifting index {format_li(cli)} across {len(job.tasks)} tasks, above "
            f"{_num(MECHANICAL_ASSIST_LI)}; {_task_name(dominant, task.label)} dominates it"
        )
        priority = Priority.URGENT if cli > 3.0 else Priority.HIGH
        for code, chosen in (
            ("lifting.mechanical_assist", priority),
            ("lifting.team_lift", _lower(priority)),
        ):
            out.add(
                code,
                why,
                chosen,
                task_label=task.label,
                task_index=dominant,
                lifting_index=cli,
            )
    if len(job.tasks) >= 2 and job.applicable and cli > 1.0:
        why = f"Composite lifting index {format_li(cli)} across {len(job.tasks)} tasks, above 1.0"
        shorter = _SHORTER.get(job.duration)
        what_if = None
        after = None
        if shorter is not None:
            changed = niosh.evaluate_job(
                dataclasses.replace(r.task, duration=shorter) for r in job.tasks
            )
            after = changed.composite_lifting_index
            what_if = _what_if_text(
                _Change({}, f"duration {job.duration.value}", f"{shorter.value}"),
                cli,
                after,
                "CLI",
            )
        out.add(
            "lifting.job_rotation",
            why,
            _li_priority(cli),
            what_if=what_if,
            lifting_index=cli,
            what_if_lifting_index=after,
        )


# --------------------------------------------------------------------------------------
# Education
# --------------------------------------------------------------------------------------


def _education(result: strain_method.StrainResult, out: _Collector) -> None:
    high = [c for c in result.components if c.component in EXPOSURE_COMPONENTS and c.level >= 2]
    if high:
        parts = ", ".join(f"{c.component.label} level {c.level}" for c in high)
        out.add("education.back_care", f"Strain score exposure at level 2 or more: {parts}")


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def recommend(
    *,
    workstation: rosa.RosaScore | None = None,
    sitting: sitting_method.SittingResult | None = None,
    worker: worker_method.WorkerResult | None = None,
    lifting: niosh.JobResult | None = None,
    strain: strain_method.StrainResult | None = None,
) -> tuple[Recommendation, ...]:
    """Ranked, deduplicated recommendations for the method results given.

    Every argument is optional; a section not assessed gives no recommendations.
    """
    out = _Collector()
    if worker is not None:
        _worker(worker, out)
    if lifting is not None:
        _lifting(lifting, out)
    if workstation is not None:
        _workstation(workstation, out)
    if sitting is not None:
        _sitting(sitting, out)
    if strain is not None:
        _education(strain, out)
    return out.ranked()
