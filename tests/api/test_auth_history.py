"""The admin session works as well as a token, and API writes keep who made them."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clusters.models import IndustrialCluster
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_session_reads_the_api():
    user = UserFactory(username="admin-session")
    grant(user, "registry.access_all_districts", "clusters.view_industrialcluster")
    ClusterFactory(code="CCN-SESSION")
    client = APIClient()
    client.force_login(user)
    response = client.get(reverse("api:cluster-list"))
    assert response.status_code == 200
    assert [c["code"] for c in response.json()["results"]] == ["CCN-SESSION"]


def test_session_writes_need_the_csrf_token():
    user = UserFactory(username="admin-session-writer")
    grant(user, "registry.access_all_districts", "clusters.change_industrialcluster")
    cluster = ClusterFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch(
        reverse("api:cluster-detail", kwargs={"code": cluster.code}), {"name": "X"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_api_writes_keep_who_made_them():
    user = UserFactory(username="so-xay-dung")
    grant(
        user,
        "registry.access_all_districts",
        "clusters.add_industrialcluster",
        "clusters.change_industrialcluster",
    )
    client = token_client(user)
    response = client.post(
        reverse("api:cluster-list"),
        {"code": "CCN-LIEN-HA-2", "name": "Cụm Liên Hà 2", "district": "017", "area_ha": "40"},
    )
    assert response.status_code == 201
    client.patch(
        reverse("api:cluster-detail", kwargs={"code": "CCN-LIEN-HA-2"}), {"tenant_count": 12}
    )
    cluster = IndustrialCluster.objects.get(code="CCN-LIEN-HA-2")
    history = list(cluster.history.order_by("history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert {h.history_user for h in history} == {user}
