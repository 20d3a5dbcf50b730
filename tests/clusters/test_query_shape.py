"""What keeps the national-scale budgets (BENCHMARKS.md) met, pinned without timing: fixed
query counts, one district's KPI reading one district, and on PostgreSQL a latest-evidence
lookup that the index serves without sorting."""

import datetime

import pytest
from django.db import connection

from clusters.choices import InspectionResult, WastewaterState
from clusters.models import IndustrialCluster
from clusters.selectors import wastewater_compliance
from registry.models import District
from tests.factories import ClusterFactory, InspectionFactory, district

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2021, 12, 14)


def operating(district_code, **kwargs):
    return ClusterFactory(
        district=district(district_code),
        established_on=datetime.date(2015, 1, 1),
        construction_started_on=datetime.date(2016, 1, 1),
        operating_since=datetime.date(2017, 1, 1),
        wwtp_operating_since=datetime.date(2018, 1, 1),
        **kwargs,
    )


def populate(size: int):
    for index in range(size):
        cluster = operating("017" if index % 2 else "281")
        InspectionFactory(cluster=cluster, inspected_on=datetime.date(2021, 6, 1))
        InspectionFactory(
            cluster=cluster,
            inspected_on=datetime.date(2021, 9, 1),
            result=InspectionResult.FAILS if index % 3 == 0 else InspectionResult.MEETS,
        )


@pytest.mark.parametrize("size", [2, 30])
def test_state_filter_and_kpi_cost_the_same_queries_whatever_the_size(
    size, django_assert_num_queries
):
    populate(size)
    with django_assert_num_queries(1):
        failed = list(
            IndustrialCluster.objects.with_wastewater_state(AS_OF)
            .filter(wastewater_state=WastewaterState.FAILED)
            .values_list("code", flat=True)
        )
    assert len(failed) == len(range(0, size, 3))
    with django_assert_num_queries(2):
        wastewater_compliance(as_of=AS_OF)
    with django_assert_num_queries(2):
        wastewater_compliance(as_of=AS_OF, districts=District.objects.filter(code="017"))


def test_one_district_kpi_equals_its_row_in_the_city_wide_kpi():
    populate(12)
    city = wastewater_compliance(as_of=AS_OF)
    row = next(d for d in city.districts if d.district.code == "017")
    alone = wastewater_compliance(as_of=AS_OF, districts=District.objects.filter(code="017"))
    assert [d.district.code for d in alone.districts] == ["017"]
    assert alone.city == row.figures == alone.districts[0].figures
    assert row.figures.operating == 6


def test_the_grouped_kpi_query_reads_only_the_requested_districts(django_assert_num_queries):
    populate(4)
    captured = []

    def spy(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    one = District.objects.filter(code="017")
    with connection.execute_wrapper(spy):
        wastewater_compliance(as_of=AS_OF, districts=one)
    grouped_sql, grouped_params = max(captured, key=lambda q: len(q[0]))
    assert "district_id" in grouped_sql
    assert district("017").pk in grouped_params
    assert district("281").pk not in grouped_params


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans only")
def test_latest_evidence_is_an_index_probe_without_a_sort():
    populate(3)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned otherwise
    plan = (
        IndustrialCluster.objects.with_wastewater_state(AS_OF)
        .filter(wastewater_state=WastewaterState.COMPLIANT)
        .explain()
    )
    assert "inspection_latest_evidence" in plan
    assert "Sort" not in plan
