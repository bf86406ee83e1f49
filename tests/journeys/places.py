"""A council, its areas with Census 2021 baselines and its people, built per journey with
the apps' factories (never the whole demo)."""

from dataclasses import dataclass, field

from communities.models import Area
from tests.communities.factories import CouncilFactory, GroupingAreaFactory, WardFactory
from tests.engagement.factories import PostcodeFactory
from tests.engagement.inclusion.factories import census_table

# Census 2021 TS021 (ethnic group) shares, in round numbers.
ETHNIC_GROUP = {
    "white_british": 0.86,
    "asian_bangladeshi": 0.02,
    "asian_pakistani": 0.03,
    "black_african": 0.02,
    "mixed_white_black_caribbean": 0.02,
    "white_other": 0.05,
}


@dataclass
class Place:
    council: Area
    area: Area
    wards: list[Area]
    postcodes: dict[str, str] = field(default_factory=dict)  # postcode -> ward name

    @property
    def ward(self) -> Area:
        return self.wards[0]


def place_build(
    *,
    council: str,
    area: str,
    area_label: str,
    wards: dict[str, str],
    population: int = 20_000,
) -> Place:
    """A council > area > wards tree; `wards` maps each ward's name to a postcode in it.
    Each ward gets its Census 2021 tables: age (TS007), sex (TS008) and ethnic group
    (TS021), each adding up to the ward's population."""
    council_area = CouncilFactory(name=council)
    grouping = GroupingAreaFactory(name=area, parent=council_area, type_label=area_label)
    built = [WardFactory(name=name, parent=grouping) for name in wards]
    for postcode, ward in zip(wards.values(), built, strict=True):
        PostcodeFactory(postcode=postcode, ward=ward)
    per_ward = population // len(built)
    for ward in built:
        census_table(ward, "TS007", {f"y{age}": per_ward // 90 for age in range(90)})
        census_table(ward, "TS008", {"female": per_ward // 2, "male": per_ward - per_ward // 2})
        census_table(
            ward,
            "TS021",
            {category: round(per_ward * share) for category, share in ETHNIC_GROUP.items()},
        )
    return Place(
        council=council_area,
        area=grouping,
        wards=built,
        postcodes={code: name for name, code in wards.items()},
    )
