"""Mechanical-strain risk score for recurrent low back pain (model version "1.1").

This score is a transparent combination of published methods and published risk factors; it
is not itself a validated instrument. Each of six components is scored on a level 0-4 from one
or more primitive inputs (a lifting index, a ROSA final score, sitting time, physical activity,
individual factors and psychosocial yellow flags), weighted, and summed to a 0-100 score:

    points(component) = weight x level / 4
    raw_score         = sum of points                                  (0..100)
    score             = max(raw_score, floor of the published action levels)

The floors make sure a single severe exposure is never diluted by healthy values elsewhere: a
lifting index above 1, 2 or 3 puts the score at least at the Moderate, High or Very high band,
and a ROSA final score of 5 or more at least at Moderate.

A component with no level is "not assessed" and adds nothing; with no component assessed the
band is "not assessable" (never Low). A component that applies to the job but could not be
assessed (lifting outside the NIOSH equation's scope, or one the assessor says applies but could
not assess) is "not assessable": it sets no level, and the band is marked provisional rather
than pulled down by it. A component the assessor says does not apply to the job is recorded as
such (model version 1.1).

Clinical referrals (red flags, the inflammatory-pattern screen) are carried through to the result
unchanged and never change the score or the band: they call for clinical triage, not for a
bigger number. See docs/scoring.md ("Strain score") for the rationale and citations.

The module takes primitive numbers so that it does not depend on the method modules; the
caller passes the governing lifting index (or the composite index of several tasks), the ROSA
final score, and so on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from assessments.scoring.errors import InputError, split_message

__all__ = [
    "BAND_LOWER_BOUNDS",
    "LEVEL_WORDS",
    "MAX_LEVEL",
    "MODEL_VERSION",
    "OTHER_LIFTING_METHODS",
    "REASSESS_MONTHS",
    "ROSA_ACTION_LEVEL",
    "WEIGHTS",
    "Band",
    "Component",
    "ComponentResult",
    "StrainInput",
    "StrainResult",
    "band_for",
    "display_score",
    "evaluate",
    "plain_reasons",
]


def _invalid(text: str) -> InputError:
    """The input error for a "field: what is wrong and what is allowed" message."""
    path, message = split_message(text)
    return InputError(path, message)


MODEL_VERSION: Final = "1.1"
"""Version of the scoring model; stored with every result so old reports stay explainable."""

MAX_LEVEL: Final = 4
"""Every component level is capped at this value."""


class Component(StrEnum):
    """The six components of the strain score, in report order."""

    LIFTING = "lifting"
    WORKSTATION = "workstation"
    SEDENTARY = "sedentary"
    ACTIVITY = "activity"
    INDIVIDUAL = "individual"
    PSYCHOSOCIAL = "psychosocial"

    @property
    def label(self) -> str:
        """Plain-English name used in sentences ("driven by sedentary work (level 2)")."""
        return _COMPONENT_LABELS[self]


class Band(StrEnum):
    """Risk band of the final score."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"
    NOT_ASSESSABLE = "not_assessable"
    """No component was assessed (model version 1.1): never shown as Low."""

    @property
    def label(self) -> str:
        """Capitalised name for reports: "Low", "Moderate", "High", "Very high",
        "Not assessable"."""
        return _BAND_LABELS[self]


_COMPONENT_LABELS: Final[Mapping[Component, str]] = MappingProxyType(
    {
        Component.LIFTING: "lifting",
        Component.WORKSTATION: "workstation setup",
        Component.SEDENTARY: "sedentary work",
        Component.ACTIVITY: "low physical activity",
        Component.INDIVIDUAL: "individual factors",
        Component.PSYCHOSOCIAL: "psychosocial factors",
    }
)

_BAND_LABELS: Final[Mapping[Band, str]] = MappingProxyType(
    {
        Band.LOW: "Low",
        Band.MODERATE: "Moderate",
        Band.HIGH: "High",
        Band.VERY_HIGH: "Very high",
        Band.NOT_ASSESSABLE: "Not assessable",
    }
)

WEIGHTS: Final[Mapping[Component, int]] = MappingProxyType(
    {
        Component.LIFTING: 30,
        Component.WORKSTATION: 15,
        Component.SEDENTARY: 15,
        Component.ACTIVITY: 10,
        Component.INDIVIDUAL: 15,
        Component.PSYCHOSOCIAL: 15,
    }
)
"""Points a component contributes at level 4; the weights sum to 100."""

BAND_LOWER_BOUNDS: Final[Mapping[Band, float]] = MappingProxyType(
    {
        Band.LOW: 0.0,
        Band.MODERATE: 25.0,
        Band.HIGH: 50.0,
        Band.VERY_HIGH: 75.0,
    }
)
"""Lowest score of each band: Low < 25 <= Moderate < 50 <= High < 75 <= Very high."""

REASSESS_MONTHS: Final[Mapping[Band, int]] = MappingProxyType(
    {
        Band.VERY_HIGH: 1,
        Band.HIGH: 3,
        Band.MODERATE: 6,
        Band.LOW: 12,
    }
)
"""Months until the next assessment, by band. A "not assessable" result has none: the
assessment is to be completed, not repeated on a schedule."""

OTHER_LIFTING_METHODS: Final = (
    "HSE MAC (one-person lifting and carrying, team handling) or the BAuA Key Indicator Method "
    "(KIM-LHC for lifting, holding and carrying; KIM-PP for pushing and pulling)"
)
"""Methods made for handling the NIOSH lifting equation does not cover (one-handed, seated or
kneeling, carrying, pushing and pulling); see docs/scoring.md."""

_MAX_SITTING_BOUT_MINUTES: Final = 24 * 60
_MAX_MODERATE_EQUIVALENT_MINUTES: Final = 2 * 7 * 24 * 60  # every minute of a week vigorous
_BMI_RANGE: Final = (10.0, 100.0)


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StrainInput:
    """Primitive inputs of the strain score. ``None`` means "not recorded".

    lifting_index
        The governing lifting index of a single task, or the composite lifting index (CLI) of
        several tasks. ``math.inf`` is legal (recommended weight limit 0). ``None``: no lifting
        in the job, or not assessed.
    lifting_task_count
        Number of lifting tasks analysed; 2 or more makes the reasons say "Composite lifting
        index". 0 means not stated (with an index) or no lifting tasks (without one).
    lifting_applicable
        False when the NIOSH equation does not apply to at least one task (one-handed, seated,
        carrying, ...). A given index still sets the level and the floors, and the reasons say
        the equation's limits were exceeded.
    lifting_not_applicable_reasons
        Why the equation does not apply, in the NIOSH manual's terms; only with
        ``lifting_applicable=False``.
    rosa_final
        ROSA final score, 1-10.
    sitting_hours_per_workday, longest_sitting_bout_minutes
        Sitting time at work and the usual longest uninterrupted sitting bout.
    moderate_equivalent_minutes, strengthening_days_per_week
        Moderate minutes + 2 x vigorous minutes per week, and muscle-strengthening days per week.
    bmi, episodes_last_12_months, current_pain_mechanical
        Body mass index (kg/m2), episodes of low back pain in the last 12 months, and current
        pain with the mechanical pattern.
    yellow_flags
        Labels of the positive psychosocial yellow flags; ``()`` when screened with none
        positive, ``None`` when not screened.
    referrals
        Labels of clinical referrals (red flags, inflammatory-pattern screen). Carried through
        to the result; never part of the score.
    not_applicable
        Components the assessor states do not apply to this job ("no lifting in this role");
        only for components without inputs.
    could_not_assess
        Components the assessor states apply to this job but could not be assessed; only for
        components without inputs. They make the band provisional.
    """

    lifting_index: float | None = None
    lifting_task_count: int = 0
    lifting_applicable: bool = True
    lifting_not_applicable_reasons: tuple[str, ...] = ()
    rosa_final: int | None = None
    sitting_hours_per_workday: float | None = None
    longest_sitting_bout_minutes: float | None = None
    moderate_equivalent_minutes: float | None = None
    strengthening_days_per_week: int | None = None
    bmi: float | None = None
    episodes_last_12_months: int | None = None
    current_pain_mechanical: bool = False
    yellow_flags: tuple[str, ...] | None = None
    referrals: tuple[str, ...] = ()
    not_applicable: tuple[Component, ...] = ()
    could_not_assess: tuple[Component, ...] = ()

    def __post_init__(self) -> None:
        self._validate_lifting()
        self._validate_statements()
        if self.rosa_final is not None:
            _require_int("rosa_final", self.rosa_final)
            if not 1 <= self.rosa_final <= 10:
                raise _invalid(
                    f"rosa_final: {self.rosa_final} is outside the ROSA final score range 1-10"
                )
        if self.sitting_hours_per_workday is not None:
            _require_range(
                "sitting_hours_per_workday", self.sitting_hours_per_workday, 0.0, 24.0, "h"
            )
        if self.longest_sitting_bout_minutes is not None:
            _require_range(
                "longest_sitting_bout_minutes",
                self.longest_sitting_bout_minutes,
                0.0,
                float(_MAX_SITTING_BOUT_MINUTES),
                "min",
            )
        if self.moderate_equivalent_minutes is not None:
            _require_range(
                "moderate_equivalent_minutes",
                self.moderate_equivalent_minutes,
                0.0,
                float(_MAX_MODERATE_EQUIVALENT_MINUTES),
                "min/week",
                note=" (moderate + 2 x vigorous minutes in a 7-day week)",
            )
        if self.strengthening_days_per_week is not None:
            _require_int("strengthening_days_per_week", self.strengthening_days_per_week)
            if not 0 <= self.strengthening_days_per_week <= 7:
                raise _invalid(
                    f"strengthening_days_per_week: {self.strengthening_days_per_week} is outside "
                    "0-7 days per week"
                )
        if self.bmi is not None:
            _require_range(
                "bmi", self.bmi, *_BMI_RANGE, "kg/m2", note=" (the plausible adult range)"
            )
        if self.episodes_last_12_months is not None:
            _require_int("episodes_last_12_months", self.episodes_last_12_months)
            if self.episodes_last_12_months < 0:
                raise _invalid(
                    f"episodes_last_12_months: {self.episodes_last_12_months} is negative; "
                    "give the number of episodes (0 or more)"
                )
        _require_bool("current_pain_mechanical", self.current_pain_mechanical)
        if self.yellow_flags is not None:
            object.__setattr__(
                self, "yellow_flags", _labels("yellow_flags", self.yellow_flags, unique=True)
            )
        object.__setattr__(self, "referrals", _labels("referrals", self.referrals, unique=False))

    def _validate_lifting(self) -> None:
        li = self.lifting_index
        if li is not None:
            if isinstance(li, bool) or not isinstance(li, int | float):
                raise _invalid(f"lifting_index: {li!r} is not a number")
            if math.isnan(li):
                raise _invalid(
                    "lifting_index: NaN is not a lifting index; give a value of 0 or more "
                    "(math.inf when the recommended weight limit is 0)"
                )
            if li < 0:
                raise _invalid(
                    f"lifting_index: {li} is negative; a lifting index is 0 or more "
                    "(load / recommended weight limit)"
                )
        _require_int("lifting_task_count", self.lifting_task_count)
        if self.lifting_task_count < 0:
            raise _invalid(
                f"lifting_task_count: {self.lifting_task_count} is negative; "
                "give the number of lifting tasks (0 or more)"
            )
        _require_bool("lifting_applicable", self.lifting_applicable)
        reasons = _labels(
            "lifting_not_applicable_reasons", self.lifting_not_applicable_reasons, unique=False
        )
        object.__setattr__(self, "lifting_not_applicable_reasons", reasons)
        if reasons and self.lifting_applicable:
            raise _invalid(
                "lifting_not_applicable_reasons: reasons were given but lifting_applicable is "
                "True; set lifting_applicable=False when the NIOSH equation does not apply"
            )

    def _validate_statements(self) -> None:
        seen: set[Component] = set()
        for name in ("not_applicable", "could_not_assess"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, tuple | list):
                raise _invalid(f"{name}: expected a tuple of components, got {value!r}")
            for item in value:
                if not isinstance(item, Component):
                    raise _invalid(f"{name}: {item!r} is not a strain component")
                if item in seen:
                    raise _invalid(f"{name}: {item.value} is stated twice")
                seen.add(item)
            object.__setattr__(self, name, tuple(value))


def _require_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(f"{name}: {value!r} is not a whole number")


def _require_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise _invalid(f"{name}: {value!r} is not True or False")


def _require_range(
    name: str, value: object, low: float, high: float, unit: str, *, note: str = ""
) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(f"{name}: {value!r} is not a number")
    if not math.isfinite(value):
        raise _invalid(f"{name}: {value} is not a finite number; allowed {low:g}-{high:g} {unit}")
    if not low <= value <= high:
        raise _invalid(
            f"{name}: {value:g} {unit} is outside the allowed range {low:g}-{high:g} {unit}{note}"
        )


def _labels(name: str, value: object, *, unique: bool) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, tuple | list):
        raise _invalid(f"{name}: expected a tuple of labels, got {value!r}")
    labels: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise _invalid(f"{name}: every label must be non-empty text, got {item!r}")
        if unique and item in labels:
            raise _invalid(f"{name}: {item!r} is listed twice; each flag counts once")
        labels.append(item)
    return tuple(labels)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComponentResult:
    """One component: its level (0-4), the points it contributes and why.

    ``uncapped_level`` is the sum of the component's sub-scores before the cap at 4 (equal to
    ``level`` for components that cannot exceed 4). ``assessed`` is False when the component
    has no level: none of its inputs were recorded ("Not assessed"), the assessor states it
    does not apply ("Does not apply"), or it applies but could not be assessed ("Not
    assessable"); the level is then 0 and adds nothing.
    """

    component: Component
    weight: int
    level: int
    uncapped_level: int
    points: float
    assessed: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StrainResult:
    """The strain score with every component, the floors that applied and the referrals.

    ``score`` is ``raw_score`` raised to the lower bound of the highest floor band (25 / 50 / 75)
    when a floor applies, so that the number and the band never disagree. ``floors_applied``
    lists every published action level the inputs exceed (at most one from lifting and one
    from ROSA), whether or not it had to raise the score.

    ``band`` is ``NOT_ASSESSABLE`` (score 0) when no component was assessed and no floor
    applies. ``not_assessed`` lists every component without a level; of those,
    ``not_applicable`` the ones the assessor states do not apply to the job and
    ``not_assessable`` the ones that apply but could not be assessed (lifting outside the
    NIOSH equation's scope, or stated by the assessor). ``provisional`` is True when any
    component is not assessable: the band rests on the components assessed and may rise once
    the rest is assessed with a suitable method.
    """

    model_version: str
    score: float
    raw_score: float
    band: Band
    components: tuple[ComponentResult, ...]
    floors_applied: tuple[str, ...]
    referrals: tuple[str, ...]
    not_assessed: tuple[Component, ...]
    summary: str
    not_applicable: tuple[Component, ...] = ()
    not_assessable: tuple[Component, ...] = ()
    provisional: bool = False

    def component(self, component: Component) -> ComponentResult:
        """The result of one component."""
        for result in self.components:
            if result.component is component:
                return result
        raise KeyError(component)  # pragma: no cover - every component is always present

    @property
    def reassess_months(self) -> int | None:
        """Months until the next assessment for this band (see ``REASSESS_MONTHS``); None
        when the result is not assessable."""
        return REASSESS_MONTHS.get(self.band)


# ---------------------------------------------------------------------------------------------
# Public helpers
# ---------------------------------------------------------------------------------------------


def band_for(score: float) -> Band:
    """Band of a 0-100 score: Low < 25 <= Moderate < 50 <= High < 75 <= Very high."""
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise _invalid(f"score: {score!r} is not a finite number between 0 and 100")
    if not 0 <= score <= 100:
        raise _invalid(f"score: {score:g} is outside the strain score range 0-100")
    for band in (Band.VERY_HIGH, Band.HIGH, Band.MODERATE):
        if score >= BAND_LOWER_BOUNDS[band]:
            return band
    return Band.LOW


def display_score(score: float) -> str:
    """A score for display: rounded half up to one decimal, without a trailing ".0"."""
    text = str(Decimal(repr(float(score))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text.removesuffix(".0")


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


def evaluate(inputs: StrainInput) -> StrainResult:
    """Score the inputs with the current model version (MODEL_VERSION)."""
    components = tuple(
        _stated(inputs, c)
        for c in (
            _lifting(inputs),
            _workstation(inputs),
            _sedentary(inputs),
            _activity(inputs),
            _individual(inputs),
            _psychosocial(inputs),
        )
    )
    raw_score = math.fsum(c.points for c in components)
    floors = _floors(inputs)
    floor_bound = max((BAND_LOWER_BOUNDS[f.band] for f in floors), default=0.0)
    score = max(raw_score, floor_bound)
    nothing_assessed = not floors and not any(c.assessed for c in components)
    band = Band.NOT_ASSESSABLE if nothing_assessed else band_for(score)
    not_assessed = tuple(c.component for c in components if not c.assessed)
    not_assessable = tuple(
        c.component
        for c in components
        if not c.assessed
        and (
            c.component in inputs.could_not_assess
            or (c.component is Component.LIFTING and not inputs.lifting_applicable)
        )
    )
    not_applicable = tuple(
        c.component for c in components if not c.assessed and c.component in inputs.not_applicable
    )
    summary = _summary(
        band=band,
        score=score,
        raw_score=raw_score,
        components=components,
        floors=floors,
        not_assessed=not_assessed,
        referral_count=len(inputs.referrals),
        not_assessable=not_assessable,
    )
    return StrainResult(
        model_version=MODEL_VERSION,
        score=score,
        raw_score=raw_score,
        band=band,
        components=components,
        floors_applied=tuple(f.reason for f in floors),
        referrals=inputs.referrals,
        not_assessed=not_assessed,
        summary=summary,
        not_applicable=not_applicable,
        not_assessable=not_assessable,
        provisional=bool(not_assessable),
    )


def _stated(inputs: StrainInput, result: ComponentResult) -> ComponentResult:
    """A component without inputs, as the assessor stated it: does not apply to this job, or
    applies but could not be assessed."""
    if result.assessed or not (
        result.component in inputs.not_applicable or result.component in inputs.could_not_assess
    ):
        return result
    if result.component in inputs.not_applicable:
        why = "Does not apply to this job, as the assessor states (level 0)"
    else:
        why = (
            "Not assessable: the assessor states it applies to this job but could not be "
            "assessed; the band is provisional (level 0)"
        )
    return _component(result.component, 0, assessed=False, reasons=[why])


def _component(
    component: Component, level: int, *, assessed: bool, reasons: list[str]
) -> ComponentResult:
    capped = min(level, MAX_LEVEL)
    weight = WEIGHTS[component]
    return ComponentResult(
        component=component,
        weight=weight,
        level=capped,
        uncapped_level=level,
        points=weight * capped / MAX_LEVEL,
        assessed=assessed,
        reasons=tuple(reasons),
    )


def _not_assessed(component: Component, why: str) -> ComponentResult:
    return _component(component, 0, assessed=False, reasons=[f"Not assessed: {why} (level 0)"])


def _total_line(level: int) -> str:
    if level > MAX_LEVEL:
        return f"Sum {level}, capped at level {MAX_LEVEL}"
    return f"Level {level}"


# Plain language --------------------------------------------------------------------------------

LEVEL_WORDS: Final[Mapping[int, str]] = MappingProxyType(
    {0: "no added risk", 1: "low risk", 2: "moderate risk", 3: "high risk", 4: "very high risk"}
)
"""What a component's level means, for readers who do not work with the scoring (managers)."""

# The scoring arithmetic at the end of a reason, as the functions above write it.
_SCORING_SUFFIX: Final = re.compile(
    r"(?:: \+\d+|: level \d+|: sum \d+, capped at level \d+| \(level \d+\))$"
)
_TOTAL_LINE: Final = re.compile(r"^(?:Level \d+|Sum \d+, capped at level \d+)$")
# A range that is the value itself: "ROSA final score 5 (5)".
_SAME_RANGE: Final = re.compile(r"\b(\d+) \(\1\)")


def plain_reasons(reasons: Sequence[str]) -> tuple[str, ...]:
    """A component's reasons as findings, without the scoring arithmetic: the points each
    finding adds (": +2"), the level it gives (": level 3") and the total line ("Level 3")
    are dropped. "Sitting 6.4 h per workday (6 to < 8 h): +2" becomes "Sitting 6.4 h per
    workday (6 to < 8 h)"; a range that only repeats the value goes too ("ROSA final score
    5 (5): level 2" becomes "ROSA final score 5")."""
    return tuple(
        _SAME_RANGE.sub(r"\1", _SCORING_SUFFIX.sub("", reason))
        for reason in reasons
        if not _TOTAL_LINE.match(reason)
    )


# Lifting ---------------------------------------------------------------------------------------

# (upper bound inclusive, level, range text, interpretation)
_LIFTING_BANDS: Final[tuple[tuple[float, int, str, str], ...]] = (
    (0.85, 0, "≤ 0.85", "At least a 15 % margin below the NIOSH design goal of 1.0"),
    (1.0, 1, "> 0.85 and ≤ 1.0", "Meets the NIOSH design goal of 1.0 with little margin"),
    (
        2.0,
        2,
        "> 1.0 and ≤ 2.0",
        "Above the NIOSH design goal: increased risk for some workers "
        "(Waters et al. 2011: OR 1.81 for 1 < LI ≤ 2)",
    ),
    (
        3.0,
        3,
        "> 2.0 and ≤ 3.0",
        "Well above the design goal (Waters et al. 2011: OR 2.26 for 2 < LI ≤ 3; "
        "Lu et al. 2014: CLI > 2 associated with low back pain)",
    ),
    (
        math.inf,
        4,
        "> 3.0",
        "Above 3.0: nearly all workers are at increased risk (NIOSH Applications Manual)",
    ),
)
_LIFTING_BOUNDARIES: Final = (0.85, 1.0, 2.0, 3.0)


def _lifting_name(inputs: StrainInput) -> str:
    return "Composite lifting index" if inputs.lifting_task_count >= 2 else "Lifting index"


def _lifting_value(inputs: StrainInput, li: float) -> str:
    name = _lifting_name(inputs)
    if math.isinf(li):
        return f"{name} infinite, recommended weight limit 0"
    return f"{name} {_fmt(li, boundaries=_LIFTING_BOUNDARIES, min_decimals=1)}"


def _not_applicable_detail(inputs: StrainInput) -> str:
    why = "; ".join(inputs.lifting_not_applicable_reasons)
    return f" ({why})" if why else ""


def _lifting_band(li: float) -> tuple[int, str, str]:
    for upper, level, range_text, meaning in _LIFTING_BANDS:
        if li <= upper:
            return level, range_text, meaning
    raise AssertionError("unreachable: the last band is unbounded")  # pragma: no cover


def _lifting(inputs: StrainInput) -> ComponentResult:
    li = inputs.lifting_index
    count = inputs.lifting_task_count
    if li is None:
        if not inputs.lifting_applicable:
            return _component(
                Component.LIFTING,
                0,
                assessed=False,
                reasons=[
                    "Not assessable by this method: the NIOSH lifting equation does not apply"
                    + _not_applicable_detail(inputs)
                    + f" and no lifting index is available; assess these tasks with "
                    f"{OTHER_LIFTING_METHODS}. The band is provisional (level 0)"
                ],
            )
        elif count > 0:
            why = f"{_plural(count, 'lifting task')} recorded but no lifting index was given"
        else:
            why = "no lifting tasks recorded"
        return _not_assessed(Component.LIFTING, why)
    if not inputs.lifting_applicable:
        estimate = _lifting_value(inputs, li)
        floor_note = (
            "; being above 1.0 it still sets the band's floor, read conservatively"
            if li > 1.0
            else ""
        )
        return _component(
            Component.LIFTING,
            0,
            assessed=False,
            reasons=[
                "Not assessable by this method: the NIOSH lifting equation does not apply to "
                "at least one task"
                + _not_applicable_detail(inputs)
                + f". The {estimate[0].lower()}{estimate[1:]} is outside the equation's limits "
                f"and is not a risk estimate{floor_note}; assess the handling with "
                f"{OTHER_LIFTING_METHODS}. The band is provisional (level 0)",
            ],
        )
    level, range_text, meaning = _lifting_band(li)
    reasons = [f"{_lifting_value(inputs, li)} ({range_text}): level {level}", meaning]
    if count >= 2:
        reasons.append(f"Composite of {count} lifting tasks (NIOSH multi-task procedure)")
    return _component(Component.LIFTING, level, assessed=True, reasons=reasons)


# Workstation -----------------------------------------------------------------------------------

_ROSA_LEVELS: Final[Mapping[int, tuple[int, str]]] = MappingProxyType(
    {
        1: (0, "1-2"),
        2: (0, "1-2"),
        3: (1, "3-4"),
        4: (1, "3-4"),
        5: (2, "5"),
        6: (3, "6-7"),
        7: (3, "6-7"),
        8: (4, "8-10"),
        9: (4, "8-10"),
        10: (4, "8-10"),
    }
)
ROSA_ACTION_LEVEL: Final = 5


def _workstation(inputs: StrainInput) -> ComponentResult:
    rosa = inputs.rosa_final
    if rosa is None:
        return _not_assessed(Component.WORKSTATION, "no ROSA workstation assessment recorded")
    level, range_text = _ROSA_LEVELS[rosa]
    reasons = [f"ROSA final score {rosa} ({range_text}): level {level}"]
    if rosa >= ROSA_ACTION_LEVEL:
        reasons.append(
            f"At or above the ROSA action level of {ROSA_ACTION_LEVEL} (Sonne et al. 2012): "
            "change is needed"
        )
    return _component(Component.WORKSTATION, level, assessed=True, reasons=reasons)


# Sedentary -------------------------------------------------------------------------------------

_SITTING_BOUT_LIMIT_MINUTES: Final = 60.0


def _sedentary(inputs: StrainInput) -> ComponentResult:
    hours = inputs.sitting_hours_per_workday
    bout = inputs.longest_sitting_bout_minutes
    if hours is None and bout is None:
        return _not_assessed(Component.SEDENTARY, "sitting time not recorded")
    reasons: list[str] = []
    level = 0
    if hours is None:
        reasons.append("Sitting hours per workday not recorded: +0")
    else:
        if hours < 4:
            points, range_text = 0, "< 4 h"
        elif hours < 6:
            points, range_text = 1, "4 to < 6 h"
        elif hours < 8:
            points, range_text = 2, "6 to < 8 h"
        else:
            points, range_text = 3, "≥ 8 h"
        level += points
        reasons.append(
            f"Sitting {_fmt(hours, boundaries=(4.0, 6.0, 8.0))} h per workday "
            f"({range_text}): +{points}"
        )
    if bout is None:
        reasons.append("Longest uninterrupted sitting bout not recorded: +0")
    else:
        text = _fmt(bout, boundaries=(_SITTING_BOUT_LIMIT_MINUTES,))
        if bout > _SITTING_BOUT_LIMIT_MINUTES:
            level += 1
            reasons.append(f"Longest uninterrupted sitting bout {text} min (> 60 min): +1")
        else:
            reasons.append(f"Longest uninterrupted sitting bout {text} min (≤ 60 min): +0")
    reasons.append(_total_line(level))
    return _component(Component.SEDENTARY, level, assessed=True, reasons=reasons)


# Activity --------------------------------------------------------------------------------------

_WHO_AEROBIC_MINUTES: Final = 150.0
_WHO_STRENGTHENING_DAYS: Final = 2


def _activity(inputs: StrainInput) -> ComponentResult:
    minutes = inputs.moderate_equivalent_minutes
    days = inputs.strengthening_days_per_week
    if minutes is None and days is None:
        return _not_assessed(Component.ACTIVITY, "physical activity not recorded")
    reasons: list[str] = []
    level = 0
    if minutes is None:
        reasons.append("Moderate-equivalent activity not recorded: +0")
    else:
        if minutes >= _WHO_AEROBIC_MINUTES:
            points, range_text = 0, "≥ 150, meets WHO 2020"
        elif minutes >= 75:
            points, range_text = 1, "75 to < 150"
        elif minutes > 0:
            points, range_text = 2, "> 0 and < 75"
        else:
            points, range_text = 3, "none"
        level += points
        reasons.append(
            f"Moderate-equivalent activity {_fmt(minutes, boundaries=(75.0, 150.0))} min/week "
            f"({range_text}): +{points}"
        )
    if days is None:
        reasons.append("Muscle-strengthening days not recorded: +0")
    elif days < _WHO_STRENGTHENING_DAYS:
        level += 1
        reasons.append(
            f"Muscle-strengthening on {_plural(days, 'day')} per week "
            "(< 2, WHO 2020 recommends ≥ 2): +1"
        )
    else:
        reasons.append(f"Muscle-strengthening on {days} days per week (≥ 2, meets WHO 2020): +0")
    reasons.append(_total_line(level))
    return _component(Component.ACTIVITY, level, assessed=True, reasons=reasons)


# Individual ------------------------------------------------------------------------------------


def _individual(inputs: StrainInput) -> ComponentResult:
    bmi = inputs.bmi
    episodes = inputs.episodes_last_12_months
    pain = inputs.current_pain_mechanical
    if bmi is None and episodes is None and not pain:
        return _not_assessed(Component.INDIVIDUAL, "BMI and low back pain history not recorded")
    reasons: list[str] = []
    level = 0
    if bmi is None:
        reasons.append("BMI not recorded: +0")
    else:
        if bmi >= 30:
            points, range_text = 2, "≥ 30, obese"
        elif bmi >= 25:
            points, range_text = 1, "25 to < 30, overweight"
        else:
            points, range_text = 0, "< 25"
        level += points
        reasons.append(f"BMI {_fmt(bmi, boundaries=(25.0, 30.0))} ({range_text}): +{points}")
    if episodes is None:
        reasons.append("Episodes of low back pain in the last 12 months not recorded: +0")
    else:
        if episodes >= 3:
            points, range_text = 2, "≥ 3"
        elif episodes >= 1:
            points, range_text = 1, "1-2"
        else:
            points, range_text = 0, "none"
        level += points
        reasons.append(
            f"{_plural(episodes, 'episode')} of low back pain in the last 12 months "
            f"({range_text}): +{points}"
        )
    if pain:
        level += 1
        reasons.append("Current low back pain with the mechanical pattern: +1")
    else:
        reasons.append("No current low back pain with the mechanical pattern recorded: +0")
    reasons.append(_total_line(level))
    return _component(Component.INDIVIDUAL, level, assessed=True, reasons=reasons)


# Psychosocial ----------------------------------------------------------------------------------


def _psychosocial(inputs: StrainInput) -> ComponentResult:
    flags = inputs.yellow_flags
    if flags is None:
        return _not_assessed(Component.PSYCHOSOCIAL, "yellow flags not screened")
    level = len(flags)
    if level == 0:
        reasons = ["Yellow flags screened, none positive: level 0"]
    else:
        listed = ", ".join(flags)
        total = (
            f"level {level}" if level <= MAX_LEVEL else f"sum {level}, capped at level {MAX_LEVEL}"
        )
        reasons = [f"{_plural(level, 'yellow flag')} positive ({listed}): {total}"]
    return _component(Component.PSYCHOSOCIAL, level, assessed=True, reasons=reasons)


# Floors ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Floor:
    band: Band
    source: str
    reason: str


def _floors(inputs: StrainInput) -> list[_Floor]:
    floors: list[_Floor] = []
    li = inputs.lifting_index
    if li is not None and li > 1.0:
        name = _lifting_name(inputs)
        shown = (
            f"{name} is infinite (recommended weight limit 0) and"
            if math.isinf(li)
            else f"{name} {_fmt(li, boundaries=_LIFTING_BOUNDARIES, min_decimals=1)}"
        )
        if li > 3.0:
            floor = _Floor(
                Band.VERY_HIGH,
                "lifting",
                f"{shown} exceeds 3.0: Very high (NIOSH: nearly all workers are at increased "
                "risk above 3.0)",
            )
        elif li > 2.0:
            floor = _Floor(
                Band.HIGH,
                "lifting",
                f"{shown} exceeds 2.0: at least High (NIOSH; Lu et al. 2014 CLI > 2)",
            )
        else:
            floor = _Floor(
                Band.MODERATE,
                "lifting",
                f"{shown} exceeds 1.0: at least Moderate (NIOSH design goal LI ≤ 1.0; "
                "Waters et al. 2011)",
            )
        floors.append(floor)
    rosa = inputs.rosa_final
    if rosa is not None and rosa >= ROSA_ACTION_LEVEL:
        floors.append(
            _Floor(
                Band.MODERATE,
                "ROSA action level",
                f"ROSA final score {rosa} is at or above the action level of 5: "
                "at least Moderate (Sonne et al. 2012)",
            )
        )
    return floors


# Summary ---------------------------------------------------------------------------------------


def _summary(
    *,
    band: Band,
    score: float,
    raw_score: float,
    components: tuple[ComponentResult, ...],
    floors: list[_Floor],
    not_assessed: tuple[Component, ...],
    referral_count: int,
    not_assessable: tuple[Component, ...] = (),
) -> str:
    if band is Band.NOT_ASSESSABLE:
        sentence = "Not assessable: no section of the assessment was assessed."
        if not_assessable:
            sentence += f" Could not be assessed: {', '.join(not_assessable)}."
        return sentence
    provisional = ", provisional" if not_assessable else ""
    head = f"{band.label} strain risk{provisional} (score {display_score(score)}"
    if score > raw_score:
        top = max(BAND_LOWER_BOUNDS[f.band] for f in floors)
        sources = " and ".join(f.source for f in floors if BAND_LOWER_BOUNDS[f.band] == top)
        head += f", raised from {display_score(raw_score)} by the {sources} floor"
    head += ")"
    ranked = sorted(
        (c for c in components if c.level > 0),
        key=lambda c: (-c.points, list(Component).index(c.component)),
    )
    if ranked:
        # The two largest contributors, plus any tied with the second.
        cutoff = ranked[min(1, len(ranked) - 1)].points
        drivers = [f"{c.component.label} (level {c.level})" for c in ranked if c.points >= cutoff]
        listed = drivers[0] if len(drivers) == 1 else f"{', '.join(drivers[:-1])} and {drivers[-1]}"
        sentence = f"{head}: driven by {listed}."
    else:
        sentence = f"{head}: no component raised the score."
    if not_assessed:
        sentence += f" Based on the sections assessed; not assessed: {', '.join(not_assessed)}."
    if not_assessable:
        sentence += (
            f" Provisional: {', '.join(not_assessable)} could not be assessed and may raise "
            "the band once assessed with a suitable method."
        )
    if referral_count:
        sentence += (
            f" {_plural(referral_count, 'clinical referral')} listed separately "
            "(not part of the score)."
        )
    return sentence


# Formatting ------------------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _fmt(value: float, *, boundaries: tuple[float, ...] = (), min_decimals: int = 0) -> str:
    """A number for a reason: at most 2 decimals, trailing zeros dropped.

    When rounding to 2 decimals would make a value look equal to a band boundary it is not
    equal to (2.0001 shown as "2"), more decimals are shown so the text never contradicts
    the level.
    """
    exact = Decimal(repr(float(value)))
    text = ""
    for decimals in range(2, 8):
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = str(rounded)
        if float(rounded) == value or float(rounded) not in boundaries:
            break
    if "." in text:
        whole, _, fraction = text.partition(".")
        fraction = fraction.rstrip("0").ljust(min_decimals, "0")
        text = f"{whole}.{fraction}" if fraction else whole
    elif min_decimals:
        text = f"{text}.{'0' * min_decimals}"
    return text
