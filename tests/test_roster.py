"""HR roster sync: an admin uploads HR's CSV, sees what would change, and confirms; every
row is applied or none (docs/roster.md)."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.people import roster
from assessments.people import services as people_services
from assessments.people.models import AuditEvent, Department, DepartmentTally, Employee, Site
from assessments.privacy import services as privacy
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = "hr_reference,name,email,job_title,department,site,start_date,leaving_date"
TODAY = timezone.localdate()
LONG_AGO = timezone.now() - dt.timedelta(days=365 * 10)


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def _upload(client: Any, data: bytes, *, create: bool = False) -> Any:
    payload: dict[str, Any] = {"file": SimpleUploadedFile("roster.csv", data, "text/csv")}
    if create:
        payload["create_missing_departments"] = "on"
    return client.post(reverse("roster_upload"), payload)


def _confirm(client: Any, preview: Any) -> Any:
    return client.post(
        reverse("roster_apply"), {"fingerprint": preview.context["plan"].fingerprint}
    )


def _state() -> list[tuple[Any, ...]]:
    return list(
        Employee.objects.order_by("hr_reference").values_list(
            "hr_reference",
            "name",
            "email",
            "job_title",
            "department_id",
            "started_on",
            "left_on",
            "active",
        )
    )


@pytest.fixture
def staff(department: Department, other_department: Department) -> dict[str, Employee]:
    """Four people whose records were created ten years ago."""
    people = {
        ref: Employee.objects.create(
            hr_reference=ref, name=name, job_title="Customer adviser", department=department
        )
        for ref, name in [
            ("E100", "Robin Patel"),
            ("E101", "Sam Okafor"),
            ("E102", "Jo Lind"),
            ("E103", "Ali Haddad"),
        ]
    }
    Employee.objects.update(created_at=LONG_AGO)
    for employee in people.values():
        employee.refresh_from_db()
    return people


@pytest.fixture
def admin(admin_user: Any) -> Any:
    return client_for(admin_user)


FULL = _csv(
    "E100,Robin Patel,,Customer adviser,Goods In,Northgate,,",
    "E101,Sam Okafor,sam@example.org,Team leader,Customer Service,Northgate,2019-05-01,",
    "E102,Jo Lind,,Customer adviser,Customer Service,Northgate,,2025-01-31",
    "E103,Ali Haddad,,Customer adviser,Customer Service,Northgate,,",
    "E200,Kim Novak,kim@example.org,Picker,Goods In,Northgate,2026-01-05,",
)


# --- Preview, then apply -----------------------------------------------------------------


def test_preview_sorts_every_row_and_changes_nothing(admin, staff):
    before = _state()
    response = _upload(admin, FULL)
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.counts == {"new": 1, "changed": 1, "moved": 1, "leaver": 1, "unchanged": 1}
    assert not plan.errors
    page = response.content.decode()
    assert "Joiners (new employees) (1)" in page
    assert "department: Customer Service (Northgate) → Goods In (Northgate)" in page
    assert "job title: Customer adviser → Team leader" in page
    assert "leaving date: — → 2025-01-31" in page
    assert "Apply these changes" in page
    assert _state() == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ROSTER_SYNC).exists()


def test_confirming_applies_joiners_changes_moves_and_leavers(
    admin, admin_user, staff, department, other_department
):
    versions = dict(DepartmentTally.objects.values_list("department_id", "version"))
    response = _confirm(admin, _upload(admin, FULL))
    assert response.status_code == 302
    assert response["Location"] == reverse("employee_list")

    moved = Employee.objects.get(hr_reference="E100")
    assert moved.department == other_department
    changed = Employee.objects.get(hr_reference="E101")
    assert (changed.job_title, changed.email) == ("Team leader", "sam@example.org")
    assert changed.started_on == dt.date(2019, 5, 1)
    leaver = Employee.objects.get(hr_reference="E102")
    assert leaver.left_on == dt.date(2025, 1, 31) and not leaver.active
    joiner = Employee.objects.get(hr_reference="E200")
    assert (joiner.name, joiner.email, joiner.job_title) == (
        "Kim Novak",
        "kim@example.org",
        "Picker",
    )
    assert joiner.department == other_department and joiner.active
    assert joiner.started_on == dt.date(2026, 1, 5) and joiner.left_on is None
    # The admin's history page shows who made each change.
    assert joiner.history.get().history_user == admin_user
    assert moved.history.latest().history_user == admin_user

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ROSTER_SYNC)
    assert event.user == admin_user
    assert event.detail == (
        "roster sync: 1 joined, 1 changed, 1 moved department, 1 left, 1 unchanged, "
        "0 department(s) created"
    )
    follow = admin.get(response["Location"])
    assert "Roster applied: 1 joined, 1 changed" in follow.content.decode()
    # Both departments' dashboard counts are recounted before they are read again.
    for pk, version in versions.items():
        assert DepartmentTally.objects.get(department_id=pk).version > version


def test_a_preview_is_applied_once(admin, staff):
    preview = _upload(admin, FULL)
    assert _confirm(admin, preview).status_code == 302
    again = _confirm(admin, preview)
    assert again.status_code == 302 and again["Location"] == reverse("roster_upload")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ROSTER_SYNC).count() == 1


def test_blank_optional_cells_never_clear_stored_values(admin, staff):
    Employee.objects.filter(hr_reference="E103").update(
        email="ali@example.org", started_on=dt.date(2018, 1, 1), left_on=TODAY, active=False
    )
    preview = _upload(admin, _csv("E103,Ali Haddad,,Customer adviser,Customer Service,Northgate,,"))
    assert preview.context["plan"].counts["unchanged"] == 1
    _confirm(admin, preview)
    ali = Employee.objects.get(hr_reference="E103")
    assert (ali.email, ali.started_on, ali.left_on) == (
        "ali@example.org",
        dt.date(2018, 1, 1),
        TODAY,
    )


def test_a_leaver_past_the_retention_period_is_due_for_anonymisation(admin, staff):
    left = TODAY - dt.timedelta(days=365 * 8)
    line = f"E102,Jo Lind,,Customer adviser,Customer Service,Northgate,,{left.isoformat()}"
    _confirm(admin, _upload(admin, _csv(line)))
    assert list(privacy.leavers_due().values_list("hr_reference", flat=True)) == ["E102"]


# --- Departments and sites ----------------------------------------------------------------


def test_unknown_department_and_site_are_row_errors(admin, staff):
    before = _state()
    response = _upload(
        admin,
        _csv(
            "E300,New One,,Picker,Returns,Northgate,,",
            "E301,New Two,,Picker,Goods In,Southport,,",
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Unknown department “Returns” at site “Northgate”" in page
    assert "Unknown site “Southport”" in page
    assert "Apply these changes" not in page
    assert _state() == before
    assert not Department.objects.filter(name="Returns").exists()


def test_ticking_create_missing_departments_creates_them(admin, staff, site):
    data = _csv(
        "E300,New One,,Picker,Returns,Northgate,,",
        "E301,New Two,,Picker,Goods In,Southport,,",
    )
    preview = _upload(admin, data, create=True)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Returns (Northgate)" in page and "Goods In (Southport), a new site" in page
    assert _confirm(admin, preview).status_code == 302
    assert Employee.objects.get(hr_reference="E300").department == Department.objects.get(
        site=site, name="Returns"
    )
    southport = Site.objects.get(name="Southport")
    assert Employee.objects.get(hr_reference="E301").department.site == southport
    assert "2 department(s) created" in AuditEvent.objects.get(kind="roster_sync").detail


def test_department_and_site_names_match_whatever_the_case(admin, staff, other_department):
    _confirm(admin, _upload(admin, _csv("E300,New One,,Picker,goods in,NORTHGATE,,")))
    assert Employee.objects.get(hr_reference="E300").department == other_department
    assert Department.objects.count() == 2


# --- Malformed files: row-level errors, nothing applied -------------------------------------

MALFORMED = {
    "bad encoding": (
        HEADER.encode() + "\nE300,Zoë Brand,,Picker,Goods In,Northgate,,\n".encode("latin-1"),
        ["The file is not UTF-8 text"],
    ),
    "duplicate HR references": (
        _csv(
            "E300,New One,,Picker,Goods In,Northgate,,",
            "E301,New Two,,Picker,Goods In,Northgate,,",
            "e300,New Three,,Picker,Goods In,Northgate,,",
        ),
        ["The HR reference E300 is on lines 2, 4", "The HR reference e300 is on lines 2, 4"],
    ),
    "missing columns": (
        _csv("E300,New One,Picker,Goods In", header="hr_reference,name,job_title,department"),
        ["Columns missing from the first line: email, site, start_date, leaving_date."],
    ),
    "formula with =": (
        _csv('E300,"=HYPERLINK(""http://x"")",,Picker,Goods In,Northgate,,'),
        ["“name” starts with “=”, which a spreadsheet runs as a formula"],
    ),
    "formula with +": (
        _csv("E300,New One,,+1+2,Goods In,Northgate,,"),
        ["“job_title” starts with “+”"],
    ),
    "formula with -": (
        _csv("-2+3,New One,,Picker,Goods In,Northgate,,"),
        ["“hr_reference” starts with “-”"],
    ),
    "formula with @": (
        _csv("E300,New One,@SUM(A1),Picker,Goods In,Northgate,,"),
        ["“email” starts with “@”"],
    ),
    "bad dates": (
        _csv(
            "E300,New One,,Picker,Goods In,Northgate,05/01/2026,",
            "E301,New Two,,Picker,Goods In,Northgate,2026-02-30,",
        ),
        [
            "“start_date” is “05/01/2026”: write dates as YYYY-MM-DD",
            "“start_date” is “2026-02-30”: write dates as YYYY-MM-DD",
        ],
    ),
    "wrong number of cells": (
        _csv("E300,New One,,Picker,Goods In"),
        ["This row has 5 cells; the first line names 8 columns."],
    ),
    "required cell empty": (
        _csv("E300,,,Picker,Goods In,Northgate,,"),
        ["“name” is empty: it is required."],
    ),
    "bad email": (
        _csv("E300,New One,not-an-address,Picker,Goods In,Northgate,,"),
        ["“email” is “not-an-address”, which is not an email address."],
    ),
    "leaves before starting": (
        _csv("E300,New One,,Picker,Goods In,Northgate,2026-01-05,2025-01-05"),
        ["The leaving date is before the start date."],
    ),
    "empty file": (b"", ["This field is required.", "The submitted file is empty."]),
    "a NUL character": (
        _csv("E300,New\x00One,,Picker,Goods In,Northgate,,"),
        ["“name” contains a character that cannot be stored (U+0000)."],
    ),
    "an unclosed quote": (
        _csv('E300,"New One,,Picker,Goods In,Northgate,,'),
        ["The file cannot be read as CSV"],
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_file_gets_row_errors_and_nothing_is_applied(admin, staff, case):
    data, messages = MALFORMED[case]
    # A good row beside the bad ones: it is not applied either.
    if data and case != "missing columns":
        data = data + b"E400,Good Row,,Picker,Goods In,Northgate,,\n"
    before = _state()
    response = _upload(admin, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert any(message in page for message in messages), page
    if case != "empty file":
        for message in messages:
            assert message in page
    assert "Apply these changes" not in page
    # Confirming anyway finds no preview to apply.
    refused = admin.post(reverse("roster_apply"), {"fingerprint": "x"})
    assert refused.status_code == 302 and refused["Location"] == reverse("roster_upload")
    assert _state() == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ROSTER_SYNC).exists()


def test_a_file_with_only_the_column_names_has_nothing_to_apply(admin, staff):
    response = _upload(admin, _csv())
    assert response.status_code == 422
    assert str(roster.NO_ROWS_MESSAGE) in response.content.decode()


def test_each_row_error_names_its_line_and_hr_reference(admin, staff):
    response = _upload(
        admin,
        _csv("E300,New One,,Picker,Goods In,Northgate,,", "E301,New Two,,=1,Goods In,Northgate,,"),
    )
    errors = response.context["plan"].errors
    assert [(e.line, e.hr_reference) for e in errors] == [(3, "E301")]


def test_the_formula_rule_is_the_exports_rule():
    from assessments.core.formulas import FORMULA_TRIGGERS
    from assessments.insights import exports

    for trigger in FORMULA_TRIGGERS:
        assert exports.safe_text(f"{trigger}1") == f"'{trigger}1"
        assert isinstance(roster.row_from_values(2, _values(name=f"{trigger}1")), list)


def _values(**changes: str) -> dict[str, str]:
    values = dict.fromkeys(roster.COLUMNS, "")
    values.update(hr_reference="E300", name="New One", job_title="Picker", department="Goods In")
    values.update(site="Northgate", **changes)
    return values


def test_utf8_with_a_byte_order_mark_and_windows_line_ends_are_accepted(admin, staff):
    data = "\ufeff" + HEADER + "\r\nE300,Zoë Brand,,Picker,Goods In,Northgate,,\r\n"
    response = _upload(admin, data.encode("utf-8"))
    assert response.status_code == 200
    _confirm(admin, response)
    assert Employee.objects.get(hr_reference="E300").name == "Zoë Brand"


def test_columns_in_any_order_with_extra_columns_ignored(admin, staff):
    header = "site,department,hr_reference,name,job_title,email,leaving_date,start_date,cost_centre"
    response = _upload(admin, _csv("Northgate,Goods In,E300,New One,Picker,,,,C12", header=header))
    assert response.status_code == 200
    assert response.context["plan"].counts["new"] == 1


def test_too_many_rows(admin, staff, monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    lines = [f"E{300 + n},Person {n},,Picker,Goods In,Northgate,," for n in range(4)]
    response = _upload(admin, _csv(*lines))
    assert response.status_code == 422
    assert "The file has more than 3 rows, the most one sync accepts." in response.content.decode()
    assert not Employee.objects.filter(hr_reference="E300").exists()


def test_a_file_too_large_is_refused_next_to_the_field(admin, staff, monkeypatch):
    monkeypatch.setattr(roster, "MAX_BYTES", 100)
    response = _upload(admin, _csv(*["E300,New One,,Picker,Goods In,Northgate,,"] * 5))
    assert response.status_code == 422
    assert "The file is 0 KB; the largest accepted is 0 KB." in response.content.decode()
    assert response.context["form"].errors["file"]


def test_a_body_far_too_large_is_refused_before_it_is_read(admin, staff):
    data = _csv(*["E300,New One,,Picker,Goods In,Northgate,,"] * 60_000)
    assert len(data) > roster.MAX_BYTES
    response = _upload(admin, data)
    assert response.status_code == 413
    assert "the largest accepted is 2048 KB" in response.content.decode()


# --- Leaving dates: the employee form's bounds ----------------------------------------------


def test_leaving_dates_keep_the_forms_bounds(admin, staff):
    tomorrow = TODAY + dt.timedelta(days=1)
    response = _upload(
        admin,
        _csv(
            f"E102,Jo Lind,,Customer adviser,Customer Service,Northgate,,{tomorrow.isoformat()}",
            "E300,New One,,Picker,Goods In,Northgate,,2020-01-01",
        ),
    )
    assert response.status_code == 422
    errors = {e.hr_reference: e.reason for e in response.context["plan"].errors}
    assert errors == {
        "E102": str(people_services.LEFT_ON_FUTURE_MESSAGE),
        "E300": str(people_services.LEFT_ON_BEFORE_RECORD_MESSAGE),
    }


def test_an_erased_employee_cannot_be_changed_by_the_roster(admin, admin_user, staff):
    privacy.employee_erase(employee=staff["E103"], user=admin_user)
    erased = Employee.objects.get(pk=staff["E103"].pk)
    line = f"{erased.hr_reference},Ali Haddad,,Adviser,Customer Service,Northgate,,"
    response = _upload(admin, _csv(line))
    assert response.status_code == 422
    assert escape(str(roster.ERASED_MESSAGE)) in response.content.decode()


# --- Applying re-validates against the data as it is then -----------------------------------


def test_a_change_after_the_preview_refuses_the_apply(admin, staff):
    preview = _upload(admin, FULL)
    Employee.objects.filter(hr_reference="E103").update(job_title="Supervisor")
    before = _state()
    response = _confirm(admin, preview)
    assert response.status_code == 409
    assert str(roster.CHANGED_SINCE_MESSAGE) in response.content.decode()
    assert _state() == before
    # The new preview can be confirmed.
    assert _confirm(admin, response).status_code == 302
    assert Employee.objects.get(hr_reference="E103").job_title == "Customer adviser"


def test_a_row_that_became_an_error_refuses_the_whole_apply(admin, staff, other_department):
    preview = _upload(admin, FULL)
    Employee.objects.filter(department=other_department).delete()
    other_department.delete()
    before = _state()
    response = _confirm(admin, preview)
    assert response.status_code == 409
    assert "Nothing was applied: 2 row(s) have errors" in response.content.decode()
    assert _state() == before


def test_apply_is_all_or_nothing(admin_user, staff, monkeypatch):
    parsed = roster.parse_csv(FULL)
    before = _state()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(roster, "audit", broken)
    with pytest.raises(RuntimeError):
        roster.roster_apply(rows=parsed.rows, user=admin_user)
    assert _state() == before


# --- For the API: rows that arrive already split ---------------------------------------------


def test_rows_posted_as_fields_plan_the_same_as_the_file(admin_user, staff):
    parsed = roster.parse_rows(
        [
            (1, _values(hr_reference="E100", department="Goods In", name="Robin Patel")),
            (2, _values(hr_reference="E300", start_date="2026-01-05")),
        ]
    )
    plan = roster.roster_plan(rows=parsed.rows, errors=parsed.errors)
    assert [item.kind for item in plan.items] == ["moved", "new"]
    applied = roster.roster_apply(rows=parsed.rows, user=admin_user, confirmed=plan.fingerprint)
    assert applied.counts["new"] == 1
    assert Employee.objects.get(hr_reference="E300").started_on == dt.date(2026, 1, 5)


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["nobody", "assessor", "manager"])
def test_only_admins_sync_the_roster(request, role, staff):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("roster_upload")).status_code == 403
    assert _upload(client, FULL).status_code == 403
    assert client.post(reverse("roster_apply")).status_code == 403
    assert Employee.objects.count() == 4


def test_the_employee_list_links_admins_to_the_sync(admin, assessor):
    assert reverse("roster_upload") in admin.get(reverse("employee_list")).content.decode()
    page = client_for(assessor).get(reverse("employee_list")).content.decode()
    assert reverse("roster_upload") not in page
