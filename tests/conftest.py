"""Fixtures shared by the whole suite."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory, district


@pytest.fixture
def dong_anh(db):
    return district("017")


@pytest.fixture
def ung_hoa(db):
    return district("281")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root-admin", is_superuser=True)


@pytest.fixture
def department_user(db):
    """A department staff account: every district."""
    user = UserFactory(username="department")
    user.user_permissions.add(Permission.objects.get(codename="access_all_districts"))
    return user


@pytest.fixture
def district_user(dong_anh):
    """A district staff account for Đông Anh only."""
    return UserFactory(username="dong-anh-staff", districts=[dong_anh])
