"""Text that PostgreSQL cannot store (a NUL character) typed into a field no form checks,
or carried in an imported sheet: refused with a 400 or the line it is on, nothing saved."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from engagement.imports import ImportRefusedError, participation_import
from engagement.models import (
    Attendance,
    Event,
    Participant,
    StreetChampion,
    VolunteerActivity,
)
from tests.engagement.factories import (
    EventFactory,
    StreetChampionFactory,
    VolunteerActivityFactory,
)

pytestmark = pytest.mark.django_db

HEADER = (
    "reference,event,date,postcode,ward_code,year_of_birth,sex,gender_identity,"
    "sexual_orientation,ethnic_group,disability,religion,consent\n"
)


@pytest.fixture
def forum(ward):
    starts = datetime(2026, 3, 14, 18, 0, tzinfo=ZoneInfo("Europe/London"))
    return EventFactory(
        title="Spring forum", area=ward, starts_at=starts, ends_at=starts.replace(hour=20)
    )


@pytest.mark.parametrize(
    "line",
    [
        "S-\x001,Spring forum,2026-03-14,,,,,,,,,,yes",
        "S-1,Spring\x00forum,2026-03-14,,,,,,,,,,yes",
        "S-1,Spring forum,2026-03-14,,E05\x00001234,,,,,,,,yes",
    ],
)
def test_participation_import_refuses_a_nul_character_with_its_line(forum, line):
    """PostgreSQL neither stores nor matches a NUL: the sheet is refused, nothing written."""
    # given
    text = HEADER + "S-2,Spring forum,2026-03-14,,,,,,,,,,yes\n" + line + "\n"
    # when
    with pytest.raises(ImportRefusedError) as raised:
        participation_import(text=text)
    # then
    assert [error["line"] for error in raised.value.errors] == [3]
    assert "NUL" in raised.value.errors[0]["message"]
    assert not Participant.objects.exists()
    assert not Attendance.objects.exists()


def test_a_champion_status_reason_with_a_nul_character_is_a_400(client, officer, ward):
    # given
    champion = StreetChampionFactory(
        participant__home_ward=ward, status=StreetChampion.Status.ACTIVE
    )
    client.force_login(officer)
    # when
    response = client.post(
        f"/staff/champions/{champion.pk}/", {"action": "pause", "reason": "Away\x00 a month"}
    )
    # then
    assert response.status_code == 400
    champion.refresh_from_db()
    assert champion.status == StreetChampion.Status.ACTIVE


def test_an_activity_cancel_reason_with_a_nul_character_is_a_400(client, officer, ward):
    # given
    activity = VolunteerActivityFactory(area=ward)
    client.force_login(officer)
    # when
    response = client.post(
        activity.get_absolute_url(), {"action": "cancel", "cancel-reason": "Rain\x00 all day"}
    )
    # then
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.status != VolunteerActivity.Status.CANCELLED


@pytest.mark.parametrize(
    ("starts", "ends"),
    [("31/12/9999 21:00", "31/12/9999 23:00"), ("01/01/0001 00:00", "01/01/0001 02:00")],
)
def test_an_event_at_the_ends_of_the_calendar_is_refused_by_the_form(
    client, officer, ward, starts, ends
):
    """Pages add hours to an event's times: a date the calendar cannot take hours past is
    refused, rather than saved for its pages to fail on."""
    # given
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:event_create"),
        {
            "title": "Forever forum",
            "kind": "forum",
            "starts_at": starts,
            "ends_at": ends,
            "place": "Town hall",
            "area": ward.pk,
        },
    )
    # then
    assert response.status_code == 400
    assert b"must fall between 1900 and 2100" in response.content
    assert not Event.objects.filter(title="Forever forum").exists()
