"""The dashboard page and its CSVs pass the API's gate (issue 14.10): the view permission of
what they show, and the account's districts. A staff account with a district but no view
permission reads no cluster name or project budget; an account without districts gets no
city-wide figures from any CSV."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from tests.dashboard.helpers import AS_OF, make_city
from tests.factories import MarketProjectFactory, UserFactory, district

pytestmark = pytest.mark.django_db

CLUSTER_TABLES = ["districts", "trend", "overdue", "not-compliant"]
MARKET_TABLES = ["markets", "projects"]
BUDGET = Decimal("987654321")


@pytest.fixture
def city():
    make_city()
    project = MarketProjectFactory(
        market__code="DA-M2",
        market__name="Chợ Riêng Tư",
        market__district=district("017"),
        status="in_progress",
        budget_vnd=BUDGET,
        started_on=datetime.date(2022, 3, 1),  # under way at AS_OF (2023-06-14)
    )
    return project


def staff(username, *perms, districts=("017",)):
    user = UserFactory(username=username, districts=[district(c) for c in districts])
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client = Client()
    client.force_login(user)
    return client


def page(client):
    return client.get("/", {"as_of": AS_OF.isoformat()})


def csv(client, table):
    return client.get(reverse("dashboard:csv", args=[table]), {"as_of": AS_OF.isoformat()})


def shows_private_data(response) -> bool:
    body = response.content.decode("utf-8", "replace")
    return any(
        secret in body
        for secret in ("DA-FAILED", "DA-OVERDUE", "Chợ Riêng Tư", "987654321", "987\u202f654")
    )


def test_a_district_account_without_view_permission_reads_nothing(city):
    client = staff("no-view")
    response = page(client)
    assert response.status_code == 403
    assert not shows_private_data(response)
    for table in CLUSTER_TABLES + MARKET_TABLES:
        response = csv(client, table)
        assert response.status_code == 403, table
        assert not shows_private_data(response), table


def test_cluster_view_permission_shows_the_clusters_not_the_markets(city):
    client = staff("clusters-only", "clusters.view_industrialcluster")
    response = page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "DA-FAILED" in html  # the not-compliant list, in the account's district
    assert 'id="markets-title"' not in html
    assert "Chợ Riêng Tư" not in html and "987\u202f654\u202f321" not in html
    for table in CLUSTER_TABLES:
        assert csv(client, table).status_code == 200, table
    for table in MARKET_TABLES:
        assert csv(client, table).status_code == 403, table


def test_market_view_permission_without_projects_hides_the_budgets(city):
    client = staff("markets-no-projects", "clusters.view_industrialcluster", "markets.view_market")
    html = page(client).content.decode()
    assert 'id="markets-title"' in html
    assert 'id="projects-title"' not in html
    assert "987\u202f654\u202f321" not in html
    assert csv(client, "markets").status_code == 200
    response = csv(client, "projects")
    assert response.status_code == 403
    assert not shows_private_data(response)


def test_every_view_permission_shows_everything_in_the_district(city):
    client = staff(
        "all-views",
        "clusters.view_industrialcluster",
        "markets.view_market",
        "markets.view_marketproject",
    )
    html = page(client).content.decode()
    assert 'id="projects-title"' in html and "987\u202f654\u202f321" in html
    for table in CLUSTER_TABLES + MARKET_TABLES:
        assert csv(client, table).status_code == 200, table
    assert "987654321" in csv(client, "projects").content.decode()


def test_an_account_without_districts_gets_no_figures_from_any_csv(city):
    user = UserFactory(username="no-districts")
    user.groups.add(Group.objects.get(name="District staff"))  # every view permission
    client = Client()
    client.force_login(user)
    html = page(client).content.decode()
    assert 'id="no-districts"' in html and 'data-figure="kpi-operating"' not in html
    for table in CLUSTER_TABLES + MARKET_TABLES:
        response = csv(client, table)
        assert response.status_code == 403, table
        assert not response["Content-Type"].startswith("text/csv"), table
        assert not response.content.startswith("\ufeff".encode()), table  # no CSV at all
