"""The demo council that `manage.py seed_demo` builds: fictional, but shaped like a real one.

Every builder here is idempotent: running it again finds what it made before.
Each domain app adds its part in `<app>/demo.py` with a `demo_build(context)` function,
run in the order of DEMO_BUILDERS after the council, its areas and its people exist.
"""

from dataclasses import dataclass, field
from importlib import import_module

import factory.random
from django.db import transaction
from django.utils.text import slugify

from communities.models import Area
from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.accounts.services import user_roles_set
from governance.models import PartnerAgency
from tests.accounts.factories import UserFactory
from tests.communities.factories import CouncilFactory, GroupingAreaFactory, WardFactory
from tests.governance.factories import PartnerAgencyFactory

EMAIL_DOMAIN = "northfield.example.gov.uk"

# Fictional GSS codes in the real format: E06 unitary authority, E05 electoral ward.
COUNCIL = ("Northfield Borough Council", "E06000990")
AREAS = {
    "Northfield Central": ["Town Centre", "Abbey Fields", "Station Road"],
    "Northfield East": ["Eastgate", "Harrow Hill", "Millbrook"],
    "Rivermouth and Villages": ["Rivermouth", "Low Moor", "Church Ashby"],
}
AREA_TYPE = "Area Action Partnership"
COUNCILLORS_PER_WARD = 2
RESIDENTS_PER_WARD = 4


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    full_name: str
    password: str
    areas: tuple[str, ...]
    agency: str | None = None


DEMO_LOGINS = [
    DemoLogin(
        Role.ADMINISTRATOR, f"admin@{EMAIL_DOMAIN}", "Priya Shah", "demo-admin-larch-2026", ()
    ),
    DemoLogin(
        Role.OFFICER,
        f"officer@{EMAIL_DOMAIN}",
        "Sam Okafor",
        "demo-officer-heron-2026",
        ("Northfield Central", "Northfield East"),
    ),
    DemoLogin(
        Role.OFFICER,
        f"officer.rivermouth@{EMAIL_DOMAIN}",
        "Helen Murray",
        "demo-officer-otter-2026",
        ("Rivermouth and Villages",),
    ),
    # The neighbourhood engagement officer for every area (engagement.volunteering.demo):
    # her risk assessments wait for Sam or Helen to approve, and theirs for her, since no
    # one approves their own.
    DemoLogin(
        Role.OFFICER,
        f"tina.guile@{EMAIL_DOMAIN}",
        "Tina Guile",
        "demo-officer-plover-2026",
        ("Northfield Central", "Northfield East", "Rivermouth and Villages"),
    ),
    DemoLogin(
        Role.ELECTED_MEMBER,
        f"councillor@{EMAIL_DOMAIN}",
        "Cllr Margaret Hughes",
        "demo-councillor-wren-2026",
        ("Town Centre",),
    ),
    DemoLogin(
        Role.BOARD_MEMBER,
        f"board@{EMAIL_DOMAIN}",
        "David Chen",
        "demo-board-kestrel-2026",
        ("Northfield Central",),
    ),
    DemoLogin(
        Role.RESIDENT,
        "resident@example.org",
        "Aisha Rahman",
        "demo-resident-swift-2026",
        ("Town Centre",),
    ),
    DemoLogin(
        Role.PARTNER_AGENCY,
        "partner@police.example.org",
        "Inspector Gareth Lloyd",
        "demo-partner-badger-2026",
        ("Northfield Central", "Northfield East"),
        agency="Northfield Neighbourhood Policing Team",
    ),
]

AGENCIES = [
    ("Northfield Neighbourhood Policing Team", PartnerAgency.Kind.POLICE),
    ("Northfield Fire and Rescue", PartnerAgency.Kind.FIRE),
    ("Northfield Place NHS Integrated Care Board", PartnerAgency.Kind.NHS),
    ("Northfield Council for Voluntary Service", PartnerAgency.Kind.VOLUNTARY),
]


def areas_build() -> dict[str, Area]:
    name, code = COUNCIL
    council = CouncilFactory(name=name, gss_code=code)
    areas = {name: council}
    ward_number = 0
    for area_name, ward_names in AREAS.items():
        area = GroupingAreaFactory(name=area_name, type_label=AREA_TYPE, parent=council)
        areas[area_name] = area
        for ward_name in ward_names:
            ward_number += 1
            areas[ward_name] = WardFactory(
                name=ward_name, gss_code=f"E05099{ward_number:03d}", parent=area
            )
    return areas


def person_ensure(
    *,
    email: str,
    full_name: str,
    roles: tuple[Role, ...],
    areas: list[Area],
    agency: PartnerAgency | None = None,
    password: str | None = None,
) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return UserFactory(
            email=email,
            full_name=full_name,
            roles=roles,
            areas=areas,
            partner_agency=agency,
            password=password,
        )
    user_roles_set(user=user, roles=roles)
    user.areas.set(areas)
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


# Each app's builder, in dependency order: later ones use what earlier ones made.
DEMO_BUILDERS = [
    "coproduction.api.demo",
    "communities.demo",
    "engagement.demo",
    "projects.demo",
    "governance.demo",
    "engagement.inclusion.demo",
]


@dataclass
class DemoContext:
    """What the builders share: the areas by name, agencies by name, people by email."""

    areas: dict[str, Area]
    agencies: dict[str, PartnerAgency]
    people: dict[str, User] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)


@transaction.atomic
def demo_council_build() -> list[DemoLogin]:
    """Build the demo council and return the logins to print."""
    factory.random.reseed_random("coproduce-demo")
    areas = areas_build()
    agencies = {name: PartnerAgencyFactory(name=name, kind=kind) for name, kind in AGENCIES}
    context = DemoContext(areas=areas, agencies=agencies)

    for login in DEMO_LOGINS:
        context.people[login.email] = person_ensure(
            email=login.email,
            full_name=login.full_name,
            roles=(login.role,),
            areas=[areas[name] for name in login.areas],
            agency=agencies.get(login.agency) if login.agency else None,
            password=login.password,
        )

    fake = factory.Faker._get_faker(locale="en_GB")
    for area_name, ward_names in AREAS.items():
        for ward_name in ward_names:
            ward = areas[ward_name]
            slug = slugify(ward_name)
            for n in range(1, COUNCILLORS_PER_WARD + 1):
                email = f"cllr.{slug}.{n}@{EMAIL_DOMAIN}"
                context.people[email] = person_ensure(
                    email=email,
                    full_name=f"Cllr {fake.name()}",
                    roles=(Role.ELECTED_MEMBER,),
                    areas=[ward],
                )
            for n in range(1, RESIDENTS_PER_WARD + 1):
                email = f"resident.{slug}.{n}@example.org"
                context.people[email] = person_ensure(
                    email=email,
                    full_name=fake.name(),
                    roles=(Role.RESIDENT,),
                    areas=[ward],
                )
        email = f"board.{slugify(area_name)}@example.org"
        context.people[email] = person_ensure(
            email=email,
            full_name=fake.name(),
            roles=(Role.BOARD_MEMBER,),
            areas=[areas[area_name]],
        )
    for module in DEMO_BUILDERS:
        import_module(module).demo_build(context)
    return DEMO_LOGINS
