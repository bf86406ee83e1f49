import pytest
from django.core.management import call_command
from django.utils import timezone

from engagement.models import (
    Attendance,
    EqualityResponse,
    Event,
    IssueReport,
    Participant,
    ReportState,
    StreetChampion,
)

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (StreetChampion, IssueReport, Event, Attendance, EqualityResponse)
    )


def test_demo_has_every_state_and_an_unrepresentative_population():
    # when
    call_command("seed_demo", "--force")
    first = counts()
    call_command("seed_demo", "--force")
    # then: idempotent
    assert counts() == first
    assert set(StreetChampion.objects.values_list("status", flat=True)) >= {
        "active",
        "awaiting_approval",
        "unconfirmed",
        "paused",
    }
    used = set(IssueReport.objects.values_list("state__code", flat=True))
    assert used >= set(
        ReportState.objects.filter(is_duplicate=False).values_list("code", flat=True)
    )
    assert IssueReport.objects.overdue().exists()
    assert IssueReport.objects.filter(by_champion=True).exists()
    assert set(Event.objects.values_list("kind", flat=True)) == set(Event.Kind.values)
    assert Attendance.objects.filter(status="attended").exists()
    answers = EqualityResponse.objects.filter(superseded_at__isnull=True)
    this_year = timezone.localdate().year
    older = answers.filter(year_of_birth__lte=this_year - 60).count()
    white = answers.filter(ethnic_group="white_british").count()
    assert older / answers.count() > 0.5
    assert white / answers.count() > 0.6


def test_demo_people_to_be_rung_or_written_to_have_a_number_or_an_address():
    # when
    call_command("seed_demo", "--force")
    # then: the officer's contact list can reach everyone the way they asked
    people = list(Participant.objects.all())
    by_phone = [p for p in people if "phone" in p.preferred_channels]
    by_post = [p for p in people if "post" in p.preferred_channels]
    assert by_phone
    assert by_post
    assert [p for p in by_phone if not p.phone] == []
    assert [p for p in by_post if not (p.address_line_1 and p.address_town and p.postcode)] == []
