"""Dates typed the Vietnamese way through the admin's real widgets, in a browser whose language
is English (Chromium's default ``Accept-Language: en-US``) and in a Vietnamese one: every date
field of the cluster form, its inspection inline and the inspection form reads 01/06/2020 as
1 June 2020, as the API (JSON) then says; 15/03/2019 is accepted; 13/13/2020 is refused with
the expected form."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import ClusterFactory, district

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CLUSTER_DATES = [
    "established_on",
    "construction_started_on",
    "operating_since",
    "closed_on",
    "wwtp_construction_started_on",
    "wwtp_operating_since",
]
EXPECTED_FORM = "Nhập ngày theo dạng NN/TT/NNNN (ví dụ 01/06/2020)."


@pytest.fixture
def staff(district_user):
    district_user.groups.add(Group.objects.get(name="District staff"))
    return district_user


def type_date(page, selector: str, text: str) -> None:
    """Clear the admin's date input and type ``text`` key by key, as a person does."""
    field = page.locator(selector)
    field.click()
    field.press("Control+A")
    field.press("Backspace")
    field.press_sequentially(text)


def api_json(page, live_server, path: str) -> dict:
    """The API's JSON for ``path``, with the browser's signed-in session."""
    response = page.context.request.get(f"{live_server.url}{path}")
    assert response.ok, response.text()
    return response.json()


def save_and_continue(page):
    with page.expect_navigation():
        page.click("input[name=_continue]")


def test_every_cluster_and_inline_date_typed_day_first_is_saved_as_that_day(
    page, live_server, login, staff, locale
):
    login(staff)
    page.goto(f"{live_server.url}/admin/clusters/industrialcluster/add/")
    assert page.locator("html").get_attribute("lang") == "vi"  # whatever the browser asks
    page.fill("#id_code", "CCN-NGAY-VN")
    page.fill("#id_name", "Ngày kiểu Việt Nam")
    page.click("#id_district + .select2 .select2-selection")
    page.fill(".select2-search__field", "Đông")
    page.click(".select2-results__option:has-text('017 Đông Anh')")
    page.fill("#id_area_ha", "30")
    for name in CLUSTER_DATES:
        type_date(page, f"#id_{name}", "01/06/2020")
    page.select_option("#id_wwtp_standard", "qcvn40_2011_b")
    type_date(page, "#id_inspections-0-inspected_on", "01/06/2020")
    page.select_option("#id_inspections-0-result", "meets")
    page.select_option("#id_inspections-0-standard", "qcvn40_2011_b")
    save_and_continue(page)
    assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]

    cluster = api_json(page, live_server, "/api/v1/clusters/CCN-NGAY-VN/")
    for name in CLUSTER_DATES:
        assert cluster[name] == "2020-06-01", (name, cluster[name])
    inspections = api_json(page, live_server, "/api/v1/inspections/?cluster=CCN-NGAY-VN")
    assert [row["inspected_on"] for row in inspections["results"]] == ["2020-06-01"]

    # Shown back day first, in the inputs the official typed into.
    assert page.input_value("#id_established_on") == "01/06/2020"
    assert page.input_value("#id_inspections-0-inspected_on") == "01/06/2020"

    # 15/03/2019 is a date; 13/13/2020 is not, and the message says how to write one.
    type_date(page, "#id_established_on", "15/03/2019")
    save_and_continue(page)
    assert page.locator(".messagelist .success").count() == 1
    assert api_json(page, live_server, "/api/v1/clusters/CCN-NGAY-VN/")["established_on"] == (
        "2019-03-15"
    )
    type_date(page, "#id_established_on", "13/13/2020")
    save_and_continue(page)
    error = page.locator(".field-established_on .errorlist").inner_text()
    assert error == EXPECTED_FORM
    assert page.locator(".errornote").inner_text().strip() == "Vui lòng sửa các lỗi bên dưới."
    assert api_json(page, live_server, "/api/v1/clusters/CCN-NGAY-VN/")["established_on"] == (
        "2019-03-15"
    )


def test_the_calendar_and_the_inspection_form_write_and_read_day_first(
    page, live_server, login, staff, locale
):
    ClusterFactory(code="CCN-LICH", name="Lịch", district=district("017"), established_on=None)
    login(staff)
    page.goto(f"{live_server.url}/admin/clusters/wastewaterinspection/add/")
    page.click("#id_cluster + .select2 .select2-selection")
    page.fill(".select2-search__field", "LICH")
    page.click(".select2-results__option:has-text('CCN-LICH')")

    # The admin's calendar picks a day and writes it DD/MM/YYYY.
    page.click(".field-inspected_on .datetimeshortcuts a:has(.date-icon)")
    calendar = page.locator(".calendarbox").first
    assert calendar.is_visible()
    calendar.locator("td:not(.nonday) a", has_text="15").first.click()
    written = page.input_value("#id_inspected_on")
    day, month, year = written.split("/")
    assert day == "15" and len(month) == 2 and len(year) == 4, written

    type_date(page, "#id_inspected_on", "01/06/2020")
    page.select_option("#id_result", "fails")
    page.select_option("#id_standard", "qcvn40_2011_b")
    save_and_continue(page)
    assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]
    rows = api_json(page, live_server, "/api/v1/inspections/?cluster=CCN-LICH")["results"]
    assert [row["inspected_on"] for row in rows] == ["2020-06-01"]
    assert page.input_value("#id_inspected_on") == "01/06/2020"


def test_an_inspection_before_the_cluster_is_saved_with_a_warning(
    page, live_server, login, staff, locale
):
    from datetime import date

    ClusterFactory(
        code="CCN-CU", name="Cũ", district=district("017"), established_on=date(2012, 1, 1)
    )
    login(staff)
    page.goto(f"{live_server.url}/admin/clusters/wastewaterinspection/add/")
    page.click("#id_cluster + .select2 .select2-selection")
    page.fill(".select2-search__field", "CCN-CU")
    page.click(".select2-results__option:has-text('CCN-CU')")
    type_date(page, "#id_inspected_on", "01/06/2001")
    page.select_option("#id_result", "meets")
    page.select_option("#id_standard", "qcvn40_2011_b")
    save_and_continue(page)
    warning = page.locator(".messagelist .warning").inner_text()
    assert "trước ngày quyết định thành lập cụm (01/01/2012)" in warning
    assert "sẽ không được tính là căn cứ" in warning
