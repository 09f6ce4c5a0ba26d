"""OH's pages of the self-assessment loop: invite, the triage queue, one self-assessment
(answers, self-reported scores, what triggered its place), sign-off, a question, a visit,
red-flag alerts, and events on an employee."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.records import snapshot
from assessments.selfassess import consent as consent_services
from assessments.selfassess import mapping, questions, services
from assessments.selfassess.forms import EventForm, InviteForm, QuestionForm, SignOffForm
from assessments.selfassess.models import Invitation
from assessments.selfassess.services import SelfAssessmentError
from assessments.selfassess.triage import red_flag_questions, triage
from assessments.views.selfassess_link import _shown

QUEUE_LIMIT = 200


@login_required
def selfassess_queue(request: HttpRequest) -> HttpResponse:
    permissions.require_triage(request.user)
    waiting = services.triage_queue()
    queue = list(waiting[:QUEUE_LIMIT])
    for invitation in queue:
        invitation.triage = triage(
            invitation.results, questions.positive_red_flags(invitation.answers)
        )
    return render(
        request,
        "assessments/selfassess_queue.html",
        {
            "queue": queue,
            "backlog": waiting.count(),
            "alerts": list(services.open_alerts()),
            "paper": list(services.paper_route()[:QUEUE_LIMIT]),
            "consent_in_person": list(consent_services.waiting_in_person()[:QUEUE_LIMIT]),
            "reviews": list(services.reviews_open()[:QUEUE_LIMIT]),
            "waiting": Invitation.objects.filter(
                status__in=Invitation.OPEN_FOR_ANSWERS, expires_at__gt=timezone.now()
            ).count(),
        },
    )


@login_required
def selfassess_invite(request: HttpRequest) -> HttpResponse:
    permissions.require_triage(request.user)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unknown: list[str] = []
        if data["who"] == "employee":
            employees = [data["employee"]]
        elif data["who"] == "department":
            employees = list(
                data["department"].employees.filter(active=True, anonymised_at__isnull=True)
            )
        else:
            employees, unknown = services.employees_from_references(data["references"])
        summary = services.invite_many(employees=employees, user=request.user, unknown=unknown)
        messages.success(request, summary.describe())
        return redirect("selfassess_queue")
    return render(
        request,
        "assessments/selfassess_invite.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def _detail(
    request: HttpRequest,
    invitation: Invitation,
    *,
    sign_off: SignOffForm | None = None,
    ask: QuestionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    results = snapshot.read_results(invitation.results) if invitation.results else None
    flags = questions.positive_red_flags(invitation.answers)
    choices = [(r.code, r.title) for r in results.recommendations] if results else []
    answers = [
        (
            screen,
            [
                (q.label, _shown(q, invitation.answers.get(screen.key, {}).get(q.name)))
                for q in screen.questions
            ],
        )
        for screen in questions.screens_for(invitation.answers)
    ]
    return render(
        request,
        "assessments/selfassess_detail.html",
        {
            "invitation": invitation,
            "results": results,
            "triage": triage(invitation.results, flags),
            "red_flags": red_flag_questions(flags),
            "checklist": mapping.checklist_problems(invitation.answers),
            "answers": answers,
            "alerts": invitation.alerts.select_related("acknowledged_by"),
            "waiting": invitation.status in Invitation.WAITING_FOR_OH,
            "sign_off": sign_off or SignOffForm(choices=choices),
            "ask": ask or QuestionForm(),
            "error": error,
        },
        status=status,
    )


@login_required
def selfassess_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = permissions.invitation_for_triage(request.user, pk)
    return _detail(request, invitation)


@login_required
@require_POST
def selfassess_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = permissions.invitation_for_triage(request.user, pk)
    results = snapshot.read_results(invitation.results) if invitation.results else None
    choices = [(r.code, r.title) for r in results.recommendations] if results else []
    form = SignOffForm(request.POST, choices=choices)
    if not form.is_valid():
        return _detail(request, invitation, sign_off=form, status=422)
    try:
        assessment = services.sign_off(
            invitation=invitation,
            user=request.user,
            advice=form.cleaned_data["advice"],
            action_codes=form.cleaned_data["actions"],
        )
    except SelfAssessmentError as error:
        return _detail(request, invitation, sign_off=form, error=str(error), status=409)
    messages.success(request, "Signed off. The assessment and its actions are recorded.")
    if warning := consent_services.link_not_sent_warning(assessment):
        messages.warning(request, warning)
    return redirect(assessment.get_absolute_url())


@login_required
@require_POST
def selfassess_ask(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = permissions.invitation_for_triage(request.user, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _detail(request, invitation, ask=form, status=422)
    try:
        services.question_ask(
            invitation=invitation, user=request.user, question=form.cleaned_data["question"]
        )
    except SelfAssessmentError as error:
        return _detail(request, invitation, ask=form, error=str(error), status=409)
    messages.success(request, "Question sent to the employee.")
    return redirect(invitation.get_absolute_url())


@login_required
@require_POST
def selfassess_visit(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = permissions.invitation_for_triage(request.user, pk)
    permissions.require_assessor(request.user)
    try:
        draft = services.visit_book(invitation=invitation, user=request.user)
    except SelfAssessmentError as error:
        return _detail(request, invitation, error=str(error), status=409)
    messages.info(
        request,
        "A draft assessment was opened, pre-filled from the self-assessment: confirm each "
        "pre-filled field on the visit.",
    )
    return redirect(draft.get_absolute_url())


@login_required
@require_POST
def selfassess_alert_ack(request: HttpRequest, pk: int) -> HttpResponse:
    alert = permissions.alert_for_triage(request.user, pk)
    services.alert_acknowledge(alert=alert, user=request.user)
    messages.success(request, "Alert acknowledged.")
    return redirect(alert.invitation.get_absolute_url())


@login_required
def employee_event(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an event on an employee: by its rule, an invitation or an assessor review."""
    employee = permissions.employee_for(request.user, pk)
    permissions.require_triage(request.user)
    permissions.require_not_erased(employee)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.event_record(
            employee=employee,
            kind=form.cleaned_data["kind"],
            occurred_on=form.cleaned_data["occurred_on"],
            user=request.user,
        )
        messages.success(
            request,
            f"{event.get_kind_display()} recorded: {event.get_outcome_display().lower()}.",
        )
        return redirect("selfassess_queue")
    return render(
        request,
        "assessments/selfassess_event.html",
        {"form": form, "employee": employee},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def selfassess_review_done(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.event_for_triage(request.user, pk)
    services.event_reviewed(event=event)
    return redirect("selfassess_queue")
