"""A form field in Bootstrap 5 markup built in Python: the markup crispy-forms' bootstrap5 pack
gives a text-like input (label, input, errors and help text, with their ids and aria), without
its template per field and Django's three templates per widget.

For the forms a page repeats (a set form on every exercise card): at twenty fields a page the
templates were a third of Today's time. Forms shown once keep `as_crispy_field`.
"""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _attributes(attrs):
    """As Django's attrs.html writes them: in order, True bare, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


def _input(field, extra_attrs):
    widget = field.field.widget
    attrs = field.build_widget_attrs({**widget.attrs, **extra_attrs}, widget)
    attrs.setdefault("id", field.auto_id)
    value = widget.format_value(field.value())
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget.input_type,
        field.html_name,
        format_html(' value="{}"', value) if value is not None else "",
        _attributes(attrs),
    )


@register.filter
def as_hidden_input(field):
    """A hidden field's <input>, as `{{ field }}` writes it."""
    if not field.is_hidden:
        raise TypeError(f"{field.html_name}: as_hidden_input renders hidden fields only")
    return _input(field, {})


@register.filter
def as_input_field(field):
    """`field` (a bound field with a text-like input: number, text, email…) as crispy's
    `as_crispy_field` writes it."""
    if not isinstance(field.field.widget, forms.widgets.Input) or field.is_hidden:
        raise TypeError(f"{field.html_name}: as_input_field renders visible <input>s only")
    css_class = f"{type(field.field.widget).__name__.lower()} form-control"
    if field.errors:
        css_class += " is-invalid"
    required = field.field.required
    label = format_html(
        '<label for="{}" class="form-label{}">{}{}</label>',
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
    )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # as crispy does: help texts are ours, not the user's
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        field.auto_id,
        label,
        _input(field, {"class": css_class}),
        errors,
        help_text,
    )
