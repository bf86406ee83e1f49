"""Every write about volunteers' safety: the task catalogue, volunteers' induction, age and
training, risk assessments, activities and their rosters, toolkits and loans, disclaimers,
activity reports, incidents, and the nightly check. Views, forms and tasks only call these.

Every change made by staff, every approval and every read of a risk assessment or of an
incident's injury details lands in the audit trail (identifiers and field names only).
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from communities.models import Area
from communities.postcodes import postcode_locate, postcode_normalise
from coproduction.accounts.roles import Role
from coproduction.accounts.selectors import area_list_for_user
from coproduction.versioning import EditConflictError
from engagement.locations import ward_for_point
from engagement.models import (
    ActivityPhoto,
    ActivityReport,
    ActivityRosterEntry,
    Channel,
    Disclaimer,
    DisclaimerSignature,
    Event,
    Incident,
    Participant,
    ParticipationRecord,
    RiskAssessment,
    RiskAssessmentHazard,
    SafetyAlert,
    Toolkit,
    ToolkitItem,
    ToolkitLoan,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerActivity,
    VolunteerTask,
)
from engagement.models.volunteering import VERY_HIGH_SCORE
from engagement.participation import participation_record, participation_withdraw
from engagement.photos import MAX_PHOTOS, ProcessedPhoto
from engagement.services import EngagementError
from governance.audit import audit_record

from .gate import (
    TRAINING_EXPIRED,
    TRAINING_MISSING,
    GateRefusedError,
    Refusal,
    activity_gate_check,
    assessment_candidates,
    permission_refusal,
    prohibited_refusal,
    volunteer_gate_check,
)

logger = logging.getLogger(__name__)

# How far ahead an approver may set a review date, and how early owners are warned.
REVIEW_MAX_DAYS = 366
NOTICE_DAYS = 30


def _today() -> date:
    return timezone.localdate()


def _is_staff(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.has_role(Role.OFFICER) or user.has_role(Role.ADMINISTRATOR))
    )


def _acting_for(actor, participant: Participant) -> bool:
    return actor is not None and getattr(actor, "pk", None) != participant.user_id


def _check_version(instance, version: int | None) -> None:
    if version is not None and instance.version != version:
        raise EditConflictError("The record was changed by someone else.", code="edit_conflict")


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# The task catalogue -------------------------------------------------------------------


TASK_FIELDS = (
    "name",
    "description",
    "is_prohibited",
    "instead",
    "report_category",
    "report_url",
    "hazards",
    "minimum_age",
    "is_active",
    "display_order",
)


def _task_problems(task: VolunteerTask) -> list[str]:
    problems = []
    if task.is_prohibited and not task.instead.strip():
        problems.append("Say what volunteers should do instead of a job for the experts.")
    if task.minimum_age > 99:
        problems.append("The minimum age must be 99 or under.")
    clash = VolunteerTask.objects.filter(name__iexact=task.name.strip()).exclude(pk=task.pk)
    if clash.exists():
        problems.append(f"There is already a task called “{task.name}”.")
    return problems


@transaction.atomic
def volunteer_task_create(
    *, actor, data: dict, required_training: Sequence[TrainingCourse] = ()
) -> VolunteerTask:
    task = VolunteerTask()
    for name in TASK_FIELDS:
        if name in data:
            setattr(task, name, data[name])
    task.name = task.name.strip()
    base = slugify(task.name)[:70] or "task"
    slug, n = base, 1
    while VolunteerTask.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    task.slug = slug
    problems = _task_problems(task)
    if problems:
        raise EngagementError(" ".join(problems))
    task.save()
    task.required_training.set(required_training)
    audit_record(actor=actor, action="engagement.task.create", obj=task)
    return task


@transaction.atomic
def volunteer_task_update(
    *,
    task: VolunteerTask,
    actor,
    data: dict,
    required_training: Sequence[TrainingCourse] | None = None,
    version: int | None = None,
) -> VolunteerTask:
    task = VolunteerTask.objects.select_for_update().get(pk=task.pk)
    _check_version(task, version)
    changed = [n for n in TASK_FIELDS if n in data and getattr(task, n) != data[n]]
    for name in changed:
        setattr(task, name, data[name])
    problems = _task_problems(task)
    if problems:
        raise EngagementError(" ".join(problems))
    if required_training is not None:
        before = set(task.required_training.values_list("pk", flat=True))
        if before != {c.pk for c in required_training}:
            task.required_training.set(required_training)
            changed.append("required_training")
    if changed:
        task.version = F("version") + 1
        task.save()
        task.refresh_from_db()
        audit_record(actor=actor, action="engagement.task.update", obj=task, fields=changed)
    return task


# Volunteers: induction, age, emergency contact, training -------------------------------


def volunteer_ensure(*, participant: Participant) -> Volunteer:
    """The person's volunteering record, made the first time it is needed."""
    volunteer = Volunteer.objects.select_for_update().filter(participant=participant).first()
    if volunteer is not None:
        return volunteer
    try:
        with transaction.atomic():
            return Volunteer.objects.create(participant=participant)
    except IntegrityError:
        return Volunteer.objects.select_for_update().get(participant=participant)


@transaction.atomic
def volunteer_induction_record(
    *,
    participant: Participant,
    actor,
    inducted_on: date,
    pack_acknowledged: bool,
    emergency_procedures_covered: bool,
    role_boundaries_covered: bool,
    pack_version: str = "",
) -> Volunteer:
    """Record an induction session: the volunteer involvement pack acknowledged, the
    emergency procedures and the boundaries of the role gone through. A later session
    adds what it covered to what earlier ones did."""
    if inducted_on > _today():
        raise EngagementError("The induction date cannot be in the future.")
    if not (pack_acknowledged or emergency_procedures_covered or role_boundaries_covered):
        raise EngagementError("Select what the induction covered.")
    volunteer = volunteer_ensure(participant=participant)
    volunteer.pack_acknowledged = volunteer.pack_acknowledged or pack_acknowledged
    volunteer.emergency_procedures_covered = (
        volunteer.emergency_procedures_covered or emergency_procedures_covered
    )
    volunteer.role_boundaries_covered = (
        volunteer.role_boundaries_covered or role_boundaries_covered
    )
    volunteer.inducted_on = max(filter(None, [volunteer.inducted_on, inducted_on]))
    volunteer.inducted_by = actor if getattr(actor, "is_authenticated", False) else None
    if pack_version:
        volunteer.induction_pack_version = pack_version[:30]
    volunteer.version = F("version") + 1
    volunteer.save()
    volunteer.refresh_from_db()
    audit_record(
        actor=actor,
        action="engagement.volunteer.induct",
        obj=volunteer,
        fields=[
            "inducted_on",
            "inducted_by",
            "pack_acknowledged",
            "emergency_procedures_covered",
            "role_boundaries_covered",
            "induction_pack_version",
        ],
    )
    return volunteer


@transaction.atomic
def volunteer_age_record(
    *,
    participant: Participant,
    actor,
    basis: str,
    date_of_birth: date | None = None,
    year_of_birth: int | None = None,
    confirmed_adult: bool = False,
    version: int | None = None,
) -> Volunteer:
    """Record what the person told us of their age for safety (never read from their
    equality answers). Only the most precise answer is kept: a date of birth, else a
    year of birth, else a confirmation of being 18 or over. All empty clears it."""
    today = _today()
    if date_of_birth is not None and not (date(1900, 1, 1) <= date_of_birth <= today):
        raise EngagementError("Enter a real date of birth, in the past.")
    if year_of_birth is not None and not (1900 <= year_of_birth <= today.year):
        raise EngagementError(f"The year of birth must be between 1900 and {today.year}.")
    given = date_of_birth is not None or year_of_birth is not None or confirmed_adult
    if given and basis not in Volunteer.AgeBasis.values:
        raise EngagementError("Say why the age is needed (the lawful basis).")
    volunteer = volunteer_ensure(participant=participant)
    _check_version(volunteer, version)
    if date_of_birth is not None:
        year_of_birth, confirmed_adult = None, False
    elif year_of_birth is not None:
        confirmed_adult = False
    new = {
        "date_of_birth": date_of_birth,
        "year_of_birth": year_of_birth,
        "confirmed_adult": confirmed_adult,
        "age_basis": basis if given else "",
    }
    changed = [name for name, value in new.items() if getattr(volunteer, name) != value]
    if not changed:
        return volunteer
    for name, value in new.items():
        setattr(volunteer, name, value)
    volunteer.age_recorded_at = timezone.now() if given else None
    volunteer.version = F("version") + 1
    volunteer.save()
    volunteer.refresh_from_db()
    if _acting_for(actor, participant):
        audit_record(
            actor=actor,
            action="engagement.volunteer.age",
            obj=volunteer,
            fields=[*changed, "age_recorded_at"],
        )
    return volunteer


@transaction.atomic
def volunteer_emergency_contact_record(
    *, participant: Participant, actor, name: str, phone: str
) -> Volunteer:
    """Who to call if something happens to the volunteer during an activity."""
    volunteer = volunteer_ensure(participant=participant)
    name, phone = name.strip()[:150], phone.strip()[:30]
    if bool(name) != bool(phone):
        raise EngagementError("Give both the emergency contact's name and their phone number.")
    changed = [
        f
        for f, v in (("emergency_contact_name", name), ("emergency_contact_phone", phone))
        if getattr(volunteer, f) != v
    ]
    if changed:
        volunteer.emergency_contact_name, volunteer.emergency_contact_phone = name, phone
        volunteer.version = F("version") + 1
        volunteer.save()
        volunteer.refresh_from_db()
        if _acting_for(actor, participant):
            audit_record(
                actor=actor, action="engagement.volunteer.contact", obj=volunteer, fields=changed
            )
    return volunteer


def training_expiry(*, course: TrainingCourse, completed_on: date) -> date | None:
    if course.valid_for_months is None:
        return None
    return months_after(completed_on, course.valid_for_months)


@transaction.atomic
def training_record_add(
    *,
    participant: Participant,
    course: TrainingCourse,
    completed_on: date,
    trainer: str,
    actor,
    notes: str = "",
) -> TrainingRecord:
    """Record training done; recording the same course on the same day again changes
    nothing. It lapses after the course's validity."""
    if completed_on > _today():
        raise EngagementError("The training date cannot be in the future.")
    if not trainer.strip():
        raise EngagementError("Say who gave the training.")
    existing = TrainingRecord.objects.filter(
        participant=participant, course=course, completed_on=completed_on
    ).first()
    if existing is not None:
        return existing
    record = TrainingRecord.objects.create(
        participant=participant,
        course=course,
        completed_on=completed_on,
        expires_on=training_expiry(course=course, completed_on=completed_on),
        trainer=trainer.strip()[:150],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        notes=notes.strip()[:255],
    )
    volunteer_ensure(participant=participant)
    audit_record(
        actor=actor,
        action="engagement.training.add",
        obj=record,
        fields=["course", "completed_on", "expires_on", "trainer"],
    )
    return record


# Disclaimers ----------------------------------------------------------------------------


def disclaimer_in_force(*, on: date | None = None) -> Disclaimer | None:
    """The disclaimer version in force on a day: the newest that had started."""
    return (
        Disclaimer.objects.filter(in_force_from__lte=on or _today()).order_by("-version").first()
    )


@transaction.atomic
def disclaimer_publish(*, actor, title: str, text: str, in_force_from: date) -> Disclaimer:
    """A new version of the disclaimer; the old ones stay, with their signatures."""
    if not text.strip() or not title.strip():
        raise EngagementError("A disclaimer needs a title and its text.")
    latest = Disclaimer.objects.aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            disclaimer = Disclaimer.objects.create(
                version=latest + 1,
                title=title.strip(),
                text=text.strip(),
                in_force_from=in_force_from,
            )
    except IntegrityError:
        # The unique version: two published at once, the second is refused.
        raise EngagementError("Another version was published just now: check it first.") from None
    audit_record(actor=actor, action="engagement.disclaimer.publish", obj=disclaimer)
    return disclaimer


@transaction.atomic
def disclaimer_sign(
    *,
    participant: Participant,
    disclaimer: Disclaimer,
    signed_name: str,
    method: str,
    actor=None,
    signed_on: date | None = None,
) -> DisclaimerSignature:
    """Record a signature of one version; signing it again returns the first signature."""
    signed_on = signed_on or _today()
    if not signed_name.strip():
        raise EngagementError("Type your full name to sign.")
    if signed_on > _today():
        raise EngagementError("The signature date cannot be in the future.")
    if disclaimer.in_force_from > signed_on:
        raise EngagementError(
            f"Version {disclaimer.version} of the disclaimer was not in force on that day."
        )
    if method not in DisclaimerSignature.Method.values:
        raise EngagementError("Say how the disclaimer was signed.")
    signature, created = DisclaimerSignature.objects.get_or_create(
        participant=participant,
        disclaimer=disclaimer,
        defaults={
            "signed_on": signed_on,
            "signed_name": signed_name.strip()[:150],
            "method": method,
            "recorded_by": actor if _acting_for(actor, participant) else None,
        },
    )
    if created:
        volunteer_ensure(participant=participant)
        if _acting_for(actor, participant):
            audit_record(
                actor=actor,
                action="engagement.disclaimer.sign",
                obj=signature,
                fields=["signed_on", "signed_name", "method"],
            )
    return signature


# Toolkits and loans -------------------------------------------------------------------


TOOLKIT_FIELDS = ("code", "name", "kind", "home_area", "required_training", "in_service", "notes")


@dataclass(frozen=True)
class ItemInput:
    kind: str
    quantity: int
    condition: str = ToolkitItem.Condition.GOOD
    description: str = ""
    pk: int | None = None
    delete: bool = False


def _toolkit_check(toolkit: Toolkit, actor) -> None:
    if not (actor is not None and actor.has_perm("engagement.change_toolkit", toolkit)):
        raise EngagementError("Only a council officer for the kit's area can change it.")
    clash = Toolkit.objects.filter(code__iexact=toolkit.code.strip()).exclude(pk=toolkit.pk)
    if clash.exists():
        raise EngagementError(f"Another kit is already labelled {toolkit.code}.")


def _items_apply(toolkit: Toolkit, items: Sequence[ItemInput]) -> list[str]:
    existing = {item.pk: item for item in toolkit.items.all()}
    changed = []
    for change in items:
        if change.quantity < 1:
            raise EngagementError("Each item needs a quantity of 1 or more.")
        if change.kind not in ToolkitItem.Kind.values:
            raise EngagementError("Choose what each item is.")
        if change.condition not in ToolkitItem.Condition.values:
            raise EngagementError("Choose each item's condition.")
        if change.pk is not None:
            item = existing.get(change.pk)
            if item is None:
                raise EngagementError("One of the items is not in this kit.")
            if change.delete:
                item.delete()
                changed.append(f"item:{change.pk}")
                continue
            values = {
                "kind": change.kind,
                "description": change.description.strip()[:150],
                "quantity": change.quantity,
                "condition": change.condition,
            }
            if any(getattr(item, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(item, k, v)
                item.save()
                changed.append(f"item:{item.pk}")
        elif not change.delete:
            item = ToolkitItem.objects.create(
                toolkit=toolkit,
                kind=change.kind,
                description=change.description.strip()[:150],
                quantity=change.quantity,
                condition=change.condition,
            )
            changed.append(f"item:{item.pk}")
    return changed


@transaction.atomic
def toolkit_create(*, actor, data: dict, items: Sequence[ItemInput] = ()) -> Toolkit:
    toolkit = Toolkit()
    for name in TOOLKIT_FIELDS:
        if name in data:
            setattr(toolkit, name, data[name])
    toolkit.code = toolkit.code.strip().upper()
    _toolkit_check(toolkit, actor)
    toolkit.save()
    _items_apply(toolkit, items)
    audit_record(actor=actor, action="engagement.toolkit.create", obj=toolkit)
    return toolkit


@transaction.atomic
def toolkit_update(
    *, toolkit: Toolkit, actor, data: dict, items: Sequence[ItemInput] = (), version: int
) -> Toolkit:
    toolkit = Toolkit.objects.select_for_update().get(pk=toolkit.pk)
    _check_version(toolkit, version)
    _toolkit_check(toolkit, actor)
    changed = [n for n in TOOLKIT_FIELDS if n in data and getattr(toolkit, n) != data[n]]
    for name in changed:
        setattr(toolkit, name, data[name])
    toolkit.code = toolkit.code.strip().upper()
    _toolkit_check(toolkit, actor)
    changed += _items_apply(toolkit, items)
    if changed:
        toolkit.version = F("version") + 1
        toolkit.save()
        toolkit.refresh_from_db()
        audit_record(actor=actor, action="engagement.toolkit.update", obj=toolkit, fields=changed)
    return toolkit


def _current_training(
    *, participant: Participant, course: TrainingCourse, on: date
) -> tuple[TrainingRecord | None, Refusal | None]:
    records = list(TrainingRecord.objects.filter(participant=participant, course=course))
    current = [r for r in records if r.is_current_on(on)]
    if current:
        return max(current, key=lambda r: r.completed_on), None
    name = str(participant)
    if not records:
        return None, Refusal(
            TRAINING_MISSING,
            f"{name} has no {course.training}: a kit is only lent to a trained holder.",
            link=_volunteer_page(participant),
            link_text=f"Record {name}'s training",
        )
    latest = max(records, key=lambda r: (r.expires_on or date.max, r.completed_on))
    return None, Refusal(
        TRAINING_EXPIRED,
        f"{name}'s {course.training} expired on {date_format(latest.expires_on, 'j F Y')}: "
        "they need a refresher before borrowing a kit.",
        link=_volunteer_page(participant),
        link_text=f"Record {name}'s refresher training",
    )


def _volunteer_page(participant: Participant) -> str:
    """Where an officer records a person's training and paper disclaimer signature."""
    return reverse("engagement:volunteer_detail", args=[participant.pk])


def toolkit_unavailable(toolkit: Toolkit) -> list[Refusal]:
    """Why the kit cannot be lent to anyone now: out of service, or already on loan."""
    refusals = []
    if not toolkit.in_service:
        refusals.append(Refusal("kit_out_of_service", f"{toolkit.code} is out of service."))
    if ToolkitLoan.objects.open().filter(toolkit=toolkit).exists():
        refusals.append(Refusal("kit_on_loan", f"{toolkit.code} is already on loan."))
    return refusals


def toolkit_lend_check(
    *, toolkit: Toolkit, holder: Participant, lent_on: date, due_on: date
) -> tuple[list[Refusal], TrainingRecord | None, DisclaimerSignature | None]:
    """Why the kit may not be lent to this person (empty when it may), with what qualifies
    them: a current training record for the kit and a signature of the disclaimer in
    force."""
    refusals = toolkit_unavailable(toolkit)
    if due_on < lent_on:
        refusals.append(Refusal("due_before_lent", "The due date must be after the loan starts."))
    if holder.erased_at is not None:
        refusals.append(Refusal("holder_erased", "This person's details have been erased."))
    training, refusal = _current_training(
        participant=holder, course=toolkit.required_training, on=lent_on
    )
    if refusal is not None:
        refusals.append(refusal)
    disclaimer = disclaimer_in_force(on=lent_on)
    signature = None
    if disclaimer is None:
        refusals.append(
            Refusal(
                "no_disclaimer",
                "No disclaimer is in force: an administrator must publish one first.",
            )
        )
    else:
        signature = DisclaimerSignature.objects.filter(
            participant=holder, disclaimer=disclaimer, signed_on__lte=lent_on
        ).first()
        if signature is None:
            refusals.append(
                Refusal(
                    "disclaimer_unsigned",
                    f"{holder} has not signed the disclaimer in force (version "
                    f"{disclaimer.version}, “{disclaimer.title}”): a kit is only lent to "
                    "someone who signed it.",
                    link=_volunteer_page(holder),
                    link_text=f"Record {holder}'s paper signature of the disclaimer",
                )
            )
    return refusals, training, signature


@transaction.atomic
def toolkit_lend(
    *,
    toolkit: Toolkit,
    holder: Participant,
    actor,
    lent_on: date,
    due_on: date,
    group_name: str = "",
) -> ToolkitLoan:
    """Lend a kit to a trained holder who signed the disclaimer in force, until a due
    date. Refused, with every reason, otherwise."""
    toolkit = Toolkit.objects.select_for_update().get(pk=toolkit.pk)
    if not actor.has_perm("engagement.change_toolkit", toolkit):
        raise GateRefusedError(
            [Refusal("not_permitted", "Only a council officer for the kit's area can lend it.")]
        )
    if lent_on > _today():
        raise GateRefusedError(
            [Refusal("lent_in_future", "A loan is recorded when the kit is handed over.")]
        )
    refusals, training, signature = toolkit_lend_check(
        toolkit=toolkit, holder=holder, lent_on=lent_on, due_on=due_on
    )
    if refusals:
        raise GateRefusedError(refusals)
    try:
        with transaction.atomic():
            loan = ToolkitLoan.objects.create(
                toolkit=toolkit,
                holder=holder,
                group_name=group_name.strip()[:150],
                lent_on=lent_on,
                due_on=due_on,
                lent_by=actor,
                disclaimer=signature.disclaimer,
                disclaimer_signed_on=signature.signed_on,
                training_course=training.course,
                training_completed_on=training.completed_on,
                training_expires_on=training.expires_on,
            )
    except IntegrityError:
        raise GateRefusedError(
            [Refusal("kit_on_loan", f"{toolkit.code} is already on loan.")]
        ) from None
    audit_record(
        actor=actor,
        action="engagement.toolkit.lend",
        obj=loan,
        fields=["holder", "lent_on", "due_on", "disclaimer", "training_course"],
    )
    return loan


@transaction.atomic
def toolkit_return(
    *,
    loan: ToolkitLoan,
    actor,
    returned_on: date,
    conditions: dict[int, str],
    notes: str = "",
) -> ToolkitLoan:
    """Take a kit back, with each item's condition; a second return changes nothing."""
    loan = ToolkitLoan.objects.select_for_update().select_related("toolkit").get(pk=loan.pk)
    if not actor.has_perm("engagement.change_toolkit", loan.toolkit):
        raise EngagementError("Only a council officer for the kit's area can take it back.")
    if loan.returned_on is not None:
        return loan
    if returned_on > _today():
        raise EngagementError("The return date cannot be in the future.")
    if returned_on < loan.lent_on:
        raise EngagementError("The kit cannot come back before it was lent.")
    items = {item.pk: item for item in loan.toolkit.items.all()}
    order = ToolkitItem.CONDITION_ORDER
    worst = ToolkitItem.Condition.GOOD
    for pk, item in items.items():
        condition = conditions.get(pk, item.condition)
        if condition not in ToolkitItem.Condition.values:
            raise EngagementError("Choose each item's condition.")
        if condition != item.condition:
            item.condition = condition
            item.save(update_fields=["condition", "updated_at"])
        if order.index(condition) > order.index(worst):
            worst = condition
    loan.returned_on = returned_on
    loan.received_by = actor
    loan.return_condition = worst
    loan.return_notes = notes.strip()
    loan.version = F("version") + 1
    loan.save()
    loan.refresh_from_db()
    audit_record(
        actor=actor,
        action="engagement.toolkit.return",
        obj=loan,
        fields=["returned_on", "return_condition", "return_notes"],
    )
    return loan


# Risk assessments ---------------------------------------------------------------------


@dataclass(frozen=True)
class HazardInput:
    hazard: str
    who_might_be_harmed: str
    likelihood_before: int
    severity_before: int
    controls: str
    likelihood_after: int
    severity_after: int


def _hazard_problems(hazards: Sequence[HazardInput]) -> list[str]:
    problems = []
    for n, h in enumerate(hazards, start=1):
        scores = (h.likelihood_before, h.severity_before, h.likelihood_after, h.severity_after)
        if not all(isinstance(s, int) and 1 <= s <= 5 for s in scores):
            problems.append(f"Hazard {n}: likelihood and severity are from 1 to 5.")
            continue
        if not (h.hazard.strip() and h.who_might_be_harmed.strip() and h.controls.strip()):
            problems.append(f"Hazard {n}: name the hazard, who might be harmed and the controls.")
        if h.likelihood_after * h.severity_after > h.likelihood_before * h.severity_before:
            problems.append(
                f"Hazard {n} ({h.hazard}): the risk after controls cannot be higher than before."
            )
    return problems


def _hazards_create(assessment: RiskAssessment, hazards: Sequence[HazardInput]) -> None:
    RiskAssessmentHazard.objects.bulk_create(
        [
            RiskAssessmentHazard(
                assessment=assessment,
                position=n,
                hazard=h.hazard.strip()[:200],
                who_might_be_harmed=h.who_might_be_harmed.strip()[:255],
                likelihood_before=h.likelihood_before,
                severity_before=h.severity_before,
                controls=h.controls.strip(),
                likelihood_after=h.likelihood_after,
                severity_after=h.severity_after,
            )
            for n, h in enumerate(hazards)
        ]
    )


def assessment_areas_for(*, user) -> "list[Area]":
    """Where this person may write risk assessments: officers their areas; a group lead
    the ward they live in and the home areas of the kits they hold."""
    if _is_staff(user):
        return list(area_list_for_user(user=user).exclude(kind=Area.Kind.LSOA))
    participant = getattr(user, "participant", None) if user.is_authenticated else None
    if participant is None:
        return []
    ids = {participant.home_ward_id} | set(
        ToolkitLoan.objects.open()
        .filter(holder=participant)
        .values_list("toolkit__home_area_id", flat=True)
    )
    return list(Area.objects.filter(pk__in=[i for i in ids if i]))


def assessment_area_allowed(*, user, area: Area) -> bool:
    if _is_staff(user):
        return area_list_for_user(user=user).filter(pk=area.pk).exists()
    return area.pk in {a.pk for a in assessment_areas_for(user=user)}


def _assessment_where_check(*, actor, task: VolunteerTask, area: Area, event) -> None:
    if not actor.has_perm("engagement.draft_riskassessment"):
        raise EngagementError("Only council officers and group leads write risk assessments.")
    if not assessment_area_allowed(user=actor, area=area):
        raise EngagementError(f"You cannot write risk assessments for {area.name}.")
    if task.is_prohibited:
        raise EngagementError(
            f"{task.name} is a job for the experts: it is never assessed for volunteers."
        )
    if event is not None:
        inside = Area.objects.filter(pk=area.pk).with_descendants().filter(pk=event.area_id)
        if not inside.exists():
            raise EngagementError(f"{event.title} is not in {area.name}.")


@transaction.atomic
def risk_assessment_create(
    *,
    actor,
    task: VolunteerTask,
    area: Area,
    emergency_arrangements: str,
    insurance: str,
    hazards: Sequence[HazardInput],
    site: str = "",
    event: Event | None = None,
) -> RiskAssessment:
    """Draft a risk assessment (an officer, or a group lead for their own area)."""
    _assessment_where_check(actor=actor, task=task, area=area, event=event)
    problems = _hazard_problems(hazards)
    if problems:
        raise EngagementError(" ".join(problems))
    if not emergency_arrangements.strip() or not insurance.strip():
        raise EngagementError("Describe the emergency arrangements and the insurance.")
    assessment = RiskAssessment.objects.create(
        task=task,
        area=area,
        site=site.strip()[:255],
        event=event,
        emergency_arrangements=emergency_arrangements.strip(),
        insurance=insurance.strip(),
        author=actor,
        owner=actor if _is_staff(actor) else None,
    )
    _hazards_create(assessment, hazards)
    audit_record(actor=actor, action="engagement.assessment.create", obj=assessment)
    return assessment


def _locked(assessment: RiskAssessment) -> RiskAssessment:
    return (
        RiskAssessment.objects.select_for_update()
        .select_related("task", "area")
        .get(pk=assessment.pk)
    )


ASSESSMENT_EDITABLE = ("site", "event", "emergency_arrangements", "insurance")


@transaction.atomic
def risk_assessment_update(
    *,
    assessment: RiskAssessment,
    actor,
    data: dict,
    hazards: Sequence[HazardInput],
    version: int,
) -> RiskAssessment:
    """Change a draft. Anything submitted or approved is never edited in place: a change
    to it is a new revision (risk_assessment_revise)."""
    assessment = _locked(assessment)
    if assessment.status != RiskAssessment.Status.DRAFT:
        raise EngagementError(
            "A risk assessment that has been submitted or approved cannot be changed: "
            "make a new revision."
        )
    if not actor.has_perm("engagement.change_riskassessment", assessment):
        raise EngagementError("You cannot change this risk assessment.")
    _check_version(assessment, version)
    problems = _hazard_problems(hazards)
    if problems:
        raise EngagementError(" ".join(problems))
    event = data.get("event", assessment.event)
    if event is not None and event.pk != assessment.event_id:
        _assessment_where_check(
            actor=actor, task=assessment.task, area=assessment.area, event=event
        )
    changed = [n for n in ASSESSMENT_EDITABLE if n in data and getattr(assessment, n) != data[n]]
    for name in changed:
        setattr(assessment, name, data[name])
    if not assessment.emergency_arrangements.strip() or not assessment.insurance.strip():
        raise EngagementError("Describe the emergency arrangements and the insurance.")
    assessment.hazards.all().delete()
    _hazards_create(assessment, hazards)
    changed.append("hazards")
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    audit_record(
        actor=actor, action="engagement.assessment.update", obj=assessment, fields=changed
    )
    return assessment


@transaction.atomic
def risk_assessment_submit(*, assessment: RiskAssessment, actor) -> RiskAssessment:
    """Send a draft for approval; from then on it cannot change."""
    assessment = _locked(assessment)
    if assessment.status == RiskAssessment.Status.SUBMITTED:
        return assessment
    if not actor.has_perm("engagement.change_riskassessment", assessment):
        raise EngagementError("Only a draft's author or an officer for its area can submit it.")
    if not assessment.hazards.exists():
        raise EngagementError("List at least one hazard before submitting.")
    assessment.status = RiskAssessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.returned_reason = ""
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    audit_record(
        actor=actor, action="engagement.assessment.submit", obj=assessment, fields=["status"]
    )
    return assessment


@transaction.atomic
def risk_assessment_approve(
    *, assessment: RiskAssessment, actor, review_on: date, note: str = ""
) -> RiskAssessment:
    """A competent officer for the area, who did not write it, approves it until a review
    date (at most a year ahead). Approving a new revision retires the one it replaces;
    approving one reopened for review confirms it, with a new review date."""
    assessment = _locked(assessment)
    if assessment.status not in (
        RiskAssessment.Status.SUBMITTED,
        RiskAssessment.Status.UNDER_REVIEW,
    ):
        raise EngagementError("Only a submitted or reopened risk assessment can be approved.")
    if assessment.author_id == actor.pk:
        raise EngagementError(
            "You wrote this risk assessment, so another competent officer must approve it."
        )
    if not actor.has_perm("engagement.decide_riskassessment", assessment):
        raise EngagementError(
            f"Only a council officer for {assessment.area.name} can approve this assessment."
        )
    if assessment.task.is_prohibited:
        raise EngagementError(
            f"{assessment.task.name} is a job for the experts: it cannot be approved for "
            "volunteers."
        )
    today = _today()
    if not (today < review_on <= today + timedelta(days=REVIEW_MAX_DAYS)):
        raise EngagementError("The review date must be after today and within a year.")
    worst = assessment.hazards.aggregate(worst=Max("score_after"))["worst"]
    if worst is None:
        raise EngagementError("A risk assessment with no hazards cannot be approved.")
    if worst >= VERY_HIGH_SCORE:
        raise EngagementError(
            "A hazard's risk after controls is still very high: add controls, or list the "
            "task as a job for the experts."
        )
    assessment.status = RiskAssessment.Status.APPROVED
    assessment.approved_by = actor
    assessment.approved_at = timezone.now()
    assessment.approval_note = note.strip()
    assessment.review_on = review_on
    assessment.owner = assessment.owner or actor
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    previous = assessment.previous
    if previous is not None and previous.status in (
        RiskAssessment.Status.APPROVED,
        RiskAssessment.Status.UNDER_REVIEW,
    ):
        RiskAssessment.objects.filter(pk=previous.pk).update(
            status=RiskAssessment.Status.SUPERSEDED, updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="engagement.assessment.supersede",
            obj=previous,
            fields=["status"],
        )
    audit_record(
        actor=actor,
        action="engagement.assessment.approve",
        obj=assessment,
        fields=["status", "approved_by", "approved_at", "review_on"],
    )
    return assessment


@transaction.atomic
def risk_assessment_return(*, assessment: RiskAssessment, actor, reason: str) -> RiskAssessment:
    """Send a submitted assessment back to its author as a draft, saying why."""
    assessment = _locked(assessment)
    if assessment.status != RiskAssessment.Status.SUBMITTED:
        raise EngagementError("Only a submitted risk assessment can be sent back.")
    if not actor.has_perm("engagement.decide_riskassessment", assessment):
        raise EngagementError("Only another officer for the area can send it back.")
    if not reason.strip():
        raise EngagementError("Say what needs changing.")
    assessment.status = RiskAssessment.Status.DRAFT
    assessment.returned_reason = reason.strip()
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    audit_record(
        actor=actor,
        action="engagement.assessment.return",
        obj=assessment,
        fields=["status", "returned_reason"],
    )
    return assessment


@transaction.atomic
def risk_assessment_revise(*, assessment: RiskAssessment, actor) -> RiskAssessment:
    """Start a new revision of an approved (or reopened) assessment, as a draft copy.
    The approved one stays in force until the new one is approved. Asking again returns
    the revision already started."""
    assessment = _locked(assessment)
    successor = RiskAssessment.objects.filter(previous=assessment).first()
    if successor is not None:
        return successor
    if not actor.has_perm("engagement.revise_riskassessment", assessment):
        raise EngagementError(
            "Only an approved or reopened risk assessment can be revised, by an officer for "
            "its area."
        )
    revision = RiskAssessment.objects.create(
        task=assessment.task,
        area=assessment.area,
        site=assessment.site,
        event=assessment.event,
        emergency_arrangements=assessment.emergency_arrangements,
        insurance=assessment.insurance,
        revision=assessment.revision + 1,
        previous=assessment,
        author=actor,
        owner=assessment.owner or actor,
    )
    _hazards_create(
        revision,
        [
            HazardInput(
                h.hazard,
                h.who_might_be_harmed,
                h.likelihood_before,
                h.severity_before,
                h.controls,
                h.likelihood_after,
                h.severity_after,
            )
            for h in assessment.hazards.all()
        ],
    )
    audit_record(
        actor=actor,
        action="engagement.assessment.revise",
        obj=revision,
        fields=["previous", "revision"],
    )
    return revision


@transaction.atomic
def risk_assessment_reopen(
    *, assessment: RiskAssessment, actor, reason: str, incident: Incident | None = None
) -> RiskAssessment:
    """Reopen an approved assessment for review (after an incident, or an officer's
    concern): activities need it approved again before anyone else is rostered. Its
    owner is emailed.

    Anyone who may report the incident reopens it through the incident; by hand, only
    an officer for its area may (it stops rostering across the whole area)."""
    from engagement.tasks import assessment_reopened_send_task

    assessment = _locked(assessment)
    if assessment.status == RiskAssessment.Status.UNDER_REVIEW:
        return assessment
    if incident is None and not (
        actor is not None and actor.has_perm("engagement.revise_riskassessment", assessment)
    ):
        raise EngagementError(
            f"Only a council officer for {assessment.area.name} can reopen this assessment."
        )
    if assessment.status != RiskAssessment.Status.APPROVED:
        raise EngagementError("Only an approved risk assessment can be reopened for review.")
    if not reason.strip():
        raise EngagementError("Say why it is reopened.")
    assessment.status = RiskAssessment.Status.UNDER_REVIEW
    assessment.reopened_at = timezone.now()
    assessment.reopened_reason = reason.strip()
    assessment.reopened_by_incident = incident
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    audit_record(
        actor=actor,
        action="engagement.assessment.reopen",
        obj=assessment,
        fields=["status", "reopened_at", "reopened_reason", "reopened_by_incident"],
    )
    assessment_id = assessment.pk
    assessment_reopened_send_task.delay_on_commit(assessment_id)
    return assessment


@transaction.atomic
def risk_assessment_withdraw(*, assessment: RiskAssessment, actor, reason: str) -> RiskAssessment:
    """Take an assessment out of use (the task is no longer done there)."""
    assessment = _locked(assessment)
    if assessment.status == RiskAssessment.Status.WITHDRAWN:
        return assessment
    if assessment.status == RiskAssessment.Status.SUPERSEDED:
        raise EngagementError("A replaced revision is already out of use.")
    if not actor.has_perm("engagement.withdraw_riskassessment", assessment):
        raise EngagementError("You cannot withdraw this risk assessment.")
    if not reason.strip():
        raise EngagementError("Say why it is withdrawn.")
    assessment.status = RiskAssessment.Status.WITHDRAWN
    assessment.returned_reason = reason.strip()
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    audit_record(
        actor=actor, action="engagement.assessment.withdraw", obj=assessment, fields=["status"]
    )
    return assessment


def risk_assessment_view(*, assessment: RiskAssessment, actor) -> None:
    """Record that a member of staff read the assessment's details."""
    if _is_staff(actor):
        audit_record(actor=actor, action="engagement.assessment.read", obj=assessment)


# Activities and rosters ---------------------------------------------------------------


ACTIVITY_FIELDS = (
    "title",
    "task",
    "area",
    "site",
    "starts_at",
    "ends_at",
    "project",
    "event",
    "group_name",
    "lead",
    "toolkit",
    "notes",
)
# What can change once scheduled; a different task, area or event is a new activity.
ACTIVITY_EDITABLE = ("title", "site", "starts_at", "ends_at", "group_name", "toolkit", "notes")


@transaction.atomic
def volunteer_activity_schedule(
    *, actor, data: dict, agency=None, api_client: str = ""
) -> VolunteerActivity:
    """Schedule an activity through the gate; its lead (if named) is rostered as lead,
    through the gate too. Nothing is written when anything is refused.

    A partner agency's API client (`agency` and `api_client`, no `actor`) schedules
    through the same gate, for an event the agency organises."""
    activity = VolunteerActivity(created_by=actor)
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    if activity.ends_at < activity.starts_at:
        raise EngagementError("The activity must end after it starts.")
    if activity.event is not None:
        _activity_at_its_event_check(activity)
        existing = VolunteerActivity.objects.filter(event=activity.event).first()
        if existing is not None:
            raise EngagementError(
                f"{activity.event.title} already has its volunteer activity, "
                f"{existing.title}: an event has one."
            )
    result = volunteer_gate_check(
        actor=actor,
        task=activity.task,
        area=activity.area,
        on=activity.day,
        volunteer=activity.lead,
        event=activity.event,
        agency=agency,
    )
    if not result.allowed:
        raise GateRefusedError(result.refusals)
    activity.save()
    if activity.lead is not None:
        ActivityRosterEntry.objects.create(
            activity=activity,
            participant=activity.lead,
            role=ActivityRosterEntry.Role.LEAD,
            rostered_by=actor,
        )
    audit_record(
        actor=actor, api_client=api_client, action="engagement.activity.schedule", obj=activity
    )
    return activity


def _activity_at_its_event_check(activity: VolunteerActivity) -> None:
    """An activity at an event is where the event is: its area is the event's, or a ward
    of it, or the area the event's ward is in. The gate then asks for the risk assessment
    of the place the volunteers will really be, not of another ward that happens to have
    one."""
    event_area = Area.objects.filter(pk=activity.event.area_id)
    same_line = (
        event_area.with_descendants().filter(pk=activity.area_id).exists()
        or event_area.with_ancestors().filter(pk=activity.area_id).exists()
    )
    if not same_line:
        raise EngagementError(
            f"{activity.event.title} is in {activity.event.area.name}: an activity at it is "
            f"in that area, not {activity.area.name}."
        )


def _active_roster(activity: VolunteerActivity):
    return activity.roster.exclude(status=ActivityRosterEntry.Status.WITHDRAWN).select_related(
        "participant"
    )


@transaction.atomic
def volunteer_activity_update(
    *, activity: VolunteerActivity, actor, data: dict, version: int
) -> VolunteerActivity:
    """Change an activity's details; a new day goes through the gate again for the
    activity and everyone on its roster."""
    activity = (
        VolunteerActivity.objects.select_for_update(of=("self",))
        .select_related("task", "area", "event")
        .get(pk=activity.pk)
    )
    _check_version(activity, version)
    if not actor.has_perm("engagement.change_volunteeractivity", activity):
        raise EngagementError("Only a council officer for the area can change it.")
    if activity.status != VolunteerActivity.Status.SCHEDULED:
        raise EngagementError("Only a scheduled activity can be changed.")
    changed = [n for n in ACTIVITY_EDITABLE if n in data and getattr(activity, n) != data[n]]
    for name in changed:
        setattr(activity, name, data[name])
    if activity.ends_at < activity.starts_at:
        raise EngagementError("The activity must end after it starts.")
    if "starts_at" in changed:
        refusals: list[Refusal] = list(
            activity_gate_check(actor=actor, activity=activity).refusals
        )
        for entry in _active_roster(activity):
            result = activity_gate_check(
                actor=actor, activity=activity, volunteer=entry.participant
            )
            refusals += [r for r in result.refusals if r not in refusals]
        if refusals:
            raise GateRefusedError(refusals)
    if changed:
        activity.version = F("version") + 1
        activity.save()
        activity.refresh_from_db()
        audit_record(
            actor=actor, action="engagement.activity.update", obj=activity, fields=changed
        )
    return activity


@transaction.atomic
def volunteer_activity_cancel(*, activity: VolunteerActivity, actor, reason: str = ""):
    activity = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == VolunteerActivity.Status.CANCELLED:
        return activity
    if not actor.has_perm("engagement.change_volunteeractivity", activity):
        raise EngagementError("Only a council officer for the area can cancel it.")
    if activity.status == VolunteerActivity.Status.COMPLETED:
        raise EngagementError("A completed activity cannot be cancelled.")
    activity.status = VolunteerActivity.Status.CANCELLED
    if reason.strip():
        activity.notes = f"{activity.notes}\nCancelled: {reason.strip()}".strip()
    activity.version = F("version") + 1
    activity.save()
    activity.refresh_from_db()
    audit_record(actor=actor, action="engagement.activity.cancel", obj=activity, fields=["status"])
    return activity


@transaction.atomic
def volunteer_roster_add(
    *,
    activity: VolunteerActivity,
    participant: Participant,
    actor,
    role: str = ActivityRosterEntry.Role.VOLUNTEER,
    agency=None,
    api_client: str = "",
) -> ActivityRosterEntry:
    """Roster a volunteer through the gate. Rostering someone already on it returns their
    place. A partner agency's API client (`agency`, no `actor`) rosters through the same
    gate on an activity whose event it organises."""
    activity = (
        VolunteerActivity.objects.select_for_update(of=("self",))
        .select_related("task", "area", "event")
        .get(pk=activity.pk)
    )
    entry = ActivityRosterEntry.objects.filter(activity=activity, participant=participant).first()
    if entry is not None and entry.status != ActivityRosterEntry.Status.WITHDRAWN:
        # Only someone who may roster on the activity hears that the person is on it
        # already: to anyone else the answer would tell who is rostered there.
        refusal = permission_refusal(
            actor=actor, area=activity.area, event=activity.event, agency=agency
        )
        if refusal is not None:
            raise GateRefusedError((refusal,))
        return entry
    if activity.status != VolunteerActivity.Status.SCHEDULED:
        raise EngagementError("Volunteers can only be rostered on a scheduled activity.")
    result = activity_gate_check(
        actor=actor, activity=activity, volunteer=participant, agency=agency
    )
    if not result.allowed:
        raise GateRefusedError(result.refusals)
    if entry is None:
        entry = ActivityRosterEntry.objects.create(
            activity=activity, participant=participant, role=role, rostered_by=actor
        )
    else:
        entry.status, entry.role, entry.rostered_by = (
            ActivityRosterEntry.Status.ROSTERED,
            role,
            actor,
        )
        entry.save(update_fields=["status", "role", "rostered_by", "updated_at"])
    audit_record(
        actor=actor,
        api_client=api_client,
        action="engagement.roster.add",
        obj=entry,
        fields=["participant"],
    )
    return entry


@transaction.atomic
def volunteer_roster_withdraw(*, entry: ActivityRosterEntry, actor) -> ActivityRosterEntry:
    entry = (
        ActivityRosterEntry.objects.select_for_update().select_related("activity").get(pk=entry.pk)
    )
    if not actor.has_perm("engagement.change_volunteeractivity", entry.activity):
        raise EngagementError("Only a council officer for the area can change the roster.")
    if entry.status == ActivityRosterEntry.Status.WITHDRAWN:
        return entry
    entry.status, entry.hours = ActivityRosterEntry.Status.WITHDRAWN, None
    entry.save(update_fields=["status", "hours", "updated_at"])
    participation_withdraw(action=entry)
    audit_record(actor=actor, action="engagement.roster.withdraw", obj=entry, fields=["status"])
    return entry


def _activity_hours(activity: VolunteerActivity) -> Decimal:
    seconds = (activity.ends_at - activity.starts_at).total_seconds()
    return min(Decimal("24"), Decimal(str(round(seconds / 3600, 2))))


@transaction.atomic
def volunteer_hours_record(
    *, activity: VolunteerActivity, actor, marks: dict[int, tuple[bool, Decimal | None]]
) -> int:
    """Record who took part and the hours they gave (entry id -> (took part, hours)).
    Taking part lands in the participation ledger as volunteering; marking someone as
    not having come takes it out."""
    activity = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
    if not actor.has_perm("engagement.change_volunteeractivity", activity):
        raise EngagementError("Only a council officer for the area can record hours.")
    if activity.status == VolunteerActivity.Status.CANCELLED:
        raise EngagementError("The activity was cancelled.")
    if activity.starts_at > timezone.now():
        raise EngagementError("Hours can be recorded once the activity has started.")
    changed = 0
    now = timezone.now()
    entries = (
        ActivityRosterEntry.objects.select_for_update()
        .select_related("participant")
        .filter(activity=activity, pk__in=list(marks))
        .exclude(status=ActivityRosterEntry.Status.WITHDRAWN)
        # In person order, as the summary's queue takes its months: two registers saved
        # at once wait in turn instead of deadlocking.
        .order_by("participant_id")
    )
    for entry in entries:
        took_part, hours = marks[entry.pk]
        if hours is not None and not (0 <= hours <= 24):
            raise EngagementError("Hours given must be from 0 to 24.")
        status = (
            ActivityRosterEntry.Status.ATTENDED if took_part else ActivityRosterEntry.Status.ABSENT
        )
        new_hours = (
            (hours if hours is not None else _activity_hours(activity)) if took_part else None
        )
        if entry.status == status and entry.hours == new_hours:
            continue
        entry.status, entry.hours, entry.hours_recorded_at = status, new_hours, now
        entry.save(update_fields=["status", "hours", "hours_recorded_at", "updated_at"])
        if took_part:
            participation_record(
                participant=entry.participant,
                kind=ParticipationRecord.Kind.VOLUNTEERING,
                occurred_at=activity.starts_at,
                action=entry,
                area=activity.area,
                project=activity.project,
                event=activity.event,
                channel=Channel.IN_PERSON,
            )
        else:
            participation_withdraw(action=entry)
        changed += 1
    if changed and activity.status == VolunteerActivity.Status.SCHEDULED:
        VolunteerActivity.objects.filter(pk=activity.pk).update(
            status=VolunteerActivity.Status.COMPLETED, updated_at=now
        )
    audit_record(
        actor=actor,
        action="engagement.roster.hours",
        obj=activity,
        object_ids=list(marks),
        fields=["status", "hours"],
    )
    return changed


# Incidents ----------------------------------------------------------------------------


@transaction.atomic
def incident_report(
    *,
    activity: VolunteerActivity,
    actor,
    kind: str,
    occurred_at: datetime,
    description: str,
    injury_details: str = "",
    first_aid_given: bool = False,
    submission_key: uuid.UUID | None = None,
) -> Incident:
    """A volunteer, lead or officer reports an accident, near miss or dangerous find.
    Every approved risk assessment that covered the activity is reopened for review. A
    repeated submission (same key) returns the first report."""
    if submission_key is not None:
        existing = Incident.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if not actor.has_perm("engagement.report_incident", activity):
        raise EngagementError(
            "Only people rostered on the activity and officers for its area can report an "
            "incident on it."
        )
    if kind not in Incident.Kind.values:
        raise EngagementError("Say what kind of incident it was.")
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise EngagementError("The incident cannot have happened in the future.")
    if not description.strip():
        raise EngagementError("Describe what happened.")
    reporter = Participant.objects.filter(user=actor, erased_at__isnull=True).first()
    incident = Incident.objects.create(
        activity=activity,
        kind=kind,
        occurred_at=occurred_at,
        description=description.strip(),
        injury_details=injury_details.strip(),
        first_aid_given=first_aid_given,
        reported_by=actor,
        reporter=reporter,
        submission_key=submission_key,
    )
    audit_record(
        actor=actor,
        action="engagement.incident.report",
        obj=incident,
        fields=["kind", "description", *(["injury_details"] if incident.injury_details else [])],
    )
    when = timezone.localtime(occurred_at)
    for assessment in assessment_candidates(
        task=activity.task, area=activity.area, event=activity.event
    ):
        if assessment.status == RiskAssessment.Status.APPROVED:
            risk_assessment_reopen(
                assessment=assessment,
                actor=actor,
                reason=f"{incident.get_kind_display().split(':')[0]} during {activity.title} "
                f"on {date_format(when, 'j F Y')} ({incident.reference})",
                incident=incident,
            )
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, actor, action_taken: str) -> Incident:
    incident = (
        Incident.objects.select_for_update().select_related("activity__area").get(pk=incident.pk)
    )
    if not actor.has_perm("engagement.view_incident", incident):
        raise EngagementError("Only a council officer for the area can close an incident.")
    if incident.status == Incident.Status.CLOSED:
        return incident
    if not action_taken.strip():
        raise EngagementError("Say what was done about it.")
    incident.status = Incident.Status.CLOSED
    incident.action_taken = action_taken.strip()
    incident.closed_by = actor
    incident.closed_at = timezone.now()
    incident.save()
    audit_record(
        actor=actor,
        action="engagement.incident.close",
        obj=incident,
        fields=["status", "action_taken"],
    )
    return incident


def incident_view(*, incident: Incident, actor) -> None:
    """Record a member of staff's read of an incident (and of its injury details, which
    are health data)."""
    audit_record(
        actor=actor,
        action="engagement.incident.read",
        obj=incident,
        fields=["injury_details"] if incident.injury_details else [],
    )


# Activity reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityReportDraft:
    task: VolunteerTask
    done_on: date
    place: str
    postcode: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    bags_collected: int = 0
    volunteers: int = 1
    hours: Decimal | None = None
    notes: str = ""
    left_for_council: str = ""
    loan: ToolkitLoan | None = None
    group_name: str = ""
    ward: Area | None = None
    extra: dict = field(default_factory=dict)


@transaction.atomic
def activity_report_create(
    *,
    reporter: Participant,
    draft: ActivityReportDraft,
    photos: Sequence[ProcessedPhoto] = (),
    submission_key: uuid.UUID | None = None,
) -> ActivityReport:
    """A group lead reports what the group did (Milton Keynes: every activity with a kit,
    with photos). Located to a ward so that the council sees where problems recur. A
    repeated submission (same key) returns the first report."""
    if submission_key is not None:
        existing = ActivityReport.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if draft.task.is_prohibited:
        raise GateRefusedError([prohibited_refusal(draft.task)])
    if draft.done_on > _today():
        raise EngagementError("The day of the activity cannot be in the future.")
    if not draft.place.strip():
        raise EngagementError("Say where the work was done.")
    if draft.volunteers < 1:
        raise EngagementError("At least one person took part.")
    if draft.loan is not None and draft.loan.holder_id != reporter.pk:
        raise EngagementError("That kit is not on loan to you.")
    if len(photos) > MAX_PHOTOS:
        raise EngagementError(f"Add up to {MAX_PHOTOS} photos.")
    latitude, longitude = draft.latitude, draft.longitude
    postcode = (postcode_normalise(draft.postcode) or "") if draft.postcode else ""
    ward = None
    if postcode:
        found = postcode_locate(postcode=postcode)
        ward = found.ward if found else None
    if ward is None and latitude is not None:
        ward = ward_for_point(latitude=float(latitude), longitude=float(longitude))
    ward = ward or draft.ward or reporter.home_ward
    report = ActivityReport.objects.create(
        task=draft.task,
        loan=draft.loan,
        reporter=reporter,
        group_name=(draft.group_name or (draft.loan.group_name if draft.loan else ""))[:150],
        done_on=draft.done_on,
        place=draft.place.strip()[:255],
        postcode=postcode,
        ward=ward,
        latitude=latitude,
        longitude=longitude,
        bags_collected=draft.bags_collected,
        volunteers=draft.volunteers,
        hours=draft.hours,
        notes=draft.notes.strip(),
        left_for_council=draft.left_for_council.strip(),
        submission_key=submission_key,
    )
    for photo in photos:
        row = ActivityPhoto(report=report, width=photo.width, height=photo.height)
        row.image.save("photo.jpg", photo.content, save=False)
        row.save()
    participation_record(
        participant=reporter,
        kind=ParticipationRecord.Kind.VOLUNTEERING,
        occurred_at=_start_of(draft.done_on),
        action=report,
        area=ward,
        channel=Channel.IN_PERSON,
    )
    return report


# The nightly check ----------------------------------------------------------------------


def safety_alerts_flag(*, today: date | None = None) -> int:
    """Flag what falls due within NOTICE_DAYS (or is already past): assessments' reviews,
    training that lapses, kits overdue. Each is flagged once per due date."""
    today = today or _today()
    horizon = today + timedelta(days=NOTICE_DAYS)
    alerts = [
        SafetyAlert(kind=SafetyAlert.Kind.ASSESSMENT_REVIEW, assessment_id=pk, due_on=due)
        for pk, due in RiskAssessment.objects.approved()
        .filter(review_on__lte=horizon)
        .values_list("pk", "review_on")
    ]
    alerts += [
        SafetyAlert(kind=SafetyAlert.Kind.TRAINING_LAPSING, training_record_id=pk, due_on=due)
        for pk, due in TrainingRecord.objects.filter(
            expires_on__gte=today,
            expires_on__lte=horizon,
            participant__erased_at__isnull=True,
        )
        # A refresher already recorded replaces the lapsing record: no one is told to
        # renew what they have renewed (the dashboard leaves these out too).
        .exclude(
            Exists(
                TrainingRecord.objects.filter(
                    participant=OuterRef("participant"),
                    course=OuterRef("course"),
                    completed_on__gt=OuterRef("completed_on"),
                )
            )
        )
        .values_list("pk", "expires_on")
    ]
    alerts += [
        SafetyAlert(kind=SafetyAlert.Kind.LOAN_OVERDUE, loan_id=pk, due_on=due)
        for pk, due in ToolkitLoan.objects.overdue(today=today).values_list("pk", "due_on")
    ]
    before = SafetyAlert.objects.count()
    # The unique constraints make a second run (or two at once) add nothing.
    SafetyAlert.objects.bulk_create(alerts, ignore_conflicts=True, batch_size=500)
    return SafetyAlert.objects.count() - before


def safety_alerts_email(*, batch: int = 500) -> int:
    """Email the owners of every flagged item not yet emailed, each in its own
    transaction, so that a failure is retried on the next run and nothing twice."""
    from engagement.volunteering.notifications import safety_alert_send

    sent, after = 0, 0
    while True:
        pending = list(
            SafetyAlert.objects.filter(emailed_at__isnull=True, pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not pending:
            return sent
        after = pending[-1]
        for alert_id in pending:
            try:
                with transaction.atomic():
                    alert = (
                        SafetyAlert.objects.select_for_update(skip_locked=True, of=("self",))
                        .select_related(
                            "training_record__participant",
                            "training_record__recorded_by",
                            "training_record__course",
                            "loan__holder",
                            "loan__lent_by",
                            "loan__toolkit",
                        )
                        .filter(pk=alert_id, emailed_at__isnull=True)
                        .first()
                    )
                    if alert is None:
                        continue
                    alert.recipients = safety_alert_send(alert=alert)
                    alert.emailed_at = timezone.now()
                    alert.save(update_fields=["recipients", "emailed_at", "updated_at"])
                    sent += 1
            except OSError:
                logger.exception("safety alert email failed", extra={"alert_id": alert_id})


def safety_checks_run(*, today: date | None = None) -> dict[str, int]:
    """The nightly check: flag, then email. Running it twice flags and emails once."""
    flagged = safety_alerts_flag(today=today)
    emailed = safety_alerts_email()
    logger.info("volunteering safety check", extra={"flagged": flagged, "emailed": emailed})
    return {"flagged": flagged, "emailed": emailed}
