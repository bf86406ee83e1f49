"""Reads: leverage per area partnership, counts by stage."""

from decimal import Decimal

import pytest

from projects.models import Project
from projects.selectors import leverage_by_area, project_stage_counts
from tests.accounts.factories import AdministratorFactory
from tests.communities.factories import WardFactory
from tests.projects.factories import FundingLineFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_leverage_counts_a_line_once_per_area_however_many_wards(aap, ward, other_ward):
    # given
    second_ward = WardFactory(name="Abbey Fields", parent=aap)
    both_wards = ProjectFactory(areas=[ward, second_ward])
    FundingLineFactory(project=both_wards, amount=Decimal("1000"))
    FundingLineFactory(
        project=both_wards, source="external_match", funder_name="Lottery", amount=Decimal("500")
    )
    across_areas = ProjectFactory(areas=[ward, other_ward])
    FundingLineFactory(project=across_areas, amount=Decimal("2000"))
    # Waiting for sign-off: not counted.
    FundingLineFactory(
        project=across_areas, amount=Decimal("9000"), status="awaiting_signoff", committed_on=None
    )
    # when
    rows = {row.area.name: row for row in leverage_by_area(user=AdministratorFactory())}
    # then
    assert rows[aap.name].devolved == Decimal("3000")
    assert rows[aap.name].levered == Decimal("500")
    assert rows[aap.name].leverage == Decimal("0.17")
    assert rows[other_ward.parent.name].devolved == Decimal("2000")
    assert rows[other_ward.parent.name].leverage == Decimal("0.00")


def test_leverage_is_limited_to_what_the_person_may_see(officer, project, other_project):
    FundingLineFactory(project=other_project, amount=Decimal("7000"))
    FundingLineFactory(project=project, amount=Decimal("100"))
    rows = leverage_by_area(user=officer)
    assert [(row.area.name, row.devolved) for row in rows] == [
        ("Northfield Central", Decimal("100"))
    ]


def test_stage_counts_include_every_stage(ward):
    ProjectFactory(areas=[ward], stage="deliver")
    counts = project_stage_counts(projects=Project.objects.all())
    assert counts == {stage: int(stage == "deliver") for stage in Project.Stage}
