"""Times as GOV.UK writes them: 9am, 5:30pm, midday, midnight (not 09:00 or 5:30 p.m.).

Built into every template (TEMPLATES' `builtins`). Like Django's `date` filter, each
shows an aware datetime in the current time zone.
"""

from datetime import datetime, time

from django import template
from django.template.defaultfilters import date as date_filter

register = template.Library()


@register.filter(expects_localtime=True)
def govuk_time(value: datetime | time | None) -> str:
    """9am, 9:05am, 5:30pm; midday and midnight by name."""
    if value in (None, ""):
        return ""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


@register.filter(expects_localtime=True)
def govuk_datetime(value: datetime | None, date_format: str = "j F Y") -> str:
    """The day in `date_format` (Django's `date` letters), then the time: "Saturday 14
    March 2026, 9:30am"."""
    if value in (None, ""):
        return ""
    return f"{date_filter(value, date_format)}, {govuk_time(value)}"
