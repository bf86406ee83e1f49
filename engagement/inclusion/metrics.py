"""The report's formulas, applied to small aggregated tables (never to people).

Each function follows docs/inclusion-metrics.md (from REPORT-METRICS.md), where the
definitions and their sources are written out.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

Z95 = 1.959963984540054
UNDER = 0.8
OVER = 1.25
MIN_EXPECTED = 5.0
MIN_TEST_RESPONDENTS = 20
MONTE_CARLO_DRAWS = 10_000
EXACT_GAMMALN_MAX_N = 100_000


def wilson_interval(successes: int, n: int, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion (no continuity correction): the same as
    scipy's binomtest(...).proportion_ci(method="wilson")."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def flag(*, ratio_low: float | None, ratio_high: float | None, expected: float) -> str:
    """ "too_few" when the expected count is under 5; "under" when even the interval's
    upper bound is below 0.8; "over" when its lower bound is above 1.25; else "in_line"."""
    if expected < MIN_EXPECTED or ratio_low is None or ratio_high is None:
        return "too_few"
    if ratio_high < UNDER:
        return "under"
    if ratio_low > OVER:
        return "over"
    return "in_line"


def binomial_p_value(successes: int, n: int, p: float) -> float:
    """Two-sided exact binomial test, as scipy.stats.binomtest defines it (the sum of the
    probabilities of every outcome no likelier than the one observed), from one
    vectorised pmf over the outcomes within 40 standard deviations of the mean (and the
    observed one): beyond them the probabilities are below any float's precision.
    binomtest's own binary search costs milliseconds a call, a report's groups hundreds."""
    if n <= 0 or p <= 0 or p >= 1:
        return 1.0
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    low = max(0, min(successes, math.floor(mean - 40 * sd - 1)))
    high = min(n, max(successes, math.ceil(mean + 40 * sd + 1)))
    k = np.arange(low, high + 1)
    if n > EXACT_GAMMALN_MAX_N:
        pmf = stats.binom.pmf(k, n, p)
    else:
        # From log-gamma: a third of scipy.stats.binom.pmf's cost a call. The terms are
        # about n log n in size, so its relative error grows with n (about 3e-10 at
        # 100,000); beyond that, scipy's own.
        log_pmf = (
            special.gammaln(n + 1)
            - special.gammaln(k + 1)
            - special.gammaln(n - k + 1)
            + k * math.log(p)
            + (n - k) * math.log1p(-p)
        )
        pmf = np.exp(log_pmf)
    observed = pmf[successes - low]
    return float(min(1.0, pmf[pmf <= observed * (1 + 1e-7)].sum()))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of a family of p-values."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        value = min(1.0, (m - rank) * p_values[index])
        running = max(running, value)
        adjusted[index] = running
    return adjusted


@dataclass(frozen=True)
class GroupFigures:
    code: str
    count: int
    share: float
    population_share: float
    expected: float
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    flag: str
    p_value: float | None
    adjusted_residual: float | None


def representation(
    counts: Mapping[str, int], population_shares: Mapping[str, float], n: int
) -> dict[str, GroupFigures]:
    """Per group: share p, census share π, RR = p/π with its Wilson 95% interval divided
    by π, the expected count nπ, the flag, a Holm-adjusted exact binomial p-value and the
    adjusted residual. `counts` holds only the groups that may be shown."""
    figures = {}
    raw_p = {}
    for code, count in counts.items():
        pi = population_shares.get(code, 0.0)
        expected = n * pi
        share = count / n if n else 0.0
        if pi > 0 and n > 0:
            low, high = wilson_interval(count, n)
            ratio, ratio_low, ratio_high = share / pi, low / pi, high / pi
            raw_p[code] = binomial_p_value(count, n, pi)
            residual = (count - expected) / math.sqrt(expected * (1 - pi)) if pi < 1 else None
        else:
            ratio = ratio_low = ratio_high = residual = None
        figures[code] = GroupFigures(
            code=code,
            count=count,
            share=share,
            population_share=pi,
            expected=expected,
            ratio=ratio,
            ratio_low=ratio_low,
            ratio_high=ratio_high,
            flag=flag(ratio_low=ratio_low, ratio_high=ratio_high, expected=expected),
            p_value=None,
            adjusted_residual=residual,
        )
    if raw_p:
        codes = list(raw_p)
        for code, adjusted in zip(codes, holm([raw_p[c] for c in codes]), strict=True):
            f = figures[code]
            figures[code] = GroupFigures(**{**f.__dict__, "p_value": adjusted})
    return figures


def dissimilarity(shares: Sequence[float], population_shares: Sequence[float]) -> float:
    """Duncan's D = ½ Σ |p - π| (0: same distribution; 1: no overlap)."""
    return 0.5 * sum(abs(p - pi) for p, pi in zip(shares, population_shares, strict=True))


def participation_rates(counts: Sequence[int], populations: Sequence[int]) -> list[float]:
    return [u / pop if pop else 0.0 for u, pop in zip(counts, populations, strict=True)]


def r_score(counts: Sequence[int], populations: Sequence[int]) -> dict[str, float | None]:
    """Go Vocal's representativeness score: min/max of participation rates u/P (0 as
    soon as one group has nobody), with min/mean and the proportional similarity."""
    rates = [
        r
        for r, pop in zip(participation_rates(counts, populations), populations, strict=True)
        if pop
    ]
    if len(rates) < 2 or max(rates) == 0:
        return {"min_max": None, "min_mean": None}
    return {"min_max": min(rates) / max(rates), "min_mean": min(rates) / (sum(rates) / len(rates))}


def coefficient_of_variation(
    shares: Sequence[float], population_shares: Sequence[float]
) -> float | None:
    """CV of participation rates = √(Σ π (RR - 1)²) (Schouten et al. 2009); 0 is parity."""
    total = 0.0
    for p, pi in zip(shares, population_shares, strict=True):
        if pi <= 0:
            continue
        total += pi * (p / pi - 1) ** 2
    return math.sqrt(total)


@dataclass(frozen=True)
class GoodnessOfFit:
    method: str  # "chi_square", "monte_carlo" or "none"
    statistic: float | None
    df: int | None
    p_value: float | None
    cohens_w: float | None
    reason: str = ""


def goodness_of_fit(
    counts: Sequence[int], population_shares: Sequence[float], *, seed: int = 2021
) -> GoodnessOfFit:
    """χ² goodness of fit against census shares, with Cohen's w, over the answers in
    groups with residents; a Monte Carlo p-value (10,000 multinomial draws) when
    Cochran's rule fails; no test below 20 such answers or with fewer than two groups
    expected to hold 5 or more."""
    pairs = [(u, pi) for u, pi in zip(counts, population_shares, strict=True) if pi > 0]
    # The answers in groups with residents: expected counts must add up to the observed
    # ones they are set against (a group the census puts nobody in, a perturbed zero,
    # has no expected count, so its answers are left out of both).
    n = sum(u for u, _pi in pairs)
    if n < MIN_TEST_RESPONDENTS:
        return GoodnessOfFit("none", None, None, None, None, "fewer than 20 answers")
    total_pi = sum(pi for _u, pi in pairs)
    observed = np.array([u for u, _pi in pairs], dtype=float)
    probabilities = np.array([pi / total_pi for _u, pi in pairs])
    expected = n * probabilities
    if len(pairs) < 2 or int((expected >= MIN_EXPECTED).sum()) < 2:
        return GoodnessOfFit("none", None, None, None, None, "too few groups large enough")
    statistic = float(((observed - expected) ** 2 / expected).sum())
    w = math.sqrt(statistic / n)
    df = len(pairs) - 1
    cochran = expected.min() >= 1 and (expected < MIN_EXPECTED).mean() <= 0.2
    if cochran:
        p = float(stats.chi2.sf(statistic, df))
        return GoodnessOfFit("chi_square", statistic, df, p, w)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, probabilities, size=MONTE_CARLO_DRAWS)
    simulated = ((draws - expected) ** 2 / expected).sum(axis=1)
    p = float((1 + (simulated >= statistic - 1e-9).sum()) / (MONTE_CARLO_DRAWS + 1))
    return GoodnessOfFit("monte_carlo", statistic, df, p, w)


@dataclass(frozen=True)
class Concentration:
    participants: int
    actions: int
    gini: float | None
    top_10_share: float | None
    top_1_share: float | None
    top_10_people_share: float | None
    hhi: float | None
    effective_voices: float | None


def concentration(frequencies: Mapping[int, int]) -> Concentration:
    """From {actions per person: people}: Gini, top-10%/1% shares, the share of the 10
    most active people, HHI and the effective number of voices (1/HHI).

    Gini G = 2 Σ i·x(i) / (m Σx) - (m+1)/m over values sorted ascending, computed per run
    of equal values (i over a run sums to the run's rank total)."""
    values = sorted((x, people) for x, people in frequencies.items() if people > 0)
    m = sum(people for _x, people in values)
    total = sum(x * people for x, people in values)
    if m == 0 or total == 0:
        return Concentration(m, total, None, None, None, None, None, None)
    weighted = 0.0
    rank = 0
    for x, people in values:
        first, last = rank + 1, rank + people
        weighted += x * (first + last) * people / 2
        rank = last
    gini = 2 * weighted / (m * total) - (m + 1) / m
    hhi = sum(people * (x / total) ** 2 for x, people in values)

    def top(k: int) -> float:
        remaining, taken = k, 0
        for x, people in reversed(values):
            if remaining <= 0:
                break
            take = min(people, remaining)
            taken += take * x
            remaining -= take
        return taken / total

    return Concentration(
        participants=m,
        actions=total,
        gini=gini,
        top_10_share=top(math.ceil(0.1 * m)),
        top_1_share=top(math.ceil(0.01 * m)),
        top_10_people_share=top(10),
        hhi=hhi,
        effective_voices=1 / hhi,
    )


def hoover(counts: Sequence[int], populations: Sequence[int]) -> float | None:
    """Hoover index of where participants live: ½ Σ |a_w/A - pop_w/POP|."""
    a_total, p_total = sum(counts), sum(populations)
    if not a_total or not p_total:
        return None
    return 0.5 * sum(
        abs(a / a_total - p / p_total) for a, p in zip(counts, populations, strict=True)
    )


def gradient(points: Sequence[tuple[float, float]]) -> dict[str, float | None]:
    """Least-squares slope of participants per 1,000 residents against decile, and
    Spearman's rank correlation; None with fewer than three deciles."""
    if len(points) < 3:
        return {"slope": None, "spearman": None}
    x = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points], dtype=float)
    slope = float(np.polyfit(x, y, 1)[0])
    rho = None
    if np.ptp(y) > 0:
        rho = float(stats.spearmanr(x, y).statistic)
    return {"slope": slope, "spearman": rho}
