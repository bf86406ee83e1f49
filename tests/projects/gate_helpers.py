"""Putting a project's gate conditions in place, through the same services officers use.

Sign-offs are decided through governance.signoffs.signoff_decide directly: the
councillor's page for deciding them belongs to the governance app.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from governance.signoffs import signoff_decide
from projects import services
from projects.models import Indicator, Project, ProjectDocument, RosterEntry
from tests.projects.factories import ParticipantFactory


def record_decision(project: Project, officer, *, stage: str | None = None) -> ProjectDocument:
    return services.document_create(
        project=project,
        recorded_by=officer,
        stage=stage or project.stage,
        kind=ProjectDocument.Kind.DECISION,
        title=f"What residents decided in {stage or project.stage}",
        summary="At the workshop residents chose the streets to start with.",
    )


def staff_and_resident(project: Project, officer, *, home_ward=None) -> None:
    today = timezone.localdate()
    if not project.roster.filter(role=RosterEntry.Role.STAFF_LEAD).exists():
        services.roster_entry_add(
            project=project,
            added_by=officer,
            user=officer,
            role=RosterEntry.Role.STAFF_LEAD,
            started_on=today,
        )
    if not project.roster.filter(participant__isnull=False).exists():
        services.roster_entry_add(
            project=project,
            added_by=officer,
            participant=ParticipantFactory(home_ward=home_ward or project.areas.first()),
            role=RosterEntry.Role.CO_DESIGNER,
            started_on=today,
        )


def sign_off_gate(project: Project, officer, member) -> None:
    request = services.project_gate_signoff_request(
        project=project, requested_by=officer, summary="Residents have decided; ready to go on."
    )
    signoff_decide(request=request, decided_by=member, approve=True, comment="Agreed.")


def add_indicator(project: Project, officer) -> Indicator:
    return services.indicator_create(
        project=project,
        created_by=officer,
        name="Calls about anti-social behaviour",
        kind=Indicator.Kind.OUTCOME,
        unit=Indicator.Unit.NUMBER,
        measure="calls to the police a year",
        direction=Indicator.Direction.DOWN,
        baseline_value=Decimal("5899"),
        baseline_on=datetime.date(2024, 3, 31),
        target_value=Decimal("4000"),
        target_on=datetime.date(2026, 3, 31),
    )


def assess(project: Project, officer) -> None:
    services.assessment_save(
        project=project,
        assessed_by=officer,
        provider_name="Abbey Fields Residents' Association",
        service_part="Litter picks and reporting",
        capacity="ready",
        skills="with_support",
        governance="ready",
        insurance="ready",
        risks="with_support",
        can_deliver="part",
        decision="co_deliver",
        decision_reason="Residents lead the picks; fly-tips with hazards stay with staff.",
        assessed_on=timezone.localdate(),
    )


def advance(project: Project, officer) -> None:
    project.refresh_from_db()
    services.project_advance(
        project=project, actor=officer, to_stage=_next(project.stage), note="Ready."
    )
    project.refresh_from_db()


def _next(stage: str) -> str:
    from projects.models import stage_after

    return stage_after(stage)


def take_to(project: Project, stage: str, *, officer, member) -> Project:
    """Move a project in design on to `stage`, meeting every gate on the way."""
    staff_and_resident(project, officer)
    order = [Project.Stage.DESIGN, Project.Stage.COMMISSION, Project.Stage.DELIVER]
    order += [Project.Stage.EVALUATE, Project.Stage.CLOSED]
    while project.stage != stage:
        record_decision(project, officer)
        if project.stage in (Project.Stage.DESIGN, Project.Stage.COMMISSION):
            sign_off_gate(project, officer, member)
        if project.stage == Project.Stage.COMMISSION:
            assess(project, officer)
            if not project.indicators.exists():
                add_indicator(project, officer)
        if project.stage == Project.Stage.EVALUATE:
            for indicator in project.indicators.all():
                services.measurement_record(
                    indicator=indicator,
                    recorded_by=officer,
                    measured_on=timezone.localdate(),
                    value=Decimal("3666"),
                )
        advance(project, officer)
        assert project.stage in order
    return project
