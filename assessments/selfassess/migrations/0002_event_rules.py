"""The default rules for events: a pain report or a return to work after back pain asks an
assessor to review; every other event invites the employee to a self-assessment."""

from django.db import migrations

REVIEW = {"pain_report", "return_to_work", "pregnancy"}
KINDS = [
    "new_starter",
    "workstation",
    "pain_report",
    "pregnancy",
    "home_working",
    "return_to_work",
    "manager_request",
]


def add_rules(apps, schema_editor):
    EventRule = apps.get_model("selfassess", "EventRule")
    for kind in KINDS:
        EventRule.objects.get_or_create(
            kind=kind, defaults={"outcome": "review" if kind in REVIEW else "invite"}
        )


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0001_initial")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
