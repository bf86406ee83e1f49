"""Inclusion figures where governance left a place for them: who voted in a priority
cycle (the board member's page, the cycle's page) and the Cabinet update."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from engagement.inclusion.models import ScopeKind
from engagement.inclusion.services import add_months, month_end, month_start, report_generate
from tests.engagement.inclusion.factories import (
    ParticipationRecordFactory,
    ReportFactory,
    census_table,
    on,
    person_with,
)


def _voters(cycle, ward, count=12):
    census_table(ward, "TS008", {"female": 500, "male": 500})
    for i in range(count):
        person = person_with(ward=ward, actions=0, sex="female" if i % 3 else "male")
        ParticipationRecordFactory(
            participant=person, priority_cycle=cycle, kind="vote", occurred_at=on(date(2026, 5, 1))
        )


def test_board_member_sees_who_voted_in_the_cycle(
    client, board_member, board_membership, review_cycle, ward
):
    # given: 12 voters, and the cycle's report worked out
    _voters(review_cycle, ward)
    report = report_generate(
        report_id=ReportFactory(scope_kind=ScopeKind.PRIORITY_CYCLE, obj=review_cycle).pk
    )
    client.force_login(board_member)
    # when
    page = client.get(reverse("governance:board_member")).content.decode()
    # then: the council's figures, with a link to the report
    assert "12 people took part" in page
    assert report.get_absolute_url() in page
    assert "once the inclusion reports are built" not in page


def test_who_voted_does_not_say_voters_are_like_residents_when_every_group_is_hidden(
    client, board_member, board_membership, review_cycle, ward
):
    # given: 12 voters, two in each of the six age bands (every cell of 1 to 4: hidden)
    _voters(review_cycle, ward)
    census_table(ward, "TS007", {f"y{age}": 10 for age in range(0, 101)})
    for year in (2004, 1996, 1986, 1970, 1958, 1945):
        for _ in range(2):
            person = person_with(ward=ward, actions=0, year_of_birth=year)
            ParticipationRecordFactory(
                participant=person,
                priority_cycle=review_cycle,
                kind="vote",
                occurred_at=on(date(2026, 5, 1)),
            )
    report_generate(
        report_id=ReportFactory(scope_kind=ScopeKind.PRIORITY_CYCLE, obj=review_cycle).pk
    )
    client.force_login(board_member)
    # when
    page = client.get(reverse("governance:board_member")).content.decode()
    # then: the age line says nothing can be compared, not "dissimilarity 0.00"
    assert "every group too small to show" in page
    assert "dissimilarity 0.00" not in page


def test_cycle_page_offers_a_report_when_there_is_none(client, officer, review_cycle):
    client.force_login(officer)
    page = client.get(reverse("governance:cycle_detail", args=[review_cycle.pk])).content.decode()
    assert "No inclusion report has been worked out" in page
    assert f"scope=cycle%3A{review_cycle.pk}" in page


def test_cabinet_update_shows_the_partnerships_published_figures(
    client, officer, partnership, ward
):
    # given: 23 people took part in the partnership's work over the last two months
    census_table(ward, "TS008", {"female": 500, "male": 500})
    today = timezone.localdate()
    end = month_end(add_months(month_start(today), -1))
    for i in range(23):
        person = person_with(ward=ward, actions=0, sex="female" if i % 2 else "male")
        ParticipationRecordFactory(
            participant=person, partnership=partnership, occurred_at=on(end.replace(day=10))
        )
    report_generate(
        report_id=ReportFactory(
            scope_kind=ScopeKind.PARTNERSHIP,
            obj=partnership,
            start=add_months(month_start(end), -1),
            end=end,
        ).pk
    )
    client.force_login(officer)
    # when
    page = client.get(reverse("governance:cabinet_update", args=[partnership.pk]))
    # then: published (rounded) figures: 23 shows as 25
    content = page.content.decode()
    assert "25 people took part" in content
    assert "Published figures" in content
