# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_CLINICIANS ?= 2000
DEMO_REFERRALS ?= 600

.PHONY: install compile run test test-later fuzz lint format lock migrate demo bench bench-deps bench-es clean translations screens

# PYTHONDONTWRITEBYTECODE (set in the image, often in shells) stops Python caching compiled
# modules, so every process (each CLI command, each gunicorn worker) compiled the app's ~520
# modules from source: 0.6 s of every start. Compiled once here; an edited module's stale
# file is ignored (its source is newer) until the next `make install` or `make compile`.
COMPILE := $(PY) -m compileall -q -j0 -x '/(\.venv|node_modules|tests|benchmarks/data|instance)/' .

$(VENV)/.installed: pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	$(COMPILE)
	touch $@

install: $(VENV)/.installed

compile: install
	$(COMPILE)

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load --clinicians $(DEMO_CLINICIANS)
	$(FLASK) demo users
	$(FLASK) demo registry
	$(FLASK) demo referrals --count $(DEMO_REFERRALS)

# The development server speaks plain http on 127.0.0.1, so its cookies cannot be Secure.
run: demo
	SESSION_COOKIE_SECURE=0 $(FLASK) run --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest -q

# The suite two years on (libfaketime moves this process's clock): a test that holds only
# until some date, such as a fixed clock beside a wall-clock default, fails here first. The
# monotonic clock stays real: timed waits (thread joins, subprocess timeouts) count on it.
# There libfaketime refuses every sleep: the tests' time.sleep waits on an event instead, and
# Chromium runs on the real clock (tests/conftest.py, tests/browser/conftest.py).
test-later: install
	@command -v faketime >/dev/null || { echo "needs faketime: apt-get install faketime"; exit 2; }
	FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "+730d" \
		$(PY) -m pytest -q -p no:cacheprovider

# Schemathesis over /api/v1 (every operation, the stateful run, every reader) and the /fhir
# parameter fuzz, with many more examples than `make test` runs; cases and failures per check
# are written to artifacts/fuzz/api.json and printed.
FUZZ_EXAMPLES ?= 200
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q tests/api/test_fuzz.py tests/fhir/test_fuzz.py
	@$(PY) -m tests.api.fuzz_report artifacts/fuzz/api.json

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock:
	$(PY) -m pip install -q uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra bench --python-version 3.11 \
		-o requirements.lock

# Benchmarks (BENCHMARKS.md): `make bench SIZES=10k` for a quick run; 1M adds ~15 minutes.
SIZES ?= 10k,100k,1M
BENCH_ARGS ?=
bench: install bench-deps
	$(PY) -m benchmarks.run --sizes $(SIZES) $(BENCH_ARGS)

# Elasticsearch capacity plan for 10M listings (on paper: no server), BENCHMARKS.md section.
bench-es: install
	$(PY) -m benchmarks.es_plan

# wrk (load generator) and PostGIS (peer baseline) from Debian, installed only when missing.
POSTGIS_CONTROL := /usr/share/postgresql/15/extension/postgis.control
bench-deps:
	@command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	@test -f $(POSTGIS_CONTROL) || (apt-get update && apt-get install -y postgresql-15-postgis-3)

# docs/screens/: the main pages in English and Spanish at 390 and 1366 px on a demo instance,
# each checked with axe-core, with the search submit -> results painted timings (Chromium).
screens: install
	$(PY) -m tests.browser.screens --out docs/screens

# Page text: extract messages, merge them into every catalog, compile the .mo files.
BABEL := $(PY) -m babel.messages.frontend
translations: install
	$(BABEL) extract -F web/translations/babel.cfg -k _l -k lazy_gettext --no-location \
		--sort-output --project bh-directory -o web/translations/messages.pot .
	$(BABEL) update -i web/translations/messages.pot -d web/translations --no-fuzzy-matching \
		--ignore-obsolete --width 100
	$(BABEL) compile -d web/translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
