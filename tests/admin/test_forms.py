"""The change forms: no lost edits, computed state with its reason, warnings, languages."""

import datetime
from decimal import Decimal

from django.urls import reverse

from clusters.models import IndustrialCluster
from markets.models import Market
from registry.dates import today
from tests.admin.conftest import cluster_form_data
from tests.factories import ClusterFactory, InspectionFactory, UserFactory


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_second_of_two_concurrent_edits_is_refused_naming_what_changed(
    client, dong_anh_staff, dong_anh_cluster
):
    client.force_login(dong_anh_staff)
    form = client.get(change_url(dong_anh_cluster))
    loaded_version = form.context["adminform"].form["expected_version"].value()
    assert loaded_version == 1
    assert 'name="expected_version"' in form.content.decode()

    # Meanwhile a colleague saves a new developer.
    colleague = UserFactory(username="dong-anh-colleague", districts=[dong_anh_cluster.district])
    other = IndustrialCluster.objects.get(pk=dong_anh_cluster.pk)
    other.developer = "Công ty TNHH Hạ tầng Thiết Bình"
    other._history_user = colleague
    other.save_if_unchanged(1)

    response = client.post(
        change_url(dong_anh_cluster),
        cluster_form_data(dong_anh_cluster, name="Tên mới", expected_version="1"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "dong-anh-colleague đã lưu hồ sơ này lúc" in html
    assert "chủ đầu tư hạ tầng" in html  # the field that changed meanwhile
    assert "Thay đổi của bạn chưa được lưu" in html
    stored = IndustrialCluster.objects.get(pk=dong_anh_cluster.pk)
    assert stored.name == "Thiết Bình"  # not overwritten
    assert stored.developer == "Công ty TNHH Hạ tầng Thiết Bình"
    assert stored.version == 2


def test_edit_at_the_current_version_is_saved_and_bumps_it(
    client, dong_anh_staff, dong_anh_cluster
):
    client.force_login(dong_anh_staff)
    response = client.post(
        change_url(dong_anh_cluster), cluster_form_data(dong_anh_cluster, name="Thiết Bình 2")
    )
    assert response.status_code == 302
    stored = IndustrialCluster.objects.get(pk=dong_anh_cluster.pk)
    assert (stored.name, stored.version) == ("Thiết Bình 2", 2)
    assert stored.history.latest().history_user == dong_anh_staff


def test_market_edit_conflict_is_refused_too(client, dong_anh_staff, dong_anh_market):
    client.force_login(dong_anh_staff)
    other = Market.objects.get(pk=dong_anh_market.pk)
    other.business_points = 420
    other.save()
    data = {
        "code": dong_anh_market.code,
        "name": "Chợ mới",
        "district": dong_anh_market.district_id,
        "address": "",
        "kind": dong_anh_market.kind,
        "market_class": "",
        "construction": dong_anh_market.construction,
        "capital": dong_anh_market.capital,
        "management": "",
        "business_points": "150",
        "area_m2": "2500",
        "year_built": "",
        "status": dong_anh_market.status,
        "status_since": "",
        "expected_version": "1",
        "projects-TOTAL_FORMS": "0",
        "projects-INITIAL_FORMS": "0",
        "projects-MIN_NUM_FORMS": "0",
        "projects-MAX_NUM_FORMS": "1000",
    }
    response = client.post(change_url(dong_anh_market), data)
    assert response.status_code == 200
    assert "số điểm kinh doanh" in response.content.decode()
    assert Market.objects.get(pk=dong_anh_market.pk).business_points == 420


def test_change_form_shows_computed_status_and_state_with_the_reason(client, dong_anh_staff):
    day = today()
    cluster = ClusterFactory(
        code="CCN-DANG-CHAY",
        established_on=datetime.date(2010, 1, 1),
        operating_since=datetime.date(2012, 1, 1),
        wwtp_operating_since=datetime.date(2013, 1, 1),
        wwtp_standard="qcvn40_2011_b",
    )
    InspectionFactory(cluster=cluster, inspected_on=day - datetime.timedelta(days=30))
    client.force_login(dong_anh_staff)
    html = client.get(change_url(cluster)).content.decode()
    assert "Đang hoạt động (tính từ các mốc thời gian tại ngày" in html
    assert 'data-state="compliant"' in html
    assert "Lần kiểm tra nước thải gần nhất, còn trong thời hạn, đạt quy chuẩn." in html
    # Read-only: no input for them.
    assert 'name="status_today"' not in html and 'name="wastewater_state_today"' not in html

    # A later failing inspection changes the state and its reason.
    InspectionFactory(cluster=cluster, inspected_on=day, result="fails")
    html = client.get(change_url(cluster)).content.decode()
    assert 'data-state="failed"' in html
    assert "cho thấy nước thải vượt giới hạn cho phép" in html


def test_inspections_inline_newest_first(client, dong_anh_staff, dong_anh_cluster):
    InspectionFactory(
        cluster=dong_anh_cluster, inspected_on=datetime.date(2020, 1, 1), reference="OLD"
    )
    InspectionFactory(
        cluster=dong_anh_cluster, inspected_on=datetime.date(2024, 1, 1), reference="NEW"
    )
    client.force_login(dong_anh_staff)
    html = client.get(change_url(dong_anh_cluster)).content.decode()
    assert html.index('value="NEW"') < html.index('value="OLD"')


def test_area_outside_the_decree_range_is_a_warning_not_a_refusal(client, dong_anh_staff, dong_anh):
    client.force_login(dong_anh_staff)
    response = client.post(
        reverse("admin:clusters_industrialcluster_add"),
        cluster_form_data(code="CCN-NHO", name="Cụm nhỏ", district=str(dong_anh.pk), area_ha="4.5"),
        follow=True,
    )
    assert IndustrialCluster.objects.get(code="CCN-NHO").area_ha == Decimal("4.50")
    html = response.content.decode()
    assert "nằm ngoài khoảng 10–75 ha" in html
    assert 'class="warning"' in html


def test_dates_out_of_order_are_a_form_error_in_vietnamese(client, dong_anh_staff, dong_anh):
    client.force_login(dong_anh_staff)
    response = client.post(
        reverse("admin:clusters_industrialcluster_add"),
        cluster_form_data(
            code="CCN-NGUOC",
            name="Ngược",
            district=str(dong_anh.pk),
            established_on="2020-01-01",
            construction_started_on="2019-01-01",
        ),
    )
    assert response.status_code == 200
    assert "Ngày khởi công không được trước ngày quyết định thành lập." in response.content.decode()
    assert not IndustrialCluster.objects.filter(code="CCN-NGUOC").exists()


def test_add_cluster_with_an_inspection_in_one_form(client, dong_anh_staff, dong_anh):
    client.force_login(dong_anh_staff)
    data = cluster_form_data(
        code="CCN-MOI",
        name="Cụm mới",
        district=str(dong_anh.pk),
        established_on="2010-01-01",
        operating_since="2012-01-01",
        wwtp_operating_since="2013-01-01",
    )
    data.update(
        {
            "inspections-TOTAL_FORMS": "1",
            "inspections-0-inspected_on": today().isoformat(),
            "inspections-0-result": "meets",
            "inspections-0-standard": "qcvn40_2011_b",
            "inspections-0-agency": "Sở TN&MT",
        }
    )
    response = client.post(reverse("admin:clusters_industrialcluster_add"), data)
    assert response.status_code == 302
    cluster = IndustrialCluster.objects.with_wastewater_state(today()).get(code="CCN-MOI")
    assert cluster.wastewater_state == "compliant"


def test_market_class_against_criteria_is_flagged(client, dong_anh_staff, dong_anh_market):
    dong_anh_market.market_class = "1"  # but only 150 business points
    dong_anh_market.save()
    client.force_login(dong_anh_staff)
    html = client.get(change_url(dong_anh_market)).content.decode()
    assert "Hạng đã ghi (Hạng 1) khác với hạng mà số liệu của chợ cho thấy (Hạng 3" in html
    listing = client.get(reverse("admin:markets_market_changelist")).content.decode()
    assert "icon-no.svg" in listing
    flagged = client.get(
        reverse("admin:markets_market_changelist"), {"class_check": "mismatch"}
    ).content.decode()
    assert "CHO-DONG-ANH" in flagged
    matching = client.get(
        reverse("admin:markets_market_changelist"), {"class_check": "match"}
    ).content.decode()
    assert "CHO-DONG-ANH" not in matching


def test_list_filters_on_the_computed_state(client, dong_anh_staff, dong_anh_cluster):
    operating = ClusterFactory(
        code="CCN-CO-HT",
        established_on=datetime.date(2010, 1, 1),
        operating_since=datetime.date(2012, 1, 1),
    )
    client.force_login(dong_anh_staff)
    url = reverse("admin:clusters_industrialcluster_changelist")
    html = client.get(url, {"wastewater_state": "no_treatment_plant"}).content.decode()
    assert operating.code in html and dong_anh_cluster.code not in html
    html = client.get(url, {"status": "established"}).content.decode()
    assert dong_anh_cluster.code in html and operating.code not in html
    # Sorting by a computed column works too.
    assert client.get(url, {"o": "4"}).status_code == 200


def test_form_in_vietnamese_by_default_and_in_english_when_chosen(client, dong_anh_staff):
    client.force_login(dong_anh_staff)
    url = reverse("admin:clusters_industrialcluster_add")
    vietnamese = client.get(url).content.decode()
    assert '<html lang="vi"' in vietnamese
    assert "Diện tích quy hoạch (ha)" in vietnamese
    assert "Hệ thống xử lý nước thải tập trung" in vietnamese
    assert 'id="language-switch"' in vietnamese

    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert '<html lang="en"' in english
    assert "Planned area (ha)" in english
    assert "Centralized wastewater treatment plant" in english
    assert "Diện tích quy hoạch" not in english


def test_spreadsheet_template_has_vietnamese_headers(client, dong_anh_staff):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(dong_anh_staff)
    response = client.get(reverse("admin:clusters_industrialcluster_spreadsheet_template"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Mã", "Tên", "Mã quận/huyện"]
    assert "Ngày quyết định thành lập" in headers
    assert "Tình trạng hôm nay" not in headers  # computed columns are export-only
    csv = client.get(
        reverse("admin:markets_market_spreadsheet_template"), {"format": "csv"}
    ).content.decode("utf-8-sig")
    assert csv.startswith("Mã,Tên,Mã quận/huyện,Địa chỉ / phường")


def test_history_shows_who_when_and_a_readable_diff(client, dong_anh_staff, dong_anh_cluster):
    client.force_login(dong_anh_staff)
    client.post(
        change_url(dong_anh_cluster),
        cluster_form_data(dong_anh_cluster, wwtp_standard="qcvn40_2011_a", area_ha="31"),
    )
    html = client.get(
        reverse("admin:clusters_industrialcluster_history", args=[dong_anh_cluster.pk])
    ).content.decode()
    assert "dong-anh-staff" in html  # who
    assert "Quy chuẩn áp dụng cho nước thải đầu ra:" in html  # the field, by its label
    assert "QCVN 40:2011/BTNMT, cột A" in html  # the new value, by its label
    assert "Diện tích quy hoạch (ha):" in html
    assert "Phiên bản:" not in html  # bookkeeping left out


def test_inspection_and_project_forms_carry_the_version_too(
    client, dong_anh_staff, dong_anh_cluster, dong_anh_market
):
    from tests.factories import MarketProjectFactory

    inspection = InspectionFactory(cluster=dong_anh_cluster)
    project = MarketProjectFactory(market=dong_anh_market)
    client.force_login(dong_anh_staff)
    for obj in (inspection, project):
        page = client.get(change_url(obj))
        assert page.status_code == 200
        assert 'name="expected_version"' in page.content.decode()

    inspection.agency = "Cơ quan khác"
    inspection.save()  # someone else, meanwhile
    response = client.post(
        change_url(inspection),
        {
            "cluster": dong_anh_cluster.pk,
            "inspected_on": "2021-06-01",
            "result": "fails",
            "standard": "qcvn40_2011_b",
            "agency": "",
            "reference": "",
            "exceeded_parameters": "",
            "note": "",
            "expected_version": "1",
        },
    )
    assert response.status_code == 200
    assert "cơ quan kiểm tra" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.result == "meets"
