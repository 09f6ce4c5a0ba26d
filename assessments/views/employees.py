"""Employees: list, create, edit, and the history of their assessments."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments import permissions
from assessments.core import charts
from assessments.insights import figures
from assessments.insights.filters import EmployeeFilter
from assessments.people import services as people_services
from assessments.people.forms import EmployeeForm
from assessments.views.pagination import paginate


def _with_current(queryset, user):  # type: ignore[no-untyped-def]
    """Each employee's current band and dates, as the viewer may see them (a manager: only
    when the employee lets managers see the assessment)."""
    latest = permissions.visible_assessments(user).filter(employee=OuterRef("pk"), is_latest=True)
    return queryset.annotate(
        current_band=Subquery(latest.values("band")[:1]),
        current_score=Subquery(latest.values("strain_score")[:1]),
        current_assessed_on=Subquery(latest.values("assessed_on")[:1]),
        current_reassess_due=Subquery(latest.values("reassess_due")[:1]),
    )


@login_required
def employee_list(request: HttpRequest) -> HttpResponse:
    permissions.require_app_user(request.user)
    qs = _with_current(
        permissions.visible_employees(request.user).select_related("department__site"),
        request.user,
    )
    filterset = EmployeeFilter(request.GET, queryset=qs, request=request)
    page = paginate(request, filterset.qs.order_by("name"), per_page=25)
    return render(
        request,
        "assessments/employee_list.html",
        {"filter": filterset, "page": page, "can_assess": permissions.can_assess(request.user)},
    )


@login_required
def employee_create(request: HttpRequest) -> HttpResponse:
    permissions.require_assessor(request.user)
    departments = permissions.visible_departments(request.user)
    may_start_retention = permissions.can_start_retention(request.user)
    form = EmployeeForm(
        request.POST or None, departments=departments, may_start_retention=may_start_retention
    )
    if request.method == "POST" and form.is_valid():
        try:
            employee = people_services.employee_save(
                employee=form.save(commit=False), may_start_retention=may_start_retention
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, f"{employee.name} added.")
            return redirect(employee)
    return render(request, "assessments/employee_form.html", {"form": form, "employee": None})


def _add_errors(form: EmployeeForm, refused: ValidationError) -> None:
    """A refusal by the service: the stored record changed, or another request took the HR
    reference, since the form was checked."""
    if not hasattr(refused, "error_dict"):
        form.add_error(None, refused)
        return
    for field, errors in refused.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = permissions.employee_for(request.user, pk)
    permissions.require_assessor(request.user)
    permissions.require_not_erased(employee)
    departments = permissions.visible_departments(request.user)
    may_start_retention = permissions.can_start_retention(request.user)
    form = EmployeeForm(
        request.POST or None,
        instance=employee,
        departments=departments,
        may_start_retention=may_start_retention,
    )
    if request.method == "POST" and form.is_valid():
        try:
            people_services.employee_save(
                employee=form.save(commit=False), may_start_retention=may_start_retention
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, f"{employee.name} saved.")
            return redirect(employee)
    return render(request, "assessments/employee_form.html", {"form": form, "employee": employee})


@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = permissions.employee_for(request.user, pk)
    assessments = list(
        permissions.listed_assessments(request.user)
        .filter(employee=employee)
        .select_related("assessor")
        .order_by("-assessed_on", "-revision")
    )
    trend_points = [
        (a.assessed_on, a.strain_score, a.band)
        for a in reversed(assessments)
        if a.is_completed
        and a.strain_score is not None
        and not any(b.supersedes_id == a.pk and b.is_completed for b in assessments)
    ]
    return render(
        request,
        "assessments/employee_detail.html",
        {
            "employee": employee,
            "assessments": assessments,
            "trend_svg": charts.score_trend(trend_points) if trend_points else "",
            "can_assess": permissions.can_assess(request.user),
            "can_triage": permissions.can_triage(request.user),
            "latest": next((a for a in assessments if a.is_latest), None),
            "drafts": [a for a in assessments if a.is_draft],
        },
    )


@login_required
def employee_overdue(request: HttpRequest) -> HttpResponse:
    """Who is due an assessment: people never assessed or last assessed before the cycle,
    and each department's coverage. Names and dates only, never answers, bands or scores."""
    permissions.require_app_user(request.user)
    today = timezone.localdate()
    overdue = figures.assessment_overdue(
        permissions.visible_employees(request.user).select_related("department__site"), today
    ).order_by("department__name", "name")
    page = paginate(request, overdue, per_page=50)
    for employee in page:
        employee.assessment_due = figures.due_date(employee.last_assessed_on)
    return render(
        request,
        "assessments/employee_overdue.html",
        {
            "page": page,
            "coverage": figures.coverage(
                list(permissions.visible_departments(request.user)), today
            ),
            "cycle_months": settings.ASSESSMENT_CYCLE_MONTHS,
            "cycle_start": figures.cycle_start(today),
        },
    )
