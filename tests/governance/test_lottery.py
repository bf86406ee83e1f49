import pytest
from django.core.management import CommandError, call_command

from governance.models import AuditEvent, BoardMembership, SeatApplication, SeatCall
from governance.services.errors import GovernanceError
from governance.services.lottery import (
    household_key,
    lottery_draw,
    lottery_panel_appoint,
    lottery_rerun,
    lottery_run,
    seat_application_add,
    seat_quota_set,
)
from tests.governance.factories import EqualityResponseFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

POOL = [
    {"application": n, "household": f"h{n // 2}", "groups": {"sex": sex, "age": age}}
    for n, (sex, age) in enumerate(
        [
            ("female", "16_24"),
            ("male", "65_74"),
            ("female", "35_49"),
            ("male", "16_24"),
            ("female", "65_74"),
            ("male", "35_49"),
            ("female", "25_34"),
            ("male", "50_64"),
            ("female", "50_64"),
            ("male", "25_34"),
            ("female", "75_plus"),
            ("male", "75_plus"),
        ],
        start=1,
    )
]
QUOTAS = [
    {"dimension": "sex", "category": "female", "min": 2, "max": 2},
    {"dimension": "sex", "category": "male", "min": 2, "max": 2},
    {"dimension": "age", "category": "16_24", "min": 1, "max": 2},
]


def test_same_seed_and_pool_give_the_same_panel():
    # when
    first = lottery_run(pool=POOL, quotas=QUOTAS, seats=4, seed=2026)
    second = lottery_run(pool=POOL, quotas=QUOTAS, seats=4, seed=2026)
    # then
    assert first.succeeded
    assert first.panel == second.panel
    assert len(first.panel) == 4


def test_panel_meets_every_quota_and_one_per_household():
    # when
    result = lottery_run(pool=POOL, quotas=QUOTAS, seats=4, seed=7)
    # then
    assert all(row["met"] for row in result.quota_report)
    chosen = [e for e in POOL if e["application"] in result.panel]
    assert len({e["household"] for e in chosen}) == 4
    assert sum(e["groups"]["sex"] == "female" for e in chosen) == 2


def test_different_seeds_can_differ():
    panels = {
        tuple(lottery_run(pool=POOL, quotas=QUOTAS, seats=4, seed=s).panel) for s in range(1, 8)
    }
    assert len(panels) > 1


def test_quota_that_cannot_be_met_is_named():
    # given: no one aged 16 to 24 applies
    pool = [e for e in POOL if e["groups"]["age"] != "16_24"]
    # when
    result = lottery_run(pool=pool, quotas=QUOTAS, seats=4, seed=1)
    # then
    assert not result.succeeded
    assert result.panel == []
    assert result.problems == [
        "Age band: 16 to 24: at least 1 needed but only 0 households applied."
    ]


def test_minimums_beyond_the_seats_are_named():
    quotas = [
        {"dimension": "sex", "category": "female", "min": 3, "max": 3},
        {"dimension": "sex", "category": "male", "min": 3, "max": 3},
    ]
    result = lottery_run(pool=POOL, quotas=quotas, seats=4, seed=1)
    assert "Sex: the minimums add up to 6, more than the 4 seats." in result.problems


def test_too_few_households_is_named():
    result = lottery_run(pool=POOL[:3], quotas=[], seats=3, seed=1)
    assert result.problems == ["Only 2 households applied for 3 seats (one person per household)."]


def test_household_key_ignores_how_the_address_is_typed():
    assert household_key(address_line="12 High Street", postcode="dl1 5qt") == household_key(
        address_line=" 12,  high street ", postcode="DL15QT"
    )


def apply(call, officer, n, ward, sex="female", year=1990, address=None):
    participant = ParticipantFactory(home_ward=ward)
    EqualityResponseFactory(pseudonym=participant.pseudonym, sex=sex, year_of_birth=year)
    return seat_application_add(
        call=call,
        participant=participant,
        address_line=address or f"{n} High Street",
        postcode="DL1 5QT",
        added_by=officer,
    )


def test_draw_records_seed_pool_and_panel_and_can_be_rerun(seat_call, officer, ward):
    # given
    for n in range(6):
        apply(seat_call, officer, n, ward, sex="female" if n % 2 else "male")
    seat_quota_set(
        call=seat_call,
        dimension="sex",
        category="female",
        min_seats=1,
        max_seats=1,
        set_by=officer,
    )
    # when
    draw = lottery_draw(call=seat_call, drawn_by=officer, seed=99)
    # then
    assert draw.succeeded
    assert draw.seed == 99
    assert len(draw.panel) == 2
    assert lottery_rerun(draw=draw).panel == draw.panel
    assert set(draw.pool[0]) == {"application", "household", "groups"}
    assert draw.pool[0]["groups"] == {"sex": "male"}
    call_command("lottery_rerun", draw.pk)
    # the equality answers read are audited, without their values
    read = AuditEvent.objects.get(action="equality.read")
    assert read.fields == ["sex"]
    assert len(read.object_ids) == 6


def test_draw_without_answers_groups_people_as_not_known(seat_call, officer, ward):
    # given
    for n in range(3):
        seat_application_add(
            call=seat_call,
            participant=ParticipantFactory(home_ward=ward),
            address_line=f"{n} Low Road",
            postcode="DL1 5QT",
            added_by=officer,
        )
    seat_quota_set(
        call=seat_call, dimension="age", category="16_24", min_seats=1, max_seats=2, set_by=officer
    )
    # when
    draw = lottery_draw(call=seat_call, drawn_by=officer, seed=5)
    # then
    assert not draw.succeeded
    assert draw.pool[0]["groups"] == {"age": "not_known"}
    assert seat_call.draws.get() == draw


def test_one_person_per_household(seat_call, officer, ward):
    # given: three applicants, two of them in one household
    apply(seat_call, officer, 1, ward, address="1 Mill Lane")
    apply(seat_call, officer, 2, ward, address="1 Mill Lane")
    apply(seat_call, officer, 3, ward, address="3 Mill Lane")
    # when
    draw = lottery_draw(call=seat_call, drawn_by=officer, seed=3)
    # then
    households = {e["household"] for e in draw.pool if e["application"] in draw.panel}
    assert draw.succeeded
    assert len(households) == 2


def test_appointing_the_panel_gives_seats(seat_call, officer, ward):
    # given
    for n in range(4):
        apply(seat_call, officer, n, ward)
    draw = lottery_draw(call=seat_call, drawn_by=officer, seed=11)
    # when
    memberships = lottery_panel_appoint(
        draw=draw, term_start=seat_call.closes_on, appointed_by=officer
    )
    # then
    assert {m.route for m in memberships} == {BoardMembership.Route.LOTTERY}
    assert SeatApplication.objects.filter(call=seat_call, status="selected").count() == 2
    seat_call.refresh_from_db()
    assert seat_call.status == SeatCall.Status.APPOINTED
    with pytest.raises(GovernanceError, match="already been appointed"):
        lottery_panel_appoint(draw=draw, term_start=seat_call.closes_on, appointed_by=officer)


def test_rerun_command_reports_a_missing_draw():
    with pytest.raises(CommandError, match="no lottery draw 999"):
        call_command("lottery_rerun", 999)
