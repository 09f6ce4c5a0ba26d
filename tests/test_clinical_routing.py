"""Clinical routing through the app: the pain-pattern screen, red flags asked not assumed,
and due dates set by urgency. Worked examples are those of docs/scoring.md."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pypdf import PdfReader

from assessments.actions.models import Action
from assessments.actions.services import due_date_for
from assessments.records import services
from assessments.records.models import Assessment, WorkerSection
from assessments.reporting.store import report_render
from tests.conftest import client_for, complete

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

#: ASAS-positive pain recorded through the pain-pattern questions alone: a 30-year-old with
#: 20 weeks of pain that came on gradually, eases with movement, is not eased by rest and
#: wakes them in the second half of the night, easing on getting up.
INFLAMMATORY = {
    "age_years": 30,
    "current_pain": True,
    "pain_duration_weeks": 20.0,
    "episodes_last_12_months": 0,
    "asas_insidious_onset": True,
    "pain_eases_with_movement": True,
    "pain_returns_after_rest": True,
    "night_pain_eases_on_rising": True,
    "morning_stiffness_minutes": 45,
}


def _worker(draft: Assessment, **values: Any) -> WorkerSection:
    section = WorkerSection.objects.get(assessment=draft)
    for name, value in values.items():
        setattr(section, name, value)
    section.save()
    return section


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_unanswered_red_flag_blocks_completion(draft: Assessment, assessor: User) -> None:
    _worker(draft, rf_fever="not_asked")
    client = client_for(assessor)
    url = reverse("assessment_complete", args=[draft.pk])
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 422
        body = response.content.decode()
        assert "Ask every red-flag question before completing" in body
        assert "Not asked yet: Fever, chills or rigors." in body
    draft.refresh_from_db()
    assert draft.is_draft
    with pytest.raises(services.RedFlagsNotAskedError):
        complete(draft, assessor)


def test_a_recorded_reason_allows_completion_and_the_oh_report_shows_it(
    draft: Assessment, assessor: User
) -> None:
    _worker(
        draft,
        rf_fever="not_asked",
        rf_iv_drug_use="not_asked",
        red_flags_not_asked_reason="Worker asked to stop; to be asked at the GP review",
    )
    response = client_for(assessor).get(reverse("assessment_complete", args=[draft.pk]))
    assert response.status_code == 200
    completed = complete(draft, assessor)
    text = _text(report_render(completed, "oh"))
    assert "Red-flag questions not asked (2)" in text
    assert "Worker asked to stop; to be asked at the GP review" in " ".join(text.split())


def test_inflammatory_pain_is_classed_alike_on_the_page_in_the_pdf_and_on_the_command_line(
    draft: Assessment, assessor: User, tmp_path: Path
) -> None:
    _worker(draft, height_cm=None, weight_kg=None, **INFLAMMATORY)
    completed = complete(draft, assessor)

    results = completed.results["worker"]
    assert results["pain_class"] == "possible_inflammatory"
    assert results["mechanical_pattern"] is False
    codes = [r["code"] for r in completed.results["recommendations"]]
    assert codes[0] == "clinical.inflammatory_referral"
    assert "individual.core_programme" not in codes

    page = client_for(assessor).get(completed.get_absolute_url()).content.decode()
    assert "Pain pattern: Possible inflammatory back pain" in page
    assert "stiffness on waking 45 minutes (more than 30)" in page

    pdf = " ".join(_text(report_render(completed, "oh")).split())
    assert "Pain pattern: Possible inflammatory back pain" in pdf

    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(completed.inputs), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "assessments.scoring", str(path)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    cli = json.loads(run.stdout)
    assert cli["worker"]["pain_class"] == "possible_inflammatory"
    assert cli["worker"]["pain_class_criteria"] == results["pain_class_criteria"]
    assert cli["recommendations"][0]["code"] == "clinical.inflammatory_referral"


def test_eight_weeks_of_pain_gets_a_review_due_in_four_weeks(
    draft: Assessment, assessor: User
) -> None:
    _worker(draft, pain_duration_weeks=8.0)
    preview = services.assessment_preview(assessment=draft)
    assert preview.results is not None
    recs = preview.results["recommendations"]
    assert recs[0]["code"] == "clinical.persistent_pain_review"
    assert "Back pain for 8 weeks (past 6 weeks, subacute)" in recs[0]["why"]
    assert due_date_for(
        code="clinical.persistent_pain_review", priority=3, assessed_on=dt.date(2026, 3, 2)
    ) == dt.date(2026, 3, 30)


def test_cauda_equina_action_is_due_today_and_alerts_the_assessor_until_closed(
    draft: Assessment, assessor: User
) -> None:
    _worker(draft, rf_saddle_anaesthesia="yes")
    client = client_for(assessor)
    url = reverse("assessment_complete", args=[draft.pk])
    response = client.get(url)
    assert response.status_code == 200
    rows = response.context["formset"].initial
    assert rows[0]["code"] == "clinical.emergency_cauda_equina"
    assert rows[0]["due_on"] == draft.assessed_on
    completed = complete(draft, assessor)  # the conftest helper sets its own due dates
    action = Action.objects.get(assessment=completed, code="clinical.emergency_cauda_equina")
    action.due_on = due_date_for(code=action.code, priority=1, assessed_on=completed.assessed_on)
    action.save()
    assert action.due_on == completed.assessed_on

    home = client.get(reverse("home")).content.decode()
    assert "Emergency actions open" in home
    assert "possible cauda equina syndrome" in home
    action.status = Action.Status.DONE
    action.completed_on = completed.assessed_on
    action.save()
    assert "Emergency actions open" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("assessed_on", "expected"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 4)),  # Monday -> Wednesday
        (dt.date(2026, 3, 5), dt.date(2026, 3, 9)),  # Thursday -> Monday
        (dt.date(2026, 3, 6), dt.date(2026, 3, 10)),  # Friday -> Tuesday
    ],
)
def test_urgent_actions_are_due_within_two_working_days(
    assessed_on: dt.date, expected: dt.date
) -> None:
    assert (
        due_date_for(code="clinical.urgent_review", priority=1, assessed_on=assessed_on) == expected
    )


def test_due_dates_follow_the_settings(settings: Any) -> None:
    settings.ACTION_DUE_ROUTINE_DAYS = 14
    settings.ACTION_DUE_URGENT_WORKING_DAYS = 1
    monday = dt.date(2026, 3, 2)
    assert due_date_for(
        code="clinical.inflammatory_referral", priority=3, assessed_on=monday
    ) == dt.date(2026, 3, 16)
    assert due_date_for(code="clinical.urgent_review", priority=1, assessed_on=monday) == dt.date(
        2026, 3, 3
    )
    # Ergonomic actions keep their priority-based due dates.
    assert due_date_for(code="lifting.mechanical_assist", priority=1, assessed_on=monday) == (
        monday + dt.timedelta(days=7)
    )
