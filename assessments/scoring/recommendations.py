"""From findings to ranked recommendations: the rules. The catalogue they draw on (titles,
actions, evidence, standards, cost bands, alternatives) is data in
:mod:`assessments.scoring.catalogue`, its sources in :mod:`assessments.scoring.evidence`.

:func:`recommend` reads the method results (ROSA, sitting and activity, worker factors, NIOSH
lifting, the strain score) and turns each finding into a :class:`Recommendation` that says why
it applies, quoting the finding and its number, and for lifting what the lifting index would
be if that one change were made.

Rules, each documented in docs/scoring.md ("Recommendations"):

* Workstation (catalogue 2): one recommendation per ROSA section (chair; monitor and
  telephone; mouse and keyboard), whose ``why`` lists every finding of that section and whose
  action lists the adjustment for each (:data:`ROSA_FINDING_RECOMMENDATIONS`); priority
  follows the ROSA final score (5 or more, the paper's action level: high; 3-4: medium; 1-2:
  low). ROSA's duration findings call for breaking up sitting (the telephone's for a headset).
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
  load exceeds 25 kg (Kuijer et al. 2014), with a lift table and, as an interim only, a team
  lift offered as its alternatives; job rotation when a job of several tasks has a composite
  lifting index above 1, and when that CLI exceeds 2 the same mechanical handling as a single
  task, on the task that dominates the CLI (scoring 1.1).
* Worker: physical activity below WHO's 150 min/week or strengthening on fewer than 2 days a
  week (one recommendation, listing each); an exercise programme with education for current
  mechanical pain or any episode in the last 12 months; weight-management support at BMI 30 or
  more; workload and support review and EAP/CBT-based support (with the exercise programme)
  for yellow flags; clinical referrals from the worker's referrals (red flags, inflammatory
  screen, persistent pain). Possible inflammatory pain never gets the mechanical exercise
  programme.
* Never offered as a control (:data:`catalogue.NOT_RECOMMENDED`): back belts, manual-handling
  training on its own, education on its own.

Ranking: clinical referrals first (emergencies first among them), above every ergonomic
recommendation; then priority (urgent to low), then the hierarchy of controls (eliminate,
engineering, administrative, individual, clinical); within the same urgency and category the
stronger evidence first (:attr:`evidence.Certainty.rank`), then the larger computed reduction
in the lifting index, then the cheaper. Recommendations are deduplicated by code (across
tasks too): several findings behind one code give one recommendation whose ``why`` lists
them all, at the highest of their priorities, naming every task it applies to.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Final

from assessments.scoring import niosh, rosa
from assessments.scoring import sitting as sitting_method
from assessments.scoring import worker as worker_method
from assessments.scoring.catalogue import (
    BACK_BELT_NOTE,
    CATALOGUE,
    CATALOGUE_VERSION,
    NOT_RECOMMENDED,
    CatalogueEntry,
    Category,
    CostBand,
    Priority,
)
from assessments.scoring.evidence import Certainty
from assessments.scoring.units import Units, lb_to_kg, length_unit, mass_unit

__all__ = [
    "BACK_BELT_NOTE",
    "CATALOGUE",
    "CATALOGUE_VERSION",
    "CLINICAL_URGENCY",
    "MECHANICAL_ASSIST_LI",
    "MECHANICAL_ASSIST_LOAD_KG",
    "NOT_RECOMMENDED",
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
# Rules
# --------------------------------------------------------------------------------------

ROSA_FINDING_RECOMMENDATIONS: Final[Mapping[str, tuple[str, str | None]]] = MappingProxyType(
    {
        "seat_height.too_low": ("workstation.chair_adjust_or_replace", "seat_height"),
        "seat_height.too_high": ("workstation.chair_adjust_or_replace", "seat_height"),
        "seat_height.no_foot_contact": ("workstation.chair_adjust_or_replace", "footrest"),
        "seat_height.leg_space": ("workstation.chair_adjust_or_replace", "leg_space"),
        "seat_height.non_adjustable": ("workstation.chair_adjust_or_replace", "replace"),
        "seat_depth.too_long": ("workstation.chair_adjust_or_replace", "seat_depth"),
        "seat_depth.too_short": ("workstation.chair_adjust_or_replace", "seat_depth"),
        "seat_depth.non_adjustable": ("workstation.chair_adjust_or_replace", "replace"),
        "armrests.too_high": ("workstation.chair_adjust_or_replace", "armrests"),
        "armrests.too_low_or_none": ("workstation.chair_adjust_or_replace", "armrests"),
        "armrests.hard_or_damaged": ("workstation.chair_adjust_or_replace", "armrests"),
        "armrests.too_wide": ("workstation.chair_adjust_or_replace", "armrests"),
        "armrests.non_adjustable": ("workstation.chair_adjust_or_replace", "replace"),
        "back_support.no_lumbar": ("workstation.chair_adjust_or_replace", "lumbar_support"),
        "back_support.recline_out_of_range": (
            "workstation.chair_adjust_or_replace",
            "backrest_angle",
        ),
        "back_support.none_or_leaning": ("workstation.chair_adjust_or_replace", "replace"),
        "back_support.work_surface_too_high": (
            "workstation.chair_adjust_or_replace",
            "work_surface_height",
        ),
        "back_support.non_adjustable": ("workstation.chair_adjust_or_replace", "replace"),
        "monitor.too_low": ("workstation.monitor_phone", "monitor_position"),
        "monitor.too_high": ("workstation.monitor_phone", "monitor_position"),
        "monitor.neck_twist": ("workstation.monitor_phone", "monitor_position"),
        "monitor.glare": ("workstation.monitor_phone", "glare"),
        "monitor.no_document_holder": ("workstation.monitor_phone", "document_holder"),
        "monitor.too_far": ("workstation.monitor_phone", "monitor_position"),
        "phone.too_far": ("workstation.monitor_phone", "phone_placement"),
        "phone.neck_shoulder": ("workstation.monitor_phone", "headset"),
        "phone.no_hands_free": ("workstation.monitor_phone", "headset"),
        "mouse.reaching": ("workstation.mouse_keyboard", "keyboard_mouse_placement"),
        "mouse.different_surface": ("workstation.mouse_keyboard", "keyboard_mouse_placement"),
        "mouse.pinch_grip": ("workstation.mouse_keyboard", "input_devices"),
        "mouse.palm_rest": ("workstation.mouse_keyboard", "input_devices"),
        "keyboard.wrists_extended": ("workstation.mouse_keyboard", "keyboard_mouse_placement"),
        "keyboard.wrists_deviated": ("workstation.mouse_keyboard", "keyboard_mouse_placement"),
        "keyboard.too_high": ("workstation.mouse_keyboard", "keyboard_mouse_placement"),
        "keyboard.overhead_reach": ("workstation.mouse_keyboard", "reach_zone"),
        "keyboard.platform_non_adjustable": (
            "workstation.mouse_keyboard",
            "keyboard_mouse_placement",
        ),
        "duration.chair": ("sitting.break_up_sitting", None),
        "duration.monitor": ("sitting.break_up_sitting", None),
        "duration.phone": ("workstation.monitor_phone", "headset"),
        "duration.mouse": ("sitting.break_up_sitting", None),
        "duration.keyboard": ("sitting.break_up_sitting", None),
    }
)
"""ROSA finding code -> (recommendation code, the step of that recommendation it calls for,
or None for a recommendation without steps). Covers every code in ``rosa.FINDING_CODES``."""

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

    From the catalogue (catalogue 2): ``certainty`` of the evidence and ``evidence_line``
    saying it in one line with its source, the ``outcome`` that evidence measured, the
    ``standard`` or regulation clause the measure serves, and the ``alternatives`` offered
    inside the same action (also written at the end of ``action``). ``evidence`` holds the
    full citations.
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
    certainty: Certainty | None = None
    evidence_line: str = ""
    outcome: str = ""
    standard: str = ""
    alternatives: tuple[str, ...] = ()


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
    #: The steps of a grouped entry that apply (catalogue step keys).
    steps: set[str] = dataclasses.field(default_factory=set)

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

    def cost_band(self) -> CostBand:
        """A grouped entry costs the dearest of its steps that apply; any other, its own."""
        entry = CATALOGUE[self.code]
        if not self.steps:
            return entry.cost_band
        return max((entry.steps[k].cost_band for k in self.steps), key=lambda c: c.rank)

    def action(self) -> str:
        """The catalogue's action, each step that applies in catalogue order, then the
        alternatives."""
        entry = CATALOGUE[self.code]
        parts = [entry.action]
        parts += [step.text for key, step in entry.steps.items() if key in self.steps]
        text = " ".join(parts)
        if entry.alternatives:
            text += " Alternatives: " + "; ".join(entry.alternatives) + "."
        return text


def _gain(before: float | None, after: float | None) -> float:
    if before is None or after is None:
        return 0.0
    if math.isinf(before):
        return math.inf if math.isfinite(after) else 0.0
    return before - after


class _Collector:
    """Collects drafts, merging those with the same code: one recommendation per finding per
    assessment, naming every task it applies to (scoring 1.1), and every step of a grouped
    entry that applies (catalogue 2)."""

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
        step: str | None = None,
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
        if step is not None:
            if step not in entry.steps:
                raise KeyError(f"{code} has no step {step!r}")
            draft.steps.add(step)
        if task_index is not None and name is not None:
            if all(index != task_index for index, _ in draft.tasks):
                draft.tasks.append((task_index, name))
            if what_if is not None:
                draft.what_ifs.setdefault(task_index, what_if)

    def ranked(self) -> tuple[Recommendation, ...]:
        def key(draft: _Draft) -> tuple[int, int, int, int, float, int, int]:
            entry = CATALOGUE[draft.code]
            # Clinical referrals come first, emergencies first among them: above every
            # ergonomic recommendation, whatever its priority.
            if draft.code in _EMERGENCY_CODES:
                tier = 0
            elif entry.category is Category.CLINICAL:
                tier = 1
            else:
                tier = 2
            # Within the same urgency and category: stronger evidence, then the larger
            # computed reduction, then the cheaper.
            return (
                tier,
                int(draft.priority),
                entry.category.rank,
                entry.certainty.rank,
                -draft.gain(),
                draft.cost_band().rank,
                draft.order,
            )

        result = []
        for draft in sorted(self._drafts.values(), key=key):
            entry = CATALOGUE[draft.code]
            result.append(
                Recommendation(
                    code=entry.code,
                    title=draft.title or entry.title,
                    action=draft.action(),
                    why="; ".join(draft.whys),
                    category=entry.category,
                    priority=draft.priority,
                    evidence=entry.evidence,
                    cost_band=draft.cost_band(),
                    what_if=draft.combined_what_if(),
                    task_label=draft.task_label,
                    task_index=draft.task_index,
                    lifting_index=draft.lifting_index,
                    what_if_lifting_index=draft.what_if_lifting_index,
                    task_names=draft.task_names(),
                    certainty=entry.certainty,
                    evidence_line=entry.evidence_line,
                    outcome=entry.outcome.value,
                    standard=entry.standard,
                    alternatives=entry.alternatives,
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
    steps: dict[str, set[str]] = {}
    for finding in score.findings:
        mapped = ROSA_FINDING_RECOMMENDATIONS.get(finding.code)
        if mapped is None:  # a finding code added to ROSA later; see the catalogue test
            continue
        code, step = mapped
        text = finding.text
        if finding.code.startswith("duration."):
            text = f"ROSA duration: {text}"
        grouped.setdefault(code, []).append(f"{text} (+{finding.points})")
        if step is not None:
            steps.setdefault(code, set()).add(step)
    for code, texts in grouped.items():
        why = f"{'; '.join(texts)} ({level})"
        chosen: list[str | None] = [*sorted(steps.get(code, ()))] or [None]
        for step in chosen:
            out.add(code, why, priority, step=step)


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
            "activity.physical_activity",
            f"Moderate-equivalent activity {_num(result.moderate_equivalent_minutes)} min/week "
            "(moderate + 2 × vigorous), below WHO's "
            f"{_num(sitting_method.WHO_AEROBIC_MINIMUM)} min/week",
            step="aerobic",
        )
    if not result.meets_strengthening_guideline:
        days = result.strengthening_days_per_week
        out.add(
            "activity.physical_activity",
            f"Muscle strengthening on {days} day{'s' if days != 1 else ''} a week, fewer than "
            f"WHO's {sitting_method.STRENGTHENING_DAYS_GUIDELINE}",
            Priority.LOW,
            step="strengthening",
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
        out.add(
            "lifting.mechanical_assist",
            why,
            priority,
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
# Entry point
# --------------------------------------------------------------------------------------


def recommend(
    *,
    workstation: rosa.RosaScore | None = None,
    sitting: sitting_method.SittingResult | None = None,
    worker: worker_method.WorkerResult | None = None,
    lifting: niosh.JobResult | None = None,
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
    return out.ranked()
