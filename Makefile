# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PORT ?= 8000

.PHONY: run test install migrate demo lint browser clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.12 for example).")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Local runs: DEBUG on, SQLite/file broker/mail folder under var/ unless DATABASE_URL/REDIS_URL/EMAIL_URL are set.
run: export DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "Workshop Portal: http://127.0.0.1:$(PORT)/   (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "Mail is written to var/mail/ unless EMAIL_URL is set. Ctrl-C stops the web server, worker and scheduler."
	@echo ""
	$(BIN)/honcho -f Procfile.dev start

# Tests use their own throw-away database (SQLite, or test_<name> on the server in DATABASE_URL).
# A fresh, strong key per run: with DEBUG off the settings refuse placeholders and short keys.
test: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
test: export DEBUG = 0
test: export CONN_MAX_AGE = 0
test: install browser
	$(BIN)/python -m pytest

# Chromium for the browser test comes from Debian's packages; without it that test is skipped with the reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium; the browser test will be skipped."; \
	  else echo "chromium is not installed; the browser test will be skipped (apt-get install chromium)."; fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var .pytest_cache
