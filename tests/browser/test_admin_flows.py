"""A district user's day in the admin, in Debian's Chromium and in Vietnamese: sign in, add a
cluster with an inspection and read its computed state, import a spreadsheet with a bad row."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from clusters.models import IndustrialCluster
from registry.dates import today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def staff(district_user):
    district_user.groups.add(Group.objects.get(name="District staff"))
    return district_user


def test_sign_in_in_vietnamese(page, live_server, login, staff):
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Đăng nhập" in page.title()
    assert page.locator("#language-select").input_value() == "vi"
    login(staff)
    assert page.url.endswith("/admin/")
    assert page.get_by_role("link", name="Cụm công nghiệp").first.is_visible()
    assert page.get_by_text("Hồ sơ").first.is_visible()  # the index title
    # Switching to English and back is one choice in the header.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Industrial clusters").first.is_visible()
    with page.expect_navigation():
        page.select_option("#language-select", "vi")
    assert page.locator("html").get_attribute("lang") == "vi"


def test_district_user_adds_a_cluster_with_an_inspection_and_sees_its_state(
    page, live_server, login, staff
):
    login(staff)
    page.goto(f"{live_server.url}/admin/clusters/industrialcluster/add/")
    page.fill("#id_code", "ccn-lien-ha-3")  # lower case is accepted and stored upper case
    page.fill("#id_name", "Liên Hà 3")
    # The district is an autocomplete offering only the user's districts.
    page.click("#id_district + .select2 .select2-selection")
    page.fill(".select2-search__field", "Đông")
    page.click(".select2-results__option:has-text('017 Đông Anh')")
    page.fill("#id_area_ha", "32.5")
    page.fill("#id_established_on", "2015-03-01")
    page.fill("#id_operating_since", "2018-01-01")
    page.fill("#id_wwtp_operating_since", "2019-01-01")
    page.select_option("#id_wwtp_standard", "qcvn40_2011_b")
    # The first inspection row of the inline.
    inspected = today() - datetime.timedelta(days=20)
    page.fill("#id_inspections-0-inspected_on", inspected.isoformat())
    page.select_option("#id_inspections-0-result", "meets")
    page.select_option("#id_inspections-0-standard", "qcvn40_2011_b")
    page.fill("#id_inspections-0-agency", "Sở Tài nguyên và Môi trường")
    page.click("input[name=_continue]")
    page.wait_for_load_state()

    assert page.locator(".messagelist .success").count() == 1
    state = page.locator('.field-wastewater_state_today [data-state="compliant"]')
    assert state.inner_text() == "Đạt quy chuẩn"
    reason = page.locator(".field-wastewater_state_today .readonly").inner_text()
    assert "còn trong thời hạn, đạt quy chuẩn" in reason
    status = page.locator(".field-status_today .readonly").inner_text()
    assert status.startswith("Đang hoạt động")
    cluster = IndustrialCluster.objects.get(code="CCN-LIEN-HA-3")
    assert cluster.inspections.count() == 1

    # The list shows the same computed state, coloured.
    page.goto(f"{live_server.url}/admin/clusters/industrialcluster/")
    row = page.locator("#result_list tbody tr", has_text="CCN-LIEN-HA-3")
    assert row.locator('[data-state="compliant"]').inner_text() == "Đạt quy chuẩn"


def test_import_of_a_spreadsheet_reports_its_bad_row_and_saves_nothing(
    page, live_server, login, staff
):
    login(staff)
    page.goto(f"{live_server.url}/admin/clusters/industrialcluster/")
    page.click("a.import_link")
    page.wait_for_load_state()
    page.set_input_files("#id_import_file", str(DATA / "clusters_bad_rows.xlsx"))
    page.select_option("#id_format", label="xlsx")
    page.click("input[type=submit]")
    page.wait_for_load_state()

    errors = page.locator(".import-preview, #content-main").first.inner_text()
    assert "Không có quận/huyện nào có mã 999." in errors
    assert "Ngày khởi công không được trước ngày quyết định thành lập." in errors
    # Each error is shown in its cell, without hovering, under the spreadsheet's row number.
    assert page.get_by_text("Không có quận/huyện nào có mã 999.").first.is_visible()
    assert page.locator(".cell-errors").first.is_visible()
    assert page.locator("td.row-number").first.inner_text() == "3"
    assert page.locator("input[name=import_file_name]").count() == 0  # nothing to confirm
    assert not IndustrialCluster.objects.exists()

    # The downloadable template is offered next to Import and Export.
    page.goto(f"{live_server.url}/admin/clusters/industrialcluster/")
    with page.expect_download() as download:
        page.click("a.template_link")
    assert download.value.suggested_filename == "cum-cong-nghiep-mau.xlsx"
