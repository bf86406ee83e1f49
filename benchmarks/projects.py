"""Projects at a county's scale: the register, a project page with a long roster, the
leverage report against the raw SQL beneath it, and the CSV export's memory.

`make bench ONLY=projects` (PostgreSQL via DATABASE_URL for meaningful figures).
"""

import datetime
import random
import tracemalloc
from decimal import Decimal

from benchmarks.harness import Figure, benchmark_database, timed

SCALES = {
    # projects, roster places per project, funding lines per project, readings
    "small": (200, 10, 4, 4),
    "county": (2000, 25, 10, 8),
    "national": (10000, 25, 10, 8),
}


def _build(scale: str):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from communities.models import Area
    from coproduction.accounts.models import User
    from coproduction.accounts.roles import Role
    from engagement.models import Participant
    from governance.models import Budget
    from projects.models import FundingLine, Indicator, Measurement, Project, RosterEntry

    projects_n, roster_n, lines_n, readings_n = SCALES[scale]
    rng = random.Random(7)
    council = Area.objects.create(name="Bench council", kind=Area.Kind.COUNCIL)
    groups = [
        Area.objects.create(name=f"Area {g}", kind=Area.Kind.AREA, parent=council)
        for g in range(14)
    ]
    wards = [
        Area.objects.create(name=f"Ward {g}-{w}", kind=Area.Kind.WARD, parent=group)
        for g, group in enumerate(groups)
        for w in range(9)
    ]
    officer = User.objects.create_user(email="bench@example.org", full_name="Bench Officer")
    officer.groups.add(Group.objects.get_or_create(name=Role.OFFICER)[0])
    officer.areas.set([council])
    participants = Participant.objects.bulk_create(
        Participant(full_name=f"Resident {n}", home_ward=rng.choice(wards))
        for n in range(projects_n * 5)
    )
    now = timezone.now()
    projects = Project.objects.bulk_create(
        Project(
            reference=f"B-{n:06d}",
            title=f"Bench project {n}",
            stage=rng.choice(list(Project.Stage)),
            co_design=True,
            co_delivery=n % 2 == 0,
            ladder_actual=rng.randint(1, 8),
            lead_officer=officer,
            stage_entered_at=now,
        )
        for n in range(projects_n)
    )
    Project.areas.through.objects.bulk_create(
        Project.areas.through(project_id=p.pk, area_id=rng.choice(wards).pk) for p in projects
    )
    start = datetime.date(2025, 1, 1)
    RosterEntry.objects.bulk_create(
        RosterEntry(
            project=p,
            participant=participant,
            role=RosterEntry.Role.VOLUNTEER,
            started_on=start,
            hours=Decimal(rng.randint(0, 40)),
        )
        for p in projects
        for participant in rng.sample(participants, roster_n)
    )
    sources = list(FundingLine.Source)
    # Money from a devolved source draws on a budget of its kind.
    budgets = {
        source: Budget.objects.create(
            name=f"Bench {kind}",
            kind=kind,
            financial_year=2025,
            amount=Decimal(10**9),
            area=council,
        )
        for source, kind in FundingLine.BUDGET_KINDS.items()
    }

    def line(project):
        source = rng.choice(sources)
        return FundingLine(
            project=project,
            source=source,
            budget=budgets.get(source),
            funder_name="Bench funder",
            amount=Decimal(rng.randint(100, 20000)),
            status=FundingLine.Status.COMMITTED,
            committed_on=start,
        )

    FundingLine.objects.bulk_create(line(p) for p in projects for _ in range(lines_n))
    indicators = Indicator.objects.bulk_create(
        Indicator(
            project=p,
            name=f"Indicator {i}",
            baseline_value=Decimal(1000),
            baseline_on=datetime.date(2015, 1, 1),
        )
        for p in projects
        for i in range(2)
    )
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            measured_on=datetime.date(2016 + r, 1, 1),
            value=Decimal(rng.randint(500, 1500)),
        )
        for indicator in indicators
        for r in range(readings_n)
    )
    return officer, projects


def _raw_leverage_sql() -> list:
    from django.db import connection

    sql = """
        SELECT g.id,
               SUM(CASE WHEN f.source IN ('area_budget', 'neighbourhood_budget', 'small_grant')
                        THEN f.amount ELSE 0 END),
               SUM(CASE WHEN f.source IN ('external_match', 'partner')
                        THEN f.amount ELSE 0 END)
        FROM communities_area g
        JOIN communities_area w ON w.parent_id = g.id
        JOIN projects_project_areas pa ON pa.area_id = w.id
        JOIN projects_fundingline f ON f.project_id = pa.project_id
        WHERE g.kind = 'area' AND f.status = 'committed'
        GROUP BY g.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def run(options) -> list:
    import time

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from projects.selectors import leverage_by_area

    figures = []
    with benchmark_database():
        started = time.perf_counter()
        officer, projects = _build(options.scale)
        figures.append(
            Figure(
                f"build {len(projects):,} projects ({options.scale})",
                time.perf_counter() - started,
            )
        )
        client = Client()
        client.force_login(officer)
        list_url = reverse("projects:list")
        with CaptureQueriesContext(connection) as queries:
            client.get(list_url)
        figures.append(Figure("register page: queries", len(queries), unit="queries"))
        figures.append(
            Figure("register page (25 of all projects)", timed(lambda: client.get(list_url)))
        )
        filtered = f"{list_url}?form=co_delivery&ladder=6"
        figures.append(Figure("register page, filtered", timed(lambda: client.get(filtered))))
        detail = reverse("projects:detail", args=[projects[0].pk])
        with CaptureQueriesContext(connection) as queries:
            client.get(detail)
        figures.append(Figure("project page: queries", len(queries), unit="queries"))
        figures.append(Figure("project page", timed(lambda: client.get(detail))))
        raw = timed(_raw_leverage_sql)
        figures.append(Figure("leverage by area: raw SQL", raw))
        figures.append(
            Figure(
                "leverage by area: selector",
                timed(lambda: leverage_by_area(user=officer)),
                baseline=raw,
                goal="within 2x of the raw SQL",
            )
        )
        export_url = reverse("projects:export_csv")

        def export() -> int:
            response = client.get(export_url)
            return sum(len(chunk) for chunk in response.streaming_content)

        elapsed = timed(export, repeat=1)
        tracemalloc.start()
        size = export()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures.append(Figure(f"projects CSV ({size / 1e6:.1f} MB)", elapsed))
        figures.append(
            Figure(
                "projects CSV: peak memory",
                peak / 1e6,
                unit="MB",
                goal="bounded by the 200-row chunk, not the export's size",
            )
        )
        reset_queries()
    return figures
