"""Seed the benchmark's throwaway database, and check it for lost or doubled records after.

Both run inside a `manage.py bench_load --phase ...` process whose DATABASE_URL is the
throwaway database, never the database of the process that started the benchmark.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
import time
from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from assessments import permissions
from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.people.models import Department, Employee, Site
from assessments.records import services, snapshot
from assessments.records.models import Assessment, SittingSection, WorkerSection, WorkstationSection
from assessments.reporting.models import Report
from assessments.reporting.store import report_render
from assessments.scoring import worker
from assessments.selfassess.consent import consent_decide, consent_request
from assessments.selfassess.models import Consent

#: The share of seeded assessments whose employee has let managers see them.
SHARED_SHARE = 0.9
DEPARTMENTS = [
    "Finance",
    "Customer Service",
    "HR and Payroll",
    "Claims",
    "IT Service Desk",
    "Sales",
]


def _sections(assessment: Assessment, rng: random.Random) -> None:
    # Every item answered: an assessment completes only when each section is complete.
    hours = rng.choice([4.0, 6.0, 7.0])
    WorkstationSection.objects.create(
        assessment=assessment,
        seat_height=rng.choice(["knees_90", "too_high", "too_low"]),
        seat_depth="ok",
        armrests=rng.choice(["supported", "too_low_or_none"]),
        back_support=rng.choice(["adequate", "no_lumbar"]),
        chair_hours_per_day=hours,
        chair_longest_continuous_minutes=60,
        monitor=rng.choice(["eye_level", "too_low", "too_high"]),
        monitor_hours_per_day=hours,
        monitor_longest_continuous_minutes=60,
        phone="neutral",
        phone_hours_per_day=0.5,
        phone_longest_continuous_minutes=10,
        mouse=rng.choice(["in_line", "reaching"]),
        mouse_hours_per_day=hours,
        mouse_longest_continuous_minutes=45,
        keyboard="neutral",
        keyboard_hours_per_day=hours,
        keyboard_longest_continuous_minutes=45,
    )
    SittingSection.objects.create(
        assessment=assessment,
        hours_worked_per_day=7.5,
        pct_sitting=80,
        pct_standing=10,
        pct_walking=10,
        pct_heavy=0,
        longest_sitting_bout_minutes=rng.choice([30, 60, 120]),
        moderate_minutes_per_week=rng.choice([60, 150]),
        vigorous_minutes_per_week=0,
        strengthening_days_per_week=rng.choice([0, 2]),
    )
    WorkerSection.objects.create(
        assessment=assessment,
        age_years=rng.randint(22, 64),
        height_cm=rng.choice([160.0, 172.0, 185.0]),
        weight_kg=rng.choice([60.0, 80.0, 100.0]),
        current_pain=False,
        episodes_last_12_months=rng.choice([0, 1, 3]),
        **dict.fromkeys(worker.RED_FLAG_FIELDS, worker.Answer.NO.value),
    )


def seed(*, users: int, employees: int, seed: int = 2026) -> dict[str, Any]:
    """Departments, people and completed assessments; returns the plan for the load client."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    user_model = get_user_model()
    assessor_group, _ = Group.objects.get_or_create(name=permissions.ASSESSOR_GROUP)
    manager_group, _ = Group.objects.get_or_create(name=permissions.MANAGER_GROUP)
    password = secrets.token_urlsafe(16)
    n_assessors = max(1, users // 2)
    n_managers = max(1, users - n_assessors)
    with transaction.atomic():
        site = Site.objects.create(name="Bench Site")
        departments = [Department.objects.create(site=site, name=name) for name in DEPARTMENTS]
        assessors, managers = [], []
        for i in range(n_assessors):
            user = user_model(username=f"bench-assessor-{i + 1:02d}", email="")
            user.set_password(password)
            user.save()
            user.groups.add(assessor_group)
            assessors.append(user)
        for i in range(n_managers):
            user = user_model(username=f"bench-manager-{i + 1:02d}", email="")
            user.set_password(password)
            user.save()
            user.groups.add(manager_group)
            departments[i % len(departments)].managers.add(user)
            managers.append(user)
        people = []
        for i in range(employees):
            people.append(
                Employee.objects.create(
                    hr_reference=f"B{10000 + i}",
                    name=f"Bench Employee {i + 1}",
                    job_title="Adviser",
                    department=departments[i % len(departments)],
                )
            )
    today = timezone.localdate()
    completed = 0
    for i, employee in enumerate(people):
        visits = 2 if i % 2 else 1
        for visit in range(visits):
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    employee=employee,
                    assessor=assessors[i % len(assessors)],
                    assessed_on=today - dt.timedelta(days=rng.randint(0, 300) + 330 * visit),
                )
                _sections(assessment, rng)
                preview = services.assessment_preview(assessment=assessment)
                assert preview.results is not None, preview.errors
                due = assessment.assessed_on + dt.timedelta(days=30)
                drafts = [
                    action_services.ActionDraft.from_recommendation(
                        r, assessed_on=assessment.assessed_on, due_on=due
                    )
                    for r in snapshot.read_results(preview.results).recommendations[:6]
                ]
                action_services.assessment_complete(
                    assessment=assessment,
                    user=assessment.assessor,
                    actions=drafts,
                )
                # The employee is asked, as on completion in the app. Most let their
                # managers see the assessment; the rest have not answered yet, as those
                # completed during the run.
                consent = consent_request(
                    assessment=assessment, user=assessment.assessor, send=False
                )
                if rng.random() < SHARED_SHARE:
                    consent_decide(
                        consent=consent,
                        status=Consent.Status.GIVEN,
                        user=assessment.assessor,
                        note="Given in person (benchmark data).",
                    )
            completed += 1
    _store_reports_for_seeded()
    # Each assessor works on employees of their own, as on a real site visit.
    work: dict[str, list[int]] = {a.username: [] for a in assessors}
    for i, employee in enumerate(people):
        work[assessors[i % len(assessors)].username].append(employee.pk)
    return {
        "password": password,
        "assessors": {name: ids for name, ids in work.items()},
        "managers": [m.username for m in managers],
        "employees": len(people),
        "completed_seeded": completed,
        "started_at": timezone.now().isoformat(),
    }


def _store_reports_for_seeded() -> None:
    """Give every seeded assessment its two stored PDFs, as the workers would have when it
    was completed, so that downloads stream stored files as they do in production. To keep
    seeding quick, each is a copy of one rendered report of its kind (a placeholder)."""
    from django.core.files.base import ContentFile

    assessments = list(Assessment.objects.filter(status=Assessment.Status.COMPLETED))
    for kind in Report.Kind.values:
        data = report_render(assessments[0], kind)
        digest = hashlib.sha256(data).hexdigest()
        for assessment in assessments:
            report = Report(
                assessment=assessment, kind=kind, sha256=digest, snapshot_sha256="placeholder"
            )
            report.file.save(f"{kind}-{assessment.pk}.pdf", ContentFile(data), save=True)


def _drain(timeout: float) -> tuple[bool, float]:
    """Wait until the database queue has no ready or running task."""
    from django_tasks_db.models import DBTaskResult

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
            return True, time.monotonic() - started
        time.sleep(0.5)
    return False, time.monotonic() - started


def check(*, outcome: dict[str, Any], drain_timeout: float) -> dict[str, Any]:
    """Every completion the client saw is in the database with its snapshot, its actions
    (as many as were kept, none twice) and both stored PDFs; every saved section is there."""
    from django_tasks_db.models import DBTaskResult

    drained, waited = _drain(drain_timeout)
    seen = {int(pk): kept for pk, kept in outcome["completed"].items()}
    assessments = Assessment.objects.in_bulk(list(seen))
    missing = [pk for pk in seen if pk not in assessments]
    not_completed = [pk for pk, a in assessments.items() if not a.is_completed]
    no_snapshot = [
        pk
        for pk, a in assessments.items()
        if a.is_completed and (not a.inputs or not a.results or not a.scoring_version)
    ]
    actions = Counter(
        Action.objects.filter(assessment_id__in=list(seen)).values_list("assessment_id", flat=True)
    )
    wrong_action_count = [pk for pk, kept in seen.items() if actions.get(pk, 0) != kept]
    codes = Counter(
        Action.objects.filter(assessment__completed_at__isnull=False).values_list(
            "assessment_id", "code"
        )
    )
    duplicate_actions = sum(n - 1 for n in codes.values() if n > 1)
    reports = {
        (r.assessment_id, r.kind): r for r in Report.objects.filter(assessment_id__in=list(seen))
    }
    missing_pdfs, bad_pdfs = 0, 0
    for pk in seen:
        for kind in Report.Kind.values:
            report = reports.get((pk, kind))
            if report is None:
                missing_pdfs += 1
                continue
            try:
                with report.file.open("rb") as handle:
                    data = handle.read()
            except OSError:
                bad_pdfs += 1
                continue
            if hashlib.sha256(data).hexdigest() != report.sha256 or not data.startswith(b"%PDF"):
                bad_pdfs += 1
    duplicate_reports = (
        Report.objects.values("assessment_id", "kind").order_by().distinct().count()
        != Report.objects.count()
    )
    sections = {
        "workstation": WorkstationSection,
        "sitting": SittingSection,
        "worker": WorkerSection,
    }
    lost_sections = sum(
        1
        for pk, name in outcome["sections"]
        if not sections[name].objects.filter(assessment_id=pk).exists()
    )
    started_at = dt.datetime.fromisoformat(outcome["started_at"])
    completed_in_run = Assessment.objects.filter(
        status=Assessment.Status.COMPLETED, completed_at__gte=started_at
    ).count()
    failed_tasks = DBTaskResult.objects.filter(status="FAILED").count()
    problems = (
        len(missing)
        + len(not_completed)
        + len(no_snapshot)
        + len(wrong_action_count)
        + duplicate_actions
        + missing_pdfs
        + bad_pdfs
        + int(duplicate_reports)
        + lost_sections
        + failed_tasks
    )
    return {
        "queue_drained": "yes" if drained else "no",
        "queue_drain_s": round(waited, 1),
        "completions_acknowledged": len(seen),
        "completions_in_database": completed_in_run,
        "lost_completions": len(missing) + len(not_completed),
        "completed_without_snapshot": len(no_snapshot),
        "completed_with_wrong_action_count": len(wrong_action_count),
        "duplicate_actions": duplicate_actions,
        "missing_pdfs": missing_pdfs,
        "pdfs_not_matching_sha256": bad_pdfs,
        "duplicate_reports": int(duplicate_reports),
        "sections_acknowledged": len(outcome["sections"]),
        "lost_sections": lost_sections,
        "failed_tasks": failed_tasks,
        "consistency": "ok" if problems == 0 and drained else "FAILED",
    }
