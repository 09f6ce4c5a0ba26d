"""Section forms accept only what the scoring package accepts.

The forms give friendly, early messages for the common mistakes; the scoring package has
the final word on what can be scored (cross-field rules such as "the longest sitting spell
cannot exceed the time spent sitting", or "onset before 40 ticked but back pain started at
50"). After a form's own checks pass, :class:`ScoringRulesMixin` reads the section exactly
as completion will (`interchange.parse_input` on that section alone) and attaches every
error to the field its path names, so a draft can never hold values that later refuse to
score.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.text import capfirst

from assessments.scoring import interchange
from assessments.scoring.errors import InputError

LIFTING = "lifting"


def section_errors(section: str, values: dict[str, Any]) -> list[InputError]:
    """The scoring package's errors for one section's values, paths relative to the section.

    `section` is "workstation", "sitting", "worker" or "lifting" (one lifting task). An
    error about the section as a whole has the path "".
    """
    document: dict[str, Any] = {
        "format": interchange.INPUT_FORMAT,
        "version": interchange.INPUT_VERSION,
    }
    if section == LIFTING:
        document["lifting_tasks"] = [_plain(values)]
        prefix = "lifting_tasks[0]"
    else:
        document[section] = _plain(values)
        prefix = section
    try:
        interchange.parse_input(document)
    except interchange.InputErrors as exc:
        return [_relative(error, prefix) for error in exc.errors]
    return []


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: list(value) if isinstance(value, tuple | set | frozenset) else value
        for key, value in values.items()
    }


def _relative(error: InputError, prefix: str) -> InputError:
    path = error.path
    if path == prefix:
        return InputError("", error.message)
    if path.startswith(prefix + "."):
        return InputError(path.removeprefix(prefix + "."), error.message)
    return InputError("", error.message)


def humanise(message: str, labels: dict[str, str]) -> str:
    """A scoring message with field names ("pct_sitting") replaced by the form's labels."""
    if message.startswith("true, "):  # said of a ticked box
        message = "ticked, " + message.removeprefix("true, ")
    if not labels:
        return capfirst(message)
    names = sorted(labels, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b")
    return str(capfirst(pattern.sub(lambda match: f"“{labels[match.group(1)]}”", message)))


class ScoringRulesMixin:
    """Run the scoring package's validation once a form's own checks have passed.

    The form sets `scoring_section` and provides `section_values()`.
    """

    scoring_section: str = ""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: Any = self
        if not form.is_bound or form._errors or not self.scoring_section:
            return
        labels = {name: str(field.label or name) for name, field in form.fields.items()}
        for error in section_errors(self.scoring_section, form.section_values()):
            field = error.path.split(".", 1)[0].split("[", 1)[0]
            target = field if field in form.fields and field in form.cleaned_data else None
            form.add_error(target, humanise(error.message, labels))
