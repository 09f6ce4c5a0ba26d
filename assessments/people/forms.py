"""The employee form and the HR roster upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.core.forms import _NoCrispyFormTag
from assessments.people import roster
from assessments.people.models import Employee
from assessments.people.services import left_on_refusal

LEFT_BUT_ACTIVE_MESSAGE = _("Someone who has left is no longer active: untick “active”.")


class EmployeeForm(_NoCrispyFormTag, forms.ModelForm):  # type: ignore[misc]
    class Meta:
        model = Employee
        fields = [
            "hr_reference",
            "name",
            "email",
            "job_title",
            "work_type",
            "department",
            "active",
            "started_on",
            "left_on",
        ]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "left_on": _(
                "Between the day this record was created and today. The leaving date starts "
                "the retention period: their completed assessments are anonymised a set "
                "number of years after it."
            )
        }

    def __init__(
        self,
        *args: Any,
        departments: Any = None,
        may_start_retention: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.may_start_retention = may_start_retention
        if departments is not None:
            self.fields["department"].queryset = departments

    def clean_left_on(self) -> Any:
        left_on = self.cleaned_data.get("left_on")
        # The instance still holds the stored values here: the form's are applied later.
        refusal = left_on_refusal(
            stored=self.instance if self.instance.pk is not None else None,
            left_on=left_on,
            may_start_retention=self.may_start_retention,
        )
        if refusal:
            raise forms.ValidationError(refusal)
        return left_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        left_on = cleaned.get("left_on")
        if left_on is not None and cleaned.get("active") and left_on <= timezone.localdate():
            self.add_error("active", LEFT_BUT_ACTIVE_MESSAGE)
        return cleaned


class RosterUploadForm(_NoCrispyFormTag, forms.Form):
    """An HR roster file to preview (docs/roster.md)."""

    file = forms.FileField(
        label=_("Roster file (CSV)"),
        help_text=_(
            "UTF-8 CSV with the columns hr_reference, name, email, job_title, department, "
            "site, start_date, leaving_date (dates as YYYY-MM-DD)."
        ),
    )
    create_missing_departments = forms.BooleanField(
        label=_("Create missing departments"),
        required=False,
        help_text=_(
            "Otherwise a row naming a department or site that does not exist yet is an error."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > roster.MAX_BYTES:
            raise forms.ValidationError(
                str(roster.TOO_LARGE_MESSAGE).format(
                    size=upload.size // 1024, limit=roster.MAX_BYTES // 1024
                )
            )
        data: bytes = upload.read()
        return data
