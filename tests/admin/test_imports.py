"""Spreadsheet imports through the admin: real CSV and XLSX files under tests/data/."""

import datetime
from decimal import Decimal

import pytest

from clusters.models import IndustrialCluster, WastewaterInspection
from markets.models import Market
from tests.admin.helpers import confirm, upload

CLUSTERS = "clusters_industrialcluster"


@pytest.mark.parametrize("filename", ["clusters_valid.csv", "clusters_valid.xlsx"])
def test_valid_cluster_file_previews_then_saves_every_row(client, dong_anh_staff, filename):
    client.force_login(dong_anh_staff)
    preview = upload(client, CLUSTERS, filename)
    assert preview.status_code == 200
    assert IndustrialCluster.objects.count() == 0  # the preview saved nothing
    assert 'name="import_file_name"' in preview.content.decode()  # the confirm form is offered

    done = confirm(client, CLUSTERS, preview)
    assert done.status_code == 302
    clusters = {c.code: c for c in IndustrialCluster.objects.select_related("district")}
    assert set(clusters) == {"CCN-LIEN-HA-2", "CCN-DUC-TU", "CCN-THUY-LAM"}
    lien_ha = clusters["CCN-LIEN-HA-2"]
    assert lien_ha.district.code == "017"
    assert lien_ha.area_ha == Decimal("45.50")
    assert lien_ha.operating_since == datetime.date(2016, 1, 1)
    assert lien_ha.wwtp_standard == "qcvn40_2011_b"  # given by its Vietnamese label
    assert lien_ha.wwtp_automatic_monitoring is True  # "có"
    assert clusters["CCN-DUC-TU"].area_ha == Decimal("8.50")  # decimal comma
    assert clusters["CCN-DUC-TU"].established_on == datetime.date(2019, 10, 20)
    assert clusters["CCN-THUY-LAM"].district.code == "017"  # "17" as a spreadsheet wrote it
    # Who imported is in the history.
    assert lien_ha.history.first().history_user == dong_anh_staff


@pytest.mark.parametrize("filename", ["clusters_bad_rows.csv", "clusters_bad_rows.xlsx"])
def test_bad_rows_are_each_reported_and_nothing_is_saved(client, dong_anh_staff, filename):
    client.force_login(dong_anh_staff)
    preview = upload(client, CLUSTERS, filename)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'name="import_file_name"' not in html  # no way to confirm a file with bad rows
    assert "Không có quận/huyện nào có mã 999." in html  # unknown district
    assert "Ngày khởi công không được trước ngày quyết định thành lập." in html  # dates
    assert html.count("Mã CCN-TRUNG-MA xuất hiện nhiều lần trong tệp này.") == 2  # duplicate
    assert "“ba mươi” không phải là số." in html  # wrong types
    assert "“31/13/2020” không phải là ngày" in html
    assert "“nhiều” không phải là số." in html
    assert "Traceback" not in html
    assert IndustrialCluster.objects.count() == 0  # not even the valid first row


def test_bad_rows_cannot_be_forced_through_the_confirm_url(client, dong_anh_staff):
    """Sending the confirm step for a bad file by hand still saves nothing."""
    client.force_login(dong_anh_staff)
    upload(client, CLUSTERS, "clusters_bad_rows.csv")
    response = client.post(
        "/admin/clusters/industrialcluster/process_import/",
        {
            "import_file_name": "../../etc/passwd",
            "original_file_name": "clusters_bad_rows.csv",
            "format": "0",
            "resource": "0",
        },
    )
    # No pending upload of this user and session is named: back to the upload form, with the
    # message (the posted file name is never opened).
    assert response.status_code == 302
    assert response["Location"] == "/admin/clusters/industrialcluster/import/"
    page = client.get(response["Location"]).content.decode()
    assert "Tệp tải lên này không chờ bạn xác nhận" in page
    assert IndustrialCluster.objects.count() == 0


def test_duplicate_of_a_code_in_another_district_is_refused(
    client, dong_anh_staff, ung_hoa_cluster
):
    """A district user cannot overwrite another district's cluster by reusing its code."""
    client.force_login(dong_anh_staff)
    path = "tests/data/_tmp_conflict.csv"
    with open("tests/data/clusters_other_district.csv", encoding="utf-8") as handle:
        header = handle.readline()
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(header + f"{ung_hoa_cluster.code},Chiếm mã,017,,20,,,,,,,,,,,,,\n")
        preview = upload(client, CLUSTERS, "_tmp_conflict.csv")
    finally:
        import os

        os.remove(path)
    html = preview.content.decode()
    assert 'name="import_file_name"' not in html
    assert "đã tồn tại" in html  # "… with this code already exists", in Vietnamese
    ung_hoa_cluster.refresh_from_db()
    assert ung_hoa_cluster.name == "Xà Cầu"
    assert ung_hoa_cluster.district.code == "281"


def test_district_user_cannot_import_rows_of_another_district(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    preview = upload(client, CLUSTERS, "clusters_other_district.csv")
    html = preview.content.decode()
    assert "Quận/huyện 281 không thuộc các đơn vị bạn phụ trách." in html
    assert 'name="import_file_name"' not in html
    assert not IndustrialCluster.objects.exists()


def test_department_staff_may_import_rows_of_any_district(client, department_staff):
    client.force_login(department_staff)
    preview = upload(client, CLUSTERS, "clusters_other_district.csv")
    confirm(client, CLUSTERS, preview)
    assert IndustrialCluster.objects.get(code="CCN-XA-CAU-2").district.code == "281"


@pytest.mark.parametrize("filename", ["inspections_valid.csv", "inspections_valid.xlsx"])
def test_inspections_import_by_cluster_code(client, dong_anh_staff, dong_anh_cluster, filename):
    client.force_login(dong_anh_staff)
    model = "clusters_wastewaterinspection"
    preview = upload(client, model, filename)
    assert 'name="import_file_name"' in preview.content.decode(), preview.content.decode()[-3000:]
    confirm(client, model, preview)
    results = list(
        WastewaterInspection.objects.filter(cluster=dong_anh_cluster)
        .order_by("inspected_on")
        .values_list("result", "reference")
    )
    assert results == [("meets", "KQ-2024-051"), ("fails", "KQ-2025-077")]
    # The same file again updates the same inspections instead of doubling them.
    confirm(client, model, upload(client, model, filename))
    assert WastewaterInspection.objects.filter(cluster=dong_anh_cluster).count() == 2


def test_inspections_of_another_districts_cluster_are_refused(
    client, ung_hoa_staff, dong_anh_cluster
):
    client.force_login(ung_hoa_staff)
    preview = upload(client, "clusters_wastewaterinspection", "inspections_valid.csv")
    html = preview.content.decode()
    # Read as an unknown code: a row does not tell whether another district has that cluster.
    assert "Không có cụm công nghiệp nào có mã CCN-THIET-BINH." in html
    assert "không thuộc các quận/huyện bạn phụ trách" not in html
    assert not WastewaterInspection.objects.exists()


def test_markets_import_and_bad_market_rows(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    model = "markets_market"
    bad = upload(client, model, "markets_bad_rows.xlsx").content.decode()
    assert "“4” không thuộc các lựa chọn" in bad
    assert "Diện tích đất (m²)" in bad and "0.01" in bad  # area 0 refused
    assert not Market.objects.exists()

    confirm(client, model, upload(client, model, "markets_valid.csv"))
    markets = {m.code: m for m in Market.objects.all()}
    assert markets["CHO-NGUYEN-KHE"].kind == "peoples"
    assert markets["CHO-NGUYEN-KHE"].construction == "semi_permanent"
    assert markets["CHO-DAU-MOI-DONG-ANH"].market_class == "1"
    assert markets["CHO-DAU-MOI-DONG-ANH"].management == "enterprise"


def test_a_forged_confirm_of_a_bad_file_saves_nothing(client, dong_anh_staff):
    """The confirm step re-validates: a bad file's valid first row is not saved either."""
    client.force_login(dong_anh_staff)
    good_preview = upload(client, CLUSTERS, "clusters_valid.csv")
    bad_preview = upload(client, CLUSTERS, "clusters_bad_rows.csv")
    assert 'name="import_file_name"' not in bad_preview.content.decode()
    # Take the good preview's confirm form, but point it at the bad file's stored copy.
    from import_export.tmp_storages import TempFolderStorage

    storage = TempFolderStorage(encoding="utf-8", read_mode="r")
    with open("tests/data/clusters_bad_rows.csv", "rb") as handle:
        storage.save(handle.read())
    html = good_preview.content.decode().replace(
        _hidden_value(good_preview, "import_file_name"), storage.name
    )
    good_preview.content = html.encode()
    response = confirm(client, CLUSTERS, good_preview)
    assert response.status_code == 302
    assert not IndustrialCluster.objects.exists()


def _hidden_value(response, name):
    import re

    return re.search(
        rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"',
        response.content.decode(),
    ).group(1)


def test_file_without_the_code_column_is_reported_per_row(client, dong_anh_staff, tmp_path):
    client.force_login(dong_anh_staff)
    path = tmp_path / "khong_co_ma.csv"
    path.write_text("Tên,Mã quận/huyện,Diện tích quy hoạch (ha)\nCụm không mã,017,20\n")
    with open(path, "rb") as handle:
        response = client.post(
            "/admin/clusters/industrialcluster/import/",
            {"import_file": handle, "format": "0", "resource": "0"},
        )
    html = response.content.decode()
    assert "Tệp không có cột “Mã”" in html
    assert "Traceback" not in html and 'name="import_file_name"' not in html
    assert not IndustrialCluster.objects.exists()


@pytest.mark.parametrize("filename", ["clusters_valid.csv", "clusters_valid.xlsx"])
def test_a_file_over_the_row_limit_is_refused_clearly(client, dong_anh_staff, settings, filename):
    """REGISTRY["IMPORT_MAX_ROWS"] bounds one import; the valid 3-row file is over a limit of 2."""
    settings.REGISTRY = {**settings.REGISTRY, "IMPORT_MAX_ROWS": 2}
    client.force_login(dong_anh_staff)
    response = upload(client, CLUSTERS, filename)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp có hơn 2 dòng; mỗi lần nhập chỉ được tối đa 2 dòng." in html
    assert 'name="import_file_name"' not in html
    assert IndustrialCluster.objects.count() == 0
