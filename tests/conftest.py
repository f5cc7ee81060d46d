import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from .factories import ParticipantFactory, UserFactory, build_programme


def pytest_make_parametrize_id(config, val, argname):
    # Bytes made at import time (zip and PDF files) carry the moment they were built: as ids they would differ
    # between two collections, and pytest-xdist's workers must collect the very same ids. Name them by argument.
    if isinstance(val, bytes | bytearray):
        return argname
    return None


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Templates use {% static %}; tests run without collectstatic, so skip the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _celery_eager():
    # Tasks run inline in tests, so nothing is ever published to a broker by accident;
    # the integration test switches this off to go through the real Redis.
    from workshop_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def demo(db, settings):
    """The Caribbean 2021 demo programme, as `manage.py load_demo` loads it."""
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    from sessions_app.models import Workshop

    return Workshop.objects.get(slug="caribbean-2021")


@pytest.fixture
def programme(db):
    return build_programme(sessions=5)


@pytest.fixture
def participant(programme):
    return ParticipantFactory(cohort=programme.cohorts.get(name="Group A"))


@pytest.fixture
def participant_client(client, participant):
    client.force_login(participant.user)
    return client


@pytest.fixture
def organizer(db):
    return UserFactory(is_staff=True, is_superuser=True, email="boss@example.org")


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright; skipped, saying why, where it cannot be installed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium); `make test` installs it where it can.")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls happen outside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            # Connections opened while Playwright's loop runs belong to its context: close them here, or they
            # outlive the test and keep the test database from being dropped.
            connections.close_all()


@pytest.fixture
def browser_page(browser):
    return browser.new_page(viewport={"width": 390, "height": 844})  # a phone
