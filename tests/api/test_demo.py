"""The demo's API client: printed by seed_demo, working, and built once."""

import pytest
from django.core.management import call_command

from communities.models import Area
from coproduction.api.demo import DEMO_API_CLIENTS
from coproduction.api.models import ApiClient
from coproduction.api.scopes import scopes
from coproduction.api.selectors import area_list_for_agency
from governance.models import AuditEvent, Partnership
from projects.models import Measurement
from tests.api.fixtures import api_for

pytestmark = pytest.mark.django_db


def test_seed_demo_prints_a_client_that_works(capsys):
    # when
    call_command("seed_demo", "--force")
    printed = capsys.readouterr().out
    # then
    demo = DEMO_API_CLIENTS[0]
    assert demo.client_id in printed
    assert demo.client_secret in printed
    client = ApiClient.objects.get(application__client_id=demo.client_id)
    assert sorted(client.scopes) == scopes.names()
    client.secret = demo.client_secret
    body = api_for(client).get("/api/v1/areas/?kind=ward").json()
    visible = area_list_for_agency(agency=client.agency).filter(kind=Area.Kind.WARD)
    assert body["count"] == visible.count()
    assert 0 < body["count"] < Area.objects.filter(kind=Area.Kind.WARD).count()


def test_demo_api_client_is_idempotent():
    # given
    call_command("seed_demo", "--force")
    counts = (ApiClient.objects.count(), Partnership.objects.count())
    creations = AuditEvent.objects.filter(action="api client create").count()
    # when
    call_command("seed_demo", "--force")
    # then
    assert (ApiClient.objects.count(), Partnership.objects.count()) == counts
    assert AuditEvent.objects.filter(action="api client create").count() == creations


def test_demo_police_post_the_quarters_asb_figures():
    """The demo police report an indicator of their own: four quarters are in, and the
    quarter to 30 September 2026 is theirs to post through the API."""
    # given
    call_command("seed_demo", "--force")
    demo = DEMO_API_CLIENTS[0]
    client = ApiClient.objects.get(application__client_id=demo.client_id)
    client.secret = demo.client_secret
    api = api_for(client)
    mine = api.get("/api/v1/indicators/?mine=true").json()["results"]
    # when
    response = api.post(
        f"/api/v1/indicators/{mine[0]['id']}/measurements/",
        {"measured_on": "2026-09-30", "value": "41", "note": "Q2 2026/27"},
        format="json",
    )
    # then
    assert [row["name"] for row in mine] == ["Anti-social behaviour incidents in the town centre"]
    assert len(mine[0]["measurements"]) == 4
    assert response.status_code == 201, response.content
    assert Measurement.objects.filter(indicator_id=mine[0]["id"]).count() == 5
