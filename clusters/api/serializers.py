"""Serializers of the clusters API (the API contract (README)). Status, wastewater state and the
latest inspection are the core's annotations at ``as_of``; nothing is derived here."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from clusters.choices import ClusterStatus, InspectionResult, WastewaterStandard, WastewaterState
from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from registry.api.serializers import CodeRelatedField, ModelCleanSerializer, commune_code_field
from registry.models import District


class LatestInspectionSerializer(serializers.Serializer):
    """The latest inspection that counts as evidence at ``as_of``, or null."""

    inspected_on = serializers.DateField(source="latest_inspected_on", read_only=True)
    result = serializers.ChoiceField(
        source="latest_result", choices=InspectionResult.choices, read_only=True
    )
    standard = serializers.ChoiceField(
        source="latest_standard", choices=WastewaterStandard.choices, read_only=True
    )

    def to_representation(self, instance):
        if getattr(instance, "latest_inspected_on", None) is None:
            return None
        return super().to_representation(instance)


#: A cluster of the demo data, as GET /api/v1/clusters/CCN-BAC-VAN-DINH/?as_of=2025-12-14 gives it.
CLUSTER_EXAMPLE = {
    "code": "CCN-BAC-VAN-DINH",
    "name": "Cụm công nghiệp Bắc Vân Đình",
    "district": "281",
    "district_name": "Ứng Hòa",
    "address": "Thị trấn Vân Đình",
    "area_ha": "20.00",
    "decision_no": "1987/QĐ-UBND",
    "established_on": "2012-03-15",
    "developer": "Công ty CP Đầu tư Vân Đình",
    "construction_started_on": "2013-02-01",
    "operating_since": "2016-01-01",
    "closed_on": None,
    "occupancy_percent": "74.00",
    "tenant_count": 29,
    "industrial_land_ha": "14.50",
    "leased_land_ha": "10.73",
    "occupancy_percent_effective": "74.00",
    "registered_capital_vnd": "220000000000",
    "disbursed_capital_vnd": "176000000000",
    "worker_count": 1100,
    "planned_construction_start": None,
    "planned_completion": None,
    "infrastructure_completed_on": None,
    "wwtp_construction_started_on": "2017-01-01",
    "wwtp_operating_since": "2018-09-01",
    "wwtp_capacity_m3_per_day": "600.00",
    "wwtp_standard": "qcvn40_2011_b",
    "wwtp_automatic_monitoring": False,
    "status": "operating",
    "wastewater_state": "compliant",
    "latest_inspection": {
        "inspected_on": "2025-09-15",
        "result": "meets",
        "standard": "qcvn40_2011_b",
    },
    "updated_at": "2025-11-03T09:15:27.512031+07:00",
    "commune": "10354",
    "commune_name": "Xã Vân Đình",
    "is_craft_village": False,
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A cluster of the demo data",
            value=CLUSTER_EXAMPLE,
            response_only=True,
        )
    ]
)
class ClusterSerializer(ModelCleanSerializer):
    district = CodeRelatedField(
        queryset=District.objects.all(), help_text=_("The district's three-digit code.")
    )
    district_name = serializers.CharField(source="district.name", read_only=True)
    commune = commune_code_field()
    commune_name = serializers.CharField(source="commune.name", read_only=True, allow_null=True)
    status = serializers.ChoiceField(
        choices=ClusterStatus.choices, read_only=True, help_text=_("Status at as_of.")
    )
    wastewater_state = serializers.ChoiceField(
        choices=WastewaterState.choices,
        read_only=True,
        help_text=_(
            "Wastewater state at as_of, the first that holds: not_operating, "
            "no_treatment_plant, no_evidence, stale_evidence, failed, compliant (the rules are "
            "written out in the wastewater KPI's description)."
        ),
    )
    occupancy_percent_effective = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_(
            "Leased ÷ industrial land (%) when both are known, otherwise occupancy_percent."
        ),
    )
    latest_inspection = LatestInspectionSerializer(
        source="*",
        read_only=True,
        allow_null=True,
        help_text=_("The latest inspection counting as evidence at as_of, or null."),
    )

    class Meta:
        model = IndustrialCluster
        fields = [
            "code",
            "name",
            "district",
            "district_name",
            "address",
            "area_ha",
            "decision_no",
            "established_on",
            "developer",
            "construction_started_on",
            "operating_since",
            "closed_on",
            "occupancy_percent",
            "tenant_count",
            "industrial_land_ha",
            "leased_land_ha",
            "occupancy_percent_effective",
            "registered_capital_vnd",
            "disbursed_capital_vnd",
            "worker_count",
            "planned_construction_start",
            "planned_completion",
            "infrastructure_completed_on",
            "wwtp_construction_started_on",
            "wwtp_operating_since",
            "wwtp_capacity_m3_per_day",
            "wwtp_standard",
            "wwtp_automatic_monitoring",
            "status",
            "wastewater_state",
            "latest_inspection",
            "updated_at",
            "commune",
            "commune_name",
            "is_craft_village",
        ]
        read_only_fields = ["updated_at"]


class InspectionSerializer(ModelCleanSerializer):
    cluster = CodeRelatedField(
        queryset=IndustrialCluster.objects.all(), help_text=_("The cluster's code.")
    )

    class Meta:
        model = WastewaterInspection
        fields = [
            "id",
            "cluster",
            "inspected_on",
            "result",
            "standard",
            "agency",
            "reference",
            "exceeded_parameters",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class ScheduleExtensionSerializer(ModelCleanSerializer):
    cluster = CodeRelatedField(
        queryset=IndustrialCluster.objects.all(), help_text=_("The cluster's code.")
    )

    class Meta:
        model = ScheduleExtension
        fields = [
            "id",
            "cluster",
            "decision_no",
            "decided_on",
            "new_start_deadline",
            "new_completion_deadline",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
