import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from communities import census
from coproduction.accounts.roles import Role
from engagement import services
from engagement.models import (
    Attendance,
    EqualityResponse,
    Event,
    IssueReport,
    Participant,
    ParticipationRecord,
    StreetChampion,
)
from governance.models import AuditEvent
from tests.communities.factories import WardFactory
from tests.engagement.factories import (
    AreaTeamFactory,
    AttendanceFactory,
    EventFactory,
    IssueReportFactory,
    ParticipantFactory,
    PostcodeFactory,
    StreetChampionFactory,
    category,
    state,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_commit_now")]


def signup(**overrides) -> services.ChampionSignup:
    values = {
        "full_name": "Maureen Pike",
        "email": "Maureen.Pike@example.org",
        "phone": "07700 900123",
        "postcode": "NF1 1AB",
        "patch": "Elm Road",
        "activities": ["report_problems"],
    }
    values.update(overrides)
    return services.ChampionSignup(**values)


@pytest.fixture
def postcode(ward):
    return PostcodeFactory(postcode="NF1 1AB", ward=ward)


def test_champion_signup_locates_the_postcode_and_emails_a_confirmation_link(postcode, ward):
    # when
    champion = services.champion_signup(signup=signup(), signup_key=uuid.uuid4())
    # then
    assert champion.status == StreetChampion.Status.UNCONFIRMED
    assert champion.ward == ward
    assert champion.participant.home_ward == ward
    assert champion.participant.email == "maureen.pike@example.org"
    assert len(mail.outbox) == 1
    assert "/street-champions/confirm/" in mail.outbox[0].body


def test_champion_signup_twice_with_the_same_email_merges(postcode):
    # given
    first = services.champion_signup(signup=signup(), signup_key=uuid.uuid4())
    # when
    second = services.champion_signup(
        signup=signup(
            email="MAUREEN.PIKE@example.org", patch="Ash Grove", activities=["lead_litter_picks"]
        ),
        signup_key=uuid.uuid4(),
    )
    # then
    assert second.pk == first.pk
    assert Participant.objects.count() == 1
    assert StreetChampion.objects.count() == 1
    assert second.patch == "Elm Road\nAsh Grove"
    assert second.activities == ["report_problems", "lead_litter_picks"]


def test_champion_signup_resubmitted_form_changes_nothing_and_sends_nothing_twice(postcode):
    # given
    key = uuid.uuid4()
    services.champion_signup(signup=signup(), signup_key=key)
    # when
    services.champion_signup(signup=signup(patch="Somewhere else"), signup_key=key)
    # then
    champion = StreetChampion.objects.get()
    assert champion.patch == "Elm Road"
    assert len(mail.outbox) == 1


def test_champion_signup_with_every_equality_question_blank_stores_no_answers(postcode):
    # when
    champion = services.champion_signup(
        signup=signup(equality_consent=True), signup_key=uuid.uuid4()
    )
    # then
    assert champion.pk
    assert not EqualityResponse.objects.exists()


def test_equality_answers_are_kept_under_the_pseudonym_only_with_consent(postcode):
    # given
    answers = services.EqualityAnswers(year_of_birth=1950, ethnic_group="white_british")
    # when
    without = services.champion_signup(
        signup=signup(equality=answers, equality_consent=False), signup_key=uuid.uuid4()
    )
    with_consent = services.champion_signup(
        signup=signup(email="b@example.org", equality=answers, equality_consent=True),
        signup_key=uuid.uuid4(),
    )
    # then
    assert not EqualityResponse.objects.filter(pseudonym=without.participant.pseudonym).exists()
    response = EqualityResponse.objects.get(pseudonym=with_consent.participant.pseudonym)
    assert response.lawful_basis == EqualityResponse.LawfulBasis.EXPLICIT_CONSENT
    assert response.ethnic_group == "white_british"


def test_equality_response_record_supersedes_and_withdraw_erases_history(ward):
    # given
    person = ParticipantFactory(home_ward=ward)
    services.equality_response_record(
        participant=person, answers=services.EqualityAnswers(sex="female")
    )
    services.equality_response_record(
        participant=person, answers=services.EqualityAnswers(sex=census.PREFER_NOT_TO_SAY)
    )
    # then
    current = services.equality_response_current_for_person(participant=person)
    assert current.sex == census.PREFER_NOT_TO_SAY
    assert EqualityResponse.objects.filter(pseudonym=person.pseudonym).count() == 2
    # when
    services.equality_response_withdraw(participant=person, actor=person.user)
    # then
    assert not EqualityResponse.objects.filter(pseudonym=person.pseudonym).exists()


def test_equality_response_refuses_an_answer_not_on_the_form(ward):
    person = ParticipantFactory(home_ward=ward)
    with pytest.raises(services.EngagementError):
        services.equality_response_record(
            participant=person, answers=services.EqualityAnswers(ethnic_group="martian")
        )


def test_champion_confirm_activates_email_and_gives_a_resident_account(postcode, ward):
    # given
    champion = services.champion_signup(signup=signup(), signup_key=uuid.uuid4())
    token = services.champion_confirmation_token(champion=champion)
    # when
    confirmation = services.champion_confirm(token=token)
    # then
    champion.refresh_from_db()
    assert champion.status == StreetChampion.Status.AWAITING_APPROVAL
    assert confirmation.needs_password
    assert confirmation.user.has_role(Role.RESIDENT)
    assert list(confirmation.user.areas.all()) == [ward]
    assert champion.participant.user == confirmation.user


def test_champion_confirm_refuses_a_tampered_token(postcode):
    champion = services.champion_signup(signup=signup(), signup_key=uuid.uuid4())
    token = services.champion_confirmation_token(champion=champion)
    with pytest.raises(services.EngagementError):
        services.champion_confirm(token=token[:-2] + "xx")


def test_champion_cannot_be_approved_before_confirming(officer, ward):
    champion = StreetChampionFactory(
        participant=ParticipantFactory(home_ward=ward), status=StreetChampion.Status.UNCONFIRMED
    )
    with pytest.raises(services.EngagementError):
        services.champion_status_change(champion=champion, action="approve", actor=officer)


def test_champion_approval_and_induction_are_audited_and_counted(officer, ward):
    # given
    champion = StreetChampionFactory(
        participant=ParticipantFactory(home_ward=ward),
        status=StreetChampion.Status.AWAITING_APPROVAL,
    )
    # when
    services.champion_status_change(champion=champion, action="approve", actor=officer)
    services.champion_induction_record(
        champion=champion, actor=officer, inducted_on=timezone.localdate(), kit_issued="Picker"
    )
    # then
    champion.refresh_from_db()
    assert champion.status == StreetChampion.Status.ACTIVE
    assert champion.kit_issued == "Picker"
    assert AuditEvent.objects.filter(action="engagement.champion.approve").exists()
    assert ParticipationRecord.objects.filter(
        participant=champion.participant, kind=ParticipationRecord.Kind.CHAMPION_ACTIVITY
    ).exists()


def test_report_routing_prefers_the_category_team_then_the_nearest_area(ward, aap):
    # given
    general = AreaTeamFactory(name="Central street scene", areas=[aap])
    AreaTeamFactory(name="Ward team", areas=[ward])
    fly = AreaTeamFactory(
        name="Fly-tipping enforcement", areas=[aap], categories=[category("fly-tipping")]
    )
    # then
    assert services.report_route(category=category("fly-tipping"), ward=ward) == fly
    assert services.report_route(category=category("litter"), ward=ward).name == "Ward team"
    assert services.report_route(category=category("litter"), ward=aap) == general


def test_a_street_champions_report_goes_to_the_top_of_the_queue(ward, officer):
    # given
    older = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    champion = StreetChampionFactory(participant=ParticipantFactory(home_ward=ward))
    # when
    newer = IssueReportFactory(reporter=champion.participant)
    # then
    from engagement.selectors import report_queue_for_user

    assert newer.by_champion
    assert list(report_queue_for_user(user=officer)) == [newer, older]


def test_report_create_records_the_action_and_thanks_the_reporter(ward):
    # when
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    # then
    assert report.state.code == "open"
    assert report.due_at > timezone.now() + timedelta(days=2)
    assert ParticipationRecord.objects.filter(
        source=f"engagement.issuereport:{report.pk}", kind=ParticipationRecord.Kind.ISSUE_REPORT
    ).exists()
    assert mail.outbox[-1].subject.startswith(f"We have your report {report.reference}")


def test_report_create_with_the_same_submission_key_makes_one_report(ward):
    # given
    reporter = ParticipantFactory(home_ward=ward)
    draft = services.ReportDraft(
        category=category(), description="Sofa", location_description="Park Lane", ward=ward
    )
    key = uuid.uuid4()
    # when
    first = services.issue_report_create(draft=draft, reporter=reporter, submission_key=key)
    second = services.issue_report_create(draft=draft, reporter=reporter, submission_key=key)
    # then
    assert first == second
    assert IssueReport.objects.count() == 1


def test_report_without_any_location_is_refused(ward):
    with pytest.raises(services.EngagementError):
        services.issue_report_create(
            draft=services.ReportDraft(category=category(), description="x", ward=ward),
            reporter=ParticipantFactory(home_ward=ward),
        )


def test_report_transitions_tell_the_reporter_and_time_the_response(officer, ward):
    # given
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    mail.outbox.clear()
    # when
    services.issue_report_transition(
        report=report, to_state=state("investigating"), actor=officer, note="On our list"
    )
    services.issue_report_transition(report=report, to_state=state("fixed"), actor=officer)
    # then
    report.refresh_from_db()
    assert report.state.code == "fixed"
    assert report.responded_at is not None
    assert report.response_seconds is not None
    assert report.fixed_at is not None
    assert report.resolution_seconds is not None
    assert [m.subject for m in mail.outbox] == [
        f"Your report {report.reference} is now: Investigating",
        f"Your report {report.reference} is now: Fixed",
    ]
    assert "On our list" in mail.outbox[0].body


def test_emails_to_residents_show_apostrophes_and_ampersands_as_typed(postcode, officer, ward):
    # given: plain-text emails, so nothing in them is HTML-escaped
    reporter = ParticipantFactory(home_ward=ward, full_name="Sam O'Neil")
    report = IssueReportFactory(reporter=reporter)
    mail.outbox.clear()
    # when
    services.champion_signup(signup=signup(full_name="Siobhan O'Brien"), signup_key=uuid.uuid4())
    services.issue_report_transition(
        report=report, to_state=state("investigating"), actor=officer, note="We'll sweep & clear"
    )
    # then
    champion_email, report_email = mail.outbox
    assert "Hello Siobhan O'Brien," in champion_email.body
    assert "Hello Sam O'Neil," in report_email.body
    assert "We'll sweep & clear" in report_email.body
    assert "&#x27;" not in champion_email.body + report_email.body
    assert "&amp;" not in report_email.body


def test_report_transition_refuses_a_stale_version(officer, ward):
    from django.core.exceptions import ValidationError

    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    with pytest.raises(ValidationError):
        services.issue_report_transition(
            report=report, to_state=state("fixed"), actor=officer, version=report.version - 1
        )


def test_overdue_reports_are_open_reports_past_their_due_time(ward):
    # given
    late = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    IssueReport.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    # then
    assert list(IssueReport.objects.overdue()) == [late]


def test_merge_marks_the_duplicate_and_tells_its_reporter(officer, ward):
    # given
    first = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    second = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    mail.outbox.clear()
    # when
    services.issue_report_merge(report=second, into=first, actor=officer)
    # then
    second.refresh_from_db()
    assert second.duplicate_of == first
    assert second.state.is_duplicate
    assert first.reference in mail.outbox[0].body


def test_report_nearby_finds_open_reports_of_the_category_within_250_metres(ward):
    # given
    reporter = ParticipantFactory(home_ward=ward)
    near = IssueReportFactory(
        reporter=reporter, latitude=Decimal("54.523600"), longitude=Decimal("-1.559500")
    )
    IssueReportFactory(  # about 400 m north
        reporter=reporter, latitude=Decimal("54.527200"), longitude=Decimal("-1.559500")
    )
    IssueReportFactory(  # same spot, other category
        reporter=reporter,
        category_slug="graffiti",
        latitude=Decimal("54.523600"),
        longitude=Decimal("-1.559500"),
    )
    from engagement.selectors import report_nearby

    # when
    found = report_nearby(category=category(), latitude=54.5245, longitude=-1.5595)
    # then
    assert [(r, m) for r, m in found] == [(near, 100)]


def test_attendance_taken_records_the_ledger_and_absence_withdraws_it(officer, ward):
    # given
    attendance = AttendanceFactory(
        event=EventFactory(area=ward, held=True), participant=ParticipantFactory(home_ward=ward)
    )
    # when
    services.attendance_take(
        event=attendance.event, actor=officer, marks={attendance.pk: (True, None)}
    )
    # then
    attendance.refresh_from_db()
    assert attendance.status == Attendance.Status.ATTENDED
    assert attendance.hours == Decimal("2.00")
    assert ParticipationRecord.objects.filter(
        source=f"engagement.attendance:{attendance.pk}"
    ).exists()
    # when
    services.attendance_take(
        event=attendance.event, actor=officer, marks={attendance.pk: (False, None)}
    )
    # then
    assert not ParticipationRecord.objects.filter(
        source=f"engagement.attendance:{attendance.pk}"
    ).exists()


def test_a_register_writes_the_ledger_in_person_order(officer, ward):
    # given: people whose names sort the other way from their records (the summary's
    # queue takes its months in person order: two registers saved at once then wait in
    # turn rather than deadlock)
    event = EventFactory(area=ward, held=True)
    people = [ParticipantFactory(home_ward=ward, full_name=name) for name in ("Cy", "Bo", "Al")]
    marks = {
        AttendanceFactory(event=event, participant=person).pk: (True, None) for person in people
    }
    # when
    services.attendance_take(event=event, actor=officer, marks=marks)
    # then
    written = ParticipationRecord.objects.order_by("pk").values_list("participant_id", flat=True)
    assert list(written) == [person.pk for person in people]


def test_registration_respects_capacity_and_repeats_return_the_same_place(ward):
    # given
    event = EventFactory(area=ward, capacity=1)
    # when
    first = services.event_register_public(event=event, full_name="A", email="a@example.org")
    again = services.event_register_public(event=event, full_name="A", email="A@example.org")
    # then
    assert first == again
    with pytest.raises(services.EngagementError, match="full"):
        services.event_register_public(event=event, full_name="B", email="b@example.org")


def test_check_in_needs_the_right_code_during_the_event(ward):
    # given
    event = EventFactory(area=ward, starts_at=timezone.now() - timedelta(minutes=10))
    person = ParticipantFactory(home_ward=ward)
    # then
    with pytest.raises(services.EngagementError):
        services.attendance_check_in(event=event, participant=person, code="WRONG")
    attendance = services.attendance_check_in(event=event, participant=person, code="park26")
    assert attendance.status == Attendance.Status.ATTENDED


def test_check_in_is_refused_at_a_cancelled_event_and_outside_its_window(ward):
    """A cancelled event did not happen: no one checks in to it. Out of the window, the
    refusal says the window as it is (to two hours after the end)."""
    # given
    person = ParticipantFactory(home_ward=ward)
    now = timezone.now()
    cancelled = EventFactory(area=ward, starts_at=now, status=Event.Status.CANCELLED)
    over = EventFactory(
        area=ward, starts_at=now - timedelta(hours=5), ends_at=now - timedelta(hours=3)
    )
    just_over = EventFactory(
        area=ward, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
    )
    # when
    with pytest.raises(services.EngagementError) as at_cancelled:
        services.attendance_check_in(event=cancelled, participant=person, code="park26")
    with pytest.raises(services.EngagementError) as too_late:
        services.attendance_check_in(event=over, participant=person, code="park26")
    attended = services.attendance_check_in(event=just_over, participant=person, code="park26")
    # then
    assert str(at_cancelled.value) == "This event was cancelled: there is nothing to check in to."
    assert str(too_late.value) == (
        "Check-in is open from an hour before the event until two hours after it ends."
    )
    assert not Attendance.objects.filter(event__in=[cancelled, over]).exists()
    assert attended.status == Attendance.Status.ATTENDED


def test_erasure_leaves_anonymous_counts_only(officer, ward):
    # given
    person = ParticipantFactory(home_ward=ward, full_name="Jo Bloggs")
    StreetChampionFactory(participant=person)
    services.equality_response_record(
        participant=person, answers=services.EqualityAnswers(year_of_birth=1960)
    )
    attendance = AttendanceFactory(event=EventFactory(area=ward, held=True), participant=person)
    services.attendance_take(
        event=attendance.event, actor=officer, marks={attendance.pk: (True, None)}
    )
    report = IssueReportFactory(reporter=person)
    # when
    services.participant_erase(participant=person, actor=officer)
    # then
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.full_name == ""
    assert person.email == ""
    assert not StreetChampion.objects.filter(participant=person).exists()
    assert not EqualityResponse.objects.filter(pseudonym=person.pseudonym).exists()
    assert Attendance.objects.filter(participant=person).count() == 1
    report.refresh_from_db()
    assert report.anonymous
    assert AuditEvent.objects.filter(action="engagement.participant.erase", actor=officer).exists()


def test_officer_export_of_a_person_is_audited_with_the_equality_read(officer, ward):
    # given
    person = ParticipantFactory(home_ward=ward)
    services.equality_response_record(
        participant=person, answers=services.EqualityAnswers(religion="christian")
    )
    # when
    data = services.participant_export(participant=person, actor=officer)
    # then
    assert data["engagement.equalityresponse"][0]["religion"] == "christian"
    actions = set(AuditEvent.objects.filter(actor=officer).values_list("action", flat=True))
    assert {"engagement.participant.export", "engagement.equality.read"} <= actions


def test_officer_change_of_details_is_audited_with_field_names_only(officer, ward):
    # given
    other = WardFactory(parent=ward.parent)
    PostcodeFactory(postcode="NF9 9ZZ", ward=other)
    person = ParticipantFactory(home_ward=ward, phone="01234")
    # when
    services.participant_update(
        participant=person, actor=officer, data={"phone": "0999", "postcode": "nf99zz"}
    )
    # then
    person.refresh_from_db()
    assert person.home_ward == other
    event = AuditEvent.objects.get(action="engagement.participant.update")
    assert set(event.fields) >= {"phone", "postcode", "home_ward"}
    assert "0999" not in str(event.fields)


def test_who_came_to_an_event_is_recorded_only_from_its_day(officer, ward):
    """A register, a walk-in or one person's attendance before the event's day would put
    a future action in the participation ledger: each is refused with the event's date."""
    # given: a litter pick next week, with one registration
    attendance = AttendanceFactory(
        event=EventFactory(area=ward), participant=ParticipantFactory(home_ward=ward)
    )
    event = attendance.event
    day = f"{timezone.localtime(event.starts_at):%-d %B %Y}"
    refusal = f"This event is on {day}: record who came on the day or after."
    attempts = [
        lambda: services.attendance_take(
            event=event, actor=officer, marks={attendance.pk: (True, None)}
        ),
        lambda: services.attendance_record(
            event=event, participant=attendance.participant, attended=True, actor=officer
        ),
        lambda: services.attendance_walk_in(event=event, actor=officer, full_name="Ann Lee"),
    ]
    for attempt in attempts:
        # when
        with pytest.raises(services.EngagementError) as refused:
            attempt()
        # then
        assert str(refused.value) == refusal
    attendance.refresh_from_db()
    assert attendance.status == Attendance.Status.REGISTERED
    assert not ParticipationRecord.objects.exists()
    assert not Participant.objects.filter(full_name="Ann Lee").exists()
    # when: on the day, before the evening's start, the officer ticks those who came
    event.starts_at = timezone.localtime().replace(hour=23, minute=30)
    event.ends_at = event.starts_at + timedelta(hours=1)
    event.save()
    services.attendance_take(event=event, actor=officer, marks={attendance.pk: (True, None)})
    # then
    attendance.refresh_from_db()
    assert attendance.status == Attendance.Status.ATTENDED


def test_an_event_that_has_started_cannot_be_cancelled(officer, ward):
    """Once it has started an event has happened: its register and the participation
    ledger say who came, so cancelling it would misstate the record."""
    # given: a litter pick that started half an hour ago
    starts = timezone.now() - timedelta(minutes=30)
    event = EventFactory(area=ward, starts_at=starts, ends_at=starts + timedelta(hours=2))
    when = f"{timezone.localtime(starts):%A %-d %B %Y}"
    # when
    with pytest.raises(services.EngagementError) as refused:
        services.event_status_set(event=event, actor=officer, status=Event.Status.CANCELLED)
    # then
    assert str(refused.value).startswith(f"This event started on {when}, ")
    assert str(refused.value).endswith(": it can no longer be cancelled.")
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED
    assert not AuditEvent.objects.filter(action="engagement.event.cancelled").exists()


def test_an_event_that_has_started_is_not_moved_to_a_time_still_to_come(officer, ward):
    """Moving a litter pick under way to next week would make what happened not have
    happened, and let it be cancelled: refused. Its start can still be corrected, and a
    cancelled event can be put on another day."""
    # given: a litter pick that started half an hour ago
    starts = timezone.now() - timedelta(minutes=30)
    event = EventFactory(area=ward, starts_at=starts, ends_at=starts + timedelta(hours=2))
    next_week = {
        "starts_at": starts + timedelta(days=7),
        "ends_at": starts + timedelta(days=7, hours=2),
    }
    # when
    with pytest.raises(services.EngagementError) as refused:
        services.event_update(event=event, actor=officer, data=next_week)
    # then
    assert str(refused.value).startswith(
        f"This event started on {timezone.localtime(starts):%A %-d %B %Y}, "
    )
    assert str(refused.value).endswith(
        "its start can be corrected but not moved to a time still to come. "
        "To hold it again, add a new event."
    )
    event.refresh_from_db()
    assert event.starts_at == starts
    # when: the start corrected to an hour earlier
    earlier = {"starts_at": starts - timedelta(hours=1)}
    services.event_update(event=event, actor=officer, data=earlier)
    # then
    event.refresh_from_db()
    assert event.starts_at == starts - timedelta(hours=1)
    # when: cancelled before it started, then its time passed, it is put on next week
    cancelled = EventFactory(area=ward, status=Event.Status.CANCELLED, starts_at=starts)
    services.event_update(event=cancelled, actor=officer, data=next_week)
    # then
    cancelled.refresh_from_db()
    assert cancelled.starts_at == next_week["starts_at"]


def test_an_event_is_cancelled_up_to_its_start(officer, ward):
    event = EventFactory(area=ward, starts_at=timezone.now() + timedelta(minutes=5))
    services.event_status_set(event=event, actor=officer, status=Event.Status.CANCELLED)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    # and a cancelled event whose time has passed can still be reinstated
    event.starts_at = timezone.now() - timedelta(hours=1)
    event.save()
    services.event_status_set(event=event, actor=officer, status=Event.Status.SCHEDULED)
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED
