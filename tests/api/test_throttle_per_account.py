"""The API rate is per account: an account's token and its admin session share one count
(issue 14.11); accounts are counted apart, and requests without credentials per address."""

import pytest
from django.test import Client
from django.urls import reverse

from registry.api.throttling import AnonymousRateThrottle, TokenRateThrottle
from tests.api.conftest import grant, token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RATE = 4


@pytest.fixture(autouse=True)
def small_rates(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "get_rate", lambda self: f"{RATE}/minute")
    monkeypatch.setattr(AnonymousRateThrottle, "get_rate", lambda self: f"{RATE}/minute")


def reader(username):
    user = UserFactory(username=username)
    grant(user, "registry.access_all_districts", "clusters.view_industrialcluster")
    return user


def session_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


URL = "/api/v1/clusters/"


@pytest.mark.parametrize("first", ["token", "session"])
def test_token_and_session_of_one_account_share_one_count(first):
    user = reader("two-credentials")
    clients = {"token": token_client(user), "session": session_client(user)}
    order = [first, *(kind for kind in clients if kind != first)]
    # Half the rate with each credential …
    for kind in order:
        for _ in range(RATE // 2):
            assert clients[kind].get(URL).status_code == 200, kind
    # … and the account has used it all, whichever credential asks next.
    for kind in order:
        assert clients[kind].get(URL).status_code == 429, kind


def test_one_accounts_use_does_not_throttle_another():
    busy, quiet = reader("busy"), reader("quiet")
    client = token_client(busy)
    for _ in range(RATE):
        assert client.get(URL).status_code == 200
    assert session_client(busy).get(URL).status_code == 429
    assert token_client(quiet).get(URL).status_code == 200
    assert session_client(quiet).get(URL).status_code == 200


def test_an_accounts_requests_from_several_addresses_share_its_count():
    client = token_client(reader("roaming"))
    for n in range(RATE):
        assert client.get(URL, REMOTE_ADDR=f"203.0.113.{n + 1}").status_code == 200
    assert client.get(URL, REMOTE_ADDR="198.51.100.1").status_code == 429


def test_requests_without_credentials_are_counted_per_address():
    client = Client()
    for _ in range(RATE):
        assert client.get("/api/schema/", REMOTE_ADDR="203.0.113.50").status_code == 200
    assert client.get("/api/schema/", REMOTE_ADDR="203.0.113.50").status_code == 429
    assert client.get("/api/schema/", REMOTE_ADDR="203.0.113.51").status_code == 200
    # An account's count is its own, not its address's.
    signed_in = token_client(reader("same-address"))
    assert signed_in.get(URL, REMOTE_ADDR="203.0.113.50").status_code == 200
    assert reverse("api:cluster-list") == URL
