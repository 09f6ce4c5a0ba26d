"""Data-protection pages for admins: an employee's data export and erasure, the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessments import permissions
from assessments.people.models import AuditEvent
from assessments.privacy import services as privacy
from assessments.privacy.forms import AuditFilterForm, EraseConfirmForm
from assessments.records.models import Assessment, Photo
from assessments.reporting.models import Report
from assessments.views.pagination import paginate


@login_required
@require_GET
def employee_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    employee = permissions.employee_for_admin(request.user, pk)
    counts = Assessment.objects.filter(employee=employee).aggregate(
        completed=Count("pk", filter=Q(status=Assessment.Status.COMPLETED)),
        drafts=Count("pk", filter=Q(status=Assessment.Status.DRAFT)),
    )
    return render(
        request,
        "assessments/employee_privacy.html",
        {
            "employee": employee,
            "counts": counts,
            "photos": Photo.objects.filter(assessment__employee=employee).count(),
            "reports": Report.objects.filter(assessment__employee=employee).count(),
            "events": AuditEvent.objects.filter(employee=employee)
            .select_related("user", "assessment")
            .order_by("-at")[:20],
            "retention_years": settings.RETENTION_YEARS_AFTER_LEAVING,
        },
    )


@login_required
@require_POST
def employee_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    employee = permissions.employee_for_admin(request.user, pk)
    data = privacy.employee_export(employee=employee, user=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="employee-{employee.pk}-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def employee_erase(request: HttpRequest, pk: int) -> HttpResponse:
    employee = permissions.employee_for_admin(request.user, pk)
    form = EraseConfirmForm(request.POST or None, hr_reference=employee.hr_reference)
    if request.method == "POST":
        if form.is_valid():
            summary = privacy.employee_erase(employee=employee, user=request.user)
            messages.success(
                request,
                f"Employee erased: {summary.describe()}; {summary.describe_follow_up()}.",
            )
            return redirect("employee_detail", pk=employee.pk)
        status = 422
    else:
        status = 200
    counts = Assessment.objects.filter(employee=employee).aggregate(
        completed=Count("pk", filter=Q(status=Assessment.Status.COMPLETED)),
        drafts=Count("pk", filter=Q(status=Assessment.Status.DRAFT)),
    )
    return render(
        request,
        "assessments/employee_erase.html",
        {"employee": employee, "form": form, "counts": counts},
        status=status,
    )


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    permissions.require_admin(request.user)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("user", "employee", "assessment").order_by("-at")
    if form.is_valid():
        if form.cleaned_data["kind"]:
            events = events.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["employee"]:
            events = events.filter(employee_id=form.cleaned_data["employee"])
        if form.cleaned_data["user"]:
            events = events.filter(user__username=form.cleaned_data["user"])
    page = paginate(request, events, per_page=50)
    return render(request, "assessments/audit_list.html", {"form": form, "page": page})
