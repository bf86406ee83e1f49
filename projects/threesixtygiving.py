"""Grants the council makes, in the 360Giving Data Standard (JSON package and CSV).

Each committed funding line marked as a grant is one grant. Identifiers follow the
standard's guidance: a grant is `<publisher prefix>-<project reference>-<line id>`; an
organisation is identified from an official register where its number is known
(GB-CHC charity, GB-SC Scottish charity, GB-COH company, or the identifier given), and
otherwise by the publisher's prefix and the line, which is stable.
"""

import re
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from communities.models import Area

from .models import FundingLine

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CURRENCY = "GBP"

# ONS GSS code prefixes and the 360Giving geoCodeType codelist's codes for them.
GEO_CODE_TYPES = {
    "E01": "LSOA",
    "E02": "MSOA",
    "E04": "PAR",
    "E05": "WD",
    "E06": "UA",
    "E07": "NMD",
    "E08": "MD",
    "E09": "LONB",
    "W05": "WD",
    "W06": "UA",
    "S13": "WD",
    "S12": "CA",
}

CSV_HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Beneficiary Location:Name",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Last modified",
    "Data Source",
]


def _safe(text: str) -> str:
    """Identifier-safe: the standard advises against spaces, slashes and the like."""
    return re.sub(r"[^A-Za-z0-9-]+", "_", text).strip("_")


def prefix() -> str:
    return settings.THREESIXTYGIVING_PREFIX.rstrip("-")


def grant_identifier(line: FundingLine) -> str:
    return f"{prefix()}-{_safe(line.project.reference)}-{line.pk}"


def recipient_identifier(line: FundingLine) -> str:
    if line.recipient_org_id:
        return line.recipient_org_id.strip()
    charity = line.recipient_charity_number.strip().upper().replace(" ", "")
    if charity:
        return f"GB-SC-{charity}" if charity.startswith("SC") else f"GB-CHC-{charity}"
    company = line.recipient_company_number.strip().upper()
    if company:
        return f"GB-COH-{company}"
    return f"{prefix()}-ORG-{line.pk}"


def _locations(areas: Iterable[Area]) -> list[dict]:
    located = []
    for area in areas:
        location = {"name": area.name, "countryCode": "GB"}
        code_type = GEO_CODE_TYPES.get(area.gss_code[:3]) if area.gss_code else None
        if code_type:
            location["geoCode"] = area.gss_code
            location["geoCodeType"] = code_type
        located.append(location)
    return located


def _programme(line: FundingLine) -> dict:
    if line.budget_id:
        return {"code": f"{prefix()}-budget-{line.budget_id}", "title": str(line.budget)}
    return {"code": f"{prefix()}-{line.source}", "title": line.get_source_display()}


def _data_source(line: FundingLine) -> str | None:
    if not line.project.is_published:
        return None
    return settings.SITE_URL + reverse("projects:public_detail", args=[line.project_id])


def _description(line: FundingLine) -> str:
    project = line.project
    return line.description or project.public_summary or project.title


def grant_record(line: FundingLine) -> dict:
    """One grant as the standard's JSON: the required fields and what else is known."""
    project = line.project
    recipient = {"id": recipient_identifier(line), "name": line.recipient_name}
    if line.recipient_charity_number:
        recipient["charityNumber"] = line.recipient_charity_number
    if line.recipient_company_number:
        recipient["companyNumber"] = line.recipient_company_number
    grant = {
        "id": grant_identifier(line),
        "title": project.title[:140],
        "description": _description(line),
        "currency": CURRENCY,
        "amountAwarded": float(line.amount),
        "amountDisbursed": float(line.spent),
        "awardDate": line.committed_on.isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {"id": settings.THREESIXTYGIVING_FUNDER_ID, "name": settings.COUNCIL_NAME}
        ],
        "grantProgramme": [_programme(line)],
        "beneficiaryLocation": _locations(project.areas.all()),
        "dateModified": line.updated_at.isoformat(),
    }
    if project.planned_start:
        planned = {"startDate": project.planned_start.isoformat()}
        if project.planned_end:
            planned["endDate"] = project.planned_end.isoformat()
        grant["plannedDates"] = [planned]
    source = _data_source(line)
    if source:
        grant["dataSource"] = source
    return grant


def grants_package(lines: Iterable[FundingLine]) -> dict:
    now = timezone.now().isoformat()
    return {
        "grants": [grant_record(line) for line in lines],
        "license": OGL,
        "publisher": {
            "name": settings.COUNCIL_NAME,
            "identifier": settings.THREESIXTYGIVING_FUNDER_ID,
        },
        "title": f"Grants made by {settings.COUNCIL_NAME} to co-production projects",
        "issued": now,
        "modified": now,
    }


def grant_csv_rows(lines: Iterable[FundingLine]) -> Iterator[list]:
    """One row per grant, under the standard's column titles (CSV_HEADER)."""
    for line in lines:
        grant = grant_record(line)
        recipient = grant["recipientOrganization"][0]
        location = (grant["beneficiaryLocation"] or [{}])[0]
        planned = (grant.get("plannedDates") or [{}])[0]
        programme = grant["grantProgramme"][0]
        yield [
            grant["id"],
            grant["title"],
            grant["description"],
            grant["currency"],
            line.amount,
            line.spent,
            grant["awardDate"],
            planned.get("startDate", ""),
            planned.get("endDate", ""),
            recipient["id"],
            recipient["name"],
            recipient.get("charityNumber", ""),
            recipient.get("companyNumber", ""),
            location.get("name", ""),
            location.get("geoCode", ""),
            location.get("geoCodeType", ""),
            grant["fundingOrganization"][0]["id"],
            grant["fundingOrganization"][0]["name"],
            programme["code"],
            programme["title"],
            grant["dateModified"],
            grant.get("dataSource", ""),
        ]
