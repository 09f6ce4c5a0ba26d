"""Erasure leaves nothing behind: a canary string is put in every field and file of one
employee (name, HR reference, email, job title, notes, the reason for an amendment, worker
answers, lifting-task labels, action texts and evidence, photo captions and a photo file,
the stored PDFs, a report pack, audit details, the dashboard's stored counts and the admin
log of edits made in the Django admin), the employee is erased, and then every text and
JSON column of every table (change-history tables and `django_admin_log` included) and
every file under MEDIA_ROOT (inside PDFs and ZIPs too) is searched for it: no hit.

Run on PostgreSQL too:
`DATABASE_URL=postgres://... pytest --create-db tests/test_erasure_canary.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from assessments.actions import services as action_services
from assessments.people.models import Employee
from assessments.records import services
from assessments.records.models import Assessment, LiftingTask, WorkerSection
from tests.conftest import LIFT, WORKER, client_for, complete, fill_draft

pytestmark = pytest.mark.django_db(transaction=False)

CANARY = "Qzvcanary"
#: A weight no one else in the test has: the worker answers are numbers, not text.
CANARY_WEIGHT = 97.31
NAME = f"Robin {CANARY}"
HR_REF = f"HR-{CANARY}-7"
EMAIL = f"robin.{CANARY.lower()}@example.org"


# --- Searching everything -------------------------------------------------------------------


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def database_hits(needle: str) -> set[str]:
    """`table.column` of every text or JSON value (any case) holding `needle`, and of every
    number column holding the canary weight."""
    hits: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = model._default_manager.all()
        for field in _text_fields(model):
            column = field.attname
            if isinstance(field, models.JSONField):
                found = rows.annotate(_as_text=Cast(column, models.TextField())).filter(
                    _as_text__icontains=needle
                )
            else:
                found = rows.filter(**{f"{column}__icontains": needle})
            if found.exists():
                hits.add(f"{model._meta.db_table}.{column}")
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.FloatField)
                and rows.filter(**{field.attname: CANARY_WEIGHT}).exists()
            ):
                hits.add(f"{model._meta.db_table}.{field.attname}")
    return hits


def _readable_text(name: str, data: bytes) -> list[str]:
    """The file's bytes, and what a reader would see inside a ZIP or a PDF."""
    texts = [name, data.decode("latin-1")]
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                texts += _readable_text(member, archive.read(member))
    elif data.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(data))
        texts += [page.extract_text() or "" for page in reader.pages]
    return texts


def file_hits(needle: str) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    hits: set[str] = set()
    if not root.exists():
        return hits
    for path in root.rglob("*"):
        if path.is_file():
            texts = _readable_text(str(path.relative_to(root)), path.read_bytes())
            if any(needle.lower() in text.lower() for text in texts):
                hits.add(str(path.relative_to(root)))
    return hits


# --- The canary's records --------------------------------------------------------------------


def _photo_upload(caption_seed: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile(f"{caption_seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _mark_photo_file(name: str) -> None:
    """Photos are re-encoded on upload; append the canary to the stored bytes so the file
    itself is something a search can find."""
    path = Path(settings.MEDIA_ROOT) / name
    path.write_bytes(path.read_bytes() + f"{CANARY} in the file".encode())


@pytest.fixture
def canary(
    department, other_completed, assessor, admin_user, manager, django_capture_on_commit_callbacks
) -> Employee:
    manager.email = "manager@example.org"
    manager.save()
    employee = Employee.objects.create(
        hr_reference=HR_REF,
        name=NAME,
        email=EMAIL,
        job_title=f"{CANARY} adviser",
        department=department,
        started_on=dt.date(2020, 3, 2),
    )
    admin = client_for(admin_user)
    oh = client_for(assessor)
    with django_capture_on_commit_callbacks(execute=True):
        # An edit in the Django admin: the admin log keeps the employee's name.
        response = admin.post(
            reverse("admin:people_employee_change", args=[employee.pk]),
            {
                "hr_reference": HR_REF,
                "name": NAME,
                "email": EMAIL,
                "job_title": f"Senior {CANARY} adviser",
                "work_type": "office",
                "department": department.pk,
                "active": "on",
                "left_on": "",
            },
        )
        assert response.status_code == 302

        # Self-assessments: one returned with a red flag (an alert), a question and its
        # reply, one signed off with advice, and events on the employee. Made first: the
        # one signed off completes an assessment, and the stored counts hold the titles of
        # current actions only, so the assessment below must be the current one.
        _self_assessments(employee, assessor)

        # A completed assessment with every kind of free text and a distinctive worker answer.
        draft = fill_draft(services.assessment_create(employee=employee, assessor=assessor))
        WorkerSection.objects.filter(assessment=draft).update(weight_kg=CANARY_WEIGHT)
        LiftingTask.objects.filter(assessment=draft).update(label=f"{CANARY} boxes")
        Assessment.objects.filter(pk=draft.pk).update(notes=f"{CANARY}: mentioned a divorce")
        draft.refresh_from_db()
        photo = oh.post(
            reverse("photo_upload", args=[draft.pk]),
            {"image": _photo_upload(CANARY), "section": "workstation", "caption": f"{CANARY} desk"},
        )
        assert photo.status_code == 302
        completed = complete(draft, assessor)
        oh.get(reverse("report_pdf", args=[completed.pk, "oh"]))  # stores the OH report
        oh.get(reverse("report_pdf", args=[completed.pk, "manager"]))
        first, second, third = completed.actions.order_by("pk")[:3]
        assert (
            oh.post(
                reverse("action_complete", args=[first.pk]),
                {
                    "evidence_note": f"{CANARY} says it helps",
                    "completed_on": timezone.localdate().isoformat(),
                    "lock_version": first.lock_version,
                    "photo": _photo_upload("evidence"),
                    "caption": f"{CANARY} evidence",
                },
            ).status_code
            == 302
        )
        action_services.action_update(
            action=second, status="declined", evidence_note=f"{CANARY} declined it"
        )
        action_services.action_update(
            action=third, status="in_progress", evidence_note=f"{CANARY} is on it"
        )
        # The action's wording edited in the Django admin: the admin log keeps its title.
        edited = admin.post(
            reverse("admin:actions_action_change", args=[first.pk]),
            {
                "assessment": completed.pk,
                "code": first.code,
                "title": f"{CANARY} chair",
                "detail": f"{CANARY} detail",
                "rationale": f"{CANARY} why",
                "category": first.category,
                "priority": first.priority,
                "cost_band": first.cost_band,
                "status": "done",
                "completed_on": timezone.localdate().isoformat(),
                "evidence_note": f"{CANARY} says it helps",
            },
        )
        assert edited.status_code == 302

        # An amendment in progress, with its reason, and a reassessment draft (drafts copy
        # the notes).
        amended = oh.post(
            reverse("assessment_amend", args=[completed.pk]),
            {"reason": f"{CANARY} remembered a back injury"},
        )
        assert amended.status_code == 302
        reassessment = services.assessment_create(
            employee=employee, assessor=assessor, previous=completed
        )
        Assessment.objects.filter(pk=reassessment.pk).update(notes=f"{CANARY} follow-up")
        # What the admin logs when a lifting task is added inline to a draft: its label.
        LogEntry.objects.log_actions(
            admin_user.pk,
            [reassessment],
            CHANGE,
            [{"added": {"name": "lifting task", "object": f"{CANARY} boxes"}}],
            single_object=True,
        )

        # A report pack of the department, an emailed manager report, audited searches.
        pack = oh.post(
            reverse("pack_start"),
            {
                "department": department.pk,
                "start": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
                "end": timezone.localdate().isoformat(),
            },
        )
        assert pack.status_code == 302
        assert oh.post(reverse("report_email", args=[completed.pk])).status_code == 302
        oh.get(reverse("assessment_export", args=["csv"]), {"q": NAME})
        oh.get(reverse("employee_list"), {"q": HR_REF})
        # The dashboard's stored counts keep an action title as a label.
        assert client_for(assessor).get(reverse("dashboard")).status_code == 200
        for name in completed.photos.values_list("image", flat=True):
            _mark_photo_file(name)
    return employee


def _self_assessments(employee: Employee, assessor: Any) -> None:
    from assessments.selfassess import services as selfassess
    from assessments.selfassess.models import Invitation
    from tests.test_selfassess import ANSWERS

    for n, flags in enumerate(({"rf_fever": "yes"}, {})):
        invitation = selfassess.invitation_create(employee=employee, user=assessor)
        for screen, answers in ANSWERS.items():
            if screen == "red_flags":
                answers = {**answers, **flags}
            if screen == "back":
                answers = {**answers, "pain_duration_weeks": 3.0 + CANARY_WEIGHT / 1000}
            selfassess.answers_save(invitation=invitation, screen=screen, answers=answers)
        invitation = selfassess.invitation_return(invitation=invitation)
        if n == 0:
            selfassess.question_ask(
                invitation=invitation, user=assessor, question=f"{CANARY}: which chair?"
            )
            selfassess.reply_save(invitation=invitation, reply=f"{CANARY} has a stool")
        else:
            Invitation.objects.filter(pk=invitation.pk).update(
                answers={**invitation.answers, "note": f"{CANARY} answer"}
            )
            invitation.refresh_from_db()
            selfassess.sign_off(
                invitation=invitation, user=assessor, advice=f"{CANARY} advice", action_codes=[]
            )
    selfassess.event_record(
        employee=employee, kind="pregnancy", user=assessor, occurred_on=dt.date(2026, 11, 2)
    )


WHERE_THE_CANARY_IS = {
    "people_employee.name",
    "people_employee.hr_reference",
    "people_employee.job_title",
    "people_employee.email",
    "people_historicalemployee.email",
    "records_assessment.notes",
    "records_assessment.inputs",
    "records_assessment.results",
    "records_historicalassessment.notes",
    "records_assessment.amendment_reason",
    "records_historicalassessment.amendment_reason",
    "records_liftingtask.label",
    "records_historicalliftingtask.label",
    "records_workersection.weight_kg",
    "records_historicalworkersection.weight_kg",
    "records_photo.caption",
    "actions_action.title",
    "actions_action.detail",
    "actions_action.rationale",
    "actions_action.evidence_note",
    "actions_historicalaction.title",
    "actions_historicalaction.evidence_note",
    "people_auditevent.detail",
    "insights_tallyrow.label",
    "django_admin_log.object_repr",
    "django_admin_log.change_message",
    "selfassess_invitation.question",
    "selfassess_invitation.reply",
    "selfassess_invitation.advice",
    "selfassess_invitation.answers",
}


def _erase_on_request(admin_user: Any, employee: Employee) -> None:
    response = client_for(admin_user).post(
        reverse("employee_erase", args=[employee.pk]), {"confirm": HR_REF}
    )
    assert response.status_code == 302


def _erase_by_retention(admin_user: Any, employee: Employee) -> None:
    long_ago = timezone.localdate() - dt.timedelta(days=365 * 7)
    Employee.objects.filter(pk=employee.pk).update(active=False, left_on=long_ago)
    call_command("anonymise_leavers", stdout=io.StringIO())


@pytest.mark.parametrize("erase", [_erase_on_request, _erase_by_retention])
def test_no_trace_of_an_erased_employee_anywhere(
    canary, admin_user, other_completed, django_capture_on_commit_callbacks, erase
):
    before = database_hits(CANARY)
    assert before >= WHERE_THE_CANARY_IS, WHERE_THE_CANARY_IS - before
    files_before = file_hits(CANARY)
    assert {name.split("/")[0] for name in files_before} == {"photos", "reports", "jobs"}
    others = {r.file.name for r in other_completed.reports.all()}

    with django_capture_on_commit_callbacks(execute=True):
        erase(admin_user, canary)

    assert database_hits(CANARY) == set()
    assert file_hits(CANARY) == set()
    # Only the canary's records went: the other employee is untouched.
    assert database_hits("Kit Osei") >= {"people_employee.name"}
    assert all(default_storage.exists(name) for name in others)
    assert Employee.objects.get(pk=canary.pk).is_erased


def test_the_search_finds_what_erasure_would_leave(canary, admin_user):
    """The search itself is checked: text left in a history row is found."""
    # The last completed assessment: the assessor's (a signed-off self-assessment is earlier).
    completed = canary.assessments.filter(status="completed").order_by("pk").last()
    history = completed.actions.filter(code__startswith="lifting.").first().history.first()
    _erase_on_request(admin_user, canary)
    type(history).objects.filter(pk=history.pk).update(history_change_reason=CANARY)
    assert database_hits(CANARY) == {"actions_historicalaction.history_change_reason"}


def test_the_fixture_put_the_canary_in_the_snapshot_worker_answers(canary):
    # The last completed assessment: the assessor's (a signed-off self-assessment is earlier).
    completed = canary.assessments.filter(status="completed").order_by("pk").last()
    assert completed.inputs["worker"]["weight_kg"] == CANARY_WEIGHT
    assert completed.inputs["lifting_tasks"][0]["label"] == f"{CANARY} boxes"
    assert WORKER["weight_kg"] != CANARY_WEIGHT and LIFT["label"] != f"{CANARY} boxes"
