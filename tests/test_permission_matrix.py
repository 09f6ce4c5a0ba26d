"""Every URL of the app x every role -> the expected status, and no health detail for managers.

The matrix must name every URL pattern in `assessments.urls`, and every route and method of
the API (`assessments.api.urls`): a new view without a rule here fails
`test_every_url_has_a_rule` or `test_every_api_route_has_a_rule`. API calls are made with a
personal token of each role (anonymous: none -> 401).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver, reverse
from PIL import Image

from assessments.records import photos
from assessments.records import services as records
from assessments.records.models import Assessment
from assessments.selfassess import services as selfassess_services
from tests.conftest import (
    api_client_for,
    client_for,
    complete,
    consent_link,
    fill_draft,
    make_admin,
    make_assessor,
    make_department,
    make_employee,
    make_manager,
    make_nobody,
    make_other_department,
    make_other_employee,
    make_other_manager,
    make_site,
    rows_for_module,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "nobody", "assessor", "manager", "other_manager", "admin"]
LOGIN = "login"

# url name -> (method, object key for args, {role: status}); "login" = redirect to sign-in.
ALL_ROLES_OK = {"nobody": 403, "assessor": 200, "manager": 200, "other_manager": 200, "admin": 200}
ASSESSORS_ONLY = {
    "nobody": 403,
    "assessor": 200,
    "manager": 403,
    "other_manager": 403,
    "admin": 200,
}
SCOPED = {"nobody": 403, "assessor": 200, "manager": 200, "other_manager": 404, "admin": 200}
DRAFT_EDIT = {"nobody": 403, "assessor": 200, "manager": 404, "other_manager": 404, "admin": 200}
ADMIN_SCOPED = {"nobody": 403, "assessor": 403, "manager": 403, "other_manager": 404, "admin": 200}
ADMIN_ONLY = {"nobody": 403, "assessor": 403, "manager": 403, "other_manager": 403, "admin": 200}


def _with(base: dict[str, int], **changes: int) -> dict[str, int]:
    return {**base, **changes}


RULES: dict[str, tuple[str, str | None, dict[str, int]]] = {
    "home": ("get", None, ALL_ROLES_OK),
    "healthz": ("get", None, dict.fromkeys(ROLES, 200)),
    "readyz": ("get", None, dict.fromkeys(ROLES, 200)),
    "employee_list": ("get", None, ALL_ROLES_OK),
    "employee_overdue": ("get", None, ALL_ROLES_OK),
    "employee_create": ("get", None, ASSESSORS_ONLY),
    "employee_detail": ("get", "employee", SCOPED),
    "employee_edit": ("get", "employee", _with(SCOPED, manager=403)),
    "assessment_start": ("post", "employee", _with(ASSESSORS_ONLY, assessor=302, admin=302)),
    "assessment_list": ("get", None, ALL_ROLES_OK),
    "assessment_detail": ("get", "completed", SCOPED),
    # An empty sitting form is valid (its numbers may stay unanswered), so the empty post,
    # sent without the lock version the editor loaded, is refused as a stale edit.
    "section_save": ("post", "draft_section", _with(DRAFT_EDIT, assessor=409, admin=409)),
    "section_preview": ("post", "draft_section", DRAFT_EDIT),
    "results_panel": ("get", "draft", DRAFT_EDIT),
    "task_create": ("post", "draft", _with(DRAFT_EDIT, assessor=422, admin=422)),
    "task_save": ("post", "draft_task", _with(DRAFT_EDIT, assessor=422, admin=422)),
    "task_duplicate": ("post", "draft_task", _with(DRAFT_EDIT, assessor=302, admin=302)),
    "task_delete": ("post", "draft_task", _with(DRAFT_EDIT, assessor=302, admin=302)),
    "assessment_complete": ("get", "draft", DRAFT_EDIT),
    "assessment_amend": ("get", "completed", ASSESSORS_ONLY),
    "photo_upload": ("post", "draft", _with(DRAFT_EDIT, assessor=302, admin=302)),
    "report_pdf": ("get", "completed_oh", _with(SCOPED, manager=403)),
    "report_preview": ("get", "completed_manager", SCOPED),
    "report_links": ("get", "completed", SCOPED),
    "photo_file": ("get", "photo", SCOPED),
    "photo_thumb": ("get", "photo", SCOPED),
    "action_list": ("get", None, ALL_ROLES_OK),
    "action_bulk_update": (
        "post",
        None,
        _with(ALL_ROLES_OK, assessor=302, manager=302, other_manager=302, admin=302),
    ),
    "action_detail": ("get", "action", SCOPED),
    "action_board": ("get", None, ALL_ROLES_OK),
    "action_complete": ("get", "action", SCOPED),
    "action_export": ("get", "csv", ALL_ROLES_OK),
    "assessment_export": ("get", "xlsx", ALL_ROLES_OK),
    "lifting_task_export": ("get", "csv", ALL_ROLES_OK),
    "assessment_json": ("get", "completed", _with(SCOPED, manager=403)),
    "department_report": ("get", None, ALL_ROLES_OK),
    "dashboard": ("get", None, ALL_ROLES_OK),
    "employee_privacy": ("get", "employee", ADMIN_SCOPED),
    "employee_data_export": ("post", "employee", ADMIN_SCOPED),
    "employee_erase": ("get", "employee", ADMIN_SCOPED),
    "audit_log": ("get", None, _with(ASSESSORS_ONLY, assessor=403)),
    "roster_upload": ("get", None, ADMIN_ONLY),
    # Without a previewed upload in the session the admin is sent back to the upload page.
    "roster_apply": ("post", None, _with(ADMIN_ONLY, admin=302)),
    "assessment_import": ("get", "employee", ASSESSORS_ONLY),
    "pack_start": (
        "post",
        None,
        _with(ALL_ROLES_OK, assessor=422, manager=422, other_manager=422, admin=422),
    ),
    "report_email": ("post", "completed", _with(ASSESSORS_ONLY, assessor=302, admin=302)),
    "job_detail": ("get", "job", SCOPED),
    "job_download": ("get", "job_done", SCOPED),
    "selfassess_queue": ("get", None, ASSESSORS_ONLY),
    "selfassess_invite": ("get", None, ASSESSORS_ONLY),
    "selfassess_detail": ("get", "invitation", ASSESSORS_ONLY),
    # Empty posts: the form's "required" errors (422) once access is granted.
    "selfassess_sign_off": ("post", "invitation", _with(ASSESSORS_ONLY, assessor=422, admin=422)),
    "selfassess_ask": ("post", "invitation", _with(ASSESSORS_ONLY, assessor=422, admin=422)),
    # The invitation has not been returned: nothing to book a visit from (409).
    "selfassess_visit": ("post", "invitation", _with(ASSESSORS_ONLY, assessor=409, admin=409)),
    "selfassess_alert_ack": ("post", "alert", _with(ASSESSORS_ONLY, assessor=302, admin=302)),
    "selfassess_review_done": ("post", "event", _with(ASSESSORS_ONLY, assessor=302, admin=302)),
    "employee_event": ("get", "employee", _with(SCOPED, manager=403)),
    # The employee's link needs no account: the signed token is the key, for anyone.
    "selfassess_link": ("get", "link", dict.fromkeys(ROLES, 302)),
    "selfassess_screen": ("get", "link_screen", dict.fromkeys(ROLES, 200)),
    "selfassess_send": ("get", "link", dict.fromkeys(ROLES, 200)),
    "selfassess_advice": ("get", "link", dict.fromkeys(ROLES, 200)),
    # The employee's consent link: no account, the signed token is the key.
    "consent_link": ("get", "consent_link", dict.fromkeys(ROLES, 200)),
    # OH's consent panel (the employee has no email address: a message, then back).
    "consent_send": ("post", "completed", _with(ASSESSORS_ONLY, assessor=302, admin=302)),
    # An empty post: the form's "required" errors (422) once access is granted.
    "consent_record": ("post", "completed", _with(ASSESSORS_ONLY, assessor=422, admin=422)),
    "token_list": ("get", None, ALL_ROLES_OK),
    "token_revoke": (
        "post",
        "own_token",
        _with(ALL_ROLES_OK, assessor=404, manager=302, other_manager=404, admin=404),
    ),
}

# API: (url name, method) -> (object key for args, body, {role: status}); no role = 401.
UNAUTHORISED = 401
API_ALL_OK = {"nobody": 403, "assessor": 200, "manager": 200, "other_manager": 200, "admin": 200}
API_SCOPED = {"nobody": 403, "assessor": 200, "manager": 200, "other_manager": 404, "admin": 200}
API_OH_ONLY = _with(API_SCOPED, manager=403)
API_ASSESSORS_ONLY = _with(API_ALL_OK, manager=403, other_manager=403)
API_PUBLIC = dict.fromkeys(ROLES, 200)
API_ADMIN_ONLY = _with(API_ALL_OK, assessor=403, manager=403, other_manager=403)

API_RULES: dict[tuple[str, str], tuple[str | None, Any, dict[str, int]]] = {
    ("api-schema", "get"): (None, None, API_PUBLIC),
    ("api-docs", "get"): (None, None, API_PUBLIC),
    ("api-site-list", "get"): (None, None, API_ALL_OK),
    # Both departments are on the one site of these fixtures.
    ("api-site-detail", "get"): ("site", None, API_ALL_OK),
    ("api-department-list", "get"): (None, None, API_ALL_OK),
    ("api-department-detail", "get"): ("department", None, API_SCOPED),
    ("api-employee-list", "get"): (None, None, API_ALL_OK),
    # An empty body: the employee form's "required" errors (400) once access is granted.
    ("api-employee-list", "post"): (None, {}, _with(API_ASSESSORS_ONLY, assessor=400, admin=400)),
    ("api-employee-detail", "get"): ("employee", None, API_SCOPED),
    # No If-Match: 428 once access is granted.
    ("api-employee-detail", "patch"): (
        "employee",
        {"name": "X"},
        _with(API_SCOPED, assessor=428, admin=428, manager=403),
    ),
    ("api-employee-detail", "put"): (
        "employee",
        {"name": "X"},
        _with(API_SCOPED, assessor=428, admin=428, manager=403),
    ),
    ("api-employee-upsert", "get"): ("employee_hr", None, API_SCOPED),
    ("api-employee-upsert", "put"): (
        "employee_hr",
        {"name": "X"},
        _with(API_ASSESSORS_ONLY, assessor=428, admin=428),
    ),
    ("api-assessment-list", "get"): (None, None, API_ALL_OK),
    ("api-assessment-list", "post"): (
        None,
        {},
        _with(API_ASSESSORS_ONLY, assessor=400, admin=400),
    ),
    ("api-assessment-detail", "get"): ("completed", None, API_SCOPED),
    ("api-assessment-results", "get"): ("completed", None, API_SCOPED),
    ("api-assessment-interchange", "get"): ("completed", None, API_OH_ONLY),
    ("api-report-list", "get"): ("completed", None, API_SCOPED),
    ("api-report-download", "get"): ("completed_manager", None, API_SCOPED),
    ("api-action-list", "get"): (None, None, API_ALL_OK),
    ("api-action-detail", "get"): ("action", None, API_SCOPED),
    ("api-action-detail", "patch"): (
        "action",
        {"status": "in_progress"},
        _with(API_SCOPED, assessor=428, manager=428, admin=428),
    ),
    ("api-export", "get"): ("csv_actions", None, API_ALL_OK),
    # Admins only; an empty list of rows is a row-level error (422), and applying without
    # the preview's fingerprint is refused (400).
    ("api-roster-preview", "post"): (None, {"rows": []}, _with(API_ADMIN_ONLY, admin=422)),
    ("api-roster-apply", "post"): (None, {"rows": []}, _with(API_ADMIN_ONLY, admin=400)),
}
#: Further objects of the same routes: the OH report, the other exports, a draft.
API_MORE: list[tuple[str, str, str, dict[str, int]]] = [
    ("api-report-download", "get", "completed_oh", API_OH_ONLY),
    ("api-assessment-detail", "get", "draft", _with(API_SCOPED, manager=404)),
    (
        "api-assessment-results",
        "get",
        "draft",
        _with(API_SCOPED, manager=404, assessor=409, admin=409),
    ),
    ("api-export", "get", "xlsx_assessments", API_ALL_OK),
    ("api-export", "get", "json_lifting", API_ALL_OK),
]

# Words and values that only the health part of an assessment contains.
HEALTH_MARKERS = [
    "BMI",
    "Yellow flags",
    "yellow flag",
    "31.8",
    "Worker factors",
    "Red flags",
    "pain history",
    "psychosocial",
]
#: A marker as a value of its own: the BMI 31.8, not the seconds of a time ("20:58:31.82").
_MARKER_PATTERNS = [
    re.compile(rf"(?<![\d:.]){re.escape(marker)}(?!\d)") for marker in HEALTH_MARKERS
]


def _health_markers_in(text: str) -> list[str]:
    return [pattern.pattern for pattern in _MARKER_PATTERNS if pattern.search(text)]


def _app_url_names() -> set[str]:
    from assessments import urls

    return {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}


def test_every_url_has_a_rule():
    assert _app_url_names() == set(RULES), "add the new view to RULES with its access rule"


def test_the_urlconf_has_no_unexpected_top_level_routes():
    top = {str(p.pattern) for p in get_resolver().url_patterns}
    assert top == {"admin/", "accounts/", "api/v1/", ""}


@dataclasses.dataclass(frozen=True)
class Matrix:
    """What every test of the matrix reads: the ids of the people by role and the URL
    arguments by object key, made once for the module (`_matrix`)."""

    media: Path
    people: dict[str, int]
    completed: int
    draft: int
    objects: dict[str, list[Any]]


@pytest.fixture(scope="module")
def _matrix(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Matrix]:
    """The people and objects, made once: 700 requests read them, and none of them keeps
    a change (each test's writes are rolled back with its savepoint)."""
    media = tmp_path_factory.mktemp("matrix-media")
    with rows_for_module(django_db_blocker, media):
        yield make_matrix(media)


def make_matrix(media: Path) -> Matrix:
    from django.core.files.base import ContentFile

    from assessments.api import tokens
    from assessments.reporting.models import Job, Report

    site = make_site()
    department, other_department = make_department(site), make_other_department(site)
    assessor, manager = make_assessor(), make_manager(department)
    people = {
        "assessor": assessor,
        "manager": manager,
        "other_manager": make_other_manager(other_department),
        "admin": make_admin(),
        "nobody": make_nobody(),
    }
    employee = make_employee(department)
    completed = complete(
        fill_draft(records.assessment_create(employee=employee, assessor=assessor)), assessor
    )
    other = records.assessment_create(
        employee=make_other_employee(other_department), assessor=assessor
    )
    complete(fill_draft(other), assessor)
    # A draft in the manager's own department, after the completed assessment.
    draft = fill_draft(records.assessment_create(employee=employee, assessor=assessor))

    for kind in Report.Kind.values:  # stored reports (the API never renders one)
        report = Report(assessment=completed, kind=kind, sha256="0" * 64, snapshot_sha256="0" * 64)
        report.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
        report.save()
    # A finished report pack the manager asked for in their own department.
    job = Job.objects.create(
        kind=Job.Kind.PACK,
        status=Job.Status.SUCCEEDED,
        requested_by=manager,
        department=department,
        total=1,
        done=1,
        result_name="pack.zip",
    )
    job.result.save("pack.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    # A token of the manager's: revoking it is the manager's, 404 for everyone else.
    own_token = tokens.token_create(user=manager, name="m", scope="read", lifetime_days=7).token
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG")
    photo = photos.photo_store(
        assessment=completed,
        upload=SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg"),
        section="workstation",
        caption="Desk",
        user=assessor,
    )
    task = draft.lifting_tasks.get()
    invitation = selfassess_services.invitation_create(employee=employee, user=assessor)
    link = selfassess_services._new_link(invitation)
    alert = selfassess_services.alert_raise(invitation=invitation, flags=["rf_fever"])
    event = selfassess_services.event_record(
        employee=employee, kind="pain_report", user=assessor, occurred_on=dt.date.today()
    )
    link_to_consent = consent_link(completed)
    objects = {
        "consent_link": [link_to_consent],
        "invitation": [invitation.pk],
        "link": [link],
        "link_screen": [link, "about"],
        "alert": [alert.pk],
        "event": [event.pk],
        "employee": [employee.pk],
        "completed": [completed.pk],
        "completed_oh": [completed.pk, "oh"],
        "completed_manager": [completed.pk, "manager"],
        "draft": [draft.pk],
        "draft_section": [draft.pk, "sitting"],
        "draft_task": [draft.pk, task.pk],
        "photo": [photo.pk],
        "action": [completed.actions.first().pk],
        "csv": ["csv"],
        "xlsx": ["xlsx"],
        "job": [job.pk],
        "job_done": [job.pk],
        "own_token": [own_token.pk],
        "site": [site.pk],
        "department": [department.pk],
        "employee_hr": [employee.hr_reference],
        "csv_actions": ["actions", "csv"],
        "xlsx_assessments": ["assessments", "xlsx"],
        "json_lifting": ["lifting-tasks", "json"],
    }
    return Matrix(
        media=media,
        people={name: user.pk for name, user in people.items()},
        completed=completed.pk,
        draft=draft.pk,
        objects=objects,
    )


# This module's tests read the rows made once; each test gets its own copies of them.


@pytest.fixture(autouse=True)
def _media_root(_matrix: Matrix, settings: Any) -> None:
    settings.MEDIA_ROOT = _matrix.media  # where the module's photos and reports are


@pytest.fixture
def matrix(_matrix: Matrix, db: Any) -> Matrix:
    return _matrix


def user_for(matrix: Matrix, role: str) -> User | None:
    """The signed-in person of a role (None: anonymous), read afresh for the test."""
    if role == "anonymous":
        return None
    return User.objects.get(pk=matrix.people[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_url_role_matrix(name, role, matrix):
    method, key, expected = RULES[name]
    user = user_for(matrix, role)
    url = reverse(name, args=matrix.objects[key] if key else [])
    data = {}
    if name == "photo_upload":
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20), "blue").save(buffer, format="PNG")
        data = {
            "image": SimpleUploadedFile("x.png", buffer.getvalue(), content_type="image/png"),
            "section": "general",
        }
    response = getattr(client_for(user), method)(url, data)
    status = expected.get(role, LOGIN)
    if status == LOGIN:
        assert response.status_code == 302, (name, role)
        assert response["Location"].startswith(reverse("login")), (name, role)
        return
    assert response.status_code == status, (name, role, response.status_code)
    if (
        role in ("manager", "other_manager")
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
    ):
        text = response.content.decode()
        assert not _health_markers_in(text), name


def _api_url_rules() -> set[tuple[str, str]]:
    from assessments.api import urls

    found = set()
    for pattern in urls.urlpatterns:
        view = pattern.callback.cls  # type: ignore[union-attr]
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                found.add((pattern.name, method))
    return found


def test_every_api_route_has_a_rule():
    assert _api_url_rules() == set(API_RULES), "add the API route and method to API_RULES"


def _api_call(name, method, key, body, role, matrix):
    user = user_for(matrix, role)
    url = reverse(name, args=matrix.objects[key] if key else [])
    client = api_client_for(user)
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body, content_type="application/json")


def _check_api(response, name, role, status):
    assert response.status_code == status, (name, role, response.status_code)
    if status == UNAUTHORISED:
        assert response["WWW-Authenticate"].startswith("Bearer")
    if role in ("manager", "other_manager") and response.status_code == 200:
        text = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith(("application/json", "text/csv")):
            assert not _health_markers_in(text.decode("utf-8-sig")), name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", sorted(API_RULES))
def test_api_route_role_matrix(rule, role, matrix):
    name, method = rule
    key, body, expected = API_RULES[rule]
    response = _api_call(name, method, key, body, role, matrix)
    _check_api(response, name, role, expected.get(role, UNAUTHORISED))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", API_MORE, ids=lambda case: f"{case[0]}-{case[2]}")
def test_api_route_role_matrix_more_objects(case, role, matrix):
    name, method, key, expected = case
    response = _api_call(name, method, key, None, role, matrix)
    _check_api(response, name, role, expected.get(role, UNAUTHORISED))


def test_other_departments_ids_look_like_missing_ones(matrix):
    client = client_for(user_for(matrix, "other_manager"))
    real = client.get(reverse("assessment_detail", args=[matrix.completed]))
    missing = client.get(reverse("assessment_detail", args=[matrix.completed + 999]))
    assert real.status_code == missing.status_code == 404


def test_manager_cannot_see_a_draft_in_their_own_department(matrix):
    assert Assessment.objects.get(pk=matrix.draft).status == Assessment.Status.DRAFT
    response = client_for(user_for(matrix, "manager")).get(
        reverse("assessment_detail", args=[matrix.draft])
    )
    assert response.status_code == 404
