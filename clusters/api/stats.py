"""The clusters' stats endpoints: the wastewater KPI and the construction-overdue list.

Everything about these two responses is here: the query parameters, the views (which call
``clusters.selectors``, the one home of the rules, over the caller's districts as
``registry.scoping.districts_in_scope`` decides), the response serializers that describe them
in the OpenAPI document, and the plain function that renders the KPI.

The KPI is rendered by :func:`render_kpi`, not by DRF's per-field walk (a city-wide response
has 31 sets of figures, and the walk cost more than the query). Its serializers below are
therefore *schema-only*: they document the response and are never used to render it.
``tests/api/test_fast_representation.py`` checks that :func:`render_kpi` writes exactly the fields
they declare, in their order, with DRF's representation of each value — so a field added to
one and not the other fails a test instead of silently not rendering.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from clusters.choices import DeadlineSource
from clusters.models import IndustrialCluster
from clusters.selectors import (
    OPERATING_STATES,
    ComplianceKpi,
    KpiFigures,
    construction_overdue,
    wastewater_compliance,
)
from registry.api.serializers import (
    AsOfQuerySerializer,
    DistrictQueryField,
    counts_serializer,
)
from registry.api.views import StatsView
from registry.dates import today
from registry.models import District
from registry.scoping import restrict

# ---------------------------------------------------------------------------------------------
# Query parameters
# ---------------------------------------------------------------------------------------------


class KpiQuerySerializer(AsOfQuerySerializer):
    district = DistrictQueryField(
        queryset=District.objects.all(),
        required=False,
        help_text=_("Only this district (its three-digit code)."),
    )


class OverdueQuerySerializer(KpiQuerySerializer):
    months = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=1200,
        help_text=_(
            "The fallback start deadline: this many months after establishment, for a cluster "
            "with neither a planned start nor an extension (default: the setting, 24)."
        ),
    )


# ---------------------------------------------------------------------------------------------
# The KPI response: schema-only serializers and the function that renders
# ---------------------------------------------------------------------------------------------


ByStateSerializer = counts_serializer(
    "WastewaterStateCounts",
    [state.value for state in OPERATING_STATES],
    _("Operating clusters in this wastewater state."),
)

#: How the KPI's percentages render (both percent fields below are DecimalField(5, 2)).
_PERCENT = serializers.DecimalField(max_digits=5, decimal_places=2)


class KpiFiguresSerializer(serializers.Serializer):
    """The figures of ``clusters.selectors.KpiFigures``.

    The fields describe the response (the OpenAPI schema); ``to_representation`` renders a
    ``KpiFigures`` directly, without DRF's per-field walk (a city-wide response has 31 sets
    of figures). ``tests/api/test_fast_representation.py`` checks that the output is what
    DRF renders from these fields.
    """

    # Schema only (see the module's docstring): render_figures / render_kpi render. The
    # docstring above is the OpenAPI document's description of the responses, kept as v1
    # published it.

    target_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text=_("The year's target (%).")
    )
    operating = serializers.IntegerField(help_text=_("Clusters in operation at as_of."))
    compliant = serializers.IntegerField(
        help_text=_("Operating clusters whose wastewater state is compliant.")
    )
    share_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_("100 × compliant / operating, half-up to 2 decimals; null when none operate."),
    )
    met = serializers.BooleanField(
        allow_null=True, help_text=_("compliant × 100 ≥ target × operating, compared exactly.")
    )
    shortfall = serializers.IntegerField(
        allow_null=True, help_text=_("The fewest more compliant clusters that meet the target.")
    )
    by_state = ByStateSerializer()


class DistrictKpiSerializer(KpiFiguresSerializer):
    # Schema only: one district's figures (rendered by render_kpi).
    district = serializers.CharField(help_text=_("The district's code."))
    name = serializers.CharField()


class ComplianceKpiSerializer(KpiFiguresSerializer):
    # Schema only: the KPI response (rendered by render_kpi).
    as_of = serializers.DateField()
    districts = DistrictKpiSerializer(many=True)


def render_figures(figures: KpiFigures) -> dict:
    """One set of figures as ``KpiFiguresSerializer`` describes it."""
    target, share = figures.target_percent, figures.share_percent
    return {
        "target_percent": None if target is None else _PERCENT.to_representation(target),
        "operating": figures.operating,
        "compliant": figures.compliant,
        "share_percent": None if share is None else _PERCENT.to_representation(share),
        "met": figures.met,
        "shortfall": figures.shortfall,
        "by_state": {state.value: figures.by_state[state.value] for state in OPERATING_STATES},
    }


def render_kpi(kpi: ComplianceKpi) -> dict:
    """The KPI response as ``ComplianceKpiSerializer`` describes it."""
    return {
        "as_of": kpi.as_of.isoformat(),
        **render_figures(kpi.city),
        "districts": [
            {
                "district": row.district.code,
                "name": row.district.name,
                **render_figures(row.figures),
            }
            for row in kpi.districts
        ],
    }


# ---------------------------------------------------------------------------------------------
# The construction-overdue response
# ---------------------------------------------------------------------------------------------


class OverdueClusterSerializer(serializers.Serializer):
    code = serializers.CharField(source="cluster.code")
    name = serializers.CharField(source="cluster.name")
    district = serializers.CharField(source="cluster.district.code")
    district_name = serializers.CharField(source="cluster.district.name")
    established_on = serializers.DateField(source="cluster.established_on")
    months_since_established = serializers.IntegerField()


class OverdueItemSerializer(OverdueClusterSerializer):
    """An item of the start- or completion-overdue list, with its deadline."""

    months_since_established = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField()
    deadline_source = serializers.ChoiceField(
        choices=DeadlineSource.choices,
        help_text=_(
            "extension: the latest schedule extension decided on or before as_of; decision: "
            "the establishment decision's planned date; fallback: established_on + months."
        ),
    )
    decision_no = serializers.CharField(
        help_text=_("The extension's decision number (empty unless the source is extension).")
    )
    days_overdue = serializers.IntegerField()


class ConstructionOverdueSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    months = serializers.IntegerField()
    count = serializers.IntegerField()
    results = OverdueClusterSerializer(many=True)
    start_overdue = OverdueItemSerializer(
        many=True, help_text=_("Status established and as_of after the start deadline.")
    )
    completion_overdue = OverdueItemSerializer(
        many=True,
        help_text=_(
            "Under construction or operating, infrastructure not completed, and as_of after "
            "the completion deadline."
        ),
    )


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


class WastewaterComplianceView(StatsView):
    """The wastewater KPI of DESIGN.md section 4 at ``as_of``, city-wide (over the caller's
    districts) and for each district."""

    required_permissions = ["clusters.view_industrialcluster"]
    query_serializer_class = KpiQuerySerializer

    @extend_schema(parameters=[KpiQuerySerializer], responses=ComplianceKpiSerializer)
    def get(self, request):
        params = self.query(request)
        kpi = wastewater_compliance(
            as_of=params.get("as_of") or today(), districts=self.districts(request, params)
        )
        return Response(render_kpi(kpi))


class ConstructionOverdueView(StatsView):
    """Construction overdue at ``as_of``: ``start_overdue`` and ``completion_overdue``, each
    item with its deadline, the deadline's source and the days past it, most overdue first.
    ``results`` (and ``count``) is the start-overdue list in the v1 item shape. ``months`` is
    the fallback start deadline after establishment for a cluster without a planned date."""

    required_permissions = ["clusters.view_industrialcluster"]
    query_serializer_class = OverdueQuerySerializer

    @extend_schema(parameters=[OverdueQuerySerializer], responses=ConstructionOverdueSerializer)
    def get(self, request):
        params = self.query(request)
        clusters = restrict(IndustrialCluster.objects.all(), request.user)
        if params.get("district") is not None:
            clusters = clusters.filter(district=params["district"])
        overdue = construction_overdue(
            as_of=params.get("as_of"), months=params.get("months"), clusters=clusters
        )
        return Response(
            {
                "as_of": overdue.as_of.isoformat(),
                "months": overdue.months,
                "count": len(overdue.clusters),
                "results": OverdueClusterSerializer(overdue.clusters, many=True).data,
                "start_overdue": OverdueItemSerializer(overdue.start_overdue, many=True).data,
                "completion_overdue": OverdueItemSerializer(
                    overdue.completion_overdue, many=True
                ).data,
            }
        )
