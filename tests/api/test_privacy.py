"""The administrators named on API clients are exported and erased with their data."""

import pytest

from coproduction.privacy import DataSubject, personal_data
from tests.api.factories import ApiClientFactory

pytestmark = pytest.mark.django_db


def test_clients_an_administrator_created_are_exported(administrator, police):
    # given
    ApiClientFactory(agency=police, created_by=administrator)
    # when
    exported = personal_data.export(DataSubject.for_user(administrator))
    # then
    assert exported["api.apiclient"] == [
        {"created": pytest.approx(exported["api.apiclient"][0]["created"]), "agency": police.name}
    ]


def test_erasing_an_administrator_keeps_the_client_without_them(administrator, police):
    # given
    client = ApiClientFactory(agency=police, created_by=administrator)
    # when
    personal_data.erase(DataSubject.for_user(administrator))
    # then
    client.refresh_from_db()
    assert client.created_by is None
    assert client.is_active
