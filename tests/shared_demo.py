"""The demo programme, loaded once for the tests of a module that read it, inside a transaction rolled back after.

`manage.py load_demo` runs about 3,950 queries. Loading it afresh for each of the ~60 tests that ask for `demo`
took two thirds of the suite's time. Now the first test of a module that asks for it opens an outer transaction
and loads the demo there; every test runs as before in its own transaction (pytest-django's `db`, a Django
TestCase), which inside the outer one is a savepoint: whatever a test changes is undone before the next test.
The outer transaction is rolled back as soon as the next test does not share the demo, and at the module's end.
conftest.py runs each module's tests that share the demo last among its database tests, so that no other test of
the module ever sees it.

A test that needs committed data (`transactional_db`, `live_server`, `django_db(transaction=True)`: a live server
thread, other threads or processes with connections of their own) cannot see an uncommitted transaction: for it the
`demo` fixture loads and commits the demo again, as it did for every test before. A module of live-server tests
that only look at pages (browser checks of layout, accessibility) asks for `committed_demo` instead: one committed
load for the module, and the tables emptied once, after its last test (`committed_for_the_module`).

A worker loads the demo once per starting state and copies it afterwards (`load_demo_into`): the rows that load
made are put back in a few dozen statements instead of ~3,950 queries whenever the database holds, table by table,
what it held before that load, save moments aside (a test that left other rows behind gets a load of its own, kept
too; the flush after each committing test sets the ids back, so that the reference data comes back the same). The
demo writes no file (uploads and certificates are made when people act); a copy refuses to start if it ever does.
"""

import hashlib
from contextlib import contextmanager
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings
from pytest_django.plugin import validate_django_db

SAVEPOINT = "savepoint"
TRANSACTION = "transaction"


def db_kind(item):
    """How pytest-django runs the test: in a `SAVEPOINT`-able transaction, committing (`TRANSACTION`), or None."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    if transactional or reset_sequences or "transactional_db" in names or "live_server" in names:
        return TRANSACTION
    if marker or "db" in names:
        return SAVEPOINT
    return None


def shares_demo(item) -> bool:
    return "demo" in getattr(item, "fixturenames", ()) and db_kind(item) == SAVEPOINT


def check_no_file_mixes_committing_and_rolled_back_tests(items):
    """A test that commits ends with a flush that empties every table, the migrations' reference data too.

    pytest-django runs such tests after all the others, but pytest-xdist hands a worker whole files: a committing
    test in a file of rolled-back tests would empty the database under the files that worker runs next.
    """
    kinds = {}
    for item in items:
        kinds.setdefault(item.nodeid.split("::")[0], set()).add(db_kind(item))
    mixed = sorted(path for path, found in kinds.items() if {SAVEPOINT, TRANSACTION} <= found)
    if mixed:
        raise pytest.UsageError(
            f"{', '.join(mixed)}: put the tests that commit (transactional_db, live_server, "
            "django_db(transaction=True)) in a file of their own; see tests/shared_demo.py."
        )


def run_shared_demo_tests_last(items):
    """In each module's run of tests, those sharing the demo go after the module's other database tests.

    pytest-django has already put tests that roll back before those that commit, and those before tests without a
    database; this keeps that order and each module's tests together.
    """
    start = 0
    while start < len(items):
        module = items[start].nodeid.split("::")[0]
        end = start
        while end < len(items) and items[end].nodeid.split("::")[0] == module:
            end += 1
        run = items[start:end]
        run.sort(key=lambda item: 1 if shares_demo(item) else 0 if db_kind(item) == SAVEPOINT else 2)
        items[start:end] = run
        start = end


class SharedDemo:
    """The outer transaction holding the module's demo, if one is open."""

    def __init__(self):
        self._atomic = None
        self._blocker = None
        self.next_test_shares = False

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self, blocker, folder, **settings):
        self.close()
        self._blocker = blocker
        with blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                with override_settings(**settings):
                    load_demo_into(folder)
            except BaseException:
                self.close()
                raise

    def close(self):
        if self._atomic is None:
            return
        atomic, self._atomic = self._atomic, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def flush_setting_ids_back():
    """After each committing test, empty the tables with their id sequences set back, as `manage.py flush` does.

    Django's own teardown keeps the sequences, so the migrations' reference data it loads again (content types,
    permissions, role groups, the DTCA and evaluation templates) came back under new ids after every committing
    test: the next test's database never held what an earlier one's did, and its `load_demo` could not be a copy
    (~3 s each instead of ~0.2 s). With the sequences set back, the reference data gets the same ids each time.
    """
    from django.test import TransactionTestCase

    def _fixture_teardown(test_case):
        for alias in test_case._databases_names(include_mirrors=False):
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=alias,
                reset_sequences=True,
                allow_cascade=test_case.available_apps is not None,
                inhibit_post_migrate=test_case.available_apps is not None,
            )
            add_rows_no_post_migrate_handler_makes(alias)

    TransactionTestCase._fixture_teardown = _fixture_teardown


def add_rows_no_post_migrate_handler_makes(alias="default"):
    """The one row a data migration adds that no post_migrate handler makes again (nominations.0002)."""
    from django.contrib.auth.models import Group

    from nominations.services import NOMINATOR_GROUP

    Group.objects.using(alias).get_or_create(name=NOMINATOR_GROUP)


@contextmanager
def committed_for_the_module(blocker):
    """While open, committing tests leave the database as they found it instead of emptying every table after
    themselves; at the end the tables are emptied once (and the migrations' reference data loaded again), as the
    last test's own teardown would have done. Only for a module whose tests all commit and only read what was
    committed before them: a test's writes are seen by the module's next tests.
    """
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = lambda test_case: None
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = flush
        with blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            add_rows_no_post_migrate_handler_makes()


def _tables():
    """Each model's table with its model, auto-created many-to-many tables included."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            found[model._meta.db_table] = model
    return found


def _contents(tables, *, comparable=False) -> dict:
    """Every row of each table, ordered, in a form that compares and puts back exactly (COPY's text on PostgreSQL).

    Columns are named, in the models' order: a migration test that drops a column and adds it back changes the
    table's own order.

    ``comparable`` blanks the moments rows were saved at (``auto_now``/``auto_now_add``): after each flush the
    migrations' reference data (the DTCA instrument, the evaluation templates) is made again, at a new moment.
    """
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table, model in tables.items():
            columns = _columns(model, blank_save_moments=comparable)
            select = f"SELECT {columns} FROM {quote(table)} ORDER BY {quote(model._meta.pk.column)}"
            if connection.vendor == "postgresql":
                buffer = BytesIO()
                cursor.cursor.copy_expert(f"COPY ({select}) TO STDOUT", buffer)
                found[table] = buffer.getvalue()
            else:
                cursor.execute(select)
                found[table] = cursor.fetchall()
    return found


def _columns(model, *, blank_save_moments=False) -> str:
    return ", ".join(
        "NULL"
        if blank_save_moments and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        else connection.ops.quote_name(field.column)
        for field in model._meta.local_concrete_fields
    )


class _DemoCopy:
    """What the worker's first `load_demo` changed: the tables' new contents."""

    def __init__(self, comparable_before, before, after):
        self.before = comparable_before
        self.changed = {table: rows for table, rows in after.items() if rows != before.get(table)}

    def put_back(self, tables):
        quote = connection.ops.quote_name
        # One transaction (a savepoint inside a test's): rows are deleted and put back before any key is checked.
        with transaction.atomic(), connection.cursor() as cursor:
            # Through Django's cursor, so that the page cache's write watcher sees each table change.
            for table in self.changed:
                cursor.execute(f"DELETE FROM {quote(table)}")
            for table, rows in self.changed.items():
                columns = _columns(tables[table])
                if connection.vendor == "postgresql":
                    cursor.cursor.copy_expert(f"COPY {quote(table)} ({columns}) FROM STDIN", BytesIO(rows))
                elif rows:
                    marks = ", ".join(["%s"] * len(rows[0]))
                    cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", rows)
            # A flush between two loads set the sequences back: new rows must not take the copied rows' ids.
            for sql in connection.ops.sequence_reset_sql(no_style(), [tables[table] for table in self.changed]):
                cursor.execute(sql)


# Keyed by what the database held before the load (its comparable form): usually the migrations' reference data
# alone, as after a flush; a module whose database holds more gets a load and a copy of its own.
_demo_copies: dict[str, _DemoCopy] = {}


def load_demo_into(folder):
    """`manage.py load_demo`, or a copy of an earlier load of this worker's that started from the same database.

    ``folder`` holds the test's files (settings_for_tests): a load that wrote files there would stop the copies.
    """
    tables = _tables()
    comparable = _contents(tables, comparable=True)
    key = hashlib.sha256(repr(sorted(comparable.items())).encode()).hexdigest()
    copy = _demo_copies.get(key)
    if copy is not None and copy.before == comparable:
        copy.put_back(tables)
        return
    before = _contents(tables)
    files_before = _files(folder)
    call_command("load_demo", stdout=StringIO())
    written = _files(folder) - files_before
    if written:
        raise RuntimeError(
            f"load_demo now writes files ({sorted(written)[:3]}): teach tests/shared_demo.py to copy them"
        )
    _demo_copies[key] = _DemoCopy(comparable, before, _contents(tables))


def _files(folder) -> set[Path]:
    return {path for path in Path(folder).rglob("*") if path.is_file()}
