"""Each list and project page runs the same number of queries however many projects,
roster places, funding lines and readings there are."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from projects.models import Project
from tests.projects.factories import (
    FundingLineFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProjectDocumentFactory,
    ProjectFactory,
    RosterEntryFactory,
    StaffLeadFactory,
)

pytestmark = pytest.mark.django_db


def fill(project, *, size: int, officer) -> None:
    """Give a project `size` roster places, funding lines, documents and readings."""
    StaffLeadFactory(project=project, user=officer)
    for n in range(size):
        RosterEntryFactory(project=project)
        FundingLineFactory(project=project, amount=Decimal(100 + n))
        ProjectDocumentFactory(project=project, recorded_by=officer)
    indicator = IndicatorFactory(project=project)
    for n in range(size):
        MeasurementFactory(indicator=indicator, measured_on=datetime.date(2010 + n, 3, 31))


def projects_in(ward, officer, *, count: int, size: int) -> list[Project]:
    projects = []
    for _ in range(count):
        project = ProjectFactory(areas=[ward], lead_officer=officer)
        fill(project, size=size, officer=officer)
        projects.append(project)
    return projects


@pytest.mark.parametrize(("count", "size"), [(1, 1), (8, 6)])
def test_project_list_runs_a_fixed_number_of_queries(
    client, officer, ward, django_assert_num_queries, count, size
):
    # given
    projects_in(ward, officer, count=count, size=size)
    client.force_login(officer)
    # when / then
    # session, user, user's roles (groups, then cached on the user); the page's count,
    # counts by stage; filter choices: areas, services, officers; the page of projects
    # with their roster and money totals (subqueries, not joins), their areas (prefetch).
    with django_assert_num_queries(10):
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == count


@pytest.mark.parametrize("size", [1, 12])
def test_project_page_runs_a_fixed_number_of_queries(
    client, officer, project, django_assert_num_queries, size
):
    # given
    fill(project, size=size, officer=officer)
    StaffLeadFactory(project=project)
    client.force_login(officer)
    # Content types are cached for the life of the process.
    ContentType.objects.get_for_model(Project)
    # when / then
    # session, user, user's roles; the project within the officer's scope, may change
    # it, may see names; its areas, communities, partner agencies; the roster, the
    # roster's accounts' roles; documents, transitions, funding lines, indicators, their
    # readings, the commissioning assessment, the sign-off requests. The gate reads what
    # the page loaded.
    with django_assert_num_queries(18):
        response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    assert len(response.context["page"].roster) == size + 2


@pytest.mark.parametrize(("delegated", "expected"), [(False, 18), (True, 20)])
def test_a_councillors_project_page_reads_their_delegations_once(
    client,
    elected_member,
    administrator,
    project,
    ward,
    django_assert_num_queries,
    delegated,
    expected,
):
    """A councillor may open a project through a sign-off authority delegated to them lets
    them decide (governance.selectors, the rule the decision uses): reading that rule
    costs one query, and one more for the delegations' areas when they hold any. The
    page reads the rule again for the project's sign-offs that are theirs to decide (it
    offers Decide on those alone), and reads those."""
    from django.utils import timezone

    from governance.models import SignOffDelegation

    # given
    if delegated:
        delegation = SignOffDelegation.objects.create(
            member=elected_member,
            starts_on=timezone.localdate(),
            reason="Deputy",
            granted_by=administrator,
        )
        delegation.areas.set([ward])
    client.force_login(elected_member)
    ContentType.objects.get_for_model(Project)
    # when / then
    # session, user, user's roles; their delegations in force (and those delegations'
    # areas); the project within their scope, its areas, communities, partner agencies;
    # the roster, documents, transitions, funding lines, indicators, the commissioning
    # assessment, the sign-off requests; may change it; their delegations again (and
    # their areas), the project's pending sign-offs theirs to decide.
    with django_assert_num_queries(expected):
        response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(("count", "size"), [(1, 1), (6, 5)])
def test_public_list_runs_a_fixed_number_of_queries(
    client, officer, ward, django_assert_num_queries, count, size
):
    # given
    for project in projects_in(ward, officer, count=count, size=size):
        Project.objects.filter(pk=project.pk).update(is_published=True, public_summary="Hello")
    # when / then
    # count, page of projects, their areas
    with django_assert_num_queries(3):
        response = client.get(reverse("projects:public_list"))
    assert len(response.context["projects"]) == count


@pytest.mark.parametrize("size", [1, 10])
def test_public_project_page_runs_a_fixed_number_of_queries(
    client, officer, project, django_assert_num_queries, size
):
    # given
    fill(project, size=size, officer=officer)
    Project.objects.filter(pk=project.pk).update(is_published=True, public_summary="Hello")
    # when / then
    # project, roster figures, indicators, their readings, areas, transitions, funding
    with django_assert_num_queries(7):
        response = client.get(reverse("projects:public_detail", args=[project.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(("count", "size"), [(1, 1), (6, 5)])
def test_leverage_page_runs_a_fixed_number_of_queries(
    client, officer, ward, django_assert_num_queries, count, size
):
    # given
    projects_in(ward, officer, count=count, size=size)
    client.force_login(officer)
    # when / then
    # session, user, user's roles; the area partnerships in scope, the money per
    # partnership (one aggregate query), the money overall (one aggregate query)
    with django_assert_num_queries(6):
        response = client.get(reverse("projects:leverage"))
    assert response.status_code == 200
