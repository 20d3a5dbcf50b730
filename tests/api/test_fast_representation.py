"""The serializers' fast paths (FastRepresentationMixin, the KPI's figures) render exactly
what DRF would."""

import datetime
from decimal import Decimal

import pytest
from rest_framework import serializers

from clusters.api.serializers import ClusterSerializer, InspectionSerializer
from clusters.models import IndustrialCluster, WastewaterInspection
from clusters.selectors import OPERATING_STATES, KpiFigures, wastewater_compliance
from markets.api.serializers import MarketSerializer
from markets.models import Market
from registry.api.serializers import ComplianceKpiSerializer, KpiFiguresSerializer
from tests.factories import ClusterFactory, InspectionFactory, MarketFactory

pytestmark = pytest.mark.django_db


def drf_representation(serializer, instance):
    """DRF's own Serializer.to_representation, nested serializers included."""
    ret = {}
    for field in serializer._readable_fields:
        attribute = field.get_attribute(instance)
        if attribute is None:
            ret[field.field_name] = None
        elif isinstance(field, serializers.Serializer):
            ret[field.field_name] = (
                None
                if type(field).to_representation(field, instance) is None
                else drf_representation(field, attribute)
            )
        else:
            ret[field.field_name] = field.to_representation(attribute)
    return ret


def test_clusters_render_as_drf_renders_them():
    ClusterFactory(code="CCN-EMPTY", area_ha=Decimal("12.5"))  # most fields empty
    full = ClusterFactory(
        code="CCN-FULL",
        established_on=datetime.date(2010, 1, 1),
        construction_started_on=datetime.date(2011, 2, 3),
        operating_since=datetime.date(2012, 1, 1),
        occupancy_percent=Decimal("87.25"),
        tenant_count=14,
        wwtp_construction_started_on=datetime.date(2012, 6, 1),
        wwtp_operating_since=datetime.date(2013, 1, 1),
        wwtp_capacity_m3_per_day=Decimal("1500"),
        wwtp_standard="qcvn40_2011_b",
        wwtp_automatic_monitoring=True,
        developer="Công ty CP Hạ tầng",
    )
    InspectionFactory(cluster=full, inspected_on=datetime.date(2024, 5, 1), result="fails")
    clusters = list(
        IndustrialCluster.objects.select_related("district").with_wastewater_state(
            datetime.date(2024, 12, 31)
        )
    )
    serializer = ClusterSerializer(clusters, many=True)
    expected = [drf_representation(serializer.child, cluster) for cluster in clusters]
    assert serializer.data == expected
    assert expected[1]["latest_inspection"] == {
        "inspected_on": "2024-05-01",
        "result": "fails",
        "standard": "qcvn40_2011_b",
    }
    assert expected[0]["latest_inspection"] is None
    assert expected[1]["occupancy_percent"] == "87.25"


def test_markets_and_inspections_render_as_drf_renders_them():
    MarketFactory()
    InspectionFactory()
    for serializer_class, queryset in (
        (MarketSerializer, Market.objects.select_related("district")),
        (InspectionSerializer, WastewaterInspection.objects.select_related("cluster")),
    ):
        rows = list(queryset)
        serializer = serializer_class(rows, many=True)
        assert serializer.data == [drf_representation(serializer.child, row) for row in rows]


def test_fields_are_built_once_per_class_and_copied():
    first, second = ClusterSerializer().fields, ClusterSerializer().fields
    assert list(first) == list(second)
    assert all(first[name] is not second[name] for name in first)
    assert first["code"].parent is not second["code"].parent


def drf_figures(figures) -> dict:
    """DRF's own Serializer.to_representation of the figures (the KPI's former path)."""
    return serializers.Serializer.to_representation(KpiFiguresSerializer(), figures.as_dict())


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
    rendered = KpiFiguresSerializer.figures(figures)
    assert rendered == drf_figures(figures)
    assert list(rendered) == list(KpiFiguresSerializer().fields)  # same keys, same order


def test_the_kpi_response_renders_every_district_with_its_figures(db):
    kpi = wastewater_compliance(as_of=datetime.date(2024, 12, 31))
    data = ComplianceKpiSerializer(kpi).data
    assert data == {
        "as_of": "2024-12-31",
        **drf_figures(kpi.city),
        "districts": [
            {"district": row.district.code, "name": row.district.name, **drf_figures(row.figures)}
            for row in kpi.districts
        ],
    }
    assert len(data["districts"]) == 30
