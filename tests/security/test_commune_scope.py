"""A commune-staff account sees exactly its commune's records — not the rest of the former
district its commune came from — in the admin, the API, the exports and the dashboard."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from clusters.models import IndustrialCluster
from registry.models import AdministrativeUnit, UnitAssignment
from registry.scoping import restrict
from tests.api.conftest import token_client
from tests.factories import ClusterFactory, MarketFactory, UserFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    dong_anh = district("017")
    mine = AdministrativeUnit.objects.get(code="00454")  # Xã Đông Anh
    other = AdministrativeUnit.objects.get(code="00466")  # Xã Phúc Thịnh, also from Đông Anh
    for unit, marker in ((mine, "MINE"), (other, "OTHER")):
        ClusterFactory(
            code=f"CCN-{marker}",
            name=f"Cụm {marker}",
            district=dong_anh,
            commune=unit,
            established_on=datetime.date(2015, 1, 1),  # construction overdue
        )
        ClusterFactory(
            code=f"CCN-{marker}-OP",
            name=f"Cụm {marker} vận hành",
            district=dong_anh,
            commune=unit,
            operating_since=datetime.date(2016, 1, 1),  # operating, no treatment plant
        )
        MarketFactory(code=f"CHO-{marker}", name=f"Chợ {marker}", district=dong_anh, commune=unit)
    user = UserFactory(username="xa-dong-anh")
    UnitAssignment.objects.create(user=user, unit=mine)
    user.groups.add(Group.objects.get(name="District staff"))
    return user


def test_restrict(world):
    codes = set(restrict(IndustrialCluster.objects.all(), world).values_list("code", flat=True))
    assert codes == {"CCN-MINE", "CCN-MINE-OP"}


def test_admin_lists_and_export(client, world):
    client.force_login(world)
    page = client.get(reverse("admin:clusters_industrialcluster_changelist")).content.decode()
    assert "CCN-MINE" in page and "CCN-OTHER" not in page
    page = client.get(reverse("admin:markets_market_changelist")).content.decode()
    assert "CHO-MINE" in page and "CHO-OTHER" not in page
    other = IndustrialCluster.objects.get(code="CCN-OTHER")
    url = reverse("admin:clusters_industrialcluster_change", args=[other.pk])
    assert client.get(url).status_code == 404
    data = {"format": "0", "resource": "0"}
    data.update({f"clusterresource_{n}": "on" for n in ["code", "commune"]})
    text = client.post(reverse("admin:clusters_industrialcluster_export"), data).content
    text = text.decode("utf-8-sig")
    assert "CCN-MINE" in text and "OTHER" not in text


def test_admin_add_form_needs_the_commune_and_offers_only_mine(client, world):
    client.force_login(world)
    response = client.get(reverse("admin:clusters_industrialcluster_add"))
    field = response.context["adminform"].form.fields["commune"]
    assert field.required
    assert [u.code for u in field.queryset] == ["00454"]


def test_api_list_and_writes(world):
    api = token_client(world)
    body = api.get("/api/v1/clusters/", {"page_size": 100}).json()
    assert {r["code"] for r in body["results"]} == {"CCN-MINE", "CCN-MINE-OP"}
    assert api.get("/api/v1/clusters/CCN-OTHER/").status_code == 404
    payload = {"code": "CCN-NEW", "name": "Mới", "district": "017", "area_ha": "20.00"}
    assert api.post("/api/v1/clusters/", {**payload, "commune": "00466"}).status_code == 403
    assert api.post("/api/v1/clusters/", payload).status_code == 403  # no commune: not mine
    assert api.post("/api/v1/clusters/", {**payload, "commune": "00454"}).status_code == 201
    csv = b"".join(api.get("/api/v1/markets/", {"format": "csv"}).streaming_content)
    assert b"CHO-MINE" in csv and b"OTHER" not in csv
    # Not the figures of the rest of Đông Anh either.
    assert api.get("/api/v1/stats/wastewater-compliance/", {"district": "017"}).status_code == 400


def test_dashboard(client, world):
    client.force_login(world)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "OTHER" not in page
    for table in ("overdue", "not-compliant", "markets"):
        text = client.get(reverse("dashboard:csv", args=[table])).content.decode("utf-8-sig")
        assert "OTHER" not in text, table
    overdue = client.get(reverse("dashboard:csv", args=["overdue"])).content.decode("utf-8-sig")
    assert "CCN-MINE" in overdue
