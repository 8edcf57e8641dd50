# `make run` and `make test` work on a fresh clone with Python 3.11+ and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STACK := $(PY) -m kotove.devstack
# Test processes in parallel (pytest-xdist): one per core by default.
PYTEST_WORKERS ?= auto

.PHONY: run test lint lock down messages bench load

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.lock
	touch $@

run: $(VENV)/.installed
	PORT=$(or $(PORT),8000) $(STACK) run

test: $(VENV)/.installed lint
	$(STACK) compile-messages
	$(STACK) exec --test -- sh -c '$(PY) manage.py makemigrations --check --dry-run && $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)'


lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The search benchmark (README, Performance): 100,000 experts in the database kotove_bench.
bench: $(VENV)/.installed
	$(STACK) exec -- $(PY) manage.py bench_search $(BENCH_ARGS)

# The load benchmark (README, Performance): gunicorn with 2 workers on the database kotove_load
# (10,000 experts, built once), 20 clients for 60 s; exits 1 on an error or a lost feedback
# answer, 2 when only the latency target is missed. Options: make load LOAD_ARGS="--port 8020".
load: $(VENV)/.installed
	$(PY) -m loadtest.run $(LOAD_ARGS)

down: $(VENV)/.installed
	$(STACK) down

# Extract source strings for translators. An app with its own locale/ (alueet, koulutus, palaute)
# gets its strings there; kotove, pankki and templates/ share the project's locale/.
messages: $(VENV)/.installed
	$(STACK) exec -- $(PY) manage.py makemessages -l fi -l sv -l en --ignore '.venv*' --ignore staticfiles --ignore loadtest --no-obsolete

# Re-pin every dependency after editing pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet $$($(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print(' '.join(d for d in p['dependencies'] + p['optional-dependencies']['dev']))")
	.lock-venv/bin/pip freeze --exclude kotove > requirements.lock
	rm -rf .lock-venv
