"""Agency against agency: what one partner agency's client could learn or change of
another's through the API, and what the audit trail keeps of each attempt.

`police` belongs to the `aap` partnership (`ward` is beneath it); `fire` to a partnership
over `other_ward`'s area (tests/api/fixtures.py).
"""

import pytest

from engagement.inclusion.models import Report
from engagement.models import ActivityRosterEntry
from engagement.volunteering import gate
from governance.models import AuditEvent
from tests.engagement.factories import (
    AttendanceFactory,
    EventFactory,
    ParticipantFactory,
    RiskAssessmentFactory,
    RosterEntryFactory,
    VolunteerActivityFactory,
    VolunteerFactory,
    VolunteerTaskFactory,
)

pytestmark = pytest.mark.django_db


# Volunteer rosters ------------------------------------------------------------------------


@pytest.fixture
def fire_activity_in_police_area(fire, ward):
    """The fire service's activity in a ward the police also cover (so the police see it)."""
    task = VolunteerTaskFactory(name="Litter pick", minimum_age=16)
    RiskAssessmentFactory(task=task, area=ward)
    return VolunteerActivityFactory(
        task=task, area=ward, event=EventFactory(area=ward, organising_agency=fire)
    )


def test_rostering_someone_already_on_another_agencys_activity_is_refused(
    police, police_api, ward, fire_activity_in_police_area
):
    """The "already on it, nothing changes" answer goes only to the activity's organiser:
    to another agency it would say who is rostered there."""
    # given: a volunteer the police know, rostered by the fire service on its activity
    activity = fire_activity_in_police_area
    volunteer = ParticipantFactory(reference="VOL-0001", home_ward=ward)
    AttendanceFactory(
        event=EventFactory(area=ward, organising_agency=police), participant=volunteer
    )
    VolunteerFactory(participant=volunteer)
    RosterEntryFactory(activity=activity, participant=volunteer)
    # when
    response = police_api.post(
        f"/api/v1/volunteer-activities/{activity.pk}/roster/",
        {"volunteer": "VOL-0001"},
        format="json",
    )
    # then: the same refusal as for someone not on it
    assert response.status_code == 400, response.content
    assert [r["code"] for r in response.json()["refusals"]] == [gate.NOT_PERMITTED]
    assert ActivityRosterEntry.objects.get().participant == volunteer
    call = AuditEvent.objects.get(action="api volunteering:write")
    assert call.outcome == AuditEvent.Outcome.REFUSED
    assert not AuditEvent.objects.filter(action="engagement.roster.add").exists()


# Inclusion reports ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scope",
    [
        "partnership:\u00b2",  # a digit to str.isdigit(), not to int()
        "cycle:\u00b9\u00b2",
        "partnership:" + "9" * 25,
    ],
)
def test_a_report_scope_id_that_is_no_number_is_a_400(police_api, partnership, scope):
    # when
    response = police_api.post(
        "/api/v1/reports/", {"scope": scope, "start": "2026-01", "end": "2026-03"}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown scope, or one you may not see."}
    assert not Report.objects.exists()


def test_a_report_request_is_audited_with_the_report_it_made(
    police_client, police_api, partnership, on_commit_now
):
    # when
    response = police_api.post(
        "/api/v1/reports/",
        {"scope": f"partnership:{partnership.pk}", "start": "2026-01", "end": "2026-03"},
        format="json",
    )
    # then
    assert response.status_code == 202, response.content
    call = AuditEvent.objects.get(action="api reports:request")
    assert call.api_client == police_client.client_id
    assert call.object_type == "inclusion.report"
    assert call.object_ids == [str(response.json()["id"])]
    assert call.outcome == AuditEvent.Outcome.OK
