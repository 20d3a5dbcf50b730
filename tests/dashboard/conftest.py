"""The dashboard's accounts are staff in their role's group, so they hold the view
permissions the dashboard requires (as the API does)."""

import pytest

from tests.dashboard.helpers import in_group


@pytest.fixture
def department_user(department_user):
    return in_group(department_user, "Department staff")


@pytest.fixture
def district_user(district_user):
    return in_group(district_user, "District staff")
