"""Django admin of stored reports and background jobs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from assessments.reporting.models import Job, Report


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
