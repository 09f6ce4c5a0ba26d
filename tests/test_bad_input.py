"""Hostile and clumsy input to every form of the app: never a server error, always a message
next to a field, never a partial save.

Hypothesis corrupts one to three fields of a valid submission at a time (negative, huge,
NaN and infinite numbers, text in number fields, unicode and control characters, over-long
text, unknown choices, impossible dates, missing fields), or sends files that are not
photos. After each request:

- the response is a refusal with a field-level message and the stored data is exactly as
  before, or
- it is an accepted save (some corruptions are still valid input) of data that the
  scoring package accepts.

The examples are derandomised (the same ones every run) and few per form, so the suite
stays quick on two cores; the scoring package's own property tests explore far more values.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from assessments.actions.forms import ActionUpdateForm
from assessments.actions.models import Action
from assessments.people.forms import EmployeeForm
from assessments.people.models import Employee
from assessments.records import services
from assessments.records.forms import LiftingTaskForm, SittingForm, WorkerForm, WorkstationForm
from assessments.records.models import Assessment, LiftingTask, Photo
from tests.conftest import LIFT, SITTING, WORKER, WORKSTATION, client_for
from tests.test_assessment_workflow import _post_values

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELD_ERROR = re.compile(r'class="[^"]*\b(invalid-feedback|is-invalid|errorlist)\b')
EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
MISSING = object()

NUMBER_JUNK = [
    "-1",
    "-0.001",
    "1e308",
    "1e309",
    "-1e309",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "abc",
    "12kg",
    "12 cm",
    "0x10",
    "1,5",
    "1_000",
    "",
    " ",
    "\x00",
    "9" * 400,
    "∞",
    "½",
    "١٢٣٤٥٦٧",
    "１２",
    "12.5.3",
    "--1",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "💥",
]
TEXT_JUNK = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "{{ request }}",
    "' OR 1=1 --",
    '=HYPERLINK("http://evil")',
    "ﷺ" * 80,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 العربية עברית",
    "x" * 5000,
]
CHOICE_JUNK = ["", " ", "other", "TRUE", "None", "0", "-1", "<b>x</b>", "\x00", "metric ", "US"]
DATE_JUNK = [
    "",
    "31/02/2026",
    "2026-02-30",
    "0000-00-00",
    "9999-99-99",
    "tomorrow",
    "2026-13-01",
    "-1",
    "1e9",
    "\x00",
    "10000-01-01",
]

hostile_number = st.one_of(
    st.sampled_from(NUMBER_JUNK),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**40), 10**40).map(str),
)
hostile_text = st.one_of(st.sampled_from(TEXT_JUNK), st.text(max_size=40))
hostile_choice = st.one_of(
    st.sampled_from(CHOICE_JUNK),
    st.text(max_size=12),
    st.integers(-(10**30), 10**30).map(str),  # ids no database column can hold
)
hostile_date = st.one_of(st.sampled_from(DATE_JUNK), st.text(max_size=12))
HOSTILE = {
    "number": hostile_number,
    "text": hostile_text,
    "choice": hostile_choice,
    "date": hostile_date,
    "choices": st.lists(hostile_choice, min_size=1, max_size=3),
}


def _kind(field: forms.Field) -> str | None:
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return "choices"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "choice"
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return "number"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.CharField):
        return "text"
    return None  # booleans (any value is a valid tick or no tick) and files


def _kinds(form: forms.BaseForm, skip: tuple[str, ...] = ("lock_version",)) -> dict[str, str]:
    return {
        name: kind
        for name, field in form.fields.items()
        if name not in skip and (kind := _kind(field)) is not None
    }


@st.composite
def corrupted(draw: Any, baseline: dict[str, Any], kinds: dict[str, str], prefix: str = ""):
    """`baseline` with one to three of its fields given hostile values or left out."""
    data = dict(baseline)
    names = draw(st.lists(st.sampled_from(sorted(kinds)), min_size=1, max_size=3, unique=True))
    for name in names:
        key = f"{prefix}-{name}" if prefix else name
        if draw(st.booleans()) and draw(st.booleans()):
            data.pop(key, None)
        else:
            data[key] = draw(HOSTILE[kinds[name]])
    return data


def assert_refused(response: Any, before: Any, after: Any) -> None:
    """A refusal: the message sits next to a field and nothing was stored."""
    assert after == before
    html = response.content.decode()
    assert FIELD_ERROR.search(html), html[-2000:]


# --- Section forms --------------------------------------------------------------------------

SECTIONS = {
    "workstation": (WorkstationForm, WORKSTATION),
    "sitting": (SittingForm, SITTING),
    "worker": (WorkerForm, WORKER),
}


def _section_state(draft: Assessment, name: str) -> Any:
    section = services.section_of(draft, name)
    return None if section is None else (section.to_input(), section.lock_version)


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_section_forms_survive_hostile_values(assessor, draft, name):
    form_class, values = SECTIONS[name]
    kinds = _kinds(form_class())
    client = client_for(assessor)
    url = reverse("section_save", args=[draft.pk, name])

    @FUZZ
    @given(data=corrupted(_post_values(name, values), kinds, prefix=name), htmx=st.booleans())
    def check(data: dict[str, Any], htmx: bool) -> None:
        before = _section_state(draft, name)
        data[f"{name}-lock_version"] = str(before[1])
        response = client.post(url, data, headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code in ((200,) if htmx else (302,)) + (422,)
        after = _section_state(draft, name)
        if response.status_code == 422:
            assert_refused(response, before, after)
        else:  # saved
            assert after[1] == before[1] + 1
            problems = services.assessment_preview(assessment=draft).errors
            assert not [p for p in problems if p.path.startswith(name)], problems

    check()


def test_live_preview_survives_hostile_values(assessor, draft):
    kinds = _kinds(SittingForm())
    client = client_for(assessor)
    url = reverse("section_preview", args=[draft.pk, "sitting"])
    before = _section_state(draft, "sitting")

    @FUZZ
    @given(data=corrupted(_post_values("sitting", SITTING), kinds, prefix="sitting"))
    def check(data: dict[str, Any]) -> None:
        response = client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert _section_state(draft, "sitting") == before

    check()


# --- Lifting tasks --------------------------------------------------------------------------


def _tasks(draft: Assessment) -> list[Any]:
    return [
        (t.pk, t.to_input(), t.lock_version) for t in LiftingTask.objects.filter(assessment=draft)
    ]


@pytest.mark.parametrize("existing", [False, True])
def test_lifting_task_form_survives_hostile_values(assessor, draft, existing):
    kinds = _kinds(LiftingTaskForm())
    client = client_for(assessor)
    task = draft.lifting_tasks.get()
    prefix = f"task-{task.pk}" if existing else "task-new"
    url = (
        reverse("task_save", args=[draft.pk, task.pk])
        if existing
        else reverse("task_create", args=[draft.pk])
    )

    @FUZZ
    @given(data=corrupted(_post_values(prefix, LIFT), kinds, prefix=prefix), htmx=st.booleans())
    def check(data: dict[str, Any], htmx: bool) -> None:
        before = _tasks(draft)
        data[f"{prefix}-lock_version"] = str(LiftingTask.objects.get(pk=task.pk).lock_version)
        response = client.post(url, data, headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code in (200, 302, 422)
        if response.status_code == 422:
            assert_refused(response, before, _tasks(draft))
        else:
            assert services.assessment_preview(assessment=draft).errors == ()

    check()


# --- Employees ------------------------------------------------------------------------------


def _employees() -> list[dict[str, Any]]:
    return list(Employee.objects.order_by("pk").values())


@pytest.mark.parametrize("edit", [False, True])
def test_employee_form_survives_hostile_values(assessor, employee, edit):
    baseline = {
        "hr_reference": "E900",
        "name": "Sam Lee",
        "job_title": "Clerk",
        "work_type": "office",
        "department": str(employee.department_id),
        "active": "on",
        "left_on": "",
    }
    kinds = _kinds(EmployeeForm())
    client = client_for(assessor)
    url = reverse("employee_edit", args=[employee.pk]) if edit else reverse("employee_create")

    @FUZZ
    @given(data=corrupted(baseline, kinds))
    def check(data: dict[str, Any]) -> None:
        before = _employees()
        response = client.post(url, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_refused(response, before, _employees())

    check()


# --- Actions --------------------------------------------------------------------------------


def _actions(assessment: Assessment) -> list[dict[str, Any]]:
    return list(Action.objects.filter(assessment=assessment).order_by("pk").values())


def test_action_update_form_survives_hostile_values(manager, completed):
    action = completed.actions.order_by("pk").first()
    kinds = _kinds(ActionUpdateForm())
    client = client_for(manager)
    url = reverse("action_detail", args=[action.pk])
    baseline = {
        "status": "in_progress",
        "owner": "",
        "due_on": "2027-01-31",
        "completed_on": "",
        "evidence_note": "Chair ordered",
    }

    @FUZZ
    @given(data=corrupted(baseline, kinds))
    def check(data: dict[str, Any]) -> None:
        before = _actions(completed)
        data["lock_version"] = str(Action.objects.get(pk=action.pk).lock_version)
        response = client.post(url, data)
        assert response.status_code in (302, 422)
        if response.status_code == 422:
            assert_refused(response, before, _actions(completed))

    check()


@FUZZ
@given(
    selected=st.lists(st.one_of(st.sampled_from(["1", "2", "-1", "0"]), hostile_text), max_size=4),
    status=st.one_of(st.sampled_from(["open", "done", "declined"]), hostile_choice),
    note=hostile_text,
    next_url=st.one_of(
        st.sampled_from(["//evil.example/", "https://evil.example/", "/\\evil.example", ""]),
        hostile_text,
    ),
)
def test_bulk_action_update_survives_hostile_values(
    manager, completed, selected, status, note, next_url
):
    before = _actions(completed)
    response = client_for(manager).post(
        reverse("action_bulk_update"),
        {"selected": selected, "status": status, "note": note, "next": next_url},
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    if status not in {"open", "in_progress", "done", "declined"}:
        assert _actions(completed) == before


# --- Completion -----------------------------------------------------------------------------


def _complete_data(count: int) -> dict[str, Any]:
    data = {
        "actions-TOTAL_FORMS": str(count),
        "actions-INITIAL_FORMS": str(count),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "100",
        "reassess_due": "2027-01-31",
    }
    for i in range(count):
        data.update(
            {
                f"actions-{i}-selected": "on",
                f"actions-{i}-code": "lifting.reduce_load",
                f"actions-{i}-title": "Reduce the load",
                f"actions-{i}-detail": "Split the boxes",
                f"actions-{i}-rationale": "LI 2.4",
                f"actions-{i}-category": "engineering",
                f"actions-{i}-priority": "2",
                f"actions-{i}-cost_band": "low",
                f"actions-{i}-owner": "",
                f"actions-{i}-due_on": "2027-01-31",
            }
        )
    return data


COMPLETE_FIELDS = {
    "actions-TOTAL_FORMS": "number",
    "actions-INITIAL_FORMS": "number",
    "actions-0-code": "text",
    "actions-0-title": "text",
    "actions-0-category": "choice",
    "actions-0-priority": "choice",
    "actions-0-cost_band": "choice",
    "actions-0-owner": "choice",
    "actions-0-due_on": "date",
    "actions-1-priority": "number",
    "actions-1-title": "text",
}


@FUZZ
@given(
    data=corrupted(_complete_data(2), COMPLETE_FIELDS),
    reassess_due=st.sampled_from([d for d in DATE_JUNK if d not in ("",)] + [""]),
)
def test_completion_form_survives_hostile_values(assessor, draft, data, reassess_due):
    data["reassess_due"] = reassess_due  # never a valid date: nothing may be completed
    before = (_section_state(draft, "sitting"), _actions(draft))
    response = client_for(assessor).post(reverse("assessment_complete", args=[draft.pk]), data)
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.is_draft
    assert_refused(response, before, (_section_state(draft, "sitting"), _actions(draft)))


# --- Photos ---------------------------------------------------------------------------------


def _tiny_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    return buffer.getvalue()


fake_images = st.one_of(
    st.binary(max_size=2048),
    st.binary(max_size=512).map(lambda tail: b"\xff\xd8\xff\xe0" + tail),  # a JPEG's start
    st.binary(max_size=512).map(lambda tail: b"\x89PNG\r\n\x1a\n" + tail),
    st.binary(max_size=512).map(lambda tail: b"GIF89a" + tail),
    st.binary(max_size=512).map(lambda tail: _tiny_jpeg()[:-60] + tail),  # cut short
)


@FUZZ
@given(
    content=fake_images,
    filename=st.one_of(
        st.sampled_from(
            ["x.jpg", "../../etc/passwd.jpg", "a" * 300 + ".png", ".jpg", "ünï😀.jpeg"]
        ),
        st.text(min_size=1, max_size=40),
    ),
    section=st.one_of(st.sampled_from(["general", "workstation"]), hostile_choice),
    caption=hostile_text,
)
def test_photo_upload_survives_fake_files(
    assessor, draft, settings, content, filename, section, caption
):
    before = list(Photo.objects.values_list("pk", flat=True))
    upload = SimpleUploadedFile(filename.replace("\x00", "") or "x", content, "image/jpeg")
    response = client_for(assessor).post(
        reverse("photo_upload", args=[draft.pk]),
        {"image": upload, "section": section, "caption": caption},
    )
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert_refused(response, before, list(Photo.objects.values_list("pk", flat=True)))
        photos_dir = Path(settings.MEDIA_ROOT) / "photos"
        stored = {p.name for p in photos_dir.glob("*")} if photos_dir.exists() else set()
        assert stored == {Path(p.image.name).name for p in Photo.objects.all()}


# --- Department report ----------------------------------------------------------------------


@FUZZ
@given(
    departments=st.lists(
        st.one_of(st.sampled_from(["1", "2", "999", "-1"]), hostile_text), max_size=3
    ),
    start=hostile_date,
    end=st.one_of(st.sampled_from(["2026-12-31"]), hostile_date),
    fmt=st.one_of(st.sampled_from(["html", "pdf"]), hostile_choice),
)
def test_department_report_form_survives_hostile_values(
    manager, completed, departments, start, end, fmt
):
    response = client_for(manager).get(
        reverse("department_report"),
        {"departments": departments, "start": start, "end": end, "format": fmt},
    )
    assert response.status_code == 200
    assert FIELD_ERROR.search(response.content.decode())


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "page",
                "band",
                "status",
                "department",
                "site",
                "q",
                "due",
                "overdue",
                "kind",
                "employee",
                "user",
                "owner",
                "priority",
                "category",
                "start",
                "end",
                "period",
            ]
        ),
        st.one_of(hostile_text, hostile_number, hostile_date),
        max_size=4,
    ),
    name=st.sampled_from(
        ["employee_list", "assessment_list", "action_list", "dashboard", "audit_log", "home"]
    ),
)
def test_list_pages_survive_hostile_query_strings(admin_user, completed, params, name):
    response = client_for(admin_user).get(reverse(name), params)
    assert response.status_code == 200


# --- JSON import ----------------------------------------------------------------------------

OFFICE = json.loads((EXAMPLES / "office_worker.json").read_text("utf-8"))


def _leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        paths = [path] if path else []
        for key, item in value.items():
            paths += _leaf_paths(item, (*path, key))
        return paths
    if isinstance(value, list):
        paths = [path]
        for index, item in enumerate(value):
            paths += _leaf_paths(item, (*path, index))
        return paths
    return [path]


json_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "12", "metric", "US", "NaN", "x" * 500]),
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@st.composite
def mutated_documents(draw: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(OFFICE))
    for _ in range(draw(st.integers(1, 3))):
        paths = _leaf_paths(document)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = document
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "delete", "unknown"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[key]
        elif action == "unknown" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(json_junk)
        else:
            parent[key] = draw(json_junk)
    return document


@FUZZ
@given(document=mutated_documents())
def test_json_import_survives_hostile_documents(assessor, employee, document):
    before = list(Assessment.objects.values_list("pk", flat=True))
    text = json.dumps(document, allow_nan=True).encode()
    upload = SimpleUploadedFile("assessment.json", text, "application/json")
    response = client_for(assessor).post(
        reverse("assessment_import", args=[employee.pk]), {"document": upload}
    )
    assert response.status_code in (302, 422)
    after = list(Assessment.objects.values_list("pk", flat=True))
    if response.status_code == 422:
        assert after == before
        html = response.content.decode()
        assert 'id="import-problems"' in html or FIELD_ERROR.search(html)
    else:
        [new] = set(after) - set(before)
        assert services.assessment_preview(assessment=Assessment.objects.get(pk=new)).errors == ()


HUGE_ID = "1" + "0" * 30


@pytest.mark.parametrize(
    "name", ["employee_list", "assessment_list", "action_list", "dashboard", "audit_log"]
)
def test_ids_too_large_for_the_database_are_harmless_in_filters(admin_user, completed, name):
    client = client_for(admin_user)
    for key in ("department", "site", "owner", "employee", "assessor", "page", "user", "kind"):
        assert client.get(reverse(name), {key: HUGE_ID}).status_code == 200, key


def test_ids_too_large_for_the_database_get_a_field_message(assessor, manager, completed):
    report = client_for(manager).get(
        reverse("department_report"),
        {"departments": [HUGE_ID], "start": "2026-01-01", "end": "2026-12-31"},
    )
    assert report.status_code == 200
    assert FIELD_ERROR.search(report.content.decode())
    action = completed.actions.order_by("pk").first()
    response = client_for(manager).post(
        reverse("action_detail", args=[action.pk]),
        {"status": "open", "owner": HUGE_ID, "lock_version": action.lock_version},
    )
    assert response.status_code == 422
    assert FIELD_ERROR.search(response.content.decode())
