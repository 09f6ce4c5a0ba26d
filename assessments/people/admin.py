"""Django admin of sites, departments, employees and the audit trail."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from assessments.core.formulas import starts_formula
from assessments.people import services as people_services
from assessments.people.changes import departments_changed
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
            if starts_formula(text):
                text = "'" + text  # keep spreadsheets from running cell formulas
            row.append(text)
        writer.writerow(row)
    people_services.audit(
        kind=AuditEvent.Kind.EXPORT,
        user=request.user,
        detail=f"admin CSV export: {queryset.count()} {name} row(s)",
    )
    return response


class MarksFiguresChanged:
    """Admin pages whose saves and deletions can move dashboard figures: each write marks
    the departments concerned, as the app's own use cases do
    (`assessments.people.changes`). `department_path` leads from the record to its
    department's id."""

    department_path: str

    def _departments(self, queryset: Any) -> list[int | None]:
        return list(queryset.values_list(self.department_path, flat=True))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        same = type(obj)._default_manager.filter(pk=obj.pk)
        before = self._departments(same) if change and obj.pk is not None else []
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        departments_changed(
            [*before, *self._departments(type(obj)._default_manager.filter(pk=obj.pk))]
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        departments = self._departments(type(obj)._default_manager.filter(pk=obj.pk))
        super().delete_model(request, obj)  # type: ignore[misc]
        departments_changed(departments)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        departments = self._departments(queryset)
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        departments_changed(departments)


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


class EmployeeAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Employee
        fields = [
            "hr_reference",
            "name",
            "email",
            "job_title",
            "work_type",
            "department",
            "active",
            "started_on",
            "left_on",
        ]

    def clean_left_on(self) -> Any:
        """The app's leaving-date rule; admins may set a date past the retention period."""
        left_on = self.cleaned_data.get("left_on")
        refusal = people_services.left_on_refusal(
            stored=self.instance if self.instance.pk is not None else None,
            left_on=left_on,
            may_start_retention=True,
        )
        if refusal:
            raise forms.ValidationError(refusal)
        return left_on


@admin.register(Employee)
class EmployeeAdmin(MarksFiguresChanged, SimpleHistoryAdmin):  # type: ignore[misc]
    form = EmployeeAdminForm
    list_display = ["name", "hr_reference", "job_title", "department", "work_type", "active"]
    list_filter = ["active", "work_type", "department__site", "department"]
    search_fields = ["name", "hr_reference", "job_title"]
    list_select_related = ["department__site"]
    date_hierarchy = "created_at"
    actions = [export_csv]
    department_path = "department_id"
    # The history page: each saved version with the department it placed the person in.
    history_list_display = ["department", "job_title", "active", "left_on"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_erased:
            return False  # an erased employee's record is closed
        return super().has_change_permission(request, obj)


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
