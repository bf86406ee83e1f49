import pytest
from django.urls import reverse

from tests.accounts.factories import ElectedMemberFactory, OfficerFactory, ResidentFactory

HOME = reverse("home")


@pytest.mark.django_db
def test_home_visitor_sees_landing_page(client):
    # when
    response = client.get(HOME)
    # then
    assert response.status_code == 200
    assert "pages/landing.html" in [t.name for t in response.templates]
    assert reverse("accounts:login") in response.content.decode()


@pytest.mark.django_db
def test_home_officer_sees_areas_and_people_counts(client, officer, aap, ward):
    # given
    ResidentFactory.create_batch(2, areas=[ward])
    client.force_login(officer)
    # when
    response = client.get(HOME)
    # then
    page = response.content.decode()
    assert "Areas you cover" in page
    assert aap.name in page
    counts = {row.people: row.count for row in response.context["role_counts"]}
    assert counts["Residents"] == 2
    assert '2</span>\n    <span class="govuk-body">Residents</span>' in page


@pytest.mark.django_db
def test_home_resident_sees_their_councillors_but_no_people_counts(client, resident, ward):
    # given
    councillor = ElectedMemberFactory(full_name="Cllr Jo Bloggs", areas=[ward])
    client.force_login(resident)
    # when
    response = client.get(HOME)
    # then
    page = response.content.decode()
    assert "Your councillors" in page
    assert councillor.full_name in page
    assert "People in your areas" not in page
    assert "role_counts" not in response.context


@pytest.mark.django_db
def test_home_councillor_sees_officers_for_their_ward(client, elected_member, officer):
    # given
    client.force_login(elected_member)
    # when
    page = client.get(HOME).content.decode()
    # then
    assert "Wards you represent" in page
    assert "Council officers for your areas" in page
    assert officer.email in page


@pytest.mark.django_db
def test_home_partner_sees_their_agency(client, partner_user):
    # given
    client.force_login(partner_user)
    # when
    page = client.get(HOME).content.decode()
    # then
    assert partner_user.partner_agency.name in page
    assert "People in your areas" not in page


@pytest.mark.django_db
def test_home_partner_sees_the_areas_of_their_agencys_partnerships(
    client, partner_user, other_ward, ward
):
    """The areas the agency's partnerships cover, as its API clients see them: not the
    areas on the person's own account."""
    from tests.governance.factories import PartnershipFactory

    # given: the person's account names Northfield Central; the agency works in Rivermouth
    PartnershipFactory(area=other_ward.parent, agencies=[partner_user.partner_agency])
    client.force_login(partner_user)
    # when
    response = client.get(HOME)
    # then
    table = response.content.decode().split("Areas your agency works in", 1)[1]
    table = table.split("</table>", 1)[0]
    assert "Rivermouth and Villages" in table
    assert "Northfield Central" not in table


@pytest.mark.django_db
def test_home_partner_whose_agency_is_in_no_partnership_is_told_so(client, partner_user):
    # given
    client.force_login(partner_user)
    # when
    page = client.get(HOME).content.decode()
    # then
    assert "Your agency is not in a partnership yet" in page
    assert "Northfield Central" not in page


@pytest.mark.django_db
def test_home_navigation_shows_administration_to_administrators_only(
    client, officer, administrator
):
    # when
    client.force_login(officer)
    officer_page = client.get(HOME).content.decode()
    client.force_login(administrator)
    admin_page = client.get(HOME).content.decode()
    # then
    assert reverse("admin:index") not in officer_page
    assert reverse("admin:index") in admin_page


@pytest.mark.django_db
def test_home_officer_query_count_does_not_grow_with_people(
    client, officer, ward, django_assert_num_queries
):
    # given
    client.force_login(officer)
    ResidentFactory.create_batch(3, areas=[ward])
    OfficerFactory.create_batch(3, areas=[ward])
    # session, user, roles, the next actions' counts, assigned areas, role counts, officers
    with django_assert_num_queries(7):
        client.get(HOME)
    ResidentFactory.create_batch(10, areas=[ward])
    OfficerFactory.create_batch(10, areas=[ward])
    # then
    with django_assert_num_queries(7):
        client.get(HOME)


@pytest.mark.django_db
def test_home_counts_the_officers_it_lists_covering_the_areas(client, council, ward):
    # given a councillor for a ward, and two officers assigned to the whole council
    councillor = ElectedMemberFactory(areas=[ward])
    OfficerFactory.create_batch(2, areas=[council])
    client.force_login(councillor)
    # when
    page = " ".join(client.get(HOME).content.decode().split())
    # then the count agrees with the officers listed beneath it
    assert (
        '<span class="app-card__figure">2</span> <span class="govuk-body">Council officers' in page
    )


@pytest.mark.django_db
def test_home_partner_api_clients_link_stays_on_a_page_they_may_see(client, partner_user):
    from tests.api.factories import ApiClientFactory

    # given their agency has an API client
    api_client = ApiClientFactory(agency=partner_user.partner_agency, scopes=["areas:read"])
    client.force_login(partner_user)
    # when
    page = client.get(HOME).content.decode()
    # then the count links to the list on this page, not to the administrator's pages
    assert reverse("api_clients:list") not in page
    assert f'href="{HOME}#api-clients"' in page
    assert 'id="api-clients"' in page
    assert api_client.client_id in page
    assert "areas:read" in page
