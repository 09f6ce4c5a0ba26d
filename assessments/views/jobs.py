"""Background jobs: start a report pack or a report email, follow it, download the pack."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from assessments import permissions
from assessments.reporting import jobs as services
from assessments.reporting import selectors
from assessments.reporting.forms import ReportPackForm
from assessments.reporting.models import Job

PACK_GONE_HEADING = _("This report pack is no longer available")


@login_required
@require_POST
def pack_start(request: HttpRequest) -> HttpResponse:
    permissions.require_app_user(request.user)
    if not permissions.can_start_pack(request.user):
        raise PermissionDenied
    form = ReportPackForm(request.POST, departments=permissions.visible_departments(request.user))
    if not form.is_valid():
        return render(request, "assessments/job_pack_form.html", {"form": form}, status=422)
    job = services.job_start_pack(
        user=request.user,
        department=form.cleaned_data["department"],
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
    )
    return redirect(job)


@login_required
@require_POST
def report_email(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_email_report(request.user):
        raise PermissionDenied
    assessment = permissions.assessment_for_view(request.user, pk)
    try:
        job = services.job_start_report_email(user=request.user, assessment=assessment)
    except services.JobRefused as refused:
        messages.error(request, str(refused))
        return redirect(assessment)
    return redirect(job)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.job_refresh(selectors.job_for_view(request.user, pk))
    return render(request, "assessments/job_detail.html", {"job": job})


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_for_view(request.user, pk)
    if job.status == Job.Status.EXPIRED:
        return render(
            request,
            "assessments/gone.html",
            {"heading": PACK_GONE_HEADING, "message": job.error, "back": job.get_absolute_url()},
            status=410,
        )
    if job.status != Job.Status.SUCCEEDED or not job.result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type="application/zip",
        as_attachment=True,
        filename=job.result_name or "report-pack.zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
