"""Formatting of a report's figures: suppressed cells, shares, ratios and flags."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()
# Shown where there is no figure.
DASH = "\u2013"

FLAGS = {
    "under": ("Under-represented", "govuk-tag--red"),
    "over": ("Over-represented", "govuk-tag--blue"),
    # Neither finding is clear from the interval: not evidence that the group takes part
    # in line with residents (a ratio of 0.69, 0.53 to 0.88, is no clear gap either).
    "in_line": ("No clear gap", "govuk-tag--grey"),
    "too_few": ("Too few to say", "govuk-tag--grey"),
    "suppressed": ("Not shown", "govuk-tag--grey"),
}
TARGETS = {
    "within": ("Within target", "govuk-tag--green"),
    "below": ("Below target", "govuk-tag--red"),
    "above": ("Above target", "govuk-tag--yellow"),
    "not_shown": ("Not shown", "govuk-tag--grey"),
}


# A constant with no values in it: nothing to escape.
SUPPRESSED = mark_safe(  # nosec B308
    '<span aria-hidden="true">[c]</span><span class="govuk-visually-hidden">not shown</span>'
)


@register.filter
def count(value):
    """A count, or the marker for a suppressed one."""
    if value is None:
        return SUPPRESSED
    return f"{value:,}"


@register.filter
def pct(value, digits: int = 1):
    if value is None:
        return DASH
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def num(value, digits: int = 2):
    if value is None:
        return DASH
    return f"{float(value):,.{int(digits)}f}"


@register.filter
def flag_tag(code):
    if not code:
        return ""
    label, css = FLAGS.get(code, (code, "govuk-tag--grey"))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


@register.filter
def target_tag(code):
    label, css = TARGETS.get(code, (code, "govuk-tag--grey"))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


@register.filter
def p_value(value):
    if value is None:
        return DASH
    return "< 0.001" if value < 0.001 else f"{value:.3f}"
