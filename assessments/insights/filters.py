"""List filters (django-filter), scoped to what the person may see."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import permissions
from assessments.actions.models import Action, overdue_q
from assessments.core.forms import PersonLabels
from assessments.insights import figures
from assessments.people.models import Department, Employee, Site
from assessments.records.models import Assessment, unsuperseded_q


def any_of[M: Model](queryset: QuerySet[M], name: str, value: list[str]) -> QuerySet[M]:
    """Rows whose column `name` holds any of the chosen values, as one `IN`: the indexes
    answer it as a condition (django-filter's OR of equalities is only a filter to
    PostgreSQL), and without DISTINCT (django-filter's default for several choices, which
    made the count and the page sort every match; a column of the row repeats no row)."""
    return queryset.filter(**{f"{name}__in": value})


def _departments(request: Any) -> QuerySet[Department]:
    if request is None:
        return Department.objects.none()
    return permissions.visible_departments(request.user)


def _sites(request: Any) -> QuerySet[Site]:
    if request is None:
        return Site.objects.none()
    return Site.objects.filter(departments__in=_departments(request)).distinct()


class EmployeeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    site = django_filters.ModelChoiceFilter(
        field_name="department__site", queryset=_sites, label=_("Site")
    )
    department = django_filters.ModelChoiceFilter(queryset=_departments, label=_("Department"))
    band = django_filters.ChoiceFilter(
        method="by_band", choices=Assessment.Band.choices, label=_("Current band")
    )
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Employee
        fields = ["q", "site", "department", "work_type", "active"]

    def search(self, queryset: QuerySet[Employee], name: str, value: str) -> QuerySet[Employee]:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(hr_reference__icontains=value)
            | Q(job_title__icontains=value)
        )

    def by_band(self, queryset: QuerySet[Employee], name: str, value: str) -> QuerySet[Employee]:
        """Employees whose current assessment, as the viewer may see it, is in this band."""
        user = self.request.user if self.request is not None else None
        seen = permissions.visible_assessments(user).filter(is_latest=True, band=value)
        return queryset.filter(pk__in=seen.values("employee_id"))


def _owners(request: Any) -> QuerySet[Any]:
    """People who own an action the requester may see."""
    if request is None:
        return get_user_model().objects.none()
    # One look-up in the (owner, status) index per person, rather than every action's owner.
    owns = permissions.visible_actions(request.user).filter(owner=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(Exists(owns))
        .order_by("first_name", "last_name", "username")
    )


def _action_employees(request: Any) -> QuerySet[Employee]:
    """People with an action the requester may see (shown as "name (HR reference)")."""
    if request is None:
        return Employee.objects.none()
    return Employee.objects.filter(
        pk__in=permissions.visible_actions(request.user).values("assessment__employee_id")
    )


class _PersonChoiceField(PersonLabels, django_filters.fields.ModelChoiceField):
    pass


class OwnerChoiceFilter(django_filters.ModelChoiceFilter):
    """Choose a person by name (the list shows names, not usernames)."""

    field_class = _PersonChoiceField


class AssessmentFilter(django_filters.FilterSet):
    """The assessment list; the dashboard links here with the same definitions it counts by."""

    q = django_filters.CharFilter(method="search", label=_("Employee"))
    site = django_filters.ModelChoiceFilter(
        field_name="employee__department__site", queryset=_sites, label=_("Site")
    )
    department = django_filters.ModelChoiceFilter(
        field_name="employee__department", queryset=_departments, label=_("Department")
    )
    band = django_filters.MultipleChoiceFilter(
        choices=Assessment.Band.choices, label=_("Band"), method=any_of
    )
    status = django_filters.ChoiceFilter(choices=Assessment.Status.choices)
    latest = django_filters.BooleanFilter(method="by_current", label=_("Current only"))
    revision = django_filters.ChoiceFilter(
        method="by_revision",
        choices=[("current", _("Not replaced by an amendment"))],
        label=_("Revision"),
    )
    assessed_after = django_filters.DateFilter(
        field_name="assessed_on", lookup_expr="gte", label=_("Assessed from")
    )
    assessed_before = django_filters.DateFilter(
        field_name="assessed_on", lookup_expr="lte", label=_("Assessed to")
    )
    reassess = django_filters.ChoiceFilter(
        method="by_reassess",
        choices=[
            ("overdue", _("Overdue")),
            ("soon", _("Due in the next 30 days")),
        ],
        label=_("Reassessment"),
    )
    rosa_section = django_filters.ChoiceFilter(
        method="by_rosa_section",
        choices=[(key, label) for key, (_column, label) in figures.ROSA_SECTIONS.items()],
        label=_("ROSA section at action level"),
    )
    limiting = django_filters.ChoiceFilter(
        method="by_limiting",
        choices=list(figures.FACTOR_NAMES.items()),
        label=_("Lifting above LI 1, limited by"),
    )
    change = django_filters.ChoiceFilter(
        method="by_change",
        choices=[
            ("any", _("Re-assessed")),
            ("improved", _("Improved")),
            ("worse", _("Worse")),
            ("unchanged", _("Unchanged")),
        ],
        label=_("Since the previous assessment"),
    )
    actions_closed = django_filters.BooleanFilter(
        method="by_actions_closed", label=_("Every action closed")
    )

    class Meta:
        model = Assessment
        fields = ["q", "site", "department", "band", "status", "latest"]

    def search(self, queryset: QuerySet[Assessment], name: str, value: str) -> QuerySet[Assessment]:
        return queryset.filter(
            Q(employee__name__icontains=value) | Q(employee__hr_reference__icontains=value)
        )

    def by_current(
        self, queryset: QuerySet[Assessment], name: str, value: bool | None
    ) -> QuerySet[Assessment]:
        if value is None:
            return queryset
        current = figures.current_q()
        return queryset.filter(current) if value else queryset.exclude(current)

    def by_revision(
        self, queryset: QuerySet[Assessment], name: str, value: str
    ) -> QuerySet[Assessment]:
        return queryset.filter(unsuperseded_q()) if value == "current" else queryset

    def by_reassess(
        self, queryset: QuerySet[Assessment], name: str, value: str
    ) -> QuerySet[Assessment]:
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(figures.reassess_overdue_q(today))
        if value == "soon":
            return queryset.filter(figures.reassess_soon_q(today))
        return queryset

    def by_rosa_section(
        self, queryset: QuerySet[Assessment], name: str, value: str
    ) -> QuerySet[Assessment]:
        return queryset.filter(figures.rosa_section_q(value))

    def by_limiting(
        self, queryset: QuerySet[Assessment], name: str, value: str
    ) -> QuerySet[Assessment]:
        return queryset.filter(figures.limiting_q(value))

    def by_change(
        self, queryset: QuerySet[Assessment], name: str, value: str
    ) -> QuerySet[Assessment]:
        if value == "any":
            return queryset.filter(figures.reassessed_q())
        return queryset.filter(figures.change_q(value))

    def by_actions_closed(
        self, queryset: QuerySet[Assessment], name: str, value: bool | None
    ) -> QuerySet[Assessment]:
        if value is None:
            return queryset
        closed = figures.all_actions_closed_q(permissions.visible_actions(self.request.user))
        return queryset.filter(closed) if value else queryset.exclude(closed)


class ActionFilter(django_filters.FilterSet):
    """The action list and board; the dashboard links here with the same definitions."""

    q = django_filters.CharFilter(method="search", label=_("Employee name or HR reference"))
    # Chosen by a link (the employee's page, a row of the list), never from a list of every
    # person: at tens of thousands of people a select would be the page. The search box
    # finds people by name or HR reference.
    employee = django_filters.ModelChoiceFilter(
        field_name="assessment__employee",
        queryset=_action_employees,
        label=_("Employee"),
        widget=forms.HiddenInput,
    )
    department = django_filters.ModelChoiceFilter(
        field_name="assessment__employee__department", queryset=_departments, label=_("Department")
    )
    site = django_filters.ModelChoiceFilter(
        field_name="assessment__employee__department__site", queryset=_sites, label=_("Site")
    )
    status = django_filters.MultipleChoiceFilter(choices=Action.Status.choices, method=any_of)
    priority = django_filters.ChoiceFilter(choices=Action.Priority.choices)
    category = django_filters.ChoiceFilter(choices=Action.Category.choices)
    owner = OwnerChoiceFilter(queryset=_owners, label=_("Owner"))
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Overdue"))
    current = django_filters.BooleanFilter(method="by_current", label=_("From current assessments"))
    revision = django_filters.ChoiceFilter(
        method="by_revision",
        choices=[("current", _("Not replaced by an amendment"))],
        label=_("Revision"),
    )
    code = django_filters.CharFilter(label=_("Recommendation code"))

    class Meta:
        model = Action
        fields = ["department", "site", "status", "priority", "category", "owner", "code"]

    def search(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        return queryset.filter(
            Q(assessment__employee__name__icontains=value)
            | Q(assessment__employee__hr_reference__icontains=value)
        )

    def by_overdue(
        self, queryset: QuerySet[Action], name: str, value: bool | None
    ) -> QuerySet[Action]:
        if value is None:
            return queryset
        overdue = overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def by_current(
        self, queryset: QuerySet[Action], name: str, value: bool | None
    ) -> QuerySet[Action]:
        if value is None:
            return queryset
        current = figures.action_current_q()
        return queryset.filter(current) if value else queryset.exclude(current)

    def by_revision(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        return queryset.filter(figures.in_force_q()) if value == "current" else queryset
