"""Unanswered, not best: ROSA items and the sitting numbers start unanswered; a section with
unanswered items is not scored, says what is missing, and stops completion."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.urls import reverse

from assessments.records import services
from assessments.records.models import Assessment, SittingSection, WorkstationSection
from tests.conftest import SITTING, WORKSTATION, client_for

pytestmark = pytest.mark.django_db


def _post_values(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, bool):
            if value:
                data[f"{prefix}-{key}"] = "on"
        elif value is None:
            data[f"{prefix}-{key}"] = ""
        else:
            data[f"{prefix}-{key}"] = str(value)
    return data


def _start(client: Any, employee: Any) -> Assessment:
    client.post(reverse("assessment_start", args=[employee.pk]))
    return Assessment.objects.get(employee=employee)


def test_saving_the_workstation_without_looking_records_nothing_as_answered(assessor, employee):
    client = client_for(assessor)
    assessment = _start(client, employee)
    page = client.get(assessment.get_absolute_url())
    assert "— not answered —" in page.text
    response = client.post(reverse("section_save", args=[assessment.pk, "workstation"]), {})
    assert response.status_code == 302
    section = WorkstationSection.objects.get(assessment=assessment)
    assert section.seat_height is None and section.seat_depth is None
    assert section.chair_hours_per_day is None and section.keyboard_hours_per_day is None
    preview = services.assessment_preview(assessment=assessment)
    assert preview.results is not None
    assert preview.results["workstation"] is None  # never a perfect workstation
    assert preview.results["unanswered"][0]["messages"][:2] == [
        "Chair: seat height not answered",
        "Chair: seat depth not answered",
    ]


def test_the_results_panel_and_the_section_say_exactly_what_is_missing(assessor, employee):
    client = client_for(assessor)
    assessment = _start(client, employee)
    partial = {**WORKSTATION, "seat_depth": None, "phone_hours_per_day": None}
    response = client.post(
        reverse("section_save", args=[assessment.pk, "workstation"]),
        _post_values("workstation", partial),
    )
    assert response.status_code == 302
    page = client.get(assessment.get_absolute_url())
    assert page.text.count("Chair: seat depth not answered") == 2  # results panel and section
    assert "Monitor and telephone: telephone hours per day not answered" in page.text
    assert "Chair: seat height not answered" not in page.text
    assert "Workstation: not scored until every item is answered." in page.text
    panel = client.get(reverse("results_panel", args=[assessment.pk]))
    assert "Chair: seat depth not answered" in panel.text
    assert "ROSA workstation: final" not in panel.text


def test_typing_the_missing_answer_scores_the_section_live(assessor, employee):
    client = client_for(assessor)
    assessment = _start(client, employee)
    client.post(
        reverse("section_save", args=[assessment.pk, "workstation"]),
        _post_values("workstation", {**WORKSTATION, "seat_depth": None}),
    )
    response = client.post(
        reverse("section_preview", args=[assessment.pk, "workstation"]),
        _post_values("workstation", WORKSTATION),
    )
    assert response.status_code == 200
    assert "ROSA workstation: final" in response.text
    assert "not answered" not in response.text


def test_completion_is_refused_with_the_missing_items_next_to_the_section(assessor, employee):
    client = client_for(assessor)
    assessment = _start(client, employee)
    client.post(
        reverse("section_save", args=[assessment.pk, "workstation"]),
        _post_values("workstation", WORKSTATION),
    )
    client.post(
        reverse("section_save", args=[assessment.pk, "sitting"]),
        _post_values("sitting", {**SITTING, "hours_worked_per_day": None}),
    )
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("assessment_complete", args=[assessment.pk]))
        assert response.status_code == 422
        assert "cannot be completed until every item of a section is answered" in response.text
        assert 'id="unanswered-sitting"' in response.text
        assert 'id="unanswered-workstation"' not in response.text
        section_alert = response.text.split('id="unanswered-sitting"', 1)[1].split("</div>", 1)[0]
        assert "Sitting and activity: hours worked per day not answered" in section_alert
    assessment.refresh_from_db()
    assert assessment.is_draft


def test_the_service_refuses_to_sign_an_incomplete_section(assessor, employee, draft):
    WorkstationSection.objects.filter(assessment=draft).update(mouse=None)
    with pytest.raises(services.UnansweredItemsError) as refused:
        services.assessment_sign(assessment=draft)
    assert refused.value.missing == {
        "workstation": ("Mouse and keyboard: mouse position not answered",)
    }
    draft.refresh_from_db()
    assert draft.is_draft and draft.results is None


def test_answering_every_item_allows_completion(assessor, employee):
    client = client_for(assessor)
    assessment = _start(client, employee)
    client.post(
        reverse("section_save", args=[assessment.pk, "workstation"]),
        _post_values("workstation", WORKSTATION),
    )
    response = client.get(reverse("assessment_complete", args=[assessment.pk]))
    assert response.status_code == 200


def test_existing_rows_keep_their_values(draft):
    section = WorkstationSection.objects.get(assessment=draft)
    assert section.seat_height == WORKSTATION["seat_height"]
    sitting = SittingSection.objects.get(assessment=draft)
    assert sitting.pct_sitting == SITTING["pct_sitting"]


def test_an_imported_document_with_null_items_becomes_a_draft_with_them_unanswered(
    assessor, employee
):
    document = {
        "format": "ergo-assessment-input",
        "version": 1,
        "workstation": {**WORKSTATION, "monitor": None},
        "sitting": None,
        "worker": None,
        "lifting_tasks": [],
    }
    del document["workstation"]["keyboard"]  # missing counts as unanswered too
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "partial.json"
    client = client_for(assessor)
    response = client.post(reverse("assessment_import", args=[employee.pk]), {"document": upload})
    assert response.status_code == 302, response.text
    assessment = Assessment.objects.get(employee=employee)
    section = WorkstationSection.objects.get(assessment=assessment)
    assert section.monitor is None and section.keyboard is None
    assert section.seat_height == WORKSTATION["seat_height"]
    page = client.get(assessment.get_absolute_url())
    assert "Monitor and telephone: monitor position not answered" in page.text
    assert "Mouse and keyboard: keyboard not answered" in page.text
