"""How the editor's fields are written: every control has its label, a group of options
its legend, and an invalid value its message, linked for screen readers."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from assessments.records.forms import LiftingTaskForm, SittingForm, WorkerForm, WorkstationForm

pytestmark = pytest.mark.django_db

FIELD = Template("{% load field_tags %}{% form_field field warnings %}")


def _html(field, warnings=None) -> str:
    return FIELD.render(Context({"field": field, "warnings": warnings}))


def test_a_number_field_has_its_label_required_mark_and_help():
    html = _html(LiftingTaskForm(prefix="task-new")["load"])
    assert '<label for="id_task-new-load" class="form-label requiredField">' in html
    assert 'Average load (kg)<span class="asteriskField">*</span>' in html
    assert re.search(r'<input type="number" name="task-new-load"[^>]* required', html)
    assert 'aria-describedby="id_task-new-load_helptext"' in html
    assert '<div id="id_task-new-load_helptext" class="form-text">Weight of the object' in html


def test_an_invalid_value_is_marked_and_explained_next_to_the_field():
    form = LiftingTaskForm({"task-new-load": "heavy"}, prefix="task-new")
    assert not form.is_valid()
    html = _html(form["load"])
    assert 'value="heavy"' in html
    assert "is-invalid" in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="id_task-new-load_helptext id_task-new-load_error"' in html
    assert '<div id="id_task-new-load_error" class="invalid-feedback">' in html
    assert "<strong>Enter a number.</strong>" in html


def test_a_choice_is_a_fieldset_with_a_legend_and_shows_its_error():
    form = WorkstationForm({"workstation-seat_height": "sideways"}, prefix="workstation")
    assert not form.is_valid()
    html = _html(form["seat_height"])
    assert html.count("<fieldset") == 1
    # Optional while drafting: a ROSA item may stay unanswered (the section is then not scored).
    assert '<legend class="form-label fs-6">Seat pan height' in html
    assert (
        '<label for="id_workstation-seat_height_0" class="form-check-label">— not answered —'
        in html
    )
    assert 'aria-describedby="id_workstation-seat_height_error"' in html
    # Shown outright: no invalid control sits just before it for Bootstrap to follow.
    assert 'class="invalid-feedback d-block"' in html
    assert "sideways is not one of the available choices" in html


def test_selected_and_ticked_values_are_kept():
    form = LiftingTaskForm(
        {"task-new-units": "us", "task-new-conditions": ["one_handed"]}, prefix="task-new"
    )
    form.is_valid()
    assert '<option value="us" selected>US (in, lb)</option>' in _html(form["units"])
    conditions = _html(form["conditions"])
    assert re.search(r'value="one_handed" id="id_task-new-conditions_0"[^>]* checked', conditions)
    assert not re.search(r'value="seated_or_kneeling"[^>]* checked', conditions)


def test_text_is_escaped_and_warnings_follow_the_field():
    form = LiftingTaskForm({"task-new-label": '<script>alert("x")</script>'}, prefix="task-new")
    form.is_valid()
    html = _html(form["label"], ["Check the <b>label</b>"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<p class="field-warning mt-n2 mb-2" role="note">⚠ Check the &lt;b&gt;label' in html


def test_rosa_items_hours_and_sitting_numbers_start_unanswered():
    workstation = WorkstationForm(prefix="workstation")
    for name in ("seat_height", "seat_depth", "monitor", "mouse", "keyboard", "phone"):
        assert workstation[name].value() is None
        assert workstation.fields[name].choices[0] == ("", "— not answered —")
        html = _html(workstation[name])
        assert html.count(" checked") == 1
        assert f'value="" id="id_workstation-{name}_0" checked' in html
    for name in ("chair_hours_per_day", "mouse_longest_continuous_minutes"):
        assert workstation[name].value() is None
    sitting = SittingForm(prefix="sitting")
    for name in ("hours_worked_per_day", "pct_sitting", "moderate_minutes_per_week"):
        assert sitting[name].value() is None


def test_lifting_and_worker_answers_are_not_pre_filled_with_the_best_case():
    task = LiftingTaskForm(prefix="task-new")
    for name in ("asymmetry_origin", "asymmetry_dest", "duration", "coupling", "frequency"):
        assert task[name].value() is None, name
        assert task.fields[name].required, name
    assert task.fields["coupling"].choices[0] == ("", "— not answered —")
    worker = WorkerForm(prefix="worker")
    assert worker["episodes_last_12_months"].value() is None
    assert worker.fields["episodes_last_12_months"].required
    worker = WorkerForm({"worker-age_years": "40"}, prefix="worker")
    assert not worker.is_valid()
    assert "episodes_last_12_months" in worker.errors
