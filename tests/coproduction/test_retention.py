"""The retention schedule (coproduction.retention, docs/retention.md), tested by moving
the clock: records are made at one time, the nightly run happens later."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone

from coproduction.jobs.models import Job
from coproduction.retention import retention, retention_apply_task
from engagement.models import (
    Attendance,
    EqualityResponse,
    IssueReport,
    Participant,
    StreetChampion,
)
from governance.models import AuditEvent
from tests.engagement.factories import (
    AttendanceFactory,
    EventFactory,
    IssueReportFactory,
    ParticipantFactory,
    StreetChampionFactory,
    state,
)

START = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def days_later(days: int):
    return time_machine.travel(START + timedelta(days=days), tick=False)


def test_every_rule_is_scheduled_nightly_and_documented():
    # then
    entry = settings.CELERY_BEAT_SCHEDULE["retention-apply"]
    assert entry["task"] == retention_apply_task.name
    documented = (settings.BASE_DIR / "docs" / "retention.md").read_text()
    missing = [name for name in retention.rules if f"`{name}`" not in documented]
    assert missing == []


def test_a_period_is_changed_in_settings(settings):
    # given
    settings.RETENTION_DAYS = {"engagement.champions_unconfirmed": 7}
    # then
    assert retention.rules["engagement.champions_unconfirmed"].days == 7
    assert retention.rules["engagement.champions_ended"].days == 730


@pytest.mark.django_db
def test_unconfirmed_sign_ups_go_after_30_days_with_the_person_known_only_by_them():
    # given: two sign-ups never confirmed, one of someone who also came to an event
    with days_later(0):
        lone = StreetChampionFactory(
            status=StreetChampion.Status.UNCONFIRMED,
            confirmed_at=None,
            participant__full_name="Peggy Lone",
        )
        known = StreetChampionFactory(status=StreetChampion.Status.UNCONFIRMED, confirmed_at=None)
        AttendanceFactory(participant=known.participant)
    with days_later(20):
        recent = StreetChampionFactory(status=StreetChampion.Status.UNCONFIRMED, confirmed_at=None)
    # when: the nightly run 31 days after the first sign-ups
    with days_later(31):
        done = retention.run()
    # then
    assert done["engagement.champions_unconfirmed"] == 2
    assert list(StreetChampion.objects.all()) == [recent]
    lone_person = Participant.objects.get(pk=lone.participant_id)
    assert lone_person.erased_at is not None
    assert lone_person.full_name == ""
    assert Participant.objects.get(pk=known.participant_id).erased_at is None


@pytest.mark.django_db
def test_ended_champions_go_two_years_after_they_stopped():
    # given
    with days_later(0):
        ended = StreetChampionFactory(
            status=StreetChampion.Status.ENDED, status_changed_at=timezone.now()
        )
        active = StreetChampionFactory()
    # when
    with days_later(729):
        early = retention.run()
    with days_later(731):
        done = retention.run()
    # then
    assert early["engagement.champions_ended"] == 0
    assert done["engagement.champions_ended"] == 1
    assert list(StreetChampion.objects.all()) == [active]
    assert Participant.objects.filter(pk=ended.participant_id).exists()


@pytest.mark.django_db
def test_reporters_of_fixed_problems_are_removed_a_year_after_the_fix():
    # given: one report fixed, one still open
    with days_later(0):
        fixed = IssueReportFactory()
        IssueReport.objects.filter(pk=fixed.pk).update(
            state=state("fixed"), fixed_at=timezone.now()
        )
        still_open = IssueReportFactory()
    # when
    with days_later(366):
        done = retention.run()
    # then
    assert done["engagement.issue_report_reporters"] == 1
    fixed.refresh_from_db()
    assert fixed.reporter is None
    assert fixed.anonymous
    still_open.refresh_from_db()
    assert still_open.reporter is not None


@pytest.mark.django_db
def test_registrations_never_attended_go_a_year_after_the_event():
    # given
    with days_later(0):
        event = EventFactory(starts_at=timezone.now(), ends_at=timezone.now())
        registered = AttendanceFactory(event=event)
        attended = AttendanceFactory(event=event, status=Attendance.Status.ATTENDED)
        cancelled = AttendanceFactory(event=event, status=Attendance.Status.CANCELLED)
    # when
    with days_later(366):
        done = retention.run()
    # then
    assert done["engagement.event_registrations"] == 2
    assert list(Attendance.objects.all()) == [attended]
    assert not Attendance.objects.filter(pk__in=[registered.pk, cancelled.pk]).exists()


@pytest.mark.django_db
def test_equality_answers_of_people_inactive_for_three_years_are_deleted():
    # given: two people answered; one takes part again after two years
    with days_later(0):
        dormant = ParticipantFactory()
        active = ParticipantFactory()
        for person in (dormant, active):
            EqualityResponse.objects.create(
                pseudonym=person.pseudonym,
                lawful_basis=EqualityResponse.LawfulBasis.EXPLICIT_CONSENT,
                ethnic_group="ethnic_group:white_british",
            )
    with days_later(2 * 365):
        AttendanceFactory(participant=active, status=Attendance.Status.ATTENDED)
        from engagement.participation import participation_record

        participation_record(
            participant=active,
            kind="attendance",
            occurred_at=timezone.now(),
            action=Attendance.objects.get(participant=active),
        )
    # when
    with days_later(3 * 365 + 1):
        done = retention.run()
    # then
    assert done["engagement.equality_inactive"] == 1
    assert not EqualityResponse.objects.filter(pseudonym=dormant.pseudonym).exists()
    assert EqualityResponse.objects.filter(pseudonym=active.pseudonym).exists()


@pytest.mark.django_db
def test_job_uploads_sessions_and_expired_records_go(officer, settings, tmp_path):
    # given
    settings.MEDIA_ROOT = tmp_path
    with days_later(0):
        job = Job.objects.create(kind="tests.echo", created_by=officer)
        job.upload.save("residents.csv", ContentFile(b"name\nPeggy Lone\n"))
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=timezone.now())
        session = SessionStore()
        session["x"] = 1
        session.set_expiry(60)
        session.create()
    path = tmp_path / job.upload.name
    assert path.exists()
    # when
    with days_later(31):
        done = retention.run()
    # then
    assert done["jobs.uploads"] == 1
    assert done["sessions.expired"] == 1
    job.refresh_from_db()
    assert job.upload.name == ""
    assert not path.exists()
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_the_run_is_idempotent_and_one_failing_rule_spares_the_others(monkeypatch):
    # given
    with days_later(0):
        StreetChampionFactory(status=StreetChampion.Status.UNCONFIRMED, confirmed_at=None)
        StreetChampionFactory(status=StreetChampion.Status.ENDED)
    broken = retention.rules["engagement.champions_ended"]

    def fail(*, cutoff):
        raise RuntimeError("disk full")

    monkeypatch.setitem(
        retention.rules, broken.name, type(broken)(broken.name, broken.kept, 0, fail)
    )
    # when
    with days_later(800):
        first = retention.run()
    monkeypatch.setitem(retention.rules, broken.name, broken)
    with days_later(800):
        second = retention.run()
        third = retention.run()
    # then
    assert first["engagement.champions_unconfirmed"] == 1
    assert first["engagement.champions_ended"] is None
    assert second["engagement.champions_ended"] == 1
    assert set(third.values()) == {0}
    assert not StreetChampion.objects.exists()
    # and each night's work is in the audit trail, by rule
    runs = AuditEvent.objects.filter(action="privacy.retention_applied")
    assert sorted(runs.values_list("object_id", flat=True)) == [
        "engagement.champions_ended",
        "engagement.champions_unconfirmed",
    ]
