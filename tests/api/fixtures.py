"""The partner API's shared fixtures (registered suite-wide in tests/conftest.py): the
role x page matrix and the API tests use them.

`police` is an agency in the `aap` area's partnership; `fire` is in a partnership over
`other_ward`'s area only. Their clients hold every registered scope.
"""

import base64

import pytest
from rest_framework.test import APIClient

from tests.api.factories import (
    ApiClientFactory,
    CensusTableFactory,
    PartnershipFactory,
    PopulationBaselineFactory,
)
from tests.governance.factories import PartnerAgencyFactory


@pytest.fixture
def police(db):
    return PartnerAgencyFactory(name="Northfield Neighbourhood Policing Team")


@pytest.fixture
def fire(db):
    return PartnerAgencyFactory(name="Northfield Fire and Rescue", kind="fire")


@pytest.fixture
def partnership(aap, police, partner_user):
    return PartnershipFactory(
        name="Northfield Central AAP", area=aap, agencies=[police, partner_user.partner_agency]
    )


@pytest.fixture
def other_partnership(other_ward, fire):
    return PartnershipFactory(
        name="Rivermouth and Villages AAP", area=other_ward.parent, agencies=[fire]
    )


@pytest.fixture
def baseline(aap):
    table = CensusTableFactory(area=aap)
    return PopulationBaselineFactory(table=table, category="asian_bangladeshi", count=240)


@pytest.fixture
def police_client(police, partnership):
    return ApiClientFactory(agency=police)


@pytest.fixture
def fire_client(fire, other_partnership):
    return ApiClientFactory(agency=fire)


def token_for(client, *, scope: str | None = None) -> str:
    """A bearer token got the way a partner gets one: client credentials, HTTP Basic."""
    api = APIClient()
    credentials = base64.b64encode(f"{client.client_id}:{client.secret}".encode()).decode()
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    response = api.post(
        "/api/v1/oauth/token/", data, format="multipart", HTTP_AUTHORIZATION=f"Basic {credentials}"
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def api_for(client, *, scope: str | None = None) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(client, scope=scope)}")
    api.api_client = client
    return api


@pytest.fixture
def police_api(police_client):
    return api_for(police_client)


@pytest.fixture
def fire_api(fire_client):
    return api_for(fire_client)
