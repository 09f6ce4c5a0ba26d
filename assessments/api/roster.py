"""`/api/v1/roster/`: the HR roster sync for an HR system, the same three steps as the
admin's upload page (`people.roster`): the rows are read and checked (`parse_rows`), a
preview says what they would change (`roster_plan`), and applying plans again against the
data as it is then and applies all rows or none (`roster_apply`), only if the plan still
has the fingerprint the caller previewed. Admins only, like the page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from assessments import permissions
from assessments.api.views import ApiView
from assessments.people import roster

ROWS_MESSAGE = _("Send the rows as a list of objects, one per person.")
FINGERPRINT_MESSAGE = _(
    "Send the fingerprint of the preview you checked: nothing is applied without it."
)


class RosterRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One person as HR sends them: the columns of a roster file (docs/roster.md)."""

    hr_reference = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField(required=False, allow_blank=True)
    job_title = serializers.CharField()
    department = serializers.CharField()
    site = serializers.CharField()
    start_date = serializers.DateField(required=False, allow_null=True)
    leaving_date = serializers.DateField(required=False, allow_null=True)


class RosterRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rows = RosterRowSerializer(many=True)
    create_missing_departments = serializers.BooleanField(required=False, default=False)


class RosterApplySerializer(RosterRequestSerializer):
    fingerprint = serializers.CharField(help_text="The `fingerprint` of the preview you checked.")


class ChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class PlanItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField(help_text="The row's position in `rows`, from 1.")
    hr_reference = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=[roster.NEW, roster.CHANGED, roster.MOVED, roster.LEAVER, roster.UNCHANGED]
    )
    employee = serializers.IntegerField(allow_null=True)
    changes = ChangeSerializer(many=True)


class RowErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField(help_text="The row's position in `rows`, from 1.")
    hr_reference = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class NewDepartmentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    site = serializers.CharField()
    department = serializers.CharField()


class RosterPlanSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ok = serializers.BooleanField(help_text="True when no row has an error.")
    applied = serializers.BooleanField()
    fingerprint = serializers.CharField()
    summary = serializers.CharField()
    detail = serializers.CharField(required=False)
    counts = serializers.DictField(child=serializers.IntegerField())
    items = PlanItemSerializer(many=True)
    errors = RowErrorSerializer(many=True)
    new_departments = NewDepartmentSerializer(many=True)
    new_sites = serializers.ListField(child=serializers.CharField())


def _plan_data(plan: roster.RosterPlan, *, applied: bool, detail: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {
        "ok": plan.ok,
        "applied": applied,
        "fingerprint": plan.fingerprint,
        "summary": plan.describe(),
        "counts": dict(plan.counts),
        "items": [
            {
                "line": item.row.line,
                "hr_reference": item.row.hr_reference,
                "kind": item.kind,
                "employee": item.employee_id,
                "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in item.changes],
            }
            for item in plan.items
        ],
        "errors": [
            {"line": e.line, "hr_reference": e.hr_reference, "reason": e.reason}
            for e in plan.errors
        ],
        "new_departments": [
            {"site": site, "department": name} for site, name in plan.new_departments
        ],
        "new_sites": list(plan.new_sites),
    }
    if detail:
        data["detail"] = detail
    return data


def _parsed(request: Request) -> tuple[roster.ParsedRoster, bool]:
    """The body's rows read by the roster's own rules (the same messages as a file's
    cells), numbered from 1 in the order sent."""
    body = request.data
    if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
        raise exceptions.ValidationError({"rows": [str(ROWS_MESSAGE)]})
    rows = body["rows"]
    if not all(isinstance(row, dict) for row in rows):
        raise exceptions.ValidationError({"rows": [str(ROWS_MESSAGE)]})
    create = body.get("create_missing_departments", False)
    if not isinstance(create, bool):
        raise exceptions.ValidationError({"create_missing_departments": ["Send true or false."]})
    parsed = roster.parse_rows(enumerate(rows, start=1))
    if not rows:
        parsed = roster.ParsedRoster(
            rows=(), errors=(roster.RowError(0, "", str(roster.NO_ROWS_MESSAGE)),)
        )
    return parsed, create


class RosterPreview(ApiView):
    """What the rows would change: joiners, changed, moved department, leavers, unchanged,
    and every row with an error and why. Writes nothing."""

    serializer_class = RosterPlanSerializer

    @extend_schema(
        request=RosterRequestSerializer,
        responses={200: RosterPlanSerializer, 422: RosterPlanSerializer},
    )
    def post(self, request: Request) -> Response:
        permissions.require_admin(request.user)
        parsed, create = _parsed(request)
        plan = roster.roster_plan(
            rows=parsed.rows, errors=parsed.errors, create_missing_departments=create
        )
        return Response(
            _plan_data(plan, applied=False),
            status=status.HTTP_200_OK if plan.ok else status.HTTP_422_UNPROCESSABLE_ENTITY,
        )


class RosterApply(ApiView):
    """Apply the rows, all or none, if they still make the plan that was previewed (its
    `fingerprint`); one audit event records who applied it and the counts."""

    serializer_class = RosterPlanSerializer

    @extend_schema(
        request=RosterApplySerializer,
        responses={
            200: RosterPlanSerializer,
            409: RosterPlanSerializer,
            422: RosterPlanSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        permissions.require_admin(request.user)
        parsed, create = _parsed(request)
        fingerprint = request.data.get("fingerprint")
        if not isinstance(fingerprint, str) or not fingerprint:
            raise exceptions.ValidationError({"fingerprint": [str(FINGERPRINT_MESSAGE)]})
        try:
            plan = roster.roster_apply(
                rows=parsed.rows,
                errors=parsed.errors,
                user=request.user,
                create_missing_departments=create,
                confirmed=fingerprint,
            )
        except roster.RosterRefused as refused:
            return Response(
                _plan_data(refused.plan, applied=False, detail=refused.message),
                status=(
                    status.HTTP_409_CONFLICT
                    if refused.plan.ok
                    else status.HTTP_422_UNPROCESSABLE_ENTITY
                ),
            )
        return Response(_plan_data(plan, applied=True))
