"""The throttle's counts as an UNLOGGED table on PostgreSQL.

Every API request updates its client's row; written to the WAL, each of those commits waits
for a disk flush (about 0.15 ms a request here) and ships to every replica. The counts are
worth nothing after a crash (PostgreSQL empties an unlogged table then, which only lets
clients start their window afresh) and nothing on a replica, so they skip the WAL.
Other databases keep an ordinary table.
"""

from django.db import migrations

TABLE = "registry_throttlewindow"


def set_unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} SET UNLOGGED")


def set_logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_throttle_window")]

    operations = [migrations.RunPython(set_unlogged, set_logged)]
