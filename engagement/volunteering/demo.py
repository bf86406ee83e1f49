"""Volunteers' safety in the demo council (see coproduction.demo): idempotent.

The task catalogue with Milton Keynes' jobs "not suitable for community groups", risk
assessments in every state (drafts, awaiting approval, approved, due for review, past
review, reopened after an incident, replaced by a revision, withdrawn), Halton's café
volunteers with and without their volunteer involvement pack, trained and untrained
street champions, environmental toolkits on loan and overdue, and Milton Keynes-style
activity reports with photos and bags collected, recurring in one ward.
"""

import io
import uuid
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from coproduction.accounts.roles import Role
from coproduction.demo import EMAIL_DOMAIN, DemoContext, person_ensure
from engagement.models import (
    ActivityReport,
    Disclaimer,
    DisclaimerSignature,
    Incident,
    IssueCategory,
    Participant,
    RiskAssessment,
    StreetChampion,
    Toolkit,
    ToolkitItem,
    ToolkitLoan,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerActivity,
    VolunteerTask,
)
from engagement.photos import photo_process
from tests.engagement.factories import ParticipantFactory, VolunteerActivityFactory

from . import services
from .services import HazardInput, ItemInput

NAMESPACE = uuid.UUID("0b6f5d1e-8c2a-4f7b-9e3d-1a2b3c4d5e6f")

COURSES = [
    ("Safe use of the environmental toolkit", 24, "Pickers, brooms, scrapers and wipes; "
     "sharps and what never to touch; manual handling of full sacks."),
    ("Graffiti removal with non-hazardous kit", 24, "Wipes and solution, goggles and gloves."),
    ("Food hygiene level 2", 36, "For café volunteers at the community centres."),
    ("Safeguarding awareness", 36, "For mentors of young people and adults at risk."),
    ("Manual handling", 36, "Lifting and carrying safely."),
]  # fmt: skip

# name, description, hazards, minimum age, training
ALLOWED = [
    ("Litter pick", "Picking litter from verges, paths and parks with a picker and a hoop.",
     "Sharps: needles and broken glass\nTraffic near verges\nSlips, trips and uneven ground\n"
     "Dog fouling", 16, ["Safe use of the environmental toolkit"]),
    ("Graffiti removal (non-hazardous kit)", "Wiping small tags off street furniture and "
     "walls with the kit's wipes and solution.", "Splashes to eyes and skin\nTraffic", 18,
     ["Safe use of the environmental toolkit", "Graffiti removal with non-hazardous kit"]),
    ("Weeding and clearing paths", "Hand weeding and sweeping paths and planters.",
     "Thorns and cuts\nBending and lifting", 16, ["Safe use of the environmental toolkit"]),
    ("Scraping stickers off lamp posts", "Removing fly-posted stickers with the scraper.",
     "Cuts from the scraper\nTraffic", 16, ["Safe use of the environmental toolkit"]),
    ("Handing out recycling bags", "Handing out bags and leaflets door to door.",
     "Dogs\nLone working", 14, []),
    ("Community café volunteering", "Serving tea and food at a community centre café "
     "(Halton: no keys, no rota).", "Hot drinks and water\nFood allergies", 16,
     ["Food hygiene level 2"]),
    ("Mentoring", "Regular one-to-one support for a young person.",
     "Safeguarding\nLone working", 18, ["Safeguarding awareness"]),
]  # fmt: skip

# name, what to do instead, the kind of problem to report it as (IssueCategory slug)
PROHIBITED = [
    ("Clearing fly-tips with hazardous items", "Do not touch it: it may hold asbestos, "
     "needles, gas bottles or chemicals, and is evidence for the enforcement officers. Report "
     "it and the council's team clears it safely.", "fly-tipping"),
    ("Structural repairs", "Walls, fences, steps and bridges are repaired by the council's "
     "contractors: report the damage.", "other"),
    ("Street lighting maintenance", "Report a broken or damaged street light: the lighting "
     "team repairs it.", "other"),
    ("Work on or beside the road", "Never work in the carriageway or on a verge without a "
     "barrier: report litter there and the council's crew clears it with traffic management.",
     "litter"),
    ("Offensive or racist graffiti", "Report it: the council removes offensive graffiti "
     "within one working day.", "graffiti"),
    ("Working at height", "No ladders or climbing: report what needs doing up high.", "other"),
]  # fmt: skip

EMERGENCY = (
    "The group lead carries a first aid kit and a charged phone. In an emergency call 999, "
    "then the council's volunteering line. Nearest A&E: Northfield General Hospital."
)
INSURANCE = (
    "Northfield Borough Council's public liability and personal accident insurance cover "
    "registered volunteers on approved activities (policy NBC-PL-2026)."
)
LITTER_HAZARDS = [
    HazardInput("Sharps: needles and broken glass", "Volunteers: cuts, infection", 3, 4,
                "Pickers only, never hands; puncture-resistant gloves; sharps left, their "
                "place reported to the council", 1, 4),
    HazardInput("Traffic", "Volunteers and the public", 2, 5, "Hi-vis; no work on or beside "
                "the road; groups briefed before starting", 1, 5),
    HazardInput("Slips and trips", "Volunteers", 3, 2, "Sturdy footwear; no work in the dark "
                "or on steep banks", 2, 2),
]  # fmt: skip
CAFE_HAZARDS = [
    HazardInput("Scalds from hot drinks and the urn", "Volunteers and visitors", 3, 3,
                "Urn behind the counter; lids on takeaway cups; staff on site", 1, 3),
    HazardInput("Food allergies", "Visitors", 2, 4, "Allergen labels; food hygiene trained "
                "volunteers only; no home-made food", 1, 4),
]  # fmt: skip
DISCLAIMER_TEXT = (
    "I have been shown how to use the equipment in the toolkit safely and will pass that "
    "training on to anyone in my group who uses it.\n\n"
    "I will use the kit only for the jobs it is meant for, wear the gloves, goggles and "
    "hi-vis provided, and never touch needles, hazardous waste or fly-tips: I will report "
    "them to the council.\n\n"
    "I will return the kit by the due date and report any damage or loss."
)
CAFE_VOLUNTEERS = [
    # name, induction covered (pack, emergency, boundaries), days since food hygiene
    # training (it lasts 36 months: Kevin's lapses within the month), year of birth
    ("Margaret Atherton", (True, True, True), 200, 1954),
    ("Kevin O'Neill", (True, True, True), 1080, 1991),
    ("Shabana Akhtar", (True, False, False), None, 1988),
    ("Tom Birchall", (False, False, False), None, None),
]


def _key(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _photo(colour: str, label: str):
    image = Image.new("RGB", (480, 320), colour)
    ImageDraw.Draw(image).text((20, 20), label, fill="white")
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return photo_process(SimpleUploadedFile("demo.jpg", out.getvalue(), "image/jpeg"))


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def catalogue_build() -> tuple[dict[str, TrainingCourse], dict[str, VolunteerTask]]:
    courses = {}
    for name, months, description in COURSES:
        courses[name], _ = TrainingCourse.objects.get_or_create(
            name=name, defaults={"valid_for_months": months, "description": description}
        )
    tasks = {}
    for n, (name, description, hazards, minimum_age, training) in enumerate(ALLOWED):
        task = VolunteerTask.objects.filter(name=name).first() or services.volunteer_task_create(
            actor=None,
            data={
                "name": name,
                "description": description,
                "hazards": hazards,
                "minimum_age": minimum_age,
                "display_order": n,
            },
            required_training=[courses[c] for c in training],
        )
        tasks[name] = task
    for n, (name, instead, category) in enumerate(PROHIBITED):
        task = VolunteerTask.objects.filter(name=name).first() or services.volunteer_task_create(
            actor=None,
            data={
                "name": name,
                "is_prohibited": True,
                "instead": instead,
                "report_category": IssueCategory.objects.filter(slug=category).first(),
                "minimum_age": 18,
                "display_order": n,
            },
        )
        tasks[name] = task
    return courses, tasks


def _assessment(*, task, area, author, approver, state, hazards, site="", review_in=180):
    """An assessment of the task for the area in the state named, made once."""
    existing = RiskAssessment.objects.filter(task=task, area=area, site=site).first()
    if existing is not None:
        return existing
    assessment = services.risk_assessment_create(
        actor=author,
        task=task,
        area=area,
        site=site,
        emergency_arrangements=EMERGENCY,
        insurance=INSURANCE,
        hazards=hazards,
    )
    if state == "draft":
        return assessment
    assessment = services.risk_assessment_submit(assessment=assessment, actor=author)
    if state == "submitted":
        return assessment
    if state == "withdrawn":
        return services.risk_assessment_withdraw(
            assessment=assessment, actor=author, reason="The planters were removed by highways"
        )
    today = timezone.localdate()
    assessment = services.risk_assessment_approve(
        assessment=assessment,
        actor=approver,
        review_on=today + timedelta(days=max(review_in, 1)),
        note="Checked on site with the group lead.",
    )
    if review_in <= 0:
        # Approved a year ago and not reviewed since: out of date.
        RiskAssessment.objects.filter(pk=assessment.pk).update(
            review_on=today + timedelta(days=review_in),
            approved_at=timezone.now() - timedelta(days=365),
        )
        assessment.refresh_from_db()
    return assessment


def _volunteer(participant: Participant, *, officer, covered, trained_in=(), born=None):
    if Volunteer.objects.filter(participant=participant, inducted_on__isnull=False).exists():
        return
    today = timezone.localdate()
    if any(covered):
        services.volunteer_induction_record(
            participant=participant,
            actor=officer,
            inducted_on=today - timedelta(days=60),
            pack_acknowledged=covered[0],
            emergency_procedures_covered=covered[1],
            role_boundaries_covered=covered[2],
            pack_version="VIP 2026",
        )
    if born:
        services.volunteer_age_record(
            participant=participant,
            actor=officer,
            basis=Volunteer.AgeBasis.LEGAL_OBLIGATION,
            year_of_birth=born,
        )
    for course, completed in trained_in:
        services.training_record_add(
            participant=participant,
            course=course,
            completed_on=completed,
            trainer="Neighbourhood engagement team",
            actor=officer,
        )


def volunteering_demo_build(context: DemoContext) -> None:
    areas = context.areas
    central, east, river = (
        areas["Northfield Central"],
        areas["Northfield East"],
        areas["Rivermouth and Villages"],
    )
    sam = context.people[f"officer@{EMAIL_DOMAIN}"]
    helen = context.people[f"officer.rivermouth@{EMAIL_DOMAIN}"]
    # A neighbourhood engagement officer for every area: she writes, the others approve.
    tina = person_ensure(
        email=f"tina.guile@{EMAIL_DOMAIN}",
        full_name="Tina Guile",
        roles=(Role.OFFICER,),
        areas=[central, east, river],
    )
    context.people[tina.email] = tina
    courses, tasks = catalogue_build()
    toolkit_course = courses["Safe use of the environmental toolkit"]
    today = timezone.localdate()

    # Risk assessments in every state.
    litter = {
        area.name: _assessment(
            task=tasks["Litter pick"],
            area=area,
            author=tina,
            approver=helen if area == river else sam,
            state="approved",
            hazards=LITTER_HAZARDS,
        )
        for area in (central, east, river)
    }
    _assessment(
        task=tasks["Graffiti removal (non-hazardous kit)"],
        area=central,
        author=tina,
        approver=sam,
        state="approved",
        review_in=12,
        hazards=[
            HazardInput("Solution splashes to the eyes", "Volunteers", 3, 3,
                        "Goggles and gloves; non-hazardous wipes only", 1, 3),
        ],
    )  # fmt: skip
    _assessment(
        task=tasks["Weeding and clearing paths"],
        area=central,
        author=tina,
        approver=sam,
        state="submitted",
        hazards=[HazardInput("Thorns", "Volunteers", 3, 2, "Gloves", 1, 2)],
    )
    _assessment(
        task=tasks["Scraping stickers off lamp posts"],
        area=central,
        author=tina,
        approver=sam,
        state="draft",
        hazards=[HazardInput("Cuts from the scraper", "Volunteers", 2, 2, "Gloves", 1, 2)],
    )
    _assessment(
        task=tasks["Weeding and clearing paths"],
        area=east,
        site="Market Street planters",
        author=tina,
        approver=sam,
        state="withdrawn",
        hazards=[HazardInput("Thorns", "Volunteers", 3, 2, "Gloves", 1, 2)],
    )
    _assessment(
        task=tasks["Community café volunteering"],
        area=areas["Harrow Hill"],
        site="Harrow Hill community centre café",
        author=tina,
        approver=sam,
        state="approved",
        hazards=CAFE_HAZARDS,
    )
    _assessment(
        task=tasks["Mentoring"],
        area=east,
        author=tina,
        approver=sam,
        state="approved",
        review_in=-20,
        hazards=[HazardInput("Lone working with a young person", "The young person and "
                             "the mentor", 2, 4, "Meet in public places; DBS check; "
                             "safeguarding training", 1, 4)],
    )  # fmt: skip
    # Rivermouth's litter pick was revised: revision 1 replaced by revision 2.
    first = litter[river.name]
    if first.status == RiskAssessment.Status.APPROVED and not first.previous_id:
        revision = services.risk_assessment_revise(assessment=first, actor=tina)
        if revision.status == RiskAssessment.Status.DRAFT:
            services.risk_assessment_update(
                assessment=revision,
                actor=tina,
                data={"emergency_arrangements": EMERGENCY + " Defibrillator at the village hall."},
                hazards=LITTER_HAZARDS,
                version=revision.version,
            )
            services.risk_assessment_submit(assessment=revision, actor=tina)
            services.risk_assessment_approve(
                assessment=revision, actor=helen, review_on=today + timedelta(days=300)
            )
    weeding_river = _assessment(
        task=tasks["Weeding and clearing paths"],
        area=areas["Low Moor"],
        author=tina,
        approver=helen,
        state="approved",
        hazards=[HazardInput("Thorns and nettles", "Volunteers", 3, 2, "Gloves", 1, 2)],
    )

    # The toolkit disclaimer.
    disclaimer = Disclaimer.objects.filter(version=1).first() or services.disclaimer_publish(
        actor=None,
        title="Environmental toolkit disclaimer",
        text=DISCLAIMER_TEXT,
        in_force_from=today - timedelta(days=400),
    )

    # Street champions: most active ones inducted and trained, some not.
    champions = list(
        StreetChampion.objects.filter(status=StreetChampion.Status.ACTIVE)
        .select_related("participant", "ward")
        .order_by("ward__gss_code", "pk")
    )
    for n, champion in enumerate(champions):
        person = champion.participant
        trained = n % 3 != 2
        _volunteer(
            person,
            officer=tina,
            covered=(True, n % 4 != 3, n % 4 != 3),
            trained_in=[(toolkit_course, today - timedelta(days=90 + n))] if trained else [],
            born=1950 + (n * 7) % 50,
        )
        if trained and not DisclaimerSignature.objects.filter(participant=person).exists():
            services.disclaimer_sign(
                participant=person,
                disclaimer=disclaimer,
                signed_name=person.full_name,
                method=DisclaimerSignature.Method.PAPER,
                actor=tina,
                signed_on=today - timedelta(days=80),
            )

    # Halton: café volunteers at Harrow Hill, with and without their induction.
    harrow = areas["Harrow Hill"]
    cafe_people = []
    for i, (name, covered, trained_days_ago, born) in enumerate(CAFE_VOLUNTEERS):
        email = f"{name.lower().replace(' ', '.').replace(chr(39), '')}@example.org"
        person = Participant.objects.filter(email=email).first() or ParticipantFactory(
            full_name=name,
            email=email,
            home_ward=harrow,
            preferred_channels=["phone"],
            phone=f"07700 900{900 + i}",  # Ofcom's drama range
        )
        cafe_people.append(person)
        _volunteer(
            person,
            officer=tina,
            covered=covered,
            trained_in=[
                (courses["Food hygiene level 2"], today - timedelta(days=trained_days_ago))
            ]
            if trained_days_ago
            else [],
            born=born,
        )

    # Toolkits: small kits in every area, a large Enviro Day kit, one out of service.
    kits = []
    for n, area in enumerate([central, central, east, east, river, river]):
        code = f"NF-ENV-{n + 1:02d}"
        kit = Toolkit.objects.filter(code=code).first() or services.toolkit_create(
            actor=tina,
            data={
                "code": code,
                "name": "Small group environmental kit",
                "kind": Toolkit.Kind.SMALL_GROUP,
                "home_area": area,
                "required_training": toolkit_course,
                "in_service": n != 5,
                "notes": "Bag hoop handle cracked: awaiting a replacement." if n == 5 else "",
            },
            items=[
                ItemInput(ToolkitItem.Kind.LITTER_PICKER, 6),
                ItemInput(ToolkitItem.Kind.HOOP, 3),
                ItemInput(ToolkitItem.Kind.BROOM, 1, description="Hard bristle"),
                ItemInput(ToolkitItem.Kind.SCRAPER, 2),
                ItemInput(ToolkitItem.Kind.GRAFFITI_WIPES, 40),
                ItemInput(ToolkitItem.Kind.GLOVES, 6, description="Puncture-resistant"),
                ItemInput(ToolkitItem.Kind.GOGGLES, 4),
                ItemInput(ToolkitItem.Kind.HI_VIS, 6),
                ItemInput(ToolkitItem.Kind.SACKS, 50),
            ],
        )
        kits.append(kit)
    if not Toolkit.objects.filter(code="NF-ENVDAY-01").exists():
        services.toolkit_create(
            actor=tina,
            data={
                "code": "NF-ENVDAY-01",
                "name": "Enviro Day kit",
                "kind": Toolkit.Kind.LARGE_EVENT,
                "home_area": central,
                "required_training": toolkit_course,
                "in_service": True,
            },
            items=[
                ItemInput(ToolkitItem.Kind.LITTER_PICKER, 30),
                ItemInput(ToolkitItem.Kind.HOOP, 15),
                ItemInput(ToolkitItem.Kind.HI_VIS, 30),
                ItemInput(ToolkitItem.Kind.GLOVES, 30),
                ItemInput(ToolkitItem.Kind.FIRST_AID, 2),
                ItemInput(ToolkitItem.Kind.SACKS, 200),
            ],
        )

    # Loans to trained champions who signed: one overdue, one returned with damage.
    holders = {
        area.pk: [
            c.participant
            for c in champions
            if c.ward.parent_id == area.pk
            and TrainingRecord.objects.filter(participant=c.participant).exists()
            and Volunteer.objects.filter(
                participant=c.participant,
                pack_acknowledged=True,
                emergency_procedures_covered=True,
                role_boundaries_covered=True,
            ).exists()
        ]
        for area in (central, east, river)
    }
    plan = [
        (kits[0], central, 20, 28, "Abbey Fields Neighbourhood Action Group", None),
        (kits[1], central, 45, 28, "Station Road Residents' Association", None),  # overdue
        (kits[2], east, 10, 56, "Friends of Millbrook Park", None),
        (kits[4], river, 60, 28, "Rivermouth in Bloom", 25),  # returned
    ]
    loans = []
    for kit, area, days_ago, length, group, returned_days_ago in plan:
        loan = ToolkitLoan.objects.filter(toolkit=kit).order_by("-lent_on").first()
        candidates = holders.get(area.pk) or []
        if loan is None and candidates:
            holder = candidates[len(loans) % len(candidates)]
            officer = helen if area == river else sam
            loan = services.toolkit_lend(
                toolkit=kit,
                holder=holder,
                actor=officer,
                lent_on=today - timedelta(days=days_ago),
                due_on=today - timedelta(days=days_ago) + timedelta(days=length),
                group_name=group,
            )
            if returned_days_ago is not None:
                picker = kit.items.get(kind=ToolkitItem.Kind.LITTER_PICKER)
                services.toolkit_return(
                    loan=loan,
                    actor=officer,
                    returned_on=today - timedelta(days=returned_days_ago),
                    conditions={picker.pk: ToolkitItem.Condition.DAMAGED},
                    notes="One picker's jaw bent; sacks all used.",
                )
        if loan is not None:
            loans.append(loan)

    # Activities: a past litter pick with hours, one to come with its roster, a café
    # morning at Harrow Hill, and a Rivermouth weeding session with a near miss.
    def held(title, task, area, days_ago, hours, site, lead=None, toolkit=None):
        """An activity already held (the gate is for scheduling what is to come)."""
        found = VolunteerActivity.objects.filter(title=title).first()
        if found is not None:
            return found, False
        starts = _aware(today - timedelta(days=days_ago), 10)
        return (
            VolunteerActivityFactory(
                title=title,
                task=task,
                area=area,
                site=site,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                lead=lead,
                toolkit=toolkit,
                group_name="Abbey Fields Neighbourhood Action Group" if lead else "",
                created_by=tina,
            ),
            True,
        )

    def schedule(title, task, area, days, hours, site, *, actor, lead=None, toolkit=None):
        found = VolunteerActivity.objects.filter(title=title).first()
        if found is not None:
            return found, False
        starts = _aware(today + timedelta(days=days), 10)
        data = {
            "title": title,
            "task": task,
            "area": area,
            "site": site,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=hours),
            "lead": lead,
            "toolkit": toolkit,
            "group_name": "Abbey Fields Neighbourhood Action Group" if lead else "",
        }
        return services.volunteer_activity_schedule(actor=actor, data=data), True

    central_people = holders.get(central.pk) or []
    lead = central_people[0] if central_people else None
    past, made = held(
        "Abbey Fields spring litter pick",
        tasks["Litter pick"],
        areas["Abbey Fields"],
        12,
        3,
        "Abbey Fields park gates",
        lead=lead,
        toolkit=kits[0],
    )
    if made:
        for person in central_people[:4]:
            services.volunteer_roster_add(
                activity=past,
                participant=person,
                actor=sam,
                role="lead" if person == lead else "volunteer",
            )
        services.volunteer_hours_record(
            activity=past,
            actor=sam,
            marks={e.pk: (i != 3, None) for i, e in enumerate(past.roster.order_by("pk"))},
        )
    if lead is not None:
        upcoming, made = schedule(
            "Town Centre litter pick",
            tasks["Litter pick"],
            areas["Town Centre"],
            9,
            2,
            "Market Square and the bus station",
            actor=sam,
            lead=lead,
            toolkit=kits[0],
        )
        if made:
            for person in central_people[1:3]:
                services.volunteer_roster_add(activity=upcoming, participant=person, actor=sam)
    cafe_morning, made = schedule(
        "Harrow Hill café morning",
        tasks["Community café volunteering"],
        harrow,
        3,
        3,
        "Harrow Hill community centre café",
        actor=sam,
    )
    if made:
        for person in cafe_people[:2]:
            services.volunteer_roster_add(activity=cafe_morning, participant=person, actor=sam)
    weeding, made = held(
        "Low Moor path clearing",
        tasks["Weeding and clearing paths"],
        areas["Low Moor"],
        5,
        2,
        "Footpath from the church to the village green",
    )
    if made and weeding_river.status == RiskAssessment.Status.APPROVED:
        services.incident_report(
            activity=weeding,
            actor=helen,
            kind=Incident.Kind.DANGEROUS_FIND,
            occurred_at=weeding.starts_at + timedelta(minutes=50),
            description="A used needle in the hedge bottom by the stile. No one touched it; "
            "the group marked the place and the council's team removed it the same day.",
            submission_key=_key("incident", "low-moor"),
        )
    if not Incident.objects.filter(submission_key=_key("incident", "abbey-fields")).exists():
        accident = services.incident_report(
            activity=past,
            actor=sam,
            kind=Incident.Kind.ACCIDENT,
            occurred_at=past.starts_at + timedelta(hours=1),
            description="A volunteer slipped on wet grass on the bank by the pond.",
            injury_details="Bruised wrist; first aid given on site.",
            first_aid_given=True,
            submission_key=_key("incident", "abbey-fields"),
        )
        services.incident_close(
            incident=accident,
            actor=sam,
            action_taken="Bank added to the site notes: no picking on the slope when wet.",
        )
        # The accident reopened the litter pick assessment; Sam reviewed it and confirmed it.
        reopened = RiskAssessment.objects.filter(
            reopened_by_incident=accident, status=RiskAssessment.Status.UNDER_REVIEW
        ).first()
        if reopened is not None and reopened.author_id != sam.pk:
            services.risk_assessment_approve(
                assessment=reopened,
                actor=sam,
                review_on=today + timedelta(days=240),
                note="Reviewed after the slip: wet slopes excluded.",
            )

    # Milton Keynes-style activity reports: graffiti keeps coming back on Station Road.
    reports = [
        ("Graffiti removal (non-hazardous kit)", "Station Road", "Underpass by the station", 4,
         0, "Tags on the underpass wall again"),
        ("Graffiti removal (non-hazardous kit)", "Station Road", "Underpass by the station", 25,
         0, "Same tags, wiped off"),
        ("Graffiti removal (non-hazardous kit)", "Station Road", "Bus shelter on Station Road",
         51, 0, "Marker pen on the shelter"),
        ("Litter pick", "Abbey Fields", "Abbey Fields park and the pond", 12, 14,
         "Mostly cans and crisp packets by the benches"),
        ("Litter pick", "Millbrook", "Millbrook Park", 8, 9, "Picnic litter after the weekend"),
        ("Scraping stickers off lamp posts", "Town Centre", "High Street lamp posts", 30, 1,
         "Fly-posted stickers on 14 posts"),
        ("Litter pick", "Rivermouth", "Harbour wall path", 16, 6,
         "Fishing line and bottles; a gas bottle left for the council"),
    ]  # fmt: skip
    reporter_by_area = {loan.toolkit.home_area_id: loan for loan in loans}
    for n, (task_name, ward_name, place, days_ago, bags, notes) in enumerate(reports):
        key = _key("report", n)
        if ActivityReport.objects.filter(submission_key=key).exists():
            continue
        ward = areas[ward_name]
        loan = reporter_by_area.get(ward.parent_id)
        reporter = loan.holder if loan else None
        if reporter is None:
            continue
        services.activity_report_create(
            reporter=reporter,
            draft=services.ActivityReportDraft(
                task=tasks[task_name],
                done_on=today - timedelta(days=days_ago),
                place=place,
                bags_collected=bags,
                volunteers=3 + n % 4,
                hours=None,
                notes=notes,
                left_for_council="A gas bottle by the harbour steps" if "gas" in notes else "",
                loan=loan,
                ward=ward,
            ),
            photos=[_photo(["#2e6b3a", "#5b4a8a", "#8a4a4a"][n % 3], place)] if n < 3 else [],
            submission_key=key,
        )
