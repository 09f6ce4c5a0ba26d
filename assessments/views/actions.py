"""Actions: the recommendations made concrete, tracked to closure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import permissions, services
from assessments.filters import ActionFilter
from assessments.forms import ActionUpdateForm, BulkActionStatusForm
from assessments.models import Action
from assessments.views.assessments import _owners
from assessments.views.pagination import paginate


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    permissions.require_app_user(request.user)
    qs = permissions.visible_actions(request.user).select_related(
        "assessment__employee__department__site", "owner"
    )
    filterset = ActionFilter(request.GET, queryset=qs, request=request)
    page = paginate(request, filterset.qs, per_page=50)
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


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = permissions.action_for_view(request.user, pk)
    if not permissions.can_update_action(request.user, action):
        raise PermissionDenied
    form = ActionUpdateForm(request.POST or None, instance=action, owners=_owners())
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=action,
                status=form.cleaned_data["status"],
                evidence_note=form.cleaned_data["evidence_note"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                completed_on=form.cleaned_data["completed_on"],
                update_owner=True,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Action updated.")
            return redirect(action)
    history = action.history.select_related("history_user").order_by("-history_date")[:50]
    return render(
        request,
        "assessments/action_detail.html",
        {"action": action, "form": form, "history": history, "today": timezone.localdate()},
    )


@login_required
@require_POST
def action_bulk_update(request: HttpRequest) -> HttpResponse:
    permissions.require_app_user(request.user)
    form = BulkActionStatusForm(request.POST)
    ids = request.POST.getlist("selected")
    if not form.is_valid() or not ids:
        messages.error(request, "Choose at least one action and a status.")
        return redirect(request.POST.get("next") or "action_list")
    status, note = form.cleaned_data["status"], form.cleaned_data["note"]
    if status == Action.Status.DECLINED and not note.strip():
        messages.error(request, "Declining actions needs a reason in the note.")
        return redirect(request.POST.get("next") or "action_list")
    actions = permissions.visible_actions(request.user).filter(
        pk__in=[i for i in ids if i.isdigit()]
    )
    count = 0
    for action in actions:
        services.action_update(
            action=action, status=status, evidence_note=note or action.evidence_note
        )
        count += 1
    messages.success(request, f"{count} action(s) set to {Action.Status(status).label}.")
    target = request.POST.get("next") or ""
    return redirect(
        target if target.startswith("/") and not target.startswith("//") else "action_list"
    )
