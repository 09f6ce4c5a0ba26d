"""Forms of assessment sections, lifting tasks, completion and photos."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image

from assessments.core.forms import FiniteFloatMixin, _NoCrispyFormTag
from assessments.records.form_rules import ScoringRulesMixin
from assessments.records.models import (
    AMENDMENT_REASON_MAX_LENGTH,
    AMENDMENT_REASON_REQUIRED,
    LiftingTask,
    Photo,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.records.photos import PHOTO_FORMATS
from assessments.scoring import niosh, sitting, worker
from assessments.scoring.assessment import MAX_STATEMENT_LENGTH

PERCENT_SUM_MESSAGE = _(
    "Sitting, standing, walking and heavy labour must add up to 100% (now {total}%)."
)


PHOTO_UNREADABLE_MESSAGE = _("That file is not a photo we can read.")


PHOTO_TOO_MANY_PIXELS_MESSAGE = _(
    "The photo has too many pixels. The limit is {limit} megapixels: choose a lower "
    "resolution on the camera, or make the photo smaller, and upload it again."
)


PHOTO_LIMITS_HELP = _("A photo of up to {size} MB and {pixels} megapixels.")


def photo_limits_help() -> str:
    """The photo limits in force (settings PHOTO_MAX_MB and PHOTO_MAX_MEGAPIXELS)."""
    return str(PHOTO_LIMITS_HELP).format(
        size=f"{settings.PHOTO_MAX_BYTES / 1_048_576:g}",
        pixels=f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}",
    )


DESK_USED_MESSAGE = _("A sit-stand desk can only be used if one is available.")


MAX_LOAD_MESSAGE = _("The maximum load cannot be lighter than the average load.")


STALE_MESSAGE = _(
    "Someone else saved this section while you were editing it. Nothing was overwritten: "
    "review their values below and re-enter your changes."
)


NOT_ANSWERED = _("— not answered —")


def label_empty_choices(form: forms.BaseForm) -> None:
    """Name the empty option of every choice field "— not answered —": a question starts
    unanswered, never on its best answer."""
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            field.choices = [
                (value, NOT_ANSWERED if value == "" else label) for value, label in field.choices
            ]


class SectionForm(ScoringRulesMixin, FiniteFloatMixin, _NoCrispyFormTag, forms.ModelForm):  # type: ignore[misc]
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version
        label_empty_choices(self)

    def section_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]


class WorkstationForm(SectionForm):
    scoring_section = "workstation"

    class Meta:
        model = WorkstationSection
        fields = WorkstationSection.input_fields
        widgets = {
            name: forms.RadioSelect
            for name in (
                "seat_height",
                "seat_depth",
                "armrests",
                "back_support",
                "monitor",
                "phone",
                "mouse",
                "keyboard",
            )
        }


class SittingForm(SectionForm):
    scoring_section = "sitting"

    class Meta:
        model = SittingSection
        fields = SittingSection.input_fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out (an older form, an import of scoring 1.0): a desk, as scoring 1.0 assumed.
        self.fields["location"].required = False

    def clean_location(self) -> str:
        return self.cleaned_data.get("location") or sitting.SittingLocation.DESK.value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        parts = [
            cleaned.get(name)
            for name in ("pct_sitting", "pct_standing", "pct_walking", "pct_heavy")
        ]
        if all(part is not None for part in parts):
            total = sum(parts)  # type: ignore[arg-type]
            if abs(total - 100) > sitting.PERCENT_TOLERANCE:
                self.add_error("pct_sitting", PERCENT_SUM_MESSAGE.format(total=total))
        if cleaned.get("sit_stand_desk_used") and not cleaned.get("sit_stand_desk_available"):
            self.add_error("sit_stand_desk_used", DESK_USED_MESSAGE)
        return cleaned


class WorkerForm(SectionForm):
    scoring_section = "worker"

    class Meta:
        model = WorkerSection
        fields = WorkerSection.input_fields
        widgets = {
            **{name: forms.RadioSelect for name in worker.RED_FLAG_FIELDS},
            "red_flags_not_asked_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "back_pain_onset_age": _(
                "The age at the first ever episode, not the current one; an estimate is fine. "
                "It answers the inflammatory screen's age questions (ASAS: under 40; NICE "
                "NG65: before 35)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            **worker.PATTERN_FIELDS,
            **worker.YELLOW_FLAG_FIELDS,
            **worker.RED_FLAG_FIELDS,
            **worker.ASAS_FIELDS,
            **worker.NG65_FIELDS,
        }
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
        # A red flag left without an answer is "not asked" (never "no"); completion refuses it
        # until it is answered or the reason it was not asked is recorded.
        for name in worker.RED_FLAG_FIELDS:
            field = self.fields[name]
            field.required = False
            field.empty_value = worker.Answer.NOT_ASKED.value  # type: ignore[attr-defined]

    def section_values(self) -> dict[str, Any]:
        """The section's values, with the onset features the editor does not ask (ASAS "age
        at onset under 40", NG65 "started before 35") set from the onset age when it is
        recorded. A form given them directly (an imported document) keeps its answers."""
        values = super().section_values()
        onset = values.get("back_pain_onset_age")
        for name, limit in worker.ONSET_FEATURES.items():
            if self.add_prefix(name) not in self.data:
                values[name] = onset is not None and onset < limit
        return values

    @classmethod
    def bound_to_saved(cls, section: WorkerSection, *, prefix: str) -> WorkerForm:
        """A form bound to the saved values, validated, so that a message can be shown at a
        field (completion refused while red flags are not asked)."""
        data: dict[str, Any] = {f"{prefix}-lock_version": section.lock_version}
        for name in cls._meta.fields:  # type: ignore[union-attr]
            value = getattr(section, name)
            if value is None or value is False:
                continue
            data[f"{prefix}-{name}"] = "on" if value is True else value
        form = cls(data, instance=section, prefix=prefix)
        form.is_valid()
        return form

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        height, weight, bmi = (cleaned.get(n) for n in ("height_cm", "weight_kg", "bmi"))
        if (height is None) != (weight is None):
            self.add_error(
                "weight_kg" if weight is None else "height_cm",
                _("Enter both height and weight to calculate BMI, or neither."),
            )
        if height and weight and bmi:
            computed = weight / (height / 100) ** 2
            if abs(computed - bmi) > 0.5:
                self.add_error(
                    "bmi",
                    _(
                        "BMI {bmi:g} does not match height and weight (which give {computed:.1f}); "
                        "leave BMI empty to calculate it."
                    ).format(bmi=bmi, computed=computed),
                )
        if cleaned.get("current_pain") and cleaned.get("pain_duration_weeks") is None:
            self.add_error(
                "pain_duration_weeks", _("Enter how long this episode has lasted (weeks).")
            )
        age = cleaned.get("age_years")
        onset = cleaned.get("back_pain_onset_age")
        if age is not None and onset is not None and onset > age:
            self.add_error("back_pain_onset_age", _("Onset age cannot be above the current age."))
        return cleaned


# Plausibility limits: beyond these a value is a typo, not a measurement.
_PLAUSIBLE = {
    "metric": {"load": 200, "h": 150, "v": 250, "unit": "cm", "mass": "kg"},
    "us": {"load": 440, "h": 60, "v": 100, "unit": "in", "mass": "lb"},
}


class LiftingTaskForm(ScoringRulesMixin, FiniteFloatMixin, _NoCrispyFormTag, forms.ModelForm):  # type: ignore[misc]
    scoring_section = "lifting"
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    conditions = forms.MultipleChoiceField(
        label=_("Conditions outside the equation's assumptions"),
        choices=[(c.value, niosh.CONDITION_LABELS[c]) for c in niosh.Condition],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Tick any that apply. The task is still recorded, but the NIOSH equation is "
            "marked not applicable and the reason is shown."
        ),
    )

    class Meta:
        model = LiftingTask
        fields = LiftingTask.input_fields
        help_texts = {
            "load": _("Weight of the object lifted, including the container."),
            "max_load": _("Heaviest load of this task, if different (used for the FILI)."),
            "h_origin": _(
                "Horizontal distance from the midpoint between the inner ankle bones to the "
                "midpoint between the hands, at the start of the lift."
            ),
            "v_origin": _("Height of the hands above the floor at the start of the lift."),
            "h_dest": _("Horizontal hand distance at the end of the lift."),
            "v_dest": _("Height of the hands above the floor at the end of the lift."),
            "asymmetry_origin": _(
                "Angle of twist between the hands and the mid-sagittal plane at the start, in "
                "degrees (0 = straight in front)."
            ),
            "asymmetry_dest": _("Angle of twist at the end of the lift, in degrees."),
            "frequency": _(
                "Average lifts per minute over a 15-minute sample (less than 1 every 5 min: "
                "enter 0.2)."
            ),
            "duration": _(
                "Short: ≤ 1 h then recovery at least as long; moderate: 1–2 h then recovery "
                "≥ 0.3 × work time; long: 2–8 h with normal breaks."
            ),
            "coupling": _(
                "Good: handles or cut-outs on an optimal container; fair: fingers can be flexed "
                "about 90° under it; poor: no handles, bulky or awkward. If in doubt choose "
                "the worse."
            ),
            "significant_control": _(
                "The object must be re-grasped, held or carefully placed at the destination."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version
        label_empty_choices(self)
        units = self._units()
        unit, mass = _PLAUSIBLE[units]["unit"], _PLAUSIBLE[units]["mass"]
        for name in ("load", "max_load"):
            self.fields[name].label = f"{self.fields[name].label} ({mass})"
        for name in ("h_origin", "v_origin", "h_dest", "v_dest"):
            self.fields[name].label = f"{self.fields[name].label} ({unit})"
        for name in self.fields:
            widget = self.fields[name].widget
            if isinstance(widget, forms.NumberInput):
                widget.attrs.setdefault("step", "any")
                widget.attrs.setdefault("inputmode", "decimal")

    def _units(self) -> str:
        value = self.data.get(self.add_prefix("units")) if self.is_bound else None
        value = value or self.initial.get("units") or self.instance.units or "metric"
        return value if value in _PLAUSIBLE else "metric"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        units = cleaned.get("units") or "metric"
        limits = _PLAUSIBLE.get(units, _PLAUSIBLE["metric"])
        unit, mass = limits["unit"], limits["mass"]
        load = cleaned.get("load")
        if load is not None and load <= 0:
            self.add_error("load", _("Enter the weight lifted; it must be above 0."))
        elif load is not None and load > limits["load"]:
            self.add_error(
                "load",
                _("{load:g} {mass} is not a plausible single lift; check the units.").format(
                    load=load, mass=mass
                ),
            )
        max_load = cleaned.get("max_load")
        if load is not None and max_load is not None and max_load < load:
            self.add_error("max_load", MAX_LOAD_MESSAGE)
        for name in ("h_origin", "h_dest"):
            value = cleaned.get(name)
            if value is not None and value > limits["h"]:
                self.add_error(
                    name,
                    _(
                        "H of {value:g} {unit} is beyond any reach; check the measurement and "
                        "units (the equation's limit is {max:g} {unit})."
                    ).format(value=value, unit=unit, max=niosh.horizontal_limit(units)),
                )
        for name in ("v_origin", "v_dest"):
            value = cleaned.get(name)
            if value is not None and value > limits["v"]:
                self.add_error(
                    name,
                    _(
                        "V of {value:g} {unit} is above any reachable height; check the "
                        "measurement and units."
                    ).format(value=value, unit=unit),
                )
        for name in ("asymmetry_origin", "asymmetry_dest"):
            value = cleaned.get(name)
            if value is not None and value > niosh.ASYMMETRY_MAX_DEGREES:
                self.add_error(
                    name,
                    _("The asymmetry angle is measured from straight ahead, 0–{max:g}°.").format(
                        max=niosh.ASYMMETRY_MAX_DEGREES
                    ),
                )
        frequency = cleaned.get("frequency")
        if frequency is not None and frequency > 60:
            self.add_error(
                "frequency",
                _("{value:g} lifts per minute is not plausible; Table 5 stops at 15.").format(
                    value=frequency
                ),
            )
        return cleaned

    def section_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in LiftingTask.input_fields}


STATEMENT_CHOICES = [
    ("not_applicable", _("Does not apply to this job")),
    ("could_not_assess", _("Applies to this job, but could not be assessed")),
]
STATEMENT_REQUIRED = _(
    "Say whether this section applies to the job: it was not assessed, and the result is "
    "based only on the sections assessed."
)
REASON_REQUIRED = _('Say why, for example "no lifting in this role".')


class CompleteForm(forms.Form):
    """The reassessment date, and a statement for each section not assessed: that it does
    not apply to this job (with why), or that it applies but could not be assessed (which
    makes the band provisional)."""

    reassess_due = forms.DateField(
        label=_("Reassessment due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Set from the risk band; change it if there is a reason to."),
    )

    def __init__(
        self, *args: Any, unassessed: tuple[tuple[str, str], ...] = (), **kwargs: Any
    ) -> None:
        """`unassessed`: (interchange name, title) of each section not assessed."""
        super().__init__(*args, **kwargs)
        self.unassessed = [name for name, _title in unassessed]
        for name, title in unassessed:
            self.fields[f"statement_{name}"] = forms.ChoiceField(
                label=_("%(section)s: not assessed") % {"section": title},
                choices=STATEMENT_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": STATEMENT_REQUIRED},
            )
            self.fields[f"statement_{name}_reason"] = forms.CharField(
                label=_("Why"),
                max_length=MAX_STATEMENT_LENGTH,
                error_messages={"required": REASON_REQUIRED},
                widget=forms.TextInput(attrs={"placeholder": _("e.g. no lifting in this role")}),
            )

    def statement_fields(self) -> list[tuple[Any, Any]]:
        """(choice, reason) bound fields of each section not assessed."""
        return [
            (self[f"statement_{name}"], self[f"statement_{name}_reason"])
            for name in self.unassessed
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        statements = []
        for name in self.unassessed:
            choice = cleaned.get(f"statement_{name}")
            reason = (cleaned.get(f"statement_{name}_reason") or "").strip()
            if choice and reason:
                statements.append(
                    {"section": name, "applies": choice == "could_not_assess", "reason": reason}
                )
        cleaned["statements"] = statements
        return cleaned


class AmendForm(forms.Form):
    """Why a completed assessment is amended: required, stored on the new revision."""

    reason = forms.CharField(
        label=_("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=AMENDMENT_REASON_MAX_LENGTH,
        error_messages={"required": AMENDMENT_REASON_REQUIRED},
        help_text=_(
            "What was wrong or has changed (for example a mis-measured desk height). "
            "Kept with the new revision and shown to occupational health only."
        ),
    )


class PhotoForm(_NoCrispyFormTag, forms.ModelForm):  # type: ignore[misc]
    class Meta:
        model = Photo
        fields = ["image", "section", "caption"]
        widgets = {
            "image": forms.ClearableFileInput(
                attrs={"accept": "image/*", "capture": "environment"}
            ),
            "section": forms.Select(attrs={"class": "form-select"}),
            "caption": forms.TextInput(attrs={"class": "form-control"}),
        }
        # Pillow reads the file once, in clean_image, which tells an image with too many
        # pixels from a file that is not an image at all.
        field_classes = {"image": forms.FileField}

    def __init__(self, *args: Any, max_bytes: int, max_pixels: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.fields["image"].help_text = photo_limits_help()

    def clean_image(self) -> Any:
        upload = self.cleaned_data.get("image")
        if upload is None:
            return upload
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The photo is {size:.1f} MB; the limit is {limit:.0f} MB.").format(
                    size=upload.size / 1_048_576, limit=self.max_bytes / 1_048_576
                )
            )
        too_many_pixels = forms.ValidationError(
            str(PHOTO_TOO_MANY_PIXELS_MESSAGE).format(limit=f"{self.max_pixels / 1_000_000:g}")
        )
        try:
            upload.seek(0)
            with Image.open(upload, formats=PHOTO_FORMATS) as probe:
                pixels = probe.width * probe.height
                if pixels <= self.max_pixels:
                    probe.verify()
        except Image.DecompressionBombError:
            # Pillow refuses to open it at all: far more pixels than any limit we allow.
            raise too_many_pixels from None
        except Exception:  # a damaged or forged file can make Pillow raise anything
            raise forms.ValidationError(PHOTO_UNREADABLE_MESSAGE) from None
        if pixels > self.max_pixels:
            raise too_many_pixels
        upload.seek(0)
        return upload
