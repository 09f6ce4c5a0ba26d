"""Exports: CSV and Excel of assessments, lifting tasks and actions with the list's filters;
health fields only for OH staff and admins; no spreadsheet formulas from typed text; one
assessment's inputs as interchange JSON for OH staff and admins."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.actions import services as action_services
from assessments.core import health
from assessments.insights import exports
from assessments.people.models import AuditEvent
from assessments.records import services
from assessments.scoring import interchange
from tests.conftest import client_for, fill_draft

pytestmark = pytest.mark.django_db

HEALTH_COLUMNS = set(exports.ASSESSMENT_HEALTH_COLUMNS)


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx(response) -> list[list[object]]:
    assert response.status_code == 200
    assert response["Content-Type"] == exports_view_type("xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def exports_view_type(fmt: str) -> str:
    from assessments.views.exports import FORMATS

    return FORMATS[fmt]


# --- Assessments ------------------------------------------------------------------------


def test_assessor_csv_has_scores_bands_and_health_fields(assessor, completed, other_completed):
    rows = _csv(client_for(assessor).get(reverse("assessment_export", args=["csv"])))
    assert len(rows) == 2
    assert list(rows[0]) == exports.ASSESSMENT_COLUMNS + exports.ASSESSMENT_HEALTH_COLUMNS
    row = next(r for r in rows if r["assessment_id"] == str(completed.pk))
    assert row["employee"] == "Robin Patel"
    assert row["department"] == "Customer Service" and row["site"] == "Northgate"
    assert float(row["strain_score"]) == completed.strain_score
    assert row["band"] == completed.get_band_display()
    assert row["rosa_final"] == str(completed.rosa_final)
    assert row["current"] == "yes"
    assert row["bmi"] == "31.8"
    assert "stressed" in row["yellow_flags"].lower()
    lifting = next(
        c for c in completed.results["strain"]["components"] if c["component"] == "lifting"
    )
    assert row["lifting_level"] == str(lifting["level"])


def test_manager_csv_has_no_health_fields(manager, completed, other_completed):
    response = client_for(manager).get(reverse("assessment_export", args=["csv"]))
    rows = _csv(response)
    assert [r["employee"] for r in rows] == ["Robin Patel"]  # their department only
    assert set(rows[0]) == set(exports.ASSESSMENT_COLUMNS)
    assert not HEALTH_COLUMNS & set(rows[0])
    flat = json.dumps(rows)
    assert "31.8" not in flat and "stress" not in flat.lower()
    assert rows[0]["sitting_hours_per_day"]  # sitting at work is a workplace exposure


def test_manager_excel_has_no_health_fields(manager, completed):
    table = _xlsx(client_for(manager).get(reverse("assessment_export", args=["xlsx"])))
    header, first = table[0], table[1]
    assert header == exports.ASSESSMENT_COLUMNS
    assert not HEALTH_COLUMNS & set(header)
    assert first[header.index("employee")] == "Robin Patel"
    assert "31.8" not in json.dumps(table, default=str)


def test_assessor_excel_has_typed_cells(assessor, completed):
    table = _xlsx(client_for(assessor).get(reverse("assessment_export", args=["xlsx"])))
    header, first = table[0], table[1]
    assert header == exports.ASSESSMENT_COLUMNS + exports.ASSESSMENT_HEALTH_COLUMNS
    assert first[header.index("strain_score")] == completed.strain_score
    assert first[header.index("assessed_on")].date() == completed.assessed_on
    assert first[header.index("bmi")] == 31.8


def test_export_honours_the_list_filters(assessor, completed, other_completed, other_department):
    url = reverse("assessment_export", args=["csv"])
    rows = _csv(client_for(assessor).get(url, {"department": other_department.pk}))
    assert [r["employee"] for r in rows] == ["Kit Osei"]
    rows = _csv(client_for(assessor).get(url, {"band": "low"}))
    assert all(r["band"] == "Low" for r in rows)
    rows = _csv(client_for(assessor).get(url, {"q": "robin"}))
    assert [r["employee"] for r in rows] == ["Robin Patel"]


def test_manager_export_leaves_out_drafts(manager, completed, assessor):
    fill_draft(services.assessment_create(employee=completed.employee, assessor=assessor))
    rows = _csv(client_for(manager).get(reverse("assessment_export", args=["csv"])))
    assert [r["status"] for r in rows] == ["Completed"]


def test_health_export_is_audited(assessor, completed):
    client_for(assessor).get(reverse("assessment_export", args=["csv"]), {"band": "high"})
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.user == assessor and "band=high" in event.detail


def test_unknown_format_is_not_found(assessor):
    assert client_for(assessor).get("/assessments/export.pdf").status_code == 404


def test_list_pages_link_to_exports_with_the_current_filters(assessor, completed):
    client = client_for(assessor)
    page = client.get(reverse("assessment_list"), {"band": "high"}).text
    assert 'href="/assessments/export.csv?band=high"' in page
    assert 'href="/assessments/export.xlsx?band=high"' in page
    assert 'href="/assessments/lifting-tasks/export.csv?band=high"' in page
    page = client.get(reverse("action_list"), {"status": "open"}).text
    assert 'href="/actions/export.csv?status=open"' in page
    assert 'href="/actions/export.xlsx?status=open"' in page


# --- Lifting tasks ----------------------------------------------------------------------


def test_lifting_task_export_has_one_row_per_task_with_its_index(manager, completed, assessor):
    rows = _csv(client_for(manager).get(reverse("lifting_task_export", args=["csv"])))
    assert list(rows[0]) == exports.TASK_COLUMNS
    assert len(rows) == 1
    task = completed.results["lifting"]["tasks"][0]
    assert rows[0]["task"] == "Boxes to shelf"
    assert rows[0]["load"] == "15.0"
    assert float(rows[0]["lifting_index"]) == pytest.approx(task["governing"]["lifting_index"])
    assert rows[0]["limiting_multiplier"] == task["governing"]["limiting"]


def test_lifting_task_export_of_drafts_has_inputs_without_results(assessor, draft):
    url = reverse("lifting_task_export", args=["csv"])
    rows = _csv(client_for(assessor).get(url, {"status": "draft"}))
    assert [r["task"] for r in rows] == ["Boxes to shelf"]
    assert rows[0]["lifting_index"] == "" and rows[0]["status"] == "Draft"


# --- Actions ----------------------------------------------------------------------------


def test_action_export_columns_and_manager_redaction(manager, assessor, completed):
    assessor_rows = _csv(client_for(assessor).get(reverse("action_export", args=["csv"])))
    manager_rows = _csv(client_for(manager).get(reverse("action_export", args=["csv"])))
    assert list(manager_rows[0]) == exports.ACTION_COLUMNS
    health_codes = {
        r["code"]
        for r in assessor_rows
        if r["category"] in ("Individual / health", "Clinical referral")
    }
    assert health_codes, "the sample assessment raises personal health actions"
    assert not health_codes & {r["code"] for r in manager_rows}
    assert len(manager_rows) < len(assessor_rows)
    # A code names its family; a manager reads it only where they may read the reason.
    assert not any(r["code"].startswith("psychosocial.") for r in manager_rows)
    withheld = [r for r in manager_rows if r["why"] == health.WITHHELD]
    assert withheld and all(r["code"] == health.WITHHELD for r in withheld)


def test_action_export_honours_filters(assessor, completed):
    action = completed.actions.order_by("pk").first()
    action_services.action_update(action=action, status="done", evidence_note="Fitted")
    rows = _csv(
        client_for(assessor).get(reverse("action_export", args=["csv"]), {"status": "done"})
    )
    assert [r["action_id"] for r in rows] == [str(action.pk)]
    assert rows[0]["status"] == "Done" and rows[0]["evidence_note"] == "Fitted"


# --- Formula injection ------------------------------------------------------------------


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx"])
def test_text_that_looks_like_a_formula_is_written_as_text(assessor, completed, text):
    employee = completed.employee
    employee.name = text
    employee.save()
    action = completed.actions.order_by("pk").first()
    action_services.action_update(action=action, status="done", evidence_note=text)
    rows = _csv(client_for(assessor).get(reverse("assessment_export", args=["csv"])))
    assert rows[0]["employee"] == "'" + text
    rows = _csv(
        client_for(assessor).get(reverse("action_export", args=["csv"]), {"status": "done"})
    )
    assert rows[0]["evidence_note"] == "'" + text
    response = client_for(assessor).get(reverse("assessment_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=exports.ASSESSMENT_COLUMNS.index("employee") + 1)
    # Excel shows the text as typed, without the CSV's apostrophe, in a text cell.
    assert cell.value == text and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere


def test_negative_numbers_stay_numbers(assessor):
    assert exports.safe_text(-3) == -3
    assert exports.safe_text("-3") == "'-3"


# --- One assessment as interchange JSON -------------------------------------------------


def test_completed_assessment_json_is_its_stored_input_snapshot(assessor, completed):
    response = client_for(assessor).get(reverse("assessment_json", args=[completed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document == completed.inputs
    assert document["format"] == interchange.INPUT_FORMAT
    interchange.parse_input(document)  # scores again through the command line as it is
    assert AuditEvent.objects.filter(kind="export", assessment=completed).exists()


def test_draft_json_is_built_from_its_sections(assessor, draft):
    document = json.loads(
        client_for(assessor).get(reverse("assessment_json", args=[draft.pk])).content
    )
    assert document == services.assessment_input_dict(draft)
    assert document["lifting_tasks"][0]["label"] == "Boxes to shelf"


def test_json_is_health_data_so_managers_are_refused(manager, other_manager, completed):
    url = reverse("assessment_json", args=[completed.pk])
    assert client_for(manager).get(url).status_code == 403
    assert client_for(other_manager).get(url).status_code == 404


def test_export_queries_do_not_grow_with_rows(assessor, completed, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(assessor)
    urls = [
        reverse("assessment_export", args=["csv"]),
        reverse("lifting_task_export", args=["csv"]),
        reverse("action_export", args=["xlsx"]),
    ]

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        return len(captured)

    before = [count(url) for url in urls]
    for _ in range(3):
        draft = fill_draft(
            services.assessment_create(employee=completed.employee, assessor=assessor)
        )
        from tests.conftest import complete

        complete(draft, assessor)
    after = [count(url) for url in urls]
    assert after == before
    with django_assert_max_num_queries(12):
        b"".join(client.get(urls[0]).streaming_content)
