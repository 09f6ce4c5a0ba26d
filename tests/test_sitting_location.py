"""Where the sitting happens, recorded in the editor, decides the sitting advice (scoring
1.1): a driver with 6 h a day in a vehicle gets vehicle advice, never a sit-stand desk."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.records import services, snapshot
from assessments.records.models import SittingSection
from tests.conftest import SITTING, client_for
from tests.test_assessment_workflow import _post_values

pytestmark = pytest.mark.django_db

DRIVER = {**SITTING, "pct_sitting": 75, "pct_standing": 20, "pct_walking": 5}  # 6 h of 8


def _save_sitting(client, draft, location: str):
    section = SittingSection.objects.get(assessment=draft)
    data = _post_values("sitting", {**DRIVER, "location": location})
    data["sitting-lock_version"] = str(section.lock_version)
    return client.post(
        reverse("section_save", args=[draft.pk, "sitting"]), data, headers={"HX-Request": "true"}
    )


def _codes(draft) -> set[str]:
    preview = services.assessment_preview(assessment=draft)
    assert preview.results is not None, preview.errors
    return {r.code for r in snapshot.read_results(preview.results).recommendations}


def test_the_location_field_is_offered_in_the_editor(assessor, draft):
    page = client_for(assessor).get(reverse("assessment_detail", args=[draft.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="sitting-location"' in html
    assert "In a vehicle (driving)" in html


def test_a_driver_saved_through_the_editor_gets_vehicle_advice_not_a_desk(assessor, draft):
    client = client_for(assessor)
    assert _save_sitting(client, draft, "desk").status_code == 200
    at_desk = _codes(draft)
    assert "workstation.sit_stand_desk" in at_desk
    assert "sitting.vehicle_seat" not in at_desk

    assert _save_sitting(client, draft, "vehicle").status_code == 200
    assert SittingSection.objects.get(assessment=draft).location == "vehicle"
    driving = _codes(draft)
    assert "workstation.sit_stand_desk" not in driving
    assert "workstation.sit_stand_desk_use" not in driving
    assert {"sitting.vehicle_seat", "sitting.driving_breaks"} <= driving

    # The live results panel the assessor sees says the same.
    data = _post_values("sitting", {**DRIVER, "location": "vehicle"})
    panel = client.post(reverse("section_preview", args=[draft.pk, "sitting"]), data)
    assert panel.status_code == 200
    html = panel.content.decode()
    assert "Adjust the vehicle seat and lumbar support" in html
    assert "sit-stand desk" not in html.lower()
