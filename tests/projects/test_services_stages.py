"""Stages and their gates: one stage at a time, evidence and sign-off, history kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from governance.models import AuditEvent, SignOffRequest
from governance.signoffs import signoff_decide
from projects import gates, services
from projects.gates import Condition, gate_check
from projects.models import Project, StageTransition
from tests.accounts.factories import ElectedMemberFactory, OfficerFactory
from tests.projects import gate_helpers
from tests.projects.factories import FundingLineFactory

pytestmark = pytest.mark.django_db


def unmet_codes(error) -> set[str]:
    return {condition.code for condition in error.unmet}


def test_project_advance_refuses_to_skip_a_stage(project, officer):
    """A project moves one stage at a time."""
    # when
    with pytest.raises(services.ProjectRuleError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="deliver")
    # then
    assert "one stage at a time" in refused.value.messages[0]
    project.refresh_from_db()
    assert project.stage == Project.Stage.DESIGN
    assert not StageTransition.objects.exists()


def test_project_advance_names_every_missing_condition(project, officer):
    """With nothing in place, the gate out of design names evidence, roster and sign-off."""
    # when
    with pytest.raises(services.GateNotPassedError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="commission")
    # then
    assert unmet_codes(refused.value) == {
        "projects.residents_decision",
        "projects.roster_staff_lead",
        "projects.roster_resident",
        "projects.stage_signoff",
    }
    assert "Record what residents decided during design" in " ".join(refused.value.messages)
    project.refresh_from_db()
    assert project.stage == Project.Stage.DESIGN


def test_project_advance_refused_without_signoff_even_with_evidence(project, officer):
    # given
    gate_helpers.record_decision(project, officer)
    gate_helpers.staff_and_resident(project, officer)
    # when
    with pytest.raises(services.GateNotPassedError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="commission")
    # then
    assert unmet_codes(refused.value) == {"projects.stage_signoff"}


def test_project_advance_refused_without_evidence_even_with_signoff(
    project, officer, elected_member
):
    # given
    gate_helpers.staff_and_resident(project, officer)
    gate_helpers.sign_off_gate(project, officer, elected_member)
    # when
    with pytest.raises(services.GateNotPassedError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="commission")
    # then
    assert unmet_codes(refused.value) == {"projects.residents_decision"}


def test_pending_or_rejected_signoff_does_not_open_the_gate(project, officer, elected_member):
    # given
    gate_helpers.record_decision(project, officer)
    gate_helpers.staff_and_resident(project, officer)
    request = services.project_gate_signoff_request(
        project=project, requested_by=officer, summary="Ready"
    )
    # when / then: pending
    with pytest.raises(services.GateNotPassedError) as pending:
        services.project_advance(project=project, actor=officer, to_stage="commission")
    assert "decision is awaited" in " ".join(pending.value.messages)
    # when / then: rejected, with the member's reason shown
    signoff_decide(
        request=request, decided_by=elected_member, approve=False, comment="Ask the youth club"
    )
    with pytest.raises(services.GateNotPassedError) as rejected:
        services.project_advance(project=project, actor=officer, to_stage="commission")
    assert "Ask the youth club" in " ".join(rejected.value.messages)


def test_project_advance_writes_the_transition_with_evidence_and_signoff(
    project, officer, elected_member
):
    """Passing the gate records who, when, the evidence, the sign-off and the checks."""
    # given
    decision = gate_helpers.record_decision(project, officer)
    gate_helpers.staff_and_resident(project, officer)
    gate_helpers.sign_off_gate(project, officer, elected_member)
    version = Project.objects.get(pk=project.pk).version
    # when
    transition = services.project_advance(
        project=project, actor=officer, to_stage="commission", note="Residents agreed"
    )
    # then
    project.refresh_from_db()
    assert project.stage == Project.Stage.COMMISSION
    assert project.version == version + 1
    assert transition.from_stage == "design"
    assert transition.to_stage == "commission"
    assert transition.actor == officer
    assert transition.signoff.decided_by == elected_member
    assert list(transition.evidence.all()) == [decision]
    assert all(record["met"] for record in transition.conditions)
    assert AuditEvent.objects.filter(
        action="project.stage_changed", object_id=str(project.pk)
    ).exists()


def test_stage_change_and_history_are_written_in_one_transaction(
    project, officer, elected_member, monkeypatch
):
    """If writing the history fails, the stage does not change either."""
    # given
    gate_helpers.record_decision(project, officer)
    gate_helpers.staff_and_resident(project, officer)
    gate_helpers.sign_off_gate(project, officer, elected_member)

    def audit_fails(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services, "audit_record", audit_fails)
    # when
    with pytest.raises(RuntimeError):
        services.project_advance(project=project, actor=officer, to_stage="commission")
    # then
    project.refresh_from_db()
    assert project.stage == Project.Stage.DESIGN
    assert not StageTransition.objects.filter(project=project).exists()


def test_project_advance_twice_to_the_same_stage_is_refused(project, officer, elected_member):
    """A repeated (or concurrent second) request does not move the project twice."""
    # given
    gate_helpers.record_decision(project, officer)
    gate_helpers.staff_and_resident(project, officer)
    gate_helpers.sign_off_gate(project, officer, elected_member)
    services.project_advance(project=project, actor=officer, to_stage="commission")
    # when
    with pytest.raises(services.ProjectRuleError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="commission")
    # then
    assert "already in commission" in refused.value.messages[0]
    assert StageTransition.objects.filter(project=project).count() == 1


def test_officer_of_another_area_cannot_move_the_project(project, other_ward):
    # given
    outsider = OfficerFactory(areas=[other_ward.parent])
    # when / then
    with pytest.raises(PermissionDenied):
        services.project_advance(project=project, actor=outsider, to_stage="commission")
    with pytest.raises(PermissionDenied):
        services.project_stop(project=project, actor=outsider, reason="Not mine")


def test_board_member_cannot_move_the_project(project, board_member):
    with pytest.raises(PermissionDenied):
        services.project_advance(project=project, actor=board_member, to_stage="commission")


def test_signoff_given_before_moving_back_does_not_count_again(project, officer, elected_member):
    """Moving back means passing the gate again, with a new sign-off."""
    # given
    gate_helpers.take_to(project, "commission", officer=officer, member=elected_member)
    services.project_move_back(project=project, actor=officer, reason="Residents want more say")
    project.refresh_from_db()
    # when
    with pytest.raises(services.GateNotPassedError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="commission")
    # then
    assert unmet_codes(refused.value) == {"projects.stage_signoff"}
    assert "before the project came back" in " ".join(refused.value.messages)
    other_member = ElectedMemberFactory(areas=list(project.areas.all()))
    gate_helpers.sign_off_gate(project, officer, other_member)
    services.project_advance(project=project, actor=officer, to_stage="commission")


def test_move_back_needs_a_reason_and_is_on_the_timeline(project, officer, elected_member):
    # given
    gate_helpers.take_to(project, "commission", officer=officer, member=elected_member)
    # when / then
    with pytest.raises(services.ProjectRuleError):
        services.project_move_back(project=project, actor=officer, reason="  ")
    transition = services.project_move_back(project=project, actor=officer, reason="More say")
    assert transition.direction == StageTransition.Direction.BACK
    assert (transition.from_stage, transition.to_stage) == ("commission", "design")


def test_design_has_no_stage_to_move_back_to(project, officer):
    with pytest.raises(services.ProjectRuleError, match="no stage to move back to"):
        services.project_move_back(project=project, actor=officer, reason="Why not")


def test_stopped_project_restarts_where_it_stopped(project, officer, elected_member):
    # given
    gate_helpers.take_to(project, "commission", officer=officer, member=elected_member)
    services.project_stop(project=project, actor=officer, reason="Funding withdrawn")
    project.refresh_from_db()
    assert project.stage == Project.Stage.STOPPED
    # when
    transition = services.project_move_back(project=project, actor=officer, reason="Funding found")
    # then
    project.refresh_from_db()
    assert project.stage == Project.Stage.COMMISSION
    assert transition.direction == StageTransition.Direction.RESUMED


def test_stopped_project_cannot_be_stopped_or_advanced(project, officer):
    # given
    services.project_stop(project=project, actor=officer, reason="Not needed")
    project.refresh_from_db()
    # when / then
    with pytest.raises(services.ProjectRuleError):
        services.project_stop(project=project, actor=officer, reason="Again")
    with pytest.raises(services.ProjectRuleError, match="does not move on"):
        services.project_advance(project=project, actor=officer, to_stage="commission")


def test_commission_gate_needs_assessment_indicator_and_signoff(project, officer, elected_member):
    # given
    gate_helpers.take_to(project, "commission", officer=officer, member=elected_member)
    gate_helpers.record_decision(project, officer)
    # when
    with pytest.raises(services.GateNotPassedError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="deliver")
    # then
    assert unmet_codes(refused.value) == {
        "projects.commissioning_assessment",
        "projects.outcome_indicators",
        "projects.stage_signoff",
    }


def test_spend_waiting_for_signoff_blocks_every_gate(project, officer, elected_member):
    # given
    gate_helpers.record_decision(project, officer)
    gate_helpers.staff_and_resident(project, officer)
    gate_helpers.sign_off_gate(project, officer, elected_member)
    FundingLineFactory(project=project, amount=20000, status="awaiting_signoff", committed_on=None)
    # when
    with pytest.raises(services.GateNotPassedError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="commission")
    # then
    assert unmet_codes(refused.value) == {"projects.spend_signed_off"}
    assert "£20,000.00" in " ".join(refused.value.messages)


def test_evaluate_gate_needs_a_reading_since_each_baseline(project, officer, elected_member):
    # given
    gate_helpers.take_to(project, "evaluate", officer=officer, member=elected_member)
    gate_helpers.record_decision(project, officer)
    # when
    with pytest.raises(services.GateNotPassedError) as refused:
        services.project_advance(project=project, actor=officer, to_stage="closed")
    # then
    assert unmet_codes(refused.value) == {"projects.outcomes_measured"}
    indicator = project.indicators.get()
    services.measurement_record(
        indicator=indicator,
        recorded_by=officer,
        measured_on=timezone.localdate(),
        value=3666,
    )
    services.project_advance(project=project, actor=officer, to_stage="closed")
    project.refresh_from_db()
    assert project.stage == Project.Stage.CLOSED


def test_full_cycle_keeps_every_transition(project, officer, elected_member):
    # when
    gate_helpers.take_to(project, "closed", officer=officer, member=elected_member)
    # then
    assert list(project.transitions.values_list("to_stage", flat=True)) == [
        "commission",
        "deliver",
        "evaluate",
        "closed",
    ]
    signed = project.transitions.exclude(signoff=None).values_list("from_stage", flat=True)
    assert list(signed) == ["design", "commission"]


def test_another_app_can_register_a_gate_check(project, officer, elected_member):
    """The hook the volunteering issue uses: a check for entering deliver."""
    # given
    gate_helpers.take_to(project, "commission", officer=officer, member=elected_member)
    gate_helpers.record_decision(project, officer)
    gate_helpers.assess(project, officer)
    gate_helpers.add_indicator(project, officer)
    gate_helpers.sign_off_gate(project, officer, elected_member)

    @gate_check("tests.volunteer_risk_assessments", entering={Project.Stage.DELIVER})
    def risk_assessed(context):
        return Condition(
            code="tests.volunteer_risk_assessments",
            label="Risk assessments are approved for every volunteer task",
            met=False,
            missing="Approve the risk assessment for litter picking.",
        )

    try:
        # when
        with pytest.raises(services.GateNotPassedError) as refused:
            services.project_advance(project=project, actor=officer, to_stage="deliver")
        # then
        assert unmet_codes(refused.value) == {"tests.volunteer_risk_assessments"}
        assert "Approve the risk assessment" in refused.value.messages[0]
    finally:
        del gates.gates.checks["tests.volunteer_risk_assessments"]
    services.project_advance(project=project, actor=officer, to_stage="deliver")


def test_gate_signoff_request_names_the_project_areas_and_stage(project, officer):
    # when
    request = services.project_gate_signoff_request(
        project=project,
        requested_by=officer,
        summary="Residents chose the streets",
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )
    # then
    assert request.kind == SignOffRequest.Kind.STAGE_GATE
    assert request.key == "stage:design"
    assert set(request.areas.all()) == set(project.areas.all())
    assert AuditEvent.objects.filter(action="signoff.requested").exists()


def test_gate_signoff_request_says_which_project_and_gate_to_the_member(project, officer):
    # when the officer writes only what residents decided
    request = services.project_gate_signoff_request(
        project=project, requested_by=officer, summary="Residents chose the streets."
    )
    # then the member's list and decision page (which show the summary) say which project
    assert request.summary == f"{project}: leaving design. Residents chose the streets."


def test_gate_signoff_request_refused_where_no_signoff_is_needed(project, officer, elected_member):
    gate_helpers.take_to(project, "deliver", officer=officer, member=elected_member)
    with pytest.raises(services.ProjectRuleError, match="does not need"):
        services.project_gate_signoff_request(project=project, requested_by=officer, summary="x")


def test_gate_signoff_request_refused_with_a_past_deadline(project, officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.project_gate_signoff_request(
            project=project,
            requested_by=officer,
            summary="Ready",
            deadline=datetime.date(2020, 1, 1),
        )
    assert "deadline" in refused.value.error_dict
