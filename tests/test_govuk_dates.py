"""Times as GOV.UK writes them, in the council's time zone."""

from datetime import UTC, datetime, time

import pytest
from django.template import Context, Template

from coproduction.templatetags.govuk_dates import govuk_datetime, govuk_time


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(9, 0), "9am"),
        (time(9, 5), "9:05am"),
        (time(17, 30), "5:30pm"),
        (time(12, 0), "midday"),
        (time(12, 15), "12:15pm"),
        (time(0, 0), "midnight"),
        (time(0, 30), "12:30am"),
        (time(23, 59), "11:59pm"),
        (None, ""),
    ],
)
def test_govuk_time(value, expected):
    assert govuk_time(value) == expected


def test_govuk_datetime_with_the_day_as_asked():
    value = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert govuk_datetime(value) == "14 March 2026, 9:30am"
    assert govuk_datetime(value, "l j F Y") == "Saturday 14 March 2026, 9:30am"
    assert govuk_datetime(None) == ""


def test_templates_show_an_aware_time_in_the_councils_time_zone(settings):
    # given: 16:30 UTC in British Summer Time is 5:30pm in London
    settings.TIME_ZONE = "Europe/London"
    moment = datetime(2026, 7, 1, 16, 30, tzinfo=UTC)
    # when
    rendered = Template("{{ moment|govuk_datetime }} to {{ moment|govuk_time }}").render(
        Context({"moment": moment})
    )
    # then: built into every template, no {% load %}
    assert rendered == "1 July 2026, 5:30pm to 5:30pm"
