"""The report's indicators of industrial clusters by reporting unit (Circular 14/2024/TT-BCT).

For a date D, per reporting unit (``registry.reporting``) and for the city:

- the clusters by their status at D (``clusters.querysets.status_is``, the one home of the
  status rule);
- over the clusters *not closed* at D (every status but ``closed``: a closed cluster was
  removed from the plan, cancelled or merged): the planned area, the industrial land and
  the leased industrial land (ha), the registered and disbursed infrastructure capital
  (VND), the tenant businesses and the workers — each the sum of the values recorded (an
  unknown value adds nothing);
- the occupancy (%): ``clusters.models.occupancy_from_land`` (the rule of a cluster's
  ``occupancy_percent_effective``) over the land of the clusters not closed whose
  industrial *and* leased land are both recorded, so that each hectare leased is set against
  its own cluster's industrial land; None when there is no such land;
- the operating clusters with their centralized WWTP in operation at D
  (``wwtp_operating_since`` ≤ D, as the wastewater state reads it).

One grouped query over the clusters, plus one for the units when none are given, whatever the
number of clusters.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from clusters.choices import ClusterStatus
from clusters.models import IndustrialCluster, occupancy_from_land
from clusters.querysets import status_is
from registry.dates import today
from registry.reporting import ReportingUnit, covered_records, grouping_at, unit_path

#: The sums over the clusters not closed: the indicator's name → the cluster field summed.
SUMMED_FIELDS = {
    "area_ha": "area_ha",
    "industrial_land_ha": "industrial_land_ha",
    "leased_land_ha": "leased_land_ha",
    "registered_capital_vnd": "registered_capital_vnd",
    "disbursed_capital_vnd": "disbursed_capital_vnd",
    "tenants": "tenant_count",
    "workers": "worker_count",
}
DECIMAL_SUMS = {
    "area_ha",
    "industrial_land_ha",
    "leased_land_ha",
    "registered_capital_vnd",
    "disbursed_capital_vnd",
}


@dataclass(frozen=True)
class Indicators:
    """The report's indicators of one set of clusters at a date."""

    by_status: dict[str, int] = field(default_factory=dict)
    area_ha: Decimal = Decimal("0")
    industrial_land_ha: Decimal = Decimal("0")
    leased_land_ha: Decimal = Decimal("0")
    #: the industrial and leased land of the clusters where both are recorded (the basis
    #: of ``occupancy_percent``)
    paired_industrial_land_ha: Decimal = Decimal("0")
    paired_leased_land_ha: Decimal = Decimal("0")
    registered_capital_vnd: Decimal = Decimal("0")
    disbursed_capital_vnd: Decimal = Decimal("0")
    tenants: int = 0
    workers: int = 0
    wwtp_operating: int = 0

    @property
    def clusters(self) -> int:
        """Every cluster counted, whatever its status (closed ones too)."""
        return sum(self.by_status.values())

    @property
    def not_closed(self) -> int:
        """The clusters not closed at the date: every status but ``closed``."""
        return self.clusters - self.by_status.get(ClusterStatus.CLOSED.value, 0)

    @property
    def occupancy_percent(self) -> Decimal | None:
        """The cluster's occupancy rule over the paired land (``occupancy_from_land``)."""
        return occupancy_from_land(self.paired_leased_land_ha, self.paired_industrial_land_ha)

    @classmethod
    def total(cls, parts: list["Indicators"]) -> "Indicators":
        """The sum of ``parts`` (the city over its units)."""
        numbers = {
            name: sum((getattr(p, name) for p in parts), Decimal("0"))
            for name in (
                *DECIMAL_SUMS,
                "paired_industrial_land_ha",
                "paired_leased_land_ha",
            )
        }
        counts = {
            name: sum(getattr(p, name) for p in parts)
            for name in ("tenants", "workers", "wwtp_operating")
        }
        by_status = {
            s.value: sum(p.by_status.get(s.value, 0) for p in parts) for s in ClusterStatus
        }
        return cls(by_status=by_status, **numbers, **counts)


@dataclass(frozen=True)
class UnitIndicators:
    unit: ReportingUnit
    figures: Indicators


@dataclass(frozen=True)
class ReportIndicators:
    as_of: datetime.date
    grouping: str
    city: Indicators
    units: list[UnitIndicators]
    #: clusters counted in ``city`` that lie in no unit of the grouping (no commune settled
    #: yet); None when there is none (and always when ``units`` were given)
    unsettled: Indicators | None = None


def _aggregates(as_of: datetime.date) -> dict:
    not_closed = ~status_is(ClusterStatus.CLOSED, as_of)
    paired = Q(industrial_land_ha__isnull=False, leased_land_ha__isnull=False)
    decimal = DecimalField(max_digits=24, decimal_places=2)
    aggregates = {
        f"n_{status.value}": Count("pk", filter=status_is(status.value, as_of))
        for status in ClusterStatus
    }
    for name, source in SUMMED_FIELDS.items():
        output = decimal if name in DECIMAL_SUMS else IntegerField()
        zero = Value(Decimal("0") if name in DECIMAL_SUMS else 0, output_field=output)
        total = Sum(source, filter=not_closed, output_field=output)
        aggregates[f"sum_{name}"] = Coalesce(total, zero)
    for name in ("industrial_land_ha", "leased_land_ha"):
        aggregates[f"sum_paired_{name}"] = Coalesce(
            Sum(name, filter=not_closed & paired, output_field=decimal),
            Value(Decimal("0"), output_field=decimal),
        )
    aggregates["wwtp_operating"] = Count(
        "pk",
        filter=status_is(ClusterStatus.OPERATING, as_of) & Q(wwtp_operating_since__lte=as_of),
    )
    return aggregates


def _figures(row: dict) -> Indicators:
    def number(name):
        value = row[f"sum_{name}"]
        return Decimal(value) if not isinstance(value, Decimal) else value

    return Indicators(
        by_status={s.value: row[f"n_{s.value}"] for s in ClusterStatus},
        **{name: number(name) for name in DECIMAL_SUMS},
        paired_industrial_land_ha=number("paired_industrial_land_ha"),
        paired_leased_land_ha=number("paired_leased_land_ha"),
        tenants=int(row["sum_tenants"]),
        workers=int(row["sum_workers"]),
        wwtp_operating=row["wwtp_operating"],
    )


def report_indicators(
    *,
    as_of: datetime.date | None = None,
    grouping: str | None = None,
    units: list | None = None,
    clusters: QuerySet | None = None,
) -> ReportIndicators:
    """The report's indicators at ``as_of`` (default today) for each reporting unit of
    ``grouping`` (default the level at ``as_of``) and the city.

    ``units``: the units covered (Districts, commune-level AdministrativeUnits or
    ReportingUnits; default every unit of the level, empty ones included); only their
    clusters are counted. ``clusters``: the clusters to count (default all; e.g. a scoped
    queryset). Over every unit, the city also counts the clusters in no unit of the level
    (``unsettled``), as the KPI does. One grouped query, plus one for the units when none
    are given."""
    as_of = as_of or today()
    grouping = grouping_at(as_of, grouping)
    path = unit_path(IndustrialCluster, grouping)
    base = clusters if clusters is not None else IndustrialCluster.objects.all()
    covered, base, _districts = covered_records(base, grouping, units)
    rows = base.order_by().values(path).annotate(**_aggregates(as_of))
    by_unit = {row[path]: _figures(row) for row in rows}
    empty = Indicators(by_status={s.value: 0 for s in ClusterStatus})
    unit_rows = [UnitIndicators(unit=u, figures=by_unit.get(u.pk, empty)) for u in covered]
    unsettled = by_unit.get(None) if units is None else None
    return ReportIndicators(
        as_of=as_of,
        grouping=grouping,
        city=Indicators.total(list(by_unit.values())),
        units=unit_rows,
        unsettled=unsettled,
    )
