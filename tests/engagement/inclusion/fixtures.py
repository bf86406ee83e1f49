"""This app's shared pytest fixtures, registered for the whole suite in tests/conftest.py.

Fixtures the role x page matrix names live here, so that every test module sees them.
"""

from datetime import date

import pytest

from engagement.inclusion.models import ScopeKind
from engagement.inclusion.services import report_generate, report_publish
from tests.engagement.inclusion.factories import (
    ReportFactory,
    TargetFactory,
    census_table,
    person_with,
)


@pytest.fixture
def aap_population(aap, ward):
    """Census tables for the Town Centre ward (in the aap area)."""
    census_table(ward, "TS008", {"female": 520, "male": 480})
    census_table(
        ward, "TS021", {"white_british": 700, "asian_pakistani": 200, "black_african": 100}
    )
    return ward


@pytest.fixture
def aap_report(aap, aap_population, officer):
    """A finished report on the aap area, requested by the officer: 12 participants."""
    for i in range(12):
        person_with(
            ward=aap_population,
            sex="female" if i % 2 else "male",
            ethnic_group="white_british" if i < 9 else "asian_pakistani",
        )
    report = ReportFactory(
        scope_kind=ScopeKind.AREA,
        obj=aap,
        requested_by=officer,
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
    )
    return report_generate(report_id=report.pk)


@pytest.fixture
def public_report(aap_report, officer):
    return report_publish(report=aap_report, actor=officer, public=True)


@pytest.fixture
def programme_target(db):
    return TargetFactory(dimension="ethnic_group", category="asian")
