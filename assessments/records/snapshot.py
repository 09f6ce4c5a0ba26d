"""The stored snapshot of a completed assessment, read back as typed values.

Completing an assessment stores the interchange input it was scored from (`inputs`), the
results (`interchange.dump_result`, in `results`) and the `scoring_version` that produced
them. This module is the one place that reads those JSON documents. Everything else —
pages, htmx partials, reports, exports, charts, the dashboard's query columns — reads the
attributes of the read model below: frozen dataclasses whose attribute names are the
result field names of docs/interchange.md, so templates read `results.strain.band` as
before.

Versions. Each scoring version that ever wrote a snapshot has a reader in `READERS`,
keyed by the version string. A snapshot is always read by the reader of the version that
wrote it, so a report of a 1.0 assessment renders the same next year, whatever later
versions change. When a scoring version changes the shape or meaning of a stored field,
add a reader for it beside the old ones (typically a subclass of the newest reader that
overrides the parts that changed) and map the new document onto the read model, extending
the read model where the new version says more. The old readers stay as they are. A
version without a reader is refused with `UnknownScoringVersion`, never guessed at.

What a manager may see of a snapshot is decided by `assessments.core.health`; `Results
.for_audience` applies it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, ClassVar, Final, Protocol

from assessments.core import health
from assessments.core.health import Audience


def snapshot_digest(inputs: dict[str, Any], results: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a snapshot, printed on reports rendered from it."""
    canonical = json.dumps(
        {"inputs": inputs, "results": results}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class SnapshotError(ValueError):
    """A stored snapshot that its reader cannot read; the message says where and why."""


class UnknownScoringVersion(SnapshotError):
    """A snapshot written by a scoring version this app has no reader for."""

    def __init__(self, version: object) -> None:
        known = ", ".join(sorted(READERS))
        super().__init__(
            f"No snapshot reader for scoring version {version!r}; this app reads {known}. "
            "Add a reader for it to assessments.records.snapshot.READERS."
        )
        self.version = version


# --- The read model -----------------------------------------------------------------------
#
# `BLOCK` names each class in the manager allowlist (`health.MANAGER_RESULT_FIELDS`). A field
# the allowlist does not name is withheld from managers: emptied to (), "" or None, so such
# fields are typed to allow that (checked by tests/test_snapshot_reader.py).


@dataclass(frozen=True, slots=True)
class Block:
    """A part of the read model, named for the allowlist."""

    BLOCK: ClassVar[str] = ""


@dataclass(frozen=True, slots=True)
class Finding(Block):
    """One ROSA observation: its code, the part of the sheet it scores, its words, its points."""

    BLOCK: ClassVar[str] = "workstation.finding"
    code: str
    section: str
    text: str
    points: int


@dataclass(frozen=True, slots=True)
class RosaResult(Block):
    BLOCK: ClassVar[str] = "workstation.result"
    chair: int
    chair_table: int
    monitor_phone: int
    mouse_keyboard: int
    peripherals: int
    final: int
    action_required: bool
    seat_row: int
    chair_column: int
    chair_duration: int
    monitor_total: int
    phone_total: int
    mouse_total: int
    keyboard_total: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Workstation(Block):
    BLOCK: ClassVar[str] = "workstation"
    result: RosaResult
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sitting(Block):
    """Sitting at work against the guidelines, and activity outside work (personal)."""

    BLOCK: ClassVar[str] = "sitting"
    hours_worked_per_day: float
    sitting_hours: float
    standing_hours: float
    walking_hours: float
    heavy_hours: float
    standing_light_hours: float
    prorate_factor: float | None
    goal_initial_hours: float
    goal_progressed_hours: float
    gap_to_initial_goal_hours: float
    gap_to_progressed_goal_hours: float
    meets_initial_goal: bool
    meets_progressed_goal: bool
    moderate_equivalent_minutes: float | None
    meets_aerobic_guideline: bool | None
    reaches_aerobic_upper_range: bool | None
    strengthening_days_per_week: int | None
    meets_strengthening_guideline: bool | None
    sedentary_exposure: str
    activity_exposure: str
    longest_sitting_bout_minutes: float
    bout_over_60_min: bool | None
    sitting_over_5_hours: bool | None
    sit_stand_desk_available: bool | None
    sit_stand_desk_used: bool | None
    sit_stand_desk_unused: bool
    sedentary_reasons: tuple[str, ...]
    goal_reasons: tuple[str, ...]
    activity_reasons: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def location(self) -> str:
        """Where the sitting happens (version 1.1 and later; 1.0 assumed a desk)."""
        return "desk"


@dataclass(frozen=True, slots=True)
class SittingV1_1(Sitting):
    """Sitting as version 1.1 stores it, with where the sitting happens."""

    location: str


@dataclass(frozen=True, slots=True)
class Referral(Block):
    BLOCK: ClassVar[str] = "referral"
    code: str
    urgency: str
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class InflammatoryScreen(Block):
    BLOCK: ClassVar[str] = "worker.inflammatory"
    duration_over_3_months: bool
    onset_before_45: bool
    asas_count: int
    asas_features: tuple[str, ...]
    asas_applicable: bool
    asas_positive: bool
    ng65_count: int
    ng65_features: tuple[str, ...]
    ng65_applicable: bool
    ng65_outcome: str
    pattern_overlap: bool
    derived_features: tuple[str, ...]
    reasons: tuple[str, ...]


#: How each pain class reads on pages and in reports.
PAIN_CLASS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "mechanical": "Mechanical",
        "possible_inflammatory": "Possible inflammatory back pain",
        "unclassified": "Unclassified",
    }
)


@dataclass(frozen=True, slots=True)
class Worker(Block):
    """Worker factors, yellow and red flags: health detail, for OH only."""

    BLOCK: ClassVar[str] = "worker"
    age_years: int
    bmi: float | None
    bmi_source: str | None
    bmi_class: str | None
    current_pain: bool
    pain_duration_weeks: float | None
    pain_duration_class: str | None
    pain_intensity: float | None
    episodes_last_12_months: int
    mechanical_pattern: bool
    yellow_flags: tuple[str, ...]
    red_flags: tuple[str, ...]
    age_red_flag: bool
    referrals: tuple[Referral, ...]
    inflammatory: InflammatoryScreen
    reasons: tuple[str, ...]
    # Recorded since the pain-pattern screen; the defaults mean "not recorded" (documents
    # written before it still read, and show nothing for these).
    #: "mechanical", "possible_inflammatory" or "unclassified"; None: no current pain or
    #: not recorded.
    pain_class: str | None = None
    pain_class_criteria: tuple[str, ...] = ()
    morning_stiffness_minutes: int | None = None
    #: Labels of the red-flag questions not asked, and the assessor's reason.
    red_flags_not_asked: tuple[str, ...] = ()
    red_flags_not_asked_reason: str = ""

    @property
    def pain_class_label(self) -> str:
        return PAIN_CLASS_LABELS.get(self.pain_class or "", "")


@dataclass(frozen=True, slots=True)
class TaskInput(Block):
    """A lifting task as the assessor entered it, in its own units."""

    BLOCK: ClassVar[str] = "lifting.task_input"
    label: str
    units: str
    load: float
    max_load: float | None
    h_origin: float
    v_origin: float
    h_dest: float
    v_dest: float
    asymmetry_origin: float
    asymmetry_dest: float
    frequency: float
    duration: str
    coupling: str
    significant_control: bool
    conditions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Multipliers(Block):
    BLOCK: ClassVar[str] = "lifting.multipliers"
    lc: float
    hm: float
    vm: float
    dm: float
    am: float
    fm: float
    cm: float


@dataclass(frozen=True, slots=True)
class LiftEnd(Block):
    """The NIOSH equation at one end of a lift ("origin" or "destination")."""

    BLOCK: ClassVar[str] = "lifting.end"
    point: str
    rwl: float
    #: None when infinite (a recommended weight limit of 0): see `lifting_index_is_infinite`.
    lifting_index: float | None
    lifting_index_is_infinite: bool
    multipliers: Multipliers
    limiting: str
    firwl: float


@dataclass(frozen=True, slots=True)
class TaskResult(Block):
    BLOCK: ClassVar[str] = "lifting.task"
    task: TaskInput
    origin: LiftEnd
    destination: LiftEnd | None
    governing: LiftEnd
    travel_distance: float
    warnings: tuple[str, ...]
    warning_fields: tuple[str, ...]
    applicable: bool
    not_applicable_reasons: tuple[str, ...]
    firwl: float
    strwl: float
    fili: float | None
    fili_is_infinite: bool
    stli: float | None
    stli_is_infinite: bool

    @property
    def ends(self) -> tuple[LiftEnd, ...]:
        """The ends evaluated: the origin, and the destination under significant control."""
        return (self.origin,) if self.destination is None else (self.origin, self.destination)


@dataclass(frozen=True, slots=True)
class Lifting(Block):
    BLOCK: ClassVar[str] = "lifting"
    tasks: tuple[TaskResult, ...]
    duration: str
    v_below_75cm: bool
    composite_lifting_index: float | None
    composite_lifting_index_is_infinite: bool
    applicable: bool
    not_applicable_reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StrainComponent(Block):
    BLOCK: ClassVar[str] = "strain.component"
    component: str
    weight: int
    level: int
    uncapped_level: int
    points: float
    assessed: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Strain(Block):
    BLOCK: ClassVar[str] = "strain"
    model_version: str
    score: float
    raw_score: float
    band: str
    components: tuple[StrainComponent, ...]
    floors_applied: tuple[str, ...]
    referrals: tuple[str, ...]
    not_assessed: tuple[str, ...]
    summary: str

    # Said by version 1.1 and later (`StrainV1_1`); version 1.0 never said them.
    @property
    def not_applicable(self) -> tuple[str, ...]:
        """Components the assessor stated do not apply to the job."""
        return ()

    @property
    def not_assessable(self) -> tuple[str, ...]:
        """Components that apply but could not be assessed."""
        return ()

    @property
    def provisional(self) -> bool:
        """Whether the band rests on the components assessed while some could not be."""
        return False

    @property
    def assessable(self) -> bool:
        return self.band != "not_assessable"


@dataclass(frozen=True, slots=True)
class StrainV1_1(Strain):
    """The strain score as version 1.1 stores it: which components do not apply, which could
    not be assessed, and whether the band is provisional."""

    not_applicable: tuple[str, ...]
    not_assessable: tuple[str, ...]
    provisional: bool


@dataclass(frozen=True, slots=True)
class SectionStatement(Block):
    """The assessor's statement about a section not assessed (version 1.1): it does not apply
    to this job, or it applies but could not be assessed."""

    BLOCK: ClassVar[str] = "statement"
    section: str
    applies: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Recommendation(Block):
    BLOCK: ClassVar[str] = "recommendation"
    code: str
    title: str
    action: str
    why: str
    category: str
    priority: int
    evidence: str
    cost_band: str
    what_if: str | None
    task_label: str | None
    task_index: int | None
    lifting_index: float | None
    lifting_index_is_infinite: bool
    what_if_lifting_index: float | None
    what_if_lifting_index_is_infinite: bool

    @property
    def task_names(self) -> tuple[str, ...]:
        """Every task the recommendation applies to (version 1.1 and later; a 1.0
        recommendation was about one task at most)."""
        return (self.task_label,) if self.task_label else ()


@dataclass(frozen=True, slots=True)
class RecommendationV1_1(Recommendation):
    """A recommendation as version 1.1 stores it: one per finding, naming every task. From
    catalogue 2 on it also carries its evidence (results without a `catalogue_version` read
    these as not recorded)."""

    task_names: tuple[str, ...]
    certainty: str = ""
    evidence_line: str = ""
    outcome: str = ""
    standard: str = ""
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unanswered(Block):
    """A section of a draft left unscored because items are unanswered: which, in words."""

    BLOCK: ClassVar[str] = "unanswered"
    section: str
    items: tuple[str, ...]
    messages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Results(Block):
    """Everything the scoring said about one assessment.

    `clinical_review_advised` is True when there is at least one referral: the one thing
    about referrals a manager may know.
    """

    BLOCK: ClassVar[str] = "results"
    scoring_version: str
    workstation: Workstation | None
    sitting: Sitting | None
    worker: Worker | None
    lifting: Lifting | None
    strain: Strain
    referrals: tuple[Referral, ...]
    recommendations: tuple[Recommendation, ...]
    clinical_review_advised: bool
    #: Sections not scored because items are unanswered (a draft's live results only: an
    #: assessment with any cannot be completed, so a stored snapshot has none).
    unanswered: tuple[Unanswered, ...] = ()

    @property
    def unassessed_sections(self) -> tuple[SectionStatement, ...]:
        """Statements about the sections not assessed (version 1.1 and later)."""
        return ()

    @property
    def emergency(self) -> bool:
        return any(r.urgency == "emergency" for r in self.referrals)

    @property
    def unanswered_sections(self) -> frozenset[str]:
        """The sections left unscored because items are unanswered."""
        return frozenset(u.section for u in self.unanswered)

    def component(self, name: str) -> StrainComponent | None:
        """The strain component called `name`, if it is in these results."""
        return next((c for c in self.strain.components if c.component == name), None)

    def for_audience(self, audience: Audience) -> Results:
        """These results as `audience` may see them (`assessments.core.health`)."""
        if audience is Audience.OH:
            return self
        visible: dict[str, Any] = {
            "components": tuple(
                c for c in self.strain.components if health.strain_component_visible(c.component)
            ),
            "not_assessed": tuple(
                c for c in self.strain.not_assessed if health.strain_component_visible(c)
            ),
        }
        if isinstance(self.strain, StrainV1_1):
            for name in ("not_applicable", "not_assessable"):
                visible[name] = tuple(
                    c for c in getattr(self.strain, name) if health.strain_component_visible(c)
                )
        strain = replace(self.strain, **visible)
        recommendations = tuple(
            replace(
                _allowed(rec),
                why=health.reason_shown(
                    rec.why, code=rec.code, category=rec.category, audience=audience
                ),
            )
            for rec in self.recommendations
            if health.action_visible(code=rec.code, category=rec.category)
        )
        shown = replace(_allowed(replace(self, strain=strain)), recommendations=recommendations)
        if isinstance(shown, ResultsV1_1):
            shown = replace(
                shown,
                unassessed_sections=tuple(
                    _allowed(s)
                    for s in self.unassessed_sections
                    if health.statement_visible(s.section)
                ),
            )
        return shown


@dataclass(frozen=True, slots=True)
class ResultsV1_1(Results):
    """The results as version 1.1 stores them, with the statements about sections not
    assessed."""

    unassessed_sections: tuple[SectionStatement, ...] = ()
    catalogue_version: str = ""
    """The recommendation catalogue that wrote the recommendations ("" before catalogue 2:
    scoring 1.0 and the first 1.1 results)."""


@dataclass(frozen=True, slots=True)
class Inputs(Block):
    """The stored interchange input, as far as the app shows it: the lifting tasks."""

    BLOCK: ClassVar[str] = "inputs"
    lifting_tasks: tuple[TaskInput, ...]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A completed assessment's inputs and results, read by its scoring version's reader."""

    scoring_version: str
    inputs: Inputs
    results: Results

    def for_audience(self, audience: Audience) -> Snapshot:
        if audience is Audience.OH:
            return self
        return replace(
            self, inputs=_allowed(self.inputs), results=self.results.for_audience(audience)
        )


def _withheld(value: object) -> object:
    if isinstance(value, tuple):
        return ()
    if isinstance(value, str):
        return ""
    return None


def _allowed[B: Block](block: B) -> B:
    """`block` with every field the manager allowlist does not name withheld, block by block
    down the tree (the items of a tuple of blocks included)."""
    name = block.BLOCK
    changes: dict[str, Any] = {}
    for f in fields(block):
        value = getattr(block, f.name)
        if not health.result_field_visible(name, f.name):
            changes[f.name] = _withheld(value)
        elif isinstance(value, Block):
            changes[f.name] = _allowed(value)
        elif isinstance(value, tuple) and any(isinstance(item, Block) for item in value):
            changes[f.name] = tuple(_allowed(item) for item in value)
    return replace(block, **changes)


# --- Reading JSON -------------------------------------------------------------------------


class _Object:
    """A JSON object of a snapshot, read field by field with the types the reader expects."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise SnapshotError(f"{path}: expected an object, found {type(data).__name__}")
        self._data: Mapping[str, object] = data
        self._path = path

    def _at(self, key: str) -> str:
        return f"{self._path}.{key}"

    def has(self, key: str) -> bool:
        """Whether the document records `key` (fields added within a version may be absent)."""
        return key in self._data

    def value(self, key: str) -> object:
        if key not in self._data:
            raise SnapshotError(f"{self._at(key)}: missing")
        return self._data[key]

    def _wrong(self, key: str, expected: str) -> SnapshotError:
        return SnapshotError(f"{self._at(key)}: expected {expected}, found {self._data[key]!r}")

    def text(self, key: str) -> str:
        value = self.value(key)
        if not isinstance(value, str):
            raise self._wrong(key, "text")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.value(key) is None else self.text(key)

    def whole(self, key: str) -> int:
        value = self.value(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(key, "a whole number")
        if isinstance(value, float) and not value.is_integer():
            raise self._wrong(key, "a whole number")
        return int(value)

    def optional_whole(self, key: str) -> int | None:
        return None if self.value(key) is None else self.whole(key)

    def number(self, key: str) -> float:
        value = self.value(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(key, "a number")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return None if self.value(key) is None else self.number(key)

    def flag(self, key: str) -> bool:
        value = self.value(key)
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false")
        return value

    def is_infinite(self, key: str) -> bool:
        """The `<key>_is_infinite` marker that stands beside an infinite number (absent when
        the number is finite)."""
        marker = f"{key}_is_infinite"
        return marker in self._data and self.flag(marker)

    def texts(self, key: str) -> tuple[str, ...]:
        items = self._list(key)
        if not all(isinstance(item, str) for item in items):
            raise self._wrong(key, "a list of texts")
        return tuple(str(item) for item in items)

    def obj(self, key: str) -> _Object:
        return _Object(self.value(key), self._at(key))

    def optional_obj(self, key: str) -> _Object | None:
        return None if self.value(key) is None else self.obj(key)

    def objects(self, key: str) -> tuple[_Object, ...]:
        return tuple(
            _Object(item, f"{self._at(key)}[{i}]") for i, item in enumerate(self._list(key))
        )

    def _list(self, key: str) -> list[object]:
        value = self.value(key)
        if not isinstance(value, list):
            raise self._wrong(key, "a list")
        return value

    def optional_objects(self, key: str) -> tuple[_Object, ...]:
        """A list that the document may leave out or set to null (an input section)."""
        if key not in self._data or self._data[key] is None:
            return ()
        return self.objects(key)


class Reader(Protocol):
    """Reads the documents one scoring version wrote."""

    def results(self, document: object) -> Results: ...

    def inputs(self, document: object) -> Inputs: ...

    def recommendations(self, items: object) -> tuple[Recommendation, ...]: ...


class ReaderV1_0:
    """Scoring version 1.0: the results of `interchange.dump_result` as of that version, and
    interchange input version 1 (docs/interchange.md)."""

    version = "1.0"

    def results(self, document: object) -> Results:
        doc = _Object(document, "results")
        referrals = tuple(self.referral(r) for r in doc.objects("referrals"))
        workstation, sitting = doc.optional_obj("workstation"), doc.optional_obj("sitting")
        worker, lifting = doc.optional_obj("worker"), doc.optional_obj("lifting")
        return Results(
            scoring_version=self.version,
            workstation=self.workstation(workstation) if workstation else None,
            sitting=self.sitting(sitting) if sitting else None,
            worker=self.worker(worker) if worker else None,
            lifting=self.lifting(lifting) if lifting else None,
            strain=self.strain(doc.obj("strain")),
            referrals=referrals,
            recommendations=tuple(self.recommendation(r) for r in doc.objects("recommendations")),
            clinical_review_advised=bool(referrals),
            unanswered=tuple(
                Unanswered(
                    section=u.text("section"), items=u.texts("items"), messages=u.texts("messages")
                )
                for u in doc.optional_objects("unanswered")
            ),
        )

    def inputs(self, document: object) -> Inputs:
        doc = _Object(document, "inputs")
        return Inputs(
            lifting_tasks=tuple(self.task_input(t) for t in doc.optional_objects("lifting_tasks"))
        )

    def recommendations(self, items: object) -> tuple[Recommendation, ...]:
        doc = _Object({"recommendations": items}, "results")
        return tuple(self.recommendation(r) for r in doc.objects("recommendations"))

    def workstation(self, doc: _Object) -> Workstation:
        r = doc.obj("result")
        return Workstation(
            result=RosaResult(
                chair=r.whole("chair"),
                chair_table=r.whole("chair_table"),
                monitor_phone=r.whole("monitor_phone"),
                mouse_keyboard=r.whole("mouse_keyboard"),
                peripherals=r.whole("peripherals"),
                final=r.whole("final"),
                action_required=r.flag("action_required"),
                seat_row=r.whole("seat_row"),
                chair_column=r.whole("chair_column"),
                chair_duration=r.whole("chair_duration"),
                monitor_total=r.whole("monitor_total"),
                phone_total=r.whole("phone_total"),
                mouse_total=r.whole("mouse_total"),
                keyboard_total=r.whole("keyboard_total"),
                reasons=r.texts("reasons"),
            ),
            findings=tuple(
                Finding(
                    code=f.text("code"),
                    section=f.text("section"),
                    text=f.text("text"),
                    points=f.whole("points"),
                )
                for f in doc.objects("findings")
            ),
            notes=doc.texts("notes"),
        )

    def sitting(self, s: _Object) -> Sitting:
        return Sitting(
            hours_worked_per_day=s.number("hours_worked_per_day"),
            sitting_hours=s.number("sitting_hours"),
            standing_hours=s.number("standing_hours"),
            walking_hours=s.number("walking_hours"),
            heavy_hours=s.number("heavy_hours"),
            standing_light_hours=s.number("standing_light_hours"),
            prorate_factor=s.number("prorate_factor"),
            goal_initial_hours=s.number("goal_initial_hours"),
            goal_progressed_hours=s.number("goal_progressed_hours"),
            gap_to_initial_goal_hours=s.number("gap_to_initial_goal_hours"),
            gap_to_progressed_goal_hours=s.number("gap_to_progressed_goal_hours"),
            meets_initial_goal=s.flag("meets_initial_goal"),
            meets_progressed_goal=s.flag("meets_progressed_goal"),
            moderate_equivalent_minutes=s.number("moderate_equivalent_minutes"),
            meets_aerobic_guideline=s.flag("meets_aerobic_guideline"),
            reaches_aerobic_upper_range=s.flag("reaches_aerobic_upper_range"),
            strengthening_days_per_week=s.whole("strengthening_days_per_week"),
            meets_strengthening_guideline=s.flag("meets_strengthening_guideline"),
            sedentary_exposure=s.text("sedentary_exposure"),
            activity_exposure=s.text("activity_exposure"),
            longest_sitting_bout_minutes=s.number("longest_sitting_bout_minutes"),
            bout_over_60_min=s.flag("bout_over_60_min"),
            sitting_over_5_hours=s.flag("sitting_over_5_hours"),
            sit_stand_desk_available=s.flag("sit_stand_desk_available"),
            sit_stand_desk_used=s.flag("sit_stand_desk_used"),
            sit_stand_desk_unused=s.flag("sit_stand_desk_unused"),
            sedentary_reasons=s.texts("sedentary_reasons"),
            goal_reasons=s.texts("goal_reasons"),
            activity_reasons=s.texts("activity_reasons"),
            reasons=s.texts("reasons"),
        )

    def referral(self, r: _Object) -> Referral:
        return Referral(
            code=r.text("code"),
            urgency=r.text("urgency"),
            reason=r.text("reason"),
            source=r.text("source"),
        )

    def worker(self, w: _Object) -> Worker:
        i = w.obj("inflammatory")
        return Worker(
            age_years=w.whole("age_years"),
            bmi=w.optional_number("bmi"),
            bmi_source=w.optional_text("bmi_source"),
            bmi_class=w.optional_text("bmi_class"),
            current_pain=w.flag("current_pain"),
            pain_duration_weeks=w.optional_number("pain_duration_weeks"),
            pain_duration_class=w.optional_text("pain_duration_class"),
            pain_intensity=w.optional_number("pain_intensity"),
            episodes_last_12_months=w.whole("episodes_last_12_months"),
            mechanical_pattern=w.flag("mechanical_pattern"),
            yellow_flags=w.texts("yellow_flags"),
            red_flags=w.texts("red_flags"),
            age_red_flag=w.flag("age_red_flag"),
            referrals=tuple(self.referral(r) for r in w.objects("referrals")),
            inflammatory=InflammatoryScreen(
                duration_over_3_months=i.flag("duration_over_3_months"),
                onset_before_45=i.flag("onset_before_45"),
                asas_count=i.whole("asas_count"),
                asas_features=i.texts("asas_features"),
                asas_applicable=i.flag("asas_applicable"),
                asas_positive=i.flag("asas_positive"),
                ng65_count=i.whole("ng65_count"),
                ng65_features=i.texts("ng65_features"),
                ng65_applicable=i.flag("ng65_applicable"),
                ng65_outcome=i.text("ng65_outcome"),
                pattern_overlap=i.flag("pattern_overlap"),
                derived_features=i.texts("derived_features"),
                reasons=i.texts("reasons"),
            ),
            reasons=w.texts("reasons"),
            pain_class=w.optional_text("pain_class") if w.has("pain_class") else None,
            pain_class_criteria=(
                w.texts("pain_class_criteria") if w.has("pain_class_criteria") else ()
            ),
            morning_stiffness_minutes=(
                w.optional_whole("morning_stiffness_minutes")
                if w.has("morning_stiffness_minutes")
                else None
            ),
            red_flags_not_asked=(
                w.texts("red_flags_not_asked") if w.has("red_flags_not_asked") else ()
            ),
            red_flags_not_asked_reason=(
                w.text("red_flags_not_asked_reason") if w.has("red_flags_not_asked_reason") else ""
            ),
        )

    def task_input(self, t: _Object) -> TaskInput:
        return TaskInput(
            label=t.text("label"),
            units=t.text("units"),
            load=t.number("load"),
            max_load=t.optional_number("max_load"),
            h_origin=t.number("h_origin"),
            v_origin=t.number("v_origin"),
            h_dest=t.number("h_dest"),
            v_dest=t.number("v_dest"),
            asymmetry_origin=t.number("asymmetry_origin"),
            asymmetry_dest=t.number("asymmetry_dest"),
            frequency=t.number("frequency"),
            duration=t.text("duration"),
            coupling=t.text("coupling"),
            significant_control=t.flag("significant_control"),
            conditions=t.texts("conditions"),
        )

    def lift_end(self, e: _Object) -> LiftEnd:
        m = e.obj("multipliers")
        return LiftEnd(
            point=e.text("point"),
            rwl=e.number("rwl"),
            lifting_index=e.optional_number("lifting_index"),
            lifting_index_is_infinite=e.is_infinite("lifting_index"),
            multipliers=Multipliers(
                lc=m.number("lc"),
                hm=m.number("hm"),
                vm=m.number("vm"),
                dm=m.number("dm"),
                am=m.number("am"),
                fm=m.number("fm"),
                cm=m.number("cm"),
            ),
            limiting=e.text("limiting"),
            firwl=e.number("firwl"),
        )

    def task_result(self, t: _Object) -> TaskResult:
        destination = t.optional_obj("destination")
        return TaskResult(
            task=self.task_input(t.obj("task")),
            origin=self.lift_end(t.obj("origin")),
            destination=self.lift_end(destination) if destination else None,
            governing=self.lift_end(t.obj("governing")),
            travel_distance=t.number("travel_distance"),
            warnings=t.texts("warnings"),
            warning_fields=t.texts("warning_fields"),
            applicable=t.flag("applicable"),
            not_applicable_reasons=t.texts("not_applicable_reasons"),
            firwl=t.number("firwl"),
            strwl=t.number("strwl"),
            fili=t.optional_number("fili"),
            fili_is_infinite=t.is_infinite("fili"),
            stli=t.optional_number("stli"),
            stli_is_infinite=t.is_infinite("stli"),
        )

    def lifting(self, j: _Object) -> Lifting:
        return Lifting(
            tasks=tuple(self.task_result(t) for t in j.objects("tasks")),
            duration=j.text("duration"),
            v_below_75cm=j.flag("v_below_75cm"),
            composite_lifting_index=j.optional_number("composite_lifting_index"),
            composite_lifting_index_is_infinite=j.is_infinite("composite_lifting_index"),
            applicable=j.flag("applicable"),
            not_applicable_reasons=j.texts("not_applicable_reasons"),
            warnings=j.texts("warnings"),
            notes=j.texts("notes"),
        )

    def strain(self, s: _Object) -> Strain:
        return Strain(
            model_version=s.text("model_version"),
            score=s.number("score"),
            raw_score=s.number("raw_score"),
            band=s.text("band"),
            components=tuple(
                StrainComponent(
                    component=c.text("component"),
                    weight=c.whole("weight"),
                    level=c.whole("level"),
                    uncapped_level=c.whole("uncapped_level"),
                    points=c.number("points"),
                    assessed=c.flag("assessed"),
                    reasons=c.texts("reasons"),
                )
                for c in s.objects("components")
            ),
            floors_applied=s.texts("floors_applied"),
            referrals=s.texts("referrals"),
            not_assessed=s.texts("not_assessed"),
            summary=s.text("summary"),
        )

    def recommendation(self, r: _Object) -> Recommendation:
        return Recommendation(
            code=r.text("code"),
            title=r.text("title"),
            action=r.text("action"),
            why=r.text("why"),
            category=r.text("category"),
            priority=r.whole("priority"),
            evidence=r.text("evidence"),
            cost_band=r.text("cost_band"),
            what_if=r.optional_text("what_if"),
            task_label=r.optional_text("task_label"),
            task_index=r.optional_whole("task_index"),
            lifting_index=r.optional_number("lifting_index"),
            lifting_index_is_infinite=r.is_infinite("lifting_index"),
            what_if_lifting_index=r.optional_number("what_if_lifting_index"),
            what_if_lifting_index_is_infinite=r.is_infinite("what_if_lifting_index"),
        )


class ReaderV1_1(ReaderV1_0):
    """Scoring version 1.1: the documents of 1.0 with what 1.1 adds (docs/scoring.md,
    "Version 1.1"): the strain score says which components do not apply, which could not be
    assessed and whether the band is provisional ("not_assessable" when nothing was
    assessed), and the results carry the assessor's statements about sections not
    assessed."""

    version = "1.1"

    def results(self, document: object) -> Results:
        base = super().results(document)
        doc = _Object(document, "results")
        return ResultsV1_1(
            **{f.name: getattr(base, f.name) for f in fields(base)},
            unassessed_sections=tuple(
                SectionStatement(
                    section=s.text("section"), applies=s.flag("applies"), reason=s.text("reason")
                )
                for s in doc.objects("unassessed_sections")
            ),
            catalogue_version=doc.text("catalogue_version") if doc.has("catalogue_version") else "",
        )

    def recommendation(self, r: _Object) -> Recommendation:
        base = super().recommendation(r)
        if not r.has("evidence_line"):  # written before catalogue 2
            return RecommendationV1_1(
                **{f.name: getattr(base, f.name) for f in fields(base)},
                task_names=r.texts("task_names"),
            )
        return RecommendationV1_1(
            **{f.name: getattr(base, f.name) for f in fields(base)},
            task_names=r.texts("task_names"),
            certainty=r.text("certainty"),
            evidence_line=r.text("evidence_line"),
            outcome=r.text("outcome"),
            standard=r.text("standard"),
            alternatives=r.texts("alternatives"),
        )

    def sitting(self, s: _Object) -> Sitting:
        base = super().sitting(s)
        return SittingV1_1(
            **{f.name: getattr(base, f.name) for f in fields(base)}, location=s.text("location")
        )

    def strain(self, s: _Object) -> Strain:
        base = super().strain(s)
        return StrainV1_1(
            **{f.name: getattr(base, f.name) for f in fields(base)},
            not_applicable=s.texts("not_applicable"),
            not_assessable=s.texts("not_assessable"),
            provisional=s.flag("provisional"),
        )


#: The reader of each scoring version that ever wrote a snapshot.
READERS: Final[Mapping[str, Reader]] = MappingProxyType(
    {ReaderV1_0.version: ReaderV1_0(), ReaderV1_1.version: ReaderV1_1()}
)


def reader_for(scoring_version: object) -> Reader:
    if not isinstance(scoring_version, str) or scoring_version not in READERS:
        raise UnknownScoringVersion(scoring_version)
    return READERS[scoring_version]


class Stored(Protocol):
    """A completed assessment as stored (`records.models.Assessment`)."""

    scoring_version: str
    inputs: Any
    results: Any


def read(*, scoring_version: str, inputs: object, results: object) -> Snapshot:
    """A snapshot read by the reader of the version that wrote it."""
    reader = reader_for(scoring_version)
    return Snapshot(
        scoring_version=scoring_version,
        inputs=reader.inputs(inputs if inputs is not None else {}),
        results=reader.results(results),
    )


def load(assessment: Stored) -> Snapshot:
    """The snapshot of a completed assessment."""
    if assessment.results is None:
        raise SnapshotError("results: this assessment has no snapshot (it is not completed)")
    return read(
        scoring_version=assessment.scoring_version,
        inputs=assessment.inputs,
        results=assessment.results,
    )


def read_results(document: object) -> Results:
    """Results just produced by the scoring package (a draft's live preview): read by the
    reader of the version they name."""
    version = _Object(document, "results").value("scoring_version")
    return reader_for(version).results(document)


def read_recommendations(items: object, *, scoring_version: str) -> tuple[Recommendation, ...]:
    """The `recommendations` member of stored results alone (the department report reads
    only that part of many snapshots)."""
    return reader_for(scoring_version).recommendations(items if items is not None else [])
