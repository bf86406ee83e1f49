"""Idempotency-Key on POST: replay, refusal of a reused key, expiry, and no key held by
a request that failed."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from django.utils import timezone

from coproduction.api.idempotency import request_fingerprint
from coproduction.api.models import IdempotencyRecord
from tests.api import urls_echo

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls_echo")]

URL = "/api/test/echo/"


@pytest.fixture(autouse=True)
def calls():
    urls_echo.CALLS.clear()
    return urls_echo.CALLS


def test_same_key_and_body_replays_the_first_response(police_api, calls):
    # when
    first = police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    # then
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() == {"call": 1, "text": "hello"}
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert len(calls) == 1


def test_same_key_with_another_body_is_422(police_api, calls):
    # given
    police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    # when
    response = police_api.post(URL, {"text": "bye"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    # then
    assert response.status_code == 422
    assert "different request" in response.json()["detail"]
    assert len(calls) == 1


def test_a_retry_that_writes_the_same_json_another_way_is_replayed(police_api, calls):
    # given: the first call, and a retry whose client put the keys in another order
    # and spaced them differently
    first = police_api.post(
        URL, b'{"text": "hello", "count": 2}', content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-6",
    )  # fmt: skip
    # when
    retry = police_api.post(
        URL, b'{\n  "count":2,\n  "text":"hello"\n}', content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-6",
    )  # fmt: skip
    # then
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert len(calls) == 1


def test_keys_belong_to_one_client(police_api, fire_api, calls):
    # when
    police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    response = fire_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    # then
    assert response.json()["call"] == 2
    assert len(calls) == 2


def test_without_a_key_each_post_acts(police_api, calls):
    # when
    police_api.post(URL, {"text": "hello"}, format="json")
    police_api.post(URL, {"text": "hello"}, format="json")
    # then
    assert len(calls) == 2
    assert IdempotencyRecord.objects.count() == 0


def test_a_validation_error_is_replayed_too(police_api, calls):
    # when
    first = police_api.post(URL, {"text": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    second = police_api.post(URL, {"text": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    # then
    assert first.status_code == second.status_code == 400
    assert second.json() == first.json()
    assert "text" in first.json()


def test_a_key_still_being_processed_gets_409(police_api, calls):
    # given: a first request with this key that has not finished
    police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    IdempotencyRecord.objects.update(response_status=None, response_body="")
    # when
    response = police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    # then
    assert response.status_code == 409
    assert len(calls) == 1


def test_an_expired_key_acts_afresh(police_api, calls):
    # given
    police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    # when
    response = police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    # then
    assert response.json()["call"] == 2


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "caf\u00e9", "a\x00b", "tab\there"])
def test_a_malformed_key_is_400(police_api, calls, key):
    # when
    response = police_api.post(URL, {"text": "hello"}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    # then
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert calls == []


def test_a_server_error_frees_the_key(police_api):
    # given
    police_api.raise_request_exception = False
    # when
    response = police_api.post(
        "/api/test/broken/", {"text": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-5"
    )
    # then
    assert response.status_code == 500
    assert IdempotencyRecord.objects.count() == 0


def test_expired_records_are_cleared(police_api):
    # given
    from coproduction.api.tasks import api_expired_records_clear_task

    police_api.post(URL, {"text": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    police_api.post(URL, {"text": "b"}, format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotencyRecord.objects.filter(key="old").update(expires_at=timezone.now())
    # when
    api_expired_records_clear_task()
    # then
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def fingerprint(body: bytes, content_type: str) -> str:
    return request_fingerprint(
        method="POST", path="/api/v1/x/", query="", body=body, content_type=content_type
    )


JSON = "application/json; charset=utf-8"
FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("one", "other", "content_type"),
    [
        (b'{"a": 1, "b": [1, 2]}', b'{"b":[1,2],"a":1}', JSON),
        (b'{"a": "caf\\u00e9"}', '{"a":"caf\u00e9"}'.encode(), "application/json"),
        (b"service_code=1&lat=54.5&long=-1.5", b"long=-1.5&service_code=1&lat=54.5", FORM),
        (b"a=1&b=", b"b=&a=1", FORM),
    ],
)
def test_bodies_that_say_the_same_have_one_fingerprint(one, other, content_type):
    assert fingerprint(one, content_type) == fingerprint(other, content_type)


@pytest.mark.parametrize(
    ("one", "other", "content_type"),
    [
        # A list's order, and the order of one form field's values, are data.
        (b'{"a": [1, 2]}', b'{"a": [2, 1]}', JSON),
        (b"tag=x&tag=y", b"tag=y&tag=x", FORM),
        (b'{"a": 1}', b'{"a": "1"}', JSON),
        # A body that does not parse is compared byte for byte.
        (b'{"a": 1', b'{"a":1', JSON),
        # The same bytes sent as other kinds of content are other requests.
        (b"a=1", b"a=1", "text/plain"),
        # Bytes that are not UTF-8 are compared as they are.
        (b"description=Caf%E9", b"description=Caf%EA", FORM),
        # Another charset: compared as bytes (the view reads these as different text).
        ('{"text":"\u00e9"}'.encode(), b'{"text":"\\u00e9"}', "application/json; charset=latin-1"),
    ],
)
def test_bodies_that_say_different_things_have_different_fingerprints(one, other, content_type):
    other_type = FORM if content_type == "text/plain" else content_type
    assert fingerprint(one, content_type) != fingerprint(other, other_type)


def test_a_body_with_a_lone_surrogate_is_a_400_not_a_server_error(police_api, calls):
    # when
    response = police_api.post(
        URL, b'{"text": "\\ud800"}', content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-7"
    )
    # then
    assert response.status_code == 400
    assert calls == []


def multipart(fields: dict, boundary: str) -> tuple[bytes, str]:
    return encode_multipart(boundary, fields), f"multipart/form-data; boundary={boundary}"


def photo(content: bytes = b"\xff\xd8 a photo") -> SimpleUploadedFile:
    return SimpleUploadedFile("bins.jpg", content, content_type="image/jpeg")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"a": "1", "b": "x"}, {"b": "x", "a": "1"}),
        ({"a": "1", "media": photo()}, {"media": photo(), "a": "1"}),
    ],
)
def test_multipart_forms_that_say_the_same_have_one_fingerprint_whatever_the_boundary(one, other):
    # A client picks a new boundary for each request, a retry included.
    assert fingerprint(*multipart(one, "first-boundary")) == fingerprint(
        *multipart(other, "another-boundary-7f3a")
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"tag": ["x", "y"]}, {"tag": ["y", "x"]}),
        ({"a": "1"}, {"a": "2"}),
        ({"media": photo(b"one photo")}, {"media": photo(b"another photo")}),
        ({"media": photo()}, {"other": photo()}),
    ],
)
def test_multipart_forms_that_say_different_things_have_different_fingerprints(one, other):
    assert fingerprint(*multipart(one, "b1")) != fingerprint(*multipart(other, "b2"))


def test_a_multipart_body_that_does_not_parse_is_compared_byte_for_byte():
    # A multipart content type without a boundary: the view's 400, and no form to compare.
    broken = "multipart/form-data"
    assert fingerprint(b"a=1", broken) != fingerprint(b"a=2", broken)
    assert fingerprint(b"a=1", broken) == fingerprint(b"a=1", broken)
