from django import template
from django.utils.html import format_html

from programs.rules import prescription_in_words

register = template.Library()


@register.filter
def prescription_line(prescription):
    """A prescription as the coach wrote it, its exercise in bold: "Back squat 4 × 4–6 @ 75% 1RM",
    in the words the athlete's set log uses. A filter, not an included template: the program page
    shows one for every prescription of every week. Its exercise is read: select it for many."""
    return format_html(
        '<span class="fw-semibold">{}</span> {}',
        prescription.exercise.name,
        prescription_in_words(prescription.as_spec()),
    )
