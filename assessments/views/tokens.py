"""The profile page where a person makes and revokes their personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.api import tokens
from assessments.api.forms import TokenForm

REVOKED_MESSAGE = _("Token revoked: calls that use it are refused from now on.")


def _page(
    request: HttpRequest, form: TokenForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    response = render(
        request,
        "assessments/token_list.html",
        {"form": form, "tokens": tokens.tokens_of(request.user), "secret": secret},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the new token's secret is on this page once
    return response


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    permissions.require_app_user(request.user)
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    made = tokens.token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        lifetime_days=form.cleaned_data["lifetime_days"],
    )
    return _page(request, TokenForm(), secret=made.secret, status=201)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_app_user(request.user)
    token = tokens.tokens_of(request.user).filter(pk=pk).first()
    if token is None:  # someone else's token looks like a missing one
        raise Http404
    tokens.token_revoke(token=token)
    messages.success(request, REVOKED_MESSAGE)
    return redirect("token_list")
