"""Run a background worker for the configured task backend.

`TASK_BACKEND=database` runs django-tasks-db's `db_worker`; `TASK_BACKEND=rq` runs
django-rq's `rqworker` on the `default` queue with the job class django-tasks-rq needs.
With `immediate` there is nothing to run: jobs run inside the web process.

Before it starts, the worker queues a catch-up of the reports whose rendering could not
be queued while the queue was unreachable (`reporting.tasks.reports_catch_up`).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from assessments.reporting.tasks import reports_catch_up_later

NOTHING_TO_RUN = (
    "TASK_BACKEND=immediate runs jobs inside the web process, so there is no worker to "
    "start. Set TASK_BACKEND=database or TASK_BACKEND=rq for background workers."
)


class Command(BaseCommand):
    help = "Run a background worker for TASK_BACKEND (database or rq)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="Run the jobs already queued, then exit."
        )

    def handle(self, *args: Any, burst: bool = False, **options: Any) -> None:
        backend = settings.TASK_BACKEND
        if backend not in ("database", "rq"):
            raise CommandError(NOTHING_TO_RUN)
        if os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":  # once, not on each code reload
            reports_catch_up_later()
        if backend == "database":
            call_command("db_worker", batch=burst, interval=1.0)
        else:
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=burst)
