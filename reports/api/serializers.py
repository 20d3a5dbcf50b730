"""The reports' API representation (``/api/v1/reports/``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters.api.stats import ComplianceKpiSerializer, ConstructionOverdueSerializer
from clusters.choices import ClusterStatus, InspectionResult, WastewaterState
from markets.api.stats import MarketStatisticsSerializer
from registry.models import UnitLevel
from reports.models import PublishedReport
from reports.periods import FIRST_YEAR, LAST_YEAR, Period


class PublishRequestSerializer(serializers.Serializer):
    """Publish a period: its figures at the cut-off are frozen (department staff only)."""

    # Schema only: reports.services.validate_request checks the body, with its messages.
    period = serializers.ChoiceField(
        choices=Period.choices,
        help_text=_("half_year (cut-off 14 June) or year (cut-off 14 December)."),
    )
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("The period's year (its cut-off's year)."),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Why a published period is published again (required for a correction)."),
    )


class ReportSerializer(serializers.ModelSerializer):
    """A publication: which period, cut-off and grouping, who published it and when, and
    where it stands in its period's chain of corrections."""

    grouping = serializers.ChoiceField(
        choices=UnitLevel.choices, help_text=_("The level the units are of.")
    )
    published_by = serializers.CharField(
        source="published_by.get_username", help_text=_("The account that published it.")
    )
    supersedes = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_("The publication this one corrects, if any."),
    )
    superseded_by = serializers.SerializerMethodField(
        help_text=_("The publication that corrects this one, if any.")
    )
    current = serializers.SerializerMethodField(
        help_text=_("Whether this is the period's current publication (not superseded).")
    )

    class Meta:
        model = PublishedReport
        fields = [
            "id",
            "period",
            "year",
            "cut_off",
            "grouping",
            "published_at",
            "published_by",
            "supersedes",
            "superseded_by",
            "current",
            "note",
        ]
        read_only_fields = fields

    def get_superseded_by(self, report) -> int | None:
        return report.successor_id

    def get_current(self, report) -> bool:
        return report.is_current


class ClusterRowSerializer(serializers.Serializer):
    # Schema only: one frozen cluster row (reports.figures.cluster_rows).
    code = serializers.CharField()
    name = serializers.CharField()
    district = serializers.CharField(help_text=_("The former district's code."))
    unit = serializers.CharField(allow_null=True, help_text=_("The reporting unit's code."))
    unit_name = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=ClusterStatus.choices)
    wastewater_state = serializers.ChoiceField(choices=WastewaterState.choices)
    latest_inspected_on = serializers.DateField(allow_null=True)
    latest_result = serializers.ChoiceField(choices=InspectionResult.choices, allow_null=True)


class FiguresSerializer(serializers.Serializer):
    # Schema only: what a report freezes (reports.figures.compute_figures).
    kpi = ComplianceKpiSerializer(help_text=_("The wastewater KPI, as the KPI endpoint answers."))
    overdue = ConstructionOverdueSerializer(help_text=_("The construction-overdue lists."))
    markets = MarketStatisticsSerializer(help_text=_("The market counts."))
    clusters = ClusterRowSerializer(many=True, help_text=_("One row per cluster at the cut-off."))


class ReportDetailSerializer(ReportSerializer):
    """A publication and its frozen figures."""

    figures = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "figures"]
        read_only_fields = fields

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, report) -> dict:
        return self.context["narrow_figures"](report.figures)
