"""Report downloads (stored PDFs), HTML previews, and the department report."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from assessments import permissions
from assessments.people import services as people_services
from assessments.records.models import Assessment
from assessments.reporting import context, rendering, tasks
from assessments.reporting.forms import DepartmentReportForm
from assessments.reporting.models import Report
from assessments.reporting.store import ReportErased, report_html, report_store

REPORT_GONE_HEADING = _("This report is no longer available")
REPORT_ERASED_MESSAGE = _(
    "The employee's records were erased, so their reports were deleted and are not made "
    "again. Only anonymous statistics about the workplace remain."
)

logger = logging.getLogger(__name__)

REPORT_NOT_READY = _(
    "The report could not be prepared just now. Try again in a minute; if it keeps "
    "happening, tell your system administrator."
)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "report"


def _report_for(request: HttpRequest, pk: int, kind: str):  # type: ignore[no-untyped-def]
    if kind not in Report.Kind.values:
        raise Http404
    assessment = permissions.assessment_for_view(request.user, pk)
    if not assessment.is_completed:
        raise Http404
    if not permissions.can_download_report(request.user, kind):
        raise PermissionDenied
    return assessment


def _audit_view(request: HttpRequest, assessment: Assessment, kind: str) -> None:
    if kind == Report.Kind.OH:
        people_services.audit(
            kind="view_oh_report",
            user=request.user,
            employee=assessment.employee,
            assessment=assessment,
            detail=f"OH report {kind}",
        )


def _gone(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """The reports of an erased employee were deleted and are never made again."""
    return render(
        request,
        "assessments/gone.html",
        {
            "heading": REPORT_GONE_HEADING,
            "message": REPORT_ERASED_MESSAGE,
            "back": assessment.get_absolute_url(),
        },
        status=410,
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    assessment = _report_for(request, pk, kind)
    if assessment.employee.is_erased:
        return _gone(request, assessment)
    _audit_view(request, assessment, kind)
    try:  # stored by a worker after completion, or rendered now if it is not stored yet
        report = report_store(assessment=assessment, kind=kind, user=request.user)
    except ReportErased:  # erased while this request was on its way
        return _gone(request, assessment)
    except Exception:
        logger.exception("report %s of assessment %s could not be prepared", kind, pk)
        messages.error(request, REPORT_NOT_READY)
        return redirect(assessment)
    name = (
        f"{'oh-report' if kind == 'oh' else 'manager-report'}-{_slug(assessment.employee.name)}-"
        f"{assessment.assessed_on:%Y-%m-%d}-r{assessment.revision}.pdf"
    )
    response = FileResponse(
        report.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=name
    )
    response["X-Report-SHA256"] = report.sha256
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_preview(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    assessment = _report_for(request, pk, kind)
    if assessment.employee.is_erased:
        return _gone(request, assessment)
    _audit_view(request, assessment, kind)
    return HttpResponse(report_html(assessment, kind))


@login_required
def department_report(request: HttpRequest) -> HttpResponse:
    permissions.require_app_user(request.user)
    departments = permissions.visible_departments(request.user)
    today = timezone.localdate()
    initial = {
        "start": today - dt.timedelta(days=365),
        "end": today,
        "departments": departments[:1] if not permissions.sees_everything(request.user) else [],
    }
    form = DepartmentReportForm(request.GET or None, departments=departments, initial=initial)
    if request.GET and form.is_valid():
        chosen = departments.filter(pk__in=[d.pk for d in form.cleaned_data["departments"]])
        ctx = context.department_context(
            departments=chosen, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        if request.GET.get("format") == "html":
            return render(request, "assessments/pdf/department_report.html", ctx)
        data = rendering.render_pdf("assessments/pdf/department_report.html", ctx)
        names = "-".join(_slug(d.name) for d in chosen)[:80]
        response = HttpResponse(data, content_type="application/pdf")
        end = form.cleaned_data["end"]
        response["Content-Disposition"] = (
            f'attachment; filename="department-report-{names}-{end:%Y-%m-%d}.pdf"'
        )
        return response
    return render(request, "assessments/department_report_form.html", {"form": form})


def report_links_context(request: HttpRequest, assessment: Assessment) -> dict[str, object]:
    """What the report links of a completed assessment show this person."""
    return {
        "assessment": assessment,
        "health": permissions.can_see_health_detail(request.user),
        "reports": tasks.reports_status(assessment),
        "preparing_message": tasks.REPORTS_PREPARING,
        "not_queued_message": tasks.REPORTS_NOT_QUEUED,
    }


@login_required
@require_GET
def report_links(request: HttpRequest, pk: int) -> HttpResponse:
    """The report links alone: the assessment page asks for them again while the reports
    are being prepared, until they are ready."""
    assessment = permissions.assessment_for_view(request.user, pk)
    if not assessment.is_completed:
        raise Http404
    return render(
        request, "assessments/_report_links.html", report_links_context(request, assessment)
    )
