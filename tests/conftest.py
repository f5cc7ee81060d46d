from io import StringIO

import pytest
from django.core.management import call_command

from .factories import ParticipantFactory, UserFactory, build_programme


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
