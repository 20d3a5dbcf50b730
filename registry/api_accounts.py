"""Accounts of other departments' systems for the REST API, made in one step.

An API account is a user without a password (it cannot sign in to the admin) that holds the
model permissions of one access level, every district (``registry.access_all_districts``)
unless districts are given, and a token. ``create_api_account`` is the one place this is done:
the admin page (*API tokens → New API account*) and ``manage.py create_api_account`` call it.

Who may: a superuser, or a department officer (every district and the ``add_apitoken``
permission, which the *Department staff* group holds) — and an officer only grants rights they
hold themselves.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.models import DistrictAssignment
from registry.tokens import ApiToken

READ = "read"
WRITE = "write"

_RECORDS = [
    ("clusters", "industrialcluster"),
    ("clusters", "wastewaterinspection"),
    ("markets", "market"),
]
#: The model permissions of each access level, as ``app_label.codename``.
LEVELS = {
    READ: [f"{app}.view_{model}" for app, model in _RECORDS] + ["registry.view_district"],
    WRITE: [
        f"{app}.{action}_{model}"
        for app, model in _RECORDS
        for action in ("view", "add", "change", "delete")
    ]
    + ["registry.view_district"],
}
ALL_DISTRICTS = "registry.access_all_districts"


def may_manage_api_accounts(user) -> bool:
    """A superuser, or a department officer with the API token permission."""
    if not user or not user.is_active:
        return False
    return user.is_superuser or user.has_perms(["registry.add_apitoken", ALL_DISTRICTS])


def permissions_of(level: str, city_wide: bool) -> list[str]:
    return LEVELS[level] + ([ALL_DISTRICTS] if city_wide else [])


@transaction.atomic
def create_api_account(
    username: str, level: str, *, districts=(), full_name: str = "", actor=None
) -> tuple[object, ApiToken, str]:
    """Create the account and its first token; returns ``(user, token, key)``.

    ``districts``: District instances (none: every district). ``actor``: who asks (None for
    the command line, which is trusted as the server's operator); an actor who may not
    manage API accounts, or who lacks a right being granted, gets ``PermissionDenied``.
    A taken or invalid user name is a ``ValidationError``.
    """
    if level not in LEVELS:
        raise ValidationError(_("Choose read or write access."))
    perms = permissions_of(level, city_wide=not districts)
    if actor is not None:
        if not may_manage_api_accounts(actor):
            raise PermissionDenied(_("You may not create API accounts."))
        if not actor.is_superuser and not actor.has_perms(perms):
            raise PermissionDenied(_("You may only grant rights you hold yourself."))
    User = get_user_model()
    user = User(username=username, first_name=full_name[:150], is_staff=False)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for district in districts:
        DistrictAssignment.objects.create(user=user, district=district)
    token, key = ApiToken.issue(user, name=_("first token"))
    return user, token, key
