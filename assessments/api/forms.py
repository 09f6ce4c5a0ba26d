"""The profile page's form for a new personal API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.api import tokens
from assessments.api.models import ApiToken
from assessments.core.forms import _NoCrispyFormTag


class TokenForm(_NoCrispyFormTag, forms.Form):  # type: ignore[misc]
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “EHS system nightly sync”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text=_("A read-only token cannot change anything."),
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(days, _("%(days)s days") % {"days": days}) for days in tokens.LIFETIMES_DAYS],
        initial=90,
    )
