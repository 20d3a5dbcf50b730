"""Names the admin shows that no catalogue translates, shown in the user's language.

- the staff groups, stored under their English names (registry migration 0003) and looked
  up by them in code: shown translated, stored as they are;
- permissions, whose names Django writes into the database in English at migrate time
  ("Can add industrial cluster"): the four model permissions are shown as "Can add
  %(model)s" with the model's translated name, the others through their translated name;
- django-axes' app, which has no verbose name (the admin index said "AXES");
- the admin's yes / no / unknown icons, whose alternative text is Python's True / False /
  None;
- django-axes' records (``Access Log for … @ …``), and the many-to-many rows of the auth
  models listed before a group or user is deleted (``Group_permissions object (1)``);
- the warning of the admin's password form, which Django glues to a translated string at
  import time, in English.

Installed by ``RegistryConfig.ready``. The strings are in locale/vi/ like the project's own.
"""

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy, gettext_noop

#: The staff groups created by registry migration 0003 (code looks them up by these names).
GROUP_NAMES = [gettext_noop("Department staff"), gettext_noop("District staff")]

PERMISSION_ACTIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}

BOOLEAN_ALT = {
    True: gettext_lazy("Yes"),
    False: gettext_lazy("No"),
    None: gettext_lazy("Unknown"),
}


def group_str(group) -> str:
    return gettext(group.name)


def permission_name(permission) -> str:
    """The permission's name in the active language."""
    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in PERMISSION_ACTIONS and model is not None and model_name == model._meta.model_name:
        return PERMISSION_ACTIONS[action] % {"model": model._meta.verbose_name}
    return gettext(permission.name)


def permission_str(permission) -> str:
    return f"{permission.content_type} | {permission_name(permission)}"


def boolean_icon(field_val):
    from django.templatetags.static import static

    icon = {True: "yes", False: "no", None: "unknown"}[field_val]
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), BOOLEAN_ALT[field_val]
    )


def axes_str(record) -> str:
    return gettext("Sign-in by %(user)s at %(time)s") % {
        "user": record.username or "—",
        "time": date_format(localtime(record.attempt_time), "SHORT_DATETIME_FORMAT")
        if record.attempt_time
        else "—",
    }


def relation_str(row) -> str:
    """A row of an auth many-to-many table: its two sides."""
    first, second = (field for field in row._meta.fields if field.is_relation)
    return f"{getattr(row, first.name)} — {getattr(row, second.name)}"


AUTH_RELATIONS = [
    (
        "Group",
        "permissions",
        gettext_lazy("permission of a group"),
        gettext_lazy("group permissions"),
    ),
    ("User", "groups", gettext_lazy("group of a user"), gettext_lazy("user groups")),
    (
        "User",
        "user_permissions",
        gettext_lazy("permission of a user"),
        gettext_lazy("user permissions"),
    ),
]


def install() -> None:
    from django.apps import apps
    from django.contrib.admin.templatetags import admin_list
    from django.contrib.auth import get_user_model
    from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
    from django.contrib.auth.models import Group, Permission

    Group.__str__ = group_str
    Permission.__str__ = permission_str
    models = {"Group": Group, "User": get_user_model()}
    for owner, field, singular, plural in AUTH_RELATIONS:
        through = getattr(models[owner], field).through
        if through._meta.auto_created:
            through._meta.verbose_name = singular
            through._meta.verbose_name_plural = plural
            through.__str__ = relation_str
    AdminPasswordChangeForm.usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        gettext_lazy("If disabled, the current password for this user will be lost."),
    )
    # Imported by name inside the admin's functions at each call, so this replaces it.
    admin_list._boolean_icon = boolean_icon
    if apps.is_installed("axes"):
        apps.get_app_config("axes").verbose_name = gettext_lazy("Sign-in protection")
        for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
            apps.get_model("axes", name).__str__ = axes_str
