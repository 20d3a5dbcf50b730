"""District A never sees or changes district B's records: list, URL, autocomplete, import,
export, history — through the admin, with the real groups."""

import pytest
from django.urls import reverse

from clusters.models import IndustrialCluster
from tests.admin.conftest import cluster_form_data
from tests.factories import InspectionFactory, MarketProjectFactory


def export_csv(client, model, resource, fields, query=""):
    data = {"format": "0", "resource": "0"}
    data.update({f"{resource}_{name}": "on" for name in fields})
    response = client.post(reverse(f"admin:{model}_export") + query, data)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode("utf-8-sig")


@pytest.fixture
def both_districts(dong_anh_cluster, ung_hoa_cluster, dong_anh_market, ung_hoa_market):
    InspectionFactory(cluster=dong_anh_cluster, reference="KQ-DA")
    InspectionFactory(cluster=ung_hoa_cluster, reference="KQ-UH")
    MarketProjectFactory(market=dong_anh_market, note="DA project")
    MarketProjectFactory(market=ung_hoa_market, note="UH project")


@pytest.mark.parametrize(
    ("model", "mine", "theirs"),
    [
        ("clusters_industrialcluster", "CCN-THIET-BINH", "CCN-XA-CAU"),
        ("clusters_wastewaterinspection", "CCN-THIET-BINH", "CCN-XA-CAU"),
        ("markets_market", "CHO-DONG-ANH", "CHO-VAN-DINH"),
        ("markets_marketproject", "CHO-DONG-ANH", "CHO-VAN-DINH"),
    ],
)
def test_lists_show_only_own_districts(client, dong_anh_staff, both_districts, model, mine, theirs):
    client.force_login(dong_anh_staff)
    html = client.get(reverse(f"admin:{model}_changelist")).content.decode()
    assert mine in html
    assert theirs not in html


def test_department_staff_list_every_district(client, department_staff, both_districts):
    client.force_login(department_staff)
    html = client.get(reverse("admin:clusters_industrialcluster_changelist")).content.decode()
    assert "CCN-THIET-BINH" in html and "CCN-XA-CAU" in html


def test_another_districts_record_by_url_is_not_found(
    client, dong_anh_staff, ung_hoa_cluster, ung_hoa_market, both_districts
):
    client.force_login(dong_anh_staff)
    inspection = ung_hoa_cluster.inspections.get()
    history_id = ung_hoa_cluster.history.latest().history_id
    urls = [
        reverse("admin:clusters_industrialcluster_change", args=[ung_hoa_cluster.pk]),
        reverse("admin:clusters_industrialcluster_delete", args=[ung_hoa_cluster.pk]),
        reverse("admin:clusters_industrialcluster_history", args=[ung_hoa_cluster.pk]),
        reverse(
            "admin:clusters_industrialcluster_simple_history",
            args=[ung_hoa_cluster.pk, history_id],
        ),
        reverse("admin:clusters_wastewaterinspection_change", args=[inspection.pk]),
        reverse("admin:clusters_wastewaterinspection_history", args=[inspection.pk]),
        reverse("admin:markets_market_change", args=[ung_hoa_market.pk]),
        reverse("admin:markets_market_history", args=[ung_hoa_market.pk]),
        reverse("admin:clusters_industrialcluster_change", args=["not-a-number"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Xa C" not in response.content and "Xà Cầu".encode() not in response.content
    # Not by POST either: nothing deleted or changed.
    client.post(
        reverse("admin:clusters_industrialcluster_delete", args=[ung_hoa_cluster.pk]),
        {"post": "yes"},
    )
    client.post(
        reverse("admin:clusters_industrialcluster_change", args=[ung_hoa_cluster.pk]),
        cluster_form_data(ung_hoa_cluster, name="Chiếm"),
    )
    ung_hoa_cluster.refresh_from_db()
    assert ung_hoa_cluster.name == "Xà Cầu"


def test_autocompletes_offer_only_own_districts(client, dong_anh_staff, both_districts):
    client.force_login(dong_anh_staff)
    districts = client.get(
        "/admin/autocomplete/",
        {"app_label": "clusters", "model_name": "industrialcluster", "field_name": "district"},
    ).json()["results"]
    assert [d["text"] for d in districts] == ["017 Đông Anh"]
    clusters = client.get(
        "/admin/autocomplete/",
        {"app_label": "clusters", "model_name": "wastewaterinspection", "field_name": "cluster"},
    ).json()["results"]
    assert [c["text"] for c in clusters] == ["CCN-THIET-BINH Thiết Bình"]
    markets = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "markets",
            "model_name": "marketproject",
            "field_name": "market",
            "term": "Ch",
        },
    ).json()["results"]
    assert [m["text"] for m in markets] == ["CHO-DONG-ANH Chợ Đông Anh"]


def test_district_filter_offers_only_own_districts(client, dong_anh_staff, both_districts):
    client.force_login(dong_anh_staff)
    html = client.get(reverse("admin:clusters_industrialcluster_changelist")).content.decode()
    assert "?district=" in html
    assert "Ứng Hòa" not in html
    # Asking for another district by the filter's parameter shows nothing of it.
    response = client.get(
        reverse("admin:clusters_industrialcluster_changelist"),
        {"district": str(IndustrialCluster.objects.get(code="CCN-XA-CAU").district_id)},
    )
    assert "CCN-XA-CAU" not in response.content.decode()


def test_adding_a_cluster_to_another_district_is_a_form_error(client, dong_anh_staff, ung_hoa):
    client.force_login(dong_anh_staff)
    response = client.post(
        reverse("admin:clusters_industrialcluster_add"),
        cluster_form_data(code="CCN-LAN-SAN", name="Lấn sân", district=str(ung_hoa.pk)),
    )
    assert response.status_code == 200
    assert "Hãy chọn một quận/huyện mà bạn phụ trách." in response.content.decode()
    assert not IndustrialCluster.objects.filter(code="CCN-LAN-SAN").exists()


def test_moving_own_cluster_to_another_district_is_a_form_error(
    client, dong_anh_staff, dong_anh_cluster, ung_hoa
):
    client.force_login(dong_anh_staff)
    response = client.post(
        reverse("admin:clusters_industrialcluster_change", args=[dong_anh_cluster.pk]),
        cluster_form_data(dong_anh_cluster, district=str(ung_hoa.pk)),
    )
    assert response.status_code == 200
    assert "Hãy chọn một quận/huyện mà bạn phụ trách." in response.content.decode()
    dong_anh_cluster.refresh_from_db()
    assert dong_anh_cluster.district.code == "017"


def test_export_contains_only_own_districts_and_follows_the_filters(
    client, dong_anh_staff, department_staff, both_districts
):
    client.force_login(dong_anh_staff)
    fields = ["code", "name", "district", "status", "wastewater_state"]
    csv = export_csv(client, "clusters_industrialcluster", "clusterresource", fields)
    assert "CCN-THIET-BINH" in csv and "CCN-XA-CAU" not in csv
    assert csv.splitlines()[0].startswith("Mã,Tên,Mã quận/huyện")  # Vietnamese headers

    client.force_login(department_staff)
    everything = export_csv(client, "clusters_industrialcluster", "clusterresource", fields)
    assert "CCN-THIET-BINH" in everything and "CCN-XA-CAU" in everything
    ung_hoa_id = IndustrialCluster.objects.get(code="CCN-XA-CAU").district_id
    filtered = export_csv(
        client,
        "clusters_industrialcluster",
        "clusterresource",
        fields,
        query=f"?district={ung_hoa_id}",
    )
    assert "CCN-XA-CAU" in filtered and "CCN-THIET-BINH" not in filtered
    searched = export_csv(
        client, "clusters_industrialcluster", "clusterresource", fields, query="?q=THIET"
    )
    assert "CCN-THIET-BINH" in searched and "CCN-XA-CAU" not in searched


def test_inspection_and_market_exports_are_scoped(client, ung_hoa_staff, both_districts):
    client.force_login(ung_hoa_staff)
    inspections = export_csv(
        client,
        "clusters_wastewaterinspection",
        "inspectionresource",
        ["cluster", "inspected_on", "result", "reference"],
    )
    assert "KQ-UH" in inspections and "KQ-DA" not in inspections
    markets = export_csv(client, "markets_market", "marketresource", ["code", "name", "district"])
    assert "CHO-VAN-DINH" in markets and "CHO-DONG-ANH" not in markets


def test_history_lists_only_own_records_and_revert_is_for_department_staff(
    client, dong_anh_staff, department_staff, dong_anh_cluster
):
    dong_anh_cluster.name = "Thiết Bình (mở rộng)"
    dong_anh_cluster.save()
    first = dong_anh_cluster.history.earliest()
    revert_url = reverse(
        "admin:clusters_industrialcluster_simple_history",
        args=[dong_anh_cluster.pk, first.history_id],
    )
    client.force_login(dong_anh_staff)
    history = client.get(
        reverse("admin:clusters_industrialcluster_history", args=[dong_anh_cluster.pk])
    )
    assert history.status_code == 200
    assert "Thiết Bình (mở rộng)" in history.content.decode()
    assert client.get(revert_url).status_code == 200  # may look at an old version
    data = cluster_form_data(dong_anh_cluster, name=first.name)
    assert client.post(revert_url, data).status_code == 403  # but not revert to it
    dong_anh_cluster.refresh_from_db()
    assert dong_anh_cluster.name == "Thiết Bình (mở rộng)"

    client.force_login(department_staff)
    response = client.post(revert_url, cluster_form_data(first.instance))
    assert response.status_code == 302
    dong_anh_cluster.refresh_from_db()
    assert dong_anh_cluster.name == "Thiết Bình"
    assert dong_anh_cluster.version == 3  # the version moves on, never back
    assert dong_anh_cluster.history.latest().history_user == department_staff


def test_target_admin_is_for_department_staff_only(client, dong_anh_staff, department_staff):
    url = reverse("admin:registry_target_changelist")
    client.force_login(dong_anh_staff)
    assert client.get(url).status_code == 403
    assert "registry/target" not in client.get(reverse("admin:index")).content.decode()
    client.force_login(department_staff)
    assert client.get(url).status_code == 200


def test_account_without_districts_sees_nothing(client, db, dong_anh_cluster):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    nobody = UserFactory(username="no-district")
    nobody.groups.add(Group.objects.get(name="District staff"))
    client.force_login(nobody)
    html = client.get(reverse("admin:clusters_industrialcluster_changelist")).content.decode()
    assert "CCN-THIET-BINH" not in html


def test_inactive_districts_are_not_offered(client, department_staff):
    from registry.models import District

    District.objects.filter(code="017").update(active=False)
    client.force_login(department_staff)

    def offered(term):
        params = {"app_label": "clusters", "model_name": "industrialcluster"}
        params.update({"field_name": "district", "term": term})
        return [d["text"] for d in client.get("/admin/autocomplete/", params).json()["results"]]

    assert offered("Đông Anh") == []
    assert offered("Ứng Hòa") == ["281 Ứng Hòa"]
