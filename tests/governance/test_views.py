"""The governance pages, driven through the client as each role would."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    AuditEvent,
    Ballot,
    BoardMembership,
    Decision,
    Meeting,
    MemberAttendance,
    Priority,
    PriorityCycle,
    SignOffRequest,
)
from governance.services.priorities import priority_review_save
from projects.models import FundingLine, Project
from tests.governance.factories import (
    MeetingFactory,
    ParticipantFactory,
    PriorityCycleFactory,
    PriorityFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def test_forum_to_projects_journey(
    client,
    officer,
    resident,
    board_member,
    elected_member,
    board,
    partnership,
    ward,
    django_capture_on_commit_callbacks,
):
    """A cycle's priorities voted online and on paper, reviewed by a board member,
    adopted at a quorate board meeting, ratified by a councillor, given a task-and-finish
    group and linked to a project."""
    board.quorum = 2
    board.save()
    # the officer starts a cycle and a resident proposes
    client.force_login(officer)
    response = client.post(
        reverse("governance:cycle_create", args=[partnership.pk]),
        {
            "title": "Spring 2027 priorities",
            "period_start": "2027-04-01",
            "period_end": "2027-06-30",
            "voting_method": "approval",
            "votes_per_person": 2,
            "adopt_count": 1,
            "needs_ratification": "on",
        },
    )
    cycle = PriorityCycle.objects.get(title="Spring 2027 priorities")
    assert response.url == reverse("governance:cycle_detail", args=[cycle.pk])
    client.force_login(resident)
    client.post(
        reverse("governance:priority_propose", args=[cycle.pk]),
        {"title": "Safer crossings", "description": "Near the school."},
    )
    client.force_login(officer)
    client.post(reverse("governance:priority_propose", args=[cycle.pk]), {"title": "More bins"})
    client.post(reverse("governance:cycle_advance", args=[cycle.pk]))
    crossings = cycle.priorities.get(title="Safer crossings")
    bins = cycle.priorities.get(title="More bins")
    # a resident votes online, an officer enters a paper ballot
    client.force_login(resident)
    response = client.post(
        reverse("governance:cycle_vote", args=[cycle.pk]), {f"priority_{crossings.pk}": "on"}
    )
    assert response.status_code == 302
    again = client.post(
        reverse("governance:cycle_vote", args=[cycle.pk]), {f"priority_{bins.pk}": "on"}
    )
    assert "already voted" in again.content.decode()
    client.force_login(officer)
    client.post(
        reverse("governance:paper_ballot", args=[cycle.pk]),
        {
            "paper_reference": "SD-0042",
            "cast_on": timezone.localdate().isoformat(),
            f"priority_{crossings.pk}": "on",
            f"priority_{bins.pk}": "on",
        },
    )
    assert Ballot.objects.filter(cycle=cycle).count() == 2
    client.post(reverse("governance:cycle_advance", args=[cycle.pk]))
    crossings.refresh_from_db()
    assert (crossings.forum_rank, crossings.forum_score) == (1, 2)
    # the board member reviews
    client.force_login(board_member)
    response = client.post(
        reverse("governance:cycle_review", args=[cycle.pk]),
        {
            f"score_{crossings.pk}": "5",
            f"comment_{crossings.pk}": "Children cross here daily.",
            f"score_{bins.pk}": "2",
        },
    )
    assert response.url == reverse("governance:board_member")
    # a quorate board meeting adopts the first priority
    # the meeting was held yesterday: who came is recorded after the day
    held_on = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    client.force_login(officer)
    client.post(
        reverse("governance:meeting_create", args=[partnership.pk]),
        {
            "kind": "board",
            "title": "Board meeting, May",
            "starts_at": f"{held_on}T18:00",
            "ends_at": f"{held_on}T20:00",
            "place": "Town Hall",
        },
    )
    meeting = partnership.meetings.get(event__title="Board meeting, May")
    client.post(
        reverse("governance:item_add", args=[meeting.pk]),
        {"title": "Priorities", "is_public": "on"},
    )
    item = meeting.items.get()
    members = list(BoardMembership.objects.filter(board=board, status="current"))
    client.post(
        reverse("governance:member_attendance", args=[meeting.pk]),
        {f"member_{m.pk}": "present" for m in members},
    )
    assert MemberAttendance.objects.filter(meeting=meeting, status="present").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("governance:decision_record", args=[item.pk]),
            {
                "motion": "Adopt safer crossings as a priority.",
                "proposer": members[0].pk,
                "seconder": members[1].pk,
                "priority": crossings.pk,
                "effect": "adopt",
                **{f"vote_{m.pk}": "for" for m in members},
            },
        )
    assert response.status_code == 302
    crossings.refresh_from_db()
    assert crossings.status == Priority.Status.ADOPTED
    request = SignOffRequest.objects.get(kind="ratification")
    assert elected_member.email in [m.to[0] for m in mail.outbox]
    # the councillor ratifies
    client.force_login(elected_member)
    page = client.get(reverse("governance:councillor"))
    assert request in page.context["requests"]
    client.post(
        reverse("governance:signoff_decide", args=[request.pk]),
        {"decision": "approve", "comment": "Agreed."},
    )
    request.refresh_from_db()
    assert request.status == "approved"
    # the officer forms the task-and-finish group and links a project
    client.force_login(officer)
    volunteer = ParticipantFactory(home_ward=ward)
    client.post(
        reverse("governance:task_group_add", args=[crossings.pk]),
        {"participant": volunteer.pk, "role": "lead", "joined_on": "2027-04-01"},
    )
    project = ProjectFactory(areas=[ward])
    client.post(
        reverse("governance:priority_projects", args=[crossings.pk]), {"projects": [project.pk]}
    )
    assert crossings.task_group.get().participant == volunteer
    assert list(crossings.projects.all()) == [project]
    # nothing personal in the trail: ids and field names only
    for event in AuditEvent.objects.all():
        assert "Children cross here daily." not in str(event.fields)


def test_decision_form_refuses_when_not_quorate(
    client, officer, board, board_meeting, agenda_item
):
    # given
    members = list(BoardMembership.objects.filter(board=board, status="current"))
    client.force_login(officer)
    client.post(
        reverse("governance:member_attendance", args=[board_meeting.pk]),
        {f"member_{m.pk}": "present" for m in members},
    )
    # when
    response = client.post(
        reverse("governance:decision_record", args=[agenda_item.pk]),
        {
            "motion": "Adopt.",
            "proposer": members[0].pk,
            "seconder": members[1].pk,
            **{f"vote_{m.pk}": "for" for m in members},
        },
    )
    # then
    assert response.status_code == 400
    assert "not quorate" in response.content.decode()
    assert "<title>Error: " in response.content.decode()
    assert not Decision.objects.exists()


def test_a_meeting_with_published_minutes_offers_no_new_decision(
    client, board_member, board, board_meeting, agenda_item, officer
):
    """The published minutes are the record: a board member is neither offered nor allowed
    a decision or a declaration on the meeting afterwards, and is told why."""
    # given
    from governance.services.meetings import member_attendance_set, minutes_publish, minutes_save

    board.quorum = 2
    board.save()
    members = list(BoardMembership.objects.filter(board=board, status="current"))
    member_attendance_set(
        meeting=board_meeting, statuses={m.pk: "present" for m in members}, recorded_by=officer
    )
    minutes_save(meeting=board_meeting, minutes="The board met.", saved_by=officer)
    minutes_publish(meeting=board_meeting, published_by=officer)
    client.force_login(board_member)
    # when
    page = client.get(reverse("governance:meeting_detail", args=[board_meeting.pk]))
    response = client.post(
        reverse("governance:decision_record", args=[agenda_item.pk]),
        {
            "motion": "Adopt.",
            "proposer": members[0].pk,
            "seconder": members[1].pk,
            **{f"vote_{m.pk}": "for" for m in members},
        },
    )
    # then
    shown = page.content.decode()
    assert reverse("governance:decision_record", args=[agenda_item.pk]) not in shown
    assert reverse("governance:interest_declare", args=[agenda_item.pk]) not in shown
    assert reverse("governance:member_attendance", args=[board_meeting.pk]) not in shown
    assert response.status_code == 400
    assert "minutes of this meeting are published" in response.content.decode()
    assert response.context["form"]["motion"].value() == "Adopt."
    assert not Decision.objects.exists()


def test_bad_input_gives_errors_not_500s(client, officer, partnership, board):
    client.force_login(officer)
    response = client.post(
        reverse("governance:cycle_create", args=[partnership.pk]),
        {
            "title": "",
            "period_start": "2027-06-01",
            "period_end": "2027-01-01",
            "votes_per_person": "x",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"title", "period_end", "votes_per_person"}
    response = client.get(
        reverse("governance:cabinet_update_pdf", args=[partnership.pk]) + "?start=nope"
    )
    assert response.status_code == 400


def test_unseen_records_are_404(client, officer, other_ward):
    """An officer elsewhere learns nothing of another area's partnership."""
    from tests.accounts.factories import OfficerFactory
    from tests.governance.factories import PartnershipFactory

    elsewhere = PartnershipFactory(area=other_ward.parent)
    client.force_login(officer)
    assert (
        client.get(reverse("governance:partnership_detail", args=[elsewhere.pk])).status_code
        == 404
    )
    del OfficerFactory


def test_signoff_crafted_post_by_requester_is_refused(
    client, officer, elected_member, ward, adopted_priority
):
    # given: the councillor raised the request themselves
    from governance.signoffs import signoff_request

    request = signoff_request(
        kind="ratification",
        subject=adopted_priority,
        key="adoption",
        summary="Ratify.",
        requested_by=elected_member,
        areas=[ward],
    )
    client.force_login(elected_member)
    # when
    response = client.post(
        reverse("governance:signoff_decide", args=[request.pk]), {"decision": "approve"}
    )
    # then
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"
    assert AuditEvent.objects.filter(action="signoff.decision_refused").exists()


def test_published_minutes_name_no_one(
    client, board, board_meeting, agenda_item, officer, board_member
):
    # given
    from governance.services.meetings import interest_declare, minutes_publish, minutes_save

    membership = BoardMembership.objects.get(participant__user=board_member)
    interest_declare(
        item=agenda_item,
        membership=membership,
        kind="pecuniary",
        nature="Owns the shop next door.",
        withdrew=True,
        declared_by=officer,
    )
    minutes_save(meeting=board_meeting, minutes="The board met.", saved_by=officer)
    minutes_publish(meeting=board_meeting, published_by=officer)
    # when
    page = client.get(
        reverse("governance:minutes_public", args=[board_meeting.pk])
    ).content.decode()
    # then
    assert "1 member declared an interest, 1 left the room" in page
    assert board_member.full_name not in page
    assert "Owns the shop" not in page


def test_a_second_member_deciding_a_request_already_decided_is_told_so(
    client, officer, elected_member, ward, adopted_priority
):
    """Two members for the ward open the same request; the second to submit sees it was
    decided (400, who decided it) and their comment, not a page they "cannot see"."""
    # given
    from governance.signoffs import signoff_decide, signoff_request
    from tests.accounts.factories import ElectedMemberFactory

    request = signoff_request(
        kind="ratification",
        subject=adopted_priority,
        key="adoption",
        summary="Ratify.",
        requested_by=officer,
        areas=[ward],
    )
    colleague = ElectedMemberFactory(full_name="Cllr Ann Davies", areas=[ward])
    signoff_decide(request=request, decided_by=colleague, approve=True, comment="")
    client.force_login(elected_member)
    # when
    response = client.post(
        reverse("governance:signoff_decide", args=[request.pk]),
        {"decision": "reject", "comment": "The board was not quorate for this item."},
    )
    # then
    content = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#signoff-status">This request has already been decided.</a>' in content
    assert "Approved by Cllr Ann Davies" in content
    assert "The board was not quorate for this item." in content
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", colleague)


def test_audit_trail_filters(
    client, administrator, officer, elected_member, ward, adopted_priority
):
    # given
    from governance.audit import audit_record

    audit_record(
        actor=officer, action="decision.recorded", object_type="governance.decision", object_id=7
    )
    audit_record(
        actor=elected_member,
        action="signoff.approved",
        object_type="governance.signoffrequest",
        object_id=3,
    )
    client.force_login(administrator)
    # when
    page = client.get(reverse("governance:audit_list"), {"action": "signoff"})
    # then
    actions = [e.action for e in page.context["page"].object_list]
    assert actions == ["signoff.approved"]
    assert AuditEvent.objects.filter(action="audit_trail.read").exists()


def test_auditor_permission_opens_the_trail(client, officer):
    from django.contrib.auth.models import Permission

    officer.user_permissions.add(Permission.objects.get(codename="read_audit_trail"))
    client.force_login(officer)
    assert client.get(reverse("governance:audit_list")).status_code == 200


def test_cabinet_update_pdf(client, officer, board, partnership):
    client.force_login(officer)
    response = client.get(reverse("governance:cabinet_update_pdf", args=[partnership.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_paper_upload_refuses_other_types(client, officer, board_meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    response = client.post(
        reverse("governance:item_add", args=[board_meeting.pk]),
        {"title": "Budget", "paper": SimpleUploadedFile("run.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "must be a PDF" in response.content.decode()


def test_vote_page_after_voting_closes(client, resident, review_cycle):
    client.force_login(resident)
    response = client.post(reverse("governance:cycle_vote", args=[review_cycle.pk]), {})
    assert response.status_code == 400
    why = "Voting is not open in this cycle: your vote was not counted."
    assert f'<a href="#voting-status">{why}</a>' in response.content.decode()
    assert 'id="voting-status">Voting is not open' in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_paper_ballot_is_dated_as_filled_in_the_forum_night_offered_first(
    client, officer, voting_cycle
):
    # given: a cycle begun a month ago whose forum met five days ago
    PriorityCycle.objects.filter(pk=voting_cycle.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    forum_day = timezone.localdate() - dt.timedelta(days=5)
    voting_cycle.forum = MeetingFactory(
        partnership=voting_cycle.partnership,
        kind="forum",
        starts_at=timezone.make_aware(dt.datetime.combine(forum_day, dt.time(19))),
    )
    voting_cycle.save(update_fields=["forum"])
    priority = voting_cycle.priorities.first()
    url = reverse("governance:paper_ballot", args=[voting_cycle.pk])
    client.force_login(officer)
    # when: the form opens
    page = client.get(url).content.decode()
    # then: it offers the forum's date
    assert f'name="cast_on" value="{forum_day.isoformat()}"' in page
    # when: a date in the future is entered
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    answer = {"paper_reference": "NF-0007", f"priority_{priority.pk}": "on"}
    refused = client.post(url, {**answer, "cast_on": tomorrow.isoformat()})
    # then: the date is refused beside its field, and nothing is written
    assert refused.status_code == 400
    assert refused.context["form"].errors["cast_on"] == [
        "The date on the ballot paper cannot be in the future."
    ]
    assert not Ballot.objects.exists()
    # when: the forum's date is entered
    client.post(url, {**answer, "cast_on": forum_day.isoformat()})
    # then: the ballot is dated the forum night
    assert timezone.localtime(Ballot.objects.get().cast_at).date() == forum_day


def test_a_paper_ballot_form_offers_today_without_a_forum_held_and_refuses_too_early(
    client, officer, voting_cycle
):
    # given: a cycle begun today whose forum is next week
    voting_cycle.forum = MeetingFactory(
        partnership=voting_cycle.partnership,
        kind="forum",
        starts_at=timezone.now() + dt.timedelta(days=7),
    )
    voting_cycle.save(update_fields=["forum"])
    priority = voting_cycle.priorities.first()
    url = reverse("governance:paper_ballot", args=[voting_cycle.pk])
    client.force_login(officer)
    today = timezone.localdate()
    # when
    page = client.get(url).content.decode()
    refused = client.post(
        url,
        {
            "paper_reference": "NF-0008",
            f"priority_{priority.pk}": "on",
            "cast_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    # then
    assert f'name="cast_on" value="{today.isoformat()}"' in page
    assert refused.context["form"].errors["cast_on"] == [
        "The date on the ballot paper cannot be before the cycle began or its forum met "
        f"({today:%-d %B %Y})."
    ]
    assert not Ballot.objects.exists()


def test_delegation_admin_refuses_granting_to_oneself(client, administrator, ward):
    """An administrator who is also an elected member cannot delegate to themselves."""
    from coproduction.accounts.roles import Role
    from coproduction.accounts.services import user_roles_set
    from governance.models import SignOffDelegation

    user_roles_set(user=administrator, roles=[Role.ADMINISTRATOR, Role.ELECTED_MEMBER])
    client.force_login(administrator)
    response = client.post(
        reverse("admin:governance_signoffdelegation_add"),
        {
            "member": administrator.pk,
            "areas": [ward.pk],
            "kinds": "[]",
            "starts_on": "2026-04-01",
            "reason": "Holiday cover",
        },
    )
    assert response.status_code == 200
    assert "delegated by someone else" in response.content.decode()
    assert not SignOffDelegation.objects.exists()


def test_lottery_draw_runs_as_a_background_job(
    client, officer, seat_call, ward, django_capture_on_commit_callbacks
):
    # given
    from coproduction.jobs.models import Job
    from governance.services.lottery import seat_application_add

    for n in range(3):
        seat_application_add(
            call=seat_call,
            participant=ParticipantFactory(home_ward=ward),
            address_line=f"{n} Mill Lane",
            postcode="NF1 1AA",
            added_by=officer,
        )
    client.force_login(officer)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:draw", args=[seat_call.pk]), {"seed": "77"})
    # then
    job = Job.objects.get(kind="governance.lottery_draw")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    draw = seat_call.draws.get()
    assert (draw.seed, len(draw.panel)) == (77, 2)
    # and the job's page continues to the draw, where the panel is given its seats
    page = client.get(response.url)
    assert page.context["done_url"] == reverse("governance:draw_detail", args=[draw.pk])
    assert "next_url" not in page.content.decode()


def test_paper_of_an_exempt_item_only_for_readers(
    client, agenda_item_with_paper, officer, resident
):
    url = reverse("governance:agenda_paper", args=[agenda_item_with_paper.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"


def test_councillor_on_the_board_declares_their_own_interest(
    client, elected_member, board, agenda_item
):
    # given
    own = BoardMembership.objects.get(board=board, user=elected_member)
    client.force_login(elected_member)
    # when
    page = client.get(reverse("governance:interest_declare", args=[agenda_item.pk]))
    client.post(
        reverse("governance:interest_declare", args=[agenda_item.pk]),
        {"membership": own.pk, "kind": "pecuniary", "nature": "My employer applied."},
    )
    # then
    assert list(page.context["form"].fields["membership"].queryset) == [own]
    assert agenda_item.declarations.get().membership == own


def test_date_fields_show_their_initial_date(client, officer, board):
    """A date input only shows an ISO value: today's date appears as the term's start."""
    client.force_login(officer)
    page = client.get(reverse("governance:membership_add", args=[board.partnership.pk]))
    assert f'value="{timezone.localdate().isoformat()}"' in page.content.decode()
    assert "govuk-input govuk-input--width-10" in page.content.decode()


def test_an_award_proposed_on_the_partnership_page_is_a_funding_line_a_member_decides(
    client, officer, elected_member, partnership, ward
):
    """The award page writes the one ledger: a funding line on the project drawing on the
    budget, held until an elected member decides it."""
    from decimal import Decimal

    from projects.models import FundingLine
    from tests.projects.factories import BudgetFactory

    # given
    budget = BudgetFactory(name="Northfield Central area budget", amount=5000, area=ward.parent)
    project = ProjectFactory(areas=[ward])
    client.force_login(officer)
    url = reverse("governance:award_create", args=[partnership.pk])
    # when: more than the budget holds, then within it
    too_much = client.post(
        url,
        {"budget": budget.pk, "project": project.pk, "amount": "6000", "purpose": "Play area"},
    )
    within = client.post(
        url,
        {"budget": budget.pk, "project": project.pk, "amount": "4000", "purpose": "Play area"},
    )
    # then: the refusal is shown beside the amount, not only above the form
    assert too_much.status_code == 400
    assert "left to commit" in " ".join(too_much.context["form"].errors["amount"])
    assert 'href="#id_amount"' in too_much.content.decode()
    assert within.status_code == 302
    line = FundingLine.objects.get()
    assert (line.project, line.budget, line.amount, line.status) == (
        project,
        budget,
        Decimal("4000"),
        FundingLine.Status.AWAITING_SIGNOFF,
    )
    request = SignOffRequest.objects.get(kind=SignOffRequest.Kind.FUNDING_DECISION)
    assert request.key == f"funding:{line.pk}"
    # when: a member for the area approves it
    client.force_login(elected_member)
    decided = client.post(
        reverse("governance:signoff_decide", args=[request.pk]), {"decision": "approve"}
    )
    # then
    assert decided.status_code == 302
    line.refresh_from_db()
    assert line.status == FundingLine.Status.COMMITTED


def test_an_award_is_proposed_from_this_years_budgets_to_running_projects_in_stage_order(
    client, officer, partnership, ward
):
    """Last year's fund has closed and a closed or stopped project takes no more money:
    the award page offers neither, and a post naming one is refused. Projects are listed
    as they move through the stages, not by the stages' stored names."""
    from tests.projects.factories import BudgetFactory

    # given
    this_year = BudgetFactory(name="Small grants", area=ward.parent)
    last_year = BudgetFactory(
        name="Small grants", area=ward.parent, financial_year=this_year.financial_year - 1
    )
    delivering = ProjectFactory(areas=[ward], title="Allotments", stage=Project.Stage.DELIVER)
    designing = ProjectFactory(areas=[ward], title="Bus shelter", stage=Project.Stage.DESIGN)
    evaluating = ProjectFactory(areas=[ward], title="Cafe", stage=Project.Stage.EVALUATE)
    closed = ProjectFactory(areas=[ward], title="Community fridge", stage=Project.Stage.CLOSED)
    stopped = ProjectFactory(areas=[ward], title="Dog park", stage=Project.Stage.STOPPED)
    client.force_login(officer)
    url = reverse("governance:award_create", args=[partnership.pk])
    # when
    page = client.get(url)
    # then
    form = page.context["form"]
    assert list(form.fields["budget"].queryset) == [this_year]
    assert list(form.fields["project"].queryset) == [designing, delivering, evaluating]
    for budget, project in [(last_year, delivering), (this_year, closed), (this_year, stopped)]:
        # when
        refused = client.post(
            url,
            {"budget": budget.pk, "project": project.pk, "amount": "400", "purpose": "Seeds"},
        )
        # then
        assert refused.status_code == 400
        assert "Select a valid choice" in refused.content.decode()
    assert not FundingLine.objects.exists()


def test_a_sign_off_leads_to_what_it_asks_the_member_to_approve(
    client, elected_member, officer, ward, adopted_priority
):
    """A stage gate "with the design evidence" links to the project, where the evidence is;
    a ratification links to the priority."""
    # given
    from governance.signoffs import signoff_request

    project = ProjectFactory(areas=[ward])
    gate = signoff_request(
        kind=SignOffRequest.Kind.STAGE_GATE,
        subject=project,
        key="stage:design",
        summary="Leave design, with the design evidence.",
        requested_by=officer,
        areas=[ward],
    )
    ratification = signoff_request(
        kind=SignOffRequest.Kind.RATIFICATION,
        subject=adopted_priority,
        key="ratification",
        summary="Ratify the adoption.",
        requested_by=officer,
        areas=[ward.parent],
    )
    client.force_login(elected_member)
    # when
    gate_page = client.get(reverse("governance:signoff_decide", args=[gate.pk]))
    ratification_page = client.get(reverse("governance:signoff_decide", args=[ratification.pk]))
    # then
    assert f'href="{project.get_absolute_url()}"' in gate_page.content.decode()
    priority_url = reverse("governance:priority_detail", args=[adopted_priority.pk])
    assert f'href="{priority_url}"' in ratification_page.content.decode()
    # and the councillor's page links its wards' projects and priorities
    own_page = client.get(reverse("governance:councillor")).content.decode()
    assert f'href="{project.get_absolute_url()}"' in own_page
    assert f'href="{priority_url}"' in own_page
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(priority_url).status_code == 200


@pytest.mark.parametrize("decided", [False, True], ids=["asked", "decided"])
def test_a_member_asked_to_decide_an_award_for_a_neighbouring_ward_can_open_the_project(
    client, officer, elected_member, partnership, ward, decided
):
    """An award from the area budget is decided by any member for the area, so a ward
    councillor may be asked about a project in another ward of it: the decision page
    links the project and the project opens, before and after the decision, and nothing
    else of that ward's opens."""
    from tests.communities.factories import WardFactory
    from tests.projects.factories import BudgetFactory

    # given: an award from the area budget to a project in the area's other ward
    neighbouring = WardFactory(name="Riverside", parent=ward.parent)
    budget = BudgetFactory(name="Town area budget", amount=5000, area=ward.parent)
    project = ProjectFactory(areas=[neighbouring])
    untouched = ProjectFactory(areas=[neighbouring])
    client.force_login(officer)
    client.post(
        reverse("governance:award_create", args=[partnership.pk]),
        {"budget": budget.pk, "project": project.pk, "amount": "4000", "purpose": "Play area"},
    )
    request = SignOffRequest.objects.get(kind=SignOffRequest.Kind.FUNDING_DECISION)
    client.force_login(elected_member)
    url = reverse("governance:signoff_decide", args=[request.pk])
    if decided:
        client.post(url, {"decision": "approve"})
        request.refresh_from_db()
        assert request.status == SignOffRequest.Status.APPROVED
    # when
    page = client.get(url).content.decode()
    # then
    assert f'href="{project.get_absolute_url()}"' in page
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(untouched.get_absolute_url()).status_code == 404


def test_a_member_reading_a_project_goes_on_to_decide_its_pending_sign_offs(
    client, elected_member, officer, ward, partnership
):
    """The project's page links each pending gate and funding decision to its decision
    page for an elected member; an officer is not offered it."""
    from governance.signoffs import signoff_request
    from tests.projects.factories import BudgetFactory

    # given: a gate and an award from the area budget, both waiting
    project = ProjectFactory(areas=[ward])
    gate = signoff_request(
        kind=SignOffRequest.Kind.STAGE_GATE,
        subject=project,
        key="stage:design",
        summary="Leave design.",
        requested_by=officer,
        areas=[ward],
    )
    budget = BudgetFactory(name="Town area budget", amount=5000, area=ward.parent)
    client.force_login(officer)
    client.post(
        reverse("governance:award_create", args=[partnership.pk]),
        {"budget": budget.pk, "project": project.pk, "amount": "4000", "purpose": "Play area"},
    )
    award = SignOffRequest.objects.get(kind=SignOffRequest.Kind.FUNDING_DECISION)
    # when
    officer_page = client.get(project.get_absolute_url()).content.decode()
    client.force_login(elected_member)
    member_page = client.get(project.get_absolute_url()).content.decode()
    # then
    for request in (gate, award):
        link = f'href="{reverse("governance:signoff_decide", args=[request.pk])}"'
        assert link in member_page
        assert link not in officer_page


def test_board_member_asked_to_fill_in_then_to_change_their_review(
    client, board_member, board_membership, review_cycle, officer
):
    # given
    client.force_login(board_member)
    url = reverse("governance:board_member")
    assert "Fill in your review" in client.get(url).content.decode()
    # when: they score one priority
    priority_review_save(
        priority=review_cycle.priorities.first(),
        membership=board_membership,
        score=4,
        comment="",
        saved_by=board_member,
    )
    # then
    content = client.get(url).content.decode()
    assert "Change your review" in content
    assert "Fill in your review" not in content


def test_board_page_offers_the_review_of_every_cycle_the_board_is_reviewing(
    client, board_member, board_membership, partnership, review_cycle, officer
):
    """Two cycles in board review at once (the forum's priorities and a youth fund's): the
    home page counts both cycles' priorities to review, so the board page offers both
    reviews, not only the cycle whose period starts later."""
    # given
    later = PriorityCycleFactory(
        partnership=partnership,
        created_by=officer,
        status=PriorityCycle.Status.BOARD_REVIEW,
        title="Youth fund priorities",
        period_start=review_cycle.period_start + dt.timedelta(days=30),
    )
    PriorityFactory(cycle=later, title="Skate park repairs")
    client.force_login(board_member)
    # when
    page = client.get(reverse("governance:board_member")).content.decode()
    # then
    for cycle in (review_cycle, later):
        assert reverse("governance:cycle_review", args=[cycle.pk]) in page
        assert cycle.priorities.first().title in page


def test_board_page_leads_to_the_boards_meetings_and_priorities(
    client, board_member, board_membership, partnership, officer, adopted_priority
):
    """The home page's "board meetings in the next two weeks" opens the board page: it
    lists them, and leads to the partnership (meetings and minutes) and to each adopted
    priority (its task-and-finish group)."""
    # given
    soon = timezone.now() + dt.timedelta(days=5)
    coming = MeetingFactory(partnership=partnership, kind="board", starts_at=soon)
    past = MeetingFactory(
        partnership=partnership, kind="board", starts_at=timezone.now() - dt.timedelta(days=9)
    )
    client.force_login(board_member)
    # when
    page = client.get(reverse("governance:board_member")).content.decode()
    # then
    assert reverse("governance:meeting_detail", args=[coming.pk]) in page
    assert reverse("governance:meeting_detail", args=[past.pk]) not in page
    assert reverse("governance:partnership_detail", args=[partnership.pk]) in page
    assert reverse("governance:priority_detail", args=[adopted_priority.pk]) in page


def test_review_page_once_the_board_has_decided(
    client, board_member, board_membership, review_cycle
):
    """Once the board has decided, the review page says the review is closed instead of
    offering an empty form that says a review was saved when nothing was."""
    # given: the board decided every priority and the cycle
    review_cycle.priorities.update(status=Priority.Status.ADOPTED)
    client.force_login(board_member)
    url = reverse("governance:cycle_review", args=[review_cycle.pk])
    # when
    page = client.get(url)
    response = client.post(url, {})
    # then
    assert "Save my review" not in page.content.decode()
    assert 'id="review-status">The board has decided' in page.content.decode()
    assert response.status_code == 400
    why = "The board has decided these priorities: your review was not saved."
    assert f'<a href="#review-status">{why}</a>' in response.content.decode()


def test_refused_review_asks_once_whether_anything_is_left_to_review(
    client, board_member, board_membership, review_cycle
):
    """The refusal and the page shown with it read the same answer: one query for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given
    review_cycle.priorities.update(status=Priority.Status.ADOPTED)
    client.force_login(board_member)
    url = reverse("governance:cycle_review", args=[review_cycle.pk])
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {})
    # then
    assert response.status_code == 400
    left = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "governance_priority"' in q["sql"] and "LIMIT 1" in q["sql"]
    ]
    assert len(left) == 1, left


def test_appointing_a_panel_with_a_bad_date_or_twice_shows_the_draw_with_the_error(
    client, officer, seat_call, ward
):
    # given: a panel drawn from four applicants
    from governance.services.lottery import lottery_draw, seat_application_add

    for n in range(4):
        seat_application_add(
            call=seat_call,
            participant=ParticipantFactory(home_ward=ward),
            address_line=f"{n} Mill Lane",
            postcode="NF1 1AA",
            added_by=officer,
        )
    draw = lottery_draw(call=seat_call, drawn_by=officer, seed=11)
    url = reverse("governance:draw_appoint", args=[draw.pk])
    client.force_login(officer)
    # when: a date that is none
    bad = client.post(url, {"term_start": "31/02/2027"})
    # then: the draw again, the error on its form, no seats given
    assert bad.status_code == 400
    assert 'class="govuk-error-summary"' in bad.content.decode()
    assert "<title>Error: Lottery draw" in bad.content.decode()
    assert not BoardMembership.objects.filter(route=BoardMembership.Route.LOTTERY).exists()
    # when: appointed, then appointed again
    today = timezone.localdate().isoformat()
    assert client.post(url, {"term_start": today}).status_code == 302
    again = client.post(url, {"term_start": today})
    # then
    assert again.status_code == 400
    assert "already been appointed" in again.content.decode()
    assert BoardMembership.objects.filter(route=BoardMembership.Route.LOTTERY).count() == 2


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ("governance:cycle_advance", "not yet decided on 3 priorities"),
        ("governance:cycle_adopt_forum_result", "board decides"),
    ],
)
def test_a_refused_cycle_step_shows_the_cycle_again_with_why(
    client, officer, review_cycle, route, reason
):
    """Not a redirect with a banner: the cycle's page, its error summary linking to the
    button, as 400; the cycle stays where it was."""
    client.force_login(officer)
    response = client.post(reverse(route, args=[review_cycle.pk]))
    html = response.content.decode()
    assert response.status_code == 400
    assert f"<title>Error: {review_cycle.title}" in html
    assert 'govuk-error-summary__list"><li><a href="#cycle-action">' in html
    assert reason in html
    assert 'data-prevent-double-click="true" id="cycle-action"' in html  # one click, one step
    review_cycle.refresh_from_db()
    assert review_cycle.status == PriorityCycle.Status.BOARD_REVIEW


def test_a_tie_at_the_cut_off_is_decided_on_the_cycle_page(client, officer, partnership):
    """The officer is told of the tie and records the meeting's choice with who decided
    and why; a refusal keeps what they typed and changes nothing."""
    from tests.governance.test_priorities import forum_tied_at_third

    # given
    cycle, (_first, _second, alley, zebra) = forum_tied_at_third(partnership, officer)
    client.force_login(officer)
    url = reverse("governance:cycle_adopt_forum_result", args=[cycle.pk])
    page = client.get(reverse("governance:cycle_detail", args=[cycle.pk])).content.decode()
    assert "The forum's vote tied at the cut-off" in page
    assert f'name="tie_chosen" type="checkbox" value="{zebra.pk}"' in page
    # when: the plain button, then a choice with no reason
    plain = client.post(url)
    unexplained = client.post(url, {"tie_chosen": [str(zebra.pk)], "tie_reason": ""})
    # then
    assert plain.status_code == unexplained.status_code == 400
    assert '<a href="#tie-choice">The forum&#x27;s vote tied at the cut-off' in (
        plain.content.decode()
    )
    html = unexplained.content.decode()
    assert '<a href="#tie-reason">Say who decided the tie and why' in html
    assert 'class="govuk-textarea govuk-textarea--error" id="tie-reason"' in html
    assert 'id="tie-error"' not in html
    assert f'value="{zebra.pk}" checked>' in html
    assert not cycle.priorities.filter(status=Priority.Status.ADOPTED).exists()
    # when: decided
    decided = client.post(
        url, {"tie_chosen": [str(zebra.pk)], "tie_reason": "The chair's casting vote."}
    )
    # then
    assert decided.status_code == 302
    page = client.get(decided.url).content.decode()
    assert "3 priorities adopted from the forum" in page
    assert "The chair&#x27;s casting vote." in page
    assert f"Recorded by {officer.full_name}" in page
    assert Priority.objects.get(pk=alley.pk).status == Priority.Status.NOT_ADOPTED


@pytest.mark.parametrize("choice", ["²", "9" * 40, "-1", "abc"])
def test_a_tie_choice_that_is_no_priority_is_refused_not_a_server_error(
    client, officer, partnership, choice
):
    from tests.governance.test_priorities import forum_tied_at_third

    # given
    cycle, _priorities = forum_tied_at_third(partnership, officer)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("governance:cycle_adopt_forum_result", args=[cycle.pk]),
        {"tie_chosen": [choice], "tie_reason": "The chair's casting vote."},
    )
    # then
    assert response.status_code == 400
    assert "Choose only from the priorities the forum" in response.content.decode()
    assert not cycle.priorities.filter(status=Priority.Status.ADOPTED).exists()


def test_publishing_minutes_not_yet_written_is_refused_on_the_minutes_page(
    client, officer, board_meeting
):
    client.force_login(officer)
    response = client.post(reverse("governance:minutes_publish", args=[board_meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Minutes of " in html
    assert '<li><a href="#id_minutes">Write the minutes' in html
    assert "This field is required" not in html  # the minutes form is shown, not judged
    board_meeting.refresh_from_db()
    assert board_meeting.minutes_published_at is None


def test_publishing_the_minutes_of_a_meeting_still_to_come_is_refused(
    client, officer, board_meeting
):
    event = board_meeting.event
    event.starts_at = timezone.now() + dt.timedelta(days=21)
    event.ends_at = event.starts_at + dt.timedelta(hours=2)
    event.save()
    Meeting.objects.filter(pk=board_meeting.pk).update(minutes="The board met.")
    client.force_login(officer)
    response = client.post(reverse("governance:minutes_publish", args=[board_meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#publish-minutes">This meeting is on ' in html
    assert "publish its minutes on the day or after" in html
    board_meeting.refresh_from_db()
    assert board_meeting.minutes_published_at is None
    assert board_meeting.status == Meeting.Status.SCHEDULED


def test_the_minutes_form_shown_after_a_refused_publish_still_saves_the_minutes(
    client, officer, board_meeting
):
    """The refused page is answered at the publish address: its minutes form must still
    be sent to the minutes page (not to publish), and its summary link to a box there."""
    client.force_login(officer)
    refused = client.post(reverse("governance:minutes_publish", args=[board_meeting.pk]))
    html = refused.content.decode()
    edit_url = reverse("governance:minutes_edit", args=[board_meeting.pk])
    assert refused.status_code == 400
    assert f'<form method="post" action="{edit_url}"' in html
    assert '<a href="#id_minutes">Write the minutes' in html
    assert 'id="id_minutes"' in html


def test_advancing_a_closed_cycle_links_the_summary_to_an_element_on_its_page(
    client, officer, review_cycle
):
    """Sent twice, or from a page opened before: a closed cycle has no button to link."""
    PriorityCycle.objects.filter(pk=review_cycle.pk).update(status=PriorityCycle.Status.CLOSED)
    client.force_login(officer)
    for route in ("governance:cycle_advance", "governance:cycle_adopt_forum_result"):
        response = client.post(reverse(route, args=[review_cycle.pk]))
        html = response.content.decode()
        assert response.status_code == 400
        assert 'govuk-error-summary__list"><li><a href="#cycle-stage">' in html
        assert 'id="cycle-stage"' in html


def test_ending_a_membership_from_next_month_is_refused_and_the_seat_stays_held(
    client, officer, membership_to_end
):
    client.force_login(officer)
    next_month = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        reverse("governance:membership_end", args=[membership_to_end.pk]),
        {"ended_on": next_month.isoformat()},
    )
    assert response.status_code == 400
    assert "end their membership on their last day or after" in response.content.decode()
    membership_to_end.refresh_from_db()
    assert membership_to_end.status == BoardMembership.Status.CURRENT


def test_a_member_who_left_after_the_meeting_is_offered_on_its_decision_form(
    client, officer, board, board_meeting, agenda_item
):
    from governance.services.boards import board_membership_end
    from governance.services.meetings import member_attendance_set

    first = BoardMembership.objects.filter(board=board, status="current").first()
    member_attendance_set(
        meeting=board_meeting, statuses={first.pk: "present"}, recorded_by=officer
    )
    board_membership_end(membership=first, ended_on=timezone.localdate(), ended_by=officer)
    client.force_login(officer)
    response = client.get(reverse("governance:decision_record", args=[agenda_item.pk]))
    assert f"How {first.person_name} voted" in response.content.decode()
