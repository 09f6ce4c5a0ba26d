"""The Django admin: staff only, every model listed, snapshots read-only, CSV export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.records.models import Assessment
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MODELS = [
    "people_site",
    "people_department",
    "people_employee",
    "records_assessment",
    "records_liftingtask",
    "records_workstationsection",
    "records_sittingsection",
    "records_workersection",
    "actions_action",
    "records_photo",
    "reporting_report",
    "people_auditevent",
    "reporting_job",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_every_model(admin_user, completed, model):
    response = client_for(admin_user).get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["assessor", "manager", "nobody"])
def test_admin_is_for_staff_only(request, role):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_completed_snapshot_is_read_only_in_admin(admin_user, completed):
    client = client_for(admin_user)
    url = reverse("admin:records_assessment_change", args=[completed.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="notes"' not in page.text  # every field read-only once completed
    client.post(url, {"notes": "tampered", "status": "draft"})
    completed.refresh_from_db()
    assert completed.notes == "" and completed.status == Assessment.Status.COMPLETED


def test_admin_exports_selected_rows_to_csv(admin_user, completed):
    response = client_for(admin_user).post(
        reverse("admin:actions_action_changelist"),
        {"action": "export_csv", "_selected_action": [a.pk for a in completed.actions.all()]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("title,code,status")
    assert len(lines) == completed.actions.count() + 1
