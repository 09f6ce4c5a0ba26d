"""Tests for the ROSA scoring module (Sonne, Villalta & Andrews 2012).

The lookup tables below are written out again from the ROSA score sheet as given in
shared/reference/rosa.md, independently of the module, and compared cell by cell.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring.rosa import (
    ACTION_LEVEL,
    FINDING_CODES,
    Armrests,
    BackSupport,
    Keyboard,
    Monitor,
    Mouse,
    Phone,
    RosaInput,
    RosaScore,
    SeatDepth,
    SeatHeight,
    duration_modifier,
    score,
    score_items,
    table_a,
    table_b,
    table_c,
    table_d,
    table_e,
)

# ---------------------------------------------------------------------------
# The sheet's tables, transcribed for the tests
# ---------------------------------------------------------------------------

# Rows: seat height + seat depth 2..8; columns: armrests + back support 2..9.
SHEET_A = {
    2: [2, 2, 3, 4, 5, 6, 7, 8],
    3: [2, 2, 3, 4, 5, 6, 7, 8],
    4: [3, 3, 3, 4, 5, 6, 7, 8],
    5: [4, 4, 4, 4, 5, 6, 7, 8],
    6: [5, 5, 5, 5, 6, 7, 8, 9],
    7: [6, 6, 6, 7, 7, 8, 8, 9],
    8: [7, 7, 7, 8, 8, 9, 9, 9],
}
A_COLUMNS = range(2, 10)

# Rows: telephone 0..6; columns: monitor 0..7.
SHEET_B = {
    0: [1, 1, 1, 2, 3, 4, 5, 6],
    1: [1, 1, 2, 2, 3, 4, 5, 6],
    2: [1, 2, 2, 3, 3, 4, 6, 7],
    3: [2, 2, 3, 3, 4, 5, 6, 8],
    4: [3, 3, 4, 4, 5, 6, 7, 8],
    5: [4, 4, 5, 5, 6, 7, 8, 9],
    6: [5, 5, 6, 7, 8, 8, 9, 9],
}
B_COLUMNS = range(0, 8)

# Rows: mouse 0..7; columns: keyboard 0..7.
SHEET_C = {
    0: [1, 1, 1, 2, 3, 4, 5, 6],
    1: [1, 1, 2, 3, 4, 5, 6, 7],
    2: [1, 2, 2, 3, 4, 5, 6, 7],
    3: [2, 3, 3, 3, 5, 6, 7, 8],
    4: [3, 4, 4, 5, 5, 6, 7, 8],
    5: [4, 5, 5, 6, 6, 7, 8, 9],
    6: [5, 6, 6, 7, 7, 8, 8, 9],
    7: [6, 7, 7, 8, 8, 9, 9, 9],
}
C_COLUMNS = range(0, 8)

# Rows: Table C result 1..9; columns: Table B result 1..9.
SHEET_D = {
    1: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    2: [2, 2, 3, 4, 5, 6, 7, 8, 9],
    3: [3, 3, 3, 4, 5, 6, 7, 8, 9],
    4: [4, 4, 4, 4, 5, 6, 7, 8, 9],
    5: [5, 5, 5, 5, 5, 6, 7, 8, 9],
    6: [6, 6, 6, 6, 6, 6, 7, 8, 9],
    7: [7, 7, 7, 7, 7, 7, 7, 8, 9],
    8: [8, 8, 8, 8, 8, 8, 8, 8, 9],
    9: [9, 9, 9, 9, 9, 9, 9, 9, 9],
}
D_COLUMNS = range(1, 10)

# Rows: chair score 1..10; columns: peripherals and monitor 1..10.
SHEET_E = {
    1: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    2: [2, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    3: [3, 3, 3, 4, 5, 6, 7, 8, 9, 10],
    4: [4, 4, 4, 4, 5, 6, 7, 8, 9, 10],
    5: [5, 5, 5, 5, 5, 6, 7, 8, 9, 10],
    6: [6, 6, 6, 6, 6, 6, 7, 8, 9, 10],
    7: [7, 7, 7, 7, 7, 7, 7, 8, 9, 10],
    8: [8, 8, 8, 8, 8, 8, 8, 8, 9, 10],
    9: [9, 9, 9, 9, 9, 9, 9, 9, 9, 10],
    10: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
}
E_COLUMNS = range(1, 11)


def cells(sheet: dict[int, list[int]], columns: range) -> list[tuple[int, int, int]]:
    return [
        (row, column, values[i])
        for row, values in sheet.items()
        for i, column in enumerate(columns)
    ]


def test_transcribed_sheets_have_the_published_shape() -> None:
    assert [len(v) for v in SHEET_A.values()] == [8] * 7
    assert [len(v) for v in SHEET_B.values()] == [8] * 7
    assert [len(v) for v in SHEET_C.values()] == [8] * 8
    assert [len(v) for v in SHEET_D.values()] == [9] * 9
    assert [len(v) for v in SHEET_E.values()] == [10] * 10


# Neutral item scores with no modifiers, default durations 0.
NEUTRAL_ITEMS: dict[str, int] = {
    "seat_height": 1,
    "seat_depth": 1,
    "armrests": 1,
    "back_support": 1,
    "chair_duration": 0,
    "monitor": 1,
    "monitor_duration": 0,
    "phone": 1,
    "phone_duration": 0,
    "mouse": 1,
    "mouse_duration": 0,
    "keyboard": 1,
    "keyboard_duration": 0,
}


def items(**changes: int) -> dict[str, int]:
    return {**NEUTRAL_ITEMS, **changes}


def split_device(total: int, item_max: int) -> tuple[int, int]:
    """An (item score, duration) pair the sheet can produce that sums to ``total``."""
    if total == 0:
        return 1, -1
    if total > item_max:
        return item_max, 1
    return total, 0


# ---------------------------------------------------------------------------
# Tables, cell by cell
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "column", "expected"), cells(SHEET_A, A_COLUMNS))
def test_table_a_cell_matches_sheet(row: int, column: int, expected: int) -> None:
    assert table_a(row, column) == expected


@pytest.mark.parametrize(("row", "column", "expected"), cells(SHEET_A, A_COLUMNS))
def test_score_items_reads_table_a_with_height_plus_depth_as_row(
    row: int, column: int, expected: int
) -> None:
    seat_height = min(5, row - 1)
    armrests = min(5, column - 1)
    result = score_items(
        **items(
            seat_height=seat_height,
            seat_depth=row - seat_height,
            armrests=armrests,
            back_support=column - armrests,
        )
    )
    assert (result.seat_row, result.chair_column) == (row, column)
    assert result.chair_table == expected
    assert result.chair == expected  # chair duration 0


@pytest.mark.parametrize(("row", "column", "expected"), cells(SHEET_B, B_COLUMNS))
def test_table_b_cell_matches_sheet(row: int, column: int, expected: int) -> None:
    assert table_b(row, column) == expected


@pytest.mark.parametrize(("row", "column", "expected"), cells(SHEET_B, B_COLUMNS))
def test_score_items_reads_table_b_with_phone_as_row_and_monitor_as_column(
    row: int, column: int, expected: int
) -> None:
    phone, phone_duration = split_device(row, 5)
    monitor, monitor_duration = split_device(column, 7)
    result = score_items(
        **items(
            phone=phone,
            phone_duration=phone_duration,
            monitor=monitor,
            monitor_duration=monitor_duration,
        )
    )
    assert (result.phone_total, result.monitor_total) == (row, column)
    assert result.monitor_phone == expected


@pytest.mark.parametrize(("row", "column", "expected"), cells(SHEET_C, C_COLUMNS))
def test_table_c_cell_matches_sheet(row: int, column: int, expected: int) -> None:
    assert table_c(row, column) == expected


@pytest.mark.parametrize(("row", "column", "expected"), cells(SHEET_C, C_COLUMNS))
def test_score_items_reads_table_c_with_mouse_as_row_and_keyboard_as_column(
    row: int, column: int, expected: int
) -> None:
    mouse, mouse_duration = split_device(row, 6)
    keyboard, keyboard_duration = split_device(column, 6)
    result = score_items(
        **items(
            mouse=mouse,
            mouse_duration=mouse_duration,
            keyboard=keyboard,
            keyboard_duration=keyboard_duration,
        )
    )
    assert (result.mouse_total, result.keyboard_total) == (row, column)
    assert result.mouse_keyboard == expected


@pytest.mark.parametrize(("row", "column", "expected"), cells(SHEET_D, D_COLUMNS))
def test_table_d_cell_matches_sheet(row: int, column: int, expected: int) -> None:
    assert table_d(row, column) == expected


@pytest.mark.parametrize(("row", "column", "expected"), cells(SHEET_E, E_COLUMNS))
def test_table_e_cell_matches_sheet(row: int, column: int, expected: int) -> None:
    assert table_e(row, column) == expected


@pytest.mark.parametrize(
    ("lookup", "row", "column", "name"),
    [
        (table_a, 1, 2, "seat_row"),
        (table_a, 9, 2, "seat_row"),
        (table_a, 2, 1, "chair_column"),
        (table_a, 2, 10, "chair_column"),
        (table_b, -1, 0, "phone"),
        (table_b, 7, 0, "phone"),
        (table_b, 0, 8, "monitor"),
        (table_c, 8, 0, "mouse"),
        (table_c, 0, -1, "keyboard"),
        (table_d, 0, 1, "mouse_keyboard"),
        (table_d, 1, 10, "monitor_phone"),
        (table_e, 0, 1, "chair"),
        (table_e, 11, 1, "chair"),
        (table_e, 1, 11, "peripherals"),
    ],
)
def test_table_lookup_off_axis_is_rejected_naming_the_axis(
    lookup: Any, row: int, column: int, name: str
) -> None:
    with pytest.raises(ValueError, match=f"^{name}: "):
        lookup(row, column)


def test_table_lookup_rejects_non_integer_axis_values() -> None:
    with pytest.raises(ValueError, match="seat_row"):
        table_a(2.0, 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="phone"):
        table_b(True, 2)


# ---------------------------------------------------------------------------
# Duration modifier
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "minutes", "expected"),
    [
        (0, 0, -1),
        (0.5, 29.9, -1),
        (0.99, 29.99, -1),
        # 1 h/day exactly is the bottom of "1-4 h/day": 0
        (1.0, 0, 0),
        (1.0, 29.0, 0),
        # 30 min continuous exactly is the bottom of "30 min - 1 h": 0
        (0.5, 30.0, 0),
        (0.9, 45.0, 0),
        (2.0, 45.0, 0),
        # 4 h/day exactly is the top of "1-4 h/day": 0
        (4.0, 0, 0),
        (4.0, 60.0, 0),
        # 1 h continuous exactly is the top of "30 min - 1 h": 0
        (2.0, 60.0, 0),
        (4.0001, 0, 1),
        (2.0, 60.01, 1),
        (8.0, 240.0, 1),
        (24.0, 1440.0, 1),
    ],
)
def test_duration_modifier_at_each_boundary(hours: float, minutes: float, expected: int) -> None:
    assert duration_modifier(hours, minutes) == expected


def test_duration_modifier_higher_category_wins_when_criteria_disagree() -> None:
    # 5 h a day in 20-minute bouts: total says +1, bouts say -1 -> +1
    assert duration_modifier(5.0, 20.0) == 1
    # 3 h a day including one 90-minute stretch: total says 0, bout says +1 -> +1
    assert duration_modifier(3.0, 90.0) == 1
    # 0.8 h a day in one 45-minute stretch: total says -1, bout says 0 -> 0
    assert duration_modifier(0.8, 45.0) == 0


@pytest.mark.parametrize(
    ("hours", "minutes", "field"),
    [
        (-0.1, 0, "hours_per_day"),
        (math.nan, 0, "hours_per_day"),
        (math.inf, 0, "hours_per_day"),
        (24.5, 0, "hours_per_day"),
        (1.0, -1, "longest_continuous_minutes"),
        (1.0, math.nan, "longest_continuous_minutes"),
        (1.0, 61.0, "longest_continuous_minutes"),  # bout longer than the day's use
        (0, 5.0, "longest_continuous_minutes"),
        (True, 0, "hours_per_day"),
        ("2", 0, "hours_per_day"),
    ],
)
def test_duration_modifier_rejects_impossible_use(hours: Any, minutes: Any, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}: "):
        duration_modifier(hours, minutes)


# ---------------------------------------------------------------------------
# Observed inputs
# ---------------------------------------------------------------------------

USE_ZERO = {"hours": 2.0, "minutes": 45.0}  # duration 0
DEVICES = ("chair", "monitor", "phone", "mouse", "keyboard")


def observed(**changes: Any) -> RosaInput:
    """A neutral workstation, every device used 2 h a day, 45 min at a time."""
    values: dict[str, Any] = {
        "seat_height": SeatHeight.KNEES_90,
        "seat_depth": SeatDepth.OK,
        "armrests": Armrests.SUPPORTED,
        "back_support": BackSupport.ADEQUATE,
        "monitor": Monitor.EYE_LEVEL,
        "phone": Phone.NEUTRAL,
        "mouse": Mouse.IN_LINE,
        "keyboard": Keyboard.NEUTRAL,
    }
    for device in DEVICES:
        values[f"{device}_hours_per_day"] = USE_ZERO["hours"]
        values[f"{device}_longest_continuous_minutes"] = USE_ZERO["minutes"]
    values.update(changes)
    return RosaInput(**values)


def test_handout_example_seat_too_high_and_non_adjustable_gives_seat_height_3() -> None:
    """Sonne's handout: chair too high (2) + non-adjustable (+1) -> seat height score 3."""
    assert SeatHeight.TOO_HIGH.score == 2
    out = score(observed(seat_height=SeatHeight.TOO_HIGH, seat_height_non_adjustable=True))
    # seat depth is neutral (1), so the Table A row is 3 + 1
    assert out.result.seat_row == 4
    assert "seat height 3 + seat depth 1 = row 4" in out.result.reasons[0]
    assert [(f.code, f.points) for f in out.findings] == [
        ("seat_height.too_high", 1),
        ("seat_height.non_adjustable", 1),
    ]
    # Table A row 4, column 2 = 3; chair duration 0 -> chair 3 -> final 3
    assert (out.result.chair_table, out.result.chair, out.result.final) == (3, 3, 3)


def test_worked_example_well_set_up_workstation_long_day() -> None:
    """Neutral options everywhere; only durations differ.

    chair 7 h/day, 120 min  -> +1;  monitor 7 h, 120 min -> +1;  phone 0.5 h, 5 min -> -1;
    mouse 5 h, 60 min -> +1 (more than 4 h/day);  keyboard 3 h, 45 min -> 0.
    Table A: row 1+1 = 2, column 1+1 = 2 -> 2; chair = 2 + 1 = 3.
    Table B: phone 1-1 = 0 (row), monitor 1+1 = 2 (column) -> 1.
    Table C: mouse 1+1 = 2 (row), keyboard 1+0 = 1 (column) -> 2.
    Table D: (2, 1) -> 2.  Table E: (3, 2) -> 3.  3 < 5: no action.
    """
    inp = observed(
        chair_hours_per_day=7,
        chair_longest_continuous_minutes=120,
        monitor_hours_per_day=7,
        monitor_longest_continuous_minutes=120,
        phone_hours_per_day=0.5,
        phone_longest_continuous_minutes=5,
        mouse_hours_per_day=5,
        mouse_longest_continuous_minutes=60,
        keyboard_hours_per_day=3,
        keyboard_longest_continuous_minutes=45,
    )
    r = score(inp).result
    assert (r.seat_row, r.chair_column, r.chair_table, r.chair_duration, r.chair) == (
        2,
        2,
        2,
        1,
        3,
    )
    assert (r.phone_total, r.monitor_total, r.monitor_phone) == (0, 2, 1)
    assert (r.mouse_total, r.keyboard_total, r.mouse_keyboard) == (2, 1, 2)
    assert (r.peripherals, r.final, r.action_required) == (2, 3, False)
    assert [f.code for f in score(inp).findings] == [
        "duration.chair",
        "duration.monitor",
        "duration.mouse",
    ]


POOR_WORKSTATION = {
    "seat_height": SeatHeight.TOO_HIGH,
    "seat_height_non_adjustable": True,
    "seat_depth": SeatDepth.TOO_LONG,
    "armrests": Armrests.TOO_LOW_OR_NONE,
    "armrests_hard_or_damaged": True,
    "back_support": BackSupport.NO_LUMBAR,
    "back_non_adjustable": True,
    "chair_hours_per_day": 8,
    "chair_longest_continuous_minutes": 150,
    "monitor": Monitor.TOO_LOW,
    "monitor_no_document_holder": True,
    "monitor_hours_per_day": 7,
    "monitor_longest_continuous_minutes": 120,
    "phone": Phone.NEUTRAL,
    "phone_no_hands_free": True,
    "phone_hours_per_day": 2,
    "phone_longest_continuous_minutes": 10,
    "mouse": Mouse.REACHING,
    "mouse_different_surface": True,
    "mouse_hours_per_day": 6,
    "mouse_longest_continuous_minutes": 90,
    "keyboard": Keyboard.WRISTS_EXTENDED,
    "keyboard_platform_non_adjustable": True,
    "keyboard_hours_per_day": 6,
    "keyboard_longest_continuous_minutes": 90,
}


def test_worked_example_poor_workstation_reaches_action_level() -> None:
    """Seat height 2+1 = 3, depth 2 -> row 5; armrests 2+1 = 3, back 2+1 = 3 -> column 6.

    Table A (5, 6) = 5; chair 8 h -> +1; chair = 6.
    Monitor 2+1 = 3, 7 h -> +1 -> 4 (column); phone 1+1 = 2, 2 h/10 min -> 0 -> 2 (row);
    Table B (2, 4) = 3.
    Mouse 2+2 = 4, 6 h -> +1 -> 5 (row); keyboard 2+1 = 3, +1 -> 4 (column);
    Table C (5, 4) = 6.
    Table D (6, 3) = 6.  Table E (6, 6) = 6 >= 5: action required.
    """
    out = score(observed(**POOR_WORKSTATION))
    r = out.result
    assert (r.seat_row, r.chair_column, r.chair_table, r.chair) == (5, 6, 5, 6)
    assert (r.phone_total, r.monitor_total, r.monitor_phone) == (2, 4, 3)
    assert (r.mouse_total, r.keyboard_total, r.mouse_keyboard) == (5, 4, 6)
    assert (r.peripherals, r.final, r.action_required) == (6, 6, True)
    assert out.notes == ()
    by_items = score_items(
        seat_height=3,
        seat_depth=2,
        armrests=3,
        back_support=3,
        chair_duration=1,
        monitor=3,
        monitor_duration=1,
        phone=2,
        phone_duration=0,
        mouse=4,
        mouse_duration=1,
        keyboard=3,
        keyboard_duration=1,
    )
    assert by_items == r


def test_worked_example_final_exactly_at_action_level_requires_action() -> None:
    """No foot contact 3 + leg space 1 = 4, seat too short 2 -> row 6; column 1+1 = 2.

    Table A (6, 2) = 5; chair 2 h/45 min -> 0 -> chair 5.  Every device used 0.5 h a day,
    20 min at a time -> -1: monitor 0, phone 0 -> Table B 1; mouse 0, keyboard 0 ->
    Table C 1; Table D 1.  Table E (5, 1) = 5 -> action required (final >= 5).
    With the chair used 0.5 h a day too, chair = 4 and final = 4: no action.
    """
    low_use: dict[str, Any] = {}
    for device in ("monitor", "phone", "mouse", "keyboard"):
        low_use[f"{device}_hours_per_day"] = 0.5
        low_use[f"{device}_longest_continuous_minutes"] = 20
    chair = {
        "seat_height": SeatHeight.NO_FOOT_CONTACT,
        "seat_leg_space_insufficient": True,
        "seat_depth": SeatDepth.TOO_SHORT,
    }
    r = score(observed(**chair, **low_use)).result
    assert (r.seat_row, r.chair_column, r.chair_table, r.chair) == (6, 2, 5, 5)
    assert (r.monitor_phone, r.mouse_keyboard, r.peripherals) == (1, 1, 1)
    assert r.final == 5 == ACTION_LEVEL
    assert r.action_required is True

    short_chair = observed(
        **chair,
        **low_use,
        chair_hours_per_day=0.5,
        chair_longest_continuous_minutes=20,
    )
    r = score(short_chair).result
    assert (r.chair, r.final, r.action_required) == (4, 4, False)
    assert "below the action level of 5" in r.reasons[-1]


def capped_monitor(**changes: Any) -> RosaInput:
    values: dict[str, Any] = {
        "monitor": Monitor.TOO_HIGH,
        "monitor_neck_twist": True,
        "monitor_glare": True,
        "monitor_no_document_holder": True,
        "monitor_too_far": True,
        "monitor_hours_per_day": 6,
        "monitor_longest_continuous_minutes": 90,
        "phone_neck_shoulder": True,
        "phone_no_hands_free": True,
        "chair_hours_per_day": 3,
        "chair_longest_continuous_minutes": 40,
    }
    values.update(changes)
    return observed(**values)


def test_worked_example_monitor_above_table_b_is_capped_at_7_with_a_note() -> None:
    """Monitor too high 3 + neck twist, glare, no holder, too far (+4) = 7; 6 h -> +1 -> 8.

    8 is past Table B's last column, so it is capped at 7.  Phone 1 + 2 + 1 = 4, 2 h -> 0.
    Table B (4, 7) = 8.  Chair neutral: Table A (2, 2) = 2, 3 h/40 min -> 0 -> 2.
    Mouse 1, keyboard 1 -> Table C 1.  Table D (1, 8) = 8.  Table E (2, 8) = 8.
    """
    out = score(capped_monitor())
    r = out.result
    assert (r.monitor_total, r.phone_total, r.monitor_phone) == (7, 4, 8)
    assert (r.chair, r.mouse_keyboard, r.peripherals, r.final) == (2, 1, 8, 8)
    assert len(out.notes) == 1
    assert "capped at 7" in out.notes[0]
    assert "Monitor score 8" in out.notes[0]
    assert "capped at 7" in r.reasons[2]
    # the too-far observation is still reported
    assert ("monitor.too_far", 1) in [(f.code, f.points) for f in out.findings]


def test_monitor_sum_of_exactly_7_is_not_capped() -> None:
    out = score(capped_monitor(monitor_hours_per_day=2, monitor_longest_continuous_minutes=45))
    assert out.result.monitor_total == 7
    assert out.notes == ()


def test_monitor_too_far_counts_with_any_base_option() -> None:
    for base in Monitor:
        plain = score(observed(monitor=base)).result.monitor_total
        far = score(observed(monitor=base, monitor_too_far=True)).result.monitor_total
        assert far == plain + 1


def test_score_items_rejects_the_monitor_sum_that_score_caps() -> None:
    with pytest.raises(ValueError, match=r"^monitor: .*gives 8.*0–7"):
        score_items(**items(monitor=7, monitor_duration=1))


def test_phone_not_used_scores_zero_row_and_says_so() -> None:
    out = score(observed(phone_hours_per_day=0, phone_longest_continuous_minutes=0))
    assert out.result.phone_total == 0
    assert any("Telephone not used" in note for note in out.notes)
    assert not any(f.code == "duration.phone" for f in out.findings)


# ---------------------------------------------------------------------------
# score_items strictness
# ---------------------------------------------------------------------------

ITEM_RANGES = {
    "seat_height": (1, 5),
    "seat_depth": (1, 3),
    "armrests": (1, 5),
    "back_support": (1, 4),
    "monitor": (1, 7),
    "phone": (1, 5),
    "mouse": (1, 6),
    "keyboard": (1, 6),
}


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        (name, value, f"{low}–{high}")
        for name, (low, high) in ITEM_RANGES.items()
        for value in (low - 1, high + 1)
    ],
)
def test_score_items_rejects_item_scores_the_sheet_cannot_produce(
    name: str, value: int, allowed: str
) -> None:
    with pytest.raises(ValueError, match=f"^{name}: .*{allowed}"):
        score_items(**items(**{name: value}))


@pytest.mark.parametrize(
    "name",
    ["chair_duration", "monitor_duration", "phone_duration", "mouse_duration", "keyboard_duration"],
)
@pytest.mark.parametrize("value", [-2, 2])
def test_score_items_rejects_durations_other_than_minus_one_zero_plus_one(
    name: str, value: int
) -> None:
    with pytest.raises(ValueError, match=f"^{name}: .*-1, 0 or \\+1"):
        score_items(**items(**{name: value}))


@pytest.mark.parametrize("bad", [2.0, True, "2", None])
def test_score_items_rejects_non_integer_item_scores(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"^armrests: "):
        score_items(**items(armrests=bad))


def test_score_items_accepts_the_extremes_of_every_axis() -> None:
    top = score_items(
        seat_height=5,
        seat_depth=3,
        armrests=5,
        back_support=4,
        chair_duration=1,
        monitor=6,
        monitor_duration=1,
        phone=5,
        phone_duration=1,
        mouse=6,
        mouse_duration=1,
        keyboard=6,
        keyboard_duration=1,
    )
    # Table A (8, 9) = 9 + 1 = 10; B (6, 7) = 9; C (7, 7) = 9; D 9; E (10, 9) = 10
    assert (top.chair, top.monitor_phone, top.mouse_keyboard, top.peripherals, top.final) == (
        10,
        9,
        9,
        9,
        10,
    )
    bottom = score_items(
        **{k: (-1 if k.endswith("_duration") else 1) for k in NEUTRAL_ITEMS},
    )
    # Table A (2, 2) = 2 - 1 = 1; B (0, 0) = 1; C (0, 0) = 1; D 1; E (1, 1) = 1
    assert (bottom.chair, bottom.peripherals, bottom.final, bottom.action_required) == (
        1,
        1,
        1,
        False,
    )


# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------

MODIFIER_CODES: dict[str, tuple[str, int]] = {
    "seat_leg_space_insufficient": ("seat_height.leg_space", 1),
    "seat_height_non_adjustable": ("seat_height.non_adjustable", 1),
    "seat_depth_non_adjustable": ("seat_depth.non_adjustable", 1),
    "armrests_hard_or_damaged": ("armrests.hard_or_damaged", 1),
    "armrests_too_wide": ("armrests.too_wide", 1),
    "armrests_non_adjustable": ("armrests.non_adjustable", 1),
    "back_work_surface_too_high": ("back_support.work_surface_too_high", 1),
    "back_non_adjustable": ("back_support.non_adjustable", 1),
    "monitor_neck_twist": ("monitor.neck_twist", 1),
    "monitor_glare": ("monitor.glare", 1),
    "monitor_no_document_holder": ("monitor.no_document_holder", 1),
    "monitor_too_far": ("monitor.too_far", 1),
    "phone_neck_shoulder": ("phone.neck_shoulder", 2),
    "phone_no_hands_free": ("phone.no_hands_free", 1),
    "mouse_different_surface": ("mouse.different_surface", 2),
    "mouse_pinch_grip": ("mouse.pinch_grip", 1),
    "mouse_palm_rest": ("mouse.palm_rest", 1),
    "keyboard_wrists_deviated": ("keyboard.wrists_deviated", 1),
    "keyboard_too_high": ("keyboard.too_high", 1),
    "keyboard_overhead_reach": ("keyboard.overhead_reach", 1),
    "keyboard_platform_non_adjustable": ("keyboard.platform_non_adjustable", 1),
}

BASE_CODES: list[tuple[str, Any, str, int]] = [
    ("seat_height", SeatHeight.TOO_LOW, "seat_height.too_low", 1),
    ("seat_height", SeatHeight.TOO_HIGH, "seat_height.too_high", 1),
    ("seat_height", SeatHeight.NO_FOOT_CONTACT, "seat_height.no_foot_contact", 2),
    ("seat_depth", SeatDepth.TOO_LONG, "seat_depth.too_long", 1),
    ("seat_depth", SeatDepth.TOO_SHORT, "seat_depth.too_short", 1),
    ("armrests", Armrests.TOO_HIGH, "armrests.too_high", 1),
    ("armrests", Armrests.TOO_LOW_OR_NONE, "armrests.too_low_or_none", 1),
    ("back_support", BackSupport.NO_LUMBAR, "back_support.no_lumbar", 1),
    ("back_support", BackSupport.RECLINE_OUT_OF_RANGE, "back_support.recline_out_of_range", 1),
    ("back_support", BackSupport.NONE_OR_LEANING, "back_support.none_or_leaning", 1),
    ("monitor", Monitor.TOO_LOW, "monitor.too_low", 1),
    ("monitor", Monitor.TOO_HIGH, "monitor.too_high", 2),
    ("phone", Phone.TOO_FAR, "phone.too_far", 1),
    ("mouse", Mouse.REACHING, "mouse.reaching", 1),
    ("keyboard", Keyboard.WRISTS_EXTENDED, "keyboard.wrists_extended", 1),
]

SECTION_OF = {
    "seat_height": "chair",
    "seat_depth": "chair",
    "armrests": "chair",
    "back_support": "chair",
    "monitor": "monitor_phone",
    "phone": "monitor_phone",
    "mouse": "mouse_keyboard",
    "keyboard": "mouse_keyboard",
    "duration.chair": "chair",
    "duration.monitor": "monitor_phone",
    "duration.phone": "monitor_phone",
    "duration.mouse": "mouse_keyboard",
    "duration.keyboard": "mouse_keyboard",
}


def section_of(code: str) -> str:
    if code in SECTION_OF:
        return SECTION_OF[code]
    return SECTION_OF[code.split(".")[0]]


def test_finding_codes_are_exactly_the_documented_set() -> None:
    expected = (
        {code for code, _ in MODIFIER_CODES.values()}
        | {code for _, _, code, _ in BASE_CODES}
        | {f"duration.{device}" for device in DEVICES}
    )
    assert len(expected) == 41
    assert expected == FINDING_CODES


def test_neutral_workstation_has_no_findings() -> None:
    out = score(observed())
    assert out.findings == ()
    assert out.notes == ()
    assert out.result.final == 2  # Table A (2, 2) = 2; everything else 1


def test_base_option_scores_match_the_sheet() -> None:
    assert [m.score for m in SeatHeight] == [1, 2, 2, 3]
    assert [m.score for m in SeatDepth] == [1, 2, 2]
    assert [m.score for m in Armrests] == [1, 2, 2]
    assert [m.score for m in BackSupport] == [1, 2, 2, 2]
    assert [m.score for m in Monitor] == [1, 2, 3]
    assert [m.score for m in Phone] == [1, 2]
    assert [m.score for m in Mouse] == [1, 2]
    assert [m.score for m in Keyboard] == [1, 2]


def test_enum_values_are_the_interchange_strings() -> None:
    assert [m.value for m in SeatHeight] == ["knees_90", "too_low", "too_high", "no_foot_contact"]
    assert [m.value for m in SeatDepth] == ["ok", "too_long", "too_short"]
    assert [m.value for m in Armrests] == ["supported", "too_high", "too_low_or_none"]
    assert [m.value for m in BackSupport] == [
        "adequate",
        "no_lumbar",
        "recline_out_of_range",
        "none_or_leaning",
    ]
    assert [m.value for m in Monitor] == ["eye_level", "too_low", "too_high"]
    assert [m.value for m in Phone] == ["neutral", "too_far"]
    assert [m.value for m in Mouse] == ["in_line", "reaching"]
    assert [m.value for m in Keyboard] == ["neutral", "wrists_extended"]


@pytest.mark.parametrize(("field", "code_points"), list(MODIFIER_CODES.items()))
def test_each_modifier_gives_one_finding_with_its_points(
    field: str, code_points: tuple[str, int]
) -> None:
    code, points = code_points
    out = score(observed(**{field: True}))
    assert len(out.findings) == 1
    finding = out.findings[0]
    assert (finding.code, finding.points) == (code, points)
    assert finding.section == section_of(code)
    assert finding.text and finding.text[0].isupper()


@pytest.mark.parametrize(("field", "option", "code", "points"), BASE_CODES)
def test_each_non_neutral_base_option_gives_one_finding(
    field: str, option: Any, code: str, points: int
) -> None:
    out = score(observed(**{field: option}))
    assert [(f.code, f.points, f.section) for f in out.findings] == [
        (code, points, section_of(code))
    ]
    assert points == option.score - 1


def test_seat_too_high_finding_text_is_plain_english() -> None:
    out = score(observed(seat_height=SeatHeight.TOO_HIGH))
    assert out.findings[0].text == "Seat too high: knee angle above 90°"


@pytest.mark.parametrize("device", DEVICES)
def test_duration_plus_one_gives_a_finding_naming_the_criterion(device: str) -> None:
    out = score(
        observed(
            **{f"{device}_hours_per_day": 5, f"{device}_longest_continuous_minutes": 20},
        )
    )
    assert [(f.code, f.points) for f in out.findings] == [(f"duration.{device}", 1)]
    assert out.findings[0].section == section_of(f"duration.{device}")
    assert "5 h a day" in out.findings[0].text
    assert "more than 4 h a day" in out.findings[0].text
    assert "at a time" not in out.findings[0].text


@pytest.mark.parametrize("device", DEVICES)
def test_duration_zero_or_minus_one_gives_no_finding(device: str) -> None:
    for hours, minutes in ((2, 45), (0.5, 10)):
        out = score(
            observed(
                **{
                    f"{device}_hours_per_day": hours,
                    f"{device}_longest_continuous_minutes": minutes,
                }
            )
        )
        assert out.findings == ()


def test_findings_account_for_every_point_of_the_poor_workstation() -> None:
    out = score(observed(**POOR_WORKSTATION))
    points: dict[str, int] = {}
    for f in out.findings:
        assert f.code in FINDING_CODES
        key = f.code if f.code.startswith("duration.") else f.code.split(".")[0]
        points[key] = points.get(key, 0) + f.points
    r = out.result
    # rows/columns are neutral (1 per item) plus the findings' points
    assert r.seat_row == 2 + points["seat_height"] + points.get("seat_depth", 0)
    assert r.chair_column == 2 + points["armrests"] + points["back_support"]
    assert r.chair == r.chair_table + points["duration.chair"]
    assert r.monitor_total == 1 + points["monitor"] + points["duration.monitor"]
    assert r.phone_total == 1 + points["phone"]  # 2 h a day, 10 min: duration 0
    assert r.mouse_total == 1 + points["mouse"] + points["duration.mouse"]
    assert r.keyboard_total == 1 + points["keyboard"] + points["duration.keyboard"]


# ---------------------------------------------------------------------------
# RosaInput validation
# ---------------------------------------------------------------------------


def test_rosa_input_accepts_interchange_strings_for_options() -> None:
    inp = observed(seat_height="too_high", monitor="too_high")
    assert inp.seat_height is SeatHeight.TOO_HIGH
    assert inp.monitor is Monitor.TOO_HIGH
    assert score(inp).result.monitor_total == 3


def test_rosa_input_rejects_unknown_option_listing_allowed_values() -> None:
    with pytest.raises(ValueError, match=r"^seat_depth: 'deep' is not one of ok, too_long"):
        observed(seat_depth="deep")


def test_rosa_input_rejects_non_boolean_modifier() -> None:
    with pytest.raises(ValueError, match=r"^monitor_glare: expected true or false"):
        observed(monitor_glare=1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mouse_hours_per_day": -1}, "mouse_hours_per_day"),
        ({"mouse_hours_per_day": 25}, "mouse_hours_per_day"),
        ({"chair_hours_per_day": math.nan}, "chair_hours_per_day"),
        ({"keyboard_longest_continuous_minutes": 200}, "keyboard_longest_continuous_minutes"),
        (
            {"phone_hours_per_day": 0, "phone_longest_continuous_minutes": 5},
            "phone_longest_continuous_minutes",
        ),
    ],
)
def test_rosa_input_rejects_impossible_use_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValueError, match=f"^{field}: "):
        observed(**changes)


def test_rosa_input_is_frozen() -> None:
    inp = observed()
    with pytest.raises(dataclasses.FrozenInstanceError):
        inp.monitor_glare = True  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

BOOL_FIELDS = tuple(MODIFIER_CODES)
ENUM_FIELDS: dict[str, Any] = {
    "seat_height": SeatHeight,
    "seat_depth": SeatDepth,
    "armrests": Armrests,
    "back_support": BackSupport,
    "monitor": Monitor,
    "phone": Phone,
    "mouse": Mouse,
    "keyboard": Keyboard,
}
BOUNDARY_HOURS = [0.0, 0.5, 0.99, 1.0, 2.0, 4.0, 4.01, 6.0, 9.0]
BOUNDARY_MINUTES = [0.0, 29.9, 30.0, 45.0, 60.0, 60.01, 120.0]


@st.composite
def daily_use(draw: st.DrawFn) -> tuple[float, float]:
    hours = draw(st.sampled_from(BOUNDARY_HOURS) | st.floats(0, 12))
    limit = hours * 60
    minutes = draw(
        st.sampled_from([m for m in BOUNDARY_MINUTES if m <= limit]) | st.floats(0, limit)
    )
    return hours, minutes


@st.composite
def rosa_inputs(draw: st.DrawFn) -> RosaInput:
    values: dict[str, Any] = {
        name: draw(st.sampled_from(list(e))) for name, e in ENUM_FIELDS.items()
    }
    values.update({name: draw(st.booleans()) for name in BOOL_FIELDS})
    for device in DEVICES:
        hours, minutes = draw(daily_use())
        values[f"{device}_hours_per_day"] = hours
        values[f"{device}_longest_continuous_minutes"] = minutes
    return RosaInput(**values)


@st.composite
def worsened(draw: st.DrawFn, inp: RosaInput) -> RosaInput:
    """The same workstation with one observation made worse."""
    kind = draw(st.sampled_from(["modifier", "option", "hours", "minutes"]))
    if kind == "modifier":
        name = draw(st.sampled_from(BOOL_FIELDS))
        flag: dict[str, Any] = {name: True}
        return dataclasses.replace(inp, **flag)
    if kind == "option":
        name = draw(st.sampled_from(list(ENUM_FIELDS)))
        current = getattr(inp, name)
        worse = [m for m in ENUM_FIELDS[name] if m.score >= current.score]
        option: dict[str, Any] = {name: draw(st.sampled_from(worse))}
        return dataclasses.replace(inp, **option)
    device = draw(st.sampled_from(DEVICES))
    hours = getattr(inp, f"{device}_hours_per_day")
    minutes = getattr(inp, f"{device}_longest_continuous_minutes")
    if kind == "hours":
        change: dict[str, Any] = {f"{device}_hours_per_day": draw(st.floats(hours, 24))}
    else:
        change = {f"{device}_longest_continuous_minutes": draw(st.floats(minutes, hours * 60))}
    return dataclasses.replace(inp, **change)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_property_final_score_never_falls_when_an_observation_gets_worse(
    data: st.DataObject,
) -> None:
    before = data.draw(rosa_inputs())
    after = data.draw(worsened(before))
    a, b = score(before).result, score(after).result
    assert b.chair >= a.chair
    assert b.monitor_phone >= a.monitor_phone
    assert b.mouse_keyboard >= a.mouse_keyboard
    assert b.peripherals >= a.peripherals
    assert b.final >= a.final


def check_findings_explain_totals(out: RosaScore, inp: RosaInput) -> None:
    points: dict[str, int] = {}
    for f in out.findings:
        assert f.code in FINDING_CODES
        assert f.section == section_of(f.code)
        assert f.points > 0
        key = f.code if f.code.startswith("duration.") else f.code.split(".")[0]
        points[key] = points.get(key, 0) + f.points

    def duration(device: str) -> int:
        return duration_modifier(
            getattr(inp, f"{device}_hours_per_day"),
            getattr(inp, f"{device}_longest_continuous_minutes"),
        )

    r = out.result
    assert r.seat_row == 2 + points.get("seat_height", 0) + points.get("seat_depth", 0)
    assert r.chair_column == 2 + points.get("armrests", 0) + points.get("back_support", 0)
    assert r.chair == r.chair_table + duration("chair")
    monitor = 1 + points.get("monitor", 0) + duration("monitor")
    assert r.monitor_total == min(monitor, 7)
    assert (monitor > 7) == any("capped at 7" in note for note in out.notes)
    assert r.phone_total == 1 + points.get("phone", 0) + duration("phone")
    assert r.mouse_total == 1 + points.get("mouse", 0) + duration("mouse")
    assert r.keyboard_total == 1 + points.get("keyboard", 0) + duration("keyboard")


@settings(max_examples=100, deadline=None)
@given(inp=rosa_inputs())
def test_property_findings_account_for_every_point(inp: RosaInput) -> None:
    out = score(inp)
    check_findings_explain_totals(out, inp)
    assert out.result.action_required == (out.result.final >= 5)
    assert 1 <= out.result.final <= 10
