"""The API's endpoints. Thin, like the pages: each asks `assessments.permissions` for the
record (404 outside your scope, 403 when visible but not yours to change), checks its input
with the same form as the page, calls the same service, and shapes health data for the
caller's audience (`permissions.audience`). Calls that return health data are audited.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.forms import model_to_dict
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from assessments import permissions
from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.api import conditional, results, serializers
from assessments.core import health
from assessments.core.errors import StaleEditError
from assessments.core.health import Audience
from assessments.insights import exports
from assessments.insights.filters import ActionFilter, AssessmentFilter, EmployeeFilter
from assessments.people import services as people_services
from assessments.people.forms import EmployeeForm
from assessments.people.models import AuditEvent, Department, Employee, Site
from assessments.records import importing, services, snapshot
from assessments.records.import_forms import AssessmentImportForm
from assessments.records.models import Assessment
from assessments.reporting.models import Report

NOT_AN_OBJECT_MESSAGE = _("Send a JSON object.")
NO_RESULTS_MESSAGE = _("A draft has no signed results yet: complete it first.")
REPORT_NOT_STORED_MESSAGE = _(
    "This report is still being prepared (reports are rendered after completion, not on "
    "request). Try again in a minute."
)
REPORT_ERASED_MESSAGE = _("The employee's records were erased, so their reports were deleted.")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "gone"


def _audience(request: Request) -> Audience:
    return permissions.audience(request.user)


def _audit(
    request: Request, kind: str, detail: str, *, assessment: Any = None, employee: Any = None
) -> None:
    people_services.audit(
        kind=kind,
        user=request.user,
        employee=employee if employee is not None else getattr(assessment, "employee", None),
        assessment=assessment,
        detail=f"API: {detail}",
    )


def _read(request: Request, data: Any, etag: str) -> Response:
    """A read with its ETag; 304 when the caller already holds this version."""
    if conditional.not_modified(request, etag):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(data, headers={"ETag": etag})


def _django_errors(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
                for field, messages in exc.message_dict.items()
            }
        )
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in exc.messages]})


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [str(NOT_AN_OBJECT_MESSAGE)]})
    return dict(request.data)


class ApiView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Every endpoint: JSON, not cached by shared caches, with an ETag on reads."""

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "audience": _audience(self.request)}

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response.setdefault("Cache-Control", "private, no-store")
        response.setdefault("Vary", "Authorization, Cookie")
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == status.HTTP_200_OK
            and isinstance(response, Response)
            and response.data is not None
            and not response.has_header("ETag")
        ):
            response["ETag"] = conditional.etag_of(response.data)
        return response


# --- Sites and departments ---------------------------------------------------------------


class _Sites(ApiView):
    serializer_class = serializers.SiteSerializer

    def get_queryset(self) -> QuerySet[Site]:
        departments = permissions.visible_departments(self.request.user)
        return Site.objects.filter(pk__in=departments.values("site_id")).order_by("name")


class SiteList(_Sites, generics.ListAPIView):  # type: ignore[type-arg]
    """The sites of the departments you may see."""


class SiteDetail(_Sites, generics.RetrieveAPIView):  # type: ignore[type-arg]
    """One site (404 if none of its departments is yours)."""


class _Departments(ApiView):
    serializer_class = serializers.DepartmentSerializer

    def get_queryset(self) -> QuerySet[Department]:
        return permissions.visible_departments(self.request.user)


class DepartmentList(_Departments, generics.ListAPIView):  # type: ignore[type-arg]
    """The departments you may see (a manager: the ones they manage)."""


class DepartmentDetail(_Departments, generics.RetrieveAPIView):  # type: ignore[type-arg]
    """One department (404 outside your scope)."""


# --- Employees ---------------------------------------------------------------------------


def employee_etag(employee: Employee) -> str:
    return conditional.etag_of(
        "employee",
        employee.pk,
        model_to_dict(employee, fields=EmployeeForm.Meta.fields),
        employee.anonymised_at,
    )


#: A new employee's values when the body leaves them out (as the page's form starts).
EMPLOYEE_DEFAULTS = {"work_type": Employee.WorkType.OFFICE, "active": True}


def _employee_write(request: Request, employee: Employee | None, body: dict[str, Any]) -> Employee:
    """Check the body with the employee form (the page's rules and messages) and save it;
    fields the body leaves out keep their stored values."""
    data = (
        model_to_dict(employee, fields=EmployeeForm.Meta.fields)
        if employee is not None
        else dict(EMPLOYEE_DEFAULTS)
    )
    data.update(body)
    may_start_retention = permissions.can_start_retention(request.user)
    form = EmployeeForm(
        data={k: v for k, v in data.items() if v is not None},
        instance=employee,
        departments=permissions.visible_departments(request.user),
        may_start_retention=may_start_retention,
    )
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
                for field, messages in form.errors.items()
            }
        )
    try:
        return people_services.employee_save(
            employee=form.save(commit=False), may_start_retention=may_start_retention
        )
    except DjangoValidationError as exc:
        raise _django_errors(exc) from None


def _employee_response(employee: Employee, *, status_code: int = status.HTTP_200_OK) -> Response:
    data = serializers.EmployeeSerializer(employee).data
    return Response(data, status=status_code, headers={"ETag": employee_etag(employee)})


class EmployeeList(ApiView, generics.ListAPIView):  # type: ignore[type-arg]
    """Employees you may see; filter by department, site, band of their current
    assessment, work type or active."""

    serializer_class = serializers.EmployeeSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = EmployeeFilter

    def get_queryset(self) -> QuerySet[Employee]:
        return permissions.visible_employees(self.request.user).order_by("name", "pk")

    @extend_schema(
        request=serializers.EmployeeWriteSerializer,
        responses={201: serializers.EmployeeSerializer},
    )
    def post(self, request: Request) -> Response:
        """Add an employee (assessors and admins)."""
        permissions.require_assessor(request.user)
        with transaction.atomic():
            employee = _employee_write(request, None, _body(request))
        return _employee_response(employee, status_code=status.HTTP_201_CREATED)


class EmployeeDetail(ApiView):
    serializer_class = serializers.EmployeeSerializer

    def _employee(self, request: Request, pk: int) -> Employee:
        return permissions.employee_for(request.user, pk)

    def get(self, request: Request, pk: int) -> Response:
        """One employee; the ETag is what an update sends back in If-Match."""
        employee = self._employee(request, pk)
        return _read(
            request, serializers.EmployeeSerializer(employee).data, employee_etag(employee)
        )

    @extend_schema(
        request=serializers.EmployeeWriteSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
        responses={200: serializers.EmployeeSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change an employee (assessors and admins): send only the fields that change."""
        employee = self._employee(request, pk)
        permissions.require_assessor(request.user)
        with transaction.atomic():
            employee = Employee.objects.select_for_update().get(pk=employee.pk)
            conditional.require_current(request, employee_etag(employee))
            employee = _employee_write(request, employee, _body(request))
        return _employee_response(employee)

    @extend_schema(
        request=serializers.EmployeeWriteSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
        responses={200: serializers.EmployeeSerializer},
    )
    def put(self, request: Request, pk: int) -> Response:
        """Change an employee (as PATCH: fields left out keep their values)."""
        return self.patch(request, pk)


class EmployeeUpsert(ApiView):
    """Create or update the employee with this HR reference (what an HR system knows)."""

    serializer_class = serializers.EmployeeSerializer

    def get(self, request: Request, hr_reference: str) -> Response:
        """The employee with this HR reference, with their ETag."""
        permissions.require_app_user(request.user)
        employee = permissions.visible_employees(request.user).filter(hr_reference=hr_reference)
        found = employee.first()
        if found is None:
            raise Http404
        employee = found
        return _read(
            request, serializers.EmployeeSerializer(employee).data, employee_etag(employee)
        )

    @extend_schema(
        request=serializers.EmployeeWriteSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description="Required when the employee exists: its ETag, or * for any version.",
            )
        ],
        responses={200: serializers.EmployeeSerializer, 201: serializers.EmployeeSerializer},
    )
    def put(self, request: Request, hr_reference: str) -> Response:
        """Update the employee with this HR reference (If-Match required), or create them
        (no If-Match)."""
        permissions.require_assessor(request.user)
        body = {**_body(request), "hr_reference": hr_reference}  # the path names it
        with transaction.atomic():
            employee = (
                Employee.objects.select_for_update().filter(hr_reference=hr_reference).first()
            )
            if employee is not None:
                if not permissions.visible_employees(request.user).filter(pk=employee.pk).exists():
                    raise Http404
                conditional.require_current(request, employee_etag(employee))
                return _employee_response(_employee_write(request, employee, body))
            if request.headers.get("If-Match"):
                raise conditional.PreconditionFailed  # If-Match names a version; none exists
            created = _employee_write(request, None, body)
        return _employee_response(created, status_code=status.HTTP_201_CREATED)


# --- Assessments -------------------------------------------------------------------------


class ApiAssessmentFilter(AssessmentFilter):
    """The assessment list's filters (department, band, status, assessed_after/before, ...)."""


class AssessmentList(ApiView, generics.ListAPIView):  # type: ignore[type-arg]
    """Assessments you may see (a manager: completed ones in their departments)."""

    serializer_class = serializers.AssessmentListSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ApiAssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        return (
            permissions.listed_assessments(self.request.user)
            .select_related("employee", "assessor")
            .defer("inputs", "results")
            .order_by("-assessed_on", "-pk")
        )

    @extend_schema(
        request=serializers.AssessmentCreateSerializer,
        responses={201: serializers.AssessmentSerializer},
    )
    def post(self, request: Request) -> Response:
        """Create a draft from an interchange document, as the import page does (assessors
        and admins). Problems are listed by their path in the document."""
        permissions.require_assessor(request.user)
        body = serializers.AssessmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        employee = permissions.employee_for(request.user, body.validated_data["employee"])
        permissions.require_not_erased(employee)
        raw = json.dumps(body.validated_data["document"]).encode()
        form = AssessmentImportForm(
            data={},
            files={"document": SimpleUploadedFile("document.json", raw, "application/json")},
            max_bytes=settings.IMPORT_MAX_BYTES,
        )
        if not form.is_valid():
            problems = [f"{path}: {message}" for path, message in form.path_errors] or [
                str(m) for m in form.errors.get("document", [])
            ]
            raise exceptions.ValidationError({"document": problems})
        assessment = importing.assessment_import(
            employee=employee, assessor=request.user, sections=form.sections, tasks=form.tasks
        )
        data = serializers.AssessmentSerializer(
            assessment, context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)


class AssessmentDetail(ApiView):
    serializer_class = serializers.AssessmentSerializer

    def get(self, request: Request, pk: int) -> Response:
        """One assessment; OH staff and admins also read its notes (audited)."""
        assessment = permissions.assessment_for_view(request.user, pk)
        data = serializers.AssessmentSerializer(
            assessment, context=self.get_serializer_context()
        ).data
        if _audience(request) is Audience.OH:
            _audit(request, AuditEvent.Kind.VIEW_HEALTH, "assessment", assessment=assessment)
        return _read(request, data, conditional.etag_of(data))


class AssessmentResults(ApiView):
    serializer_class = serializers.ResultsSerializer

    def get(self, request: Request, pk: int) -> Response:
        """The signed results of a completed assessment, read by its scoring version's
        reader. A manager gets only what the health rule lets through; OH reads are audited."""
        assessment = permissions.assessment_for_view(request.user, pk)
        if not assessment.is_completed:
            raise Conflict(NO_RESULTS_MESSAGE)
        audience = _audience(request)
        document = results.results_document(snapshot.load(assessment), audience=audience)
        if audience is Audience.OH:
            _audit(request, AuditEvent.Kind.VIEW_HEALTH, "results", assessment=assessment)
        data = {"assessment": assessment.pk, **document}
        return _read(request, data, conditional.etag_of(data))


class AssessmentInterchange(ApiView):
    """The inputs in the interchange format (OH staff and admins; audited)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, pk: int) -> Response:
        assessment = permissions.assessment_for_view(request.user, pk)
        permissions.require_health_access(request.user)
        if assessment.is_completed and assessment.inputs is not None:
            document = assessment.inputs
        else:
            document = services.assessment_input_dict(assessment)
        _audit(request, AuditEvent.Kind.EXPORT, "interchange JSON", assessment=assessment)
        return _read(request, document, conditional.etag_of(document))


# --- Reports -----------------------------------------------------------------------------


def _report_assessment(request: Request, pk: int) -> Assessment:
    assessment = permissions.assessment_for_view(request.user, pk)
    if not assessment.is_completed:
        raise Http404
    return assessment


class ReportList(ApiView):
    serializer_class = serializers.ReportSerializer
    queryset = Report.objects.none()  # the schema's hint; `get` asks the permissions
    pagination_class = None  # two reports at most

    @extend_schema(responses={200: serializers.ReportSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        """The stored reports of a completed assessment that you may download."""
        assessment = _report_assessment(request, pk)
        reports = [
            {
                "kind": report.kind,
                "sha256": report.sha256,
                "created_at": report.created_at,
                "download": request.build_absolute_uri(
                    reverse("api-report-download", args=[assessment.pk, report.kind])
                ),
            }
            for report in Report.objects.filter(assessment=assessment).order_by("kind")
            if permissions.can_download_report(request.user, report.kind)
        ]
        return Response(serializers.ReportSerializer(reports, many=True).data)


class ReportDownload(ApiView):
    """A stored PDF, byte for byte as stored (its SHA-256 in `X-Report-SHA256`)."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            409: OpenApiResponse(description="Not rendered yet: try again later."),
            410: OpenApiResponse(description="The employee's records were erased."),
        }
    )
    def get(self, request: Request, pk: int, kind: str) -> Any:
        if kind not in Report.Kind.values:
            raise Http404
        assessment = _report_assessment(request, pk)
        if not permissions.can_download_report(request.user, kind):
            raise exceptions.PermissionDenied
        if assessment.employee.is_erased:
            raise Gone(REPORT_ERASED_MESSAGE)
        report = Report.objects.filter(assessment=assessment, kind=kind).first()
        if report is None:
            raise Conflict(REPORT_NOT_STORED_MESSAGE)
        if kind == Report.Kind.OH:
            _audit(request, AuditEvent.Kind.VIEW_OH_REPORT, "OH report", assessment=assessment)
        response = FileResponse(
            report.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{kind}-report-{assessment.pk}-r{assessment.revision}.pdf",
        )
        response["X-Report-SHA256"] = report.sha256
        response["ETag"] = f'"{report.sha256[:32]}"'
        return response


# --- Actions -----------------------------------------------------------------------------


class ApiActionFilter(ActionFilter):
    """The action list's filters, and the band of the assessment and due dates."""

    band = filters.MultipleChoiceFilter(
        field_name="assessment__band", choices=Assessment.Band.choices, label=_("Band")
    )
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte")


def action_etag(action: Action) -> str:
    return conditional.etag_of("action", action.pk, action.lock_version)


def _audit_action_reasons(request: Request, actions: list[Action], what: str) -> None:
    """OH read the "why" of health actions (BMI, pain, psychosocial answers): one event per
    response that shows one, as for the pages."""
    if _audience(request) is not Audience.OH:
        return
    health_actions = [
        action
        for action in actions
        if not health.reason_visible(code=action.code, category=action.category)
    ]
    if not health_actions:
        return
    one = health_actions[0] if len(health_actions) == 1 else None
    _audit(
        request,
        AuditEvent.Kind.VIEW_HEALTH,
        f"action {one.code}" if one else f"{what} with {len(health_actions)} health actions",
        assessment=one.assessment if one else None,
    )


class ActionList(ApiView, generics.ListAPIView):  # type: ignore[type-arg]
    """Actions you may see; filter by department, band, status, priority, due dates, ..."""

    serializer_class = serializers.ActionSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ApiActionFilter

    def get_queryset(self) -> QuerySet[Action]:
        return (
            permissions.visible_actions(self.request.user)
            .select_related("assessment__employee", "owner")
            .defer("assessment__inputs", "assessment__results")
            .order_by("priority", "due_on", "pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        _audit_action_reasons(request, rows, "action list")
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class ActionDetail(ApiView):
    serializer_class = serializers.ActionSerializer

    def get(self, request: Request, pk: int) -> Response:
        """One action; the ETag is what an update sends back in If-Match."""
        action = permissions.action_for_view(request.user, pk)
        _audit_action_reasons(request, [action], "action")
        data = self.get_serializer(action).data
        return _read(request, data, action_etag(action))

    @extend_schema(
        request=serializers.ActionUpdateSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
        responses={200: serializers.ActionSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Update the status and evidence note (managers too, in their departments)."""
        action = permissions.action_for_view(request.user, pk)
        if not permissions.can_update_action(request.user, action):
            raise exceptions.PermissionDenied
        conditional.require_current(request, action_etag(action))
        body = serializers.ActionUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        try:
            action = action_services.action_update(
                action=action,
                status=values.get("status", action.status),
                evidence_note=values.get("evidence_note", action.evidence_note),
                completed_on=values.get("completed_on"),
                lock_version=action.lock_version,
            )
        except StaleEditError:
            raise conditional.PreconditionFailed from None
        except DjangoValidationError as exc:
            raise _django_errors(exc) from None
        _audit_action_reasons(request, [action], "action")
        data = self.get_serializer(action).data
        return Response(data, headers={"ETag": action_etag(action)})


# --- Exports -----------------------------------------------------------------------------

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
EXPORT_TABLES = ("assessments", "lifting-tasks", "actions")


class Export(ApiView):
    """The assessment, lifting-task and action exports of the list pages, with the same
    columns (health columns for OH only) and the same filters, as CSV, Excel or JSON."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)

    def _table(self, request: Request, table: str) -> exports.Table:
        audience = _audience(request)
        if table == "actions":
            qs = ActionFilter(
                request.query_params,
                queryset=permissions.visible_actions(request.user),
                request=request,
            ).qs
            return exports.action_table(qs, audience=audience, today=timezone.localdate())
        assessments = AssessmentFilter(
            request.query_params,
            queryset=permissions.listed_assessments(request.user),
            request=request,
        ).qs
        if table == "assessments":
            return exports.assessment_table(assessments, audience=audience)
        return exports.lifting_task_table(assessments, audience=audience)

    @extend_schema(
        parameters=[
            OpenApiParameter("table", str, OpenApiParameter.PATH, enum=list(EXPORT_TABLES)),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(EXPORT_FORMATS)),
        ],
        responses={
            (200, "application/json"): serializers.ExportSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, EXPORT_FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request: Request, table: str, fmt: str) -> Any:
        if table not in EXPORT_TABLES or fmt not in EXPORT_FORMATS:
            raise Http404
        exported = self._table(request, table)
        if _audience(request) is Audience.OH and table != "lifting-tasks":
            query = request.query_params.urlencode() or "no filters"
            _audit(request, AuditEvent.Kind.EXPORT, f"{table} {fmt} with health detail ({query})")
        if fmt == "json":
            rows = [dict(zip(exported.columns, row, strict=True)) for row in exported.rows]
            data = {"name": exported.name, "columns": exported.columns, "rows": rows}
            return Response(serializers.ExportSerializer(data).data)
        stamp = timezone.localdate().isoformat()
        response: HttpResponse
        if fmt == "csv":
            response = StreamingHttpResponse(
                exports.csv_chunks(exported), content_type=EXPORT_FORMATS[fmt]
            )
        else:
            response = HttpResponse(exports.xlsx_bytes(exported), content_type=EXPORT_FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{exported.name}-{stamp}.{fmt}"'
        return response
