"""Small pieces of the project pages: stage tags and money."""

from decimal import Decimal

from django import template
from django.utils.html import format_html

from projects.models import Project

register = template.Library()

STAGE_TAG_COLOURS = {
    Project.Stage.DESIGN: "",
    Project.Stage.COMMISSION: "govuk-tag--purple",
    Project.Stage.DELIVER: "govuk-tag--green",
    Project.Stage.EVALUATE: "govuk-tag--teal",
    Project.Stage.CLOSED: "govuk-tag--grey",
    Project.Stage.STOPPED: "govuk-tag--red",
}


@register.simple_tag
def stage_tag(stage: str) -> str:
    label = Project.Stage(stage).label if stage in Project.Stage.values else stage
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', STAGE_TAG_COLOURS.get(stage, ""), label
    )


@register.filter
def money(value) -> str:
    """£1,234.50, or £1,234 for whole pounds."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


@register.filter
def stage_label(stage: str) -> str:
    return Project.Stage(stage).label if stage in Project.Stage.values else stage


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
