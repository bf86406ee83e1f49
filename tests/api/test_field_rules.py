"""Field-level rules, by role: contact details only to council staff and to a named
partner lead's client, equality answers and risk assessment details never."""

import factory
import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from coproduction.api.callers import ApiClientUser
from coproduction.api.field_rules import (
    CONTACT_DETAILS,
    EQUALITY,
    RISK_ASSESSMENT,
    FieldRulesMixin,
)
from engagement.models import Participant

pytestmark = pytest.mark.django_db


class ParticipantSerializer(FieldRulesMixin, serializers.ModelSerializer):
    """A participant with fields of every sensitive kind, as an app's resource would be."""

    equality = serializers.SerializerMethodField()
    risk_notes = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = ["id", "participation_level", "full_name", "email", "phone", "equality"]
        fields += ["risk_notes"]
        sensitive_fields = {
            "full_name": CONTACT_DETAILS,
            "email": CONTACT_DETAILS,
            "phone": CONTACT_DETAILS,
            "equality": EQUALITY,
            "risk_notes": RISK_ASSESSMENT,
        }

    def get_equality(self, obj) -> str:
        return "ethnic_group:asian_bangladeshi"

    def get_risk_notes(self, obj) -> str:
        return "hazard details"

    def contact_details_allowed(self, caller, obj) -> bool:
        # Stands in for "the client's agency is a named partner lead on the project".
        return obj.pk in self.context.get("led_by_caller", set())


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    full_name = "Aisha Rahman"
    email = "a@example.org"
    phone = "07700 900123"


@pytest.fixture
def participant(db):
    return ParticipantFactory()


def serialize(user, auth, participant, **context) -> dict:
    request = APIRequestFactory().get("/api/v1/participants/")
    force_authenticate(request, user=user, token=auth)
    from rest_framework.request import Request

    drf_request = Request(request)
    drf_request._user, drf_request._auth = user, auth
    return ParticipantSerializer(participant, context={"request": drf_request, **context}).data


class FakeToken:
    scope = "areas:read"


@pytest.mark.parametrize(
    ("role", "sees_contact"),
    [
        ("officer", True),
        ("administrator", True),
        ("elected_member", False),
        ("board_member", False),
        ("partner_user", False),
        ("resident", False),
    ],
)
def test_people_by_role(request, participant, role, sees_contact):
    # given
    user = request.getfixturevalue(role)
    # when
    data = serialize(user, None, participant)
    # then
    assert ("email" in data) is sees_contact
    assert ("phone" in data) is sees_contact
    assert "equality" not in data
    assert "risk_notes" not in data
    assert ("full_name" in data) is sees_contact
    assert data["participation_level"] == participant.participation_level


def test_a_client_never_gets_contact_details_by_default(police_client, participant):
    # when
    data = serialize(ApiClientUser(police_client), FakeToken(), participant)
    # then
    assert set(data) == {"id", "participation_level"}


def test_a_named_partner_leads_client_gets_contact_details(police_client, participant):
    # when
    data = serialize(
        ApiClientUser(police_client), FakeToken(), participant, led_by_caller={participant.pk}
    )
    # then
    assert data["email"] == "a@example.org"
    assert "equality" not in data
    assert "risk_notes" not in data


def test_an_unknown_category_is_a_programming_error(participant, officer):
    class Wrong(ParticipantSerializer):
        class Meta(ParticipantSerializer.Meta):
            sensitive_fields = {"email": "gossip"}

    request = APIRequestFactory().get("/")
    from rest_framework.request import Request

    drf_request = Request(request)
    drf_request._user, drf_request._auth = officer, None
    with pytest.raises(ValueError, match="unknown field categories"):
        Wrong(participant, context={"request": drf_request}).data  # noqa: B018
