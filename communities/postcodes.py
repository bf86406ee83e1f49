"""UK postcodes: normalising what people type, and finding where a postcode lies."""

import re
from dataclasses import dataclass

from .models import Area, Postcode

# The shape of a full UK postcode (BS 7666), after spaces are removed and letters raised.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def postcode_normalise(value: str) -> str | None:
    """'dl15qt ' -> 'DL1 5QT'; None when it is not shaped like a full postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    match = POSTCODE_RE.match(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


@dataclass(frozen=True)
class PostcodeLocation:
    postcode: str
    lsoa: Area | None
    ward: Area | None
    latitude: float | None
    longitude: float | None


def postcode_locate(*, postcode: str) -> PostcodeLocation | None:
    """The LSOA, ward and point of a postcode, or None when unknown or malformed."""
    normalised = postcode_normalise(postcode)
    if normalised is None:
        return None
    row = Postcode.objects.select_related("lsoa", "ward").filter(postcode=normalised).first()
    if row is None:
        return None
    ward = row.ward
    if ward is None and row.lsoa is not None and row.lsoa.parent_id:
        # An LSOA's parent in the area tree is its best-fit ward.
        ward = row.lsoa.parent
    return PostcodeLocation(
        postcode=normalised,
        lsoa=row.lsoa,
        ward=ward,
        latitude=float(row.latitude) if row.latitude is not None else None,
        longitude=float(row.longitude) if row.longitude is not None else None,
    )
