"""The compact results bar of the draft editor (below 992 px): what it shows, and that every
live-results response carries it as an out-of-band swap."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.records.models import RedFlagAnswer, WorkerSection, WorkstationSection
from tests.conftest import WORKSTATION, client_for

pytestmark = pytest.mark.django_db


def _bar(html: str) -> str:
    return html.split('id="results-bar-summary"', 1)[1].split("</div>", 1)[0]


def test_the_editor_has_a_labelled_bar_with_band_li_rosa_and_a_button(assessor, draft):
    page = client_for(assessor).get(draft.get_absolute_url())
    assert '<section class="results-bar' in page.text
    assert 'aria-label="Results summary"' in page.text
    assert 'aria-label="Open the full results"' in page.text
    assert 'data-bs-target="#results-offcanvas"' in page.text
    assert 'class="offcanvas-lg offcanvas-end results-offcanvas"' in page.text
    bar = _bar(page.text)
    assert "hx-swap-oob" not in page.text.split('id="results-bar-summary"', 1)[0][-200:]
    assert 'data-bar="band"' in bar
    assert "LI " in bar and "ROSA <strong>" in bar
    assert 'data-bar="red-flag"' not in bar


def test_a_preview_swaps_the_bar_out_of_band_with_the_typed_values(assessor, draft):
    client = client_for(assessor)
    data = {f"workstation-{k}": ("on" if v is True else v) for k, v in WORKSTATION.items() if v}
    data["workstation-keyboard"] = "wrists_extended"
    response = client.post(reverse("section_preview", args=[draft.pk, "workstation"]), data)
    assert response.status_code == 200
    opening = response.text.split('id="results-bar-summary"', 1)[1].split(">", 1)[0]
    assert 'hx-swap-oob="true"' in opening
    final = response.text.split("ROSA workstation: final ", 1)[1].split(" ", 1)[0].split("<", 1)[0]
    assert f"ROSA <strong>{final}</strong>" in _bar(response.text)


def test_the_bar_marks_a_red_flag_and_an_unanswered_workstation(assessor, draft):
    WorkerSection.objects.filter(assessment=draft).update(rf_fever=RedFlagAnswer.YES)
    WorkstationSection.objects.filter(assessment=draft).update(seat_depth=None)
    response = client_for(assessor).get(reverse("results_panel", args=[draft.pk]))
    bar = _bar(response.text)
    assert "⚑ </span>Red flag" in bar
    assert 'ROSA <span class="text-muted">not answered</span>' in bar
