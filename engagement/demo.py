"""This app's part of the demo council (see coproduction.demo): idempotent.

Volunteering (tasks, assessments, kits, reports) is built by engagement.volunteering.demo.
Street champions in every state, reports in every state (some overdue, some from
champions), events of every kind with attendance, and equality answers that are
deliberately unrepresentative: older, whiter and less often disabled than the census,
so the inclusion reports have something to find.
"""

import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from coproduction.demo import DemoContext

from . import services
from .models import (
    AreaTeam,
    Attendance,
    EqualityResponse,
    Event,
    IssueCategory,
    IssueReport,
    Participant,
    ReportState,
    StreetChampion,
)
from .reference_data import report_reference_data_ensure
from .volunteering.demo import volunteering_demo_build

DEMO_NAMESPACE = uuid.UUID("6f1c8d3e-2b4a-4e7f-9a1d-5c3b2e1f0a9d")
CHAMPIONS_PER_WARD = 6
STREETS = ["Elm", "Ash", "Oak", "Beech", "Rowan", "Holly"]
FIRST_NAMES = [
    "Maureen",
    "Derek",
    "Pat",
    "Jean",
    "Alan",
    "Brenda",
    "Keith",
    "Sandra",
    "Ray",
    "Linda",
    "Trevor",
    "Aisha",
    "Kofi",
    "Zofia",
    "Priya",
    "Liam",
    "Mei",
    "Tomasz",
]
SURNAMES = [
    "Pike",
    "Hall",
    "Wilson",
    "Robson",
    "Bell",
    "Dixon",
    "Walker",
    "Khan",
    "Mensah",
    "Nowak",
    "Patel",
    "Murphy",
    "Chen",
    "Kowalski",
    "Scott",
    "Thompson",
]
# Skewed on purpose: mostly born before 1960, mostly White British, few disabled.
BIRTH_YEARS = [1941, 1944, 1947, 1949, 1951, 1952, 1955, 1957, 1958, 1961, 1966, 1979, 1990]
ETHNIC = ["white_british"] * 11 + ["white_irish", "asian_indian", "prefer_not_to_say", ""]
DISABILITY = ["not_disabled_no_condition"] * 8 + [
    "not_disabled_condition_not_limited",
    "disabled_limited_a_little",
    "",
    "prefer_not_to_say",
]
STATUSES = [
    StreetChampion.Status.ACTIVE,
    StreetChampion.Status.ACTIVE,
    StreetChampion.Status.ACTIVE,
    StreetChampion.Status.AWAITING_APPROVAL,
    StreetChampion.Status.UNCONFIRMED,
    StreetChampion.Status.PAUSED,
]
STATE_PLAN = ["open", "open", "investigating", "action_scheduled", "fixed", "fixed",
              "not_responsible", "closed"]  # fmt: skip
DESCRIPTIONS = {
    "fly-tipping": "Mattress, a fridge and several black bags dumped at the end of the lane",
    "litter": "Overflowing bin by the bus stop, litter blowing across the road",
    "graffiti": "Graffiti sprayed across the wall of the underpass",
    "dog-fouling": "Dog mess all along the path to the primary school",
    "overgrown-vegetation": "Hedge growing across the pavement, pushchairs have to use the road",
    "other": "Broken bench in the park with sharp edges",
}


def _key(*parts) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, "/".join(str(p) for p in parts))


def demo_build(context: DemoContext) -> None:
    report_reference_data_ensure()
    wards = [a for a in context.areas.values() if a.kind == "ward"]
    groupings = [a for a in context.areas.values() if a.kind == "area"]
    officer = context.people.get("officer@northfield.example.gov.uk")
    postcodes = context.extra.get("postcodes_by_ward", {})
    for area in groupings:
        team, _ = AreaTeam.objects.get_or_create(
            name=f"{area.name} street scene team",
            defaults={"email": f"streetscene.{slugify(area.name)}@northfield.example.gov.uk"},
        )
        team.areas.add(area)
    enforcement, _ = AreaTeam.objects.get_or_create(name="Fly-tipping enforcement team")
    enforcement.areas.add(*groupings)
    enforcement.categories.add(IssueCategory.objects.get(slug="fly-tipping"))
    police = context.agencies.get("Northfield Neighbourhood Policing Team")
    if police is not None and "Northfield Central" in context.areas:
        # Graffiti in the town centre goes to the police's team, which answers through
        # the partner API (docs/api.md: issue reports).
        safer, _ = AreaTeam.objects.get_or_create(
            name="Northfield Safer Neighbourhood Team",
            defaults={"email": "snt.northfield@police.example.org", "partner_agency": police},
        )
        safer.areas.add(context.areas["Northfield Central"])
        safer.categories.add(IssueCategory.objects.get(slug="graffiti"))
    states = {s.code: s for s in ReportState.objects.all()}
    categories = list(IssueCategory.objects.filter(is_active=True))
    now = timezone.now()
    for w, ward in enumerate(sorted(wards, key=lambda a: a.gss_code)):
        ward_postcodes = list(postcodes.get(ward.name, []))
        people = []
        for n in range(CHAMPIONS_PER_WARD):
            first = FIRST_NAMES[(w * 3 + n) % len(FIRST_NAMES)]
            last = SURNAMES[(w * 5 + n * 7) % len(SURNAMES)]
            email = f"{first}.{last}.{slugify(ward.name)}{n}@example.org".lower()
            person = Participant.objects.filter(email=email).first()
            if person is None:
                by_phone_and_post = n % 3 == 0
                person = Participant.objects.create(
                    full_name=f"{first} {last}",
                    email=email,
                    postcode=str(ward_postcodes[n % len(ward_postcodes)])
                    if ward_postcodes
                    else "",
                    home_ward=ward,
                    participation_level=["informed", "consulted", "involved", "leading"][n % 4],
                    preferred_channels=["phone", "post"] if by_phone_and_post else ["email"],
                    # Someone to be rung and written to has a number (Ofcom's drama range)
                    # and an address to write to.
                    phone=f"07700 900{w * CHAMPIONS_PER_WARD + n:03d}"
                    if by_phone_and_post
                    else "",
                    address_line_1=f"{10 + n} {STREETS[(w + n) % len(STREETS)]} Road"
                    if by_phone_and_post
                    else "",
                    address_town="Northfield" if by_phone_and_post else "",
                    email_confirmed_at=now,
                )
            people.append(person)
            if not EqualityResponse.objects.filter(pseudonym=person.pseudonym).exists():
                i = w * CHAMPIONS_PER_WARD + n
                services.equality_response_record(
                    participant=person,
                    answers=services.EqualityAnswers(
                        year_of_birth=BIRTH_YEARS[i % len(BIRTH_YEARS)],
                        sex="female" if i % 5 < 3 else "male",
                        ethnic_group=ETHNIC[i % len(ETHNIC)],
                        disability=DISABILITY[i % len(DISABILITY)],
                        religion="christian" if i % 3 else "no_religion",
                        sexual_orientation="straight" if i % 7 else "prefer_not_to_say",
                        gender_identity="same_as_sex",
                    ),
                )
            status = STATUSES[n % len(STATUSES)]
            StreetChampion.objects.get_or_create(
                participant=person,
                defaults={
                    "ward": ward,
                    "patch": f"{STREETS[n % len(STREETS)]} Road and nearby",
                    "activities": ["report_problems", "lead_litter_picks"][: 1 + n % 2],
                    "status": status,
                    "signed_up_at": now - timedelta(days=30 + 20 * n),
                    "confirmed_at": None if status == "unconfirmed" else now - timedelta(days=29),
                    "approved_at": now - timedelta(days=25)
                    if status in ("active", "paused")
                    else None,
                    "approved_by": officer if status in ("active", "paused") else None,
                    "inducted_on": (now - timedelta(days=20)).date()
                    if status == "active"
                    else None,
                    "inducted_by": officer if status == "active" else None,
                    "kit_issued": "Litter picker, hoop, hi-vis vest" if status == "active" else "",
                },
            )
        # Reports in every state; champions' ones first in the queue; some overdue.
        for r, code in enumerate(STATE_PLAN):
            key = _key("report", ward.gss_code, r)
            if IssueReport.objects.filter(submission_key=key).exists():
                continue
            category = categories[(w + r) % len(categories)]
            reporter = people[r % len(people)]
            report = services.issue_report_create(
                draft=services.ReportDraft(
                    category=category,
                    description=DESCRIPTIONS.get(category.slug, "A problem in the street"),
                    location_description=f"{10 + r} {['Elm', 'Ash', 'Oak'][r % 3]} Road",
                    latitude=Decimal("54.52") + Decimal(w) / 100 + Decimal(r) / 2000,
                    longitude=Decimal("-1.55") - Decimal(r) / 2000,
                    ward=ward,
                    anonymous=r % 4 == 0,
                ),
                reporter=reporter,
                submission_key=key,
            )
            created = now - timedelta(days=2 + 9 * r + w)
            IssueReport.objects.filter(pk=report.pk).update(
                created_at=created, due_at=created + timedelta(days=category.target_days)
            )
            report.refresh_from_db()
            if code != "open" and officer is not None:
                report.created_at = created
                services.issue_report_transition(
                    report=report,
                    to_state=states[code],
                    actor=officer,
                    note="Thank you: the team has been out to look." if code != "closed" else "",
                )
                IssueReport.objects.filter(pk=report.pk).update(
                    responded_at=created + timedelta(hours=6 + r * 5),
                    response_seconds=(6 + r * 5) * 3600,
                    **(
                        {
                            "fixed_at": created + timedelta(days=1 + r % 4),
                            "resolution_seconds": (1 + r % 4) * 86400,
                        }
                        if states[code].is_fixed
                        else {}
                    ),
                )
        # Events of every kind: past ones with attendance, one to come with registrations.
        for k, kind in enumerate(Event.Kind.values):
            title = f"{ward.name} {Event.Kind(kind).label.lower()}"
            past = k % 2 == 0
            day = (now + timedelta(days=(-14 - 7 * k) if past else (10 + 7 * k))).date()
            starts = timezone.make_aware(datetime.combine(day, time(10 + k % 4, 0)))
            event, created = Event.objects.get_or_create(
                title=title,
                area=ward,
                defaults={
                    "kind": kind,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "place": f"{ward.name} community centre",
                    "capacity": 30,
                    "created_by": officer,
                    "check_in_code": f"DEMO{w}{k}",
                    "status": Event.Status.COMPLETED if past else Event.Status.SCHEDULED,
                },
            )
            if not created:
                continue
            for person in people[: 3 + k % 4]:
                Attendance.objects.get_or_create(event=event, participant=person)
            if past and officer is not None:
                marks = {a.pk: (i % 5 != 4, None) for i, a in enumerate(event.attendances.all())}
                services.attendance_take(event=event, actor=officer, marks=marks)
    volunteering_demo_build(context)
