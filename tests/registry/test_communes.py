"""Records carry both maps: the commune since 1 July 2025 beside the former district; the
review list of records whose commune could not be settled."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from clusters.models import IndustrialCluster
from markets.models import Market
from registry.models import AdministrativeUnit, DistrictAssignment, UnitAssignment
from registry.units import settle_communes
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, MarketFactory, UserFactory, district

pytestmark = pytest.mark.django_db


def unit(code):
    return AdministrativeUnit.objects.get(code=code)


# -- the data migration's fill -----------------------------------------------------------------


def test_settle_communes_fills_whole_flags_split_and_leaves_closed_ones():
    from django.db.models import Q

    whole = ClusterFactory(district=district("020"), address="Xã Ngọc Hồi", commune=None)
    split = ClusterFactory(district=district("271"), address="thị trấn Tây Đằng", commune=None)
    unknown = ClusterFactory(district=district("017"), address="", commune=None)
    closed = ClusterFactory(
        district=district("271"),
        address="thị trấn Tây Đằng",
        closed_on=datetime.date(2024, 1, 1),
        commune=None,
    )
    IndustrialCluster.objects.update(commune=None, commune_to_check=False)
    settled, flagged = settle_communes(
        apps.get_model("clusters", "IndustrialCluster"),
        apps.get_model("registry", "AdministrativeUnit"),
        Q(closed_on__isnull=True) | Q(closed_on__gte=datetime.date(2025, 7, 1)),
    )
    assert (settled, flagged) == (1, 2)
    rows = {c.pk: c for c in IndustrialCluster.objects.all()}
    assert rows[whole.pk].commune.code == "00679" and not rows[whole.pk].commune_to_check
    assert rows[split.pk].commune is None and rows[split.pk].commune_to_check  # not guessed
    assert rows[unknown.pk].commune is None and rows[unknown.pk].commune_to_check
    assert rows[closed.pk].commune is None and not rows[closed.pk].commune_to_check


# -- the model ---------------------------------------------------------------------------------


def test_saving_without_commune_puts_the_record_on_the_review_list_and_a_commune_takes_it_off():
    cluster = ClusterFactory(district=district("017"), commune=None)
    assert cluster.commune_to_check
    with translation.override("en"):
        assert any("no commune" in str(w) for w in cluster.warnings)
    cluster.commune = unit("00454")
    cluster.save()
    cluster.refresh_from_db()
    assert not cluster.commune_to_check and cluster.warnings == []
    # Closed before the reform: no commune needed.
    old = ClusterFactory(
        district=district("017"), closed_on=datetime.date(2020, 1, 1), commune=None
    )
    assert not old.commune_to_check
    market = MarketFactory(
        district=district("002"), status="closed", status_since="2024-01-01", commune=None
    )
    assert not market.commune_to_check
    assert MarketFactory(district=district("002"), commune=None).commune_to_check


def test_full_clean_converts_an_old_address_taken_whole_and_warns():
    cluster = ClusterFactory.build(
        district=district("020"), address="Xã Ngọc Hồi, huyện Thanh Trì", commune=None
    )
    cluster.full_clean()
    assert cluster.commune.code == "00679"
    with translation.override("en"):
        assert any("official conversion" in str(w) for w in cluster.warnings)
    split = ClusterFactory.build(
        district=district("271"), address="thị trấn Tây Đằng", commune=None
    )
    split.full_clean()
    assert split.commune is None


def test_a_district_level_unit_is_not_a_commune():
    cluster = ClusterFactory.build(district=district("017"), commune=unit("017"))
    with pytest.raises(Exception) as error:
        cluster.full_clean()
    assert "commune" in error.value.message_dict


# -- the API -----------------------------------------------------------------------------------


@pytest.fixture
def api(db):
    user = UserFactory(username="api-all")
    grant(
        user,
        "registry.access_all_districts",
        "clusters.view_industrialcluster",
        "clusters.add_industrialcluster",
        "markets.view_market",
    )
    return token_client(user)


def test_api_shows_and_filters_by_commune(api):
    ClusterFactory(code="CCN-A", district=district("017"), commune=unit("00454"))
    ClusterFactory(code="CCN-B", district=district("017"), commune=unit("00466"))
    MarketFactory(code="CHO-A", district=district("002"), commune=unit("00070"))
    body = api.get("/api/v1/clusters/", {"commune": "00454"}).json()
    assert [r["code"] for r in body["results"]] == ["CCN-A"]
    assert (body["results"][0]["commune"], body["results"][0]["commune_name"]) == (
        "00454",
        "Xã Đông Anh",
    )
    market = api.get("/api/v1/markets/CHO-A/").json()
    assert (market["commune"], market["commune_name"]) == ("00070", "Phường Hoàn Kiếm")
    assert api.get("/api/v1/clusters/", {"commune": "99999"}).status_code == 400


def test_api_create_with_commune_and_refuses_a_district_code_as_commune(api):
    payload = {"code": "CCN-NEW", "name": "Mới", "district": "017", "area_ha": "20.00"}
    response = api.post("/api/v1/clusters/", {**payload, "commune": "017"}, format="json")
    assert response.status_code == 400 and "commune" in response.json()
    response = api.post("/api/v1/clusters/", {**payload, "commune": "00454"}, format="json")
    assert response.status_code == 201, response.json()
    assert IndustrialCluster.objects.get(code="CCN-NEW").commune.code == "00454"


def test_api_create_converts_the_old_address(api):
    payload = {"code": "CCN-OLD", "name": "Cũ", "district": "020", "area_ha": "20.00"}
    response = api.post("/api/v1/clusters/", {**payload, "address": "xã Ngọc Hồi"}, format="json")
    assert response.status_code == 201
    assert response.json()["commune"] == "00679"


# -- the admin ---------------------------------------------------------------------------------


def test_admin_review_list_and_commune_filter(client, superuser):
    flagged = ClusterFactory(code="CCN-CHECK", district=district("271"), commune=None)
    ClusterFactory(code="CCN-OK", district=district("017"), commune=unit("00454"))
    assert IndustrialCluster.objects.get(pk=flagged.pk).commune_to_check
    client.force_login(superuser)
    url = reverse("admin:clusters_industrialcluster_changelist")
    page = client.get(url, {"commune": "check"})
    assert [c.code for c in page.context["cl"].result_list] == ["CCN-CHECK"]
    page = client.get(url, {"commune": str(unit("00454").pk)})
    assert [c.code for c in page.context["cl"].result_list] == ["CCN-OK"]
    assert "Commune to check" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode() or (
        "Xã, phường cần kiểm tra" in client.get(url).content.decode()
    )
    markets = reverse("admin:markets_market_changelist")
    MarketFactory(code="CHO-CHECK", district=district("002"), commune=None)
    page = client.get(markets, {"commune": "check"})
    assert [m.code for m in page.context["cl"].result_list] == ["CHO-CHECK"]


def test_admin_import_reads_the_commune_code_and_export_writes_it(client, superuser, tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text(
        "code,name,district code,commune code,address,planned area (ha)\n"
        "CCN-IMP-1,Nhập 1,017,454,,20\n"
        "CCN-IMP-2,Nhập 2,020,,Xã Ngọc Hồi,20\n",
        encoding="utf-8",
    )
    client.force_login(superuser)
    with open(path, "rb") as handle:
        preview = client.post(
            reverse("admin:clusters_industrialcluster_import"),
            {"import_file": handle, "format": "0", "resource": "0"},
        )
    assert preview.status_code == 200
    from tests.admin.helpers import confirm

    done = confirm(client, "clusters_industrialcluster", preview)
    assert done.status_code == 302
    communes = dict(IndustrialCluster.objects.values_list("code", "commune__code"))
    assert communes == {"CCN-IMP-1": "00454", "CCN-IMP-2": "00679"}
    data = {"format": "0", "resource": "0"}
    data.update({f"clusterresource_{n}": "on" for n in ["code", "commune"]})
    exported = client.post(reverse("admin:clusters_industrialcluster_export"), data)
    text = exported.content.decode("utf-8-sig")
    assert "CCN-IMP-1,00454" in text


def test_admin_import_refuses_an_unknown_commune(client, superuser, tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text(
        "code,name,district code,commune code,planned area (ha)\nCCN-IMP-9,Nhập,017,99999,20\n",
        encoding="utf-8",
    )
    client.force_login(superuser)
    with open(path, "rb") as handle:
        preview = client.post(
            reverse("admin:clusters_industrialcluster_import"),
            {"import_file": handle, "format": "0", "resource": "0"},
        )
    assert "99999" in preview.content.decode()
    assert not IndustrialCluster.objects.exists()


# -- grant_unit --------------------------------------------------------------------------------


def test_grant_unit_assigns_communes_and_districts(db):
    user = UserFactory(username="xa-dong-anh", is_staff=False)
    out = io.StringIO()
    call_command("grant_unit", "xa-dong-anh", "00454", "00466", "281", stdout=out)
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name="District staff").exists()
    assert set(UnitAssignment.objects.filter(user=user).values_list("unit__code", flat=True)) == {
        "00454",
        "00466",
    }
    assert list(
        DistrictAssignment.objects.filter(user=user).values_list("district__code", flat=True)
    ) == ["281"]
    with pytest.raises(CommandError):
        call_command("grant_unit", "xa-dong-anh", "00454", "77777")
    with pytest.raises(CommandError):
        call_command("grant_unit", "nobody", "00454")
    assert Group.objects.filter(name="District staff").exists()


def test_market_model_imported():  # keep the import used
    assert Market._meta.get_field("commune").related_model is AdministrativeUnit


# -- craft villages (Decree 32/2024/NĐ-CP) ----------------------------------------------------


@pytest.mark.parametrize(
    "area, craft, warned",
    [("8.00", True, False), ("8.00", False, True), ("4.99", True, True), ("75.01", True, True)],
)
def test_craft_village_clusters_may_be_5_to_75_ha(area, craft, warned):
    from decimal import Decimal

    cluster = ClusterFactory.build(
        district=district("017"),
        commune=unit("00454"),
        area_ha=Decimal(area),
        is_craft_village=craft,
    )
    cluster.full_clean()  # a warning, never a refusal
    with translation.override("en"):
        area_warnings = [str(w) for w in cluster.warnings if "ha" in str(w)]
    assert bool(area_warnings) is warned
    if warned and craft:
        assert "5–75" in area_warnings[0]


def test_patch_response_has_a_null_commune_name_when_there_is_no_commune(db):
    user = UserFactory(username="api-patch")
    grant(
        user,
        "registry.access_all_districts",
        "clusters.view_industrialcluster",
        "clusters.change_industrialcluster",
    )
    ClusterFactory(code="CCN-NOC", district=district("271"), commune=None)
    response = token_client(user).patch("/api/v1/clusters/CCN-NOC/", {"name": "Đổi"})
    assert response.status_code == 200
    assert response.json()["commune_name"] is None and response.json()["commune"] is None
