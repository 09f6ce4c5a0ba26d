"""Units of measurement and exact conversions between metric and US customary units.

Assessors record distances and weights in whichever system their tape measure and scales
use. The scoring methods are published with constants for both systems (the NIOSH lifting
equation, for example, gives 23 kg / 51 lb, 25 cm / 10 in), and those constants are *not*
exact conversions of each other. So the methods compute each entry in the unit system it
was recorded in; these conversions are for display, for comparing entries, and for forms
that let a person switch units.

The conversion factors are the exact international definitions (1959 international yard
and pound agreement): 1 in = 2.54 cm and 1 lb = 0.45359237 kg.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Final

from assessments.scoring.errors import InputError, split_message

__all__ = [
    "CM_PER_INCH",
    "KG_PER_POUND",
    "Units",
    "cm_to_in",
    "convert_length",
    "convert_mass",
    "in_to_cm",
    "kg_to_lb",
    "lb_to_kg",
    "length_unit",
    "mass_unit",
]

CM_PER_INCH: Final = 2.54
"""Centimetres in one inch (exact by definition)."""

KG_PER_POUND: Final = 0.45359237
"""Kilograms in one avoirdupois pound (exact by definition)."""


class Units(StrEnum):
    """The unit system an entry was recorded in (JSON values: ``"metric"``, ``"us"``)."""

    METRIC = "metric"
    """Centimetres and kilograms."""

    US = "us"
    """Inches and pounds (US customary)."""


_LENGTH_UNIT: Final = {Units.METRIC: "cm", Units.US: "in"}
_MASS_UNIT: Final = {Units.METRIC: "kg", Units.US: "lb"}


def _invalid(text: str) -> InputError:
    """The input error for a "field: what is wrong and what is allowed" message."""
    path, message = split_message(text)
    return InputError(path, message)


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(f"{name}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise _invalid(f"{name}: expected a finite number, got {value!r}")
    return float(value)


def cm_to_in(cm: float) -> float:
    """Convert centimetres to inches."""
    return _finite("cm", cm) / CM_PER_INCH


def in_to_cm(inches: float) -> float:
    """Convert inches to centimetres."""
    return _finite("inches", inches) * CM_PER_INCH


def kg_to_lb(kg: float) -> float:
    """Convert kilograms to pounds."""
    return _finite("kg", kg) / KG_PER_POUND


def lb_to_kg(lb: float) -> float:
    """Convert pounds to kilograms."""
    return _finite("lb", lb) * KG_PER_POUND


def length_unit(units: Units) -> str:
    """The length unit symbol of a unit system: ``"cm"`` or ``"in"``."""
    return _LENGTH_UNIT[Units(units)]


def mass_unit(units: Units) -> str:
    """The mass unit symbol of a unit system: ``"kg"`` or ``"lb"``."""
    return _MASS_UNIT[Units(units)]


def convert_length(value: float, from_units: Units, to_units: Units) -> float:
    """Convert a length between unit systems (cm <-> in); unchanged if they are the same."""
    source, target = Units(from_units), Units(to_units)
    value = _finite("value", value)
    if source is target:
        return value
    return cm_to_in(value) if source is Units.METRIC else in_to_cm(value)


def convert_mass(value: float, from_units: Units, to_units: Units) -> float:
    """Convert a mass between unit systems (kg <-> lb); unchanged if they are the same."""
    source, target = Units(from_units), Units(to_units)
    value = _finite("value", value)
    if source is target:
        return value
    return kg_to_lb(value) if source is Units.METRIC else lb_to_kg(value)
