"""The partner API under load: `make bench-api`.

gunicorn serves the production settings on loopback against a PostgreSQL database of a
county's size (300 wards, 1,800 LSOAs, census baselines, partnerships, 600 projects,
3,000 events; the council, its areas and wards with boundaries of the size ONS publishes,
about 24 KB of GeoJSON each); wrk sends 20 concurrent clients at each list endpoint for
a bounded time, with `/api/v1/me/` (the same authentication, throttling and audit, and
almost no data) as the baseline. Prints p50/p95/p99 latency and throughput, and each
figure's ratio to the baseline's.
Goal: p95 under 200 ms on 2 cores.
"""

import json
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import override_settings

from benchmarks.harness import Figure, benchmark_database

CONCURRENCY = 20
HERE = Path(__file__).resolve().parent
ENDPOINTS = [
    ("me (baseline)", "/api/v1/me/"),
    ("areas", "/api/v1/areas/?page_size=50"),
    ("areas, wards by name", "/api/v1/areas/?kind=ward&ordering=name&page_size=50"),
    ("population baselines", "/api/v1/population-baselines/?page_size=50"),
    ("partnerships", "/api/v1/partnerships/?page_size=50"),
    ("partner agencies", "/api/v1/partner-agencies/?page_size=50"),
    ("projects", "/api/v1/projects/?page_size=50"),
    ("events", "/api/v1/events/?page_size=50"),
]
AREAS = 12
WARDS_PER_AREA = 25
LSOAS_PER_WARD = 6
CATEGORIES = 20
PROJECTS_PER_WARD = 2
EVENTS_PER_WARD = 10
PRODUCTION_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
# Vertices of a boundary: an ONS generalised (20 m) ward boundary has about a thousand.
BOUNDARY_VERTICES = 1_000


def boundary(n: int, vertices: int = BOUNDARY_VERTICES) -> dict:
    """A GeoJSON Polygon the size of a real area's boundary, centred apart for each n."""
    x, y = -1.6 + (n % 40) * 0.02, 54.4 + (n // 40) * 0.02
    ring = [
        [
            round(x + 0.01 * math.cos(2 * math.pi * k / vertices), 6),
            round(y + 0.01 * math.sin(2 * math.pi * k / vertices), 6),
        ]
        for k in range(vertices)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def county_build() -> tuple[str, str]:
    """The county's areas, baselines and partnerships; returns a client id and secret."""
    from communities.models import Area, AreaBoundary, CensusTable, PopulationBaseline
    from coproduction.api.scopes import scopes
    from coproduction.api.services import api_client_create
    from governance.models import PartnerAgency, Partnership
    from tests.accounts.factories import AdministratorFactory

    council = Area.objects.create(name="Benchshire", kind="council", gss_code="E06000999")
    areas = Area.objects.bulk_create(
        Area(name=f"Area {a:02d}", kind="area", parent=council) for a in range(AREAS)
    )
    wards = Area.objects.bulk_create(
        Area(name=f"Ward {a:02d}-{w:02d}", kind="ward", parent=area, gss_code=f"E05{a:03d}{w:03d}")
        for a, area in enumerate(areas)
        for w in range(WARDS_PER_AREA)
    )
    Area.objects.bulk_create(
        Area(name=f"{ward.name} {n}", kind="lsoa", parent=ward, gss_code=f"E01{i:03d}{n:03d}")
        for i, ward in enumerate(wards)
        for n in range(LSOAS_PER_WARD)
    )
    AreaBoundary.objects.bulk_create(
        (
            AreaBoundary(area=area, geometry=boundary(n))
            for n, area in enumerate([council, *areas, *wards])
        ),
        batch_size=50,
    )
    tables = CensusTable.objects.bulk_create(
        CensusTable(area=ward, table="TS021", dimension="ethnic_group", total=8000)
        for ward in wards
    )
    PopulationBaseline.objects.bulk_create(
        PopulationBaseline(
            table=table,
            area_id=table.area_id,
            dimension="ethnic_group",
            category=f"category_{c:02d}",
            count=400,
        )
        for table in tables
        for c in range(CATEGORIES)
    )
    police = PartnerAgency.objects.create(name="Benchshire Police", kind="police")
    others = PartnerAgency.objects.bulk_create(
        PartnerAgency(name=f"Agency {n:02d}", kind="voluntary") for n in range(20)
    )
    for n, area in enumerate(areas):
        partnership = Partnership.objects.create(name=f"{area.name} AAP", kind="aap", area=area)
        partnership.agencies.add(*others[n : n + 5])
        if n % 2 == 0:
            partnership.agencies.add(police)
    projects_and_events_build(wards, police)
    # Hashed as production hashes it (the benchmark's own settings use the tests' MD5).
    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        client, secret = api_client_create(
            agency=police, scopes=scopes.names(), created_by=AdministratorFactory()
        )
    return client.client_id, secret


def projects_and_events_build(wards, police) -> None:
    """Projects in each ward (the police a partner in every other one), and events."""
    from datetime import timedelta

    from django.utils import timezone

    from engagement.models import Event
    from projects.models import Project

    projects = Project.objects.bulk_create(
        Project(reference=f"CP-B{i:05d}", title=f"Project {i}", co_design=True, ladder_target=4)
        for i in range(len(wards) * PROJECTS_PER_WARD)
    )
    Project.areas.through.objects.bulk_create(
        Project.areas.through(project_id=project.pk, area_id=wards[i // PROJECTS_PER_WARD].pk)
        for i, project in enumerate(projects)
    )
    Project.partner_agencies.through.objects.bulk_create(
        Project.partner_agencies.through(project_id=project.pk, partneragency_id=police.pk)
        for project in projects[::2]
    )
    start = timezone.now()
    Event.objects.bulk_create(
        Event(
            title=f"Litter pick {n}",
            kind=Event.Kind.LITTER_PICK,
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=2),
            place="The park gates",
            area=ward,
            organising_agency=police if n % 3 == 0 else None,
        )
        for ward in wards
        for n in range(EVENTS_PER_WARD)
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def server_start(port: int) -> subprocess.Popen:
    redis = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coproduction.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis,
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", redis.rsplit("/", 1)[0] + "/2"),
        "EMAIL_URL": "consolemail://",
        # The benchmark measures latency, not the rate limit.
        "API_THROTTLE_AGENCY": "100000000/min",
        "LOG_LEVEL": "WARNING",
        # The web tier as it ships (coproduction/gunicorn_config.py), on loopback.
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
    }
    if "BENCH_API_WORKERS" in os.environ:
        env["WEB_CONCURRENCY"] = os.environ["BENCH_API_WORKERS"]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:coproduction.gunicorn_config",
            "coproduction.wsgi:application",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(HERE.parent),
    )


def token_get(base: str, client_id: str, secret: str) -> str:
    import base64

    request = urllib.request.Request(  # noqa: S310 (a loopback http URL)
        f"{base}/api/v1/oauth/token/",
        data=b"grant_type=client_credentials",
        headers={
            "Authorization": "Basic "
            + base64.b64encode(f"{client_id}:{secret}".encode()).decode(),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.load(response)["access_token"]


def wait_until_up(base: str, client_id: str, secret: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            return token_get(base, client_id, secret)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def wrk(url: str, token: str, seconds: int) -> dict:
    result = subprocess.run(  # noqa: S603 (our own command line)
        [
            shutil.which("wrk") or "wrk",
            "--threads",
            "2",
            "--connections",
            str(CONCURRENCY),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--script",
            str(HERE / "wrk_report.lua"),
            "--header",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def run(options) -> list[Figure]:
    if connection.vendor != "postgresql":
        raise SystemExit("bench-api measures PostgreSQL: set DATABASE_URL=postgres://...")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench-api` installs it (apt-get install wrk)")
    seconds = int(os.environ.get("BENCH_API_SECONDS", "15"))
    figures: list[Figure] = []
    with benchmark_database():
        client_id, secret = county_build()
        connection.close()
        port = free_port()
        server = server_start(port)
        try:
            base = f"http://127.0.0.1:{port}"
            token = wait_until_up(base, client_id, secret)
            # Warm every worker's connection and caches before measuring.
            for _label, path in ENDPOINTS:
                wrk(base + path, token, 2)
            baseline: dict | None = None
            for label, path in ENDPOINTS:
                result = wrk(base + path, token, seconds)
                if baseline is None:
                    baseline = result
                throughput = result["requests"] / result["seconds"]
                base_throughput = baseline["requests"] / baseline["seconds"]
                for key in ("p50", "p95", "p99"):
                    figures.append(
                        Figure(
                            f"{label} {key}",
                            result[key] / 1000,
                            "ms",
                            baseline=baseline[key] / 1000 if result is not baseline else None,
                            goal="< 200 ms" if key == "p95" else "",
                        )
                    )
                figures.append(
                    Figure(
                        f"{label} throughput",
                        throughput,
                        "req/s",
                        baseline=base_throughput if result is not baseline else None,
                    )
                )
                figures.append(Figure(f"{label} errors or non-2xx", result["errors"], "calls"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return figures
