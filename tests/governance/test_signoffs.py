import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import AuditEvent, SignOffDelegation, SignOffRequest
from governance.signoffs import (
    DEFAULT_DEADLINE_DAYS,
    SignOffRefusedError,
    signoff_decide,
    signoff_escalate_overdue,
    signoff_is_approved,
    signoff_refusal_reason,
    signoff_request,
    signoff_withdraw,
)
from tests.accounts.factories import ElectedMemberFactory
from tests.governance.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def ask(officer, areas, **kwargs):
    return signoff_request(
        kind=kwargs.pop("kind", SignOffRequest.Kind.SPEND),
        subject=kwargs.pop("subject", None) or ProjectFactory(areas=areas),
        key=kwargs.pop("key", "spend:1"),
        summary="Spend £6,000 on planters.",
        requested_by=officer,
        areas=areas,
        **kwargs,
    )


def test_member_for_the_ward_approves(officer, elected_member, ward):
    # given
    request = ask(officer, [ward])
    # when
    decided = signoff_decide(request=request, decided_by=elected_member, approve=True)
    # then
    assert decided.status == "approved"
    assert signoff_is_approved(subject=request.subject, kind="spend", key="spend:1")
    assert AuditEvent.objects.filter(action="signoff.approved", object_id=str(request.pk)).exists()


def test_four_eyes_in_the_service(elected_member, ward):
    """A member who raised a request cannot approve it."""
    # given
    request = ask(elected_member, [ward])
    # when / then
    with pytest.raises(SignOffRefusedError, match="another member"):
        signoff_decide(request=request, decided_by=elected_member, approve=True)
    assert AuditEvent.objects.filter(action="signoff.decision_refused", outcome="refused").exists()


def test_four_eyes_in_the_database(elected_member, ward):
    # given
    request = ask(elected_member, [ward])
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOffRequest.objects.filter(pk=request.pk).update(
            status="approved", decided_by=elected_member, decided_at=timezone.now()
        )


def test_member_for_another_ward_cannot_sign(officer, ward, other_ward):
    # given
    request = ask(officer, [ward])
    outsider = ElectedMemberFactory(areas=[other_ward])
    # when / then
    assert "areas concerned" in signoff_refusal_reason(user=outsider, request=request)


def test_delegated_authority_lets_a_member_sign(officer, ward, other_ward, administrator):
    # given
    request = ask(officer, [ward], amount=Decimal("6000"))
    deputy = ElectedMemberFactory(areas=[other_ward])
    delegation = SignOffDelegation.objects.create(
        member=deputy,
        kinds=["spend"],
        max_amount=Decimal("10000"),
        starts_on=timezone.localdate(),
        reason="Cabinet member for neighbourhoods",
        granted_by=administrator,
    )
    delegation.areas.set([ward.parent])
    # when
    decided = signoff_decide(request=request, decided_by=deputy, approve=True)
    # then
    assert decided.decided_by == deputy


@pytest.mark.parametrize("delegated_days_ago", [0, None], ids=["in-force", "none"])
def test_a_deputy_opens_the_project_they_are_asked_to_sign_off(
    officer, ward, other_ward, administrator, delegated_days_ago
):
    """The deputy decides with the project in front of them; a member with no say on the
    request does not see the project."""
    from projects.scope import project_is_visible

    # given
    request = ask(officer, [ward], amount=Decimal("6000"))
    deputy = ElectedMemberFactory(areas=[other_ward])
    if delegated_days_ago is not None:
        delegation = SignOffDelegation.objects.create(
            member=deputy,
            kinds=["spend"],
            starts_on=timezone.localdate() - dt.timedelta(days=delegated_days_ago),
            reason="Deputy",
            granted_by=administrator,
        )
        delegation.areas.set([ward.parent])
    # when / then
    may_decide = signoff_refusal_reason(user=deputy, request=request) is None
    assert may_decide is (delegated_days_ago is not None)
    assert project_is_visible(user=deputy, project=request.subject) is may_decide


@pytest.mark.parametrize(
    ("kinds", "max_amount"),
    [(["stage_gate"], None), (["spend"], Decimal("5000"))],
    ids=["other-kind", "over-the-limit"],
)
def test_a_deputy_does_not_open_the_project_through_a_request_beyond_their_delegation(
    officer, ward, other_ward, administrator, kinds, max_amount
):
    """A spend of £6,000 is not the deputy's to decide when their delegation is for stage
    gates only, or for spends up to £5,000: the decision page refuses them, and the
    project does not open for them through it either."""
    from projects.scope import project_is_visible

    # given
    request = ask(officer, [ward], amount=Decimal("6000"))
    deputy = ElectedMemberFactory(areas=[other_ward])
    delegation = SignOffDelegation.objects.create(
        member=deputy,
        kinds=kinds,
        max_amount=max_amount,
        starts_on=timezone.localdate(),
        reason="Deputy",
        granted_by=administrator,
    )
    delegation.areas.set([ward.parent])
    # when / then
    assert signoff_refusal_reason(user=deputy, request=request) is not None
    assert project_is_visible(user=deputy, project=request.subject) is False


def test_a_deputy_whose_delegation_ended_does_not_open_the_project_through_anothers(
    officer, ward, other_ward, administrator
):
    """The deputy's own delegation must be the one in force: an ended delegation of theirs
    and another member's current one over the same area give them no sight of it."""
    from projects.scope import project_is_visible

    # given
    request = ask(officer, [ward], amount=Decimal("6000"))
    deputy = ElectedMemberFactory(areas=[other_ward])
    today = timezone.localdate()
    for member, ends_on in (
        (deputy, today - dt.timedelta(days=1)),
        (ElectedMemberFactory(), None),
    ):
        delegation = SignOffDelegation.objects.create(
            member=member,
            kinds=["spend"],
            starts_on=today - dt.timedelta(days=30),
            ends_on=ends_on,
            reason="Deputy",
            granted_by=administrator,
        )
        delegation.areas.set([ward.parent])
    # when / then
    assert signoff_refusal_reason(user=deputy, request=request) is not None
    assert project_is_visible(user=deputy, project=request.subject) is False


@pytest.mark.parametrize("beyond", [False, True], ids=["within", "reaching-beyond"])
def test_a_deputy_is_asked_only_what_their_delegation_lets_them_decide(
    officer, ward, other_ward, administrator, beyond
):
    """A request for a ward inside the delegation and one outside it is not the deputy's
    to decide: their list (and their home page's count) leaves it out, as the decision
    page would refuse it."""
    from governance.selectors import signoff_list_for_member
    from tests.communities.factories import WardFactory

    # given
    request = ask(officer, [ward, other_ward] if beyond else [ward], amount=Decimal("6000"))
    deputy = ElectedMemberFactory(areas=[WardFactory(name="Hillside")])
    delegation = SignOffDelegation.objects.create(
        member=deputy,
        starts_on=timezone.localdate(),
        reason="Cabinet member for neighbourhoods",
        granted_by=administrator,
    )
    delegation.areas.set([ward.parent])
    # when
    listed = request in signoff_list_for_member(user=deputy)
    # then
    assert listed is (signoff_refusal_reason(user=deputy, request=request) is None)
    assert listed is not beyond


@pytest.mark.parametrize(
    ("kinds", "max_amount", "starts_in_days"),
    [(["stage_gate"], None, 0), (["spend"], Decimal("5000"), 0), (["spend"], None, 1)],
    ids=["other-kind", "over-the-limit", "not-yet-in-force"],
)
def test_delegation_limits(
    officer, ward, other_ward, administrator, kinds, max_amount, starts_in_days
):
    # given
    request = ask(officer, [ward], amount=Decimal("6000"))
    deputy = ElectedMemberFactory(areas=[other_ward])
    delegation = SignOffDelegation.objects.create(
        member=deputy,
        kinds=kinds,
        max_amount=max_amount,
        starts_on=timezone.localdate() + dt.timedelta(days=starts_in_days),
        reason="Deputy",
        granted_by=administrator,
    )
    delegation.areas.set([ward])
    # when / then
    assert signoff_refusal_reason(user=deputy, request=request) is not None


def test_reject_needs_a_comment(officer, elected_member, ward):
    request = ask(officer, [ward])
    with pytest.raises(SignOffRefusedError, match="Say why"):
        signoff_decide(request=request, decided_by=elected_member, approve=False)


def test_request_gets_a_default_deadline_and_notifies_members(
    officer, elected_member, ward, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(officer, [ward])
    # then
    assert request.deadline == timezone.localdate() + dt.timedelta(days=DEFAULT_DEADLINE_DAYS)
    assert [m.to for m in mail.outbox] == [[elected_member.email]]
    assert "Sign-off needed" in mail.outbox[0].subject


def test_email_subject_names_the_subject_as_typed(
    officer, elected_member, ward, django_capture_on_commit_callbacks
):
    """A plain-text subject: "&" and an apostrophe arrive as typed, not as HTML entities,
    and the member's inbox tells one project's request from another's."""
    # given
    project = ProjectFactory(areas=[ward], title="St Mary's Park & Garden")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        ask(officer, [ward], subject=project)
    # then
    assert mail.outbox[0].subject == (
        f"Sign-off needed: Spend over the threshold for {project.reference} "
        "St Mary's Park & Garden"
    )


def test_two_requests_for_one_project_are_told_apart_by_their_amounts(
    officer, elected_member, ward, django_capture_on_commit_callbacks
):
    """Two awards to one project arrive as two emails the member tells apart in the inbox,
    with the amount written as the rest of the service writes money."""
    # given
    project = ProjectFactory(areas=[ward], title="School streets")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        for key, amount in (("funding:1", "3000"), ("funding:2", "1500.50")):
            ask(officer, [ward], subject=project, key=key, amount=Decimal(amount))
    # then
    prefix = f"Sign-off needed: Spend over the threshold for {project.reference} School streets"
    assert [m.subject for m in mail.outbox] == [f"{prefix}: £3,000", f"{prefix}: £1,500.50"]
    assert "Amount: £3,000\n" in mail.outbox[0].body


def test_overdue_requests_are_escalated_once(
    officer, elected_member, ward, django_capture_on_commit_callbacks
):
    # given
    request = ask(officer, [ward], deadline=timezone.localdate() - dt.timedelta(days=1))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        first = signoff_escalate_overdue()
    second = signoff_escalate_overdue()
    # then
    request.refresh_from_db()
    assert (first, second) == (1, 0)
    assert request.escalated_at is not None
    assert {tuple(m.to) for m in mail.outbox} == {(elected_member.email,), (officer.email,)}
    assert all("Overdue" in m.subject for m in mail.outbox)


def test_withdrawn_request_cannot_be_decided(officer, elected_member, ward):
    # given
    request = ask(officer, [ward])
    signoff_withdraw(request=request, withdrawn_by=officer)
    # when / then
    with pytest.raises(SignOffRefusedError) as refused:
        signoff_decide(request=request, decided_by=elected_member, approve=True)
    assert refused.value.messages == ["This request was withdrawn, so it needs no decision."]


def test_decision_emails_the_requester(
    officer, elected_member, ward, django_capture_on_commit_callbacks
):
    # given
    request = ask(officer, [ward])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        signoff_decide(
            request=request, decided_by=elected_member, approve=False, comment="Too dear"
        )
    # then
    assert mail.outbox[-1].to == [officer.email]
    assert "Too dear" in mail.outbox[-1].body


def test_escalation_task_runs_the_service(officer, ward):
    """The beat task escalates overdue requests (and a deleted request is skipped)."""
    from governance.tasks import signoff_escalate_overdue_task, signoff_notify_task

    # given
    ask(officer, [ward], deadline=timezone.localdate() - dt.timedelta(days=2))
    # when
    escalated = signoff_escalate_overdue_task()
    # then
    assert escalated == 1
    assert signoff_notify_task(987654, "requested") is None
