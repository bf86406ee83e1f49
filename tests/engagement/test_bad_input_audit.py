"""Bad values typed where no form checks them: text PostgreSQL cannot store (a NUL
character) and event times at the ends of the calendar are refused, nothing saved."""

import pytest
from django.urls import reverse

from engagement.models import (
    Event,
    StreetChampion,
    VolunteerActivity,
)
from tests.engagement.factories import (
    StreetChampionFactory,
    VolunteerActivityFactory,
)

pytestmark = pytest.mark.django_db


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
