"""The editor's forms never save what the scoring package would refuse at completion.

Cross-field rules live in the scoring package (the longest sitting spell against the time
spent sitting, onset-age questions against the recorded onset age, the current episode
against the onset age, ...). The forms apply them through `form_rules.ScoringRulesMixin`
and show each message next to the field it names.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.records import form_rules, services
from assessments.records.forms import LiftingTaskForm, SittingForm, WorkerForm, WorkstationForm
from assessments.records.models import SittingSection, WorkerSection
from assessments.scoring import interchange
from tests.conftest import LIFT, SITTING, WORKER, WORKSTATION, client_for
from tests.test_assessment_workflow import _post_values

pytestmark = pytest.mark.django_db


def _form(form_class: Any, values: dict[str, Any]) -> Any:
    return form_class(_post_values("x", values), prefix="x")


def _errors(form: Any) -> dict[str, list[str]]:
    assert not form.is_valid()
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def test_sitting_bout_cannot_exceed_the_time_spent_sitting():
    values = {
        **SITTING,
        "hours_worked_per_day": 8.0,
        "pct_sitting": 25,
        "pct_standing": 70,
        "pct_walking": 5,
        "longest_sitting_bout_minutes": 180,
    }
    errors = _errors(_form(SittingForm, values))
    assert list(errors) == ["longest_sitting_bout_minutes"]
    [message] = errors["longest_sitting_bout_minutes"]
    assert message == ("180 min is more than the 120 min sitting per workday (25 % of 8 h)")


def test_onset_question_must_agree_with_the_onset_age():
    values = {**WORKER, "back_pain_onset_age": 41, "asas_onset_before_40": True}
    errors = _errors(_form(WorkerForm, values))
    assert list(errors) == ["asas_onset_before_40"]
    assert errors["asas_onset_before_40"] == [
        "Ticked, but “Age when back pain first started” is 41 years (not before 40)"
    ]


@pytest.mark.parametrize(
    ("onset", "under_40", "before_35"),
    [
        (33, True, True),
        (35, True, False),
        (39, True, False),
        (40, False, False),
        (None, False, False),
    ],
)
def test_the_editor_answers_the_onset_questions_from_the_onset_age(onset, under_40, before_35):
    """The editor asks the age back pain first started once; ASAS "age at onset under 40"
    and NG65 "started before 35" follow from it."""
    values = {**WORKER, "current_pain": False, "pain_duration_weeks": None}
    form = _form(WorkerForm, {**values, "age_years": 50, "back_pain_onset_age": onset})
    assert form.is_valid(), form.errors
    saved = form.section_values()
    assert saved["asas_onset_before_40"] is under_40
    assert saved["ng65_started_before_35"] is before_35


def test_an_onset_age_saved_in_the_editor_reaches_the_inflammatory_screen(assessor, draft):
    section = WorkerSection.objects.get(assessment=draft)
    assert not section.asas_onset_before_40
    data = _post_values("worker", {**WORKER, "back_pain_onset_age": 30})
    data["worker-lock_version"] = str(section.lock_version)
    response = client_for(assessor).post(
        reverse("section_save", args=[draft.pk, "worker"]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    section.refresh_from_db()
    assert section.back_pain_onset_age == 30
    assert section.asas_onset_before_40 and section.ng65_started_before_35


def test_onset_age_cannot_be_after_the_current_episode_began():
    # 42 years old, in pain for ten years: it began at about 32, not at 40.
    values = {**WORKER, "pain_duration_weeks": 520.0, "back_pain_onset_age": 40}
    errors = _errors(_form(WorkerForm, values))
    assert list(errors) == ["back_pain_onset_age"]
    assert "later than the start of the current episode" in errors["back_pain_onset_age"][0]


def test_an_episode_cannot_be_longer_than_the_worker_has_lived():
    values = {**WORKER, "age_years": 20, "back_pain_onset_age": None, "pain_duration_weeks": 2000.0}
    errors = _errors(_form(WorkerForm, values))
    assert list(errors) == ["pain_duration_weeks"]
    assert "no longer than the worker's life at age 20" in errors["pain_duration_weeks"][0]


def test_height_and_weight_must_give_a_plausible_bmi():
    values = {**WORKER, "height_cm": 100.0, "weight_kg": 350.0}
    errors = _errors(_form(WorkerForm, values))
    assert list(errors) == ["height_cm"]
    assert "outside the plausible range 12-80" in errors["height_cm"][0]


def test_rosa_continuous_use_cannot_exceed_the_daily_hours():
    values = {**WORKSTATION, "phone_hours_per_day": 0.0, "phone_longest_continuous_minutes": 10.0}
    errors = _errors(_form(WorkstationForm, values))
    assert list(errors) == ["phone_longest_continuous_minutes"]


def test_the_messages_name_fields_by_their_labels():
    assert (
        form_rules.humanise(
            "a sit-stand desk cannot be used when sit_stand_desk_available is false",
            {"sit_stand_desk_available": "Sit-stand desk available"},
        )
        == "A sit-stand desk cannot be used when “Sit-stand desk available” is false"
    )


def test_section_errors_are_relative_to_the_section():
    [error] = form_rules.section_errors("lifting", {**LIFT, "load": -1.0})
    assert error.path == "load"
    assert form_rules.section_errors("sitting", SITTING) == []


def test_the_rule_shows_on_the_editor_page_and_nothing_is_saved(assessor, draft):
    SittingSection.objects.filter(assessment=draft).delete()
    values = {
        **SITTING,
        "hours_worked_per_day": 4.0,
        "pct_sitting": 50,
        "pct_standing": 45,
        "longest_sitting_bout_minutes": 150,
    }
    response = client_for(assessor).post(
        reverse("section_save", args=[draft.pk, "sitting"]), _post_values("sitting", values)
    )
    assert response.status_code == 422
    assert "150 min is more than the 120 min sitting per workday" in response.content.decode()
    assert not SittingSection.objects.filter(assessment=draft).exists()


# --- Property: whatever a form accepts, completion can score --------------------------------

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _split_100(cuts: list[int]) -> dict[str, int]:
    a, b, c = sorted(cuts)
    return {"pct_sitting": a, "pct_standing": b - a, "pct_walking": c - b, "pct_heavy": 100 - c}


sitting_values = st.builds(
    lambda parts, rest: {**parts, **rest},
    st.lists(st.integers(0, 100), min_size=3, max_size=3).map(_split_100),
    st.fixed_dictionaries(
        {
            "hours_worked_per_day": st.sampled_from([0.5, 1.0, 4.0, 7.5, 8.0, 12.0, 24.0]),
            "longest_sitting_bout_minutes": st.integers(0, 1440),
            "sit_stand_desk_available": st.booleans(),
            "sit_stand_desk_used": st.booleans(),
            "moderate_minutes_per_week": st.integers(0, 5040),
            "vigorous_minutes_per_week": st.integers(0, 5040),
            "strengthening_days_per_week": st.integers(0, 7),
        }
    ),
)
worker_values = st.fixed_dictionaries(
    {
        "age_years": st.integers(16, 100),
        "height_cm": st.one_of(st.none(), st.floats(100, 250)),
        "weight_kg": st.one_of(st.none(), st.floats(30, 350)),
        "current_pain": st.booleans(),
        "pain_duration_weeks": st.one_of(st.none(), st.floats(0, 4160)),
        "back_pain_onset_age": st.one_of(st.none(), st.integers(0, 100)),
        "episodes_last_12_months": st.integers(0, 52),
        "pain_intensity": st.one_of(st.none(), st.integers(0, 10)),
        "asas_onset_before_40": st.booleans(),
        "ng65_started_before_35": st.booleans(),
    }
)
workstation_values = st.fixed_dictionaries(
    {
        **{key: st.just(value) for key, value in WORKSTATION.items()},
        **{
            f"{device}_{part}": st.floats(0, limit)
            for device in ("chair", "monitor", "phone", "mouse", "keyboard")
            for part, limit in (("hours_per_day", 24), ("longest_continuous_minutes", 1440))
        },
    }
)
task_values = st.fixed_dictionaries(
    {
        **{key: st.just(value) for key, value in LIFT.items()},
        "units": st.sampled_from(["metric", "us"]),
        "load": st.floats(0.1, 200),
        "max_load": st.one_of(st.none(), st.floats(0.1, 250)),
        "asymmetry_origin": st.floats(0, 180),
        "frequency": st.floats(0, 60),
        "conditions": st.lists(
            st.sampled_from(["one_handed", "seated", "unstable_load"]), unique=True, max_size=2
        ),
    }
)


@pytest.mark.parametrize(
    ("form_class", "section", "strategy"),
    [
        (SittingForm, "sitting", sitting_values),
        (WorkerForm, "worker", worker_values),
        (WorkstationForm, "workstation", workstation_values),
        (LiftingTaskForm, "lifting", task_values),
    ],
)
def test_whatever_a_form_accepts_the_scoring_accepts(form_class, section, strategy):
    @FUZZ
    @given(values=strategy)
    def check(values: dict[str, Any]) -> None:
        form = _form(form_class, values)
        if not form.is_valid():
            return
        document: dict[str, Any] = {"format": interchange.INPUT_FORMAT, "version": 1}
        cleaned = {
            k: (list(v) if isinstance(v, tuple) else v) for k, v in form.section_values().items()
        }
        if section == "lifting":
            document["lifting_tasks"] = [cleaned]
        else:
            document[section] = cleaned
        interchange.parse_input(document)  # raises if the scoring refuses it

    check()


@settings(FUZZ, max_examples=20)
@given(values=worker_values)
def test_a_saved_worker_section_can_always_be_scored(assessor, draft, values):
    client = client_for(assessor)
    section = WorkerSection.objects.get(assessment=draft)
    data = _post_values("worker", {**WORKER, **values})
    data["worker-lock_version"] = str(section.lock_version)
    response = client.post(
        reverse("section_save", args=[draft.pk, "worker"]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        preview = services.assessment_preview(assessment=draft)
        assert preview.errors == (), preview.errors
