"""Rate-limit headers on every API response (issue 17): the client learns its rate before it
is refused; a refusal also says when to retry."""

import contextlib

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import grant, token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@pytest.fixture
def rates(monkeypatch):
    """Set the rates for the test (DRF reads them into the throttle class at import)."""

    @contextlib.contextmanager
    def set_rates(token: str, anon: str):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": token, "anon": anon})
        yield

    return set_rates


@pytest.fixture
def reader():
    user = UserFactory(username="rl-reader")
    grant(user, "registry.access_all_districts", "clusters.view_industrialcluster")
    grant(user, "registry.view_district")
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/clusters/",
        "/api/v1/stats/wastewater-compliance/",
        "/api/v1/deletions/",
        "/api/v1/districts/",
    ],
)
def test_headers_count_down_then_the_refusal_says_when(reader, rates, url):
    client = token_client(reader)
    with rates("3/minute", "10/minute"):
        first = client.get(url)
        assert first.status_code == 200
        assert {h: first[h] for h in HEADERS}["RateLimit-Limit"] == "3"
        assert first["RateLimit-Remaining"] == "2"
        assert 1 <= int(first["RateLimit-Reset"]) <= 60
        assert first["RateLimit-Policy"] == "3;w=60"
        assert client.get(url)["RateLimit-Remaining"] == "1"
        assert client.get(url)["RateLimit-Remaining"] == "0"
        refused = client.get(url)
        assert refused.status_code == 429
        assert refused["RateLimit-Remaining"] == "0"
        assert int(refused["Retry-After"]) >= 1


def test_csv_and_error_responses_carry_them(reader, rates):
    client = token_client(reader)
    with rates("5/minute", "10/minute"):
        assert client.get("/api/v1/clusters/", {"format": "csv"})["RateLimit-Remaining"] == "4"
        bad = client.get("/api/v1/clusters/", {"as_of": "x"})
        assert bad.status_code == 400 and bad["RateLimit-Remaining"] == "3"
        # Refused before the throttle counted (no permission): the stored counts, uncounted.
        forbidden = client.get("/api/v1/markets/")
        assert forbidden.status_code == 403
        assert forbidden["RateLimit-Remaining"] == "3"


def test_anonymous_and_bad_token_responses_carry_the_address_rate(rates):
    with rates("5/minute", "4/minute"):
        response = APIClient().get("/api/v1/clusters/")
        assert response.status_code == 401
        assert response["RateLimit-Limit"] == "4"
        bad = APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/v1/clusters/")
        assert bad.status_code == 401 and bad["RateLimit-Limit"] == "4"
