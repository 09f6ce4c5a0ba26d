"""Recount the dashboard's stored counts, or check them against a fresh count.

    python manage.py recount_dashboard           # recount every department now
    python manage.py recount_dashboard --check   # compare; exit 1 if any differs

The app keeps the counts current by itself. Run this after loading or changing data
outside it (a bulk SQL import, a restore of a partial dump), or with --check to verify.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessments.insights import tallies
from assessments.people.changes import all_departments_changed
from assessments.people.models import Department, DepartmentTally


class Command(BaseCommand):
    help = "Recount the dashboard's stored counts of every department (or --check them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the stored counts with a fresh count; change nothing",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        departments = list(Department.objects.order_by("pk"))
        if not opts["check"]:
            all_departments_changed()
            tallies.ensure_counted(d.pk for d in departments)
            self.stdout.write(f"Recounted {len(departments)} department(s).")
            return
        states = {t.department_id: t for t in DepartmentTally.objects.all()}
        wrong = []
        behind = 0
        for department in departments:
            state = states.get(department.pk)
            if state is None or state.counted_version != state.version:
                behind += 1  # recounted when next shown
                continue
            fresh = tallies.sorted_rows(tallies.count(department.pk, today=state.counted_on))
            stored = tallies.stored(department.pk)
            if stored != fresh:
                wrong.append((department, tallies.differing(stored, fresh)))
        for department, figures in wrong:
            self.stderr.write(
                f"Stored counts differ from a fresh count: {department} ({'; '.join(figures)})"
            )
        if wrong:
            self.stderr.write("Run `manage.py recount_dashboard` to recount.")
            sys.exit(1)
        self.stdout.write(
            f"Stored counts are current for {len(departments) - behind} department(s); "
            f"{behind} will be recounted when next shown."
        )
