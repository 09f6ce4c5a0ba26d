"""Form fields as Bootstrap 5 markup, written in Python.

The assessment editor shows over a hundred fields at once. Rendered through
crispy-forms' templates they took most of the page's time; `form_field` writes the same
markup directly: the label (a legend for a group of options), the control, the errors
and the help text, with the ARIA links between them (`aria-invalid`,
`aria-describedby`). Django still renders each input and select from its widget.
Widgets it does not know (file inputs) are left to crispy-forms.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SIMPLE = (forms.widgets.Input, forms.Select, forms.Textarea)
_WARNING = '<p class="field-warning mt-n2 mb-2" role="note">⚠ {}</p>'


@register.simple_tag
def form_field(field: forms.BoundField, warnings: Any = None) -> SafeString:
    """One field of a form, with any warnings about its value underneath."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        html = _choice_group(field)
    elif isinstance(widget, forms.CheckboxInput):
        html = _checkbox(field)
    elif isinstance(widget, _SIMPLE) and not isinstance(widget, forms.FileInput):
        html = _control(field)
    else:
        html = as_crispy_field(field)
    notes = format_html_join("", _WARNING, ((warning,) for warning in warnings or ()))
    return mark_safe(html + notes)  # nosec B308 B703 - both parts are built with format_html


def _css(widget: forms.Widget, bootstrap: str, invalid: bool) -> str:
    """The widget's own classes, its kind (as crispy-forms names it) and Bootstrap's."""
    classes = str(widget.attrs.get("class", "")).split()
    wanted = [type(widget).__name__.lower(), *bootstrap.split()] + (
        ["is-invalid"] if invalid else []
    )
    for name in wanted:
        if name not in classes:
            classes.append(name)
    return " ".join(classes)


def _widget(field: forms.BoundField, css: str) -> SafeString:
    """The control, as Django's widget templates write it (`django/forms/widgets/`), for
    inputs, checkboxes, selects and text areas; other widgets through their templates."""
    widget = field.field.widget
    if not isinstance(widget, forms.widgets.Input | forms.Select | forms.Textarea):
        return field.as_widget(attrs={"class": css})
    attrs = field.build_widget_attrs({"class": css}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if isinstance(widget, forms.Select):
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], _attrs(option["attrs"]), option["label"])
                for _, group, _ in context["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', context["name"], _attrs(context["attrs"]), options
        )
    if isinstance(widget, forms.Textarea):
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            _attrs(context["attrs"]),
            context["value"] or "",
        )
    value = "" if context["value"] is None else format_html(' value="{}"', context["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        value,
        _attrs(context["attrs"]),
    )


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes as Django's `attrs.html` writes them: True alone, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _label_text(field: forms.BoundField) -> SafeString:
    if field.field.required:
        return format_html('{}<span class="asteriskField">*</span>', field.label)
    return format_html("{}", field.label)


def _errors(field: forms.BoundField, *, always_shown: bool = False) -> SafeString:
    """The field's errors. Bootstrap shows them after an invalid control; a group of
    options has no such control just before them, so they are shown outright."""
    if not field.errors:
        return SafeString("")
    items = format_html_join(
        "",
        '<span id="error_{}_{}"><strong>{}</strong></span>',
        ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1)),
    )
    return format_html(
        '<div id="{}_error" class="invalid-feedback{}">{}</div>',
        field.auto_id,
        " d-block" if always_shown else "",
        items,
    )


def _help(field: forms.BoundField) -> SafeString:
    if not field.help_text:
        return SafeString("")
    # Help texts are written in the code, not typed by users (as Django treats them).
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>',
        field.auto_id,
        mark_safe(field.help_text),  # nosec B308 B703 - written in the code, not by users
    )


def _control(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
    control = _widget(field, _css(widget, bootstrap, bool(field.errors)))
    required = " requiredField" if field.field.required else ""
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        required,
        _label_text(field),
        control,
        _errors(field),
        _help(field),
    )


def _checkbox(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    control = _widget(field, _css(widget, "form-check-input", bool(field.errors)))
    required = " requiredField" if field.field.required else ""
    return format_html(
        '<div class="mb-3"><div id="div_{}" class="form-check">{}'
        '<label for="{}" class="form-check-label{}">{}</label>{}{}</div></div>',
        field.auto_id,
        control,
        field.id_for_label,
        required,
        _label_text(field),
        _errors(field),
        _help(field),
    )


def _choice_group(field: forms.BoundField) -> SafeString:
    """Radio buttons or checkboxes in a fieldset whose legend is the field's label."""
    invalid = bool(field.errors)
    options = []
    for option in field.subwidgets:
        data = option.data
        attrs = {k: v for k, v in data["attrs"].items() if k not in ("id", "class")}
        if invalid:
            attrs["aria-invalid"] = "true"
        options.append(
            format_html(
                '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" '
                'value="{}" id="{}"{}><label for="{}" class="form-check-label">{}</label></div>',
                data["type"],
                " is-invalid" if invalid else "",
                data["name"],
                data["value"],
                data["attrs"]["id"],
                _attrs(attrs),
                data["attrs"]["id"],
                data["label"],
            )
        )
    described = field.aria_describedby
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset{}><legend class="form-label{} fs-6">{}'
        "</legend><div>{}</div>{}{}</fieldset></div>",
        field.auto_id,
        format_html(' aria-describedby="{}"', described) if described else "",
        " requiredField" if field.field.required else "",
        _label_text(field),
        mark_safe("".join(options)),  # nosec B308 B703 - each built with format_html
        _errors(field, always_shown=True),
        _help(field),
    )
