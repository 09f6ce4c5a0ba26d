"""Django admin of sites, departments, employees and the audit trail."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from assessments.people import services as people_services
from assessments.people.models import AuditEvent, Department, Employee, Site

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
    people_services.audit(
        kind=AuditEvent.Kind.EXPORT,
        user=request.user,
        detail=f"admin CSV export: {queryset.count()} {name} row(s)",
    )
    return response


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
