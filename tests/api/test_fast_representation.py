"""The KPI's hand-written rendering (``clusters.api.stats.render_kpi``) writes exactly what
its schema-only serializers declare, as DRF would render it: a field added to the schema and
not to the function (or the other way round) fails here instead of silently not rendering."""

import datetime
from decimal import Decimal

import pytest
from rest_framework import serializers

from clusters.api.stats import (
    ComplianceKpiSerializer,
    DistrictKpiSerializer,
    KpiFiguresSerializer,
    UnitKpiSerializer,
    render_figures,
    render_kpi,
)
from clusters.selectors import OPERATING_STATES, KpiFigures, wastewater_compliance
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def drf_figures(figures) -> dict:
    """DRF's own Serializer.to_representation of the figures."""
    return serializers.Serializer.to_representation(KpiFiguresSerializer(), figures.as_dict())


def field_names(serializer) -> list:
    """The declared fields, nested ones as (name, their fields), sorted."""
    names = []
    for name, field in serializer.fields.items():
        child = getattr(field, "child", field)
        names.append(
            (name, field_names(child)) if isinstance(child, serializers.Serializer) else name
        )
    return sorted(names, key=str)


def rendered_names(value) -> list:
    names = []
    for name, item in value.items():
        if isinstance(item, list):
            item = item[0]
        if isinstance(item, dict) and name != "by_state":
            names.append((name, rendered_names(item)))
        elif name == "by_state":
            names.append((name, sorted(item)))
        else:
            names.append(name)
    return sorted(names, key=str)


@pytest.mark.parametrize(
    ("operating", "compliant", "target"),
    [(0, 0, None), (0, 0, Decimal("95.00")), (3, 2, Decimal("95")), (7797, 4754, Decimal("66.5"))],
)
def test_kpi_figures_render_as_drf_renders_them(operating, compliant, target):
    figures = KpiFigures(
        operating=operating,
        compliant=compliant,
        target_percent=target,
        by_state={s.value: 0 for s in OPERATING_STATES} | {"compliant": compliant},
    )
    rendered = render_figures(figures)
    assert rendered == drf_figures(figures)
    assert list(rendered) == list(KpiFiguresSerializer().fields)  # same keys, same order


def operating_cluster(**kwargs):
    return ClusterFactory(
        operating_since=datetime.date(2019, 1, 1),
        wwtp_operating_since=datetime.date(2019, 1, 1),
        **kwargs,
    )


@pytest.mark.parametrize("grouping", ["district", "commune"])
def test_the_kpi_response_has_exactly_the_documented_fields(db, grouping):
    operating_cluster()
    operating_cluster(commune=None)  # in no commune: the "unsettled" figures
    data = render_kpi(wastewater_compliance(as_of=datetime.date(2025, 12, 31), grouping=grouping))
    documented = field_names(ComplianceKpiSerializer())
    if grouping == "commune":  # ``districts`` is only there when grouped by district
        documented = [name for name in documented if name[0] != "districts"]
        assert data["unsettled"] is not None
        assert rendered_names(data["unsettled"]) == field_names(KpiFiguresSerializer())
    else:
        assert data["unsettled"] is None
        data["unsettled"] = render_figures(wastewater_compliance().city)  # its shape
        assert rendered_names(data["districts"][0]) == field_names(DistrictKpiSerializer())
    assert rendered_names(data) == documented
    assert rendered_names(data["units"][0]) == field_names(UnitKpiSerializer())


def test_the_kpi_response_renders_every_district_with_its_figures(db):
    operating_cluster()
    kpi = wastewater_compliance(as_of=datetime.date(2024, 12, 31))
    data = render_kpi(kpi)
    assert data == {
        "as_of": "2024-12-31",
        **drf_figures(kpi.city),
        "grouping": "district",
        "units": [
            {
                "unit": row.unit.code,
                "name": row.unit.name,
                "level": "district",
                **drf_figures(row.figures),
            }
            for row in kpi.units
        ],
        "unsettled": None,
        "districts": [
            {"district": row.district.code, "name": row.district.name, **drf_figures(row.figures)}
            for row in kpi.districts
        ],
    }
    assert len(data["districts"]) == 30
    assert data["operating"] == 1
    assert [row["district"] for row in data["districts"]] == [u["unit"] for u in data["units"]]


def test_the_kpi_response_by_commune_renders_every_commune_and_no_districts(db):
    operating_cluster()
    kpi = wastewater_compliance(as_of=datetime.date(2025, 12, 31))
    data = render_kpi(kpi)
    assert data["grouping"] == "commune"
    assert "districts" not in data
    assert len(data["units"]) == 126
    assert {u["level"] for u in data["units"]} == {"commune"}
    assert sum(u["operating"] for u in data["units"]) == data["operating"] == 1
