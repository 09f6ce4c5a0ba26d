"""The action board (columns by status) and closing an action with evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments import permissions
from assessments.actions import services as action_services
from assessments.actions.forms import ACTION_STALE_MESSAGE, ActionCompleteForm
from assessments.actions.models import Action
from assessments.core.errors import StaleEditError
from assessments.records import photos
from assessments.records.forms import PHOTO_UNREADABLE_MESSAGE
from assessments.views.actions import filtered_actions

#: Cards shown per column; the column header links to the full list of that status.
BOARD_COLUMN_LIMIT = 30


@login_required
def action_board(request: HttpRequest) -> HttpResponse:
    """Open, in progress, done and declined side by side, with the list's filters (and
    cancelled or superseded, when there are such actions)."""
    filterset = filtered_actions(request)
    filtered = filterset.qs
    chosen = filterset.form.cleaned_data.get("status") if filterset.form.is_valid() else None
    counts = dict(
        filtered.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    # Actions closed by the system (an erasure, an amendment) get a column only when there
    # are some.
    statuses = [
        s
        for s in Action.Status
        if (s.value in chosen if chosen else s not in Action.SYSTEM_STATUSES or counts.get(s.value))
    ]
    without_status = request.GET.copy()
    without_status.pop("status", None)
    without_status.pop("page", None)
    base_query = without_status.urlencode()
    columns = []
    for status in statuses:
        cards = list(
            filtered.filter(status=status).order_by("priority", "due_on", "pk")[:BOARD_COLUMN_LIMIT]
        )
        columns.append(
            {
                "status": status.value,
                "label": status.label,
                "count": counts.get(status.value, 0),
                "cards": cards,
                "moves": [
                    s
                    for s in Action.Status
                    if s != status
                    and s not in Action.SYSTEM_STATUSES
                    and status not in Action.SYSTEM_STATUSES
                ],
                "list_query": f"status={status.value}" + (f"&{base_query}" if base_query else ""),
            }
        )
    return render(
        request,
        "assessments/action_board.html",
        {
            "filter": filterset,
            "columns": columns,
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
            "limit": BOARD_COLUMN_LIMIT,
        },
    )


@login_required
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an action as done with an evidence note and, optionally, a photo."""
    action = permissions.action_for_view(request.user, pk)
    if not permissions.can_update_action(request.user, action):
        raise PermissionDenied
    if request.method == "POST":
        form = ActionCompleteForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                action_services.action_complete(
                    action=action,
                    user=request.user,
                    evidence_note=form.cleaned_data["evidence_note"],
                    completed_on=form.cleaned_data["completed_on"],
                    photo=form.cleaned_data["photo"],
                    caption=form.cleaned_data["caption"],
                    lock_version=form.cleaned_data["lock_version"],
                )
            except StaleEditError:
                form.add_error(None, ACTION_STALE_MESSAGE)
            except photos.UnreadablePhoto:
                form.add_error("photo", PHOTO_UNREADABLE_MESSAGE)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, "Action closed as done.")
                return redirect(action)
        status = 422
    else:
        form = ActionCompleteForm(
            initial={"evidence_note": action.evidence_note, "lock_version": action.lock_version}
        )
        status = 200
    return render(
        request,
        "assessments/action_complete.html",
        {"action": action, "form": form},
        status=status,
    )
