"""The CSV holds every section of the page: who took part (with the pooled lines of
hidden groups), deprivation reach, the usual suspects, ladder and mix, and change."""

from datetime import date

import pytest

from engagement.inclusion.exports import CSV_HEADER, csv_rows
from engagement.inclusion.models import ScopeKind
from engagement.inclusion.services import report_generate
from tests.communities.factories import DeprivationScoreFactory, LsoaFactory
from tests.engagement.inclusion.factories import ReportFactory, census_table, person_with

pytestmark = pytest.mark.django_db


def generate(ward, start, end):
    report = ReportFactory(scope_kind=ScopeKind.AREA, obj=ward, start=start, end=end)
    return report_generate(report_id=report.pk)


def rows_of(report) -> list[dict]:
    return [dict(zip(CSV_HEADER, row, strict=True)) for row in csv_rows(report.results)]


def test_the_csv_holds_every_section_of_the_report(ward):
    # given: January, 6 women (Christian) and 5 men (no religion); by March 10 more men
    # join, 2 of them Muslim (a group of 1-4, hidden and pooled); all in a decile-1
    # neighbourhood
    census_table(ward, "TS008", {"female": 600, "male": 400})
    census_table(ward, "TS030", {"christian": 500, "no_religion": 300, "muslim": 200})
    lsoa = LsoaFactory(parent=ward)
    DeprivationScoreFactory(lsoa=lsoa, decile=1)
    census_table(lsoa, "TS007", {f"y{age}": 10 for age in range(16, 76)})
    january_people = [("female", "christian")] * 6 + [("male", "no_religion")] * 5
    for sex, religion in january_people:
        person_with(ward=ward, lsoa=lsoa, sex=sex, religion=religion, when=date(2026, 1, 9))
    january = generate(ward, date(2026, 1, 1), date(2026, 1, 31))
    for religion in ["no_religion"] * 8 + ["muslim"] * 2:
        person_with(ward=ward, lsoa=lsoa, sex="male", religion=religion, when=date(2026, 3, 9))
    # when
    spring = generate(ward, date(2026, 1, 1), date(2026, 3, 31))
    rows = rows_of(spring)
    by = {(r["section"], r["dimension"], r["level"], str(r["code"])): r for r in rows}
    # then: the hidden group's pooled line, as the page gives it
    (pool,) = next(d for d in spring.results["dimensions"] if d["code"] == "religion")["pooled"]
    pooled = by[("who_took_part", "religion", "pooled", "+".join(pool["codes"]))]
    assert (pooled["count"], pooled["representation_ratio"], pooled["flag"]) == (
        pool["count"],
        pool["ratio"],
        pool["flag"],
    )
    # the most deprived 20%: everyone lives in decile 1
    edition = f"IMD {spring.results['deprivation']['edition']}"
    most = by[("deprivation", edition, "most_deprived_20", "1+2")]
    assert (most["count"], most["share"]) == (21, 1.0)
    assert by[("deprivation", edition, "", "participants_placed")]["count"] == 21
    assert by[("deprivation", edition, "coverage", "lsoas_reached")]["count"] == 1
    # the usual suspects' cohorts
    assert (
        by[("usual_suspects", "", "cohort", "newcomers")]["count"]
        == (spring.results["concentration"]["newcomers"]["count"])
    )
    # ladder and mix, as many rows as the page's tables
    assert sum(r["section"] == "ladder" and r["dimension"] == "rung" for r in rows) == 9
    kinds = [r for r in rows if r["section"] == "mix" and r["dimension"] == "kinds"]
    assert len(kinds) == len(spring.results["mix"]["kinds"])
    # change since January: 10 more people; women from 6 of 11 to 6 of 21
    assert spring.previous_id == january.pk
    assert by[("change", "", "", "participants")]["count"] == 10
    female = by[("change", "sex", "group", "female")]
    assert female["share"] == pytest.approx(6 / 21 - 6 / 11, abs=0.0002)
    assert f"report {january.pk}" in by[("change", "", "", "participants")]["note"]


def test_a_first_report_has_no_change_rows(ward):
    # given
    census_table(ward, "TS008", {"female": 600, "male": 400})
    person_with(ward=ward, sex="female")
    # when
    report = generate(ward, date(2026, 1, 1), date(2026, 6, 30))
    # then
    assert not [row for row in rows_of(report) if row["section"] == "change"]
