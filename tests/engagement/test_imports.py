from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from engagement.imports import ImportRefusedError, participation_import
from engagement.models import (
    Attendance,
    EqualityResponse,
    Participant,
    ParticipationImport,
    ParticipationRecord,
)
from tests.engagement.factories import EventFactory, ParticipantFactory, PostcodeFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "reference,event,date,postcode,ward_code,year_of_birth,sex,gender_identity,"
    "sexual_orientation,ethnic_group,disability,religion,consent\n"
)


@pytest.fixture
def forum(ward):
    starts = datetime(2026, 3, 14, 18, 0, tzinfo=ZoneInfo("Europe/London"))
    return EventFactory(
        title="Spring forum", area=ward, starts_at=starts, ends_at=starts.replace(hour=20)
    )


def test_import_creates_and_matches_people_attendance_ledger_and_answers(forum, ward):
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    known = ParticipantFactory(reference="S-1", home_ward=ward)
    text = HEADER + (
        "S-1,Spring forum,2026-03-14,,,1948,Female,,,White and Asian,,Christian,yes\n"
        "S-2,spring forum,14/03/2026,nf11ab,,,,,,,,,no\n"
        f",Spring forum,2026-03-14,,{ward.gss_code},,Prefer not to say,,,,,,yes\n"
    )
    # when
    result = participation_import(text=text)
    # then
    assert (result.participants_created, result.participants_matched) == (2, 1)
    assert Attendance.objects.filter(event=forum, status="attended").count() == 3
    assert ParticipationRecord.objects.filter(event=forum).count() == 3
    answer = EqualityResponse.objects.get(pseudonym=known.pseudonym)
    assert (answer.year_of_birth, answer.ethnic_group, answer.source) == (
        1948,
        "mixed_white_asian",
        "paper",
    )
    assert Participant.objects.get(reference="S-2").home_ward == ward
    assert EqualityResponse.objects.filter(sex="prefer_not_to_say").count() == 1


def test_import_writes_the_ledger_in_person_then_date_order(forum, ward):
    # given: people listed out of order, at two events (the summary's queue takes its
    # months in this order, so that two imports at once wait rather than deadlock)
    winter = EventFactory(
        title="Winter walk",
        area=ward,
        starts_at=forum.starts_at.replace(month=2),
        ends_at=forum.ends_at.replace(month=2),
    )
    people = [ParticipantFactory(reference=f"S-{n}", home_ward=ward) for n in (1, 2, 3)]
    text = HEADER + (
        "S-3,Spring forum,2026-03-14,,,,,,,,,,\n"
        "S-1,Spring forum,2026-03-14,,,,,,,,,,\n"
        "S-2,Winter walk,2026-02-14,,,,,,,,,,\n"
        "S-1,Winter walk,2026-02-14,,,,,,,,,,\n"
    )
    # when
    participation_import(text=text)
    # then
    written = list(
        ParticipationRecord.objects.order_by("pk").values_list("participant_id", "event_id")
    )
    first, second, third = (person.pk for person in people)
    assert written == [
        (first, winter.pk),
        (first, forum.pk),
        (second, winter.pk),
        (third, forum.pk),
    ]


def test_import_of_a_file_with_errors_writes_nothing_and_lists_every_error(forum):
    # given
    text = HEADER + (
        "S-1,Spring forum,2026-03-14,,,1948,Female,,,,,,yes\n"
        "S-2,No such event,2026-03-14,,,,,,,,,,\n"
        "S-3,Spring forum,2026-13-40,NOTAPOSTCODE,E05999999,1800,Man,,,,,,maybe\n"
        "S-4,Spring forum,2026-03-14,,,,Female,,,,,,no\n"
    )
    # when
    with pytest.raises(ImportRefusedError) as refused:
        participation_import(text=text)
    # then
    problems = {(e["line"], e["column"]) for e in refused.value.errors}
    assert problems == {
        (3, "event"),
        (4, "date"),
        (4, "postcode"),
        (4, "ward_code"),
        (4, "year_of_birth"),
        (4, "sex"),
        (4, "consent"),
        (5, "consent"),
    }
    assert not Participant.objects.exists()
    assert not Attendance.objects.exists()


def test_the_same_file_imported_again_is_refused_so_no_one_is_counted_twice(forum, ward, officer):
    """A row with no reference is a new person each time: importing the same sheets again
    would double the people the inclusion reports count. The same file, even saved again
    with other line endings, is refused, naming when and by whom it was imported."""
    # given a file imported once
    text = HEADER + (
        f",Spring forum,2026-03-14,,{ward.gss_code},,,,,,,,\n"
        "S-1,Spring forum,2026-03-14,,,,,,,,,,\n"
    )
    participation_import(text=text, actor=officer, file_name="spring-forum.csv")
    people = Participant.objects.count()
    # when
    with pytest.raises(ImportRefusedError) as refused:
        participation_import(text="\ufeff" + text.replace("\n", "\r\n"), actor=officer)
    # then
    (error,) = refused.value.errors
    today = timezone.localdate()
    assert error["message"] == (
        f"This file was imported on {today:%-d %B %Y} by {officer.full_name}: importing it "
        "again would count its people twice (a row with no reference is a new person each "
        "time). Import only the rows not imported yet."
    )
    assert Participant.objects.count() == people == 2
    assert Attendance.objects.count() == 2
    # and a file with another row is another file
    more = text + ",Spring forum,2026-03-14,,,,,,,,,,\n"
    assert participation_import(text=more).participants_created == 2
    imported = ParticipationImport.objects.order_by("imported_at", "pk")
    assert [(i.file_name, i.rows, i.imported_by) for i in imported] == [
        ("spring-forum.csv", 2, officer),
        ("", 3, None),
    ]


def test_import_refuses_attendance_dated_after_today(ward):
    """Who came is imported from the event's day: a row dated in the future, even one that
    names an event on that date, is refused and nothing is written."""
    # given: a forum next week
    starts = timezone.localtime() + timedelta(days=7)
    EventFactory(title="Summer forum", area=ward, starts_at=starts)
    text = HEADER + f"S-1,Summer forum,{starts:%Y-%m-%d},,,,,,,,,,\n"
    # when
    with pytest.raises(ImportRefusedError) as refused:
        participation_import(text=text)
    # then
    assert refused.value.errors == [
        {
            "line": 2,
            "column": "date",
            "message": f"{starts:%d/%m/%Y} is in the future: import who came on the day or after",
        }
    ]
    assert not Participant.objects.exists()
    assert not Attendance.objects.exists()


def test_import_refuses_a_file_without_the_columns():
    with pytest.raises(ImportRefusedError) as refused:
        participation_import(text="name,email\nA,b@example.org\n")
    assert refused.value.errors[0]["line"] == 1


def test_import_refuses_a_file_naming_a_column_twice(forum):
    # given: two sex columns, one per line of the form it was copied from
    text = HEADER.replace(",sex,", ",sex,Sex,") + (
        "S-9,Spring forum,2026-03-14,,,1970,female,male,,,,,,yes\n"
    )
    # when
    with pytest.raises(ImportRefusedError) as refused:
        participation_import(text=text)
    # then
    (error,) = refused.value.errors
    assert (error["line"], error["column"]) == (1, "sex")
    assert not Participant.objects.exists()


def test_import_as_an_officer_matches_only_events_in_their_areas(officer, other_ward):
    starts = datetime(2026, 3, 14, 18, 0, tzinfo=ZoneInfo("Europe/London"))
    EventFactory(title="Far forum", area=other_ward, starts_at=starts, ends_at=starts)
    with pytest.raises(ImportRefusedError):
        participation_import(text=HEADER + "A,Far forum,2026-03-14,,,,,,,,,,\n", actor=officer)


def test_import_command_reports_errors_with_their_lines(tmp_path, forum, capsys):
    # given
    path = tmp_path / "sheet.csv"
    path.write_text(HEADER + "S-1,Spring forum,not a date,,,,,,,,,,\n")
    # when / then
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_participation", str(path))
    assert "line 2 [date]" in capsys.readouterr().err


def test_import_command_imports_a_good_file(tmp_path, forum, capsys):
    path = tmp_path / "sheet.csv"
    path.write_text(HEADER + "S-1,Spring forum,2026-03-14,,,,,,,,,,\n", encoding="utf-8-sig")
    call_command("import_participation", str(path))
    assert "attendances recorded: 1" in capsys.readouterr().out


def test_browser_upload_runs_the_same_import_as_a_job(client, officer, forum):
    # given
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from coproduction.jobs.models import Job

    client.force_login(officer)
    upload = SimpleUploadedFile(
        "sheet.csv", (HEADER + "S-1,Spring forum,2026-03-14,,,,,,,,,,\n").encode(), "text/csv"
    )
    # when
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
        )
        response = client.post(reverse("engagement:participation_import"), {"file": upload})
    # then
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert Attendance.objects.filter(event=forum).count() == 1


@pytest.mark.parametrize(
    "line",
    [
        "S-\x001,Spring forum,2026-03-14,,,,,,,,,,yes",
        "S-1,Spring\x00forum,2026-03-14,,,,,,,,,,yes",
        "S-1,Spring forum,2026-03-14,,E05\x00001234,,,,,,,,yes",
    ],
)
def test_participation_import_refuses_a_nul_character_with_its_line(forum, line):
    """PostgreSQL neither stores nor matches a NUL: the sheet is refused, nothing written."""
    # given
    text = HEADER + "S-2,Spring forum,2026-03-14,,,,,,,,,,yes\n" + line + "\n"
    # when
    with pytest.raises(ImportRefusedError) as raised:
        participation_import(text=text)
    # then
    assert [error["line"] for error in raised.value.errors] == [3]
    assert "NUL" in raised.value.errors[0]["message"]
    assert not Participant.objects.exists()
    assert not Attendance.objects.exists()
