"""Fixtures shared by the whole suite."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from registry.models import AdministrativeUnit, District
from registry.units import load_units
from tests.factories import UserFactory, district

DISTRICTS_MIGRATION = "registry.migrations.0002_hanoi_districts_and_2021_target"
GROUPS_MIGRATION = "registry.migrations.0003_staff_groups"
REPORTS_PERMISSIONS_MIGRATION = "reports.migrations.0002_immutable_and_permissions"
TRANSACTIONAL_FIXTURES = ("transactional_db", "live_server", "django_db_reset_sequences")


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is marked ``browser``, every fuzzing file's test
    ``fuzz``, so ``make test-fast`` (``-m "not browser and not fuzz"``) leaves them out
    whoever wrote them."""
    for item in items:
        path = item.path.as_posix()
        if "/tests/browser/" in path:
            item.add_marker(pytest.mark.browser)
        if item.path.name.startswith("test_fuzz"):
            item.add_marker(pytest.mark.fuzz)


def load_reference_data():
    """The rows the data migrations load (districts, the 2021 target, staff groups), again.

    A transactional test starts from whatever the previous one left: Django flushes every
    table after a transactional test, and ``serialized_rollback`` cannot restore them when
    Playwright's sync API hands the test another connection object. Idempotent.
    """
    if not District.objects.exists():
        importlib.import_module(DISTRICTS_MIGRATION).load(apps, None)
    if not AdministrativeUnit.objects.exists():
        load_units(apps)
    if not Group.objects.filter(name="District staff").exists():
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        importlib.import_module(GROUPS_MIGRATION).assign_groups(apps)
        importlib.import_module(REPORTS_PERMISSIONS_MIGRATION).grant(apps)


def is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return any(name in request.fixturenames for name in TRANSACTIONAL_FIXTURES)


@pytest.fixture(autouse=True, scope="session")
def _live_server_without_nagle():
    """The live server writes a response's headers and body in separate packets; with Nagle's
    algorithm on, each response then waits for the client's delayed ACK (~40 ms)."""
    from django.core.servers.basehttp import WSGIRequestHandler

    WSGIRequestHandler.disable_nagle_algorithm = True


@pytest.fixture(autouse=True, scope="session")
def _live_server_one_request_at_a_time_on_sqlite():
    """On SQLite the test database is in memory and the live server's threads share the test's
    one connection; two requests at once on it (a page and its /admin/jsi18n/, say) could
    deadlock. There the live server answers one request at a time (Django's non-threaded
    server then closes each connection, so a browser never waits on a kept-alive one)."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(WSGIServer):
        # The live server's thread itself uses the test's connection (LiveServerThread.run).
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Every transactional test sees the reference data the migrations load."""
    if is_transactional(request):
        request.getfixturevalue("transactional_db")
        load_reference_data()


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
