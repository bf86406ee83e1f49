"""coproduction.api.representation: the API's model serializers send what DRF's own
ModelSerializer sends, byte for byte, for agencies' clients and officers alike."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from coproduction.api.representation import ApiModelSerializer
from engagement.api.serializers import EventSerializer
from projects.models import RosterEntry
from tests.accounts.factories import PartnerUserFactory
from tests.engagement.factories import EventFactory
from tests.projects.factories import (
    FundingLineFactory,
    IndicatorFactory,
    MeasurementFactory,
    RosterEntryFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/me/",
    "/api/v1/areas/",
    "/api/v1/areas/?kind=ward&ordering=name",
    "/api/v1/population-baselines/",
    "/api/v1/partnerships/",
    "/api/v1/partner-agencies/",
    "/api/v1/projects/",
    "/api/v1/events/",
]


@pytest.fixture
def county(police, partnership, baseline, project, ward, officer):
    """A project with all its parts (the police a named partner lead, so the lead
    officer's contact details are sent) and events in summer and winter time."""
    RosterEntryFactory(
        project=project,
        participant=None,
        user=PartnerUserFactory(partner_agency=police),
        role=RosterEntry.Role.PARTNER_LEAD,
    )
    FundingLineFactory(project=project, amount=Decimal("1250.50"))
    indicator = IndicatorFactory(project=project, reported_by=police)
    MeasurementFactory(indicator=indicator)
    london = ZoneInfo("Europe/London")
    EventFactory(area=ward, starts_at=datetime(2030, 7, 1, 18, 30, tzinfo=london))
    EventFactory(
        area=ward,
        organising_agency=police,
        starts_at=datetime(2030, 1, 15, 10, 0, tzinfo=london),
        headcount=12,
        headcount_reported_at=datetime(2030, 1, 15, 13, 5, 7, 123456, tzinfo=london),
    )


def drf_ways(monkeypatch) -> None:
    """Put DRF's own ModelSerializer machinery back in place of ApiModelSerializer's."""
    monkeypatch.setattr(ApiModelSerializer, "get_fields", serializers.ModelSerializer.get_fields)
    monkeypatch.setattr(
        ApiModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    monkeypatch.setattr(
        ApiModelSerializer,
        "serializer_field_mapping",
        serializers.ModelSerializer.serializer_field_mapping,
    )


def responses(api) -> dict[str, bytes]:
    answers = {}
    for path in LISTS:
        response = api.get(path)
        assert response.status_code == 200, path
        answers[path] = response.content
    return answers


@pytest.mark.parametrize("caller", ["client", "officer"])
def test_lists_are_what_drf_would_send(county, police_api, officer, monkeypatch, caller):
    # given
    if caller == "officer":
        api = APIClient()
        api.force_login(officer)
    else:
        api = police_api
    ours = responses(api)
    # when
    drf_ways(monkeypatch)
    theirs = responses(api)
    # then
    assert ours == theirs
    assert b'"lead_officer"' in ours["/api/v1/projects/"]
    assert b"+01:00" in ours["/api/v1/events/"]


def test_each_serializer_gets_fields_of_its_own(county):
    # given
    first, second = EventSerializer(), EventSerializer()
    # when
    first_fields, second_fields = first.fields, second.fields
    # then
    assert list(first_fields) == list(second_fields)
    for name, field in first_fields.items():
        assert field is not second_fields[name]
        assert field.parent is first
        assert second_fields[name].parent is second


def test_a_mapping_is_written_out_as_drf_writes_it():
    # given
    class EventRowSerializer(ApiModelSerializer):
        class Meta:
            model = EventSerializer.Meta.model
            fields = ["id", "title", "capacity"]

    row = {"id": 3, "title": "Litter pick", "capacity": None}
    # when
    data = EventRowSerializer(row).data
    # then
    assert data == {"id": 3, "title": "Litter pick", "capacity": None}
