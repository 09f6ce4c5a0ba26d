"""Starting a draft from an interchange JSON file: the whole draft or nothing, with every
problem shown at its place in the file."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.records import services
from assessments.records.models import Assessment, LiftingTask, SittingSection, WorkerSection
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def _example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))


def _post(user: Any, employee: Any, content: bytes | str, client: Any = None) -> Any:
    data = content.encode() if isinstance(content, str) else content
    upload = SimpleUploadedFile("assessment.json", data, content_type="application/json")
    return (client or client_for(user)).post(
        reverse("assessment_import", args=[employee.pk]), {"document": upload}
    )


def _problems(response: Any) -> list[str]:
    html = response.content.decode()
    start = html.index('id="import-problems">') + len('id="import-problems">')
    items = html[start : html.index("</ul>", start)].split("<li>")[1:]
    return [
        item.removesuffix("</li>").replace("<code>", "").replace("</code>", "") for item in items
    ]


@pytest.mark.parametrize("name", ["office_worker", "warehouse_picker"])
def test_an_example_file_becomes_a_draft_with_its_values(assessor, employee, name):
    document = _example(name)
    client = client_for(assessor)
    response = _post(assessor, employee, json.dumps(document), client=client)
    assessment = Assessment.objects.get(employee=employee)
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()
    assert assessment.is_draft and assessment.assessor == assessor
    imported = services.assessment_input_dict(assessment)
    for section in ("workstation", "sitting", "worker"):
        if document[section] is None:
            assert imported[section] is None
        else:
            for key, value in document[section].items():
                assert imported[section][key] == value, (section, key)
    assert len(imported["lifting_tasks"]) == len(document["lifting_tasks"])
    for stored, given in zip(imported["lifting_tasks"], document["lifting_tasks"], strict=True):
        assert {k: stored[k] for k in given} == given
    assert services.assessment_preview(assessment=assessment).errors == ()
    page = client.get(response["Location"])
    assert "Draft created from the file" in page.content.decode()


def test_every_problem_is_listed_with_its_place_and_nothing_is_created(assessor, employee):
    document = _example("warehouse_picker")
    document["sitting"]["pct_sitting"] = 50
    document["worker"]["age_years"] = "forty"
    document["lifting_tasks"][1]["h_origin"] = -5
    response = _post(assessor, employee, json.dumps(document))
    assert response.status_code == 422
    problems = _problems(response)
    assert escape('worker.age_years: expected a whole number, got a string "forty"') in problems
    assert any(p.startswith("sitting.pct_sitting: pct_sitting + pct_standing") for p in problems)
    assert any(p.startswith("lifting_tasks[1].h_origin: -5 in is negative") for p in problems)
    assert "Nothing was imported" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_editor_rules_apply_too(assessor, employee):
    document = _example("warehouse_picker")
    document["lifting_tasks"][0]["load"] = 900
    document["lifting_tasks"][0]["max_load"] = 900
    document["sitting"]["pct_sitting"] = 10.5
    document["sitting"]["pct_standing"] = 29.5
    document["lifting_tasks"][1]["label"] = "x" * 121
    response = _post(assessor, employee, json.dumps(document))
    assert response.status_code == 422
    assert _problems(response) == [
        "sitting.pct_sitting: Enter a whole number.",
        "sitting.pct_standing: Enter a whole number.",
        "lifting_tasks[0].load: 900 kg is not a plausible single lift; check the units.",
        "lifting_tasks[1].label: Ensure this value has at most 120 characters (it has 121).",
    ]
    assert not Assessment.objects.exists()
    assert not LiftingTask.objects.exists() and not SittingSection.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\xff\xfe{}", "The file is not UTF-8 text."),
        (b'{"format": "ergo-assessment-input",', "The file is not valid JSON: Expecting"),
        (b'{"version": 1, "version": 1}', "the key &quot;version&quot; appears twice"),
        (b"[" * 50_000 + b"]" * 50_000, "The file is not valid JSON: it is nested too deeply."),
        (b'{"version": ' + b"1" * 5000 + b"}", "The file is not valid JSON: Exceeds the limit"),
        (b"[1, 2]", "(whole file)</code>: expected a JSON object"),
        (
            b'{"format": "ergo-assessment-input", "version": 1, "sitting": NaN}',
            "sitting</code>: expected an object, got a number NaN",
        ),
    ],
)
def test_files_that_are_not_documents_get_a_clear_message(assessor, employee, content, message):
    response = _post(assessor, employee, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def _many_tasks(count: int) -> str:
    document = _example("warehouse_picker")
    document["lifting_tasks"] = [document["lifting_tasks"][0]] * count
    return json.dumps(document)


def test_ten_thousand_lifting_tasks_are_too_large_a_file(assessor, employee, settings):
    text = _many_tasks(10_000)
    assert len(text) > settings.IMPORT_MAX_BYTES
    response = _post(assessor, employee, text)
    assert response.status_code == 413
    assert f"the largest accepted is {settings.IMPORT_MAX_BYTES // 1024} KB" in (
        response.content.decode()
    )
    assert not Assessment.objects.exists()


def test_ten_thousand_lifting_tasks_are_refused_even_under_the_size_limit(
    assessor, employee, settings
):
    settings.IMPORT_MAX_BYTES = 20 * 1024 * 1024
    response = _post(assessor, employee, _many_tasks(10_000))
    assert response.status_code == 422
    assert _problems(response) == [
        "lifting_tasks: 10000 lifting tasks; at most 200 are accepted in one assessment"
    ]
    assert not Assessment.objects.exists()


def test_a_request_body_far_over_the_limit_is_refused_before_reading(assessor, employee, settings):
    settings.IMPORT_MAX_BYTES = 1024
    response = _post(assessor, employee, "{" + " " * 200_000 + "}")
    assert response.status_code == 413
    assert "the largest accepted is 1 KB" in response.content.decode()


def test_two_hundred_tasks_import(assessor, employee, settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    response = _post(assessor, employee, _many_tasks(200))
    assert response.status_code == 302
    assessment = Assessment.objects.get(employee=employee)
    assert assessment.lifting_tasks.count() == 200
    assert list(assessment.lifting_tasks.values_list("position", flat=True)) == list(range(1, 201))
    assert WorkerSection.objects.filter(assessment=assessment).exists()


def test_the_import_page_explains_the_format(assessor, employee):
    page = client_for(assessor).get(reverse("assessment_import", args=[employee.pk]))
    assert page.status_code == 200
    assert "interchange format" in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()


def test_employee_page_offers_the_import_to_assessors_only(assessor, manager, employee):
    url = reverse("employee_detail", args=[employee.pk])
    link = reverse("assessment_import", args=[employee.pk])
    assert link in client_for(assessor).get(url).content.decode()
    assert link not in client_for(manager).get(url).content.decode()


@pytest.mark.parametrize(
    ("escape_", "character"), [("\\ud800", "U+D800"), ("\\udfff", "U+DFFF"), ("\\u0000", "U+0000")]
)
def test_text_the_database_cannot_store_is_a_problem_at_its_place(
    assessor, employee, escape_, character
):
    from assessments.core.text import UNSTORABLE_MESSAGE

    document = json.dumps(_example("warehouse_picker"))
    # The label of the first task, as the file spells it: a JSON escape.
    label = json.loads(document)["lifting_tasks"][0]["label"]
    text = document.replace(json.dumps(label), f'"{escape_}x"', 1)
    response = _post(assessor, employee, text)
    assert response.status_code == 422
    message = str(UNSTORABLE_MESSAGE).format(character=character)
    assert _problems(response) == [escape(f"lifting_tasks[0].label: {message}")]
    assert not Assessment.objects.exists()


def test_a_name_the_database_cannot_store_is_shown_escaped(assessor, employee):
    document = json.dumps(_example("office_worker"))
    text = document.replace('"sitting": {', '"sitting": {"\\ud83dbad": 1, ', 1)
    response = _post(assessor, employee, text)
    assert response.status_code == 422
    [problem] = _problems(response)
    assert problem.startswith("sitting.\\ud83dbad: This text contains a character")
    assert not Assessment.objects.exists()


def test_a_version_1_file_is_imported_with_its_answers_mapped(assessor, employee):
    """Version 1 asked the pattern separately for ASAS and NG65 and had boolean red flags."""
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
            "ng65_waking_second_half_night": True,
            "rf_fever": True,
            "rf_night_pain": False,
        },
    }
    response = _post(assessor, employee, json.dumps(document))
    assert response.status_code == 302
    worker = WorkerSection.objects.get(assessment__employee=employee)
    assert worker.pain_eases_with_movement and worker.pain_returns_after_rest
    assert worker.night_pain_eases_on_rising
    assert worker.morning_stiffness_minutes is None
    assert (worker.rf_fever, worker.rf_night_pain, worker.rf_saddle_anaesthesia) == (
        "yes",
        "not_asked",
        "not_asked",
    )
    preview = services.assessment_preview(assessment=worker.assessment)
    assert preview.results is not None
    assert preview.results["worker"]["pain_class"] == "possible_inflammatory"
