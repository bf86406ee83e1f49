"""Where things are: wards for map points, and reports near a point."""

import math
from decimal import Decimal

from django.db.models import Avg
from haversine import Unit, haversine

from communities.models import Area, Postcode

# How far to look for the nearest postcode when a point is placed on the map.
POSTCODE_SEARCH_METRES = 1500
METRES_PER_DEGREE_LATITUDE = 111_320


def bounding_box(latitude: float, longitude: float, metres: float) -> dict:
    """Lookups for a box around a point that holds every point within `metres` of it: an
    index-friendly filter before the exact distance is computed."""
    d_lat = metres / METRES_PER_DEGREE_LATITUDE
    d_lon = metres / (METRES_PER_DEGREE_LATITUDE * max(0.01, math.cos(math.radians(latitude))))
    return {
        "latitude__gte": Decimal(str(round(latitude - d_lat, 6))),
        "latitude__lte": Decimal(str(round(latitude + d_lat, 6))),
        "longitude__gte": Decimal(str(round(longitude - d_lon, 6))),
        "longitude__lte": Decimal(str(round(longitude + d_lon, 6))),
    }


def area_centre() -> str | None:
    """The middle of the council's known postcodes, as "latitude,longitude" for a map to
    open on, or None before any postcodes are imported."""
    middle = Postcode.objects.filter(terminated=False, latitude__isnull=False).aggregate(
        latitude=Avg("latitude"), longitude=Avg("longitude")
    )
    if middle["latitude"] is None:
        return None
    return f"{middle['latitude']:.6f},{middle['longitude']:.6f}"


def distance_metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return haversine(a, b, unit=Unit.METERS)


def ward_for_point(*, latitude: float, longitude: float) -> Area | None:
    """The ward of the nearest known postcode, if one lies within 1.5 km."""
    candidates = (
        Postcode.objects.filter(
            terminated=False,
            **bounding_box(latitude, longitude, POSTCODE_SEARCH_METRES),
        )
        .select_related("ward", "lsoa__parent")
        .only(
            "latitude",
            "longitude",
            "ward__id",
            "ward__name",
            "ward__kind",
            "lsoa__id",
            "lsoa__parent__id",
            "lsoa__parent__name",
            "lsoa__parent__kind",
        )[:500]
    )
    best, best_distance = None, None
    for row in candidates:
        ward = row.ward or (row.lsoa.parent if row.lsoa else None)
        if ward is None or ward.kind != Area.Kind.WARD:
            continue
        distance = distance_metres(
            (latitude, longitude), (float(row.latitude), float(row.longitude))
        )
        if distance <= POSTCODE_SEARCH_METRES and (best is None or distance < best_distance):
            best, best_distance = ward, distance
    return best
