"""Assessment pages: start, edit sections (with live results), complete, amend, reassess."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import permissions
from assessments.actions import carry_over
from assessments.actions import services as action_services
from assessments.actions.forms import ActionChoiceFormSet, completion_initial
from assessments.actions.models import Action
from assessments.core.errors import StaleEditError
from assessments.core.health import Audience, assessment_text_shown
from assessments.insights.filters import AssessmentFilter
from assessments.people import services as people_services
from assessments.records import evidence, photos, presenters, sections, services, snapshot
from assessments.records.forms import (
    PHOTO_UNREADABLE_MESSAGE,
    STALE_MESSAGE,
    AmendForm,
    CompleteForm,
    LiftingTaskForm,
    PhotoForm,
    WorkerForm,
)
from assessments.records.models import Assessment, LiftingTask
from assessments.reporting import tasks as reporting_tasks
from assessments.scoring import interchange
from assessments.selfassess import consent as consent_services
from assessments.selfassess import services as selfassess_services
from assessments.selfassess.models import Consent
from assessments.views import consent as consent_views
from assessments.views.pagination import paginate
from assessments.views.reports import report_links_context

#: Where its reports are (being prepared, or not queued) shows beside their links.
COMPLETED_MESSAGE = _("Assessment completed with {count} action(s).")
CARRIED_MESSAGE = _("Carried over from revision {revision}: {titles}.")
SUPERSEDED_MESSAGE = _("Closed as superseded (no longer recommended): {titles}.")


def _completed_message(completion: action_services.Completion) -> str:
    """What completing did: the actions created and, for an amendment, the open actions of
    the superseded revision carried over and closed."""
    moved = completion.carry_over
    parts = [str(COMPLETED_MESSAGE).format(count=len(completion.created) + len(moved.carried))]
    revision = completion.assessment.revision - 1
    if moved.carried:
        titles = "; ".join(action.title for action in moved.carried)
        parts.append(str(CARRIED_MESSAGE).format(revision=revision, titles=titles))
    if moved.closed:
        titles = "; ".join(action.title for action in moved.closed)
        parts.append(str(SUPERSEDED_MESSAGE).format(titles=titles))
    return " ".join(parts)


def _owners() -> Any:
    from django.contrib.auth import get_user_model

    groups = Group.objects.filter(name__in=[permissions.ASSESSOR_GROUP, permissions.MANAGER_GROUP])
    return (
        get_user_model()
        .objects.filter(Q(groups__in=groups) | Q(is_staff=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    permissions.require_app_user(request.user)
    # The list shows query columns only: the snapshot JSON is never read for it.
    qs = (
        permissions.listed_assessments(request.user)
        .select_related("employee__department__site", "assessor")
        .defer("inputs", "results")
    )
    filterset = AssessmentFilter(request.GET, queryset=qs, request=request)
    page = paginate(request, filterset.qs, per_page=25, ids_first=True)
    return render(
        request,
        "assessments/assessment_list.html",
        {"filter": filterset, "page": page, "query": request.GET.urlencode()},
    )


@login_required
@require_POST
def assessment_start(request: HttpRequest, employee_pk: int) -> HttpResponse:
    permissions.require_assessor(request.user)
    employee = permissions.employee_for(request.user, employee_pk)
    permissions.require_not_erased(employee)
    previous = (
        Assessment.objects.filter(employee=employee, is_latest=True).first()
        if request.POST.get("prefill") == "previous"
        else None
    )
    assessment = services.assessment_create(
        employee=employee, assessor=request.user, previous=previous
    )
    if previous is not None:
        messages.info(
            request,
            "Reassessment started with the previous answers filled in; change what changed.",
        )
    return redirect(assessment)


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.assessment_for_view(request.user, pk)
    if assessment.is_draft:
        permissions.require_assessor(request.user)
        return _render_editor(request, assessment)
    return _render_completed(request, assessment)


def _section_forms(
    assessment: Assessment, saved: dict[str, Any], bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    forms: dict[str, Any] = {}
    for name, form_class in ((k.key, k.form) for k in sections.SECTIONS):
        if bound and name in bound:
            forms[name] = bound[name]
            continue
        instance = saved[name]
        model = form_class._meta.model
        forms[name] = form_class(
            instance=instance or model(assessment=assessment),
            prefix=name,
        )
    return forms


def _preview_view(request: HttpRequest, preview: services.Preview) -> Any:
    """A draft's live results for the results panel, or None while they cannot be scored."""
    if preview.results is None:
        return None
    results = snapshot.read_results(preview.results)
    return presenters.results_view(results, audience=permissions.audience(request.user))


def _render_editor(
    request: HttpRequest,
    assessment: Assessment,
    *,
    bound: dict[str, Any] | None = None,
    task_form: LiftingTaskForm | None = None,
    bound_tasks: dict[int, LiftingTaskForm] | None = None,
    photo_form: PhotoForm | None = None,
    active: str = "workstation",
    status: int = 200,
) -> HttpResponse:
    people_services.audit(
        kind="view_health",
        user=request.user,
        employee=assessment.employee,
        assessment=assessment,
        detail="draft editor",
    )
    preview = services.assessment_preview(assessment=assessment)
    preview_view = _preview_view(request, preview)
    tasks = list(assessment.lifting_tasks.all())
    saved = {name: services.section_of(assessment, name) for name in sections.BY_KEY}
    context = {
        "assessment": assessment,
        "employee": assessment.employee,
        "forms": _section_forms(assessment, saved, bound),
        "section_titles": sections.TITLES,
        "filled": {name: section is not None for name, section in saved.items()},
        "tasks": tasks,
        "task_forms": [
            (
                task,
                (bound_tasks or {}).get(task.pk)
                or LiftingTaskForm(instance=task, prefix=f"task-{task.pk}"),
            )
            for task in tasks
        ],
        "new_task_form": task_form or LiftingTaskForm(prefix="task-new"),
        "preview": preview_view,
        "preview_errors": preview.errors,
        # Section -> its "not answered" messages, shown above the section's form.
        "unanswered": {u.section: u.messages for u in preview_view.unanswered}
        if preview_view
        else {},
        "active": active,
        "photo_form": photo_form or PhotoForm(max_bytes=0, max_pixels=0),
        "photos": assessment.photos.all(),
        "previous": assessment.previous or assessment.supersedes,
        "layouts": {kind.key: kind.layout for kind in sections.SECTIONS},
        "task_warnings": {task.pk: presenters.task_field_warnings(task) for task in tasks},
        # Fields pre-filled from a self-assessment, marked until their section is saved.
        "to_confirm": selfassess_services.fields_to_confirm(assessment),
    }
    return render(request, "assessments/assessment_edit.html", context, status=status)


def _with_evidence_notes(
    actions: list[Action], results: snapshot.Results, *, health: bool
) -> list[Action]:
    """Each action with one line about its evidence: the evidence line for OH, the certainty
    and cost in plain words for a manager."""
    if health:
        lines = evidence.evidence_lines(results.recommendations)
        for action in actions:
            action.evidence_note = lines.get(action.code, "")  # type: ignore[attr-defined]
        return actions
    certainty = evidence.manager_evidence(results.recommendations)
    for action in actions:
        words = certainty.get(action.code, "")
        cost = f"Cost: {evidence.cost_words(action.cost_band)}."
        note = f"Evidence: {words}. {cost}" if words else cost
        action.evidence_note = note  # type: ignore[attr-defined]
    return actions


def _render_completed(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    audience = permissions.audience(request.user)
    health = audience is Audience.OH
    if health:
        people_services.audit(
            kind="view_health",
            user=request.user,
            employee=assessment.employee,
            assessment=assessment,
            detail="assessment page",
        )
    view = presenters.results_view(snapshot.load(assessment).results, audience=audience)
    before = presenters.before_after(assessment) if health else None
    context = {
        "assessment": assessment,
        "employee": assessment.employee,
        "results": view,
        "actions": _with_evidence_notes(
            list(
                permissions.visible_actions(request.user)
                .filter(assessment=assessment)
                .select_related("owner")
            ),
            view,
            health=health,
        ),
        "not_recommended": evidence.not_recommended_lines() if health else (),
        "photos": permissions.visible_photos(request.user).filter(assessment=assessment),
        **report_links_context(request, assessment),
        "health": health,
        "superseded_by": Assessment.objects.filter(supersedes=assessment).first(),
        "amendment_reason": assessment_text_shown(
            "amendment_reason", assessment.amendment_reason, audience=audience
        ),
        "before_after": before,
        "can_assess": permissions.can_assess(request.user),
    }
    if health and not assessment.employee.is_erased:
        context |= {"consent_panel": True, **consent_views.panel_context(_consent_of(assessment))}
    return render(request, "assessments/assessment_detail.html", context)


def _consent_of(assessment: Assessment) -> Consent | None:
    return Consent.objects.filter(assessment=assessment).select_related("decided_by_oh").first()


@login_required
@require_POST
def section_save(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in sections.BY_KEY:
        raise PermissionDenied
    assessment = permissions.assessment_for_edit(request.user, pk)
    instance = services.section_of(assessment, name)
    form_class = sections.BY_KEY[name].form
    form = form_class(
        request.POST,
        instance=instance or form_class._meta.model(assessment=assessment),
        prefix=name,
    )
    if not form.is_valid():
        return _section_response(request, assessment, name, form, status=422)
    try:
        services.section_save(
            assessment=assessment,
            instance=instance or form_class._meta.model(assessment=assessment),
            values=form.section_values(),
            lock_version=form.cleaned_data.get("lock_version"),
        )
    except StaleEditError as stale:
        fresh = form_class(instance=stale.current, prefix=name)
        fresh.stale_changed = stale.changed
        fresh.stale_submitted = {key: form.cleaned_data.get(key) for key in stale.changed}
        fresh.stale_error = STALE_MESSAGE
        return _section_response(request, assessment, name, fresh, status=409)
    except services.AssessmentStateError as exc:
        raise PermissionDenied(str(exc)) from exc
    selfassess_services.section_confirmed(assessment=assessment, section=name)
    if request.htmx:
        saved = form_class(instance=services.section_of(assessment, name), prefix=name)
        response = _section_partial(request, assessment, name, saved, saved_ok=True)
        response["HX-Trigger"] = "results-changed"
        return response
    messages.success(request, f"{sections.TITLES[name]} saved.")
    return redirect(reverse("assessment_detail", args=[assessment.pk]) + f"#tab-{name}")


def _section_partial(
    request: HttpRequest,
    assessment: Assessment,
    name: str,
    form: Any,
    *,
    saved_ok: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessments/_section_form.html",
        {
            "assessment": assessment,
            "name": name,
            "form": form,
            "title": sections.TITLES[name],
            "layout": sections.BY_KEY[name].layout,
            "saved_ok": saved_ok,
        },
        status=status,
    )


def _section_response(
    request: HttpRequest, assessment: Assessment, name: str, form: Any, *, status: int
) -> HttpResponse:
    if request.htmx:
        # htmx swaps 4xx bodies only when told to; the template's hx-target-error handles it.
        return _section_partial(request, assessment, name, form, status=status)
    return _render_editor(request, assessment, bound={name: form}, active=name, status=status)


@login_required
@require_POST
def section_preview(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Results as they would be with the values being typed, without saving them."""
    assessment = permissions.assessment_for_edit(request.user, pk)
    overrides: dict[str, Any] = {}
    problems: list[str] = []
    if name in sections.BY_KEY:
        form_class = sections.BY_KEY[name].form
        form = form_class(request.POST, prefix=name)
        if form.is_valid():
            overrides[name] = form.section_values()
        else:
            problems.append(f"{sections.TITLES[name]}: fix the highlighted fields to update.")
    elif name.startswith("task-"):
        form = LiftingTaskForm(request.POST, prefix=name)
        task_id = name.removeprefix("task-")
        if form.is_valid():
            overrides["task"] = (task_id, form.section_values())
        else:
            problems.append("Lifting task: fix the highlighted fields to update.")
    preview = services.assessment_preview(assessment=assessment, overrides=overrides)
    return render(
        request,
        "assessments/_results_panel.html",
        {
            "assessment": assessment,
            "preview": _preview_view(request, preview),
            "preview_errors": preview.errors,
            "problems": problems,
            "unsaved": bool(overrides),
            "oob_bar": True,
        },
    )


@login_required
@require_GET
def results_panel(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.assessment_for_edit(request.user, pk)
    preview = services.assessment_preview(assessment=assessment)
    return render(
        request,
        "assessments/_results_panel.html",
        {
            "assessment": assessment,
            "preview": _preview_view(request, preview),
            "preview_errors": preview.errors,
            "oob_bar": True,
        },
    )


# --- Lifting tasks -----------------------------------------------------------------------


@login_required
@require_POST
def task_save(request: HttpRequest, pk: int, task_pk: int | None = None) -> HttpResponse:
    assessment = permissions.assessment_for_edit(request.user, pk)
    if task_pk is None:
        task = LiftingTask(assessment=assessment)  # its position is given when it is saved
        prefix = "task-new"
    else:
        task = get_object_or_404(LiftingTask, pk=task_pk, assessment=assessment)
        prefix = f"task-{task.pk}"
    form = LiftingTaskForm(request.POST, instance=task, prefix=prefix)
    if not form.is_valid():
        if request.htmx:
            return _task_partial(request, assessment, task, form, status=422)
        return _render_editor(
            request,
            assessment,
            task_form=form if task_pk is None else None,
            bound_tasks={task.pk: form} if task_pk is not None else None,
            active="lifting",
            status=422,
        )
    try:
        saved = services.section_save(
            assessment=assessment,
            instance=task,
            values=form.section_values(),
            lock_version=form.cleaned_data.get("lock_version") if task_pk else None,
        )
    except StaleEditError as stale:
        fresh = LiftingTaskForm(instance=stale.current, prefix=prefix)
        fresh.stale_error = STALE_MESSAGE
        fresh.stale_changed = stale.changed
        fresh.stale_submitted = {key: form.cleaned_data.get(key) for key in stale.changed}
        if not request.htmx:
            return _render_editor(
                request,
                assessment,
                bound_tasks={stale.current.pk: fresh},
                active="lifting",
                status=409,
            )
        return _task_partial(request, assessment, stale.current, fresh, status=409)
    except services.AssessmentStateError as exc:
        raise PermissionDenied(str(exc)) from exc
    if request.htmx and task_pk is not None:
        response = _task_partial(
            request,
            assessment,
            saved,
            LiftingTaskForm(instance=saved, prefix=prefix),
            saved_ok=True,
        )
        response["HX-Trigger"] = "results-changed"
        return response
    messages.success(request, f"Lifting task “{saved}” saved.")
    return redirect(reverse("assessment_detail", args=[assessment.pk]) + "#tab-lifting")


def _task_partial(
    request: HttpRequest,
    assessment: Assessment,
    task: LiftingTask,
    form: LiftingTaskForm,
    *,
    saved_ok: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessments/_task_form.html",
        {
            "assessment": assessment,
            "task": task,
            "form": form,
            "saved_ok": saved_ok,
            "field_warnings": presenters.task_field_warnings(task) if task.pk else {},
        },
        status=status,
    )


@login_required
@require_POST
def task_duplicate(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = permissions.assessment_for_edit(request.user, pk)
    task = get_object_or_404(LiftingTask, pk=task_pk, assessment=assessment)
    copy = services.lifting_task_duplicate(assessment=assessment, task=task)
    messages.success(request, f"Duplicated as “{copy}”.")
    return redirect(reverse("assessment_detail", args=[assessment.pk]) + "#tab-lifting")


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = permissions.assessment_for_edit(request.user, pk)
    task = get_object_or_404(LiftingTask, pk=task_pk, assessment=assessment)
    label = str(task)
    services.lifting_task_delete(assessment=assessment, task=task)
    messages.success(request, f"Removed lifting task “{label}”.")
    return redirect(reverse("assessment_detail", args=[assessment.pk]) + "#tab-lifting")


# --- Completion, amendment ---------------------------------------------------------------


@login_required
def assessment_complete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.assessment_for_edit(request.user, pk)
    preview = services.assessment_preview(assessment=assessment)
    if preview.results is None:
        messages.error(request, "The assessment cannot be completed until these are fixed.")
        return _render_editor(request, assessment, status=422)
    not_asked = services.red_flags_not_asked(assessment)
    if not_asked:
        message = services.red_flags_not_asked_message(not_asked)
        messages.error(request, "The assessment cannot be completed: red flags not asked.")
        section = services.section_of(assessment, "worker")
        form = WorkerForm.bound_to_saved(section, prefix="worker")
        form.add_error("red_flags_not_asked_reason", message)
        return _render_editor(
            request, assessment, bound={"worker": form}, active="worker", status=422
        )
    results = snapshot.read_results(preview.results)
    if results.unanswered:
        messages.error(
            request,
            "The assessment cannot be completed until every item of a section is answered: "
            "see what is missing under each section.",
        )
        return _render_editor(request, assessment, status=422, active=results.unanswered[0].section)
    owners = _owners()
    initial = completion_initial(results.recommendations, assessed_on=assessment.assessed_on)
    unassessed = tuple(
        (name, sections.TITLES[name]) for name in services.sections_not_assessed(assessment)
    )
    if request.method == "POST":
        formset = ActionChoiceFormSet(
            request.POST, prefix="actions", form_kwargs={"owners": owners}
        )
        form = CompleteForm(request.POST, unassessed=unassessed)
        if formset.is_valid() and form.is_valid():
            drafts = [
                action_services.ActionDraft(
                    code=f.cleaned_data["code"],
                    title=f.cleaned_data["title"],
                    detail=f.cleaned_data["detail"],
                    rationale=f.cleaned_data["rationale"],
                    category=f.cleaned_data["category"],
                    priority=f.cleaned_data["priority"],
                    cost_band=f.cleaned_data["cost_band"],
                    owner=f.cleaned_data["owner"],
                    due_on=f.cleaned_data["due_on"],
                )
                for f in formset.forms
                if f.cleaned_data.get("selected")
            ]
            try:
                with transaction.atomic():
                    completion = action_services.assessment_completion(
                        assessment=assessment,
                        user=request.user,
                        actions=drafts,
                        reassess_due=form.cleaned_data["reassess_due"],
                        statements=form.cleaned_data["statements"],
                    )
                    # The employee is asked before their manager sees it (docs/consent.md).
                    consent_services.consent_request(
                        assessment=completion.assessment, user=request.user
                    )
            except interchange.InputErrors:
                messages.error(request, "The inputs changed and can no longer be scored.")
                return redirect(assessment)
            except services.AssessmentStateError as exc:
                messages.error(request, str(exc))
                return redirect(assessment)
            completed = completion.assessment
            reporting_tasks.reports_schedule(assessment=completed, user=request.user)
            messages.success(request, _completed_message(completion))
            if warning := consent_services.link_not_sent_warning(completed):
                messages.warning(request, warning)
            return redirect(completed)
        status = 422
    else:
        status = 200
        formset = ActionChoiceFormSet(
            initial=initial, prefix="actions", form_kwargs={"owners": owners}
        )
        band = results.strain.band
        form = CompleteForm(
            initial={"reassess_due": services.reassess_due_for(band, assessment.assessed_on)},
            unassessed=unassessed,
        )
    people_services.audit(
        kind="view_health",
        user=request.user,
        employee=assessment.employee,
        assessment=assessment,
        detail="completion review",
    )
    return render(
        request,
        "assessments/assessment_complete.html",
        {
            "assessment": assessment,
            "employee": assessment.employee,
            "results": presenters.results_view(results, audience=Audience.OH),
            "formset": formset,
            "form": form,
            "carry_over": carry_over.plan(
                amendment=assessment,
                recommended=[rec.code for rec in results.recommendations],
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm an amendment with its reason, then start the new revision."""
    permissions.require_assessor(request.user)
    assessment = permissions.assessment_for_view(request.user, pk)
    if not assessment.is_completed:
        raise PermissionDenied("Only a completed assessment can be amended.")
    status = 200
    form = AmendForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        if form.is_valid():
            try:
                amendment = services.assessment_amend(
                    assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
                )
            except services.AssessmentStateError as exc:
                messages.error(request, str(exc))
                return redirect(assessment)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.info(
                    request,
                    f"Revision {amendment.revision} started. The completed revision stays in "
                    "the history until this one is completed.",
                )
                return redirect(amendment)
        status = 422
    return render(
        request,
        "assessments/assessment_amend.html",
        {
            "assessment": assessment,
            "employee": assessment.employee,
            "form": form,
            "open_actions": assessment.actions.filter(status__in=Action.OPEN_STATUSES).count(),
        },
        status=status,
    )


@login_required
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    from django.conf import settings

    assessment = permissions.assessment_for_edit(request.user, pk)
    form = PhotoForm(
        request.POST,
        request.FILES,
        max_bytes=settings.PHOTO_MAX_BYTES,
        max_pixels=settings.PHOTO_MAX_PIXELS,
    )
    if form.is_valid():
        try:
            photos.photo_store(
                assessment=assessment,
                upload=form.cleaned_data["image"],
                section=form.cleaned_data["section"],
                caption=form.cleaned_data["caption"],
                user=request.user,
            )
        except photos.UnreadablePhoto:
            form.add_error("image", PHOTO_UNREADABLE_MESSAGE)
        else:
            messages.success(request, "Photo added.")
            return redirect(reverse("assessment_detail", args=[assessment.pk]) + "#tab-photos")
    return _render_editor(request, assessment, photo_form=form, active="photos", status=422)
