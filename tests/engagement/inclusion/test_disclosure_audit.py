"""Disclosure control against an attacker who reads a whole report: every figure of one
report, page, CSV or JSON, set against the others. Each test builds a small dataset,
works out by hand what a reader could recover, and checks the report no longer lets
them."""

from engagement.inclusion.counting import NEWCOMER, Aggregates
from engagement.inclusion.disclosure import INTERNAL, PUBLISHED
from engagement.inclusion.population import (
    DIMENSIONS,
    DimensionPopulation,
    Geography,
    Population,
    age_bands,
)
from engagement.inclusion.reporting import build_results

# One age of each band (16 to 24, 25 to 34, ...), for answers given as bands.
AGE_OF = {"16_24": 20, "25_34": 30, "35_49": 40, "50_64": 55, "65_74": 70, "75_plus": 80}


def _population(age_residents: dict[str, int]) -> Population:
    """Census figures for age only (the other questions have no table, so no breakdown)."""
    dimensions = {d: DimensionPopulation(d, None, {}, 0) for d in DIMENSIONS}
    dimensions["age"] = DimensionPopulation(
        "age", "TS007", age_residents, sum(age_residents.values())
    )
    return Population(
        dimensions=dimensions,
        geography=Geography(edition=None),
        tables={},
        minimum_age=16,
        bands=age_bands(16),
    )


def _report(mode: str, sets: dict, age_residents: dict[str, int]) -> dict:
    return build_results(
        mode=mode,
        aggregates=Aggregates(sets=sets),
        population=_population(age_residents),
        targets={},
        header={},
        ladder={},
        suggestions=lambda dimension, code: [],
    )


def _age(results: dict) -> dict:
    return next(d for d in results["dimensions"] if d["code"] == "age")


def _profile(results: dict, dimension: str) -> dict:
    profiles = results["concentration"]["profiles"]
    return next(p for p in profiles if p["dimension"] == dimension)


def test_usual_suspects_profile_does_not_show_a_group_the_age_table_hides():
    """In a programme's first year everyone is a newcomer, so the newcomers' profile is
    the age table again, protected on its own. It must not show the group the staff
    table hid beside a small one."""
    # given: 81 people, all newcomers; one aged 16 to 24. 25 to 34 and 35 to 49 hold 10
    # each; 35 to 49 has fewer residents, so the staff table hides it with 16 to 24.
    answers = {"16_24": 1, "25_34": 10, "35_49": 10, "50_64": 20, "65_74": 20, "75_plus": 20}
    residents = {
        "16_24": 1000,
        "25_34": 1500,
        "35_49": 1400,
        "50_64": 2000,
        "65_74": 1800,
        "75_plus": 1200,
    }
    sets = {
        "total": {(): (81, 81)},
        "age": {(AGE_OF[code],): (n, n) for code, n in answers.items()},
        "cohort": {(NEWCOMER,): (81, 81)},
        "cohort_age": {(NEWCOMER, AGE_OF[code]): (n, n) for code, n in answers.items()},
    }
    # when
    results = _report(INTERNAL, sets, residents)
    # then: the table shows 81 answers, 10 + 20 + 20 + 20 = 70 of them in groups shown,
    # so 16 to 24 and 35 to 49 hold 11 together
    table = {row["code"]: row["count"] for row in _age(results)["groups"]}
    assert table == {
        "16_24": None,
        "25_34": 10,
        "35_49": None,
        "50_64": 20,
        "65_74": 20,
        "75_plus": 20,
    }
    assert _age(results)["response"]["answered"] == 81
    # and the profile no longer shows 35 to 49 (as 10, that is 10 to 12 people), which
    # left 11 - 10 = 1 person aged 16 to 24 at most (a hidden cell is never 0 here)
    newcomers = {row["code"]: row["newcomers_count"] for row in _profile(results, "age")["groups"]}
    assert newcomers["35_49"] is None
    assert newcomers["16_24"] is None
    assert newcomers["50_64"] == 20


def test_usual_suspects_profile_of_a_cohort_does_not_bound_a_hidden_group():
    """A cohort that is most of a group bounds that group from below: the profile must
    not show a group the table hides, even when the cohort's own table would."""
    # given: 16 to 24 holds 2 and 25 to 34 holds 13, all 13 regulars; the staff table
    # hides both (2 + 13 = 15 people hidden, the total less the groups shown)
    answers = {"16_24": 2, "25_34": 13, "35_49": 20, "50_64": 20, "65_74": 20, "75_plus": 20}
    regulars = {"16_24": 0, "25_34": 13, "35_49": 12, "50_64": 12, "65_74": 12, "75_plus": 12}
    residents = dict.fromkeys(answers, 1000)
    sets = {
        "total": {(): (95, 95)},
        "age": {(AGE_OF[code],): (n, n) for code, n in answers.items()},
        "cohort": {(1,): (61, 61)},
        "cohort_age": {(1, AGE_OF[code]): (n, n) for code, n in regulars.items()},
    }
    # when
    results = _report(INTERNAL, sets, residents)
    # then
    hidden = {row["code"] for row in _age(results)["groups"] if row["suppressed"]}
    assert hidden == {"16_24", "25_34"}
    # and 25 to 34 is no longer shown among regulars as 15 (13 to 17 people), which put
    # 16 to 24 at 15 - 13 = 2 at most; the regulars' own table still hides its empty
    # 16 to 24 with 35 to 49 (the first of the 12s) and shows the rest
    repeat = {row["code"]: row["repeat_count"] for row in _profile(results, "age")["groups"]}
    assert repeat == {
        "16_24": None,
        "25_34": None,
        "35_49": None,
        "50_64": 10,
        "65_74": 10,
        "75_plus": 10,
    }


def test_published_channel_shares_do_not_give_away_the_exact_number_of_participants():
    """Published, participants are rounded to 5: a channel's share must be of that
    figure, not of the exact one."""
    # given: 37 participants, 23 of them online and 14 in person
    sets = {
        "total": {(): (37, 37)},
        "channels": {(16,): (23, 23), (8,): (14, 14)},
    }
    # when
    results = _report(PUBLISHED, sets, dict.fromkeys(AGE_OF, 1000))
    # then: 37 is shown as 35, online as 25 and in person as 15; the shares were 25 / 37
    # = 0.6757 and 15 / 37 = 0.4054, which gave 25 / 0.6757 = 37 back
    assert results["participants"] == 35
    channels = {row["code"]: (row["count"], row["share"]) for row in results["mix"]["channels"]}
    assert channels["online"] == (25, 0.7143)  # 25 / 35
    assert channels["in_person"] == (15, 0.4286)  # 15 / 35
