"""The communities pages: areas, the asset register, the public map and its data."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone

from communities import census, selectors
from communities.models import Area, AreaBoundary, Asset, CapacityAssessment, CensusTable
from communities.services import asset_create, census_import
from coproduction.jobs.models import Job
from governance.models import AuditEvent
from tests.accounts.factories import OfficerFactory
from tests.communities import onsfiles
from tests.communities.factories import (
    AreaBoundaryFactory,
    AssetFactory,
    CommunityOfInterestFactory,
    DeprivationScoreFactory,
    LsoaFactory,
    OrganisationAssetFactory,
    SpendRecordFactory,
    SuggestedAssetFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[2] / "communities" / "schemas" / "oruk"


@pytest.fixture
def participant(ward):
    from engagement.models import Participant

    return Participant.objects.create(full_name="Jo Skill", home_ward=ward)


def skill(officer, ward, participant, *, public: bool) -> Asset:
    return asset_create(
        actor=officer,
        kind=Asset.Kind.SKILL,
        category=Asset.Category.DIGITAL,
        name="Help with computers",
        area=ward,
        person=participant,
        consent_recorded=True,
        consent_to_publish=public,
    )


# -- Query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [1, 6])
def test_area_list_runs_a_fixed_number_of_queries(
    client, officer, aap, extra, django_assert_num_queries
):
    # given
    for _ in range(extra):
        LsoaFactory(parent=WardFactory(parent=aap))
        AssetFactory(area=aap.children.first())
    client.force_login(officer)
    # session, user, roles, areas, the tree beneath, populations, deprivation, asset counts
    with django_assert_num_queries(8):
        response = client.get(reverse("communities:area_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [1, 8])
def test_asset_register_runs_a_fixed_number_of_queries(
    client, officer, ward, community, extra, django_assert_num_queries
):
    # given
    AssetFactory.create_batch(extra, area=ward, communities=[community])
    client.force_login(officer)
    # session, user, roles, assets (with area, parent, run_by, verifier, person), their
    # communities, awaiting-review count, area filter (count, options), community filter
    # (count, options)
    with django_assert_num_queries(10):
        response = client.get(reverse("communities:asset_list"))
    assert len(response.context["assets"]) == extra


@pytest.mark.parametrize("extra", [1, 8])
def test_public_map_runs_a_fixed_number_of_queries(
    client, ward, community, extra, django_assert_num_queries
):
    # given
    AssetFactory.create_batch(extra, area=ward, communities=[community])
    # assets, their communities, area filter (count, options), community filter (count,
    # options)
    with django_assert_num_queries(6):
        response = client.get(reverse("communities:asset_map"))
    assert len(response.context["assets"]) == extra


@pytest.mark.parametrize("extra", [1, 8])
def test_geojson_runs_a_fixed_number_of_queries(
    client, ward, community, extra, django_assert_num_queries
):
    AssetFactory.create_batch(extra, area=ward, communities=[community])
    # assets (with area, parent, run_by), their communities
    with django_assert_num_queries(2):
        response = client.get(reverse("communities:asset_geojson"))
    assert len(response.json()["features"]) == extra


@pytest.mark.parametrize("extra", [1, 5])
def test_community_list_runs_a_fixed_number_of_queries(
    client, officer, extra, django_assert_num_queries
):
    CommunityOfInterestFactory.create_batch(extra)
    client.force_login(officer)
    # session, user, roles, communities with counts and latest assessment, their areas
    with django_assert_num_queries(5):
        client.get(reverse("communities:community_list"))


# -- The public map -------------------------------------------------------------------------


def test_map_and_geojson_show_the_same_published_assets_only(client, officer, ward, participant):
    # given
    shown = AssetFactory(name="Eastgate Community Centre", area=ward)
    hidden = AssetFactory(name="Old library", area=ward)
    hidden.archived_at = timezone.now()
    hidden.save()
    SuggestedAssetFactory(name="Not yet reviewed", area=ward)
    private_skill = skill(officer, ward, participant, public=False)
    public_skill = skill(officer, ward, participant, public=True)
    # when
    page = client.get(reverse("communities:asset_map"))
    data = client.get(reverse("communities:asset_geojson")).json()
    # then
    listed = {a.pk for a in page.context["assets"]}
    assert listed == {shown.pk, public_skill.pk}
    assert [f["id"] for f in data["features"]] == [shown.pk]  # a skill is never on the map
    assert private_skill.pk not in listed
    content = page.content.decode()
    assert "Jo Skill" not in content
    assert f'id="asset-{shown.pk}"' in content


def test_map_filters_apply_to_the_list_and_the_geojson_alike(client, ward, other_ward, community):
    # given
    park = AssetFactory(name="Rivermouth Park", area=other_ward, category=Asset.Category.PARK)
    AssetFactory(name="Hub", area=ward, communities=[community])
    query = {"category": "park", "area": other_ward.parent.pk}
    # when
    page = client.get(reverse("communities:asset_map"), query)
    data = client.get(reverse("communities:asset_geojson"), query).json()
    by_community = client.get(
        reverse("communities:asset_geojson"), {"community": community.pk}
    ).json()
    # then
    assert [a.pk for a in page.context["assets"]] == [park.pk]
    assert [f["id"] for f in data["features"]] == [park.pk]
    assert [f["properties"]["name"] for f in by_community["features"]] == ["Hub"]
    assert page.context["geojson_url"].endswith("category=park&area=" + str(other_ward.parent.pk))


def test_geojson_refuses_a_bad_filter_with_a_400(client):
    response = client.get(reverse("communities:asset_geojson"), {"area": "not-a-number"})
    assert response.status_code == 400
    assert "detail" in response.json()


def test_oruk_export_validates_against_the_open_referral_uk_schemas(
    client, officer, ward, participant
):
    # given
    friends = OrganisationAssetFactory(
        name="Friends of Abbey Park",
        area=ward,
        category=Asset.Category.FRIENDS_OF,
        website="https://friends.example.org",
        contact_phone="01234 567890",
    )
    AssetFactory(
        name="Abbey Park",
        area=ward,
        category=Asset.Category.PARK,
        run_by=friends,
        address="Abbey Road",
        postcode="NF1 2AB",
        opening_times="Dawn to dusk",
    )
    AssetFactory(name="Council-run hall", area=ward, category=Asset.Category.HALL)
    skill(officer, ward, participant, public=True)
    service_schema = json.loads((SCHEMAS / "service.schema.json").read_text())
    organization_schema = json.loads((SCHEMAS / "organization.schema.json").read_text())
    checker = jsonschema.FormatChecker()
    # when
    data = client.get(reverse("communities:asset_export_oruk")).json()
    # then
    assert data["totalElements"] == 3
    for service in data["content"]:
        jsonschema.validate(service, service_schema, format_checker=checker)
        jsonschema.validate(service["organization"], organization_schema, format_checker=checker)
    park = next(s for s in data["content"] if s["name"] == "Abbey Park")
    assert park["organization"]["name"] == "Friends of Abbey Park"
    address = park["service_at_locations"][0]["location"]["physical_addresses"][0]
    assert address["postal_code"] == "NF1 2AB"
    assert park["regular_schedules"][0]["description"] == "Dawn to dusk"
    hall = next(s for s in data["content"] if s["name"] == "Council-run hall")
    assert hall["organization"]["name"] == "Northfield Borough Council"
    assert "Jo Skill" not in json.dumps(data)
    # and the export again gives the same identifiers
    assert client.get(reverse("communities:asset_export_oruk")).json() == data


def test_oruk_schema_refuses_an_organization_without_a_uuid():
    schema = json.loads((SCHEMAS / "organization.schema.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "12", "name": "x", "description": "y"}, schema)


# -- Suggestions ---------------------------------------------------------------------------


def test_a_visitor_suggests_an_asset_and_an_officer_publishes_it(client, officer, ward):
    # given
    form = {
        "kind": "place",
        "category": "allotment",
        "name": "Low Moor Allotments",
        "area": ward.pk,
        "postcode": "nf1 2ab",
        "suggested_by_name": "Sam Resident",
        "suggested_by_email": "sam@example.org",
    }
    # when
    response = client.post(reverse("communities:asset_suggest"), form)
    client.post(reverse("communities:asset_suggest"), form)  # a double click
    # then
    assert response.url == reverse("communities:asset_suggest_done")
    suggestion = Asset.objects.get(name="Low Moor Allotments")
    assert suggestion.moderation == Asset.Moderation.SUGGESTED
    assert suggestion.postcode == "NF1 2AB"
    assert not client.get(reverse("communities:asset_map")).context["assets"]
    # when the officer publishes it
    client.force_login(officer)
    client.post(reverse("communities:asset_action", args=[suggestion.pk]), {"action": "publish"})
    # then
    suggestion.refresh_from_db()
    assert suggestion.moderation == Asset.Moderation.PUBLISHED
    assert (suggestion.suggested_by_name, suggestion.suggested_by_email) == ("", "")
    client.logout()
    assert [a.pk for a in client.get(reverse("communities:asset_map")).context["assets"]] == [
        suggestion.pk
    ]
    assert AuditEvent.objects.filter(action="communities.asset.publish").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "place", "category": "nag"}, "category"),
        ({"postcode": "not a postcode"}, "postcode"),
        ({"name": ""}, "name"),
        ({"kind": "skill"}, "kind"),
    ],
)
def test_suggestion_form_explains_what_is_wrong_and_saves_nothing(client, ward, change, field):
    form = {"kind": "place", "category": "park", "name": "A park", "area": ward.pk, **change}
    response = client.post(reverse("communities:asset_suggest"), form)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "<title>Error: " in response.content.decode()
    assert not Asset.objects.exists()


# -- The register --------------------------------------------------------------------------


def test_an_officer_cannot_reach_an_asset_outside_their_areas(client, officer, other_ward):
    # given
    elsewhere = AssetFactory(area=other_ward)
    client.force_login(officer)
    # when / then
    assert client.get(reverse("communities:asset_detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("communities:asset_edit", args=[elsewhere.pk])).status_code == 404
    response = client.post(
        reverse("communities:asset_action", args=[elsewhere.pk]), {"action": "archive"}
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.archived_at is None


def test_a_councillor_reads_the_register_but_cannot_change_it(client, elected_member, asset):
    client.force_login(elected_member)
    assert client.get(reverse("communities:asset_detail", args=[asset.pk])).status_code == 200
    response = client.post(
        reverse("communities:asset_action", args=[asset.pk]), {"action": "archive"}
    )
    assert response.status_code == 403


def test_officer_adds_a_place_located_from_its_postcode(client, officer, ward):
    # given
    from tests.communities.factories import PostcodeFactory

    PostcodeFactory(
        postcode="NF1 2AB",
        lsoa=LsoaFactory(parent=ward),
        latitude=Decimal("54.5"),
        longitude=Decimal("-1.5"),
    )
    client.force_login(officer)
    # when
    response = client.post(
        reverse("communities:asset_create"),
        {
            "kind": "place",
            "category": "community_centre",
            "name": "Eastgate Centre",
            "area": ward.pk,
            "status": "active",
            "postcode": "nf12ab",
        },
    )
    # then
    asset = Asset.objects.get(name="Eastgate Centre")
    assert response.url == asset.get_absolute_url()
    assert (asset.latitude, asset.longitude) == (Decimal("54.5"), Decimal("-1.5"))
    assert asset.created_by == officer
    assert AuditEvent.objects.filter(
        action="communities.asset.create", object_id=str(asset.pk)
    ).exists()


def test_a_place_whose_postcode_is_not_in_the_directory_is_saved_with_a_warning(
    client, officer, ward
):
    client.force_login(officer)
    # when
    response = client.post(
        reverse("communities:asset_create"),
        {
            "kind": "place",
            "category": "community_centre",
            "name": "Eastgate Centre",
            "area": ward.pk,
            "status": "active",
            "postcode": "zz99 9zz",
        },
        follow=True,
    )
    # then it is saved, and the officer is told it is not on the map
    asset = Asset.objects.get(name="Eastgate Centre")
    assert asset.latitude is None
    assert (
        "ZZ99 9ZZ is not in the council&#x27;s postcode directory, so Eastgate Centre is not "
        "on the map" in response.content.decode()
    )


def test_a_skill_needs_the_persons_recorded_consent(client, officer, ward, participant):
    client.force_login(officer)
    form = {
        "kind": "skill",
        "category": "digital",
        "name": "Computer help",
        "area": ward.pk,
        "status": "active",
        "person": participant.pk,
    }
    refused = client.post(reverse("communities:asset_create"), form)
    assert "consent_recorded" in refused.context["form"].errors
    assert not Asset.objects.exists()
    client.post(reverse("communities:asset_create"), {**form, "consent_recorded": "on"})
    created = Asset.objects.get()
    assert created.consent_recorded_by == officer
    assert not created.is_public  # no consent to publish: never on the public map


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("latitude", "95", "Enter a latitude from -90 to 90, like 54.52"),
        ("longitude", "-200", "Enter a longitude from -180 to 180, like -1.55"),
        ("capacity", "0", "Enter how many people it holds or serves at once, 1 or more"),
        ("capacity", "-5", "Enter how many people it holds or serves at once, 1 or more"),
    ],
)
def test_a_place_out_of_bounds_is_refused_on_its_field_in_words(
    client, officer, ward, field, value, error
):
    """Before, the database's check refused it, named as a constraint."""
    client.force_login(officer)
    form = {
        "kind": "place",
        "category": "community_centre",
        "name": "Eastgate Centre",
        "area": ward.pk,
        "status": "active",
        "latitude": "54.5",
        "longitude": "-1.5",
        field: value,
    }
    response = client.post(reverse("communities:asset_create"), form)
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [error]}
    assert not Asset.objects.exists()


def test_a_skill_given_a_location_is_told_only_that(client, officer, ward, participant):
    client.force_login(officer)
    form = {
        "kind": "skill",
        "category": "digital",
        "name": "Computer help",
        "area": ward.pk,
        "status": "active",
        "person": participant.pk,
        "consent_recorded": "on",
        "latitude": "54.5",
        "longitude": "-1.5",
    }
    response = client.post(reverse("communities:asset_create"), form)
    assert response.context["form"].errors == {
        "latitude": ["A person's skill is not shown at a location."]
    }


def test_withdrawing_consent_takes_a_skill_off_the_register(client, officer, ward, participant):
    public = skill(officer, ward, participant, public=True)
    client.force_login(officer)
    client.post(
        reverse("communities:asset_action", args=[public.pk]), {"action": "withdraw_consent"}
    )
    public.refresh_from_db()
    assert public.archived_at is not None
    assert not Asset.objects.published().exists()


def test_edit_refuses_to_overwrite_someone_elses_change(client, officer, asset):
    # given: the form was opened at version 1, then someone else saved.
    client.force_login(officer)
    form = {
        "category": "community_centre",
        "name": "Renamed hub",
        "area": asset.area.pk,
        "status": "at_risk",
        "version": asset.version,
    }
    Asset.objects.filter(pk=asset.pk).update(version=asset.version + 1)
    # when
    response = client.post(reverse("communities:asset_edit", args=[asset.pk]), form)
    # then
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    asset.refresh_from_db()
    assert asset.name == "Town Centre Community Hub"


def test_edit_saves_and_audits_the_fields_changed(client, officer, asset):
    client.force_login(officer)
    form = {
        "category": "community_centre",
        "name": asset.name,
        "area": asset.area.pk,
        "status": "at_risk",
        "contact_email": "hub@example.org",
        "version": asset.version,
    }
    response = client.post(reverse("communities:asset_edit", args=[asset.pk]), form)
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == Asset.Status.AT_RISK
    event = AuditEvent.objects.get(action="communities.asset.update")
    assert {"status", "contact_email"} <= set(event.fields)


def test_register_csv_neutralises_formulas_and_keeps_contacts_for_officers(
    client, officer, board_member, ward
):
    AssetFactory(name="=HYPERLINK(1)", area=ward, contact_email="hub@example.org")
    client.force_login(officer)
    officer_csv = b"".join(
        client.get(reverse("communities:asset_list"), {"format": "csv"}).streaming_content
    ).decode()
    client.force_login(board_member)
    board_csv = b"".join(
        client.get(reverse("communities:asset_list"), {"format": "csv"}).streaming_content
    ).decode()
    assert "'=HYPERLINK(1)" in officer_csv
    assert "hub@example.org" in officer_csv
    assert "hub@example.org" not in board_csv


def test_register_tabs_show_suggestions_and_archived(client, officer, ward, asset):
    suggestion = SuggestedAssetFactory(area=ward)
    client.force_login(officer)
    waiting = client.get(reverse("communities:asset_list"), {"show": "suggested"})
    published = client.get(reverse("communities:asset_list"))
    assert [a.pk for a in waiting.context["assets"]] == [suggestion.pk]
    assert [a.pk for a in published.context["assets"]] == [asset.pk]
    assert published.context["awaiting"] == 1


# -- Areas ---------------------------------------------------------------------------------


def test_area_page_shows_population_deprivation_spend_and_counts(client, officer, aap, ward):
    # given: two LSOAs with TS021 and TS008 imported, perturbed totals, IMD and spend.
    lsoa1 = LsoaFactory(parent=ward, gss_code="E01099001")
    lsoa2 = LsoaFactory(parent=ward, gss_code="E01099002")
    leaves = {c.code: 10 for c in census.table_leaves("TS021")}
    census_import(
        file=io.BytesIO(
            onsfiles.census_wide(
                "TS021",
                {"E01099001": ("a", leaves), "E01099002": ("b", leaves)},
                totals={"E01099001": 192},
            ).encode()
        ),
        name="ts021.csv",
    )
    census_import(
        file=io.BytesIO(
            onsfiles.census_wide(
                "TS008",
                {
                    "E01099001": ("a", {"female": 100, "male": 90}),
                    "E01099002": ("b", {"female": 95, "male": 95}),
                },
            ).encode()
        ),
        name="ts008.csv",
    )
    DeprivationScoreFactory(lsoa=lsoa1, rank=800, decile=1)
    DeprivationScoreFactory(lsoa=lsoa2, rank=25000, decile=8)
    SpendRecordFactory(area=ward, amount=Decimal("38000.00"), financial_year=2024)
    client.force_login(officer)
    # when
    response = client.get(reverse("communities:area_detail", args=[aap.pk]))
    # then
    context = response.context
    assert context["population"] == 380
    ethnic = next(s for s in context["sections"] if s["key"] == "TS021")
    assert ethnic["figure"].total == 192 + 190
    assert ethnic["figure"].source_level == "lsoa"
    assert context["deprivation"].most_deprived == 1
    assert context["spend_per_head"] == Decimal("100.00")
    assert context["children"][0]["spend_per_head"] == Decimal("100.00")
    content = response.content.decode()
    assert "£100.00" in content
    assert "Table TS021, total 382" in content


def test_officer_groups_wards_into_a_new_area(client, council):
    # given
    officer = OfficerFactory(areas=[council])
    first, second = WardFactory(parent=council), WardFactory(parent=council)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("communities:area_create"),
        {
            "name": "Safer Neighbourhood Area 1",
            "type_label": "Safer Neighbourhood area",
            "gss_code": "",
            "parent": council.pk,
            "wards": [first.pk, second.pk],
            "boundary": "",
        },
    )
    # then
    area = Area.objects.get(name="Safer Neighbourhood Area 1")
    assert response.url == area.get_absolute_url()
    assert set(area.children.all()) == {first, second}


def test_an_officer_of_one_area_is_not_offered_an_area_they_could_not_create(
    client, officer, ward
):
    # given: an area is part of a council, and this officer covers one AAP, not the council
    client.force_login(officer)
    # when
    listing = client.get(reverse("communities:area_list")).content.decode()
    response = client.get(reverse("communities:area_create"))
    # then
    assert "Create an area" not in listing
    assert response.status_code == 403


def boundary_edit(client, ward, boundary: str):
    """The officer's edit of a ward that changes its boundary only."""
    return client.post(
        reverse("communities:area_edit", args=[ward.pk]),
        {
            "name": ward.name,
            "type_label": "",
            "gss_code": ward.gss_code,
            "parent": ward.parent.pk,
            "boundary": boundary,
        },
    )


def test_area_edit_refuses_a_boundary_that_is_not_a_polygon(client, officer, ward):
    client.force_login(officer)
    response = boundary_edit(client, ward, '{"type": "Point", "coordinates": [0, 0]}')
    assert response.status_code == 400
    assert "boundary" in response.context["form"].errors


@pytest.mark.parametrize(
    "boundary",
    [
        "[" * 100_000,
        '{"type": "Polygon", "coordinates": [[[NaN, 0], [0, 1], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [[[Infinity, 0], [0, 1], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [[["\\u0000", 0], [0, 1], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [[[0, 0], [0, 1e999], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [1, 2]}',
    ],
)
def test_area_edit_refuses_a_boundary_that_cannot_be_stored_or_drawn(
    client, officer, ward, boundary
):
    """Nesting too deep to read, numbers JSON and PostgreSQL do not hold, a NUL, and
    coordinates that are no longitude and latitude: an error on the form, nothing saved."""
    # given
    client.force_login(officer)
    # when
    response = boundary_edit(client, ward, boundary)
    # then
    assert "boundary" in response.context["form"].errors
    assert selectors.area_boundary(area=ward) is None


def test_area_edit_keeps_only_the_geometry_of_a_boundary(client, officer, ward):
    """Members beside type and coordinates are left out: one holding a NUL could not be
    stored in PostgreSQL."""
    # given
    client.force_login(officer)
    ring = [[0, 0], [0, 1], [1, 1], [0, 0]]
    # when
    response = boundary_edit(
        client,
        ward,
        '{"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]], '
        '"name": "\\u0000"}',
    )
    # then
    assert response.status_code == 302
    assert selectors.area_boundary(area=ward) == {"type": "Polygon", "coordinates": [ring]}


def test_area_edit_shows_the_boundary_and_clearing_it_removes_it(client, officer, ward):
    # given: a ward with a boundary
    geometry = AreaBoundaryFactory(area=ward).geometry
    client.force_login(officer)
    url = reverse("communities:area_edit", args=[ward.pk])
    # when: the officer opens the form
    form = client.get(url).context["form"]
    # then: the boundary is there to edit
    assert json.loads(form["boundary"].value()) == geometry
    # when: they save it empty
    response = client.post(
        url,
        {
            "name": ward.name,
            "type_label": "",
            "gss_code": ward.gss_code,
            "parent": ward.parent.pk,
            "boundary": "",
        },
    )
    # then: the ward has no boundary any more
    assert response.status_code == 302
    assert selectors.area_boundary(area=ward) is None
    assert not AreaBoundary.objects.filter(area=ward).exists()


def test_capacity_assessment_records_the_registers_figures(client, officer, ward):
    OrganisationAssetFactory(area=ward)
    client.force_login(officer)
    response = client.post(
        reverse("communities:area_capacity_create", args=[ward.pk]),
        {
            "assessed_on_0": "27",
            "assessed_on_1": "3",
            "assessed_on_2": "2025",
            "volunteers": "42",
            "digital_skills": "2",
            "confidence": "4",
        },
    )
    assert response.url == ward.get_absolute_url()
    assessment = CapacityAssessment.objects.get()
    assert (assessment.assessed_on, assessment.organisations, assessment.assessed_by) == (
        date(2025, 3, 27),
        1,
        officer,
    )


def test_capacity_assessment_refuses_a_score_out_of_range(client, officer, ward):
    client.force_login(officer)
    response = client.post(
        reverse("communities:area_capacity_create", args=[ward.pk]),
        {
            "assessed_on_0": "27",
            "assessed_on_1": "3",
            "assessed_on_2": "2025",
            "volunteers": "4",
            "digital_skills": "9",
            "confidence": "4",
        },
    )
    assert response.status_code == 400
    assert "digital_skills" in response.context["form"].errors
    assert not CapacityAssessment.objects.exists()


def test_capacity_assessment_for_a_day_already_assessed_says_it_replaces_that_one(
    client, officer, ward
):
    # given: a colleague's assessment of 27 March
    colleague = OfficerFactory(full_name="Priya Shah", areas=[ward.parent])
    client.force_login(colleague)
    form = {
        "assessed_on_0": "27",
        "assessed_on_1": "3",
        "assessed_on_2": "2025",
        "volunteers": "42",
        "digital_skills": "2",
        "confidence": "4",
    }
    client.post(reverse("communities:area_capacity_create", args=[ward.pk]), form)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("communities:area_capacity_create", args=[ward.pk]),
        {**form, "volunteers": "12"},
        follow=True,
    )
    # then
    assert CapacityAssessment.objects.get().volunteers == 12
    assert (
        "Assessment for 27 March 2025 corrected: it replaces the one Priya Shah recorded for "
        "that day." in response.content.decode()
    )
    # and their own correction says so
    again = client.post(
        reverse("communities:area_capacity_create", args=[ward.pk]), form, follow=True
    )
    assert "it replaces the one you recorded for that day." in again.content.decode()


def test_capacity_assessment_refuses_a_date_after_today(client, officer, ward):
    # given: the register's figures are counted today, "as they were on the day"
    client.force_login(officer)
    tomorrow = timezone.localdate() + timedelta(days=1)
    # when
    response = client.post(
        reverse("communities:area_capacity_create", args=[ward.pk]),
        {
            "assessed_on_0": str(tomorrow.day),
            "assessed_on_1": str(tomorrow.month),
            "assessed_on_2": str(tomorrow.year),
            "volunteers": "4",
            "digital_skills": "2",
            "confidence": "4",
        },
    )
    # then
    assert response.status_code == 400
    assert "The assessment&#x27;s date cannot be in the future" in response.content.decode()
    assert not CapacityAssessment.objects.exists()


# -- Imports in the browser ----------------------------------------------------------------


def test_officer_uploads_a_census_table_and_sees_the_outcome(
    client, officer, ward, django_capture_on_commit_callbacks
):
    # given
    from django.core.files.uploadedfile import SimpleUploadedFile

    ward.gss_code = "E05099001"
    ward.save()
    text = onsfiles.census_wide("TS008", {"E05099001": ("Town Centre", {"female": 5, "male": 6})})
    client.force_login(officer)
    # when (the job runs in-process: CELERY_TASK_ALWAYS_EAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communities:import"),
            {"kind": "census", "file": SimpleUploadedFile("ts008.csv", text.encode(), "text/csv")},
        )
    # then
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result["created"] == 1


def test_a_malformed_upload_fails_with_line_and_column_and_writes_nothing(
    client, officer, ward, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ward.gss_code = "E05099001"
    ward.save()
    text = onsfiles.census_wide("TS008", {"E05099001": ("Town Centre", {"female": 5, "male": 6})})
    text = text.replace(",5,", ",five,")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("communities:import"),
            {"kind": "census", "file": SimpleUploadedFile("ts008.csv", text.encode(), "text/csv")},
        )
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.errors[0]["line"] == 2
    assert job.errors[0]["column"] == "Sex: Female"
    assert not CensusTable.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "&#x27;five&#x27; is not a count" in page


def test_import_form_refuses_a_file_that_is_not_csv(client, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    response = client.post(
        reverse("communities:import"),
        {"kind": "census", "file": SimpleUploadedFile("table.xlsx", b"PK", "application/zip")},
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not Job.objects.exists()


# -- Personal data -------------------------------------------------------------------------


def test_a_persons_skill_is_exported_and_erased_with_them(officer, ward, participant):
    from coproduction.privacy import DataSubject, personal_data

    skill(officer, ward, participant, public=True)
    subject = DataSubject(participant=participant)
    exported = personal_data.export(subject)["communities.asset"]
    assert exported[0]["your_skill"] == "Digital skills"
    personal_data.erasers["communities.asset"](subject)
    assert not Asset.objects.filter(person=participant).exists()


def test_suggestions_from_one_connection_are_limited(client, ward, settings, monkeypatch):
    # given
    from django.core.cache import cache

    from communities import views

    cache.clear()
    monkeypatch.setattr(views, "SUGGESTIONS_PER_HOUR", 2)
    form = {"kind": "place", "category": "park", "area": ward.pk}
    # when
    for n in range(2):
        client.post(reverse("communities:asset_suggest"), {**form, "name": f"Park {n}"})
    refused = client.post(reverse("communities:asset_suggest"), {**form, "name": "Park 3"})
    # then
    assert refused.status_code == 429
    assert "Too many suggestions" in refused.content.decode()
    assert Asset.objects.count() == 2
    cache.clear()


def test_an_officer_who_covers_an_area_edits_it_and_its_wards(client, officer, aap, ward, council):
    # given: the officer covers the AAP, not the council above it
    spare = WardFactory(name="Harrow Hill", parent=council)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("communities:area_edit", args=[aap.pk]),
        {
            "name": "Northfield Central AAP",
            "type_label": "Area Action Partnership",
            "gss_code": "",
            "parent": council.pk,
            "wards": [ward.pk],
            "boundary": '{"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}',
        },
    )
    # then
    assert response.status_code == 302
    aap.refresh_from_db()
    assert aap.name == "Northfield Central AAP"
    assert selectors.area_boundary(area=aap)["type"] == "Polygon"
    assert list(aap.children.all()) == [ward]
    spare.refresh_from_db()
    assert spare.parent == council


def test_navigation_marks_the_section_and_shows_residents_the_map(
    client, officer, resident, asset
):
    client.force_login(officer)
    items = {i["label"]: i for i in client.get(asset.get_absolute_url()).context["navigation"]}
    assert items["Assets"]["active"]
    assert not items["Areas"]["active"]
    client.force_login(resident)
    labels = [
        i["label"] for i in client.get(reverse("communities:asset_map")).context["navigation"]
    ]
    assert "Community map" in labels
    assert "Assets" not in labels


def test_area_breadcrumbs_link_only_the_areas_the_person_may_open(
    client, elected_member, council, aap, ward
):
    # given a ward's councillor, who may open the ward and its area but not the council
    client.force_login(elected_member)
    assert client.get(reverse("communities:area_detail", args=[council.pk])).status_code == 404
    # when
    page = client.get(reverse("communities:area_detail", args=[ward.pk])).content.decode()
    # then
    breadcrumbs = page.split('class="govuk-breadcrumbs"')[1].split("</nav>")[0]
    assert reverse("communities:area_detail", args=[council.pk]) not in breadcrumbs
    assert council.name in breadcrumbs
    aap_url = reverse("communities:area_detail", args=[aap.pk])
    assert (aap_url in breadcrumbs) == (client.get(aap_url).status_code == 200)


def test_asset_form_offers_the_wards_before_their_lsoas(client, officer, ward):
    # given: an LSOA whose name sorts first
    LsoaFactory(parent=ward, name="Aardvark 001A")
    client.force_login(officer)
    # when
    response = client.get(reverse("communities:asset_create"))
    # then: the area, its ward, and only then the ward's LSOAs
    kinds = [area.kind for area in response.context["form"].fields["area"].queryset]
    assert kinds == [Area.Kind.AREA, Area.Kind.WARD, Area.Kind.LSOA]


def test_asset_form_left_empty_says_what_each_answer_needs(client, officer):
    # given
    client.force_login(officer)
    # when
    response = client.post(reverse("communities:asset_create"), {})
    # then each error names its question, and the summary links to the first kind
    page = response.content.decode()
    assert "This field is required" not in page
    for message in (
        "Choose what kind of asset it is",
        "Choose the type of asset",
        "Enter the asset&#x27;s name",
        "Choose the area it is in",
    ):
        assert message in page
    assert 'href="#id_kind_1"' in page


@pytest.mark.parametrize(
    ("url_name", "signed_in", "messages"),
    [
        (
            "communities:asset_suggest",
            None,
            [
                "Choose whether it is a place or a group",
                "Choose what kind of place or group it is",
                "Enter its name",
                "Choose the ward it is in",
            ],
        ),
        (
            "communities:area_create",
            "council_officer",
            ["Enter the area&#x27;s name", "Choose what the area is part of"],
        ),
        (
            "communities:area_capacity_create",
            "officer",
            [
                "Enter the number of active volunteers known, or 0",
                "Choose a score for digital skills",
                "Choose a score for confidence to take action together",
            ],
        ),
        ("communities:import", "officer", ["Choose what the file is", "Choose a CSV file"]),
    ],
)
def test_communities_forms_left_empty_say_what_each_answer_needs(
    client, officer, council, ward, url_name, signed_in, messages
):
    # given
    if signed_in == "officer":
        client.force_login(officer)
    elif signed_in == "council_officer":
        client.force_login(OfficerFactory(areas=[council]))
    args = [ward.pk] if url_name == "communities:area_capacity_create" else []
    # when
    response = client.post(reverse(url_name, args=args), {})
    # then each error names its question, not Django's "This field is required."
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required" not in page
    for message in messages:
        assert message in page
