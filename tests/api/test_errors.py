"""JSON errors everywhere under /api/, pagination limits, throttling."""

import pytest
from django.urls import reverse

from registry.api.throttling import AnonymousRateThrottle, TokenRateThrottle
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, UserFactory


@pytest.fixture
def reader(db):
    user = UserFactory(username="reader")
    grant(user, "registry.access_all_districts", "clusters.view_industrialcluster")
    return token_client(user)


def assert_json(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


@pytest.mark.parametrize(
    "path",
    ["/api/", "/api/v1/", "/api/v1/nothing/", "/api/v1/clusters", "/api/v2/clusters/"],
)
def test_unknown_api_paths_are_json_404(reader, path):
    body = assert_json(reader.get(path), 404)
    assert body["detail"]


def test_unknown_api_path_without_credentials_is_json_404(client):
    assert_json(client.get("/api/v1/nothing/"), 404)
    assert_json(client.post("/api/v1/nothing/"), 404)


def test_method_not_allowed_is_json_405(reader):
    grant_all = UserFactory(username="writer")
    grant(grant_all, "registry.access_all_districts", "registry.view_district")
    body = assert_json(token_client(grant_all).put("/api/v1/districts/", {}), 405)
    assert "detail" in body
    grant(grant_all, "clusters.change_industrialcluster")
    assert_json(token_client(grant_all).put(reverse("api:cluster-list"), {}), 405)


def test_bad_token_is_json_401(db, client):
    response = client.get(reverse("api:cluster-list"), HTTP_AUTHORIZATION="Token nope")
    assert_json(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_malformed_json_body_is_400(db):
    user = UserFactory(username="w")
    grant(user, "registry.access_all_districts", "clusters.add_industrialcluster")
    response = token_client(user).post(
        reverse("api:cluster-list"), "{not json", content_type="application/json"
    )
    assert_json(response, 400)


def test_page_out_of_range_is_json_404_and_bad_page_size_falls_back(reader):
    ClusterFactory.create_batch(3)
    assert_json(reader.get(reverse("api:cluster-list"), {"page": 99}), 404)
    body = assert_json(reader.get(reverse("api:cluster-list"), {"page_size": "lots"}), 200)
    assert len(body["results"]) == 3


def test_page_size_is_capped_at_500_not_refused(reader):
    ClusterFactory.create_batch(501)
    body = assert_json(reader.get(reverse("api:cluster-list"), {"page_size": 100000}), 200)
    assert body["count"] == 501
    assert len(body["results"]) == 500
    assert body["next"]


def test_unsupported_format_is_json(reader):
    response = reader.get(reverse("api:cluster-list"), {"format": "xml"})
    assert response.status_code == 406  # the address exists; the format does not
    assert response["Content-Type"].startswith("application/json")


def test_throttled_token_gets_json_429(reader, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "rate", "3/minute", raising=False)
    monkeypatch.setattr(TokenRateThrottle, "num_requests", 3, raising=False)
    monkeypatch.setattr(TokenRateThrottle, "duration", 60, raising=False)
    monkeypatch.setattr(TokenRateThrottle, "get_rate", lambda self: "3/minute")
    url = reverse("api:cluster-list")
    for _ in range(3):
        assert reader.get(url).status_code == 200
    response = reader.get(url)
    body = assert_json(response, 429)
    assert "detail" in body
    assert int(response["Retry-After"]) > 0
    # Another token has its own count.
    other = UserFactory(username="other-reader")
    grant(other, "registry.access_all_districts", "clusters.view_industrialcluster")
    assert token_client(other).get(url).status_code == 200


def test_requests_without_credentials_are_throttled_per_address(db, client, monkeypatch):
    """The public schema is counted per client address (the anonymous rate)."""
    monkeypatch.setattr(AnonymousRateThrottle, "get_rate", lambda self: "2/minute")
    url = "/api/schema/"
    for _ in range(2):
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
    response = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert_json(response, 429)
    assert int(response["Retry-After"]) > 0
    # Another address has its own count.
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_nul_characters_are_400_not_500(db):
    """PostgreSQL refuses NUL in text; every way in answers 400 (found by schemathesis)."""
    user = UserFactory(username="nul")
    grant(
        user,
        "registry.access_all_districts",
        "clusters.view_industrialcluster",
        "clusters.add_wastewaterinspection",
        "clusters.view_wastewaterinspection",
    )
    client = token_client(user)
    for url, params in (
        (reverse("api:cluster-list"), {"district": "01\x007"}),
        (reverse("api:cluster-list"), {"search": "a\x00b"}),
        (reverse("api:inspection-list"), {"cluster": "CCN\x00"}),
        (reverse("api:stats-wastewater-compliance"), {"district": "0\x0017"}),
    ):
        response = client.get(url, params)
        assert response.status_code == 400, (url, params)
        assert set(params) <= set(response.json())
    response = client.post(
        reverse("api:inspection-list"),
        {
            "cluster": "CCN-\x00X",
            "inspected_on": "2021-01-01",
            "result": "meets",
            "standard": "qcvn40_2011_b",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "cluster" in response.json()
