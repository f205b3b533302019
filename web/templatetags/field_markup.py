"""Form fields in markup built in Python, for the forms a page repeats (a set form on every
exercise card, a row per week in the builder) and the pages served most (a session's finish and
comment forms): `as_bootstrap_field` writes what crispy-forms' bootstrap5 pack gives a text-like
input or a textarea (label, control, errors and help text, with their ids and aria), and
`as_plain_widget` what `{{ field }}` gives, without crispy's template per field and Django's
three templates per widget (at twenty fields a page, a third of Today's time). Forms shown once,
on pages seldom served, keep crispy.

Built with f-strings, every value through conditional_escape, each piece marked safe once:
format_html per attribute cost as much as the templates it replaced.
"""

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def _attributes(attrs):
    """As Django's attrs.html writes them: in order, True bare, False and None left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _is_single_select(widget):
    return isinstance(widget, forms.Select) and not widget.allow_multiple_selected


def _is_plain_input(widget):
    """An <input> that input.html writes alone: not a checkbox (checked, its own wrapper in
    crispy) nor a file input (its own template)."""
    return isinstance(widget, forms.widgets.Input) and not isinstance(
        widget, forms.CheckboxInput | forms.FileInput
    )


def _widget_context(field, extra_attrs):
    """What the widget's template would be given: its type, value as shown and attributes in
    order (the widget's own, `extra_attrs`, then required, aria and id, as as_widget adds
    them). get_context renders nothing."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(extra_attrs, widget)
    if "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


def _input(field, extra_attrs):
    widget = _widget_context(field, extra_attrs)
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(field.html_name)}"{value}{_attributes(widget["attrs"])}>'
    )


def _select(field, extra_attrs):
    context = _widget_context(field, extra_attrs)
    options = []
    for group_name, group_options, _ in context["optgroups"]:
        if group_name:
            raise TypeError(f"{field.html_name}: as_plain_widget has no option groups")
        options.extend(
            f'<option value="{conditional_escape(option["value"])}"'
            f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>"
            for option in group_options
        )
    return (
        f'<select name="{conditional_escape(field.html_name)}"'
        f"{_attributes(context['attrs'])}>{''.join(options)}</select>"
    )


def _textarea(field, extra_attrs):
    widget = _widget_context(field, extra_attrs)
    # Django's textarea.html starts the content on a new line (which the browser drops).
    return (
        f'<textarea name="{conditional_escape(field.html_name)}"{_attributes(widget["attrs"])}>'
        f"\n{conditional_escape(widget['value'] or '')}</textarea>"
    )


@register.filter
def as_plain_widget(field):
    """A field's bare widget, as `{{ field }}` writes it, for an <input> (hidden ones too) or
    a single <select>."""
    widget = field.field.widget
    if _is_plain_input(widget):
        return mark_safe(_input(field, {}))  # nosec B308 B703
    if _is_single_select(widget):
        return mark_safe(_select(field, {}))  # nosec B308 B703
    raise TypeError(f"{field.html_name}: as_plain_widget renders inputs and selects only")


@register.filter
def as_bootstrap_field(field):
    """`field` (a bound field with a text-like input: number, text, email…, a textarea or a
    single select) as crispy's `as_crispy_field` writes it."""
    widget = field.field.widget
    control_class = "form-control"
    if isinstance(widget, forms.Textarea):
        write_control = _textarea
    elif _is_single_select(widget):
        write_control, control_class = _select, "form-select"
    elif _is_plain_input(widget) and not field.is_hidden:
        write_control = _input
    else:
        raise TypeError(
            f"{field.html_name}: as_bootstrap_field renders inputs, textareas and selects"
        )
    # As crispy adds its classes: after the widget's own, each once.
    classes = widget.attrs.get("class", "").split()
    for name in (type(widget).__name__.lower(), control_class, "is-invalid"):
        if name not in classes and (name != "is-invalid" or field.errors):
            classes.append(name)
    field_id = conditional_escape(field.auto_id)
    required = field.field.required
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    label = (
        f'<label for="{conditional_escape(field.id_for_label)}" '
        f'class="form-label{" requiredField" if required else ""}">'
        f"{conditional_escape(field.label)}"
        f"{asterisk}</label>"
    )
    errors = ""
    if field.errors:
        messages = "".join(
            f'<p id="error_{number}_{field_id}"><strong>{conditional_escape(error)}</strong></p>'
            for number, error in enumerate(field.errors, 1)
        )
        errors = f'<div id="{field_id}_error" class="invalid-feedback">{messages}</div>'
    # As crispy does, help texts are written as they are: they are ours, not the user's.
    help_text = (
        f'<div id="{field_id}_helptext" class="form-text">{field.help_text}</div>'
        if field.help_text
        else ""
    )
    control = write_control(field, {"class": " ".join(classes)})
    return mark_safe(  # nosec B308 B703
        f'<div id="div_{field_id}" class="mb-3">{label}{control}{errors}{help_text}</div>'
    )
