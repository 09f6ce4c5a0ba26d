"""Worker factors: body mass index, low back pain history, yellow flags, red flags and the
inflammatory back pain screen.

* BMI is computed from height and weight (or entered directly) and classed with the WHO adult
  cut-points 18.5 / 25 / 30 kg/m².
* The current episode is classed acute (< 6 weeks), subacute (6-12 weeks) or chronic
  (> 12 weeks); the "mechanical pattern" is current pain that eases with movement and returns
  after rest or sitting.
* Psychosocial yellow flags are asked in our own words on the published domains (Kendall,
  Linton & Main 1997): stress/worry, low mood, job dissatisfaction, low support at work, and
  the belief that activity is harmful. No STarT Back or Örebro item wording is used.
* Red flags (NICE CKS-derived NHS list) produce referrals: an emergency referral for signs of
  cauda equina syndrome, and one urgent clinical review for any other red flag(s). Red flags
  are a safety screen: they are never summed into any risk score.
* The inflammatory back pain screen applies the ASAS expert criteria (>= 4 of 5, Sieper et al.
  2009) and the NICE NG65 (2017) referral rule for suspected axial spondyloarthritis; either
  being met gives a routine "consider referral for assessment of inflammatory back pain".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from assessments.scoring.errors import InputError

__all__ = [
    "AGE_OVER_50_LABEL",
    "AGE_UNDER_20_LABEL",
    "ASAS_FIELDS",
    "ASAS_PATTERN_FEATURES",
    "CAUDA_EQUINA_FIELDS",
    "INFLAMMATORY_FIELDS",
    "MORNING_STIFFNESS_MINUTES",
    "NG65_FIELDS",
    "NG65_PATTERN_FEATURES",
    "NOT_ASKED_REASON_MAX",
    "ONSET_FEATURES",
    "PATTERN_FIELDS",
    "RED_FLAG_CONDITIONS",
    "RED_FLAG_FIELDS",
    "REPLACED_PATTERN_FIELDS",
    "THREE_MONTHS_WEEKS",
    "YELLOW_FLAG_FIELDS",
    "Answer",
    "BmiClass",
    "BmiSource",
    "InflammatoryScreen",
    "Ng65Outcome",
    "PainClass",
    "PainDurationClass",
    "Referral",
    "Urgency",
    "WorkerInput",
    "WorkerInputError",
    "WorkerResult",
    "bmi_class",
    "pain_duration_class",
    "score",
]


# --- Enums ------------------------------------------------------------------------------------


class Urgency(StrEnum):
    """How soon a referral must happen. ``rank`` 0 is the most urgent."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        return _URGENCY_ORDER.index(self)


_URGENCY_ORDER: tuple[Urgency, ...] = (Urgency.EMERGENCY, Urgency.URGENT, Urgency.ROUTINE)


class BmiClass(StrEnum):
    """WHO adult BMI classes: < 18.5, 18.5 to < 25, 25 to < 30, >= 30 kg/m²."""

    UNDERWEIGHT = "underweight"
    HEALTHY = "healthy"
    OVERWEIGHT = "overweight"
    OBESE = "obese"


class BmiSource(StrEnum):
    COMPUTED = "computed"
    ENTERED = "entered"


class PainDurationClass(StrEnum):
    """Duration of the current episode: < 6 weeks, 6-12 weeks, > 12 weeks."""

    ACUTE = "acute"
    SUBACUTE = "subacute"
    CHRONIC = "chronic"


class Answer(StrEnum):
    """The answer to a red-flag question. ``NOT_ASKED`` is the default: never read as "no"."""

    YES = "yes"
    NO = "no"
    NOT_ASKED = "not_asked"


class PainClass(StrEnum):
    """The pattern of the current pain, from the one pain-pattern screen."""

    MECHANICAL = "mechanical"
    POSSIBLE_INFLAMMATORY = "possible_inflammatory"
    UNCLASSIFIED = "unclassified"


class Ng65Outcome(StrEnum):
    """NICE NG65: >= 4 features refer; exactly 3 test HLA-B27 and refer if positive."""

    REFER = "refer"
    HLA_B27 = "hla_b27"
    NONE = "none"


# --- Field catalogues (shared with forms and reports) -----------------------------------------

#: Psychosocial yellow flags: input field -> label (our wording, on the domains of Kendall,
#: Linton & Main 1997).
YELLOW_FLAG_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "yf_stress_worry": "Feels stressed or worried much of the time",
        "yf_low_mood": "Low mood or loss of interest in usual activities",
        "yf_job_dissatisfaction": "Dissatisfied with their job",
        "yf_low_support_at_work": "Little support from colleagues or supervisors",
        "yf_activity_harmful_belief": "Believes that activity or work will harm their back",
    }
)

#: Red flags: input field -> label. The first three are the cauda equina group.
RED_FLAG_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "rf_saddle_anaesthesia": (
            "Numbness or altered feeling in the saddle area (around the back passage, "
            "genitals or inner thighs)"
        ),
        "rf_bladder_bowel_dysfunction": (
            "New bladder or bowel disturbance (difficulty passing urine, loss of control or "
            "loss of sensation)"
        ),
        "rf_bilateral_or_progressive_leg_weakness": (
            "Weakness in both legs, or leg weakness or walking difficulty that is getting worse"
        ),
        "rf_fever": "Fever, chills or rigors",
        "rf_unexplained_weight_loss": "Unexplained weight loss",
        "rf_history_of_cancer": "History of cancer",
        "rf_immunosuppression": "Immunosuppression (from illness or medication)",
        "rf_iv_drug_use": "Intravenous drug use",
        "rf_significant_trauma": "Pain began with significant trauma (for example a fall or crash)",
        "rf_osteoporosis_or_steroids": "Osteoporosis or long-term corticosteroid use",
        "rf_progressive_neuro_deficit": (
            "Progressive neurological deficit (spreading numbness, weakness or loss of reflexes)"
        ),
        "rf_night_pain": "Constant night pain, not eased by rest or by changing position",
        "rf_failure_to_improve": "No improvement after about a month",
    }
)

#: The red flags that suggest cauda equina syndrome (emergency).
CAUDA_EQUINA_FIELDS: tuple[str, ...] = (
    "rf_saddle_anaesthesia",
    "rf_bladder_bowel_dysfunction",
    "rf_bilateral_or_progressive_leg_weakness",
)

_CES = "cauda equina syndrome"
_CANCER = "cancer"
_INFECTION = "infection"
_FRACTURE = "fracture"
_NEURO = "neurological compromise"

#: Red flag field -> the serious pathology it is listed under (NICE CKS-derived NHS list).
RED_FLAG_CONDITIONS: Mapping[str, str] = MappingProxyType(
    {
        "rf_saddle_anaesthesia": _CES,
        "rf_bladder_bowel_dysfunction": _CES,
        "rf_bilateral_or_progressive_leg_weakness": _CES,
        "rf_fever": _INFECTION,
        "rf_unexplained_weight_loss": _CANCER,
        "rf_history_of_cancer": _CANCER,
        "rf_immunosuppression": _INFECTION,
        "rf_iv_drug_use": _INFECTION,
        "rf_significant_trauma": _FRACTURE,
        "rf_osteoporosis_or_steroids": _FRACTURE,
        "rf_progressive_neuro_deficit": _NEURO,
        "rf_night_pain": _CANCER,
        "rf_failure_to_improve": _CANCER,
    }
)
_CONDITION_ORDER = (_CANCER, _INFECTION, _FRACTURE, _NEURO)

#: Age thresholds for new-onset back pain (NHS / NICE CKS: over 50 or under 20).
AGE_RED_FLAG_OVER = 50
AGE_RED_FLAG_UNDER = 20
#: An episode of at most this many weeks counts as new onset for the age red flag.
NEW_ONSET_MAX_WEEKS = 12.0
AGE_OVER_50_LABEL = "New-onset back pain (current episode 12 weeks or less) at age over 50"
AGE_UNDER_20_LABEL = "New-onset back pain (current episode 12 weeks or less) at age under 20"

#: ASAS inflammatory back pain criteria (Sieper et al. 2009): input field -> label.
ASAS_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "asas_onset_before_40": "Age at onset under 40",
        "asas_insidious_onset": "Pain came on gradually, without an injury or strain",
    }
)

#: The one pain-pattern screen: each pattern question asked once, in plain words. Each answer
#: feeds every rule that uses it (the mechanical pattern, ASAS, NICE NG65).
PATTERN_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "pain_eases_with_movement": "Pain eases with movement or exercise",
        "pain_returns_after_rest": (
            "Rest does not ease the pain: it comes back or gets worse after rest or sitting"
        ),
        "night_pain_eases_on_rising": (
            "Night pain in the second half of the night that eases on getting up"
        ),
        "morning_stiffness_minutes": "Stiffness on waking, minutes",
    }
)

#: Pattern question -> the ASAS / NICE NG65 features it answers (field -> criterion label).
ASAS_PATTERN_FEATURES: Mapping[str, str] = MappingProxyType(
    {
        "pain_eases_with_movement": "Improvement with exercise",
        "pain_returns_after_rest": "No improvement with rest",
        "night_pain_eases_on_rising": "Pain at night, improving on getting up",
    }
)
NG65_PATTERN_FEATURES: Mapping[str, str] = MappingProxyType(
    {
        "night_pain_eases_on_rising": "Waking in the second half of the night with symptoms",
        "pain_eases_with_movement": "Improvement with movement",
    }
)
#: Morning stiffness longer than this is a feature of inflammatory back pain (Berlin
#: criteria, Rudwaleit et al. 2006); shown with the criteria, not counted by ASAS or NG65.
MORNING_STIFFNESS_MINUTES = 30

#: NICE NG65 additional criteria for suspected axial spondyloarthritis: field -> label.
NG65_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "ng65_started_before_35": "Back pain started before age 35",
        "ng65_buttock_pain": "Buttock pain",
        "ng65_nsaid_response_48h": "Improvement within 48 hours of taking an NSAID",
        "ng65_family_history_spa": "First-degree relative with spondyloarthritis",
        "ng65_arthritis": "Current or past arthritis",
        "ng65_enthesitis": "Current or past enthesitis",
        "ng65_psoriasis": "Current or past psoriasis",
    }
)

#: Every inflammatory screen question not in the pattern screen (ASAS then NG65): input
#: field -> label, for forms.
INFLAMMATORY_FIELDS: Mapping[str, str] = MappingProxyType({**ASAS_FIELDS, **NG65_FIELDS})

#: Version-1 interchange fields replaced by the pain-pattern screen: old field -> new field.
#: An old "yes" to any of them is a yes to the new question.
REPLACED_PATTERN_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "asas_improves_with_exercise": "pain_eases_with_movement",
        "ng65_improves_with_movement": "pain_eases_with_movement",
        "asas_no_improvement_with_rest": "pain_returns_after_rest",
        "asas_night_pain_improves_on_rising": "night_pain_eases_on_rising",
        "ng65_waking_second_half_night": "night_pain_eases_on_rising",
    }
)

#: WHO adult BMI cut-points (kg/m²).
BMI_UNDERWEIGHT_BELOW = 18.5
BMI_OVERWEIGHT_FROM = 25.0
BMI_OBESE_FROM = 30.0
#: An entered BMI may differ from the one computed from height and weight by this much.
BMI_TOLERANCE = 0.5
#: ASAS and NG65 both require back pain lasting more than 3 months; 3 months = 13 weeks.
THREE_MONTHS_WEEKS = 13.0
_DAYS_PER_YEAR = 365.25

_PATTERN_FIELDS = (
    "pain_eases_with_movement",
    "pain_returns_after_rest",
    "night_pain_eases_on_rising",
)
#: The two screen features that are statements about the age back pain started: field -> the
#: age it must have started before. A form that asks the onset age derives them from it.
ONSET_FEATURES: Mapping[str, int] = MappingProxyType(
    {"asas_onset_before_40": 40, "ng65_started_before_35": 35}
)
_BOOL_FIELDS = (
    "current_pain",
    *_PATTERN_FIELDS,
    *YELLOW_FLAG_FIELDS,
    *ASAS_FIELDS,
    *NG65_FIELDS,
)
#: Longest reason for red-flag questions not asked (characters).
NOT_ASKED_REASON_MAX = 500


class WorkerInputError(InputError):
    """Invalid worker input.

    ``path`` is the field at fault (the first of ``fields``); ``fields`` names every field the
    message involves, so a form can mark each of them. ``str()`` is "path: message".
    """

    def __init__(self, fields: str | tuple[str, ...], message: str) -> None:
        self.fields: tuple[str, ...] = (fields,) if isinstance(fields, str) else fields
        super().__init__(self.fields[0], message)


# --- Input ------------------------------------------------------------------------------------


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WorkerInputError(field, f"expected a number, got {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise WorkerInputError(field, f"{value!r} is not a finite number")
    return result


def _range(field: str, value: object, low: float, high: float, unit: str) -> float:
    number = _number(field, value)
    if not low <= number <= high:
        raise WorkerInputError(
            field, f"{number:g}{unit} is outside the allowed range {low:g}-{high:g}{unit}"
        )
    return number


def _int_range(field: str, value: object, low: int, high: int, unit: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WorkerInputError(field, f"expected a whole number, got {value!r}")
    if not low <= value <= high:
        raise WorkerInputError(
            field, f"{value}{unit} is outside the allowed range {low}-{high}{unit}"
        )
    return value


def _computed_bmi(height_cm: float, weight_kg: float) -> float:
    metres = height_cm / 100.0
    return weight_kg / (metres * metres)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerInput:
    """What the assessor records about the worker.

    Boolean questions default to ``False`` (not present). Each red flag is ``Answer.YES``,
    ``Answer.NO`` or ``Answer.NOT_ASKED`` (the default): an unanswered red flag is never read
    as absent, and ``red_flags_not_asked_reason`` records why any was not asked.
    """

    age_years: int
    current_pain: bool
    episodes_last_12_months: int
    height_cm: float | None = None
    weight_kg: float | None = None
    bmi: float | None = None
    #: Duration of the current episode; required when ``current_pain``.
    pain_duration_weeks: float | None = None
    #: Current pain on a 0-10 numeric rating scale; reported, not scored.
    pain_intensity: float | None = None
    # The pain-pattern screen (labels in PATTERN_FIELDS).
    pain_eases_with_movement: bool = False
    pain_returns_after_rest: bool = False
    night_pain_eases_on_rising: bool = False
    morning_stiffness_minutes: int | None = None
    #: Age when back pain first started (any episode), for NG65's "started before 45".
    back_pain_onset_age: int | None = None
    # Psychosocial yellow flags (labels in YELLOW_FLAG_FIELDS).
    yf_stress_worry: bool = False
    yf_low_mood: bool = False
    yf_job_dissatisfaction: bool = False
    yf_low_support_at_work: bool = False
    yf_activity_harmful_belief: bool = False
    # Red flags (labels in RED_FLAG_FIELDS): yes / no / not asked.
    rf_saddle_anaesthesia: Answer = Answer.NOT_ASKED
    rf_bladder_bowel_dysfunction: Answer = Answer.NOT_ASKED
    rf_bilateral_or_progressive_leg_weakness: Answer = Answer.NOT_ASKED
    rf_fever: Answer = Answer.NOT_ASKED
    rf_unexplained_weight_loss: Answer = Answer.NOT_ASKED
    rf_history_of_cancer: Answer = Answer.NOT_ASKED
    rf_immunosuppression: Answer = Answer.NOT_ASKED
    rf_iv_drug_use: Answer = Answer.NOT_ASKED
    rf_significant_trauma: Answer = Answer.NOT_ASKED
    rf_osteoporosis_or_steroids: Answer = Answer.NOT_ASKED
    rf_progressive_neuro_deficit: Answer = Answer.NOT_ASKED
    rf_night_pain: Answer = Answer.NOT_ASKED
    rf_failure_to_improve: Answer = Answer.NOT_ASKED
    #: Why one or more red-flag questions were not asked (health data, OH only).
    red_flags_not_asked_reason: str = ""
    # ASAS inflammatory back pain criteria not in the pattern screen (labels in ASAS_FIELDS).
    asas_onset_before_40: bool = False
    asas_insidious_onset: bool = False
    # NICE NG65 criteria not in the pattern screen (labels in NG65_FIELDS).
    ng65_started_before_35: bool = False
    ng65_buttock_pain: bool = False
    ng65_nsaid_response_48h: bool = False
    ng65_family_history_spa: bool = False
    ng65_arthritis: bool = False
    ng65_enthesitis: bool = False
    ng65_psoriasis: bool = False

    def __post_init__(self) -> None:
        for name in _BOOL_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise WorkerInputError(name, f"expected true or false, got {value!r}")
        for name in RED_FLAG_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, Answer):
                try:
                    object.__setattr__(self, name, Answer(value))
                except ValueError:
                    raise WorkerInputError(
                        name, f'expected "yes", "no" or "not_asked", got {value!r}'
                    ) from None
        if not isinstance(self.red_flags_not_asked_reason, str):
            raise WorkerInputError("red_flags_not_asked_reason", "expected text")
        if len(self.red_flags_not_asked_reason) > NOT_ASKED_REASON_MAX:
            raise WorkerInputError(
                "red_flags_not_asked_reason",
                f"at most {NOT_ASKED_REASON_MAX} characters",
            )
        if self.morning_stiffness_minutes is not None:
            _int_range("morning_stiffness_minutes", self.morning_stiffness_minutes, 0, 1440, " min")
        age = _int_range("age_years", self.age_years, 16, 100, " years")
        self._check_bmi()
        _int_range("episodes_last_12_months", self.episodes_last_12_months, 0, 52, " episodes")
        if self.pain_intensity is not None:
            _range("pain_intensity", self.pain_intensity, 0.0, 10.0, "")
        weeks = self._check_duration(age)
        self._check_onset(age, weeks)

    def _check_bmi(self) -> None:
        height = weight = None
        if self.height_cm is not None:
            height = _range("height_cm", self.height_cm, 100.0, 250.0, " cm")
        if self.weight_kg is not None:
            weight = _range("weight_kg", self.weight_kg, 30.0, 350.0, " kg")
        if self.bmi is not None:
            _range("bmi", self.bmi, 12.0, 80.0, " kg/m²")
        if height is None or weight is None:
            return
        computed = _computed_bmi(height, weight)
        if not 12.0 <= computed <= 80.0:
            raise WorkerInputError(
                ("height_cm", "weight_kg"),
                f"{height:g} cm with weight_kg {weight:g} kg gives a BMI of "
                f"{computed:.1f} kg/m², outside the plausible range 12-80 kg/m²",
            )
        if self.bmi is not None and abs(float(self.bmi) - computed) > BMI_TOLERANCE:
            raise WorkerInputError(
                ("bmi", "height_cm", "weight_kg"),
                f"the entered BMI {float(self.bmi):g} kg/m² disagrees with the BMI "
                f"{computed:.1f} kg/m² computed from height_cm {height:g} cm and weight_kg "
                f"{weight:g} kg by more than {BMI_TOLERANCE:g}",
            )

    def _check_duration(self, age: int) -> float | None:
        """The validated duration of the current episode; ``None`` without current pain."""
        if self.pain_duration_weeks is None:
            if self.current_pain:
                raise WorkerInputError(
                    "pain_duration_weeks",
                    "required when current_pain is true",
                )
            return None
        weeks = _number("pain_duration_weeks", self.pain_duration_weeks)
        longest = (age + 1) * _DAYS_PER_YEAR / 7.0
        if not 0.0 <= weeks <= longest:
            raise WorkerInputError(
                ("pain_duration_weeks", "age_years"),
                f"{weeks:g} weeks is outside the allowed range "
                f"0-{longest:.0f} weeks (no longer than the worker's life at age {age})",
            )
        return weeks if self.current_pain else None

    def _check_onset(self, age: int, weeks: float | None) -> None:
        if self.back_pain_onset_age is None:
            return
        onset = _int_range("back_pain_onset_age", self.back_pain_onset_age, 0, age, " years")
        if weeks is not None and onset > age + 1 - weeks * 7.0 / _DAYS_PER_YEAR:
            raise WorkerInputError(
                ("back_pain_onset_age", "pain_duration_weeks", "age_years"),
                f"{onset} years is later than the start of the current "
                f"episode ({weeks:g} weeks ago at age {age})",
            )
        for field, limit in ONSET_FEATURES.items():
            if getattr(self, field) and onset >= limit:
                raise WorkerInputError(
                    (field, "back_pain_onset_age"),
                    f"true, but back_pain_onset_age is {onset} years (not before {limit})",
                )


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Referral:
    """A clinical referral. ``code`` is stable; ``reason`` explains it in plain English."""

    code: str
    urgency: Urgency
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class InflammatoryScreen:
    """ASAS (Sieper et al. 2009) and NICE NG65 (2017) screens for inflammatory back pain."""

    #: Current pain lasting more than 3 months (13 weeks): both rules need it.
    duration_over_3_months: bool
    #: Back pain known to have started before age 45 (from the onset age, an onset feature,
    #: or the worker's age and the duration of the current episode).
    onset_before_45: bool
    asas_count: int
    asas_features: tuple[str, ...]
    asas_applicable: bool
    asas_positive: bool
    ng65_count: int
    ng65_features: tuple[str, ...]
    ng65_applicable: bool
    ng65_outcome: Ng65Outcome
    #: The mechanical pattern (eases with movement, returns after rest) where NG65 applies:
    #: it overlaps inflammatory back pain, so the screen must have been asked.
    pattern_overlap: bool
    #: Onset features counted although not ticked, because the ages make them certain.
    derived_features: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkerResult:
    """Every intermediate value of the worker assessment, with its reasons."""

    age_years: int
    bmi: float | None
    bmi_source: BmiSource | None
    bmi_class: BmiClass | None
    current_pain: bool
    pain_duration_weeks: float | None
    pain_duration_class: PainDurationClass | None
    pain_intensity: float | None
    episodes_last_12_months: int
    #: True only when the pain class is mechanical (possible inflammatory pain never is).
    mechanical_pattern: bool
    #: Labels of the positive yellow flags, in YELLOW_FLAG_FIELDS order.
    yellow_flags: tuple[str, ...]
    #: Labels of all positive red flags (including the age rule), cauda equina signs first.
    red_flags: tuple[str, ...]
    age_red_flag: bool
    #: Ordered by urgency: emergency, urgent, routine.
    referrals: tuple[Referral, ...]
    inflammatory: InflammatoryScreen
    reasons: tuple[str, ...]
    #: The class of the current pain (``None``: no current pain) and the criteria behind it.
    pain_class: PainClass | None
    pain_class_criteria: tuple[str, ...]
    #: Stiffness on waking (minutes) with current pain; ``None`` when not recorded.
    morning_stiffness_minutes: int | None
    #: Labels of the red-flag questions not asked, and the assessor's reason.
    red_flags_not_asked: tuple[str, ...]
    red_flags_not_asked_reason: str


# --- Scoring ----------------------------------------------------------------------------------


def bmi_class(bmi: float) -> BmiClass:
    """WHO adult classes: < 18.5 underweight, < 25 healthy, < 30 overweight, else obese."""
    if bmi < BMI_UNDERWEIGHT_BELOW:
        return BmiClass.UNDERWEIGHT
    if bmi < BMI_OVERWEIGHT_FROM:
        return BmiClass.HEALTHY
    if bmi < BMI_OBESE_FROM:
        return BmiClass.OVERWEIGHT
    return BmiClass.OBESE


def pain_duration_class(weeks: float) -> PainDurationClass:
    """< 6 weeks acute, 6 to 12 weeks subacute, more than 12 weeks chronic."""
    if weeks < 6.0:
        return PainDurationClass.ACUTE
    if weeks <= 12.0:
        return PainDurationClass.SUBACUTE
    return PainDurationClass.CHRONIC


_BMI_BANDS = {
    BmiClass.UNDERWEIGHT: "under 18.5 kg/m²",
    BmiClass.HEALTHY: "18.5 to under 25 kg/m²",
    BmiClass.OVERWEIGHT: "25 to under 30 kg/m²",
    BmiClass.OBESE: "30 kg/m² or more",
}
_DURATION_BANDS = {
    PainDurationClass.ACUTE: "under 6 weeks",
    PainDurationClass.SUBACUTE: "6 to 12 weeks",
    PainDurationClass.CHRONIC: "more than 12 weeks",
}

_RED_FLAG_SOURCE = (
    "NICE CKS-derived NHS red-flag list (NHS Gloucestershire low back pain pathway); "
    "NICE NG59 (2016) recommendation 1.1.1"
)
_CES_SOURCE = (
    "NICE CKS-derived NHS red-flag list (NHS Gloucestershire low back pain pathway); "
    "British Association of Spine Surgeons cauda equina guidance (2018)"
)
_INFLAMMATORY_SOURCE = (
    "ASAS inflammatory back pain criteria (Sieper et al., Ann Rheum Dis 2009); "
    "NICE NG65 Spondyloarthritis in over 16s (2017), section 1.1"
)


def _bmi(data: WorkerInput) -> tuple[float | None, BmiSource | None, list[str]]:
    if data.height_cm is not None and data.weight_kg is not None:
        raw = _computed_bmi(float(data.height_cm), float(data.weight_kg))
        value = round(raw, 1)
        metres = float(data.height_cm) / 100.0
        how = f"{float(data.weight_kg):g} kg / ({metres:g} m)²"
        source = BmiSource.COMPUTED
    elif data.bmi is not None:
        value = round(float(data.bmi), 1)
        how = "as entered"
        source = BmiSource.ENTERED
    else:
        return None, None, ["BMI not recorded."]
    cls = bmi_class(value)
    return (
        value,
        source,
        [f"BMI {value:.1f} kg/m² ({how}): {cls.value} (WHO: {_BMI_BANDS[cls]})."],
    )


def _onset_before_45(data: WorkerInput, weeks: float | None) -> tuple[bool, str]:
    if data.back_pain_onset_age is not None:
        known = data.back_pain_onset_age < 45
        suffix = "" if known else " (not before 45)"
        return known, f"back pain started at age {data.back_pain_onset_age}{suffix}"
    if data.ng65_started_before_35 or data.asas_onset_before_40:
        return True, "back pain recorded as starting before 40"
    if weeks is not None:
        # age_years is completed years, so the current episode began before
        # age_years + 1 - duration; back pain began no later than that.
        latest = data.age_years + 1 - weeks * 7.0 / _DAYS_PER_YEAR
        if latest <= 45.0:
            return True, f"the current episode began before age {latest:.1f}"
    return (
        False,
        "onset before 45 not established (the age when back pain started was not recorded)",
    )


def _derived_onset_features(data: WorkerInput) -> dict[str, str]:
    """Onset features not ticked but certainly true, field -> how we know.

    "Age at onset under 40" (ASAS) and "started before 35" (NG65) are statements about the age
    back pain started. When the onset age is recorded, or the worker has current back pain and
    is younger than the limit, or (for 40) pain is recorded as starting before 35, the feature
    is true whether or not the box was ticked.
    """
    derived: dict[str, str] = {}
    onset = data.back_pain_onset_age
    for field, limit in ONSET_FEATURES.items():
        if getattr(data, field):
            continue
        if onset is not None:
            if onset < limit:
                derived[field] = f"back_pain_onset_age {onset}"
        elif data.current_pain and data.age_years < limit:
            derived[field] = f"current back pain at age {data.age_years}"
        elif field == "asas_onset_before_40" and data.ng65_started_before_35:
            derived[field] = "back pain started before 35"
    return derived


def _inflammatory(
    data: WorkerInput, weeks: float | None, mechanical: bool
) -> tuple[InflammatoryScreen, Referral | None]:
    over_3_months = weeks is not None and weeks > THREE_MONTHS_WEEKS
    derived = _derived_onset_features(data)
    onset_45, onset_how = _onset_before_45(data, weeks)
    pain = data.current_pain
    asas = tuple(
        label for field, label in ASAS_FIELDS.items() if getattr(data, field) or field in derived
    ) + tuple(
        label for field, label in ASAS_PATTERN_FEATURES.items() if pain and getattr(data, field)
    )
    ng65 = tuple(
        label for field, label in NG65_FIELDS.items() if getattr(data, field) or field in derived
    ) + tuple(
        label for field, label in NG65_PATTERN_FEATURES.items() if pain and getattr(data, field)
    )
    asas_positive = over_3_months and len(asas) >= 4
    ng65_applicable = over_3_months and onset_45
    if ng65_applicable and len(ng65) >= 4:
        outcome = Ng65Outcome.REFER
    elif ng65_applicable and len(ng65) == 3:
        outcome = Ng65Outcome.HLA_B27
    else:
        outcome = Ng65Outcome.NONE
    overlap = mechanical and ng65_applicable

    duration_text = (
        "no current back pain"
        if weeks is None
        else f"current episode {weeks:g} weeks"
        + (" (more than 3 months)" if over_3_months else " (not more than 3 months)")
    )
    asas_list = "; ".join(asas) if asas else "none"
    ng65_list = "; ".join(ng65) if ng65 else "none"
    reasons: list[str] = [
        f"{INFLAMMATORY_FIELDS[field]}: counted from {how}." for field, how in derived.items()
    ]
    if over_3_months:
        verdict = (
            "inflammatory back pain by the ASAS criteria (4 or more of 5)"
            if asas_positive
            else "below the ASAS threshold of 4 of 5"
        )
        reasons.append(f"ASAS: {len(asas)} of 5 features ({asas_list}): {verdict}.")
    else:
        reasons.append(
            f"ASAS criteria not applied: they apply to back pain lasting more than 3 months; "
            f"{duration_text}. Features present: {len(asas)} of 5."
        )
    if ng65_applicable:
        verdict = {
            Ng65Outcome.REFER: "4 or more: refer to rheumatology for assessment",
            Ng65Outcome.HLA_B27: "exactly 3: test HLA-B27 and refer if positive",
            Ng65Outcome.NONE: "fewer than 3: referral criteria not met",
        }[outcome]
        reasons.append(
            f"NICE NG65 applies (started before 45: {onset_how}; lasting more than 3 months): "
            f"{len(ng65)} of 9 features ({ng65_list}); {verdict}."
        )
    else:
        missing = [] if over_3_months else [duration_text]
        if not onset_45:
            missing.append(onset_how)
        reasons.append(
            "NICE NG65 referral rule not applied: it needs back pain that started before 45 "
            f"and has lasted more than 3 months; {'; '.join(missing)}. "
            f"Features present: {len(ng65)} of 9."
        )
    if overlap:
        reasons.append(
            "Pain that eases with movement and returns after rest, starting before 45 and "
            "lasting more than 3 months, overlaps inflammatory back pain: make sure the "
            "inflammatory screen was asked before treating it as mechanical strain only."
        )

    referral: Referral | None = None
    if asas_positive or outcome is not Ng65Outcome.NONE:
        parts = []
        if asas_positive:
            parts.append(f"ASAS criteria met ({len(asas)} of 5: {asas_list})")
        if outcome is Ng65Outcome.REFER:
            parts.append(f"NICE NG65 referral criteria met ({len(ng65)} of 9: {ng65_list})")
        elif outcome is Ng65Outcome.HLA_B27:
            parts.append(f"NICE NG65: 3 of 9 features ({ng65_list})")
        if asas_positive or outcome is Ng65Outcome.REFER:
            route = (
                "Possible inflammatory back pain: the worker should see their GP for referral "
                "to rheumatology for assessment of axial spondyloarthritis"
            )
        else:
            route = (
                "Possible inflammatory back pain: the worker should see their GP, who will "
                "consider an HLA-B27 test and refer to rheumatology if it is positive "
                "(NICE NG65, 3 features)"
            )
        referral = Referral(
            code="inflammatory.consider_referral",
            urgency=Urgency.ROUTINE,
            reason=f"{route}. {'; '.join(parts)}. Not scored as mechanical back pain.",
            source=_INFLAMMATORY_SOURCE,
        )

    screen = InflammatoryScreen(
        duration_over_3_months=over_3_months,
        onset_before_45=onset_45,
        asas_count=len(asas),
        asas_features=asas,
        asas_applicable=over_3_months,
        asas_positive=asas_positive,
        ng65_count=len(ng65),
        ng65_features=ng65,
        ng65_applicable=ng65_applicable,
        ng65_outcome=outcome,
        pattern_overlap=overlap,
        derived_features=tuple(INFLAMMATORY_FIELDS[field] for field in derived),
        reasons=tuple(reasons),
    )
    return screen, referral


def _red_flags(
    data: WorkerInput, weeks: float | None
) -> tuple[tuple[str, ...], bool, list[Referral]]:
    ces = [f for f in CAUDA_EQUINA_FIELDS if getattr(data, f) is Answer.YES]
    others = [
        f
        for f in RED_FLAG_FIELDS
        if f not in CAUDA_EQUINA_FIELDS and getattr(data, f) is Answer.YES
    ]
    by_condition: dict[str, list[str]] = {c: [] for c in _CONDITION_ORDER}
    for field in others:
        by_condition[RED_FLAG_CONDITIONS[field]].append(RED_FLAG_FIELDS[field])

    age_label: str | None = None
    if data.current_pain and weeks is not None and weeks <= NEW_ONSET_MAX_WEEKS:
        if data.age_years > AGE_RED_FLAG_OVER:
            age_label = AGE_OVER_50_LABEL
        elif data.age_years < AGE_RED_FLAG_UNDER:
            age_label = AGE_UNDER_20_LABEL
    if age_label is not None:
        by_condition[_CANCER].append(age_label)

    referrals: list[Referral] = []
    if ces:
        signs = "; ".join(RED_FLAG_FIELDS[f] for f in ces)
        referrals.append(
            Referral(
                code="red_flag.cauda_equina",
                urgency=Urgency.EMERGENCY,
                reason=(
                    f"Possible cauda equina syndrome: {signs}. Emergency: same-day assessment "
                    "in an emergency department (A&E); do not wait for a routine appointment."
                ),
                source=_CES_SOURCE,
            )
        )
    groups = [(c, labels) for c, labels in by_condition.items() if labels]
    if groups:
        listed = " ".join(f"Possible {c}: {'; '.join(labels)}." for c, labels in groups)
        referrals.append(
            Referral(
                code="red_flag.serious_pathology",
                urgency=Urgency.URGENT,
                reason=(
                    f"Red flags for serious spinal pathology. {listed} Urgent clinical review "
                    "(GP or occupational physician) to exclude a specific cause before relying "
                    "on ergonomic measures."
                ),
                source=_RED_FLAG_SOURCE,
            )
        )
    labels = tuple(RED_FLAG_FIELDS[f] for f in ces) + tuple(
        label for _, group in groups for label in group
    )
    return labels, age_label is not None, referrals


#: How the reason that gives the pain pattern begins (reports that state the pattern on
#: its own line leave that reason out).
PAIN_PATTERN_REASON = "Pain pattern: "
_PAIN_CLASS_TEXT = {
    PainClass.MECHANICAL: "mechanical",
    PainClass.POSSIBLE_INFLAMMATORY: "possible inflammatory back pain",
    PainClass.UNCLASSIFIED: "unclassified",
}


def _pain_class(
    data: WorkerInput, screen: InflammatoryScreen, pattern: bool, stiffness: int | None
) -> tuple[PainClass | None, tuple[str, ...]]:
    """The class of the current pain and the criteria behind it (``None``: no current pain).

    Possible inflammatory when the ASAS criteria or the NICE NG65 referral criteria (4 or
    more features, or exactly 3: HLA-B27 route) are met; otherwise mechanical when the pain
    eases with movement and comes back after rest; otherwise unclassified.
    """
    if not data.current_pain:
        return None, ()
    long_stiffness = stiffness is not None and stiffness > MORNING_STIFFNESS_MINUTES
    stiffness_text = (
        f"stiffness on waking {stiffness} minutes (more than {MORNING_STIFFNESS_MINUTES})"
    )
    if screen.asas_positive or screen.ng65_outcome is not Ng65Outcome.NONE:
        criteria: list[str] = []
        if screen.asas_positive:
            criteria.append(f"ASAS {screen.asas_count} of 5: {'; '.join(screen.asas_features)}")
        if screen.ng65_outcome is not Ng65Outcome.NONE:
            route = (
                "referral criteria met"
                if screen.ng65_outcome is Ng65Outcome.REFER
                else "3 features, HLA-B27 route"
            )
            criteria.append(
                f"NICE NG65 {screen.ng65_count} of 9 ({route}): {'; '.join(screen.ng65_features)}"
            )
        if long_stiffness:
            criteria.append(stiffness_text)
        return PainClass.POSSIBLE_INFLAMMATORY, tuple(criteria)
    if pattern:
        criteria = [
            PATTERN_FIELDS["pain_eases_with_movement"],
            PATTERN_FIELDS["pain_returns_after_rest"],
        ]
        return PainClass.MECHANICAL, tuple(criteria)
    criteria = []
    if long_stiffness:
        criteria.append(stiffness_text)
    return PainClass.UNCLASSIFIED, tuple(criteria)


_NG59_SOURCE = "NICE NG59 Low back pain and sciatica in over 16s (2016, updated 2020), 1.2"


def _persistent(
    duration_class: PainDurationClass | None, weeks: float | None, yellow: tuple[str, ...]
) -> Referral | None:
    """The review NICE NG59 describes for pain past 6 weeks (subacute) or 12 weeks (chronic)."""
    if weeks is None or duration_class in (None, PainDurationClass.ACUTE):
        return None
    if duration_class is PainDurationClass.SUBACUTE:
        return Referral(
            code="persistent.subacute_review",
            urgency=Urgency.ROUTINE,
            reason=(
                f"Back pain for {weeks:g} weeks (past 6 weeks, subacute): arrange a review with "
                "the GP or a physiotherapist, and a structured exercise programme; keep the "
                "worker at work or plan their return with adjusted duties."
            ),
            source=_NG59_SOURCE,
        )
    if yellow:
        return Referral(
            code="persistent.combined_programme",
            urgency=Urgency.ROUTINE,
            reason=(
                f"Back pain for {weeks:g} weeks (past 12 weeks, chronic) with "
                f"{len(yellow)} psychosocial flag{'s' if len(yellow) != 1 else ''}: refer for a "
                "combined physical and psychological programme (exercise with a cognitive "
                "behavioural approach) through the GP or occupational health physiotherapy."
            ),
            source=_NG59_SOURCE,
        )
    return Referral(
        code="persistent.chronic_review",
        urgency=Urgency.ROUTINE,
        reason=(
            f"Back pain for {weeks:g} weeks (past 12 weeks, chronic): arrange a review with the "
            "GP or a physiotherapist, and a structured exercise programme; review work "
            "adjustments with occupational health."
        ),
        source=_NG59_SOURCE,
    )


def score(data: WorkerInput) -> WorkerResult:
    """Score one worker's individual factors, screens and referrals."""
    reasons: list[str] = []
    bmi, bmi_source, bmi_reasons = _bmi(data)
    reasons.extend(bmi_reasons)

    weeks = (
        float(data.pain_duration_weeks)
        if data.current_pain and data.pain_duration_weeks is not None
        else None
    )
    duration_class = None if weeks is None else pain_duration_class(weeks)
    if weeks is not None and duration_class is not None:
        reasons.append(
            f"Current back pain for {weeks:g} weeks: {duration_class.value} "
            f"({_DURATION_BANDS[duration_class]})."
        )
    else:
        reasons.append("No current back pain.")
        if data.pain_duration_weeks is not None:
            reasons.append(
                f"pain_duration_weeks ({float(data.pain_duration_weeks):g}) ignored: it is the "
                "duration of a current episode and there is no current back pain."
            )
    if data.pain_intensity is not None:
        reasons.append(f"Pain intensity {float(data.pain_intensity):g}/10.")

    episodes = data.episodes_last_12_months
    episode_word = "episode" if episodes == 1 else "episodes"
    reasons.append(
        f"{episodes} {episode_word} of low back pain in the last 12 months"
        + (
            "; previous episodes are the most consistent predictor of recurrence "
            "(da Silva et al. 2017; Machado et al. 2017)."
            if episodes
            else "."
        )
    )

    pattern = data.current_pain and data.pain_eases_with_movement and data.pain_returns_after_rest
    stiffness = data.morning_stiffness_minutes if data.current_pain else None
    if stiffness is not None:
        long_stiffness = stiffness > MORNING_STIFFNESS_MINUTES
        reasons.append(
            f"Stiffness on waking: {stiffness} minutes"
            + (
                f" (more than {MORNING_STIFFNESS_MINUTES}: a feature of inflammatory back pain, "
                "Berlin criteria; shown, not counted by ASAS or NICE NG65)."
                if long_stiffness
                else "."
            )
        )

    yellow = tuple(label for field, label in YELLOW_FLAG_FIELDS.items() if getattr(data, field))
    if yellow:
        reasons.append(
            f"{len(yellow)} psychosocial yellow flag{'s' if len(yellow) != 1 else ''} "
            f"(domains of Kendall, Linton & Main 1997): {'; '.join(yellow)}."
        )
    else:
        reasons.append("No psychosocial yellow flags.")

    red, age_flag, referrals = _red_flags(data, weeks)
    if red:
        reasons.append(
            f"{len(red)} red flag{'s' if len(red) != 1 else ''}: referral below. Red flags are a "
            "safety screen and are never added into a risk score."
        )
    else:
        reasons.append("No red flags.")

    screen, inflammatory_referral = _inflammatory(data, weeks, pattern)
    if inflammatory_referral is not None:
        referrals.append(inflammatory_referral)
    reasons.extend(screen.reasons)

    pain_class, criteria = _pain_class(data, screen, pattern, stiffness)
    mechanical = pain_class is PainClass.MECHANICAL
    if pain_class is not None:
        reasons.append(
            f"{PAIN_PATTERN_REASON}{_PAIN_CLASS_TEXT[pain_class]} "
            f"({'; '.join(criteria) or 'no criteria met'})."
        )

    persistent = _persistent(duration_class, weeks, yellow)
    if persistent is not None:
        referrals.append(persistent)

    not_asked = tuple(
        label
        for field, label in RED_FLAG_FIELDS.items()
        if getattr(data, field) is Answer.NOT_ASKED
    )
    reason_given = data.red_flags_not_asked_reason.strip()
    if not_asked:
        reasons.append(
            f"{len(not_asked)} red-flag question{'s' if len(not_asked) != 1 else ''} not asked"
            + (f": {reason_given}" if reason_given else " (no reason recorded)")
            + '. A question not asked is never read as "no".'
        )

    return WorkerResult(
        age_years=data.age_years,
        bmi=bmi,
        bmi_source=bmi_source,
        bmi_class=None if bmi is None else bmi_class(bmi),
        current_pain=data.current_pain,
        pain_duration_weeks=weeks,
        pain_duration_class=duration_class,
        pain_intensity=None if data.pain_intensity is None else float(data.pain_intensity),
        episodes_last_12_months=episodes,
        mechanical_pattern=mechanical,
        yellow_flags=yellow,
        red_flags=red,
        age_red_flag=age_flag,
        referrals=tuple(sorted(referrals, key=lambda r: r.urgency.rank)),
        inflammatory=screen,
        reasons=tuple(reasons),
        pain_class=pain_class,
        pain_class_criteria=criteria,
        morning_stiffness_minutes=stiffness,
        red_flags_not_asked=not_asked,
        red_flags_not_asked_reason=reason_given if not_asked else "",
    )
