"""The report's formulas against values worked out by hand (written out in each test)."""

import math

import pytest
from scipy import stats

from engagement.inclusion import metrics


@pytest.mark.parametrize(("u", "n"), [(0, 10), (1, 1), (3, 12), (12, 12), (40, 1000)])
def test_wilson_interval_matches_scipy(u, n):
    # when
    low, high = metrics.wilson_interval(u, n)
    # then
    expected = stats.binomtest(u, n, 0.5).proportion_ci(method="wilson")
    assert low == pytest.approx(expected.low, abs=1e-12)
    assert high == pytest.approx(expected.high, abs=1e-12)


def test_wilson_interval_by_hand_for_three_of_twelve():
    # p = 0.25, z = 1.96: centre = (0.25 + 3.8415/24) / (1 + 3.8415/12) = 0.41006/1.32012
    # = 0.31062; half = 1.96 * sqrt(0.25*0.75/12 + 3.8415/576) / 1.32012 = 0.22833
    low, high = metrics.wilson_interval(3, 12)
    assert low == pytest.approx(0.08893, abs=1e-4)
    assert high == pytest.approx(0.53231, abs=1e-4)


def test_representation_ratio_interval_flag_and_expected():
    # given: 30 answers, 3 in a group that is 40% of residents
    figures = metrics.representation({"a": 3, "b": 27}, {"a": 0.4, "b": 0.6}, 30)
    a = figures["a"]
    # then: p = 0.1, RR = 0.25, expected 12; Wilson(3, 30) = (0.0346, 0.2562) -> RR upper 0.64
    assert a.share == pytest.approx(0.1)
    assert a.ratio == pytest.approx(0.25)
    assert a.expected == pytest.approx(12)
    assert a.ratio_high == pytest.approx(0.2562 / 0.4, abs=1e-3)
    assert a.flag == "under"
    # b: p = 0.9, RR 1.5, but Wilson(27, 30) starts at 0.7438: 0.7438 / 0.6 = 1.24 < 1.25
    assert figures["b"].flag == "in_line"


def test_flag_rules():
    assert metrics.flag(ratio_low=0.2, ratio_high=0.79, expected=5) == "under"
    assert metrics.flag(ratio_low=0.2, ratio_high=0.8, expected=5) == "in_line"
    assert metrics.flag(ratio_low=1.26, ratio_high=2, expected=5) == "over"
    assert metrics.flag(ratio_low=0.1, ratio_high=0.2, expected=4.99) == "too_few"


def test_empty_group_gives_ratio_zero_and_r_score_zero():
    # given: nobody from b, which is half the residents
    figures = metrics.representation({"a": 20, "b": 0}, {"a": 0.5, "b": 0.5}, 20)
    # then: RR_b = 0; Go Vocal's score min/max = 0 / (20/500) = 0
    assert figures["b"].ratio == 0
    assert figures["b"].flag == "under"  # Wilson upper for 0/20 is 0.161: RR 0.32
    assert metrics.r_score([20, 0], [500, 500])["min_max"] == 0


def test_single_respondent():
    figures = metrics.representation({"a": 1, "b": 0}, {"a": 0.2, "b": 0.8}, 1)
    # p_a = 1, RR 5, but expected 0.2: too few to say
    assert figures["a"].ratio == pytest.approx(5)
    assert figures["a"].flag == "too_few"
    assert metrics.goodness_of_fit([1, 0], [0.2, 0.8]).method == "none"


def test_everyone_in_one_group():
    # D = 1/2 (|1 - 0.6| + |0 - 0.4|) = 0.4; CV = sqrt(0.6*(1/0.6-1)^2 + 0.4*(0-1)^2)
    shares, population = [1.0, 0.0], [0.6, 0.4]
    assert metrics.dissimilarity(shares, population) == pytest.approx(0.4)
    assert metrics.coefficient_of_variation(shares, population) == pytest.approx(
        math.sqrt(0.6 * (1 / 0.6 - 1) ** 2 + 0.4)
    )


def test_dissimilarity_and_r_score_by_hand():
    # participants 50/30/20 of 100; residents 40/40/20 of 1,000
    # D = 1/2 (0.1 + 0.1 + 0) = 0.1; rates 50/400, 30/400, 20/200 -> min/max = 0.075/0.125
    assert metrics.dissimilarity([0.5, 0.3, 0.2], [0.4, 0.4, 0.2]) == pytest.approx(0.1)
    score = metrics.r_score([50, 30, 20], [400, 400, 200])
    assert score["min_max"] == pytest.approx(0.6)
    assert score["min_mean"] == pytest.approx(0.075 / ((0.125 + 0.075 + 0.1) / 3))


def test_chi_square_and_cohens_w_by_hand():
    # observed 50/30/20, expected 40/40/20: chi2 = 100/40 + 100/40 + 0 = 5.0, df 2
    fit = metrics.goodness_of_fit([50, 30, 20], [0.4, 0.4, 0.2])
    assert fit.method == "chi_square"
    assert fit.statistic == pytest.approx(5.0)
    assert fit.df == 2
    assert fit.p_value == pytest.approx(math.exp(-2.5))  # chi2 sf with 2 df = e^(-x/2)
    assert fit.cohens_w == pytest.approx(math.sqrt(5.0 / 100))


def test_answers_in_a_group_the_census_puts_nobody_in_are_left_out_of_the_test():
    # 20 + 20 answers in two halves of the residents, 6 in a group with no residents (a
    # perturbed zero): over the 40, expected 20 and 20, so chi2 = 0 (not 2 x 9/23 from an
    # expected 23 + 23 set against 40 observed)
    fit = metrics.goodness_of_fit([20, 20, 6], [0.5, 0.5, 0.0])
    assert fit.statistic == pytest.approx(0.0)
    assert fit.cohens_w == pytest.approx(0.0)
    # and the 20 answers needed for a test are counted among those 40
    assert metrics.goodness_of_fit([10, 9, 6], [0.5, 0.5, 0.0]).method == "none"


def test_small_expected_counts_fall_back_to_monte_carlo():
    # 25 answers, one group expected 0.5 (< 1): Cochran's rule fails
    fit = metrics.goodness_of_fit([20, 4, 1], [0.78, 0.2, 0.02])
    assert fit.method == "monte_carlo"
    assert 0 < fit.p_value <= 1


def test_no_test_below_twenty_answers():
    assert metrics.goodness_of_fit([10, 9], [0.5, 0.5]).method == "none"


def test_holm_adjustment():
    # sorted 0.01, 0.02, 0.04 -> 0.03, 0.04, 0.04 (running maximum)
    assert metrics.holm([0.04, 0.01, 0.02]) == pytest.approx([0.04, 0.03, 0.04])


def test_concentration_by_hand():
    # four people with 1, 1, 2, 6 actions (sum 10)
    # Gini = 2*(1*1 + 2*1 + 3*2 + 4*6)/(4*10) - 5/4 = 2*33/40 - 1.25 = 0.4
    # top 10%: ceil(0.4) = 1 person: 6/10; HHI = (1+1+4+36)/100 = 0.42; N_eff = 2.381
    c = metrics.concentration({1: 2, 2: 1, 6: 1})
    assert c.gini == pytest.approx(0.4)
    assert c.top_10_share == pytest.approx(0.6)
    assert c.hhi == pytest.approx(0.42)
    assert c.effective_voices == pytest.approx(1 / 0.42)
    assert c.top_10_people_share == pytest.approx(1.0)


def test_concentration_when_everyone_is_equal():
    c = metrics.concentration({3: 10})
    assert c.gini == pytest.approx(0)
    assert c.effective_voices == pytest.approx(10)


def test_hoover_by_hand():
    # participants 10/0 in two wards of 500 residents each: 1/2 (|1 - .5| + |0 - .5|) = 0.5
    assert metrics.hoover([10, 0], [500, 500]) == pytest.approx(0.5)
    assert metrics.hoover([0, 0], [500, 500]) is None


def test_gradient_by_hand():
    # rates 3, 2, 1 per 1,000 in deciles 1, 2, 3: slope -1, Spearman -1
    found = metrics.gradient([(1, 3.0), (2, 2.0), (3, 1.0)])
    assert found["slope"] == pytest.approx(-1)
    assert found["spearman"] == pytest.approx(-1)
    assert metrics.gradient([(1, 3.0)])["slope"] is None


@pytest.mark.parametrize(
    ("u", "n", "p"),
    [
        (0, 10, 0.3),
        (3, 12, 0.25),
        (12, 12, 0.5),
        (7, 40, 0.05),
        (400, 1000, 0.35),
        (0, 5000, 0.2),
        (1, 1, 0.999),
        (29_650, 100_000, 0.3),
        (31_000, 100_000, 0.3),
        (50_000, 100_000, 0.5),
        (500_000, 1_000_000, 0.5),
        (4_020, 1_000_000, 0.004),
        (3_000, 1_000_000, 0.003),
    ],
)
def test_binomial_p_value_matches_scipys_binomtest(u, n, p):
    assert metrics.binomial_p_value(u, n, p) == pytest.approx(
        stats.binomtest(u, n, p).pvalue, rel=1e-9, abs=1e-300
    )
