"""Signing in: the local sign-in page (with a "Sign in with <provider>" button when single
sign-on is configured), the start of a single sign-on and the provider's callback, and
the page that explains a refused sign-on. See docs/sso.md."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from assessments.sso import config
from assessments.sso.backend import REFUSAL_SESSION_KEY
from assessments.sso.services import CONFLICT, INACTIVE, NO_ACCOUNT, NO_ROLE

logger = logging.getLogger(__name__)


def _sso() -> dict[str, Any]:
    return {"enabled": config.enabled(), "name": config.provider_name()}


class SignInView(LoginView):
    """Django's sign-in page (django-axes locks it after repeated failures) with the
    single sign-on button beside it when configured."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso": _sso()}


def _back_to_sign_in(request: HttpRequest, message: str) -> HttpResponseRedirect:
    messages.error(request, message)
    return HttpResponseRedirect(reverse("login"))


def _unreachable(request: HttpRequest, error: Exception) -> HttpResponseRedirect:
    logger.warning("single sign-on: the provider could not be reached: %s", error)
    return _back_to_sign_in(
        request,
        _(
            "%(provider)s could not be reached, so you could not be signed in with it. "
            "Try again in a few minutes, or sign in with a local account if you have one."
        )
        % {"provider": config.provider_name()},
    )


class SsoStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the browser to the provider, with a fresh state, nonce and PKCE challenge
    kept in the session."""

    get_settings = staticmethod(config.setting)

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoint is read in get(), where errors show

    def get(self, request: HttpRequest) -> HttpResponse:
        if not config.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = config.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except config.ProviderUnavailable as error:
            return _unreachable(request, error)
        self.OIDC_RP_CLIENT_ID = config.setting("OIDC_RP_CLIENT_ID")
        request.session.pop(REFUSAL_SESSION_KEY, None)
        response: HttpResponse = super().get(request)
        return response


class SsoCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Where the provider sends the browser back: checks the state against the session,
    then the backend exchanges the code for tokens and signs the person in."""

    get_settings = staticmethod(config.setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not config.enabled():
            raise Http404
        # Only this callback's own refusal leads to the explanation page.
        request.session.pop(REFUSAL_SESSION_KEY, None)
        try:
            response: HttpResponse = super().get(request)
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("single sign-on refused: %s", error)
            return _back_to_sign_in(
                request,
                _(
                    "The reply from %(provider)s could not be verified (it does not match "
                    "a sign-in started here, or it was changed on the way), so you were not "
                    "signed in. Start again from this page."
                )
                % {"provider": config.provider_name()},
            )
        except requests.HTTPError as error:
            logger.warning("single sign-on: the provider refused: %s", error)
            return _back_to_sign_in(
                request,
                _(
                    "%(provider)s did not accept this sign-in (it may have taken too long). "
                    "Start again from this page."
                )
                % {"provider": config.provider_name()},
            )
        except (config.ProviderUnavailable, requests.RequestException, ValueError) as error:
            return _unreachable(request, error)
        return response

    @property
    def failure_url(self) -> str:
        if self.request.session.get(REFUSAL_SESSION_KEY):
            return reverse("sso_no_access")
        messages.error(
            self.request,
            _("You were not signed in with %(provider)s. Start again from this page.")
            % {"provider": config.provider_name()},
        )
        return reverse("login")


REFUSALS = {
    NO_ROLE: _(
        "Your %(provider)s account has no role in this app. Ask the occupational health "
        "admin to add you to the group that gives access, then sign in again."
    ),
    NO_ACCOUNT: _(
        "There is no account in this app for your %(provider)s account. Ask the "
        "occupational health admin to create one for your email address (or to give your "
        "account a role), then sign in again."
    ),
    CONFLICT: _(
        "Your %(provider)s account matches an account here that is already linked to "
        "someone else, or several accounts share its email address. Ask the occupational "
        "health admin to sort out the accounts."
    ),
    INACTIVE: _(
        "Your account in this app is switched off. Ask the occupational health admin if "
        "you need it again."
    ),
}


def sso_no_access(request: HttpRequest) -> HttpResponse:
    """Why a single sign-on was refused, and whom to ask."""
    refusal = request.session.get(REFUSAL_SESSION_KEY)
    if refusal not in REFUSALS:
        return HttpResponseRedirect(reverse("login"))
    message = REFUSALS[refusal] % {"provider": config.provider_name()}
    return render(
        request,
        "registration/sso_no_access.html",
        {"message": message, "refusal": refusal, "sso": _sso()},
        status=403,
    )
