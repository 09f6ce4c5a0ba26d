"""Downloads: the assessment, lifting-task and action lists as CSV or Excel, and one
assessment's inputs as interchange JSON. Each honours the filters of the list it came from."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessments import permissions
from assessments.core.health import Audience
from assessments.insights import exports
from assessments.insights.filters import ActionFilter, AssessmentFilter
from assessments.people import services as people_services
from assessments.people.models import AuditEvent
from assessments.records import services

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(request: HttpRequest, table: exports.Table, fmt: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    filename = f"{table.name}-{stamp}.{fmt}"
    response: HttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(table), content_type=FORMATS[fmt])
    else:
        response = HttpResponse(exports.xlsx_bytes(table), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _filtered_assessments(request: HttpRequest) -> object:
    qs = permissions.listed_assessments(request.user)
    return AssessmentFilter(request.GET, queryset=qs, request=request).qs


def _audit_export(request: HttpRequest, what: str) -> None:
    people_services.audit(
        kind=AuditEvent.Kind.EXPORT,
        user=request.user,
        detail=f"{what} with health detail ({request.GET.urlencode() or 'no filters'})",
    )


@login_required
@require_GET
def assessment_export(request: HttpRequest, fmt: str) -> HttpResponse:
    permissions.require_app_user(request.user)
    fmt = _format(fmt)
    audience = permissions.audience(request.user)
    if audience is Audience.OH:
        _audit_export(request, f"assessments {fmt}")
    table = exports.assessment_table(_filtered_assessments(request), audience=audience)
    return _download(request, table, fmt)


@login_required
@require_GET
def lifting_task_export(request: HttpRequest, fmt: str) -> HttpResponse:
    permissions.require_app_user(request.user)
    fmt = _format(fmt)
    table = exports.lifting_task_table(
        _filtered_assessments(request), audience=permissions.audience(request.user)
    )
    return _download(request, table, fmt)


@login_required
@require_GET
def action_export(request: HttpRequest, fmt: str) -> HttpResponse:
    permissions.require_app_user(request.user)
    fmt = _format(fmt)
    qs = permissions.visible_actions(request.user)
    filtered = ActionFilter(request.GET, queryset=qs, request=request).qs
    audience = permissions.audience(request.user)
    if audience is Audience.OH:
        _audit_export(request, f"actions {fmt}")
    table = exports.action_table(filtered, audience=audience, today=timezone.localdate())
    return _download(request, table, fmt)


@login_required
@require_GET
def assessment_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The inputs in the scoring interchange format: the signed snapshot once completed."""
    assessment = permissions.assessment_for_view(request.user, pk)
    permissions.require_health_access(request.user)
    if assessment.is_completed and assessment.inputs is not None:
        document = assessment.inputs
    else:
        document = services.assessment_input_dict(assessment)
    people_services.audit(
        kind=AuditEvent.Kind.EXPORT,
        user=request.user,
        employee=assessment.employee,
        assessment=assessment,
        detail="assessment inputs as interchange JSON",
    )
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="assessment-{assessment.pk}-rev{assessment.revision}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response
