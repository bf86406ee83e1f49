"""A council, its areas with Census 2021 baselines and its people, built per journey with
the apps' factories (never the whole demo)."""

from dataclasses import dataclass, field

from communities.models import Area
from tests.api.factories import CensusTableFactory, PopulationBaselineFactory
from tests.communities.factories import CouncilFactory, GroupingAreaFactory, WardFactory
from tests.engagement.factories import PostcodeFactory

# Census 2021 TS021 (ethnic group) and TS007A (age) shares, in round numbers.
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
    The area and each ward get a TS021 baseline that adds up to their population."""
    council_area = CouncilFactory(name=council)
    grouping = GroupingAreaFactory(name=area, parent=council_area, type_label=area_label)
    built = [WardFactory(name=name, parent=grouping) for name in wards]
    for postcode, ward in zip(wards.values(), built, strict=True):
        PostcodeFactory(postcode=postcode, ward=ward)
    for scope, total in [(grouping, population)] + [(w, population // len(built)) for w in built]:
        table = CensusTableFactory(area=scope, total=total)
        for category, share in ETHNIC_GROUP.items():
            PopulationBaselineFactory(table=table, category=category, count=round(total * share))
    return Place(
        council=council_area,
        area=grouping,
        wards=built,
        postcodes={code: name for name, code in wards.items()},
    )
