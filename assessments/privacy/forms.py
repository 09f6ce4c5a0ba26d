"""Forms for the data-protection pages: confirming an erasure, filtering the audit trail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.people.models import AuditEvent

ERASE_CONFIRM_MESSAGE = _("Type the employee's HR reference exactly to confirm.")


class EraseConfirmForm(forms.Form):
    """Erasure cannot be undone: the admin types the HR reference to confirm it."""

    confirm = forms.CharField(
        label=_("HR reference"),
        max_length=40,
        help_text=_("Type the HR reference shown above to confirm the erasure."),
    )

    def __init__(self, *args: Any, hr_reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hr_reference = hr_reference

    def clean_confirm(self) -> str:
        value = str(self.cleaned_data.get("confirm") or "").strip()
        if value != self.hr_reference:
            raise forms.ValidationError(ERASE_CONFIRM_MESSAGE)
        return value


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"), choices=[("", _("Any")), *AuditEvent.Kind.choices], required=False
    )
    employee = forms.IntegerField(
        label=_("Employee number"), required=False, min_value=1, max_value=2**63 - 1
    )
    user = forms.CharField(label=_("Username"), required=False, max_length=150)
