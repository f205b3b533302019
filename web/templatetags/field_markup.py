"""Form fields in markup built in Python, for the forms a page repeats (a set form on every
exercise card, a row per week in the builder) and the pages served most (a session's finish and
comment forms): `as_bootstrap_field` writes what crispy-forms' bootstrap5 pack gives a text-like
input or a textarea (label, control, errors and help text, with their ids and aria), and
`as_plain_widget` what `{{ field }}` gives, without crispy's template per field and Django's
three templates per widget (at twenty fields a page, a third of Today's time). Forms shown once,
on pages seldom served, keep crispy.
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
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        field.html_name,
        format_html(' value="{}"', widget["value"]) if widget["value"] is not None else "",
        _attributes(widget["attrs"]),
    )


def _select(field):
    context = _widget_context(field, {})
    options = []
    for group_name, group_options, _ in context["optgroups"]:
        if group_name:
            raise TypeError(f"{field.html_name}: as_plain_widget has no option groups")
        options.extend(group_options)
    return format_html(
        '<select name="{}"{}>{}</select>',
        field.html_name,
        _attributes(context["attrs"]),
        format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], _attributes(option["attrs"]), option["label"])
                for option in options
            ),
        ),
    )


def _textarea(field, extra_attrs):
    widget = _widget_context(field, extra_attrs)
    # Django's textarea.html starts the content on a new line (which the browser drops).
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        field.html_name,
        _attributes(widget["attrs"]),
        widget["value"] or "",
    )


@register.filter
def as_plain_widget(field):
    """A field's bare widget, as `{{ field }}` writes it, for an <input> (hidden ones too) or
    a single <select>."""
    widget = field.field.widget
    if _is_plain_input(widget):
        return _input(field, {})
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        return _select(field)
    raise TypeError(f"{field.html_name}: as_plain_widget renders inputs and selects only")


@register.filter
def as_bootstrap_field(field):
    """`field` (a bound field with a text-like input: number, text, email…, or a textarea) as
    crispy's `as_crispy_field` writes it."""
    widget = field.field.widget
    if isinstance(widget, forms.Textarea):
        write_control = _textarea
    elif _is_plain_input(widget) and not field.is_hidden:
        write_control = _input
    else:
        raise TypeError(f"{field.html_name}: as_bootstrap_field renders inputs and textareas")
    # As crispy adds its classes: after the widget's own, each once.
    classes = widget.attrs.get("class", "").split()
    for name in (type(widget).__name__.lower(), "form-control", "is-invalid"):
        if name not in classes and (name != "is-invalid" or field.errors):
            classes.append(name)
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
        write_control(field, {"class": " ".join(classes)}),
        errors,
        help_text,
    )
