"""Fixtures of the API tests: token clients and directly granted permissions."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from registry.tokens import ApiToken
from tests.factories import UserFactory


def grant(user, *perms: str):
    """Give ``user`` the permissions ``app_label.codename`` directly (no groups needed)."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for cached in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cached, None)
    return user


def token_client(user) -> APIClient:
    client = APIClient()
    _token, key = ApiToken.issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def anonymous_client():
    return APIClient()


@pytest.fixture
def no_permission_user(db):
    """Signed in, every district, but no model permission at all."""
    user = UserFactory(username="no-perms")
    grant(user, "registry.access_all_districts")
    return user
