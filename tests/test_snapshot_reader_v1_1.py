"""Scoring version 1.1 snapshots are read by their own reader, beside version 1.0.

`fixtures/snapshot_v1_1.json` is a snapshot as scoring version 1.1 stores it (the inputs of
the 1.0 fixture scored again by version 1.1), frozen: it must keep loading and rendering,
whatever later versions change. The 1.0 fixture keeps rendering as signed
(tests/test_snapshot_reader.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from assessments.records import snapshot
from assessments.records.models import Assessment
from assessments.reporting.store import report_html
from assessments.scoring.assessment import SCORING_VERSION
from tests.conftest import client_for
from tests.test_snapshot_reader import _same
from tests.test_snapshot_reader import from_fixture as _from_fixture

FIXTURE = Path(__file__).parent / "fixtures" / "snapshot_v1_1.json"

from_fixture = _from_fixture


@pytest.fixture(scope="module")
def stored() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def test_the_current_scoring_version_is_1_1_and_has_a_reader():
    assert SCORING_VERSION == "1.1"
    assert isinstance(snapshot.reader_for("1.1"), snapshot.ReaderV1_1)
    assert isinstance(snapshot.reader_for("1.0"), snapshot.ReaderV1_0)


def test_the_1_1_reader_loads_the_stored_snapshot(stored):
    snap = snapshot.read(**stored)
    results = snap.results
    assert results.scoring_version == "1.1" and results.strain.model_version == "1.1"
    assert (results.strain.score, results.strain.band) == (75.0, "very_high")
    assert results.lifting is not None
    assert [t.task.label for t in results.lifting.tasks] == [
        "Boxes to shelf",
        "Sacks from floor to bench",
    ]
    assert isinstance(results.strain, snapshot.StrainV1_1)
    assert results.strain.not_assessable == () and results.strain.provisional is False
    assert results.sitting is not None and results.sitting.location == "desk"
    assert results.unassessed_sections == ()
    # one recommendation per finding: 26, where version 1.0 gave 32 for the same inputs
    assert len(results.recommendations) == 26
    reach = next(r for r in results.recommendations if r.code == "lifting.reduce_h")
    assert reach.task_names == ("Task “Boxes to shelf”", "Task “Sacks from floor to bench”")


def test_every_field_of_the_1_1_read_model_is_the_stored_value(stored):
    snap = snapshot.read(**stored)
    _same(snap.results, stored["results"], "results")
    _same(snap.inputs, stored["inputs"], "inputs")


def test_the_reports_and_page_render_from_the_1_1_snapshot(from_fixture: Assessment, assessor):
    assert from_fixture.scoring_version == "1.1"
    oh = report_html(from_fixture, "oh")
    assert "Score <strong>75.0</strong> of 100" in oh and "Unexplained weight loss" in oh
    manager = report_html(from_fixture, "manager")
    assert 'class="band band-very_high">Very high' in manager
    assert "Unexplained weight loss" not in manager
    page = client_for(assessor).get(reverse("assessment_detail", args=[from_fixture.pk])).text
    assert "Mechanical-strain risk: 75.0" in page and "Scoring model 1.1" in page
