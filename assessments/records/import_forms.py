"""Reading an interchange JSON file (docs/interchange.md) into a new draft, with every
problem reported at its place in the file ("sitting.pct_sitting", "lifting_tasks[2].load").

First every string in the file, names included, must be one the database can store (a
JSON escape can spell out a NUL or a lone surrogate, which no typed text contains). Then the
file is checked twice, as a person's typing is: first by the scoring package
(`interchange.parse_input`, the same check completion makes), then section by section and
task by task by the forms of the assessment editor, so an imported draft holds nothing the
editor would have refused.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.core.text import UNSTORABLE_MESSAGE, printable, unstorable
from assessments.records import sections
from assessments.records.forms import LiftingTaskForm
from assessments.scoring import interchange

TOO_LARGE_CODE = "too_large"
TOO_LARGE_MESSAGE = _("The file is {size} KB; the largest accepted is {limit} KB.")
NOT_JSON_MESSAGE = _("The file is not valid JSON: {problem}.")
NOT_UTF8_MESSAGE = _("The file is not UTF-8 text.")
PROBLEMS_MESSAGE = _("Nothing was imported: the file has {count} problem(s), listed below.")


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f'the key "{key}" appears twice in one object')
        result[key] = value
    return result


def _unstorable_strings(document: Any) -> list[tuple[str, str]]:
    """(path, message) for every string in the document, names included, that the
    database could not store (`assessments.core.text`), in document order."""
    found: list[tuple[str, str]] = []
    pending: list[tuple[str, Any]] = [("", document)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            character = unstorable(value)
            if character:
                found.append((path, str(UNSTORABLE_MESSAGE).format(character=character)))
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                child = f"{path}.{printable(key)}" if path else printable(key)
                character = unstorable(key)
                if character:
                    found.append((child, str(UNSTORABLE_MESSAGE).format(character=character)))
                children.append((child, item))
            pending.extend(reversed(children))
        elif isinstance(value, list):
            pending.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))
    return found


def _form_data(form_class: type[forms.BaseForm], values: dict[str, Any]) -> dict[str, Any]:
    """Interchange values as the editor's form would receive them."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            data[name] = "on" if value else ""
        elif isinstance(value, float):
            data[name] = repr(value)
        elif isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    return data


class AssessmentImportForm(forms.Form):
    document = forms.FileField(
        label=_("Assessment file (JSON)"),
        help_text=_(
            "An input document in the interchange format (docs/interchange.md), as the "
            "scoring command line reads it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        #: (path in the file, message) for every problem found.
        self.path_errors: list[tuple[str, str]] = []
        self.sections: dict[str, dict[str, Any] | None] = {}
        self.tasks: list[dict[str, Any]] = []

    def clean_document(self) -> Any:
        upload = self.cleaned_data["document"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                TOO_LARGE_MESSAGE.format(
                    size=(upload.size + 1023) // 1024, limit=self.max_bytes // 1024
                ),
                code=TOO_LARGE_CODE,
            )
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(NOT_UTF8_MESSAGE) from None
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            problem = f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
            raise forms.ValidationError(NOT_JSON_MESSAGE.format(problem=problem)) from None
        except RecursionError:
            raise forms.ValidationError(
                NOT_JSON_MESSAGE.format(problem="it is nested too deeply")
            ) from None
        except ValueError as exc:  # a duplicate key, or a number with too many digits
            raise forms.ValidationError(NOT_JSON_MESSAGE.format(problem=str(exc))) from None
        self.path_errors = _unstorable_strings(data)
        if not self.path_errors:  # else stop: other messages could quote those strings
            try:
                parsed = interchange.parse_input(data)
            except interchange.InputErrors as exc:
                self.path_errors = [(error.path, error.message) for error in exc.errors]
            else:
                # The editor's forms check the document in the current version (an older
                # version's answers are mapped onto the current questions by parse_input).
                current = interchange.dump_input(parsed) if data.get("version") == 1 else data
                self._check_with_editor_forms(current)
        if self.path_errors:
            raise forms.ValidationError(PROBLEMS_MESSAGE.format(count=len(self.path_errors)))
        return upload

    def _check_with_editor_forms(self, data: dict[str, Any]) -> None:
        for kind in sections.SECTIONS:
            name, form_class = kind.key, kind.form
            values = data.get(name)
            if values is None:
                self.sections[name] = None
                continue
            form = form_class(_form_data(form_class, values))
            if form.is_valid():
                self.sections[name] = form.section_values()  # type: ignore[attr-defined]
            else:
                self._collect(name, form)
        for position, values in enumerate(data.get("lifting_tasks") or []):
            task_form = LiftingTaskForm(_form_data(LiftingTaskForm, values))
            if task_form.is_valid():
                self.tasks.append(task_form.section_values())
            else:
                self._collect(f"lifting_tasks[{position}]", task_form)

    def _collect(self, prefix: str, form: forms.BaseForm) -> None:
        for field, messages in form.errors.items():
            path = prefix if field == forms.forms.NON_FIELD_ERRORS else f"{prefix}.{field}"
            for message in messages:
                self.path_errors.append((path, str(message)))

    @property
    def too_large(self) -> bool:
        return self.has_error("document", TOO_LARGE_CODE)
