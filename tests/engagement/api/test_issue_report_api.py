"""/api/v1/issue-reports/: reports routed to a team the agency runs, in its areas, without
the reporter; the agency moves them along with a public update."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagement.models import IssueReport, IssueReportUpdate
from governance.models import AuditEvent
from tests.api.fixtures import api_for
from tests.engagement.factories import AreaTeamFactory, IssueReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_team(police, aap):
    return AreaTeamFactory(
        name="Northfield Safer Neighbourhood Team", areas=[aap], partner_agency=police
    )


@pytest.fixture
def police_report(police_team, ward_participant):
    return IssueReportFactory(reporter=ward_participant)


def url(report, suffix: str = "") -> str:
    return f"/api/v1/issue-reports/{report.pk}/{suffix}"


def test_agency_sees_its_teams_reports_without_the_reporter(
    police_api, police_report, ward_participant
):
    # when
    response = police_api.get("/api/v1/issue-reports/")
    # then
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [police_report.pk]
    assert rows[0]["team"] == "Northfield Safer Neighbourhood Team"
    assert rows[0]["state"]["code"] == police_report.state.code
    text = response.content.decode()
    assert ward_participant.full_name not in text
    assert ward_participant.email not in text
    assert "reporter" not in rows[0]


def test_agency_does_not_see_reports_of_council_teams(police_api, ward_report):
    # when
    response = police_api.get("/api/v1/issue-reports/")
    # then
    assert response.json()["count"] == 0
    assert police_api.get(url(ward_report)).status_code == 404


def test_another_agency_gets_404(fire_api, police_report):
    # when / then
    assert fire_api.get(url(police_report)).status_code == 404
    assert (
        fire_api.post(
            url(police_report, "transition/"), {"state": "fixed", "note": "x"}, format="json"
        ).status_code
        == 404
    )


def test_agency_moves_its_report_along_with_a_public_update(
    police_api, police_client, police_report
):
    # when
    response = police_api.post(
        url(police_report, "transition/"),
        {"state": "fixed", "note": "Officers moved the group on and the council cleared it."},
        format="json",
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["state"]["code"] == "fixed"
    assert response.json()["updates"][-1]["note"].startswith("Officers moved")
    police_report.refresh_from_db()
    assert police_report.fixed_at is not None
    update = IssueReportUpdate.objects.get(report=police_report, to_state__code="fixed")
    assert update.actor is None
    assert AuditEvent.objects.filter(
        action="engagement.report.transition", api_client=police_client.client_id
    ).exists()


def test_the_same_update_sent_twice_reaches_the_reporter_once(
    police_api, police_report, django_capture_on_commit_callbacks
):
    # given: the update posted, then the same call again (a retry without a key)
    body = {"state": "investigating", "note": "An officer will visit on Friday."}
    with django_capture_on_commit_callbacks(execute=True):
        first = police_api.post(url(police_report, "transition/"), body, format="json")
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = police_api.post(url(police_report, "transition/"), body, format="json")
    progress = police_api.post(
        url(police_report, "transition/"),
        {"state": "investigating", "note": "The visit found the source."},
        format="json",
    )
    # then: the repeat is refused and nothing is sent; a new note in the same state is a
    # progress update
    assert first.status_code == 200
    assert again.status_code == 400
    assert "already" in again.json()["detail"]
    assert callbacks == []
    assert progress.status_code == 200
    notes = list(
        IssueReportUpdate.objects.filter(report=police_report)
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes[-2:] == ["An officer will visit on Friday.", "The visit found the source."]


def test_update_needs_a_note_and_a_real_state(police_api, police_report):
    before = IssueReportUpdate.objects.count()
    # when
    no_note = police_api.post(url(police_report, "transition/"), {"state": "fixed"}, format="json")
    blank = police_api.post(
        url(police_report, "transition/"), {"state": "fixed", "note": "   "}, format="json"
    )
    duplicate = police_api.post(
        url(police_report, "transition/"), {"state": "duplicate", "note": "Same"}, format="json"
    )
    # then
    assert no_note.status_code == blank.status_code == duplicate.status_code == 400
    assert IssueReportUpdate.objects.count() == before


def test_transition_needs_reports_write(police_client, police_report):
    # given
    api = api_for(police_client, scope="reports:read")
    # when
    response = api.post(
        url(police_report, "transition/"), {"state": "fixed", "note": "Done"}, format="json"
    )
    # then
    assert response.status_code == 403
    assert "reports:write" in response.json()["detail"]


ANY = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from("\x00\x01\n-_abcdefixé𝄞"), max_size=40),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "x" * n),
    st.none(),
    st.integers(),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(state=ANY, note=ANY)
def test_any_transition_input_is_a_4xx_never_a_500(police_api, police_report, state, note):
    # when
    response = police_api.post(
        url(police_report, "transition/"), {"state": state, "note": note}, format="json"
    )
    # then
    assert response.status_code in {200, 400}, response.content[:300]


def test_a_far_fetched_time_zone_is_a_400(police_api, police_report):
    # when
    response = police_api.get(
        "/api/v1/issue-reports/", {"created_after": "2383-06-12T18:56:31.954-19:17"}
    )
    # then
    assert response.status_code == 400
    assert "created_after" in response.json()


@pytest.mark.parametrize("page_size", [1, 10])
def test_issue_report_list_query_count_is_constant(
    police_api, police_team, ward_participant, django_assert_num_queries, page_size
):
    # given
    for _ in range(12):
        IssueReportFactory(reporter=ward_participant)
    assert IssueReport.objects.filter(team=police_team).count() == 12
    # when / then
    # token with its application, client and agency; page and total with category, state,
    # ward and team; their updates with states; audit insert
    with django_assert_num_queries(4):
        response = police_api.get(f"/api/v1/issue-reports/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)
