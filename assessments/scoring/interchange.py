"""The JSON interchange format for one assessment's inputs, and its results as JSON.

Input document (documented field by field in docs/interchange.md)::

    {
      "format": "ergo-assessment-input",
      "version": 1,
      "workstation": {...} | null,      fields of rosa.RosaInput
      "sitting": {...} | null,          fields of sitting.SittingInput
      "worker": {...} | null,           fields of worker.WorkerInput
      "lifting_tasks": [{...}, ...]     fields of niosh.LiftingTask (at most 200 tasks)
    }

Each section object has exactly the field names of its input dataclass. Enums are given as
their string values, ``conditions`` as a list of strings, numbers as JSON numbers; booleans
must be JSON booleans and whole numbers where the method wants an integer. A missing optional
field takes its default; an unknown field is an error. A missing or ``null`` section is not
assessed. In the workstation and sitting sections an item the assessor must answer
(``assessment.ANSWERABLE``) may be missing or ``null``: it is unanswered, and the section is
not scored until every such item is answered (the result lists what is missing).

:func:`parse_input` checks every field of every section and task, then lets each method
validate its section (ranges, cross-field rules), and raises :class:`InputErrors` with every
error found, each with a path such as "workstation.seat_height" or
"lifting_tasks[1].h_origin". :func:`dump_input` writes the same format back (the two
round-trip). :func:`dump_result` turns an :class:`AssessmentResult` into plain JSON values.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import types
import typing
from collections.abc import Mapping, Sequence
from enum import Enum, IntEnum, StrEnum
from typing import Any, Final

from assessments.scoring import niosh, rosa
from assessments.scoring import sitting as sitting_method
from assessments.scoring import worker as worker_method
from assessments.scoring.assessment import (
    ANSWERABLE,
    MAX_LIFTING_TASKS,
    AssessmentInput,
    AssessmentResult,
    IncompleteSection,
    SectionStatement,
)
from assessments.scoring.errors import InputError, InputErrors

__all__ = [
    "INPUT_FORMAT",
    "INPUT_VERSION",
    "MAX_LIFTING_TASKS",
    "SECTIONS",
    "SUPPORTED_VERSIONS",
    "InputError",
    "InputErrors",
    "dump_input",
    "dump_result",
    "parse_input",
    "upgrade_worker_v1",
]

INPUT_FORMAT: Final = "ergo-assessment-input"
"""Value of the document's "format" member."""
INPUT_VERSION: Final = 2
"""Value of the document's "version" member; raised when a field changes meaning."""
SUPPORTED_VERSIONS: Final = (1, INPUT_VERSION)
"""Versions :func:`parse_input` reads. Version 1 documents are upgraded on reading (see
:func:`upgrade_worker_v1`)."""

SECTIONS: Final[Mapping[str, type[Any]]] = types.MappingProxyType(
    {
        "workstation": rosa.RosaInput,
        "sitting": sitting_method.SittingInput,
        "worker": worker_method.WorkerInput,
    }
)
"""Section name -> input dataclass. Lifting tasks are ``niosh.LiftingTask``."""

_TOP_LEVEL: Final = ("format", "version", *SECTIONS, "lifting_tasks", "unassessed_sections")
"""Top-level members. ``unassessed_sections`` is optional (scoring 1.1): a list of
``SectionStatement`` objects, left out when every section was assessed."""


# --------------------------------------------------------------------------------------
# Field descriptions, read from the dataclasses
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    hint: Any
    required: bool


def _fields(cls: type[Any]) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        _Field(
            name=f.name,
            hint=hints[f.name],
            required=f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
        if f.init
    )


_FIELDS: Final[Mapping[type[Any], tuple[_Field, ...]]] = types.MappingProxyType(
    {cls: _fields(cls) for cls in (*SECTIONS.values(), niosh.LiftingTask, SectionStatement)}
)


# --------------------------------------------------------------------------------------
# Value checks
# --------------------------------------------------------------------------------------


class _Bad(Exception):
    """One invalid value: ``message`` explains it, ``suffix`` extends the path ("[2]")."""

    def __init__(self, message: str, suffix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.suffix = suffix


def _show(value: object) -> str:
    """A value as it would appear in JSON, shortened for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _enum_options(kind: type[StrEnum]) -> str:
    return ", ".join(f'"{member.value}"' for member in kind)


def _convert(hint: Any, value: object) -> object:
    """``value`` converted to the type ``hint`` wants, or :class:`_Bad`."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None and len(options) < len(typing.get_args(hint)):
            return None
        if len(options) == 1:
            return _convert(options[0], value)
        raise _Bad(f"unsupported field type {hint!r}")  # pragma: no cover - not in the inputs
    if origin is frozenset:
        (item_hint,) = typing.get_args(hint)
        if isinstance(value, str) or not isinstance(value, list | tuple):
            what = _describe(item_hint)
            raise _Bad(f"expected a list of {what}, got {_kind(value)} {_show(value)}")
        items = []
        for position, item in enumerate(value):
            try:
                items.append(_convert(item_hint, item))
            except _Bad as bad:
                raise _Bad(bad.message, f"[{position}]{bad.suffix}") from None
        return frozenset(items)
    if hint is bool:
        if not isinstance(value, bool):
            raise _Bad(f"expected true or false, got {_kind(value)} {_show(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(f"expected a whole number, got {_kind(value)} {_show(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Bad(f"expected a number, got {_kind(value)} {_show(value)}")
        try:
            number = float(value)
        except OverflowError:
            raise _Bad(f"{_show(value)} is too large to be a number here") from None
        if not math.isfinite(number):
            raise _Bad(f"{_show(value)} is not a finite number; give a finite number")
        return number
    if hint is str:
        if not isinstance(value, str):
            raise _Bad(f"expected text, got {_kind(value)} {_show(value)}")
        return value
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        if not isinstance(value, str) or value not in {m.value for m in hint}:
            raise _Bad(f"{_show(value)} is not one of {_enum_options(hint)}")
        return hint(value)
    raise _Bad(f"unsupported field type {hint!r}")  # pragma: no cover - not in the inputs


def _describe(hint: Any) -> str:
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return f"strings from {_enum_options(hint)}"
    return getattr(hint, "__name__", str(hint))


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------


def _unknown(key: object, known: Sequence[str]) -> str:
    if not isinstance(key, str):
        return f"field names must be strings, got {_show(key)}"
    close = difflib.get_close_matches(key, known, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return f"unknown field{hint} (the fields are listed in docs/interchange.md)"


def _parse_object(
    cls: type[Any],
    data: object,
    prefix: str,
    errors: list[InputError],
    answerable: Mapping[str, object] | None = None,
) -> Any | None:
    """One section or task: every field checked, then the method's own validation.

    An item named in ``answerable`` that is missing or ``null`` is unanswered: the section
    comes back as an :class:`IncompleteSection` (its answered values checked field by field,
    the method's cross-field rules left until every item is answered)."""
    if not isinstance(data, Mapping):
        errors.append(InputError(prefix, f"expected an object, got {_kind(data)} {_show(data)}"))
        return None
    fields = _FIELDS[cls]
    names = [f.name for f in fields]
    found: list[InputError] = []
    for key in data:
        if key not in names:
            path = f"{prefix}.{key}" if isinstance(key, str) else prefix
            found.append(InputError(path, _unknown(key, names)))
    values: dict[str, object] = {}
    unanswered: list[str] = []
    for field in fields:
        path = f"{prefix}.{field.name}"
        if answerable is not None and field.name in answerable and data.get(field.name) is None:
            unanswered.append(field.name)
            continue
        if field.name not in data:
            if field.required:
                found.append(InputError(path, "required field is missing"))
            continue
        try:
            values[field.name] = _convert(field.hint, data[field.name])
        except _Bad as bad:
            found.append(InputError(path + bad.suffix, bad.message))
    if found:
        errors.extend(found)
        return None
    if unanswered:
        return IncompleteSection(section=prefix, answered=values, unanswered=tuple(unanswered))
    try:
        return cls(**values)
    except InputError as error:
        errors.append(error.within(prefix))
    except (ValueError, TypeError, ArithmeticError) as error:
        errors.append(InputError.from_exception(ValueError(str(error))).within(prefix))
    return None


def upgrade_worker_v1(
    worker: Mapping[str, object], errors: list[InputError] | None = None
) -> dict[str, object]:
    """A version-1 worker section in the version-2 fields.

    The pattern questions the pain-pattern screen replaced are folded into it (a ``true`` to
    any of them is a ``true`` to the new question: ``worker.REPLACED_PATTERN_FIELDS``). Red
    flags were booleans: ``true`` becomes ``"yes"`` and ``false`` becomes ``"not_asked"``,
    because version 1 could not tell "no" from "not asked". Questions version 1 did not have
    (stiffness on waking, the reason red flags were not asked) are left unanswered.
    """
    out: dict[str, object] = {}
    for key, value in worker.items():
        new = worker_method.REPLACED_PATTERN_FIELDS.get(key) if isinstance(key, str) else None
        if new is not None:
            if not isinstance(value, bool):
                if errors is not None:
                    errors.append(
                        InputError(
                            f"worker.{key}",
                            f"expected true or false, got {_kind(value)} {_show(value)}",
                        )
                    )
                continue
            out[new] = bool(out.get(new)) or value or bool(worker.get(new) is True)
            continue
        if key in worker_method.RED_FLAG_FIELDS and isinstance(value, bool):
            answer = worker_method.Answer.YES if value else worker_method.Answer.NOT_ASKED
            out[key] = answer.value
            continue
        if key in out and isinstance(out[key], bool) and isinstance(value, bool):
            out[key] = out[key] or value
            continue
        out[key] = value
    return out


def parse_input(data: Mapping[str, object]) -> AssessmentInput:
    """Read an input document; raise :class:`InputErrors` listing every error found."""
    if not isinstance(data, Mapping):
        raise InputErrors(
            [InputError("", f"expected a JSON object, got {_kind(data)} {_show(data)}")]
        )
    errors: list[InputError] = []
    for key in data:
        if key not in _TOP_LEVEL:
            errors.append(
                InputError(key if isinstance(key, str) else "", _unknown(key, _TOP_LEVEL))
            )

    fmt = data.get("format")
    if fmt != INPUT_FORMAT or not isinstance(fmt, str):
        shown = "missing" if "format" not in data else f"{_show(fmt)} is not supported"
        errors.append(InputError("format", f'{shown}; expected "{INPUT_FORMAT}"'))
    version = data.get("version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        shown = "missing" if "version" not in data else f"{_show(version)} is not supported"
        expected = " or ".join(str(v) for v in SUPPORTED_VERSIONS)
        errors.append(InputError("version", f"{shown}; expected {expected}"))

    sections: dict[str, object] = {}
    incomplete: list[IncompleteSection] = []
    for name, cls in SECTIONS.items():
        value = data.get(name)
        if name == "worker" and version == 1 and isinstance(value, Mapping):
            value = upgrade_worker_v1(value, errors)
        parsed = (
            None if value is None else _parse_object(cls, value, name, errors, ANSWERABLE.get(name))
        )
        if isinstance(parsed, IncompleteSection):
            incomplete.append(parsed)
            parsed = None
        sections[name] = parsed

    tasks: list[niosh.LiftingTask] = []
    raw_tasks = data.get("lifting_tasks")
    if raw_tasks is None:
        raw_tasks = []
    if isinstance(raw_tasks, str) or not isinstance(raw_tasks, list | tuple):
        errors.append(
            InputError(
                "lifting_tasks",
                f"expected a list of lifting tasks, got {_kind(raw_tasks)} {_show(raw_tasks)}",
            )
        )
    elif len(raw_tasks) > MAX_LIFTING_TASKS:
        errors.append(
            InputError(
                "lifting_tasks",
                f"{len(raw_tasks)} lifting tasks; at most {MAX_LIFTING_TASKS} are accepted in "
                "one assessment",
            )
        )
    else:
        for position, raw in enumerate(raw_tasks):
            task = _parse_object(niosh.LiftingTask, raw, f"lifting_tasks[{position}]", errors)
            if task is not None:
                tasks.append(task)

    statements: list[SectionStatement] = []
    raw_statements = data.get("unassessed_sections")
    if raw_statements is None:
        raw_statements = []
    if isinstance(raw_statements, str) or not isinstance(raw_statements, list | tuple):
        errors.append(
            InputError(
                "unassessed_sections",
                f"expected a list of statements, got {_kind(raw_statements)} "
                f"{_show(raw_statements)}",
            )
        )
    else:
        for position, raw in enumerate(raw_statements):
            statement = _parse_object(
                SectionStatement, raw, f"unassessed_sections[{position}]", errors
            )
            if statement is not None:
                statements.append(statement)

    if errors:
        raise InputErrors(errors)
    try:
        return AssessmentInput(
            workstation=typing.cast("rosa.RosaInput | None", sections["workstation"]),
            sitting=typing.cast("sitting_method.SittingInput | None", sections["sitting"]),
            worker=typing.cast("worker_method.WorkerInput | None", sections["worker"]),
            lifting_tasks=tuple(tasks),
            incomplete=tuple(incomplete),
            unassessed_sections=tuple(statements),
        )
    except InputError as error:
        raise InputErrors([error]) from None


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _dump_value(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(_dump_value(item) for item in value)  # type: ignore[type-var]
    return value


def _dump_object(obj: object) -> dict[str, object]:
    return {f.name: _dump_value(getattr(obj, f.name)) for f in dataclasses.fields(obj)}  # type: ignore[arg-type]


def _dump_incomplete(part: IncompleteSection) -> dict[str, object]:
    """An incomplete section: its answered values, and ``null`` for each unanswered item."""
    out: dict[str, object] = {}
    for field in _FIELDS[SECTIONS[part.section]]:
        if field.name in part.answered:
            out[field.name] = _dump_value(part.answered[field.name])
        elif field.name in part.unanswered:
            out[field.name] = None
    return out


def dump_input(data: AssessmentInput) -> dict[str, Any]:
    """The input document for ``data`` (``parse_input(dump_input(x)) == x``)."""
    incomplete = {part.section: _dump_incomplete(part) for part in data.incomplete}

    def section(name: str, value: object) -> object:
        if value is not None:
            return _dump_object(value)
        return incomplete.get(name)

    return {
        "format": INPUT_FORMAT,
        "version": INPUT_VERSION,
        "workstation": section("workstation", data.workstation),
        "sitting": section("sitting", data.sitting),
        "worker": section("worker", data.worker),
        "lifting_tasks": [_dump_object(task) for task in data.lifting_tasks],
        **(
            {"unassessed_sections": [_dump_object(s) for s in data.unassessed_sections]}
            if data.unassessed_sections
            else {}
        ),
    }


def _jsonable(value: object) -> object:
    """A JSON-safe copy of a result value (floats that are not finite become None)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, IntEnum):
        return int(value)
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _members((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, Mapping):
        return _members((_key(k), v) for k, v in value.items())
    if isinstance(value, frozenset | set):
        items = [_jsonable(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    raise TypeError(f"cannot convert {type(value).__name__} to JSON")


def _key(key: object) -> str:
    if isinstance(key, Enum):
        return str(key.value)
    return str(key)


def _members(items: typing.Iterable[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in items:
        out[name] = _jsonable(value)
        if isinstance(value, float) and math.isinf(value):
            out[f"{name}_is_infinite"] = True
    return out


def dump_result(result: AssessmentResult) -> dict[str, Any]:
    """The result as plain JSON values, recursively.

    Dataclasses become objects with their field names; StrEnums their string values; IntEnums
    their integers; tuples lists; frozensets sorted lists. An infinite float (an LI when the
    RWL is zero) becomes ``null`` with a neighbouring ``"<name>_is_infinite": true``.
    ``json.dumps(dump_result(r), allow_nan=False)`` always works.
    """
    converted = _jsonable(result)
    assert isinstance(converted, dict)
    return converted
