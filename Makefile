# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PORT ?= 8000

.PHONY: run test install migrate demo lint browser fonts messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.12 for example).")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

# Translations: the committed .po files compiled into .mo files (pure Python, see common/build_messages.py).
messages: $(STAMP)
	@$(BIN)/python -m common.build_messages

# Local runs: DEBUG on, SQLite/file broker/mail folder under var/ unless DATABASE_URL/REDIS_URL/EMAIL_URL are set.
run: export DEBUG ?= 1
run: install fonts
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "Workshop Portal: http://127.0.0.1:$(PORT)/   (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "Mail is written to var/mail/ unless EMAIL_URL is set. Ctrl-C stops the web server, worker and scheduler."
	@echo ""
	$(BIN)/honcho -f Procfile.dev start

# Tests use their own throw-away database (SQLite, or test_<name>_gw<N> on the server in DATABASE_URL), one per
# pytest-xdist worker; each worker takes whole test files. TEST_WORKERS=0 runs them in this one process.
TEST_WORKERS ?= auto
# A fresh, strong key per run: with DEBUG off the settings refuse placeholders and short keys.
test: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
test: export DEBUG = 0
test: export CONN_MAX_AGE = 0
test: install browser fonts
	@status=0; $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile || status=$$?; \
	  if [ $$status = 5 ]; then echo "pytest ran no tests (exit code 5): none were collected, or all were deselected." >&2; fi; \
	  exit $$status

# Chromium for the browser test comes from Debian's packages; without it that test is skipped with the reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium; the browser test will be skipped."; \
	  else echo "chromium is not installed; the browser test will be skipped (apt-get install chromium)."; fi; }

# The Chinese/Japanese/Korean font for PDFs (certificates, reports) comes from Debian's packages: no pip wheel
# carries a TrueType-outline CJK font. Latin, Greek, Cyrillic and Arabic fonts come from pip (pyproject.toml).
fonts:
	@test -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf || test -n "$$PDF_CJK_FONT" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-droid-fallback >/dev/null) \
	      || echo "Could not install fonts-droid-fallback; Chinese, Japanese and Korean names will not print in PDFs."; \
	  else echo "Install fonts-droid-fallback (apt-get install fonts-droid-fallback) for Chinese, Japanese and Korean names in PDFs."; fi; }

# Type checking (mypy + django-stubs, settings in pyproject.toml) covers the shared app and every services module.
MYPY_PATHS = common $(wildcard */services.py) $(wildcard */services/*.py)
lint: export DEBUG ?= 1
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(MYPY_PATHS)

clean:
	rm -rf $(VENV) var .pytest_cache
