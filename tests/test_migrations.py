"""Every migration applies to an empty database and gives the schema and reference data the models give.

The suite's own databases (one per xdist worker) are made from the models directly (tests/conftest.py), which
takes a second where running the migrations took 20 s per worker on PostgreSQL. So the migrations run here, once
per suite, into a database of their own on the same server, and this test compares the two, table by table:
columns (type, size, null, default), constraints and indexes (columns, kind, target), and the rows each table
holds after `migrate` (the data migrations' reference data against the post_migrate handlers').
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent


def schema_and_rows(wrapper) -> dict:
    introspection = wrapper.introspection
    found = {}
    with wrapper.cursor() as cursor:
        for table in sorted(info.name for info in introspection.get_table_list(cursor) if info.type == "t"):
            columns = sorted(
                repr((c.name, c.type_code, c.internal_size, c.precision, c.scale, c.null_ok, c.default))
                for c in introspection.get_table_description(cursor, table)
            )
            # Names left out: an index renamed by a later migration works the same under its old name.
            constraints = sorted(
                repr((c["columns"], c["primary_key"], c["unique"], c["foreign_key"], c["check"], c["index"],
                      c.get("type"), c.get("orders")))
                for c in introspection.get_constraints(cursor, table).values()
            )  # fmt: skip
            cursor.execute(f"SELECT COUNT(*) FROM {wrapper.ops.quote_name(table)}")
            found[table] = {"columns": columns, "constraints": constraints, "rows": cursor.fetchone()[0]}
    return found


# Django's own auth migration made the groups' permission table with the project's DEFAULT_AUTO_FIELD (bigint),
# its models say AutoField (integer): the same on every migrated database, and nothing a test can tell apart.
KNOWN = {"auth_group_permissions": {"('id', 20, 8, None, None, False, None)", "('id', 23, 4, None, None, False, None)"}}


# Tables whose rows are not reference data: the database cache holds whatever earlier tests in this worker left
# there (a browser test's committed sign-in stays, since a flush empties only the models' tables). Their schema
# is still compared.
ROWS_NOT_DATA = {"portal_cache"}


def differences(expected: dict, got: dict) -> list[str]:
    lines = [f"table {name} only in the migrated database" for name in sorted(set(got) - set(expected))]
    lines += [f"table {name} missing from the migrated database" for name in sorted(set(expected) - set(got))]
    for name in sorted(set(expected) & set(got)):
        for part in ("columns", "constraints"):
            for item in sorted((set(expected[name][part]) ^ set(got[name][part])) - KNOWN.get(name, set())):
                where = "models" if item in expected[name][part] else "migrations"
                lines.append(f"{name} {part}: only from the {where}: {item}")
        if name not in ROWS_NOT_DATA and expected[name]["rows"] != got[name]["rows"]:
            lines.append(f"{name}: {got[name]['rows']} rows after the migrations, {expected[name]['rows']} otherwise")
    return lines


@pytest.fixture
def migrated_database(tmp_path):
    """A database of its own on the suite's server (next to this worker's), made by `manage.py migrate`."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "migrated.sqlite3")
        url = f"sqlite:///{settings_dict['NAME']}"
    else:
        assert connection.vendor == "postgresql", connection.vendor
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_migrated"
        name = connection.ops.quote_name(settings_dict["NAME"])
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            cursor.execute(f"CREATE DATABASE {name}")
        user, password = settings_dict["USER"], settings_dict["PASSWORD"]
        credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
        url = f"postgres://{credentials}{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}/"
        url += settings_dict["NAME"]
    wrapper = type(connections[connection.alias])(settings_dict, alias="migrated")
    connections["migrated"] = wrapper  # Django's introspection opens transactions by alias
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "VAR_DIR": str(tmp_path / "var")},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        yield wrapper
    finally:
        wrapper.close()
        del connections["migrated"]
        if connection.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.mark.django_db
def test_the_migrations_give_the_schema_and_reference_data_of_the_models(migrated_database):
    from nominations.services import nominator_group

    # A data migration made the nominator group, and no post_migrate handler does: a committing test's flush
    # removes it from this worker's database, and the portal makes it again when first needed, as here.
    nominator_group()
    from_models = schema_and_rows(connection)
    from_migrations = schema_and_rows(migrated_database)
    assert len(from_models) > 50 and from_models["action_plans_sdg"]["rows"] == 17  # the comparison sees something
    found = differences(from_models, from_migrations)
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_models_need_no_migration_that_is_not_written():
    # Label migrations use the portal's own operations (common/migration_operations.py), which keep the recorded
    # state without Django's re-rendering: this fails if a label they carry ever drifts from the models.
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"the models have changes no migration records:\n{out.getvalue()}")
