"""Command line: `python -m assessments.scoring FILE.json` prints the results as JSON (exit 0);
invalid input, unreadable files and invalid JSON exit 2 with a message on standard error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "assessments.scoring", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def stderr_lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return result.stderr.decode("utf-8").splitlines()


@pytest.mark.parametrize("name", ["warehouse_picker", "office_worker"])
def test_examples_print_complete_results(name: str) -> None:
    result = run(str(EXAMPLES / f"{name}.json"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("utf-8")
    assert text.startswith('{\n  "scoring_version": "1.1",')  # indent 2
    data = json.loads(text)
    assert set(data) == {
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
    }
    assert data["unanswered"] == []  # every section of the examples is complete
    assert data["strain"]["components"]
    assert data["recommendations"]


def test_warehouse_example_output_numbers() -> None:
    data = json.loads(run(str(EXAMPLES / "warehouse_picker.json")).stdout)
    assert data["strain"]["band"] == "very_high"
    assert [t["task"]["label"] for t in data["lifting"]["tasks"]] == [
        "Pallet to shelf",
        "Tote to conveyor",
    ]
    first = data["recommendations"][0]
    assert first["code"] == "lifting.mechanical_assist"
    assert first["priority"] == 1


def test_reads_standard_input() -> None:
    body = (EXAMPLES / "office_worker.json").read_bytes()
    from_stdin = run("-", stdin=body)
    assert from_stdin.returncode == 0
    assert from_stdin.stdout == run(str(EXAMPLES / "office_worker.json")).stdout


def test_invalid_input_exits_2_with_one_line_per_error(tmp_path: Path) -> None:
    data: dict[str, Any] = json.loads((EXAMPLES / "warehouse_picker.json").read_text("utf-8"))
    data["lifting_tasks"][0]["h_origin"] = -5
    data["sitting"]["strengthening_days_per_week"] = "two"
    data["worker"]["episodes_last_12_months"] = 1.5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = run(str(bad))
    assert result.returncode == 2
    assert result.stdout == b""
    lines = stderr_lines(result)
    assert lines == [
        'sitting.strengthening_days_per_week: expected a whole number, got a string "two"',
        "worker.episodes_last_12_months: expected a whole number, got a number 1.5",
        lines[2],
    ]
    assert lines[2].startswith("lifting_tasks[0].h_origin: -5 cm is negative")


def test_invalid_json_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "ergo-assessment-input",', encoding="utf-8")
    result = run(str(bad))
    assert result.returncode == 2
    [line] = stderr_lines(result)
    assert line.startswith(f"{bad}: not valid JSON:")
    assert "line 1" in line


def test_duplicate_keys_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "twice.json"
    bad.write_text('{"version": 1, "version": 1}', encoding="utf-8")
    result = run(str(bad))
    assert result.returncode == 2
    assert 'duplicate key "version"' in result.stderr.decode("utf-8")


def test_missing_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    result = run(str(missing))
    assert result.returncode == 2
    assert stderr_lines(result) == [f"{missing}: cannot read the file: No such file or directory"]


def test_non_utf8_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"label": "caf\xe9"}')
    result = run(str(bad))
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr.decode("utf-8")


def test_json_that_is_not_an_object_exits_2() -> None:
    result = run("-", stdin=b"[1, 2, 3]")
    assert result.returncode == 2
    assert stderr_lines(result) == ["expected a JSON object, got a list [1, 2, 3]"]


def test_no_argument_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert "usage: python -m assessments.scoring" in result.stderr.decode("utf-8")


# --- Hostile input: every kind is refused with exit status 2 and a message naming where ----


def _document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "warehouse_picker.json").read_text("utf-8"))
    return data


def _with(path: str, value: object) -> str:
    """The warehouse example as JSON text with one value replaced ("a.b[0].c")."""
    data = _document()
    target: Any = data
    keys = path.replace("[", ".").replace("]", "").split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is _MISSING:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return json.dumps(data, allow_nan=True)


_MISSING = object()
HOSTILE_VALUES = [
    ("lifting_tasks[0].load", -15, "lifting_tasks[0].load: -15 kg is not a load"),
    ("lifting_tasks[0].load", 0, "lifting_tasks[0].load: 0 kg is not a load"),
    ("lifting_tasks[0].h_origin", float("nan"), "lifting_tasks[0].h_origin: NaN is not a finite"),
    ("lifting_tasks[0].v_origin", float("inf"), "lifting_tasks[0].v_origin: Infinity is not a fin"),
    ("lifting_tasks[0].frequency", "2 per minute", "lifting_tasks[0].frequency: expected a number"),
    ("lifting_tasks[0].units", "furlongs", 'lifting_tasks[0].units: "furlongs" is not one of'),
    ("lifting_tasks[0].units", "US", 'lifting_tasks[0].units: "US" is not one of'),
    ("lifting_tasks[0].label", 12, "lifting_tasks[0].label: expected text"),
    ("lifting_tasks[0].conditions", "one_handed", "lifting_tasks[0].conditions: expected a list"),
    ("lifting_tasks[0].h_dest", _MISSING, "lifting_tasks[0].h_dest: required field is missing"),
    ("sitting.pct_sitting", 50, "sitting.pct_sitting: pct_sitting + pct_standing"),
    ("sitting.hours_worked_per_day", 1e308, "sitting.hours_worked_per_day: 1e+308 h is outside"),
    ("sitting.hours_worked_per_day", -8, "sitting.hours_worked_per_day: -8 h is outside"),
    ("sitting.strengthening_days_per_week", "٣", "sitting.strengthening_days_per_week: expected a"),
    ("worker.age_years", 10**40, "worker.age_years: 10000000000000000000000000000000000000000 yea"),
    ("worker.age_years", True, "worker.age_years: expected a whole number, got a boolean"),
    (
        "worker.current_pain",
        "yes",
        'worker.current_pain: expected true or false, got a string "yes"',
    ),
    ("worker.unknown_field", 1, "worker.unknown_field: unknown field"),
    ("lifting_tasks", [], None),  # valid: no lifting tasks
]


@pytest.mark.parametrize(("path", "value", "message"), HOSTILE_VALUES)
def test_hostile_values_exit_2_naming_the_field(path, value, message, tmp_path, capsys) -> None:
    from assessments.scoring.__main__ import main

    document = tmp_path / "hostile.json"
    document.write_text(_with(path, value), encoding="utf-8")
    status = main([str(document)])
    out, err = capsys.readouterr()
    if message is None:
        assert status == 0 and json.loads(out)["strain"]
        return
    assert status == 2
    assert out == ""
    assert any(line.startswith(message) for line in err.splitlines()), err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not valid JSON: Expecting value"),
        ("\ufeff{}", "not valid JSON: Unexpected UTF-8 BOM"),
        ('{"version": ' + "1" * 5000 + "}", "not valid JSON: Exceeds the limit"),
        ("[" * 100_000 + "]" * 100_000, "not valid input: JSON nested too deeply"),
        ('{"format": "ergo-assessment-input", "version": 1, "sitting": NaN}', "sitting: expected"),
    ],
)
def test_hostile_documents_exit_2(text, message, tmp_path, capsys) -> None:
    from assessments.scoring.__main__ import main

    document = tmp_path / "hostile.json"
    document.write_text(text, encoding="utf-8")
    assert main([str(document)]) == 2
    assert message in capsys.readouterr().err


def test_ten_thousand_lifting_tasks_exit_2(tmp_path: Path) -> None:
    data = _document()
    data["lifting_tasks"] = [data["lifting_tasks"][0]] * 10_000
    document = tmp_path / "many.json"
    document.write_text(json.dumps(data), encoding="utf-8")
    result = run(str(document))
    assert result.returncode == 2
    assert stderr_lines(result) == [
        "lifting_tasks: 10000 lifting tasks; at most 200 are accepted in one assessment"
    ]


def test_a_version_1_document_is_read_with_its_answers_mapped(tmp_path: Path) -> None:
    """ASAS-positive pain recorded in version 1's separate ASAS questions: the command line
    reads it, maps the answers onto the pain-pattern screen and classes the pain."""
    document = {
        "format": "ergo-assessment-input",
        "version": 1,
        "worker": {
            "age_years": 30,
            "current_pain": True,
            "episodes_last_12_months": 0,
            "pain_duration_weeks": 20,
            "asas_insidious_onset": True,
            "asas_improves_with_exercise": True,
            "asas_no_improvement_with_rest": True,
            "asas_night_pain_improves_on_rising": True,
            "rf_fever": False,
        },
    }
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["worker"]["pain_class"] == "possible_inflammatory"
    assert data["worker"]["mechanical_pattern"] is False
    assert data["recommendations"][0]["code"] == "clinical.inflammatory_referral"
    assert len(data["worker"]["red_flags_not_asked"]) == 13
