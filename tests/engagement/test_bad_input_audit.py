"""Text that PostgreSQL cannot store (a NUL character) typed into a field no form checks,
or carried in an imported sheet: refused with a 400 or the line it is on, nothing saved."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from engagement.imports import ImportRefusedError, participation_import
from engagement.models import Attendance, Participant, StreetChampion, VolunteerActivity
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
