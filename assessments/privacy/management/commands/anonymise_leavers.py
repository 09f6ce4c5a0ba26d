"""Apply the retention period: anonymise the assessments of employees who left long ago.

    python manage.py anonymise_leavers --dry-run   # list who is due, change nothing
    python manage.py anonymise_leavers             # anonymise them (see docs/security.md)

An employee is due when their leaving date is more than RETENTION_YEARS_AFTER_LEAVING
whole years ago and they have not been anonymised yet. Run it daily (cron, a scheduled
container); each run is recorded in the audit trail, one entry per employee.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from assessments.privacy import services as privacy


class Command(BaseCommand):
    help = "Anonymise the completed assessments of leavers past the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the employees who are due, without changing anything.",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        years = settings.RETENTION_YEARS_AFTER_LEAVING
        due = list(privacy.leavers_due(years=years))
        verb = "due" if dry_run else "anonymising"
        self.stdout.write(
            f"Retention: {years} year(s) after leaving; {len(due)} employee(s) {verb}."
        )
        for employee in due:
            self.stdout.write(
                f"  employee #{employee.pk}, left {employee.left_on:%Y-%m-%d}: "
                f"{employee.completed_count} completed assessment(s) to anonymise, "
                f"{employee.draft_count} draft(s) to delete"
            )
        if dry_run or not due:
            if dry_run:
                self.stdout.write("Dry run: nothing was changed.")
            return
        done = privacy.leavers_anonymise(years=years)
        for employee, summary in done:
            self.stdout.write(f"  employee #{employee.pk}: {summary.describe()}")
        self.stdout.write(self.style.SUCCESS(f"Anonymised {len(done)} employee(s)."))
