"""After a committing test the tables are emptied with their ids set back (tests/shared_demo.py), so the next
committing test's demo is a copy of the worker's first load, not a load of its own (~3,700 queries)."""

import pytest

from participants.models import User
from sessions_app.models import Workshop

from . import shared_demo

pytestmark = pytest.mark.django_db(transaction=True)


def _load(settings, tmp_path):
    settings.DEBUG = True  # load_demo refuses to run with DEBUG off
    shared_demo.load_demo_into(tmp_path)
    settings.DEBUG = False


def test_a_committing_test_loads_the_demo(settings, tmp_path):
    _load(settings, tmp_path)
    assert Workshop.objects.filter(slug="caribbean-2021").exists()


def test_the_next_committing_test_gets_the_same_demo_as_a_copy(settings, tmp_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(400):  # a copy: a statement or two per table
        _load(settings, tmp_path)
    assert Workshop.objects.filter(slug="caribbean-2021").exists()
    assert User.objects.filter(email="participant@demo.test").exists()
