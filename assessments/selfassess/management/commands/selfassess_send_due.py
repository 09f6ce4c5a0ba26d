"""Send the self-assessment reminders that are due and the reassessment cycle's invitations.

Run it daily (for example from cron). Running it twice sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments.selfassess import services


class Command(BaseCommand):
    help = "Send due self-assessment reminders and the reassessment cycle's invitations."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(services.send_due().describe())
