"""PostgreSQL restarted under a running server: the app recovers without a restart.

The test starts a PostgreSQL cluster of its own (initdb and pg_ctl in a temporary
directory, on a free port), migrates it, and runs gunicorn with the app's settings against
it; then restarts the database and checks that the next requests are served. Django's
persistent connections (CONN_MAX_AGE) are checked before reuse (CONN_HEALTH_CHECKS), so
the first request after the restart opens a new connection instead of failing
(docs/operations.md). The suite's own database is never touched."""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.reliability.servers import OwnPostgres, free_port, wait_until

pytestmark = pytest.mark.worker


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture
def own_postgres(tmp_path):
    postgres = OwnPostgres(tmp_path).init().start()
    yield postgres
    postgres.remove()


@pytest.fixture
def server_on_own_postgres(own_postgres, tmp_path):
    subprocess.run(
        [*own_postgres._run_as, str(own_postgres.bin / "createdb"), "-h", "127.0.0.1",
         "-p", str(own_postgres.port), "-U", own_postgres.user, "coproduce"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coproduction.settings.test",
        "DATABASE_URL": own_postgres.url("coproduce"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "coproduction.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    assert wait_until(lambda: get(f"{base}/healthz") == 200, timeout=120), (
        tmp_path / "gunicorn.log"
    ).read_text()[-3000:]
    yield base
    server.terminate()
    server.wait(timeout=30)
    log.close()


def test_the_app_recovers_from_a_database_restart_without_a_restart_of_its_own(
    own_postgres, server_on_own_postgres
):
    # given: a server whose worker holds a persistent connection
    base = server_on_own_postgres
    assert [get(f"{base}/healthz"), get(f"{base}/")] == [200, 200]
    # when: the database stops
    own_postgres.stop()
    # then: the server answers, saying the database is unavailable
    assert get(f"{base}/healthz") == 503
    # when: it is back
    own_postgres.start()
    # then: the very next requests are served, by the same server process
    assert [get(f"{base}/healthz"), get(f"{base}/"), get(f"{base}/privacy/")] == [200] * 3
    # and a restart while connected (the connection dies under the open socket)
    own_postgres.restart()
    assert [get(f"{base}/healthz"), get(f"{base}/")] == [200, 200]
