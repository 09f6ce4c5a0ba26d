"""Input errors shared by every scoring module.

A method module raises :class:`InputError` for one invalid input value, with ``path`` set to
the name of the field at fault ("h_origin") and ``message`` saying what is wrong in the method's
own terms ("70 cm is beyond the 63 cm maximum reach ..."). ``str()`` of the error is
"path: message", the same text the modules used before this class existed.

The interchange layer reads a whole assessment at once, prefixes each path with where the field
sits in the document ("lifting_tasks[1].h_origin", "workstation.seat_height") and raises
:class:`InputErrors` holding every error it found, so a form can show all of them together.

Both classes subclass :class:`ValueError`, so callers that catch ``ValueError`` keep working.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["InputError", "InputErrors", "split_message"]


def split_message(text: str) -> tuple[str, str]:
    """Split "field: message" into ("field", "message").

    The method modules word every validation message as "<field>: <what is wrong>". Text without
    a leading field name (no ": ", or a prefix containing spaces, like a sentence) gives
    ("", text).
    """
    head, sep, tail = text.partition(": ")
    if sep and head and not any(ch.isspace() for ch in head):
        return head, tail
    return "", text


class InputError(ValueError):
    """One invalid input value.

    ``path`` names the field ("h_origin"), later prefixed with its place in an assessment
    document ("lifting_tasks[1].h_origin"); it is "" for an error about the whole document.
    ``message`` says what is wrong and what is allowed.
    """

    path: str
    message: str

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return (InputError, (self.path, self.message))

    def within(self, prefix: str) -> InputError:
        """The same error with its path placed under ``prefix``.

        ``within("workstation")`` turns "seat_height" into "workstation.seat_height";
        ``within("lifting_tasks[1]")`` turns "h_origin" into "lifting_tasks[1].h_origin".
        """
        if not prefix:
            return InputError(self.path, self.message)
        return InputError(f"{prefix}.{self.path}" if self.path else prefix, self.message)

    @classmethod
    def from_exception(cls, error: ValueError, *, default_path: str = "") -> InputError:
        """An :class:`InputError` for any ``ValueError`` raised while validating input.

        An ``InputError`` keeps its path and message. For another ``ValueError`` the field name
        is read from its "field: message" wording; failing that, ``default_path`` is used.
        """
        if isinstance(error, InputError):
            return cls(error.path, error.message)
        path, message = split_message(str(error))
        return cls(path or default_path, message)


class InputErrors(ValueError):
    """Every error found in one assessment document (at least one)."""

    errors: tuple[InputError, ...]

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = tuple(errors)
        if not self.errors:
            raise ValueError("InputErrors needs at least one error")
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)

    def __reduce__(self) -> tuple[type[InputErrors], tuple[tuple[InputError, ...]]]:
        return (InputErrors, (self.errors,))
