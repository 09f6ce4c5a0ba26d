"""The report-pack panel shown on the department report page."""

from __future__ import annotations

from typing import Any

from django import template

from assessments import permissions
from assessments.reporting import selectors
from assessments.reporting.forms import ReportPackForm
from assessments.reporting.models import Job

register = template.Library()


@register.inclusion_tag("assessments/_pack_panel.html", takes_context=True)
def pack_panel(context: template.Context, form: ReportPackForm | None = None) -> dict[str, Any]:
    user = context["request"].user
    if form is None:
        form = ReportPackForm(departments=permissions.visible_departments(user))
    recent = (
        selectors.visible_jobs(user)
        .filter(requested_by=user, kind=Job.Kind.PACK)
        .select_related("department")[:5]
    )
    return {"pack_form": form, "recent_jobs": list(recent), "csrf_token": context.get("csrf_token")}
