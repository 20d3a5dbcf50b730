"""Reference data: Hanoi's 30 district-level units (valid until 30 June 2025, linked to the
District rows), its 126 commune-level units (valid from 1 July 2025; codes of Decision
19/2025/QĐ-TTg) and the district → commune succession of Resolution 1656/NQ-UBTVQH15, from
registry/data/hanoi_units.json."""

from django.db import migrations


def load(apps, schema_editor):
    from registry.units import load_units

    load_units(apps)


def unload(apps, schema_editor):
    apps.get_model("registry", "UnitSuccession").objects.all().delete()
    apps.get_model("registry", "AdministrativeUnit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_administrative_units")]

    operations = [migrations.RunPython(load, unload)]
