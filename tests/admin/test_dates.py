"""Dates in the admin: typed DD/MM/YYYY (ISO accepted), never read month first, in Vietnamese
and in English; shown back as DD/MM/YYYY; an unreadable date names the expected form.
Inspections dated before the cluster or its plant are kept with a warning."""

import datetime

import pytest
from django.urls import reverse

from clusters.models import IndustrialCluster, WastewaterInspection
from markets.models import Market
from tests.admin.conftest import cluster_form_data
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory

D = datetime.date
EXPECTED_FORM_VI = "Nhập ngày theo dạng NN/TT/NNNN (ví dụ 01/06/2020)."
EXPECTED_FORM_EN = "Enter the date as DD/MM/YYYY (for example 01/06/2020)."
CLUSTER_DATES = [
    "established_on",
    "construction_started_on",
    "operating_since",
    "wwtp_construction_started_on",
    "wwtp_operating_since",
]


def in_language(client, language):
    if language == "en":
        client.cookies["django_language"] = "en"
    return client


def inline_inspection(day: str) -> dict:
    return {
        "inspections-TOTAL_FORMS": "1",
        "inspections-0-inspected_on": day,
        "inspections-0-result": "meets",
        "inspections-0-standard": "qcvn40_2011_b",
        "inspections-0-agency": "Sở TN&MT",
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_cluster_date_and_the_inline_read_day_first(
    client, dong_anh_staff, dong_anh, language
):
    client.force_login(dong_anh_staff)
    in_language(client, language)
    data = cluster_form_data(
        code="CCN-NGAY", name="Ngày", district=str(dong_anh.pk), wwtp_standard="qcvn40_2011_b"
    )
    data.update(dict.fromkeys(CLUSTER_DATES, "01/06/2020"))
    data.update(inline_inspection("15/03/2021"))
    response = client.post(reverse("admin:clusters_industrialcluster_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    cluster = IndustrialCluster.objects.get(code="CCN-NGAY")
    for name in CLUSTER_DATES:
        assert getattr(cluster, name) == D(2020, 6, 1), name
    assert cluster.inspections.get().inspected_on == D(2021, 3, 15)

    # Shown back as typed: DD/MM/YYYY in the inputs.
    html = client.get(
        reverse("admin:clusters_industrialcluster_change", args=[cluster.pk])
    ).content.decode()
    assert 'name="established_on" value="01/06/2020"' in html
    assert 'name="inspections-0-inspected_on" value="15/03/2021"' in html


@pytest.mark.parametrize(
    ("language", "message"), [("vi", EXPECTED_FORM_VI), ("en", EXPECTED_FORM_EN)]
)
def test_an_unreadable_or_month_first_date_is_refused_with_the_expected_form(
    client, dong_anh_staff, dong_anh, language, message
):
    client.force_login(dong_anh_staff)
    in_language(client, language)
    for bad in ("13/13/2020", "06/31/2020", "2020/06/01"):
        data = cluster_form_data(
            code="CCN-SAI", name="Sai", district=str(dong_anh.pk), established_on=bad
        )
        response = client.post(reverse("admin:clusters_industrialcluster_add"), data)
        assert response.status_code == 200, bad
        assert message in response.content.decode(), bad
    assert not IndustrialCluster.objects.filter(code="CCN-SAI").exists()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_inspection_form_reads_day_first(client, dong_anh_staff, dong_anh_cluster, language):
    client.force_login(dong_anh_staff)
    in_language(client, language)
    response = client.post(
        reverse("admin:clusters_wastewaterinspection_add"),
        {
            "cluster": dong_anh_cluster.pk,
            "inspected_on": "10/05/2020",
            "result": "meets",
            "standard": "qcvn40_2011_b",
            "agency": "Sở TN&MT",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert WastewaterInspection.objects.get().inspected_on == D(2020, 5, 10)  # not 5 October


def test_market_and_project_dates_read_day_first(client, dong_anh_staff, dong_anh):
    market = MarketFactory(code="CHO-NGAY", district=dong_anh)
    client.force_login(dong_anh_staff)
    url = reverse("admin:markets_market_change", args=[market.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in ((name, form[name].value()) for name in form.fields)
        if value is not None
    }
    data.update(
        {
            "status_since": "02/01/2020",
            "projects-TOTAL_FORMS": "1",
            "projects-INITIAL_FORMS": "0",
            "projects-MIN_NUM_FORMS": "0",
            "projects-MAX_NUM_FORMS": "1000",
            "projects-0-kind": "new",
            "projects-0-capital_source": "state_budget",
            "projects-0-status": "completed",
            "projects-0-started_on": "01/06/2020",
            "projects-0-completed_on": "15/03/2021",
        }
    )
    for name in ("market_class", "management"):
        data[name] = data.get(name) or ""
    response = client.post(url, data)
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "errorlist" in line
    ]
    market = Market.objects.get(pk=market.pk)
    assert market.status_since == D(2020, 1, 2)
    project = market.projects.get()
    assert (project.started_on, project.completed_on) == (D(2020, 6, 1), D(2021, 3, 15))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_lists_show_dates_as_dd_mm_yyyy(client, dong_anh_staff, dong_anh, language):
    cluster = ClusterFactory(code="CCN-LIST", district=dong_anh, established_on=D(2012, 1, 1))
    InspectionFactory(cluster=cluster, inspected_on=D(2020, 6, 1))
    client.force_login(dong_anh_staff)
    in_language(client, language)
    listing = client.get(reverse("admin:clusters_wastewaterinspection_changelist"))
    html = listing.content.decode()
    assert "01/06/2020" in html
    assert "06/01/2020" not in html and "June 1, 2020" not in html and "tháng 6" not in html


def test_inspection_before_the_cluster_or_its_plant_is_kept_with_a_warning(
    client, dong_anh_staff, dong_anh
):
    cluster = ClusterFactory(
        code="CCN-CANH-BAO",
        district=dong_anh,
        established_on=D(2012, 1, 1),
        wwtp_operating_since=D(2015, 1, 1),
    )
    client.force_login(dong_anh_staff)
    url = reverse("admin:clusters_wastewaterinspection_add")
    base = {"cluster": cluster.pk, "result": "meets", "standard": "qcvn40_2011_b"}
    response = client.post(url, {**base, "inspected_on": "01/06/2001"}, follow=True)
    html = response.content.decode()
    assert "trước ngày quyết định thành lập cụm (01/01/2012)" in html
    assert "sẽ không được tính là căn cứ" in html
    assert WastewaterInspection.objects.filter(inspected_on=D(2001, 6, 1)).exists()

    response = client.post(url, {**base, "inspected_on": "01/06/2013"}, follow=True)
    assert "trước khi trạm xử lý nước thải đi vào hoạt động (01/01/2015)" in (
        response.content.decode()
    )
    # After the plant operates: no warning.
    response = client.post(url, {**base, "inspected_on": "01/06/2016"}, follow=True)
    assert "sẽ không được tính là căn cứ" not in response.content.decode()
    # A future date is still refused.
    future = datetime.date.today() + datetime.timedelta(days=40)
    response = client.post(url, {**base, "inspected_on": future.strftime("%d/%m/%Y")})
    assert response.status_code == 200
    assert not WastewaterInspection.objects.filter(inspected_on=future).exists()


def test_the_inline_inspection_warns_too(client, dong_anh_staff, dong_anh):
    client.force_login(dong_anh_staff)
    data = cluster_form_data(
        code="CCN-INLINE",
        name="Inline",
        district=str(dong_anh.pk),
        established_on="01/01/2012",
    )
    data.update(inline_inspection("01/06/2001"))
    response = client.post(reverse("admin:clusters_industrialcluster_add"), data, follow=True)
    assert "trước ngày quyết định thành lập cụm (01/01/2012)" in response.content.decode()
    assert IndustrialCluster.objects.get(code="CCN-INLINE").inspections.count() == 1
