"""Actions: the recommendations made concrete, tracked to closure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.actions import history as action_history
from assessments.actions import services as action_services
from assessments.actions.forms import ACTION_STALE_MESSAGE, ActionUpdateForm, BulkActionStatusForm
from assessments.actions.models import Action
from assessments.core import health
from assessments.core.errors import StaleEditError
from assessments.core.health import Audience
from assessments.insights.filters import ActionFilter
from assessments.people import services as people_services
from assessments.views.assessments import _owners
from assessments.views.pagination import paginate


def filtered_actions(request: HttpRequest) -> ActionFilter:
    """The actions this person may see, with the list filters from the query string."""
    permissions.require_app_user(request.user)
    qs = permissions.with_assessment_withheld(
        request.user,
        permissions.visible_actions(request.user)
        .select_related("assessment__employee__department__site", "owner")
        .defer("assessment__inputs", "assessment__results"),
    )
    return ActionFilter(request.GET, queryset=qs, request=request)


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    filterset = filtered_actions(request)
    page = paginate(request, filterset.qs, per_page=50, ids_first=True)
    return render(
        request,
        "assessments/action_list.html",
        {
            "filter": filterset,
            "page": page,
            "bulk_form": BulkActionStatusForm(),
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
            "health": permissions.can_see_health_detail(request.user),
        },
    )


def _shown(form: ActionUpdateForm, name: str) -> str:
    """A submitted value as the person chose it (a status label, an owner's name)."""
    value = form.cleaned_data.get(name)
    choices = getattr(form.fields[name], "choices", None)
    if choices is not None and not hasattr(value, "pk"):
        value = dict(choices).get(value, value)
    return "" if value is None else str(value)


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = permissions.action_for_view(request.user, pk)
    if not permissions.can_update_action(request.user, action):
        raise PermissionDenied
    audience = permissions.audience(request.user)
    form = ActionUpdateForm(request.POST or None, instance=action, owners=_owners())
    status = 200
    stale: dict[str, object] = {}
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                action_services.action_update(
                    action=action,
                    status=form.cleaned_data["status"],
                    evidence_note=form.cleaned_data["evidence_note"],
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                    completed_on=form.cleaned_data["completed_on"],
                    update_owner=True,
                    lock_version=form.cleaned_data.get("lock_version") or 0,
                )
            except StaleEditError as exc:
                stale = {
                    "error": ACTION_STALE_MESSAGE,
                    "changed": [
                        (form.fields[name].label, _shown(form, name))
                        for name in exc.changed
                        if name in form.fields
                    ],
                }
                action = exc.current
                form = ActionUpdateForm(instance=action, owners=_owners())
                status = 409
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, "Action updated.")
                return redirect(action)
    history = action_history.entries(action, health=audience is Audience.OH)
    if audience is Audience.OH and not health.reason_visible(
        code=action.code, category=action.category
    ):
        # The page shows its "why", which is health detail (BMI, pain, psychosocial
        # answers) for OH staff only: every response that shows it is audited.
        people_services.audit(
            kind="view_health",
            user=request.user,
            employee=action.assessment.employee,
            assessment=action.assessment,
            detail=f"action {action.code}",
        )
    return render(
        request,
        "assessments/action_detail.html",
        {
            "action": action,
            "form": form,
            "history": history,
            "evidence_photos": action.photos.all(),
            "assessment_withheld": permissions.assessment_withheld(request.user, action.assessment),
            "today": timezone.localdate(),
            "stale": stale,
            "why": health.reason_shown(
                action.rationale, code=action.code, category=action.category, audience=audience
            ),
        },
        status=status,
    )


def _back_to_list(request: HttpRequest) -> HttpResponse:
    """Back to the (filtered) list the request came from; never to another site."""
    target = request.POST.get("next") or ""
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if safe else "action_list")


@login_required
@require_POST
def action_bulk_update(request: HttpRequest) -> HttpResponse:
    permissions.require_app_user(request.user)
    form = BulkActionStatusForm(request.POST)
    ids = [i for i in request.POST.getlist("selected") if i.isascii() and i.isdigit()]
    if not form.is_valid() or not ids:
        messages.error(request, "Choose at least one action and a status.")
        return _back_to_list(request)
    status, note = form.cleaned_data["status"], form.cleaned_data["note"]
    if status == Action.Status.DECLINED and not note.strip():
        messages.error(request, "Declining actions needs a reason in the note.")
        return _back_to_list(request)
    actions = permissions.visible_actions(request.user).filter(
        pk__in=[int(i) for i in ids if len(i) <= 18]
    )
    try:
        count = action_services.actions_bulk_update(actions=actions, status=status, note=note)
    except ValidationError as exc:
        messages.error(request, f"Nothing was changed: {'; '.join(exc.messages)}")
        return _back_to_list(request)
    messages.success(request, f"{count} action(s) set to {Action.Status(status).label}.")
    return _back_to_list(request)
