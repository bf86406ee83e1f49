"""POST /api/v1/indicators/{id}/measurements/: the agency that reports an indicator posts
its readings (the police's quarterly ASB figures); everyone else reads them."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.models import AuditEvent
from projects.models import Measurement
from tests.api.fixtures import api_for
from tests.projects.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

QUARTER = {"measured_on": "2026-09-30", "value": "41", "note": "Q2 2026/27, Police.uk"}


@pytest.fixture
def police_indicator(police, project):
    project.partner_agencies.add(police)
    return IndicatorFactory(
        project=project,
        name="Anti-social behaviour incidents a quarter",
        reported_by=police,
        baseline_value=Decimal("58"),
        baseline_on=datetime.date(2025, 3, 31),
        target_value=Decimal("40"),
        target_on=datetime.date(2027, 3, 31),
    )


def url(indicator) -> str:
    return f"/api/v1/indicators/{indicator.pk}/measurements/"


def test_reporting_agency_posts_a_reading(police_api, police_client, police_indicator):
    # when
    response = police_api.post(url(police_indicator), QUARTER, format="json")
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["measured_on"] == "2026-09-30"
    assert body["value"] == "41.00"
    reading = Measurement.objects.get(indicator=police_indicator)
    assert reading.value == Decimal("41")
    assert AuditEvent.objects.filter(
        action="project.measurement_added",
        api_client=police_client.client_id,
        object_id=str(reading.pk),
    ).exists()


def test_reading_shows_on_the_project_and_in_the_list(police_api, police_indicator, project):
    # given
    police_api.post(url(police_indicator), QUARTER, format="json")
    # when
    readings = police_api.get(url(police_indicator)).json()["results"]
    indicators = police_api.get(f"/api/v1/indicators/?project={project.pk}").json()["results"]
    # then
    assert [r["value"] for r in readings] == ["41.00"]
    assert indicators[0]["reported_by"]["name"] == police_indicator.reported_by.name
    assert indicators[0]["measurements"][0]["measured_on"] == "2026-09-30"


def test_second_reading_for_the_same_date_is_a_conflict(police_api, police_indicator):
    # given
    police_api.post(url(police_indicator), QUARTER, format="json")
    # when
    response = police_api.post(url(police_indicator), {**QUARTER, "value": "44"}, format="json")
    # then
    assert response.status_code == 409
    assert "already a reading for 30 September 2026" in response.json()["detail"]
    assert Measurement.objects.get(indicator=police_indicator).value == Decimal("41")


def test_same_idempotency_key_replays_instead_of_conflicting(police_api, police_indicator):
    # when
    first = police_api.post(
        url(police_indicator), QUARTER, format="json", HTTP_IDEMPOTENCY_KEY="q2-asb"
    )
    again = police_api.post(
        url(police_indicator), QUARTER, format="json", HTTP_IDEMPOTENCY_KEY="q2-asb"
    )
    # then
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Measurement.objects.filter(indicator=police_indicator).count() == 1


def test_an_agency_that_does_not_report_the_indicator_may_not_post(
    police_api, project, police_indicator
):
    # given: an indicator of the same project that the council records itself
    councils = IndicatorFactory(project=project, name="Residents satisfied", reported_by=None)
    # when
    response = police_api.post(url(councils), QUARTER, format="json")
    # then
    assert response.status_code == 403
    assert "reports this indicator" in response.json()["detail"]
    assert not Measurement.objects.exists()


def test_an_agency_outside_the_project_gets_404(fire_api, police_indicator):
    # when
    response = fire_api.post(url(police_indicator), QUARTER, format="json")
    # then
    assert response.status_code == 404
    assert fire_api.get(url(police_indicator)).status_code == 404
    assert not Measurement.objects.exists()


def test_posting_needs_the_outcomes_write_scope(police_client, police_indicator):
    # given
    api = api_for(police_client, scope="projects:read")
    # when
    response = api.post(url(police_indicator), QUARTER, format="json")
    # then
    assert response.status_code == 403
    assert "outcomes:write" in response.json()["detail"]
    assert api.get(url(police_indicator)).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"measured_on": "2026-13-01", "value": "41"}, "measured_on"),
        ({"measured_on": "2024-01-01", "value": "41"}, "measured_on"),
        ({"measured_on": "2999-01-01", "value": "41"}, "measured_on"),
        ({"measured_on": "2026-09-30", "value": "forty"}, "value"),
        ({"measured_on": "2026-09-30", "value": "NaN"}, "value"),
        ({"measured_on": "2026-09-30", "value": "1e20"}, "value"),
        ({"measured_on": "2026-09-30", "value": "41.005"}, "value"),
        ({"measured_on": "2026-09-30"}, "value"),
        ({"measured_on": "2026-09-30", "value": "41", "note": "x" * 301}, "note"),
        ({"measured_on": "2026-09-30", "value": "41", "note": "a\x00b"}, "note"),
    ],
)
def test_bad_readings_are_400_naming_the_field(police_api, police_indicator, body, field):
    # when
    response = police_api.post(url(police_indicator), body, format="json")
    # then
    assert response.status_code == 400
    assert field in response.json()
    assert not Measurement.objects.exists()


ANY = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from("\x00\x01\n0123456789.-e+é𝄞"), max_size=40),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "9" * n),
    st.none(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(measured_on=ANY, value=ANY, note=ANY)
def test_any_input_is_a_4xx_never_a_500(police_api, police_indicator, measured_on, value, note):
    # when
    response = police_api.post(
        url(police_indicator),
        {"measured_on": measured_on, "value": value, "note": note},
        format="json",
    )
    # then
    assert response.status_code in {201, 400, 409}, response.content[:300]


@pytest.mark.parametrize("page_size", [1, 10])
def test_measurement_list_query_count_is_constant(
    police_api, police_indicator, django_assert_num_queries, page_size
):
    # given
    for day in range(12):
        MeasurementFactory(indicator=police_indicator, measured_on=datetime.date(2025, 4, 1 + day))
    # when / then
    # token with its application, client and agency; the indicator (scoped); page and total;
    # audit insert
    with django_assert_num_queries(4):
        response = police_api.get(f"{url(police_indicator)}?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)


@pytest.mark.parametrize("page_size", [1, 10])
def test_indicator_list_query_count_is_constant(
    police, police_api, police_indicator, project, django_assert_num_queries, page_size
):
    # given
    for n in range(11):
        indicator = IndicatorFactory(project=project, name=f"Indicator {n}", reported_by=police)
        MeasurementFactory(indicator=indicator)
    # when / then
    # token with its application, client and agency; page and total of indicators with
    # their project and reporting agency; their readings; audit insert
    with django_assert_num_queries(4):
        response = police_api.get(f"/api/v1/indicators/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)


def test_officer_session_may_post_a_reading_for_any_indicator_they_may_change(
    officer, project, police_indicator
):
    # given
    from rest_framework.test import APIClient

    api = APIClient(enforce_csrf_checks=False)
    api.force_login(officer)
    # when
    response = api.post(url(police_indicator), QUARTER, format="json")
    # then
    assert response.status_code == 201


def test_only_a_partner_agency_on_the_project_may_report_an_indicator(officer, project, fire):
    # given: the fire service is not a partner on the project
    from projects.services import ProjectRuleError, indicator_create

    # when / then
    with pytest.raises(ProjectRuleError) as error:
        indicator_create(
            project=project,
            created_by=officer,
            name="Deliberate fires a quarter",
            baseline_value=Decimal("12"),
            baseline_on=datetime.date(2025, 3, 31),
            reported_by=fire,
        )
    assert "not a partner agency on this project" in str(error.value)


@pytest.mark.parametrize(
    ("value", "mine_only"), [("true", True), ("1", True), ("FALSE", False), ("0", False)]
)
def test_mine_filters_by_true_or_false(police_api, police_indicator, project, value, mine_only):
    # given: one indicator the police report and one they do not
    theirs = IndicatorFactory(project=project)
    # when
    response = police_api.get(f"/api/v1/indicators/?mine={value}")
    # then: true lists the police's own, false the others
    ids = {row["id"] for row in response.json()["results"]}
    assert response.status_code == 200
    assert (police_indicator.pk in ids) is mine_only
    assert (theirs.pk in ids) is not mine_only


@pytest.mark.parametrize("value", ["yes", "galaxy", "2"])
def test_a_boolean_filter_that_is_neither_true_nor_false_is_400(police_api, value):
    # when
    indicators = police_api.get(f"/api/v1/indicators/?mine={value}")
    reports = police_api.get(f"/api/v1/issue-reports/?is_open={value}")
    # then: pointed out, not ignored (which listed everything)
    assert indicators.status_code == reports.status_code == 400
    assert indicators.json()["mine"] == ["Give true or false."]
    assert reports.json()["is_open"] == ["Give true or false."]
