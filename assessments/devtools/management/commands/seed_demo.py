"""Demo data: two sites, five departments, 40 employees, ~120 assessments over two years.

Every assessment is scored through the same service as in the app, so the demo shows
real snapshots, every band, office and warehouse work, and actions in every status.
Idempotent: a second run changes nothing. Refused when DEBUG is off, because it creates
users with a published password.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments import permissions
from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.devtools import demo_selfassess
from assessments.people.changes import departments_changed
from assessments.people.models import Department, Employee, Site
from assessments.privacy import services as privacy
from assessments.records import services, snapshot
from assessments.records.models import (
    Assessment,
    LiftingTask,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.scoring import worker
from assessments.selfassess import consent as consent_services
from assessments.selfassess.models import Consent, ConsentEvent

DEMO_PASSWORD = "ergo-demo-2026"  # noqa: S105 - published demo credential, DEBUG only
SITES = {
    "Northgate Offices": ["Finance", "Customer Service", "HR and Payroll"],
    "Riverside Distribution Centre": ["Goods In", "Picking and Despatch"],
}
MANAGED = ["Customer Service", "Picking and Despatch"]
FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ewa",
    "Farid",
    "Grace",
    "Harry",
    "Imani",
    "Jonas",
    "Kasia",
    "Liam",
    "Maya",
    "Nikhil",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
]
LAST = [
    "Okafor",
    "Nowak",
    "Patel",
    "Hughes",
    "Silva",
    "Khan",
    "Murphy",
    "Evans",
    "Ahmed",
    "Jones",
    "Bianchi",
    "Walsh",
    "Chen",
    "Kowalski",
    "Reid",
    "Osei",
    "Dubois",
    "Lewis",
    "Park",
    "Ryan",
]
OFFICE_JOBS = [
    "Accounts assistant",
    "Customer adviser",
    "Payroll officer",
    "Team leader",
    "Analyst",
]
WAREHOUSE_JOBS = ["Warehouse operative", "Picker", "Goods-in operative", "Loader", "Team leader"]


class Command(BaseCommand):
    help = "Load demo sites, employees, assessments and users (DEBUG only; idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with a published password and is refused when DEBUG "
                "is off. Run it only on a development or demo instance (DEBUG=1)."
            )
        users = self._users()
        if Site.objects.filter(name__in=SITES).exists():
            self.stdout.write("Demo data already present; nothing changed.")
        else:
            with transaction.atomic():
                self._data(users)
        self.stdout.write(self.style.SUCCESS("Demo sign-ins (password: ergo-demo-2026):"))
        self.stdout.write("  assessor  OH assessor: every employee and all health detail")
        self.stdout.write("  manager   line manager of Customer Service and Picking and Despatch")
        self.stdout.write("  admin     system owner, also /admin/")

    def _users(self) -> dict[str, Any]:
        user_model = get_user_model()
        assessor_group, _ = Group.objects.get_or_create(name=permissions.ASSESSOR_GROUP)
        manager_group, _ = Group.objects.get_or_create(name=permissions.MANAGER_GROUP)
        people = {
            "assessor": ("Alex", "Morgan", assessor_group, False),
            "manager": ("Jordan", "Blake", manager_group, False),
            "admin": ("Sysadmin", "", None, True),
        }
        users = {}
        for username, (first, last, group, superuser) in people.items():
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = user.is_superuser = superuser
                user.save()
            if group is not None:
                user.groups.add(group)
            users[username] = user
        return users

    def _data(self, users: dict[str, Any]) -> None:
        rng = random.Random(2026)  # noqa: S311 - demo data, not security
        departments = []
        for site_name, names in SITES.items():
            site = Site.objects.create(name=site_name)
            for name in names:
                department = Department.objects.create(site=site, name=name)
                if name in MANAGED:
                    department.managers.add(users["manager"])
                departments.append(department)
        today = timezone.localdate()
        count = 0
        for index in range(40):
            department = departments[index % len(departments)]
            warehouse = department.site.name.startswith("Riverside")
            employee = Employee.objects.create(
                hr_reference=f"E{1000 + index}",
                name=_name(index),
                job_title=rng.choice(WAREHOUSE_JOBS if warehouse else OFFICE_JOBS),
                work_type=Employee.WorkType.MANUAL if warehouse else Employee.WorkType.OFFICE,
                department=department,
                active=index % 19 != 7,
            )
            risk = index % 4  # 0 low .. 3 very high, improved by follow-up over time
            visits = 3
            first_day = today - dt.timedelta(days=720 - rng.randint(0, 60))
            previous = None
            for visit in range(visits):
                day = first_day + dt.timedelta(days=visit * rng.randint(150, 330))
                if day > today:
                    break
                level = max(0, risk - visit // 2)
                previous = self._assessment(
                    employee, users, rng, day, level, warehouse, previous, today
                )
                count += 1
            if index % 10 == 3:  # a draft in progress
                draft = services.assessment_create(
                    employee=employee, assessor=users["assessor"], previous=previous
                )
                draft.notes = "Follow-up visit in progress."
                draft.save()
        amended = self._amend_one(users, rng)
        # One employee erased on request, to show what stays: anonymous statistics, their open
        # actions cancelled. The one seen longest ago, so the newest assessments are whole.
        erased = (
            Employee.objects.annotate(newest=Max("assessments__assessed_on"))
            .order_by("newest", "pk")
            .first()
        )
        assert erased is not None
        privacy.employee_erase(employee=erased, user=users["admin"], reason="demo erasure request")
        office = list(
            Employee.objects.filter(
                active=True, anonymised_at__isnull=True, work_type=Employee.WorkType.OFFICE
            ).order_by("pk")[:7]
        )
        selfassessed = demo_selfassess.seed(employees=office, assessor=users["assessor"], rng=rng)
        refused, pending = self._consents()
        self.stdout.write(
            f"Created {len(departments)} departments, 40 employees, {count} completed assessments "
            f"and an amendment of assessment #{amended.supersedes_id} "
            f"(employee #{erased.pk} erased), and {selfassessed} self-assessments. Consent to "
            f"share with the manager: refused for assessment #{refused.pk}, waiting for "
            f"assessment #{pending.pk}, given for the others."
        )

    def _consents(self) -> tuple[Assessment, Assessment]:
        """The employees' consent to share with their manager: given for most completed
        assessments (through their links, two days after completion); refused for one
        current high-risk assessment in a department the demo manager manages, so the manager
        sees its workplace actions and nothing else; and one still waiting."""
        current = (
            Assessment.objects.filter(
                is_latest=True,
                employee__active=True,
                employee__anonymised_at__isnull=True,
                employee__department__name__in=MANAGED,
                actions__status__in=Action.OPEN_STATUSES,
                actions__category__in=["eliminate", "engineering", "administrative"],
                band__in=["moderate", "high", "very_high"],
            )
            .order_by("-assessed_on", "pk")
            .distinct()
        )
        refused, pending = list(current[:2])
        given = []
        for assessment in Assessment.objects.filter(
            status=Assessment.Status.COMPLETED, employee__anonymised_at__isnull=True
        ).exclude(pk__in=[refused.pk, pending.pk]):
            consent, _created = Consent.objects.get_or_create(assessment=assessment)
            decided = (assessment.completed_at or timezone.now()) + dt.timedelta(days=2)
            consent.status = Consent.Status.GIVEN
            consent.decided_at = min(decided, timezone.now())
            consent.decided_by_oh = None
            consent.save()
            given.append(
                ConsentEvent(consent=consent, status=Consent.Status.GIVEN, at=consent.decided_at)
            )
        ConsentEvent.objects.bulk_create(given)
        for assessment in (refused, pending):
            consent_services.consent_request(assessment=assessment, send=False)
        consent_services.consent_decide(
            consent=Consent.objects.get(assessment=refused), status=Consent.Status.REFUSED
        )
        departments_changed(Department.objects.values_list("pk", flat=True))
        return refused, pending

    def _amend_one(self, users: dict[str, Any], rng: random.Random) -> Assessment:
        """Amend the newest high-risk office assessment with open actions, as OH would after
        finding the workstation was recorded at the wrong desk, and complete the amendment:
        the open actions still recommended carry over, the rest close as superseded."""
        target = (
            Assessment.objects.filter(
                is_latest=True,
                band__in=["high", "very_high"],
                rosa_final__isnull=False,
                actions__status__in=Action.OPEN_STATUSES,
            )
            .order_by("-assessed_on", "-pk")
            .distinct()
            .first()
        )
        assert target is not None, "the demo data has a high-risk office assessment"
        amendment = services.assessment_amend(
            assessment=target,
            user=users["assessor"],
            reason=(
                "The workstation was recorded at the hot desk by the window; the employee's own "
                "desk was assessed again with them on the same day."
            ),
        )
        WorkstationSection.objects.filter(assessment=amendment).update(**_workstation(0, rng))
        preview = services.assessment_preview(assessment=amendment)
        assert preview.results is not None, preview.errors
        drafts = [
            action_services.ActionDraft.from_recommendation(
                rec,
                assessed_on=amendment.assessed_on,
                owner=users["manager"] if rec.category != "clinical" else users["assessor"],
            )
            for rec in snapshot.read_results(preview.results).recommendations[:8]
        ]
        return action_services.assessment_complete(
            assessment=amendment, user=users["assessor"], actions=drafts
        )

    def _assessment(
        self,
        employee: Employee,
        users: dict[str, Any],
        rng: random.Random,
        day: dt.date,
        level: int,
        warehouse: bool,
        previous: Assessment | None,
        today: dt.date,
    ) -> Assessment:
        assessment = Assessment.objects.create(
            employee=employee, assessor=users["assessor"], assessed_on=day, previous=previous
        )
        office = not warehouse or rng.random() < 0.2
        if office:
            WorkstationSection.objects.create(assessment=assessment, **_workstation(level, rng))
        SittingSection.objects.create(assessment=assessment, **_sitting(level, warehouse, rng))
        WorkerSection.objects.create(assessment=assessment, **_worker(level, rng))
        if warehouse:
            for position, task in enumerate(_lifting(level, rng), start=1):
                LiftingTask.objects.create(assessment=assessment, position=position, **task)
        preview = services.assessment_preview(assessment=assessment)
        assert preview.results is not None, preview.errors
        drafts = [
            action_services.ActionDraft.from_recommendation(
                rec,
                assessed_on=day,
                owner=users["manager"] if rec.category != "clinical" else users["assessor"],
                due_on=day + dt.timedelta(days=30 * rec.priority),
            )
            for rec in snapshot.read_results(preview.results).recommendations[:8]
        ]
        completed = action_services.assessment_complete(
            assessment=assessment,
            user=users["assessor"],
            actions=drafts,
        )
        signed = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))
        Assessment.objects.filter(pk=completed.pk).update(completed_at=signed)
        Action.objects.filter(assessment=completed).update(created_at=signed)
        age_days = (today - day).days
        for n, action in enumerate(completed.actions.all()):
            roll = (n + employee.pk) % 5
            if age_days > 120 and roll in (0, 1, 2):
                action_services.action_update(
                    action=action,
                    status=Action.Status.DONE,
                    evidence_note="Delivered and checked with the employee.",
                    completed_on=min(today, day + dt.timedelta(days=20 + 10 * roll)),
                )
            elif roll == 3 and age_days > 30:
                action_services.action_update(
                    action=action,
                    status=Action.Status.IN_PROGRESS,
                    evidence_note="Ordered; awaiting delivery.",
                )
            elif roll == 4 and n % 2 and action.category != "clinical":
                action_services.action_update(
                    action=action,
                    status=Action.Status.DECLINED,
                    evidence_note="Employee prefers the current set-up after adjustment.",
                )
        return completed


def _name(index: int) -> str:
    """A different name for each of the first 400 employees: each round of first names
    is paired with the surnames shifted by one more place."""
    first = index % len(FIRST)
    rounds = index // len(FIRST)
    return f"{FIRST[first]} {LAST[(first * 7 + rounds) % len(LAST)]}"


def _workstation(level: int, rng: random.Random) -> dict[str, Any]:
    bad = level >= 2
    worse = level >= 3
    hours = round(3 + 2 * level + rng.random(), 1)
    return {
        "seat_height": "too_high" if bad else ("too_low" if level == 1 else "knees_90"),
        "seat_height_non_adjustable": worse,
        "seat_depth": "too_long" if worse else "ok",
        "armrests": "too_low_or_none" if level >= 1 else "supported",
        "armrests_non_adjustable": bad,
        "back_support": "no_lumbar" if level >= 1 else "adequate",
        "back_non_adjustable": worse,
        "chair_hours_per_day": min(hours, 9),
        "chair_longest_continuous_minutes": 30 + 30 * level,
        "monitor": "too_low" if bad else "eye_level",
        "monitor_no_document_holder": level >= 1,
        "monitor_glare": worse,
        "monitor_hours_per_day": min(hours, 9),
        "monitor_longest_continuous_minutes": 30 + 30 * level,
        "phone": "too_far" if worse else "neutral",
        "phone_neck_shoulder": worse,
        "phone_hours_per_day": 0.5 + level,
        "phone_longest_continuous_minutes": 10 + 10 * level,
        "mouse": "reaching" if bad else "in_line",
        "mouse_different_surface": worse,
        "mouse_hours_per_day": min(hours, 9),
        "mouse_longest_continuous_minutes": 30 + 20 * level,
        "keyboard": "wrists_extended" if bad else "neutral",
        "keyboard_platform_non_adjustable": level >= 1,
        "keyboard_hours_per_day": min(hours, 9),
        "keyboard_longest_continuous_minutes": 30 + 20 * level,
    }


def _sitting(level: int, warehouse: bool, rng: random.Random) -> dict[str, Any]:
    if warehouse:
        sitting = 10 + 5 * level
        split = {
            "pct_sitting": sitting,
            "pct_standing": 40,
            "pct_walking": 30,
            "pct_heavy": 30 - sitting,
        }
    else:
        sitting = 55 + 10 * level
        split = {
            "pct_sitting": sitting,
            "pct_standing": 100 - sitting - 10,
            "pct_walking": 10,
            "pct_heavy": 0,
        }
    desk = level <= 1 and not warehouse
    hours = 7.5 + rng.choice([0, 0.5, 1])
    sitting_minutes = int(split["pct_sitting"] * hours * 60 / 100)
    return {
        "hours_worked_per_day": hours,
        **split,
        "longest_sitting_bout_minutes": min(30 + 30 * level, sitting_minutes),
        "sit_stand_desk_available": desk,
        "sit_stand_desk_used": desk and level == 0,
        "moderate_minutes_per_week": max(0, 180 - 60 * level + rng.randint(-20, 20)),
        "vigorous_minutes_per_week": 30 if level == 0 else 0,
        "strengthening_days_per_week": max(0, 2 - level),
    }


def _worker(level: int, rng: random.Random) -> dict[str, Any]:
    height = rng.randint(155, 190)
    bmi = 22 + 3 * level + rng.random()
    pain = level >= 2
    values: dict[str, Any] = {
        "age_years": rng.randint(22, 60),
        "height_cm": float(height),
        "weight_kg": round(bmi * (height / 100) ** 2, 1),
        "current_pain": pain,
        "pain_duration_weeks": float(4 + 4 * level) if pain else None,
        "back_pain_onset_age": None,
        "episodes_last_12_months": level,
        "pain_intensity": 2 + level if pain else None,
        "pain_eases_with_movement": pain,
        "pain_returns_after_rest": pain,
        "yf_stress_worry": level >= 2,
        "yf_low_support_at_work": level >= 3,
        "yf_job_dissatisfaction": level >= 3 and rng.random() < 0.5,
        **dict.fromkeys(worker.RED_FLAG_FIELDS, worker.Answer.NO.value),
    }
    if level == 3 and rng.random() < 0.3:
        values["rf_night_pain"] = worker.Answer.YES.value
    return values


def _lifting(level: int, rng: random.Random) -> list[dict[str, Any]]:
    tasks = [
        {
            "label": "Cartons from pallet to conveyor",
            "units": "metric",
            "load": 8.0 + 4 * level,
            "max_load": 10.0 + 5 * level,
            "h_origin": 35.0 + 6 * level,
            "v_origin": max(5.0, 60.0 - 15 * level),
            "h_dest": 35.0,
            "v_dest": 90.0,
            "asymmetry_origin": 15.0 * level,
            "asymmetry_dest": 0.0,
            "frequency": 1.0 + level,
            "duration": "long" if level >= 2 else "moderate",
            "coupling": "fair" if level < 2 else "poor",
            "significant_control": level >= 3,
            "conditions": [],
        }
    ]
    if level >= 1:
        tasks.append(
            {
                "label": "Totes to racking",
                "units": "us" if rng.random() < 0.3 else "metric",
                "load": 6.0 + 2 * level,
                "max_load": None,
                "h_origin": 30.0,
                "v_origin": 80.0,
                "h_dest": 40.0,
                "v_dest": 140.0,
                "asymmetry_origin": 0.0,
                "asymmetry_dest": 30.0,
                "frequency": 2.0,
                "duration": "long",
                "coupling": "good",
                "significant_control": False,
                "conditions": [],
            }
        )
        if tasks[-1]["units"] == "us":
            t = tasks[-1]
            t.update(
                load=round(t["load"] * 2.2046, 1),
                h_origin=12.0,
                v_origin=31.5,
                h_dest=16.0,
                v_dest=55.0,
            )
    return tasks
