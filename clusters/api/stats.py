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
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers

from clusters.choices import DeadlineSource
from clusters.models import IndustrialCluster
from clusters.selectors import (
    OPERATING_STATE_VALUES,
    OPERATING_STATES,
    ComplianceKpi,
    ConstructionOverdue,
    KpiFigures,
    construction_overdue,
    wastewater_compliance,
)
from registry.api.reporting import ReportingQuerySerializer
from registry.api.serializers import counts_serializer
from registry.api.views import StatsView
from registry.dates import today
from registry.models import UnitLevel
from registry.reporting import in_units
from registry.scoping import restrict

# ---------------------------------------------------------------------------------------------
# Query parameters
# ---------------------------------------------------------------------------------------------


class KpiQuerySerializer(ReportingQuerySerializer):
    pass


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


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^(100\.00|\d{1,2}\.\d{2})$",
        "example": "95.00",
        "description": "A percentage from 0.00 to 100.00, as a string.",
    }
)
class PercentField(serializers.DecimalField):
    """A percentage 0.00–100.00 (documented as such: a string of that pattern)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, min_value=0, max_value=100, **kwargs)


class KpiFiguresSerializer(serializers.Serializer):
    """The wastewater KPI's figures at one date, for the districts covered (the total) or
    one district: operating clusters, those compliant, the share against the year's target,
    whether it is met and by how many clusters it falls short, and the count in each
    wastewater state."""

    # Schema only (see the module's docstring): render_figures / render_kpi render these
    # figures from clusters.selectors.KpiFigures, without DRF's per-field walk;
    # tests/api/test_fast_representation.py checks the output is what DRF renders from these
    # fields. The docstring above is the OpenAPI document's description for API readers.

    target_percent = PercentField(
        allow_null=True,
        help_text=_("The year's target (%)."),
    )
    operating = serializers.IntegerField(help_text=_("Clusters in operation at as_of."))
    compliant = serializers.IntegerField(
        help_text=_("Operating clusters whose wastewater state is compliant.")
    )
    share_percent = PercentField(
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


class UnitKpiSerializer(KpiFiguresSerializer):
    # Schema only: one reporting unit's figures (rendered by render_kpi).
    unit = serializers.CharField(help_text=_("The unit's code (3 digits: district; 5: commune)."))
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=UnitLevel.choices)


class ComplianceKpiSerializer(KpiFiguresSerializer):
    # Schema only: the KPI response (rendered by render_kpi).
    as_of = serializers.DateField()
    grouping = serializers.ChoiceField(
        choices=UnitLevel.choices, help_text=_("The level the units are of.")
    )
    units = UnitKpiSerializer(many=True, help_text=_("Each reporting unit covered."))
    unsettled = KpiFiguresSerializer(
        allow_null=True,
        help_text=_(
            "Operating clusters counted in the total that lie in no unit of the grouping "
            "(no commune settled yet); null when there is none."
        ),
    )
    districts = DistrictKpiSerializer(
        many=True,
        required=False,
        help_text=_("When grouped by district: the units as v1's district rows."),
    )


def render_percent(value):
    """A percentage as ``_PERCENT`` (DecimalField(5, 2)) renders it: the KPI's percentages
    already have two decimals (a target is stored so, a share is rounded so), which
    ``format`` writes exactly as DRF's quantize does, at a fraction of its cost."""
    if value is None:
        return None
    if value.as_tuple().exponent == -2:
        return f"{value:.2f}"
    return _PERCENT.to_representation(value)


def render_figures(figures: KpiFigures) -> dict:
    """One set of figures as ``KpiFiguresSerializer`` describes it."""
    by_state = figures.by_state
    return {
        "target_percent": render_percent(figures.target_percent),
        "operating": figures.operating,
        "compliant": figures.compliant,
        "share_percent": render_percent(figures.share_percent),
        "met": figures.met,
        "shortfall": figures.shortfall,
        "by_state": {state: by_state[state] for state in OPERATING_STATE_VALUES},
    }


def render_kpi(kpi: ComplianceKpi) -> dict:
    """The KPI response as ``ComplianceKpiSerializer`` describes it."""
    # Units with equal counts share their figures (the selector): each set is rendered once,
    # as a unit's row to copy (a C-level copy, then the unit's three keys).
    rows: dict[int, dict] = {}
    units = []
    append = units.append
    for unit, figures in kpi.units:
        template = rows.get(id(figures))
        if template is None:
            template = rows[id(figures)] = {
                "unit": "",
                "name": "",
                "level": "",
                **render_figures(figures),
            }
        row = template.copy()
        row["unit"] = unit.code
        row["name"] = unit.name
        row["level"] = unit.level
        append(row)
    data = {
        "as_of": kpi.as_of.isoformat(),
        **render_figures(kpi.city),
        "grouping": kpi.grouping,
        "units": units,
        "unsettled": None if kpi.unsettled is None else render_figures(kpi.unsettled),
    }
    if kpi.grouping == UnitLevel.DISTRICT:
        data["districts"] = [
            {"district": row.pop("unit"), "name": row.pop("name"), **row}
            for row in ({k: v for k, v in unit.items() if k != "level"} for unit in units)
        ]
    return data


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
    unit = serializers.CharField(
        source="unit.code",
        allow_null=True,
        default=None,
        help_text=_("The reporting unit it counts in (null: no commune settled yet)."),
    )
    unit_name = serializers.CharField(source="unit.name", allow_null=True, default=None)


class ConstructionOverdueSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    months = serializers.IntegerField()
    grouping = serializers.ChoiceField(choices=UnitLevel.choices)
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


def render_overdue(overdue: ConstructionOverdue) -> dict:
    """The construction-overdue response as ``ConstructionOverdueSerializer`` describes it."""
    return {
        "as_of": overdue.as_of.isoformat(),
        "months": overdue.months,
        "grouping": overdue.grouping,
        "count": len(overdue.clusters),
        "results": OverdueClusterSerializer(overdue.clusters, many=True).data,
        "start_overdue": OverdueItemSerializer(overdue.start_overdue, many=True).data,
        "completion_overdue": OverdueItemSerializer(overdue.completion_overdue, many=True).data,
    }


def kpi_csv_rows(data: dict) -> list[dict]:
    """The KPI response (``render_kpi``) as CSV rows: the total (unit empty), the clusters in
    no unit when there are any, then each unit (grouped by district, v1's ``district``
    column repeats the unit's code)."""
    as_of, grouping = data["as_of"], data["grouping"]
    by_district = grouping == UnitLevel.DISTRICT

    def row(unit: str, name: str, figures: dict) -> dict:
        head = {"as_of": as_of, "grouping": grouping, "unit": unit, "name": name}
        if by_district:
            head["district"] = unit
        figures = {k: v for k, v in figures.items() if k not in ("unit", "name", "level")}
        return head | figures

    total = {key: data[key] for key in render_figures_keys()}
    rows = [row("", str(_("Total")), total)]
    if data["unsettled"] is not None:
        rows.append(row("", str(_("No commune settled")), data["unsettled"]))
    rows.extend(row(unit["unit"], unit["name"], unit) for unit in data["units"])
    return rows


def render_figures_keys() -> list[str]:
    return list(KpiFiguresSerializer().fields)


# ---------------------------------------------------------------------------------------------
# The OpenAPI document: the rules in words, and examples from the demo data
# ---------------------------------------------------------------------------------------------

RULES = """
**The date.** Every figure is computed for a date `as_of` (default: today in Hanoi,
Asia/Ho_Chi_Minh). Official reports use the cut-offs of Circular 14/2024/TT-BCT: 14 June (half
year) and 14 December (year).

**A cluster's status at the date** is the first that holds: `closed` if it closed on or before
the date; `operating` if it has operated since a day on or before it; `under_construction` if
construction started on or before it; `established` if it was established on or before it;
otherwise `planned`.

**A cluster's wastewater state at the date** is the first that holds:
1. `not_operating`: its status at the date is not `operating` (it is outside the KPI);
2. `no_treatment_plant`: its central wastewater treatment plant was not in operation by then;
3. `no_evidence`: no inspection dated between the plant's start of operation and the date;
4. `stale_evidence`: the latest such inspection is older than the evidence window (365 days
   by default: inspected before the date minus 365 days);
5. `failed`: the latest such inspection's result is `fails`;
6. `compliant`: otherwise.
When two inspections share the latest date, a `fails` wins.
"""

KPI_DESCRIPTION = (
    """The share of operating industrial clusters whose wastewater meets the national
technical regulation, against the year's target, at `as_of`: the total over the units you
keep, and each of them (only one with `unit` or `district`).

**The reporting unit** (`grouping`): the 30 districts for a date before 1 July 2025, the 126
communes and wards from then on; `by=district` after the reform gives the former districts,
`by=commune` before it today's communes. A cluster counts in the unit of that level it lies in;
one whose commune is not settled yet counts in the total and in `unsettled`. `units` lists every
unit covered (empty ones included); when grouped by district, `districts` repeats them in v1's
shape. Local accounts get their units: communes, or districts (and, by commune, the communes
formed from their districts alone).
"""
    + RULES
    + """
**The figures** (the total and each district):
- `operating`: clusters whose status at the date is `operating` (the denominator);
- `compliant`: those whose wastewater state is `compliant` (the numerator);
- `share_percent`: 100 × compliant / operating, rounded half-up to 2 decimals; `null` when no
  cluster operates (never 0 % or 100 % for an empty district);
- `target_percent`: the target of the latest year up to the date's year; `null` if none is set;
- `met`: compliant × 100 ≥ target × operating, compared exactly, not on the rounded share (189
  of 199 is 94.97 % and does not meet 95 %); `null` when the share or the target is null;
- `shortfall`: the fewest more compliant clusters that would meet the target,
  max(0, ⌈target × operating / 100⌉ − compliant); `null` without a target;
- `by_state`: the operating clusters in each wastewater state.

`?format=csv` (or `Accept: text/csv`) gives the same figures as CSV (UTF-8 with a BOM).
"""
)

OVERDUE_DESCRIPTION = (
    """Clusters whose status at `as_of` is `established` (construction not started) and
that were established at least `months` months before it (default 24), longest waiting first,
with the months since establishment. District accounts get their districts.
`?format=csv` gives one row a cluster.
"""
    + RULES
)

KPI_EXAMPLE = OpenApiExample(
    "The demo data at 14/12/2025",
    summary="The KPI at 2025-12-14 (demo data; by commune, two of the 126 shown)",
    value={
        "as_of": "2025-12-14",
        "target_percent": "95.00",
        "operating": 14,
        "compliant": 9,
        "share_percent": "64.29",
        "met": False,
        "shortfall": 5,
        "by_state": {
            "no_treatment_plant": 3,
            "no_evidence": 1,
            "stale_evidence": 1,
            "failed": 0,
            "compliant": 9,
        },
        "grouping": "commune",
        "units": [
            {
                "unit": "00475",
                "name": "Xã Thư Lâm",
                "level": "commune",
                "target_percent": "95.00",
                "operating": 3,
                "compliant": 2,
                "share_percent": "66.67",
                "met": False,
                "shortfall": 1,
                "by_state": {
                    "no_treatment_plant": 1,
                    "no_evidence": 0,
                    "stale_evidence": 0,
                    "failed": 0,
                    "compliant": 2,
                },
            },
            {
                "unit": "00562",
                "name": "Xã Thuận An",
                "level": "commune",
                "target_percent": "95.00",
                "operating": 1,
                "compliant": 1,
                "share_percent": "100.00",
                "met": True,
                "shortfall": 0,
                "by_state": {
                    "no_treatment_plant": 0,
                    "no_evidence": 0,
                    "stale_evidence": 0,
                    "failed": 0,
                    "compliant": 1,
                },
            },
        ],
        "unsettled": None,
    },
    response_only=True,
)


OVERDUE_EXAMPLE = OpenApiExample(
    "The demo data at 14/12/2025",
    summary="Construction overdue at 2025-12-14 (demo data; the first of 3 shown)",
    value={
        "as_of": "2025-12-14",
        "months": 24,
        "grouping": "commune",
        "count": 3,
        "results": [
            {
                "code": "CCN-PHUNG-XA",
                "name": "Cụm công nghiệp Phùng Xá",
                "district": "276",
                "district_name": "Thạch Thất",
                "established_on": "2020-12-20",
                "months_since_established": 59,
            }
        ],
        "start_overdue": [
            {
                "code": "CCN-PHUNG-XA",
                "name": "Cụm công nghiệp Phùng Xá",
                "district": "276",
                "district_name": "Thạch Thất",
                "established_on": "2020-12-20",
                "months_since_established": 59,
                "deadline": "2022-12-20",
                "deadline_source": "fallback",
                "decision_no": "",
                "days_overdue": 1090,
                "unit": "10003",
                "unit_name": "Xã Tây Phương",
            }
        ],
        "completion_overdue": [
            {
                "code": "CCN-DONG-PHU-YEN",
                "name": "Cụm công nghiệp Đông Phú Yên",
                "district": "277",
                "district_name": "Chương Mỹ",
                "established_on": "2019-05-15",
                "months_since_established": 78,
                "deadline": "2025-06-30",
                "deadline_source": "decision",
                "decision_no": "",
                "days_overdue": 167,
                "unit": "10030",
                "unit_name": "Xã Phú Nghĩa",
            }
        ],
    },
    response_only=True,
)


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


class WastewaterComplianceView(StatsView):
    """The wastewater KPI at ``as_of``: the total over the caller's districts, and each
    district (see the operation's description for the rules)."""

    required_permissions = ["clusters.view_industrialcluster"]
    query_serializer_class = KpiQuerySerializer
    csv_name = "wastewater-compliance"

    @extend_schema(
        summary="The wastewater KPI at a date",
        description=KPI_DESCRIPTION,
        parameters=[KpiQuerySerializer],
        responses={
            200: OpenApiResponse(
                ComplianceKpiSerializer,
                description="JSON as below; as CSV a total row (district empty) and one row a "
                "district, nested figures as columns such as by_state.compliant.",
                examples=[KPI_EXAMPLE],
            )
        },
    )
    def get(self, request):
        params = self.query(request)
        kpi = wastewater_compliance(
            as_of=params.get("as_of") or today(),
            grouping=params["grouping"],
            units=params["units"],
        )
        return self.respond(render_kpi(kpi))

    def csv_rows(self, data):
        """The total over the units covered (unit left empty), the clusters in no unit when
        there are any, then each unit; grouped by district, the unit's code is also in
        v1's ``district`` column."""
        return kpi_csv_rows(data)


class ConstructionOverdueView(StatsView):
    """Construction overdue at ``as_of``: ``start_overdue`` and ``completion_overdue``, each
    item with its deadline, the deadline's source and the days past it, most overdue first.
    ``results`` (and ``count``) is the start-overdue list in the v1 item shape. ``months`` is
    the fallback start deadline after establishment for a cluster without a planned date."""

    required_permissions = ["clusters.view_industrialcluster"]
    query_serializer_class = OverdueQuerySerializer
    csv_name = "construction-overdue"

    @extend_schema(
        summary="Clusters whose construction is overdue",
        description=OVERDUE_DESCRIPTION,
        parameters=[OverdueQuerySerializer],
        responses={
            200: OpenApiResponse(
                ConstructionOverdueSerializer,
                description="JSON as below; as CSV one row a cluster.",
                examples=[OVERDUE_EXAMPLE],
            )
        },
    )
    def get(self, request):
        params = self.query(request)
        clusters = restrict(IndustrialCluster.objects.all(), request.user)
        unit = params["unit"]
        clusters = in_units(clusters, params["grouping"], None if unit is None else [unit])
        overdue = construction_overdue(
            as_of=params.get("as_of"),
            months=params.get("months"),
            clusters=clusters,
            grouping=params["grouping"],
        )
        return self.respond(render_overdue(overdue))

    csv_columns = ["as_of", "months", *OverdueClusterSerializer().fields]

    def csv_rows(self, data):
        """One row a cluster."""
        return [{"as_of": data["as_of"], "months": data["months"], **r} for r in data["results"]]
