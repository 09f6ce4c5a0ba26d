"""Every response that shows health text writes one audit event: the app's pages, its
exports and the Django admin's record, history and earlier-version pages.

`HEALTH_RESPONSES` lists them all; a page that starts showing health text belongs here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from assessments.actions.models import Action
from assessments.people.models import AuditEvent
from assessments.records import services
from assessments.records.admin import HealthAuditAdminMixin
from assessments.records.models import (
    Assessment,
    LiftingTask,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from tests.conftest import client_for, fill_draft

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    completed: Assessment
    draft: Assessment
    health_action: Action
    assessor: Client
    admin: Client


def _history_version(model: type[Any], obj: Any) -> str:
    record = model.history.filter(id=obj.pk).latest("history_date")
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history"
    return reverse(name, args=[obj.pk, record.history_id])


def _admin_page(model: type[Any], view: str, of: str) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        assessment = getattr(world, of)
        obj = {
            Assessment: assessment,
            Action: world.health_action,
            LiftingTask: assessment.lifting_tasks.first(),
        }.get(model) or model.objects.get(assessment=assessment)
        if view == "version":
            url = _history_version(model, obj)
        else:
            url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=[obj.pk]
            )
        return world.admin.get(url)

    return get


def _args(world: World, args: tuple[Any, ...]) -> list[Any]:
    """URL arguments: a name of a `World` record stands for its id, anything else is itself."""
    return [getattr(world, a).pk if a in World.__dataclass_fields__ else a for a in args]


def _get(name: str, *args: Any) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        return world.assessor.get(reverse(name, args=_args(world, args)))

    return get


def _post(name: str, data: dict[str, Any], *args: Any) -> Callable[[World], Any]:
    def post(world: World) -> Any:
        return world.assessor.post(reverse(name, args=_args(world, args)), data)

    return post


def _admin_export(model: type[Any]) -> Callable[[World], Any]:
    def post(world: World) -> Any:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        ids = [world.completed.pk] if model is Assessment else [world.health_action.pk]
        return world.admin.post(url, {"action": "export_csv", "_selected_action": ids})

    return post


#: (what is shown, how it is requested, the status it answers, the event it writes)
HEALTH_RESPONSES: list[tuple[str, Callable[[World], Any], int, str]] = [
    ("completed assessment page", _get("assessment_detail", "completed"), 200, "view_health"),
    ("draft editor", _get("assessment_detail", "draft"), 200, "view_health"),
    (
        "draft editor with a refused section",
        _post("section_save", {"worker-age_years": "abc"}, "draft", "worker"),
        422,
        "view_health",
    ),
    ("completion review", _get("assessment_complete", "draft"), 200, "view_health"),
    (
        "completion review with a refused choice",
        _post("assessment_complete", {"actions-TOTAL_FORMS": "x"}, "draft"),
        422,
        "view_health",
    ),
    ("OH report preview", _get("report_preview", "completed", "oh"), 200, "view_oh_report"),
    ("OH report PDF", _get("report_pdf", "completed", "oh"), 200, "view_oh_report"),
    ("interchange JSON", _get("assessment_json", "completed"), 200, "export"),
    ("assessments CSV", _get("assessment_export", "csv"), 200, "export"),
    ("assessments Excel", _get("assessment_export", "xlsx"), 200, "export"),
    ("actions CSV", _get("action_export", "csv"), 200, "export"),
    ("actions Excel", _get("action_export", "xlsx"), 200, "export"),
    ("health action page", _get("action_detail", "health_action"), 200, "view_health"),
    (
        "health action page with a refused update",
        _post("action_detail", {"status": "declined", "evidence_note": ""}, "health_action"),
        422,
        "view_health",
    ),
    (
        "employee data export",
        lambda w: w.admin.post(reverse("employee_data_export", args=[w.completed.employee_id])),
        200,
        "export",
    ),
    ("admin assessments CSV", _admin_export(Assessment), 200, "export"),
    ("admin actions CSV", _admin_export(Action), 200, "export"),
    *[
        (f"admin {model._meta.model_name} {view}", _admin_page(model, view, of), 200, "view_health")
        for model, of in [
            (Assessment, "completed"),
            (WorkstationSection, "completed"),
            (SittingSection, "completed"),
            (WorkerSection, "completed"),
            (LiftingTask, "completed"),
            (Action, "completed"),
            (WorkerSection, "draft"),
        ]
        for view in ("change", "history", "version")
    ],
]


@pytest.fixture
def world(completed, assessor, admin_user) -> World:
    open_draft = fill_draft(
        services.assessment_create(employee=completed.employee, assessor=assessor)
    )
    return World(
        completed=completed,
        draft=open_draft,
        health_action=completed.actions.get(code="individual.weight_management"),
        assessor=client_for(assessor),
        admin=client_for(admin_user),
    )


@pytest.mark.parametrize(
    ("shown", "request_it", "status", "kind"),
    HEALTH_RESPONSES,
    ids=[row[0] for row in HEALTH_RESPONSES],
)
def test_every_response_with_health_text_is_audited(world, shown, request_it, status, kind):
    before = AuditEvent.objects.count()
    response = request_it(world)
    assert response.status_code == status
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [event.kind for event in events] == [kind], shown
    # A second look is a second event.
    request_it(world)
    assert AuditEvent.objects.count() == before + 2


def test_managers_exports_hold_no_health_text_and_write_no_event(manager, completed):
    client = client_for(manager)
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("action_export", args=[fmt])).status_code == 200
        assert client.get(reverse("assessment_export", args=[fmt])).status_code == 200
    assert not AuditEvent.objects.exists()


def test_a_saved_admin_change_is_a_redirect_and_writes_no_view_event(admin_user, completed):
    action = completed.actions.filter(code__startswith="workstation.").first()
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = {
        "assessment": completed.pk,
        "code": action.code,
        "title": action.title,
        "detail": action.detail,
        "rationale": action.rationale,
        "category": action.category,
        "priority": action.priority,
        "cost_band": action.cost_band,
        "status": "in_progress",
        "evidence_note": "",
    }
    response = client_for(admin_user).post(url, data)
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_every_admin_page_of_a_health_record_is_audited():
    """A record of the assessments or actions with a change history shows health text in
    the admin: its admin must record every page it serves."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"records", "actions"} and hasattr(model, "history"):
            assert isinstance(model_admin, HealthAuditAdminMixin), model
