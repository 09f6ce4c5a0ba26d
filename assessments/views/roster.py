"""HR roster sync for admins: upload a CSV, preview what would change, confirm to apply.

The uploaded text is kept in the admin's session between the preview and the confirmation;
applying parses and plans it again against the data as it is then (`people.roster`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.people import roster
from assessments.people.forms import RosterUploadForm

SESSION_KEY = "roster_upload"
#: Room for the multipart envelope and the CSRF token around the file itself.
_ENVELOPE_BYTES = 64 * 1024
NO_UPLOAD_MESSAGE = "There is no roster preview to confirm (it expired): upload the file again."
TEMPLATE = "assessments/roster_upload.html"


def _context(plan: roster.RosterPlan | None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "limit_kb": roster.MAX_BYTES // 1024,
        "max_rows": roster.MAX_ROWS,
        "columns": roster.COLUMNS,
        **extra,
    }
    if plan is not None:
        context["plan"] = plan
        context["sections"] = [
            ("joiners", "Joiners (new employees)", plan.of_kind(roster.NEW)),
            ("moved", "Moved department", plan.of_kind(roster.MOVED)),
            ("changed", "Changed", plan.of_kind(roster.CHANGED)),
            ("leavers", "Leavers (leaving date set)", plan.of_kind(roster.LEAVER)),
        ]
    return context


@login_required
def roster_upload(request: HttpRequest) -> HttpResponse:
    permissions.require_admin(request.user)
    if request.method != "POST":
        return render(request, TEMPLATE, _context(None, form=RosterUploadForm()))
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > roster.MAX_BYTES + _ENVELOPE_BYTES:
        # Refused before the body is read: nothing this large can be a roster file.
        message = str(roster.TOO_LARGE_MESSAGE).format(
            size=int(length) // 1024, limit=roster.MAX_BYTES // 1024
        )
        return render(
            request, TEMPLATE, _context(None, form=RosterUploadForm(), refused=message), status=413
        )
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        request.session.pop(SESSION_KEY, None)
        return render(request, TEMPLATE, _context(None, form=form), status=422)
    create = form.cleaned_data["create_missing_departments"]
    parsed = roster.parse_csv(form.cleaned_data["file"])
    plan = roster.roster_plan(
        rows=parsed.rows, errors=parsed.errors, create_missing_departments=create
    )
    if plan.ok:
        text = form.cleaned_data["file"].decode("utf-8-sig")
        request.session[SESSION_KEY] = {"text": text, "create": create}
    else:
        request.session.pop(SESSION_KEY, None)
    return render(
        request, TEMPLATE, _context(plan, form=form, create=create), status=200 if plan.ok else 422
    )


@login_required
@require_POST
def roster_apply(request: HttpRequest) -> HttpResponse:
    permissions.require_admin(request.user)
    upload = request.session.get(SESSION_KEY)
    if not upload:
        messages.error(request, NO_UPLOAD_MESSAGE)
        return redirect("roster_upload")
    parsed = roster.parse_csv(upload["text"].encode("utf-8"))
    try:
        plan = roster.roster_apply(
            rows=parsed.rows,
            errors=parsed.errors,
            user=request.user,
            create_missing_departments=upload["create"],
            confirmed=request.POST.get("fingerprint", ""),
        )
    except roster.RosterRefused as refused:
        if not refused.plan.ok:
            request.session.pop(SESSION_KEY, None)
        context = _context(
            refused.plan, form=RosterUploadForm(), create=upload["create"], refused=refused.message
        )
        return render(request, TEMPLATE, context, status=409)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"Roster applied: {plan.describe()}.")
    return redirect("employee_list")
