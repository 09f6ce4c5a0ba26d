"""Small template helpers for forms and result dicts."""

from __future__ import annotations

from typing import Any

from django import template

from assessments.core import charts, health
from assessments.core.names import person_name
from assessments.core.wording import indefinite_article

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def bound_field(form: Any, name: str) -> Any:
    return form[name]


@register.filter
def field_label(form: Any, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name.replace("_", " ")


@register.filter
def number(value: Any, places: int = 2) -> str:
    """A number for display, or an em dash when there is none."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):.{int(places)}f}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def humanize_code(value: Any) -> str:
    return str(value).replace("_", " ").capitalize() if value is not None else ""


@register.filter
def band_label(band: Any) -> str:
    """A band's name as people read it: "Very high", "Not assessable"."""
    return charts.BAND_LABELS.get(str(band), str(band).replace("_", " ").capitalize())


@register.filter
def split(value: str) -> list[str]:
    return str(value).split()


@register.filter
def person(user: Any) -> str:
    """A user's full name, else username, else an em dash."""
    return person_name(user) or "—"


@register.filter
def with_article(number: Any) -> str:
    """A number with "a" or "an" before it: {{ hours|floatformat:1|with_article }} -> "an 8.0"."""
    text = str(number)
    return f"{indefinite_article(text)} {text}"


@register.simple_tag(takes_context=True)
def query_without(context: Any, *names: str) -> str:
    """This page's query string without the named parameters (and without `page`)."""
    query = context["request"].GET.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return str(query.urlencode())


@register.simple_tag
def assessment_not_shared() -> str:
    """What a manager reads beside a workplace action whose assessment is not shared."""
    return health.ASSESSMENT_NOT_SHARED
