"""The demo is loaded once for a module's tests (tests/shared_demo.py): each test still starts from the same demo.

The first test changes the demo and the second, run after it in file order, finds the change undone. The last one is
written after them: conftest.py runs it first, and in whatever order it ran, it must not see the demo.
"""

from sessions_app.models import Workshop

from .factories import build_programme


def test_a_test_may_change_the_shared_demo(demo):
    Workshop.objects.filter(pk=demo.pk).update(title="Changed by a test")
    build_programme(sessions=1)
    assert Workshop.objects.count() == 2


def test_the_next_test_finds_the_demo_as_loaded(demo):
    assert Workshop.objects.get().title == demo.title != "Changed by a test"


def test_other_database_tests_of_the_module_never_see_the_demo(db):
    assert not Workshop.objects.exists()
