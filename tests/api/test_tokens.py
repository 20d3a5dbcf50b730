"""API tokens stored hashed, API accounts made in one step, revocation and rotation (issue 14
item 7, issue 17)."""

import hashlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from registry.api_accounts import create_api_account
from registry.tokens import ApiToken
from tests.factories import ClusterFactory, UserFactory, district

pytestmark = pytest.mark.django_db

CLUSTERS = "/api/v1/clusters/"
INSPECTIONS = "/api/v1/inspections/"


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def inspection_body(code: str) -> dict:
    return {
        "cluster": code,
        "inspected_on": "2025-11-15",
        "result": "meets",
        "standard": "qcvn40_2011_b",
        "agency": "Sở Tài nguyên và Môi trường Hà Nội",
        "reference": "KQ-2025/1",
    }


def every_stored_value() -> str:
    """Every value of every column of the token table, as text."""
    table = ApiToken._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_the_key_is_stored_only_as_its_hash():
    user = UserFactory(username="hashed")
    token, key = ApiToken.issue(user)
    assert len(key) == 40
    assert key not in every_stored_value()
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:6]
    assert ApiToken.for_key(key) == token
    assert ApiToken.for_key(key[:-1] + ("0" if key[-1] != "0" else "1")) is None


def test_create_api_account_read_only():
    ClusterFactory(code="CCN-A", district=district("017"))
    out = StringIO()
    call_command("create_api_account", "so-tn", "--read", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    client = client_with(key)
    response = client.get(CLUSTERS)
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["CCN-A"]
    assert client.get("/api/v1/stats/wastewater-compliance/").status_code == 200
    assert client.post(INSPECTIONS, inspection_body("CCN-A")).status_code == 403
    user = ApiToken.for_key(key).user
    assert not user.is_staff and not user.has_usable_password()


def test_create_api_account_write_and_districts():
    ClusterFactory(code="CCN-A", district=district("017"))
    ClusterFactory(code="CCN-B", district=district("281"))
    out = StringIO()
    call_command(
        "create_api_account", "so-xd", "--write", "--district", "17", stdout=out, stderr=StringIO()
    )
    client = client_with(out.getvalue().strip())
    assert [row["code"] for row in client.get(CLUSTERS).json()["results"]] == ["CCN-A"]
    assert client.post(INSPECTIONS, inspection_body("CCN-A")).status_code == 201


def test_create_api_account_refuses_bad_input():
    UserFactory(username="taken")
    with pytest.raises(CommandError):
        call_command("create_api_account", "taken", "--read", stdout=StringIO())
    with pytest.raises(CommandError, match="999"):
        call_command("create_api_account", "new", "--read", "--district", "999")
    with pytest.raises(CommandError):
        call_command("create_api_account", "new", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.filter(user__username="new").exists()


def test_revoked_and_rotated_tokens():
    user, token, key = create_api_account("so-ct", "read")
    assert client_with(key).get(CLUSTERS).status_code == 200
    out = StringIO()
    call_command("api_tokens", "rotate", str(token.pk), stdout=out, stderr=StringIO())
    new_key = out.getvalue().strip()
    assert client_with(key).get(CLUSTERS).status_code == 401
    assert client_with(new_key).get(CLUSTERS).status_code == 200
    listing = StringIO()
    call_command("api_tokens", "list", "so-ct", "--all", stdout=listing)
    assert new_key not in listing.getvalue() and key not in listing.getvalue()
    assert new_key[:6] in listing.getvalue() and "revoked" in listing.getvalue()
    new_token = ApiToken.for_key(new_key)
    call_command("api_tokens", "revoke", str(new_token.pk), stderr=StringIO())
    response = client_with(new_key).get(CLUSTERS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_inactive_account_token_is_refused():
    user, _token, key = create_api_account("so-gone", "read")
    user.is_active = False
    user.save()
    assert client_with(key).get(CLUSTERS).status_code == 401


def test_existing_drf_tokens_are_hashed_by_the_migration():
    """The data migration's function, on a table shaped as rest_framework.authtoken's."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("registry.migrations.0007_i17_api_tokens")
    user = UserFactory(username="legacy")
    legacy_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id integer NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created datetime NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [legacy_key, "2025-01-02 03:04:05+00:00", user.pk],
        )
    # The function uses only the editor's connection (SQLite's editor cannot open in a test's
    # transaction).
    migration.hash_existing_tokens(apps, SimpleNamespace(connection=connection))
    assert "authtoken_token" not in connection.introspection.table_names()
    assert legacy_key not in every_stored_value()
    assert client_with(legacy_key).get(CLUSTERS).status_code in (200, 403)
    assert ApiToken.for_key(legacy_key).user == user


# -- the admin ---------------------------------------------------------------------------------


def officer():
    user = UserFactory(username="officer", districts=[])
    user.groups.add(Group.objects.get(name="Department staff"))
    return user


def test_a_department_officer_makes_an_account_and_sees_its_key_once(client):
    client.force_login(officer())
    url = reverse("admin:registry_apitoken_new_account")
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "so-nn", "full_name": "Sở NN", "level": "write"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["issued"][0][1]
    assert key in response.content.decode()
    assert client_with(key).post(INSPECTIONS, inspection_body("NONE")).status_code == 400
    # The list shows the token without its key.
    listing = client.get(reverse("admin:registry_apitoken_changelist"))
    assert listing.status_code == 200
    assert "so-nn" in listing.content.decode() and key not in listing.content.decode()


def test_rotating_in_the_admin_shows_the_new_key(client):
    client.force_login(officer())
    _user, token, key = create_api_account("so-yt", "read")
    response = client.post(
        reverse("admin:registry_apitoken_changelist"),
        {"action": "rotate", "_selected_action": [token.pk]},
    )
    new_key = response.context["issued"][0][1]
    assert client_with(key).get(CLUSTERS).status_code == 401
    assert client_with(new_key).get(CLUSTERS).status_code == 200
    client.post(
        reverse("admin:registry_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [ApiToken.for_key(new_key).pk]},
    )
    assert client_with(new_key).get(CLUSTERS).status_code == 401


def test_district_staff_may_not_make_api_accounts(client):
    staff = UserFactory(username="dist", districts=[district("017")])
    staff.groups.add(Group.objects.get(name="District staff"))
    client.force_login(staff)
    response = client.post(
        reverse("admin:registry_apitoken_new_account"), {"username": "x", "level": "read"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:registry_apitoken_changelist")).status_code == 403
    assert not ApiToken.objects.exists()


def test_an_officer_grants_only_rights_they_hold(client):
    user = UserFactory(username="half-officer")
    from tests.api.conftest import grant

    grant(user, "registry.add_apitoken", "registry.access_all_districts")
    client.force_login(user)
    response = client.post(
        reverse("admin:registry_apitoken_new_account"), {"username": "so-x", "level": "write"}
    )
    assert response.status_code == 200
    assert "issued" not in response.context
    assert not ApiToken.objects.exists()


def test_an_officer_does_not_see_staff_tokens(client):
    client.force_login(officer())
    staff_token, _key = ApiToken.issue(UserFactory(username="staff-with-token"))
    response = client.get(reverse("admin:registry_apitoken_change", args=[staff_token.pk]))
    assert response.status_code == 302  # "does not exist" → back to the list
