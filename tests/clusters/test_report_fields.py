"""The report's indicators on a cluster (the records (README)): land, occupancy derived from
it, capital and workers, in the model, the admin, the API and the spreadsheets."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from clusters.models import IndustrialCluster
from clusters.resources import ClusterResource
from tests.api.conftest import token_client
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("industrial", "leased", "entered", "effective"),
    [
        (Decimal("40"), Decimal("30"), Decimal("50"), Decimal("75.00")),  # derived wins
        (Decimal("30"), Decimal("10"), None, Decimal("33.33")),  # rounded to 2 decimals
        (Decimal("30"), Decimal("20"), None, Decimal("66.67")),  # half up
        (Decimal("40"), None, Decimal("50"), Decimal("50")),  # leased unknown: as entered
        (None, Decimal("30"), Decimal("50"), Decimal("50")),
        (Decimal("0"), Decimal("0"), Decimal("12"), Decimal("12")),  # no industrial land
        (None, None, None, None),
    ],
)
def test_occupancy_effective(industrial, leased, entered, effective):
    cluster = ClusterFactory.build(
        area_ha=Decimal("50"),
        industrial_land_ha=industrial,
        leased_land_ha=leased,
        occupancy_percent=entered,
    )
    assert cluster.occupancy_percent_effective == effective


def test_disbursed_more_than_registered_is_a_warning_not_a_refusal():
    cluster = ClusterFactory.build(
        area_ha=Decimal("30"),
        registered_capital_vnd=Decimal("100000000000"),
        disbursed_capital_vnd=Decimal("120000000000"),
    )
    cluster.full_clean()
    assert [str(w) for w in cluster.warnings] == [
        "Vốn đầu tư hạ tầng đã giải ngân lớn hơn vốn đăng ký; vui lòng kiểm tra lại."
    ]
    cluster.disbursed_capital_vnd = Decimal("90000000000")
    assert cluster.warnings == []


@pytest.fixture
def department(department_user):
    department_user.groups.add(Group.objects.get(name="Department staff"))
    return department_user


def report_cluster():
    return ClusterFactory(
        code="CCN-REPORT",
        area_ha=Decimal("50"),
        industrial_land_ha=Decimal("40"),
        leased_land_ha=Decimal("30"),
        occupancy_percent=Decimal("50"),
        registered_capital_vnd=Decimal("250000000000"),
        disbursed_capital_vnd=Decimal("180000000000"),
        worker_count=3200,
    )


def test_api_reads_and_writes_the_fields(department):
    report_cluster()
    client = token_client(department)
    body = client.get("/api/v1/clusters/CCN-REPORT/").json()
    assert body["industrial_land_ha"] == "40.00"
    assert body["leased_land_ha"] == "30.00"
    assert body["occupancy_percent"] == "50.00"
    assert body["occupancy_percent_effective"] == "75.00"
    assert body["registered_capital_vnd"] == "250000000000"
    assert body["disbursed_capital_vnd"] == "180000000000"
    assert body["worker_count"] == 3200
    response = client.patch(
        "/api/v1/clusters/CCN-REPORT/",
        {"leased_land_ha": "45", "occupancy_percent_effective": "1"},
        format="json",
    )
    assert response.status_code == 400  # leased > industrial land
    assert "Diện tích đất đã cho thuê không thể lớn hơn diện tích đất công nghiệp." in (
        response.content.decode()
    )
    assert IndustrialCluster.objects.get(code="CCN-REPORT").leased_land_ha == Decimal("30")
    response = client.patch(
        "/api/v1/clusters/CCN-REPORT/",
        {"leased_land_ha": "36", "worker_count": 3300},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["occupancy_percent_effective"] == "90.00"


def test_admin_form_shows_the_fields_and_the_derived_occupancy(client, department):
    cluster = report_cluster()
    client.force_login(department)
    html = client.get(
        reverse("admin:clusters_industrialcluster_change", args=[cluster.pk])
    ).content.decode()
    for name in (
        "industrial_land_ha",
        "leased_land_ha",
        "registered_capital_vnd",
        "disbursed_capital_vnd",
        "worker_count",
    ):
        assert f'name="{name}"' in html, name
    assert "75,00" in html or "75.00" in html
    assert 'name="occupancy_effective"' not in html  # read-only


def test_export_and_import_carry_the_fields(department):
    report_cluster()
    resource = ClusterResource(user=department)
    dataset = resource.export(
        IndustrialCluster.objects.with_wastewater_state(
            __import__("registry.dates", fromlist=["today"]).today()
        )
    )
    headers = dataset.headers
    row = dict(zip(headers, dataset[0], strict=True))
    by_attr = {f.attribute: f.column_name for f in resource.get_export_fields()}
    assert row[by_attr["industrial_land_ha"]] in ("40.00", Decimal("40.00"), "40")
    assert str(row[by_attr["worker_count"]]) == "3200"
    assert str(row[by_attr["occupancy_percent_effective"]]) == "75.00"
    # Round trip: change the export and import it back.
    IndustrialCluster.objects.all().delete()
    result = resource.import_data(dataset, dry_run=False)
    invalid = [(r.number, r.error_dict) for r in result.invalid_rows]
    assert not result.has_errors() and not invalid, invalid
    cluster = IndustrialCluster.objects.get(code="CCN-REPORT")
    assert cluster.registered_capital_vnd == Decimal("250000000000")
    assert cluster.leased_land_ha == Decimal("30")
    assert cluster.worker_count == 3200
