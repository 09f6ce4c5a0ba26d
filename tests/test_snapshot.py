"""A completed assessment keeps the results it was signed with, whatever the scoring does later."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from assessments.records import services
from assessments.scoring import strain
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_scoring_rules(monkeypatch):
    """A later scoring model: every score 0, band low, version 2.0."""
    original = strain.evaluate

    def version_two(inputs):
        return dataclasses.replace(
            original(inputs),
            score=0.0,
            raw_score=0.0,
            band=strain.Band.LOW,
            model_version="2.0",
        )

    monkeypatch.setattr(strain, "evaluate", version_two)


def test_snapshot_reproduces_the_same_results_after_the_scoring_rules_change(
    assessor, completed, new_scoring_rules
):
    signed = completed.results
    fresh = services.assessment_preview(assessment=completed).results
    assert fresh["strain"]["model_version"] == "2.0"  # new drafts would use the new rules
    assert fresh["strain"]["score"] == 0.0

    completed.refresh_from_db()
    assert completed.results == signed
    assert completed.scoring_version == "1.1"
    page = client_for(assessor).get(completed.get_absolute_url()).text
    assert f"{signed['strain']['score']:.1f}" in page
    assert "Scoring model 1.1" in page
    assert signed["strain"]["score"] > 0


def test_reports_are_rendered_from_the_snapshot_without_rescoring(assessor, completed, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a completed assessment must not be scored again")

    monkeypatch.setattr(services, "assess", refuse)
    client = client_for(assessor)
    for kind in ("oh", "manager"):
        response = client.get(reverse("report_preview", args=[completed.pk, kind]))
        assert response.status_code == 200
        assert f"{completed.strain_score:.1f}" in response.text
    assert client.get(completed.get_absolute_url()).status_code == 200
