"""Every assessment completed before consent was asked keeps being shared with managers as
before: its consent is "predates" (docs/consent.md). New completions start pending."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    Assessment = apps.get_model("records", "Assessment")
    Consent = apps.get_model("selfassess", "Consent")
    DepartmentTally = apps.get_model("people", "DepartmentTally")
    done = Assessment.objects.filter(status="completed", consent__isnull=True)
    batch = []
    for pk, completed_at in done.values_list("pk", "completed_at").iterator(chunk_size=2000):
        batch.append(
            Consent(
                assessment_id=pk,
                status="predates",
                **({"created_at": completed_at} if completed_at else {}),
            )
        )
        if len(batch) >= 2000:
            Consent.objects.bulk_create(batch)
            batch = []
    Consent.objects.bulk_create(batch)
    # The managers' stored counts now count by consent: recount every department.
    DepartmentTally.objects.update(version=F("version") + 1)


def backwards(apps, schema_editor):
    apps.get_model("selfassess", "Consent").objects.filter(status="predates").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("selfassess", "0003_consent"),
        ("records", "0006_pain_pattern_screen_red_flag_answers"),
        ("people", "0007_auditevent_consent"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
