"""Starting a department report pack: which department and which period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Department

END_BEFORE_START = _("The end of the period is before its start.")
NOTHING_TO_PACK = _("No completed assessments in this department and period.")


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportPackForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), empty_label=None
    )
    start = forms.DateField(label=_("From"), widget=_date_widget())
    end = forms.DateField(label=_("To"), widget=_date_widget())

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"start": today - dt.timedelta(days=365), "end": today})
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def clean(self) -> dict[str, Any]:
        from assessments.jobs.services import pack_assessments

        cleaned = super().clean()
        department, start, end = cleaned.get("department"), cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", END_BEFORE_START)
        elif (
            department
            and start
            and end
            and not pack_assessments(department=department, start=start, end=end).exists()
        ):
            self.add_error(None, NOTHING_TO_PACK)
        return cleaned
