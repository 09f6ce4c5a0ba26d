"""Each input rule has one home: the forms, the model validators and the services take their
bounds and rules from the scoring package or the model, so the web form, the JSON import
and the command line accept and refuse the same values."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.actions import services as action_services
from assessments.actions.forms import ActionUpdateForm
from assessments.actions.models import DECLINED_NEEDS_REASON, Action
from assessments.records.forms import LiftingTaskForm, SittingForm
from assessments.records.models import SittingSection, WorkstationSection
from assessments.scoring import interchange, niosh, rosa, sitting
from tests.conftest import LIFT, SITTING
from tests.test_assessment_workflow import _post_values

pytestmark = pytest.mark.django_db


def _form(form_class: Any, values: dict[str, Any]) -> Any:
    return form_class(_post_values("x", values), prefix="x")


def _scores(task: dict[str, Any]) -> bool:
    document = {
        "format": interchange.INPUT_FORMAT,
        "version": interchange.INPUT_VERSION,
        "lifting_tasks": [task],
    }
    try:
        interchange.parse_input(document)
    except interchange.InputErrors:
        return False
    return True


@pytest.mark.parametrize("field", ["asymmetry_origin", "asymmetry_dest"])
def test_the_form_and_the_scoring_package_share_the_asymmetry_bound(field):
    limit = niosh.ASYMMETRY_MAX_DEGREES
    at_limit = {**LIFT, field: limit}
    beyond = {**LIFT, field: limit + 1}
    assert _form(LiftingTaskForm, at_limit).is_valid()
    assert _scores(at_limit)
    form = _form(LiftingTaskForm, beyond)
    assert not form.is_valid()
    assert form.errors[field] == [
        f"The asymmetry angle is measured from straight ahead, 0–{limit:g}°."
    ]
    assert not _scores(beyond)


@pytest.mark.parametrize(("units", "unit"), [("metric", "cm"), ("us", "in")])
def test_the_reach_message_quotes_the_equations_own_limit(units, unit):
    values = {**LIFT, "units": units, "load": 10, "h_origin": 200, "v_origin": 30, "h_dest": 20}
    form = _form(LiftingTaskForm, values)
    assert not form.is_valid()
    limit = niosh.horizontal_limit(niosh.Units(units))
    assert f"(the equation's limit is {limit:g} {unit})" in form.errors["h_origin"][0]


def test_model_validators_take_the_scoring_bounds():
    def bound(model: Any, name: str) -> float:
        [validator] = [v for v in model._meta.get_field(name).validators if v.code == "max_value"]
        return float(validator.limit_value)

    assert bound(WorkstationSection, "chair_hours_per_day") == rosa.MAX_HOURS_PER_DAY
    assert bound(WorkstationSection, "chair_longest_continuous_minutes") == (
        rosa.MAX_HOURS_PER_DAY * 60
    )
    assert bound(SittingSection, "hours_worked_per_day") == sitting.HOURS_WORKED_MAX
    assert bound(SittingSection, "moderate_minutes_per_week") == sitting.MAX_WEEKLY_MINUTES
    assert bound(SittingSection, "strengthening_days_per_week") == sitting.STRENGTHENING_DAYS_MAX


def test_a_working_day_of_no_hours_is_refused_in_the_scoring_packages_words():
    form = _form(SittingForm, {**SITTING, "hours_worked_per_day": 0})
    assert not form.is_valid()
    assert "more than 0 h" in form.errors["hours_worked_per_day"][0]


def test_declining_without_a_reason_is_refused_the_same_way_by_form_and_service(completed):
    action = completed.actions.first()
    form = ActionUpdateForm(
        {"status": "declined", "evidence_note": "  ", "lock_version": action.lock_version},
        instance=action,
    )
    assert not form.is_valid()
    assert form.errors["evidence_note"] == [str(DECLINED_NEEDS_REASON)]
    with pytest.raises(ValidationError) as refused:
        action_services.action_update(action=action, status="declined", evidence_note=" ")
    assert refused.value.message_dict["evidence_note"] == [str(DECLINED_NEEDS_REASON)]
    assert Action.objects.get(pk=action.pk).status == "open"


def test_done_without_a_date_is_dated_today_and_reopening_clears_the_date(completed):
    action = completed.actions.first()
    done = action_services.action_update(action=action, status="done", evidence_note="Fitted")
    assert done.completed_on == timezone.localdate()
    assert done.closed_in_days == 0
    reopened = action_services.action_update(action=done, status="open")
    assert reopened.completed_on is None
    assert reopened.closed_in_days is None
