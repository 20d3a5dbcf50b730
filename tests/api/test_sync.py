"""What a syncing client needs: ``updated_since`` / ``updated_before`` on every list, and the
deletions feed (scoped, permission-checked, filtered by ``since``)."""

import datetime

import pytest
from django.utils import timezone

from clusters.models import IndustrialCluster
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory, UserFactory, district

pytestmark = pytest.mark.django_db

DELETIONS = "/api/v1/deletions/"


def set_updated(obj, moment):
    type(obj).objects.filter(pk=obj.pk).update(updated_at=moment)


@pytest.fixture
def city_reader():
    user = UserFactory(username="sync-city")
    grant(
        user,
        "registry.access_all_districts",
        "clusters.view_industrialcluster",
        "clusters.view_wastewaterinspection",
        "markets.view_market",
    )
    return token_client(user)


MOMENT = datetime.datetime(2025, 12, 1, 8, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("url", "factory", "key"),
    [
        ("/api/v1/clusters/", lambda n: ClusterFactory(code=f"CCN-{n}"), "code"),
        ("/api/v1/markets/", lambda n: MarketFactory(code=f"CHO-{n}"), "code"),
        ("/api/v1/inspections/", lambda n: InspectionFactory(), "id"),
    ],
)
def test_updated_since_and_before_on_every_list(city_reader, url, factory, key):
    old, edge, new = factory(1), factory(2), factory(3)
    set_updated(old, MOMENT - datetime.timedelta(days=1))
    set_updated(edge, MOMENT)
    set_updated(new, MOMENT + datetime.timedelta(days=1))
    keys = lambda **p: [  # noqa: E731
        row[key] for row in city_reader.get(url, {"ordering": "updated_at", **p}).json()["results"]
    ]
    assert keys(updated_since=MOMENT.isoformat()) == [getattr(edge, key), getattr(new, key)]
    assert keys(updated_before=MOMENT.isoformat()) == [getattr(old, key)]
    # The offset is honoured: 15:00 in Hanoi is 08:00 UTC.
    assert keys(updated_since="2025-12-01T15:00:00+07:00") == [
        getattr(edge, key),
        getattr(new, key),
    ]
    response = city_reader.get(url, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_the_deletions_feed(city_reader):
    gone = ClusterFactory(code="CCN-GONE", district=district("017"))
    kept = ClusterFactory(code="CCN-KEPT", district=district("281"))
    inspection = InspectionFactory(cluster=kept)
    market = MarketFactory(code="CHO-GONE", district=district("281"))
    before = timezone.now()
    inspection_id = inspection.pk
    inspection.delete()
    gone.delete()
    market.delete()
    response = city_reader.get(DELETIONS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["model"], r["key"], r["district"]) for r in rows] == [
        ("inspection", str(inspection_id), "281"),
        ("cluster", "CCN-GONE", "017"),
        ("market", "CHO-GONE", "281"),
    ]
    assert all(r["deleted_at"] >= before.isoformat()[:19] for r in rows)
    last = rows[-1]["deleted_at"]
    assert [r["key"] for r in city_reader.get(DELETIONS, {"since": last}).json()["results"]] == [
        "CHO-GONE"
    ]
    later = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    assert city_reader.get(DELETIONS, {"since": later}).json()["count"] == 0
    assert city_reader.get(DELETIONS, {"model": "market"}).json()["count"] == 1
    assert IndustrialCluster.objects.filter(code="CCN-KEPT").exists()


def test_deletions_are_scoped_to_districts_and_permissions():
    ClusterFactory(code="CCN-A", district=district("017")).delete()
    ClusterFactory(code="CCN-B", district=district("281")).delete()
    MarketFactory(code="CHO-A", district=district("017")).delete()
    dong_anh = UserFactory(username="sync-017", districts=[district("017")])
    grant(dong_anh, "clusters.view_industrialcluster")
    rows = token_client(dong_anh).get(DELETIONS).json()["results"]
    # Only clusters (no market permission), only Đông Anh's.
    assert [(r["model"], r["key"]) for r in rows] == [("cluster", "CCN-A")]
    nobody = UserFactory(username="sync-none", districts=[district("017")])
    assert token_client(nobody).get(DELETIONS).status_code == 403


def test_deletions_bad_input_and_csv(city_reader):
    assert city_reader.get(DELETIONS, {"since": "soon"}).status_code == 400
    unknown = city_reader.get(DELETIONS, {"model": "target"})
    assert unknown.status_code == 400 and "cluster" in unknown.json()["model"][0]
    ClusterFactory(code="CCN-CSV").delete()
    response = city_reader.get(DELETIONS, {"format": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "model,key,district,deleted_at"
    assert lines[1].startswith("cluster,CCN-CSV,")
