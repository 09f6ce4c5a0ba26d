"""List filters (django-filter), scoped to what the person may see."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import permissions
from assessments.models import Action, Assessment, Department, Employee, Site


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
        return queryset.filter(assessments__is_latest=True, assessments__band=value)


class AssessmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Employee"))
    site = django_filters.ModelChoiceFilter(
        field_name="employee__department__site", queryset=_sites, label=_("Site")
    )
    department = django_filters.ModelChoiceFilter(
        field_name="employee__department", queryset=_departments, label=_("Department")
    )
    band = django_filters.ChoiceFilter(choices=Assessment.Band.choices, label=_("Band"))
    status = django_filters.ChoiceFilter(choices=Assessment.Status.choices)
    latest = django_filters.BooleanFilter(field_name="is_latest", label=_("Current only"))
    assessed_after = django_filters.DateFilter(
        field_name="assessed_on", lookup_expr="gte", label=_("Assessed from")
    )
    assessed_before = django_filters.DateFilter(
        field_name="assessed_on", lookup_expr="lte", label=_("Assessed to")
    )
    reassess_overdue = django_filters.BooleanFilter(
        method="by_reassess_overdue", label=_("Reassessment overdue")
    )

    class Meta:
        model = Assessment
        fields = ["q", "site", "department", "band", "status", "latest"]

    def search(self, queryset: QuerySet[Assessment], name: str, value: str) -> QuerySet[Assessment]:
        return queryset.filter(
            Q(employee__name__icontains=value) | Q(employee__hr_reference__icontains=value)
        )

    def by_reassess_overdue(
        self, queryset: QuerySet[Assessment], name: str, value: bool | None
    ) -> QuerySet[Assessment]:
        if value is None:
            return queryset
        overdue = Q(is_latest=True, reassess_due__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ActionFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        field_name="assessment__employee__department", queryset=_departments, label=_("Department")
    )
    site = django_filters.ModelChoiceFilter(
        field_name="assessment__employee__department__site", queryset=_sites, label=_("Site")
    )
    status = django_filters.MultipleChoiceFilter(choices=Action.Status.choices)
    priority = django_filters.ChoiceFilter(choices=Action.Priority.choices)
    category = django_filters.ChoiceFilter(choices=Action.Category.choices)
    code = django_filters.CharFilter(label=_("Recommendation code"))
    owner = django_filters.CharFilter(
        field_name="owner__username", lookup_expr="iexact", label=_("Owner (username)")
    )
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Overdue"))

    class Meta:
        model = Action
        fields = ["department", "site", "status", "priority", "category", "code", "owner"]

    def by_overdue(
        self, queryset: QuerySet[Action], name: str, value: bool | None
    ) -> QuerySet[Action]:
        if value is None:
            return queryset
        overdue = Q(
            status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
            due_on__lt=timezone.localdate(),
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
