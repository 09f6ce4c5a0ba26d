"""Benchmark of the HR roster sync, in a throwaway database.

    python manage.py bench_roster --rows 5000

Seeds an organisation (3 sites of 7 departments, `--employees` people), builds a roster
file of `--rows` rows (a fifth joiners; of the people already there, a tenth moved
department, a tenth with a new job title, one in twenty-five leaving, the rest unchanged)
and prints one `name: value` line per figure, each the median of `--repeat` runs:

- `parse_ms`: reading the file into rows and row errors (`roster.parse_csv`);
- `preview_ms`: reading and planning it against the stored employees (what the preview
  page computes);
- `preview_page_ms`: the preview page itself, uploaded through `django.test.Client` as an
  admin (the plan rendered as HTML);
- `apply_ms`: reading, planning again and applying it in one transaction
  (`roster.roster_apply`; rolled back after each run so every run applies the same file);
- `baseline_ms`: inserting as many plain employee rows in one `bulk_create`, what writing
  that many rows costs at all on this machine and database, and each figure's ratio to it
  (`*_to_baseline`), so the figures compare across machines.

The data lives in a test database created for the run and destroyed afterwards (an
in-memory SQLite database with the default settings; `test_<name>` on PostgreSQL): the
configured database is never touched.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from assessments.people import roster
from assessments.people.models import Department, Employee, Site

#: Targets on a 2-core machine, as multiples of `baseline_ms`.
TARGETS = {"preview": 2.0, "apply": 6.0}


class _Rollback(Exception):
    pass


def _median_ms(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _rolled_back(run: Callable[[], Any]) -> Callable[[], None]:
    """`run` inside a transaction that is rolled back, so it can run again on the same data."""

    def wrapped() -> None:
        try:
            with transaction.atomic():
                run()
                raise _Rollback
        except _Rollback:
            pass

    return wrapped


class Command(BaseCommand):
    help = "Time the HR roster sync's preview and apply for --rows rows, in a throwaway DB."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=5000, help="rows in the roster file")
        parser.add_argument(
            "--employees", type=int, default=0, help="people already stored (default: 4/5 of rows)"
        )
        parser.add_argument("--repeat", type=int, default=3, help="timed runs of each figure")

    def handle(self, *args: Any, **opts: Any) -> None:
        rows, repeat = opts["rows"], max(1, opts["repeat"])
        if rows < 50:
            raise CommandError("--rows must be at least 50.")
        if rows > roster.MAX_ROWS:
            raise CommandError(f"--rows must be at most {roster.MAX_ROWS} (roster.MAX_ROWS).")
        existing = opts["employees"] or rows * 4 // 5
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        try:
            with override_settings(
                STORAGES=storages, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]
            ):
                figures = self._run(rows=rows, existing=existing, repeat=repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        for name, value in figures:
            self.stdout.write(f"{name}: {value}")

    def _run(self, *, rows: int, existing: int, repeat: int) -> list[tuple[str, Any]]:
        rng = random.Random(2026)  # noqa: S311 - benchmark data, not security
        departments = self._organisation()
        self._people(existing, departments, rng)
        data, mix = self._file(rows, departments, rng)
        admin = get_user_model().objects.create_superuser("bench-admin", "", None)

        parsed = roster.parse_csv(data)
        if parsed.errors:
            raise CommandError(f"The generated roster has errors: {parsed.errors[:3]}")
        plan = roster.roster_plan(rows=parsed.rows)
        if plan.errors:
            raise CommandError(f"The generated roster has errors: {plan.errors[:3]}")

        def preview() -> None:
            read = roster.parse_csv(data)
            roster.roster_plan(rows=read.rows, errors=read.errors)

        def apply() -> None:
            read = roster.parse_csv(data)
            roster.roster_apply(rows=read.rows, errors=read.errors, user=admin)

        client = Client()
        client.force_login(admin)
        logging.getLogger("ergo_site.requests").setLevel(logging.WARNING)  # one line a request

        def preview_page() -> None:
            upload = SimpleUploadedFile("roster.csv", data, "text/csv")
            response = client.post(reverse("roster_upload"), {"file": upload}, secure=True)
            if response.status_code != 200:
                raise CommandError(f"The preview page answered {response.status_code}")

        def baseline() -> None:
            today = timezone.localdate()
            Employee.objects.bulk_create(
                Employee(
                    hr_reference=f"BASE{n:06d}",
                    name=f"Baseline {n}",
                    job_title="Operative",
                    department=departments[n % len(departments)],
                    started_on=today,
                )
                for n in range(rows)
            )

        measured = {
            "baseline": _median_ms(_rolled_back(baseline), repeat),
            "parse": _median_ms(lambda: roster.parse_csv(data), repeat),
            "preview": _median_ms(preview, repeat),
            "preview_page": _median_ms(preview_page, repeat),
            "apply": _median_ms(_rolled_back(apply), repeat),
        }
        base = measured["baseline"]
        figures: list[tuple[str, Any]] = [
            ("machine", f"{platform.machine()} {os.cpu_count()} cpu"),
            ("database", connection.vendor),
            ("load_average_1min", f"{os.getloadavg()[0]:.2f}"),
            ("repeat", repeat),
            ("rows", rows),
            ("employees_stored", existing),
            *((f"rows_{kind}", count) for kind, count in plan.counts.items()),
            ("file_kb", len(data) // 1024),
            ("expected_mix", mix),
        ]
        for name, ms in measured.items():
            figures.append((f"{name}_ms", f"{ms:.1f}"))
        for name, ms in measured.items():
            figures.append((f"{name}_to_baseline", f"{ms / base:.2f}"))
        for name, limit in TARGETS.items():
            figures.append((f"{name}_within_target", measured[name] <= limit * base))
        return figures

    # --- data ---------------------------------------------------------------------------

    def _organisation(self) -> list[Department]:
        departments = []
        for s in range(3):
            site = Site.objects.create(name=f"Site {s + 1}")
            for d in range(7):
                departments.append(
                    Department.objects.create(site=site, name=f"Department {s + 1}.{d + 1}")
                )
        return departments

    def _people(self, count: int, departments: list[Department], rng: random.Random) -> None:
        long_ago = timezone.now() - dt.timedelta(days=3650)
        Employee.objects.bulk_create(
            (
                Employee(
                    hr_reference=f"E{n:06d}",
                    name=f"Employee {n}",
                    email=f"employee.{n}@example.org",
                    job_title="Operative" if n % 3 else "Adviser",
                    department=rng.choice(departments),
                    started_on=dt.date(2015, 1, 1) + dt.timedelta(days=n % 3000),
                    created_at=long_ago,
                )
                for n in range(count)
            ),
            batch_size=1000,
        )
        # created_at is set on insert (auto_now_add): date the records back so that
        # leaving dates in the past are within the bounds.
        Employee.objects.update(created_at=long_ago)

    def _file(
        self, rows: int, departments: list[Department], rng: random.Random
    ) -> tuple[bytes, str]:
        stored = list(
            Employee.objects.select_related("department__site").order_by("hr_reference")[:rows]
        )
        joiners = rows - len(stored)
        left_on = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
        lines = [",".join(roster.COLUMNS)]
        mix = {"moved": 0, "changed": 0, "leaver": 0}
        for n, employee in enumerate(stored):
            department = employee.department
            job_title = employee.job_title
            leaving = ""
            if n % 10 == 1:
                department = rng.choice([d for d in departments if d.pk != department.pk])
                mix["moved"] += 1
            elif n % 10 == 2:
                job_title = "Team leader"
                mix["changed"] += 1
            elif n % 25 == 3:
                leaving = left_on
                mix["leaver"] += 1
            lines.append(
                ",".join(
                    [
                        employee.hr_reference,
                        employee.name,
                        employee.email,
                        job_title,
                        department.name,
                        department.site.name,
                        employee.started_on.isoformat() if employee.started_on else "",
                        leaving,
                    ]
                )
            )
        for n in range(joiners):
            department = rng.choice(departments)
            lines.append(
                f"J{n:06d},Joiner {n},joiner.{n}@example.org,Picker,{department.name},"
                f"{department.site.name},{timezone.localdate().isoformat()},"
            )
        text = "\n".join(lines) + "\n"
        described = ", ".join(f"{count} {kind}" for kind, count in mix.items())
        return text.encode("utf-8"), f"{joiners} new, {described}"
