"""Shared people and data for the web tests.

People: `assessor` (OH), `manager` (manages Customer Service), `other_manager` (manages
Goods In only), `admin` (superuser), `nobody` (signed in, no role).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from assessments import permissions
from assessments.actions import services as action_services
from assessments.people.changes import employees_changing
from assessments.people.models import Department, Employee, Site
from assessments.records import services, snapshot
from assessments.records.models import (
    Assessment,
    LiftingTask,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.reporting import tasks as reporting_tasks
from assessments.scoring.worker import RED_FLAG_FIELDS
from assessments.selfassess import tokens
from assessments.selfassess.models import Consent, ConsentKey

PASSWORD = "a-long-test-password-2026"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the API's per-person call counts are kept
    there by user id, and ids come round again after a rolled-back test, so a worker that
    runs many API tests within a minute would otherwise meet the rate limit at random."""
    cache.clear()


def settings_for_tests() -> dict[str, Any]:
    """What every test runs with: plain HTTP, static files under their own names (no
    manifest to build) and a fast password hash."""
    from django.conf import settings

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return {
        "STORAGES": {**settings.STORAGES, "staticfiles": static},
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    }


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    for name, value in settings_for_tests().items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Any, settings: Any) -> None:
    """Each test's uploads and reports in a folder of its own (a module whose rows are made
    once for all its tests overrides this with the folder its files went to)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@contextlib.contextmanager
def rows_for_module(django_db_blocker: Any, media: Any) -> Iterator[None]:
    """For a module-scoped fixture: rows made once for all the module's tests, in a
    transaction rolled back after its last test (each test runs in a savepoint of its own
    within it), with files in `media` and the tests' settings."""
    overrides = override_settings(MEDIA_ROOT=media, **settings_for_tests())
    with django_db_blocker.unblock(), overrides, transaction.atomic():
        yield
        transaction.set_rollback(True)


def _user(username: str, group: str | None = None, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def make_site() -> Site:
    return Site.objects.create(name="Northgate")


def make_department(site: Site) -> Department:
    return Department.objects.create(site=site, name="Customer Service")


def make_other_department(site: Site) -> Department:
    return Department.objects.create(site=site, name="Goods In")


def make_assessor() -> User:
    return _user("assessor", permissions.ASSESSOR_GROUP, first_name="Alex")


def make_manager(department: Department) -> User:
    user = _user("manager", permissions.MANAGER_GROUP)
    department.managers.add(user)
    return user


def make_other_manager(other_department: Department) -> User:
    user = _user("other_manager", permissions.MANAGER_GROUP)
    other_department.managers.add(user)
    return user


def make_admin() -> User:
    return _user("admin", is_staff=True, is_superuser=True)


def make_nobody() -> User:
    return _user("nobody")


def make_employee(department: Department) -> Employee:
    return Employee.objects.create(
        hr_reference="E100",
        name="Robin Patel",
        job_title="Customer adviser",
        department=department,
    )


def make_other_employee(other_department: Department) -> Employee:
    return Employee.objects.create(
        hr_reference="E200",
        name="Kit Osei",
        job_title="Goods-in operative",
        department=other_department,
        work_type=Employee.WorkType.MANUAL,
    )


@pytest.fixture
def site(db: Any) -> Site:
    return make_site()


@pytest.fixture
def department(site: Site) -> Department:
    return make_department(site)


@pytest.fixture
def other_department(site: Site) -> Department:
    return make_other_department(site)


@pytest.fixture
def assessor(db: Any) -> User:
    return make_assessor()


@pytest.fixture
def manager(department: Department) -> User:
    return make_manager(department)


@pytest.fixture
def other_manager(other_department: Department) -> User:
    return make_other_manager(other_department)


@pytest.fixture
def admin_user(db: Any) -> User:
    return make_admin()


@pytest.fixture
def nobody(db: Any) -> User:
    return make_nobody()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def employee(department: Department) -> Employee:
    return make_employee(department)


@pytest.fixture
def other_employee(other_department: Department) -> Employee:
    return make_other_employee(other_department)


WORKSTATION = {
    "seat_height": "too_high",
    "seat_height_non_adjustable": True,
    "seat_depth": "ok",
    "armrests": "too_low_or_none",
    "back_support": "no_lumbar",
    "chair_hours_per_day": 7.0,
    "chair_longest_continuous_minutes": 90.0,
    "monitor": "too_low",
    "monitor_hours_per_day": 7.0,
    "monitor_longest_continuous_minutes": 90.0,
    "phone": "neutral",
    "phone_hours_per_day": 0.5,
    "phone_longest_continuous_minutes": 10.0,
    "mouse": "reaching",
    "mouse_hours_per_day": 6.0,
    "mouse_longest_continuous_minutes": 60.0,
    "keyboard": "neutral",
    "keyboard_hours_per_day": 6.0,
    "keyboard_longest_continuous_minutes": 60.0,
}
SITTING = {
    "hours_worked_per_day": 8.0,
    "pct_sitting": 85,
    "pct_standing": 10,
    "pct_walking": 5,
    "pct_heavy": 0,
    "longest_sitting_bout_minutes": 120,
    "sit_stand_desk_available": False,
    "sit_stand_desk_used": False,
    "moderate_minutes_per_week": 60,
    "vigorous_minutes_per_week": 0,
    "strengthening_days_per_week": 0,
}
WORKER = {
    "age_years": 42,
    "height_cm": 170.0,
    "weight_kg": 92.0,
    "current_pain": True,
    "pain_duration_weeks": 3.0,
    "episodes_last_12_months": 2,
    "pain_intensity": 4,
    "pain_eases_with_movement": True,
    "pain_returns_after_rest": True,
    "yf_stress_worry": True,
    # Every red-flag question asked: completion is refused while one is "not asked".
    **dict.fromkeys(RED_FLAG_FIELDS, "no"),
}
LIFT = {
    "label": "Boxes to shelf",
    "units": "metric",
    "load": 15.0,
    "max_load": None,
    "h_origin": 50.0,
    "v_origin": 30.0,
    "h_dest": 40.0,
    "v_dest": 120.0,
    "asymmetry_origin": 30.0,
    "asymmetry_dest": 0.0,
    "frequency": 2.0,
    "duration": "moderate",
    "coupling": "fair",
    "significant_control": False,
    "conditions": [],
}


def fill_draft(assessment: Assessment, *, lifting: bool = True) -> Assessment:
    WorkstationSection.objects.create(assessment=assessment, **WORKSTATION)
    SittingSection.objects.create(assessment=assessment, **SITTING)
    WorkerSection.objects.create(assessment=assessment, **WORKER)
    if lifting:
        LiftingTask.objects.create(assessment=assessment, position=1, **LIFT)
    return assessment


@pytest.fixture
def draft(employee: Employee, assessor: User) -> Assessment:
    assessment = services.assessment_create(employee=employee, assessor=assessor)
    return fill_draft(assessment)


def give_consent(assessment: Assessment, status: str = "given") -> Assessment:
    """Record the employee's consent decision for this completed revision (`status`: given,
    refused, withdrawn, pending or predates), as a test's setup: no email, no audit event.
    The stored dashboard counts follow in the same transaction, as the use case does."""
    with employees_changing([assessment.employee_id]):
        Consent.objects.update_or_create(
            assessment=assessment,
            defaults={
                "status": status,
                "decided_at": None if status in ("pending", "predates") else timezone.now(),
            },
        )
    return assessment


def consent_link(assessment: Assessment, *, days: int = 14) -> str:
    """A working consent link (its token) for this completed revision, as if emailed."""
    consent, _created = Consent.objects.get_or_create(assessment=assessment)
    token, hashed = tokens.new_token(tokens.CONSENT)
    ConsentKey.objects.create(
        consent=consent, token_hash=hashed, expires_at=timezone.now() + dt.timedelta(days=days)
    )
    return token


def complete(
    assessment: Assessment,
    user: User,
    *,
    store_reports: bool = False,
    consent: str | None = "given",
) -> Assessment:
    """Complete the draft with every recommended action. The employee gives consent to
    share it with their manager by default (`consent`: another status, or None for no
    consent record at all), so that manager tests keep their meaning."""
    preview = services.assessment_preview(assessment=assessment)
    assert preview.results is not None, preview.errors
    due = assessment.assessed_on + dt.timedelta(days=30)
    drafts = [
        action_services.ActionDraft.from_recommendation(
            r, assessed_on=assessment.assessed_on, due_on=due
        )
        for r in snapshot.read_results(preview.results).recommendations
    ]
    completed = action_services.assessment_complete(
        assessment=assessment, user=user, actions=drafts
    )
    if consent is not None:
        give_consent(completed, consent)
    if store_reports:
        reporting_tasks.reports_schedule(assessment=completed, user=user)
    return completed


@pytest.fixture
def completed(draft: Assessment, assessor: User) -> Assessment:
    return complete(draft, assessor)


@pytest.fixture
def other_completed(other_employee: Employee, assessor: User) -> Assessment:
    assessment = services.assessment_create(employee=other_employee, assessor=assessor)
    return complete(fill_draft(assessment), assessor)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: Any
) -> None:
    """Keep the SQLite test database in a file (not in memory), so that the worker
    processes the job tests start can open the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)
        # A throwaway file: no need to wait for the disk on every commit.
        database.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF"


def api_client_for(user: User | None, *, scope: str = "write") -> Client:
    """A client that calls the API with a fresh personal token of `user` (none: anonymous)."""
    if user is None:
        return Client()
    from assessments.api import tokens

    made = tokens.token_create(user=user, name="tests", scope=scope, lifetime_days=30)
    return Client(headers={"authorization": f"Bearer {made.secret}"})
