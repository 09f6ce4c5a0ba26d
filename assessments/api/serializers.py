"""What each API resource looks like, for a given audience (`assessments.core.health`).

Serializers only describe and shape; writes go through the same forms and services as the
pages (`views.py`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.actions.models import Action
from assessments.core.health import Audience, code_shown, reason_shown
from assessments.core.names import person_name
from assessments.people.forms import EmployeeForm
from assessments.people.models import Department, Employee, Site
from assessments.records.models import Assessment


def audience_of(serializer: serializers.BaseSerializer[Any]) -> Audience:
    """The audience the view chose (`permissions.audience`); required, never defaulted."""
    audience = serializer.context["audience"]
    assert isinstance(audience, Audience)
    return audience


class SiteSerializer(serializers.ModelSerializer[Site]):
    class Meta:
        model = Site
        fields = ["id", "name", "address"]


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    site_name = serializers.CharField(source="site.name", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "site", "site_name"]


class EmployeeSerializer(serializers.ModelSerializer[Employee]):
    """An employee as read. Writes are checked by the employee form (`people.forms`)."""

    is_erased = serializers.BooleanField(read_only=True)
    #: "" when HR sent none (a plain string: a blank value is not an address to check).
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Employee
        # What the employee form edits (the page's fields), with the id and erasure mark.
        fields = ["id", *EmployeeForm.Meta.fields, "is_erased"]


class EmployeeWriteSerializer(serializers.Serializer[Employee]):
    """The body of a create, update or upsert (documentation only: the employee form checks
    it, with the same messages as the page). An update may send only the fields it changes."""

    hr_reference = serializers.CharField(max_length=40, required=False)
    name = serializers.CharField(max_length=150, required=False)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    job_title = serializers.CharField(max_length=150, required=False)
    work_type = serializers.ChoiceField(choices=Employee.WorkType.choices, required=False)
    department = serializers.IntegerField(required=False)
    active = serializers.BooleanField(required=False)
    started_on = serializers.DateField(required=False, allow_null=True)
    left_on = serializers.DateField(required=False, allow_null=True)


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    """An assessment's record and headline results. The notes are for OH only."""

    employee_hr_reference = serializers.CharField(source="employee.hr_reference", read_only=True)
    department = serializers.IntegerField(source="employee.department_id", read_only=True)
    assessor = serializers.SerializerMethodField()
    # Not read-only, so the schema lists it as optional: only OH staff and admins get it.
    notes = serializers.CharField(required=False)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "employee",
            "employee_hr_reference",
            "department",
            "assessor",
            "assessed_on",
            "status",
            "revision",
            "supersedes",
            "scoring_version",
            "strain_score",
            "band",
            "rosa_final",
            "lifting_index",
            "limiting_factor",
            "reassess_due",
            "completed_at",
            "notes",
        ]

    def get_assessor(self, obj: Assessment) -> str:
        return person_name(obj.assessor)

    def to_representation(self, instance: Assessment) -> dict[str, Any]:
        data = super().to_representation(instance)
        if audience_of(self) is not Audience.OH:
            data.pop("notes", None)
        return data


class AssessmentListSerializer(AssessmentSerializer):
    class Meta(AssessmentSerializer.Meta):
        fields = [f for f in AssessmentSerializer.Meta.fields if f != "notes"]


class AssessmentCreateSerializer(serializers.Serializer[Assessment]):
    """A draft from an interchange document (docs/interchange.md), as the import page takes."""

    employee = serializers.IntegerField()
    document = serializers.JSONField()


class ActionSerializer(serializers.ModelSerializer[Action]):
    """An action with its follow-up; its code and reason as the audience may read them."""

    employee = serializers.IntegerField(source="assessment.employee_id", read_only=True)
    code = serializers.SerializerMethodField()
    why = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "assessment",
            "employee",
            "code",
            "title",
            "detail",
            "why",
            "category",
            "priority",
            "cost_band",
            "owner",
            "due_on",
            "status",
            "completed_on",
            "closed_in_days",
            "evidence_note",
            "created_at",
            "updated_at",
        ]

    def get_code(self, obj: Action) -> str:
        return code_shown(obj.code, category=obj.category, audience=audience_of(self))

    def get_why(self, obj: Action) -> str:
        return reason_shown(
            obj.rationale, code=obj.code, category=obj.category, audience=audience_of(self)
        )

    def get_owner(self, obj: Action) -> str:
        return person_name(obj.owner)


class ActionUpdateSerializer(serializers.Serializer[Action]):
    """A follow-up update: the status and the evidence note (either may be left out)."""

    status = serializers.ChoiceField(
        choices=[c for c in Action.Status.choices if c[0] != Action.Status.CANCELLED],
        required=False,
    )
    evidence_note = serializers.CharField(required=False, allow_blank=True)
    completed_on = serializers.DateField(required=False, allow_null=True)


class ReportSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    download = serializers.CharField()


@extend_schema_field(OpenApiTypes.OBJECT)
class SnapshotField(serializers.JSONField):
    pass


class ResultsSerializer(serializers.Serializer[Any]):
    """A completed assessment's signed results, read by the typed snapshot reader."""

    assessment = serializers.IntegerField()
    scoring_version = serializers.CharField()
    results = SnapshotField()
    lifting_tasks = serializers.ListField(child=SnapshotField())


class ExportSerializer(serializers.Serializer[Any]):
    """An export as JSON: the columns of the CSV and Excel files, and a row per record."""

    name = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=SnapshotField())
