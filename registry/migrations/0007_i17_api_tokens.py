"""API tokens with hashed keys (registry.tokens), replacing rest_framework.authtoken.

Existing ``authtoken`` tokens keep working: each key is hashed into an ``ApiToken`` of the
same account, then the table holding the keys in clear is dropped (and the retired app's
bookkeeping removed). The *Department staff* group gets the API token permissions (a
department officer creates, revokes and rotates other departments' tokens).
"""

import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "authtoken_token"


def hash_existing_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("registry", "ApiToken")
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn('key')}, {qn('user_id')}, {qn('created')} FROM {qn(OLD_TABLE)}")  # noqa: S608
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        ApiToken.objects.create(
            user_id=user_id,
            name="authtoken",
            prefix=key[:6],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            created_at=created,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {qn(OLD_TABLE)}")
        cursor.execute(
            f"DELETE FROM {qn('django_migrations')} WHERE {qn('app')} = %s",  # noqa: S608
            ["authtoken"],
        )
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="authtoken").delete()


def grant_department_staff(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("registry")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Department staff").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="registry",
                codename__in=[f"{a}_apitoken" for a in ("view", "add", "change", "delete")],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_throttle_window_unlogged"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="name")),
                (
                    "prefix",
                    models.CharField(editable=False, max_length=6, verbose_name="key begins with"),
                ),
                ("digest", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created at"
                    ),
                ),
                (
                    "revoked_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="revoked at"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="account",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.RunPython(grant_department_staff, migrations.RunPython.noop),
    ]
