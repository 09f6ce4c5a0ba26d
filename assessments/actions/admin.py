"""Django admin of actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from assessments.actions.forms import CHOSEN_STATUSES
from assessments.actions.models import Action
from assessments.people.admin import MarksFiguresChanged, export_csv
from assessments.records.admin import HealthAuditAdminMixin


@admin.register(Action)
class ActionAdmin(  # type: ignore[misc]
    MarksFiguresChanged, HealthAuditAdminMixin, SimpleHistoryAdmin
):
    """Actions in full: the "why" of a personal health or psychosocial action quotes health
    answers and evidence notes may too, so every action page and its history is audited."""

    department_path = "assessment__employee__department_id"
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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status in Action.SYSTEM_STATUSES:
            return False  # closed by an erasure or an amendment, for good
        return super().has_change_permission(request, obj)  # type: ignore[no-any-return]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "status":  # cancelled and superseded are set by the system only
            kwargs["choices"] = CHOSEN_STATUSES
        return super().formfield_for_choice_field(db_field, request, **kwargs)
