# Two commands for a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= 2
LINT_DIRS := $(wildcard src tests bench manage.py)

.PHONY: run test install lint format bench messages check clean-db

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 DANGVU_DEMO=1 $(PY) manage.py compilemessages --ignore=.venv -v 0 || true
	DEBUG=1 DANGVU_DEMO=1 $(PY) manage.py migrate --no-input
	DEBUG=1 DANGVU_DEMO=1 $(PY) manage.py seed_demo --if-empty
	DEBUG=1 DANGVU_DEMO=1 $(PY) manage.py demo_accounts
	@echo "Job worker (imports, reports) starts in the background; the server on http://$(HOST):$(PORT)"
	DEBUG=1 DANGVU_DEMO=1 $(PY) manage.py db_worker --queue-name default > var/worker.log 2>&1 & \
	  WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 DANGVU_DEMO=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINT_DIRS)
	$(VENV)/bin/ruff format --check $(LINT_DIRS)

format: $(STAMP)
	$(VENV)/bin/ruff check --fix $(LINT_DIRS)
	$(VENV)/bin/ruff format $(LINT_DIRS)

check: $(STAMP)
	DANGVU_TESTING=1 $(PY) manage.py check
	DANGVU_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

# --dist loadscope: a module's tests stay on one worker, so what they share (tests/shared.py: the
# tree, the users, the seeded demo) is built once per run; biggest modules first.
test: $(STAMP) lint check
	DANGVU_TESTING=1 $(VENV)/bin/pytest -q --create-db -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

bench: $(STAMP)
	DANGVU_TESTING=1 $(PY) bench/run.py $(BENCH_ARGS)

messages: $(STAMP)
	cd src/dangvu && ../../$(PY) ../../manage.py makemessages -l en --ignore=static --ignore="*/migrations/*"
	cd src/dangvu && ../../$(PY) ../../manage.py compilemessages -l en
