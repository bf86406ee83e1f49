"""The asset register as an Open Referral UK (HSDS-UK 1.0) feed.

Shaped as ORUK's `/services` response: a page whose `content` holds one service per
published organisation and place, each with its organization, service_at_locations
(location with physical_addresses), contacts, service_taxonomies (taxonomy) and
regular_schedules. A place not run by an organisation on the register is listed under the
council. A person's skill is never exported. Identifiers are stable UUIDs, so a directory
that harvests the feed recognises the same records each time.

Schemas: communities/schemas/oruk (validated in the tests).
"""

import uuid
from decimal import Decimal

from django.db.models import QuerySet

from .models import Asset

NAMESPACE = uuid.UUID("6f0a4f4e-6a36-4c4a-9d61-1d2f6b1f3e20")
VOCABULARY = "Coproduce community asset types"
STATUS = {
    Asset.Status.ACTIVE: "active",
    Asset.Status.AT_RISK: "active",
    Asset.Status.TRANSFERRED: "active",
    Asset.Status.CLOSED: "defunct",
}


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def _url(value: str) -> str | None:
    return value if value.startswith(("http://", "https://")) else None


def _organization(asset: Asset | None, *, council_name: str) -> dict:
    if asset is None:
        return {
            "id": _id("council", council_name),
            "name": council_name,
            "description": f"Community places listed by {council_name}.",
        }
    organization = {
        "id": str(asset.uuid),
        "name": asset.name,
        "description": asset.description or asset.get_category_display(),
    }
    if url := _url(asset.website):
        organization["url"] = url
    if asset.charity_number:
        organization["uri"] = (
            f"https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{asset.charity_number}"
        )
    return organization


def _location(asset: Asset) -> dict | None:
    if not (asset.has_location or asset.address or asset.postcode):
        return None
    location = {"id": _id("location", asset.uuid), "name": asset.name}
    if asset.description:
        location["description"] = asset.description
    if asset.has_location:
        location["latitude"] = float(Decimal(asset.latitude))
        location["longitude"] = float(Decimal(asset.longitude))
    if asset.address or asset.postcode:
        location["physical_addresses"] = [
            {
                "id": _id("address", asset.uuid),
                "address_1": asset.address or asset.name,
                "city": asset.area.parent.name if asset.area.parent else asset.area.name,
                "state_province": "",
                "postal_code": asset.postcode,
                "country": "GB",
            }
        ]
    return location


def oruk_service(asset: Asset, *, council_name: str) -> dict:
    if asset.kind == Asset.Kind.ORGANISATION:
        organization = _organization(asset, council_name=council_name)
    else:
        organization = _organization(asset.run_by, council_name=council_name)
    service = {
        "id": _id("service", asset.uuid),
        "organization": organization,
        "name": asset.name,
        "description": asset.description or asset.get_category_display(),
        "status": STATUS[asset.status],
        "service_taxonomies": [
            {
                "id": _id("service_taxonomy", asset.uuid, asset.category),
                "taxonomy": {
                    "id": f"coproduce:{asset.category}",
                    "name": asset.get_category_display(),
                    "vocabulary": VOCABULARY,
                },
            }
        ]
        + [
            {
                "id": _id("service_taxonomy", asset.uuid, "community", community.pk),
                "taxonomy": {
                    "id": f"coproduce:community:{community.pk}",
                    "name": community.name,
                    "vocabulary": "Coproduce communities of interest",
                },
            }
            for community in asset.communities.all()
        ],
        "service_areas": [
            {
                "id": _id("service_area", asset.uuid),
                "service_area": asset.area.name,
                "name": asset.area.name,
                "type": asset.area.get_kind_display(),
            }
        ],
        "service_at_locations": [],
        "contacts": [],
        "regular_schedules": [],
    }
    if url := _url(asset.website):
        service["url"] = url
    if asset.last_verified_on:
        service["assured_date"] = asset.last_verified_on.isoformat()
    location = _location(asset)
    if location is not None:
        service["service_at_locations"].append(
            {"id": _id("service_at_location", asset.uuid), "location": location}
        )
    if asset.contact_phone:
        # The enquiry line only: a contact person's name stays in the council's register.
        service["contacts"].append(
            {
                "id": _id("contact", asset.uuid),
                "title": "Enquiries",
                "phones": [{"id": _id("phone", asset.uuid), "number": asset.contact_phone}],
            }
        )
    if asset.opening_times:
        schedule = {"id": _id("schedule", asset.uuid), "description": asset.opening_times}
        if service["service_at_locations"]:
            schedule["service_at_location"] = service["service_at_locations"][0]
        service["regular_schedules"].append(schedule)
    return service


def oruk_export(*, assets: QuerySet[Asset], council_name: str) -> dict:
    """One page holding every published organisation and place."""
    content = [
        oruk_service(asset, council_name=council_name)
        for asset in assets.exclude(kind=Asset.Kind.SKILL)
    ]
    return {
        "totalElements": len(content),
        "totalPages": 1,
        "number": 1,
        "size": len(content),
        "numberOfElements": len(content),
        "first": True,
        "last": True,
        "empty": not content,
        "content": content,
    }
