"""The demo is loaded once for a module's tests (tests/shared_demo.py): each test still starts from the same demo.

The first test changes the demo and the second, run after it in file order, finds the change undone. The last one is
written after them: conftest.py runs it first, and in whatever order it ran, it must not see the demo. A worker's
loads after its first are copies of it: the copy must be the load, row for row and file for file.
"""

from sessions_app.models import Workshop

from . import shared_demo
from .factories import build_programme


def test_a_test_may_change_the_shared_demo(demo):
    Workshop.objects.filter(pk=demo.pk).update(title="Changed by a test")
    build_programme(sessions=1)
    assert Workshop.objects.count() == 2


def test_the_next_test_finds_the_demo_as_loaded(demo):
    assert Workshop.objects.get().title == demo.title != "Changed by a test"


def test_the_copy_of_the_demo_is_the_demo_that_load_demo_makes(demo):
    # Whether this module's demo was loaded or copied, it was loaded once in this worker: putting that load's copy
    # back over it must change no row, and a new row must not take the id of a copied one.
    tables = shared_demo._tables()
    loaded = shared_demo._contents(tables)
    (copy,) = [c for c in shared_demo._demo_copies.values() if all(loaded[t] == rows for t, rows in c.changed.items())]
    assert len(copy.changed) > 20  # people, programme, answers, plans …

    copy.put_back(tables)

    assert shared_demo._contents(tables) == loaded
    assert build_programme(sessions=1).pk > demo.pk


def test_other_database_tests_of_the_module_never_see_the_demo(db):
    assert not Workshop.objects.exists()
