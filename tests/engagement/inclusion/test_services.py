"""Reports end to end through the services: who is counted, against which population,
with which answers; the summary kept in step with the ledger; snapshots, schedules and
targets. Expected figures are worked out by hand in each test."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from engagement.inclusion.activity import activity_refresh, activity_stale_count
from engagement.inclusion.models import (
    Report,
    Schedule,
    ScopeActivity,
    ScopeKind,
    StaleMonth,
    StaleParticipant,
)
from engagement.inclusion.reporting import missing_sentence
from engagement.inclusion.services import (
    ReportError,
    ReportScope,
    TargetData,
    add_months,
    month_end,
    month_start,
    report_generate,
    report_request,
    schedule_ensure,
    schedule_run,
    target_create,
)
from engagement.models import EqualityResponse, ParticipationRecord
from tests.communities.factories import (
    CommunityOfInterestFactory,
    DeprivationScoreFactory,
    LsoaFactory,
    OrganisationAssetFactory,
    WardFactory,
)
from tests.engagement.factories import EventFactory, ParticipantFactory
from tests.engagement.inclusion.factories import (
    EventSeriesFactory,
    ParticipationRecordFactory,
    PartnershipFactory,
    ProjectFactory,
    ReportFactory,
    TargetFactory,
    census_table,
    on,
    person_with,
)
from tests.services import postgresql

MARCH = date(2026, 3, 15)


def generate(obj, kind=ScopeKind.AREA, start=date(2026, 1, 1), end=date(2026, 6, 30), **kw):
    report = ReportFactory(scope_kind=kind, obj=obj, start=start, end=end, **kw)
    return report_generate(report_id=report.pk)


def dimension(report: Report, code: str, mode: str = "results") -> dict:
    return next(d for d in getattr(report, mode)["dimensions"] if d["code"] == code)


def group(report: Report, dim: str, code: str, mode: str = "results") -> dict:
    return next(g for g in dimension(report, dim, mode)["groups"] if g["code"] == code)


@pytest.fixture
def sexes(ward):
    """Residents: 600 women and 400 men; the table's own total (1,003) differs from the
    sum of its cells by 3, as perturbed census tables do."""
    census_table(ward, "TS008", {"female": 600, "male": 400}, total=1003)
    return ward


def test_participants_are_distinct_people_with_an_action_in_scope_and_period(sexes, other_ward):
    # given: 12 women (one with 3 actions), 8 men; plus actions outside period or area
    people = [person_with(ward=sexes, sex="female") for _ in range(12)]
    for _ in range(2):
        ParticipationRecordFactory(participant=people[0], area=sexes, occurred_at=on(MARCH))
    for _ in range(8):
        person_with(ward=sexes, sex="male")
    person_with(ward=sexes, sex="male", when=date(2025, 12, 31))
    person_with(ward=other_ward, sex="male")
    # when
    report = generate(sexes)
    # then: 20 people, 22 actions
    assert report.results["participants"] == 20
    assert report.results["actions"] == 22
    women = group(report, "sex", "female")
    # p = 12/20 = 0.6; pi = 600/1003 = 0.59821 (the table's own total); RR = 1.00298
    assert women["count"] == 12
    assert women["census_share"] == pytest.approx(600 / 1003, abs=1e-4)
    assert women["ratio"] == pytest.approx(0.6 / (600 / 1003), abs=1e-4)
    assert women["expected"] == pytest.approx(20 * 600 / 1003, abs=0.01)
    summary = dimension(report, "sex")["summary"]
    # D = 1/2 (|0.6 - 0.59821| + |0.4 - 0.39880|) = 0.0015 (pi sums to 1000/1003)
    assert summary["dissimilarity"] == pytest.approx(
        0.5 * (abs(0.6 - 600 / 1003) + abs(0.4 - 400 / 1003)), abs=1e-4
    )


def test_prefer_not_to_say_and_blank_are_left_out_of_the_answers(sexes):
    # given: 10 answers, 2 "prefer not to say", 3 blank
    for i in range(10):
        person_with(ward=sexes, sex="female" if i < 5 else "male")
    for _ in range(2):
        person_with(ward=sexes, sex="prefer_not_to_say")
    for _ in range(3):
        person_with(ward=sexes)
    # when
    report = generate(sexes)
    # then: n = 10; response rate 10/15; the small "prefer not to say" is hidden
    response = dimension(report, "sex")["response"]
    assert response["answered"] == 10
    assert response["participants"] == 15
    assert response["response_rate"] == pytest.approx(10 / 15, abs=1e-4)
    assert response["prefer_not_to_say"] is None
    assert group(report, "sex", "female")["share"] == pytest.approx(0.5)


def test_voluntary_census_questions_drop_not_answered_from_the_population(ward):
    # given: religion, 100 of 1,000 residents did not answer
    census_table(
        ward, "TS030", {"christian": 450, "no_religion": 400, "muslim": 50, "not_answered": 100}
    )
    for i in range(20):
        person_with(ward=ward, religion="christian" if i < 10 else "no_religion")
    # when
    report = generate(ward)
    # then: pi(christian) = 450 / 900
    assert group(report, "religion", "christian")["census_share"] == pytest.approx(0.5)
    assert dimension(report, "religion")["census_total"] == 900


def test_ages_are_banded_from_year_of_birth_and_the_population_starts_at_the_eligible_age(
    ward,
):
    # given: 10 residents of every single year of age; people born 2015 are 11 in 2026
    census_table(ward, "TS007", {f"y{age}": 10 for age in range(0, 101)})
    for _ in range(6):
        person_with(ward=ward, year_of_birth=1990)  # 36: "35 to 49"
    for _ in range(6):
        person_with(ward=ward, year_of_birth=1950)  # 76: "75 and over"
    for _ in range(5):
        person_with(ward=ward, year_of_birth=2015)
    # when
    report = generate(ward)
    # then: population 16 and over = 85 years x 10 = 850; 35-49 is 150 of them
    age = dimension(report, "age")
    assert age["census_total"] == 850
    assert group(report, "age", "35_49")["census_share"] == pytest.approx(150 / 850, abs=1e-4)
    assert group(report, "age", "35_49")["count"] == 6
    assert age["response"]["answered"] == 12
    assert age["response"]["outside_universe"] == 5


def test_staff_figures_hide_a_small_count_too_young_to_be_asked(ward):
    """How many are too young (or said "prefer not to say") tells their answers: 1 to 4
    is hidden, with the blanks beside it, in the response line and in places alike."""
    # given: 12 adults and one eleven-year-old
    census_table(ward, "TS007", {f"y{age}": 10 for age in range(0, 101)})
    for _ in range(12):
        person_with(ward=ward, year_of_birth=1990)
    person_with(ward=ward, year_of_birth=2015)
    # when
    report = generate(ward)
    # then: 13 participants, 12 answered: the one left is hidden, and which of the three
    # they are cannot be told
    response = dimension(report, "age")["response"]
    assert (response["participants"], response["answered"]) == (13, 12)
    assert response["outside_universe"] is None
    assert response["prefer_not_to_say"] is None
    assert response["not_answered"] is None
    # places: 13 less the 12 adults living in the ward (by their ward: no one here has a
    # neighbourhood) less 0 outside leaves the child and 0 unplaced, both hidden
    geo = report.results["geography"]
    assert (geo["living_in_area"], geo["living_outside"]) == (12, 0)
    assert geo["younger"] is None
    assert geo["home_unknown"] is None


@pytest.mark.parametrize(("blank", "shown"), [(1, False), (4, False), (5, True)])
def test_staff_figures_hide_a_small_number_of_blanks_as_they_would_a_revealing_one(
    sexes, blank, shown
):
    """Were 1 blank shown as 1, a hidden line would mean "someone said prefer not to say
    or is too young", and a hidden line adding up to 1 would say which."""
    # given: 12 answers and some left blank, no one preferring not to say
    for i in range(12):
        person_with(ward=sexes, sex="female" if i < 6 else "male")
    for _ in range(blank):
        person_with(ward=sexes)
    # when
    response = dimension(generate(sexes), "sex")["response"]
    # then
    if shown:
        assert (response["not_answered"], response["prefer_not_to_say"]) == (blank, 0)
    else:
        assert (response["not_answered"], response["prefer_not_to_say"]) == (None, None)


def test_answers_are_those_in_force_when_the_period_ended(sexes):
    # given: 10 women and 10 men who answered in February; a woman changed her answer
    # to "male" after the period
    people = [
        person_with(ward=sexes, sex="female", recorded_at=on(date(2026, 2, 1))) for _ in range(10)
    ]
    for _ in range(10):
        person_with(ward=sexes, sex="male", recorded_at=on(date(2026, 2, 1)))
    from engagement import services as engagement_services

    engagement_services.equality_response_record(
        participant=people[0], answers=engagement_services.EqualityAnswers(sex="male")
    )
    # when: a report on January to June
    report = generate(sexes)
    # then: still 10 women then
    assert group(report, "sex", "female")["count"] == 10
    assert EqualityResponse.objects.filter(pseudonym=people[0].pseudonym).count() == 2


def test_someone_who_first_answered_after_the_period_counts_with_their_answers(sexes):
    for i in range(20):
        person_with(ward=sexes, sex="female" if i < 10 else "male")  # answered after June
    report = generate(sexes)
    assert group(report, "sex", "female")["count"] == 10


def test_area_reports_add_up_the_wards_beneath(aap, ward, sexes):
    # given: an action recorded against the ward counts for its area
    for _ in range(10):
        person_with(ward=ward, sex="female")
    # when
    report = generate(aap)
    # then
    assert report.results["participants"] == 10
    assert report.inputs["reference_areas"][0]["name"] == aap.name


def test_project_partnership_and_series_scopes_count_their_own_ledger_rows(ward, sexes):
    # given
    project = ProjectFactory(areas=[ward])
    partnership = PartnershipFactory(area=ward.parent)
    series = EventSeriesFactory()
    event = EventFactory(area=ward, series=series)
    people = [ParticipantFactory(home_ward=ward) for _ in range(3)]
    ParticipationRecordFactory(participant=people[0], project=project, occurred_at=on(MARCH))
    ParticipationRecordFactory(
        participant=people[1], partnership=partnership, occurred_at=on(MARCH)
    )
    ParticipationRecordFactory(participant=people[2], event=event, occurred_at=on(MARCH))
    # when
    reports = {
        "project": generate(project, ScopeKind.PROJECT),
        "partnership": generate(partnership, ScopeKind.PARTNERSHIP),
        "series": generate(series, ScopeKind.EVENT_SERIES),
        "programme": generate(None, ScopeKind.PROGRAMME),
    }
    # then
    assert {k: r.results["participants"] for k, r in reports.items()} == {
        "project": 1,
        "partnership": 1,
        "series": 1,
        "programme": 3,
    }


# -- The summary follows the ledger -------------------------------------------------------


def _activity(participant) -> set:
    return set(
        ScopeActivity.objects.filter(participant=participant).values_list(
            "scope_kind", "scope_id", "month", "actions"
        )
    )


def test_summary_follows_every_change_to_the_ledger(ward, other_ward):
    # given
    person = ParticipantFactory(home_ward=ward)
    record = ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(MARCH))
    activity_refresh()
    march = date(2026, 3, 1)
    assert _activity(person) == {(0, 0, march, 1), (1, ward.pk, march, 1)}
    # when: moved to another area and month (an update, as update_or_create does)
    ParticipationRecord.objects.filter(pk=record.pk).update(
        area=other_ward, occurred_at=on(date(2026, 4, 2))
    )
    activity_refresh()
    april = date(2026, 4, 1)
    assert _activity(person) == {(0, 0, april, 1), (1, other_ward.pk, april, 1)}
    # when: a bulk import adds two rows (no signals are sent)
    ParticipationRecord.objects.bulk_create(
        [
            ParticipationRecord(
                participant=person,
                kind="attendance",
                occurred_at=on(date(2026, 4, 3)),
                area=other_ward,
                source=f"tests.bulk:{i}",
            )
            for i in range(2)
        ]
    )
    activity_refresh()
    assert (0, 0, april, 3) in _activity(person)
    # when: everything withdrawn
    ParticipationRecord.objects.filter(participant=person).delete()
    activity_refresh()
    # then
    assert _activity(person) == set()
    assert activity_stale_count() == 0


def test_summary_follows_an_event_moved_to_another_series(ward):
    first, second = EventSeriesFactory(), EventSeriesFactory()
    event = EventFactory(area=ward, series=first)
    person = ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(participant=person, event=event, occurred_at=on(MARCH))
    activity_refresh()
    # when
    event.series = second
    event.save()
    activity_refresh()
    # then
    series_rows = {row[1] for row in _activity(person) if row[0] == ScopeKind.EVENT_SERIES}
    assert series_rows == {second.pk}


@postgresql("the ledger's triggers work out the month on PostgreSQL")
def test_an_action_queues_its_month_and_the_refresh_rebuilds_that_month_only(ward):
    # given: a person active in March and April, their summary up to date
    person = ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(MARCH))
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(date(2026, 4, 2)))
    activity_refresh()
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    # and April's programme row altered behind the summary's back
    ScopeActivity.objects.filter(participant=person, month=april, scope_kind=0).update(actions=9)
    # when: another action in March
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(date(2026, 3, 20)))
    # then: March alone is queued, and only March is rebuilt
    assert set(StaleMonth.objects.values_list("participant_id", "month")) == {(person.pk, march)}
    assert not StaleParticipant.objects.exists()
    assert activity_stale_count() == 1
    assert activity_refresh() == 1
    assert _activity(person) == {
        (0, 0, march, 2),
        (1, ward.pk, march, 2),
        (0, 0, april, 9),
        (1, ward.pk, april, 1),
    }
    assert activity_stale_count() == 0


@postgresql("the ledger's triggers work out the month on PostgreSQL")
def test_the_month_queued_is_the_uk_month(ward):
    # given: 23:30 UTC on 31 March 2026 is 00:30 on 1 April in British Summer Time
    person = ParticipantFactory(home_ward=ward)
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    # when
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=moment)
    # then
    assert list(StaleMonth.objects.values_list("month", flat=True)) == [date(2026, 4, 1)]
    activity_refresh()
    assert _activity(person) == {(0, 0, date(2026, 4, 1), 1), (1, ward.pk, date(2026, 4, 1), 1)}


@postgresql("the ledger's triggers work out the month on PostgreSQL")
def test_a_person_queued_whole_is_rebuilt_month_by_month(ward):
    # given: one person queued whole (as the first install queues everyone) and by month
    person = ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(MARCH))
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(date(2026, 5, 5)))
    StaleParticipant.objects.create(participant_id=person.pk)
    assert activity_stale_count() == 1
    # when
    done = activity_refresh()
    # then
    assert {row[2] for row in _activity(person)} == {date(2026, 3, 1), date(2026, 5, 1)}
    assert activity_stale_count() == 0
    # and it says what it rebuilt, counted once: their two months (PostgreSQL), or the
    # person (SQLite)
    assert done == (2 if connection.vendor == "postgresql" else 1)


# -- Snapshots ---------------------------------------------------------------------------


def test_generating_twice_changes_nothing(sexes):
    for _ in range(10):
        person_with(ward=sexes, sex="female")
    report = generate(sexes)
    first = (report.generated_at, report.results)
    # when
    again = report_generate(report_id=report.pk)
    # then
    assert (again.generated_at, again.results) == first


@postgresql("the database trigger is PostgreSQL's")
def test_the_database_refuses_to_change_a_snapshot(sexes):
    report = generate(sexes)
    before = report.results
    # psycopg 3 reports a trigger's RAISE EXCEPTION (SQLSTATE P0001) as a
    # ProgrammingError, psycopg 2 as an InternalError: the message is what matters.
    with pytest.raises(DatabaseError, match="Cannot update rows"), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(results={"participants": 1})
    report.refresh_from_db()
    assert report.results == before


def test_a_report_compares_itself_with_the_previous_one_on_the_same_scope(sexes):
    # given: January with 10 women; then 10 men join in March
    for _ in range(10):
        person_with(ward=sexes, sex="female", when=date(2026, 1, 10))
    january = generate(sexes, start=date(2026, 1, 1), end=date(2026, 1, 31))
    for _ in range(10):
        person_with(ward=sexes, sex="male", when=date(2026, 3, 10))
    # when
    spring = generate(sexes, start=date(2026, 1, 1), end=date(2026, 3, 31))
    # then
    change = spring.results["change"]
    assert spring.previous_id == january.pk
    assert change["participants_before"] == 10
    assert change["participants_now"] == 20
    assert january.results["change"] is None


def test_change_is_against_a_report_that_ends_earlier_and_counts_the_same_ages(sexes):
    # given: a report for the first half of 2026, counting people aged 16 and over
    for _ in range(10):
        person_with(ward=sexes, sex="female", when=date(2026, 1, 10))
    half = generate(sexes, start=date(2026, 1, 1), end=date(2026, 6, 30))
    # when: the second quarter alone (it ends with it), and the half year counting
    # everyone (another age universe)
    quarter = generate(sexes, start=date(2026, 4, 1), end=date(2026, 6, 30))
    everyone = generate(sexes, start=date(2026, 1, 1), end=date(2026, 9, 30), minimum_age=0)
    later = generate(sexes, start=date(2026, 1, 1), end=date(2026, 9, 30))
    # then: neither is compared with the half year; the report ending later is compared
    # with the latest of those ending in June that counts the same ages
    assert quarter.previous_id is None
    assert everyone.previous_id is None
    assert later.previous_id == quarter.pk
    assert half.pk < quarter.pk


def test_a_month_not_yet_over_is_counted_as_at_the_day_and_is_no_base_for_change(sexes):
    # given: ten women took part last month, ten more today
    today = timezone.localdate()
    this_month = month_start(today)
    last_month = add_months(this_month, -1)
    for when in (last_month, today):
        for _ in range(10):
            person_with(ward=sexes, sex="female", when=when)
    # when: a report on last month, one on this month so far, then one on both
    complete = generate(sexes, start=last_month, end=month_end(last_month))
    so_far = generate(sexes, start=this_month, end=month_end(this_month))
    both = generate(sexes, start=last_month, end=month_end(this_month))
    # then: the month not yet over is counted as at today, and says so
    assert complete.counted_to is None
    assert complete.period_label == f"{last_month:%B %Y}"
    assert complete.results["period"]["counted_to"] is None
    assert so_far.counted_to == today
    assert so_far.period_label == f"{this_month:%B %Y}, as at {today:%-d %B}"
    assert so_far.results["period"]["counted_to"] == today.isoformat()
    assert so_far.results["period"]["label"] == so_far.period_label
    assert so_far.results["participants"] == 10
    assert both.period_label == (
        f"{last_month:%B %Y} to {this_month:%B %Y}, as at {today:%-d %B %Y}"
    )
    # and change is measured against the last complete report, never a part month
    assert so_far.previous_id == complete.pk
    assert both.previous_id == complete.pk


def test_the_snapshot_says_it_counted_as_at_the_moment_it_was_made(sexes, monkeypatch):
    # given: a report on this month, begun in the last second of the month and finished
    # after midnight
    from types import SimpleNamespace

    from engagement.inclusion import services
    from engagement.inclusion.scopes import scope_key

    this_month = month_start(timezone.localdate())
    report = Report.objects.create(
        scope_kind=ScopeKind.AREA,
        scope_key=scope_key(ScopeKind.AREA, sexes),
        area=sexes,
        period_start=this_month,
        period_end=month_end(this_month),
    )
    last_second = timezone.make_aware(datetime.combine(month_end(this_month), time(23, 59, 59)))
    moments = iter([last_second])
    clock = SimpleNamespace(
        now=lambda: next(moments, last_second + timedelta(seconds=2)),
        localdate=timezone.localdate,
        make_aware=timezone.make_aware,
    )
    monkeypatch.setattr(services, "timezone", clock)
    # when
    made = report_generate(report_id=report.pk)
    # then: the label on the page and the JSON's agree, from one moment
    assert made.generated_at == last_second
    assert made.results["period"]["counted_to"] == month_end(this_month).isoformat()
    assert made.results["period"]["label"] == made.period_label


def test_published_figures_follow_the_ons_rule(sexes):
    # given: 23 women and 7 men
    for i in range(30):
        person_with(ward=sexes, sex="female" if i < 23 else "male")
    report = generate(sexes)
    # then: internally 23 and 7; published: 7 < 10 suppressed, and so 23 too (the total
    # would give it away); the total 30 is shown
    assert group(report, "sex", "female")["count"] == 23
    assert group(report, "sex", "male", "published")["count"] is None
    assert group(report, "sex", "female", "published")["count"] is None
    assert report.published["participants"] == 30


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 5, 1), date(2026, 4, 1), "end after it starts"),
        (date(2090, 1, 1), date(2090, 2, 1), "future"),
        (date(2019, 1, 1), date(2026, 1, 1), "at most 60 months"),
        # this month to next: the next has not begun
        (
            month_start(timezone.localdate()),
            add_months(month_start(timezone.localdate()), 1),
            "cannot end after this month",
        ),
    ],
)
def test_bad_periods_are_refused_and_nothing_is_saved(ward, start, end, message):
    with pytest.raises(ReportError, match=message):
        report_request(
            scope=ReportScope(ScopeKind.AREA, ward), start=start, end=end, requested_by=None
        )
    assert not Report.objects.exists()


# -- Deprivation, who is missing, targets -------------------------------------------------


def two_neighbourhoods(ward):
    """Two LSOAs of the ward: 600 residents aged 16+ in decile 1, 400 in decile 9."""
    deprived, better_off = LsoaFactory(parent=ward), LsoaFactory(parent=ward)
    DeprivationScoreFactory(lsoa=deprived, decile=1)
    DeprivationScoreFactory(lsoa=better_off, decile=9)
    census_table(deprived, "TS007", {f"y{age}": 10 if age >= 16 else 5 for age in range(0, 76)})
    census_table(better_off, "TS007", {f"y{age}": 10 if age >= 61 else 0 for age in range(0, 101)})
    return deprived, better_off


def test_deprivation_reach_by_hand(ward):
    # given: two neighbourhoods of 600 (decile 1) and 400 (decile 9) residents aged 16+
    deprived, better_off = two_neighbourhoods(ward)
    for _ in range(4):
        person_with(ward=ward, lsoa=deprived)
    for _ in range(16):
        person_with(ward=ward, lsoa=better_off)
    # when
    report = generate(ward)
    # then: residents 16+: 60 years x 10 = 600 and 40 x 10 = 400. Participants 4 and 16.
    dep = report.results["deprivation"]
    first = dep["deciles"][0]
    assert (first["residents"], first["count"]) == (600, 4)
    # per 1,000: 4/600*1000 = 6.67 and 16/400*1000 = 40; RR(d<=2) = (4/20)/(600/1000) = 1/3
    assert first["per_1000"] == pytest.approx(6.67, abs=0.01)
    assert dep["most_deprived"]["ratio"] == pytest.approx(1 / 3, abs=1e-4)
    assert dep["coverage"] == {"reached": 1, "lsoas": 1, "share": 1.0}
    # Hoover over the two neighbourhoods: 1/2 (|0.2 - 0.6| + |0.8 - 0.4|) = 0.4
    assert report.results["geography"]["hoover"] == pytest.approx(0.4)


def test_a_question_whose_every_answer_is_hidden_gives_no_dissimilarity(ward):
    """With every participant in a group too small to show, the hidden groups together
    are simply everyone: a dissimilarity of 0 would tell the reader that participants'
    ages mirror residents', when nothing can be said."""
    # given: 12 people, two in each of the six age bands (each cell 1 to 4: all hidden)
    census_table(ward, "TS007", {f"y{age}": 10 for age in range(0, 101)})
    for year in (2004, 1996, 1986, 1970, 1958, 1945):
        for _ in range(2):
            person_with(ward=ward, year_of_birth=year)
    # when
    report = generate(ward)
    # then: the table is shown, every cell hidden, and no figure compares them
    age = dimension(report, "age")
    assert age["shown"]
    assert all(g["suppressed"] for g in age["groups"])
    summary = age["summary"]
    assert (summary["dissimilarity"], summary["similarity"], summary["cv"]) == (None,) * 3
    assert summary["r_score"] is None
    assert summary["test"]["method"] == "none"


def test_a_ward_report_counts_homes_known_by_the_ward_alone_as_living_in_it(ward):
    """A home whose postcode gives no neighbourhood (or an account's ward) is still in the
    ward: the area's report counts it there, and the ward's own report must not say it
    could not be placed."""
    # given: 20 people placed in the ward's two neighbourhoods, 6 more living in the ward
    # with no neighbourhood known, 5 with no home known and 5 from another ward
    deprived, better_off = two_neighbourhoods(ward)
    for _ in range(4):
        person_with(ward=ward, lsoa=deprived)
    for _ in range(16):
        person_with(ward=ward, lsoa=better_off)
    for _ in range(6):
        person_with(ward=ward)
    other = WardFactory(parent=ward.parent)
    for home in [None] * 5 + [other] * 5:
        ParticipationRecordFactory(
            participant=ParticipantFactory(home_ward=home), area=ward, occurred_at=on(MARCH)
        )
    # when
    report = generate(ward)
    # then: 26 live in the ward, 5 outside it, 5 unplaced; the table counts the 20 placed
    geo = report.results["geography"]
    assert report.results["participants"] == 36
    assert (geo["living_in_area"], geo["living_outside"], geo["home_unknown"]) == (26, 5, 5)
    assert [u["count"] for u in geo["units"]] == [4, 16]
    assert geo["hoover"] == pytest.approx(0.4)


def test_places_and_deprivation_leave_out_participants_younger_than_the_report(ward):
    # given: the same two neighbourhoods; 4 adults and 5 ten-year-olds in the
    # deprived one, 16 people in the other, 2 of whom gave no year of birth
    deprived, better_off = two_neighbourhoods(ward)
    for _ in range(4):
        person_with(ward=ward, lsoa=deprived, year_of_birth=1980)
    for _ in range(5):
        person_with(ward=ward, lsoa=deprived, year_of_birth=2016)
    for _ in range(14):
        person_with(ward=ward, lsoa=better_off, year_of_birth=1950)
    for _ in range(2):
        person_with(ward=ward, lsoa=better_off)
    # when
    report = generate(ward)
    # then: the children are compared with no residents: per 1,000 as above, 4/600 and
    # 16/400 (the two of unknown age count), the reach ratio (4/20)/(600/1000) = 1/3 and
    # the Hoover index 0.4, as if the children had not come
    geo, dep = report.results["geography"], report.results["deprivation"]
    assert report.results["participants"] == 25
    assert (geo["younger"], geo["living_in_area"], geo["living_outside"]) == (5, 20, 0)
    assert [u["count"] for u in geo["units"]] == [4, 16]
    assert geo["units"][0]["per_1000"] == pytest.approx(6.67, abs=0.01)
    assert geo["hoover"] == pytest.approx(0.4)
    assert dep["participants_placed"] == 20
    assert dep["most_deprived"]["ratio"] == pytest.approx(1 / 3, abs=1e-4)
    # published: 5 is under 10, so not told
    assert report.published["geography"]["younger"] is None


def test_who_is_missing_names_the_group_and_organisations_that_serve_it(ward):
    # given: a third of residents are Pakistani; none of 30 participants are
    census_table(ward, "TS021", {"white_british": 600, "asian_pakistani": 300, "white_other": 100})
    for _ in range(30):
        person_with(ward=ward, ethnic_group="white_british")
    community = CommunityOfInterestFactory(
        name="Pakistani community", census_categories=["ethnic_group:asian_pakistani"]
    )
    mosque = OrganisationAssetFactory(name="Mosque Community Association", area=ward)
    mosque.communities.add(community)
    # when
    report = generate(ward)
    # then: white holds everyone (hidden), but the zero for Pakistani is shown: expected
    # 30 x 0.3 = 9, Wilson upper for 0/30 = 0.1135 -> RR upper 0.38 < 0.8
    missing = {m["code"]: m for m in report.results["missing"]}
    assert "asian_pakistani" in missing
    assert "none of the 30 participants" in missing["asian_pakistani"]["sentence"]
    assert missing["asian_pakistani"]["suggestions"][0]["name"] == mosque.name
    assert missing["asian_pakistani"]["suggestions"][0]["id"] == mosque.pk


def test_who_is_missing_names_groups_too_small_to_show_taken_together(ward):
    """The groups furthest from their share are often small enough to be suppressed:
    together (their count is the total less the shown cells) they still show as missing."""
    # given: 40% of residents are Hindu or Muslim; 5 of 40 participants are (2 and 3)
    census_table(
        ward, "TS030", {"christian": 400, "no_religion": 200, "muslim": 250, "hindu": 150}
    )
    for religion, people in (("christian", 24), ("no_religion", 11), ("muslim", 3), ("hindu", 2)):
        for _ in range(people):
            person_with(ward=ward, religion=religion)
    # when
    report = generate(ward)
    # then: both cells are suppressed (1-4 people), so neither is flagged on its own
    assert group(report, "religion", "muslim")["flag"] == "suppressed"
    assert group(report, "religion", "hindu")["flag"] == "suppressed"
    # together: 5 of 40, expected 40 x 0.4 = 16; RR = 0.125 / 0.4 = 0.3125; Wilson upper
    # for 5/40 = 0.26112, / 0.4 = 0.6528 < 0.8: under-represented
    (pool,) = dimension(report, "religion")["pooled"]
    assert pool["codes"] == ["hindu", "muslim"]
    assert (pool["count"], pool["expected"], pool["ratio"]) == (5, 16.0, 0.3125)
    assert pool["ratio_high"] == pytest.approx(0.6528, abs=1e-4)
    assert pool["flag"] == "under"
    (missing,) = report.results["missing"]
    assert missing["code"] == "hindu+muslim"
    assert missing["sentence"].startswith(
        "Hindu and Muslim together (religion): 5 of the 40 participants who answered, "
        "where about 16 would be expected"
    )
    # published: under 10 suppressed, so the 11 of no religion join the pool (3 + 2 + 0s
    # < 10): 15 of 40 against 60% of residents is not clearly under-represented
    (published,) = dimension(report, "religion", "published")["pooled"]
    assert {"hindu", "muslim", "no_religion"} <= set(published["codes"])
    assert published["flag"] != "under"
    assert report.published["missing"] == []


def test_a_pool_too_small_to_count_is_described_not_counted():
    # given: a pool whose count (from rounded published figures) is under the threshold
    row = {
        "label": "Hindu and Muslim together",
        "dimension_label": "Religion",
        "count": None,
        "count_below": 10,
        "expected": 16.0,
        "census_share": 0.4,
    }
    # when
    sentence = missing_sentence(row, 40)
    # then
    assert sentence == (
        "Hindu and Muslim together (religion): fewer than 10 of the 40 participants who "
        "answered, where about 16 would be expected from the census (40.0% of residents)."
    )


@pytest.mark.parametrize("kind", [ScopeKind.AREA, ScopeKind.PROGRAMME])
def test_usual_suspects_cohorts_and_channels_by_hand(ward, kind):
    """Actions per person, regulars (in 3+ other projects in the 24 months to the
    period's end), newcomers (first action in the programme within the period) and the
    channels used, all counted in the database: for a ward, and for the whole programme
    (whose query works out newcomers in its own way)."""
    # given: Jan-Jun 2026. A regular: three projects in 2025, 9 actions in person now.
    regular = ParticipantFactory(home_ward=ward)
    for project in [ProjectFactory(areas=[ward]) for _ in range(3)]:
        ParticipationRecordFactory(
            participant=regular, area=ward, project=project, occurred_at=on(date(2025, 6, 1))
        )
    for _ in range(9):
        ParticipationRecordFactory(participant=regular, area=ward, occurred_at=on(MARCH))
    # ten newcomers online, one action each
    for _ in range(10):
        ParticipationRecordFactory(
            participant=ParticipantFactory(home_ward=ward),
            area=ward,
            occurred_at=on(MARCH),
            channel="online",
        )
    # someone back from last year, by phone
    returning = ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(participant=returning, area=ward, occurred_at=on(date(2025, 10, 1)))
    ParticipationRecordFactory(
        participant=returning, area=ward, occurred_at=on(MARCH), channel="phone"
    )
    # and people active only before the period, or only after it: not counted
    for day in (date(2025, 11, 1), date(2026, 7, 1)):
        ParticipationRecordFactory(
            participant=ParticipantFactory(home_ward=ward), area=ward, occurred_at=on(day)
        )
    # when
    report = generate(ward if kind == ScopeKind.AREA else None, kind)
    # then: 12 people, 20 actions: eleven 1s and one 9
    c = report.results["concentration"]
    assert (c["participants"], c["actions"]) == (12, 20)
    # Gini = 2 (1 + ... + 11 + 12 x 9) / (12 x 20) - 13/12 = 348/240 - 13/12 = 0.36667
    assert c["gini"] == pytest.approx(0.3667, abs=1e-4)
    # top 10% = ceil(1.2) = 2 people: (9 + 1) / 20; top 1%: 9/20; 10 people: 18/20
    assert (c["top_10_share"], c["top_1_share"], c["top_10_people_share"]) == (0.5, 0.45, 0.9)
    # HHI = 0.45^2 + 11 x 0.05^2 = 0.23; effective voices 1/0.23 = 4.35
    assert c["hhi"] == pytest.approx(0.23)
    assert c["effective_voices"] == 4.3
    assert c["repeat"] == {"count": 1, "share": 0.0833, "actions_share": 0.45}
    assert c["newcomers"] == {"count": 10, "share": 0.8333, "actions_share": 0.5}
    channels = {r["code"]: r["count"] for r in report.results["mix"]["channels"]}
    assert (channels["in_person"], channels["online"], channels["phone"]) == (1, 10, 1)
    # published: groups under 10 are not shown
    published = report.published["concentration"]
    assert published["repeat"]["count"] is None
    assert published["newcomers"]["count"] == 10
    # published shares are of the rounded figures shown (10 of 10 people, 10 of 20
    # actions), so they give away no exact count (10 of 12 would)
    assert published["participants"] == 10
    assert (published["newcomers"]["share"], published["newcomers"]["actions_share"]) == (1, 0.5)
    shown = {r["code"]: r["count"] for r in report.published["mix"]["channels"]}
    assert (shown["in_person"], shown["online"], shown["phone"]) == (None, 10, None)


@pytest.mark.parametrize("kind", [ScopeKind.AREA, ScopeKind.PROGRAMME])
def test_a_newcomer_already_in_three_projects_is_both_a_regular_and_a_newcomer(ward, kind):
    # given: Jan-Jun 2026; ten people taking part for the first time, one of whom joined
    # three projects in March (one action each there, and one in the ward)
    people = [ParticipantFactory(home_ward=ward) for _ in range(10)]
    for person in people:
        ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(MARCH))
    for project in [ProjectFactory(areas=[ward]) for _ in range(3)]:
        ParticipationRecordFactory(
            participant=people[0], area=ward, project=project, occurred_at=on(MARCH)
        )
    # when
    report = generate(ward if kind == ScopeKind.AREA else None, kind)
    # then: all ten first took part in the period (13 actions); one is also a regular
    c = report.results["concentration"]
    assert c["repeat"] == {"count": 1, "share": 0.1, "actions_share": 0.3077}
    assert c["newcomers"] == {"count": 10, "share": 1.0, "actions_share": 1.0}


@pytest.mark.parametrize("scope", ["a project in both", "their area"])
def test_a_ward_with_single_years_and_one_with_bands_are_both_counted(aap, ward, scope):
    # given: one ward imported single years (10 a year, 0-100), the other only five-year
    # bands (50 a band)
    from communities import census

    second = WardFactory(name="Second ward", parent=aap)
    census_table(ward, "TS007", {f"y{age}": 10 for age in range(101)})
    census_table(second, "TS007A", {band.code: 50 for band in census.AGE_FIVE_YEAR_BANDS})
    project = ProjectFactory(areas=[ward, second])
    for i in range(12):
        person = person_with(ward=ward if i % 2 else second, year_of_birth=1990)
        ParticipationRecordFactory(participant=person, project=project, occurred_at=on(MARCH))
    # when: a report on the project (two reference areas), or on the AAP (whose wards mix)
    report = generate(aap) if scope == "their area" else generate(project, ScopeKind.PROJECT)
    # then: 16 and over, 85 years x 10 = 850 in the first; in the second 16-24 is 4/5 of
    # the 15-19 band and all of 20-24 (40 + 50), then 100 + 150 + 150 + 100 + 150: 740
    age = dimension(report, "age")
    assert age["census_total"] == 850 + 740
    assert group(report, "age", "16_24")["census_count"] == 90 + 90
    assert "five-year bands" in age["census_note"]
    assert age["table"] == "TS007+TS007A"


def test_targets_say_within_below_or_above(sexes):
    TargetFactory(dimension="sex", category="female", minimum_percent=40, maximum_percent=55)
    TargetFactory(dimension="sex", category="male", minimum_percent=45, maximum_percent=60)
    for i in range(20):
        person_with(ward=sexes, sex="female" if i < 14 else "male")
    report = generate(sexes)
    statuses = {t["code"]: t["status"] for t in report.results["targets"]}
    # women 70% (above 55), men 30% (below 45)
    assert statuses == {"female": "above", "male": "below"}


def test_targets_for_an_area_replace_the_programmes(aap, ward, sexes, officer):
    TargetFactory(dimension="sex", category="female", minimum_percent=0, maximum_percent=10)
    TargetFactory(
        dimension="sex", category="female", area=aap, minimum_percent=40, maximum_percent=60
    )
    for i in range(20):
        person_with(ward=sexes, sex="female" if i < 10 else "male")
    report = generate(ward)
    assert report.results["targets"][0]["status"] == "within"


@pytest.mark.parametrize("across", ["one area", "two areas"])
def test_a_project_in_several_wards_takes_the_bands_of_the_areas_above_them_all(
    aap, ward, other_ward, across
):
    # given: the programme's band for women is 0-10%, the AAP's 40-60%, and the other
    # ward's own 20-30%
    second = WardFactory(name="Second ward", parent=aap) if across == "one area" else other_ward
    for area in (ward, second):
        census_table(area, "TS008", {"female": 500, "male": 500})
    TargetFactory(dimension="sex", category="female", minimum_percent=0, maximum_percent=10)
    TargetFactory(
        dimension="sex", category="female", area=aap, minimum_percent=40, maximum_percent=60
    )
    TargetFactory(
        dimension="sex", category="female", area=second, minimum_percent=20, maximum_percent=30
    )
    project = ProjectFactory(areas=[ward, second])
    for i in range(20):
        person = person_with(ward=ward if i % 2 else second, sex="female" if i < 10 else "male")
        ParticipationRecordFactory(participant=person, project=project, occurred_at=on(MARCH))
    # when
    report = generate(project, ScopeKind.PROJECT)
    # then: within one AAP its band (one ward's own does not speak for the other); across
    # two AAPs, only the programme's
    (target,) = report.results["targets"]
    expected = (40.0, 60.0, "within") if across == "one area" else (0.0, 10.0, "above")
    assert (target["minimum"], target["maximum"], target["status"]) == expected


def test_target_minimums_cannot_add_up_to_more_than_everyone(officer):
    target_create(data=TargetData("sex", "female", Decimal(60), Decimal(80)), actor=officer)
    with pytest.raises(ReportError, match="more than 100%"):
        target_create(data=TargetData("sex", "male", Decimal(50), Decimal(60)), actor=officer)


# -- Schedules ---------------------------------------------------------------------------


def test_monthly_schedules_cover_every_area_and_active_project_once(
    council, aap, ward, django_capture_on_commit_callbacks
):
    ProjectFactory(areas=[ward])
    ProjectFactory(areas=[ward], stage="closed")
    # when
    schedule_ensure()
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule_run(today=date(2026, 11, 1))
    second = schedule_run(today=date(2026, 11, 20))
    # then: council, area, ward and the open project; October's 12 months, once
    assert Schedule.objects.filter(is_active=True).count() == 4
    assert len(first) == 4
    assert second == []
    report = first[0]
    assert (report.period_start, report.period_end) == (date(2025, 11, 1), date(2026, 10, 31))
    assert Report.objects.filter(via=Report.Via.SCHEDULE, generated_at__isnull=False).count() == 4


def test_requests_wait_in_the_outbox_when_the_broker_is_down(ward, officer, monkeypatch):
    from coproduction.jobs import tasks

    def refuse(*args, **kwargs):
        raise ConnectionError("refused")

    celery_conf = tasks.job_run_task.app.conf
    monkeypatch.setattr(tasks.job_run_task, "apply_async", refuse)
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
    # when
    celery_conf.task_always_eager = False
    try:
        report = ReportFactory(obj=ward, requested_by=officer)
    finally:
        celery_conf.task_always_eager = True
    # then: accepted, queued, never sent
    report.refresh_from_db()
    assert report.job.status == "queued"
    assert report.job.enqueued_at is None
    assert report.generated_at is None
    assert timezone.now() - report.created_at < timedelta(minutes=1)


def test_ladder_counts_projects_by_rung_reached_and_aimed_at_and_by_mode(ward, sexes):
    # given: three projects in the ward, one individual; two alike reached consultation (4)
    for _ in range(2):
        ProjectFactory(areas=[ward], ladder_target=6, ladder_actual=4)
    ProjectFactory(areas=[ward], ladder_target=6, mode="individual")
    # when
    ladder = generate(ward).results["mix"]["ladder"]
    # then: each project counted, the two alike included
    rungs = {row["rung"]: (row["actual"], row["target"]) for row in ladder["by_rung"]}
    assert rungs[4] == (2, 0)
    assert rungs[6] == (0, 3)
    assert ladder["rung_not_assessed"] == 1
    assert {row["code"]: row["projects"] for row in ladder["by_mode"]} == {
        "collective": 2,
        "individual": 1,
    }
    assert ladder["projects"] == 3


def test_ladder_counts_a_project_in_two_of_the_areas_once(ward, other_ward, council):
    # given: a project covering two wards of the council
    ProjectFactory(areas=[ward, other_ward], ladder_target=6, ladder_actual=4)
    # when
    ladder = generate(council).results["mix"]["ladder"]
    # then
    assert ladder["projects"] == 1
    assert {row["rung"]: row["actual"] for row in ladder["by_rung"]}[4] == 1
    assert {row["code"]: row["projects"] for row in ladder["by_stage"]}["design"] == 1


def test_each_group_is_followed_by_its_own_categories(ward):
    # given: an ethnic group breakdown (5 groups, 19 categories)
    census_table(ward, "TS021", {"white_british": 600, "asian_pakistani": 300, "white_other": 100})
    for i in range(30):
        person_with(ward=ward, ethnic_group="white_british" if i < 20 else "asian_pakistani")
    # when
    rows = dimension(generate(ward), "ethnic_group")["groups"]
    # then: every category row comes straight after its group or a sibling, so the page
    # indents it under the right group
    current = None
    for row in rows:
        if row["level"] == "group":
            current = row["code"]
        else:
            assert row["parent"] == current, (row["code"], row["parent"], current)
    assert sum(row["level"] == "group" for row in rows) == 5


def test_no_pool_is_given_when_every_group_is_hidden(ward):
    """Every group small: the "groups hidden, taken together" line would be everyone, in
    line with the census by definition, and would read as a finding."""
    # given: 12 people, no religion held by more than 4
    census_table(
        ward, "TS030", {"christian": 400, "no_religion": 200, "muslim": 250, "hindu": 150}
    )
    for religion, people in (("christian", 4), ("no_religion", 3), ("muslim", 3), ("hindu", 2)):
        for _ in range(people):
            person_with(ward=ward, religion=religion)
    # when
    religion = dimension(generate(ward), "religion")
    # then
    assert religion["shown"]
    assert all(row["suppressed"] for row in religion["groups"] if row["census_count"])
    assert religion["pooled"] == []


def test_published_deprivation_hides_no_more_than_its_table(ward):
    # given: four neighbourhoods of 600 residents aged 16+, in deciles 1, 2, 5 and 9,
    # where 6, 5, 30 and 40 people take part
    for decile, people in ((1, 6), (2, 5), (5, 30), (9, 40)):
        lsoa = LsoaFactory(parent=ward)
        DeprivationScoreFactory(lsoa=lsoa, decile=decile)
        census_table(lsoa, "TS007", {f"y{age}": 10 for age in range(16, 76)})
        for _ in range(people):
            person_with(ward=ward, lsoa=lsoa)
    # when
    report = generate(ward)
    internal, published = report.results["deprivation"], report.published["deprivation"]
    # then: the council's figures have every decile, the reach of deciles 1-2 (11 of 81)
    # and the gradient
    assert internal["most_deprived"]["count"] == 11
    assert internal["gradient"]["slope"] is not None
    assert internal["gradient_withheld"] is False
    # published: deciles 1 and 2 hidden (under 10); together they are the total less the
    # deciles shown (80 - 30 - 40 = 10, rounded figures), so their reach is still given
    assert [row["count"] for row in published["deciles"] if row["residents"]] == [
        None,
        None,
        30,
        40,
    ]
    assert published["most_deprived"]["count"] == 10
    assert published["most_deprived"]["share"] == 0.125
    # but no gradient from the two deciles shown: without the hidden ones it would say
    # the opposite of the truth
    assert published["gradient"] == {"slope": None, "spearman": None}
    assert published["gradient_withheld"] is True
