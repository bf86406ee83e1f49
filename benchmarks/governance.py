"""Governance at county scale: a forum's tally, the board member's and councillor's
pages, the audit trail page and a lottery draw.

Figures: seconds (median of three), and the tally against the raw aggregate SQL beneath
it. Sizes by --scale: small (CI-sized), county (Durham: 14 AAPs), national.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benchmarks.harness import Figure, benchmark_database, timed

SCALES = {
    # partnerships, priorities per cycle, ballots per cycle, audit events, lottery pool
    "small": (3, 8, 2_000, 20_000, 100),
    "county": (14, 12, 20_000, 200_000, 300),
    "national": (40, 15, 100_000, 1_000_000, 1_000),
}


def run(options) -> list[Figure]:
    with benchmark_database():
        return _run(*SCALES[options.scale])


def _run(partnerships, priorities_per_cycle, ballots, audit_events, pool_size) -> list[Figure]:
    from communities.models import Area
    from engagement.models import EqualityResponse, Participant
    from governance.models import (
        AuditEvent,
        Ballot,
        BallotChoice,
        Budget,
        Priority,
        PriorityCycle,
        SeatApplication,
    )
    from governance.services.boards import board_membership_add
    from governance.services.lottery import _pool, lottery_run, seat_call_create, seat_quota_set
    from governance.services.priorities import priority_cycle_tally
    from governance.signoffs import signoff_request
    from tests.accounts.factories import BoardMemberFactory, ElectedMemberFactory, OfficerFactory
    from tests.communities.factories import CouncilFactory, GroupingAreaFactory, WardFactory
    from tests.governance.factories import (
        BoardFactory,
        PartnershipFactory,
        PriorityCycleFactory,
        ProjectFactory,
    )

    rng = random.Random(2026)
    council = CouncilFactory(name="Bench council")
    officer = OfficerFactory(areas=[council])
    cycles = []
    board_user = BoardMemberFactory()
    councillor = None
    for number in range(partnerships):
        area = GroupingAreaFactory(name=f"Bench area {number}", parent=council)
        wards = [WardFactory(name=f"Bench ward {number}.{w}", parent=area) for w in range(3)]
        if councillor is None:
            councillor = ElectedMemberFactory(areas=[wards[0]])
        partnership = PartnershipFactory(name=f"Bench AAP {number}", area=area)
        board = BoardFactory(partnership=partnership, created_by=officer)
        if number == 0:
            resident = Participant.objects.create(full_name="Bench board member", user=board_user)
            board_membership_add(
                board=board,
                kind="community",
                participant=resident,
                term_start=timezone.localdate(),
                added_by=officer,
            )
        cycle = PriorityCycleFactory(
            partnership=partnership,
            created_by=officer,
            status=PriorityCycle.Status.VOTING,
            voting_method="ranking",
        )
        Priority.objects.bulk_create(
            Priority(cycle=cycle, title=f"Priority {p}") for p in range(priorities_per_cycle)
        )
        cycles.append(cycle)
        for ward in wards:
            ProjectFactory(areas=[ward])
            Budget.objects.create(
                name=f"Bench budget {ward.pk}",
                kind="neighbourhood_budget",
                financial_year=2026,
                amount=Decimal(25000),
                area=ward,
            )
    # The first cycle gets every ballot: the tally's worst case.
    cycle = cycles[0]
    priority_ids = list(cycle.priorities.values_list("pk", flat=True))
    voters = Participant.objects.bulk_create(Participant() for _ in range(ballots))
    made = Ballot.objects.bulk_create(
        Ballot(cycle=cycle, participant=p, channel="online") for p in voters
    )
    choices = []
    for ballot in made:
        for rank, priority_id in enumerate(rng.sample(priority_ids, 3), start=1):
            choices.append(BallotChoice(ballot=ballot, priority_id=priority_id, rank=rank))
    BallotChoice.objects.bulk_create(choices, batch_size=5_000)
    for number in range(50):
        signoff_request(
            kind="stage_gate",
            subject=ProjectFactory(areas=[councillor.areas.get()]),
            key=f"stage:{number}",
            summary="Bench",
            requested_by=officer,
            areas=[councillor.areas.get()],
        )
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                actor=officer,
                action=rng.choice(["ballot.cast", "signoff.approved", "decision.recorded"]),
                object_type="governance.ballot",
                object_id=str(n),
                occurred_at=timezone.now() - timedelta(minutes=n),
            )
            for n in range(audit_events)
        ),
        batch_size=10_000,
    )

    figures = []
    tally = timed(lambda: list(priority_cycle_tally(cycle=cycle)))
    raw_sql = """
        SELECT p.id, COALESCE(SUM(%s + 1 - c.rank), 0), COUNT(DISTINCT c.ballot_id)
        FROM governance_priority p LEFT JOIN governance_ballotchoice c ON c.priority_id = p.id
        WHERE p.cycle_id = %s GROUP BY p.id
    """

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [cycle.votes_per_person, cycle.pk])
            cursor.fetchall()

    baseline = timed(raw)
    figures.append(Figure(f"raw SQL tally, {ballots:,} ranked ballots", baseline))
    figures.append(
        Figure(
            f"forum tally (ORM), {ballots:,} ranked ballots",
            tally,
            baseline=baseline,
            goal="within 2x of the raw SQL",
        )
    )

    client = Client()
    client.force_login(board_user)
    url = reverse("governance:board_member")
    figures.append(Figure("board member's page", timed(lambda: client.get(url))))
    client.force_login(councillor)
    url = reverse("governance:councillor")
    figures.append(
        Figure("councillor's page, 50 requests waiting", timed(lambda: client.get(url)))
    )
    admin = OfficerFactory()
    from django.contrib.auth.models import Permission

    admin.user_permissions.add(Permission.objects.get(codename="read_audit_trail"))
    client.force_login(admin)
    url = reverse("governance:audit_list")
    figures.append(
        Figure(f"audit trail page, {audit_events:,} events", timed(lambda: client.get(url)))
    )
    figures.append(
        Figure(
            f"audit trail filtered by action, {audit_events:,} events",
            timed(lambda: client.get(url, {"action": "signoff"})),
        )
    )

    # A lottery over a large pool, with quotas on sex and age.
    call = seat_call_create(
        board=cycles[0].partnership.board,
        title="Bench call",
        seats=7,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
        created_by=officer,
    )
    applicants = Participant.objects.bulk_create(Participant() for _ in range(pool_size))
    EqualityResponse.objects.bulk_create(
        EqualityResponse(
            pseudonym=p.pseudonym,
            lawful_basis="explicit_consent",
            sex=rng.choice(["female", "male"]),
            year_of_birth=rng.randint(1940, 2008),
        )
        for p in applicants
    )
    SeatApplication.objects.bulk_create(
        SeatApplication(call=call, participant=p, household_key=f"h{n}")
        for n, p in enumerate(applicants)
    )
    seat_quota_set(
        call=call, dimension="sex", category="female", min_seats=3, max_seats=4, set_by=officer
    )
    seat_quota_set(
        call=call, dimension="sex", category="male", min_seats=3, max_seats=4, set_by=officer
    )
    seat_quota_set(
        call=call, dimension="age", category="16_24", min_seats=1, max_seats=2, set_by=officer
    )
    quotas = [
        {"dimension": q.dimension, "category": q.category, "min": q.min_seats, "max": q.max_seats}
        for q in call.quotas.all()
    ]
    pool = _pool(call, {"sex", "age"}, officer)
    figures.append(
        Figure(
            f"lottery draw (maximin), pool of {pool_size:,}, 7 seats",
            timed(lambda: lottery_run(pool=pool, quotas=quotas, seats=7, seed=2026), repeat=1),
        )
    )
    del Area
    return figures
