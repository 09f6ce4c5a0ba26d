"""HR roster sync through the API: an HR system posts the rows it would put in a roster
file, previews what they change, and applies them with the preview's fingerprint; all rows
or none, admins only (docs/api.md, docs/roster.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from assessments.people import roster
from assessments.people.models import AuditEvent, Department, Employee
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

#: A leaving date must lie between the record's creation (today, in these tests) and today.
TODAY = timezone.localdate().isoformat()


def _row(reference: str, name: str, **more: Any) -> dict[str, Any]:
    return {
        "hr_reference": reference,
        "name": name,
        "email": f"{reference.lower()}@example.org",
        "job_title": "Picker",
        "department": "Customer Service",
        "site": "Northgate",
        **more,
    }


@pytest.fixture
def stored(department) -> Employee:
    return Employee.objects.create(
        hr_reference="HR1", name="Ada Stored", job_title="Picker", department=department
    )


def _post(client: Any, name: str, body: dict[str, Any]) -> Any:
    return client.post(reverse(name), body, content_type="application/json")


def _state() -> list[tuple[Any, ...]]:
    return list(
        Employee.objects.order_by("hr_reference").values_list(
            "hr_reference", "name", "email", "department_id", "left_on"
        )
    )


def test_a_preview_says_what_would_change_and_writes_nothing(admin_user, stored, other_department):
    client = api_client_for(admin_user)
    before = _state()
    rows = [
        _row("HR1", "Ada Stored", department="Goods In"),
        _row("HR2", "Bea Joiner", start_date="2026-11-02"),
    ]
    response = _post(client, "api-roster-preview", {"rows": rows})
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and data["applied"] is False
    assert {(i["hr_reference"], i["kind"]) for i in data["items"]} == {
        ("HR1", roster.MOVED),
        ("HR2", roster.NEW),
    }
    moved = next(i for i in data["items"] if i["hr_reference"] == "HR1")
    assert moved["employee"] == stored.pk
    assert any("Goods In" in change["new"] for change in moved["changes"])
    assert data["counts"][roster.NEW] == 1 and data["counts"][roster.MOVED] == 1
    assert _state() == before


def test_rows_with_errors_are_listed_by_row_and_nothing_is_applied(admin_user, stored):
    client = api_client_for(admin_user)
    before = _state()
    rows = [
        _row("HR2", "=HYPERLINK(1)"),
        _row("HR3", "Cal Dup"),
        _row("HR3", "Cal Again"),
        _row("HR4", "Dee Date", start_date="31/03/2026"),
        _row("HR5", "Eve Unknown", department="Nowhere"),
    ]
    preview = _post(client, "api-roster-preview", {"rows": rows})
    assert preview.status_code == 422
    errors = preview.json()["errors"]
    by_line = {e["line"]: e["reason"] for e in errors}
    assert "formula" in by_line[1]
    assert "HR3" in by_line[2] and "HR3" in by_line[3]
    assert "YYYY-MM-DD" in by_line[4]
    assert 5 in by_line
    applied = _post(
        client,
        "api-roster-apply",
        {"rows": rows, "fingerprint": preview.json()["fingerprint"]},
    )
    assert applied.status_code == 422
    assert applied.json()["applied"] is False
    assert _state() == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ROSTER_SYNC).exists()


def test_applying_the_previewed_rows_changes_everyone_at_once(admin_user, stored):
    client = api_client_for(admin_user)
    rows = [
        _row("HR1", "Ada Stored", leaving_date=TODAY),
        _row("HR2", "Bea Joiner", department="New Team"),
    ]
    preview = _post(client, "api-roster-preview", {"rows": rows})
    assert preview.status_code == 422  # "New Team" is not a department yet
    body = {"rows": rows, "create_missing_departments": True}
    preview = _post(client, "api-roster-preview", body)
    assert preview.status_code == 200
    assert preview.json()["new_departments"] == [{"site": "Northgate", "department": "New Team"}]
    applied = _post(
        client, "api-roster-apply", {**body, "fingerprint": preview.json()["fingerprint"]}
    )
    assert applied.status_code == 200
    assert applied.json()["applied"] is True
    stored.refresh_from_db()
    assert str(stored.left_on) == TODAY
    joiner = Employee.objects.get(hr_reference="HR2")
    assert joiner.department == Department.objects.get(name="New Team")
    assert joiner.email == "hr2@example.org"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ROSTER_SYNC)
    assert event.user == admin_user


def test_a_plan_that_changed_since_the_preview_is_refused(admin_user, stored):
    client = api_client_for(admin_user)
    rows = [_row("HR1", "Ada Renamed")]
    preview = _post(client, "api-roster-preview", {"rows": rows})
    Employee.objects.filter(pk=stored.pk).update(name="Ada Changed Meanwhile")
    before = _state()
    refused = _post(
        client, "api-roster-apply", {"rows": rows, "fingerprint": preview.json()["fingerprint"]}
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == str(roster.CHANGED_SINCE_MESSAGE)
    assert _state() == before


def test_applying_needs_the_fingerprint_and_a_list_of_rows(admin_user, stored):
    client = api_client_for(admin_user)
    missing = _post(client, "api-roster-apply", {"rows": [_row("HR1", "Ada")]})
    assert missing.status_code == 400
    assert "fingerprint" in missing.json()
    not_rows = _post(client, "api-roster-preview", {"rows": "HR1,Ada"})
    assert not_rows.status_code == 400
    assert "rows" in not_rows.json()
    empty = _post(client, "api-roster-preview", {"rows": []})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["reason"] == str(roster.NO_ROWS_MESSAGE)


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_only_admins_sync_the_roster(role, request, stored):
    client = api_client_for(request.getfixturevalue(role))
    before = _state()
    for name in ("api-roster-preview", "api-roster-apply"):
        response = _post(client, name, {"rows": [_row("HR9", "Not Allowed")], "fingerprint": "x"})
        assert response.status_code == 403
    assert _state() == before


def test_a_read_only_token_cannot_apply(admin_user, stored):
    client = api_client_for(admin_user, scope="read")
    response = _post(client, "api-roster-apply", {"rows": [_row("HR9", "X")], "fingerprint": "x"})
    assert response.status_code == 403
    assert not Employee.objects.filter(hr_reference="HR9").exists()


def test_roster_responses_match_the_published_schema(client, admin_user, stored):
    document = client.get(reverse("api-schema") + "?format=json").json()
    api = api_client_for(admin_user)
    rows = [_row("HR2", "Bea Joiner")]
    for name, path, body, code in (
        ("api-roster-preview", "/api/v1/roster/preview/", {"rows": rows}, 200),
        ("api-roster-preview", "/api/v1/roster/preview/", {"rows": [_row("HR3", "=1")]}, 422),
    ):
        response = _post(api, name, body)
        assert response.status_code == code
        _validate(document, path, response)
    preview = _post(api, "api-roster-preview", {"rows": rows}).json()
    applied = _post(api, "api-roster-apply", {"rows": rows, "fingerprint": preview["fingerprint"]})
    assert applied.status_code == 200
    _validate(document, "/api/v1/roster/apply/", applied)


def _validate(document: dict[str, Any], path: str, response: Any) -> None:
    declared = document["paths"][path]["post"]["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = list(validator.iter_errors(response.json()))
    assert not errors, [e.message for e in errors[:5]]
