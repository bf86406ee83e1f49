"""gunicorn's settings for the web tier, read by the Dockerfile, docker-compose.yml and
`make bench-api` alike (`gunicorn -c python:coproduction.gunicorn_config ...`).

Workers: the pages and the API spend their time in Python and in PostgreSQL, not waiting
on slow clients (a proxy in front buffers them), so a worker per core and one more keeps
the cores busy without the context switching of gunicorn's I/O-bound rule (2 x cores + 1):
on 2 cores with PostgreSQL beside it, 3 sync workers served the partner API's list calls
at a quarter more calls a second than 5, and with a lower p95 (docs/api.md, Load).
WEB_CONCURRENCY (gunicorn's own variable) overrides it.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
