"""Forms of actions: choosing them on completion, updating and closing them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from assessments.actions.models import Action
from assessments.actions.services import ActionDraft
from assessments.core.forms import PersonChoiceField, _NoCrispyFormTag
from assessments.records.forms import PhotoForm, photo_limits_help
from assessments.records.snapshot import Recommendation

#: The statuses people choose; actions are cancelled only by an erasure and superseded only
#: by a completed amendment.
CHOSEN_STATUSES = [
    (value, label) for value, label in Action.Status.choices if value not in Action.SYSTEM_STATUSES
]

ACTION_STALE_MESSAGE = _(
    "Someone else updated this action while you were editing it. Nothing was overwritten: "
    "the form now shows their values; re-enter your changes if they still apply."
)


class ActionChoiceForm(forms.Form):
    """One recommendation on the completion page: keep it or not, and edit its wording."""

    selected = forms.BooleanField(required=False, initial=True, label=_("Create this action"))
    code = forms.CharField(widget=forms.HiddenInput, max_length=60)
    title = forms.CharField(max_length=200)
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    rationale = forms.CharField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(choices=Action.Category.choices, widget=forms.HiddenInput)
    priority = forms.TypedChoiceField(
        choices=Action.Priority.choices, coerce=int, label=_("Priority")
    )
    cost_band = forms.ChoiceField(choices=Action.CostBand.choices, widget=forms.HiddenInput)
    owner = PersonChoiceField(queryset=get_user_model().objects.none(), required=False)
    due_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label=_("Due"),
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners


ActionChoiceFormSet = forms.formset_factory(
    ActionChoiceForm, extra=0, max_num=100, absolute_max=100
)


class ActionUpdateForm(_NoCrispyFormTag, forms.ModelForm):  # type: ignore[misc]
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = ["status", "owner", "due_on", "completed_on", "evidence_note"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "evidence_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"evidence_note": _("What was done, or why the action was declined.")}
        field_classes = {"owner": PersonChoiceField}

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        self.fields["status"].choices = CHOSEN_STATUSES
        if self.instance.pk is not None and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class BulkActionStatusForm(forms.Form):
    """The status to give every selected action on the list. Its fields have ids of their
    own (`bulk-status`), so their labels are not taken by the list filter's fields."""

    status = forms.ChoiceField(choices=CHOSEN_STATUSES, label=_("New status"))
    note = forms.CharField(
        required=False, max_length=500, label=_("Note (a reason is needed to decline)")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)


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
        help_text=lazy(photo_limits_help, str)(),
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


def completion_initial(
    recommendations: Iterable[Recommendation], *, assessed_on: dt.date
) -> list[dict[str, Any]]:
    """The completion page's rows: every recommendation selected, as the action it becomes."""
    rows = []
    for rec in recommendations:
        draft = ActionDraft.from_recommendation(rec, assessed_on=assessed_on)
        fields = {name: getattr(draft, name) for name in draft.__dataclass_fields__}
        fields.pop("owner")
        rows.append({"selected": True, **fields})
    return rows
