"""Bad input outside a form's validation: a clear 4xx or refusal, never a 500 or a
traceback, and nothing half-written. `str.isdigit()` takes "²" and other Unicode digits,
which `int()` refuses, and `int()` refuses more than 4,300 digits outright."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from engagement.models import ActivityRosterEntry
from tests.engagement.factories import (
    IssueReportFactory,
    ParticipantFactory,
    RosterEntryFactory,
    VolunteerActivityFactory,
)

pytestmark = pytest.mark.django_db

NOT_ASCII_DIGITS = ["²", "٣", "12³"]
# More digits than int() reads, and more than any id column holds.
TOO_LONG = ["9" * 5000, "9" * 20]
NOT_AN_ID = NOT_ASCII_DIGITS + TOO_LONG


@pytest.mark.parametrize("value", NOT_AN_ID)
@pytest.mark.parametrize(
    ("page", "parameter"),
    [
        # the blank form, as for any other unknown task
        ("engagement:assessment_create", "task"),
        # every report, as for any other unknown task
        ("engagement:activity_report_list", "task"),
        # every ward's champions
        ("engagement:champion_list", "area"),
    ],
)
def test_an_id_in_other_digits_is_no_id(client, officer, page, parameter, value):
    """An id in digits int() refuses is read as no id, not a 500."""
    # given
    client.force_login(officer)
    # when
    response = client.get(reverse(page), {parameter: value})
    # then
    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_AN_ID)
def test_roster_withdraw_of_an_entry_in_other_digits_is_a_400(client, officer, ward, value):
    """Taking off a roster place given in digits int() refuses is a bad request."""
    # given
    activity = VolunteerActivityFactory(area=ward)
    entry = RosterEntryFactory(activity=activity)
    client.force_login(officer)
    # when
    response = client.post(activity.get_absolute_url(), {"action": "withdraw", "entry": value})
    # then
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.status != ActivityRosterEntry.Status.WITHDRAWN


@pytest.mark.parametrize("value", ["R²", "R12³", "²"])
def test_report_merge_into_a_reference_in_other_digits_is_a_400(client, officer, ward, value):
    """Merging into a reference written in digits int() refuses says what to enter."""
    # given
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:report_manage", args=[report.pk]),
        {"action": "merge", "into": value},
    )
    # then
    assert response.status_code == 400
    assert b"Enter a reference like R000123" in response.content


@pytest.mark.parametrize(
    "command", ["import_participation", "import_census", "import_spend", "import_lookup"]
)
def test_an_import_command_given_a_folder_ends_with_a_command_error(command, tmp_path):
    """A folder where a file should be is a CommandError, not a traceback."""
    # when
    with pytest.raises(CommandError) as raised:
        call_command(command, str(tmp_path))
    # then
    assert str(tmp_path) in str(raised.value)


@pytest.mark.parametrize(
    "params",
    [
        {"end_date": "0001-01-01T00:00:00Z"},
        {"end_date": "0001-03-01T00:00:00+01:00"},
        {"start_date": "9999-12-31T23:59:59-01:00"},
    ],
)
def test_open311_dates_at_the_ends_of_the_calendar_are_400(params):
    """Open311 takes 90 days off end_date for a default start: a date with no 90 days
    before it, or one no datetime holds in UTC, is a 400 in the specification's shape."""
    # when
    response = APIClient().get("/open311/v2/requests.json", params)
    # then
    assert response.status_code == 400
    (error,) = response.json()
    assert error["code"] == 400


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("engagement:report_start", {"category": "fly\x00tipping"}),
        ("engagement:volunteer_list", {"q": "Sam\x00"}),
        ("engagement:participant_list", {"q": "Sam\x00"}),
    ],
)
def test_a_nul_character_in_a_query_string_is_a_400(client, officer, name, params):
    """PostgreSQL takes no NUL in a query: a search or a category holding one is a 400
    (SQLite takes it, so this fails only on PostgreSQL without the check)."""
    # given
    client.force_login(officer)
    # when
    response = client.get(reverse(name), params)
    # then
    assert response.status_code == 400
