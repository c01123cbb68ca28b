# Werkpas: `make run` to try it, `make test` to prove it, `make bench` to measure it.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: install lint run test test-sqlite test-postgres chromium postgres bench i18n clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/werkpas migrate
	$(VENV)/bin/werkpas demo
	$(VENV)/bin/werkpas serve

# Browser tests drive Debian's Chromium (Playwright's own download is not reachable);
# PDF tests render pages with pdftoppm (poppler-utils); PDFs embed DejaVu Sans for every accent.
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
		echo "Installing Debian chromium, poppler-utils and fonts-dejavu-core"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null; \
	fi

# PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth): start it when installed but stopped.
postgres:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		echo "Starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start; \
		for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi

test-sqlite: install chromium
	WERKPAS_TEST_DATABASE=sqlite $(PY) -m pytest -q -p no:cacheprovider

test-postgres: install postgres
	WERKPAS_TEST_DATABASE=postgres $(PY) -m pytest -q -p no:cacheprovider -m "not browser"

# Style (ruff), layers and areas (import-linter contracts in pyproject.toml), types (mypy over app/).
lint: install
	$(VENV)/bin/ruff check app tests bench
	$(VENV)/bin/ruff format --check app tests bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy app

test: lint test-sqlite test-postgres

bench: install
	@if ! command -v wrk >/dev/null; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi
	$(PY) -m bench.run

# Extract messages from code and templates into app/locale/*/LC_MESSAGES/messages.po.
i18n: install
	$(PY) -m app.i18n_catalog

clean:
	rm -rf $(VENV) var .pytest_cache
