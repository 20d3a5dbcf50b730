"""The import preview as a spreadsheet user reads it, and codes matched as the API does."""

import re
from decimal import Decimal

from clusters.models import IndustrialCluster
from tests.admin.sheets import csv_bytes, import_file, totals, upload_bytes
from tests.factories import ClusterFactory

HEADER = ["Mã", "Tên", "Mã quận/huyện", "Diện tích quy hoạch (ha)", "Chủ đầu tư hạ tầng"]


def table_rows(html):
    """Each preview row's cells as text (tags dropped)."""
    body = html.split('<table class="import-preview">', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", " ", c).split() for c in cells])
    return rows


def test_invalid_rows_show_spreadsheet_numbers_and_their_errors_in_place(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    content = csv_bytes(
        [
            HEADER,
            ["CCN-MOT", "Một", "017", "20", ""],
            ["CCN-HAI", "Hai", "017", "hai mươi", ""],
            ["CCN-BA", "Ba", "999", "nhiều", ""],
        ]
    )
    html = upload_bytes(client, "clusters", "csv", content).content.decode()

    rows = table_rows(html)
    assert [row[0] for row in rows] == [["3"], ["4"]]  # the header is row 1
    # The error stands in its column's cell, as text (not in a hover box).
    assert re.search(
        r'<td class="cell-error">hai mươi<ul class="cell-errors"><li>“hai mươi” không phải là số.',
        html,
    )
    assert "Không có quận/huyện nào có mã 999." in html
    assert "validation-error-container" not in html
    # A summary per column.
    assert "Diện tích quy hoạch (ha): 2 lỗi" in html
    assert "Mã quận/huyện: 1 lỗi" in html
    # Blank cells are blank.
    assert "None" not in html.split('<table class="import-preview">', 1)[1]
    assert not IndustrialCluster.objects.exists()


def test_valid_preview_numbers_rows_as_the_spreadsheet_and_shows_blanks_blank(
    client, dong_anh_staff
):
    client.force_login(dong_anh_staff)
    content = csv_bytes(
        [HEADER, ["CCN-MOT", "Một", "017", "20", ""], ["CCN-HAI", "Hai", "17", "25", ""]]
    )
    html = upload_bytes(client, "clusters", "csv", content).content.decode()
    rows = table_rows(html)
    assert [row[0] for row in rows] == [["2"], ["3"]]
    assert "2 mới, 0 thay đổi, 0 không thay đổi" in html
    assert "None" not in html.split('<table class="import-preview">', 1)[1]


def test_a_lowercase_or_padded_code_updates_the_existing_record(client, dong_anh_staff, dong_anh):
    cluster = ClusterFactory(code="CCN-LIEN-HA", name="Liên Hà", district=dong_anh)
    client.force_login(dong_anh_staff)
    content = csv_bytes([HEADER, ["  ccn-lien-ha ", "Liên Hà (mở rộng)", "017", "31", ""]])

    preview, _done = import_file(client, "clusters", "csv", content)

    assert totals(preview) == {"update": 1}
    assert IndustrialCluster.objects.count() == 1
    cluster.refresh_from_db()
    assert cluster.code == "CCN-LIEN-HA"
    assert (cluster.name, cluster.area_ha) == ("Liên Hà (mở rộng)", Decimal("31"))


def test_a_lowercase_code_with_the_same_values_is_unchanged(client, dong_anh_staff, dong_anh):
    cluster = ClusterFactory(
        code="CCN-LIEN-HA", name="Liên Hà", district=dong_anh, area_ha=Decimal("30.00")
    )
    client.force_login(dong_anh_staff)
    content = csv_bytes([HEADER[:4], ["ccn-lien-ha", "Liên Hà", "17", "30"]])

    preview, _done = import_file(client, "clusters", "csv", content)

    assert totals(preview) == {"skip": 1}
    assert cluster.history.count() == 1


def test_blank_xlsx_cells_of_an_invalid_row_are_shown_blank(client, dong_anh_staff):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["CCN-MOT", "Một", "017", None, None])  # area missing: invalid, blanks
    stream = io.BytesIO()
    book.save(stream)
    client.force_login(dong_anh_staff)

    html = upload_bytes(client, "clusters", "xlsx", stream.getvalue()).content.decode()

    table = html.split('<table class="import-preview">', 1)[1].split("</table>", 1)[0]
    assert "cell-error" in table
    assert "None" not in table
