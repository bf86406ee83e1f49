"""Errors as {"detail": ...} (field errors by field name), never a 500 for any input."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_json_404(police_api):
    # when
    response = police_api.get("/api/v1/no-such-thing/")
    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-thing/", "/api/v1/indicators/1/measurements", "/api/v1/areas/abc/x/"],
)
def test_a_post_to_an_unknown_path_is_json_404_not_a_csrf_refusal(police_api, path):
    # given: a client as a partner's script is, with CSRF checked as in production
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(**police_api._credentials)
    # when
    response = api.post(path, {"a": 1}, format="json")
    # then
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No such endpoint")


@pytest.mark.parametrize(
    ("path", "meant"),
    [
        ("/api/v1/areas", "/api/v1/areas/"),
        ("/api/v1/indicators/1/measurements", "/api/v1/indicators/1/measurements/"),
    ],
)
def test_a_path_without_its_final_slash_says_which_path_was_meant(police_api, path, meant):
    # when
    response = police_api.get(path)
    # then
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"No such endpoint: the API's paths end with a slash ({meant})."
    }


def test_an_unknown_path_with_a_slash_added_is_still_unknown(police_api):
    # when
    response = police_api.get("/api/v1/no-such-thing")
    # then
    assert response.json() == {"detail": "No such endpoint. See /api/v1/docs/."}


def test_non_numeric_id_is_404(police_api):
    # when
    response = police_api.get("/api/v1/areas/abc/")
    # then
    assert response.status_code == 404
    assert "detail" in response.json()


def test_delete_is_not_allowed(police_api, aap):
    # when
    response = police_api.delete(f"/api/v1/areas/{aap.pk}/")
    # then
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


def test_malformed_authorization_header_is_401(db):
    # when
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer \x00\xff")
    # then
    assert response.status_code == 401


@pytest.mark.urls("tests.api.urls_echo")
def test_malformed_json_is_400_with_detail(police_api):
    # when
    response = police_api.post(
        "/api/test/echo/", data="{not json", content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.urls("tests.api.urls_echo")
def test_field_errors_are_given_by_field(police_api):
    # when
    response = police_api.post("/api/test/echo/", {"count": -1}, format="json")
    # then
    assert response.status_code == 400
    assert set(response.json()) == {"text", "count"}


@pytest.mark.urls("tests.api.urls_echo")
def test_other_media_types_are_415(police_api):
    # when
    response = police_api.post("/api/test/echo/", data="text=a", content_type="text/plain")
    # then
    assert response.status_code == 415
    assert "detail" in response.json()


@pytest.mark.parametrize("authenticated", [True, False])
def test_json_nested_too_deeply_is_400_with_or_without_a_token(police_api, authenticated):
    # given: deeper than Python's recursion limit (the body is read while the caller is
    # being authenticated, so this reached the parser without a token too)
    api = police_api if authenticated else APIClient()
    body = "[" * 100_000 + "]" * 100_000
    # when
    response = api.post("/api/v1/events/", data=body, content_type="application/json")
    # then
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1.5e309"])
def test_a_number_too_large_for_a_float_is_400(police_api, number):
    # when: where an id is expected
    response = police_api.post(
        "/api/v1/events/", data=f'{{"area": {number}}}', content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize("authenticated", [True, False])
def test_a_body_over_the_size_limit_is_413_with_detail(police_api, settings, authenticated):
    # given
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = police_api if authenticated else APIClient()
    body = '{"title": "' + "x" * 2000 + '"}'
    # when
    response = api.post("/api/v1/events/", data=body, content_type="application/json")
    # then
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is too large: send at most 1,000 bytes."
    }
