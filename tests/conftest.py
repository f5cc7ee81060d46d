import gc
import os
import shutil
from importlib import import_module
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from .factories import ParticipantFactory, UserFactory, build_programme
from .shared_demo import (
    SharedDemo,
    add_rows_no_post_migrate_handler_makes,
    check_no_file_mixes_committing_and_rolled_back_tests,
    committed_for_the_module,
    flush_setting_ids_back,
    load_demo_into,
    run_shared_demo_tests_last,
    shares_demo,
)


def pytest_make_parametrize_id(config, val, argname):
    # Bytes made at import time (zip and PDF files) carry the moment they were built: as ids they would differ
    # between two collections, and pytest-xdist's workers must collect the very same ids. Name them by argument.
    if isinstance(val, bytes | bytearray):
        return argname
    return None


def settings_for_tests(folder):
    from django.conf import settings

    return {
        # Templates use {% static %}; tests run without collectstatic, so skip the manifest.
        "STORAGES": {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": folder / "private"},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "PRIVATE_MEDIA_ROOT": folder / "private",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SITE_URL": "http://testserver",
    }


def _cache_of_this_worker():
    """Under CI the pytest-xdist workers share one Redis, and each has its own database: the pages, people's rows,
    questionnaire structures and generations one worker keeps must not be read by another, whose user 3 is someone
    else. Set once for the whole run (module fixtures, flushes and tests alike), as a changed setting."""
    from django.conf import settings
    from django.test.signals import setting_changed

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES = {alias: {**cache, "KEY_PREFIX": f"test-{worker}"} for alias, cache in settings.CACHES.items()}
    setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)


_cache_of_this_worker()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    for name, value in settings_for_tests(tmp_path).items():
        setattr(settings, name, value)


@pytest.fixture
def private_cache(settings):
    """A cache of this test's own: counters and throttles start empty, and clearing the configured cache (a
    shared Redis under CI) would empty it under the tests other pytest-xdist workers run at the same time."""
    import uuid

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request in French leaves French active in the thread (LocaleMiddleware activates, nothing deactivates):
    the next test on this xdist worker would start in French. Each test starts and ends in the site's language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_eager():
    # Tasks run inline in tests, so nothing is ever published to a broker by accident;
    # the integration test switches this off to go through the real Redis.
    from workshop_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each xdist worker's test database is made from the models, not by running every migration.

    Running the migrations rebuilds Django's model state after each operation: on PostgreSQL that took 20 s of
    each worker's start (13 s of CPU), and grows with every migration. tests/test_migrations.py runs them all
    once per suite instead, into a database of its own, and checks they give this very schema and data.
    """
    from django.conf import settings
    from django.db.models.signals import pre_migrate

    for database in settings.DATABASES.values():
        database.setdefault("TEST", {})["MIGRATE"] = False
    # Before the tables are made and post_migrate's handlers run: some of them touch the cache, which is the
    # database's when no REDIS_URL is set (a migration makes its table on a real database).
    pre_migrate.connect(_cache_table_before_migrate, dispatch_uid="tests_cache_table")


def _cache_table_before_migrate(sender, using="default", **kwargs):
    from django.db import connections

    migration = import_module("participants.migrations.0005_shared_cache_table")
    if migration.CACHE_TABLE in connections[using].introspection.table_names():
        return
    with connections[using].schema_editor() as editor:
        migration.create_cache_table(None, editor)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # As if the migrations had run (test_migrations.py checks the schemas are the same): tests that migrate back
    # and forth (test_evaluation_anonymity_migration.py) start from the latest state, as on a migrated database.
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            record_every_migration_applied(connections[alias])
            add_rows_no_post_migrate_handler_makes(alias)
    yield


def record_every_migration_applied(connection):
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    applied = set(recorder.applied_migrations())
    nodes = sorted(set(MigrationLoader(connection, ignore_no_migrations=True).graph.nodes) - applied)
    recorder.migration_qs.bulk_create(recorder.Migration(app=app, name=name) for app, name in nodes)


SHARED_DEMO = SharedDemo()
flush_setting_ids_back()

# Python's cyclic garbage collector ran a full pass over every object Django, the apps and pytest had built, again
# and again, as each test made its thousands of model instances: 12-14 % of the suite's processor time. Rarer
# young-generation passes, and the objects alive once collection is done set aside from all later passes.
gc.set_threshold(50_000, 50, 1_000)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    check_no_file_mixes_committing_and_rolled_back_tests(items)
    run_shared_demo_tests_last(items)  # after pytest-django's own ordering


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    SHARED_DEMO.next_test_shares = shares_demo(item)
    if not SHARED_DEMO.next_test_shares:
        SHARED_DEMO.close()


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    # Module scope: set up before the test's own transaction (`db`), which then nests in this one as a savepoint.
    if SHARED_DEMO.next_test_shares:
        from workshop_portal.celery import app

        eager, app.conf.task_always_eager = app.conf.task_always_eager, True  # as `_celery_eager` does for tests
        try:
            folder = tmp_path_factory.mktemp("demo")
            SHARED_DEMO.open(django_db_blocker, folder, DEBUG=True, **settings_for_tests(folder))
        finally:
            app.conf.task_always_eager = eager
    yield
    SHARED_DEMO.close()


@pytest.fixture
def demo(_demo_of_the_module, db, settings):
    """The Caribbean 2021 demo programme, as `manage.py load_demo` loads it: once per module (tests/shared_demo.py)."""
    if not SHARED_DEMO.is_open:  # a test that commits, or tests of a module run out of the usual order
        settings.DEBUG = True
        load_demo_into(settings.PRIVATE_MEDIA_ROOT.parent)
        settings.DEBUG = False
    from sessions_app.models import Workshop

    return Workshop.objects.get(slug="caribbean-2021")


@pytest.fixture(scope="module")
def committed_demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, committed once for a module of live-server tests that only look at it (browser checks of pages).

    Each committing test used to load the demo (~3,950 queries) and empty every table after itself; these
    modules' tests share one load and the tables are emptied once, after the module's last test (see
    shared_demo.committed_for_the_module). A module may pass `load_demo` options: `def demo_options(): [...]`.
    """
    options = getattr(request.module, "demo_options", list)()
    with committed_for_the_module(django_db_blocker):
        from workshop_portal.celery import app

        eager, app.conf.task_always_eager = app.conf.task_always_eager, True  # as `_celery_eager` does for tests
        try:
            folder = tmp_path_factory.mktemp("committed-demo")
            with django_db_blocker.unblock(), override_settings(DEBUG=True, **settings_for_tests(folder)):
                if options:
                    call_command("load_demo", *options, stdout=StringIO())
                else:
                    load_demo_into(folder)
        finally:
            app.conf.task_always_eager = eager
        yield


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


@pytest.fixture(scope="module")
def _chromium():
    """One Chromium per test module (launching it took a second or more each time); each test gets it clean."""
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
            connections.close_all()


@pytest.fixture
def browser(_chromium):
    """Debian's Chromium driven by Playwright; skipped, saying why, where it cannot be installed."""
    from django.db import connections

    yield _chromium
    # What the test opened goes with it, as if the browser had been closed: its pages, cookies and storage.
    for context in _chromium.contexts:
        context.close()
    # Connections opened while Playwright's loop runs belong to its context: close them here, or they
    # outlive the test and keep the test database from being dropped.
    connections.close_all()


@pytest.fixture
def browser_page(browser):
    return browser.new_page(viewport={"width": 390, "height": 844})  # a phone
