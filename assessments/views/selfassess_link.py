"""The employee's pages, reached through their signed link (no account): one question
screen at a time, answers saved on every screen, the red-flag advice at once, and the
reply to a question from OH. A bad link gets a plain page with a 4xx status."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from assessments.selfassess import advice, questions, services
from assessments.selfassess.forms import ReplyForm, ScreenForm
from assessments.selfassess.models import Invitation
from assessments.selfassess.services import LinkProblem

View = Callable[..., HttpResponse]


def problem_page(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    """The plain page of a link that cannot be used, with its 4xx status."""
    return render(
        request,
        "assessments/selfassess_link_problem.html",
        {"heading": problem.heading, "message": problem.message},
        status=problem.status,
    )


def link_view(*, answering: bool = True) -> Callable[[View], View]:
    """Open the invitation of the link in the URL, or answer with the link's problem."""

    def decorate(view: View) -> View:
        @wraps(view)
        @never_cache
        def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                invitation = services.invitation_for_link(token, answering=answering)
                return view(request, invitation, token, *args, **kwargs)
            except LinkProblem as problem:
                return problem_page(request, problem)

        return wrapper

    return decorate


def _progress(invitation: Invitation, screen: questions.Screen | None) -> dict[str, Any]:
    screens = questions.screens_for(invitation.answers)
    done = sum(1 for s in screens if s.key in invitation.answers)
    number = screens.index(screen) + 1 if screen in screens else len(screens)
    return {
        "screens": screens,
        "step": number,
        "total": len(screens),
        "done": done,
        "percent": round(100 * done / len(screens)),
    }


@link_view(answering=False)
def selfassess_link(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    """Start or resume: the first screen not yet answered, or the page to send; with a
    question from OH waiting, the question and a box to answer it."""
    if invitation.status == Invitation.Status.QUESTION:
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.reply_save(invitation=invitation, reply=form.cleaned_data["reply"])
            return render(request, "assessments/selfassess_thanks.html", {"replied": True})
        return render(
            request,
            "assessments/selfassess_question.html",
            {"invitation": invitation, "form": form},
        )
    if invitation.status not in Invitation.OPEN_FOR_ANSWERS:
        return problem_page(request, LinkProblem(410, "Already sent", services.LINK_USED))
    missing = services.missing_screens(invitation)
    if missing:
        return redirect("selfassess_screen", token=token, screen=missing[0].key)
    return redirect("selfassess_send", token=token)


@link_view()
def selfassess_screen(
    request: HttpRequest, invitation: Invitation, token: str, screen: str
) -> HttpResponse:
    current = questions.BY_KEY.get(screen)
    if current is None or current not in questions.screens_for(invitation.answers):
        raise Http404
    age = invitation.answers.get("about", {}).get("age_years")
    form = ScreenForm(
        request.POST or None,
        screen=current,
        age=age,
        initial=invitation.answers.get(screen, {}),
    )
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        flags = services.answers_save(invitation=invitation, screen=screen, answers=answers)
        if screen == "red_flags" and flags:
            return redirect("selfassess_advice", token=token)
        missing = services.missing_screens(invitation)
        screens = questions.screens_for(invitation.answers)
        later = [s for s in missing if screens.index(s) > screens.index(current)]
        following = later or missing
        if following:
            return redirect("selfassess_screen", token=token, screen=following[0].key)
        return redirect("selfassess_send", token=token)
    screens = questions.screens_for(invitation.answers)
    position = screens.index(current)
    return render(
        request,
        "assessments/selfassess_screen.html",
        {
            "form": form,
            "screen": current,
            "token": token,
            "previous": screens[position - 1] if position else None,
            **_progress(invitation, current),
        },
        status=422 if request.method == "POST" else 200,
    )


@link_view()
def selfassess_advice(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    flags = questions.positive_red_flags(invitation.answers)
    emergency = questions.is_emergency(flags)
    return render(
        request,
        "assessments/selfassess_advice.html",
        {
            "token": token,
            "emergency": emergency,
            "heading": advice.EMERGENCY_HEADING if emergency else advice.URGENT_HEADING,
            "advice": advice.EMERGENCY_ADVICE if emergency else advice.URGENT_ADVICE,
            "oh_told": advice.OH_TOLD,
            "flags": [questions.RED_FLAG_QUESTIONS[name] for name in flags],
        },
    )


@link_view()
def selfassess_send(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    """Check and send: every screen with its answers, and the button that sends them."""
    missing = services.missing_screens(invitation)
    if request.method == "POST" and not missing:
        services.invitation_return(invitation=invitation)
        flags = questions.positive_red_flags(invitation.answers)
        return render(
            request,
            "assessments/selfassess_thanks.html",
            {"flags": bool(flags), "emergency": questions.is_emergency(flags)},
        )
    screens = questions.screens_for(invitation.answers)
    summary = [
        (
            screen,
            [
                (q.label, _shown(q, invitation.answers.get(screen.key, {}).get(q.name)))
                for q in screen.questions
            ],
        )
        for screen in screens
    ]
    return render(
        request,
        "assessments/selfassess_send.html",
        {
            "token": token,
            "summary": summary,
            "missing": missing,
            **_progress(invitation, None),
        },
        status=422 if request.method == "POST" else 200,
    )


def _shown(question: questions.Question, value: Any) -> str:
    if value is None:
        return "—"
    for key, label in question.choices:
        if key == value:
            return str(label)
    return f"{value:g}" if isinstance(value, float) else str(value)
