"""The employee's consent page, reached through their signed link (no account): what their
manager would see, their own OH advice, and the buttons to consent, object or withdraw.
And OH's consent panel on the assessment page: send the link, record a decision given in
person. A bad link gets a plain page with a 4xx status, never a 500."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import permissions
from assessments.core import health
from assessments.reporting.context import manager_context
from assessments.selfassess import consent as consent_services
from assessments.selfassess.forms import ConsentRecordForm
from assessments.selfassess.links import LinkProblem
from assessments.selfassess.models import Consent, Invitation
from assessments.views.selfassess_link import problem_page

ALREADY_ANSWERED = gettext_lazy(
    "You told us on %(date)s that your manager should not see this assessment, and that "
    "is what they see: only the changes to your workplace they are asked to make. If you "
    "have changed your mind, contact occupational health."
)


def preview_context(consent: Consent) -> dict[str, Any]:
    """What the employee's manager would see (the manager report's content, from the same
    context), and the employee's own advice from OH (for them only)."""
    assessment = consent.assessment
    manager = manager_context(assessment)
    # What to do, not the health values behind it: a link page can be forwarded, and OH
    # talks the reasons through with the employee.
    personal = [
        {"title": a.title, "detail": a.detail}
        for a in assessment.actions.exclude(health.action_visible_q()).order_by("pk")
    ]
    signed_off = Invitation.objects.filter(assessment=assessment).exclude(advice="").first()
    return {
        "consent": consent,
        "assessment": assessment,
        "manager": manager,
        "personal_advice": personal,
        "oh_advice": signed_off.advice if signed_off else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def consent_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        consent = consent_services.consent_for_link(token)
    except LinkProblem as problem:
        return problem_page(request, problem)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            consent_services.consent_decide(consent=consent, status=decision)
        except (consent_services.ConsentError, ValueError):
            status = 409
        else:
            return render(
                request, "assessments/consent_thanks.html", {"consent": consent}, status=200
            )
    else:
        status = 200
    if consent.status in (Consent.Status.REFUSED, Consent.Status.WITHDRAWN):
        date = f"{consent.decided_at:%d %B %Y}" if consent.decided_at else ""
        return problem_page(
            request,
            LinkProblem(
                409 if status == 409 else 410,
                _("Already answered"),
                ALREADY_ANSWERED % {"date": date},
            ),
        )
    return render(request, "assessments/consent_link.html", preview_context(consent), status=status)


# --- OH's panel on the assessment page -----------------------------------------------------


def panel_context(consent: Consent | None) -> dict[str, Any]:
    """The consent panel of an assessment page (OH and admins only)."""
    return {
        "consent": consent,
        "consent_events": list(consent.events.select_related("by")) if consent else [],
        "consent_form": ConsentRecordForm(),
    }


@login_required
@require_POST
def consent_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for consent (a pending consent if there is none) and email the employee a fresh
    link; without an email address, say so: record the decision in person."""
    assessment = permissions.assessment_for_consent(request.user, pk)
    consent = consent_services.consent_request(assessment=assessment, user=request.user, send=False)
    try:
        consent_services.consent_link_send(consent=consent, user=request.user)
    except consent_services.ConsentError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Consent link emailed to %(name)s.") % {"name": consent.assessment.employee.name},
        )
    return redirect(consent.assessment)


@login_required
@require_POST
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a decision the employee gave in person, with a note."""
    assessment = permissions.assessment_for_consent(request.user, pk)
    consent = consent_services.consent_request(assessment=assessment, user=request.user, send=False)
    form = ConsentRecordForm(request.POST)
    if form.is_valid():
        try:
            consent_services.consent_decide(
                consent=consent,
                status=form.cleaned_data["status"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except consent_services.ConsentError as refused:
            messages.error(request, str(refused))
            return redirect(consent.assessment)
        messages.success(request, _("Decision recorded."))
        return redirect(consent.assessment)
    return render(
        request,
        "assessments/consent_record.html",
        {**panel_context(consent), "consent_form": form, "assessment": consent.assessment},
        status=422,
    )
