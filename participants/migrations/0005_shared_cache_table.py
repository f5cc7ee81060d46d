"""The database table the shared cache uses when no REDIS_URL is set (sign-in rate limits live in it).

Created whatever CACHES says, so switching from Redis to the database cache needs no extra command.
"""

from django.db import migrations

CACHE_TABLE = "portal_cache"


def create_cache_table(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    connection = schema_editor.connection
    if CACHE_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_role_groups")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
