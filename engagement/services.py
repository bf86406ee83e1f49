"""Every write in the engagement app: participants, equality answers, street champions,
issue reports, events and attendance. Views, forms and jobs only call these.
"""

import logging
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communities import census
from communities.models import Area
from communities.postcodes import postcode_locate, postcode_normalise
from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.accounts.services import user_create
from coproduction.privacy import DataSubject, personal_data
from coproduction.templatetags.govuk_dates import govuk_datetime
from coproduction.versioning import EditConflictError
from governance.audit import audit_record

from .locations import ward_for_point
from .models import (
    AreaTeam,
    Attendance,
    Channel,
    EqualityResponse,
    Event,
    EventFeedback,
    IssueCategory,
    IssuePhoto,
    IssueReport,
    IssueReportUpdate,
    Participant,
    ParticipationLevel,
    ParticipationRecord,
    ReportState,
    StreetChampion,
)
from .participation import participation_record, participation_withdraw
from .photos import ProcessedPhoto

logger = logging.getLogger(__name__)

CONFIRMATION_SALT = "engagement.champion.confirm"
CONFIRMATION_MAX_AGE = timedelta(days=7)
# The years an event's start and end may fall in.
EVENT_YEARS = (1900, 2100)

# The equality-monitoring answers, as EqualityResponse fields (age is a year of birth).
EQUALITY_FIELDS = (
    "sex",
    "gender_identity",
    "sexual_orientation",
    "ethnic_group",
    "disability",
    "religion",
)
PARTICIPANT_EDITABLE = (
    "full_name",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "address_town",
    "postcode",
    "participation_level",
    "preferred_channels",
    "accessibility_needs",
)


class EngagementError(ValueError):
    """A request the rules refuse; the message is fit to show the person."""


def _is_staff_acting_for(actor, participant: Participant) -> bool:
    """Whether the change is made by someone other than the person themselves."""
    return actor is not None and getattr(actor, "pk", None) != participant.user_id


# Participants ------------------------------------------------------------------------


def _location(postcode: str) -> tuple[str, Area | None, Area | None]:
    normalised = postcode_normalise(postcode) or postcode.strip().upper()[:8]
    found = postcode_locate(postcode=normalised) if normalised else None
    if found is None:
        return normalised, None, None
    return found.postcode, found.lsoa, found.ward


def participant_get_or_create_by_email(*, email: str, defaults: dict) -> tuple[Participant, bool]:
    """The participant with this email (any case), created from `defaults` if none.

    Safe against two requests at once: the database's case-insensitive unique
    constraint lets one insert win, and the loser reads the winner's row.
    """
    email = email.strip().lower()
    existing = Participant.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Participant.objects.create(email=email, **defaults), True
    except IntegrityError:
        return Participant.objects.select_for_update().get(email__iexact=email), False


def participant_for_account(*, user, defaults: dict | None = None) -> Participant:
    """The participant profile of a person with an account, made on first use: the one
    linked to the account, else an unlinked one with the account's email (one person, one
    participant), else a new one (`defaults` for its other details; the home ward is the
    account's ward unless given). Safe against two requests at once."""
    existing = Participant.objects.filter(user=user).first()
    if existing is not None:
        return existing
    values = dict(defaults or {})
    values.setdefault("full_name", user.full_name)
    if "home_ward" not in values:
        values["home_ward"] = user.areas.filter(kind=Area.Kind.WARD).order_by("pk").first()
    email = (user.email or "").strip().lower()
    try:
        with transaction.atomic():
            same_email = (
                Participant.objects.select_for_update().filter(email__iexact=email).first()
                if email
                else None
            )
            if same_email is not None and same_email.user_id is None:
                same_email.user = user
                same_email.save(update_fields=["user", "updated_at"])
                return same_email
            if same_email is None and email:
                values.setdefault("email", email)
            return Participant.objects.create(user=user, **values)
    except IntegrityError:
        # Another request made the profile a moment ago.
        return Participant.objects.get(user=user)


def participant_get_or_create_by_reference(
    *, reference: str, defaults: dict | None = None
) -> tuple[Participant, bool]:
    """The person a paper form's or spreadsheet's reference stands for (a paper ballot,
    an evaluation sheet), made on first sight from `defaults`. Safe against two requests
    at once: the reference is unique."""
    reference = reference.strip()
    if not reference:
        raise EngagementError("Enter the reference printed on the form.")
    if len(reference) > Participant._meta.get_field("reference").max_length:
        raise EngagementError("A reference has at most 60 characters.")
    existing = Participant.objects.filter(reference=reference).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Participant.objects.create(reference=reference, **(defaults or {})), True
    except IntegrityError:
        return Participant.objects.get(reference=reference), False


@transaction.atomic
def participant_update(
    *, participant: Participant, actor, data: dict, version: int | None = None
) -> Participant:
    """Change a person's details; an officer's change is audited (field names only)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if version is not None and participant.version != version:
        raise EditConflictError("The record was changed by someone else.", code="edit_conflict")
    changed = []
    for name in PARTICIPANT_EDITABLE:
        if name not in data:
            continue
        value = data[name]
        if name == "email":
            value = (value or "").strip().lower()
            if value and (
                Participant.objects.filter(email__iexact=value).exclude(pk=participant.pk).exists()
            ):
                raise EngagementError("Another person already uses that email address.")
        if name == "postcode":
            value, lsoa, ward = _location(value or "")
            if (participant.home_lsoa_id, participant.home_ward_id) != (
                getattr(lsoa, "pk", None),
                getattr(ward, "pk", None),
            ):
                participant.home_lsoa, participant.home_ward = lsoa, ward
                changed += ["home_lsoa", "home_ward"]
        if getattr(participant, name) != value:
            setattr(participant, name, value)
            changed.append(name)
    if not changed:
        return participant
    if "email" in changed:
        participant.email_confirmed_at = None
        changed.append("email_confirmed_at")
    participant.version = F("version") + 1
    participant.save()
    participant.refresh_from_db()
    if participant.user_id and "email" in changed and participant.email:
        User.objects.filter(pk=participant.user_id).update(email=participant.email)
    if participant.user_id and "full_name" in changed:
        User.objects.filter(pk=participant.user_id).update(full_name=participant.full_name)
    if _is_staff_acting_for(actor, participant):
        audit_record(
            actor=actor, action="engagement.participant.update", obj=participant, fields=changed
        )
    return participant


def participant_export(*, participant: Participant, actor) -> dict[str, list[dict]]:
    """Everything held about the person (subject access); an officer's read is audited,
    and so is their read of the person's equality answers."""
    with transaction.atomic():
        data = personal_data.export(DataSubject.for_participant(participant))
        if _is_staff_acting_for(actor, participant):
            audit_record(actor=actor, action="engagement.participant.export", obj=participant)
            if data.get("engagement.equalityresponse"):
                audit_record(
                    actor=actor,
                    action="engagement.equality.read",
                    object_type="engagement.equalityresponse",
                    object_id=str(participant.pseudonym),
                    fields=[*EQUALITY_FIELDS, "year_of_birth"],
                )
    return data


@transaction.atomic
def participant_erase(*, participant: Participant, actor) -> list[str]:
    """Erase or anonymise every trace of the person (right to erasure)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.erased_at is not None:
        return []
    labels = personal_data.erase(DataSubject.for_participant(participant))
    audit_record(
        actor=actor if _is_staff_acting_for(actor, participant) else None,
        action="engagement.participant.erase",
        obj=participant,
        fields=labels,
    )
    return labels


# Equality monitoring ----------------------------------------------------------------


@dataclass(frozen=True)
class EqualityAnswers:
    year_of_birth: int | None = None
    age_prefer_not_to_say: bool = False
    sex: str = ""
    gender_identity: str = ""
    sexual_orientation: str = ""
    ethnic_group: str = ""
    disability: str = ""
    religion: str = ""

    @property
    def is_blank(self) -> bool:
        return (
            self.year_of_birth is None
            and not self.age_prefer_not_to_say
            and not any(getattr(self, name) for name in EQUALITY_FIELDS)
        )

    def errors(self) -> list[str]:
        problems = []
        for name in EQUALITY_FIELDS:
            if not census.is_valid_answer(name, getattr(self, name)):
                problems.append(f"{census.dimension(name).label}: not an answer on the form")
        this_year = timezone.localdate().year
        if self.year_of_birth is not None and not (1900 <= self.year_of_birth <= this_year):
            problems.append(f"Year of birth must be between 1900 and {this_year}")
        return problems


@transaction.atomic
def equality_response_record(
    *,
    participant: Participant,
    answers: EqualityAnswers,
    lawful_basis: str = EqualityResponse.LawfulBasis.EXPLICIT_CONSENT,
    source: str = EqualityResponse.Source.ONLINE,
    actor=None,
) -> EqualityResponse | None:
    """Store a person's answers as their current response, keeping the earlier one as
    history. All blank records nothing: every question is optional."""
    problems = answers.errors()
    if problems:
        raise EngagementError("; ".join(problems))
    if answers.is_blank:
        return None
    now = timezone.now()
    EqualityResponse.objects.filter(
        pseudonym=participant.pseudonym, superseded_at__isnull=True
    ).update(superseded_at=now)
    response = EqualityResponse.objects.create(
        pseudonym=participant.pseudonym,
        recorded_at=now,
        lawful_basis=lawful_basis,
        source=source,
        year_of_birth=answers.year_of_birth,
        age_prefer_not_to_say=answers.age_prefer_not_to_say,
        **{name: getattr(answers, name) for name in EQUALITY_FIELDS},
    )
    if _is_staff_acting_for(actor, participant):
        audit_record(
            actor=actor,
            action="engagement.equality.update",
            object_type="engagement.equalityresponse",
            object_id=str(participant.pseudonym),
            fields=[*EQUALITY_FIELDS, "year_of_birth"],
        )
    return response


@transaction.atomic
def equality_response_withdraw(*, participant: Participant, actor=None) -> int:
    """Withdraw consent: every answer the person ever gave is erased."""
    deleted, _ = EqualityResponse.objects.filter(pseudonym=participant.pseudonym).delete()
    if deleted and _is_staff_acting_for(actor, participant):
        audit_record(
            actor=actor,
            action="engagement.equality.withdraw",
            object_type="engagement.equalityresponse",
            object_id=str(participant.pseudonym),
        )
    return deleted


def equality_response_current_for_person(*, participant: Participant) -> EqualityResponse | None:
    """The person's own current answers, for their own page only (never for staff)."""
    return EqualityResponse.objects.filter(
        pseudonym=participant.pseudonym, superseded_at__isnull=True
    ).first()


# Street champions -------------------------------------------------------------------


@dataclass(frozen=True)
class ChampionSignup:
    full_name: str
    email: str
    phone: str
    postcode: str
    patch: str
    activities: Sequence[str]
    participation_level: str = ParticipationLevel.INVOLVED
    preferred_channels: Sequence[str] = (Channel.EMAIL,)
    accessibility_needs: str = ""
    wants_newsletter: bool = True
    ward: Area | None = None
    address_line_1: str = ""
    address_line_2: str = ""
    address_town: str = ""
    equality: EqualityAnswers = field(default_factory=EqualityAnswers)
    equality_consent: bool = False


def champion_confirmation_token(*, champion: StreetChampion) -> str:
    return signing.dumps(
        {"c": champion.pk, "e": champion.participant.email.lower()}, salt=CONFIRMATION_SALT
    )


@transaction.atomic
def champion_signup(*, signup: ChampionSignup, signup_key: uuid.UUID) -> StreetChampion:
    """Sign someone up as a street champion, or merge into their earlier sign-up.

    Matching is by email: the same person signing up twice (or two tabs submitting at
    once) ends with one participant and one champion. A repeated submission of the same
    form (same key) changes nothing and sends nothing.
    """
    from .tasks import champion_confirmation_send_task

    if not signup.activities:
        raise EngagementError("Choose at least one thing you would like to do.")
    postcode, lsoa, ward = _location(signup.postcode)
    ward = ward or signup.ward
    participant, created = participant_get_or_create_by_email(
        email=signup.email,
        defaults={
            "full_name": signup.full_name,
            "phone": signup.phone,
            "address_line_1": signup.address_line_1,
            "address_line_2": signup.address_line_2,
            "address_town": signup.address_town,
            "postcode": postcode,
            "home_lsoa": lsoa,
            "home_ward": ward,
            "participation_level": signup.participation_level,
            "preferred_channels": list(signup.preferred_channels),
            "accessibility_needs": signup.accessibility_needs,
        },
    )
    champion = StreetChampion.objects.select_for_update().filter(participant=participant).first()
    if champion is not None and champion.signup_key == signup_key:
        return champion
    if not created:
        # The latest details win; nothing the person gave before is lost.
        participant.full_name = signup.full_name or participant.full_name
        participant.phone = signup.phone or participant.phone
        if signup.address_line_1:
            participant.address_line_1 = signup.address_line_1
            participant.address_line_2 = signup.address_line_2
            participant.address_town = signup.address_town
        if postcode:
            participant.postcode, participant.home_lsoa = postcode, lsoa
            participant.home_ward = ward or participant.home_ward
        participant.participation_level = signup.participation_level
        participant.preferred_channels = list(signup.preferred_channels)
        participant.accessibility_needs = (
            signup.accessibility_needs or participant.accessibility_needs
        )
        participant.version = F("version") + 1
        participant.save()
        participant.refresh_from_db()
    if champion is None:
        try:
            with transaction.atomic():
                champion = StreetChampion.objects.create(
                    participant=participant,
                    ward=ward,
                    patch=signup.patch,
                    activities=list(dict.fromkeys(signup.activities)),
                    wants_newsletter=signup.wants_newsletter,
                    signup_key=signup_key,
                )
        except IntegrityError:
            champion = StreetChampion.objects.select_for_update().get(participant=participant)
    if champion.signup_key != signup_key:
        patches = [p for p in (champion.patch, signup.patch) if p]
        champion.patch = "\n".join(dict.fromkeys(patches))
        champion.activities = list(dict.fromkeys([*champion.activities, *signup.activities]))
        champion.ward = ward or champion.ward
        champion.wants_newsletter = signup.wants_newsletter
        champion.signup_key = signup_key
        if champion.status == StreetChampion.Status.ENDED:
            champion.status = (
                StreetChampion.Status.AWAITING_APPROVAL
                if participant.email_confirmed_at
                else StreetChampion.Status.UNCONFIRMED
            )
            champion.status_changed_at = timezone.now()
        champion.save()
    if signup.equality_consent and not signup.equality.is_blank:
        equality_response_record(participant=participant, answers=signup.equality)
    if champion.status == StreetChampion.Status.UNCONFIRMED:
        champion_id = champion.pk
        champion_confirmation_send_task.delay_on_commit(champion_id)
    return champion


@dataclass(frozen=True)
class Confirmation:
    champion: StreetChampion
    user: User
    needs_password: bool


@transaction.atomic
def champion_confirm(*, token: str) -> Confirmation:
    """Confirm a champion's email from the emailed link; gives them a resident account."""
    try:
        payload = signing.loads(
            token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired:
        raise EngagementError(
            "This link has expired. Sign up again with the same email address to get a new one."
        ) from None
    except signing.BadSignature:
        raise EngagementError("This link is not valid. Check it was copied in full.") from None
    champion = (
        StreetChampion.objects.select_for_update()
        .select_related("participant")
        .filter(pk=payload.get("c"))
        .first()
    )
    if champion is None or champion.participant.email.lower() != payload.get("e"):
        raise EngagementError("This link is not valid any more.")
    participant = champion.participant
    now = timezone.now()
    if participant.email_confirmed_at is None:
        participant.email_confirmed_at = now
        participant.save(update_fields=["email_confirmed_at", "updated_at"])
    if champion.status == StreetChampion.Status.UNCONFIRMED:
        champion.status = StreetChampion.Status.AWAITING_APPROVAL
        champion.confirmed_at = now
        champion.status_changed_at = now
        champion.save(update_fields=["status", "confirmed_at", "status_changed_at", "updated_at"])
    user = participant_account_ensure(participant=participant)
    return Confirmation(
        champion=champion, user=user, needs_password=not user.has_usable_password()
    )


def participant_account_ensure(*, participant: Participant) -> User:
    """The resident's own account, created (without a password yet) on first need."""
    if participant.user_id:
        return participant.user
    user = User.objects.filter(email__iexact=participant.email).first()
    if user is None:
        user = user_create(
            email=participant.email,
            full_name=participant.full_name or participant.email,
            password=None,
            roles=[Role.RESIDENT],
            areas=[participant.home_ward] if participant.home_ward else [],
        )
    elif not user.has_role(Role.RESIDENT):
        from coproduction.accounts.services import user_roles_set

        user_roles_set(user=user, roles=[*user.roles, Role.RESIDENT])
    participant.user = user
    participant.save(update_fields=["user", "updated_at"])
    return user


_CHAMPION_MOVES = {
    "approve": ({StreetChampion.Status.AWAITING_APPROVAL}, StreetChampion.Status.ACTIVE),
    "pause": ({StreetChampion.Status.ACTIVE}, StreetChampion.Status.PAUSED),
    "resume": ({StreetChampion.Status.PAUSED}, StreetChampion.Status.ACTIVE),
    "end": (
        {
            StreetChampion.Status.UNCONFIRMED,
            StreetChampion.Status.AWAITING_APPROVAL,
            StreetChampion.Status.ACTIVE,
            StreetChampion.Status.PAUSED,
        },
        StreetChampion.Status.ENDED,
    ),
}


@transaction.atomic
def champion_status_change(
    *, champion: StreetChampion, action: str, actor, reason: str = ""
) -> StreetChampion:
    """Approve, pause, resume or end a champion. Doing it twice changes nothing."""
    allowed_from, target = _CHAMPION_MOVES[action]
    champion = StreetChampion.objects.select_for_update().get(pk=champion.pk)
    if champion.status == target:
        return champion
    if champion.status not in allowed_from:
        raise EngagementError(
            f"A champion who is “{champion.get_status_display().lower()}” cannot be "
            f"{'approved' if action == 'approve' else action + 'd'}."
        )
    now = timezone.now()
    champion.status = target
    champion.status_changed_at = now
    champion.status_reason = reason[:255]
    fields = ["status", "status_changed_at", "status_reason"]
    if action == "approve":
        champion.approved_at, champion.approved_by = now, actor
        fields += ["approved_at", "approved_by"]
    champion.version = F("version") + 1
    champion.save()
    champion.refresh_from_db()
    audit_record(actor=actor, action=f"engagement.champion.{action}", obj=champion, fields=fields)
    return champion


@transaction.atomic
def champion_induction_record(
    *,
    champion: StreetChampion,
    actor,
    inducted_on: date,
    kit_issued: str = "",
    pack_acknowledged: bool = True,
    emergency_procedures_covered: bool = False,
    role_boundaries_covered: bool = False,
) -> StreetChampion:
    """Record the volunteer involvement pack induction, and any kit handed over.

    The induction is the champion's volunteer induction (engagement.volunteering): one
    record, which the volunteering gate reads, with what it covered.
    """
    from .volunteering.services import volunteer_induction_record

    champion = (
        StreetChampion.objects.select_for_update()
        .select_related("participant")
        .get(pk=champion.pk)
    )
    if champion.status in (StreetChampion.Status.UNCONFIRMED, StreetChampion.Status.ENDED):
        raise EngagementError("Only a confirmed champion can be inducted.")
    if inducted_on > timezone.localdate():
        raise EngagementError("The induction date cannot be in the future.")
    champion.inducted_on, champion.inducted_by = inducted_on, actor
    fields = ["inducted_on", "inducted_by"]
    if kit_issued:
        champion.kit_issued, champion.kit_issued_on = kit_issued, inducted_on
        fields += ["kit_issued", "kit_issued_on"]
    champion.version = F("version") + 1
    champion.save()
    champion.refresh_from_db()
    occurred = timezone.make_aware(datetime.combine(inducted_on, datetime.min.time()))
    participation_record(
        participant=champion.participant,
        kind=ParticipationRecord.Kind.CHAMPION_ACTIVITY,
        occurred_at=occurred,
        action=champion,
        area=champion.ward,
        channel=Channel.IN_PERSON,
    )
    audit_record(actor=actor, action="engagement.champion.induct", obj=champion, fields=fields)
    volunteer_induction_record(
        participant=champion.participant,
        actor=actor,
        inducted_on=inducted_on,
        pack_acknowledged=pack_acknowledged,
        emergency_procedures_covered=emergency_procedures_covered,
        role_boundaries_covered=role_boundaries_covered,
    )
    return champion


@transaction.atomic
def champion_invitations_send(*, event: Event, actor) -> list[StreetChampion]:
    """Invite every active champion in the event's area to it (a get-together): those with
    an email address are emailed; the champions are returned, so the officer can be told
    whom to invite another way."""
    from .selectors import champion_list_for_event_invitation
    from .tasks import champion_invitation_send_task

    champions = list(
        champion_list_for_event_invitation(event=event)
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    )
    ids = [champion.pk for champion in champions]
    if ids:
        event_id = event.pk
        champion_invitation_send_task.delay_on_commit(event_id, ids)
    audit_record(actor=actor, action="engagement.champion.invite", obj=event, object_ids=ids)
    return champions


# Issue reports -----------------------------------------------------------------------


def report_route(*, category: IssueCategory, ward: Area | None) -> AreaTeam | None:
    """The team for a category in a ward: the most specific match (see AreaTeam)."""
    if ward is None:
        return None
    chain = list(Area.objects.filter(pk=ward.pk).with_ancestors().values_list("pk", "kind"))
    depth = {Area.Kind.WARD: 0, Area.Kind.AREA: 1, Area.Kind.COUNCIL: 2, Area.Kind.LSOA: 0}
    area_depth = {pk: depth.get(kind, 3) for pk, kind in chain}
    teams = (
        AreaTeam.objects.filter(areas__in=area_depth.keys())
        .prefetch_related("categories")
        .distinct()
    )
    best, best_key = None, None
    for team in teams:
        categories = {c.pk for c in team.categories.all()}
        if categories and category.pk not in categories:
            continue
        nearest = min(area_depth[a.pk] for a in team.areas.all() if a.pk in area_depth)
        key = (0 if categories else 1, nearest, team.name)
        if best_key is None or key < best_key:
            best, best_key = team, key
    return best


def _initial_state() -> ReportState:
    return ReportState.objects.get(is_initial=True)


@dataclass(frozen=True)
class ReportDraft:
    category: IssueCategory
    description: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    postcode: str = ""
    location_description: str = ""
    ward: Area | None = None
    anonymous: bool = False


@transaction.atomic
def issue_report_create(
    *,
    draft: ReportDraft,
    reporter: Participant,
    photos: Sequence[ProcessedPhoto] = (),
    submission_key: uuid.UUID | None = None,
    channel: str = Channel.ONLINE,
) -> IssueReport:
    """File a report, routed to its area team; a champion's goes to the top of the queue.

    A repeated submission (same key) returns the report the first one made.
    """
    from .tasks import report_received_send_task

    if submission_key is not None:
        existing = IssueReport.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if len(photos) > 3:
        raise EngagementError("Add up to 3 photos.")
    latitude, longitude = draft.latitude, draft.longitude
    if latitude is None:
        located = next((p for p in photos if p.latitude is not None), None)
        if located is not None:
            latitude, longitude = located.latitude, located.longitude
    postcode, _lsoa, ward = _location(draft.postcode) if draft.postcode else ("", None, None)
    if ward is None and latitude is not None:
        ward = ward_for_point(latitude=float(latitude), longitude=float(longitude))
    ward = ward or draft.ward
    if ward is None:
        raise EngagementError(
            "Say where the problem is: a postcode, a point on the map or the area."
        )
    if not (draft.location_description or postcode or latitude is not None):
        raise EngagementError(
            "Say where the problem is: a postcode, a point on the map or a description."
        )
    champion = getattr(reporter, "street_champion", None) if reporter.pk else None
    by_champion = bool(champion and champion.status == StreetChampion.Status.ACTIVE)
    now = timezone.now()
    try:
        with transaction.atomic():
            report = IssueReport.objects.create(
                category=draft.category,
                state=_initial_state(),
                description=draft.description.strip(),
                latitude=latitude,
                longitude=longitude,
                postcode=postcode,
                location_description=draft.location_description.strip(),
                ward=ward,
                team=report_route(category=draft.category, ward=ward),
                reporter=reporter,
                by_champion=by_champion,
                anonymous=draft.anonymous,
                priority=IssueReport.Priority.CHAMPION
                if by_champion
                else IssueReport.Priority.NORMAL,
                due_at=now + timedelta(days=draft.category.target_days),
                submission_key=submission_key,
                created_at=now,
            )
    except IntegrityError:
        if submission_key is None:
            raise
        return IssueReport.objects.get(submission_key=submission_key)
    for photo in photos:
        row = IssuePhoto(
            report=report,
            width=photo.width,
            height=photo.height,
            exif_latitude=photo.latitude,
            exif_longitude=photo.longitude,
        )
        row.image.save("photo.jpg", photo.content, save=False)
        row.save()
    IssueReportUpdate.objects.create(report=report, to_state=report.state, created_at=now)
    participation_record(
        participant=reporter,
        kind=(
            ParticipationRecord.Kind.CHAMPION_ACTIVITY
            if by_champion
            else ParticipationRecord.Kind.ISSUE_REPORT
        ),
        occurred_at=now,
        action=report,
        area=ward,
        channel=channel,
    )
    report_id = report.pk
    report_received_send_task.delay_on_commit(report_id)
    return report


OPEN311_OUTSIDE = (
    "This location is outside the council's area (or too far from any known postcode): "
    "check lat and long."
)


@transaction.atomic
def issue_report_open311_create(
    *,
    category: IssueCategory,
    latitude: Decimal,
    longitude: Decimal,
    description: str,
    address: str,
    email: str,
    full_name: str,
    api_client: str,
) -> IssueReport:
    """File a report posted through Open311 (FixMyStreet) as the site files a visitor's:
    the same reporter record (by email), rules, routing and notification; audited with
    the client that posted it.

    A point that gives no ward lies outside the council: refused (EngagementError).
    """
    ward = ward_for_point(latitude=float(latitude), longitude=float(longitude))
    if ward is None:
        raise EngagementError(OPEN311_OUTSIDE)
    reporter, _created = participant_get_or_create_by_email(
        email=email, defaults={"full_name": full_name.strip()}
    )
    report = issue_report_create(
        draft=ReportDraft(
            category=category,
            description=description,
            latitude=latitude,
            longitude=longitude,
            location_description=address,
            ward=ward,
        ),
        reporter=reporter,
    )
    audit_record(
        actor=None,
        action="engagement.issue_report.open311_create",
        obj=report,
        api_client=api_client,
    )
    return report


def _apply_transition(
    report: IssueReport, to_state: ReportState, actor, note: str, now: datetime
) -> IssueReportUpdate | None:
    if report.state_id == to_state.pk and not note:
        return None
    update = IssueReportUpdate.objects.create(
        report=report,
        from_state=report.state,
        to_state=to_state,
        note=note,
        actor=actor,
        created_at=now,
    )
    fields = ["state", "version", "updated_at"]
    if report.responded_at is None and (to_state.pk != report.state_id or note):
        report.responded_at = now
        report.response_seconds = max(0, int((now - report.created_at).total_seconds()))
        fields += ["responded_at", "response_seconds"]
    if to_state.is_fixed and report.fixed_at is None:
        report.fixed_at = now
        report.resolution_seconds = max(0, int((now - report.created_at).total_seconds()))
        fields += ["fixed_at", "resolution_seconds"]
    if not to_state.is_fixed and to_state.is_open and report.fixed_at is not None:
        # Reopened: it is not fixed any more.
        report.fixed_at, report.resolution_seconds = None, None
        fields += ["fixed_at", "resolution_seconds"]
    report.state = to_state
    report.version += 1
    report.save(update_fields=fields)
    return update


@transaction.atomic
def issue_report_transition(
    *,
    report: IssueReport,
    to_state: ReportState,
    actor,
    note: str = "",
    version: int | None = None,
) -> IssueReport:
    """Move a report to a state (with a note the reporter is sent)."""
    from .tasks import report_update_send_task

    report = IssueReport.objects.select_for_update().select_related("state").get(pk=report.pk)
    if version is not None and report.version != version:
        raise EditConflictError("The record was changed by someone else.", code="edit_conflict")
    if to_state.is_duplicate:
        raise EngagementError("Use “merge into another report” to mark a duplicate.")
    update = _apply_transition(report, to_state, actor, note.strip(), timezone.now())
    if update is not None:
        audit_record(
            actor=actor, action="engagement.report.transition", obj=report, fields=["state"]
        )
        update_id = update.pk
        report_update_send_task.delay_on_commit(update_id)
    return report


@transaction.atomic
def issue_report_bulk_update(
    *,
    reports: Iterable[IssueReport],
    actor,
    to_state: ReportState | None = None,
    team: AreaTeam | None = None,
    note: str = "",
) -> int:
    """Change the state or team of many reports at once (the queue's bulk actions)."""
    from .tasks import report_update_send_task

    if to_state is None and team is None:
        raise EngagementError("Choose a new state or a team.")
    if to_state is not None and to_state.is_duplicate:
        raise EngagementError("Use “merge into another report” to mark a duplicate.")
    ids = [r.pk for r in reports]
    locked = list(
        IssueReport.objects.select_for_update().select_related("state").filter(pk__in=ids)
    )
    now = timezone.now()
    update_ids = []
    for report in locked:
        if team is not None and report.team_id != team.pk:
            report.team = team
            report.save(update_fields=["team", "updated_at"])
        if to_state is not None:
            update = _apply_transition(report, to_state, actor, note.strip(), now)
            if update is not None:
                update_ids.append(update.pk)
    fields = (["state"] if to_state else []) + (["team"] if team else [])
    audit_record(
        actor=actor,
        action="engagement.report.bulk_update",
        object_type="engagement.issuereport",
        object_ids=[r.pk for r in locked],
        fields=fields,
    )
    for update_id in update_ids:
        report_update_send_task.delay_on_commit(update_id)
    return len(locked)


@transaction.atomic
def issue_report_merge(*, report: IssueReport, into: IssueReport, actor) -> IssueReport:
    """Mark a report as a duplicate of another; its reporter is told to follow that one."""
    from .tasks import report_update_send_task

    if report.pk == into.pk:
        raise EngagementError("A report cannot be a duplicate of itself.")
    locked = {
        r.pk: r
        for r in IssueReport.objects.select_for_update()
        .select_related("state")
        .filter(pk__in=[report.pk, into.pk])
    }
    report, into = locked[report.pk], locked[into.pk]
    if into.duplicate_of_id is not None:
        raise EngagementError(
            f"{into.reference} is itself a duplicate: merge into {into.duplicate_of.reference}."
        )
    if report.duplicate_of_id == into.pk:
        return report
    duplicate_state = ReportState.objects.get(is_duplicate=True)
    report.duplicate_of = into
    report.save(update_fields=["duplicate_of", "updated_at"])
    IssueReport.objects.filter(duplicate_of=report).update(duplicate_of=into)
    update = _apply_transition(
        report,
        duplicate_state,
        actor,
        f"This problem was reported already as {into.reference}: follow that report for progress.",
        timezone.now(),
    )
    audit_record(
        actor=actor, action="engagement.report.merge", obj=report, fields=["duplicate_of", "state"]
    )
    if update is not None:
        update_id = update.pk
        report_update_send_task.delay_on_commit(update_id)
    return report


# Events and attendance --------------------------------------------------------------


EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "area",
    "series",
    "project",
    "capacity",
    "registration_open",
)


def _check_in_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


def _event_times_check(event: Event) -> None:
    # Pages open check-in an hour before and close it two hours after: a time at the ends
    # of the calendar would leave them no hour to add.
    if not all(
        EVENT_YEARS[0] <= moment.year <= EVENT_YEARS[1]
        for moment in (event.starts_at, event.ends_at)
    ):
        raise EngagementError(
            f"An event's start and end must fall between {EVENT_YEARS[0]} and {EVENT_YEARS[1]}."
        )
    if event.ends_at < event.starts_at:
        raise EngagementError("The event must end after it starts.")


@transaction.atomic
def event_create(*, actor, data: dict) -> Event:
    event = Event(created_by=actor, check_in_code=_check_in_code())
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    _event_times_check(event)
    event.save()
    audit_record(actor=actor, action="engagement.event.create", obj=event)
    return event


@transaction.atomic
def event_update(*, event: Event, actor, data: dict) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    happened = event.status == Event.Status.SCHEDULED and event.has_started
    started_on = event.starts_at
    changed = []
    for name in EVENT_FIELDS:
        if name in data and getattr(event, name) != data[name]:
            setattr(event, name, data[name])
            changed.append(name)
    _event_times_check(event)
    if happened and not event.has_started:
        # Its start may be corrected, but what has happened cannot be moved to come (and
        # so be cancelled, or its places given up): another date is another event.
        when = govuk_datetime(timezone.localtime(started_on), "l j F Y")
        raise EngagementError(
            f"This event started on {when}: its start can be corrected but not moved to a "
            "time still to come. To hold it again, add a new event."
        )
    if event.capacity is not None:
        taken = event.attendances.exclude(status=Attendance.Status.CANCELLED).count()
        if taken > event.capacity:
            raise EngagementError(
                f"{taken} people are already registered: the capacity cannot be less than that."
            )
    if changed:
        event.save()
        audit_record(actor=actor, action="engagement.event.update", obj=event, fields=changed)
    return event


@transaction.atomic
def event_status_set(*, event: Event, actor, status: str) -> Event:
    """Cancel or reinstate an event. Cancelling is refused once it has started: it has
    happened, and its register and the participation ledger say who came."""
    from .tasks import event_status_notice_send_task

    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != status:
        if status == Event.Status.CANCELLED and event.has_started:
            when = govuk_datetime(timezone.localtime(event.starts_at), "l j F Y")
            raise EngagementError(f"This event started on {when}: it can no longer be cancelled.")
        event.status = status
        event.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor, action=f"engagement.event.{status}", obj=event, fields=["status"]
        )
        # Everyone with a place hears that it is off, or back on after all.
        event_status_notice_send_task.delay_on_commit(event.pk, status)
    return event


@transaction.atomic
def event_register(
    *, event: Event, participant: Participant, channel: str = Channel.ONLINE
) -> Attendance:
    """Give a person a place; registering again returns their place. Capacity holds
    under concurrent registrations: the event's row is locked while places are counted."""
    from .tasks import registration_confirmation_send_task

    event = Event.objects.select_for_update().get(pk=event.pk)
    existing = Attendance.objects.filter(event=event, participant=participant).first()
    if existing is not None and existing.status != Attendance.Status.CANCELLED:
        return existing
    if event.status != Event.Status.SCHEDULED or event.ends_at < timezone.now():
        raise EngagementError("This event is not taking registrations.")
    if not event.registration_open:
        raise EngagementError("Registration for this event is closed.")
    if event.capacity is not None:
        taken = event.attendances.exclude(status=Attendance.Status.CANCELLED).count()
        if taken >= event.capacity:
            raise EngagementError("This event is full.")
    if existing is not None:
        existing.status = Attendance.Status.REGISTERED
        existing.channel = channel
        existing.save(update_fields=["status", "channel", "updated_at"])
        attendance = existing
    else:
        attendance = Attendance.objects.create(
            event=event, participant=participant, channel=channel
        )
    if participant.email:
        attendance_id = attendance.pk
        registration_confirmation_send_task.delay_on_commit(attendance_id)
    return attendance


@transaction.atomic
def event_register_public(
    *,
    event: Event,
    full_name: str,
    email: str,
    phone: str = "",
    postcode: str = "",
    accessibility_needs: str = "",
) -> Attendance:
    """A member of the public registers on the event's page (matched by email)."""
    postcode, lsoa, ward = _location(postcode) if postcode else ("", None, None)
    participant, created = participant_get_or_create_by_email(
        email=email,
        defaults={
            "full_name": full_name,
            "phone": phone,
            "postcode": postcode,
            "home_lsoa": lsoa,
            "home_ward": ward,
            "accessibility_needs": accessibility_needs,
            "preferred_channels": [Channel.EMAIL],
        },
    )
    if (
        not created
        and accessibility_needs
        and accessibility_needs != participant.accessibility_needs
    ):
        participant.accessibility_needs = accessibility_needs
        participant.save(update_fields=["accessibility_needs", "updated_at"])
    return event_register(event=event, participant=participant, channel=Channel.ONLINE)


@transaction.atomic
def event_place_give_up(*, event: Event, participant: Participant) -> Attendance | None:
    """A person gives up their place before the event starts, so someone else can have
    it; giving it up again changes nothing."""
    attendance = event.attendances.select_for_update().filter(participant=participant).first()
    if attendance is None or attendance.status == Attendance.Status.CANCELLED:
        return attendance
    if not attendance.can_be_given_up:
        raise EngagementError(
            "The event has started: you can no longer give up your place. "
            "If you cannot come, there is nothing more you need to do."
        )
    attendance.status = Attendance.Status.CANCELLED
    attendance.save(update_fields=["status", "updated_at"])
    return attendance


def _refuse_before_the_day(event: Event) -> None:
    if event.is_before_its_day:
        raise EngagementError(
            f"This event is on {event.day:%-d %B %Y}: record who came on the day or after."
        )


def _record_attendance(attendance: Attendance) -> None:
    event = attendance.event
    participation_record(
        participant=attendance.participant,
        kind=ParticipationRecord.Kind.ATTENDANCE,
        occurred_at=event.starts_at,
        action=attendance,
        area=event.area,
        project=event.project,
        event=event,
        partnership=event.partnership,
        channel=attendance.channel,
    )


def _event_hours(event: Event) -> Decimal:
    seconds = (event.ends_at - event.starts_at).total_seconds()
    return Decimal(str(round(seconds / 3600, 2)))


@transaction.atomic
def attendance_take(*, event: Event, actor, marks: dict[int, tuple[bool, Decimal | None]]) -> int:
    """Record who came (and the hours they gave) from the officer's register.

    marks: attendance id -> (attended, hours). Attending records the action in the
    participation ledger; marking someone absent again takes it out. Refused before the
    event's day.
    """
    _refuse_before_the_day(event)
    changed = 0
    rows = (
        Attendance.objects.select_for_update()
        .select_related("participant", "event")
        .filter(event=event, pk__in=list(marks))
        # In person order, as the summary's queue takes its months: two registers saved
        # at once wait in turn instead of deadlocking.
        .order_by("participant_id")
    )
    for attendance in rows:
        attended, hours = marks[attendance.pk]
        status = Attendance.Status.ATTENDED if attended else Attendance.Status.ABSENT
        if hours is not None and hours < 0:
            raise EngagementError("Hours given cannot be negative.")
        new_hours = (hours if hours is not None else _event_hours(event)) if attended else None
        if attendance.status == status and attendance.hours == new_hours:
            continue
        attendance.status, attendance.hours = status, new_hours
        attendance.save(update_fields=["status", "hours", "updated_at"])
        if attended:
            _record_attendance(attendance)
        else:
            participation_withdraw(action=attendance)
        changed += 1
    if changed and event.status == Event.Status.SCHEDULED and event.starts_at <= timezone.now():
        Event.objects.filter(pk=event.pk).update(status=Event.Status.COMPLETED)
    audit_record(
        actor=actor,
        action="engagement.attendance.take",
        obj=event,
        object_ids=list(marks),
        fields=["status", "hours"],
    )
    return changed


@transaction.atomic
def attendance_record(
    *,
    event: Event,
    participant: Participant,
    attended: bool,
    actor,
    hours: Decimal | None = None,
    channel: str = Channel.IN_PERSON,
) -> Attendance:
    """Whether one person came to an event, as an officer records it (registered or not;
    a forum's or board meeting's register, say). Attending writes the participation
    ledger (blank hours: the event's length) and absent takes it out, in one transaction
    with the audit trail. Recording the same again changes nothing. Refused before the
    event's day."""
    _refuse_before_the_day(event)
    if hours is not None and hours < 0:
        raise EngagementError("Hours given cannot be negative.")
    status = Attendance.Status.ATTENDED if attended else Attendance.Status.ABSENT
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        event=event, participant=participant, defaults={"channel": channel, "status": status}
    )
    new_hours = None
    if attended:
        new_hours = hours if hours is not None else (attendance.hours or _event_hours(event))
    if not created and attendance.status == status and attendance.hours == new_hours:
        return attendance
    attendance.status, attendance.hours = status, new_hours
    attendance.checked_in_at = (attendance.checked_in_at or event.starts_at) if attended else None
    attendance.save()
    attendance.event = event
    if attended:
        _record_attendance(attendance)
    else:
        participation_withdraw(action=attendance)
    audit_record(
        actor=actor,
        action="engagement.attendance.record",
        obj=attendance,
        fields=["status", "hours"],
    )
    return attendance


@transaction.atomic
def attendance_walk_in(
    *, event: Event, actor, full_name: str, email: str = "", postcode: str = ""
) -> Attendance:
    """Someone who came without registering: added to the event as attended, from the
    event's day."""
    _refuse_before_the_day(event)
    postcode, lsoa, ward = _location(postcode) if postcode else ("", None, None)
    defaults = {"full_name": full_name, "postcode": postcode, "home_lsoa": lsoa, "home_ward": ward}
    if email:
        participant, _ = participant_get_or_create_by_email(email=email, defaults=defaults)
    else:
        participant = Participant.objects.create(**defaults)
    attendance, _ = Attendance.objects.get_or_create(
        event=event,
        participant=participant,
        defaults={"channel": Channel.IN_PERSON, "status": Attendance.Status.ATTENDED},
    )
    attendance.status = Attendance.Status.ATTENDED
    attendance.checked_in_at = attendance.checked_in_at or timezone.now()
    attendance.hours = attendance.hours or _event_hours(event)
    attendance.save()
    attendance.event = event
    _record_attendance(attendance)
    audit_record(actor=actor, action="engagement.attendance.walk_in", obj=attendance)
    return attendance


@transaction.atomic
def attendance_check_in(*, event: Event, participant: Participant, code: str) -> Attendance:
    """An attendee records their own attendance with the code given out on the day."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.check_in_code or code.strip().upper() != event.check_in_code:
        raise EngagementError("That code is not right: check it with the organiser.")
    if event.status == Event.Status.CANCELLED:
        raise EngagementError("This event was cancelled: there is nothing to check in to.")
    if not event.check_in_is_open:
        raise EngagementError(
            "Check-in is open from an hour before the event until two hours after it ends."
        )
    attendance, _ = Attendance.objects.get_or_create(
        event=event, participant=participant, defaults={"channel": Channel.IN_PERSON}
    )
    if attendance.status != Attendance.Status.ATTENDED:
        attendance.status = Attendance.Status.ATTENDED
        attendance.checked_in_at = timezone.now()
        attendance.hours = attendance.hours or _event_hours(event)
        attendance.save()
        attendance.event = event
        _record_attendance(attendance)
    return attendance


@transaction.atomic
def event_feedback_submit(
    *, event: Event, rating: int, went_well: str, could_be_better: str, submission_key: uuid.UUID
) -> EventFeedback:
    feedback, _ = EventFeedback.objects.get_or_create(
        submission_key=submission_key,
        defaults={
            "event": event,
            "rating": rating,
            "went_well": went_well.strip(),
            "could_be_better": could_be_better.strip(),
        },
    )
    return feedback


# The partner API -------------------------------------------------------------------

PARTNER_EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "area",
    "partnership",
    "capacity",
)


@transaction.atomic
def event_create_by_agency(*, agency, api_client: str, data: dict) -> Event:
    """An event a partner agency organises, added through its API client: the police's
    street surgery, the fire service's home safety drop-in. Public registration stays
    closed (the agency runs its own bookings) unless an officer opens it."""
    event = Event(
        organising_agency=agency,
        registration_open=False,
        check_in_code=_check_in_code(),
        **{name: data[name] for name in PARTNER_EVENT_FIELDS if name in data},
    )
    _event_times_check(event)
    event.save()
    audit_record(
        actor=None,
        api_client=api_client,
        action="engagement.event.create",
        obj=event,
        fields=[name for name in PARTNER_EVENT_FIELDS if name in data],
    )
    return event


@transaction.atomic
def event_headcount_report(*, event: Event, agency, api_client: str, headcount: int) -> Event:
    """How many came to an event the agency organises (a count, no names). Reporting again
    corrects the count. Only once the event has started, and never for a cancelled one;
    a scheduled event that has ended becomes completed."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.organising_agency_id != agency.pk:
        raise PermissionDenied("Only the agency that organises this event may report its count.")
    if event.status == Event.Status.CANCELLED:
        raise EngagementError("The event was cancelled: there is no attendance to report.")
    now = timezone.now()
    if event.starts_at > now:
        raise EngagementError("The event has not started yet: report the count afterwards.")
    if event.capacity is not None and headcount > event.capacity * 10:
        raise EngagementError(
            f"{headcount} is far beyond the event's capacity of {event.capacity}: check the count."
        )
    changed = ["headcount", "headcount_reported_at"]
    event.headcount = headcount
    event.headcount_reported_at = now
    if event.status == Event.Status.SCHEDULED and event.ends_at <= now:
        event.status = Event.Status.COMPLETED
        changed.append("status")
    event.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=None,
        api_client=api_client,
        action="engagement.event.headcount",
        obj=event,
        fields=changed,
    )
    return event


@transaction.atomic
def issue_report_transition_by_agency(
    *, report: IssueReport, agency, api_client: str, to_state: ReportState, note: str
) -> IssueReport:
    """A partner agency that runs the report's team moves it along with a public update
    (the note the reporter is sent), through its API client."""
    from .tasks import report_update_send_task

    report = (
        IssueReport.objects.select_for_update(of=("self",))
        .select_related("state", "team")
        .get(pk=report.pk)
    )
    if report.team is None or report.team.partner_agency_id != agency.pk:
        raise PermissionDenied("Only the agency that runs the report's team may update it.")
    if to_state.is_duplicate:
        raise EngagementError("The council's officers merge duplicates, not the API.")
    note = note.strip()
    if not note:
        raise EngagementError("Write the update the reporter will read.")
    last = report.updates.order_by("-created_at", "-pk").first()
    if last is not None and last.to_state_id == to_state.pk and last.note == note:
        # A call sent twice (a retry without an Idempotency-Key) would email the
        # reporter the same news twice.
        raise EngagementError(
            "This update is already the report's latest: the reporter has been sent it."
        )
    update = _apply_transition(report, to_state, None, note, timezone.now())
    if update is not None:
        audit_record(
            actor=None,
            api_client=api_client,
            action="engagement.report.transition",
            obj=report,
            fields=["state"],
        )
        update_id = update.pk
        report_update_send_task.delay_on_commit(update_id)
    return report
