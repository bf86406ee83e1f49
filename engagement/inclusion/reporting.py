"""From the aggregated counts and the census to a report's results, for one audience.

Every count of people goes through disclosure.protect_table first; everything else (the
shares, ratios, intervals, tests, the headline, who is missing, targets, change) is then
computed from the protected table alone, with the suppressed cells pooled.
"""

import math
from collections import defaultdict
from collections.abc import Mapping

from communities import census

from . import metrics
from .counting import AGE_PREFER_NOT, NEWCOMER, REPEAT, Aggregates
from .disclosure import INTERNAL, MIN_BREAKDOWN, PUBLISHED, Protected, protect_table, rule_for
from .population import (
    DIMENSIONS,
    HIERARCHICAL,
    Population,
    band_for_age,
    dimension_parents,
)
from .suggestions import MAX_SUGGESTIONS

SCHEMA_ID = "https://coproduce.example.org/schemas/inclusion-report-1.json"
SMALL_SAMPLE = 20
GI_SO_MINIMUM_AGE = 16
COLUMN_FOR = {
    "sex": "sex",
    "gender_identity": "gi",
    "sexual_orientation": "so",
    "ethnic_group": "eth",
    "disability": "dis",
    "religion": "rel",
}
CHANNEL_LABELS = {
    "email": "Email",
    "phone": "Phone",
    "post": "Post",
    "in_person": "In person",
    "online": "Online",
}
KIND_LABELS = {
    "attendance": "Attended an event",
    "roster": "Joined a project",
    "champion_activity": "Street champion activity",
    "issue_report": "Reported a problem",
    "vote": "Voted on priorities",
    "board": "Sat on a board",
    "volunteering": "Volunteered",
    "other": "Other",
}


def _r(value, digits: int = 4):
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return None
    return round(float(value), digits)


def _labels(dimension: str, population: Population) -> dict[str, str]:
    if dimension == "age":
        return {band.code: band.label for band in population.bands}
    return {c.code: c.label for c in census.dimension(dimension).categories}


# -- Answers per dimension ---------------------------------------------------------------


def _answers(dimension: str, aggregates: Aggregates, population: Population):
    """(answered counts by leaf code, response table) for one dimension, exact."""
    answered: dict[str, int] = defaultdict(int)
    response = {"prefer_not_to_say": 0, "not_answered": 0, "outside_universe": 0, "other": 0}
    if dimension == "age":
        for (age,), people in aggregates.counts("age").items():
            if age is None:
                response["not_answered"] += people
            elif age == AGE_PREFER_NOT:
                response["prefer_not_to_say"] += people
            else:
                band = band_for_age(population.bands, int(age))
                if band is None:
                    response["outside_universe"] += people
                else:
                    answered[band] += people
        leaves = [band.code for band in population.bands]
    else:
        leaves = [c.code for c in census.dimension(dimension).leaves]
        restricted = dimension in ("gender_identity", "sexual_orientation")
        for key, people in aggregates.counts(dimension).items():
            code = key[0]
            if restricted and key[1]:
                response["outside_universe"] += people
            elif code == census.PREFER_NOT_TO_SAY:
                response["prefer_not_to_say"] += people
            elif not code:
                response["not_answered"] += people
            elif code in leaves:
                answered[code] += people
            else:
                # A code the form no longer offers: counted as not answered.
                response["not_answered"] += people
    counts = {code: answered.get(code, 0) for code in leaves}
    return counts, response


def _protect_response(response: dict[str, int], answered: int, rule) -> tuple[dict, bool]:
    """Who answered a question, said "prefer not to say", left it blank or fell outside
    its universe (too young to be asked). Answering reveals no answer; saying "prefer not
    to say" and being too young do, so a small count of either is suppressed."""
    shown = {
        "answered": rule.show(answered),
        "prefer_not_to_say": rule.show(response["prefer_not_to_say"]),
        "not_answered": rule.show(response["not_answered"]),
        "outside_universe": rule.show(response["outside_universe"]),
    }
    if rule.mode == PUBLISHED:
        # Zeros are hidden too and the rest rounded; a small "prefer not to say" takes the
        # blanks with it.
        if rule.is_small(response["prefer_not_to_say"]) and response["prefer_not_to_say"]:
            shown["prefer_not_to_say"] = shown["not_answered"] = None
        else:
            for key in ("prefer_not_to_say", "not_answered", "outside_universe"):
                if rule.is_small(response[key]):
                    shown[key] = None
    elif _hide_together(
        rule,
        revealing=(response["prefer_not_to_say"], response["outside_universe"]),
        beside=(response["not_answered"],),
    ):
        # The three add up to the participants less those who answered (both shown).
        shown["prefer_not_to_say"] = shown["not_answered"] = shown["outside_universe"] = None
    return shown, True


def _hide_together(rule, *, revealing: tuple[int, ...], beside: tuple[int, ...]) -> bool:
    """Whether to hide a set of counts whose total the reader can work out.

    Hidden when a count that reveals answers is small, and also when the whole set is
    small: were a small total of blanks alone shown, "hidden" would mean "someone
    revealing is among them", and a hidden total of 1 would name that person's answer.
    """
    total = sum(revealing) + sum(beside)
    return any(rule.is_small(count) for count in revealing) or rule.is_small(total)


def _dimension(
    dimension: str,
    aggregates: Aggregates,
    population: Population,
    mode: str,
    targets: Mapping[tuple[str, str], tuple[float, float]],
) -> dict:
    rule = rule_for(mode)
    labels = _labels(dimension, population)
    pop = population.dimensions[dimension]
    counts, response = _answers(dimension, aggregates, population)
    n = sum(counts.values())
    participants = aggregates.participants
    response_shown, answered_shown = _protect_response(response, n, rule)
    result = {
        "code": dimension,
        "label": census.dimension(dimension).label,
        "table": pop.table,
        "census_total": pop.total,
        "census_not_answered": pop.not_answered,
        "census_note": pop.note,
        "response": {
            **response_shown,
            "participants": rule.show(participants),
            "response_rate": _r(response_shown["answered"] / rule.show(participants))
            if response_shown["answered"] is not None and rule.show(participants)
            else None,
        },
        "shown": False,
        "reason": "",
        "groups": [],
        "summary": None,
        "summary_groups": None,
        "pooled": [],
    }
    if not pop.total:
        result["reason"] = "No census table for this question in the reference areas."
        return result
    if n < MIN_BREAKDOWN or not answered_shown:
        result["reason"] = f"Fewer than {MIN_BREAKDOWN} people answered: no breakdown."
        return result
    parents = dimension_parents(dimension) if dimension in HIERARCHICAL else None
    shares = {code: pop.share(code) for code in counts}
    protected = protect_table(counts, rule, parents=parents, weights=shares)
    n_shown = protected.total
    if parents:
        for group, leaves in parents.items():
            shares[group] = sum(shares[c] for c in leaves)
    visible = {
        code: protected.shown[code] for code in protected.shown if code not in protected.suppressed
    }
    figures = metrics.representation(visible, shares, n_shown)
    rows = []
    # Each group followed by its own categories (the page indents them under it).
    codes = [c for g in parents for c in (g, *parents[g])] if parents else list(counts)
    for code in codes:
        is_group = bool(parents) and code in parents
        parent = None
        if parents and not is_group:
            parent = next(g for g, leaves in parents.items() if code in leaves)
        census_count = (
            sum(pop.counts.get(c, 0) for c in parents[code])
            if is_group
            else pop.counts.get(code, 0)
        )
        row = {
            "code": code,
            "label": labels.get(code, code),
            "level": "group" if is_group else "category",
            "parent": parent,
            "census_count": census_count,
            "census_share": _r(shares[code]),
            "expected": _r(n_shown * shares[code], 2),
            "suppressed": code in protected.suppressed,
            "count": None,
            "share": None,
            "ratio": None,
            "ratio_low": None,
            "ratio_high": None,
            "flag": "suppressed" if code in protected.suppressed else None,
            "p_value": None,
            "adjusted_residual": None,
            "target": None,
        }
        f = figures.get(code)
        if f is not None:
            row.update(
                count=f.count,
                share=_r(f.share),
                ratio=_r(f.ratio),
                ratio_low=_r(f.ratio_low),
                ratio_high=_r(f.ratio_high),
                flag=f.flag,
                p_value=_r(f.p_value, 6),
                adjusted_residual=_r(f.adjusted_residual, 3),
            )
        band = targets.get((dimension, code))
        if band is not None:
            row["target"] = _target_status(band, row["share"], row["suppressed"])
        rows.append(row)
    result["groups"] = rows
    result["shown"] = True
    result["pooled"] = _pooled(parents, counts, protected, shares, labels, n_shown, rule)
    # Summaries at the finest level, and (hierarchical) at the group level too.
    leaf_codes = (
        [c.code for c in census.dimension(dimension).leaves]
        if dimension != "age"
        else list(counts)
    )
    result["summary"] = _summary(leaf_codes, protected, pop, shares, level="categories")
    if parents:
        result["summary_groups"] = _summary(list(parents), protected, pop, shares, level="groups")
    return result


def _join_labels(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _pooled(parents, counts, protected: Protected, shares, labels, n_shown: int, rule) -> list:
    """The suppressed cells under each shown total, taken together.

    The groups furthest from their share are often the ones small enough to be hidden
    (one young person where thirty were expected), so "who is missing" would miss them.
    Their pooled count is the shown total less the shown cells, which anyone can work
    out from the table, so saying whether the pool is under-represented discloses nothing
    more; a pool small enough to be suppressed itself is described, not counted.
    """
    levels = []
    if parents:
        levels.append((list(parents), protected.total))
        for group, leaves in parents.items():
            if group not in protected.suppressed:
                levels.append((list(leaves), protected.shown[group]))
    else:
        levels.append((list(counts), protected.total))
    pools = []
    for codes, total in levels:
        hidden = [c for c in codes if c in protected.suppressed]
        if len(hidden) < 2 or not total:
            continue
        shown = sum(protected.shown[c] or 0 for c in codes if c not in protected.suppressed)
        if not shown:
            # Every participant is in a hidden group: together they are simply everyone,
            # which would read as "in line" and say nothing.
            continue
        count = max(0, total - shown)
        pi = sum(shares[c] for c in hidden)
        if pi <= 0 or not n_shown:
            continue
        low, high = metrics.wilson_interval(count, n_shown)
        expected = n_shown * pi
        pools.append(
            {
                "codes": hidden,
                "label": f"{_join_labels([labels.get(c, c) for c in hidden])} together",
                "count": None if rule.is_small(count) else count,
                "count_below": rule.threshold if rule.is_small(count) else None,
                "expected": _r(expected, 2),
                "census_share": _r(pi),
                "ratio": _r((count / n_shown) / pi),
                "ratio_low": _r(low / pi),
                "ratio_high": _r(high / pi),
                "flag": metrics.flag(ratio_low=low / pi, ratio_high=high / pi, expected=expected),
            }
        )
    return pools


def _summary(codes, protected: Protected, pop, shares, *, level: str) -> dict:
    """Dimension-wide figures from the shown cells, the suppressed ones pooled."""
    shown_codes = [c for c in codes if c not in protected.suppressed]
    hidden = [c for c in codes if c in protected.suppressed]
    observed = [protected.shown[c] for c in shown_codes]
    population_shares = [shares[c] for c in shown_codes]
    populations = [
        sum(pop.counts.get(x, 0) for x in _leaves_of(c, pop))
        if c not in pop.counts
        else pop.counts[c]
        for c in shown_codes
    ]
    if hidden and not sum(observed):
        # Everyone who answered is in the hidden groups: together they are simply
        # everyone, and a dissimilarity of 0 would read as participants mirroring
        # residents when nothing can be said (as for the pooled line).
        return {
            "level": level,
            "groups_pooled": hidden,
            **dict.fromkeys(("dissimilarity", "similarity", "r_score", "r_score_min_mean"), None),
            "cv": None,
            "test": {
                "method": "none",
                "statistic": None,
                "df": None,
                "p_value": None,
                "cohens_w": None,
                "reason": "everyone who answered is in the groups not shown",
            },
        }
    if hidden:
        observed.append(protected.pooled(codes))
        population_shares.append(sum(shares[c] for c in hidden))
        populations.append(sum(pop.counts.get(x, 0) for c in hidden for x in _leaves_of(c, pop)))
    total = sum(observed)
    participant_shares = [u / total if total else 0.0 for u in observed]
    d = metrics.dissimilarity(participant_shares, population_shares)
    score = metrics.r_score(observed, populations)
    fit = metrics.goodness_of_fit(observed, population_shares)
    return {
        "level": level,
        "groups_pooled": hidden,
        "dissimilarity": _r(d),
        "similarity": _r(1 - d),
        "r_score": _r(score["min_max"]),
        "r_score_min_mean": _r(score["min_mean"]),
        "cv": _r(metrics.coefficient_of_variation(participant_shares, population_shares)),
        "test": {
            "method": fit.method,
            "statistic": _r(fit.statistic),
            "df": fit.df,
            "p_value": _r(fit.p_value, 6),
            "cohens_w": _r(fit.cohens_w),
            "reason": fit.reason,
        },
    }


def _leaves_of(code: str, pop) -> list[str]:
    if code in pop.counts:
        return [code]
    parents = dimension_parents(pop.dimension) if pop.dimension in HIERARCHICAL else {}
    return parents.get(code, [code])


def _target_status(band: tuple[float, float], share, suppressed: bool) -> dict:
    low, high = band
    status = "not_shown"
    if not suppressed and share is not None:
        percent = 100 * share
        status = "below" if percent < low else "above" if percent > high else "within"
    return {"minimum": low, "maximum": high, "status": status}


# -- Places, deprivation, concentration, mix -------------------------------------------


def _homes(aggregates: Aggregates, key: str) -> tuple[dict, int]:
    """Participants of eligible age by the ward or LSOA they live in (None: unplaced), and
    how many are younger: the residents they would be compared with are of eligible age
    only, so the younger ones are counted nowhere in places or deprivation."""
    by_unit: dict = defaultdict(int)
    younger = 0
    for (unit, minor), people in aggregates.counts(key).items():
        if minor:
            younger += people
        else:
            by_unit[unit] += people
    return by_unit, younger


def _geography(aggregates: Aggregates, population: Population, mode: str) -> dict:
    rule = rule_for(mode)
    geo = population.geography
    by_unit, younger = _homes(aggregates, "ward" if geo.unit_kind == "ward" else "lsoa")
    # Who lives in the area goes by the home ward (an LSOA's ward when the postcode gives
    # one), as for every other report: a home known by its ward alone (a postcode without
    # a neighbourhood, an account's ward) is in a one-ward report's area, only not in its
    # table of neighbourhoods.
    by_ward = by_unit if geo.unit_kind == "ward" else _homes(aggregates, "ward")[0]
    living_in = sum(v for ward, v in by_ward.items() if ward in geo.area_ids)
    unknown = by_ward.get(None, 0)
    outside = aggregates.participants - younger - living_in - unknown
    unit_ids = sorted(geo.units, key=lambda u: geo.units[u][0])
    counts = {str(u): by_unit.get(u, 0) for u in unit_ids}
    protected = protect_table(counts, rule) if mode == PUBLISHED else None
    units = []
    shown_counts, shown_pops = [], []
    reached = 0
    for unit in unit_ids:
        name, residents = geo.units[unit]
        count = counts[str(unit)]
        if protected is not None:
            count = protected.shown[str(unit)]
        units.append(
            {
                "id": unit,
                "name": name,
                "residents": residents,
                "count": count,
                "suppressed": count is None,
                "per_1000": _r(1000 * count / residents, 2)
                if count is not None and residents
                else None,
            }
        )
        if count is not None:
            shown_counts.append(count)
            shown_pops.append(residents)
            reached += 1 if count > 0 else 0
    if protected is not None and protected.suppressed:
        hidden = [u for u in unit_ids if str(u) in protected.suppressed]
        shown_counts.append(protected.pooled([str(u) for u in unit_ids]))
        shown_pops.append(sum(geo.units[u][1] for u in hidden))
    shown_unknown = rule.show(unknown) if mode == INTERNAL or unknown >= 10 else None
    shown_younger = rule.show(younger) if mode == INTERNAL or younger >= 10 else None
    # Staff figures: how many are too young tells their age, and the participants less
    # those living in and outside the area give it with the unplaced ones beside it.
    if mode == INTERNAL and _hide_together(rule, revealing=(younger,), beside=(unknown,)):
        shown_unknown = shown_younger = None
    return {
        "unit_kind": geo.unit_kind,
        "units": units,
        "living_in_area": rule.show(living_in) if mode == INTERNAL or living_in >= 10 else None,
        "living_outside": rule.show(outside) if mode == INTERNAL or outside >= 10 else None,
        "home_unknown": shown_unknown,
        "younger": shown_younger,
        "units_total": len(unit_ids),
        "units_reached": reached if mode == INTERNAL else None,
        "hoover": _r(metrics.hoover(shown_counts, shown_pops)),
    }


def _deprivation(aggregates: Aggregates, population: Population, mode: str) -> dict:
    rule = rule_for(mode)
    geo = population.geography
    by_lsoa, _younger = _homes(aggregates, "lsoa")
    people = dict.fromkeys(range(1, 11), 0)
    residents = dict.fromkeys(range(1, 11), 0)
    lsoas = dict.fromkeys(range(1, 11), 0)
    reached_most_deprived = 0
    for lsoa, (decile, pop, _ward) in geo.lsoas.items():
        if decile is None:
            continue
        residents[decile] += pop
        lsoas[decile] += 1
        count = by_lsoa.get(lsoa, 0)
        people[decile] += count
        if decile <= 2 and count:
            reached_most_deprived += 1
    counts = {str(d): people[d] for d in range(1, 11)}
    protected = protect_table(counts, rule) if mode == PUBLISHED else None
    shown = {d: (protected.shown[str(d)] if protected else people[d]) for d in range(1, 11)}
    n = protected.total if protected else sum(people.values())
    total_residents = sum(residents.values())
    rows = []
    points = []
    for d in range(1, 11):
        count = shown[d]
        pi = residents[d] / total_residents if total_residents else 0.0
        row = {
            "decile": d,
            "lsoas": lsoas[d],
            "residents": residents[d],
            "census_share": _r(pi),
            "count": count,
            "suppressed": count is None,
            "share": _r(count / n) if count is not None and n else None,
            "ratio": _r((count / n) / pi) if count is not None and n and pi else None,
            "per_1000": _r(1000 * count / residents[d], 2)
            if count is not None and residents[d]
            else None,
        }
        rows.append(row)
        if row["per_1000"] is not None:
            points.append((d, row["per_1000"]))
    # Deciles with residents whose count is hidden. (A decile with no residents has no
    # participants either, as anyone can tell.)
    hidden = [d for d in range(1, 11) if residents[d] and shown[d] is None]
    most_deprived = [d for d in (1, 2) if residents[d]]
    u = None
    if not any(shown[d] is None for d in most_deprived):
        u = sum(shown[d] for d in most_deprived)
    elif set(hidden) == set(most_deprived):
        # Deciles 1 and 2 are the only ones hidden: together they are the total less the
        # deciles shown, which the table already tells (unless that is itself small).
        u = protected.pooled([str(d) for d in range(1, 11)])
        if rule.is_small(u):
            u = None
    most = None
    if u is not None and n and total_residents:
        pi = (residents[1] + residents[2]) / total_residents
        if pi > 0:
            low, high = metrics.wilson_interval(u, n)
            most = {
                "count": u,
                "share": _r(u / n),
                "census_share": _r(pi),
                "ratio": _r((u / n) / pi),
                "ratio_low": _r(low / pi),
                "ratio_high": _r(high / pi),
                "flag": metrics.flag(ratio_low=low / pi, ratio_high=high / pi, expected=n * pi),
            }
    most_lsoas = lsoas[1] + lsoas[2]
    return {
        "edition": geo.edition,
        # Published, a small total is hidden as any small count is (with one decile, it
        # would be that decile's count).
        "participants_placed": n if mode == INTERNAL or not rule.is_small(n) else None,
        "deciles": rows,
        "most_deprived": most,
        "coverage": {
            "reached": reached_most_deprived if mode == INTERNAL else None,
            "lsoas": most_lsoas,
            "share": _r(reached_most_deprived / most_lsoas)
            if most_lsoas and mode == INTERNAL
            else None,
        },
        # From every decile or not at all: dropping a hidden decile (often the most
        # deprived, where few take part) would bend the line, even reverse it.
        "gradient": {k: _r(v) for k, v in metrics.gradient(points).items()}
        if not hidden
        else {"slope": None, "spearman": None},
        "gradient_withheld": bool(hidden),
    }


def _decode(aggregates: Aggregates, name: str, bits: Mapping[str, int]) -> dict[str, int]:
    totals = dict.fromkeys(bits, 0)
    for (mask,), people in aggregates.counts(name).items():
        for code, bit in bits.items():
            if (mask or 0) & bit:
                totals[code] += people
    return totals


def _mix(aggregates: Aggregates, mode: str, ladder: dict) -> dict:
    from .activity import CHANNEL_BITS, KIND_BITS

    rule = rule_for(mode)
    # Shares of the participants the reader is shown (rounded when published): a rounded
    # count over the exact number would give that number away.
    participants = rule.show(aggregates.participants)

    def rows(totals: dict[str, int], labels: dict[str, str]) -> list[dict]:
        out = []
        for code, count in totals.items():
            shown = count if mode == INTERNAL else (None if count < 10 else rule.show(count))
            out.append(
                {
                    "code": code,
                    "label": labels.get(code, code),
                    "count": shown,
                    "suppressed": shown is None,
                    "share": _r(shown / participants)
                    if shown is not None and participants
                    else None,
                }
            )
        return out

    if ladder and mode == PUBLISHED:
        ladder = {
            **ladder,
            "roster_levels": [
                {**row, "people": None if row["people"] < 10 else rule.show(row["people"])}
                for row in ladder.get("roster_levels", [])
            ],
        }
    return {
        "channels": rows(_decode(aggregates, "channels", CHANNEL_BITS), CHANNEL_LABELS),
        "kinds": rows(_decode(aggregates, "kinds", KIND_BITS), KIND_LABELS),
        "ladder": ladder,
    }


PROFILE_DIMENSIONS = ("age", "sex", "ethnic_group", "disability")


def _cohorts_of(bits: int | None) -> tuple[int, ...]:
    """The usual suspects' cohorts a person's bits put them in (both, one or none)."""
    return tuple(cohort for cohort in (REPEAT, NEWCOMER) if (bits or 0) & cohort)


def _concentration(
    aggregates: Aggregates,
    population: Population,
    mode: str,
    hidden: Mapping[str, set[str]],
) -> dict:
    frequencies = {int(k[0]): people for k, people in aggregates.counts("actions").items()}
    c = metrics.concentration(frequencies)
    # The cohort is a set of bits (REPEAT, NEWCOMER): someone can be in both.
    cohorts: dict[int, int] = {REPEAT: 0, NEWCOMER: 0}
    cohort_actions: dict[int, int] = {REPEAT: 0, NEWCOMER: 0}
    for key, (people, actions) in aggregates.sets.get("cohort", {}).items():
        for bit in _cohorts_of(key[0]):
            cohorts[bit] += people
            cohort_actions[bit] += actions or 0
    rule = rule_for(PUBLISHED)
    # Shares from the figures the reader is shown (rounded when published), so that no
    # share gives away the exact count beneath a rounded one.
    show = rule_for(mode).show
    participants, actions = show(aggregates.participants), show(c.actions)

    def cohort(code: int) -> dict:
        count = cohorts.get(code, 0)
        shown = count if mode == INTERNAL else (None if count < 10 else rule.show(count))
        return {
            "count": shown,
            "share": _r(shown / participants) if shown is not None and participants else None,
            "actions_share": _r(show(cohort_actions.get(code, 0)) / actions)
            if shown is not None and actions
            else None,
        }

    return {
        "participants": rule_for(mode).show(c.participants),
        "actions": rule_for(mode).show(c.actions),
        "gini": _r(c.gini),
        "top_10_share": _r(c.top_10_share),
        "top_1_share": _r(c.top_1_share),
        "top_10_people_share": _r(c.top_10_people_share),
        "hhi": _r(c.hhi, 6),
        "effective_voices": _r(c.effective_voices, 1),
        "repeat": cohort(REPEAT),
        "newcomers": cohort(NEWCOMER),
        "profiles": _profiles(aggregates, population, hidden),
    }


def _profiles(
    aggregates: Aggregates, population: Population, hidden: Mapping[str, set[str]]
) -> list[dict]:
    """Repeat participants against newcomers, by the top-level groups of four
    dimensions. Always under the ONS rule (under 10 suppressed, rounded to 5), whoever
    reads it: these counts sit beside the main tables and must not sharpen them.

    A group the report's own table hides (`hidden`: dimension -> codes) is hidden in the
    profiles too. A cohort can be everyone (in a programme's first year all are
    newcomers) or most of a group, and its table is protected on its own: it could show
    the group the main table hid to protect a small one beside it, and the main table's
    total less its shown groups would then give the small one away."""
    rule = rule_for(PUBLISHED)
    out = []
    for dimension in PROFILE_DIMENSIONS:
        labels = _labels(dimension, population)
        if dimension == "age":
            codes = [band.code for band in population.bands]
        else:
            codes = [c.code for c in census.dimension(dimension).top_level]
        by_cohort: dict[int, dict[str, int]] = {
            REPEAT: dict.fromkeys(codes, 0),
            NEWCOMER: dict.fromkeys(codes, 0),
        }
        name = "cohort_ethnic_group" if dimension == "ethnic_group" else f"cohort_{dimension}"
        if dimension == "age":
            name = "cohort_age"
        for (cohort_bits, value), people in aggregates.counts(name).items():
            if value in (None, ""):
                continue
            if dimension == "age":
                if value == AGE_PREFER_NOT:
                    continue
                code = band_for_age(population.bands, int(value))
            else:
                dim = census.dimension(dimension)
                code = dim.roll_up(value) if dim.has(value) else None
            for cohort_code in _cohorts_of(cohort_bits):
                if code in by_cohort[cohort_code]:
                    by_cohort[cohort_code][code] += people
        columns = {}
        for cohort_code, key in ((REPEAT, "repeat"), (NEWCOMER, "newcomers")):
            counts = by_cohort[cohort_code]
            total = sum(counts.values())
            if total < MIN_BREAKDOWN:
                columns[key] = None
                continue
            protected = protect_table(counts, rule)
            columns[key] = {
                "total": protected.total,
                "counts": {
                    c: None if c in hidden.get(dimension, ()) else protected.shown[c]
                    for c in codes
                },
            }
        groups = []
        for code in codes:
            row = {"code": code, "label": labels.get(code, code)}
            for key in ("repeat", "newcomers"):
                column = columns[key]
                count = column["counts"][code] if column else None
                row[f"{key}_count"] = count
                row[f"{key}_share"] = (
                    _r(count / column["total"])
                    if column and count is not None and column["total"]
                    else None
                )
            groups.append(row)
        out.append(
            {
                "dimension": dimension,
                "label": census.dimension(dimension).label,
                "shown": any(columns.values()),
                "groups": groups,
            }
        )
    return out


# -- Headline, who is missing, change ----------------------------------------------------


def _headline(dimensions: list[dict]) -> list[dict]:
    under = []
    for dim in dimensions:
        for row in dim["groups"]:
            if row["flag"] == "under" and row["ratio_high"] is not None:
                under.append(
                    {
                        "dimension": dim["code"],
                        "dimension_label": dim["label"],
                        "code": row["code"],
                        "label": row["label"],
                        "ratio": row["ratio"],
                        "ratio_high": row["ratio_high"],
                        "count": row["count"],
                        "expected": row["expected"],
                        "census_share": row["census_share"],
                    }
                )
        for pool in dim.get("pooled", []):
            if pool["flag"] == "under":
                under.append(
                    {
                        "dimension": dim["code"],
                        "dimension_label": dim["label"],
                        "code": "+".join(pool["codes"]),
                        "codes": pool["codes"],
                        "label": pool["label"],
                        "ratio": pool["ratio"],
                        "ratio_high": pool["ratio_high"],
                        "count": pool["count"],
                        "count_below": pool["count_below"],
                        "expected": pool["expected"],
                        "census_share": pool["census_share"],
                    }
                )
    under.sort(key=lambda r: (r["ratio_high"], r["dimension"], r["code"]))
    return under


def _percent(value) -> str:
    return f"{100 * value:.1f}%" if value is not None else "unknown"


def missing_sentence(row: dict, n: int | None) -> str:
    count = row["count"]
    expected = row["expected"]
    share = _percent(row["census_share"])
    if count is None and row.get("count_below"):
        # A pool small enough to be suppressed itself: described, not counted.
        of = f" of the {n:,} participants who answered" if n else ""
        who = f"fewer than {row['count_below']}{of}"
    elif count == 0:
        who = f"none of the {n:,} participants who answered" if n else "no participants"
    else:
        who = (
            f"{count:,} of the {n:,} participants who answered" if n else f"{count:,} participants"
        )
    return (
        f"{row['label']} ({row['dimension_label'].lower()}): {who}, where about "
        f"{expected:,.0f} would be expected from the census ({share} of residents)."
    )


def change_against(
    current: dict, previous: dict | None, previous_meta: dict | None
) -> dict | None:
    """Differences between two results of the same mode, from their shown figures only."""
    if not previous:
        return None
    prev_dims = {d["code"]: d for d in previous.get("dimensions", [])}
    dims = []
    for dim in current.get("dimensions", []):
        before = prev_dims.get(dim["code"])
        if not before or not dim["shown"] or not before.get("shown"):
            continue
        before_rows = {r["code"]: r for r in before["groups"]}
        groups = []
        for row in dim["groups"]:
            old = before_rows.get(row["code"])
            if not old or row["share"] is None or old.get("share") is None:
                continue
            groups.append(
                {
                    "code": row["code"],
                    "label": row["label"],
                    "share_before": old["share"],
                    "share_now": row["share"],
                    "share_change": _r(row["share"] - old["share"]),
                    "ratio_before": old.get("ratio"),
                    "ratio_now": row["ratio"],
                    "flag_before": old.get("flag"),
                    "flag_now": row["flag"],
                }
            )
        d_now = (dim.get("summary") or {}).get("dissimilarity")
        d_before = (before.get("summary") or {}).get("dissimilarity")
        dims.append(
            {
                "code": dim["code"],
                "label": dim["label"],
                "dissimilarity_before": d_before,
                "dissimilarity_now": d_now,
                "dissimilarity_change": _r(d_now - d_before)
                if d_now is not None and d_before is not None
                else None,
                "groups": groups,
            }
        )
    p_now, p_before = current.get("participants"), previous.get("participants")
    return {
        **(previous_meta or {}),
        "participants_before": p_before,
        "participants_now": p_now,
        "participants_change": p_now - p_before
        if p_now is not None and p_before is not None
        else None,
        "dimensions": dims,
    }


def _suggestions_for_row(suggestions, row: dict) -> list[dict]:
    """Who serves the group, or (for pooled groups) any of them, each named once."""
    found: list[dict] = []
    for code in row.get("codes") or [row["code"]]:
        for suggestion in suggestions(row["dimension"], code):
            if suggestion not in found:
                found.append(suggestion)
    return found[:MAX_SUGGESTIONS]


def build_results(
    *,
    mode: str,
    aggregates: Aggregates,
    population: Population,
    targets: Mapping[tuple[str, str], tuple[float, float]],
    header: dict,
    ladder: dict,
    suggestions,
    previous: dict | None = None,
    previous_meta: dict | None = None,
) -> dict:
    """The whole report for one audience (INTERNAL or PUBLISHED) as JSON-ready data."""
    rule = rule_for(mode)
    participants = aggregates.participants
    shown_participants = participants if mode == INTERNAL or participants >= 10 else None
    dimensions = [_dimension(d, aggregates, population, mode, targets) for d in DIMENSIONS]
    headline = _headline(dimensions)
    missing = []
    answered = {d["code"]: d["response"]["answered"] for d in dimensions}
    for row in headline:
        missing.append(
            {
                **row,
                "sentence": missing_sentence(row, answered.get(row["dimension"])),
                "suggestions": _suggestions_for_row(suggestions, row),
            }
        )
    result = {
        "$schema": SCHEMA_ID,
        "mode": mode,
        **header,
        "participants": rule.show(shown_participants) if shown_participants is not None else None,
        "actions": rule.show(aggregates.actions) if shown_participants is not None else None,
        "small_sample": participants < SMALL_SAMPLE,
        "dimensions": dimensions,
        "headline": headline[:3],
        "missing": missing,
        "targets": [
            {
                "dimension": d["code"],
                "dimension_label": d["label"],
                "code": row["code"],
                "label": row["label"],
                "share": row["share"],
                **row["target"],
            }
            for d in dimensions
            for row in d["groups"]
            if row["target"]
        ],
        "geography": _geography(aggregates, population, mode),
        "deprivation": _deprivation(aggregates, population, mode),
        "concentration": _concentration(
            aggregates,
            population,
            mode,
            {d["code"]: {r["code"] for r in d["groups"] if r["suppressed"]} for d in dimensions},
        ),
        "mix": _mix(aggregates, mode, ladder),
    }
    result["change"] = change_against(result, previous, previous_meta)
    return result
