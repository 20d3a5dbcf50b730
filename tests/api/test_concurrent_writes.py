"""A write saves only the fields it was given: two clients changing different fields of the
same record, at the same time and without If-Match, both keep their change, and the version
moves on once per write (issue 14.5)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from clusters.api.serializers import ClusterSerializer
from clusters.models import IndustrialCluster, WastewaterInspection
from markets.models import Market
from registry.api.viewsets import RegistryViewSet
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory, UserFactory

D = datetime.date


def writer(*perms):
    user = UserFactory(username=f"writer-{'-'.join(p.split('.')[1] for p in perms)}")
    grant(user, "registry.access_all_districts", *perms)
    return token_client(user)


def cluster_url(cluster):
    return reverse("api:cluster-detail", kwargs={"code": cluster.code})


@pytest.mark.django_db
def test_a_patch_from_a_stale_copy_keeps_the_other_fields_current():
    """Deterministic, no threads: B's copy is read before A's PATCH lands; B then patches
    another field from that copy."""
    cluster = ClusterFactory(name="Cụm cũ", developer="Công ty cũ")
    stale = IndustrialCluster.objects.get(pk=cluster.pk)
    client = writer("clusters.change_industrialcluster")
    assert client.patch(cluster_url(cluster), {"name": "Cụm mới"}).status_code == 200

    serializer = ClusterSerializer(stale, data={"developer": "Công ty mới"}, partial=True)
    assert serializer.is_valid(), serializer.errors
    serializer.save()

    cluster.refresh_from_db()
    assert (cluster.name, cluster.developer) == ("Cụm mới", "Công ty mới")
    assert cluster.version == 3  # 1, then one step per write
    # The history row of B's write records the record as it now is, A's change included.
    latest = cluster.history.order_by("-history_date", "-history_id").first()
    assert (latest.name, latest.developer, latest.version) == ("Cụm mới", "Công ty mới", 3)


@pytest.fixture
def write_lands_meanwhile(monkeypatch):
    """Lets ``change(record)`` be written by "another client" after the view has read the
    record and validated the body, just before it saves (where a concurrent write lands)."""
    pending = []
    original = RegistryViewSet.check_write_scope

    def check_write_scope(self, serializer):
        original(self, serializer)
        while pending:
            change = pending.pop()
            other = type(serializer.instance).objects.get(pk=serializer.instance.pk)
            change(other)
            other.save()

    monkeypatch.setattr(RegistryViewSet, "check_write_scope", check_write_scope)
    return pending.append


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "perm", "url_name", "make", "mine", "theirs"),
    [
        (
            IndustrialCluster,
            "clusters.change_industrialcluster",
            "cluster",
            lambda: ClusterFactory(),
            {"tenant_count": 12},
            {"name": "Cụm công nghiệp đổi tên"},
        ),
        (
            IndustrialCluster,
            "clusters.change_industrialcluster",
            "cluster",
            lambda: ClusterFactory(),
            {"operating_since": "2019-03-01"},
            {"wwtp_capacity_m3_per_day": Decimal("1500.00")},
        ),
        (
            Market,
            "markets.change_market",
            "market",
            lambda: MarketFactory(),
            {"name": "Chợ đổi tên"},
            {"business_points": 321},
        ),
        (
            WastewaterInspection,
            "clusters.change_wastewaterinspection",
            "inspection",
            lambda: InspectionFactory(),
            {"agency": "Chi cục Bảo vệ môi trường"},
            {"note": "Lấy mẫu lại"},
        ),
    ],
    ids=["cluster-name", "cluster-dates", "market", "inspection"],
)
def test_a_patch_keeps_a_change_to_another_field_made_meanwhile(
    write_lands_meanwhile, model, perm, url_name, make, mine, theirs
):
    record = make()
    lookup = {"pk": record.pk} if url_name == "inspection" else {"code": record.code}
    url = reverse(f"api:{url_name}-detail", kwargs=lookup)
    write_lands_meanwhile(lambda other: [setattr(other, k, v) for k, v in theirs.items()])

    response = writer(perm).patch(url, mine)
    assert response.status_code == 200, response.json()

    record = model.objects.get(pk=record.pk)
    for name, value in theirs.items():
        assert getattr(record, name) == value, f"the concurrent change of {name} was lost"
    for name, value in mine.items():
        assert str(getattr(record, name)) == str(value)
    assert record.version == 3
    assert response["ETag"] == '"3"'


@pytest.mark.django_db
def test_the_merged_record_is_validated_again(write_lands_meanwhile):
    """Meanwhile the establishment moved after the date this PATCH sets: the two changes are
    valid alone, not together, so the PATCH is refused (400) and the other change stays."""
    cluster = ClusterFactory(established_on=D(2015, 1, 1))
    write_lands_meanwhile(lambda other: setattr(other, "established_on", D(2020, 1, 1)))
    response = writer("clusters.change_industrialcluster").patch(
        cluster_url(cluster), {"construction_started_on": "2017-01-01"}
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    cluster.refresh_from_db()
    assert cluster.established_on == D(2020, 1, 1)
    assert cluster.construction_started_on is None
    assert cluster.version == 2


@pytest.mark.django_db
def test_if_match_still_refuses_a_write_when_anything_changed(write_lands_meanwhile):
    cluster = ClusterFactory()
    write_lands_meanwhile(lambda other: setattr(other, "name", "Cụm khác"))
    response = writer("clusters.change_industrialcluster").patch(
        cluster_url(cluster), {"tenant_count": 3}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 412
    cluster.refresh_from_db()
    assert (cluster.name, cluster.tenant_count, cluster.version) == ("Cụm khác", None, 2)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database locks whole tables across connections",
)
@pytest.mark.django_db(transaction=True)
def test_two_clients_patching_different_fields_at_once_both_win():
    """Two threads, each its own client and database connection, released together."""
    cluster = ClusterFactory(name="Cụm 0", developer="Công ty 0")
    url = cluster_url(cluster)
    clients = [writer("clusters.change_industrialcluster") for _ in range(2)]
    trials = 10
    errors = []

    def patch(client, body, barrier):
        try:
            barrier.wait(timeout=10)
            response = client.patch(url, body)
            if response.status_code != 200:
                errors.append(response.content)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    for trial in range(1, trials + 1):
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=patch, args=(clients[0], {"name": f"Cụm {trial}"}, barrier)),
            threading.Thread(
                target=patch, args=(clients[1], {"developer": f"Công ty {trial}"}, barrier)
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        cluster.refresh_from_db()
        assert (cluster.name, cluster.developer) == (f"Cụm {trial}", f"Công ty {trial}")
    assert cluster.version == 1 + 2 * trials
