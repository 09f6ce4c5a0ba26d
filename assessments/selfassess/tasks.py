"""The scheduled task that sends what is due (reminders and the reassessment cycle)."""

from __future__ import annotations

from django.tasks import task

from assessments.selfassess import services


@task()
def send_due_self_assessments() -> str:
    """Queue this from a scheduler (or run `manage.py selfassess_send_due` from cron)."""
    return services.send_due().describe()
