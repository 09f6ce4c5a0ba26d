"""Creating a draft assessment from an imported interchange document.

The values arrive already checked (`assessments.records.import_forms.AssessmentImportForm`); this
writes the draft, its sections and its lifting tasks in one transaction, so an import
either creates the whole draft or nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from assessments.people.models import Employee
from assessments.records import services
from assessments.records.models import Assessment, LiftingTask
from assessments.records.sections import BY_KEY as SECTION_KINDS


@transaction.atomic
def assessment_import(
    *,
    employee: Employee,
    assessor: Any,
    sections: dict[str, dict[str, Any] | None],
    tasks: list[dict[str, Any]],
) -> Assessment:
    assessment = services.assessment_create(employee=employee, assessor=assessor)
    for name, values in sections.items():
        if values is None:
            continue
        section = SECTION_KINDS[name].model(assessment=assessment, **values)
        section.full_clean()
        section.save()
    for position, values in enumerate(tasks, start=1):
        task = LiftingTask(assessment=assessment, position=position, **values)
        task.full_clean()
        task.save()
    return assessment
