"""Files as Excel writes them, through the admin's import (issue 13): a semicolon CSV with a BOM,
Excel's "Unicode text" (UTF-16LE, tab-separated, CRLF), an XLSX with typed cells; and files
that cannot be read get a message saying what to do, never an exception's name (issue 14)."""

import codecs
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from clusters.models import IndustrialCluster
from registry.pending_imports import PendingImport
from tests.admin.helpers import FORMATS, confirm
from tests.registry.test_uploads import cp1258

CLUSTERS = "clusters_industrialcluster"
HEADER = [
    "Mã",
    "Tên",
    "Mã quận/huyện",
    "Diện tích quy hoạch (ha)",
    "Ngày quyết định thành lập",
    "Quan trắc tự động, liên tục",
]
ROWS = [
    ["CCN-LIEN-HA-2", "Liên Hà 2; mở rộng", "017", "45,5", "15/03/2012", "có"],
    ["CCN-DUC-TU", "Dục Tú", "017", "8,5", "20/10/2019", "không"],
]


def post(client, name: str, content: bytes, kind: str):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(
        reverse(f"admin:{CLUSTERS}_import"),
        {"import_file": upload, "format": FORMATS[kind], "resource": "0"},
    )


def excel_text(separator: str) -> str:
    lines = []
    for row in [HEADER, *ROWS]:
        lines.append(separator.join(f'"{v}"' if separator in v or "," in v else v for v in row))
    return "\r\n".join(lines) + "\r\n"


def check_saved(client, preview):
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'name="import_file_name"' in html, html[-3000:]
    assert confirm(client, CLUSTERS, preview).status_code == 302
    clusters = {c.code: c for c in IndustrialCluster.objects.all()}
    assert set(clusters) == {"CCN-LIEN-HA-2", "CCN-DUC-TU"}
    assert clusters["CCN-LIEN-HA-2"].name == "Liên Hà 2; mở rộng"
    assert clusters["CCN-LIEN-HA-2"].area_ha == Decimal("45.50")
    assert clusters["CCN-DUC-TU"].established_on == datetime.date(2019, 10, 20)
    assert clusters["CCN-LIEN-HA-2"].wwtp_automatic_monitoring is True


def test_semicolon_csv_with_a_bom_imports(client, dong_anh_staff):
    """What Excel writes as "CSV UTF-8" where the list separator is ";" (before: the
    preview said "'InvalidDimensions' encountered while trying to read file")."""
    client.force_login(dong_anh_staff)
    content = codecs.BOM_UTF8 + excel_text(";").encode("utf-8")
    check_saved(client, post(client, "cum.csv", content, "csv"))


def test_excel_unicode_text_utf16_tab_separated_imports(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    content = codecs.BOM_UTF16_LE + excel_text("\t").encode("utf-16-le")
    check_saved(client, post(client, "cum.txt", content, "csv"))


def test_xlsx_with_typed_cells_imports(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(
        ["CCN-LIEN-HA-2", "Liên Hà 2; mở rộng", 17, 45.5, datetime.date(2012, 3, 15), True]
    )
    sheet.append(["CCN-DUC-TU", "Dục Tú", "017", 8.5, datetime.date(2019, 10, 20), False])
    for cell in ("E2", "E3"):
        sheet[cell].number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    check_saved(client, post(client, "cum.xlsx", out.getvalue(), "xlsx"))


def far_cell_workbook() -> bytes:
    out = io.BytesIO()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{rels}"><Relationship Id="r1" Type="{office}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{office}"><sheets><sheet name="S" sheetId="1" '
            'r:id="r1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{rels}"><Relationship Id="r1" Type="{office}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}"><dimension ref="A1:XFD1048576"/><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>',
        )
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("cum.xlsx", far_cell_workbook(), "xlsx", "Ô XFD1048576 nằm ngoài 200 cột"),
        ("cum.csv", cp1258(excel_text(",")), "csv", "không phải văn bản UTF-8"),
        ("cum.csv", b"PK\x03\x04" + b"\x00" * 40, "csv", "hãy chọn định dạng “xlsx”"),
        ("cum.xlsx", excel_text(",").encode(), "xlsx", "không phải là sổ làm việc Excel"),
        (
            "cum.csv",
            "Mã,Tên\r\nCCN-1,Liên Hà,Đông Anh\r\n".encode(),
            "csv",
            "Dòng 2 có 3 giá trị nhưng dòng tiêu đề chỉ có 2 cột",
        ),
    ],
    ids=["far-cell", "cp1258", "zip-as-csv", "csv-as-xlsx", "wider-row"],
)
def test_an_unreadable_file_gets_a_message_saying_what_to_do(
    client, dong_anh_staff, name, content, kind, message
):
    client.force_login(dong_anh_staff)
    response = post(client, name, content, kind)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    for internal in ("InvalidDimensions", "UnicodeDecodeError", "BadZipFile", "encountered while"):
        assert internal not in html
    assert 'name="import_file_name"' not in html
    assert not PendingImport.objects.exists()
    assert not IndustrialCluster.objects.exists()


def test_a_reader_bug_shows_no_exception_name(client, dong_anh_staff, monkeypatch):
    from registry import uploads

    def broken(data):
        raise KeyError("internal")

    monkeypatch.setattr(uploads, "read_csv", broken)
    monkeypatch.setattr("registry.spreadsheets.CSV.reader", staticmethod(broken))
    client.force_login(dong_anh_staff)
    html = post(client, "cum.csv", excel_text(",").encode(), "csv").content.decode()
    assert "Không đọc được tệp." in html
    assert "KeyError" not in html
