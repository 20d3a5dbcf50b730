"""The benchmark's KPI floor (bench/floor.py) by district and by commune, and how the
harness (bench/run.py) judges a KPI variant against it."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from bench.floor import kpi_figures
from bench.run import KpiVariant, kpi_ratios, kpi_variants, kpi_verdicts
from clusters.models import IndustrialCluster

DAY = datetime.date(2026, 1, 15)


class DjangoConnection:
    """What kpi_figures needs of a psycopg connection, over the test's connection (the
    test's rows are visible only inside its transaction)."""

    def execute(self, sql, params):
        cursor = connection.cursor()
        cursor.execute(sql, params)
        return cursor


def expected(as_of, column, **filters):
    """(unit id, state) → count, from the ORM's rules (the selector's querysets)."""
    rows = (
        IndustrialCluster.objects.operating_with_wastewater_state(as_of)
        .filter(**filters)
        .values(column, "wastewater_state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row[column], row["wastewater_state"]): row["n"] for row in rows}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor is PostgreSQL's SQL")
@pytest.mark.parametrize("as_of", [DAY, datetime.date(2024, 12, 14)])
def test_the_floor_counts_what_the_rules_count_by_district_and_by_commune(as_of):
    call_command(
        "seed_scale",
        clusters=300,
        inspections=3000,
        markets=0,
        communes=400,
        today=DAY,
        stdout=io.StringIO(),
    )
    window = settings.REGISTRY["EVIDENCE_WINDOW_DAYS"]
    conn = DjangoConnection()
    for grouping, column in (("district", "district_id"), ("commune", "commune_id")):
        want = expected(as_of, column)
        figures = kpi_figures(conn, as_of, window, None, grouping)
        by_unit = {}
        for (unit, _state), n in want.items():
            by_unit[unit] = by_unit.get(unit, 0) + n
        assert figures["by_unit"] == by_unit
        assert figures["operating"] == sum(want.values()) > 0
        assert len(by_unit) > 20
    # One commune: the busiest.
    busiest = max(by_unit, key=by_unit.get)
    code = IndustrialCluster.objects.filter(commune=busiest).values("commune__code")[0]
    figures = kpi_figures(conn, as_of, window, code["commune__code"], "commune")
    assert figures["by_unit"] == {busiest: by_unit[busiest]}
    want = expected(as_of, "commune_id", commune=busiest)
    assert figures["by_state"] == {state: n for (_unit, state), n in want.items()}


def test_one_unit_is_judged_net_of_the_minimal_request_and_the_city_on_the_whole():
    one = {"unit": "017", "p50_ms": 2.0, "endpoint_interleaved_p50_ms": 7.0}
    one["minimal_request_interleaved_p50_ms"] = 4.2
    assert kpi_ratios(one) == {"ratio": 3.5, "net_ratio": 1.4, "with_units_ratio": None}
    verdict = kpi_verdicts("kpi_district_today", one)["kpi_district_today_net_ratio"]
    assert verdict == {"value": 1.4, "ok": True, "whole_request_ratio": 3.5}
    one["endpoint_interleaved_p50_ms"] = 7.8
    assert kpi_verdicts("kpi_district_today", one)["kpi_district_today_net_ratio"]["ok"] is False
    city = {"unit": None, "p50_ms": 20.0, "endpoint_interleaved_p50_ms": 29.0}
    city["minimal_request_interleaved_p50_ms"] = 5.0
    assert kpi_verdicts("kpi_city_today", city) == {
        "kpi_city_today_ratio": {"value": 1.45, "ok": True}
    }
    missing = {"unit": "90001", "unavailable": "HTTP 400", "p50_ms": 1.0}
    assert kpi_verdicts("kpi_commune_today", missing)["kpi_commune_today_net_ratio"]["ok"] is None


def test_a_server_without_commune_grouping_makes_the_variant_unavailable():
    variants = kpi_variants("00004")
    old = {"as_of": "2026-01-15", "operating": 3, "districts": [{"district": "017"}]}
    assert variants["kpi_city_commune_today"].unavailable(200, old)
    assert variants["kpi_commune_today"].unavailable(200, old)
    assert variants["kpi_commune_today"].unavailable(400, {"unit": ["Unknown"]})
    assert variants["kpi_city_today"].unavailable(200, old) is None
    assert variants["kpi_district_today"].unavailable(200, old) is None
    new = {"grouping": "commune", "units": [{"unit": "00004", "level": "commune"}]}
    assert variants["kpi_city_commune_today"].unavailable(200, new) is None
    assert variants["kpi_commune_today"].unavailable(200, new) is None
    assert KpiVariant({"by": "district"}, "district").path == (
        "/api/v1/stats/wastewater-compliance/?by=district"
    )


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor is PostgreSQL's SQL")
def test_the_floor_with_the_unit_list_lists_every_unit_beside_the_same_counts():
    from bench.floor import kpi_with_units_rows
    from registry.models import AdministrativeUnit, District

    call_command(
        "seed_scale", clusters=200, inspections=1000, markets=0, communes=300, today=DAY,
        stdout=io.StringIO(),
    )  # fmt: skip
    window = settings.REGISTRY["EVIDENCE_WINDOW_DAYS"]
    conn = DjangoConnection()
    for grouping, units in (
        ("district", District.objects.all()),
        ("commune", AdministrativeUnit.objects.filter(level="commune")),
    ):
        rows = kpi_with_units_rows(conn, DAY, window, grouping)
        assert {code for code, *_ in rows if code} == set(units.values_list("code", flat=True))
        counts = kpi_figures(conn, DAY, window, None, grouping)
        assert {s: sum(n for *_, st, n, _t in rows if st == s) for s in counts["by_state"]} == (
            counts["by_state"]
        )


def test_the_floor_with_the_unit_list_is_reported_not_judged():
    city = {"p50_ms": 20.0, "endpoint_interleaved_p50_ms": 34.0, "with_units_p50_ms": 24.0}
    verdict = kpi_verdicts("kpi_city_commune_today", city)["kpi_city_commune_today_ratio"]
    assert verdict == {"value": 1.7, "ok": False, "with_units_ratio": 1.42}
