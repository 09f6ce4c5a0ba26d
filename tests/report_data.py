"""A full assessment for the report tests: three lifting tasks, ten actions, every health field.

The worker has a BMI, yellow flags, red flags (so a referral), current pain with a duration
and an intensity, and little activity: everything the manager and department reports must
leave out. Values are chosen to be distinctive in the rendered text.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assessments.actions import services as action_services
from assessments.people.models import Employee
from assessments.records import photos, services, snapshot
from assessments.records.models import (
    Assessment,
    LiftingTask,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.reporting import tasks as reporting_tasks
from assessments.scoring.worker import RED_FLAG_FIELDS
from assessments.selfassess.models import Consent
from tests.conftest import LIFT, SITTING, WORKSTATION

#: 171 cm, 98.7 kg -> BMI 33.8 (printed as "33.8" in the OH report only).
BMI_TEXT = "33.8"
WORKER_FULL = {
    "age_years": 47,
    "height_cm": 171.0,
    "weight_kg": 98.7,
    "current_pain": True,
    "pain_duration_weeks": 9.0,
    "episodes_last_12_months": 3,
    "pain_intensity": 7,
    "pain_eases_with_movement": True,
    "pain_returns_after_rest": True,
    "yf_stress_worry": True,
    "yf_low_mood": True,
    **dict.fromkeys(RED_FLAG_FIELDS, "no"),
    "rf_night_pain": "yes",
    "rf_unexplained_weight_loss": "yes",
}
SITTING_LOW_ACTIVITY = {**SITTING, "moderate_minutes_per_week": 35, "vigorous_minutes_per_week": 0}
TASKS = [
    {**LIFT, "label": "Boxes to shelf"},
    {
        **LIFT,
        "label": "Sacks from floor to bench",
        "load": 20.0,
        "h_origin": 45.0,
        "v_origin": 10.0,
        "h_dest": 35.0,
        "v_dest": 85.0,
        "asymmetry_origin": 45.0,
        "frequency": 1.0,
        "coupling": "poor",
    },
    {
        **LIFT,
        "label": "Totes to trolley",
        "units": "us",
        "load": 22.0,
        "h_origin": 14.0,
        "v_origin": 30.0,
        "h_dest": 12.0,
        "v_dest": 36.0,
        "asymmetry_origin": 0.0,
        "asymmetry_dest": 30.0,
        "frequency": 1.0,
        "duration": "long",
        "coupling": "good",
        "significant_control": True,
    },
]


def jpeg_upload(colour: str = "red", size: tuple[int, int] = (80, 60)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def full_draft(*, employee: Employee, assessor: User) -> Assessment:
    assessment = services.assessment_create(employee=employee, assessor=assessor)
    WorkstationSection.objects.create(assessment=assessment, **WORKSTATION)
    SittingSection.objects.create(assessment=assessment, **SITTING_LOW_ACTIVITY)
    WorkerSection.objects.create(assessment=assessment, **WORKER_FULL)
    for position, task in enumerate(TASKS, start=1):
        LiftingTask.objects.create(assessment=assessment, position=position, **task)
    return assessment


def complete_with_actions(
    assessment: Assessment,
    *,
    user: User,
    owner: User | None = None,
    limit: int = 10,
    store_reports: bool = False,
    consent: str | None = "given",
) -> Assessment:
    """Complete with the first `limit` recommendations as actions (owned, with due dates);
    the employee consents to share it with their manager unless `consent` says otherwise.

    The clinical referral and the personal health actions are always among them, so the
    manager report has something to leave out.
    """
    preview = services.assessment_preview(assessment=assessment)
    assert preview.results is not None, preview.errors
    recs = snapshot.read_results(preview.results).recommendations
    health = [r for r in recs if r.category in ("clinical", "individual")][:2]
    chosen = health + [r for r in recs if r not in health][: limit - len(health)]
    drafts = [
        action_services.ActionDraft.from_recommendation(
            r,
            assessed_on=assessment.assessed_on,
            owner=owner if r.category != "clinical" else user,
            due_on=assessment.assessed_on + dt.timedelta(days=14 * (n + 1)),
        )
        for n, r in enumerate(chosen)
    ]
    completed = action_services.assessment_complete(
        assessment=assessment, user=user, actions=drafts
    )
    if consent is not None:
        Consent.objects.create(assessment=completed, status=consent)
    if store_reports:
        reporting_tasks.reports_schedule(assessment=completed, user=user)
    return completed


def add_photos(assessment: Assessment, *, user: User) -> list[Any]:
    return [
        photos.photo_store(
            assessment=assessment,
            upload=jpeg_upload("steelblue"),
            section="workstation",
            caption="Desk from the left",
            user=user,
        ),
        photos.photo_store(
            assessment=assessment,
            upload=jpeg_upload("darkorange"),
            section="lifting",
            caption="Sacks at the bench",
            user=user,
        ),
    ]
