"""The report's indicators by reporting unit (clusters.indicators), against a dataset whose
figures are worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from clusters.indicators import report_indicators
from clusters.models import IndustrialCluster, occupancy_from_land
from registry.models import AdministrativeUnit
from tests.factories import ClusterFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 6, 14)  # before the reform: grouped by district
E = datetime.date(2025, 12, 14)  # after it: grouped by commune


def dataset():
    """Đông Anh (017): one of each status at D; Ứng Hòa (281): one operating cluster."""
    dong_anh, ung_hoa = district("017"), district("281")
    ClusterFactory(code="DA-PLANNED", district=dong_anh, established_on=None, area_ha="12.00")
    ClusterFactory(
        code="DA-ESTABLISHED",
        district=dong_anh,
        established_on=datetime.date(2024, 1, 1),
        area_ha="20.00",
        industrial_land_ha="15.00",  # no leased land: outside the occupancy's basis
        registered_capital_vnd=Decimal("50000000000"),
    )
    ClusterFactory(
        code="DA-BUILDING",
        district=dong_anh,
        established_on=datetime.date(2020, 1, 1),
        construction_started_on=datetime.date(2022, 1, 1),
        area_ha="30.00",
        industrial_land_ha="20.00",
        leased_land_ha="5.00",
        registered_capital_vnd=Decimal("100000000000"),
        disbursed_capital_vnd=Decimal("40000000000"),
        tenant_count=3,
        worker_count=120,
    )
    ClusterFactory(
        code="DA-OPERATING",
        district=dong_anh,
        established_on=datetime.date(2010, 1, 1),
        construction_started_on=datetime.date(2011, 1, 1),
        operating_since=datetime.date(2013, 1, 1),
        wwtp_operating_since=datetime.date(2014, 1, 1),
        area_ha="40.00",
        industrial_land_ha="30.00",
        leased_land_ha="25.00",
        tenant_count=40,
        worker_count=2000,
    )
    ClusterFactory(
        code="DA-CLOSED",  # closed at D: counted by status, outside every sum
        district=dong_anh,
        established_on=datetime.date(2010, 1, 1),
        closed_on=datetime.date(2024, 3, 1),
        area_ha="50.00",
        industrial_land_ha="40.00",
        leased_land_ha="40.00",
        tenant_count=9,
    )
    ClusterFactory(
        code="UH-OPERATING",  # its plant starts after D: not counted as operating a plant
        district=ung_hoa,
        established_on=datetime.date(2010, 1, 1),
        operating_since=datetime.date(2015, 1, 1),
        wwtp_operating_since=datetime.date(2025, 9, 1),
        area_ha="10.50",
        industrial_land_ha="8.00",
        leased_land_ha="6.00",
        worker_count=300,
    )


def test_figures_by_district_equal_the_hand_worked_ones():
    dataset()
    report = report_indicators(as_of=D)
    assert report.grouping == "district"
    assert len(report.units) == 30
    rows = {row.unit.code: row.figures for row in report.units}
    da = rows["017"]
    assert da.by_status == {
        "planned": 1,
        "established": 1,
        "under_construction": 1,
        "operating": 1,
        "closed": 1,
    }
    assert (da.clusters, da.not_closed) == (5, 4)
    assert da.area_ha == Decimal("102.00")  # 12 + 20 + 30 + 40, the closed one left out
    assert da.industrial_land_ha == Decimal("65.00")  # 15 + 20 + 30
    assert da.leased_land_ha == Decimal("30.00")
    # Occupancy over the clusters with both areas: (5 + 25) ÷ (20 + 30) = 60 %.
    assert da.occupancy_percent == Decimal("60.00")
    assert da.registered_capital_vnd == Decimal("150000000000")
    assert da.disbursed_capital_vnd == Decimal("40000000000")
    assert (da.tenants, da.workers, da.wwtp_operating) == (43, 2120, 1)

    uh = rows["281"]
    assert uh.by_status["operating"] == 1
    assert uh.occupancy_percent == Decimal("75.00")
    assert (uh.wwtp_operating, uh.workers, uh.tenants) == (0, 300, 0)
    assert rows["002"].clusters == 0 and rows["002"].occupancy_percent is None

    city = report.city
    assert city.by_status["operating"] == 2
    assert city.area_ha == Decimal("112.50")
    # (5 + 25 + 6) ÷ (20 + 30 + 8) = 62.068… → 62.07 %
    assert city.occupancy_percent == Decimal("62.07")
    assert (city.workers, city.wwtp_operating) == (2420, 1)


def test_a_later_date_changes_statuses_and_the_plant_count():
    dataset()
    report = report_indicators(as_of=E, grouping="district")
    rows = {row.unit.code: row.figures for row in report.units}
    assert rows["281"].wwtp_operating == 1


def test_occupancy_is_the_clusters_rule_over_the_unit():
    """One home: the unit's occupancy and the cluster's effective occupancy are the same
    function, so one cluster's unit has that cluster's occupancy."""
    ClusterFactory(
        code="ONE",
        district=district("017"),
        area_ha="30.00",
        industrial_land_ha="30.00",
        leased_land_ha="10.00",
    )
    cluster = IndustrialCluster.objects.get(code="ONE")
    report = report_indicators(as_of=D, units=[district("017")])
    assert [row.unit.code for row in report.units] == ["017"]
    assert report.units[0].figures.occupancy_percent == cluster.occupancy_percent_effective
    assert cluster.occupancy_percent_effective == Decimal("33.33")
    assert occupancy_from_land(Decimal("1"), Decimal("0")) is None
    assert occupancy_from_land(None, Decimal("3")) is None


def test_grouped_by_commune_after_the_reform():
    dataset()
    report = report_indicators(as_of=E)
    assert report.grouping == "commune"
    communes = AdministrativeUnit.objects.filter(level="commune").count()
    assert len(report.units) == communes
    # Every factory cluster lies in a commune (the factories' default): none unsettled.
    assert report.unsettled is None
    assert sum(row.figures.clusters for row in report.units) == report.city.clusters == 6


def test_clusters_without_a_commune_count_in_the_city_only():
    ClusterFactory(code="NO-COMMUNE", district=district("017"), commune=None, worker_count=7)
    report = report_indicators(as_of=datetime.date(2024, 1, 1), grouping="commune")
    assert report.unsettled is not None and report.unsettled.workers == 7
    assert report.city.workers == 7
    assert all(row.figures.workers == 0 for row in report.units)


def test_units_and_a_queryset_narrow_the_figures():
    dataset()
    report = report_indicators(as_of=D, units=[district("281")])
    assert [row.unit.code for row in report.units] == ["281"]
    assert report.city.clusters == 1 and report.unsettled is None
    narrowed = report_indicators(
        as_of=D, clusters=IndustrialCluster.objects.filter(code__startswith="DA-")
    )
    assert narrowed.city.clusters == 5


@pytest.mark.parametrize("clusters", [6, 60])
def test_one_grouped_query_plus_the_units(django_assert_num_queries, clusters):
    for n in range(clusters):
        ClusterFactory(
            code=f"Q-{n}",
            district=district("017" if n % 2 else "281"),
            industrial_land_ha="10.00",
            leased_land_ha="5.00",
        )
    with django_assert_num_queries(2):
        report = report_indicators(as_of=D)
    assert report.city.clusters == clusters
    dong_anh = district("017")
    with django_assert_num_queries(1):
        report_indicators(as_of=D, units=[dong_anh])
