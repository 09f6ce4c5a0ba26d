"""The migration to the pain-pattern screen and red-flag answers maps every stored answer."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

migration = importlib.import_module(
    "assessments.records.migrations.0006_pain_pattern_screen_red_flag_answers"
)


class _Row(SimpleNamespace):
    saved: list[str]

    def save(self, update_fields: list[str]) -> None:
        self.saved = update_fields


def _run(**values: Any) -> _Row:
    row = _Row(
        pain_eases_with_movement=False,
        pain_returns_after_rest=False,
        night_pain_eases_on_rising=False,
        **dict.fromkeys(migration.REPLACED, False),
        **dict.fromkeys(migration.RED_FLAGS, False),
        **{f"{field}_answer": "not_asked" for field in migration.RED_FLAGS},
    )
    for name, value in values.items():
        setattr(row, name, value)
    rows = {"WorkerSection": [row], "HistoricalWorkerSection": []}

    class _Apps:
        def get_model(self, app: str, name: str) -> Any:
            assert app == "records"
            return SimpleNamespace(
                objects=SimpleNamespace(
                    all=lambda: SimpleNamespace(iterator=lambda: iter(rows[name]))
                )
            )

    migration.map_answers(_Apps(), None)
    return row


def test_a_ticked_red_flag_becomes_yes_and_an_unticked_one_not_asked() -> None:
    row = _run(rf_fever=True)
    assert row.rf_fever_answer == "yes"
    # An unticked box could have meant "no" or "never asked": it is "not asked".
    assert row.rf_night_pain_answer == "not_asked"
    assert "rf_fever_answer" in row.saved


def test_the_replaced_pattern_questions_fold_into_the_pain_pattern_screen() -> None:
    row = _run(
        asas_improves_with_exercise=True,
        asas_no_improvement_with_rest=True,
        ng65_waking_second_half_night=True,
    )
    assert row.pain_eases_with_movement and row.pain_returns_after_rest
    assert row.night_pain_eases_on_rising
    untouched = _run()
    assert not untouched.pain_eases_with_movement and not untouched.night_pain_eases_on_rising
