"""Disclosure control: rules by example, then property-based tests over adversarial small
tables with an attacker who solves linear programmes over everything a table shows."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from engagement.inclusion.counting import Aggregates
from engagement.inclusion.disclosure import (
    INTERNAL,
    MODES,
    PUBLISHED,
    protect_flat,
    protect_table,
    rule_for,
)
from engagement.inclusion.models import Report
from engagement.inclusion.population import (
    DimensionPopulation,
    Geography,
    Population,
    age_bands,
    dimension_parents,
)
from engagement.inclusion.reporting import _dimension

INTERNAL_RULE = rule_for(INTERNAL)
PUBLISHED_RULE = rule_for(PUBLISHED)


def test_small_cells_are_suppressed_with_a_second_cell_so_neither_can_be_derived():
    # given: 3 in one group; the total (43) is shown
    counts = [3, 30, 10]
    # when
    hidden = protect_flat(counts, INTERNAL_RULE)
    # then: 3 alone is small (primary), and 3 + 10 = 13 >= 5 with the smallest other cell
    assert hidden == {0, 2}


def test_two_small_cells_summing_under_five_take_a_third():
    # 1 + 2 = 3 < 5: the smallest non-zero other cell joins them
    assert protect_flat([1, 2, 0, 20, 7], INTERNAL_RULE) == {0, 1, 4}


def test_everyone_in_one_group_is_not_shown():
    # 12 of 12 in one group: the zeros would say everyone gave one answer
    hidden = protect_flat([12, 0, 0], INTERNAL_RULE)
    assert 0 in hidden
    assert len(hidden) >= 2


def test_no_suppression_when_every_cell_is_safe():
    assert protect_flat([0, 10, 25], INTERNAL_RULE) == set()


def test_published_rule_suppresses_under_ten_and_rounds_to_five():
    # when
    protected = protect_table({"a": 12, "b": 9, "c": 33, "d": 0}, PUBLISHED_RULE)
    # then: 9 and 0 are under 10; 9 + 0 < 10, so 12 (the smallest with people) joins them
    assert protected.suppressed == {"a", "b", "d"}
    assert protected.shown["c"] == 35
    assert protected.total == 55  # 54 rounded


def test_hierarchy_hides_every_category_of_a_hidden_group():
    # given: Asian 3 (small) under a total of 40
    counts = {"a1": 2, "a2": 1, "w1": 30, "w2": 7}
    parents = {"asian": ["a1", "a2"], "white": ["w1", "w2"]}
    # when
    protected = protect_table(counts, INTERNAL_RULE, parents=parents)
    # then: asian is small, white holds all but 3 (dominant): both groups and all leaves go
    assert protected.suppressed == {"asian", "white", "a1", "a2", "w1", "w2"}


@pytest.mark.parametrize("rule", [INTERNAL_RULE, PUBLISHED_RULE])
def test_a_category_holding_its_whole_group_is_hidden(rule):
    # given: 30 White participants, all White British; 20 Asian, 10 and 10
    counts = {"a1": 10, "a2": 10, "w1": 30, "w2": 0, "w3": 0}
    parents = {"asian": ["a1", "a2"], "white": ["w1", "w2", "w3"]}
    # when
    protected = protect_table(counts, rule, parents=parents)
    # then: both groups shown; under White, 30 of 30 is hidden, with a second cell (the
    # first empty one) so that it cannot be told from the group's count
    assert protected.shown["white"] == 30
    assert {"w1", "w2"} <= protected.suppressed
    assert not {"asian", "white", "a1", "a2"} & protected.suppressed


# -- The attacker ------------------------------------------------------------------------


def _ranges(shown: list, total: int, rule, groups: dict[int, list[int]] | None = None):
    """The least and greatest value each cell can take given what is shown, by linear
    programming (exact for these sums of non-negative integers: the constraint matrix is
    totally unimodular). `groups`: extra shown sums (index of a group's shown value in
    `group_shown` -> leaf indexes)."""
    k = len(shown)
    slack = 0 if rule.mode == INTERNAL else rule.rounding // 2
    bounds = []
    for value in shown:
        if value is None:
            bounds.append((0, None))
        else:
            bounds.append((max(0, value - slack), value + slack))
    a_ub, b_ub = [np.ones(k), -np.ones(k)], [total + slack, -(total - slack)]
    for leaves, value in (groups or {}).values():
        row = np.zeros(k)
        row[leaves] = 1
        a_ub += [row, -row]
        b_ub += [value + slack, -(value - slack)]
    found = []
    for i in range(k):
        c = np.zeros(k)
        c[i] = 1
        low = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        high = linprog(-c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        assert low.status == 0
        assert high.status == 0
        found.append((round(low.fun), round(-high.fun)))
    return found


def _assert_safe(true: list[int], shown: list, total: int, rule, groups=None) -> None:
    ranges = _ranges(shown, total, rule, groups)
    n = sum(true)
    for i, value in enumerate(true):
        low, high = ranges[i]
        if shown[i] is None and rule.floor < value < rule.threshold:
            # A small cell can be neither pinned down nor placed among the small values.
            assert high > low, (true, shown, i)
            assert low <= 0 or high >= rule.threshold, (true, shown, i, ranges[i])
        if rule.is_dominant(value, n):
            # Whether (nearly) everyone gave this answer must stay open.
            assert high - low >= 1, (true, shown, i)
            assert n - low >= rule.threshold or shown[i] is None, (true, shown, i)
    for value in shown:
        if value is not None and rule.mode == PUBLISHED:
            assert value % 5 == 0
            assert value >= 10


@settings(max_examples=150, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=25), min_size=2, max_size=6),
    mode=st.sampled_from(MODES),
)
def test_no_suppressed_cell_of_a_one_way_table_can_be_worked_out(counts, mode):
    assume(sum(counts) >= 10)
    rule = rule_for(mode)
    protected = protect_table({str(i): c for i, c in enumerate(counts)}, rule)
    shown = [protected.shown[str(i)] for i in range(len(counts))]
    _assert_safe(counts, shown, protected.total, rule)


@settings(max_examples=100, deadline=None)
@given(
    groups=st.lists(
        st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=3),
        min_size=2,
        max_size=4,
    ),
    mode=st.sampled_from(MODES),
)
def test_no_suppressed_cell_of_a_two_level_table_can_be_worked_out(groups, mode):
    # given: an ethnic-group-like table, groups of categories
    counts, parents, leaves_of = {}, {}, []
    for g, members in enumerate(groups):
        parents[f"g{g}"] = []
        for m, value in enumerate(members):
            counts[f"g{g}c{m}"] = value
            parents[f"g{g}"].append(f"g{g}c{m}")
    assume(sum(counts.values()) >= 10)
    rule = rule_for(mode)
    # when
    protected = protect_table(counts, rule, parents=parents)
    # then: the attacker knows every shown category, every shown group and the total
    codes = list(counts)
    shown = [protected.shown[c] for c in codes]
    sums = {}
    for group, leaves in parents.items():
        if protected.shown[group] is not None:
            sums[group] = ([codes.index(c) for c in leaves], protected.shown[group])
        leaves_of.append([counts[c] for c in leaves])
    _assert_safe([counts[c] for c in codes], shown, protected.total, rule, sums)
    # and each group's count is as safe as a category's
    group_true = [sum(values) for values in leaves_of]
    group_shown = [protected.shown[g] for g in parents]
    _assert_safe(group_true, group_shown, protected.total, rule)


# -- Whole dimension results: nothing beyond the protected table ------------------------


def _population(dimension: str, counts: dict[str, int]) -> Population:
    pop = DimensionPopulation(dimension, "T", counts, sum(counts.values()))
    return Population(
        dimensions={dimension: pop},
        geography=Geography(edition=None),
        tables={},
        minimum_age=16,
        bands=age_bands(16),
    )


def _residents(answers: dict[str, int]) -> dict[str, int]:
    return {code: 1000 + 37 * i for i, code in enumerate(answers)}


def _weights(answers: dict[str, int]) -> dict[str, float]:
    """The residents' shares the report passes to the protection (its tie-break)."""
    residents = _residents(answers)
    total = sum(residents.values())
    return {code: count / total for code, count in residents.items()}


def _result(dimension: str, answers: dict[str, int], mode: str) -> dict:
    population = _population(dimension, _residents(answers))
    total = sum(answers.values())
    sets = {
        "total": {(): (total, total)},
        dimension: {
            (code, 0) if dimension == "sexual_orientation" else (code,): (n, n)
            for code, n in answers.items()
        },
    }
    return _dimension(dimension, Aggregates(sets=sets), population, mode, {})


ETHNIC_LEAVES = [c for leaves in dimension_parents("ethnic_group").values() for c in leaves]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    values=st.lists(st.integers(min_value=0, max_value=12), min_size=19, max_size=19),
    mode=st.sampled_from(MODES),
    data=st.data(),
)
def test_datasets_with_the_same_protected_table_give_the_same_report(values, mode, data):
    """Move one person between two suppressed categories: when the protected table is
    unchanged, every figure of the dimension (ratios, intervals, D, tests...) must be
    unchanged too, so no figure carries more than the table."""
    answers = dict(zip(ETHNIC_LEAVES, values, strict=True))
    assume(sum(values) >= 10)
    rule = rule_for(mode)
    parents = dimension_parents("ethnic_group")
    protected = protect_table(answers, rule, parents=parents, weights=_weights(answers))
    hidden = [c for c in ETHNIC_LEAVES if c in protected.suppressed]
    assume(len(hidden) >= 2)
    source = data.draw(st.sampled_from([c for c in hidden if answers[c] > 0] or [None]))
    assume(source is not None)
    target = data.draw(st.sampled_from([c for c in hidden if c != source]))
    moved = {**answers, source: answers[source] - 1, target: answers[target] + 1}
    again = protect_table(moved, rule, parents=parents, weights=_weights(moved))
    assume(again.shown == protected.shown and again.total == protected.total)
    # then
    assert _result("ethnic_group", answers, mode) == _result("ethnic_group", moved, mode)


@pytest.mark.parametrize("mode", MODES)
def test_a_dimension_with_everyone_in_one_group_does_not_say_so(mode):
    # given: all 15 answered "straight"
    result = _result(
        "sexual_orientation", {"straight": 15, "gay_lesbian": 0, "bisexual": 0, "other": 0}, mode
    )
    # then: the straight count is not shown, nor anything that would give it away
    straight = next(g for g in result["groups"] if g["code"] == "straight")
    assert straight["suppressed"]
    assert straight["count"] is None
    assert straight["ratio"] is None
    shown_zero = [g for g in result["groups"] if g["count"] == 0]
    assert len(shown_zero) <= 2  # at least one other group is hidden with it


@pytest.mark.parametrize(("stored", "served"), [(7, None), (0, None), (10, 10), (None, None)])
def test_a_published_snapshot_never_serves_a_small_count_of_people_placed(stored, served):
    # given: published figures stored before the deprivation section hid small totals
    report = Report(
        results={"deprivation": {"participants_placed": 7}},
        published={"mode": "published", "deprivation": {"participants_placed": stored}},
    )
    # when
    published = report.figures("published")
    # then: as any published count, one under 10 is not given; staff get theirs whole
    assert published["deprivation"]["participants_placed"] == served
    assert report.figures("internal")["deprivation"]["participants_placed"] == 7
    assert report.published["deprivation"]["participants_placed"] == stored
