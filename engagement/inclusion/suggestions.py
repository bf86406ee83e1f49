"""Who could help reach a missing group: organisations (and places) in the report's areas
that serve a community of interest matching the group's census category."""

from collections.abc import Callable

from communities import census
from communities.models import Area, Asset, CommunityOfInterest

from .population import age_bands

MAX_SUGGESTIONS = 5


def _age_span(code: str, minimum_age: int) -> tuple[int, int] | None:
    for band in age_bands(minimum_age):
        if band.code == code:
            return (band.low, band.high)
    return None


def _matches(dimension: str, code: str, community_code: str, minimum_age: int) -> bool:
    """Whether a community's "dimension:category" code serves the missing group: the same
    category, one nested in it, or one it is nested in; for age, overlapping ages."""
    other_dimension, _, other = community_code.partition(":")
    if other_dimension != dimension:
        return False
    if dimension == "age":
        span = _age_span(code, minimum_age)
        dim = census.dimension("age")
        if span is None or not dim.has(other):
            return False
        ages = dim.category(other).ages
        return ages is not None and ages[0] <= span[1] and span[0] <= ages[1]
    dim = census.dimension(dimension)
    if not dim.has(other) or not dim.has(code):
        return False
    return (
        other == code
        or dim.roll_up(other) == code
        or dim.roll_up(code) == other
        or (dim.category(code).parent == other)
    )


def suggestions_for(
    *, areas: tuple[Area, ...], minimum_age: int
) -> Callable[[str, str], list[dict]]:
    """A lookup (dimension, code) -> suggestions, built with two queries."""
    communities = [
        c for c in CommunityOfInterest.objects.exclude(census_categories=[]) if c.census_categories
    ]
    if not communities or not areas:
        return lambda dimension, code: []
    within = Area.objects.filter(pk__in=[a.pk for a in areas]).with_descendants()
    assets = list(
        Asset.objects.published()
        .filter(kind__in=[Asset.Kind.ORGANISATION, Asset.Kind.PLACE])
        .exclude(status=Asset.Status.CLOSED)
        .filter(area__in=within, communities__in=communities)
        .select_related("area")
        .prefetch_related("communities")
        .distinct()
        .order_by("kind", "name")
    )

    def lookup(dimension: str, code: str) -> list[dict]:
        serving = {
            c.pk
            for c in communities
            if any(_matches(dimension, code, x, minimum_age) for x in c.census_categories)
        }
        found = []
        for asset in assets:
            names = [c.name for c in asset.communities.all() if c.pk in serving]
            if not names:
                continue
            found.append(
                {
                    "id": asset.pk,
                    "name": asset.name,
                    "kind": asset.kind,
                    "kind_label": asset.get_kind_display(),
                    "area": asset.area.name,
                    "serves": names,
                    "url": asset.get_absolute_url(),
                }
            )
        # Organisations first: they can reach people; places can host.
        found.sort(key=lambda s: (s["kind"] != Asset.Kind.ORGANISATION, s["name"]))
        return found[:MAX_SUGGESTIONS]

    return lookup
