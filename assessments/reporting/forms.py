"""Forms that ask for reports: department reports and report packs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.people.models import Department
from assessments.reporting.runs import pack_assessments


class CheckedIdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no database column can hold before they reach a query (a 500 otherwise)."""

    def _check_values(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else []:
            text = str(item).strip()
            if not (text.isascii() and text.isdigit() and len(text) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)


class DepartmentReportForm(forms.Form):
    departments = CheckedIdsMultipleChoiceField(
        queryset=Department.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return cleaned


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
