"""Outcome, demand and cost indicators, their readings, and the commissioning assessment."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduction.versioning import EditConflictError
from projects import services
from projects.figures import indicator_progress, leverage_ratio
from projects.models import Indicator
from tests.projects import gate_helpers
from tests.projects.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


def indicator_fields(**overrides) -> dict:
    values = {
        "name": "Residents satisfied with cleanliness",
        "kind": Indicator.Kind.OUTCOME,
        "unit": Indicator.Unit.PERCENT,
        "measure": "residents satisfied",
        "direction": Indicator.Direction.UP,
        "baseline_value": Decimal("61"),
        "baseline_on": datetime.date(2024, 4, 1),
        "target_value": Decimal("75"),
        "target_on": datetime.date(2026, 4, 1),
        "source": "Residents' survey",
    }
    values.update(overrides)
    return values


def test_a_percentage_stays_between_0_and_100(project, officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.indicator_create(
            project=project, created_by=officer, **indicator_fields(target_value=Decimal("120"))
        )
    assert "target_value" in refused.value.error_dict


def test_indicator_names_are_unique_in_a_project(project, officer):
    services.indicator_create(project=project, created_by=officer, **indicator_fields())
    with pytest.raises(services.ProjectRuleError) as refused:
        services.indicator_create(
            project=project,
            created_by=officer,
            **indicator_fields(name="residents satisfied with cleanliness"),
        )
    assert "name" in refused.value.error_dict


def test_a_reading_cannot_come_before_the_baseline_or_twice_a_day(indicator, officer):
    with pytest.raises(services.ProjectRuleError) as early:
        services.measurement_record(
            indicator=indicator,
            recorded_by=officer,
            measured_on=datetime.date(2000, 1, 1),
            value=Decimal("1"),
        )
    assert "on or after the baseline date, 31 March 2007" in early.value.messages[0]
    services.measurement_record(
        indicator=indicator,
        recorded_by=officer,
        measured_on=datetime.date(2012, 3, 31),
        value=Decimal("3666"),
    )
    with pytest.raises(services.ProjectRuleError, match="already a reading for 31 March 2012"):
        services.measurement_record(
            indicator=indicator,
            recorded_by=officer,
            measured_on=datetime.date(2012, 3, 31),
            value=Decimal("3600"),
        )


def test_a_reading_cannot_be_in_the_future(indicator, officer):
    with pytest.raises(services.ProjectRuleError, match="future"):
        services.measurement_record(
            indicator=indicator,
            recorded_by=officer,
            measured_on=timezone.localdate() + datetime.timedelta(days=1),
            value=Decimal("1"),
        )


def test_moving_the_baseline_after_a_reading_is_refused(indicator, officer):
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(2010, 3, 31))
    with pytest.raises(services.ProjectRuleError) as refused:
        services.indicator_update(
            indicator=indicator,
            updated_by=officer,
            expected_version=indicator.version,
            baseline_on=datetime.date(2011, 1, 1),
        )
    assert "before this baseline date" in refused.value.error_dict["baseline_on"][0].message


def test_south_derbyshire_anti_social_behaviour_progress(project):
    """5,899 calls in 2006/07 to 3,666 in 2011/12: down 37.9%, target met."""
    # given
    indicator = IndicatorFactory(project=project)
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(2012, 3, 31), value=3666)
    # when
    progress = indicator_progress(
        Indicator.objects.prefetch_related("measurements").get(pk=indicator.pk)
    )
    # then
    assert progress.change == Decimal("-2233")
    assert progress.change_percent == Decimal("-37.9")
    assert progress.improved is True
    assert progress.target_met is True
    assert "From 5,899 at the baseline to 3,666 on 31 March 2012: down 37.9%" in progress.summary
    assert [p.display for p in progress.chart.points] == ["5,899", "3,666"]
    assert [g["name"] for g in progress.chart.guides] == ["Baseline", "Target"]


def test_leverage_is_levered_money_per_pound_of_devolved_budgets():
    """Durham's AAPs: £1.72 of partner and match money for every £1 of area budget."""
    assert leverage_ratio(devolved=Decimal("100000"), levered=Decimal("172000")) == Decimal("1.72")
    assert leverage_ratio(devolved=Decimal("0"), levered=Decimal("5000")) is None


def assessment_fields(**overrides) -> dict:
    values = {
        "provider_name": "Friends of Abbey Park",
        "service_part": "Litter picks",
        "capacity": "ready",
        "skills": "ready",
        "governance": "with_support",
        "insurance": "not_ready",
        "risks": "with_support",
        "can_deliver": "part",
        "decision": "",
        "decision_reason": "",
        "assessed_on": timezone.localdate(),
    }
    values.update(overrides)
    return values


def test_an_assessment_decision_needs_its_reason(project, officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.assessment_save(
            project=project,
            assessed_by=officer,
            **assessment_fields(decision="community_delivers"),
        )
    assert "decision_reason" in refused.value.error_dict


def test_a_community_that_can_deliver_none_of_it_is_not_commissioned_to(project, officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.assessment_save(
            project=project,
            assessed_by=officer,
            **assessment_fields(
                can_deliver="none", decision="community_delivers", decision_reason="Keen"
            ),
        )
    assert "cannot be commissioned" in refused.value.error_dict["decision"][0].message


def test_assessment_edits_are_version_checked(project, officer):
    # given
    draft = services.assessment_save(project=project, assessed_by=officer, **assessment_fields())
    services.assessment_save(
        project=project,
        assessed_by=officer,
        expected_version=draft.version,
        **assessment_fields(insurance="ready"),
    )
    # when / then
    with pytest.raises(EditConflictError):
        services.assessment_save(
            project=project,
            assessed_by=officer,
            expected_version=draft.version,
            **assessment_fields(insurance="not_ready"),
        )


def test_the_assessment_is_fixed_once_the_project_leaves_commission(
    project, officer, elected_member
):
    gate_helpers.take_to(project, "deliver", officer=officer, member=elected_member)
    assessment = project.commissioning_assessment
    with pytest.raises(services.ProjectRuleError, match="move the project back"):
        services.assessment_save(
            project=project,
            assessed_by=officer,
            expected_version=assessment.version,
            **assessment_fields(),
        )
