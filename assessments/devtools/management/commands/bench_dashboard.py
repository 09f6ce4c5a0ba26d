"""Benchmark of the dashboard and the busiest lists at scale, in a throwaway database.

    python manage.py bench_dashboard --assessments 50000
    python manage.py bench_dashboard --assessments 50000 \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres

Creates a database for the run (a temporary SQLite file by default; with a PostgreSQL
`--database-url`, a new database `ergo_bench_<random>` on that server, dropped afterwards),
fills it in bulk with a tenth of the assessments, times the pages, fills it up to the full
number and times them again. Prints one `name: value` line per figure: the median server
time in milliseconds of N requests through `django.test.Client`, signed in as an assessor,
for the baseline page, the dashboard, the assessment list (first page and a filtered page),
the action list and the action board, at both sizes, and the ratio of the two (the pages
are requested in rounds, one request each, so that a drift in the machine's speed moves
them alike); and the dashboard right
after a department changed (the time of recounting it, and of a dashboard that recounts
it first).

The data is realistic but not re-scored 50,000 times: a handful of real snapshots are
scored once through the scoring package and reused, with the query columns copied from
them exactly as completing an assessment does. Employees have a previous assessment and
a reassessment; some were amended, some have drafts, and every snapshot's
recommendations become actions in every status.

The configured database is never touched: the timed part runs in a child process whose
DATABASE_URL points at the throwaway database, and it refuses to run unless the parent
created that database for it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import permissions
from assessments.actions.models import Action
from assessments.insights import tallies
from assessments.people.changes import all_departments_changed, departments_changed
from assessments.people.models import Department, Employee, Site
from assessments.records import services, snapshot
from assessments.records.models import Assessment
from assessments.scoring import interchange
from assessments.scoring.assessment import assess
from assessments.selfassess.models import Consent

GUARD = "ERGO_BENCH_THROWAWAY_DB"
#: Targets: each page at the full size within TARGET_RATIO of its time at a tenth of it,
#: and the dashboard within DASHBOARD_TO_BASELINE of the baseline page in the same run.
TARGET_RATIO = 2.0
DASHBOARD_TO_BASELINE = 5.0
#: ... and the dashboard right after a change within AFTER_CHANGE of the steady dashboard.
AFTER_CHANGE = 2.0
BATCH = 1000
#: `baseline` is a signed-in page in the app's layout that does no domain work (the password
#: change form): what any page costs (middleware, session, layout), measured beside the others
#: so that the ratios hold while the machine's speed drifts.
PAGES = {
    "baseline": ("password_change", {}),
    "dashboard": ("dashboard", {}),
    "assessment_list": ("assessment_list", {}),
    "assessment_list_filtered": (
        "assessment_list",
        {"latest": "true", "band": ["high", "very_high"], "reassess": "overdue"},
    ),
    "action_list": ("action_list", {}),
    "action_list_filtered": ("action_list", {"overdue": "true", "priority": "1"}),
    "action_board": ("action_board", {}),
}


class Command(BaseCommand):
    help = "Time the dashboard and lists at 1/10 and all of --assessments, in a throwaway DB."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assessments", type=int, default=50_000)
        parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
        parser.add_argument(
            "--database-url",
            default="",
            help="a PostgreSQL server to create the throwaway database on "
            "(default: a temporary SQLite file)",
        )
        parser.add_argument("--child", action="store_true", help="internal: the timed run")

    def handle(self, *args: Any, **opts: Any) -> None:
        total = opts["assessments"]
        if total < 100:
            raise CommandError("--assessments must be at least 100.")
        if opts["child"]:
            self._child(total=total, requests=max(3, opts["requests"]))
            return
        url = opts["database_url"]
        if url and urlsplit(url).scheme.startswith("postgres"):
            self._with_postgres(url, opts)
        elif url and not url.startswith("sqlite"):
            raise CommandError("--database-url must be a postgres:// URL (or leave it out).")
        else:
            with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
                path = Path(folder) / "bench.sqlite3"
                self._run_child(f"sqlite:///{path}", str(path), opts)

    # --- the throwaway database ---------------------------------------------------------

    def _with_postgres(self, url: str, opts: dict[str, Any]) -> None:
        import psycopg

        name = f"ergo_bench_{secrets.token_hex(4)}"
        parts = urlsplit(url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            self._run_child(urlunsplit(parts._replace(path=f"/{name}")), name, opts)
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _run_child(self, url: str, guard: str, opts: dict[str, Any]) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            GUARD: guard,
            "DB_CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
        }
        env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_dashboard",
            "--child",
            "--assessments",
            str(opts["assessments"]),
            "--requests",
            str(opts["requests"]),
        ]
        result = subprocess.run(command, env=env, check=False)  # noqa: S603 - our own command
        if result.returncode:
            raise CommandError("The benchmark run failed.")

    # --- the timed run (child process) --------------------------------------------------

    def _child(self, *, total: int, requests: int) -> None:
        from django.db import connection

        guard = os.environ.get(GUARD, "")
        name = str(connection.settings_dict["NAME"])
        if not guard or guard != name:
            raise CommandError("--child runs only in the throwaway database the command creates.")
        from django.test.utils import override_settings

        # Static file URLs without a collected manifest, as in development and the tests.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(STORAGES=storages, ALLOWED_HOSTS=hosts):
            self._timed(total=total, requests=requests)

    def _timed(self, *, total: int, requests: int) -> None:
        from django.db import connection

        call_command("migrate", verbosity=0, interactive=False)
        world = _World.create()
        small = total // 10
        started = time.perf_counter()
        world.grow(small)
        out = [
            ("database", connection.vendor),
            ("assessments_small", small),
            ("assessments_large", total),
        ]
        timings_small = world.time_pages(requests)
        world.grow(total - small)
        out.append(("generate_seconds", round(time.perf_counter() - started, 1)))
        world.analyse()
        timings_large = world.time_pages(requests)
        recount, update, after_change = world.time_dashboard_after_change(requests)
        for page in PAGES:
            out.append((f"{page}_ms_median_at_{small}", round(timings_small[page], 1)))
        for page in PAGES:
            out.append((f"{page}_ms_median_at_{total}", round(timings_large[page], 1)))
        for page in PAGES:
            ratio = timings_large[page] / timings_small[page]
            out.append((f"{page}_ratio_{total}_to_{small}", round(ratio, 2)))
        out.append((f"recount_department_ms_median_at_{total}", round(recount, 1)))
        out.append((f"action_update_ms_median_at_{total}", round(update, 1)))
        out.append((f"dashboard_after_change_ms_median_at_{total}", round(after_change, 1)))
        steady = timings_large["dashboard"]
        out.append(("dashboard_after_change_to_steady", round(after_change / steady, 2)))
        for size, timings in ((small, timings_small), (total, timings_large)):
            for page in PAGES:
                ratio = timings[page] / timings["baseline"]
                out.append((f"{page}_to_baseline_at_{size}", round(ratio, 2)))
        lists_within = all(
            timings_large[page] <= TARGET_RATIO * timings_small[page]
            for page in PAGES
            if page != "baseline"
        )
        dashboard_within = timings_large["dashboard"] <= (
            DASHBOARD_TO_BASELINE * timings_large["baseline"]
        )
        out.append(("pages_within_ratio_target", lists_within))
        out.append(("dashboard_within_baseline_target", dashboard_within))
        out.append(("dashboard_after_change_within_target", after_change <= AFTER_CHANGE * steady))
        out.append(("requests_per_page", requests))
        out.append(("load_average_1min", round(os.getloadavg()[0], 2)))
        out.append(("cpus", os.cpu_count()))
        for name_, value in out:
            self.stdout.write(f"{name_}: {value}")


class _World:
    """The generated organisation: sites, departments, people and reusable snapshots."""

    def __init__(self) -> None:
        self.services = services
        self.snapshot = snapshot
        self.rng = random.Random(20260615)  # noqa: S311 - benchmark data, not security
        self.today = dt.date.today()
        self.employees_made = 0
        self.snapshots: list[dict[str, Any]] = []
        self.departments: list[Any] = []
        self.owners: list[Any] = []
        self.assessor: Any = None
        self.client: Any = None

    @classmethod
    def create(cls) -> _World:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        world = cls()
        user_model = get_user_model()
        assessors = Group.objects.create(name=permissions.ASSESSOR_GROUP)
        managers = Group.objects.create(name=permissions.MANAGER_GROUP)
        world.assessor = user_model.objects.create_user("bench-assessor", first_name="Bench")
        world.assessor.groups.add(assessors)
        for s in range(3):
            site = Site.objects.create(name=f"Site {s + 1}")
            for d in range(7):
                world.departments.append(
                    Department.objects.create(site=site, name=f"Department {s + 1}.{d + 1}")
                )
        for i in range(12):
            manager = user_model.objects.create_user(f"bench-manager-{i}")
            manager.groups.add(managers)
            world.departments[i].managers.add(manager)
            world.owners.append(manager)
        world.owners.append(world.assessor)
        world.snapshots = world._snapshots()
        from django.test import Client

        world.client = Client()
        world.client.force_login(world.assessor)
        return world

    # --- snapshots: a handful of real scorings, reused ----------------------------------

    def _snapshots(self) -> list[dict[str, Any]]:
        examples = Path(settings.BASE_DIR) / "docs" / "examples"
        office = json.loads((examples / "office_worker.json").read_text())
        warehouse = json.loads((examples / "warehouse_picker.json").read_text())
        variants = []
        for factor in (0.3, 0.6, 1.0, 1.4):
            doc = copy.deepcopy(warehouse)
            for task in doc["lifting_tasks"]:
                task["load"] = round(task["load"] * factor, 1)
                if task.get("max_load") is not None:
                    task["max_load"] = round(max(task["max_load"] * factor, task["load"]), 1)
            variants.append(doc)
        for worker in (True, False):
            for tweak in ("as_is", "good_chair", "poor_monitor"):
                doc = copy.deepcopy(office)
                if not worker:
                    doc["worker"] = None
                workstation = doc.get("workstation") or {}
                if tweak == "good_chair":
                    workstation.update(seat_height="knees_90", armrests="supported")
                elif tweak == "poor_monitor":
                    workstation.update(monitor="too_low", monitor_glare=True)
                variants.append(doc)
        snapshots = []
        for doc in variants:
            try:
                parsed = interchange.parse_input(doc)
            except interchange.InputErrors:
                continue
            results = interchange.dump_result(assess(parsed))
            holder = Assessment()
            self.services.copy_query_columns(holder, results)
            read = self.snapshot.read_results(results)
            snapshots.append(
                {
                    "inputs": doc,
                    "results": results,
                    "version": read.scoring_version,
                    "score": read.strain.score,
                    "band": read.strain.band,
                    "columns": {
                        name: getattr(holder, name)
                        for name in (
                            "rosa_final",
                            "rosa_chair",
                            "rosa_monitor_phone",
                            "rosa_mouse_keyboard",
                            "lifting_index",
                            "limiting_factor",
                        )
                    },
                    "recommendations": read.recommendations[:4],
                }
            )
        if not snapshots:
            raise CommandError("No example input could be scored.")
        return snapshots

    # --- bulk generation ----------------------------------------------------------------

    def grow(self, assessments: int) -> None:
        """Add about `assessments` assessments (two or three per new employee).

        Bulk inserts bypass the use cases that mark departments changed, so every
        department is marked changed afterwards, as any bulk load must.
        """
        made = 0
        while made < assessments:
            made += self._batch(min(BATCH, assessments - made))
        all_departments_changed()

    def _batch(self, wanted: int) -> int:
        from django.db import transaction

        rng = self.rng
        people = max(1, wanted // 2)
        with transaction.atomic():
            employees = Employee.objects.bulk_create(
                [
                    Employee(
                        hr_reference=f"B{self.employees_made + i:07d}",
                        name=f"Employee {self.employees_made + i}",
                        job_title="Operative" if i % 3 else "Adviser",
                        department=rng.choice(self.departments),
                        active=rng.random() > 0.05,
                    )
                    for i in range(people)
                ]
            )
            self.employees_made += people
            plans = []
            for employee in employees:
                first = self.today - dt.timedelta(days=rng.randint(200, 1000))
                second = min(self.today, first + dt.timedelta(days=rng.randint(60, 400)))
                plans.append((employee, first, second, rng.random() < 0.03))
            firsts = Assessment.objects.bulk_create(
                [self._assessment(e, on, latest=False) for e, on, _s, _a in plans],
                batch_size=BATCH,
            )
            amended_old = Assessment.objects.bulk_create(
                [
                    self._assessment(e, second, latest=False, previous=prev)
                    for (e, _f, second, amended), prev in zip(plans, firsts, strict=True)
                    if amended
                ],
                batch_size=BATCH,
            )
            old_by_employee = {a.employee_id: a for a in amended_old}
            latest = Assessment.objects.bulk_create(
                [
                    self._assessment(
                        e,
                        second,
                        latest=True,
                        previous=prev,
                        supersedes=old_by_employee.get(e.pk),
                    )
                    for (e, _f, second, _a), prev in zip(plans, firsts, strict=True)
                ],
                batch_size=BATCH,
            )
            drafts = [
                Assessment(employee=e, assessor=self.assessor, assessed_on=self.today)
                for e, *_ in plans
                if rng.random() < 0.02
            ]
            Assessment.objects.bulk_create(drafts, batch_size=BATCH)
            actions = []
            for assessment in [*firsts, *amended_old, *latest]:
                actions.extend(self._actions(assessment, current=assessment.is_latest))
            Action.objects.bulk_create(actions, batch_size=BATCH)
            # Most employees let their managers see their assessments; some are still asked.
            Consent.objects.bulk_create(
                [
                    Consent(
                        assessment=assessment,
                        status=Consent.Status.GIVEN
                        if rng.random() < 0.9
                        else Consent.Status.PENDING,
                    )
                    for assessment in [*firsts, *amended_old, *latest]
                ],
                batch_size=BATCH,
            )
        return len(firsts) + len(amended_old) + len(latest) + len(drafts)

    def _assessment(
        self,
        employee: Any,
        on: dt.date,
        *,
        latest: bool,
        previous: Any = None,
        supersedes: Any = None,
    ) -> Any:
        from django.utils import timezone

        snap = self.rng.choice(self.snapshots)
        due = self.services.reassess_due_for(snap["band"], on)
        assessment = Assessment(
            employee=employee,
            assessor=self.assessor,
            assessed_on=on,
            status=Assessment.Status.COMPLETED,
            revision=2 if supersedes is not None else 1,
            supersedes=supersedes,
            previous=previous,
            inputs=snap["inputs"],
            results=snap["results"],
            scoring_version=snap["version"],
            strain_score=snap["score"],
            band=snap["band"],
            completed_at=timezone.now(),
            reassess_due=due,
            is_latest=latest,
            **snap["columns"],
        )
        assessment.bench_snapshot = snap
        return assessment

    def _actions(self, assessment: Any, *, current: bool) -> list[Any]:
        rng = self.rng
        snap = assessment.bench_snapshot
        made = []
        for rec in snap["recommendations"]:
            if current:
                status = rng.choices(
                    ["open", "in_progress", "done", "declined"], weights=[40, 20, 35, 5]
                )[0]
            else:
                status = rng.choices(["done", "declined", "open"], weights=[85, 10, 5])[0]
            due = assessment.assessed_on + dt.timedelta(days=rng.choice([7, 30, 60, 90]))
            closed = rng.randint(1, 120) if status == "done" else None
            made.append(
                Action(
                    assessment=assessment,
                    code=rec.code,
                    title=rec.title[:200],
                    detail=rec.action,
                    rationale=rec.why,
                    category=rec.category,
                    priority=rec.priority,
                    cost_band=rec.cost_band,
                    owner=rng.choice(self.owners) if rng.random() < 0.8 else None,
                    due_on=due,
                    status=status,
                    completed_on=(
                        assessment.assessed_on + dt.timedelta(days=closed) if closed else None
                    ),
                    closed_in_days=closed,
                    evidence_note="Declined: not practical" if status == "declined" else "",
                )
            )
        return made

    def analyse(self) -> None:
        """Refresh the planner's statistics, as autovacuum or a nightly ANALYZE would."""
        from django.db import connection

        with connection.cursor() as cursor:
            # PostgreSQL's index-only scans need the visibility map that VACUUM writes.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    # --- timing -------------------------------------------------------------------------

    def time_pages(self, requests: int) -> dict[str, float]:
        from django.urls import reverse

        self.analyse()
        pages = {page: (reverse(name), params) for page, (name, params) in PAGES.items()}
        for url, params in pages.values():
            self._get(url, params)  # warm-up
        # Rounds of one request per page, so that a machine that speeds up or slows down
        # during the run moves every page alike and the ratios between them hold.
        times: dict[str, list[float]] = {page: [] for page in pages}
        for _ in range(requests):
            for page, (url, params) in pages.items():
                start = time.perf_counter()
                self._get(url, params)
                times[page].append((time.perf_counter() - start) * 1000)
        return {page: statistics.median(taken) for page, taken in times.items()}

    def time_dashboard_after_change(self, requests: int) -> tuple[float, float, float]:
        """The median time of recounting one department (what a bulk load or an admin edit
        leaves to the next read), of an action update through its use case (which adds its
        difference to the stored counts), and of the dashboard request right after it."""
        from django.urls import reverse

        from assessments.actions import services as action_services

        url = reverse("dashboard")
        departments = list(Department.objects.values_list("pk", flat=True))
        actions = list(
            Action.objects.filter(status__in=Action.OPEN_STATUSES).values_list("pk", flat=True)
        )
        recounts, updates, dashboards = [], [], []
        for _ in range(requests):
            department = self.rng.choice(departments)
            departments_changed([department])
            start = time.perf_counter()
            tallies.recount(department)
            recounts.append((time.perf_counter() - start) * 1000)
            action = Action.objects.get(pk=self.rng.choice(actions))
            status = "in_progress" if action.status == "open" else "open"
            start = time.perf_counter()
            action_services.action_update(
                action=action, status=status, evidence_note=action.evidence_note
            )
            updates.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            self._get(url, {})
            dashboards.append((time.perf_counter() - start) * 1000)
        return (
            statistics.median(recounts),
            statistics.median(updates),
            statistics.median(dashboards),
        )

    def _get(self, url: str, params: dict[str, Any]) -> None:
        response = self.client.get(url, params, secure=True)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
