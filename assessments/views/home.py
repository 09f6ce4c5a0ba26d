"""The start page: what this person needs to do next."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assessments import permissions
from assessments.models import Action, Assessment

OPEN_STATUSES = [Action.Status.OPEN, Action.Status.IN_PROGRESS]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require_app_user(user)
    today = timezone.localdate()
    context: dict[str, object] = {"today": today}
    if permissions.can_assess(user):
        context["drafts"] = (
            Assessment.objects.filter(assessor=user, status=Assessment.Status.DRAFT)
            .select_related("employee__department")
            .order_by("-updated_at")[:20]
        )
        context["reassess_due"] = (
            permissions.visible_assessments(user)
            .filter(
                is_latest=True,
                reassess_due__lte=today + dt.timedelta(days=30),
                employee__active=True,
            )
            .select_related("employee__department")
            .order_by("reassess_due")[:20]
        )
    if permissions.is_manager(user) and not permissions.sees_everything(user):
        context["departments"] = permissions.visible_departments(user).annotate(
            headcount=Count("employees", filter=Q(employees__active=True), distinct=True),
            high_risk=Count(
                "employees__assessments",
                filter=Q(
                    employees__assessments__is_latest=True,
                    employees__assessments__band__in=["high", "very_high"],
                ),
                distinct=True,
            ),
            open_actions=Count(
                "employees__assessments__actions",
                filter=Q(employees__assessments__actions__status__in=OPEN_STATUSES),
                distinct=True,
            ),
        )
        context["reassess_due"] = (
            permissions.visible_assessments(user)
            .filter(
                is_latest=True,
                reassess_due__lte=today + dt.timedelta(days=30),
                employee__active=True,
            )
            .select_related("employee__department")
            .order_by("reassess_due")[:20]
        )
    context["my_actions"] = (
        permissions.visible_actions(user)
        .filter(owner=user, status__in=OPEN_STATUSES)
        .select_related("assessment__employee")
        .order_by("due_on")[:20]
    )
    context["my_overdue_count"] = (
        permissions.visible_actions(user)
        .filter(owner=user, status__in=OPEN_STATUSES, due_on__lt=today)
        .count()
    )
    return render(request, "assessments/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Risk now, trend and follow-through for the departments this person may see."""
    from assessments import charts
    from assessments import dashboard as figures

    user = request.user
    permissions.require_app_user(user)
    departments = permissions.visible_departments(user)
    site_id, department_id = request.GET.get("site"), request.GET.get("department")
    assessments = permissions.visible_assessments(user)
    actions = permissions.visible_actions(user)
    selected = departments
    if site_id and site_id.isdigit():
        selected = selected.filter(site_id=int(site_id))
    if department_id and department_id.isdigit():
        selected = selected.filter(pk=int(department_id))
    if selected is not departments:
        assessments = assessments.filter(employee__department__in=selected)
        actions = actions.filter(assessment__employee__department__in=selected)
    data = figures.build(assessments=assessments, actions=actions, today=timezone.localdate())
    return render(
        request,
        "assessments/dashboard.html",
        {
            "d": data,
            "band_chart": charts.band_distribution(data.band_counts),
            "quarter_chart": charts.stacked_quarters(data.quarters) if data.quarters else "",
            "departments": departments,
            "sites": {dep.site for dep in departments},
            "site_id": site_id or "",
            "department_id": department_id or "",
            "scope_query": _scope_query(site_id, department_id),
        },
    )


def _scope_query(site_id: str | None, department_id: str | None) -> str:
    parts = []
    if site_id and site_id.isdigit():
        parts.append(f"site={site_id}")
    if department_id and department_id.isdigit():
        parts.append(f"department={department_id}")
    return "&".join(parts)
