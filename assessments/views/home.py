"""The start page (what this person needs to do next) and the dashboard."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from assessments import permissions
from assessments.actions.models import overdue_q
from assessments.core import charts
from assessments.insights import figures, tallies
from assessments.records.models import Assessment
from assessments.scoring.recommendations import CLINICAL_URGENCY
from assessments.scoring.worker import Urgency
from assessments.selfassess import services as selfassess_services
from assessments.views import dashboard_tables

HOME_LIST_LIMIT = 20
#: Action codes whose referral is an emergency (due the same day).
EMERGENCY_ACTION_CODES = tuple(
    code for code, urgency in CLINICAL_URGENCY.items() if urgency is Urgency.EMERGENCY
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require_app_user(user)
    today = timezone.localdate()
    context: dict[str, object] = {"today": today, "high_query": figures.HIGH_QUERY}
    due = (
        permissions.visible_assessments(user)
        .filter(figures.reassess_due_q(today))
        .annotate(reassess_overdue=figures.flag(figures.reassess_overdue_q(today)))
        .select_related("employee__department")
        .defer("inputs", "results")
        .order_by("reassess_due", "pk")
    )
    if permissions.can_assess(user):
        context["drafts"] = (
            Assessment.objects.filter(assessor=user, status=Assessment.Status.DRAFT)
            .select_related("employee__department")
            .order_by("-updated_at")[:HOME_LIST_LIMIT]
        )
        # An assessor owns the follow-up of the assessments they made.
        context["reassess_due"] = due.filter(assessor=user)[:HOME_LIST_LIMIT]
        # Emergency clinical actions of their assessments stay here as an alert until closed.
        context["emergencies"] = list(
            permissions.visible_actions(user)
            .filter(
                figures.open_actions_q(),
                code__in=EMERGENCY_ACTION_CODES,
                assessment__assessor=user,
            )
            .select_related("assessment__employee")
            .defer("assessment__inputs", "assessment__results")
            .order_by("due_on", "pk")[:HOME_LIST_LIMIT]
        )
    if permissions.can_triage(user):
        # Red-flag answers in self-assessments stay here until an assessor acknowledges them.
        context["selfassess_alerts"] = list(selfassess_services.open_alerts()[:HOME_LIST_LIMIT])
    if permissions.is_manager(user) and not permissions.sees_everything(user):
        departments = list(permissions.visible_departments(user))
        tallies.ensure_counted(d.pk for d in departments)
        # The dashboard's figures of each department, in a manager's view.
        context["departments"] = figures.department_figures(
            departments, managers_view=True, today=today
        )
        # A manager owns the reassessments of their departments.
        context["reassess_due"] = due[:HOME_LIST_LIMIT]
    mine = (
        permissions.visible_actions(user)
        .filter(figures.open_actions_q(), owner=user)
        .defer("assessment__inputs", "assessment__results")
    )
    late = overdue_q(today)
    context["my_overdue"] = (
        mine.filter(late)
        .select_related("assessment__employee")
        .order_by("due_on", "pk")[:HOME_LIST_LIMIT]
    )
    context["my_overdue_count"] = mine.filter(late).count()
    context["my_actions"] = (
        mine.exclude(late)
        .select_related("assessment__employee")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:HOME_LIST_LIMIT]
    )
    context["my_actions_url"] = reverse("action_list") + f"?owner={user.pk}"
    return render(request, "assessments/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Risk now, trend and follow-through for the departments this person may see."""
    user = request.user
    permissions.require_app_user(user)
    departments = list(permissions.visible_departments(user))
    sites = sorted({dep.site for dep in departments}, key=lambda s: s.name)
    site_id = _chosen(request.GET.get("site"), {s.pk for s in sites})
    department_id = _chosen(request.GET.get("department"), {d.pk for d in departments})
    actions = permissions.visible_actions(user)
    in_view = departments
    scope: dict[str, int] = {}
    if site_id is not None:
        scope["site"] = site_id
        in_view = [d for d in in_view if d.site_id == site_id]
        actions = actions.filter(assessment__employee__department__site_id=site_id)
    if department_id is not None:
        scope["department"] = department_id
        in_view = [d for d in in_view if d.pk == department_id]
        actions = actions.filter(assessment__employee__department_id=department_id)
    tallies.ensure_counted(d.pk for d in in_view)
    data = figures.build(
        departments=in_view,
        managers_view=not permissions.sees_everything(user),
        actions=actions,
        today=timezone.localdate(),
    )
    scope_query = urlencode(scope)
    bands = [
        (band, charts.BAND_LABELS[band])
        for band in figures.BANDS
        if band != charts.NOT_ASSESSABLE
        or data.band_counts.get(band)
        or any(q.bands.get(band) for q in data.quarters)
    ]
    codes = [band for band, _label in bands]
    list_url = reverse("assessment_list")
    band_links = {
        band: f"{list_url}?latest=true&band={band}" + (f"&{scope_query}" if scope_query else "")
        for band in figures.BANDS
    }
    return render(
        request,
        "assessments/dashboard.html",
        {
            "d": data,
            # Self-assessments are OH's work: their figures are shown to OH only.
            "selfassess": (
                figures.self_assessment_figures(in_view) if permissions.can_triage(user) else None
            ),
            "band_chart": charts.band_distribution(data.band_counts, links=band_links),
            "quarter_chart": (
                charts.stacked_quarters([(q.label, q.bands, q.median) for q in data.quarters])
                if data.quarters
                else ""
            ),
            "departments": departments,
            "sites": sites,
            "site_id": site_id,
            "department_id": department_id,
            "scope_query": scope_query,
            "bands": bands,
            "department_rows": dashboard_tables.place_rows(
                data.by_department,
                codes,
                list_url=list_url,
                key="department",
                high_query=figures.HIGH_QUERY,
            ),
            "site_rows": dashboard_tables.place_rows(
                data.by_site,
                codes,
                list_url=list_url,
                key="site",
                high_query=figures.HIGH_QUERY,
                also=f"&department={department_id}" if department_id else "",
            ),
            "quarter_rows": dashboard_tables.quarter_rows(
                data.quarters, codes, list_url=list_url, scope=scope_query
            ),
            "statuses": figures.IN_FORCE_STATUSES,
            "high_query": figures.HIGH_QUERY,
            "rosa_level": figures.ROSA_ACTION_LEVEL,
            "window_days": figures.REASSESS_WINDOW_DAYS,
        },
    )


def _chosen(raw: str | None, allowed: set[int]) -> int | None:
    """A site or department id from the query string, if it is one this person may see."""
    if raw and raw.isdigit() and int(raw) in allowed:
        return int(raw)
    return None
