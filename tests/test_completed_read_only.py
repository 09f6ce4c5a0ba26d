"""A completed assessment cannot be changed by a crafted request to any URL of the app.

Every URL under `assessments/<pk>/` is posted to, with plausible data, for a completed
assessment; only the read-only views and "amend" (which starts a new revision) may answer
with anything but a refusal, and the stored assessment must be exactly as it was.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from PIL import Image

from assessments.records import sections, services
from assessments.records.models import Assessment
from tests.conftest import LIFT, SITTING, WORKER, WORKSTATION, client_for
from tests.test_assessment_workflow import _post_values

pytestmark = pytest.mark.django_db

#: URLs under assessments/<pk>/ that may answer a completed assessment: they do not change it.
READ_ONLY_OR_NEW_REVISION = {
    "assessment_detail",
    "assessment_amend",  # starts a new revision; the completed one stays as it is
    "report_pdf",
    "report_preview",
    "report_links",  # the report links, asked for again while the reports are prepared
    "assessment_json",  # downloads the signed inputs
    "report_email",  # sends the stored manager report
    "consent_send",  # emails the employee their consent link
    "consent_record",  # records the employee's consent decision, not a change to it
}


def _assessment_urls() -> list[str]:
    from assessments import urls

    return sorted(
        p.name
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and str(p.pattern).startswith("assessments/<int:pk>/")
    )


def _state(assessment: Assessment) -> dict[str, Any]:
    fresh = Assessment.objects.get(pk=assessment.pk)
    return {
        "row": {
            f.attname: getattr(fresh, f.attname)
            for f in Assessment._meta.concrete_fields
            if f.attname != "updated_at"
        },
        "sections": {
            name: (section.to_input() if (section := services.section_of(fresh, name)) else None)
            for name in sections.BY_KEY
        },
        "tasks": [task.to_input() for task in fresh.lifting_tasks.all()],
        "photos": fresh.photos.count(),
        "actions": list(fresh.actions.values()),
    }


def _kwargs(name: str, completed: Assessment) -> dict[str, Any]:
    from assessments import urls

    pattern = next(p for p in urls.urlpatterns if getattr(p, "name", None) == name)
    route = str(pattern.pattern)
    kwargs: dict[str, Any] = {"pk": completed.pk}
    if "<int:task_pk>" in route:
        kwargs["task_pk"] = completed.lifting_tasks.get().pk
    if "<slug:name>" in route:
        kwargs["name"] = "sitting"
    if "<slug:kind>" in route:
        kwargs["kind"] = "oh"
    return kwargs


def _crafted_data(completed: Assessment) -> dict[str, Any]:
    task = completed.lifting_tasks.get()
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, format="JPEG")
    data: dict[str, Any] = {
        **_post_values("workstation", WORKSTATION),
        **_post_values("sitting", {**SITTING, "pct_sitting": 70, "pct_standing": 25}),
        **_post_values("worker", {**WORKER, "age_years": 60}),
        **_post_values("task-new", {**LIFT, "load": 5.0}),
        **_post_values(f"task-{task.pk}", {**LIFT, "load": 5.0}),
        "sitting-lock_version": "1",
        f"task-{task.pk}-lock_version": str(task.lock_version),
        "section": "general",
        "reassess_due": "2030-01-01",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "image": SimpleUploadedFile("x.jpg", buffer.getvalue(), content_type="image/jpeg"),
    }
    return data


def test_the_list_of_assessment_urls_is_known():
    assert set(_assessment_urls()) >= READ_ONLY_OR_NEW_REVISION
    assert len(_assessment_urls()) >= 12


@pytest.mark.parametrize("role", ["assessor", "admin_user"])
@pytest.mark.parametrize(
    "name", [n for n in _assessment_urls() if n not in READ_ONLY_OR_NEW_REVISION]
)
def test_crafted_posts_cannot_change_a_completed_assessment(request, role, name, completed):
    user = request.getfixturevalue(role)
    before = _state(completed)
    url = reverse(name, kwargs=_kwargs(name, completed))
    client = client_for(user)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(url, _crafted_data(completed), headers=headers)
        assert response.status_code in (403, 404, 405), (name, response.status_code)
    assert client.get(url).status_code in (403, 404, 405)
    assert _state(completed) == before


def test_every_section_of_a_completed_assessment_is_refused(assessor, completed):
    before = _state(completed)
    client = client_for(assessor)
    for section in sections.BY_KEY:
        url = reverse("section_save", args=[completed.pk, section])
        assert client.post(url, _crafted_data(completed)).status_code == 403
    assert _state(completed) == before


def test_amending_starts_a_new_revision_and_leaves_the_completed_one_alone(assessor, completed):
    before = _state(completed)
    response = client_for(assessor).post(
        reverse("assessment_amend", args=[completed.pk]), {"reason": "Wrong chair recorded"}
    )
    assert response.status_code == 302
    assert _state(completed) == before
    assert Assessment.objects.filter(supersedes=completed, status="draft").exists()
