"""Forms of action follow-up: closing an action with evidence, moving cards on the board."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.forms import PhotoForm

EVIDENCE_REQUIRED_MESSAGE = _("Say what was done: this is the evidence the action is closed.")
FUTURE_COMPLETION_MESSAGE = _("The completion date cannot be in the future.")


class ActionCompleteForm(forms.Form):
    evidence_note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: sit-stand desk delivered and set up on 3 March."),
        error_messages={"required": EVIDENCE_REQUIRED_MESSAGE},
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    caption = forms.CharField(label=_("Photo caption"), max_length=200, required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("completed_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_evidence_note(self) -> str:
        note = self.cleaned_data["evidence_note"].strip()
        if not note:
            raise forms.ValidationError(EVIDENCE_REQUIRED_MESSAGE)
        return note

    def clean_completed_on(self) -> Any:
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(FUTURE_COMPLETION_MESSAGE)
        return day

    def clean_photo(self) -> Any:
        """The same checks as any assessment photo: size, pixels, a readable image."""
        upload = self.cleaned_data.get("photo")
        if upload is None:
            return None
        check = PhotoForm(
            data={"section": "action", "caption": ""},
            files={"image": upload},
            max_bytes=settings.PHOTO_MAX_BYTES,
            max_pixels=settings.PHOTO_MAX_PIXELS,
        )
        if not check.is_valid() and "image" in check.errors:
            raise forms.ValidationError(check.errors["image"])
        upload.seek(0)
        return upload
