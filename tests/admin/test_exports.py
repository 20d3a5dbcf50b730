"""The admin's exports as Excel users expect them: BOM in CSV; typed, readable XLSX."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registry.dates import today
from tests.admin.sheets import csv_rows, export
from tests.factories import ClusterFactory, MarketFactory, MarketProjectFactory


@pytest.fixture
def lien_ha(dong_anh):
    return ClusterFactory(
        code="CCN-LIEN-HA",
        name="Cụm công nghiệp Liên Hà với một tên rất dài để đo độ rộng của cột",
        district=dong_anh,
        area_ha=Decimal("45.50"),
        established_on=datetime.date(2010, 3, 1),
        tenant_count=12,
        wwtp_automatic_monitoring=True,
        wwtp_standard="qcvn40_2011_b",
    )


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def test_csv_export_has_a_bom_and_a_vietnamese_file_name(client, dong_anh_staff, lien_ha):
    client.force_login(dong_anh_staff)
    response = export(client, "clusters", "csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads UTF-8
    rows = csv_rows(response.content)
    assert rows[1][:2] == ["CCN-LIEN-HA", lien_ha.name]
    assert response["Content-Disposition"] == (
        f'attachment; filename="cum-cong-nghiep-{today():%Y-%m-%d}.csv"'
    )


def test_xlsx_cells_are_typed(client, dong_anh_staff, lien_ha):
    client.force_login(dong_anh_staff)
    sheet = sheet_of(export(client, "clusters", "xlsx"))
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(headers, sheet[2], strict=True))

    area = row["Diện tích quy hoạch (ha)"]
    assert area.data_type == "n" and Decimal(str(area.value)) == Decimal("45.5")
    assert row["Số doanh nghiệp thứ cấp"].value == 12
    established = row["Ngày quyết định thành lập"]
    assert established.is_date and established.value.date() == datetime.date(2010, 3, 1)
    assert established.number_format == "DD/MM/YYYY"
    monitoring = row["Quan trắc tự động, liên tục"]
    assert monitoring.data_type == "b" and monitoring.value is True
    assert row["Mã quận/huyện"].value == "017"  # a code stays text, leading zero kept
    assert row["Quy chuẩn áp dụng cho nước thải đầu ra"].value == "QCVN 40:2011/BTNMT, cột B"
    assert row["Ngày khởi công"].value is None  # blank, not "None"


def test_xlsx_sheet_is_named_frozen_and_sized(client, dong_anh_staff, lien_ha):
    client.force_login(dong_anh_staff)
    response = export(client, "clusters", "xlsx")
    assert response["Content-Disposition"] == (
        f'attachment; filename="cum-cong-nghiep-{today():%Y-%m-%d}.xlsx"'
    )
    sheet = sheet_of(response)
    assert sheet.title == "Cụm công nghiệp"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    widths = {
        sheet.cell(row=1, column=index).value: sheet.column_dimensions[letter].width
        for index, letter in enumerate("ABCDEFGHIJKLMNOPQRST", start=1)
        if sheet.cell(row=1, column=index).value
    }
    assert widths["Tên"] >= 60  # the long name (capped at 60)
    assert 8 <= widths["Mã"] <= 15
    assert min(widths.values()) >= 8


@pytest.mark.parametrize(
    ("model", "stem", "title"),
    [
        ("inspections", "ket-qua-kiem-tra-nuoc-thai", "Kết quả kiểm tra nước thải"),
        ("markets", "cho", "Chợ"),
        ("projects", "du-an-cho", "Dự án chợ"),
    ],
)
def test_every_model_exports_under_its_vietnamese_name(
    client, dong_anh_staff, dong_anh, model, stem, title
):
    MarketProjectFactory(market=MarketFactory(district=dong_anh))
    client.force_login(dong_anh_staff)
    response = export(client, model, "xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('.xlsx"')
    if title:
        assert disposition == f'attachment; filename="{stem}-{today():%Y-%m-%d}.xlsx"'
        assert sheet_of(response).title == title
    assert disposition.isascii()


def test_project_budget_is_a_number_cell(client, dong_anh_staff, dong_anh):
    MarketProjectFactory(market=MarketFactory(district=dong_anh), budget_vnd=Decimal("12000000000"))
    client.force_login(dong_anh_staff)
    sheet = sheet_of(export(client, "projects", "xlsx"))
    headers = [cell.value for cell in sheet[1]]
    budget = sheet[2][headers.index("Kinh phí (đồng)")]
    assert budget.data_type == "n" and budget.value == 12000000000


def test_export_page_says_how_many_filtered_rows_it_exports(
    client, dong_anh_staff, dong_anh, lien_ha
):
    ClusterFactory(code="CCN-KHAC", name="Cụm khác", district=dong_anh)
    client.force_login(dong_anh_staff)
    url = reverse("admin:clusters_industrialcluster_export")
    everything = client.get(url).content.decode()
    assert "Tệp sẽ gồm 2 dòng của danh sách (mọi hồ sơ của các quận/huyện bạn quản lý)" in (
        everything
    )
    searched = client.get(url, {"q": "Liên Hà"}).content.decode()
    assert "Tệp sẽ gồm 1 dòng của danh sách theo bộ lọc và tìm kiếm hiện tại." in searched
    assert "(Danh sách khi không lọc có 2 dòng.)" in searched
    # …and the file holds exactly those rows.
    response = client.post(
        url + "?q=Li%C3%AAn+H%C3%A0",
        {"format": "0", "resource": "0", "clusterresource_code": "on"},
    )
    assert csv_rows(response.content) == [["Mã"], ["CCN-LIEN-HA"]]
