"""Statistical disclosure control for counts of people (special category data).

Two rules, one per audience:

- INTERNAL (council staff, councillors, board members): a cell of 1-4 people is
  suppressed (primary), and so is a cell holding all but 0-4 of the table's people (else
  the table would say everyone, or all but a few, gave one answer). Then secondary
  suppression: wherever a total is shown, the cells suppressed under it are at least two
  and together hold at least 5 people, so that no suppressed cell can be worked out from
  the total and the cells shown, not even as "the only one".
- PUBLISHED (partners and the public), the ONS rule: counts under 10 are suppressed (0
  included), the dominance rule at 10, the same secondary suppression with 10, and every
  count shown is rounded to the nearest 5, totals included.

A hierarchy (ethnic group: 5 groups, 19 categories) is protected top-down: a group's
categories are shown only when the group's own count is shown, and are then protected
against that count, by the same rules with the group's count as their total. Every
figure a report derives (shares, ratios, intervals, summary statistics) is computed from
the protected table only, with the suppressed cells pooled into one group, so no figure
carries more than the table shows.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

INTERNAL = "internal"
PUBLISHED = "published"
MODES = (INTERNAL, PUBLISHED)


@dataclass(frozen=True)
class Rule:
    mode: str
    # Counts below this (and above `floor`) are suppressed.
    threshold: int
    # Counts at or below this are shown as they are (0 internally; nothing when published).
    floor: int
    rounding: int

    def is_small(self, count: int) -> bool:
        return self.floor < count < self.threshold

    def is_dominant(self, count: int, total: int) -> bool:
        return count > 0 and total - count < self.threshold

    def show(self, count: int) -> int:
        if self.rounding <= 1:
            return count
        return int(self.rounding * ((count + self.rounding / 2) // self.rounding))


RULES = {
    INTERNAL: Rule(INTERNAL, threshold=5, floor=0, rounding=1),
    PUBLISHED: Rule(PUBLISHED, threshold=10, floor=-1, rounding=5),
}
# A breakdown needs at least this many people who answered, whatever the audience.
MIN_BREAKDOWN = 10


def rule_for(mode: str) -> Rule:
    return RULES[mode]


def _secondary(
    counts: Sequence[int],
    suppressed: set[int],
    rule: Rule,
    weights: Sequence[float] | None = None,
) -> set[int]:
    """Add cells until the suppressed ones are at least two and hold at least
    `threshold` people together (or every cell is suppressed). The smallest counts go
    first; between equal counts, the cell with the smallest weight (its share of
    residents), so that a large group nobody came from stays visible."""
    suppressed = set(suppressed)
    if not suppressed:
        return suppressed
    weight = weights or [0.0] * len(counts)
    order = sorted(range(len(counts)), key=lambda i: (counts[i], weight[i], i))
    while len(suppressed) < 2 or sum(counts[i] for i in suppressed) < rule.threshold:
        candidates = [i for i in order if i not in suppressed]
        if not candidates:
            break
        if sum(counts[i] for i in suppressed) < rule.threshold:
            # Short of people: the smallest cell that adds some (a zero would not help,
            # and a zero left showing is often the finding: nobody came).
            adding = next((i for i in candidates if counts[i] > 0), candidates[0])
        else:
            adding = candidates[0]
        suppressed.add(adding)
    return suppressed


def protect_flat(
    counts: Sequence[int],
    rule: Rule,
    *,
    total: int | None = None,
    weights: Sequence[float] | None = None,
) -> set[int]:
    """Indexes of the cells to suppress in a one-way table whose total is shown."""
    total = sum(counts) if total is None else total
    primary = {
        i
        for i, count in enumerate(counts)
        if rule.is_small(count) or rule.is_dominant(count, total)
    }
    return _secondary(counts, primary, rule, weights)


@dataclass
class Protected:
    """A protected one- or two-level table: what may be shown of it."""

    # code -> count as shown (None when suppressed); parents first when hierarchical.
    shown: dict[str, int | None]
    # The total as shown.
    total: int
    # code -> True if the count is suppressed.
    suppressed: set[str]

    def pooled(self, codes: Sequence[str]) -> int:
        """What the suppressed cells among `codes` hold together, as far as the shown
        figures tell (the total less the cells shown; never below 0)."""
        shown = sum(self.shown[c] or 0 for c in codes if c not in self.suppressed)
        return max(0, self.total - shown)


def protect_table(
    counts: Mapping[str, int],
    rule: Rule,
    *,
    parents: Mapping[str, Sequence[str]] | None = None,
    weights: Mapping[str, float] | None = None,
) -> Protected:
    """Protect a one-way table of counts (leaf codes), optionally with one level of
    groups above them (`parents`: group code -> its leaf codes).

    Returns the shown counts for every leaf and every group. A group is suppressed under
    the table's total like any cell; its leaves are then all suppressed. A group that is
    shown has its own leaves protected against its count.
    """
    total = sum(counts.values())
    suppressed: set[str] = set()
    if parents:
        groups = list(parents)
        group_counts = [sum(counts[c] for c in parents[g]) for g in groups]
        hidden = protect_flat(
            group_counts, rule, total=total, weights=_weights(groups, parents, weights)
        )
        for index, group in enumerate(groups):
            leaves = list(parents[group])
            if index in hidden:
                suppressed.add(group)
                suppressed.update(leaves)
                continue
            leaf_counts = [counts[c] for c in leaves]
            leaf_weights = [weights.get(c, 0.0) for c in leaves] if weights else None
            for leaf_index in _protect_within(leaf_counts, rule, leaf_weights):
                suppressed.add(leaves[leaf_index])
        codes = groups + [c for g in groups for c in parents[g]]
        raw = {**dict(zip(groups, group_counts, strict=True)), **counts}
    else:
        codes = list(counts)
        hidden = protect_flat(
            [counts[c] for c in codes],
            rule,
            total=total,
            weights=[weights.get(c, 0.0) for c in codes] if weights else None,
        )
        suppressed = {codes[i] for i in hidden}
        raw = dict(counts)
    shown = {code: (None if code in suppressed else rule.show(raw[code])) for code in codes}
    return Protected(shown=shown, total=rule.show(total), suppressed=suppressed)


def _weights(groups, parents, weights) -> list[float] | None:
    if not weights:
        return None
    return [sum(weights.get(c, 0.0) for c in parents[g]) for g in groups]


def _protect_within(
    counts: Sequence[int], rule: Rule, weights: Sequence[float] | None = None
) -> set[int]:
    """Leaves under a shown group: small cells suppressed, and a cell holding all but a
    few of the group's people (else the table would say that everyone known to be in the
    group, White for instance, gave one answer within it); then secondary suppression
    against the group's count."""
    group = sum(counts)
    primary = {
        i
        for i, count in enumerate(counts)
        if rule.is_small(count) or rule.is_dominant(count, group)
    }
    return _secondary(counts, primary, rule, weights)
