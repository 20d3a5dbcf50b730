"""API writes cost a fixed, small number of statements: the model's constraints are checked
in Python where that is exact (registry.validation, behind ``Model.validate_constraints``),
not with one ``SELECT 1 WHERE …`` per check constraint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import IndustrialCluster
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "code": "CCN-QUERIES",
    "name": "Cụm công nghiệp Đếm Câu Lệnh",
    "district": "017",
    "area_ha": "25.5",
    "established_on": "2015-01-01",
    "construction_started_on": "2016-01-01",
    "operating_since": "2018-01-01",
    "occupancy_percent": "80.00",
    "tenant_count": 12,
    "wwtp_operating_since": "2019-01-01",
    "wwtp_capacity_m3_per_day": "1500",
    "wwtp_standard": "qcvn40_2011_b",
}


@pytest.fixture
def writer():
    user = UserFactory(username="api-writer")
    grant(
        user,
        "registry.access_all_districts",
        "clusters.view_industrialcluster",
        "clusters.add_industrialcluster",
        "clusters.change_industrialcluster",
    )
    return token_client(user)


def statements(client, method, url, payload) -> tuple[int, list[str], int]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, payload, format="json")
    sql = [q["sql"] for q in queries.captured_queries]
    return response.status_code, sql, len(sql)


def test_creating_a_cluster_runs_no_query_per_check_constraint(writer):
    status, sql, count = statements(writer, "post", reverse("api:cluster-list"), PAYLOAD)
    assert status == 201, sql
    assert not [s for s in sql if s.startswith("SELECT 1 AS") and "COALESCE" in s]
    # Was 41 (30 of them one per check constraint). Pinned: an added query fails here.
    assert count == 11, "\n".join(sql)


def test_a_refused_write_changes_nothing_and_gives_the_constraint_message(writer):
    payload = {**PAYLOAD, "construction_started_on": "2010-01-01"}  # before establishment
    status, _sql, _count = statements(writer, "post", reverse("api:cluster-list"), payload)
    assert status == 400
    assert not IndustrialCluster.objects.filter(code="CCN-QUERIES").exists()


def test_patching_a_cluster_runs_no_query_per_check_constraint(writer):
    ClusterFactory(code="CCN-PATCH")
    url = reverse("api:cluster-detail", args=["CCN-PATCH"])
    status, sql, count = statements(writer, "patch", url, {"tenant_count": 30})
    assert status == 200, sql
    assert not [s for s in sql if s.startswith("SELECT 1 AS") and "COALESCE" in s]
    # Was 40. Since a write saves only its fields (no lost concurrent update), the row is
    # locked and read again and the merged record validated again before the UPDATE.
    assert count == 19, "\n".join(sql)  # 17, and the commune's existence in each validation
