"""The sections of an assessment are listed once (`records.sections`), and every list the
app shows or stores follows from that registry and from the scoring package's inputs."""

from __future__ import annotations

import dataclasses

import pytest

from assessments.records import sections
from assessments.scoring import interchange, niosh

KINDS = [*sections.SECTIONS, sections.LIFTING]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_the_layout_shows_every_input_field_exactly_once(kind):
    shown = [name for _heading, names in kind.layout for name in names]
    asked = [name for name in kind.input_fields if name not in kind.derived]
    assert sorted(shown) == sorted(asked)
    assert len(shown) == len(set(shown))
    assert set(kind.derived) <= set(kind.input_fields)


def test_the_age_back_pain_started_is_asked_once():
    """The onset age answers ASAS "under 40" and NG65 "before 35"; neither is a question of
    its own in the editor."""
    shown = {name for _heading, names in sections.WORKER.layout for name in names}
    assert "back_pain_onset_age" in shown
    assert not shown & {"asas_onset_before_40", "ng65_started_before_35"}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_each_model_mirrors_the_scoring_input_field_for_field(kind):
    scoring_input = interchange.SECTIONS.get(kind.key, niosh.LiftingTask)
    expected = tuple(field.name for field in dataclasses.fields(scoring_input))
    assert kind.input_fields == expected
    stored = {
        field.name
        for field in kind.model._meta.concrete_fields
        if field.name not in {"id", "assessment", "position", "lock_version", "updated_at"}
    }
    assert stored == set(expected)


def test_the_registry_holds_the_scoring_packages_sections_in_the_editors_order():
    assert tuple(sections.BY_KEY) == tuple(interchange.SECTIONS)
    assert list(sections.TITLES) == [*interchange.SECTIONS, "lifting"]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_each_form_edits_its_sections_input_fields(kind):
    assert kind.form._meta.model is kind.model
    assert tuple(kind.form._meta.fields) == kind.input_fields


def test_the_task_export_columns_follow_the_layout():
    assert set(sections.task_columns()) == set(sections.LIFTING.input_fields)
