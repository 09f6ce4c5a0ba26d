"""Unanswered items: a section with any of them missing is not scored and says what is missing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from assessments.scoring.assessment import (
    ANSWERABLE,
    AssessmentInput,
    IncompleteSection,
    assess,
    describe_unanswered,
)
from assessments.scoring.errors import InputError
from assessments.scoring.interchange import InputErrors, dump_input, dump_result, parse_input

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def office_worker() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "office_worker.json").read_text("utf-8"))
    return data


def test_existing_documents_still_parse_complete() -> None:
    parsed = parse_input(office_worker())
    assert parsed.workstation is not None
    assert parsed.incomplete == ()
    assert assess(parsed).unanswered == ()


@pytest.mark.parametrize("how", ["null", "missing"])
def test_a_null_or_missing_rosa_item_leaves_the_workstation_unscored(how: str) -> None:
    document = office_worker()
    if how == "null":
        document["workstation"]["seat_depth"] = None
    else:
        del document["workstation"]["seat_depth"]
    parsed = parse_input(document)
    assert parsed.workstation is None
    (part,) = parsed.incomplete
    assert part.section == "workstation"
    assert part.unanswered == ("seat_depth",)
    assert part.answered["seat_height"] == document["workstation"]["seat_height"]

    result = assess(parsed)
    assert result.workstation is None  # not scored, never scored as the best answer
    assert result.strain.not_assessed  # the strain score says the workstation is missing
    (missing,) = result.unanswered
    assert missing.section == "workstation"
    assert missing.items == ("seat_depth",)
    assert missing.messages == ("Chair: seat depth not answered",)
    dumped = dump_result(result)
    assert dumped["workstation"] is None
    assert dumped["unanswered"] == [
        {
            "section": "workstation",
            "items": ["seat_depth"],
            "messages": ["Chair: seat depth not answered"],
        }
    ]


def test_unanswered_hours_and_sitting_numbers_are_listed_in_order() -> None:
    document = office_worker()
    document["workstation"]["phone_hours_per_day"] = None
    document["workstation"]["chair_hours_per_day"] = None
    document["sitting"]["hours_worked_per_day"] = None
    result = assess(parse_input(document))
    assert [u.section for u in result.unanswered] == ["workstation", "sitting"]
    assert result.unanswered[0].messages == (
        "Chair: hours per day not answered",
        "Monitor and telephone: telephone hours per day not answered",
    )
    assert result.unanswered[1].messages == (
        "Sitting and activity: hours worked per day not answered",
    )
    assert result.sitting is None


def test_an_answered_item_of_the_wrong_kind_is_still_an_error() -> None:
    document = office_worker()
    document["workstation"]["seat_depth"] = None
    document["workstation"]["seat_height"] = "sideways"
    with pytest.raises(InputErrors) as caught:
        parse_input(document)
    assert [e.path for e in caught.value.errors] == ["workstation.seat_height"]


def test_worker_fields_are_not_unanswerable() -> None:
    document = office_worker()
    document["worker"]["age_years"] = None
    with pytest.raises(InputErrors) as caught:
        parse_input(document)
    assert "worker.age_years" in [e.path for e in caught.value.errors]


def test_incomplete_documents_round_trip() -> None:
    document = office_worker()
    document["workstation"]["monitor"] = None
    document["sitting"]["pct_heavy"] = None
    parsed = parse_input(document)
    dumped = dump_input(parsed)
    assert dumped["workstation"]["monitor"] is None
    assert dumped["workstation"]["seat_height"] == document["workstation"]["seat_height"]
    assert dumped["sitting"]["pct_heavy"] is None
    assert parse_input(copy.deepcopy(dumped)) == parsed


def test_every_required_input_field_is_answerable_with_a_label() -> None:
    for section, items in ANSWERABLE.items():
        for item in items:
            assert describe_unanswered(section, item).endswith(" not answered")


def test_an_incomplete_section_cannot_also_be_scored() -> None:
    scored = parse_input(office_worker())
    with pytest.raises(InputError):
        AssessmentInput(
            workstation=scored.workstation,
            incomplete=(
                IncompleteSection(section="workstation", answered={}, unanswered=("monitor",)),
            ),
        )
    with pytest.raises(InputError):
        IncompleteSection(section="worker", answered={}, unanswered=("age_years",))
