"""This app's part of the demo council (see coproduction.demo): idempotent.

A northern English borough: LSOAs under each of the nine wards, Census 2021 baselines for
all seven topics (perturbed, so tables disagree by a few people), IMD 2019 and 2025 with a
real spread (Town Centre, Eastgate and Rivermouth are among England's most deprived),
fictional postcodes in the "NF" area, assets of every kind, capacity assessments over time
and spend. The ONS data goes in through the same importers an officer uses, from files
written in the published layouts.
"""

import io
import random
from datetime import date
from decimal import Decimal

from coproduction.demo import COUNCIL, DemoContext

from . import census
from .models import Area, Asset, CommunityOfInterest
from .services import (
    asset_create,
    asset_suggest,
    asset_verify,
    capacity_assessment_record,
    census_import,
    deprivation_import,
    lookup_import,
    postcode_import,
    spend_record_set,
)

SEED = "coproduce-demo-communities"
LSOAS_PER_WARD = {
    "Town Centre": 6,
    "Abbey Fields": 5,
    "Station Road": 5,
    "Eastgate": 6,
    "Harrow Hill": 4,
    "Millbrook": 5,
    "Rivermouth": 5,
    "Low Moor": 4,
    "Church Ashby": 3,
}
# Each ward's deprivation: the deciles its LSOAs are drawn from.
WARD_DECILES = {
    "Town Centre": (1, 1, 2, 2, 3),
    "Abbey Fields": (4, 5, 6),
    "Station Road": (3, 4, 5),
    "Eastgate": (1, 1, 2, 3),
    "Harrow Hill": (7, 8, 9),
    "Millbrook": (5, 6, 7),
    "Rivermouth": (1, 2, 2, 3),
    "Low Moor": (6, 7, 8),
    "Church Ashby": (8, 9, 10),
}
# Where each ward lies: the demo's points centre on a fictional town.
WARD_CENTRES = {
    "Town Centre": (54.5620, -1.3110),
    "Abbey Fields": (54.5700, -1.3250),
    "Station Road": (54.5560, -1.2990),
    "Eastgate": (54.5650, -1.2800),
    "Harrow Hill": (54.5780, -1.2900),
    "Millbrook": (54.5500, -1.2700),
    "Rivermouth": (54.6000, -1.2300),
    "Low Moor": (54.5300, -1.3400),
    "Church Ashby": (54.5150, -1.3700),
}
POSTCODES_PER_LSOA = 7
# Letters a postcode's inward code may use.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def _lsoas(context: DemoContext) -> dict[str, list[tuple[str, str]]]:
    """{ward name: [(lsoa code, lsoa name)]} with fictional codes in the real format."""
    lsoas: dict[str, list[tuple[str, str]]] = {}
    for ward_index, (ward, count) in enumerate(LSOAS_PER_WARD.items(), start=1):
        lsoas[ward] = []
        number = ward_index
        for letter in "ABCDEF"[:count]:
            code = f"E0199{ward_index:02d}{'ABCDEF'.index(letter) + 1:02d}"
            lsoas[ward].append((code, f"Northfield {number:03d}{letter}"))
    return lsoas


def _shares(rng: random.Random, weights: dict[str, float]) -> dict[str, float]:
    noisy = {code: max(0.0, weight * rng.uniform(0.8, 1.2)) for code, weight in weights.items()}
    total = sum(noisy.values())
    return {code: value / total for code, value in noisy.items()}


def _counts(rng: random.Random, population: int, weights: dict[str, float]) -> dict[str, int]:
    shares = _shares(rng, weights)
    return {code: round(population * share) for code, share in shares.items()}


def _age_weights(deprived: bool) -> dict[str, float]:
    weights = {}
    for age in range(101):
        weight = 1.25 if age < 20 and deprived else 1.0
        if age >= 65:
            weight = 0.9 * (0.965 ** (age - 65)) * (0.8 if deprived else 1.1)
        if age == 100:
            weight = 0.01
        weights[f"y{age}"] = weight
    return weights


def _table_counts(rng, table: str, population: int, adults: int, decile: int, ward: str):
    deprived = decile <= 3
    diverse = ward in ("Town Centre", "Eastgate", "Station Road")
    if table == "TS007":
        return _counts(rng, population, _age_weights(deprived))
    if table == "TS008":
        return _counts(rng, population, {"female": 0.51, "male": 0.49})
    if table == "TS021":
        asian = 0.09 if diverse else 0.015
        return _counts(
            rng,
            population,
            {
                "white_british": 0.86 - asian,
                "white_irish": 0.004,
                "white_gypsy_traveller": 0.002,
                "white_roma": 0.001 if diverse else 0.0002,
                "white_other": 0.03 if diverse else 0.012,
                "asian_pakistani": asian * 0.55,
                "asian_indian": asian * 0.15,
                "asian_bangladeshi": asian * 0.1,
                "asian_chinese": asian * 0.08 + 0.002,
                "asian_other": asian * 0.12,
                "black_african": 0.012 if diverse else 0.003,
                "black_caribbean": 0.002,
                "black_other": 0.001,
                "mixed_white_asian": 0.005,
                "mixed_white_black_african": 0.002,
                "mixed_white_black_caribbean": 0.004,
                "mixed_other": 0.003,
                "other_arab": 0.004 if diverse else 0.001,
                "other_any": 0.003,
            },
        )
    if table == "TS038":
        disabled = 0.26 if deprived else 0.18
        return _counts(
            rng,
            population,
            {
                "disabled_limited_a_lot": disabled * 0.45,
                "disabled_limited_a_little": disabled * 0.55,
                "not_disabled_condition_not_limited": 0.07,
                "not_disabled_no_condition": 0.93 - disabled,
            },
        )
    if table == "TS030":
        muslim = 0.06 if diverse else 0.01
        return _counts(
            rng,
            population,
            {
                "christian": 0.52 - muslim,
                "no_religion": 0.37,
                "muslim": muslim,
                "hindu": 0.004,
                "sikh": 0.003,
                "buddhist": 0.003,
                "jewish": 0.001,
                "other": 0.004,
                census.NOT_ANSWERED: 0.06,
            },
        )
    if table == "TS077":
        return _counts(
            rng,
            adults,
            {
                "straight": 0.905,
                "gay_lesbian": 0.014,
                "bisexual": 0.011,
                "other": 0.002,
                census.NOT_ANSWERED: 0.068,
            },
        )
    return _counts(
        rng,
        adults,
        {
            "same_as_sex": 0.94,
            "different_no_identity": 0.003,
            "trans_woman": 0.001,
            "trans_man": 0.001,
            "other": 0.0006,
            census.NOT_ANSWERED: 0.054,
        },
    )


def _import_census(lsoas, deciles) -> None:
    rng = random.Random(SEED + "-census")  # noqa: S311 - demo data, not secrets
    rows: dict[str, dict[str, tuple[str, dict[str, int]]]] = {t: {} for t in census.TABLES}
    for ward, members in lsoas.items():
        for code, name in members:
            population = rng.randint(1350, 1950)
            counts = _table_counts(rng, "TS007", population, 0, deciles[code], ward)
            adults = sum(v for k, v in counts.items() if int(k[1:]) >= 16)
            rows["TS007"][code] = (name, counts)
            bands = {}
            for band in census.AGE_FIVE_YEAR_BANDS:
                low, high = band.ages
                bands[band.code] = sum(counts[f"y{a}"] for a in range(low, min(high, 100) + 1))
            # TS007A is perturbed separately: a band may differ by a person or two.
            rows["TS007A"][code] = (
                name,
                {k: max(0, v + rng.choice((-1, 0, 0, 1))) for k, v in bands.items()},
            )
            for table in ("TS008", "TS021", "TS038", "TS030", "TS077", "TS078"):
                base = adults if table in ("TS077", "TS078") else population
                # Perturbation: each table's total differs from the others' by a few.
                total = base + rng.randint(-3, 3)
                rows[table][code] = (
                    name,
                    _table_counts(rng, table, total, total, deciles[code], ward),
                )
    for table, table_rows in rows.items():
        text = census_wide_for(table, table_rows)
        census_import(file=_file(text), name=f"census2021-{table.lower()}-lsoa.csv")


def census_wide_for(table, rows) -> str:
    from tests.communities.onsfiles import census_wide

    return census_wide(table, rows, suffix=table in ("TS007", "TS008"))


def demo_build(context: DemoContext) -> None:
    from tests.communities import onsfiles

    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    council_code = COUNCIL[1]
    lsoas = _lsoas(context)
    lookup_rows = [
        (code, name, context.areas[ward].gss_code, ward)
        for ward, members in lsoas.items()
        for code, name in members
    ]
    lookup_import(
        file=_file(onsfiles.ward_lookup(lookup_rows, lad=(council_code, "Northfield"))),
        name="LSOA21_WD22_LAD22_EW_LU.csv",
        council_code=council_code,
    )
    lookup_import(
        file=_file(
            onsfiles.best_fit_lookup(
                [(code, code, "U") for members in lsoas.values() for code, _name in members],
                lad=(council_code, "Northfield"),
            )
        ),
        name="LSOA11_LSOA21_LAD22_EW_LU.csv",
    )

    deciles = {}
    imd_2025, imd_2019 = {}, {}
    for ward, members in lsoas.items():
        for code, name in members:
            decile = rng.choice(WARD_DECILES[ward])
            deciles[code] = decile
            rank = rng.randint((decile - 1) * 3375 + 1, decile * 3375)
            imd_2025[code] = (name, rank, decile)
            old = min(10, max(1, decile + rng.choice((-1, 0, 0, 0, 1))))
            imd_2019[code] = (name, rng.randint((old - 1) * 3284 + 1, old * 3284), old)
    deprivation_import(file=_file(onsfiles.imd_file(2025, imd_2025)), name="File_1_IoD2025.csv")
    deprivation_import(file=_file(onsfiles.imd_file(2019, imd_2019)), name="File_1_IoD2019.csv")
    _import_census(lsoas, deciles)

    postcodes_by_ward: dict[str, list[str]] = {}
    postcode_rows = []
    for ward_index, (ward, members) in enumerate(lsoas.items(), start=1):
        centre = WARD_CENTRES[ward]
        postcodes_by_ward[ward] = []
        for lsoa_index, (code, _name) in enumerate(members):
            for n in range(POSTCODES_PER_LSOA):
                first, second = INWARD_LETTERS[n], INWARD_LETTERS[(ward_index + n) % 20]
                postcode = f"NF{ward_index} {lsoa_index + 1}{first}{second}"
                latitude = centre[0] + rng.uniform(-0.006, 0.006)
                longitude = centre[1] + rng.uniform(-0.01, 0.01)
                terminated = "201805" if n == POSTCODES_PER_LSOA - 1 and lsoa_index == 0 else ""
                postcode_rows.append(
                    (postcode, code, context.areas[ward].gss_code, latitude, longitude, terminated)
                )
                if not terminated:
                    postcodes_by_ward[ward].append(postcode)
    postcode_import(file=_file(onsfiles.nspl_file(postcode_rows)), name="NSPL_NF_extract.csv")
    context.extra["postcodes_by_ward"] = postcodes_by_ward

    communities = _communities_build()
    officer = context.people.get("officer@northfield.example.gov.uk")
    _assets_build(context, rng, officer, communities, postcodes_by_ward)
    _capacity_build(context, officer, communities)
    _spend_build(context)


def _communities_build() -> dict[str, CommunityOfInterest]:
    from tests.communities.factories import CommunityOfInterestFactory

    specs = [
        (
            "Older people",
            "Residents aged 65 and over.",
            ["age:b65_69", "age:b70_74", "age:b75_79", "age:b80_84", "age:b85_plus"],
        ),
        ("Young people", "Residents aged 11 to 24.", ["age:b15_19", "age:b20_24"]),
        ("Carers", "People who look after a relative, friend or neighbour.", []),
        (
            "People with learning disabilities",
            "Adults with learning disabilities and their families.",
            ["disability:disabled"],
        ),
        (
            "Pakistani community",
            "Northfield's British Pakistani community.",
            ["ethnic_group:asian_pakistani"],
        ),
    ]
    communities = {}
    for name, description, categories in specs:
        community = CommunityOfInterestFactory(name=name)
        if community.description != description or community.census_categories != categories:
            community.description = description
            community.census_categories = categories
            community.save()
        communities[name] = community
    return communities


ASSETS = [
    # (kind, category, name, ward, status, communities, extra)
    (
        "organisation",
        "residents_association",
        "Eastgate Residents' Association",
        "Eastgate",
        "active",
        ["Older people"],
        {"charity_number": "1150012"},
    ),
    (
        "organisation",
        "nag",
        "Town Centre Neighbourhood Action Group",
        "Town Centre",
        "active",
        [],
        {},
    ),
    (
        "organisation",
        "friends_of",
        "Friends of Abbey Park",
        "Abbey Fields",
        "active",
        [],
        {"website": "https://friendsofabbeypark.example.org"},
    ),
    (
        "organisation",
        "faith_group",
        "Millbrook Mosque Community Association",
        "Millbrook",
        "active",
        ["Pakistani community"],
        {"charity_number": "1162288"},
    ),
    (
        "organisation",
        "vcs_group",
        "Northfield Carers' Network",
        "Station Road",
        "active",
        ["Carers"],
        {"charity_number": "1098765"},
    ),
    (
        "organisation",
        "social_enterprise",
        "Rivermouth Community Cafe CIC",
        "Rivermouth",
        "at_risk",
        ["Young people"],
        {"company_number": "12345678"},
    ),
    (
        "organisation",
        "vcs_group",
        "Harrow Hill Walking for Health",
        "Harrow Hill",
        "active",
        ["Older people"],
        {},
    ),
    (
        "organisation",
        "other_organisation",
        "Northfield Learning Disability Partnership Board",
        "Town Centre",
        "active",
        ["People with learning disabilities"],
        {},
    ),
    (
        "organisation",
        "residents_association",
        "Low Moor Village Association",
        "Low Moor",
        "active",
        [],
        {},
    ),
    (
        "place",
        "community_centre",
        "Eastgate Community Centre",
        "Eastgate",
        "active",
        ["Older people", "Young people"],
        {
            "capacity": 120,
            "run_by": "Eastgate Residents' Association",
            "opening_times": "Monday to Friday 9am to 9pm, Saturday 10am to 4pm",
        },
    ),
    (
        "place",
        "community_centre",
        "Rivermouth Community Hub",
        "Rivermouth",
        "transferred",
        ["Young people"],
        {"capacity": 80, "run_by": "Rivermouth Community Cafe CIC"},
    ),
    (
        "place",
        "hall",
        "Church Ashby Village Hall",
        "Church Ashby",
        "active",
        [],
        {"capacity": 150, "opening_times": "By booking"},
    ),
    ("place", "hall", "St Mary's Church Hall", "Town Centre", "at_risk", [], {"capacity": 60}),
    (
        "place",
        "park",
        "Abbey Park",
        "Abbey Fields",
        "active",
        [],
        {"run_by": "Friends of Abbey Park", "opening_times": "Dawn to dusk"},
    ),
    ("place", "park", "Millbrook Recreation Ground", "Millbrook", "active", ["Young people"], {}),
    ("place", "allotment", "Low Moor Allotments", "Low Moor", "active", [], {"capacity": 40}),
    (
        "place",
        "allotment",
        "Harrow Hill Community Garden",
        "Harrow Hill",
        "active",
        ["People with learning disabilities"],
        {},
    ),
    (
        "place",
        "library",
        "Northfield Central Library",
        "Town Centre",
        "active",
        [],
        {"capacity": 200, "opening_times": "Monday to Saturday 9am to 5pm"},
    ),
    ("place", "library", "Station Road Library", "Station Road", "closed", [], {}),
    (
        "place",
        "sports",
        "Eastgate Boxing Club Gym",
        "Eastgate",
        "active",
        ["Young people"],
        {"capacity": 30},
    ),
    (
        "place",
        "other_place",
        "Rivermouth Lifeboat Station Meeting Room",
        "Rivermouth",
        "active",
        [],
        {"capacity": 25},
    ),
]
SKILLS = [
    ("digital", "Help getting online and using a smartphone", "Town Centre", True),
    ("practical", "Bicycle repairs for children's bikes", "Eastgate", True),
    ("caring", "Befriending older neighbours", "Harrow Hill", False),
]


def _assets_build(context, rng, officer, communities, postcodes_by_ward) -> None:
    # The people who offer skills are participants, made by the engagement app's service.
    from engagement.services import participant_get_or_create_by_reference

    existing = {(a.name, a.area_id) for a in Asset.objects.all()}
    made = {a.name: a for a in Asset.objects.filter(kind=Asset.Kind.ORGANISATION)}
    for index, (kind, category, name, ward_name, status, served, extra) in enumerate(ASSETS):
        ward = context.areas[ward_name]
        if (name, ward.pk) in existing:
            continue
        fields = dict(extra)
        if "run_by" in fields:
            fields["run_by"] = made[fields["run_by"]]
        postcode = postcodes_by_ward[ward_name][index % len(postcodes_by_ward[ward_name])]
        centre = WARD_CENTRES[ward_name]
        asset = asset_create(
            actor=officer,
            kind=kind,
            category=category,
            name=name,
            area=ward,
            communities=[communities[c] for c in served],
            status=status,
            description=f"{name} serves {ward_name} and nearby neighbourhoods.",
            address=f"{10 + index} {ward_name} Road",
            postcode=postcode,
            latitude=Decimal(str(round(centre[0] + rng.uniform(-0.004, 0.004), 6))),
            longitude=Decimal(str(round(centre[1] + rng.uniform(-0.006, 0.006), 6))),
            contact_phone=f"01632 96{index:04d}",
            **fields,
        )
        if index % 3 != 2:
            asset_verify(actor=officer, asset=asset, on=date(2025, 1 + index % 9, 10))
        if kind == Asset.Kind.ORGANISATION:
            made[name] = asset
    for index, (category, name, ward_name, public) in enumerate(SKILLS, start=1):
        ward = context.areas[ward_name]
        if (name, ward.pk) in existing:
            continue
        person, _created = participant_get_or_create_by_reference(
            reference=f"demo-skill-{index}",
            defaults={
                "full_name": ["Bernard Kaye", "Priti Lal", "Moira Dunn"][index - 1],
                "home_ward": ward,
            },
        )
        asset_create(
            actor=officer,
            kind=Asset.Kind.SKILL,
            category=category,
            name=name,
            area=ward,
            person=person,
            consent_recorded=True,
            consent_to_publish=public,
        )
    for name, ward_name, category in (
        ("Old Station Youth Club", "Station Road", "community_centre"),
        ("Church Ashby Knit and Natter", "Church Ashby", "vcs_group"),
    ):
        asset_suggest(
            kind=Asset.Kind.PLACE if category == "community_centre" else Asset.Kind.ORGANISATION,
            category=category,
            name=name,
            area=context.areas[ward_name],
            description="Suggested by a resident through the public form.",
            suggested_by_name="A resident",
            suggested_by_email="suggester@example.org",
        )


CAPACITY_DATES = (date(2024, 1, 15), date(2024, 9, 16), date(2025, 5, 12))


def _capacity_build(context, officer, communities) -> None:
    rng = random.Random(SEED + "-capacity")  # noqa: S311 - demo data, not secrets
    subjects = [
        {"area": area}
        for area in context.areas.values()
        if area.kind in (Area.Kind.AREA, Area.Kind.WARD)
    ]
    subjects += [{"community": communities[name]} for name in ("Older people", "Young people")]
    for subject in subjects:
        base = rng.randint(1, 3)
        volunteers = rng.randint(10, 60)
        for step, on in enumerate(CAPACITY_DATES):
            capacity_assessment_record(
                actor=officer,
                assessed_on=on,
                volunteers=volunteers + step * rng.randint(2, 9),
                digital_skills=min(5, base + (step + 1) // 2),
                confidence=min(5, base + step),
                notes="Assessed with the area's partnership board." if step == 2 else "",
                **subject,
            )


SERVICES = [
    ("Street cleansing", "Northfield Borough Council", 42000),
    ("Parks and green spaces", "Northfield Borough Council", 28000),
    ("Youth services", "Northfield Borough Council", 21000),
    ("Neighbourhood policing", "Northfield Neighbourhood Policing Team", 65000),
    ("Community health services", "Northfield Place NHS Integrated Care Board", 120000),
]


def _spend_build(context) -> None:
    rng = random.Random(SEED + "-spend")  # noqa: S311 - demo data, not secrets
    for ward_name in LSOAS_PER_WARD:
        ward = context.areas[ward_name]
        need = 1.6 if min(WARD_DECILES[ward_name]) <= 2 else 1.0
        for year in (2023, 2024):
            for service, agency, base in SERVICES:
                amount = Decimal(
                    round(base * need * rng.uniform(0.8, 1.25) * (1.04 if year == 2024 else 1))
                )
                spend_record_set(
                    area=ward,
                    service=service,
                    agency=agency,
                    financial_year=year,
                    amount=amount.quantize(Decimal("1.00")),
                    source="Demo spend return",
                )
