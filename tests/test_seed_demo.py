"""The demo data: every band, office and warehouse work, actions in every status; idempotent."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from assessments.actions.models import Action
from assessments.people.models import Department, Employee, Site
from assessments.records.models import Assessment
from assessments.reporting.models import Report
from tests.conftest import rows_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for this module inside a transaction that is rolled back after
    it; each test runs in a savepoint of its own within it. Returns what the first run
    printed, on either stream."""
    out, err = io.StringIO(), io.StringIO()
    with rows_for_module(django_db_blocker, tmp_path_factory.mktemp("demo-media")):
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=out, stderr=err)
        yield out.getvalue() + err.getvalue()


@pytest.fixture
def seeded(_demo, db, settings):
    settings.DEBUG = True
    return _demo


def test_seed_creates_the_promised_demo(seeded):
    assert Site.objects.count() == 2
    assert Department.objects.count() == 5
    assert Employee.objects.count() == 40
    completed = Assessment.objects.filter(status=Assessment.Status.COMPLETED)
    assert 100 <= completed.count() <= 140
    assert set(completed.values_list("band", flat=True)) == {"low", "moderate", "high", "very_high"}
    assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)
    assert Employee.objects.filter(work_type="office").exists()
    assert Employee.objects.filter(work_type="manual").exists()
    assert Assessment.objects.filter(lifting_tasks__units="us").exists()
    assert Assessment.objects.filter(status=Assessment.Status.DRAFT).exists()
    # Each employee has exactly one current assessment.
    assert completed.filter(is_latest=True).count() == 40
    manager = User.objects.get(username="manager")
    assert manager.managed_departments.count() == 2
    assert "ergo-demo-2026" in seeded
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="assessor").check_password("ergo-demo-2026")


def test_demo_employees_have_different_names(seeded):
    names = list(Employee.objects.values_list("name", flat=True))
    assert len(names) == 40 and len(set(names)) == 40


def test_seed_prints_each_line_once(seeded):
    lines = [line for line in seeded.splitlines() if line.strip()]
    assert lines[0].startswith("Created 5 departments, 40 employees, ")
    assert len(lines) == len(set(lines)) == 5


def test_seed_is_idempotent(seeded, settings):
    counts = (Employee.objects.count(), Assessment.objects.count(), Action.objects.count())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "already present" in out.getvalue()
    assert counts == (Employee.objects.count(), Assessment.objects.count(), Action.objects.count())


def test_seed_is_refused_when_debug_is_off(settings, db):
    settings.DEBUG = False
    counts = (User.objects.count(), Employee.objects.count(), Assessment.objects.count())
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts == (User.objects.count(), Employee.objects.count(), Assessment.objects.count())


def test_demo_reports_render_on_first_download(seeded, client):
    assessment = Assessment.objects.filter(status="completed").first()
    client.force_login(User.objects.get(username="assessor"))
    response = client.get(f"/assessments/{assessment.pk}/report/oh.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Report.objects.filter(assessment=assessment, kind="oh").exists()


def test_the_demo_shows_a_completed_amendment_with_its_reason(seeded):
    amendment = Assessment.objects.get(supersedes__isnull=False)
    assert amendment.status == Assessment.Status.COMPLETED and amendment.is_latest
    assert amendment.amendment_reason.startswith("The workstation was recorded")
    replaced = amendment.supersedes
    assert not replaced.actions.filter(status__in=Action.OPEN_STATUSES).exists()
    assert replaced.actions.filter(status=Action.Status.SUPERSEDED).exists()
    carried = amendment.actions.filter(created_at__lt=amendment.completed_at)
    assert carried.exists()  # actions carried over keep when they were raised
    codes = list(
        amendment.actions.filter(status__in=Action.OPEN_STATUSES).values_list("code", flat=True)
    )
    assert len(codes) == len(set(codes))


def test_the_demo_has_self_assessments_in_every_state(seeded):
    from assessments.selfassess.models import Alert, Invitation

    statuses = set(Invitation.objects.values_list("status", flat=True))
    assert {"invited", "started", "returned", "visit", "signed_off"} <= statuses
    assert Invitation.objects.exclude(reply="").exists()
    assert Alert.objects.filter(acknowledged_at__isnull=True).exists()
    signed = Invitation.objects.get(status="signed_off")
    assert signed.assessment.status == Assessment.Status.COMPLETED
