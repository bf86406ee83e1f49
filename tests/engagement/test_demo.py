import pytest
from django.core.management import call_command
from django.utils import timezone

from engagement.models import (
    Attendance,
    EqualityResponse,
    Event,
    IssueReport,
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
