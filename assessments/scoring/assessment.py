"""One whole assessment: run every method, the strain score and the recommendations.

:func:`assess` takes an :class:`AssessmentInput` (any section may be missing: no computer work,
no lifting in the job, worker factors not recorded) and returns an :class:`AssessmentResult`
with each method's full result, the strain score built from them, the clinical referrals and
the ranked recommendations.

How the strain score's inputs are taken from the method results:

* lifting index: the governing LI of the single task, or the composite lifting index (CLI) of
  a job of several tasks; with whether the NIOSH equation applies and why not;
* workstation: the ROSA final score;
* sedentary: sitting hours per workday and the usual longest sitting bout;
* activity: moderate-equivalent minutes per week and muscle-strengthening days;
* individual: BMI, episodes in the last 12 months, current pain with the mechanical pattern;
* psychosocial: the positive yellow flags (``None`` when worker factors were not recorded);
* referrals: the reason of each referral, carried through and never scored;
* statements: for a section not assessed, the assessor's statement that it does not apply to
  this job or that it applies but could not be assessed (:class:`SectionStatement`), given to
  the strain score as the section's components.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from assessments.scoring import niosh, rosa
from assessments.scoring import sitting as sitting_method
from assessments.scoring import strain as strain_method
from assessments.scoring import worker as worker_method
from assessments.scoring.catalogue import CATALOGUE_VERSION
from assessments.scoring.errors import InputError
from assessments.scoring.recommendations import Recommendation, recommend

__all__ = [
    "ANSWERABLE",
    "MAX_LIFTING_TASKS",
    "SCORING_VERSION",
    "SECTION_COMPONENTS",
    "AssessmentInput",
    "AssessmentResult",
    "IncompleteSection",
    "Section",
    "SectionStatement",
    "Unanswered",
    "assess",
    "describe_unanswered",
    "strain_input",
]

SCORING_VERSION: Final[str] = strain_method.MODEL_VERSION
"""Version of the scoring model, stored with every result (the strain model's version)."""

MAX_LIFTING_TASKS: Final = 200
"""Most lifting tasks one assessment may hold (a job is rarely more than a dozen tasks; the
limit keeps one request's work bounded)."""


ANSWERABLE: Final[Mapping[str, Mapping[str, tuple[str, str]]]] = types.MappingProxyType(
    {
        "workstation": rosa.ITEM_LABELS,
        "sitting": sitting_method.ITEM_LABELS,
    }
)
"""Section -> the items an assessor must answer -> (group, label) for messages.

These items start unanswered: a section with any of them unanswered is not scored, and the
result says which are missing (:class:`Unanswered`) instead of scoring a guess."""


def describe_unanswered(section: str, item: str) -> str:
    """ "Chair: seat depth not answered"."""
    group, label = ANSWERABLE[section][item]
    return f"{group}: {label} not answered"


@dataclass(frozen=True, slots=True)
class IncompleteSection:
    """A section with unanswered items: what was answered, and what was not.

    ``answered`` holds the answered items (and any other fields given) as the section's input
    dataclass would take them; ``unanswered`` names the missing items in the section's order.
    """

    section: str
    answered: Mapping[str, object]
    unanswered: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.section not in ANSWERABLE:
            raise InputError(self.section, "this section has no items that may stay unanswered")
        if not self.unanswered:
            raise InputError(self.section, "an incomplete section names its unanswered items")
        for item in self.unanswered:
            if item not in ANSWERABLE[self.section]:
                raise InputError(f"{self.section}.{item}", "not an item that may stay unanswered")


@dataclass(frozen=True, slots=True)
class Unanswered:
    """One section that was not scored because items are unanswered.

    ``items`` are the field names; ``messages`` say the same in words, one per item
    ("Chair: seat depth not answered")."""

    section: str
    items: tuple[str, ...]
    messages: tuple[str, ...]


class Section(StrEnum):
    """The sections of an assessment."""

    WORKSTATION = "workstation"
    SITTING = "sitting"
    WORKER = "worker"
    LIFTING = "lifting"


SECTION_COMPONENTS: Final[Mapping[Section, tuple[strain_method.Component, ...]]] = MappingProxyType(
    {
        Section.WORKSTATION: (strain_method.Component.WORKSTATION,),
        Section.SITTING: (
            strain_method.Component.SEDENTARY,
            strain_method.Component.ACTIVITY,
        ),
        Section.WORKER: (
            strain_method.Component.INDIVIDUAL,
            strain_method.Component.PSYCHOSOCIAL,
        ),
        Section.LIFTING: (strain_method.Component.LIFTING,),
    }
)
"""The strain components each section's inputs feed."""

MAX_STATEMENT_LENGTH: Final = 500
"""Longest statement reason, in characters."""


@dataclass(frozen=True, slots=True)
class SectionStatement:
    """The assessor's statement about a section that was not assessed: it does not apply to
    this job (``applies=False``, "no lifting in this role"), or it applies but could not be
    assessed (``applies=True``, which makes the band provisional)."""

    section: Section
    applies: bool
    reason: str

    def __post_init__(self) -> None:
        if not isinstance(self.section, Section):
            raise InputError("section", f"{self.section!r} is not a section")
        if not isinstance(self.applies, bool):
            raise InputError("applies", f"{self.applies!r} is not true or false")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise InputError(
                "reason",
                'say why the section was not assessed (e.g. "no lifting in this role")',
            )
        if len(self.reason) > MAX_STATEMENT_LENGTH:
            raise InputError(
                "reason", f"{len(self.reason)} characters; at most {MAX_STATEMENT_LENGTH}"
            )
        object.__setattr__(self, "reason", self.reason.strip())


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    """Everything observed in one assessment. ``None`` (or no tasks) means not assessed.

    A section started but with items unanswered is ``None`` here and listed in
    ``incomplete``: it is not scored, and the result names what is missing."""

    workstation: rosa.RosaInput | None = None
    sitting: sitting_method.SittingInput | None = None
    worker: worker_method.WorkerInput | None = None
    lifting_tasks: tuple[niosh.LiftingTask, ...] = ()
    incomplete: tuple[IncompleteSection, ...] = field(default=())
    unassessed_sections: tuple[SectionStatement, ...] = ()
    """Statements about sections not assessed; at most one per section, none for a section
    that was assessed."""

    def assessed(self, section: Section) -> bool:
        """Whether the section has inputs."""
        if section is Section.LIFTING:
            return bool(self.lifting_tasks)
        return getattr(self, section.value) is not None

    def __post_init__(self) -> None:
        incomplete = tuple(self.incomplete)
        for part in incomplete:
            if not isinstance(part, IncompleteSection):
                raise InputError("incomplete", f"expected IncompleteSection, got {part!r}")
            if getattr(self, part.section) is not None:
                raise InputError(part.section, "a section is either scored or incomplete")
        if len({part.section for part in incomplete}) != len(incomplete):
            raise InputError("incomplete", "a section is listed as incomplete twice")
        object.__setattr__(self, "incomplete", incomplete)
        for name, kind in (
            ("workstation", rosa.RosaInput),
            ("sitting", sitting_method.SittingInput),
            ("worker", worker_method.WorkerInput),
        ):
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                raise InputError(
                    name, f"expected a {kind.__name__} or None, got {type(value).__name__}"
                )
        tasks = self.lifting_tasks
        if isinstance(tasks, str) or not isinstance(tasks, tuple | list):
            raise InputError("lifting_tasks", f"expected a tuple of tasks, got {tasks!r}")
        for position, task in enumerate(tasks):
            if not isinstance(task, niosh.LiftingTask):
                raise InputError(
                    f"lifting_tasks[{position}]",
                    f"expected a LiftingTask, got {type(task).__name__}",
                )
        if len(tasks) > MAX_LIFTING_TASKS:
            raise InputError(
                "lifting_tasks",
                f"{len(tasks)} lifting tasks; at most {MAX_LIFTING_TASKS} are accepted in one "
                "assessment",
            )
        object.__setattr__(self, "lifting_tasks", tuple(tasks))
        statements = self.unassessed_sections
        if isinstance(statements, str) or not isinstance(statements, tuple | list):
            raise InputError(
                "unassessed_sections", f"expected a list of statements, got {statements!r}"
            )
        seen: set[Section] = set()
        for position, statement in enumerate(statements):
            where = f"unassessed_sections[{position}]"
            if not isinstance(statement, SectionStatement):
                raise InputError(where, f"expected a SectionStatement, got {statement!r}")
            if statement.section in seen:
                raise InputError(f"{where}.section", f"{statement.section.value} is stated twice")
            if self.assessed(statement.section):
                raise InputError(
                    f"{where}.section",
                    f"{statement.section.value} was assessed; a statement is only for a "
                    "section that was not",
                )
            seen.add(statement.section)
        object.__setattr__(self, "unassessed_sections", tuple(statements))


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """Every result of one assessment. Field names are read by the web templates through
    ``interchange.dump_result``: keep them stable."""

    scoring_version: str
    workstation: rosa.RosaScore | None
    sitting: sitting_method.SittingResult | None
    worker: worker_method.WorkerResult | None
    lifting: niosh.JobResult | None
    """The multi-task evaluation (its ``tasks`` hold each task's own result); ``None`` when
    the assessment has no lifting tasks."""
    strain: strain_method.StrainResult
    referrals: tuple[worker_method.Referral, ...]
    """Clinical referrals, most urgent first (never part of the strain score)."""
    recommendations: tuple[Recommendation, ...]
    """Ranked: clinical emergencies, then priority, then the hierarchy of controls."""
    unanswered: tuple[Unanswered, ...] = ()
    """Sections not scored because items are unanswered, in input order; empty when every
    section given is complete (only then may an assessment be completed)."""
    unassessed_sections: tuple[SectionStatement, ...] = ()
    """The assessor's statements about the sections not assessed (from the input)."""
    catalogue_version: str = CATALOGUE_VERSION
    """Version of the recommendation catalogue and its rules (catalogue.CATALOGUE_VERSION)."""


def strain_input(
    *,
    workstation: rosa.RosaScore | None,
    sitting: sitting_method.SittingResult | None,
    worker: worker_method.WorkerResult | None,
    lifting: niosh.JobResult | None,
    statements: tuple[SectionStatement, ...] = (),
) -> strain_method.StrainInput:
    """The strain score's primitive inputs, taken from the method results and the
    statements about sections not assessed."""
    lifting_index: float | None = None
    task_count = 0
    applicable = True
    reasons: tuple[str, ...] = ()
    if lifting is not None:
        task_count = len(lifting.tasks)
        lifting_index = (
            lifting.tasks[0].lifting_index if task_count == 1 else lifting.composite_lifting_index
        )
        applicable = lifting.applicable
        reasons = lifting.not_applicable_reasons
    return strain_method.StrainInput(
        lifting_index=lifting_index,
        lifting_task_count=task_count,
        lifting_applicable=applicable,
        lifting_not_applicable_reasons=reasons,
        rosa_final=None if workstation is None else workstation.result.final,
        sitting_hours_per_workday=None if sitting is None else sitting.sitting_hours,
        longest_sitting_bout_minutes=(
            None if sitting is None else sitting.longest_sitting_bout_minutes
        ),
        moderate_equivalent_minutes=(
            None if sitting is None else sitting.moderate_equivalent_minutes
        ),
        strengthening_days_per_week=(
            None if sitting is None else sitting.strengthening_days_per_week
        ),
        bmi=None if worker is None else worker.bmi,
        episodes_last_12_months=None if worker is None else worker.episodes_last_12_months,
        current_pain_mechanical=False if worker is None else worker.mechanical_pattern,
        yellow_flags=None if worker is None else worker.yellow_flags,
        referrals=() if worker is None else tuple(r.reason for r in worker.referrals),
        not_applicable=tuple(
            c for s in statements if not s.applies for c in SECTION_COMPONENTS[s.section]
        ),
        could_not_assess=tuple(
            c for s in statements if s.applies for c in SECTION_COMPONENTS[s.section]
        ),
    )


def assess(data: AssessmentInput) -> AssessmentResult:
    """Score one assessment: each method, the strain score, referrals and recommendations."""
    if not isinstance(data, AssessmentInput):
        raise InputError("", f"expected an AssessmentInput, got {type(data).__name__}")
    workstation = None if data.workstation is None else rosa.score(data.workstation)
    sitting = None if data.sitting is None else sitting_method.score(data.sitting)
    worker = None if data.worker is None else worker_method.score(data.worker)
    lifting = niosh.evaluate_job(data.lifting_tasks) if data.lifting_tasks else None
    strain = strain_method.evaluate(
        strain_input(
            workstation=workstation,
            sitting=sitting,
            worker=worker,
            lifting=lifting,
            statements=data.unassessed_sections,
        )
    )
    return AssessmentResult(
        scoring_version=SCORING_VERSION,
        workstation=workstation,
        sitting=sitting,
        worker=worker,
        lifting=lifting,
        strain=strain,
        referrals=() if worker is None else worker.referrals,
        recommendations=recommend(
            workstation=workstation,
            sitting=sitting,
            worker=worker,
            lifting=lifting,
        ),
        unanswered=tuple(
            Unanswered(
                section=part.section,
                items=part.unanswered,
                messages=tuple(describe_unanswered(part.section, i) for i in part.unanswered),
            )
            for part in data.incomplete
        ),
        unassessed_sections=data.unassessed_sections,
    )
