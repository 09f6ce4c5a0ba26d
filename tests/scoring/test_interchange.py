"""Interchange format: parsing with every error collected, round trips, JSON-safe results, and
the assessment that ties the methods together."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.scoring import niosh, rosa, strain
from assessments.scoring.assessment import (
    MAX_LIFTING_TASKS,
    SCORING_VERSION,
    AssessmentInput,
    AssessmentResult,
    assess,
)
from assessments.scoring.catalogue import CATALOGUE_VERSION
from assessments.scoring.errors import InputError, InputErrors
from assessments.scoring.interchange import (
    INPUT_FORMAT,
    dump_input,
    dump_result,
    parse_input,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
EXAMPLE_NAMES = ("warehouse_picker", "office_worker")


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def errors_of(data: Any) -> dict[str, str]:
    with pytest.raises(InputErrors) as caught:
        parse_input(data)
    return {error.path: error.message for error in caught.value.errors}


TASK: dict[str, Any] = {
    "label": "Pallet to shelf",
    "units": "metric",
    "load": 20,
    "h_origin": 50,
    "v_origin": 75,
    "h_dest": 25,
    "v_dest": 75,
    "asymmetry_origin": 0,
    "asymmetry_dest": 0,
    "frequency": 0.2,
    "duration": "short",
    "coupling": "good",
    "significant_control": False,
}


def document(**sections: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"format": INPUT_FORMAT, "version": 1}
    data.update(sections)
    return data


# --- errors -------------------------------------------------------------------------------


def test_input_error_str_and_prefix() -> None:
    error = InputError("h_origin", "70 cm is beyond the 63 cm maximum reach")
    assert str(error) == "h_origin: 70 cm is beyond the 63 cm maximum reach"
    assert isinstance(error, ValueError)
    assert error.within("lifting_tasks[1]").path == "lifting_tasks[1].h_origin"
    assert str(InputErrors([error])) == str(error)
    assert isinstance(InputErrors([error]), ValueError)


def test_method_modules_raise_input_errors_with_the_field_as_path() -> None:
    with pytest.raises(InputError) as caught:
        niosh.LiftingTask(**{**TASK, "load": -1, "duration": niosh.Duration.SHORT})
    assert caught.value.path == "load"
    with pytest.raises(InputError) as caught:
        rosa.duration_modifier(-1.0, 0.0)
    assert caught.value.path == "hours_per_day"
    with pytest.raises(InputError) as caught:
        strain.StrainInput(rosa_final=11)
    assert caught.value.path == "rosa_final"
    assert "1-10" in caught.value.message


# --- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_examples_parse_and_round_trip(name: str) -> None:
    parsed = parse_input(example(name))
    dumped = dump_input(parsed)
    assert parse_input(dumped) == parsed
    assert json.loads(json.dumps(dumped, allow_nan=False)) == dumped


def test_warehouse_example_has_tasks_in_both_unit_systems() -> None:
    parsed = parse_input(example("warehouse_picker"))
    assert parsed.workstation is None
    assert [t.units for t in parsed.lifting_tasks] == [niosh.Units.METRIC, niosh.Units.US]
    assert parsed.lifting_tasks[0].max_load == 18.0
    assert parsed.lifting_tasks[1].max_load is None  # optional field left out
    assert parsed.lifting_tasks[1].conditions == frozenset()


def test_missing_and_null_sections_are_not_assessed() -> None:
    assert parse_input(document()) == AssessmentInput()
    assert parse_input(document(workstation=None, lifting_tasks=None)) == AssessmentInput()


def test_optional_fields_take_their_defaults() -> None:
    parsed = parse_input(
        document(worker={"age_years": 40, "current_pain": False, "episodes_last_12_months": 0})
    )
    assert parsed.worker is not None
    assert parsed.worker.bmi is None
    assert parsed.worker.yf_low_mood is False


def test_conditions_are_a_list_of_strings() -> None:
    parsed = parse_input(document(lifting_tasks=[{**TASK, "conditions": ["one_handed"]}]))
    assert parsed.lifting_tasks[0].conditions == frozenset({niosh.Condition.ONE_HANDED})
    errors = errors_of(document(lifting_tasks=[{**TASK, "conditions": ["one_handed", "x"]}]))
    assert errors["lifting_tasks[0].conditions[1]"].startswith('"x" is not one of "one_handed"')


def test_every_error_is_collected_across_sections() -> None:
    office = example("office_worker")
    office["format"] = "something-else"
    office["workstation"]["seat_height"] = "very_high"
    office["workstation"]["monitor_glare"] = "yes"
    office["workstation"]["colour"] = "blue"
    office["sitting"]["strengthening_days_per_week"] = 2.5
    office["worker"]["age_years"] = True
    office["lifting_tasks"] = [dict(TASK), {**TASK, "h_origin": -5}, {**TASK, "load": "12"}]
    del office["lifting_tasks"][0]["coupling"]
    errors = errors_of(office)
    assert errors == {
        "format": '"something-else" is not supported; expected "ergo-assessment-input"',
        "workstation.colour": "unknown field (the fields are listed in docs/interchange.md)",
        "workstation.seat_height": (
            '"very_high" is not one of "knees_90", "too_low", "too_high", "no_foot_contact"'
        ),
        "workstation.monitor_glare": 'expected true or false, got a string "yes"',
        "sitting.strengthening_days_per_week": "expected a whole number, got a number 2.5",
        "worker.age_years": "expected a whole number, got a boolean true",
        "lifting_tasks[0].coupling": "required field is missing",
        "lifting_tasks[1].h_origin": errors["lifting_tasks[1].h_origin"],
        "lifting_tasks[2].load": 'expected a number, got a string "12"',
    }
    # Range errors come from the method itself, in its own words, under the task's path.
    assert errors["lifting_tasks[1].h_origin"].startswith("-5 cm is negative")


def test_method_range_errors_carry_the_section_path() -> None:
    office = example("office_worker")
    office["sitting"]["pct_walking"] = 20  # the percentages now add to 110
    errors = errors_of(office)
    assert list(errors) == ["sitting.pct_sitting"]
    assert "must add to 100" in errors["sitting.pct_sitting"]


def test_unknown_field_suggests_the_nearest_name() -> None:
    errors = errors_of(document(lifting_tasks=[{**TASK, "h_orign": 30}]))
    assert errors["lifting_tasks[0].h_orign"].startswith('unknown field; did you mean "h_origin"?')


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_rejected(bad: float) -> None:
    errors = errors_of(document(lifting_tasks=[{**TASK, "frequency": bad}]))
    assert "is not a finite number" in errors["lifting_tasks[0].frequency"]


def test_huge_integers_in_number_fields_are_rejected() -> None:
    errors = errors_of(document(lifting_tasks=[{**TASK, "load": 10**400}]))
    assert "too large" in errors["lifting_tasks[0].load"]


def test_too_many_lifting_tasks() -> None:
    errors = errors_of(document(lifting_tasks=[TASK] * (MAX_LIFTING_TASKS + 1)))
    assert errors == {
        "lifting_tasks": "201 lifting tasks; at most 200 are accepted in one assessment"
    }
    assert len(parse_input(document(lifting_tasks=[TASK] * MAX_LIFTING_TASKS)).lifting_tasks) == 200


def test_document_level_errors() -> None:
    assert errors_of([1, 2]) == {"": "expected a JSON object, got a list [1, 2]"}
    errors = errors_of({"version": 3, "extra": 1, "sitting": "no"})
    assert errors["format"] == 'missing; expected "ergo-assessment-input"'
    assert errors["version"] == "3 is not supported; expected 1 or 2"
    assert errors["extra"].startswith("unknown field")
    assert errors["sitting"] == 'expected an object, got a string "no"'
    assert errors_of(document(lifting_tasks={"a": 1})) == {
        "lifting_tasks": 'expected a list of lifting tasks, got an object {"a": 1}'
    }


def test_whole_numbers_are_accepted_for_float_fields_and_stored_as_floats() -> None:
    parsed = parse_input(document(lifting_tasks=[TASK]))
    assert isinstance(parsed.lifting_tasks[0].h_origin, float)


# --- property: parse_input raises nothing but InputErrors ------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            ["format", "version", "workstation", "sitting", "worker", "lifting_tasks", "x"]
        ),
        json_values,
        max_size=6,
    )
)
def test_arbitrary_documents_raise_only_input_errors(data: dict[str, Any]) -> None:
    try:
        parse_input(data)
    except InputErrors as errors:
        assert errors.errors
        assert all(isinstance(e, InputError) for e in errors.errors)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(EXAMPLE_NAMES),
    picks=st.lists(st.tuples(st.integers(0, 10**6), json_values), min_size=1, max_size=3),
)
def test_mutated_examples_raise_only_input_errors(name: str, picks: list[tuple[int, Any]]) -> None:
    """Replace fields of a valid document with arbitrary JSON values."""
    data = copy.deepcopy(example(name))
    slots: list[tuple[str | int, str]] = [
        (section, key)
        for section in ("workstation", "sitting", "worker")
        if isinstance(data[section], dict)
        for key in data[section]
    ]
    slots += [(i, key) for i, t in enumerate(data["lifting_tasks"]) for key in t]
    for index, value in picks:
        section, key = slots[index % len(slots)]
        target = data["lifting_tasks"][section] if isinstance(section, int) else data[section]
        target[key] = value
    try:
        parsed = parse_input(data)
    except InputErrors as errors:
        assert all(isinstance(e, InputError) and e.path for e in errors.errors)
    else:
        json.dumps(dump_result(assess(parsed)), allow_nan=False)


# --- results --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_results_are_json_safe_with_the_dataclass_field_names(name: str) -> None:
    result = assess(parse_input(example(name)))
    dumped = dump_result(result)
    json.dumps(dumped, allow_nan=False)
    assert list(dumped) == [
        "scoring_version",
        "workstation",
        "sitting",
        "worker",
        "lifting",
        "strain",
        "referrals",
        "recommendations",
        "unanswered",
        "unassessed_sections",
        "catalogue_version",
    ]
    assert dumped["unanswered"] == []
    assert dumped["scoring_version"] == SCORING_VERSION == strain.MODEL_VERSION
    assert dumped["catalogue_version"] == CATALOGUE_VERSION


def test_statements_about_sections_not_assessed_are_read_and_carried() -> None:
    document = {
        "format": "ergo-assessment-input",
        "version": 1,
        "workstation": example("office_worker")["workstation"],
        "unassessed_sections": [
            {"section": "lifting", "applies": False, "reason": "No lifting in this role"},
            {"section": "sitting", "applies": True, "reason": "Worker on leave that day"},
        ],
    }
    parsed = parse_input(document)
    assert dump_input(parsed)["unassessed_sections"] == document["unassessed_sections"]
    dumped = dump_result(assess(parsed))
    assert dumped["unassessed_sections"] == document["unassessed_sections"]
    assert dumped["strain"]["not_applicable"] == ["lifting"]
    assert dumped["strain"]["not_assessable"] == ["sedentary", "activity"]
    assert dumped["strain"]["provisional"] is True


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            {"section": "lifting", "applies": False, "reason": ""},
            "unassessed_sections[0].reason: say why",
        ),
        (
            {"section": "workstation", "applies": False, "reason": "No computer work"},
            "unassessed_sections[0].section: workstation was assessed",
        ),
        (
            {"section": "roof", "applies": False, "reason": "x"},
            'unassessed_sections[0].section: "roof" is not one of',
        ),
    ],
)
def test_a_bad_statement_is_refused_with_its_path(statement: dict[str, object], message: str):
    document = {
        "format": "ergo-assessment-input",
        "version": 1,
        "workstation": example("office_worker")["workstation"],
        "unassessed_sections": [statement],
    }
    with pytest.raises(InputErrors) as refused:
        parse_input(document)
    assert message in str(refused.value)


def test_result_conversion_rules() -> None:
    dumped = dump_result(assess(parse_input(example("warehouse_picker"))))
    lifting = dumped["lifting"]
    first = lifting["tasks"][0]
    assert first["task"]["label"] == "Pallet to shelf"  # the input inside the TaskResult
    assert first["task"]["units"] == "metric"  # StrEnum -> value
    assert first["task"]["conditions"] == []  # frozenset -> list
    assert first["governing"]["point"] == "origin"
    assert isinstance(first["warnings"], list)  # tuple -> list
    rec = dumped["recommendations"][0]
    assert rec["priority"] == 1 and type(rec["priority"]) is int  # IntEnum -> int
    assert rec["category"] == "eliminate"
    assert dumped["strain"]["band"] == "very_high"


def test_infinite_lifting_index_becomes_null_with_a_flag() -> None:
    data = document(lifting_tasks=[{**TASK, "h_origin": 70}])  # HM = 0, RWL 0
    dumped = dump_result(assess(parse_input(data)))
    governing = dumped["lifting"]["tasks"][0]["governing"]
    assert governing["lifting_index"] is None
    assert governing["lifting_index_is_infinite"] is True
    assert "rwl_is_infinite" not in governing
    assert dumped["lifting"]["composite_lifting_index_is_infinite"] is True
    json.dumps(dumped, allow_nan=False)


def test_frozensets_are_sorted() -> None:
    data = document(
        lifting_tasks=[{**TASK, "conditions": ["unstable_load", "high_speed", "one_handed"]}]
    )
    dumped = dump_result(assess(parse_input(data)))
    assert dumped["lifting"]["tasks"][0]["task"]["conditions"] == [
        "high_speed",
        "one_handed",
        "unstable_load",
    ]


# --- the assessment -------------------------------------------------------------------------


def test_single_task_strain_uses_the_governing_li() -> None:
    result = assess(parse_input(document(lifting_tasks=[TASK])))
    assert result.lifting is not None
    li = result.lifting.tasks[0].lifting_index
    lifting = result.strain.components[0]
    assert lifting.component is strain.Component.LIFTING
    assert li == pytest.approx(20 / 11.5)
    assert lifting.level == 2  # 1 < LI <= 2


def test_several_tasks_strain_uses_the_cli() -> None:
    result = assess(parse_input(example("warehouse_picker")))
    assert result.lifting is not None
    assert result.lifting.composite_lifting_index == pytest.approx(3.684, abs=0.001)
    assert result.strain.components[0].level == 4  # CLI > 3
    assert result.strain.raw_score == 50.0
    assert result.strain.score == 75.0  # the CLI > 3 floor: Very high
    assert any("Composite lifting index" in r for r in result.strain.components[0].reasons)


def test_office_example_numbers() -> None:
    result = assess(parse_input(example("office_worker")))
    assert result.workstation is not None and result.sitting is not None
    assert result.workstation.result.final == 5
    assert result.sitting.sitting_hours == 6.8
    assert result.lifting is None
    # workstation 2 x 15/4 + sedentary 3 x 15/4 + activity 3 x 10/4 + individual 3 x 15/4
    # + psychosocial 1 x 15/4 = 7.5 + 11.25 + 7.5 + 11.25 + 3.75
    assert result.strain.score == 41.25
    assert result.strain.band is strain.Band.MODERATE
    assert result.referrals == ()


def test_referrals_are_carried_to_the_result_and_strain() -> None:
    data = example("office_worker")
    data["worker"]["rf_saddle_anaesthesia"] = "yes"
    result = assess(parse_input(data))
    assert [r.code for r in result.referrals] == ["red_flag.cauda_equina"]
    assert result.strain.referrals == (result.referrals[0].reason,)
    plain = assess(parse_input(example("office_worker")))
    assert result.strain.score == plain.strain.score  # red flags never change the score
    assert result.recommendations[0].code == "clinical.emergency_cauda_equina"


def test_nothing_assessed() -> None:
    result = assess(AssessmentInput())
    assert isinstance(result, AssessmentResult)
    assert result.strain.score == 0.0
    assert len(result.strain.not_assessed) == 6
    json.dumps(dump_result(result), allow_nan=False)


def test_assessment_input_checks_its_sections() -> None:
    with pytest.raises(InputError) as caught:
        AssessmentInput(lifting_tasks=("not a task",))  # type: ignore[arg-type]
    assert caught.value.path == "lifting_tasks[0]"


# --- Version 1 documents (before the pain-pattern screen and red-flag answers) --------------


V1_WORKER = {
    "age_years": 30,
    "current_pain": True,
    "episodes_last_12_months": 0,
    "pain_duration_weeks": 20,
    "asas_insidious_onset": True,
    "asas_improves_with_exercise": True,
    "asas_no_improvement_with_rest": True,
    "ng65_waking_second_half_night": True,
    "rf_fever": True,
    "rf_night_pain": False,
}


def test_version_1_worker_answers_map_onto_the_new_questions() -> None:
    from assessments.scoring import interchange, worker

    parsed = interchange.parse_input(
        {"format": "ergo-assessment-input", "version": 1, "worker": V1_WORKER}
    )
    w = parsed.worker
    assert w is not None
    assert (
        w.pain_eases_with_movement,
        w.pain_returns_after_rest,
        w.night_pain_eases_on_rising,
    ) == (
        True,
        True,
        True,
    )
    assert w.rf_fever is worker.Answer.YES
    # Version 1 could not tell "no" from "not asked": false is "not asked".
    assert w.rf_night_pain is worker.Answer.NOT_ASKED
    assert w.rf_saddle_anaesthesia is worker.Answer.NOT_ASKED
    # Questions version 1 did not have stay unanswered.
    assert w.morning_stiffness_minutes is None and w.red_flags_not_asked_reason == ""
    # Written back, it is a version-2 document that reads the same.
    again = interchange.parse_input(interchange.dump_input(parsed))
    assert again == parsed
    assert interchange.dump_input(parsed)["version"] == 2


def test_version_1_replaced_field_with_a_bad_value_names_it() -> None:
    errors = errors_of(
        {
            "format": "ergo-assessment-input",
            "version": 1,
            "worker": {**V1_WORKER, "asas_improves_with_exercise": 1},
        }
    )
    assert "worker.asas_improves_with_exercise" in errors


def test_version_2_rejects_the_replaced_fields_and_boolean_red_flags() -> None:
    errors = errors_of({"format": "ergo-assessment-input", "version": 2, "worker": {**V1_WORKER}})
    assert "worker.asas_improves_with_exercise" in errors
    assert errors["worker.rf_fever"] == 'true is not one of "yes", "no", "not_asked"'
