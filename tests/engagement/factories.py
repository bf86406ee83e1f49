"""Factories for the engagement app: built through the services wherever one exists."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from communities.models import Postcode
from engagement import services
from engagement.models import (
    ActivityReport,
    ActivityRosterEntry,
    AreaTeam,
    Attendance,
    Disclaimer,
    DisclaimerSignature,
    Event,
    Incident,
    IssueCategory,
    IssueReport,
    Participant,
    ReportState,
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
from engagement.reference_data import report_reference_data_ensure
from engagement.volunteering import services as volunteering
from tests.accounts.factories import OfficerFactory
from tests.communities.factories import WardFactory


class PostcodeFactory(factory.django.DjangoModelFactory):
    """A row of the ONS postcode directory (the communities importer makes real ones)."""

    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = factory.Sequence(lambda n: f"NF{n % 90 + 1} {n % 9 + 1}AB")
    ward = factory.SubFactory(WardFactory)
    latitude = Decimal("54.523600")
    longitude = Decimal("-1.559500")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    postcode = ""
    home_ward = factory.SubFactory(WardFactory)
    preferred_channels = factory.LazyFunction(lambda: ["email"])


class StreetChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreetChampion

    participant = factory.SubFactory(ParticipantFactory)
    ward = factory.LazyAttribute(lambda o: o.participant.home_ward)
    patch = "Elm Road and Ash Grove"
    activities = factory.LazyFunction(lambda: ["report_problems"])
    status = StreetChampion.Status.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)


def category(slug: str = "fly-tipping") -> IssueCategory:
    report_reference_data_ensure()
    return IssueCategory.objects.get(slug=slug)


def state(code: str) -> ReportState:
    report_reference_data_ensure()
    return ReportState.objects.get(code=code)


class AreaTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaTeam
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Street scene team {n}")

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class IssueReportFactory(factory.django.DjangoModelFactory):
    """A report, made through issue_report_create (routing, ledger, notification)."""

    class Meta:
        model = IssueReport

    category_slug = "fly-tipping"
    description = "Six black bags and a mattress dumped by the bins"
    reporter = factory.SubFactory(ParticipantFactory)
    ward = factory.LazyAttribute(lambda o: o.reporter.home_ward)
    latitude = None
    longitude = None
    location_description = "Behind 12 Elm Road"
    postcode = ""
    anonymous = False

    @classmethod
    def _create(cls, model_class, *args, category_slug, **kwargs) -> IssueReport:
        reporter = kwargs.pop("reporter")
        return services.issue_report_create(
            draft=services.ReportDraft(category=category(category_slug), **kwargs),
            reporter=reporter,
            submission_key=uuid.uuid4(),
        )


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Litter pick {n}")
    kind = Event.Kind.LITTER_PICK
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Abbey Fields park gates"
    area = factory.SubFactory(WardFactory)
    capacity = None
    check_in_code = "PARK26"

    class Params:
        # Held yesterday: its register can be taken (a week ahead, it cannot yet).
        held = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
        )


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory)


# Volunteering -------------------------------------------------------------------------


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse
        django_get_or_create = ("name",)

    name = "Safe use of the environmental toolkit"
    valid_for_months = 24


class VolunteerTaskFactory(factory.django.DjangoModelFactory):
    """A task in the catalogue, made through volunteer_task_create."""

    class Meta:
        model = VolunteerTask
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Litter pick {n}")
    description = "Picking litter from verges, paths and parks with a picker and a hoop."
    hazards = "Sharps (needles, broken glass)\nTraffic\nSlips and trips"
    minimum_age = 18
    is_prohibited = False
    instead = ""
    required_training: tuple = ()

    @classmethod
    def _create(cls, model_class, *args, required_training=(), **kwargs) -> VolunteerTask:
        return volunteering.volunteer_task_create(
            actor=None, data=kwargs, required_training=list(required_training)
        )


class ProhibitedTaskFactory(VolunteerTaskFactory):
    name = factory.Sequence(lambda n: f"Clearing a fly-tip with hazardous items {n}")
    description = "Dumped rubbish that may hold asbestos, needles, gas bottles or chemicals."
    is_prohibited = True
    instead = "Do not touch it. Report it: the council's team removes it safely."
    hazards = "Asbestos, needles, chemicals"


class VolunteerFactory(factory.django.DjangoModelFactory):
    """A volunteer record, fully inducted and 18 or over unless told otherwise."""

    class Meta:
        model = Volunteer

    participant = factory.SubFactory("tests.engagement.factories.ParticipantFactory")
    date_of_birth = date(1980, 5, 17)
    age_basis = Volunteer.AgeBasis.LEGAL_OBLIGATION
    inducted_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    pack_acknowledged = True
    emergency_procedures_covered = True
    role_boundaries_covered = True

    @classmethod
    def _create(cls, model_class, *args, participant, **kwargs) -> Volunteer:
        # Recording training or a signature already made the (empty) record.
        volunteer, _ = Volunteer.objects.update_or_create(participant=participant, defaults=kwargs)
        return volunteer


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    """Training done, through training_record_add (which sets when it lapses)."""

    class Meta:
        model = TrainingRecord

    participant = factory.SubFactory("tests.engagement.factories.ParticipantFactory")
    course = factory.SubFactory(TrainingCourseFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    trainer = "Neighbourhood engagement team"

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> TrainingRecord:
        return volunteering.training_record_add(actor=None, **kwargs)


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment in the state asked for, moved there through the services: written
    by one officer for the area, approved by another. "expired" is approved with its
    review date passed; "under_review" was reopened."""

    class Meta:
        model = RiskAssessment

    task = factory.SubFactory(VolunteerTaskFactory)
    area = factory.SubFactory(WardFactory)
    status = RiskAssessment.Status.APPROVED
    author = None
    approver = None
    site = ""
    event = None
    review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=180))

    @classmethod
    def _create(cls, model_class, *args, status, author, approver, review_on, **kwargs):
        author = author or OfficerFactory(areas=[kwargs["area"]])
        assessment = volunteering.risk_assessment_create(
            actor=author,
            emergency_arrangements="First aid kit with the lead; call 999; nearest A&E: "
            "Northfield General.",
            insurance="Council public liability insurance covers volunteers on approved "
            "activities.",
            hazards=[
                volunteering.HazardInput(
                    "Sharps: needles, broken glass",
                    "Volunteers",
                    3,
                    4,
                    "Pickers only, never hands; puncture-resistant gloves; sharps left for the "
                    "council's team",
                    1,
                    4,
                ),
                volunteering.HazardInput(
                    "Traffic", "Volunteers and the public", 2, 5, "Hi-vis; no work on roads", 1, 5
                ),
            ],
            **kwargs,
        )
        if status == RiskAssessment.Status.DRAFT:
            return assessment
        assessment = volunteering.risk_assessment_submit(assessment=assessment, actor=author)
        if status == RiskAssessment.Status.SUBMITTED:
            return assessment
        approver = approver or OfficerFactory(areas=[kwargs["area"]])
        approve_on = (
            review_on
            if review_on > timezone.localdate()
            else timezone.localdate() + timedelta(days=30)
        )
        assessment = volunteering.risk_assessment_approve(
            assessment=assessment, actor=approver, review_on=approve_on
        )
        if status == "expired":
            RiskAssessment.objects.filter(pk=assessment.pk).update(review_on=review_on)
            assessment.refresh_from_db()
        elif status == RiskAssessment.Status.UNDER_REVIEW:
            assessment = volunteering.risk_assessment_reopen(
                assessment=assessment, actor=approver, reason="A near miss with a needle"
            )
        return assessment


class VolunteerActivityFactory(factory.django.DjangoModelFactory):
    """An activity as it stands in the database (the gate is tested on its own)."""

    class Meta:
        model = VolunteerActivity

    title = factory.Sequence(lambda n: f"Abbey Fields litter pick {n}")
    task = factory.SubFactory(VolunteerTaskFactory)
    area = factory.SubFactory(WardFactory)
    site = "Abbey Fields park gates"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class RosterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityRosterEntry

    activity = factory.SubFactory(VolunteerActivityFactory)
    participant = factory.SubFactory("tests.engagement.factories.ParticipantFactory")


class DisclaimerFactory(factory.django.DjangoModelFactory):
    """A version of the disclaimer, published through disclaimer_publish."""

    class Meta:
        model = Disclaimer

    title = "Environmental toolkit disclaimer"
    text = (
        "I will use the equipment only as I was trained, wear the gloves, goggles and hi-vis "
        "provided, never touch sharps, needles or hazardous waste, and report anything "
        "unsafe to the council."
    )
    in_force_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Disclaimer:
        return volunteering.disclaimer_publish(actor=None, **kwargs)


class DisclaimerSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclaimerSignature

    participant = factory.SubFactory("tests.engagement.factories.ParticipantFactory")
    disclaimer = factory.SubFactory(DisclaimerFactory)
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    method = DisclaimerSignature.Method.PAPER

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> DisclaimerSignature:
        return volunteering.disclaimer_sign(
            signed_name=kwargs["participant"].full_name or "A volunteer", **kwargs
        )


class ToolkitFactory(factory.django.DjangoModelFactory):
    """A small group kit with the Milton Keynes contents, made through toolkit_create."""

    class Meta:
        model = Toolkit

    code = factory.Sequence(lambda n: f"NF-ENV-{n:02d}")
    name = "Small group environmental kit"
    kind = Toolkit.Kind.SMALL_GROUP
    home_area = factory.SubFactory(WardFactory)
    required_training = factory.SubFactory(TrainingCourseFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Toolkit:
        officer = OfficerFactory(areas=[kwargs["home_area"]])
        items = [
            volunteering.ItemInput(ToolkitItem.Kind.LITTER_PICKER, 6),
            volunteering.ItemInput(ToolkitItem.Kind.HOOP, 3),
            volunteering.ItemInput(ToolkitItem.Kind.GLOVES, 6, description="Puncture-resistant"),
            volunteering.ItemInput(ToolkitItem.Kind.HI_VIS, 6),
            volunteering.ItemInput(ToolkitItem.Kind.SACKS, 50),
        ]
        return volunteering.toolkit_create(actor=officer, data=kwargs, items=items)


class ToolkitLoanFactory(factory.django.DjangoModelFactory):
    """A kit lent through toolkit_lend to a holder trained and signed up for it."""

    class Meta:
        model = ToolkitLoan

    toolkit = factory.SubFactory(ToolkitFactory)
    holder = factory.SubFactory(
        "tests.engagement.factories.ParticipantFactory",
        home_ward=factory.SelfAttribute("..toolkit.home_area"),
    )
    lent_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    due_on = factory.LazyAttribute(lambda o: o.lent_on + timedelta(days=28))
    group_name = "Abbey Fields Neighbourhood Action Group"

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> ToolkitLoan:
        toolkit, holder = kwargs["toolkit"], kwargs["holder"]
        if not TrainingRecord.objects.filter(
            participant=holder, course=toolkit.required_training
        ).exists():
            TrainingRecordFactory(
                participant=holder,
                course=toolkit.required_training,
                completed_on=kwargs["lent_on"] - timedelta(days=30),
            )
        disclaimer = services_disclaimer() or DisclaimerFactory()
        if not DisclaimerSignature.objects.filter(
            participant=holder, disclaimer=disclaimer
        ).exists():
            DisclaimerSignatureFactory(
                participant=holder, disclaimer=disclaimer, signed_on=kwargs["lent_on"]
            )
        officer = OfficerFactory(areas=[toolkit.home_area])
        due_on = kwargs.pop("due_on")
        loan = volunteering.toolkit_lend(
            actor=officer, due_on=max(due_on, kwargs["lent_on"]), **kwargs
        )
        if due_on != loan.due_on:
            ToolkitLoan.objects.filter(pk=loan.pk).update(due_on=due_on)
            loan.refresh_from_db()
        return loan


def services_disclaimer() -> Disclaimer | None:
    return volunteering.disclaimer_in_force()


class ActivityReportFactory(factory.django.DjangoModelFactory):
    """A group's report of work done, through activity_report_create."""

    class Meta:
        model = ActivityReport

    task = factory.SubFactory(VolunteerTaskFactory)
    reporter = factory.SubFactory("tests.engagement.factories.ParticipantFactory")
    done_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    place = "Path behind the shops on Elm Road"
    bags_collected = 6
    volunteers = 4
    ward = factory.LazyAttribute(lambda o: o.reporter.home_ward)

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> ActivityReport:
        reporter = kwargs.pop("reporter")
        return volunteering.activity_report_create(
            reporter=reporter,
            draft=volunteering.ActivityReportDraft(**kwargs),
            submission_key=uuid.uuid4(),
        )


class IncidentFactory(factory.django.DjangoModelFactory):
    """An incident reported through incident_report (which reopens assessments)."""

    class Meta:
        model = Incident

    activity = factory.SubFactory(VolunteerActivityFactory)
    kind = Incident.Kind.NEAR_MISS
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    description = "A needle was found under leaves by the bench; no one touched it."
    actor = None

    @classmethod
    def _create(cls, model_class, *args, actor, **kwargs) -> Incident:
        actor = actor or OfficerFactory(areas=[kwargs["activity"].area])
        return volunteering.incident_report(actor=actor, **kwargs)
