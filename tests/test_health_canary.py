"""No health detail reaches a manager, whatever the output.

One employee of the manager's department is assessed twice with a distinctive canary in
every health field and in every free text a manager must not read: the worker's answers
(numbers chosen to be unmistakable, flags whose labels are searched for), the assessment
notes, the reason for an amendment, the wording and evidence of personal health actions,
the reason of psychosocial actions, the captions of general photos and of health actions'
evidence photos. The second assessment is amended (with that reason) and the amendment
completed; a draft reassessment is in progress as well.

Then the manager of that department fetches everything the app offers a manager: every page
of `assessments/urls.py` with every object of that employee (htmx requests too), the manager
PDFs, the department report, the CSV and Excel exports, a report pack (its PDFs and
manifest), the manager report email, and every read of the API (`/api/v1/`) with a personal
token of theirs (JSON read as its keys and values, CSV, Excel and the stored PDFs). No
canary may appear in any of it. Which objects are tried does not depend on the rule under
test: every action, photo and assessment of the employee is requested, and the rule must
answer 404 for the ones a manager may not see.

What counts as health detail is written here independently of `assessments.core.health`:
actions of the categories "individual" and "clinical" are personal health measures, and the
reasons of psychosocial actions quote the worker's answers.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db.models import Q
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments import permissions
from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.people.models import Department, Employee, Site
from assessments.records import photos, services, snapshot
from assessments.records.models import (
    Assessment,
    LiftingTask,
    Photo,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.scoring import worker as worker_method
from assessments.selfassess import consent as consent_services
from assessments.selfassess import services as selfassess
from assessments.selfassess import tokens
from assessments.selfassess.models import Consent, ConsentKey, Invitation
from tests.conftest import LIFT, WORKSTATION, rows_for_module
from tests.report_data import TASKS, jpeg_upload
from tests.test_selfassess import ANSWERS as SELF_ANSWERS

pytestmark = pytest.mark.django_db

#: Personal health measures, by category: never shown to a manager, nor their wording.
HEALTH_CATEGORIES = {"individual", "clinical"}
#: Code families whose reason quotes health answers.
CONFIDENTIAL_REASON_FAMILIES = {"activity", "individual", "clinical", "psychosocial"}

WORKER = {
    "age_years": 67,
    "height_cm": 193.7,
    "weight_kg": 143.9,
    "current_pain": True,
    "pain_duration_weeks": 417.0,
    "episodes_last_12_months": 37,
    "pain_intensity": 9,
    "back_pain_onset_age": 29,
    "pain_eases_with_movement": True,
    "pain_returns_after_rest": True,
    "night_pain_eases_on_rising": True,
    "morning_stiffness_minutes": 187,
    **dict.fromkeys(worker_method.YELLOW_FLAG_FIELDS, True),
    "rf_night_pain": "yes",
    "rf_unexplained_weight_loss": "yes",
    "rf_history_of_cancer": "yes",
    "rf_fever": "yes",
    "rf_iv_drug_use": "no",
    # The other red flags stay "not asked", with the reason (free text: health data).
    "red_flags_not_asked_reason": "CNRYnotasked worker declined the remaining questions",
    "asas_insidious_onset": True,
    "ng65_buttock_pain": True,
    "ng65_psoriasis": True,
}
SITTING = {
    "hours_worked_per_day": 8.0,
    "pct_sitting": 80,
    "pct_standing": 10,
    "pct_walking": 10,
    "pct_heavy": 0,
    "longest_sitting_bout_minutes": 95,
    "sit_stand_desk_available": True,
    "sit_stand_desk_used": False,
    "moderate_minutes_per_week": 1234,
    "vigorous_minutes_per_week": 321,
    "strengthening_days_per_week": 6,
}
#: Numbers no workplace figure of this assessment comes near (searched as whole numbers).
NUMBERS = {
    "height": "193.7",
    "weight": "143.9",
    "pain duration": "417",
    "moderate minutes": "1234",
    "vigorous minutes": "321",
    "moderate-equivalent minutes": "1876",
    "stiffness on waking": "187",
}
#: Words that only the health part of an assessment uses.
LABELS = [
    "BMI",
    "kg/m²",
    "Worker factors",
    "Yellow flags",
    "yellow flag",
    "Red flags",
    "red flag",
    "Pain intensity",
    "9/10",
    "Episodes in the last 12 months",
    "moderate-equivalent",
    "Urgent clinical review",
    "ASAS",
    "NG65",
    "Pain pattern",
    "inflammatory",
    "not asked",
]

NOT_ASKED_REASON = "CNRYnotasked"

NOTES = "CNRYnotes assessment notes"
AMENDMENT_REASON = "CNRYamendreason: she mentioned a new back injury"
HEALTH_TITLE = "CNRYhtitle"
HEALTH_DETAIL = "CNRYhdetail"
HEALTH_WHY = "CNRYhwhy"
HEALTH_EVIDENCE = "CNRYhevidence"
PSYCHOSOCIAL_WHY = "CNRYpsywhy"
GENERAL_CAPTION = "CNRYgeneralphoto"
HEALTH_PHOTO_CAPTION = "CNRYhealthphoto"
SELF_QUESTION = "CNRYselfquestion"
SELF_REPLY = "CNRYselfreply"


def _family(code: str) -> str:
    return code.split(".", 1)[0]


def _user(username: str, group: str, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password="x" * 20, **extra)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _complete(assessment: Assessment, user: User, manager: User) -> Assessment:
    """Complete with every recommendation as an action, health wording replaced by canaries."""
    preview = services.assessment_preview(assessment=assessment)
    assert preview.results is not None, preview.errors
    drafts = []
    for n, rec in enumerate(snapshot.read_results(preview.results).recommendations):
        draft = action_services.ActionDraft.from_recommendation(
            rec,
            assessed_on=assessment.assessed_on,
            owner=manager,
            due_on=assessment.assessed_on + dt.timedelta(days=7 * (n + 1)),
        )
        if rec.category in HEALTH_CATEGORIES:
            draft = action_services.ActionDraft(
                **{
                    **vars_of(draft),
                    "title": f"{HEALTH_TITLE} {n}",
                    "detail": HEALTH_DETAIL,
                    "rationale": HEALTH_WHY,
                    "owner": user,
                }
            )
        elif _family(rec.code) in CONFIDENTIAL_REASON_FAMILIES:
            draft = action_services.ActionDraft(**{**vars_of(draft), "rationale": PSYCHOSOCIAL_WHY})
        drafts.append(draft)
    completed = action_services.assessment_complete(
        assessment=assessment, user=user, actions=drafts
    )
    # The employee consents (in person, recorded by OH): the manager sees everything a
    # manager may see of it.
    consent = consent_services.consent_request(assessment=completed, user=user)
    consent_services.consent_decide(
        consent=consent, status="given", user=user, note="Agreed in the clinic"
    )
    return completed


def vars_of(draft: action_services.ActionDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in draft.__dataclass_fields__}


@dataclass
class World:
    manager: User
    assessor: User
    department: Department
    employee: Employee
    assessments: list[Assessment]
    canaries: dict[str, str | re.Pattern[str]]


def _seed() -> World:
    site = Site.objects.create(name="Canary Quay")
    department = Department.objects.create(site=site, name="Canary Works")
    manager = _user("canary_manager", permissions.MANAGER_GROUP, email="manager@example.org")
    department.managers.add(manager)
    assessor = _user("canary_assessor", permissions.ASSESSOR_GROUP)
    employee = Employee.objects.create(
        hr_reference="C100", name="Jo Canary", job_title="Packer", department=department
    )

    def draft(previous: Assessment | None = None) -> Assessment:
        assessment = services.assessment_create(
            employee=employee, assessor=assessor, previous=previous
        )
        Assessment.objects.filter(pk=assessment.pk).update(notes=NOTES)
        if previous is None:
            WorkstationSection.objects.create(assessment=assessment, **WORKSTATION)
            SittingSection.objects.create(assessment=assessment, **SITTING)
            WorkerSection.objects.create(assessment=assessment, **WORKER)
            for position, task in enumerate([LIFT, TASKS[1]], start=1):
                LiftingTask.objects.create(assessment=assessment, position=position, **task)
        assessment.refresh_from_db()
        return assessment

    first = _complete(draft(), assessor, manager)
    Assessment.objects.filter(pk=first.pk).update(
        assessed_on=timezone.localdate() - dt.timedelta(days=200)
    )
    second = _complete(draft(previous=first), assessor, manager)
    in_progress = draft(previous=second)

    for assessment in (first, second):
        photos.photo_store(
            assessment=assessment,
            upload=jpeg_upload("gray"),
            section="general",
            caption=GENERAL_CAPTION,
            user=assessor,
        )
        photos.photo_store(
            assessment=assessment,
            upload=jpeg_upload("steelblue"),
            section="workstation",
            caption="Desk from the door",
            user=assessor,
        )
        for action in assessment.actions.all():
            if action.category in HEALTH_CATEGORIES:
                action_services.action_update(
                    action=action, status=Action.Status.IN_PROGRESS, evidence_note=HEALTH_EVIDENCE
                )
                photos.photo_store(
                    assessment=assessment,
                    upload=jpeg_upload("darkred"),
                    section="action",
                    caption=HEALTH_PHOTO_CAPTION,
                    user=assessor,
                    action=action,
                )
    photos.photo_store(
        assessment=in_progress,
        upload=jpeg_upload("gray"),
        section="workstation",
        caption="Draft photo CNRYdraftphoto",
        user=assessor,
    )

    # The second assessment amended, with a reason, and the amendment completed: its open
    # actions carry over to the amendment.
    amendment = services.assessment_amend(assessment=second, user=assessor, reason=AMENDMENT_REASON)
    amended = _complete(amendment, assessor, manager)

    canaries: dict[str, str | re.Pattern[str]] = {
        "notes": "CNRYnotes",
        "amendment reason": "CNRYamendreason",
        "health action title": HEALTH_TITLE,
        "health action detail": HEALTH_DETAIL,
        "health action reason": HEALTH_WHY,
        "health action evidence": HEALTH_EVIDENCE,
        "psychosocial reason": PSYCHOSOCIAL_WHY,
        "general photo caption": GENERAL_CAPTION,
        "health evidence photo caption": HEALTH_PHOTO_CAPTION,
        "draft photo caption": "CNRYdraftphoto",
        "reason red flags not asked": NOT_ASKED_REASON,
        **{f"label {label}": _word(label) for label in LABELS},
    }
    results = snapshot.load(second).results
    assert results.worker is not None and results.sitting is not None
    canaries["BMI value"] = _number(f"{results.worker.bmi:.1f}")
    for label in [*results.worker.yellow_flags, *results.worker.red_flags]:
        canaries[f"flag {label}"] = label
    assert results.worker.pain_class == "possible_inflammatory"
    for text in results.worker.pain_class_criteria:
        canaries[f"pain class criterion {text}"] = text
    for text in [
        *results.worker.reasons,
        *results.worker.inflammatory.reasons,
        *results.sitting.activity_reasons,
        *(r.reason for r in results.referrals),
        *(r.source for r in results.referrals),
        results.strain.summary,
        *(
            reason
            for c in results.strain.components
            if c.component in ("activity", "individual", "psychosocial")
            for reason in c.reasons
        ),
        *(
            r.why
            for r in results.recommendations
            if _family(r.code) in CONFIDENTIAL_REASON_FAMILIES or r.category in HEALTH_CATEGORIES
        ),
    ]:
        canaries[f"text {text[:40]}"] = text
    hidden_photos = Photo.objects.filter(assessment__employee=employee).filter(
        ~Q(section__in=["workstation", "lifting"]) | Q(assessment=in_progress)
    )
    for photo in hidden_photos:
        canaries[f"photo {photo.pk} link"] = f"/photos/{photo.pk}/"
    # A self-assessment of the employee, returned with a red flag, a question and its reply.
    invitation = selfassess.invitation_create(employee=employee, user=assessor)
    for screen, answers in SELF_ANSWERS.items():
        if screen == "red_flags":
            answers = {**answers, "rf_fever": "yes"}
        selfassess.answers_save(invitation=invitation, screen=screen, answers=answers)
    invitation = selfassess.invitation_return(invitation=invitation)
    selfassess.question_ask(invitation=invitation, user=assessor, question=SELF_QUESTION)
    selfassess.reply_save(invitation=invitation, reply=SELF_REPLY)
    canaries["self-assessment question"] = SELF_QUESTION
    canaries["self-assessment reply"] = SELF_REPLY
    return World(
        manager=manager,
        assessor=assessor,
        department=department,
        employee=employee,
        assessments=[first, second, in_progress, amended],
        canaries=canaries,
    )


# --- Reading every output as text --------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF"), data[:20]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _zip_texts(data: bytes) -> Iterator[tuple[str, str]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        content = archive.read(name)
        yield name, _pdf_text(content) if name.endswith(".pdf") else content.decode()


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _as_text(response: Any) -> str:
    data = _body(response)
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return _pdf_text(data)
    if "spreadsheetml" in kind:
        return _xlsx_text(data)
    if kind.startswith("application/zip"):
        return "\n".join(f"{name}\n{text}" for name, text in _zip_texts(data))
    if kind.startswith("image/"):
        return ""
    text = data.decode("utf-8-sig")
    if kind.startswith("text/html"):
        # Random per-request tokens could spell anything: they are not content.
        text = re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"', "", text)
        text = re.sub(r'"X-CSRFToken": "[^"]*"', "", text)
        text = html.unescape(text)
    return text


def _json_text(value: Any) -> Iterator[str]:
    """A JSON document's keys and values, one per line (as a person would read them)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_text(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_text(item)
    elif value is not None:
        yield str(value)


def _collect_api(world: World, outputs: dict[str, tuple[int, str]]) -> None:
    """Every read of the API, with a personal token of the manager's."""
    from assessments.api import tokens

    secret = tokens.token_create(
        user=world.manager, name="canary", scope="read", lifetime_days=1
    ).secret
    client = Client(headers={"authorization": f"Bearer {secret}"})
    employee = world.employee
    urls = [
        reverse("api-site-list"),
        reverse("api-site-detail", args=[world.department.site_id]),
        reverse("api-department-list"),
        reverse("api-department-detail", args=[world.department.pk]),
        reverse("api-employee-list"),
        reverse("api-employee-detail", args=[employee.pk]),
        reverse("api-employee-upsert", args=[employee.hr_reference]),
        reverse("api-assessment-list"),
        reverse("api-assessment-list") + "?status=draft",
        reverse("api-action-list"),
        reverse("api-action-list") + "?category=individual",
        reverse("api-action-list") + "?category=clinical",
        reverse("api-action-list") + "?status=in_progress",
        *(
            reverse("api-export", args=[table, fmt])
            for table in ("assessments", "lifting-tasks", "actions")
            for fmt in ("csv", "xlsx", "json")
        ),
    ]
    for assessment in world.assessments:
        pk = assessment.pk
        urls += [
            reverse("api-assessment-detail", args=[pk]),
            reverse("api-assessment-results", args=[pk]),
            reverse("api-assessment-interchange", args=[pk]),
            reverse("api-report-list", args=[pk]),
            reverse("api-report-download", args=[pk, "manager"]),
            reverse("api-report-download", args=[pk, "oh"]),
        ]
    urls += [
        reverse("api-action-detail", args=[action.pk])
        for action in Action.objects.filter(assessment__employee=employee)
    ]
    for url in urls:
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if kind.startswith("application/json"):
            text = "\n".join(_json_text(response.json()))
        else:
            text = _as_text(response)
        outputs[f"API {url}"] = (response.status_code, text)


def _collect(world: World) -> dict[str, tuple[int, str]]:
    """Every output the manager can reach: label -> (status, text)."""
    client = _client(world.manager)
    outputs: dict[str, tuple[int, str]] = {}

    def fetch(label: str, method: str, url: str, data: Any = None, **headers: Any) -> Any:
        response = getattr(client, method)(url, data or {}, **headers)
        outputs[label] = (response.status_code, _as_text(response))
        return response

    today = timezone.localdate()
    period = {"start": str(today - dt.timedelta(days=400)), "end": str(today)}
    employee = world.employee
    pages = [
        "/",
        reverse("employee_list"),
        reverse("employee_overdue"),
        reverse("employee_detail", args=[employee.pk]),
        reverse("assessment_list"),
        reverse("assessment_list") + "?latest=true&band=very_high",
        reverse("action_list"),
        reverse("action_list") + "?category=individual",
        reverse("action_list") + "?category=clinical",
        reverse("action_list") + "?code=clinical.urgent_review",
        reverse("action_list") + "?status=in_progress",
        reverse("action_board"),
        reverse("dashboard"),
        reverse("dashboard") + f"?department={world.department.pk}",
        reverse("department_report"),
        reverse("department_report")
        + f"?departments={world.department.pk}&start={period['start']}&end={period['end']}"
        + "&format=html",
    ]
    for assessment in world.assessments:
        pk = assessment.pk
        pages += [
            reverse("assessment_detail", args=[pk]),
            reverse("report_preview", args=[pk, "manager"]),
            reverse("report_preview", args=[pk, "oh"]),
            reverse("results_panel", args=[pk]),
            reverse("assessment_complete", args=[pk]),
        ]
    actions = Action.objects.filter(assessment__employee=employee)
    for action in actions:
        pages += [
            reverse("action_detail", args=[action.pk]),
            reverse("action_complete", args=[action.pk]),
        ]
    # OH's self-assessment pages: the manager is refused each of them.
    pages += [reverse("selfassess_queue"), reverse("selfassess_invite")]
    pages += [reverse("employee_event", args=[employee.pk])]
    for invitation in Invitation.objects.filter(employee=employee):
        pages.append(reverse("selfassess_detail", args=[invitation.pk]))
    for url in pages:
        fetch(url, "get", url)
        fetch(f"{url} (htmx)", "get", url, HTTP_HX_REQUEST="true")

    for photo in Photo.objects.filter(assessment__employee=employee):
        for name in ("photo_file", "photo_thumb"):
            url = reverse(name, args=[photo.pk])
            fetch(url, "get", url)

    # The employee's consent page shows what the manager would see: that part of it is a
    # manager output (the rest is the employee's own advice, theirs to read).
    for consent in Consent.objects.filter(assessment__employee=employee):
        token, hashed = tokens.new_token(tokens.CONSENT)
        ConsentKey.objects.create(
            consent=consent,
            token_hash=hashed,
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
        response = Client().get(reverse("consent_link", args=[token]))
        page = _as_text(response)
        start = page.find('id="manager-preview"')
        preview = page[start : page.index("</section>", start)] if start >= 0 else ""
        outputs[f"consent preview {consent.assessment_id}"] = (response.status_code, preview)

    for assessment in world.assessments:
        for kind in ("manager", "oh"):
            url = reverse("report_pdf", args=[assessment.pk, kind])
            fetch(url, "get", url)
        url = reverse("assessment_json", args=[assessment.pk])
        fetch(url, "get", url)
        for name in ("section_preview",):
            url = reverse(name, args=[assessment.pk, "worker"])
            fetch(url, "post", url)
    for name in ("assessment_export", "lifting_task_export", "action_export"):
        for fmt in ("csv", "xlsx"):
            url = reverse(name, args=[fmt])
            fetch(url, "get", url)
    url = reverse("department_report")
    fetch(
        "department report PDF",
        "get",
        url,
        {"departments": world.department.pk, **period},
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(reverse("pack_start"), {"department": world.department.pk, **period})
    assert started.status_code == 302, started.status_code
    fetch("report pack job page", "get", started["Location"])
    job_pk = int(started["Location"].rstrip("/").split("/")[-1])
    fetch("report pack", "get", reverse("job_download", args=[job_pk]))

    mail.outbox = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = _client(world.assessor).post(reverse("report_email", args=[world.assessments[1].pk]))
    assert sent.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["manager@example.org"]
    for n, message in enumerate(mail.outbox):
        parts = [message.subject, message.body]
        parts += [_pdf_text(content) for _name, content, _mime in message.attachments]
        outputs[f"manager report email {n}"] = (200, "\n".join(parts))
    _collect_api(world, outputs)  # after the report downloads above stored the PDFs
    return outputs


@pytest.fixture(scope="module")
def world_and_outputs(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[World, dict[str, tuple[int, str]], dict[str, str]]]:
    """Seeded once for the module, inside a transaction rolled back at the end."""
    with rows_for_module(django_db_blocker, tmp_path_factory.mktemp("canary-media")):
        world = _seed()
        outputs = _collect(world)
        oh = _oh_outputs(world)
        yield world, outputs, oh


def _oh_outputs(world: World) -> dict[str, str]:
    """The same employee as OH sees it: where every canary does appear."""
    client = _client(world.assessor)
    texts = {}
    urls = [reverse("assessment_detail", args=[a.pk]) for a in world.assessments]
    urls += [
        reverse("report_preview", args=[a.pk, "oh"])
        for a in (*world.assessments[:2], world.assessments[3])
    ]
    urls += [
        reverse("assessment_export", args=["csv"]),
        reverse("action_export", args=["csv"]),
        reverse("action_list") + "?status=in_progress",
    ]
    urls += [
        reverse("action_detail", args=[a.pk])
        for a in Action.objects.filter(assessment__employee=world.employee)
    ]
    urls += [
        reverse("selfassess_detail", args=[i.pk])
        for i in Invitation.objects.filter(employee=world.employee)
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = _as_text(response)
    return texts


def _word(label: str) -> re.Pattern[str]:
    """A label where a word starts (so not inside a longer word or code)."""
    return re.compile(rf"(?<![0-9A-Za-z]){re.escape(label)}")


def _number(value: str) -> re.Pattern[str]:
    """A number on its own, not part of a longer one (or of a hexadecimal digest)."""
    return re.compile(rf"(?<![0-9A-Za-z.]){re.escape(value)}(?![0-9A-Za-z]|\.\d)")


def _found(canary: str | re.Pattern[str], text: str) -> bool:
    if isinstance(canary, re.Pattern):
        return canary.search(text) is not None
    if canary in text:
        return True
    # PDF text comes back with line breaks inside long sentences.
    squeezed = re.sub(r"\s+", "", canary)
    return len(squeezed) > 12 and squeezed in re.sub(r"\s+", "", text)


def _all_canaries(world: World) -> dict[str, str | re.Pattern[str]]:
    numbers = {f"number {name}": _number(value) for name, value in NUMBERS.items()}
    return {**world.canaries, **numbers}


def test_the_manager_reaches_the_employee_through_every_output(world_and_outputs):
    _world, outputs, _oh = world_and_outputs
    reached = {label for label, (status, _text) in outputs.items() if status == 200}
    for label in (
        "report pack",
        "department report PDF",
        "manager report email 0",
        reverse("employee_overdue"),
        reverse("assessment_export", args=["xlsx"]),
        reverse("lifting_task_export", args=["csv"]),
    ):
        assert label in reached, label
    assert sum("Jo Canary" in text for _status, text in outputs.values()) >= 20
    assert sum(label.endswith("(htmx)") for label in reached) >= 15
    for assessment in world_and_outputs[0].assessments[:2]:
        for name in ("api-assessment-results", "api-assessment-detail"):
            assert f"API {reverse(name, args=[assessment.pk])}" in reached
        assert f"API {reverse('api-report-download', args=[assessment.pk, 'manager'])}" in reached
    assert f"API {reverse('api-export', args=['actions', 'json'])}" in reached
    previews = [
        text for label, (_s, text) in outputs.items() if label.startswith("consent preview")
    ]
    # Three completed revisions; the amended one's link says it was replaced.
    assert len(previews) == 3
    assert sum("What your manager would see" in text for text in previews) == 2


def test_every_canary_is_a_value_oh_sees(world_and_outputs):
    world, _outputs, oh = world_and_outputs
    text = "\n".join(oh.values())
    missing = [name for name, canary in _all_canaries(world).items() if not _found(canary, text)]
    assert not missing


def test_no_canary_reaches_any_output_a_manager_can_reach(world_and_outputs):
    world, outputs, _oh = world_and_outputs
    leaks = [
        (label, name)
        for label, (_status, text) in outputs.items()
        for name, canary in _all_canaries(world).items()
        if _found(canary, text)
    ]
    assert not leaks, "\n".join(f"{name!r} in {label}" for label, name in leaks)


def test_what_a_manager_may_not_open_answers_404(world_and_outputs):
    world, outputs, _oh = world_and_outputs
    for assessment in world.assessments:
        assert outputs[reverse("report_preview", args=[assessment.pk, "oh"])][0] in (403, 404)
        assert outputs[reverse("results_panel", args=[assessment.pk])][0] in (403, 404)
    assert outputs[reverse("assessment_detail", args=[world.assessments[2].pk])][0] == 404
    for assessment in world.assessments:
        pk = assessment.pk
        assert outputs[f"API {reverse('api-report-download', args=[pk, 'oh'])}"][0] in (403, 404)
        assert outputs[f"API {reverse('api-assessment-interchange', args=[pk])}"][0] in (403, 404)
    draft = world.assessments[2].pk
    assert outputs[f"API {reverse('api-assessment-results', args=[draft])}"][0] == 404
    closed = [
        label
        for label, (status, _text) in outputs.items()
        if label.startswith("/photos/") and status == 200
    ]
    opened = {int(label.split("/")[2]) for label in closed}
    links = {int(str(v).split("/")[2]) for k, v in world.canaries.items() if k.startswith("photo ")}
    assert not opened & links


def test_no_server_path_reaches_a_browser(world_and_outputs, settings):
    """Previews show photos through the app; the server's folders stay on the server."""
    _world, outputs, _oh = world_and_outputs
    media = str(settings.MEDIA_ROOT)
    leaks = [label for label, (_s, text) in outputs.items() if "file://" in text or media in text]
    assert not leaks
    previews = [text for label, (_s, text) in outputs.items() if "/report/manager/" in label]
    assert any('src="/photos/' in text for text in previews)
