"""The one place that decides who may see or change what.

Roles: assessors (group "Assessor", OH staff) and admins (staff or superusers) see every
record and all health detail. Managers (group "Manager") see only the departments they
manage, never health detail, and may update the status of actions there. What counts as
health detail is `assessments.core.health`'s allowlist; `audience` says whose view applies.

Semantics follow Django's AccessMixin: anonymous -> sign-in (handled by
`login_required`), an object outside your scope -> 404 so its existence does not leak,
visible but not yours to change -> 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import BooleanField, Case, Model, Q, QuerySet, Value, When
from django.http import Http404

from assessments.actions.models import Action
from assessments.core import health
from assessments.core.health import Audience
from assessments.people.models import Department, Employee
from assessments.records.models import Assessment, Photo
from assessments.selfassess.models import Alert, Consent, EmployeeEvent, Invitation

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

ASSESSOR_GROUP = "Assessor"
MANAGER_GROUP = "Manager"


def _groups(user: Any) -> set[str]:
    cached = getattr(user, "_ergo_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._ergo_groups = cached
    return cached


def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff))


def is_assessor(user: Any) -> bool:
    return bool(user.is_authenticated and ASSESSOR_GROUP in _groups(user))


def is_manager(user: Any) -> bool:
    return bool(user.is_authenticated and MANAGER_GROUP in _groups(user))


def sees_everything(user: Any) -> bool:
    """Assessors and admins see every record."""
    return is_admin(user) or is_assessor(user)


def can_see_health_detail(user: Any) -> bool:
    """BMI, pain history, psychosocial answers and red-flag detail: OH staff and admins only."""
    return sees_everything(user)


def audience(user: Any) -> Audience:
    """Whose view of health data this person gets: OH's, or a manager's (the allowlist)."""
    return Audience.OH if can_see_health_detail(user) else Audience.MANAGER


def can_assess(user: Any) -> bool:
    """Create, edit, complete and amend assessments."""
    return sees_everything(user)


def can_use_app(user: Any) -> bool:
    return sees_everything(user) or is_manager(user)


def require_app_user(user: Any) -> None:
    if not can_use_app(user):
        raise PermissionDenied


def require_assessor(user: Any) -> None:
    if not can_assess(user):
        raise PermissionDenied


def require_health_access(user: Any) -> None:
    if not can_see_health_detail(user):
        raise PermissionDenied


def require_admin(user: Any) -> None:
    """Data-protection tasks (export, erase, the audit trail) are for admins only."""
    if not is_admin(user):
        raise PermissionDenied


def managed_department_ids(user: Any) -> list[int]:
    cached = getattr(user, "_ergo_departments", None)
    if cached is None:
        cached = list(user.managed_departments.values_list("pk", flat=True))
        user._ergo_departments = cached
    return cached


def visible_departments(user: Any) -> QuerySet[Department]:
    qs = Department.objects.select_related("site")
    if sees_everything(user):
        return qs
    if is_manager(user):
        return qs.filter(pk__in=managed_department_ids(user))
    return qs.none()


def visible_employees(user: Any) -> QuerySet[Employee]:
    qs = Employee.objects.all()
    if sees_everything(user):
        return qs
    if is_manager(user):
        return qs.filter(department_id__in=managed_department_ids(user))
    return qs.none()


def consent_visible_q(prefix: str = "") -> Q:
    """An individual's assessment a line manager may see: the employee consented, or it was
    recorded before consent was asked (`Consent.SHARED`). Without a consent row, nothing:
    an allowlist (docs/consent.md). An erased employee's completed assessments are
    anonymous statistics, their consent erased with them: they count as before, and their
    reports answer "gone". `prefix` reaches the assessment through a relation
    (``"assessment__"`` from an action or a photo)."""
    return Q(**{f"{prefix}consent__status__in": list(Consent.SHARED)}) | Q(
        **{f"{prefix}employee__anonymised_at__isnull": False}
    )


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    """Assessors and admins: every assessment; managers: those of their departments that
    the employee lets them see (`consent_visible_q`)."""
    qs = Assessment.objects.all()
    if sees_everything(user):
        return qs
    if is_manager(user):
        return qs.filter(
            consent_visible_q(), employee__department_id__in=managed_department_ids(user)
        )
    return qs.none()


def with_assessment_withheld(user: Any, actions: QuerySet[Action]) -> QuerySet[Action]:
    """The actions annotated with `assessment_withheld`: True where a manager sees the
    workplace action but the employee has not let managers see the assessment that raised
    it (the pages then show `health.ASSESSMENT_NOT_SHARED` and nothing of the assessment)."""
    if sees_everything(user):
        return actions.annotate(assessment_withheld=Value(False, output_field=BooleanField()))
    return actions.annotate(
        assessment_withheld=Case(
            When(consent_visible_q("assessment__"), then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        )
    )


def assessment_withheld(user: Any, assessment: Assessment) -> bool:
    """`with_assessment_withheld` for one action's assessment: whether this person sees the
    workplace action but nothing of the assessment that raised it."""
    return not sees_everything(user) and not assessment_shared_with_managers(assessment)


def assessment_shared_with_managers(assessment: Assessment) -> bool:
    """Whether the employee lets a line manager see this assessment (for an action of it:
    without consent a manager sees the workplace action and nothing of the assessment)."""
    return Assessment.objects.filter(consent_visible_q(), pk=assessment.pk).exists()


def listed_assessments(user: Any) -> QuerySet[Assessment]:
    """The assessments a list or export shows: managers see completed ones only."""
    qs = visible_assessments(user)
    if not sees_everything(user):
        qs = qs.filter(status=Assessment.Status.COMPLETED)
    return qs


def visible_actions(user: Any) -> QuerySet[Action]:
    qs = Action.objects.all()
    if sees_everything(user):
        return qs
    if is_manager(user):
        return qs.filter(
            manager_actions_q(),
            assessment__employee__department_id__in=managed_department_ids(user),
        )
    return qs.none()


def manager_actions_q() -> Q:
    """The actions a line manager may see in their departments: those of completed
    assessments that the health rule lets through. The dashboard's manager figures count
    the same set (`insights.figures.managers_see_q`)."""
    return Q(assessment__status=Assessment.Status.COMPLETED) & health.action_visible_q()


def get_or_404[M: Model](qs: QuerySet[M], pk: Any) -> M:
    """The object with this primary key in the scoped queryset, else 404 (no leaks)."""
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def employee_for(user: Any, pk: Any) -> Employee:
    require_app_user(user)
    return get_or_404(visible_employees(user).select_related("department__site"), pk)


def assessment_for_view(user: Any, pk: Any) -> Assessment:
    """An assessment the user may look at (managers: completed ones in their departments)."""
    require_app_user(user)
    qs = visible_assessments(user).select_related("employee__department__site", "assessor")
    if not sees_everything(user):
        qs = qs.filter(status=Assessment.Status.COMPLETED)
    return get_or_404(qs, pk)


def assessment_for_edit(user: Any, pk: Any) -> Assessment:
    """A draft the user may change; completed assessments are read-only for everyone."""
    assessment = assessment_for_view(user, pk)
    require_assessor(user)
    if not assessment.is_draft:
        raise PermissionDenied("A completed assessment is read-only; amend it instead.")
    return assessment


def action_for_view(user: Any, pk: Any) -> Action:
    require_app_user(user)
    return get_or_404(
        visible_actions(user).select_related("assessment__employee__department", "owner"), pk
    )


def employee_for_admin(user: Any, pk: Any) -> Employee:
    """An employee for a data-protection task: 404 outside your scope, 403 if not an admin."""
    employee = employee_for(user, pk)
    require_admin(user)
    return employee


def can_start_retention(user: Any) -> bool:
    """A leaving date that makes someone due for anonymisation at once is an admin's call."""
    return is_admin(user)


def require_not_erased(employee: Employee) -> None:
    """An erased employee's record is closed: nothing is added to it or changed in it."""
    if employee.is_erased:
        raise PermissionDenied("This employee's records were erased.")


def can_update_action(user: Any, action: Action) -> bool:
    """Assessors/admins update any action; managers those in their departments (already scoped)."""
    return sees_everything(user) or is_manager(user)


def visible_photos(user: Any) -> QuerySet[Photo]:
    """Assessors and admins see every photo; managers the photos of the workplace of
    completed assessments in their departments that the employee lets them see, and the
    evidence of the workplace actions they see (those whatever the consent)."""
    qs = Photo.objects.all()
    if sees_everything(user):
        return qs
    if is_manager(user):
        return qs.filter(
            health.photo_visible_q(),
            consent_visible_q("assessment__") | Q(action__isnull=False),
            assessment__employee__department_id__in=managed_department_ids(user),
            assessment__status=Assessment.Status.COMPLETED,
        )
    return qs.none()


def photo_for_view(user: Any, pk: Any) -> Photo:
    require_app_user(user)
    return get_or_404(visible_photos(user).select_related("assessment__employee"), pk)


def can_download_report(user: Any, kind: str) -> bool:
    """Managers get the manager report of their departments; OH reports are for OH and admins."""
    if kind == "manager":
        return can_use_app(user)
    return can_see_health_detail(user)


def can_start_pack(user: Any) -> bool:
    """Report packs of the departments a person may see (`visible_departments`)."""
    return can_use_app(user)


def can_email_report(user: Any) -> bool:
    """Sending a manager report to the department's managers is OH staff's call."""
    return can_assess(user)


def can_triage(user: Any) -> bool:
    """Invite employees, read their self-assessments, triage and sign them off: OH staff
    and admins (the answers are health data)."""
    return can_see_health_detail(user)


def require_triage(user: Any) -> None:
    if not can_triage(user):
        raise PermissionDenied


def invitation_for_triage(user: Any, pk: Any) -> Invitation:
    require_triage(user)
    return get_or_404(
        Invitation.objects.select_related("employee__department", "checked_by", "assessment"), pk
    )


def assessment_for_consent(user: Any, pk: Any) -> Assessment:
    """A completed assessment whose consent OH may ask for or record: OH staff and admins
    only (a manager never handles the employee's consent)."""
    require_triage(user)
    assessment = get_or_404(
        Assessment.objects.filter(status=Assessment.Status.COMPLETED).select_related(
            "employee__department"
        ),
        pk,
    )
    require_not_erased(assessment.employee)
    return assessment


def alert_for_triage(user: Any, pk: Any) -> Alert:
    require_triage(user)
    return get_or_404(Alert.objects.select_related("invitation"), pk)


def event_for_triage(user: Any, pk: Any) -> EmployeeEvent:
    require_triage(user)
    return get_or_404(EmployeeEvent.objects.select_related("employee"), pk)
