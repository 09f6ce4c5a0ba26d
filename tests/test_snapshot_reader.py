"""A stored snapshot is read once, by the reader of the scoring version that wrote it.

`fixtures/snapshot_v1_0.json` is a snapshot as scoring version 1.0 stored it (workstation,
sitting, a worker with health answers and red flags, two lifting tasks), frozen: it must
keep loading and rendering, whatever later versions change.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.core import health
from assessments.core.health import Audience
from assessments.records import services, snapshot
from assessments.records.models import Assessment
from assessments.reporting.store import report_html
from tests.conftest import client_for, give_consent

FIXTURE = Path(__file__).parent / "fixtures" / "snapshot_v1_0.json"


@pytest.fixture(scope="module")
def stored() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def test_the_1_0_reader_loads_the_stored_snapshot(stored):
    snap = snapshot.read(**stored)
    results = snap.results
    assert results.scoring_version == "1.0"
    assert (results.strain.score, results.strain.band) == (75.0, "very_high")
    assert results.strain.model_version == "1.0"
    assert [c.component for c in results.strain.components] == [
        "lifting",
        "workstation",
        "sedentary",
        "activity",
        "individual",
        "psychosocial",
    ]
    assert results.workstation is not None and results.workstation.result.final == 4
    assert results.lifting is not None
    assert [t.task.label for t in results.lifting.tasks] == [
        "Boxes to shelf",
        "Sacks from floor to bench",
    ]
    assert results.lifting.tasks[1].governing.lifting_index == pytest.approx(3.2591, abs=1e-4)
    assert results.lifting.composite_lifting_index == pytest.approx(3.5204, abs=1e-4)
    assert results.sitting is not None and results.sitting.moderate_equivalent_minutes == 60.0
    assert results.worker is not None and results.worker.bmi == 33.8
    assert results.worker.red_flags == (
        "Unexplained weight loss",
        "Persistent night pain not relieved by changing position",
    )
    assert results.clinical_review_advised and results.referrals[0].urgency == "urgent"
    assert len(results.recommendations) == 32
    assert [t.h_origin for t in snap.inputs.lifting_tasks] == [50.0, 45.0]


def _same(read: object, raw: object, path: str) -> None:
    """Every field of the read model holds the stored value of the same name."""
    if isinstance(read, snapshot.Block):
        assert isinstance(raw, dict), path
        for field in dataclasses.fields(read):
            if field.name in raw:
                _same(getattr(read, field.name), raw[field.name], f"{path}.{field.name}")
            elif field.name == "clinical_review_advised":  # derived from the referrals
                assert getattr(read, field.name) is bool(raw["referrals"])
            elif path == "results" and field.name == "unanswered":
                # Snapshots stored before sections could stay unanswered have no such list;
                # a completed assessment never has an unanswered item.
                assert getattr(read, field.name) == ()
            elif field.default is not dataclasses.MISSING and not field.name.endswith(
                "_is_infinite"
            ):
                # Recorded only by snapshots written since the field was added: an older
                # snapshot reads it as "not recorded" (its default).
                assert getattr(read, field.name) == field.default, f"{path}.{field.name}"
            else:  # only the "<name>_is_infinite" markers may be left out, when finite
                assert field.name.endswith("_is_infinite"), f"{path}.{field.name} not stored"
                assert getattr(read, field.name) is False
    elif isinstance(read, tuple):
        assert isinstance(raw, list) and len(read) == len(raw), path
        for i, (item, raw_item) in enumerate(zip(read, raw, strict=True)):
            _same(item, raw_item, f"{path}[{i}]")
    else:
        assert read == raw, path


def test_every_field_of_the_read_model_is_the_stored_value(stored):
    snap = snapshot.read(**stored)
    _same(snap.results, stored["results"], "results")
    _same(snap.inputs, stored["inputs"], "inputs")


def test_a_snapshot_of_an_unknown_scoring_version_is_refused(stored):
    with pytest.raises(snapshot.UnknownScoringVersion) as refused:
        snapshot.read(**{**stored, "scoring_version": "0.9"})
    assert "'0.9'" in str(refused.value) and "1.0" in str(refused.value)
    with pytest.raises(snapshot.UnknownScoringVersion):
        snapshot.read_results({**stored["results"], "scoring_version": "2.0"})


def test_a_damaged_snapshot_names_the_field_it_cannot_read(stored):
    results = json.loads(json.dumps(stored["results"]))
    del results["strain"]["band"]
    with pytest.raises(snapshot.SnapshotError, match=r"^results\.strain\.band: missing$"):
        snapshot.read(**{**stored, "results": results})
    results["strain"]["band"] = "high"
    results["lifting"]["tasks"][1]["governing"]["rwl"] = "heavy"
    with pytest.raises(snapshot.SnapshotError, match=r"tasks\[1\]\.governing\.rwl: expected"):
        snapshot.read(**{**stored, "results": results})


def test_a_later_version_is_read_beside_1_0_by_its_own_reader(stored, monkeypatch):
    """A version that renames a stored field gets its own reader; 1.0 snapshots keep theirs."""

    class ReaderV1_1(snapshot.ReaderV1_0):
        version = "1.1"

        def strain(self, s):
            renamed = {**s._data, "band": s._data["risk_band"]}
            return super().strain(snapshot._Object(renamed, "results.strain"))

    readers = {**snapshot.READERS, "1.1": ReaderV1_1()}
    monkeypatch.setattr(snapshot, "READERS", types.MappingProxyType(readers))
    newer = json.loads(json.dumps(stored["results"]))
    newer["scoring_version"] = "1.1"
    newer["strain"]["risk_band"] = newer["strain"].pop("band")

    old = snapshot.read(**stored).results
    new = snapshot.read(scoring_version="1.1", inputs=stored["inputs"], results=newer).results
    assert old.scoring_version == "1.0" and new.scoring_version == "1.1"
    assert old.strain.band == new.strain.band == "very_high"
    with pytest.raises(snapshot.SnapshotError, match=r"strain\.band: missing"):
        snapshot.read(scoring_version="1.0", inputs=stored["inputs"], results=newer)


# --- What a manager's copy of the results holds ---------------------------------------------


def _blocks() -> list[type[snapshot.Block]]:
    return [
        value
        for value in vars(snapshot).values()
        if isinstance(value, type)
        and issubclass(value, snapshot.Block)
        and value is not snapshot.Block
    ]


def test_the_allowlist_names_only_real_blocks_and_fields():
    by_name = {block.BLOCK: block for block in _blocks()}
    for name, allowed in health.MANAGER_RESULT_FIELDS.items():
        assert name in by_name, name
        real = {f.name for f in dataclasses.fields(by_name[name])}
        assert allowed <= real, (name, allowed - real)


def _blocks_in(hint: Any) -> set[type[snapshot.Block]]:
    found = {hint} if isinstance(hint, type) and issubclass(hint, snapshot.Block) else set()
    for arg in typing.get_args(hint):
        found |= _blocks_in(arg)
    return found


def test_every_field_a_manager_may_not_see_can_be_withheld():
    """In the blocks a manager sees, withheld fields are emptied to (), "" or None: their
    types must allow it; an allowed field holding blocks needs those blocks' own lists."""
    for block in _blocks():
        if not health.result_block_visible(block.BLOCK):
            continue
        hints = typing.get_type_hints(block)
        for field in dataclasses.fields(block):
            hint = hints[field.name]
            if health.result_field_visible(block.BLOCK, field.name):
                for inner in _blocks_in(hint):
                    assert health.result_block_visible(inner.BLOCK), (field.name, inner.BLOCK)
                continue
            origin = typing.get_origin(hint)
            assert origin is tuple or hint is str or type(None) in typing.get_args(hint), (
                f"{block.BLOCK}.{field.name}: {hint} cannot be withheld"
            )


def test_a_managers_copy_keeps_the_workplace_and_drops_the_health_detail(stored):
    full = snapshot.read(**stored)
    shown = full.for_audience(Audience.MANAGER).results
    assert shown.worker is None and shown.referrals == () and shown.clinical_review_advised
    assert (shown.strain.score, shown.strain.band) == (75.0, "very_high")
    assert [c.component for c in shown.strain.components] == ["lifting", "workstation", "sedentary"]
    assert shown.strain.summary == "" and shown.strain.referrals == ()
    assert shown.sitting is not None and shown.sitting.sitting_hours == 6.8
    assert shown.sitting.moderate_equivalent_minutes is None
    assert shown.sitting.activity_reasons == () == shown.sitting.reasons
    assert shown.workstation == full.results.workstation
    assert shown.lifting == full.results.lifting
    codes = {r.code for r in shown.recommendations}
    assert "psychosocial.workload_support_review" in codes
    assert not {c for c in codes if c.startswith(("individual.", "clinical.", "activity."))}
    assert "psychosocial.eap_cbt" not in codes
    workload = next(r for r in shown.recommendations if r.code.startswith("psychosocial."))
    assert workload.why == health.WITHHELD
    assert full.for_audience(Audience.OH) is full


# --- Pages, reports and exports from the frozen snapshot -----------------------------------


@pytest.fixture
def from_fixture(stored, employee, assessor, manager) -> Assessment:
    """A completed assessment whose snapshot is the frozen 1.0 fixture, with its actions."""
    read = snapshot.read(**stored)
    assessment = Assessment(
        employee=employee,
        assessor=assessor,
        status=Assessment.Status.COMPLETED,
        inputs=stored["inputs"],
        results=stored["results"],
        scoring_version=stored["scoring_version"],
        strain_score=read.results.strain.score,
        band=read.results.strain.band,
        completed_at=timezone.now(),
        reassess_due=timezone.localdate(),
        is_latest=True,
    )
    services.copy_query_columns(assessment, stored["results"])
    assessment.save()
    give_consent(assessment)  # the employee lets their manager see it (docs/consent.md)
    for rec in read.results.recommendations:
        draft = action_services.ActionDraft.from_recommendation(
            rec, assessed_on=assessment.assessed_on, owner=manager
        )
        Action.objects.create(
            assessment=assessment,
            **{f.name: getattr(draft, f.name) for f in dataclasses.fields(draft)},
        )
    return assessment


def test_the_query_columns_come_from_the_snapshot(from_fixture):
    assert from_fixture.rosa_final == 4
    assert (from_fixture.rosa_chair, from_fixture.rosa_monitor_phone) == (4, 2)
    assert from_fixture.lifting_index == pytest.approx(3.5204, abs=1e-4)
    assert from_fixture.limiting_factor == "hm"


def test_the_oh_report_renders_from_the_1_0_snapshot(from_fixture):
    html = report_html(from_fixture, "oh")
    assert "Score <strong>75.0</strong> of 100" in html
    assert "Composite lifting index (CLI) <strong>3.52</strong> over 2 tasks" in html
    assert "Final score <strong>4</strong> of 10" in html
    assert "BMI 33.8 kg/m²" in html
    assert "Unexplained weight loss" in html
    assert "Sacks from floor to bench" in html


def test_the_manager_report_renders_from_the_1_0_snapshot_without_health_detail(from_fixture):
    html = report_html(from_fixture, "manager")
    assert 'class="band band-very_high">Very high' in html
    assert "Clinical review advised." in html
    assert "\nSacks from floor to bench: 3.26, HM (reach)" in html
    assert "Composite lifting index over the 2 tasks: <strong>3.52</strong>" in html
    for detail in ("33.8", "Unexplained weight loss", "Feels stressed", "individual factors"):
        assert detail not in html, detail


def _csv(client, name: str) -> list[dict[str, str]]:
    response = client.get(reverse(name, args=["csv"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_exports_render_from_the_1_0_snapshot(from_fixture, assessor, manager):
    oh = _csv(client_for(assessor), "assessment_export")[0]
    assert (oh["strain_score"], oh["band"], oh["rosa_final"]) == ("75.0", "Very high", "4")
    assert (oh["lifting_level"], oh["sitting_hours_per_day"]) == ("4", "6.8")
    assert (oh["bmi"], oh["clinical_review_advised"]) == ("33.8", "yes")
    assert oh["moderate_equivalent_minutes_per_week"] == "60.0"

    theirs = _csv(client_for(manager), "assessment_export")[0]
    assert (theirs["strain_score"], theirs["lifting_level"]) == ("75.0", "4")
    assert theirs["clinical_review_advised"] == "yes"
    assert "bmi" not in theirs and "individual_level" not in theirs

    tasks = _csv(client_for(manager), "lifting_task_export")
    assert [(t["task"], t["h_origin"], t["lifting_index"]) for t in tasks] == [
        ("Boxes to shelf", "50.0", "2.4026291219323337"),
        ("Sacks from floor to bench", "45.0", "3.2590960954860715"),
    ]

    actions = _csv(client_for(manager), "action_export")
    assert len(actions) == 26  # the 32 recommendations less the six personal health ones
    workload = next(a for a in actions if a["title"] == "Review workload and support at work")
    # the code would name the psychosocial family, so it is withheld with the reason
    assert (workload["code"], workload["why"]) == (health.WITHHELD, health.WITHHELD)
    oh_actions = _csv(client_for(assessor), "action_export")
    assert any(a["code"] == "psychosocial.workload_support_review" for a in oh_actions)


def test_the_pages_render_from_the_1_0_snapshot(from_fixture, assessor, manager):
    url = reverse("assessment_detail", args=[from_fixture.pk])
    oh_page = client_for(assessor).get(url).text
    assert "Mechanical-strain risk: 75.0" in oh_page and "Unexplained weight loss" in oh_page
    page = client_for(manager).get(url).text
    assert "Mechanical-strain risk: 75.0" in page and "Clinical review advised." in page
    assert "Unexplained weight loss" not in page and "Worker factors" not in page
