"""Revised NIOSH Lifting Equation (RNLE).

Waters, Putz-Anderson, Garg & Fine (1993), *Ergonomics* 36(7):749-776, and the
*Applications Manual for the Revised NIOSH Lifting Equation*, DHHS (NIOSH) Publication
94-110 (1994, revised 9/2021), cited below as "94-110" with its printed page numbers.

    RWL = LC x HM x VM x DM x AM x FM x CM        LI = load / RWL

* LC, HM, VM, DM and AM are computed from the manual's formulas (94-110 p.7: "each
  multiplier should be computed from the appropriate formula"); Tables 1-4 are only
  look-up conveniences and are checked against the formulas in the tests.
* FM comes from Table 5 (linear interpolation between frequency rows, p.7) and CM from
  Table 7. FM uses V at the origin for both ends (p.15); CM uses V of the end evaluated
  (Example 4 worksheet).
* Each task is computed in the unit system it was recorded in, with that system's
  constants (23 kg / 51 lb, 25 cm / 10 in, 75 cm / 30 in, ...). The two sets are not exact
  conversions of each other, so values are never converted between systems here.
* Boundary rules the method defines (H > 63 cm -> HM = 0, ...) are not errors: they give
  the multiplier the manual prescribes and a warning in the manual's words. Impossible
  values (negative distances, NaN, load <= 0, ...) raise ``InputError`` (a ``ValueError``)
  whose path is the field and whose message gives the allowed range.
* The multi-task procedure (FIRWL, STRWL, FILI, STLI, CLI) follows 94-110 pp.26-28.

Results keep full precision; rounding (two decimals for multipliers, one for RWL and LI,
as in the manual's worked examples, p.29) is for display only.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from assessments.scoring.errors import InputError, split_message
from assessments.scoring.units import Units

__all__ = [
    "ASYMMETRY_LIMIT_DEGREES",
    "ASYMMETRY_MAX_DEGREES",
    "CONDITION_EXPLANATIONS",
    "CONDITION_LABELS",
    "CliTerm",
    "Condition",
    "Coupling",
    "Duration",
    "EndResult",
    "Factor",
    "JobResult",
    "JobTask",
    "LiftingTask",
    "Multipliers",
    "Point",
    "TaskResult",
    "Units",
    "asymmetric_multiplier",
    "coupling_multiplier",
    "distance_multiplier",
    "evaluate_job",
    "evaluate_task",
    "field_warnings",
    "frequency_multiplier",
    "horizontal_limit",
    "horizontal_multiplier",
    "max_frequency",
    "vertical_multiplier",
    "what_if",
]


# --------------------------------------------------------------------------------------
# Enumerations (their values are the JSON interchange values; keep them stable)
# --------------------------------------------------------------------------------------


class Duration(StrEnum):
    """Lifting duration category of Table 5 (94-110 pp.13-14)."""

    SHORT = "short"
    """At most 1 h of lifting, followed by recovery time at least equal to the work time."""

    MODERATE = "moderate"
    """More than 1 h and at most 2 h, followed by recovery of at least 0.3 x work time."""

    LONG = "long"
    """More than 2 h and at most 8 h, with standard industrial rest allowances."""


class Coupling(StrEnum):
    """Hand-to-object coupling classification of Table 6 (94-110 pp.16-18)."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


class Condition(StrEnum):
    """Conditions under which the equation does not apply (94-110 pp.5-6)."""

    ONE_HANDED = "one_handed"
    SEATED_OR_KNEELING = "seated_or_kneeling"
    OVER_8_HOURS = "over_8_hours"
    UNSTABLE_LOAD = "unstable_load"
    CARRYING_PUSHING_PULLING = "carrying_pushing_pulling"
    HIGH_SPEED = "high_speed"
    POOR_FLOOR_COUPLING = "poor_floor_coupling"
    RESTRICTED_SPACE = "restricted_space"
    UNFAVOURABLE_ENVIRONMENT = "unfavourable_environment"
    SHOVEL_OR_WHEELBARROW = "shovel_or_wheelbarrow"


class Point(StrEnum):
    """The end of the lift an RWL is computed at."""

    ORIGIN = "origin"
    DESTINATION = "destination"


class Factor(StrEnum):
    """The task multipliers, in the order of the equation."""

    HM = "hm"
    VM = "vm"
    DM = "dm"
    AM = "am"
    FM = "fm"
    CM = "cm"


CONDITION_EXPLANATIONS: Final[Mapping[Condition, str]] = MappingProxyType(
    {
        Condition.ONE_HANDED: (
            "One-handed lifting: the equation assumes two-handed, symmetric grips "
            "(NIOSH 94-110, p.6)"
        ),
        Condition.SEATED_OR_KNEELING: (
            "Lifting while seated or kneeling: the equation assumes a standing worker "
            "free to move the legs and trunk (NIOSH 94-110, p.6)"
        ),
        Condition.OVER_8_HOURS: (
            "Lifting for more than 8 hours: the equation gives no weight limits beyond "
            "an 8-hour shift (NIOSH 94-110, pp.6 and 14)"
        ),
        Condition.UNSTABLE_LOAD: (
            "Unstable load: the equation assumes an object whose centre of mass does not "
            "shift during the lift, unlike some containers of liquid or partly filled bags "
            "(NIOSH 94-110, pp.5-6)"
        ),
        Condition.CARRYING_PUSHING_PULLING: (
            "Lifting while carrying, pushing or pulling: the equation assumes other manual "
            "handling is minimal, carrying no more than one or two steps and holding no "
            "more than a few seconds (NIOSH 94-110, pp.5-6)"
        ),
        Condition.HIGH_SPEED: (
            "High-speed lifting: the equation assumes smooth lifts slower than about "
            "76 cm/s (30 in/s); a floor-to-table lift in under about one second is too "
            "fast (NIOSH 94-110, pp.5-6)"
        ),
        Condition.POOR_FLOOR_COUPLING: (
            "Poor foot-floor coupling: the equation assumes a coefficient of friction of "
            "at least 0.4 between the sole and the floor (NIOSH 94-110, p.6)"
        ),
        Condition.RESTRICTED_SPACE: (
            "Restricted work space: the equation assumes room to stand and move without "
            "restriction (NIOSH 94-110, p.6)"
        ),
        Condition.UNFAVOURABLE_ENVIRONMENT: (
            "Unfavourable environment: the equation assumes a temperature of about "
            "19-26 °C (66-79 °F) and relative humidity of 35-50 % (NIOSH 94-110, p.6)"
        ),
        Condition.SHOVEL_OR_WHEELBARROW: (
            "Lifting with a shovel or wheelbarrow: the equation does not cover these "
            "(NIOSH 94-110, p.6)"
        ),
    }
)
"""The reason shown for each not-applicable condition, in the manual's terms."""

CONDITION_LABELS: Final[Mapping[Condition, str]] = MappingProxyType(
    {
        Condition.ONE_HANDED: "One-handed lifting",
        Condition.SEATED_OR_KNEELING: "Lifting while seated or kneeling",
        Condition.OVER_8_HOURS: "Lifting for more than 8 hours a shift",
        Condition.UNSTABLE_LOAD: "Unstable load (liquids, partly filled bags)",
        Condition.CARRYING_PUSHING_PULLING: "Lifting while carrying, pushing or pulling",
        Condition.HIGH_SPEED: "High-speed lifting (faster than about 76 cm/s, 30 in/s)",
        Condition.POOR_FLOOR_COUPLING: "Slippery floor (sole-floor friction below 0.4)",
        Condition.RESTRICTED_SPACE: "Restricted work space",
        Condition.UNFAVOURABLE_ENVIRONMENT: (
            "Unfavourable environment (outside 19-26 °C or 35-50 % humidity)"
        ),
        Condition.SHOVEL_OR_WHEELBARROW: "Shovel or wheelbarrow",
    }
)
"""A short label for each condition, for checklists and form choices."""


# --------------------------------------------------------------------------------------
# Constants of the two unit systems (94-110 p.7 and pp.8-15)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _System:
    length: str
    mass: str
    load_constant: float  # LC
    h_min: float  # H below this is set to it (HM = 1.0); also the HM numerator
    h_max: float  # H above this -> HM = 0
    v_optimum: float  # VM = 1 - slope * |V - v_optimum|
    vm_slope: float
    v_max: float  # V above this -> VM = 0
    d_min: float  # D below this is set to it (DM = 1.0)
    d_max: float  # D above this -> DM = 0
    dm_numerator: float  # DM = 0.82 + dm_numerator / D
    v_table: float  # the "V < 75 cm (30 in)" column boundary of Tables 5 and 7


_SYSTEMS: Final[Mapping[Units, _System]] = MappingProxyType(
    {
        Units.METRIC: _System(
            length="cm",
            mass="kg",
            load_constant=23.0,
            h_min=25.0,
            h_max=63.0,
            v_optimum=75.0,
            vm_slope=0.003,
            v_max=175.0,
            d_min=25.0,
            d_max=175.0,
            dm_numerator=4.5,
            v_table=75.0,
        ),
        Units.US: _System(
            length="in",
            mass="lb",
            load_constant=51.0,
            h_min=10.0,
            h_max=25.0,
            v_optimum=30.0,
            vm_slope=0.0075,
            v_max=70.0,
            d_min=10.0,
            d_max=70.0,
            dm_numerator=1.8,
            v_table=30.0,
        ),
    }
)

ASYMMETRY_LIMIT_DEGREES: Final = 135.0
"""A above this gives AM = 0 (94-110 p.12)."""

ASYMMETRY_MAX_DEGREES: Final = 180.0
"""A is the angle between the asymmetry line and the mid-sagittal plane: 0-180°
(an angle past 180° is the smaller angle measured the other way)."""
_F_MIN: Final = 0.2  # Table 5 footnote: lifting less often than once per 5 min -> F = 0.2

# Table 5 (94-110 p.15). Columns: short V<75, short V>=75, moderate V<75, moderate V>=75,
# long V<75, long V>=75 (V at the origin; 75 cm = 30 in). The first row is "<= 0.2".
_TABLE_5_F: Final[tuple[float, ...]] = (
    0.2, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0,
)  # fmt: skip
_TABLE_5_ROWS: Final[tuple[tuple[float, float, float, float, float, float], ...]] = (
    (1.00, 1.00, 0.95, 0.95, 0.85, 0.85),
    (0.97, 0.97, 0.92, 0.92, 0.81, 0.81),
    (0.94, 0.94, 0.88, 0.88, 0.75, 0.75),
    (0.91, 0.91, 0.84, 0.84, 0.65, 0.65),
    (0.88, 0.88, 0.79, 0.79, 0.55, 0.55),
    (0.84, 0.84, 0.72, 0.72, 0.45, 0.45),
    (0.80, 0.80, 0.60, 0.60, 0.35, 0.35),
    (0.75, 0.75, 0.50, 0.50, 0.27, 0.27),
    (0.70, 0.70, 0.42, 0.42, 0.22, 0.22),
    (0.60, 0.60, 0.35, 0.35, 0.18, 0.18),
    (0.52, 0.52, 0.30, 0.30, 0.00, 0.15),
    (0.45, 0.45, 0.26, 0.26, 0.00, 0.13),
    (0.41, 0.41, 0.00, 0.23, 0.00, 0.00),
    (0.37, 0.37, 0.00, 0.21, 0.00, 0.00),
    (0.00, 0.34, 0.00, 0.00, 0.00, 0.00),
    (0.00, 0.31, 0.00, 0.00, 0.00, 0.00),
    (0.00, 0.28, 0.00, 0.00, 0.00, 0.00),
)
_DURATION_ORDER: Final = (Duration.SHORT, Duration.MODERATE, Duration.LONG)

# Table 7 (94-110 p.18): (V < 75 cm / 30 in, V >= 75 cm / 30 in).
_TABLE_7: Final[Mapping[Coupling, tuple[float, float]]] = MappingProxyType(
    {
        Coupling.GOOD: (1.00, 1.00),
        Coupling.FAIR: (0.95, 1.00),
        Coupling.POOR: (0.90, 0.90),
    }
)

_DURATION_WORDS: Final[Mapping[Duration, str]] = MappingProxyType(
    {
        Duration.SHORT: "short-duration (1 h or less)",
        Duration.MODERATE: "moderate-duration (over 1 h, up to 2 h)",
        Duration.LONG: "long-duration (over 2 h, up to 8 h)",
    }
)


def _column(duration: Duration, v_below_75cm: bool) -> tuple[float, ...]:
    index = 2 * _DURATION_ORDER.index(Duration(duration)) + (0 if v_below_75cm else 1)
    return tuple(row[index] for row in _TABLE_5_ROWS)


def _n(value: float) -> str:
    """A number as a person reads it in a message (70, 0.2, 12.5)."""
    return f"{value:g}"


# --------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------


def _invalid(text: str) -> InputError:
    """The input error for a "field: what is wrong and what is allowed" message."""
    path, message = split_message(text)
    return InputError(path, message)


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(f"{name}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise _invalid(f"{name}: expected a finite number, got {value!r}")
    return float(value)


def _non_negative(name: str, value: object, unit: str, meaning: str) -> float:
    number = _number(name, value)
    if number < 0:
        raise _invalid(
            f"{name}: {_n(number)} {unit} is negative; {meaning} must be 0 {unit} or more"
        )
    return number


def _asymmetry(name: str, value: object) -> float:
    number = _number(name, value)
    if not 0.0 <= number <= ASYMMETRY_MAX_DEGREES:
        raise _invalid(
            f"{name}: {_n(number)}° is outside 0-{_n(ASYMMETRY_MAX_DEGREES)}°; A is the angle "
            "of the load from the mid-sagittal plane, measured from straight ahead (angles "
            f"above {_n(ASYMMETRY_LIMIT_DEGREES)}° are allowed and give AM = 0)"
        )
    return number


def _frequency(name: str, value: object) -> float:
    number = _number(name, value)
    if number < 0:
        raise _invalid(
            f"{name}: {_n(number)} lifts/min is negative; F is the average number of lifts "
            "per minute over a 15-minute sample and must be 0 or more"
        )
    return number


def _enum[E: StrEnum](name: str, kind: type[E], value: object) -> E:
    allowed = ", ".join(repr(member.value) for member in kind)
    if not isinstance(value, str):
        raise _invalid(f"{name}: {value!r} is not one of {allowed}")
    try:
        return kind(value)
    except ValueError:
        raise _invalid(f"{name}: {value!r} is not one of {allowed}") from None


# --------------------------------------------------------------------------------------
# Multipliers
# --------------------------------------------------------------------------------------


def horizontal_limit(units: Units = Units.METRIC) -> float:
    """The greatest H the equation allows (63 cm, 25 in); beyond it HM = 0 (94-110 p.8)."""
    return _SYSTEMS[_enum("units", Units, units)].h_max


def horizontal_multiplier(h: float, units: Units = Units.METRIC) -> float:
    """HM = 25/H (cm) or 10/H (in); H below 25 cm (10 in) -> 1.0; above 63 cm (25 in) -> 0."""
    system = _SYSTEMS[_enum("units", Units, units)]
    h = _non_negative("h", h, system.length, "H")
    if h > system.h_max:
        return 0.0
    if h <= system.h_min:
        return 1.0
    return system.h_min / h


def vertical_multiplier(v: float, units: Units = Units.METRIC) -> float:
    """VM = 1 - 0.003|V - 75| (cm) or 1 - 0.0075|V - 30| (in); V above 175 cm (70 in) -> 0."""
    system = _SYSTEMS[_enum("units", Units, units)]
    v = _non_negative("v", v, system.length, "V (height of the hands above the floor)")
    if v > system.v_max:
        return 0.0
    return 1.0 - system.vm_slope * abs(v - system.v_optimum)


def distance_multiplier(d: float, units: Units = Units.METRIC) -> float:
    """DM = 0.82 + 4.5/D (cm) or 0.82 + 1.8/D (in); D below 25 cm (10 in) -> 1.0; above
    175 cm (70 in) -> 0."""
    system = _SYSTEMS[_enum("units", Units, units)]
    d = _non_negative("d", d, system.length, "D (vertical travel distance)")
    if d > system.d_max:
        return 0.0
    if d <= system.d_min:
        return 1.0
    return 0.82 + system.dm_numerator / d


def asymmetric_multiplier(a: float) -> float:
    """AM = 1 - 0.0032A (A in degrees, either unit system); A above 135° -> 0."""
    a = _asymmetry("a", a)
    if a > ASYMMETRY_LIMIT_DEGREES:
        return 0.0
    return 1.0 - 0.0032 * a


def max_frequency(duration: Duration, v_below_75cm: bool) -> float:
    """The highest frequency (lifts/min) with a non-zero FM in a column of Table 5.

    Above it FM = 0 ("lifting above the maximum frequency results in a RWL of 0.0",
    94-110 p.14).
    """
    column = _column(_enum("duration", Duration, duration), bool(v_below_75cm))
    return max(f for f, fm in zip(_TABLE_5_F, column, strict=True) if fm > 0.0)


def frequency_multiplier(frequency: float, duration: Duration, v_below_75cm: bool) -> float:
    """FM from Table 5 (94-110 p.15).

    ``v_below_75cm`` selects the "V < 75 cm (30 in)" column, with V at the origin of the
    lift. F below 0.2 lifts/min is treated as 0.2 (Table 5 footnote). Between two rows FM is
    interpolated linearly (p.7). Above the last non-zero row of the column FM is 0; FM is
    never interpolated towards a 0.00 cell (the manual does not define that region).
    """
    f = _frequency("frequency", frequency)
    column = _column(_enum("duration", Duration, duration), bool(v_below_75cm))
    f = max(f, _F_MIN)
    if f > max_frequency(duration, v_below_75cm):
        return 0.0
    upper = bisect.bisect_left(_TABLE_5_F, f)
    if _TABLE_5_F[upper] == f:
        return column[upper]
    f_low, f_high = _TABLE_5_F[upper - 1], _TABLE_5_F[upper]
    fm_low, fm_high = column[upper - 1], column[upper]
    return fm_low + (fm_high - fm_low) * (f - f_low) / (f_high - f_low)


def coupling_multiplier(coupling: Coupling, v_below_75cm: bool) -> float:
    """CM from Table 7 (94-110 p.18); V is that of the end of the lift being evaluated."""
    below, at_or_above = _TABLE_7[_enum("coupling", Coupling, coupling)]
    return below if v_below_75cm else at_or_above


# --------------------------------------------------------------------------------------
# Inputs and results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LiftingTask:
    """One lifting task as the assessor observed it, in one unit system.

    Lengths are in cm (metric) or in (US), loads in kg or lb, angles in degrees, frequency
    in lifts per minute. The vertical travel distance D is derived: |v_dest - v_origin|.
    """

    label: str
    """A short name for the task, shown in reports ("pallet to conveyor")."""
    load: float
    """Average weight of the object lifted, including the container."""
    max_load: float | None = None
    """Heaviest weight lifted (used for FILI); ``None`` means the same as ``load``."""
    h_origin: float
    """Horizontal distance of the hands from the mid-point between the inner ankle bones,
    at the origin of the lift."""
    v_origin: float
    """Height of the hands above the floor at the origin."""
    h_dest: float
    v_dest: float
    asymmetry_origin: float
    """Angle of the load from the mid-sagittal plane at the origin, in degrees (0-180)."""
    asymmetry_dest: float
    frequency: float
    """Average lifts per minute over a 15-minute sample."""
    duration: Duration
    coupling: Coupling
    significant_control: bool
    """Whether the worker must re-grasp, hold or carefully place the load at the
    destination (94-110 p.21); the RWL is then also computed at the destination."""
    units: Units
    conditions: frozenset[Condition] = frozenset()
    """Observed conditions under which the equation does not apply (94-110 p.6)."""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.label, str):
            raise _invalid(f"label: expected text, got {self.label!r}")
        units = _enum("units", Units, self.units)
        set_(self, "units", units)
        set_(self, "duration", _enum("duration", Duration, self.duration))
        set_(self, "coupling", _enum("coupling", Coupling, self.coupling))
        if not isinstance(self.significant_control, bool):
            raise _invalid(
                f"significant_control: expected true or false, got {self.significant_control!r}"
            )
        if isinstance(self.conditions, str) or not isinstance(self.conditions, Iterable):
            raise _invalid(f"conditions: expected a set of conditions, got {self.conditions!r}")
        set_(
            self,
            "conditions",
            frozenset(_enum("conditions", Condition, item) for item in self.conditions),
        )

        system = _SYSTEMS[units]
        length, mass = system.length, system.mass
        load = _number("load", self.load)
        if load <= 0:
            raise _invalid(
                f"load: {_n(load)} {mass} is not a load; the weight of the object lifted "
                f"(including the container) must be more than 0 {mass}"
            )
        set_(self, "load", load)
        if self.max_load is not None:
            max_load = _number("max_load", self.max_load)
            if max_load < load:
                raise _invalid(
                    f"max_load: {_n(max_load)} {mass} is less than the average load "
                    f"{_n(load)} {mass}; the maximum load must be at least the average load"
                )
            set_(self, "max_load", max_load)
        for name, meaning in (
            ("h_origin", "H (horizontal distance from the mid-point between the ankles)"),
            ("h_dest", "H (horizontal distance from the mid-point between the ankles)"),
        ):
            set_(self, name, _non_negative(name, getattr(self, name), length, meaning))
        for name in ("v_origin", "v_dest"):
            value = _number(name, getattr(self, name))
            if value < 0:
                raise _invalid(
                    f"{name}: {_n(value)} {length} is below the floor; V (height of the "
                    f"hands above the floor) must be 0 {length} or more (the equation covers "
                    f"0-{_n(system.v_max)} {length})"
                )
            set_(self, name, value)
        for name in ("asymmetry_origin", "asymmetry_dest"):
            set_(self, name, _asymmetry(name, getattr(self, name)))
        set_(self, "frequency", _frequency("frequency", self.frequency))

    @property
    def effective_max_load(self) -> float:
        """The maximum load used for FILI: ``max_load``, or ``load`` when not recorded."""
        return self.load if self.max_load is None else self.max_load

    @property
    def travel_distance(self) -> float:
        """D = |v_dest - v_origin| as measured (before the D < 25 cm / 10 in rule)."""
        return abs(self.v_dest - self.v_origin)


@dataclass(frozen=True, slots=True)
class Multipliers:
    """LC (in the task's load unit) and the six task multipliers at one end of the lift."""

    lc: float
    hm: float
    vm: float
    dm: float
    am: float
    fm: float
    cm: float

    def factor(self, factor: Factor) -> float:
        """The value of one multiplier by name."""
        return float(getattr(self, Factor(factor).value))


@dataclass(frozen=True, slots=True)
class EndResult:
    """The RWL and LI at one end of the lift."""

    point: Point
    rwl: float
    """Recommended weight limit, in the task's load unit."""
    lifting_index: float
    """load / RWL; ``math.inf`` when the RWL is zero."""
    multipliers: Multipliers
    limiting: Factor
    """The smallest of HM..CM (ties go to the earlier factor in the equation); a value of
    1.0 means no factor reduces the limit."""
    firwl: float
    """RWL with FM = 1 at this end (frequency-independent RWL)."""


@dataclass(frozen=True, slots=True)
class TaskResult:
    """The single-task evaluation of one lifting task."""

    task: LiftingTask
    origin: EndResult
    destination: EndResult | None
    """Only when significant control is required at the destination."""
    governing: EndResult
    """The end with the higher LI (on a tie, the lower FIRWL, then the origin)."""
    travel_distance: float
    """D = |v_dest - v_origin| as measured."""
    warnings: tuple[str, ...]
    """Every boundary rule of the method that fired, in the method's words."""
    warning_fields: tuple[str, ...]
    """For each warning, the input field it concerns ("h_origin", "frequency", ...; D rules
    are placed on "v_dest"; "" for the whole task, such as a zero RWL)."""
    applicable: bool
    """False when any not-applicable condition was observed; the numbers are still shown
    but must not be used as a risk estimate."""
    not_applicable_reasons: tuple[str, ...]
    firwl: float
    """Frequency-independent RWL at the governing end (FM = 1)."""
    strwl: float
    """Single-task RWL = FIRWL x FM (equal to the governing RWL)."""
    fili: float
    """Frequency-independent lifting index = maximum load / FIRWL."""
    stli: float
    """Single-task lifting index = average load / STRWL (equal to the governing LI)."""

    @property
    def rwl(self) -> float:
        """The governing (lower) RWL."""
        return self.governing.rwl

    @property
    def lifting_index(self) -> float:
        """The governing (higher) LI."""
        return self.governing.lifting_index


@dataclass(frozen=True, slots=True)
class JobTask:
    """One task's values in the multi-task procedure (94-110 pp.26-27)."""

    index: int
    """Position of the task in the input."""
    label: str
    units: Units
    frequency: float
    fm: float
    """FM at the task's own frequency, with the job's duration and vertical column."""
    firwl: float
    strwl: float
    fili: float
    stli: float


@dataclass(frozen=True, slots=True)
class CliTerm:
    """One term of the composite lifting index, in decreasing-STLI order.

    Term 1 contributes STLI of the most stressful task; term k > 1 contributes
    ΔLI_k = FILI_k x (1/FM_1..k - 1/FM_1..k-1).
    """

    rank: int
    """1-based position in the decreasing-STLI order."""
    task_index: int
    label: str
    fili: float
    stli: float
    cumulative_frequency: float
    """F_1 + ... + F_k (lifts/min)."""
    fm_cumulative: float
    """FM at the cumulative frequency (job duration and vertical column)."""
    fm_previous: float | None
    """FM at F_1 + ... + F_k-1; ``None`` for term 1."""
    contribution: float
    """STLI_1 for term 1, ΔLI_k otherwise."""


@dataclass(frozen=True, slots=True)
class JobResult:
    """The multi-task evaluation of a job (94-110 pp.26-28)."""

    tasks: tuple[TaskResult, ...]
    """Each task evaluated on its own, in input order."""
    job_tasks: tuple[JobTask, ...]
    """Each task's FIRWL, STRWL, FILI and STLI within the job, in input order."""
    order: tuple[int, ...]
    """Input indices by decreasing STLI (ties: higher frequency first, then input order)."""
    duration: Duration
    """The job's duration: the longest among its tasks."""
    v_below_75cm: bool
    """Table 5 column used for the job: V < 75 cm (30 in) if any task starts below it."""
    composite_lifting_index: float
    terms: tuple[CliTerm, ...]
    applicable: bool
    not_applicable_reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    """The manual's reading of FILI and STLI values (94-110 p.27)."""

    @property
    def lifting_index(self) -> float:
        """The job's index: the CLI (equal to the governing LI for a single task)."""
        return self.composite_lifting_index


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------


def _ratio(load: float, limit: float) -> float:
    return math.inf if limit == 0.0 else load / limit


class _Warnings:
    """Boundary-rule warnings with the input field each one concerns ("" for the task)."""

    def __init__(self) -> None:
        self.fields: list[str] = []
        self.messages: list[str] = []

    def add(self, field: str, message: str) -> None:
        self.fields.append(field)
        self.messages.append(message)


def _frequency_with_warnings(
    task: LiftingTask, system: _System, v_below: bool, warnings: _Warnings
) -> float:
    if task.frequency < _F_MIN:
        warnings.add(
            "frequency",
            f"F below 0.2 lifts/min is set to 0.2 lifts/min (Table 5: lifting less often than "
            f"once every 5 minutes) (F = {_n(task.frequency)} lifts/min)",
        )
    fm = frequency_multiplier(task.frequency, task.duration, v_below)
    if fm == 0.0:
        limit = max_frequency(task.duration, v_below)
        side = "below" if v_below else "at or above"
        warnings.add(
            "frequency",
            f"F above {_n(limit)} lifts/min for {_DURATION_WORDS[task.duration]} lifting with "
            f"V {side} {_n(system.v_table)} {system.length} at the origin: FM = 0, lifting "
            f"this often is beyond Table 5 (F = {_n(task.frequency)} lifts/min)",
        )
    return fm


def _distance_with_warnings(task: LiftingTask, system: _System, warnings: _Warnings) -> float:
    d = task.travel_distance
    unit = system.length
    if d < system.d_min:
        warnings.add(
            "v_dest",
            f"D below {_n(system.d_min)} {unit} is set to {_n(system.d_min)} {unit} "
            f"(DM = 1.0) (D = {_n(d)} {unit})",
        )
    elif d > system.d_max:
        warnings.add(
            "v_dest",
            f"D above {_n(system.d_max)} {unit}: DM = 0, the vertical travel is beyond the "
            f"equation's range (D = {_n(d)} {unit})",
        )
    return distance_multiplier(d, task.units)


def _evaluate_end(
    task: LiftingTask,
    system: _System,
    point: Point,
    dm: float,
    fm: float,
    warnings: _Warnings,
) -> EndResult:
    if point is Point.ORIGIN:
        h, v, a = task.h_origin, task.v_origin, task.asymmetry_origin
        h_field, v_field, a_field = "h_origin", "v_origin", "asymmetry_origin"
    else:
        h, v, a = task.h_dest, task.v_dest, task.asymmetry_dest
        h_field, v_field, a_field = "h_dest", "v_dest", "asymmetry_dest"
    unit = system.length
    where = point.value
    if h < system.h_min:
        warnings.add(
            h_field,
            f"H below {_n(system.h_min)} {unit} is set to {_n(system.h_min)} {unit} "
            f"(HM = 1.0) ({where}, H = {_n(h)} {unit})",
        )
    elif h > system.h_max:
        warnings.add(
            h_field,
            f"H above {_n(system.h_max)} {unit}: HM = 0, no load is acceptable at this reach "
            f"({where}, H = {_n(h)} {unit})",
        )
    if v > system.v_max:
        warnings.add(
            v_field,
            f"V above {_n(system.v_max)} {unit}: VM = 0, the hands are above the upper limit "
            f"of vertical reach for lifting ({where}, V = {_n(v)} {unit})",
        )
    if a > ASYMMETRY_LIMIT_DEGREES:
        warnings.add(
            a_field,
            f"A above {_n(ASYMMETRY_LIMIT_DEGREES)}°: AM = 0, no load is acceptable with this "
            f"much asymmetry ({where}, A = {_n(a)}°)",
        )

    multipliers = Multipliers(
        lc=system.load_constant,
        hm=horizontal_multiplier(h, task.units),
        vm=vertical_multiplier(v, task.units),
        dm=dm,
        am=asymmetric_multiplier(a),
        fm=fm,
        cm=coupling_multiplier(task.coupling, v < system.v_table),
    )
    m = multipliers
    firwl = m.lc * m.hm * m.vm * m.dm * m.am * m.cm
    rwl = firwl * m.fm
    lifting_index = _ratio(task.load, rwl)
    limiting = min(Factor, key=m.factor)  # min() keeps the first of equal values
    if rwl == 0.0:
        zero = ", ".join(f.value.upper() for f in Factor if m.factor(f) == 0.0)
        warnings.add(
            "",
            f"RWL is zero at the {where} ({zero} = 0): no load is acceptable under these "
            "conditions, so the lifting index is infinite",
        )
    return EndResult(
        point=point,
        rwl=rwl,
        lifting_index=lifting_index,
        multipliers=multipliers,
        limiting=limiting,
        firwl=firwl,
    )


def evaluate_task(task: LiftingTask) -> TaskResult:
    """Evaluate one lifting task with the single-task procedure (94-110 p.26).

    The RWL is computed at the origin, and also at the destination when significant control
    is required there; the end with the higher LI governs.
    """
    if not isinstance(task, LiftingTask):
        raise _invalid(f"task: expected a LiftingTask, got {type(task).__name__}")
    system = _SYSTEMS[task.units]
    warnings = _Warnings()
    dm = _distance_with_warnings(task, system, warnings)
    fm = _frequency_with_warnings(task, system, task.v_origin < system.v_table, warnings)
    origin = _evaluate_end(task, system, Point.ORIGIN, dm, fm, warnings)
    destination = (
        _evaluate_end(task, system, Point.DESTINATION, dm, fm, warnings)
        if task.significant_control
        else None
    )
    governing = origin
    if destination is not None and (
        destination.lifting_index > origin.lifting_index
        or (destination.lifting_index == origin.lifting_index and destination.firwl < origin.firwl)
    ):
        governing = destination

    reasons = tuple(CONDITION_EXPLANATIONS[c] for c in Condition if c in task.conditions)
    strwl = governing.firwl * fm
    return TaskResult(
        task=task,
        origin=origin,
        destination=destination,
        governing=governing,
        travel_distance=task.travel_distance,
        warnings=tuple(warnings.messages),
        warning_fields=tuple(warnings.fields),
        applicable=not reasons,
        not_applicable_reasons=reasons,
        firwl=governing.firwl,
        strwl=strwl,
        fili=_ratio(task.effective_max_load, governing.firwl),
        stli=_ratio(task.load, strwl),
    )


def what_if(task: LiftingTask, **changes: object) -> TaskResult:
    """Evaluate ``task`` with some inputs changed, e.g. ``what_if(task, h_origin=30)``.

    For recommendations such as "H 50 -> 30 cm: LI 1.8 -> 1.1". The changed task is
    validated like any other.
    """
    names = {f.name for f in dataclasses.fields(LiftingTask)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise _invalid(
            f"{unknown[0]}: not a lifting task input; the inputs are {', '.join(sorted(names))}"
        )
    return evaluate_task(dataclasses.replace(task, **changes))  # type: ignore[arg-type]


def field_warnings(result: TaskResult) -> tuple[tuple[str, str], ...]:
    """The task's boundary-rule warnings as (input field, message) pairs, so a form can show
    each one next to the field concerned."""
    return tuple(zip(result.warning_fields, result.warnings, strict=True))


def _inverse(fm: float) -> float:
    return math.inf if fm == 0.0 else 1.0 / fm


def _delta_li(fili: float, fm_now: float, fm_before: float) -> float:
    step = _inverse(fm_now) - _inverse(fm_before) if fm_now != fm_before else 0.0
    return 0.0 if step == 0.0 else fili * step


def _tie_key(value: float) -> float:
    """STLI compared for ordering: ties are equal values at full precision, ignoring
    floating-point noise below 1e-9."""
    return round(value, 9) if math.isfinite(value) else value


def _who(index: int, label: str) -> str:
    """How a task is named in job messages: 'Task 2 ("shelf to bench")'."""
    return f'Task {index + 1} ("{label}")' if label else f"Task {index + 1}"


def evaluate_job(tasks: Iterable[LiftingTask]) -> JobResult:
    """Evaluate a job of one or more lifting tasks with the multi-task procedure.

    Each task keeps its own unit system; FILI, STLI and the CLI are dimensionless, so tasks
    recorded in different systems can be combined. The job's duration is the longest among
    its tasks, and the V < 75 cm (30 in) column of Table 5 is used for the whole job if any
    task starts below 75 cm (30 in); the manual does not say which column applies when the
    tasks differ (NB OQ-117), and this is the more protective choice.
    """
    task_list = tuple(tasks)
    if not task_list:
        raise _invalid("tasks: a job needs at least one lifting task")
    for position, task in enumerate(task_list):
        if not isinstance(task, LiftingTask):
            raise _invalid(f"tasks[{position}]: expected a LiftingTask, got {type(task).__name__}")
    results = tuple(evaluate_task(task) for task in task_list)

    duration = max((t.duration for t in task_list), key=_DURATION_ORDER.index)
    below = [t.v_origin < _SYSTEMS[t.units].v_table for t in task_list]
    v_below = any(below)

    warnings: list[str] = []
    job_tasks: list[JobTask] = []
    for index, (task, result) in enumerate(zip(task_list, results, strict=True)):
        system = _SYSTEMS[task.units]
        who = _who(index, task.label)
        if task.duration is not duration:
            warnings.append(
                f"{who} was recorded as {task.duration.value}-duration lifting; "
                f"the job's duration is {duration.value} (the longest among its tasks) and is "
                "used for every task in the composite lifting index"
            )
        if v_below and not below[index]:
            warnings.append(
                f"{who} starts at or above {_n(system.v_table)} {system.length}, "
                f"but another task starts below it; the V < 75 cm (30 in) column of Table 5 "
                "is used for the whole job (the more protective choice; the manual does not "
                "say which column applies)"
            )
        fm = frequency_multiplier(task.frequency, duration, v_below)
        strwl = result.firwl * fm
        job_tasks.append(
            JobTask(
                index=index,
                label=task.label,
                units=task.units,
                frequency=task.frequency,
                fm=fm,
                firwl=result.firwl,
                strwl=strwl,
                fili=result.fili,
                stli=_ratio(task.load, strwl),
            )
        )

    order = tuple(
        sorted(
            range(len(job_tasks)),
            key=lambda i: (-_tie_key(job_tasks[i].stli), -job_tasks[i].frequency, i),
        )
    )

    terms: list[CliTerm] = []
    cumulative = 0.0
    fm_before: float | None = None
    for rank, index in enumerate(order, start=1):
        entry = job_tasks[index]
        cumulative += entry.frequency
        fm_now = frequency_multiplier(cumulative, duration, v_below)
        contribution = entry.stli if fm_before is None else _delta_li(entry.fili, fm_now, fm_before)
        if fm_now == 0.0 and (fm_before is None or fm_before > 0.0):
            which = (
                f"{_who(index, entry.label)}, the most stressful task, lifts at"
                if rank == 1
                else f"The {rank} most stressful tasks together lift at"
            )
            warnings.append(
                f"{which} {_n(cumulative)} lifts/min, above the Table 5 limit of "
                f"{_n(max_frequency(duration, v_below))} lifts/min for "
                f"{_DURATION_WORDS[duration]} lifting: FM = 0, so the composite lifting "
                "index is infinite (no load is acceptable)"
            )
        terms.append(
            CliTerm(
                rank=rank,
                task_index=index,
                label=entry.label,
                fili=entry.fili,
                stli=entry.stli,
                cumulative_frequency=cumulative,
                fm_cumulative=fm_now,
                fm_previous=fm_before,
                contribution=contribution,
            )
        )
        fm_before = fm_now
    cli = math.fsum(term.contribution for term in terms)  # every term is >= 0 (or inf)

    reasons = tuple(
        f"{_who(i, r.task.label)}: {reason}"
        for i, r in enumerate(results)
        for reason in r.not_applicable_reasons
    )
    if reasons:
        warnings.insert(
            0,
            "The composite lifting index is not applicable: at least one task is outside the "
            "conditions of the NIOSH equation (NIOSH 94-110, p.6)",
        )

    notes: list[str] = []
    for entry in job_tasks:
        who = _who(entry.index, entry.label)
        if entry.fili > 1.0:
            notes.append(
                f"{who}: FILI above 1.0, ergonomic changes may be needed to decrease the "
                "strength demands (NIOSH 94-110, p.27)"
            )
        if entry.stli > 1.0:
            notes.append(
                f"{who}: STLI above 1.0, ergonomic changes may be needed to decrease the "
                "overall physical demands of the task (NIOSH 94-110, p.27)"
            )
        if entry.fili > entry.stli:
            notes.append(
                f"{who}: FILI exceeds STLI, the maximum weights may represent a significant "
                "problem and careful evaluation is necessary (NIOSH 94-110, p.27)"
            )

    return JobResult(
        tasks=results,
        job_tasks=tuple(job_tasks),
        order=order,
        duration=duration,
        v_below_75cm=v_below,
        composite_lifting_index=cli,
        terms=tuple(terms),
        applicable=not reasons,
        not_applicable_reasons=reasons,
        warnings=tuple(warnings),
        notes=tuple(notes),
    )
