"""The demo borough the communities app adds to seed_demo."""

import pytest
from django.core.management import call_command

from communities.models import (
    Area,
    Asset,
    CapacityAssessment,
    CensusTable,
    DeprivationScore,
    PopulationBaseline,
    Postcode,
    SpendRecord,
)
from communities.postcodes import postcode_locate

pytestmark = pytest.mark.django_db

MODELS = [
    Area,
    Asset,
    CapacityAssessment,
    CensusTable,
    DeprivationScore,
    PopulationBaseline,
    Postcode,
    SpendRecord,
]


def test_demo_builds_a_borough_and_building_it_again_changes_nothing():
    # given
    call_command("seed_demo", "--force")
    counts = {model: model.objects.count() for model in MODELS}
    # when
    call_command("seed_demo", "--force")
    # then
    assert {model: model.objects.count() for model in MODELS} == counts
    assert Area.objects.filter(kind=Area.Kind.LSOA).count() == 43
    assert set(CensusTable.objects.values_list("table", flat=True)) == {
        "TS007",
        "TS007A",
        "TS008",
        "TS021",
        "TS030",
        "TS038",
        "TS077",
        "TS078",
    }
    deciles = set(DeprivationScore.objects.filter(edition=2025).values_list("decile", flat=True))
    assert {1, 10} <= deciles
    assert {kind for kind, _ in Asset.Kind.choices} == set(
        Asset.objects.values_list("kind", flat=True)
    )
    assert Asset.objects.awaiting_review().count() == 2
    assert CapacityAssessment.objects.filter(area__kind=Area.Kind.WARD).count() == 27


def test_demo_postcodes_find_their_ward():
    from coproduction.demo import demo_council_build

    demo_council_build()
    postcode = Postcode.objects.filter(terminated=False, ward__name="Eastgate").first()
    location = postcode_locate(postcode=postcode.postcode)
    assert location.ward.name == "Eastgate"
    assert location.lsoa.parent == location.ward


def test_demo_hands_its_postcodes_to_the_engagement_demo(monkeypatch):
    # given
    seen = {}
    monkeypatch.setattr("engagement.demo.demo_build", lambda context: seen.update(context.extra))
    from coproduction.demo import demo_council_build

    # when
    demo_council_build()
    # then
    by_ward = seen["postcodes_by_ward"]
    assert len(by_ward) == 9
    eastgate = by_ward["Eastgate"]
    assert len(eastgate) >= 30
    assert all(postcode_locate(postcode=p).ward.name == "Eastgate" for p in eastgate)
