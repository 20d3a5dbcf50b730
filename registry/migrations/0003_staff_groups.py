"""The two staff roles as groups with their model permissions (the admin (README)).

- "Department staff": every district (registry.access_all_districts), full rights on
  clusters, inspections, markets, market projects and targets, view and change districts.
- "District staff": full rights on the records of their assigned districts (the scoping
  function narrows them), view districts.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORDS = [
    ("clusters", "industrialcluster"),
    ("clusters", "wastewaterinspection"),
    ("markets", "market"),
    ("markets", "marketproject"),
]
CRUD = ["view", "add", "change", "delete"]

DEPARTMENT = "Department staff"
DISTRICT = "District staff"


def codenames(app_models, actions):
    return [(app, f"{action}_{model}") for app, model in app_models for action in actions]


ROLES = {
    DEPARTMENT: [
        *codenames(RECORDS, CRUD),
        *codenames([("registry", "target")], CRUD),
        *codenames([("registry", "district")], ["view", "change"]),
        ("registry", "access_all_districts"),
    ],
    DISTRICT: [
        *codenames(RECORDS, CRUD),
        *codenames([("registry", "district")], ["view"]),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    assign_groups(apps)


def assign_groups(apps):
    """Create the groups and give them their permissions (the permissions must exist)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0002_hanoi_districts_and_2021_target"),
    ]
    # The groups are given the clusters' and markets' model permissions, so those apps'
    # first migrations must have run: they say so themselves (``run_before`` in
    # clusters/0001 and markets/0001), keeping the bottom layer free of references to the
    # apps built on it. The order of operations on a database is unchanged.

    operations = [migrations.RunPython(create_groups, remove_groups)]
