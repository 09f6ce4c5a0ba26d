"""Django admin for system owners: every model, with history, filters and CSV export.

Snapshots (inputs, results, scoring version) are read-only: a completed assessment is
changed by amending it in the app, never by editing its record here.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from assessments import services
from assessments.models import (
    Action,
    Assessment,
    AuditEvent,
    Department,
    Employee,
    Job,
    LiftingTask,
    Photo,
    Report,
    Site,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)

admin.site.site_header = "Ergo Assess administration"
admin.site.site_title = "Ergo Assess admin"


@admin.action(description="Export selected to CSV")
def export_csv(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: Any
) -> HttpResponse:
    """The list columns of the selected rows (the same columns the admin shows)."""
    fields = [f for f in modeladmin.get_list_display(request) if isinstance(f, str)]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = modeladmin.model._meta.model_name
    response["Content-Disposition"] = f'attachment; filename="{name}-export.csv"'
    writer = csv.writer(response)
    writer.writerow(fields)
    for obj in queryset:
        row = []
        for field in fields:
            value = getattr(obj, field, "")
            if callable(value):
                value = value()
            text = "" if value is None else str(value)
            if text[:1] in ("=", "+", "-", "@"):
                text = "'" + text  # keep spreadsheets from running cell formulas
            row.append(text)
        writer.writerow(row)
    services.audit(
        kind=AuditEvent.Kind.EXPORT,
        user=request.user,
        detail=f"admin CSV export: {queryset.count()} {name} row(s)",
    )
    return response


class HealthRecordAdminMixin:
    """Admin pages of records holding health detail: opening one is recorded in the audit
    trail, as in the app, and the records of a completed assessment cannot be changed (a
    completed assessment is changed by amending it in the app)."""

    def _assessment_of(self, obj: Any) -> Assessment:
        return obj if isinstance(obj, Assessment) else obj.assessment

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None and request.method == "GET":
            assessment = self._assessment_of(obj)
            services.audit(
                kind=AuditEvent.Kind.VIEW_HEALTH,
                user=request.user,
                employee=assessment.employee,
                assessment=assessment,
                detail=f"admin: {obj._meta.verbose_name}",
            )
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc,no-any-return]

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


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ["name", "address"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "site"]
    list_filter = ["site"]
    search_fields = ["name", "site__name"]
    filter_horizontal = ["managers"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin[Employee]):
    list_display = ["name", "hr_reference", "job_title", "department", "work_type", "active"]
    list_filter = ["active", "work_type", "department__site", "department"]
    search_fields = ["name", "hr_reference", "job_title"]
    list_select_related = ["department__site"]
    date_hierarchy = "created_at"
    actions = [export_csv]


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
class AssessmentAdmin(HealthRecordAdminMixin, SimpleHistoryAdmin):  # type: ignore[misc]
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


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = [
        "title",
        "code",
        "status",
        "priority",
        "category",
        "owner",
        "due_on",
        "cost_band",
        "completed_on",
    ]
    list_filter = [
        "status",
        "priority",
        "category",
        "cost_band",
        "assessment__employee__department",
    ]
    search_fields = ["title", "code", "assessment__employee__name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["assessment", "owner"]
    list_select_related = ["owner"]
    actions = [export_csv]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin[Photo]):
    list_display = ["__str__", "assessment", "section", "uploaded_by", "uploaded_at"]
    list_filter = ["section"]
    raw_id_fields = ["assessment", "action"]
    date_hierarchy = "uploaded_at"


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ["assessment", "kind", "sha256", "created_by", "created_at"]
    list_filter = ["kind"]
    readonly_fields = [
        "assessment",
        "kind",
        "file",
        "sha256",
        "snapshot_sha256",
        "created_by",
        "created_at",
    ]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "kind", "user", "employee", "assessment", "detail"]
    list_filter = ["kind"]
    search_fields = ["employee__name", "user__username", "detail"]
    date_hierarchy = "at"
    list_select_related = ["user", "employee"]
    actions = [export_csv]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = [
        "kind",
        "status",
        "requested_by",
        "department",
        "done",
        "total",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    date_hierarchy = "created_at"
    raw_id_fields = ["requested_by", "department", "assessment"]
    readonly_fields = [
        "kind",
        "status",
        "requested_by",
        "department",
        "assessment",
        "period_start",
        "period_end",
        "total",
        "done",
        "result",
        "result_name",
        "error",
        "retries",
        "task_id",
        "created_at",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
