"""Django admin of assessments, sections, lifting tasks and photos.

Snapshots (inputs, results, scoring version) are read-only: a completed assessment is
changed by amending it in the app, never by editing its record here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from assessments.people import services as people_services
from assessments.people.admin import MarksFiguresChanged, export_csv
from assessments.people.models import AuditEvent
from assessments.records.models import (
    Assessment,
    LiftingTask,
    Photo,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)


class HealthAuditAdminMixin:
    """Admin pages that show health text: every page served (a record, its change history,
    one earlier version of it) is recorded in the audit trail, as the app's own pages are."""

    def _audit_page(
        self, request: HttpRequest, response: HttpResponse, obj: Any, what: str
    ) -> None:
        if obj is None or response.status_code != 200:
            return  # a redirect after a save, or nothing shown
        assessment_id = obj.pk if isinstance(obj, Assessment) else obj.assessment_id
        assessment = Assessment.objects.select_related("employee").filter(pk=assessment_id).first()
        people_services.audit(
            kind=AuditEvent.Kind.VIEW_HEALTH,
            user=request.user,
            employee=assessment.employee if assessment is not None else None,
            assessment=assessment,
            detail=f"admin: {obj._meta.verbose_name}{what}",
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        self._audit_page(request, response, self.get_object(request, object_id), "")  # type: ignore[attr-defined]
        return response  # type: ignore[no-any-return]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)  # type: ignore[misc]
        model = self.model  # type: ignore[attr-defined]
        obj = model._default_manager.filter(pk=unquote(object_id)).first()
        if obj is None:  # a deleted record: its history is still shown
            record = model.history.filter(id=unquote(object_id)).order_by("-history_date").first()
            obj = record.instance if record is not None else None
        self._audit_page(request, response, obj, " history")
        return response  # type: ignore[no-any-return]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        response = super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]
        # A history row's own primary key is `history_id`; `id` is the record's.
        record = self.model.history.filter(  # type: ignore[attr-defined]
            id=unquote(object_id), history_id=version_id
        ).first()
        self._audit_page(
            request, response, record.instance if record is not None else None, " (earlier version)"
        )
        return response  # type: ignore[no-any-return]


class HealthRecordAdminMixin(HealthAuditAdminMixin):
    """Admin pages of records holding health detail: every page served is recorded in the
    audit trail, and the records of a completed assessment cannot be changed (a completed
    assessment is changed by amending it in the app)."""

    def _part_of_completed(self, obj: Any) -> bool:
        return obj is not None and not isinstance(obj, Assessment) and obj.assessment.is_completed

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._part_of_completed(obj):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc,no-any-return]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._part_of_completed(obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc,no-any-return]


class ReadOnlyInline(admin.StackedInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False


class WorkstationInline(ReadOnlyInline):
    model = WorkstationSection


class SittingInline(ReadOnlyInline):
    model = SittingSection


class WorkerInline(ReadOnlyInline):
    model = WorkerSection


class LiftingTaskInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LiftingTask
    extra = 0
    fields = [
        "position",
        "label",
        "units",
        "load",
        "h_origin",
        "v_origin",
        "h_dest",
        "v_dest",
        "frequency",
        "duration",
        "coupling",
    ]


@admin.register(Assessment)
class AssessmentAdmin(  # type: ignore[misc]
    MarksFiguresChanged, HealthRecordAdminMixin, SimpleHistoryAdmin
):
    department_path = "employee__department_id"
    list_display = [
        "employee",
        "assessed_on",
        "status",
        "revision",
        "band",
        "strain_score",
        "assessor",
        "reassess_due",
        "is_latest",
    ]
    list_filter = [
        "status",
        "band",
        "is_latest",
        "employee__department__site",
        "employee__department",
    ]
    search_fields = ["employee__name", "employee__hr_reference"]
    date_hierarchy = "assessed_on"
    list_select_related = ["employee", "assessor"]
    readonly_fields = [
        "inputs",
        "results",
        "scoring_version",
        "strain_score",
        "band",
        "completed_at",
        "is_latest",
        "lock_version",
        "supersedes",
        "revision",
    ]
    raw_id_fields = ["employee", "previous"]
    inlines = [WorkstationInline, SittingInline, WorkerInline, LiftingTaskInline]
    actions = [export_csv]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.is_completed:
            return [f.name for f in obj._meta.concrete_fields]
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None and obj.is_draft else []


@admin.register(LiftingTask)
class LiftingTaskAdmin(HealthRecordAdminMixin, SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["label", "assessment", "units", "load", "frequency", "duration", "coupling"]
    list_filter = ["units", "duration", "coupling"]
    search_fields = ["label", "assessment__employee__name"]
    raw_id_fields = ["assessment"]
    actions = [export_csv]


@admin.register(WorkstationSection, SittingSection, WorkerSection)
class SectionAdmin(HealthRecordAdminMixin, SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["__str__", "updated_at"]
    raw_id_fields = ["assessment"]
    search_fields = ["assessment__employee__name"]
    date_hierarchy = "updated_at"


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin[Photo]):
    list_display = ["__str__", "assessment", "section", "uploaded_by", "uploaded_at"]
    list_filter = ["section"]
    raw_id_fields = ["assessment", "action"]
    date_hierarchy = "uploaded_at"
