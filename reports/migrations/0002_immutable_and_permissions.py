"""Published reports never change, in the database too: an UPDATE of a row is refused by a
trigger (PostgreSQL and SQLite). Deleting is refused by the model and the admin and the API
offer no way to it; the database leaves DELETE alone so that the test suite's flush works.

The "Department staff" group gets the view and publish permissions of the reports (as
registry/0003 gave it the other records'); local staff get none: publishing is the
department's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Department staff"
CODENAMES = ["view_publishedreport", "publish_report"]

POSTGRESQL_UP = """
CREATE OR REPLACE FUNCTION reports_publishedreport_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a published report never changes (report %)', OLD.id;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_publishedreport_no_update BEFORE UPDATE ON reports_publishedreport
    FOR EACH ROW EXECUTE FUNCTION reports_publishedreport_immutable();
"""
POSTGRESQL_DOWN = """
DROP TRIGGER IF EXISTS reports_publishedreport_no_update ON reports_publishedreport;
DROP FUNCTION IF EXISTS reports_publishedreport_immutable();
"""
SQLITE_UP = """
CREATE TRIGGER reports_publishedreport_no_update BEFORE UPDATE ON reports_publishedreport
BEGIN
    SELECT RAISE(ABORT, 'a published report never changes');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS reports_publishedreport_no_update;"


def _run(schema_editor, postgresql: str, sqlite: str):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(sqlite, params=None)


def triggers_up(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_UP, SQLITE_UP)


def triggers_down(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_DOWN, SQLITE_DOWN)


def grant(apps, schema_editor=None):
    """Also called by the test suite after a flush (tests/conftest.py)."""
    app_config = apps.get_app_config("reports")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="reports", codename__in=CODENAMES)
    )
    for group in Group.objects.filter(name=GROUP):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="reports", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_published_report"),
        ("registry", "0003_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(triggers_up, triggers_down),
        migrations.RunPython(grant, revoke),
    ]
