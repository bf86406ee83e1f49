"""The demo's API client (see coproduction.demo): the police agency's, with a published
secret like the demo passwords, so that a developer can follow docs/api.md at once.

It also gives the police a place in a community safety partnership over two areas, so
that the client has data to see. Idempotent: a second run finds what the first made.
"""

from dataclasses import dataclass

from oauth2_provider.models import Application

from coproduction.demo import DemoContext
from governance.models import Partnership
from tests.api.factories import PartnershipFactory

from .models import ApiClient
from .scopes import scopes
from .services import api_client_create


@dataclass(frozen=True)
class DemoApiClient:
    agency: str
    client_id: str
    client_secret: str


DEMO_API_CLIENTS = [
    DemoApiClient(
        agency="Northfield Neighbourhood Policing Team",
        client_id="northfield-police-demo",
        client_secret="demo-api-secret-police-lapwing-2026",  # noqa: S106 (published demo)
    ),
]
DEMO_PARTNERSHIP = (
    "Northfield Community Safety Partnership",
    Partnership.Kind.SAFER_NEIGHBOURHOOD,
    "Northfield Central",
    [
        "Northfield Neighbourhood Policing Team",
        "Northfield Fire and Rescue",
        "Northfield Council for Voluntary Service",
    ],
)
ADMINISTRATOR_EMAIL = "admin@northfield.example.gov.uk"


def demo_build(context: DemoContext) -> None:
    name, kind, area_name, agency_names = DEMO_PARTNERSHIP
    partnership = PartnershipFactory(
        name=name,
        kind=kind,
        area=context.areas[area_name],
        description="Police, fire, the voluntary sector and the council working on "
        "anti-social behaviour and safer streets in the town centre wards.",
    )
    partnership.agencies.add(*(context.agencies[agency] for agency in agency_names))

    for demo in DEMO_API_CLIENTS:
        agency = context.agencies[demo.agency]
        application = Application.objects.filter(client_id=demo.client_id).first()
        if application is None:
            api_client_create(
                agency=agency,
                scopes=scopes.names(),
                created_by=context.people[ADMINISTRATOR_EMAIL],
                contact_note="Neighbourhood policing systems team",
                client_id=demo.client_id,
                client_secret=demo.client_secret,
            )
            continue
        client = ApiClient.objects.get(application=application)
        # Scopes registered since the last run are granted too.
        if sorted(client.scopes) != scopes.names():
            client.scopes = scopes.names()
            client.save(update_fields=["scopes", "updated_at"])
