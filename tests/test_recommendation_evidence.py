"""Recommendations show their evidence where decisions are made: the OH report and the
results pages give each one evidence line, the manager report its certainty and cost in plain
words; the top three are highlighted on the page and in the manager PDF; "not recommended, and
why" is there for OH; results stored by catalogue 1 (with codes since retired) still render."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from assessments.records import snapshot
from assessments.records.models import Assessment
from assessments.reporting.store import report_html, report_render
from assessments.scoring.catalogue import CATALOGUE, CATALOGUE_VERSION, NOT_RECOMMENDED, RETIRED
from tests.conftest import client_for
from tests.test_snapshot_reader import from_fixture, stored  # noqa: F401 (fixtures)


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def _flat(html: str) -> str:
    return " ".join(html.split())


def test_a_completed_assessment_stores_the_catalogue_version_and_each_evidence_line(
    completed: Assessment,
) -> None:
    assert completed.results["catalogue_version"] == CATALOGUE_VERSION
    results = snapshot.load(completed).results
    assert results.catalogue_version == CATALOGUE_VERSION
    for rec in results.recommendations:
        assert rec.evidence_line == CATALOGUE[rec.code].evidence_line
        assert rec.certainty == CATALOGUE[rec.code].certainty.value


def test_the_oh_report_gives_each_action_its_evidence_line_and_the_not_recommended_note(
    completed: Assessment,
) -> None:
    html = report_html(completed, "oh")
    actions = list(completed.actions.all())
    assert actions
    for action in actions:
        line = CATALOGUE[action.code].evidence_line
        assert f'<p class="small evidence">{escape(line)}</p>' in html, action.code
    assert html.count('<p class="small evidence">') == len(actions)
    note = html[html.index('id="not-recommended"') :]
    for measure in NOT_RECOMMENDED:
        assert escape(measure.measure) in note


def test_the_manager_report_says_certainty_and_cost_in_plain_words(
    completed: Assessment, manager: User
) -> None:
    html = _flat(report_html(completed, "manager"))
    chair = CATALOGUE["workstation.chair_adjust_or_replace"]
    assert chair.certainty.plain == "required or advised by regulation or guidance"
    assert (
        '<span class="evidence">Evidence: required or advised by regulation or guidance. '
        "Cost: medium cost (£100 to £1,000).</span>"
    ) in html
    desk = CATALOGUE["workstation.sit_stand_desk"]
    assert f"Evidence: {desk.certainty.plain}. Cost: medium cost" in html
    # The evidence line itself (it can name what was found) stays with OH.
    assert "Evidence: consensus or regulation —" not in html
    assert "Not recommended, and why" not in html


def test_the_results_page_shows_each_actions_evidence_for_oh_and_plain_words_for_a_manager(
    completed: Assessment, assessor: User, manager: User
) -> None:
    url = reverse("assessment_detail", args=[completed.pk])
    oh = client_for(assessor).get(url).text
    for action in completed.actions.all():
        assert escape(CATALOGUE[action.code].evidence_line) in oh, action.code
    assert "Not recommended, and why" in oh
    assert escape(NOT_RECOMMENDED[0].line) in oh
    theirs = client_for(manager).get(url).text
    assert "Evidence: required or advised by regulation or guidance. Cost: " in theirs
    assert "Not recommended, and why" not in theirs
    assert "Evidence: consensus or regulation —" not in theirs


def test_the_results_page_highlights_the_top_three_actions(
    completed: Assessment, assessor: User, manager: User
) -> None:
    url = reverse("assessment_detail", args=[completed.pk])
    for user in (assessor, manager):
        page = client_for(user).get(url).text
        actions = page[page.index('id="actions-h"') :]
        tops = re.findall(r'<span class="badge text-bg-primary">Top (\d)</span>', actions)
        assert tops == ["1", "2", "3"]
        assert actions.count('class="list-group-item top-action"') == 3


def test_the_manager_pdf_highlights_the_top_three_actions(completed: Assessment) -> None:
    html = report_html(completed, "manager")
    assert html.count('<p class="action top-action">') == 3
    text = _pdf_text(report_render(completed, "manager"))
    actions = text[text.index("What, and why") :]
    for n in (1, 2, 3):
        assert f"Top {n}" in actions
    assert "Top 4" not in actions
    assert "Evidence: required or advised by regulation or guidance." in actions


def test_the_live_results_panel_shows_each_recommendations_evidence(
    draft: Assessment, assessor: User
) -> None:
    response = client_for(assessor).get(reverse("results_panel", args=[draft.pk]))
    assert response.status_code == 200
    panel = response.text
    assert escape(CATALOGUE["workstation.chair_adjust_or_replace"].evidence_line) in panel
    assert escape(CATALOGUE["individual.core_programme"].evidence_line) in panel


# --- Results stored by catalogue 1, with codes since retired ------------------------------------


def test_catalogue_1_results_with_retired_codes_still_render_everywhere(
    from_fixture: Assessment,  # noqa: F811
    assessor: User,
    manager: User,
) -> None:
    retired = [a for a in from_fixture.actions.all() if a.code in RETIRED]
    assert {a.code for a in retired} >= {"workstation.seat_height", "education.back_care"}
    assert getattr(snapshot.load(from_fixture).results, "catalogue_version", "") == ""

    oh = _flat(report_html(from_fixture, "oh"))
    for action in retired:
        assert escape(action.title) in oh, action.code
    seat = next(a for a in retired if a.code == "workstation.seat_height")
    assert seat.title == RETIRED["workstation.seat_height"].title
    assert (
        "(catalogue 1; now part of “Set up the chair, or replace it with a fully adjustable chair”)"
        in oh
    )
    assert "Sources: ROSA" in oh

    manager_html = _flat(report_html(from_fixture, "manager"))
    assert escape(seat.title) in manager_html
    assert "Cost: no cost." in manager_html  # no certainty was stored by catalogue 1

    for kind in ("oh", "manager"):
        assert report_render(from_fixture, kind).startswith(b"%PDF")

    url = reverse("assessment_detail", args=[from_fixture.pk])
    page = client_for(assessor).get(url).text
    assert escape(seat.title) in page and "now part of" in page
    assert escape(seat.title) in client_for(manager).get(url).text


@pytest.mark.parametrize("name", ["snapshot_v1_1.json"])
def test_a_1_1_snapshot_written_before_catalogue_2_reads_its_evidence_as_not_recorded(
    name: str,
) -> None:
    import json
    from pathlib import Path

    doc = json.loads((Path(__file__).parent / "fixtures" / name).read_text())
    results = snapshot.read(**doc).results
    assert results.catalogue_version == ""
    for rec in results.recommendations:
        assert (rec.evidence_line, rec.certainty, rec.alternatives) == ("", "", ())
