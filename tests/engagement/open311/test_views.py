"""/open311/v2/: GeoReport v2 for issue reports, as FixMyStreet speaks it."""

from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.core import mail
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from engagement.models import IssueReport, Participant
from governance.models import AuditEvent
from tests.api.factories import ApiClientFactory
from tests.api.fixtures import api_for
from tests.communities.factories import LsoaFactory, PostcodeFactory
from tests.engagement.factories import AreaTeamFactory, IssueReportFactory, category
from tests.permissions import ROLES

pytestmark = pytest.mark.django_db

LAT, LONG = "54.523600", "-1.559500"
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def located_ward(ward):
    """A postcode in the ward at the point the tests report from."""
    PostcodeFactory(lsoa=LsoaFactory(parent=ward), latitude=Decimal(LAT), longitude=Decimal(LONG))
    return ward


@pytest.fixture
def fms_client(police):
    return ApiClientFactory(agency=police, scopes=["open311:write"])


@pytest.fixture
def api_key(fms_client):
    return f"{fms_client.client_id}:{fms_client.secret}"


def fms_form(api_key: str, **changes) -> dict:
    """A report as FixMyStreet posts it (its Open311 module's field names)."""
    form = {
        "api_key": api_key,
        "service_code": "fly-tipping",
        "lat": LAT,
        "long": LONG,
        "address_string": "Elm Road, Northfield",
        "email": "Sam.Walker@example.org",
        "first_name": "Sam",
        "last_name": "Walker",
        "phone": "07700 900123",
        "description": "Fly-tipping: a mattress and bags by the bins\n\nBehind 12 Elm Road",
        "media_url": "https://www.fixmystreet.com/photo/123.jpeg",
        "attribute[easting]": "428000",
        "attribute[northing]": "515000",
        "attribute[fixmystreet_id]": "123",
        "attribute[title]": "Fly-tipping behind Elm Road",
        "attribute[report_url]": "https://www.fixmystreet.com/report/123",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def post(form: dict, fmt: str = "json", client: APIClient | None = None):
    return (client or APIClient()).post(f"/open311/v2/requests.{fmt}", form, format="multipart")


def post_urlencoded(form: dict, fmt: str = "json"):
    from urllib.parse import urlencode

    return APIClient().generic(
        "POST",
        f"/open311/v2/requests.{fmt}",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )


# services -----------------------------------------------------------------------------


def test_services_json_lists_the_active_categories():
    # given
    inactive = category("graffiti")
    inactive.is_active = False
    inactive.save()
    # when
    response = APIClient().get("/open311/v2/services.json")
    # then
    assert response.status_code == 200
    rows = response.json()
    codes = [row["service_code"] for row in rows]
    assert "fly-tipping" in codes
    assert "graffiti" not in codes
    assert set(rows[0]) == SERVICE_FIELDS
    assert rows[0]["metadata"] is False
    assert rows[0]["type"] == "realtime"


def test_services_xml_has_the_specifications_elements():
    # given
    category()
    # when
    response = APIClient().get("/open311/v2/services.xml")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "services"
    service = root.find("service")
    assert {child.tag for child in service} == SERVICE_FIELDS
    assert service.findtext("metadata") == "false"


# requests: reads ----------------------------------------------------------------------


def test_request_list_has_public_fields_only(ward_report, ward_participant):
    # when
    response = APIClient().get("/open311/v2/requests.json")
    # then
    assert response.status_code == 200
    rows = response.json()
    assert [row["service_request_id"] for row in rows] == [str(ward_report.pk)]
    assert set(rows[0]) == REQUEST_FIELDS
    assert rows[0]["status"] == "open"
    assert rows[0]["service_code"] == "fly-tipping"
    body = response.content.decode()
    assert ward_participant.full_name not in body
    assert ward_participant.email not in body


def test_request_xml_is_a_list_of_one(ward_report, ward_participant):
    # when
    response = APIClient().get(f"/open311/v2/requests/{ward_report.pk}.xml")
    # then
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert {child.tag for child in request} == REQUEST_FIELDS
    assert request.findtext("service_request_id") == str(ward_report.pk)
    assert ward_participant.email.encode() not in response.content


def test_unknown_request_is_404_in_the_specifications_shape():
    # when
    json_response = APIClient().get("/open311/v2/requests/999999.json")
    xml_response = APIClient().get("/open311/v2/requests/999999.xml")
    # then
    assert json_response.status_code == 404
    assert json_response.json() == [{"code": 404, "description": "No service request 999999."}]
    root = ET.fromstring(xml_response.content)  # noqa: S314
    assert root.tag == "errors"
    assert root.find("error").findtext("code") == "404"


@pytest.mark.parametrize(
    ("method", "path", "shape"),
    [
        ("get", "/open311/v2/discovery.json", "json"),
        ("get", "/open311/v2/requests/abc.xml", "xml"),
        ("get", "/open311/v2/", "json"),
        ("post", "/open311/v2/request.json", "json"),
    ],
)
def test_unknown_paths_are_404_in_the_specifications_shape(method, path, shape):
    # when
    response = getattr(APIClient(), method)(path)
    # then
    assert response.status_code == 404
    if shape == "json":
        (error,) = response.json()
        assert error["code"] == 404
        assert "services and requests" in error["description"]
    else:
        root = ET.fromstring(response.content)  # noqa: S314
        assert root.find("error").findtext("code") == "404"


def test_request_list_filters(ward_report, ward_participant):
    # given
    other = IssueReportFactory(reporter=ward_participant, category_slug="graffiti")
    # when
    by_code = APIClient().get("/open311/v2/requests.json", {"service_code": "graffiti"})
    by_id = APIClient().get(
        "/open311/v2/requests.json", {"service_request_id": f"{ward_report.pk},99999"}
    )
    closed = APIClient().get("/open311/v2/requests.json", {"status": "closed"})
    # (the specification: several statuses separated by commas)
    either = APIClient().get("/open311/v2/requests.json", {"status": "open, closed"})
    opened = APIClient().get("/open311/v2/requests.json", {"status": "open,open"})
    old = APIClient().get("/open311/v2/requests.json", {"end_date": "2020-01-01T00:00:00Z"})
    # then
    assert [r["service_request_id"] for r in by_code.json()] == [str(other.pk)]
    assert [r["service_request_id"] for r in by_id.json()] == [str(ward_report.pk)]
    assert closed.json() == []
    assert len(either.json()) == len(opened.json()) == 2
    assert old.json() == []


def test_request_list_by_ids_no_report_could_have_is_empty(ward_report, ward_participant):
    # when: ids beyond a 64-bit number, which no report has
    response = APIClient().get(
        "/open311/v2/requests.json", {"service_request_id": "99999999999999999999999"}
    )
    # then: none of them, not every report of the last 90 days
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"status": "open,pending"},
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45T00:00:00Z"},
        {"service_request_id": "abc"},
        {"service_code": "a\x00b"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
    ],
)
def test_bad_request_filters_are_400_in_the_specifications_shape(params):
    # when
    response = APIClient().get("/open311/v2/requests.json", params)
    # then
    assert response.status_code == 400
    (error,) = response.json()
    assert error["code"] == 400
    assert error["description"]


def test_request_list_query_count_is_constant(
    ward_participant, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # given
    IssueReportFactory.create_batch(2, reporter=ward_participant)
    # reports with category and state, their updates, the audit of the call
    with django_assert_num_queries(3):
        APIClient().get("/open311/v2/requests.json")
    IssueReportFactory.create_batch(5, reporter=ward_participant)
    # when / then
    with django_assert_num_queries(3):
        response = APIClient().get("/open311/v2/requests.json")
    assert len(response.json()) == 7


# requests: posting --------------------------------------------------------------------


def test_fixmystreet_post_lands_in_the_area_teams_queue(
    located_ward, aap, api_key, django_capture_on_commit_callbacks
):
    # given
    team = AreaTeamFactory(name="Northfield Central street scene", areas=[aap])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = post_urlencoded(fms_form(api_key))
    # then
    assert response.status_code == 201
    (answer,) = response.json()
    assert set(answer) == {"service_request_id", "service_notice"}
    report = IssueReport.objects.get(pk=answer["service_request_id"])
    assert report.team == team
    assert report.ward == located_ward
    assert report.category.slug == "fly-tipping"
    assert report.location_description == "Elm Road, Northfield"
    assert report.reporter.email == "sam.walker@example.org"
    assert report.reporter.full_name == "Sam Walker"
    assert report.reporter.phone == ""
    assert AuditEvent.objects.filter(
        action="engagement.issue_report.open311_create", object_id=str(report.pk)
    ).exists()
    assert len(mail.outbox) == 1


def test_post_xml_answers_in_xml(located_ward, api_key):
    # when
    response = post(fms_form(api_key), fmt="xml")
    # then
    assert response.status_code == 201
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "service_requests"
    request = root.find("request")
    assert IssueReport.objects.filter(pk=request.findtext("service_request_id")).exists()
    assert request.findtext("service_notice")


@pytest.mark.parametrize("accept", ["application/xml", "application/json", "text/html"])
def test_the_paths_format_decides_the_answer_whatever_the_accept_header(
    located_ward, api_key, accept
):
    # when: an XML client that asks for application/xml (or a client whose every call
    # says JSON or HTML) posts to requests.xml
    response = APIClient().post(
        "/open311/v2/requests.xml", fms_form(api_key), format="multipart", HTTP_ACCEPT=accept
    )
    listed = APIClient().get("/open311/v2/services.json", HTTP_ACCEPT=accept)
    # then: XML for .xml and JSON for .json, as the specification names them
    assert response.status_code == 201
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314
    assert IssueReport.objects.filter(
        pk=root.find("request").findtext("service_request_id")
    ).exists()
    assert listed.status_code == 200
    assert listed["Content-Type"] == "application/json"


def test_post_with_a_bearer_token_and_the_scope(located_ward, fms_client):
    # given
    api = api_for(fms_client, scope="open311:write")
    # when
    response = post(fms_form(None), client=api)
    # then
    assert response.status_code == 201


@pytest.mark.parametrize(
    "key",
    [None, "", "nonsense", "someone:secret", "a\x00b:c"],
)
def test_bad_or_missing_key_is_403_and_writes_nothing(located_ward, key):
    # when
    response = post(fms_form(key))
    # then
    assert response.status_code == 403
    (error,) = response.json()
    assert error["code"] == 403
    assert IssueReport.objects.count() == 0


def test_key_of_a_client_without_the_scope_is_403(located_ward, police):
    # given
    client = ApiClientFactory(agency=police, scopes=["reports:read"])
    # when
    response = post(fms_form(f"{client.client_id}:{client.secret}"))
    # then
    assert response.status_code == 403
    assert "open311:write" in response.json()[0]["description"]
    assert IssueReport.objects.count() == 0


def test_a_token_asked_for_without_the_scope_says_to_ask_for_it(located_ward, police):
    # given: the client holds open311:write, but the token was asked for with less
    client = ApiClientFactory(agency=police, scopes=["open311:write", "reports:read"])
    api = api_for(client, scope="reports:read")
    # when
    response = post(fms_form(None), client=api)
    # then: the token lacks it, not the client: asking the council would not help
    assert response.status_code == 403
    (error,) = response.json()
    assert error["description"] == (
        "This token does not have the scope open311:write: ask for it when you request the token."
    )
    assert IssueReport.objects.count() == 0


def test_a_post_without_a_key_says_to_give_the_api_key(located_ward):
    # when: FixMyStreet set up without the key
    response = post(fms_form(None))
    # then
    assert response.status_code == 403
    (error,) = response.json()
    assert error["description"] == "Give the api_key the council issued to post a report."


def test_wrong_secret_is_403(located_ward, fms_client):
    # when
    response = post(fms_form(f"{fms_client.client_id}:not-the-secret"))
    # then
    assert response.status_code == 403
    assert IssueReport.objects.count() == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"service_code": "potholes-on-mars"},
        {"lat": None},
        {"long": None},
        {"lat": "north"},
        {"long": "NaN"},
        {"lat": "95"},
        {"description": "A mattress\x00 by the bins"},
        {"description": "x" * 2001},
        {"address_string": "y" * 256},
        {"email": "not an email"},
        {"email": None},
    ],
)
def test_bad_input_is_400_and_writes_nothing(located_ward, api_key, changes):
    # when
    response = post(fms_form(api_key, **changes))
    # then
    assert response.status_code == 400
    (error, *_rest) = response.json()
    assert error["code"] == 400
    assert IssueReport.objects.count() == 0
    assert not Participant.objects.filter(email="sam.walker@example.org").exists()


def test_location_outside_the_council_is_400_and_writes_nothing(located_ward, api_key):
    # when
    response = post(fms_form(api_key, lat="51.501009", long="-0.141588"))
    # then
    assert response.status_code == 400
    assert "outside the council" in response.json()[0]["description"]
    assert IssueReport.objects.count() == 0
    assert not Participant.objects.filter(email="sam.walker@example.org").exists()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    field=st.sampled_from(
        ["service_code", "lat", "long", "address_string", "email", "first_name", "description"]
    ),
    text=st.text(max_size=3000),
)
def test_any_text_in_any_field_is_never_a_500(located_ward, api_key, field, text):
    # when
    response = post(fms_form(api_key, **{field: text}))
    # then
    assert response.status_code in {201, 400}
    assert isinstance(response.json(), list)


def test_a_retried_post_with_an_idempotency_key_files_one_report(located_ward, api_key):
    # given
    api = APIClient()
    api.credentials(HTTP_IDEMPOTENCY_KEY="6f1c7c1e-3d0a-4f43-9b8e-0f6f4c1f2a11")
    # when
    first = post(fms_form(api_key), client=api)
    second = post(fms_form(api_key), client=api)
    # then
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert IssueReport.objects.count() == 1


def test_a_retry_with_another_multipart_boundary_is_replayed(located_ward, api_key):
    # given: a client that picks a new boundary for every request, a retry included
    from django.test.client import encode_multipart

    api = APIClient()
    api.credentials(HTTP_IDEMPOTENCY_KEY="1b2c3d4e-0000-4f43-9b8e-0f6f4c1f2a11")
    responses = []
    for boundary in ("boundary-first", "boundary-retry"):
        responses.append(
            api.post(
                "/open311/v2/requests.json",
                encode_multipart(boundary, fms_form(api_key)),
                content_type=f"multipart/form-data; boundary={boundary}",
            )
        )
    first, second = responses
    # then: one report, and the retry gets the first answer
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert IssueReport.objects.count() == 1


def test_another_verb_is_405_in_the_specifications_shape(ward_report):
    # when
    response = APIClient().delete(f"/open311/v2/requests/{ward_report.pk}.json")
    # then
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(
        ["service_request_id", "service_code", "start_date", "end_date", "status"]
    ),
    text=st.text(max_size=3000),
)
def test_any_text_in_a_request_filter_is_never_a_500(name, text):
    # when
    response = APIClient().get("/open311/v2/requests.json", {name: text})
    # then
    assert response.status_code in {200, 400}
    assert isinstance(response.json(), list)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reads_the_reporters_details(client, user_for_role, ward_report, role):
    """Signed in or not, Open311 reads give the public fields only."""
    # given
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    reporter = ward_report.reporter
    # when
    responses = [
        client.get("/open311/v2/requests.json"),
        client.get("/open311/v2/requests.xml"),
        client.get(f"/open311/v2/requests/{ward_report.pk}.json"),
    ]
    # then
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode()
        assert str(ward_report.pk) in body
        assert reporter.full_name not in body
        assert reporter.email not in body


@pytest.mark.parametrize("role", ["officer", "administrator", "resident"])
def test_a_signed_in_person_cannot_post_without_a_key(client, user_for_role, located_ward, role):
    # given
    client.force_login(user_for_role(role))
    # when
    response = client.post("/open311/v2/requests.json", fms_form(None))
    # then
    assert response.status_code == 403
    assert IssueReport.objects.count() == 0


def test_anonymous_reads_are_throttled(settings):
    # given
    settings.API_THROTTLE_RATES = {"agency": "3/min", "session": "2/min", "anonymous": "2/min"}
    cache.clear()
    api = APIClient()
    for _ in range(2):
        assert api.get("/open311/v2/services.json").status_code == 200
    # when
    response = api.get("/open311/v2/services.json")
    cache.clear()
    # then
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429


def test_a_known_email_files_under_the_same_participant_as_the_site(
    located_ward, api_key, ward_participant
):
    """One person, one participant: the site's rule for a visitor's email."""
    # when
    response = post(fms_form(api_key, email=ward_participant.email.upper(), first_name="X"))
    # then
    assert response.status_code == 201
    report = IssueReport.objects.get()
    assert report.reporter == ward_participant
    ward_participant.refresh_from_db()
    assert ward_participant.full_name == "Jo Bloggs"


def test_an_inactive_category_is_refused(located_ward, api_key):
    # given
    graffiti = category("graffiti")
    graffiti.is_active = False
    graffiti.save()
    # when
    response = post(fms_form(api_key, service_code="graffiti"))
    # then
    assert response.status_code == 400
    assert "service_code" in response.json()[0]["description"]
    assert IssueReport.objects.count() == 0


def test_a_body_over_the_size_limit_is_413_in_the_specifications_shape(settings):
    # given
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    # when
    response = APIClient().post(
        "/open311/v2/requests.json", {"description": "x" * 2000, "api_key": "k"}
    )
    # then
    assert response.status_code == 413
    assert response.json() == [
        {"code": 413, "description": "The request body is too large: send at most 1,000 bytes."}
    ]
