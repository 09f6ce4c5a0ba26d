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
    assert text.startswith('{\n  "scoring_version": "1.0",')  # indent 2
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
    }
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
