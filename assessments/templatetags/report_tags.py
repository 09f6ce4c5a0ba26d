"""Template tags for print templates: static files as local `file://` URLs."""

from __future__ import annotations

from django import template

from assessments.reports.rendering import static_path

register = template.Library()


@register.simple_tag
def pdf_static(name: str) -> str:
    return static_path(name)
