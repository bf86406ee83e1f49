"""Inclusion reports over a county (or, with --scale national, a nation's worth of actions).

County: 300 wards in 12 areas, 1,000 LSOAs with census tables and IMD 2025, 100,000
participants (80% with equality answers), 1,000,000 qualifying actions over 24 months,
500 projects. National: 600 wards, 3,000 LSOAs, 500,000 participants, 10,000,000 actions.

Prints, for PostgreSQL: building the summary from the ledger and refreshing it after new
actions; one ward's report, one project's, the whole programme's and (county and small
scales) all scheduled reports; and for each, the raw aggregate SQL beneath it with the
report's ratio to it, and (single scopes) how much of the report is spent in SQL at all.
Goals: one scope under 0.5 s of SQL, the programme under 10 s at 10M actions, a report
within 1.5x of its raw SQL.
"""

import random
import time
import tracemalloc
from datetime import date

from benchmarks.harness import Figure, benchmark_database, timed

SCALES = {
    # wards, lsoas, participants, actions, projects
    "small": (30, 100, 10_000, 100_000, 50),
    "county": (300, 1_000, 100_000, 1_000_000, 500),
    "national": (600, 3_000, 500_000, 10_000_000, 2_000),
}
COUNCIL = ("E06000990", "Benchshire")
PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
ETHNIC = ["white_british"] * 14 + ["white_other", "asian_pakistani", "asian_indian",
          "black_african", "mixed_other", "prefer_not_to_say", ""]  # fmt: skip
DISABILITY = ["not_disabled_no_condition"] * 7 + [
    "not_disabled_condition_not_limited",
    "disabled_limited_a_little",
    "disabled_limited_a_lot",
    "",
]


def _once(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def _sql_list(values) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _build(scale: str) -> dict:
    """The dataset, made with set-based SQL (the services would take hours at this size)."""
    import io

    from django.db import connection

    from communities import census, services
    from communities.models import Area
    from tests.communities import onsfiles

    wards_n, lsoas_n, people_n, actions_n, projects_n = SCALES[scale]
    rng = random.Random(11)
    wards = [(f"E05{900000 + w:06d}", f"Ward {w}") for w in range(wards_n)]
    lsoas = [
        (f"E01{900000 + n:06d}", f"Benchshire {n:04d}A", *wards[n * wards_n // lsoas_n])
        for n in range(lsoas_n)
    ]

    def upload(text: str) -> io.BytesIO:
        return io.BytesIO(text.encode("utf-8"))

    services.lookup_import(file=upload(onsfiles.ward_lookup(lsoas, lad=COUNCIL)), name="l.csv")
    council = Area.objects.get(gss_code=COUNCIL[0])
    ward_areas = list(Area.objects.filter(kind=Area.Kind.WARD).order_by("gss_code"))
    for g in range(12):
        services.area_create(
            name=f"Area {g + 1}",
            kind=Area.Kind.AREA,
            parent=council,
            type_label="Area Action Partnership",
            wards=ward_areas[g::12],
        )
    for table in census.TABLES:
        rows = {}
        for code, name, *_ in lsoas:
            rows[code] = (
                name,
                {c.code: rng.randint(0, 40) for c in census.table_leaves(table)},
            )
        text = onsfiles.census_wide(table, rows, suffix=table == "TS007")
        services.census_import(file=upload(text), name=f"{table}.csv")
    imd = onsfiles.imd_file(
        2025,
        # Ranks spread over England's 33,755 LSOAs, whatever the scale.
        {
            code: (name, 1 + n * (33_000 // lsoas_n), 1 + n % 10)
            for n, (code, name, *_r) in enumerate(lsoas)
        },
        lad=COUNCIL,
    )
    services.deprivation_import(file=upload(imd), name="imd.csv")

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_lsoa AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, "
            "id AS lsoa_id, parent_id AS ward_id FROM communities_area WHERE kind = 'lsoa'"
        )
        cursor.execute(
            "INSERT INTO engagement_participant (full_name, email, phone, postcode, "
            "home_ward_id, home_lsoa_id, participation_level, preferred_channels, "
            "accessibility_needs, pseudonym, version, created_at, updated_at) "
            "SELECT '', '', '', '', l.ward_id, l.lsoa_id, 'informed', '[]', '', "
            "gen_random_uuid(), 1, now(), now() FROM generate_series(0, %s - 1) g "
            "JOIN bench_lsoa l ON l.i = g %% %s",
            [people_n, lsoas_n],
        )
        cursor.execute(
            "INSERT INTO engagement_equalityresponse (pseudonym, recorded_at, lawful_basis, "
            "source, year_of_birth, age_prefer_not_to_say, sex, gender_identity, "
            "sexual_orientation, ethnic_group, disability, religion) "
            "SELECT pseudonym, '2024-06-01', 'explicit_consent', 'online', "
            "1940 + floor(power(random(), 0.7) * 66)::int, false, "
            "CASE WHEN random() < 0.58 THEN 'female' ELSE 'male' END, 'same_as_sex', "
            "CASE WHEN random() < 0.95 THEN 'straight' ELSE 'bisexual' END, "
            f"({_sql_list(ETHNIC)})[1 + floor(random() * {len(ETHNIC)})::int], "
            f"({_sql_list(DISABILITY)})[1 + floor(random() * {len(DISABILITY)})::int], "
            "CASE WHEN random() < 0.6 THEN 'christian' ELSE 'no_religion' END "
            "FROM engagement_participant WHERE random() < 0.8"
        )
        cursor.execute(
            "INSERT INTO projects_project (reference, title, summary, stage, "
            "stage_entered_at, co_design, co_commissioning, co_delivery, co_assessment, "
            "co_financing, mode, scale, ladder_target, is_published, public_summary, "
            "version, created_at, updated_at) "
            "SELECT 'B' || g, 'Project ' || g, '', 'deliver', now(), true, false, false, "
            "false, false, 'collective', 'pilot', 6, false, '', 1, now(), now() "
            "FROM generate_series(1, %s) g",
            [projects_n],
        )
        cursor.execute(
            "INSERT INTO projects_project_areas (project_id, area_id) "
            "SELECT p.id, w.id FROM projects_project p "
            "JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM communities_area "
            "WHERE kind = 'ward') w ON w.n = 1 + p.id %% %s",
            [wards_n],
        )
        cursor.execute("SELECT min(id), max(id) FROM engagement_participant")
        first_person, last_person = cursor.fetchone()
        cursor.execute("SELECT min(id), max(id) FROM projects_project")
        first_project, last_project = cursor.fetchone()
        # A few people do most: the participant is drawn with a skew (random()^2).
        cursor.execute(
            "INSERT INTO engagement_participationrecord (participant_id, kind, occurred_at, "
            "channel, area_id, project_id, source, created_at) "
            "SELECT p.id, (ARRAY['attendance','roster','issue_report','vote'])"
            "[1 + floor(random() * 4)::int], "
            "timestamptz '2024-01-01' + random() * interval '730 days', "
            "(ARRAY['in_person','online','email','phone'])[1 + floor(random() * 4)::int], "
            "p.home_ward_id, "
            "CASE WHEN random() < 0.4 THEN %s + floor(random() * %s)::int END, "
            "'bench:' || x.g, now() "
            "FROM (SELECT g, %s + floor(power(random(), 2) * %s)::int AS pid "
            "FROM generate_series(1, %s) g OFFSET 0) x "
            "JOIN engagement_participant p ON p.id = x.pid",
            [
                first_project,
                last_project - first_project + 1,
                first_person,
                last_person - first_person + 1,
                actions_n,
            ],
        )
        cursor.execute("ANALYZE")
    return {"people": people_n, "actions": actions_n, "projects": projects_n}


def run(options) -> list[Figure]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        print("The inclusion benchmark needs PostgreSQL (set DATABASE_URL).")
        return []
    from communities.models import Area
    from engagement.inclusion import activity
    from engagement.inclusion.counting import build_query, run_query
    from engagement.inclusion.models import Report, ScopeActivity, ScopeKind
    from engagement.inclusion.scopes import resolve, scope_key
    from engagement.inclusion.services import (
        month_start,
        period_end_moment,
        report_generate,
        schedule_ensure,
    )
    from projects.models import Project

    figures: list[Figure] = []
    with benchmark_database():
        started = time.perf_counter()
        sizes = _build(options.scale)
        figures.append(
            Figure(
                f"build dataset ({sizes['people']:,} people, {sizes['actions']:,} actions)",
                time.perf_counter() - started,
            )
        )
        figures.append(
            Figure("summary: full build from the ledger", _once(activity.activity_rebuild))
        )
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load: statistics, and the visibility
            # map the reports' index-only scans rely on. The figures are for a summary in
            # service, not one written a moment ago.
            cursor.execute("VACUUM ANALYZE inclusion_scopeactivity")
        figures.append(Figure("summary rows", ScopeActivity.objects.count(), unit="rows"))
        # New actions arrive: the triggers queue their months, the refresh rebuilds them.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO engagement_participationrecord (participant_id, kind, "
                "occurred_at, channel, area_id, source, created_at) "
                "SELECT id, 'attendance', '2025-06-15', 'in_person', home_ward_id, "
                "'bench:new:' || id, now() FROM engagement_participant ORDER BY id LIMIT 1000"
            )
        figures.append(
            Figure(
                "summary: refresh after 1,000 new actions",
                _once(activity.activity_refresh),
                goal="well under a minute (beat runs it every minute)",
            )
        )

        def new_report(kind, obj=None) -> Report:
            fields = {}
            if kind == ScopeKind.AREA:
                fields["area"] = obj
            elif kind == ScopeKind.PROJECT:
                fields["project"] = obj
            return Report.objects.create(
                scope_kind=kind,
                scope_key=scope_key(kind, obj),
                period_start=PERIOD[0],
                period_end=PERIOD[1],
                **fields,
            )

        def raw_sql(report: Report):
            scope = resolve(report)
            return run_query(
                build_query(
                    kind=scope.kind,
                    scope_ids=scope.scope_ids,
                    start=report.period_start,
                    end=month_start(report.period_end),
                    answers_at=period_end_moment(report.period_end),
                    reference_year=report.period_end.year,
                    minimum_age=report.minimum_age,
                    own_project_id=scope.own_project_id,
                )
            )

        ward = Area.objects.filter(kind=Area.Kind.WARD).order_by("pk")[5]
        project = Project.objects.order_by("pk")[3]
        for label, kind, obj, goal in (
            ("one ward", ScopeKind.AREA, ward, "SQL under 0.5 s"),
            ("one project", ScopeKind.PROJECT, project, "SQL under 0.5 s"),
            ("whole programme", ScopeKind.PROGRAMME, None, "under 10 s at 10M actions"),
        ):
            sample = new_report(kind, obj)
            sql = timed(lambda sample=sample: raw_sql(sample))
            figures.append(Figure(f"{label}: raw aggregate SQL", sql, goal=goal))
            whole = timed(
                lambda kind=kind, obj=obj: report_generate(report_id=new_report(kind, obj).pk)
            )
            figures.append(
                Figure(
                    f"{label}: report (SQL + figures + snapshot)",
                    whole,
                    baseline=sql,
                    goal="within 1.5x of its SQL",
                )
            )
            # Where the rest goes: every statement the report runs (the counting query,
            # the census and deprivation figures, targets, ladder, the snapshot's write),
            # as the driver times them; the remainder is Python.
            sample = new_report(kind, obj)
            with CaptureQueriesContext(connection) as statements:
                report_generate(report_id=sample.pk)
            in_sql = sum(float(q["time"]) for q in statements.captured_queries)
            figures.append(
                Figure(
                    f"{label}: the report's time in SQL ({len(statements)} statements)",
                    in_sql,
                    baseline=whole,
                )
            )
        tracemalloc.start()
        report_generate(report_id=new_report(ScopeKind.PROGRAMME).pk)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures.append(Figure("whole programme: peak Python memory", peak / 2**20, unit="MB"))

        if options.scale == "national":
            # The national run is for the programme's figure (goal: under 10 s at 10M
            # actions); the sweep of every scope is the county run's.
            return figures
        schedule_ensure()
        scheduled = [(ScopeKind.AREA, a) for a in Area.objects.exclude(kind=Area.Kind.LSOA)] + [
            (ScopeKind.PROJECT, p) for p in Project.objects.all()
        ]
        samples = [new_report(kind, obj) for kind, obj in scheduled]
        sql_all = _once(lambda: [raw_sql(r) for r in samples])
        figures.append(
            Figure(f"all {len(samples)} scheduled scopes: raw SQL", sql_all, goal="under 60 s")
        )
        figures.append(
            Figure(
                f"all {len(samples)} scheduled reports",
                _once(lambda: [report_generate(report_id=r.pk) for r in samples]),
                baseline=sql_all,
            )
        )
    return figures
