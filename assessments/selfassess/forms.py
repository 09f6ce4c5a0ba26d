"""Forms of the self-assessment loop: one form per question screen, and OH's forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.people.models import Department, Employee
from assessments.selfassess.models import EventKind
from assessments.selfassess.questions import YES, Question, Screen

REPLY_MAX = 2000


def _field(question: Question) -> forms.Field:
    if question.kind in ("choice", "yesno"):
        return forms.ChoiceField(
            label=question.label,
            choices=question.choices,
            widget=forms.RadioSelect,
            required=question.required,
        )
    if question.kind == "whole":
        return forms.IntegerField(
            label=question.label,
            min_value=int(question.low),
            max_value=int(question.high),
            required=question.required,
        )
    return forms.FloatField(
        label=question.label,
        min_value=question.low,
        max_value=question.high,
        required=question.required,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class ScreenForm(forms.Form):
    """One screen of questions; the cross-question rules give a message next to the field."""

    screen: Screen

    def __init__(self, *args: Any, screen: Screen, age: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.screen = screen
        self.age = age
        for question in screen.questions:
            self.fields[question.name] = _field(question)

    def _longest(self, hours: str, minutes: str) -> None:
        h, m = self.cleaned_data.get(hours), self.cleaned_data.get(minutes)
        if h is not None and m is not None and m > h * 60:
            self.add_error(
                minutes,
                _("The longest stretch cannot be longer than the whole day's %(h)g hours.")
                % {"h": h},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key = self.screen.key
        if key == "display":
            self._longest("screen_hours", "screen_longest_minutes")
        elif key == "desk":
            self._longest("phone_hours", "phone_longest_minutes")
        elif key == "sitting":
            worked, sitting = data.get("hours_worked_per_day"), data.get("sitting_hours")
            if worked is not None and worked <= 0:
                self.add_error("hours_worked_per_day", _("Enter the hours of a usual working day."))
            elif worked is not None and sitting is not None and sitting > worked:
                self.add_error(
                    "sitting_hours", _("Sitting hours cannot be more than the hours you work.")
                )
            self._longest("sitting_hours", "longest_sitting_bout_minutes")
        elif key == "back":
            if data.get("current_pain") == YES and data.get("pain_duration_weeks") is None:
                self.add_error(
                    "pain_duration_weeks", _("Say for how many weeks (roughly is fine).")
                )
            onset = data.get("back_pain_onset_age")
            if onset is not None and self.age is not None and onset > self.age:
                self.add_error(
                    "back_pain_onset_age",
                    _("This is more than the age you gave (%(age)d).") % {"age": self.age},
                )
        return data


class InviteForm(forms.Form):
    WHO = (
        ("employee", _("One employee")),
        ("department", _("A department")),
        ("references", _("A list of HR references")),
    )
    who = forms.ChoiceField(label=_("Invite"), choices=WHO, widget=forms.RadioSelect)
    employee = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.filter(active=True, anonymised_at__isnull=True),
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.select_related("site"), required=False
    )
    references = forms.CharField(
        label=_("HR references"),
        help_text=_("One per line, or separated by commas or spaces."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        who = data.get("who")
        if who == "employee" and not data.get("employee"):
            self.add_error("employee", _("Choose the employee."))
        if who == "department" and not data.get("department"):
            self.add_error("department", _("Choose the department."))
        if who == "references" and not (data.get("references") or "").split():
            self.add_error("references", _("Paste at least one HR reference."))
        return data


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question to the employee"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REPLY_MAX,
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=REPLY_MAX
    )


class SignOffForm(forms.Form):
    advice = forms.CharField(
        label=_("Advice to the employee"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REPLY_MAX,
    )
    actions = forms.MultipleChoiceField(
        label=_("Workplace actions to create"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = choices


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices)
    occurred_on = forms.DateField(
        label=_("Date"),
        initial=dt.date.today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ConsentRecordForm(forms.Form):
    """OH records the employee's decision, given in person, with a note."""

    status = forms.ChoiceField(
        label=_("The employee's decision"),
        choices=[
            ("given", _("Consents to share with their manager")),
            ("refused", _("Objects: do not share")),
            ("withdrawn", _("Withdraws an earlier consent")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (when, where, how it was given)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
