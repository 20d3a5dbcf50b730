"""Reading uploaded spreadsheets within fixed bounds (issue 14, item 1) and CSV files as Excel
writes them (issue 13): registry.uploads.

The hostile files are built here by hand (zipfile + XML). Time is not measured; that the reader
stops early is: a count of the rows it keeps, and Python's allocations (tracemalloc) under a
bound far below what building the claimed grid or string would take.
"""

import codecs
import datetime
import io
import tracemalloc
import unicodedata
import zipfile

import openpyxl
import pytest

from registry import uploads
from registry.uploads import UnreadableFile, read_csv, read_xlsx

pytestmark = pytest.mark.usefixtures("vietnamese")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def limit(settings):
    settings.REGISTRY = {**settings.REGISTRY, "IMPORT_MAX_ROWS": 100}
    return 100


def workbook(sheet_rows: str, *, shared=None, dimension=None, extra=None, sheet_xml=None):
    """An XLSX archive written by hand: one worksheet whose ``<sheetData>`` is ``sheet_rows``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        rels = f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/s1.xml"/>'
        if shared is not None:
            rels += f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="ss.xml"/>'
            archive.writestr("xl/ss.xml", shared)
        archive.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{RELS}">{rels}</Relationships>'
        )
        dim = f'<dimension ref="{dimension}"/>' if dimension else ""
        archive.writestr(
            "xl/worksheets/s1.xml",
            sheet_xml
            or f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{sheet_rows}</sheetData></worksheet>',
        )
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def text_cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def peak_bytes(function, *args):
    """Run ``function``; its refusal and the peak of Python's allocations meanwhile."""
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile) as refusal:
            function(*args)
        return refusal.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class CountingRows(uploads._Rows):
    kept = 0

    def add(self, number, cells):
        super().add(number, cells)
        CountingRows.kept += 1


@pytest.fixture
def counting(monkeypatch):
    CountingRows.kept = 0
    monkeypatch.setattr(uploads, "_Rows", CountingRows)
    return CountingRows


# -- XLSX: addresses, rows, columns -------------------------------------------------------------


@pytest.mark.parametrize("dimension", [None, "A1:XFD1048576"])
def test_a_cell_at_xfd1048576_is_refused_without_building_the_grid(dimension):
    data = workbook(
        '<row r="1">' + text_cell("A1", "Mã") + "</row>"
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        dimension=dimension,
    )
    assert len(data) < 2000
    refusal, peak = peak_bytes(read_xlsx, data)
    assert "Ô XFD1048576 nằm ngoài 200 cột" in str(refusal)
    assert peak < 5 * 1024 * 1024  # the grid would be 17 billion cells


def test_a_value_far_below_the_row_limit_is_refused_without_blank_rows(counting, limit):
    data = workbook(
        '<row r="1">'
        + text_cell("A1", "Mã")
        + '</row><row r="1048576">'
        + text_cell("A1048576", "x")
        + "</row>"
    )
    refusal, peak = peak_bytes(read_xlsx, data)
    assert "Tệp có hơn 100 dòng" in str(refusal)
    assert counting.kept == 1  # the header only: no blank row was made
    assert peak < 5 * 1024 * 1024


def test_a_sheet_of_many_rows_stops_after_the_limit(counting, limit):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 200_001))
    data = workbook(rows)
    refusal, peak = peak_bytes(read_xlsx, data)
    assert "Tệp có hơn 100 dòng; mỗi lần nhập chỉ được tối đa 100 dòng." in str(refusal)
    assert counting.kept == limit + 1  # header and 100 rows, then the refusal
    assert peak < 10 * 1024 * 1024


def test_exactly_the_limit_with_blank_rows_after_it_is_read(limit):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 102))
    rows += '<row r="5000"><c r="A5000" s="1"/></row>'  # a formatted empty cell further down
    dataset = read_xlsx(workbook(rows))
    assert len(dataset) == 100
    assert dataset.headers == [1]


def test_a_column_past_the_cap_is_refused_when_it_holds_a_value():
    empty_far = workbook('<row r="1">' + text_cell("A1", "Mã") + '<c r="ZZ1" s="3"/></row>')
    assert read_xlsx(empty_far).headers == ["Mã"]  # formatting alone is no column
    wide = workbook('<row r="1">' + text_cell("A1", "Mã") + text_cell("GS1", "x") + "</row>")
    with pytest.raises(UnreadableFile, match="Ô GS1 nằm ngoài 200 cột"):
        read_xlsx(wide)


def test_millions_of_formatted_empty_cells_are_refused_by_count():
    row = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c>'
        + "<c/>" * (uploads.MAX_SHEET_ELEMENTS + 10)
        + "</row>"
    )
    data = workbook(row)
    assert len(data) < 100_000
    refusal, _peak = peak_bytes(read_xlsx, data)
    assert "Trang tính có hơn 2000000 ô" in str(refusal)


# -- XLSX: strings and the archive --------------------------------------------------------------


def test_a_100_mb_shared_string_in_a_small_file_is_not_read_whole():
    shared = f'<sst xmlns="{MAIN}"><si><t>' + "A" * (100 * 1024 * 1024) + "</t></si></sst>"
    data = workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=shared)
    assert len(data) < 150_000
    refusal, peak = peak_bytes(read_xlsx, data)
    assert "giải nén lớn hơn 64 MB" in str(refusal)
    assert peak < 10 * 1024 * 1024


def test_a_shared_string_longer_than_a_cell_is_refused_as_it_is_read():
    shared = f'<sst xmlns="{MAIN}"><si><t>' + "Ư" * (5 * 1024 * 1024) + "</t></si></sst>"
    data = workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=shared)
    refusal, peak = peak_bytes(read_xlsx, data)
    assert "chứa hơn 32767 ký tự" in str(refusal)
    assert peak < 2 * 1024 * 1024  # a few chunks, not the 5 million characters


def test_an_inline_string_longer_than_a_cell_is_refused():
    data = workbook('<row r="1">' + text_cell("B1", "x" * 40_000) + "</row>")
    with pytest.raises(UnreadableFile, match="Ô B1 chứa hơn 32767 ký tự"):
        read_xlsx(data)
    assert read_xlsx(
        workbook('<row r="1">' + text_cell("B1", "x" * 32_767) + "</row>")
    ).headers == [
        None,
        "x" * 32_767,
    ]


def test_a_member_larger_than_its_header_declares_is_refused():
    """The size a member's header declares is not trusted: zipfile stops at it and the CRC
    check fails, and the reader counts what it decompresses anyway."""
    shared = f'<sst xmlns="{MAIN}"><si><t>' + "A" * 2_000_000 + "</t></si></sst>"
    data = bytearray(workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=shared))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/ss.xml")
    # the central directory entry's uncompressed size: claim 100 bytes
    central = bytes(data).rfind(b"xl/ss.xml")
    entry = bytes(data).rfind(b"PK\x01\x02", 0, central)
    data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
    assert info.file_size > 100
    with pytest.raises(UnreadableFile):
        read_xlsx(bytes(data))


def test_an_archive_of_too_many_members_is_refused_before_it_is_parsed():
    extra = {f"xl/media/{n}.bin": b"" for n in range(uploads.MAX_ZIP_MEMBERS + 1)}
    data = workbook('<row r="1">' + text_cell("A1", "Mã") + "</row>", extra=extra)
    with pytest.raises(UnreadableFile, match="gồm nhiều thành phần hơn"):
        read_xlsx(data)


def test_entity_declarations_are_refused_not_expanded():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
        + f']><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;'
        "</t></is></c></row></sheetData></worksheet>"
    )
    refusal, peak = peak_bytes(read_xlsx, workbook("", sheet_xml=laughs))
    assert "khai báo kiểu tài liệu XML" in str(refusal)
    assert peak < 2 * 1024 * 1024


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip", b"PK\x03\x04broken", "Mã,Tên\n".encode()],
    ids=["empty", "text", "broken-zip", "csv"],
)
def test_what_is_not_a_workbook_says_what_to_do(data):
    with pytest.raises(UnreadableFile, match="không phải là sổ làm việc Excel"):
        read_xlsx(data)


def test_a_file_over_the_upload_limit_is_refused(settings):
    settings.REGISTRY_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(UnreadableFile, match="Tệp lớn hơn"):
        read_csv(b"a\n" * 600)


# -- XLSX as Excel writes it: typed cells -------------------------------------------------------


def test_typed_cells_are_read_as_dates_numbers_and_booleans():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã", "Ngày", "Diện tích", "Số", "Quan trắc", "Ghi chú"])
    sheet.append(["CCN-1", datetime.date(2019, 10, 20), 8.5, 37, True, "=chưa là công thức"])
    sheet.append(["CCN-2", datetime.datetime(2020, 1, 2, 0, 0), 12, 0, False, None])
    sheet["B2"].number_format = "DD/MM/YYYY"
    sheet["F2"].data_type = "s"  # text beginning with "=", as Excel keeps text
    book.create_sheet("Other")["A1"] = "not this sheet"
    out = io.BytesIO()
    book.save(out)

    dataset = read_xlsx(out.getvalue())
    assert dataset.headers == ["Mã", "Ngày", "Diện tích", "Số", "Quan trắc", "Ghi chú"]
    first, second = list(dataset)
    assert first[1] == datetime.datetime(2019, 10, 20)
    assert first[2] == 8.5 and isinstance(first[2], float)
    assert first[3] == 37 and isinstance(first[3], int)
    assert first[4] is True and second[4] is False
    assert first[5] == "=chưa là công thức"
    assert second[1] == datetime.datetime(2020, 1, 2)
    assert second[5] is None


def test_the_active_sheet_is_read_as_excel_opens_it():
    book = openpyxl.Workbook()
    book.active["A1"] = "first"
    second = book.create_sheet("Second")
    second["A1"] = "second"
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    assert read_xlsx(out.getvalue()).headers == ["second"]


# -- CSV: dialects and encodings, as Excel writes them ------------------------------------------

HEADER = ["Mã", "Tên", "Diện tích quy hoạch (ha)", "Ghi chú"]
ROWS = [["CCN-1", "Liên Hà; Đông Anh", "8,5", 'nói "được"'], ["CCN-2", "Dục Tú", "12", ""]]


def cp1258(text: str) -> bytes:
    """``text`` as Excel saves "CSV (Comma delimited)" on a Vietnamese Windows: code page 1258,
    a letter with a tone written as its base letter (â, ê, ô, ơ, ư, ă when it has one) and a
    combining tone mark."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:
            composed = unicodedata.normalize("NFC", base + mark)
            rest = [m for m in marks if m != mark]
            try:
                out += composed.encode("cp1258") + "".join(rest).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += (base + "".join(marks)).encode("cp1258")
    return out


def excel_csv(separator: str, encoding: str, bom: bytes = b"") -> bytes:
    """Rows as Excel saves them: CRLF, a value holding the separator or a quote in quotes."""
    lines = []
    for row in [HEADER, *ROWS]:
        cells = []
        for value in row:
            if separator in value or '"' in value or "\n" in value:
                value = '"' + value.replace('"', '""') + '"'
            cells.append(value)
        lines.append(separator.join(cells))
    text = "\r\n".join(lines) + "\r\n"
    return bom + (cp1258(text) if encoding == "cp1258" else text.encode(encoding))


@pytest.mark.parametrize(
    ("separator", "encoding", "bom"),
    [
        (",", "utf-8", b""),
        (",", "utf-8", codecs.BOM_UTF8),  # "CSV UTF-8 (Comma delimited)"
        (";", "utf-8", codecs.BOM_UTF8),  # the same where the list separator is ";"
        (";", "utf-8", b""),
        ("\t", "utf-16-le", codecs.BOM_UTF16_LE),  # "Unicode Text"
        ("\t", "utf-16-be", codecs.BOM_UTF16_BE),
        (",", "utf-16-le", codecs.BOM_UTF16_LE),
        ("\t", "utf-8", b""),
    ],
    ids=[
        "comma",
        "comma-bom",
        "semicolon-bom",
        "semicolon",
        "utf16le-tab",
        "utf16be-tab",
        "utf16le-comma",
        "tab",
    ],
)
def test_csv_dialects_and_encodings_excel_writes(separator, encoding, bom):
    dataset = read_csv(excel_csv(separator, encoding, bom))
    assert dataset.headers == HEADER
    assert [list(row) for row in dataset] == ROWS


def test_a_windows_code_page_csv_is_refused_saying_what_to_do():
    data = excel_csv(",", "cp1258")
    assert unicodedata.normalize("NFC", data.decode("cp1258")).startswith("Mã,Tên,Diện tích")
    with pytest.raises(UnreadableFile) as refusal:
        read_csv(data)
    message = str(refusal.value)
    assert "không phải văn bản UTF-8 (dòng 1)" in message
    assert "cp1258" in message
    assert "“CSV UTF-8 (Comma delimited)” hoặc sổ làm việc Excel (.xlsx) rồi tải lên lại" in message


def test_a_workbook_chosen_as_csv_is_refused_saying_which_format():
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(UnreadableFile, match="hãy chọn định dạng “xlsx”"):
        read_csv(out.getvalue())


def test_csv_rows_and_cells_are_bounded(counting, limit):
    many = ("Mã\r\n" + "".join(f"CCN-{n}\r\n" for n in range(100_000))).encode()
    with pytest.raises(UnreadableFile, match="Tệp có hơn 100 dòng"):
        read_csv(many)
    assert counting.kept == limit + 1
    with pytest.raises(UnreadableFile, match="dài hơn 32767 ký tự"):
        read_csv(b"M\xc3\xa3\r\n" + b"x" * 40_000 + b"\r\n")
    with pytest.raises(UnreadableFile, match="dài hơn 32767 ký tự"):
        read_csv(b'Ma\r\n"never closed\r\n' + b"x" * 40_000)
    refusal, peak = peak_bytes(read_csv, b"a,b\r\n" + b"," * 5_000_000)
    assert "nằm ngoài 200 cột" in str(refusal)
    assert peak < 40 * 1024 * 1024  # the 5 MB text itself, not five million fields


def test_csv_blank_rows_in_the_middle_stay_rows_and_at_the_end_go():
    dataset = read_csv(b"Ma,Ten\r\nA,1\r\n,\r\nB,2\r\n\r\n,,\r\n")
    assert [list(row) for row in dataset] == [["A", "1"], ["", ""], ["B", "2"]]


def test_csv_row_wider_than_its_header_says_to_quote_the_separator():
    with pytest.raises(UnreadableFile) as refusal:
        read_csv("Mã;Tên\r\nCCN-1;Liên Hà;Đông Anh\r\n".encode())
    assert "Dòng 2 có 3 giá trị nhưng dòng tiêu đề chỉ có 2 cột" in str(refusal.value)
    assert "“;”" in str(refusal.value)
    # trailing empty cells are not values
    assert len(read_csv("Mã;Tên\r\nCCN-1;Liên Hà;;\r\n".encode())) == 1


def test_nul_bytes_are_refused_with_a_message():
    with pytest.raises(UnreadableFile, match="ký tự NUL"):
        read_csv(b"Ma,Ten\r\nA\x00,1\r\n")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_stops_at_the_cell_cap(counting, monkeypatch, kind):
    """20,000 rows of 200 short cells would be four million objects; reading stops at the cap."""
    monkeypatch.setattr(uploads, "MAX_CELLS", 10_000)
    if kind == "csv":
        line = ",".join(["ab"] * 200) + "\r\n"
        with pytest.raises(UnreadableFile, match="Tệp có hơn 10000 ô"):
            read_csv((line * 20_000).encode())
    else:
        rows = "".join(
            f'<row r="{n}">'
            + "".join(f'<c r="{uploads._column_letters(c)}{n}"><v>1</v></c>' for c in range(200))
            + "</row>"
            for n in range(1, 2001)
        )
        with pytest.raises(UnreadableFile, match="Tệp có hơn 10000 ô"):
            read_xlsx(workbook(rows))
    assert counting.kept <= 10_000 // 200 + 1
