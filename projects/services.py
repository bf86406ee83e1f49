"""Every change to a project goes through here: details, stages and their gates, roster,
evidence, funding, outcomes and the commissioning assessment.

Each function checks that the person may change the project (the same rules as the
pages), validates, writes in one transaction with the audit trail, and raises a
ValidationError whose message says what to put right.
"""

import datetime
import secrets
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Area
from coproduction.accounts.roles import Role
from coproduction.versioning import version_check_and_bump
from engagement.models import Participant, ParticipationRecord
from engagement.participation import participation_record, participation_withdraw
from governance.audit import audit_record
from governance.models import Budget, PartnerAgency, SignOffRequest
from governance.signoffs import signoff_for, signoff_request, signoff_withdraw

from .gates import (
    SIGNOFF_STAGES,
    Condition,
    GateContext,
    gate_signoff_key,
    gates,
)
from .ledger import budget_held
from .models import (
    CommissioningAssessment,
    CoproductionForm,
    FundingLine,
    Indicator,
    LadderRung,
    Measurement,
    Project,
    ProjectDocument,
    RosterEntry,
    StageTransition,
    stage_after,
    stage_before,
)


class ProjectRuleError(ValidationError):
    """A change the project's rules do not allow, with the reason in plain words."""


class GateNotPassedError(ProjectRuleError):
    """The project may not move on yet: `unmet` lists every condition still missing."""

    def __init__(self, unmet: list[Condition], stage_label: str) -> None:
        self.unmet = unmet
        super().__init__(
            [condition.missing or str(condition.label) for condition in unmet],
            code="gate_not_passed",
        )
        self.stage_label = stage_label


def _require_change(actor, project: Project) -> None:
    if not actor.has_perm("projects.change_project", project):
        raise PermissionDenied("You cannot change this project.")


def _lock(project: Project) -> Project:
    """The project's row, locked for the rest of the transaction."""
    return Project.objects.select_for_update().get(pk=project.pk)


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _aware_start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def spend_signoff_threshold() -> Decimal:
    """The council's threshold, read now so that a changed setting applies at once."""
    raw = settings.PROJECT_SPEND_SIGNOFF_THRESHOLD
    try:
        threshold = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ImproperlyConfigured(
            f"PROJECT_SPEND_SIGNOFF_THRESHOLD must be an amount in pounds, not {raw!r}"
        ) from None
    if threshold < 0:
        raise ImproperlyConfigured("PROJECT_SPEND_SIGNOFF_THRESHOLD cannot be negative")
    return threshold


# Projects ---------------------------------------------------------------------------

PROJECT_FIELDS = (
    "title",
    "summary",
    "service_area",
    "lead_officer",
    "mode",
    "scale",
    "ladder_target",
    "ladder_actual",
    "planned_start",
    "planned_end",
)


def _validate_project(
    *, planned_start, planned_end, areas: list[Area], forms: Iterable[str]
) -> None:
    errors = {}
    if not areas:
        errors["areas"] = "Choose at least one area the project serves."
    if not list(forms):
        errors["forms"] = "Choose at least one form of co-production the project takes."
    if planned_start and planned_end and planned_end < planned_start:
        errors["planned_end"] = "The planned end must be on or after the planned start."
    if errors:
        raise ProjectRuleError(errors)


def _check_areas_in_scope(*, actor, areas: list[Area]) -> None:
    if actor.has_role(Role.ADMINISTRATOR):
        return
    from .scope import area_scope_for_changing

    allowed = set(
        area_scope_for_changing(user=actor)
        .filter(pk__in=[a.pk for a in areas])
        .values_list("pk", flat=True)
    )
    outside = [area.name for area in areas if area.pk not in allowed]
    if outside:
        raise ProjectRuleError(
            {"areas": f"You do not cover {', '.join(outside)}: choose areas you work in."}
        )


@transaction.atomic
def project_create(
    *,
    created_by,
    title: str,
    areas: Iterable[Area],
    forms: Iterable[str],
    summary: str = "",
    service_area=None,
    communities: Iterable = (),
    lead_officer=None,
    partner_agencies: Iterable = (),
    mode: str = Project.Mode.COLLECTIVE,
    scale: str = Project.Scale.PILOT,
    ladder_target: int = LadderRung.PARTNERSHIP,
    ladder_actual: int | None = None,
    planned_start: datetime.date | None = None,
    planned_end: datetime.date | None = None,
    reference: str = "",
) -> Project:
    """Register a project in design. Without a reference, one is given (CP-00042)."""
    if not created_by.has_perm("projects.add_project"):
        raise PermissionDenied("Only council staff register projects.")
    areas = list(areas)
    forms = set(forms)
    _validate_project(
        planned_start=planned_start, planned_end=planned_end, areas=areas, forms=forms
    )
    _check_areas_in_scope(actor=created_by, areas=areas)
    reference = reference.strip()
    if reference and Project.objects.filter(reference__iexact=reference).exists():
        raise ProjectRuleError({"reference": f"Another project has reference {reference}."})
    project = Project(
        reference=reference or f"new-{secrets.token_hex(8)}",
        title=title.strip(),
        summary=summary.strip(),
        service_area=service_area,
        lead_officer=lead_officer,
        mode=mode,
        scale=scale,
        ladder_target=ladder_target,
        ladder_actual=ladder_actual,
        planned_start=planned_start,
        planned_end=planned_end,
        **{form.value: form.value in forms for form in CoproductionForm},
    )
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        raise ProjectRuleError(
            {"reference": f"Another project has reference {reference}."}
        ) from None
    if not reference:
        project.reference = f"CP-{project.pk:05d}"
        Project.objects.filter(pk=project.pk).update(reference=project.reference)
    project.areas.set(areas)
    project.communities.set(communities)
    project.partner_agencies.set(partner_agencies)
    audit_record(actor=created_by, action="project.created", obj=project)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    updated_by,
    expected_version: int,
    areas: Iterable[Area],
    forms: Iterable[str],
    communities: Iterable = (),
    partner_agencies: Iterable = (),
    **fields,
) -> Project:
    """Change a project's details; refused (EditConflictError) if someone else saved it
    since `expected_version` was read."""
    _require_change(updated_by, project)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Not a project detail: {', '.join(sorted(unknown))}")
    areas = list(areas)
    forms = set(forms)
    _validate_project(
        planned_start=fields.get("planned_start", project.planned_start),
        planned_end=fields.get("planned_end", project.planned_end),
        areas=areas,
        forms=forms,
    )
    _check_areas_in_scope(actor=updated_by, areas=areas)
    locked = _lock(project)
    version_check_and_bump(instance=locked, expected_version=expected_version)
    changed = []
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    for form in CoproductionForm:
        chosen = form.value in forms
        if getattr(locked, form.value) != chosen:
            setattr(locked, form.value, chosen)
            changed.append(form.value)
    locked.save()
    for name, values in (
        ("areas", areas),
        ("communities", communities),
        ("partner_agencies", partner_agencies),
    ):
        manager = getattr(locked, name)
        new_ids = {obj.pk for obj in values}
        if set(manager.values_list("pk", flat=True)) != new_ids:
            manager.set(values)
            changed.append(name)
    audit_record(actor=updated_by, action="project.updated", obj=locked, fields=changed)
    return locked


@transaction.atomic
def project_publish(
    *, project: Project, actor, public_summary: str, expected_version: int
) -> Project:
    """Show the project on the public pages, with a summary written for residents."""
    _require_change(actor, project)
    public_summary = public_summary.strip()
    if not public_summary:
        raise ProjectRuleError(
            {"public_summary": "Write a summary for the public page before publishing."}
        )
    locked = _lock(project)
    version_check_and_bump(instance=locked, expected_version=expected_version)
    locked.public_summary = public_summary
    if not locked.is_published:
        locked.is_published = True
        locked.published_at = timezone.now()
    locked.save(update_fields=["public_summary", "is_published", "published_at", "updated_at"])
    audit_record(actor=actor, action="project.published", obj=locked, fields=["public_summary"])
    return locked


@transaction.atomic
def project_unpublish(*, project: Project, actor, expected_version: int) -> Project:
    _require_change(actor, project)
    locked = _lock(project)
    version_check_and_bump(instance=locked, expected_version=expected_version)
    if locked.is_published:
        locked.is_published = False
        locked.save(update_fields=["is_published", "updated_at"])
        audit_record(actor=actor, action="project.unpublished", obj=locked)
    return locked


# Stages -----------------------------------------------------------------------------


def _transition_write(
    *,
    project: Project,
    actor,
    to_stage: str,
    direction: str,
    note: str,
    signoff: SignOffRequest | None = None,
    conditions: list[Condition] = (),
    evidence: Iterable[ProjectDocument] = (),
) -> StageTransition:
    """Move the (locked) project and write the transition and the audit event: called
    inside the caller's transaction, so that all three are written or none is."""
    now = timezone.now()
    from_stage = project.stage
    Project.objects.filter(pk=project.pk).update(
        stage=to_stage, stage_entered_at=now, version=F("version") + 1, updated_at=now
    )
    project.stage, project.stage_entered_at = to_stage, now
    project.version += 1
    transition = StageTransition.objects.create(
        project=project,
        from_stage=from_stage,
        to_stage=to_stage,
        direction=direction,
        note=note,
        signoff=signoff,
        conditions=[condition.as_record() for condition in conditions],
        actor=actor,
        occurred_at=now,
    )
    transition.evidence.set(evidence)
    audit_record(actor=actor, action="project.stage_changed", obj=project, fields=["stage"])
    return transition


@transaction.atomic
def project_advance(*, project: Project, actor, to_stage: str, note: str = "") -> StageTransition:
    """Move a project on to its next stage, once every gate condition holds.

    One stage at a time: `to_stage` must be the stage after the current one (so a repeated
    or stale request is refused rather than applied twice). Raises GateNotPassedError
    naming each condition still missing.
    """
    _require_change(actor, project)
    locked = _lock(project)
    current = Project.Stage(locked.stage)
    if to_stage == current:
        raise ProjectRuleError(f"The project is already in {current.label.lower()}.")
    following = stage_after(current)
    if following is None:
        raise ProjectRuleError(
            f"A {current.label.lower()} project does not move on: move it back first."
        )
    if to_stage != following:
        raise ProjectRuleError(
            f"A project moves one stage at a time: from {current.label.lower()} it can "
            f"only move on to {Project.Stage(following).label.lower()}."
        )
    context = GateContext(project=locked, leaving=current, entering=following)
    conditions = gates.evaluate(context)
    unmet = [condition for condition in conditions if not condition.met]
    if unmet:
        raise GateNotPassedError(unmet, stage_label=Project.Stage(following).label)
    signoff = None
    if current in SIGNOFF_STAGES:
        signoff = context.signoffs.get((SignOffRequest.Kind.STAGE_GATE, gate_signoff_key(current)))
    evidence = [doc for doc in context.documents if doc.stage == current]
    return _transition_write(
        project=locked,
        actor=actor,
        to_stage=following,
        direction=StageTransition.Direction.FORWARD,
        note=note.strip(),
        signoff=signoff,
        conditions=conditions,
        evidence=evidence,
    )


@transaction.atomic
def project_move_back(
    *, project: Project, actor, reason: str, from_stage: str | None = None
) -> StageTransition:
    """Move a project back one stage (or restart a stopped one where it stopped).

    With `from_stage` (the stage the page was opened in), a repeated or stale request is
    refused rather than moving the project back a second time.
    """
    _require_change(actor, project)
    reason = reason.strip()
    if not reason:
        raise ProjectRuleError({"reason": "Say why the project is moving back."})
    locked = _lock(project)
    if from_stage and locked.stage != from_stage:
        now = Project.Stage(locked.stage).label.lower()
        raise ProjectRuleError(
            f"The project has moved since this page was opened: it is now "
            f"{f'in {now}' if locked.is_open else now}. Nothing was changed."
        )
    if locked.stage == Project.Stage.STOPPED:
        stop = locked.transitions.filter(direction=StageTransition.Direction.STOPPED).last()
        to_stage = stop.from_stage if stop else Project.Stage.DESIGN
        direction = StageTransition.Direction.RESUMED
    else:
        to_stage = stage_before(locked.stage)
        direction = StageTransition.Direction.BACK
        if to_stage is None:
            raise ProjectRuleError("A project in design has no stage to move back to.")
    return _transition_write(
        project=locked, actor=actor, to_stage=to_stage, direction=direction, note=reason
    )


@transaction.atomic
def project_stop(*, project: Project, actor, reason: str) -> StageTransition:
    """Stop a project that will not go on, keeping everything recorded about it."""
    _require_change(actor, project)
    reason = reason.strip()
    if not reason:
        raise ProjectRuleError({"reason": "Say why the project is stopping."})
    locked = _lock(project)
    if not locked.is_open:
        raise ProjectRuleError(
            f"The project is already {Project.Stage(locked.stage).label.lower()}."
        )
    return _transition_write(
        project=locked,
        actor=actor,
        to_stage=Project.Stage.STOPPED,
        direction=StageTransition.Direction.STOPPED,
        note=reason,
    )


def project_gate_signoff_request(
    *, project: Project, requested_by, summary: str, deadline: datetime.date | None = None
) -> SignOffRequest:
    """Ask an elected member to sign off leaving the project's current stage."""
    _require_change(requested_by, project)
    stage = Project.Stage(project.stage)
    if stage not in SIGNOFF_STAGES:
        raise ProjectRuleError(
            f"Leaving {stage.label.lower()} does not need an elected member's sign-off."
        )
    summary = summary.strip()
    if not summary:
        raise ProjectRuleError({"summary": "Say what the member is asked to approve."})
    if deadline is not None and deadline < timezone.localdate():
        raise ProjectRuleError({"deadline": "The deadline must be today or later."})
    key = gate_signoff_key(stage)
    latest = signoff_for(subject=project, kind=SignOffRequest.Kind.STAGE_GATE, key=key)
    if (
        latest is not None
        and latest.status == SignOffRequest.Status.APPROVED
        and latest.decided_at >= project.stage_entered_at
    ):
        raise ProjectRuleError(f"Leaving {stage.label.lower()} is already signed off.")
    return signoff_request(
        kind=SignOffRequest.Kind.STAGE_GATE,
        subject=project,
        key=key,
        # The member's list and decision page show the summary alone: name the project.
        summary=f"{project}: leaving {stage.label.lower()}. {summary}",
        requested_by=requested_by,
        areas=project.areas.all(),
        deadline=deadline,
    )


# Evidence and documents -------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    project: Project,
    recorded_by,
    stage: str,
    kind: str,
    title: str,
    summary: str = "",
    url: str = "",
    file=None,
    decided_on: datetime.date | None = None,
) -> ProjectDocument:
    """Record evidence for a stage: what residents decided, notes, a report or a link."""
    _require_change(recorded_by, project)
    errors = {}
    if kind == ProjectDocument.Kind.DECISION and not summary.strip():
        errors["summary"] = "Say what residents decided."
    if kind != ProjectDocument.Kind.DECISION and not (url or file or summary.strip()):
        errors["url"] = "Give a link, attach a file or describe the document."
    if decided_on and decided_on > timezone.localdate():
        errors["decided_on"] = "The date residents decided cannot be in the future."
    if errors:
        raise ProjectRuleError(errors)
    document = ProjectDocument(
        project=project,
        stage=stage,
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        url=url,
        decided_on=decided_on,
        recorded_by=recorded_by,
    )
    if file is not None:
        document.file_name = file.name[-255:]
        document.file = file
    document.save()
    audit_record(actor=recorded_by, action="project.document_added", obj=document)
    return document


@transaction.atomic
def document_delete(*, document: ProjectDocument, deleted_by) -> None:
    """Remove a document recorded by mistake; evidence a stage change relied on stays."""
    _require_change(deleted_by, document.project)
    if document.transitions.exists():
        raise ProjectRuleError(
            "This document is evidence for a stage the project has passed, so it is kept."
        )
    audit_record(actor=deleted_by, action="project.document_deleted", obj=document)
    stored = document.file.name if document.file else ""
    document.delete()
    if stored:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(stored))


# Roster -----------------------------------------------------------------------------

ROLES_FOR_RESIDENTS = {
    RosterEntry.Role.CO_DESIGNER,
    RosterEntry.Role.VOLUNTEER,
    RosterEntry.Role.STREET_CHAMPION,
    RosterEntry.Role.BOARD_REPRESENTATIVE,
}
ROLES_FOR_ACCOUNTS = {
    RosterEntry.Role.CO_DESIGNER: None,
    RosterEntry.Role.BOARD_REPRESENTATIVE: {Role.BOARD_MEMBER, Role.ELECTED_MEMBER},
    RosterEntry.Role.STAFF_LEAD: {Role.OFFICER, Role.ADMINISTRATOR},
    RosterEntry.Role.PARTNER_LEAD: {Role.PARTNER_AGENCY},
}


def _validate_roster(
    *,
    participant: Participant | None,
    user,
    role: str,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    hours: Decimal,
) -> None:
    errors = {}
    if (participant is None) == (user is None):
        raise ProjectRuleError("Choose one person: a resident or someone with an account.")
    role_label = RosterEntry.Role(role).label.lower()
    if participant is not None and role not in ROLES_FOR_RESIDENTS:
        errors["role"] = f"A resident cannot be the {role_label}: choose a resident's role."
    if user is not None:
        if role not in ROLES_FOR_ACCOUNTS:
            errors["role"] = (
                f"Only residents take part as {role_label}: add them from the residents."
            )
        else:
            needed = ROLES_FOR_ACCOUNTS[role]
            if needed and not any(user.has_role(r) for r in needed):
                held = ", ".join(sorted(str(Role(r).label).lower() for r in needed))
                errors["role"] = f"The {role_label} must be a {held}."
    if started_on > timezone.localdate():
        errors["started_on"] = "The start date cannot be in the future: add them once they start."
    if ended_on is not None and ended_on < started_on:
        errors["ended_on"] = "The end date must be on or after the start date."
    if hours < 0:
        errors["hours"] = "Hours given cannot be negative."
    if errors:
        raise ProjectRuleError(errors)


def _roster_record_participation(entry: RosterEntry) -> None:
    if entry.participant_id is None:
        return
    participation_record(
        participant=entry.participant,
        kind=ParticipationRecord.Kind.ROSTER,
        occurred_at=_aware_start_of(entry.started_on),
        action=entry,
        project=entry.project,
    )


@transaction.atomic
def roster_entry_add(
    *,
    project: Project,
    added_by,
    role: str,
    started_on: datetime.date,
    participant: Participant | None = None,
    user=None,
    participation_level: str = "involved",
    ended_on: datetime.date | None = None,
    hours: Decimal = Decimal(0),
) -> RosterEntry:
    """Put a person on the roster; a resident's place counts in the inclusion reports."""
    _require_change(added_by, project)
    _validate_roster(
        participant=participant,
        user=user,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
        hours=hours,
    )
    existing = project.roster.filter(
        **({"participant": participant} if participant is not None else {"user": user})
    ).first()
    if existing is not None:
        raise ProjectRuleError(
            f"{participant or user} is already on the roster as "
            f"{existing.get_role_display().lower()}: change that entry instead."
        )
    entry = RosterEntry(
        project=project,
        participant=participant,
        user=user,
        role=role,
        participation_level=participation_level,
        started_on=started_on,
        ended_on=ended_on,
        hours=hours,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Someone else added the same person a moment ago.
        raise ProjectRuleError(f"{participant or user} is already on the roster.") from None
    _roster_record_participation(entry)
    audit_record(
        actor=added_by,
        action="project.roster_added",
        obj=entry,
        fields=["role", "participation_level", "started_on", "ended_on", "hours"],
    )
    return entry


@transaction.atomic
def roster_entry_update(
    *,
    entry: RosterEntry,
    updated_by,
    expected_version: int,
    role: str,
    participation_level: str,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    hours: Decimal,
) -> RosterEntry:
    _require_change(updated_by, entry.project)
    _validate_roster(
        participant=entry.participant,
        user=entry.user,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
        hours=hours,
    )
    entry = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    version_check_and_bump(instance=entry, expected_version=expected_version)
    changed = []
    for name, value in (
        ("role", role),
        ("participation_level", participation_level),
        ("started_on", started_on),
        ("ended_on", ended_on),
        ("hours", hours),
    ):
        if getattr(entry, name) != value:
            setattr(entry, name, value)
            changed.append(name)
    if changed:
        entry.save()
        _roster_record_participation(entry)
        audit_record(actor=updated_by, action="project.roster_changed", obj=entry, fields=changed)
    return entry


@transaction.atomic
def roster_entry_remove(*, entry: RosterEntry, removed_by) -> None:
    """Take someone off the roster entirely (a place recorded by mistake). Someone who
    has left keeps their entry, with an end date."""
    _require_change(removed_by, entry.project)
    participation_withdraw(action=entry)
    audit_record(actor=removed_by, action="project.roster_removed", obj=entry)
    entry.delete()


# Funding ----------------------------------------------------------------------------

BUDGET_SOURCES = set(FundingLine.BUDGET_KINDS)
# A line in one of these states is closed: it no longer counts and cannot change.
CLOSED_FUNDING_STATUSES = frozenset({FundingLine.Status.WITHDRAWN, FundingLine.Status.REFUSED})


def _money(value) -> str:
    return f"£{Decimal(value):,.2f}"


def funding_needs_signoff(*, line: FundingLine) -> bool:
    """Money from a devolved budget is a funding decision, whatever its amount; other
    council money needs a spend sign-off over the threshold."""
    if line.is_devolved:
        return True
    return line.is_council_money and line.amount > spend_signoff_threshold()


def funding_signoff_approved(*, line: FundingLine) -> bool:
    """An elected member approved this line, for at least its current amount."""
    latest = signoff_for(subject=line.project, kind=line.signoff_kind, key=line.signoff_key)
    return (
        latest is not None
        and latest.status == SignOffRequest.Status.APPROVED
        and latest.amount is not None
        and latest.amount >= line.amount
    )


def _signoff_refusal_message(line: FundingLine) -> str:
    if line.is_devolved:
        return (
            f"{_money(line.amount)} from {line.budget} is a funding decision, so an elected "
            "member must sign it off before it is committed or spent. Ask for sign-off on "
            "this funding line."
        )
    return (
        f"{_money(line.amount)} from the {line.get_source_display().lower()} is over the "
        f"council's {_money(spend_signoff_threshold())} threshold, so an elected member "
        "must sign it off before it is committed or spent. Ask for sign-off on this "
        "funding line."
    )


def _validate_funding(
    *,
    project: Project,
    source: str,
    amount: Decimal,
    budget,
    partner_agency,
    funder_name: str,
    is_grant: bool,
    recipient_name: str,
    recipient_charity_number: str,
    recipient_company_number: str,
    recipient_org_id: str,
) -> None:
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = "Enter an amount more than £0."
    if budget is None and source in BUDGET_SOURCES:
        errors["budget"] = (
            f"Choose the budget the {FundingLine.Source(source).label.lower()} money comes from."
        )
    if budget is not None:
        if source not in BUDGET_SOURCES:
            errors["budget"] = (
                f"A {FundingLine.Source(source).label.lower()} does not draw on a devolved "
                "budget: leave the budget empty."
            )
        elif budget.kind != FundingLine.BUDGET_KINDS[source]:
            errors["budget"] = (
                f"{budget} is a {budget.get_kind_display().lower()}, not a "
                f"{FundingLine.Source(source).label.lower()}."
            )
        else:
            related = Area.objects.filter(pk__in=project.areas.values("pk"))
            reach = related.with_ancestors() | related.with_descendants()
            if not reach.filter(pk=budget.area_id).exists():
                errors["budget"] = (
                    f"{budget} is for {budget.area}, which this project does not serve."
                )
        if (
            "budget" not in errors
            and budget.max_award is not None
            and amount is not None
            and amount > budget.max_award
        ):
            errors["amount"] = (
                f"{budget} awards at most {_money(budget.max_award)} to one project."
            )
    if source == FundingLine.Source.PARTNER and partner_agency is None and not funder_name:
        errors["partner_agency"] = "Choose the partner agency contributing, or name the partner."
    if partner_agency is not None and source != FundingLine.Source.PARTNER:
        errors["partner_agency"] = "Only a partner contribution names a partner agency."
    if source == FundingLine.Source.EXTERNAL_MATCH and not funder_name:
        errors["funder_name"] = "Name the funder of the match funding."
    if is_grant:
        if source not in FundingLine.COUNCIL_SOURCES:
            errors["is_grant"] = "Only council money is a grant the council makes."
        if not recipient_name:
            errors["recipient_name"] = "Name the organisation the grant is made to."
        if recipient_charity_number and not recipient_charity_number.replace("-", "").isalnum():
            errors["recipient_charity_number"] = "Enter the charity number as registered."
        if recipient_company_number and not (
            len(recipient_company_number) == 8 and recipient_company_number.isalnum()
        ):
            errors["recipient_company_number"] = (
                "Enter the 8-character company number, e.g. 01234567 or SC123456."
            )
        if recipient_org_id and recipient_org_id.count("-") < 2:
            errors["recipient_org_id"] = (
                "Enter an identifier from org-id.guide, e.g. GB-SC-SC012345."
            )
    if errors:
        raise ProjectRuleError(errors)


def _budget_check_and_lock(*, line: FundingLine) -> None:
    """Within the transaction, lock the line's budget and refuse the line unless it fits
    in what is left: the money committed and the money held for pending decisions of
    every other line count, so that the budget is never over-committed; and, for a fund
    with a maximum award, within what one project may have from it."""
    if line.budget_id is None:
        return
    budget = Budget.objects.select_for_update().get(pk=line.budget_id)
    left = budget.amount - budget_held(budget=budget, excluding=line)
    if line.amount > left:
        raise ProjectRuleError(
            {
                "amount": (
                    f"{budget} has {_money(max(left, Decimal(0)))} left to commit (counting "
                    f"money waiting for a decision), less than {_money(line.amount)}."
                )
            }
        )
    if budget.max_award is not None:
        # The fund's maximum is for a project, however many awards it is split into.
        given = budget_held(budget=budget, excluding=line, project_id=line.project_id)
        if given + line.amount > budget.max_award:
            raise ProjectRuleError(
                {
                    "amount": (
                        f"{budget} awards at most {_money(budget.max_award)} to one project, "
                        f"and {line.project} has {_money(given)} from it already (counting "
                        "money waiting for a decision)."
                    )
                }
            )


def _commit(line: FundingLine, *, committed_on: datetime.date | None) -> None:
    _budget_check_and_lock(line=line)
    line.status = FundingLine.Status.COMMITTED
    line.committed_on = committed_on or timezone.localdate()


@transaction.atomic
def funding_line_create(
    *,
    project: Project,
    created_by,
    source: str,
    amount: Decimal,
    budget: Budget | None = None,
    partner_agency=None,
    funder_name: str = "",
    description: str = "",
    committed_on: datetime.date | None = None,
    is_grant: bool = False,
    recipient_name: str = "",
    recipient_charity_number: str = "",
    recipient_company_number: str = "",
    recipient_org_id: str = "",
) -> FundingLine:
    """Add a funding line. It is committed at once unless it needs an elected member's
    decision: money from a devolved budget (held in the budget meanwhile), or other council
    money over the threshold."""
    _require_change(created_by, project)
    recipient_company_number = recipient_company_number.strip().upper()
    _validate_funding(
        project=project,
        source=source,
        amount=amount,
        budget=budget,
        partner_agency=partner_agency,
        funder_name=funder_name.strip(),
        is_grant=is_grant,
        recipient_name=recipient_name.strip(),
        recipient_charity_number=recipient_charity_number.strip(),
        recipient_company_number=recipient_company_number,
        recipient_org_id=recipient_org_id.strip(),
    )
    line = FundingLine(
        project=project,
        source=source,
        amount=amount,
        budget=budget,
        partner_agency=partner_agency,
        funder_name=funder_name.strip(),
        description=description.strip(),
        is_grant=is_grant,
        recipient_name=recipient_name.strip(),
        recipient_charity_number=recipient_charity_number.strip(),
        recipient_company_number=recipient_company_number,
        recipient_org_id=recipient_org_id.strip(),
    )
    if funding_needs_signoff(line=line):
        _budget_check_and_lock(line=line)
    else:
        _commit(line, committed_on=committed_on)
    line.save()
    audit_record(actor=created_by, action="project.funding_added", obj=line)
    return line


@transaction.atomic
def funding_line_update(
    *,
    line: FundingLine,
    updated_by,
    expected_version: int,
    description: str,
    spent: Decimal,
    amount: Decimal | None = None,
    funder_name: str | None = None,
) -> FundingLine:
    """Record spend against a line, or correct its description; change a line's amount
    only while it is not yet committed (within what its budget has left) or within what
    was signed off."""
    _require_change(updated_by, line.project)
    locked = (
        FundingLine.objects.select_for_update(of=("self",))
        .select_related("project", "budget")
        .get(pk=line.pk)
    )
    version_check_and_bump(instance=locked, expected_version=expected_version)
    changed = []
    if amount is not None and amount != locked.amount:
        if amount <= 0:
            raise ProjectRuleError({"amount": "Enter an amount more than £0."})
        if locked.status in CLOSED_FUNDING_STATUSES:
            raise ProjectRuleError(
                {"amount": f"This funding line was {locked.get_status_display().lower()}."}
            )
        cap = locked.budget.max_award if locked.budget is not None else None
        if cap is not None and amount > cap:
            raise ProjectRuleError(
                {"amount": f"{locked.budget} awards at most {_money(cap)} to one project."}
            )
        locked.amount = amount
        if locked.status == FundingLine.Status.COMMITTED:
            if funding_needs_signoff(line=locked) and not funding_signoff_approved(line=locked):
                raise ProjectRuleError(
                    {
                        "amount": _signoff_refusal_message(locked)
                        + " To commit more, add a new funding line for the difference."
                    }
                )
            _budget_check_and_lock(line=locked)
        elif funding_needs_signoff(line=locked):
            _budget_check_and_lock(line=locked)
        else:
            _commit(locked, committed_on=None)
        changed.append("amount")
    if spent != locked.spent:
        if spent < 0:
            raise ProjectRuleError({"spent": "Spend cannot be negative."})
        if locked.status == FundingLine.Status.AWAITING_SIGNOFF:
            raise ProjectRuleError({"spent": _signoff_refusal_message(locked)})
        if locked.status in CLOSED_FUNDING_STATUSES:
            raise ProjectRuleError(
                {
                    "spent": "Nothing can be spent from a "
                    f"{locked.get_status_display().lower()} line."
                }
            )
        if spent > locked.amount:
            raise ProjectRuleError(
                {"spent": f"Spend cannot be more than the {_money(locked.amount)} committed."}
            )
        locked.spent = spent
        changed.append("spent")
    if description.strip() != locked.description:
        locked.description = description.strip()
        changed.append("description")
    if funder_name is not None and funder_name.strip() != locked.funder_name:
        locked.funder_name = funder_name.strip()
        changed.append("funder_name")
    locked.save()
    audit_record(actor=updated_by, action="project.funding_changed", obj=locked, fields=changed)
    if "amount" in changed:
        _signoff_ask_again(line=locked, asked_by=updated_by)
    return locked


def _signoff_ask_again(*, line: FundingLine, asked_by) -> None:
    """A line's amount changed while a member was asked to decide it: withdraw the
    request for the old amount, so that no one decides a figure the line no longer has,
    and ask for the new amount (by the same deadline) while the line still needs it."""
    pending = signoff_for(subject=line.project, kind=line.signoff_kind, key=line.signoff_key)
    if pending is None or pending.status != SignOffRequest.Status.PENDING:
        return
    signoff_withdraw(request=pending, withdrawn_by=asked_by)
    if line.status == FundingLine.Status.AWAITING_SIGNOFF and funding_needs_signoff(line=line):
        deadline = pending.deadline
        if deadline is not None and deadline < timezone.localdate():
            deadline = None
        funding_line_request_signoff(line=line, requested_by=asked_by, deadline=deadline)


def funding_line_request_signoff(
    *, line: FundingLine, requested_by, summary: str = "", deadline: datetime.date | None = None
) -> SignOffRequest:
    """Ask an elected member to decide this line: a funding decision for money from a
    devolved budget (members for the budget's area, never the budget's own holder), or a
    spend sign-off for other council money over the threshold (members for the project's
    areas)."""
    _require_change(requested_by, line.project)
    if not funding_needs_signoff(line=line):
        raise ProjectRuleError(
            f"{_money(line.amount)} is within the {_money(spend_signoff_threshold())} "
            "threshold: it needs no sign-off."
        )
    if line.status != FundingLine.Status.AWAITING_SIGNOFF:
        raise ProjectRuleError("This funding line is not waiting for sign-off.")
    if funding_signoff_approved(line=line):
        raise ProjectRuleError("This funding line is already signed off: commit it.")
    if deadline is not None and deadline < timezone.localdate():
        raise ProjectRuleError({"deadline": "The deadline must be today or later."})
    project = line.project
    budget = line.budget
    summary = summary.strip() or (
        f"{_money(line.amount)} from "
        + (str(budget) if budget is not None else f"the {line.get_source_display().lower()}")
        + f" for {project}{': ' + line.description if line.description else ''}."
    )
    if line.is_devolved:
        return signoff_request(
            kind=SignOffRequest.Kind.FUNDING_DECISION,
            subject=project,
            key=line.signoff_key,
            summary=summary,
            requested_by=requested_by,
            areas=[budget.area],
            amount=line.amount,
            deadline=deadline,
            excluded_deciders=[budget.holder] if budget.holder_id else [],
        )
    return signoff_request(
        kind=SignOffRequest.Kind.SPEND,
        subject=project,
        key=line.signoff_key,
        summary=summary,
        requested_by=requested_by,
        areas=project.areas.all(),
        amount=line.amount,
        deadline=deadline,
    )


def funding_line_signoff_decided(*, request: SignOffRequest) -> FundingLine | None:
    """Act on an elected member's decision about a funding line, in the decision's
    transaction (governance.signoffs.signoff_decided): approved for at least the line's
    amount, the line is committed (refused, undoing the decision, if its budget no longer
    has the money); rejected, it is refused. A decision about anything else is ignored."""
    kinds = {SignOffRequest.Kind.FUNDING_DECISION, SignOffRequest.Kind.SPEND}
    if request.kind not in kinds or not request.key.startswith("funding:"):
        return None
    if request.subject_type_id != ContentType.objects.get_for_model(Project).pk:
        return None
    try:
        line_id = int(request.key.removeprefix("funding:"))
    except ValueError:
        return None
    locked = (
        FundingLine.objects.select_for_update(of=("self",))
        .select_related("budget")
        .filter(pk=line_id, project_id=request.subject_id)
        .first()
    )
    if (
        locked is None
        or locked.status != FundingLine.Status.AWAITING_SIGNOFF
        or locked.signoff_kind != request.kind
    ):
        return locked
    if request.status == SignOffRequest.Status.APPROVED:
        if request.amount is None or request.amount < locked.amount:
            # The line was raised after it was asked for: it needs asking again.
            return locked
        _commit(locked, committed_on=timezone.localtime(request.decided_at).date())
        action = "project.funding_committed"
    elif request.status == SignOffRequest.Status.REJECTED:
        locked.status = FundingLine.Status.REFUSED
        action = "project.funding_refused"
    else:
        return locked
    locked.version += 1
    locked.save()
    audit_record(actor=request.decided_by, action=action, obj=locked, fields=["status"])
    return locked


@transaction.atomic
def funding_line_commit(
    *, line: FundingLine, committed_by, committed_on: datetime.date | None = None
) -> FundingLine:
    """Commit a line signed off before its decision committed it; refused, saying why,
    without the sign-off. Committing a committed line changes nothing."""
    _require_change(committed_by, line.project)
    locked = (
        FundingLine.objects.select_for_update(of=("self",))
        .select_related("project", "budget")
        .get(pk=line.pk)
    )
    if locked.status == FundingLine.Status.COMMITTED:
        return locked
    if locked.status in CLOSED_FUNDING_STATUSES:
        raise ProjectRuleError(f"This funding line was {locked.get_status_display().lower()}.")
    if funding_needs_signoff(line=locked) and not funding_signoff_approved(line=locked):
        raise ProjectRuleError(_signoff_refusal_message(locked))
    _commit(locked, committed_on=committed_on)
    locked.version += 1
    locked.save()
    audit_record(actor=committed_by, action="project.funding_committed", obj=locked)
    return locked


@transaction.atomic
def funding_line_withdraw(*, line: FundingLine, withdrawn_by) -> FundingLine:
    """Withdraw a line (and any request for its sign-off still pending): it no longer
    counts, and its budget gets the money back. A refused line stays refused."""
    _require_change(withdrawn_by, line.project)
    locked = FundingLine.objects.select_for_update().select_related("project").get(pk=line.pk)
    if locked.spent > 0:
        raise ProjectRuleError(
            f"{_money(locked.spent)} has been spent from this line, so it stays."
        )
    if locked.status in CLOSED_FUNDING_STATUSES:
        return locked
    pending = signoff_for(subject=locked.project, kind=locked.signoff_kind, key=locked.signoff_key)
    if pending is not None and pending.status == SignOffRequest.Status.PENDING:
        signoff_withdraw(request=pending, withdrawn_by=withdrawn_by)
    locked.status = FundingLine.Status.WITHDRAWN
    locked.version += 1
    locked.save()
    audit_record(actor=withdrawn_by, action="project.funding_withdrawn", obj=locked)
    return locked


# Outcomes ---------------------------------------------------------------------------


def _validate_indicator(
    *,
    project: Project,
    name: str,
    unit: str,
    baseline_value: Decimal,
    baseline_on: datetime.date,
    target_value: Decimal | None,
    target_on: datetime.date | None,
    exclude_pk: int | None = None,
    reported_by: PartnerAgency | None = None,
) -> None:
    errors = {}
    if project.indicators.filter(name__iexact=name.strip()).exclude(pk=exclude_pk).exists():
        errors["name"] = f"The project already has an indicator called {name.strip()}."
    if unit == Indicator.Unit.PERCENT:
        for field, value in (("baseline_value", baseline_value), ("target_value", target_value)):
            if value is not None and not (0 <= value <= 100):
                errors[field] = "A percentage is between 0 and 100."
    if target_on is not None and target_on < baseline_on:
        errors["target_on"] = "The target date must be on or after the baseline date."
    if reported_by is not None and not project.partner_agencies.filter(pk=reported_by.pk).exists():
        errors["reported_by"] = (
            f"{reported_by} is not a partner agency on this project: add it to the project first."
        )
    if errors:
        raise ProjectRuleError(errors)


INDICATOR_FIELDS = (
    "name",
    "kind",
    "unit",
    "measure",
    "direction",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
    "source",
    "reported_by",
)


@transaction.atomic
def indicator_create(*, project: Project, created_by, **fields) -> Indicator:
    """An outcome, demand or cost indicator with its baseline (and target)."""
    _require_change(created_by, project)
    fields = {name: fields.get(name) for name in INDICATOR_FIELDS if name in fields}
    _validate_indicator(
        project=project,
        name=fields["name"],
        unit=fields.get("unit", Indicator.Unit.NUMBER),
        baseline_value=fields["baseline_value"],
        baseline_on=fields["baseline_on"],
        target_value=fields.get("target_value"),
        target_on=fields.get("target_on"),
        reported_by=fields.get("reported_by"),
    )
    indicator = Indicator.objects.create(project=project, **fields)
    audit_record(actor=created_by, action="project.indicator_added", obj=indicator)
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, updated_by, expected_version: int, **fields
) -> Indicator:
    _require_change(updated_by, indicator.project)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    values = {name: fields.get(name, getattr(locked, name)) for name in INDICATOR_FIELDS}
    _validate_indicator(
        project=indicator.project,
        name=values["name"],
        unit=values["unit"],
        baseline_value=values["baseline_value"],
        baseline_on=values["baseline_on"],
        target_value=values["target_value"],
        target_on=values["target_on"],
        exclude_pk=locked.pk,
        reported_by=values["reported_by"],
    )
    earlier = locked.measurements.filter(measured_on__lt=values["baseline_on"]).first()
    if earlier is not None:
        raise ProjectRuleError(
            {
                "baseline_on": f"There is a reading from {_day(earlier.measured_on)}, before "
                "this baseline date."
            }
        )
    version_check_and_bump(instance=locked, expected_version=expected_version)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    audit_record(actor=updated_by, action="project.indicator_changed", obj=locked, fields=changed)
    return locked


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    recorded_by,
    measured_on: datetime.date,
    value: Decimal,
    note: str = "",
) -> Measurement:
    """A dated reading; one per indicator per date."""
    _require_change(recorded_by, indicator.project)
    measurement = _measurement_write(
        indicator=indicator, measured_on=measured_on, value=value, note=note
    )
    audit_record(actor=recorded_by, action="project.measurement_added", obj=measurement)
    return measurement


class MeasurementExistsError(ProjectRuleError):
    """There is already a reading of the indicator for that date."""


@transaction.atomic
def measurement_record_by_agency(
    *,
    indicator: Indicator,
    agency: PartnerAgency,
    api_client: str,
    measured_on: datetime.date,
    value: Decimal,
    note: str = "",
) -> Measurement:
    """A reading posted by the partner agency that reports the indicator (its API
    client): the police's quarterly ASB figures. Only the indicator's reporting agency may
    post; one reading per date (MeasurementExistsError for a second)."""
    if indicator.reported_by_id is None or indicator.reported_by_id != agency.pk:
        raise PermissionDenied(
            "Only the partner agency that reports this indicator may post its readings."
        )
    measurement = _measurement_write(
        indicator=indicator, measured_on=measured_on, value=value, note=note
    )
    audit_record(
        actor=None,
        api_client=api_client,
        action="project.measurement_added",
        obj=measurement,
        fields=["measured_on", "value", "note"],
    )
    return measurement


def _measurement_write(
    *, indicator: Indicator, measured_on: datetime.date, value: Decimal, note: str
) -> Measurement:
    errors = {}
    if measured_on < indicator.baseline_on:
        errors["measured_on"] = (
            f"A reading must be on or after the baseline date, {_day(indicator.baseline_on)}."
        )
    if measured_on > timezone.localdate():
        errors["measured_on"] = "A reading cannot be dated in the future."
    if indicator.unit == Indicator.Unit.PERCENT and not (0 <= value <= 100):
        errors["value"] = "A percentage is between 0 and 100."
    if errors:
        raise ProjectRuleError(errors)
    exists = MeasurementExistsError(
        {"measured_on": f"There is already a reading for {_day(measured_on)}."}
    )
    if indicator.measurements.filter(measured_on=measured_on).exists():
        raise exists
    try:
        with transaction.atomic():
            return Measurement.objects.create(
                indicator=indicator, measured_on=measured_on, value=value, note=note.strip()
            )
    except IntegrityError:
        raise exists from None


@transaction.atomic
def measurement_delete(*, measurement: Measurement, deleted_by) -> None:
    _require_change(deleted_by, measurement.indicator.project)
    audit_record(actor=deleted_by, action="project.measurement_deleted", obj=measurement)
    measurement.delete()


# Commissioning assessment -----------------------------------------------------------

ASSESSMENT_FIELDS = (
    "provider_name",
    "service_part",
    "capacity",
    "capacity_notes",
    "skills",
    "skills_notes",
    "governance",
    "governance_notes",
    "insurance",
    "insurance_notes",
    "risks",
    "risks_notes",
    "can_deliver",
    "decision",
    "decision_reason",
    "assessed_on",
)


@transaction.atomic
def assessment_save(
    *, project: Project, assessed_by, expected_version: int | None = None, **fields
) -> CommissioningAssessment:
    """Record or change the commissioning assessment, before the project leaves
    commission (afterwards it is the record the decision to move on relied on)."""
    _require_change(assessed_by, project)
    locked = _lock(project)
    if locked.stage not in {Project.Stage.DESIGN, Project.Stage.COMMISSION}:
        raise ProjectRuleError(
            "The assessment is part of the record of leaving commission: move the project "
            "back to commission to change it."
        )
    values = {name: fields[name] for name in ASSESSMENT_FIELDS if name in fields}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    errors = {}
    if values.get("decision") and not values.get("decision_reason"):
        errors["decision_reason"] = "Give the reason for the decision."
    if (
        values.get("can_deliver") == CommissioningAssessment.Capability.NONE
        and values.get("decision") == CommissioningAssessment.Decision.COMMUNITY_DELIVERS
    ):
        errors["decision"] = (
            "The assessment found the community cannot deliver any of the service, so it "
            "cannot be commissioned to deliver it."
        )
    if values.get("assessed_on") and values["assessed_on"] > timezone.localdate():
        errors["assessed_on"] = "The assessment date cannot be in the future."
    if errors:
        raise ProjectRuleError(errors)
    assessment = CommissioningAssessment.objects.select_for_update().filter(project=locked).first()
    if assessment is None:
        assessment = CommissioningAssessment.objects.create(
            project=locked, assessed_by=assessed_by, **values
        )
        audit_record(actor=assessed_by, action="project.assessment_recorded", obj=assessment)
        return assessment
    if expected_version is None:
        raise ProjectRuleError("The assessment already exists: change it from its page.")
    version_check_and_bump(instance=assessment, expected_version=expected_version)
    changed = [name for name, value in values.items() if getattr(assessment, name) != value]
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.assessed_by = assessed_by
    assessment.save()
    audit_record(
        actor=assessed_by, action="project.assessment_changed", obj=assessment, fields=changed
    )
    return assessment
