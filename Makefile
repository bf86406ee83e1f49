# Coproduce: `make run` installs and serves the demo; `make test` installs and runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CSS := static/build/coproduce.css
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test audit lint format bench bench-api worker beat clean

$(PY_STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Coproduce needs Python 3.11 (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(CSS): $(NODE_STAMP) $(wildcard static/scss/*.scss)
	npm run --silent build

install: $(PY_STAMP) $(CSS)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# bandit, pip-audit and npm audit (.ci/audit): no finding of high severity; accepted
# advisories, each with a reason and an expiry, in .ci/audit-ignore.txt.
audit: install
	VENV=$(VENV) .ci/audit

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) benchmarks/run.py $(ONLY)

# The partner API under load (docs/api.md): gunicorn with the production settings on
# PostgreSQL (DATABASE_URL) and Redis, 20 concurrent clients from wrk, bounded in time.
bench-api: install
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; \
	  else sudo apt-get install -y -qq wrk >/dev/null; fi; }
	$(PY) benchmarks/run.py api_load

worker: install
	$(PY) -m celery -A coproduction worker --loglevel=INFO --concurrency=2

beat: install
	$(PY) -m celery -A coproduction beat --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3* .test-db.sqlite3*
