"""The demo's API client: printed by seed_demo, working, and built once."""

import pytest
from django.core.management import call_command

from communities.models import Area
from coproduction.api.demo import DEMO_API_CLIENTS
from coproduction.api.models import ApiClient
from coproduction.api.scopes import scopes
from coproduction.api.selectors import area_list_for_agency
from governance.models import AuditEvent, Partnership
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
