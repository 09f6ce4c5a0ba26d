"""ROSA — Rapid Office Strain Assessment (Sonne, Villalta & Andrews 2012).

Sonne M, Villalta DL, Andrews DM. Development and evaluation of an office ergonomic
risk checklist: ROSA - Rapid Office Strain Assessment. Applied Ergonomics
2012;43(1):98-108. doi:10.1016/j.apergo.2011.03.008

The score sheet rates eight items — seat height, seat depth, armrests and back support
(section A, the chair), monitor and telephone (section B), mouse and keyboard
(section C) — each as a base option (neutral = 1, deviations 2 or 3) plus additive
modifiers, and a duration modifier per device (-1 / 0 / +1). The item scores are
combined through five lookup tables:

* Table A: row = seat height + seat depth (2-8), column = armrests + back support
  (2-9); chair score = Table A + chair duration (1-10).
* Table B: row = telephone + its duration (0-6), column = monitor + its duration (0-7).
* Table C: row = mouse + its duration (0-7), column = keyboard + its duration (0-7).
* Table D: row = Table C, column = Table B (peripherals and monitor, 1-9).
* Table E: row = chair score, column = Table D: the final ROSA score (1-10).

A final score of 5 or more is the paper's action level.

Two entry points:

* :func:`score_items` takes the summed item scores, as an assessor would copy them
  from a paper sheet, and is strict: any value the sheet cannot produce, or a sum
  that falls off a table's axis, raises :class:`ValueError`.
* :func:`score` takes the observed options (:class:`RosaInput`) and returns the same
  result plus one :class:`Finding` per observation that added a point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from assessments.scoring.errors import InputError, split_message

__all__ = [
    "ACTION_LEVEL",
    "FINDING_CODES",
    "ITEM_LABELS",
    "MAX_HOURS_PER_DAY",
    "Armrests",
    "BackSupport",
    "Finding",
    "Keyboard",
    "Monitor",
    "Mouse",
    "Phone",
    "RosaInput",
    "RosaResult",
    "RosaScore",
    "SeatDepth",
    "SeatHeight",
    "duration_modifier",
    "score",
    "score_items",
    "table_a",
    "table_b",
    "table_c",
    "table_d",
    "table_e",
]


def _invalid(text: str) -> InputError:
    """The input error for a "field: what is wrong and what is allowed" message."""
    path, message = split_message(text)
    return InputError(path, message)


#: Final ROSA score at and above which the paper calls for change ("a ROSA final
#: score of 5 and greater", Sonne et al. 2012).
ACTION_LEVEL: Final = 5


# ---------------------------------------------------------------------------
# Base options of the score sheet.  Each enum's ``score`` is the sheet's number
# printed beside the option.  Values are the JSON interchange values.
# ---------------------------------------------------------------------------


class SeatHeight(StrEnum):
    """Seat pan height (section A)."""

    KNEES_90 = "knees_90"
    TOO_LOW = "too_low"
    TOO_HIGH = "too_high"
    NO_FOOT_CONTACT = "no_foot_contact"

    @property
    def score(self) -> int:
        """Base score printed on the ROSA sheet for this option."""
        return _SEAT_HEIGHT_SCORES[self]


class SeatDepth(StrEnum):
    """Seat pan depth (section A)."""

    OK = "ok"
    TOO_LONG = "too_long"
    TOO_SHORT = "too_short"

    @property
    def score(self) -> int:
        """Base score printed on the ROSA sheet for this option."""
        return _SEAT_DEPTH_SCORES[self]


class Armrests(StrEnum):
    """Armrests (section A)."""

    SUPPORTED = "supported"
    TOO_HIGH = "too_high"
    TOO_LOW_OR_NONE = "too_low_or_none"

    @property
    def score(self) -> int:
        """Base score printed on the ROSA sheet for this option."""
        return _ARMRESTS_SCORES[self]


class BackSupport(StrEnum):
    """Back support (section A)."""

    ADEQUATE = "adequate"
    NO_LUMBAR = "no_lumbar"
    RECLINE_OUT_OF_RANGE = "recline_out_of_range"
    NONE_OR_LEANING = "none_or_leaning"

    @property
    def score(self) -> int:
        """Base score printed on the ROSA sheet for this option."""
        return _BACK_SUPPORT_SCORES[self]


class Monitor(StrEnum):
    """Monitor position (section B)."""

    EYE_LEVEL = "eye_level"
    TOO_LOW = "too_low"
    TOO_HIGH = "too_high"

    @property
    def score(self) -> int:
        """Base score printed on the ROSA sheet for this option."""
        return _MONITOR_SCORES[self]


class Phone(StrEnum):
    """Telephone (section B)."""

    NEUTRAL = "neutral"
    TOO_FAR = "too_far"

    @property
    def score(self) -> int:
        """Base score printed on the ROSA sheet for this option."""
        return _PHONE_SCORES[self]


class Mouse(StrEnum):
    """Mouse (section C)."""

    IN_LINE = "in_line"
    REACHING = "reaching"

    @property
    def score(self) -> int:
        """Base score printed on the ROSA sheet for this option."""
        return _MOUSE_SCORES[self]


class Keyboard(StrEnum):
    """Keyboard (section C)."""

    NEUTRAL = "neutral"
    WRISTS_EXTENDED = "wrists_extended"

    @property
    def score(self) -> int:
        """Base score printed on the ROSA sheet for this option."""
        return _KEYBOARD_SCORES[self]


# One dictionary per enum: members of different StrEnums with the same value
# (e.g. "too_high") compare and hash equal, so they must never share a dict.
_SEAT_HEIGHT_SCORES: Final[dict[SeatHeight, int]] = {
    SeatHeight.KNEES_90: 1,
    SeatHeight.TOO_LOW: 2,
    SeatHeight.TOO_HIGH: 2,
    SeatHeight.NO_FOOT_CONTACT: 3,
}
_SEAT_DEPTH_SCORES: Final[dict[SeatDepth, int]] = {
    SeatDepth.OK: 1,
    SeatDepth.TOO_LONG: 2,
    SeatDepth.TOO_SHORT: 2,
}
_ARMRESTS_SCORES: Final[dict[Armrests, int]] = {
    Armrests.SUPPORTED: 1,
    Armrests.TOO_HIGH: 2,
    Armrests.TOO_LOW_OR_NONE: 2,
}
_BACK_SUPPORT_SCORES: Final[dict[BackSupport, int]] = {
    BackSupport.ADEQUATE: 1,
    BackSupport.NO_LUMBAR: 2,
    BackSupport.RECLINE_OUT_OF_RANGE: 2,
    BackSupport.NONE_OR_LEANING: 2,
}
_MONITOR_SCORES: Final[dict[Monitor, int]] = {
    Monitor.EYE_LEVEL: 1,
    Monitor.TOO_LOW: 2,
    Monitor.TOO_HIGH: 3,
}
_PHONE_SCORES: Final[dict[Phone, int]] = {Phone.NEUTRAL: 1, Phone.TOO_FAR: 2}
_MOUSE_SCORES: Final[dict[Mouse, int]] = {Mouse.IN_LINE: 1, Mouse.REACHING: 2}
_KEYBOARD_SCORES: Final[dict[Keyboard, int]] = {
    Keyboard.NEUTRAL: 1,
    Keyboard.WRISTS_EXTENDED: 2,
}


# ---------------------------------------------------------------------------
# Lookup tables, transcribed from the ROSA score sheet (see
# docs/scoring.md, "ROSA", for provenance).  Row and column offsets are given by
# the axis constants below each table.
# ---------------------------------------------------------------------------

# Table A — rows: seat height + seat depth (2-8); columns: armrests + back support (2-9).
_TABLE_A: Final = (
    (2, 2, 3, 4, 5, 6, 7, 8),
    (2, 2, 3, 4, 5, 6, 7, 8),
    (3, 3, 3, 4, 5, 6, 7, 8),
    (4, 4, 4, 4, 5, 6, 7, 8),
    (5, 5, 5, 5, 6, 7, 8, 9),
    (6, 6, 6, 7, 7, 8, 8, 9),
    (7, 7, 7, 8, 8, 9, 9, 9),
)
_A_ROWS: Final = (2, 8)
_A_COLUMNS: Final = (2, 9)

# Table B — rows: telephone with duration (0-6); columns: monitor with duration (0-7).
_TABLE_B: Final = (
    (1, 1, 1, 2, 3, 4, 5, 6),
    (1, 1, 2, 2, 3, 4, 5, 6),
    (1, 2, 2, 3, 3, 4, 6, 7),
    (2, 2, 3, 3, 4, 5, 6, 8),
    (3, 3, 4, 4, 5, 6, 7, 8),
    (4, 4, 5, 5, 6, 7, 8, 9),
    (5, 5, 6, 7, 8, 8, 9, 9),
)
_B_ROWS: Final = (0, 6)
_B_COLUMNS: Final = (0, 7)

# Table C — rows: mouse with duration (0-7); columns: keyboard with duration (0-7).
_TABLE_C: Final = (
    (1, 1, 1, 2, 3, 4, 5, 6),
    (1, 1, 2, 3, 4, 5, 6, 7),
    (1, 2, 2, 3, 4, 5, 6, 7),
    (2, 3, 3, 3, 5, 6, 7, 8),
    (3, 4, 4, 5, 5, 6, 7, 8),
    (4, 5, 5, 6, 6, 7, 8, 9),
    (5, 6, 6, 7, 7, 8, 8, 9),
    (6, 7, 7, 8, 8, 9, 9, 9),
)
_C_ROWS: Final = (0, 7)
_C_COLUMNS: Final = (0, 7)

# Table D — rows: Table C result (1-9); columns: Table B result (1-9).
# Every cell of the sheet's table is the larger of its row and column.
_TABLE_D: Final = (
    (1, 2, 3, 4, 5, 6, 7, 8, 9),
    (2, 2, 3, 4, 5, 6, 7, 8, 9),
    (3, 3, 3, 4, 5, 6, 7, 8, 9),
    (4, 4, 4, 4, 5, 6, 7, 8, 9),
    (5, 5, 5, 5, 5, 6, 7, 8, 9),
    (6, 6, 6, 6, 6, 6, 7, 8, 9),
    (7, 7, 7, 7, 7, 7, 7, 8, 9),
    (8, 8, 8, 8, 8, 8, 8, 8, 9),
    (9, 9, 9, 9, 9, 9, 9, 9, 9),
)
_D_ROWS: Final = (1, 9)
_D_COLUMNS: Final = (1, 9)

# Table E — rows: chair score (1-10); columns: peripherals and monitor (1-10).
# Every cell of the sheet's table is the larger of its row and column; Table D
# never exceeds 9, so column 10 is printed on the sheet but never reached.
_TABLE_E: Final = (
    (1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    (2, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    (3, 3, 3, 4, 5, 6, 7, 8, 9, 10),
    (4, 4, 4, 4, 5, 6, 7, 8, 9, 10),
    (5, 5, 5, 5, 5, 6, 7, 8, 9, 10),
    (6, 6, 6, 6, 6, 6, 7, 8, 9, 10),
    (7, 7, 7, 7, 7, 7, 7, 8, 9, 10),
    (8, 8, 8, 8, 8, 8, 8, 8, 9, 10),
    (9, 9, 9, 9, 9, 9, 9, 9, 9, 10),
    (10, 10, 10, 10, 10, 10, 10, 10, 10, 10),
)
_E_ROWS: Final = (1, 10)
_E_COLUMNS: Final = (1, 10)


def _require_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(f"{name}: expected a whole-number score, got {value!r}")
    return value


def _lookup(
    table: tuple[tuple[int, ...], ...],
    table_name: str,
    row_name: str,
    row: int,
    rows: tuple[int, int],
    column_name: str,
    column: int,
    columns: tuple[int, int],
) -> int:
    row = _require_int(row_name, row)
    column = _require_int(column_name, column)
    if not rows[0] <= row <= rows[1]:
        raise _invalid(
            f"{row_name}: {row} is off {table_name}'s rows, which run {rows[0]}–{rows[1]}"
        )
    if not columns[0] <= column <= columns[1]:
        raise _invalid(
            f"{column_name}: {column} is off {table_name}'s columns, "
            f"which run {columns[0]}–{columns[1]}"
        )
    return table[row - rows[0]][column - columns[0]]


def table_a(seat_row: int, chair_column: int) -> int:
    """Table A (chair): row = seat height + seat depth (2-8), column = armrests + back (2-9)."""
    return _lookup(
        _TABLE_A, "Table A", "seat_row", seat_row, _A_ROWS, "chair_column", chair_column, _A_COLUMNS
    )


def table_b(phone: int, monitor: int) -> int:
    """Table B: row = telephone with duration (0-6), column = monitor with duration (0-7)."""
    return _lookup(_TABLE_B, "Table B", "phone", phone, _B_ROWS, "monitor", monitor, _B_COLUMNS)


def table_c(mouse: int, keyboard: int) -> int:
    """Table C: row = mouse with duration (0-7), column = keyboard with duration (0-7)."""
    return _lookup(_TABLE_C, "Table C", "mouse", mouse, _C_ROWS, "keyboard", keyboard, _C_COLUMNS)


def table_d(mouse_keyboard: int, monitor_phone: int) -> int:
    """Table D (peripherals and monitor): row = Table C (1-9), column = Table B (1-9)."""
    return _lookup(
        _TABLE_D,
        "Table D",
        "mouse_keyboard",
        mouse_keyboard,
        _D_ROWS,
        "monitor_phone",
        monitor_phone,
        _D_COLUMNS,
    )


def table_e(chair: int, peripherals: int) -> int:
    """Table E (final score): row = chair score (1-10), column = Table D (1-10)."""
    return _lookup(
        _TABLE_E, "Table E", "chair", chair, _E_ROWS, "peripherals", peripherals, _E_COLUMNS
    )


# ---------------------------------------------------------------------------
# Duration
# ---------------------------------------------------------------------------

MAX_HOURS_PER_DAY: Final = 24.0
"""A device cannot be used for more than the hours in a day."""


def _check_use(
    hours: object, minutes: object, hours_name: str, minutes_name: str
) -> tuple[float, float]:
    """Validate one device's daily use; return (hours per day, longest continuous minutes)."""
    checked: list[float] = []
    for name, value, unit in ((hours_name, hours, "h"), (minutes_name, minutes, "min")):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _invalid(f"{name}: expected a number of {unit}, got {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise _invalid(f"{name}: {value!r} is not a finite number of {unit}")
        if number < 0:
            raise _invalid(f"{name}: {number:g} {unit} is negative; use 0 when not used")
        checked.append(number)
    hours_f, minutes_f = checked
    if hours_f > MAX_HOURS_PER_DAY:
        raise _invalid(f"{hours_name}: {hours_f:g} h is more than the 24 hours in a day")
    # A single bout of use cannot be longer than the whole day's use.
    if minutes_f > hours_f * 60.0 + 1e-9:
        raise _invalid(
            f"{minutes_name}: {minutes_f:g} min is longer than the day's total use "
            f"({hours_name} = {hours_f:g} h = {hours_f * 60.0:g} min)"
        )
    return hours_f, minutes_f


def duration_modifier(hours_per_day: float, longest_continuous_minutes: float) -> int:
    """ROSA duration modifier for one device: -1, 0 or +1.

    Read first-match in the order the 2012 paper lists the rule:

    1. +1 if used more than 4 h a day in total, or more than 1 h (60 min) continuously;
    2. else 0 if used 1-4 h a day in total, or 30-60 min continuously (both inclusive);
    3. else -1 (less than 1 h a day and less than 30 min continuously).

    So where the daily total and the longest continuous bout point to different
    categories, the higher one wins.  Exactly 4 h/day, exactly 60 min continuous,
    exactly 1 h/day and exactly 30 min continuous all score 0.

    Raises ValueError for negative, non-finite or more than 24 h values, and when
    the longest continuous bout is longer than the daily total.
    """
    hours, minutes = _check_use(
        hours_per_day, longest_continuous_minutes, "hours_per_day", "longest_continuous_minutes"
    )
    if hours > 4.0 or minutes > 60.0:
        return 1
    if hours >= 1.0 or minutes >= 30.0:
        return 0
    return -1


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RosaResult:
    """Every step of a ROSA calculation.

    ``chair``: chair score, Table A + chair duration (1-10).
    ``chair_table``: Table A cell (2-9).
    ``monitor_phone``: Table B (1-9).  ``mouse_keyboard``: Table C (1-9).
    ``peripherals``: Table D, peripherals and monitor (1-9).
    ``final``: Table E, the ROSA final score (1-10).
    ``action_required``: ``final >= ACTION_LEVEL`` (5).
    ``seat_row`` / ``chair_column``: Table A row and column.
    ``monitor_total`` etc.: each device's item score plus its duration, the value
    looked up in Table B or C.
    ``reasons``: the lookup path in plain English.
    """

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


# Sheet ranges of each item's score without duration: base option plus every
# modifier that item can take.
_ITEM_RANGES: Final[dict[str, tuple[int, int, str]]] = {
    "seat_height": (1, 5, "base 1–3 plus two +1 modifiers"),
    "seat_depth": (1, 3, "base 1–2 plus one +1 modifier"),
    "armrests": (1, 5, "base 1–2 plus three +1 modifiers"),
    "back_support": (1, 4, "base 1–2 plus two +1 modifiers"),
    "monitor": (1, 7, "base 1–3 plus four +1 modifiers"),
    "phone": (1, 5, "base 1–2 plus +2 and +1 modifiers"),
    "mouse": (1, 6, "base 1–2 plus +2, +1 and +1 modifiers"),
    "keyboard": (1, 6, "base 1–2 plus four +1 modifiers"),
}

# Table axis for each device item once its duration is added.
_DEVICE_AXES: Final[dict[str, tuple[str, tuple[int, int]]]] = {
    "monitor": ("Table B's monitor columns", _B_COLUMNS),
    "phone": ("Table B's telephone rows", _B_ROWS),
    "mouse": ("Table C's mouse rows", _C_ROWS),
    "keyboard": ("Table C's keyboard columns", _C_COLUMNS),
}


def _check_item(name: str, value: object) -> int:
    item = _require_int(name, value)
    low, high, how = _ITEM_RANGES[name]
    if not low <= item <= high:
        raise _invalid(
            f"{name}: item score {item} is outside the ROSA sheet's {low}–{high} ({how})"
        )
    return item


def _check_duration(name: str, value: object) -> int:
    duration = _require_int(name, value)
    if duration not in (-1, 0, 1):
        raise _invalid(f"{name}: {duration} is not a ROSA duration modifier (-1, 0 or +1)")
    return duration


def _signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _device_total(name: str, item: int, duration: int, *, cap: bool) -> tuple[int, str, bool]:
    """Item + duration on its table axis; returns (total, explanation, capped)."""
    axis_name, (low, high) = _DEVICE_AXES[name]
    total = item + duration
    label = "telephone" if name == "phone" else name
    text = f"{label} {item} + duration {_signed(duration)} = {total}"
    if low <= total <= high:
        return total, text, False
    if cap and total > high:
        return high, f"{text}, capped at {high} (end of {axis_name})", True
    raise _invalid(
        f"{name}: item score {item} with duration {_signed(duration)} gives {total}, "
        f"off {axis_name}, which run {low}–{high}"
    )


def _evaluate(
    *,
    seat_height: int,
    seat_depth: int,
    armrests: int,
    back_support: int,
    chair_duration: int,
    monitor: int,
    monitor_duration: int,
    phone: int,
    phone_duration: int,
    mouse: int,
    mouse_duration: int,
    keyboard: int,
    keyboard_duration: int,
    cap_monitor: bool,
) -> tuple[RosaResult, bool]:
    items = {
        "seat_height": seat_height,
        "seat_depth": seat_depth,
        "armrests": armrests,
        "back_support": back_support,
        "monitor": monitor,
        "phone": phone,
        "mouse": mouse,
        "keyboard": keyboard,
    }
    for name, value in items.items():
        _check_item(name, value)
    durations = {
        "chair_duration": chair_duration,
        "monitor_duration": monitor_duration,
        "phone_duration": phone_duration,
        "mouse_duration": mouse_duration,
        "keyboard_duration": keyboard_duration,
    }
    for name, value in durations.items():
        _check_duration(name, value)

    seat_row = seat_height + seat_depth
    chair_column = armrests + back_support
    chair_table = table_a(seat_row, chair_column)
    chair = chair_table + chair_duration

    monitor_total, monitor_text, capped = _device_total(
        "monitor", monitor, monitor_duration, cap=cap_monitor
    )
    phone_total, phone_text, _ = _device_total("phone", phone, phone_duration, cap=False)
    mouse_total, mouse_text, _ = _device_total("mouse", mouse, mouse_duration, cap=False)
    keyboard_total, keyboard_text, _ = _device_total(
        "keyboard", keyboard, keyboard_duration, cap=False
    )
    monitor_phone = table_b(phone_total, monitor_total)
    mouse_keyboard = table_c(mouse_total, keyboard_total)
    peripherals = table_d(mouse_keyboard, monitor_phone)
    final = table_e(chair, peripherals)
    action_required = final >= ACTION_LEVEL

    if action_required:
        action_text = (
            f"Final score {final} is at or above the action level of {ACTION_LEVEL} "
            "(Sonne et al. 2012): the workstation needs further assessment and change."
        )
    else:
        action_text = f"Final score {final} is below the action level of {ACTION_LEVEL}."
    reasons = (
        f"Table A: seat height {seat_height} + seat depth {seat_depth} = row {seat_row}; "
        f"armrests {armrests} + back support {back_support} = column {chair_column}; "
        f"cell = {chair_table}.",
        f"Chair score: Table A {chair_table} + chair duration {_signed(chair_duration)} = {chair}.",
        f"Table B: {phone_text} (row); {monitor_text} (column); cell = {monitor_phone}.",
        f"Table C: {mouse_text} (row); {keyboard_text} (column); cell = {mouse_keyboard}.",
        f"Table D: mouse and keyboard {mouse_keyboard}, monitor and telephone "
        f"{monitor_phone}; peripherals and monitor = {peripherals}.",
        f"Table E: chair {chair}, peripherals and monitor {peripherals}; "
        f"final ROSA score = {final}.",
        action_text,
    )
    result = RosaResult(
        chair=chair,
        chair_table=chair_table,
        monitor_phone=monitor_phone,
        mouse_keyboard=mouse_keyboard,
        peripherals=peripherals,
        final=final,
        action_required=action_required,
        seat_row=seat_row,
        chair_column=chair_column,
        chair_duration=chair_duration,
        monitor_total=monitor_total,
        phone_total=phone_total,
        mouse_total=mouse_total,
        keyboard_total=keyboard_total,
        reasons=reasons,
    )
    return result, capped


def score_items(
    *,
    seat_height: int,
    seat_depth: int,
    armrests: int,
    back_support: int,
    chair_duration: int,
    monitor: int,
    monitor_duration: int,
    phone: int,
    phone_duration: int,
    mouse: int,
    mouse_duration: int,
    keyboard: int,
    keyboard_duration: int,
) -> RosaResult:
    """Score a ROSA sheet from its item scores.

    Each item is its summed score (base option + modifiers) *without* duration;
    each ``*_duration`` is the device's duration modifier (-1, 0 or +1).  Strict:
    an item score the sheet cannot produce, a duration other than -1/0/+1, or a
    device total (item + duration) off Table B's or C's axis raises ValueError
    naming the item and the allowed range.  (Only the monitor can leave its axis:
    base 3 with all four modifiers and +1 duration gives 8; :func:`score` caps it.)
    """
    result, _ = _evaluate(
        seat_height=seat_height,
        seat_depth=seat_depth,
        armrests=armrests,
        back_support=back_support,
        chair_duration=chair_duration,
        monitor=monitor,
        monitor_duration=monitor_duration,
        phone=phone,
        phone_duration=phone_duration,
        mouse=mouse,
        mouse_duration=mouse_duration,
        keyboard=keyboard,
        keyboard_duration=keyboard_duration,
        cap_monitor=False,
    )
    return result


# ---------------------------------------------------------------------------
# Observed options and findings
# ---------------------------------------------------------------------------

_CHAIR: Final = "chair"
_MONITOR_PHONE: Final = "monitor_phone"
_MOUSE_KEYBOARD: Final = "mouse_keyboard"

# code -> (section, plain-English text).  Codes are stable: recommendations and
# stored reports refer to them.  Base-option codes are "<item>.<enum value>".
_FINDINGS: Final[dict[str, tuple[str, str]]] = {
    "seat_height.too_low": (_CHAIR, "Seat too low: knee angle below 90°"),
    "seat_height.too_high": (_CHAIR, "Seat too high: knee angle above 90°"),
    "seat_height.no_foot_contact": (_CHAIR, "Feet not in contact with the floor"),
    "seat_height.leg_space": (_CHAIR, "Insufficient space under the desk for the legs"),
    "seat_height.non_adjustable": (_CHAIR, "Seat height not adjustable"),
    "seat_depth.too_long": (
        _CHAIR,
        "Seat pan too long: less than about 8 cm (3 in) between the front of the seat "
        "and the back of the knee",
    ),
    "seat_depth.too_short": (
        _CHAIR,
        "Seat pan too short: more than about 8 cm (3 in) between the front of the seat "
        "and the back of the knee",
    ),
    "seat_depth.non_adjustable": (_CHAIR, "Seat pan depth not adjustable"),
    "armrests.too_high": (_CHAIR, "Armrests too high: shoulders shrugged"),
    "armrests.too_low_or_none": (_CHAIR, "Armrests too low or absent: arms unsupported"),
    "armrests.hard_or_damaged": (_CHAIR, "Armrest surface hard or damaged"),
    "armrests.too_wide": (_CHAIR, "Armrests too wide apart: arms held away from the body"),
    "armrests.non_adjustable": (_CHAIR, "Armrests not adjustable"),
    "back_support.no_lumbar": (
        _CHAIR,
        "No lumbar support, or support not in the small of the back",
    ),
    "back_support.recline_out_of_range": (
        _CHAIR,
        "Backrest reclined too far (more than 110°) or too upright (less than 95°)",
    ),
    "back_support.none_or_leaning": (
        _CHAIR,
        "No back support (e.g. a stool), or worker leaning forward away from it",
    ),
    "back_support.work_surface_too_high": (_CHAIR, "Work surface too high: shoulders shrugged"),
    "back_support.non_adjustable": (_CHAIR, "Back support not adjustable"),
    "monitor.too_low": (_MONITOR_PHONE, "Monitor too low: screen more than 30° below eye level"),
    "monitor.too_high": (_MONITOR_PHONE, "Monitor too high: neck extended to view it"),
    "monitor.neck_twist": (_MONITOR_PHONE, "Neck twisted more than 30° to view the monitor"),
    "monitor.glare": (_MONITOR_PHONE, "Glare on the screen"),
    "monitor.no_document_holder": (_MONITOR_PHONE, "Documents used without a document holder"),
    "monitor.too_far": (_MONITOR_PHONE, "Monitor too far: more than 75 cm away"),
    "phone.too_far": (_MONITOR_PHONE, "Telephone out of reach: more than 30 cm away"),
    "phone.neck_shoulder": (_MONITOR_PHONE, "Telephone held between neck and shoulder"),
    "phone.no_hands_free": (_MONITOR_PHONE, "No hands-free option for the telephone"),
    "mouse.reaching": (_MOUSE_KEYBOARD, "Reaching to the mouse: not in line with the shoulder"),
    "mouse.different_surface": (
        _MOUSE_KEYBOARD,
        "Mouse and keyboard on different surfaces or at different heights",
    ),
    "mouse.pinch_grip": (_MOUSE_KEYBOARD, "Pinch grip on the mouse: mouse too small"),
    "mouse.palm_rest": (
        _MOUSE_KEYBOARD,
        "Hard palm rest in front of the mouse: pressure point under the wrist",
    ),
    "keyboard.wrists_extended": (_MOUSE_KEYBOARD, "Wrists extended more than 15° while typing"),
    "keyboard.wrists_deviated": (_MOUSE_KEYBOARD, "Wrists deviated sideways while typing"),
    "keyboard.too_high": (_MOUSE_KEYBOARD, "Keyboard too high: shoulders shrugged"),
    "keyboard.overhead_reach": (_MOUSE_KEYBOARD, "Reaching to items overhead"),
    "keyboard.platform_non_adjustable": (_MOUSE_KEYBOARD, "Keyboard platform not adjustable"),
    "duration.chair": (_CHAIR, "Chair"),
    "duration.monitor": (_MONITOR_PHONE, "Monitor"),
    "duration.phone": (_MONITOR_PHONE, "Telephone"),
    "duration.mouse": (_MOUSE_KEYBOARD, "Mouse"),
    "duration.keyboard": (_MOUSE_KEYBOARD, "Keyboard"),
}

#: Every code a :class:`Finding` can carry.
FINDING_CODES: Final[frozenset[str]] = frozenset(_FINDINGS)


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation that added points to a ROSA item.

    ``code``: stable dotted code (see :data:`FINDING_CODES`).
    ``section``: ``"chair"``, ``"monitor_phone"`` or ``"mouse_keyboard"``.
    ``text``: plain-English description.
    ``points``: points added above the neutral sheet: a base option's score minus 1
    (the neutral option's score), a modifier's value, or +1 for duration.
    """

    code: str
    section: str
    text: str
    points: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RosaInput:
    """What the assessor observed, item by item, as on the ROSA sheet.

    Enum fields accept the enum member or its string value.  Modifiers default to
    False.  Each device's use is given as hours per day and the longest
    continuous bout in minutes; the telephone with 0 h/day is a telephone not used.
    """

    # Section A — chair
    seat_height: SeatHeight
    seat_leg_space_insufficient: bool = False
    seat_height_non_adjustable: bool = False
    seat_depth: SeatDepth
    seat_depth_non_adjustable: bool = False
    armrests: Armrests
    armrests_hard_or_damaged: bool = False
    armrests_too_wide: bool = False
    armrests_non_adjustable: bool = False
    back_support: BackSupport
    back_work_surface_too_high: bool = False
    back_non_adjustable: bool = False
    chair_hours_per_day: float
    chair_longest_continuous_minutes: float
    # Section B — monitor and telephone
    monitor: Monitor
    monitor_neck_twist: bool = False
    monitor_glare: bool = False
    monitor_no_document_holder: bool = False
    monitor_too_far: bool = False
    monitor_hours_per_day: float
    monitor_longest_continuous_minutes: float
    phone: Phone
    phone_neck_shoulder: bool = False
    phone_no_hands_free: bool = False
    phone_hours_per_day: float
    phone_longest_continuous_minutes: float
    # Section C — mouse and keyboard
    mouse: Mouse
    mouse_different_surface: bool = False
    mouse_pinch_grip: bool = False
    mouse_palm_rest: bool = False
    mouse_hours_per_day: float
    mouse_longest_continuous_minutes: float
    keyboard: Keyboard
    keyboard_wrists_deviated: bool = False
    keyboard_too_high: bool = False
    keyboard_overhead_reach: bool = False
    keyboard_platform_non_adjustable: bool = False
    keyboard_hours_per_day: float
    keyboard_longest_continuous_minutes: float

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            enum_type = _ENUM_FIELDS.get(f.name)
            if enum_type is not None:
                if not isinstance(value, enum_type):
                    try:
                        value = enum_type(value)
                    except ValueError:
                        allowed = ", ".join(m.value for m in enum_type)
                        raise _invalid(f"{f.name}: {value!r} is not one of {allowed}") from None
                    object.__setattr__(self, f.name, value)
            elif f.name.endswith("_hours_per_day"):
                device = f.name.removesuffix("_hours_per_day")
                minutes_name = f"{device}_longest_continuous_minutes"
                _check_use(value, getattr(self, minutes_name), f.name, minutes_name)
            elif f.name.endswith("_longest_continuous_minutes"):
                continue  # checked together with the hours above
            elif not isinstance(value, bool):
                raise _invalid(f"{f.name}: expected true or false, got {value!r}")


_CHAIR_GROUP: Final = "Chair"
_MONITOR_GROUP: Final = "Monitor and telephone"
_MOUSE_GROUP: Final = "Mouse and keyboard"

#: The items an assessor must answer (every field of :class:`RosaInput` without a default),
#: each with its group and label for the "not answered" messages, in sheet order.
ITEM_LABELS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "seat_height": (_CHAIR_GROUP, "seat height"),
        "seat_depth": (_CHAIR_GROUP, "seat depth"),
        "armrests": (_CHAIR_GROUP, "armrests"),
        "back_support": (_CHAIR_GROUP, "back support"),
        "chair_hours_per_day": (_CHAIR_GROUP, "hours per day"),
        "chair_longest_continuous_minutes": (_CHAIR_GROUP, "longest continuous minutes"),
        "monitor": (_MONITOR_GROUP, "monitor position"),
        "monitor_hours_per_day": (_MONITOR_GROUP, "monitor hours per day"),
        "monitor_longest_continuous_minutes": (
            _MONITOR_GROUP,
            "monitor longest continuous minutes",
        ),
        "phone": (_MONITOR_GROUP, "telephone"),
        "phone_hours_per_day": (_MONITOR_GROUP, "telephone hours per day"),
        "phone_longest_continuous_minutes": (
            _MONITOR_GROUP,
            "telephone longest continuous minutes",
        ),
        "mouse": (_MOUSE_GROUP, "mouse position"),
        "mouse_hours_per_day": (_MOUSE_GROUP, "mouse hours per day"),
        "mouse_longest_continuous_minutes": (_MOUSE_GROUP, "mouse longest continuous minutes"),
        "keyboard": (_MOUSE_GROUP, "keyboard"),
        "keyboard_hours_per_day": (_MOUSE_GROUP, "keyboard hours per day"),
        "keyboard_longest_continuous_minutes": (
            _MOUSE_GROUP,
            "keyboard longest continuous minutes",
        ),
    }
)

_ENUM_FIELDS: Final[dict[str, type[StrEnum]]] = {
    "seat_height": SeatHeight,
    "seat_depth": SeatDepth,
    "armrests": Armrests,
    "back_support": BackSupport,
    "monitor": Monitor,
    "phone": Phone,
    "mouse": Mouse,
    "keyboard": Keyboard,
}


@dataclass(frozen=True, slots=True)
class RosaScore:
    """ROSA result for observed options, with the observation behind each point.

    ``findings`` are in sheet order (chair, monitor, telephone, mouse, keyboard;
    within an item: base option, modifiers, duration).  ``notes`` record anything
    the calculation had to adjust (the monitor cap) or that a reader should know
    (telephone not used).
    """

    result: RosaResult
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]


def _finding(code: str, points: int, text: str | None = None) -> Finding:
    section, default_text = _FINDINGS[code]
    return Finding(code=code, section=section, text=text or default_text, points=points)


def _item(
    item: str,
    base: StrEnum,
    base_score: int,
    modifiers: tuple[tuple[bool, str, int], ...],
    findings: list[Finding],
) -> int:
    """Sum one item (base + modifiers) and append its findings."""
    total = base_score
    if base_score > 1:
        findings.append(_finding(f"{item}.{base.value}", base_score - 1))
    for present, suffix, points in modifiers:
        if present:
            total += points
            findings.append(_finding(f"{item}.{suffix}", points))
    return total


def _duration(device: str, hours: float, minutes: float, findings: list[Finding]) -> int:
    modifier = duration_modifier(hours, minutes)
    if modifier > 0:
        _, noun = _FINDINGS[f"duration.{device}"]
        criteria = []
        if hours > 4.0:
            criteria.append("more than 4 h a day")
        if minutes > 60.0:
            criteria.append("more than 1 h at a time")
        text = (
            f"{noun} used {round(hours, 1):g} h a day, longest continuous {round(minutes):g} min: "
            f"{' and '.join(criteria)}"
        )
        findings.append(_finding(f"duration.{device}", modifier, text))
    return modifier


def score(observed: RosaInput) -> RosaScore:
    """Score a ROSA assessment from observed options.

    Sums each item from its base option and modifiers, rates each device's
    duration with :func:`duration_modifier`, and looks the sums up as
    :func:`score_items` does.  One difference: "monitor too far" counts with any
    monitor base, so the monitor (base 3, all four modifiers, +1 duration) can
    reach 8, one past Table B's last column; it is then capped at 7 and a note
    says so.
    """
    o = observed
    findings: list[Finding] = []
    seat_height = _item(
        "seat_height",
        o.seat_height,
        o.seat_height.score,
        (
            (o.seat_leg_space_insufficient, "leg_space", 1),
            (o.seat_height_non_adjustable, "non_adjustable", 1),
        ),
        findings,
    )
    seat_depth = _item(
        "seat_depth",
        o.seat_depth,
        o.seat_depth.score,
        ((o.seat_depth_non_adjustable, "non_adjustable", 1),),
        findings,
    )
    armrests = _item(
        "armrests",
        o.armrests,
        o.armrests.score,
        (
            (o.armrests_hard_or_damaged, "hard_or_damaged", 1),
            (o.armrests_too_wide, "too_wide", 1),
            (o.armrests_non_adjustable, "non_adjustable", 1),
        ),
        findings,
    )
    back_support = _item(
        "back_support",
        o.back_support,
        o.back_support.score,
        (
            (o.back_work_surface_too_high, "work_surface_too_high", 1),
            (o.back_non_adjustable, "non_adjustable", 1),
        ),
        findings,
    )
    chair_duration = _duration(
        "chair", o.chair_hours_per_day, o.chair_longest_continuous_minutes, findings
    )
    monitor = _item(
        "monitor",
        o.monitor,
        o.monitor.score,
        (
            (o.monitor_neck_twist, "neck_twist", 1),
            (o.monitor_glare, "glare", 1),
            (o.monitor_no_document_holder, "no_document_holder", 1),
            (o.monitor_too_far, "too_far", 1),
        ),
        findings,
    )
    monitor_duration = _duration(
        "monitor", o.monitor_hours_per_day, o.monitor_longest_continuous_minutes, findings
    )
    phone = _item(
        "phone",
        o.phone,
        o.phone.score,
        (
            (o.phone_neck_shoulder, "neck_shoulder", 2),
            (o.phone_no_hands_free, "no_hands_free", 1),
        ),
        findings,
    )
    phone_duration = _duration(
        "phone", o.phone_hours_per_day, o.phone_longest_continuous_minutes, findings
    )
    mouse = _item(
        "mouse",
        o.mouse,
        o.mouse.score,
        (
            (o.mouse_different_surface, "different_surface", 2),
            (o.mouse_pinch_grip, "pinch_grip", 1),
            (o.mouse_palm_rest, "palm_rest", 1),
        ),
        findings,
    )
    mouse_duration = _duration(
        "mouse", o.mouse_hours_per_day, o.mouse_longest_continuous_minutes, findings
    )
    keyboard = _item(
        "keyboard",
        o.keyboard,
        o.keyboard.score,
        (
            (o.keyboard_wrists_deviated, "wrists_deviated", 1),
            (o.keyboard_too_high, "too_high", 1),
            (o.keyboard_overhead_reach, "overhead_reach", 1),
            (o.keyboard_platform_non_adjustable, "platform_non_adjustable", 1),
        ),
        findings,
    )
    keyboard_duration = _duration(
        "keyboard", o.keyboard_hours_per_day, o.keyboard_longest_continuous_minutes, findings
    )

    result, capped = _evaluate(
        seat_height=seat_height,
        seat_depth=seat_depth,
        armrests=armrests,
        back_support=back_support,
        chair_duration=chair_duration,
        monitor=monitor,
        monitor_duration=monitor_duration,
        phone=phone,
        phone_duration=phone_duration,
        mouse=mouse,
        mouse_duration=mouse_duration,
        keyboard=keyboard,
        keyboard_duration=keyboard_duration,
        cap_monitor=True,
    )
    notes: list[str] = []
    if capped:
        notes.append(
            f"Monitor score {monitor + monitor_duration} (item {monitor}, duration "
            f"{_signed(monitor_duration)}) is above Table B's last monitor column (7); "
            "it was capped at 7, so one point of the monitor's findings does not change "
            "the score."
        )
    if o.phone_hours_per_day == 0:
        notes.append(
            "Telephone not used (0 h a day): scored with its -1 duration modifier, so a "
            "neutral telephone counts 0 in Table B."
        )
    return RosaScore(result=result, findings=tuple(findings), notes=tuple(notes))
