"""Recommendations: the catalogue, each rule firing on its finding (and not otherwise), the
lifting what-ifs against direct NIOSH evaluations, ranking, deduplication, no back belts."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from assessments.scoring import niosh, rosa, sitting, worker
from assessments.scoring.assessment import AssessmentInput, assess
from assessments.scoring.interchange import parse_input
from assessments.scoring.recommendations import (
    BACK_BELT_NOTE,
    CATALOGUE,
    ROSA_FINDING_RECOMMENDATIONS,
    WEAK_THRESHOLDS,
    Category,
    CostBand,
    Priority,
    Recommendation,
    format_li,
    recommend,
)

# --- builders -------------------------------------------------------------------------------


def task(**overrides: Any) -> niosh.LiftingTask:
    """An ideal metric lift (every multiplier 1.0, RWL 23 kg) unless overridden."""
    values: dict[str, Any] = {
        "label": "Pallet to shelf",
        "load": 10.0,
        "h_origin": 25.0,
        "v_origin": 75.0,
        "h_dest": 25.0,
        "v_dest": 75.0,
        "asymmetry_origin": 0.0,
        "asymmetry_dest": 0.0,
        "frequency": 0.2,
        "duration": niosh.Duration.SHORT,
        "coupling": niosh.Coupling.GOOD,
        "significant_control": False,
        "units": niosh.Units.METRIC,
    }
    values.update(overrides)
    return niosh.LiftingTask(**values)


def workstation(**overrides: Any) -> rosa.RosaInput:
    """A neutral workstation (no finding) unless overridden."""
    values: dict[str, Any] = {
        "seat_height": rosa.SeatHeight.KNEES_90,
        "seat_depth": rosa.SeatDepth.OK,
        "armrests": rosa.Armrests.SUPPORTED,
        "back_support": rosa.BackSupport.ADEQUATE,
        "chair_hours_per_day": 2.0,
        "chair_longest_continuous_minutes": 30.0,
        "monitor": rosa.Monitor.EYE_LEVEL,
        "monitor_hours_per_day": 2.0,
        "monitor_longest_continuous_minutes": 30.0,
        "phone": rosa.Phone.NEUTRAL,
        "phone_hours_per_day": 0.5,
        "phone_longest_continuous_minutes": 10.0,
        "mouse": rosa.Mouse.IN_LINE,
        "mouse_hours_per_day": 2.0,
        "mouse_longest_continuous_minutes": 30.0,
        "keyboard": rosa.Keyboard.NEUTRAL,
        "keyboard_hours_per_day": 2.0,
        "keyboard_longest_continuous_minutes": 30.0,
    }
    values.update(overrides)
    return rosa.RosaInput(**values)


def day(**overrides: Any) -> sitting.SittingInput:
    """4 h sitting in an 8 h day, 4 h standing and walking, active: no sitting finding."""
    values: dict[str, Any] = {
        "hours_worked_per_day": 8.0,
        "pct_sitting": 50.0,
        "pct_standing": 30.0,
        "pct_walking": 20.0,
        "pct_heavy": 0.0,
        "longest_sitting_bout_minutes": 45.0,
        "sit_stand_desk_available": False,
        "sit_stand_desk_used": False,
        "moderate_minutes_per_week": 150.0,
        "vigorous_minutes_per_week": 0.0,
        "strengthening_days_per_week": 2,
    }
    values.update(overrides)
    return sitting.SittingInput(**values)


def person(**overrides: Any) -> worker.WorkerInput:
    """A 40-year-old with BMI 22.9, no pain history and no flags unless overridden."""
    values: dict[str, Any] = {
        "age_years": 40,
        "current_pain": False,
        "episodes_last_12_months": 0,
        "height_cm": 175.0,
        "weight_kg": 70.0,
    }
    for name, value in overrides.items():
        if name in worker.RED_FLAG_FIELDS and isinstance(value, bool):
            value = worker.Answer.YES if value else worker.Answer.NO
        values[name] = value
    return worker.WorkerInput(**values)


def lifting_recs(*tasks: niosh.LiftingTask) -> tuple[Recommendation, ...]:
    return recommend(lifting=niosh.evaluate_job(tasks))


def codes(recs: tuple[Recommendation, ...]) -> list[str]:
    return [r.code for r in recs]


def only(recs: tuple[Recommendation, ...], code: str) -> Recommendation:
    found = [r for r in recs if r.code == code]
    assert len(found) == 1, (code, codes(recs))
    return found[0]


# --- catalogue --------------------------------------------------------------------------------

REQUIRED_CODES = {
    "workstation.sit_stand_desk",
    "workstation.chair_adjust_or_replace",
    "workstation.monitor_phone",
    "workstation.mouse_keyboard",
    "sitting.break_up_sitting",
    "sitting.walking_meetings",
    "lifting.reduce_h",
    "lifting.vertical_to_75",
    "lifting.reduce_travel",
    "lifting.remove_twisting",
    "lifting.reduce_frequency",
    "lifting.improve_coupling",
    "lifting.reduce_load",
    "lifting.mechanical_assist",
    "lifting.job_rotation",
    "activity.physical_activity",
    "individual.core_programme",
    "individual.weight_management",
    "psychosocial.workload_support_review",
    "psychosocial.eap_cbt",
    "clinical.emergency_cauda_equina",
    "clinical.urgent_review",
    "clinical.inflammatory_referral",
}


def test_enum_values_are_the_stored_values() -> None:
    assert [c.value for c in Category] == [
        "eliminate",
        "engineering",
        "administrative",
        "individual",
        "clinical",
    ]
    assert [c.value for c in CostBand] == ["none", "low", "medium", "high"]
    assert {p.name: int(p) for p in Priority} == {"URGENT": 1, "HIGH": 2, "MEDIUM": 3, "LOW": 4}


def test_catalogue_has_every_required_code_with_stable_dotted_codes() -> None:
    assert set(CATALOGUE) >= REQUIRED_CODES
    for code, entry in CATALOGUE.items():
        assert entry.code == code
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", code), code
        assert entry.title and entry.action and entry.evidence
        assert isinstance(entry.category, Category)
        assert isinstance(entry.priority, Priority)
        assert isinstance(entry.cost_band, CostBand)


def test_catalogue_places_controls_on_the_hierarchy() -> None:
    assert CATALOGUE["lifting.mechanical_assist"].category is Category.ELIMINATE
    assert CATALOGUE["lifting.reduce_h"].category is Category.ENGINEERING
    assert CATALOGUE["workstation.sit_stand_desk"].category is Category.ENGINEERING
    assert CATALOGUE["lifting.job_rotation"].category is Category.ADMINISTRATIVE
    assert CATALOGUE["activity.physical_activity"].category is Category.INDIVIDUAL
    assert CATALOGUE["clinical.urgent_review"].category is Category.CLINICAL


def test_every_rosa_finding_maps_to_a_catalogue_recommendation() -> None:
    assert set(ROSA_FINDING_RECOMMENDATIONS) == set(rosa.FINDING_CODES)
    for finding, (code, step) in ROSA_FINDING_RECOMMENDATIONS.items():
        assert code in CATALOGUE, finding
        # A grouped entry names the step of each finding; an entry without steps takes none.
        assert (step is None) == (not CATALOGUE[code].steps), finding
        assert step is None or step in CATALOGUE[code].steps, finding


def test_no_catalogue_entry_mentions_back_belts() -> None:
    for entry in CATALOGUE.values():
        for text in (entry.code, entry.title, entry.action, entry.evidence):
            assert "belt" not in text.lower(), entry.code
    # The only mention is the documented note explaining NIOSH's finding.
    assert "94-122" in BACK_BELT_NOTE
    assert "never recommended" in BACK_BELT_NOTE


def test_sit_stand_desk_prompts_to_alternate_not_to_stand_for_long() -> None:
    action = CATALOGUE["workstation.sit_stand_desk"].action
    assert "alternate" in action
    assert "prolonged static standing" in action
    assert "Shrestha" in CATALOGUE["workstation.sit_stand_desk"].evidence


def test_weight_management_is_worded_as_an_offer_without_labels() -> None:
    entry = CATALOGUE["individual.weight_management"]
    assert "obes" not in (entry.title + entry.action).lower()
    assert "if the worker wishes" in entry.action


def test_format_li() -> None:
    assert format_li(1.8349) == "1.8"
    assert format_li(1.04) == "1.04"  # one decimal would read 1.0, as if at the limit
    assert format_li(1.0) == "1.0"
    assert format_li(math.inf) == "∞"


# --- lifting: one recommendation per weak multiplier, with a what-if --------------------------


def test_reduce_h_what_if_equals_direct_niosh_evaluation() -> None:
    t = task(load=20.0, h_origin=50.0)  # HM 0.50, RWL 11.5 kg, LI 1.74
    before = niosh.evaluate_task(t).lifting_index
    after = niosh.what_if(t, h_origin=25.0).lifting_index
    rec = only(lifting_recs(t), "lifting.reduce_h")
    assert rec.lifting_index == pytest.approx(before)
    assert rec.what_if_lifting_index == after
    assert rec.what_if == f"H at the origin 50 → 25 cm: LI {format_li(before)} → {format_li(after)}"
    assert rec.what_if == "H at the origin 50 → 25 cm: LI 1.7 → 0.9"
    assert rec.why == "Task “Pallet to shelf”: H at the origin 50 cm gives HM 0.50 (LI 1.7)"
    assert rec.task_label == "Pallet to shelf"
    assert rec.task_index == 0
    assert rec.priority is Priority.MEDIUM


def test_only_weak_multipliers_give_recommendations() -> None:
    t = task(load=20.0, h_origin=50.0)
    recs = lifting_recs(t)
    assert sorted(codes(recs)) == ["lifting.reduce_h", "lifting.reduce_load"]


def test_no_lifting_recommendation_when_li_is_one_or_less() -> None:
    assert lifting_recs(task(load=10.0, h_origin=50.0)) == ()  # LI 0.87 with HM 0.50
    assert lifting_recs(task(load=23.0)) == ()  # LI exactly 1.0


def test_li_above_one_without_weak_multiplier_gives_only_reduce_load() -> None:
    recs = lifting_recs(task(load=24.0))  # LI 1.04, every multiplier 1.0
    assert codes(recs) == ["lifting.reduce_load"]


def test_h_at_the_destination_when_the_destination_governs() -> None:
    t = task(load=20.0, h_dest=50.0, significant_control=True)
    rec = only(lifting_recs(t), "lifting.reduce_h")
    assert "H at the destination 50 cm" in rec.why
    assert rec.what_if_lifting_index == niosh.what_if(t, h_dest=25.0).lifting_index


def test_reduce_h_in_us_units_uses_inches() -> None:
    t = task(units=niosh.Units.US, load=40.0, h_origin=20.0, v_origin=30.0, v_dest=30.0)
    rec = only(lifting_recs(t), "lifting.reduce_h")
    assert rec.what_if is not None and rec.what_if.startswith("H at the origin 20 → 10 in")
    assert rec.what_if_lifting_index == niosh.what_if(t, h_origin=10.0).lifting_index


def test_vertical_to_75_what_if() -> None:
    t = task(load=20.0, v_origin=10.0, v_dest=30.0)  # VM 0.805 at the origin, D 20
    rec = only(lifting_recs(t), "lifting.vertical_to_75")
    assert rec.what_if_lifting_index == niosh.what_if(t, v_origin=75.0).lifting_index
    assert rec.what_if is not None and rec.what_if.startswith("V at the origin 10 → 75 cm")
    assert "VM 0.81" in rec.why


def test_knuckle_height_is_named_in_the_tasks_own_units() -> None:
    metric = only(
        lifting_recs(task(load=20.0, v_origin=10.0, v_dest=30.0)), "lifting.vertical_to_75"
    )
    assert metric.title == "Bring the lift towards knuckle height (75 cm)"
    us = task(units=niosh.Units.US, load=48.0, h_origin=10.0, v_origin=4.0, v_dest=12.0)
    rec = only(lifting_recs(us), "lifting.vertical_to_75")
    assert rec.title == "Bring the lift towards knuckle height (30 in)"
    assert rec.what_if is not None and rec.what_if.startswith("V at the origin 4 → 30 in")
    assert CATALOGUE["lifting.vertical_to_75"].title == "Bring the lift towards knuckle height"


def test_vertical_not_recommended_when_vm_is_not_weak() -> None:
    t = task(load=24.0, v_origin=60.0, v_dest=70.0)  # VM 0.955
    assert "lifting.vertical_to_75" not in codes(lifting_recs(t))


def test_reduce_travel_moves_the_end_further_from_75_cm() -> None:
    t = task(load=22.0, v_origin=60.0, v_dest=130.0)  # D 70 cm, DM 0.884
    rec = only(lifting_recs(t), "lifting.reduce_travel")
    assert rec.what_if_lifting_index == niosh.what_if(t, v_dest=85.0).lifting_index
    assert rec.what_if is not None and rec.what_if.startswith("D 70 → 25 cm")


def test_reduce_travel_not_recommended_for_short_travel() -> None:
    t = task(load=24.0, v_origin=70.0, v_dest=120.0)  # D 50, DM 0.91
    assert "lifting.reduce_travel" not in codes(lifting_recs(t))


def test_remove_twisting_sets_both_ends_to_zero() -> None:
    t = task(load=20.0, asymmetry_origin=90.0, asymmetry_dest=45.0)
    rec = only(lifting_recs(t), "lifting.remove_twisting")
    direct = niosh.what_if(t, asymmetry_origin=0.0, asymmetry_dest=0.0).lifting_index
    assert rec.what_if_lifting_index == direct
    assert rec.what_if is not None and rec.what_if.startswith("A at the origin 90 → 0°")


def test_twisting_below_threshold_is_not_weak() -> None:
    t = task(load=24.0, asymmetry_origin=45.0)  # AM 0.856
    assert "lifting.remove_twisting" not in codes(lifting_recs(t))


def test_reduce_frequency_halves_f() -> None:
    t = task(load=20.0, frequency=4.0)  # FM 0.84 (short, V >= 75)
    rec = only(lifting_recs(t), "lifting.reduce_frequency")
    assert rec.what_if_lifting_index == niosh.what_if(t, frequency=2.0).lifting_index
    assert rec.what_if is not None and rec.what_if.startswith("F 4 → 2 lifts/min")


def test_improve_coupling_for_fair_or_poor_coupling_only() -> None:
    t = task(load=22.0, coupling=niosh.Coupling.POOR)
    rec = only(lifting_recs(t), "lifting.improve_coupling")
    direct = niosh.what_if(t, coupling=niosh.Coupling.GOOD).lifting_index
    assert rec.what_if_lifting_index == direct
    assert "coupling poor → good" in (rec.what_if or "")
    assert "lifting.improve_coupling" not in codes(lifting_recs(task(load=24.0)))


def test_reduce_load_what_if_is_the_rwl() -> None:
    t = task(load=20.0, max_load=25.0, h_origin=50.0)
    result = niosh.evaluate_task(t)
    rec = only(lifting_recs(t), "lifting.reduce_load")
    ratio = result.rwl / 20.0
    direct = niosh.what_if(t, load=result.rwl, max_load=25.0 * ratio).lifting_index
    assert rec.what_if_lifting_index == direct
    assert direct == pytest.approx(1.0)
    assert rec.what_if == "load 20 → 11.5 kg (the RWL): LI 1.7 → 1.0"


def test_zero_rwl_gives_no_load_what_if_but_layout_what_ifs() -> None:
    t = task(load=10.0, h_origin=70.0)  # H > 63 cm: HM = 0, RWL 0, LI infinite
    recs = lifting_recs(t)
    load = only(recs, "lifting.reduce_load")
    assert load.what_if is None
    assert "RWL is 0 kg" in load.why
    reach = only(recs, "lifting.reduce_h")
    assert reach.lifting_index == math.inf
    assert reach.what_if is not None and "LI ∞ →" in reach.what_if
    assert only(recs, "lifting.mechanical_assist").priority is Priority.URGENT


def test_each_weak_threshold_is_documented_per_factor() -> None:
    assert set(WEAK_THRESHOLDS) == set(niosh.Factor)
    assert WEAK_THRESHOLDS[niosh.Factor.HM] == 0.85
    assert WEAK_THRESHOLDS[niosh.Factor.CM] == 1.0


def test_lifting_priority_follows_the_lifting_index() -> None:
    assert only(lifting_recs(task(load=20.0, h_origin=50.0)), "lifting.reduce_h").priority is (
        Priority.MEDIUM
    )  # LI 1.7
    assert only(lifting_recs(task(load=30.0, h_origin=50.0)), "lifting.reduce_h").priority is (
        Priority.HIGH
    )  # LI 2.6
    assert only(lifting_recs(task(load=40.0, h_origin=50.0)), "lifting.reduce_h").priority is (
        Priority.URGENT
    )  # LI 3.5


# --- lifting: mechanical assist, team lift, rotation, method limits --------------------------


def test_mechanical_assist_when_li_above_two() -> None:
    t = task(load=30.0, h_origin=50.0)  # LI 2.6, load 30 kg
    recs = lifting_recs(t)
    assist = only(recs, "lifting.mechanical_assist")
    assert assist.category is Category.ELIMINATE
    assert assist.priority is Priority.HIGH
    assert "LI 2.6, above 2" in assist.why
    # Catalogue 2: a lift table and, as an interim only, a team lift are offered as
    # alternatives inside the same action, never as actions of their own.
    assert "Alternatives: a lift table" in assist.action
    assert "two-person lift only as an interim measure" in assist.action
    assert "lifting.team_lift" not in codes(recs)


def test_mechanical_assist_when_load_above_25_kg_even_at_low_li() -> None:
    recs = lifting_recs(task(load=26.0))  # ideal lift, LI 1.13
    assert "load 26 kg, above 25 kg" in only(recs, "lifting.mechanical_assist").why
    assert "lifting.mechanical_assist" not in codes(lifting_recs(task(load=24.0)))


def test_mechanical_assist_load_threshold_in_pounds() -> None:
    us = {"units": niosh.Units.US, "h_origin": 10.0, "h_dest": 10.0, "v_origin": 30.0}
    recs = lifting_recs(task(load=56.0, v_dest=30.0, **us))  # 25.4 kg, LI 1.1
    assert "56 lb (25.4 kg)" in only(recs, "lifting.mechanical_assist").why
    assert "lifting.mechanical_assist" not in codes(
        lifting_recs(task(load=55.0, v_dest=30.0, **us))  # 24.9 kg
    )


def test_job_rotation_for_several_tasks_with_cli_above_one() -> None:
    tasks = (
        task(label="A", load=14.0, frequency=2.0, duration=niosh.Duration.LONG),
        task(label="B", load=12.0, frequency=2.0, duration=niosh.Duration.LONG),
    )
    job = niosh.evaluate_job(tasks)
    assert job.composite_lifting_index > 1.0
    rec = only(recommend(lifting=job), "lifting.job_rotation")
    shorter = niosh.evaluate_job(
        dataclasses.replace(t, duration=niosh.Duration.MODERATE) for t in tasks
    )
    assert rec.lifting_index == job.composite_lifting_index
    assert rec.what_if_lifting_index == shorter.composite_lifting_index
    assert rec.what_if is not None and rec.what_if.startswith("duration long → moderate: CLI")
    assert rec.task_label is None


def test_no_job_rotation_for_a_single_task() -> None:
    t = task(load=20.0, frequency=2.0, duration=niosh.Duration.LONG)
    assert "lifting.job_rotation" not in codes(lifting_recs(t))


def test_task_outside_the_equation_gets_another_method_not_what_ifs() -> None:
    t = task(load=20.0, h_origin=50.0, conditions=frozenset({niosh.Condition.ONE_HANDED}))
    recs = lifting_recs(t)
    assert codes(recs) == ["lifting.assess_other_method"]
    assert "One-handed" in recs[0].why


def test_two_tasks_with_the_same_label_give_one_recommendation_telling_them_apart() -> None:
    t = task(load=20.0, h_origin=50.0)
    recs = lifting_recs(t, t)
    reach = [r for r in recs if r.code == "lifting.reduce_h"]
    assert len(reach) == 1
    assert reach[0].task_names == (
        "Task “Pallet to shelf” (task 1)",
        "Task “Pallet to shelf” (task 2)",
    )
    assert reach[0].what_if is not None and "(task 2): H at the origin 50" in reach[0].what_if


# --- workstation ------------------------------------------------------------------------------


def test_neutral_workstation_gives_no_recommendation() -> None:
    assert recommend(workstation=rosa.score(workstation())) == ()


@pytest.mark.parametrize(
    ("overrides", "code", "step"),
    [
        (
            {"seat_height": rosa.SeatHeight.TOO_HIGH},
            "workstation.chair_adjust_or_replace",
            "Seat height:",
        ),
        (
            {"seat_height": rosa.SeatHeight.NO_FOOT_CONTACT},
            "workstation.chair_adjust_or_replace",
            "Footrest:",
        ),
        (
            {"seat_height_non_adjustable": True},
            "workstation.chair_adjust_or_replace",
            "replace the chair",
        ),
        (
            {"seat_depth": rosa.SeatDepth.TOO_LONG},
            "workstation.chair_adjust_or_replace",
            "Seat depth:",
        ),
        ({"armrests": rosa.Armrests.TOO_HIGH}, "workstation.chair_adjust_or_replace", "Armrests:"),
        (
            {"back_support": rosa.BackSupport.NO_LUMBAR},
            "workstation.chair_adjust_or_replace",
            "Lumbar support:",
        ),
        ({"monitor": rosa.Monitor.TOO_LOW}, "workstation.monitor_phone", "Screen:"),
        ({"monitor_no_document_holder": True}, "workstation.monitor_phone", "Documents:"),
        ({"phone_neck_shoulder": True}, "workstation.monitor_phone", "headset"),
        (
            {"mouse": rosa.Mouse.REACHING},
            "workstation.mouse_keyboard",
            "Keyboard and mouse together",
        ),
        (
            {"chair_hours_per_day": 6.0, "chair_longest_continuous_minutes": 90.0},
            "sitting.break_up_sitting",
            "every 30-60 min",
        ),
    ],
)
def test_rosa_finding_fires_its_recommendation(
    overrides: dict[str, Any], code: str, step: str
) -> None:
    score = rosa.score(workstation(**overrides))
    recs = recommend(workstation=score)
    assert codes(recs) == [code]
    assert step in recs[0].action


def test_a_rosa_section_gives_one_recommendation_listing_every_finding_and_adjustment() -> None:
    """Catalogue 2: several chair findings give one chair recommendation whose reason names
    each finding and whose action lists each adjustment (and no adjustment not needed); it
    costs the dearest of its steps."""
    score = rosa.score(
        workstation(
            seat_height=rosa.SeatHeight.TOO_HIGH,
            armrests=rosa.Armrests.TOO_LOW_OR_NONE,
            back_support=rosa.BackSupport.NO_LUMBAR,
        )
    )
    recs = recommend(workstation=score)
    assert codes(recs) == ["workstation.chair_adjust_or_replace"]
    chair = recs[0]
    for finding in score.findings:
        assert finding.text in chair.why
    for step in ("Seat height:", "Armrests:", "Lumbar support:"):
        assert step in chair.action
    for absent in ("Seat depth:", "Footrest:", "replace the chair with one"):
        assert absent not in chair.action
    assert chair.cost_band is CostBand.LOW  # armrests and lumbar support: low; no new chair
    assert "Alternatives: adjusting the existing chair" in chair.action
    fixed = rosa.score(
        workstation(seat_height=rosa.SeatHeight.TOO_HIGH, seat_height_non_adjustable=True)
    )
    assert only(recommend(workstation=fixed), "workstation.chair_adjust_or_replace").cost_band is (
        CostBand.MEDIUM
    )


def test_workstation_priority_follows_the_rosa_final_score() -> None:
    low = rosa.score(workstation(seat_depth=rosa.SeatDepth.TOO_LONG))
    assert low.result.final <= 2
    chair = "workstation.chair_adjust_or_replace"
    assert only(recommend(workstation=low), chair).priority is Priority.LOW
    severe = rosa.score(
        workstation(
            seat_height=rosa.SeatHeight.NO_FOOT_CONTACT,
            seat_height_non_adjustable=True,
            seat_depth=rosa.SeatDepth.TOO_LONG,
            armrests=rosa.Armrests.TOO_LOW_OR_NONE,
            back_support=rosa.BackSupport.NO_LUMBAR,
        )
    )
    assert severe.result.final >= rosa.ACTION_LEVEL
    rec = only(recommend(workstation=severe), chair)
    assert rec.priority is Priority.HIGH
    assert f"ROSA final score {severe.result.final}, at or above the action level" in rec.why


# --- sitting and activity ---------------------------------------------------------------------


def test_active_day_with_short_sitting_gives_no_recommendation() -> None:
    assert recommend(sitting=sitting.score(day())) == ()


def test_sit_stand_desk_from_six_hours_sitting() -> None:
    six = sitting.score(day(pct_sitting=75.0, pct_standing=15.0, pct_walking=10.0))
    rec = only(recommend(sitting=six), "workstation.sit_stand_desk")
    assert "Sits 6 h per workday of 8 h" in rec.why
    under = sitting.score(day(pct_sitting=73.0, pct_standing=17.0, pct_walking=10.0))
    assert "workstation.sit_stand_desk" not in codes(recommend(sitting=under))


def test_unused_desk_gives_use_it_and_a_used_desk_gives_neither() -> None:
    base = {"pct_sitting": 80.0, "pct_standing": 10.0, "pct_walking": 10.0}
    unused = sitting.score(day(sit_stand_desk_available=True, **base))
    assert "workstation.sit_stand_desk_use" in codes(recommend(sitting=unused))
    assert "workstation.sit_stand_desk" not in codes(recommend(sitting=unused))
    used = sitting.score(day(sit_stand_desk_available=True, sit_stand_desk_used=True, **base))
    assert not {"workstation.sit_stand_desk", "workstation.sit_stand_desk_use"} & set(
        codes(recommend(sitting=used))
    )


def test_break_up_sitting_when_longest_bout_exceeds_60_minutes() -> None:
    rec = only(
        recommend(sitting=sitting.score(day(longest_sitting_bout_minutes=61.0))),
        "sitting.break_up_sitting",
    )
    assert rec.why == "Longest uninterrupted sitting bout 61 min, more than 60 min"
    at_limit = sitting.score(day(longest_sitting_bout_minutes=60.0))
    assert "sitting.break_up_sitting" not in codes(recommend(sitting=at_limit))


def test_walking_meetings_when_below_the_standing_goal() -> None:
    short = sitting.score(day(pct_sitting=80.0, pct_standing=10.0, pct_walking=10.0))
    rec = only(recommend(sitting=short), "sitting.walking_meetings")
    assert "1.6 h/day, 0.4 h short of the 2 h/day goal" in rec.why


def test_aerobic_below_150_minutes() -> None:
    rec = only(
        recommend(sitting=sitting.score(day(moderate_minutes_per_week=60.0))),
        "activity.physical_activity",
    )
    assert "60 min/week" in rec.why
    assert "150 min a week of moderate-intensity activity" in rec.action
    assert "muscle-strengthening" not in rec.action
    assert rec.priority is Priority.MEDIUM
    vigorous = sitting.score(day(moderate_minutes_per_week=0.0, vigorous_minutes_per_week=75.0))
    assert "activity.physical_activity" not in codes(recommend(sitting=vigorous))


def test_strengthening_below_two_days() -> None:
    one = sitting.score(day(strengthening_days_per_week=1))
    rec = only(recommend(sitting=one), "activity.physical_activity")
    assert "on 1 day a week" in rec.why
    assert "muscle-strengthening activity" in rec.action
    assert "150 min a week" not in rec.action
    assert rec.priority is Priority.LOW


def test_both_activity_findings_give_one_recommendation_listing_both() -> None:
    both = sitting.score(day(moderate_minutes_per_week=60.0, strengthening_days_per_week=0))
    rec = only(recommend(sitting=both), "activity.physical_activity")
    assert "60 min/week" in rec.why and "on 0 days a week" in rec.why
    assert "150 min a week" in rec.action and "muscle-strengthening" in rec.action
    assert rec.priority is Priority.MEDIUM


# --- worker -----------------------------------------------------------------------------------


def test_healthy_worker_gives_no_recommendation() -> None:
    assert recommend(worker=worker.score(person())) == ()


def test_core_programme_for_previous_episodes_or_current_mechanical_pain() -> None:
    one = worker.score(person(episodes_last_12_months=1))
    assert only(recommend(worker=one), "individual.core_programme").priority is Priority.MEDIUM
    three = worker.score(person(episodes_last_12_months=3))
    assert only(recommend(worker=three), "individual.core_programme").priority is Priority.HIGH
    mechanical = worker.score(
        person(
            current_pain=True,
            pain_duration_weeks=3.0,
            pain_eases_with_movement=True,
            pain_returns_after_rest=True,
        )
    )
    rec = only(recommend(worker=mechanical), "individual.core_programme")
    assert "eases with movement" in rec.why
    non_mechanical = worker.score(person(current_pain=True, pain_duration_weeks=3.0))
    assert "individual.core_programme" not in codes(recommend(worker=non_mechanical))


def test_weight_management_from_bmi_30() -> None:
    at_30 = worker.score(person(height_cm=None, weight_kg=None, bmi=30.0))
    assert "BMI 30.0" in only(recommend(worker=at_30), "individual.weight_management").why
    below = worker.score(person(height_cm=None, weight_kg=None, bmi=29.9))
    assert "individual.weight_management" not in codes(recommend(worker=below))


def test_yellow_flags_route_to_workload_review_and_psychological_support() -> None:
    work = worker.score(person(yf_low_support_at_work=True))
    assert codes(recommend(worker=work)) == ["psychosocial.workload_support_review"]
    mood = worker.score(person(yf_low_mood=True))
    assert codes(recommend(worker=mood)) == ["psychosocial.eap_cbt"]
    stress = worker.score(person(yf_stress_worry=True))
    assert sorted(codes(recommend(worker=stress))) == [
        "psychosocial.eap_cbt",
        "psychosocial.workload_support_review",
    ]
    many = worker.score(person(yf_stress_worry=True, yf_low_mood=True, yf_job_dissatisfaction=True))
    assert all(r.priority is Priority.HIGH for r in recommend(worker=many))


def test_referrals_become_clinical_recommendations() -> None:
    ces = worker.score(person(rf_saddle_anaesthesia=True))
    rec = only(recommend(worker=ces), "clinical.emergency_cauda_equina")
    assert rec.priority is Priority.URGENT
    assert "cauda equina" in rec.why
    red = worker.score(person(rf_fever=True))
    assert only(recommend(worker=red), "clinical.urgent_review").priority is Priority.URGENT
    ibp = worker.score(
        person(
            age_years=30,
            current_pain=True,
            pain_duration_weeks=30.0,
            asas_onset_before_40=True,
            asas_insidious_onset=True,
            pain_eases_with_movement=True,
            pain_returns_after_rest=True,
        )
    )
    rec = only(recommend(worker=ibp), "clinical.inflammatory_referral")
    assert rec.priority is Priority.MEDIUM
    # Possible inflammatory pain: no mechanical exercise programme.
    assert "individual.core_programme" not in codes(recommend(worker=ibp))


# --- education ---------------------------------------------------------------------------------


def test_education_is_never_offered_on_its_own() -> None:
    """Education alone does not prevent back pain (Steffens 2016): catalogue 2 gives it only
    inside the exercise programme, and no rule emits an education code."""
    assert not any(code.startswith("education.") for code in CATALOGUE)
    programme = CATALOGUE["individual.core_programme"]
    assert "together with education" in programme.action
    assert programme.cites[0].claim == "exercise_with_education"
    high_exposure = AssessmentInput(
        sitting=day(pct_sitting=85.0, pct_standing=10.0, pct_walking=5.0),
        lifting_tasks=(task(load=20.0, h_origin=50.0),),
    )
    assert not any(r.code.startswith("education.") for r in assess(high_exposure).recommendations)


# --- ranking and deduplication ----------------------------------------------------------------


def full_assessment(**worker_overrides: Any) -> AssessmentInput:
    return AssessmentInput(
        workstation=workstation(
            back_support=rosa.BackSupport.NO_LUMBAR,
            chair_hours_per_day=7.0,
            chair_longest_continuous_minutes=120.0,
        ),
        sitting=day(
            pct_sitting=80.0,
            pct_standing=10.0,
            pct_walking=10.0,
            longest_sitting_bout_minutes=120.0,
            moderate_minutes_per_week=30.0,
            strengthening_days_per_week=0,
        ),
        worker=person(episodes_last_12_months=2, yf_low_mood=True, **worker_overrides),
        lifting_tasks=(task(load=40.0, h_origin=50.0, asymmetry_origin=90.0),),
    )


def test_clinical_emergency_ranks_first() -> None:
    recs = assess(full_assessment(rf_saddle_anaesthesia=True)).recommendations
    assert recs[0].code == "clinical.emergency_cauda_equina"
    urgent = [r.code for r in recs if r.priority is Priority.URGENT]
    assert "lifting.mechanical_assist" in urgent  # LI > 3: urgent, but after the emergency


def test_ranking_is_clinical_first_then_priority_then_hierarchy_of_controls() -> None:
    recs = assess(full_assessment(rf_fever=True)).recommendations
    clinical = [r for r in recs if r.category is Category.CLINICAL]
    assert recs[: len(clinical)] == tuple(clinical)
    keys = [(int(r.priority), r.category.rank) for r in recs[len(clinical) :]]
    assert keys == sorted(keys)
    # The urgent clinical review ("before relying on ergonomic measures") ranks above the
    # urgent engineering control.
    order = codes(recs)
    assert order.index("clinical.urgent_review") < order.index("lifting.mechanical_assist")


def test_routine_clinical_referral_ranks_above_every_ergonomic_recommendation() -> None:
    recs = assess(
        full_assessment(
            age_years=30,
            current_pain=True,
            pain_duration_weeks=30.0,
            asas_insidious_onset=True,
            pain_eases_with_movement=True,
            pain_returns_after_rest=True,
        )
    ).recommendations
    # Chronic pain with a yellow flag (low mood): the combined programme.
    assert codes(recs)[:2] == ["clinical.inflammatory_referral", "clinical.combined_programme"]
    assert recs[2].category is not Category.CLINICAL
    assert "individual.core_programme" not in codes(recs)


def test_lifting_what_ifs_of_equal_rank_order_by_larger_reduction() -> None:
    recs = lifting_recs(task(load=40.0, h_origin=50.0, asymmetry_origin=90.0))
    engineering = [r for r in recs if r.category is Category.ENGINEERING]
    gains = [(r.lifting_index or 0) - (r.what_if_lifting_index or 0) for r in engineering]
    assert gains == sorted(gains, reverse=True)


def test_recommendations_are_deduplicated_by_code_and_task() -> None:
    recs = assess(full_assessment()).recommendations
    keys = [(r.code, r.task_index) for r in recs]
    assert len(keys) == len(set(keys))
    # ROSA's chair duration and the sitting bout both call for breaks: one recommendation
    # that gives both reasons.
    breaks = only(recs, "sitting.break_up_sitting")
    assert "ROSA duration: Chair used 7 h a day" in breaks.why
    assert "Longest uninterrupted sitting bout 120 min" in breaks.why


def test_no_recommendation_text_mentions_belts() -> None:
    recs = assess(full_assessment(rf_fever=True)).recommendations
    for rec in recs:
        assert "belt" not in (rec.title + rec.action + rec.why + rec.evidence).lower()


def test_nothing_assessed_gives_no_recommendations() -> None:
    assert recommend() == ()
    assert assess(AssessmentInput()).recommendations == ()


# --- worked examples in docs/scoring.md ----------------------------------------


def test_warehouse_example_ranked_recommendations() -> None:
    path = Path(__file__).resolve().parents[2] / "docs" / "examples" / "warehouse_picker.json"
    recs = assess(parse_input(json.loads(path.read_text("utf-8")))).recommendations
    assert [(int(r.priority), r.category.value, r.code, r.what_if) for r in recs] == [
        (1, "eliminate", "lifting.mechanical_assist", None),
        (1, "engineering", "lifting.reduce_load", "load 15 → 4.3 kg (the RWL): LI 3.5 → 1.0"),
        (1, "engineering", "lifting.reduce_h", "H at the origin 50 → 25 cm: LI 3.5 → 1.8"),
        (1, "engineering", "lifting.vertical_to_75", "V at the origin 15 → 75 cm: LI 3.5 → 2.6"),
        (1, "engineering", "lifting.reduce_travel", "D 125 → 25 cm: LI 3.5 → 3.0"),
        (1, "engineering", "lifting.improve_coupling", "coupling fair → good: LI 3.5 → 3.3"),
        (1, "administrative", "lifting.job_rotation", "duration long → moderate: CLI 3.7 → 2.8"),
        (1, "administrative", "lifting.reduce_frequency", "F 2 → 1 lifts/min: LI 3.5 → 3.0"),
        (3, "administrative", "psychosocial.workload_support_review", None),
        # Moderate-certainty evidence (exercise with education) before guidance.
        (3, "individual", "individual.core_programme", None),
        (3, "individual", "activity.physical_activity", None),
        (4, "individual", "individual.weight_management", None),
    ]
    reach = only(recs, "lifting.reduce_h")
    assert reach.why == "Task “Pallet to shelf”: H at the origin 50 cm gives HM 0.50 (LI 3.5)"
    travel = only(recs, "lifting.reduce_travel")
    task0 = parse_input(json.loads(path.read_text("utf-8"))).lifting_tasks[0]
    # Origin V 15 is nearer 75 cm than destination V 140, so the destination moves to 40 cm.
    assert travel.what_if_lifting_index == niosh.what_if(task0, v_dest=40.0).lifting_index


def test_office_example_priorities() -> None:
    path = Path(__file__).resolve().parents[2] / "docs" / "examples" / "office_worker.json"
    result = assess(parse_input(json.loads(path.read_text("utf-8"))))
    assert result.workstation is not None and result.workstation.result.final == 5
    high = [r.code for r in result.recommendations if r.priority is Priority.HIGH]
    # One recommendation per ROSA section (catalogue 2); the cheaper first among equals.
    assert high == [
        "workstation.mouse_keyboard",
        "workstation.monitor_phone",
        "workstation.chair_adjust_or_replace",
        "sitting.break_up_sitting",
    ]
    chair = only(result.recommendations, "workstation.chair_adjust_or_replace")
    for finding in (
        "Seat too high",
        "Seat height not adjustable",
        "Armrests not adjustable",
        "Armrests too low",
        "No lumbar support",
    ):
        assert finding in chair.why
    screen = only(result.recommendations, "workstation.monitor_phone")
    for step in ("Screen:", "Documents:", "Telephone: a headset"):
        assert step in screen.action
    desk = only(result.recommendations, "workstation.sit_stand_desk")
    assert desk.priority is Priority.MEDIUM
    assert {"psychosocial.workload_support_review", "psychosocial.eap_cbt"} <= set(
        codes(result.recommendations)
    )


# --- Hierarchy of controls (scoring 1.1) ------------------------------------------------------


def _cli_job() -> tuple[niosh.LiftingTask, ...]:
    """Two tasks, each LI 1.64 and 12 kg (neither alone calls for mechanical handling), whose
    composite lifting index is 2.585 (shown 2.6)."""
    shared: dict[str, Any] = {
        "load": 12.0,
        "h_origin": 45.0,
        "h_dest": 45.0,
        "v_origin": 30.0,
        "v_dest": 100.0,
        "frequency": 3.0,
        "duration": niosh.Duration.MODERATE,
        "coupling": niosh.Coupling.FAIR,
    }
    return (task(label="Cartons to pallet", **shared), task(label="Crates to bench", **shared))


def test_cli_2_6_puts_an_engineering_control_first_among_workplace_actions() -> None:
    result = assess(AssessmentInput(lifting_tasks=_cli_job()))
    assert result.lifting is not None
    assert result.lifting.composite_lifting_index == pytest.approx(2.585, abs=1e-3)
    assert all(t.lifting_index <= 2.0 for t in result.lifting.tasks)
    workplace = [
        r
        for r in result.recommendations
        if r.category in (Category.ELIMINATE, Category.ENGINEERING, Category.ADMINISTRATIVE)
    ]
    first = workplace[0]
    assert first.code == "lifting.mechanical_assist"
    assert first.category in (Category.ELIMINATE, Category.ENGINEERING)
    assert first.priority is Priority.HIGH
    assert first.task_label == "Cartons to pallet"  # the task that dominates the CLI
    assert "Composite lifting index 2.6 across 2 tasks, above 2" in first.why
    rotation = next(r for r in result.recommendations if r.code == "lifting.job_rotation")
    assert workplace.index(first) < workplace.index(rotation)
    assert "two-person lift only as an interim measure" in first.action


def test_cli_above_3_makes_mechanical_handling_urgent() -> None:
    heavier = tuple(dataclasses.replace(t, load=16.0) for t in _cli_job())
    result = assess(AssessmentInput(lifting_tasks=heavier))
    assert result.lifting is not None and result.lifting.composite_lifting_index > 3.0
    assist = next(r for r in result.recommendations if r.code == "lifting.mechanical_assist")
    assert assist.priority is Priority.URGENT


def test_within_a_priority_eliminate_comes_before_engineering_before_administrative() -> None:
    from assessments.scoring.recommendations import _Collector

    out = _Collector()
    out.add("individual.core_programme", "episodes", Priority.MEDIUM)
    out.add("sitting.walking_meetings", "standing short of the goal", Priority.MEDIUM)
    out.add(
        "workstation.chair_adjust_or_replace", "seat too high", Priority.MEDIUM, step="seat_height"
    )
    out.add("lifting.mechanical_assist", "LI 2.4", Priority.MEDIUM)
    assert [r.code for r in out.ranked()] == [
        "lifting.mechanical_assist",
        "workstation.chair_adjust_or_replace",
        "sitting.walking_meetings",
        "individual.core_programme",
    ]


# --- Where the sitting happens (scoring 1.1) --------------------------------------------------


def _sitting(**overrides: Any) -> sitting.SittingInput:
    values: dict[str, Any] = {
        "hours_worked_per_day": 8.0,
        "pct_sitting": 75.0,  # 6 h
        "pct_standing": 10.0,
        "pct_walking": 15.0,
        "pct_heavy": 0.0,
        "longest_sitting_bout_minutes": 150.0,
        "sit_stand_desk_available": False,
        "sit_stand_desk_used": False,
        "moderate_minutes_per_week": 150.0,
        "vigorous_minutes_per_week": 0.0,
        "strengthening_days_per_week": 2,
    }
    values.update(overrides)
    return sitting.SittingInput(**values)


def test_a_driver_sitting_6_hours_in_a_vehicle_gets_vehicle_advice_not_a_sit_stand_desk() -> None:
    driver = assess(
        AssessmentInput(sitting=_sitting(location=sitting.SittingLocation.VEHICLE))
    ).recommendations
    codes = [r.code for r in driver]
    assert "workstation.sit_stand_desk" not in codes
    assert "sitting.walking_meetings" not in codes and "sitting.break_up_sitting" not in codes
    seat = next(r for r in driver if r.code == "sitting.vehicle_seat")
    breaks = next(r for r in driver if r.code == "sitting.driving_breaks")
    assert seat.why.startswith("Sits 6 h per workday in a vehicle")
    assert "lumbar" in seat.action and seat.priority is Priority.HIGH
    assert "2 hours of driving" in breaks.action
    assert "150 min without a break" in breaks.why


def test_the_same_sitting_at_a_desk_still_gets_a_sit_stand_desk() -> None:
    desk = [r.code for r in assess(AssessmentInput(sitting=_sitting())).recommendations]
    assert "workstation.sit_stand_desk" in desk
    assert "sitting.vehicle_seat" not in desk and "sitting.driving_breaks" not in desk


def test_a_sitting_document_without_a_location_means_a_desk() -> None:
    document = {
        "format": "ergo-assessment-input",
        "version": 1,
        "sitting": dataclasses.asdict(_sitting()) | {"location": None},
    }
    del document["sitting"]["location"]
    parsed = parse_input(document)
    assert parsed.sitting is not None
    assert parsed.sitting.location is sitting.SittingLocation.DESK


# --- One recommendation per finding (scoring 1.1) ---------------------------------------------


def test_two_lifting_tasks_with_the_same_weaknesses_give_one_action_naming_both() -> None:
    result = assess(AssessmentInput(lifting_tasks=_cli_job()))
    codes = [r.code for r in result.recommendations]
    assert len(codes) == len(set(codes))  # one per finding
    reach = next(r for r in result.recommendations if r.code == "lifting.reduce_h")
    assert reach.task_names == ("Task “Cartons to pallet”", "Task “Crates to bench”")
    assert "Task “Cartons to pallet”: H at the origin 45 cm" in reach.why
    assert "Task “Crates to bench”: H at the origin 45 cm" in reach.why
    # each task keeps its what-if figure
    assert reach.what_if is not None
    assert reach.what_if.startswith(
        "Task “Cartons to pallet”: H at the origin 45 → 25 cm: LI 1.6 →"
    )
    assert "; Task “Crates to bench”: H at the origin 45 → 25 cm: LI 1.6 →" in reach.what_if
    assert reach.lifting_index is not None and reach.what_if_lifting_index is not None
    assert len(result.recommendations) <= 12


def test_version_1_0_gave_one_recommendation_per_task_and_1_1_one_per_finding() -> None:
    """The 1.0 rule counted each task's findings apart: the two tasks above gave two of each
    lifting recommendation; 1.1 gives one per finding."""
    result = assess(AssessmentInput(lifting_tasks=_cli_job()))
    per_task_codes = {
        r.code for r in result.recommendations if r.code.startswith("lifting.") and r.task_names
    }
    both = [r for r in result.recommendations if len(r.task_names) == 2]
    assert {r.code for r in both} >= {"lifting.reduce_h", "lifting.reduce_load"}
    assert per_task_codes  # lifting findings are still tied to their tasks


def test_one_weak_multiplier_scored_as_an_assessment_gives_no_education_on_its_own() -> None:
    """docs/scoring.md, "One weak multiplier": the command line and the web app score the
    whole assessment; catalogue 2 adds no education on its own (it has no effect alone), so
    the lifting findings are the whole list."""
    t = task(load=20.0, h_origin=50.0, h_dest=50.0)
    recs = assess(AssessmentInput(lifting_tasks=(t,))).recommendations
    assert [r.code for r in recs] == ["lifting.reduce_h", "lifting.reduce_load"]
