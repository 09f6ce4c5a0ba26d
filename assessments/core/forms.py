"""Form pieces every package's forms share."""

from __future__ import annotations

import math
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.core.labels import CHOICE_LABELS
from assessments.core.names import person_name


class _NoCrispyFormTag:
    """Crispy renders fields only; templates own the <form> tag and buttons.

    Also gives method options their score-sheet wording (assessments.core.labels).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        fields = self.fields  # type: ignore[attr-defined]
        for name, labels in CHOICE_LABELS.items():
            field = fields.get(name)
            if field is not None and hasattr(field, "choices"):
                field.choices = [(value, labels.get(value, text)) for value, text in field.choices]


class FiniteFloatMixin:
    """Reject NaN and infinity, which Django's FloatField lets through as text 'nan'/'inf'."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name, value in list(cleaned.items()):
            if isinstance(value, float) and not math.isfinite(value):
                self.add_error(name, _("Enter a finite number."))  # type: ignore[attr-defined]
        return cleaned  # type: ignore[no-any-return]


class PersonLabels:
    """Choices of people labelled by their names (`core.names.person_name`), not usernames."""

    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


class PersonChoiceField(PersonLabels, forms.ModelChoiceField):  # type: ignore[type-arg]
    """Choose a person by name."""
