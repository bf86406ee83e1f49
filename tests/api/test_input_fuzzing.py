"""hypothesis on everything that takes input: any text, NUL bytes and very long strings
give a 4xx (or a 200 for a filter that simply matches nothing), never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.api.fixtures import api_for

pytestmark = pytest.mark.django_db

ANY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from("\x00\x01\n\r\t%&=?#'\"\\<>é€𝄞"), max_size=50),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "x" * n),
    st.from_regex(r"-?[0-9]{1,40}(\.[0-9]+)?(e[+-]?[0-9]{1,4})?", fullmatch=True),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LISTS = {
    "/api/v1/areas/": ["kind", "parent", "code", "name", "ordering", "page", "page_size"],
    "/api/v1/population-baselines/": [
        "area",
        "area_code",
        "table",
        "census_year",
        "dimension",
        "category",
        "ordering",
    ],
    "/api/v1/partnerships/": ["kind", "area", "area_code", "agency", "name", "ordering"],
    "/api/v1/partner-agencies/": ["kind", "name", "ordering", "page"],
}
CASES = [(url, param) for url, params in LISTS.items() for param in params]


@pytest.fixture
def unthrottled(settings):
    settings.API_THROTTLE_RATES = {}


@pytest.mark.parametrize(("url", "param"), CASES, ids=[f"{u}?{p}" for u, p in CASES])
def test_list_parameters_never_fail(unthrottled, police_client, baseline, url, param):
    api = api_for(police_client)

    @FUZZ
    @given(value=ANY_TEXT)
    def check(value):
        response = api.get(url, {param: value})
        assert response.status_code in {200, 400, 404}, (value, response.content[:300])
        assert "detail" in response.json() or response.status_code != 404

    check()


@given(client_id=ANY_TEXT, secret=ANY_TEXT, grant=ANY_TEXT, scope=ANY_TEXT)
@FUZZ
def test_token_endpoint_never_fails(unthrottled, db, client_id, secret, grant, scope):
    # when
    response = APIClient().post(
        "/api/v1/oauth/token/",
        {"grant_type": grant, "client_id": client_id, "client_secret": secret, "scope": scope},
        format="multipart",
    )
    # then
    assert response.status_code in {400, 401}, response.content[:300]


@given(header=ANY_TEXT)
@FUZZ
def test_any_authorization_header_never_fails(unthrottled, db, header):
    # when
    response = APIClient().get(
        "/api/v1/me/", HTTP_AUTHORIZATION=header.replace("\n", "").replace("\r", "")
    )
    # then
    assert response.status_code in {401, 403}


@pytest.mark.urls("tests.api.urls_echo")
def test_echo_serializer_and_idempotency_key_never_fail(unthrottled, police_client):
    api = api_for(police_client)

    @FUZZ
    @given(text=ANY_TEXT, key=ANY_TEXT)
    def check(text, key):
        response = api.post(
            "/api/test/echo/",
            {"text": text, "count": text},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key.replace("\n", "").replace("\r", ""),
        )
        assert response.status_code in {201, 400, 422}, response.content[:300]

    check()


@pytest.mark.urls("tests.api.urls_echo")
def test_any_json_body_never_fails(unthrottled, police_client):
    api = api_for(police_client)
    json_values = st.recursive(
        st.none()
        | st.booleans()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=50),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=10), children, max_size=4)
        ),
        max_leaves=10,
    )

    @FUZZ
    @given(body=json_values)
    def check(body):
        response = api.post("/api/test/echo/", body, format="json")
        assert response.status_code in {201, 400}, response.content[:300]

    check()


def test_client_create_form_never_fails(client, administrator, police):
    client.force_login(administrator)

    @FUZZ
    @given(agency=ANY_TEXT, scope=ANY_TEXT, note=ANY_TEXT)
    def check(agency, scope, note):
        response = client.post(
            "/api-clients/add/", {"agency": agency, "scopes": [scope], "contact_note": note}
        )
        assert response.status_code in {302, 400}

    check()
