import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from governance.models import (
    Ballot,
    Board,
    BoardMembership,
    Budget,
    Decision,
    Meeting,
    Partnership,
    PriorityCycle,
    SignOffRequest,
)

pytestmark = pytest.mark.django_db


def governance_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("governance").get_models()
    }


def test_demo_builds_the_three_programmes_and_is_idempotent():
    # given
    call_command("seed_demo", "--force")
    counts = governance_counts()
    # when
    call_command("seed_demo", "--force")
    # then
    assert governance_counts() == counts
    board = Board.objects.get(partnership__name="Northfield Central Area Action Partnership")
    assert sum(board.categories.values_list("seats", flat=True)) == 21
    assert (
        BoardMembership.objects.filter(board=board, route="lottery", status="current").count() == 1
    )
    quarterly = PriorityCycle.objects.get(partnership__kind=Partnership.Kind.SAFER_NEIGHBOURHOOD)
    assert quarterly.priorities.filter(status="adopted").count() == 3
    nag = PriorityCycle.objects.get(partnership__kind=Partnership.Kind.NEIGHBOURHOOD_ACTION_GROUP)
    assert nag.priorities.filter(status="adopted").count() == 3
    assert set(SignOffRequest.objects.values_list("status", flat=True)) == {
        "pending",
        "approved",
        "rejected",
        "withdrawn",
    }
    assert SignOffRequest.objects.filter(escalated_at__isnull=False).exists()
    assert set(Decision.objects.values_list("outcome", flat=True)) == {"carried", "lost"}
    assert Budget.objects.filter(kind="area_budget", amount=120000).count() == 3
    assert Budget.objects.filter(kind="neighbourhood_budget", amount=25000).count() >= 19
    # paper ballots from a forum are dated the forum's night, not the day of seeding
    paper = Ballot.objects.filter(channel="paper", cycle__forum__isnull=False)
    assert paper.count() == 4 + 18  # Northfield Central's spring forum, Rivermouth's meeting
    for ballot in paper:
        assert ballot.cast_at == ballot.cycle.forum.event.starts_at
    # the board's next meeting is to come, with an agenda to declare interests on
    coming = Meeting.objects.filter(
        partnership=board.partnership, kind="board", event__starts_at__gt=timezone.now()
    ).get()
    assert coming.items.count() == 2
    grants = coming.items.get(number=2)
    assert grants.paper_title == "Small grants: report to the board"
    assert grants.paper.read(5) == b"%PDF-"
