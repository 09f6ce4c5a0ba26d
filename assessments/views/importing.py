"""Starting a draft from an interchange JSON file instead of typing it in."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from assessments import permissions
from assessments.records import importing
from assessments.records.import_forms import TOO_LARGE_MESSAGE, AssessmentImportForm

#: Room for the multipart envelope and the CSRF token around the file itself.
_ENVELOPE_BYTES = 64 * 1024


@login_required
def assessment_import(request: HttpRequest, employee_pk: int) -> HttpResponse:
    permissions.require_assessor(request.user)
    employee = permissions.employee_for(request.user, employee_pk)
    permissions.require_not_erased(employee)
    limit = settings.IMPORT_MAX_BYTES
    context = {"employee": employee, "limit_kb": limit // 1024}
    if request.method == "POST":
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > limit + _ENVELOPE_BYTES:
            # Refused before the body is read: nothing this large can be a valid file.
            form = AssessmentImportForm(max_bytes=limit)
            message = TOO_LARGE_MESSAGE.format(size=int(length) // 1024, limit=limit // 1024)
            return render(
                request,
                "assessments/assessment_import.html",
                {**context, "form": form, "refused": message},
                status=413,
            )
        form = AssessmentImportForm(request.POST, request.FILES, max_bytes=limit)
        if form.is_valid():
            assessment = importing.assessment_import(
                employee=employee,
                assessor=request.user,
                sections=form.sections,
                tasks=form.tasks,
            )
            messages.success(
                request,
                "Draft created from the file: review each section, then complete it.",
            )
            return redirect(assessment)
        status = 413 if form.too_large else 422
    else:
        form = AssessmentImportForm(max_bytes=limit)
        status = 200
    return render(
        request, "assessments/assessment_import.html", {**context, "form": form}, status=status
    )
