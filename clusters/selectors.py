"""Read logic over clusters: the wastewater KPI and the construction-overdue list.

Views, serializers, the admin and the dashboard call these; they never re-derive a rule.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, QuerySet

from clusters.choices import ClusterStatus, WastewaterState
from clusters.models import IndustrialCluster
from clusters.querysets import status_is
from registry.dates import subtract_months, today, whole_months_between
from registry.models import District, Target


def target_for(as_of: datetime.date) -> Target | None:
    """The target of the greatest year on or before ``as_of``'s year, if any."""
    return Target.objects.filter(year__lte=as_of.year).order_by("-year").first()


@dataclass(frozen=True)
class KpiFigures:
    """The KPI of section 4 for one set of clusters, from its counts and the target."""

    operating: int
    compliant: int
    target_percent: Decimal | None
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def share_percent(self) -> Decimal | None:
        """100 × compliant / operating, rounded half-up to 2 decimals; None when empty."""
        if not self.operating:
            return None
        # Integer arithmetic: hundredths of a percent, rounded half up.
        hundredths = (20000 * self.compliant + self.operating) // (2 * self.operating)
        return Decimal(hundredths).scaleb(-2)

    @property
    def met(self) -> bool | None:
        """compliant × 100 ≥ target × operating, exactly; None without share or target."""
        if self.target_percent is None or not self.operating:
            return None
        return Fraction(self.compliant * 100) >= Fraction(self.target_percent) * self.operating

    @property
    def shortfall(self) -> int | None:
        """The fewest more compliant clusters that would meet the target; None without one."""
        if self.target_percent is None:
            return None
        needed = math.ceil(Fraction(self.target_percent) * self.operating / 100)
        return max(0, needed - self.compliant)

    def as_dict(self) -> dict:
        return {
            "target_percent": self.target_percent,
            "operating": self.operating,
            "compliant": self.compliant,
            "share_percent": self.share_percent,
            "met": self.met,
            "shortfall": self.shortfall,
            "by_state": dict(self.by_state),
        }


@dataclass(frozen=True)
class DistrictKpi:
    district: District
    figures: KpiFigures


@dataclass(frozen=True)
class ComplianceKpi:
    as_of: datetime.date
    city: KpiFigures
    districts: list[DistrictKpi]


#: The states an operating cluster can be in (``not_operating`` is outside the KPI).
OPERATING_STATES = [s for s in WastewaterState if s != WastewaterState.NOT_OPERATING]


def wastewater_compliance(
    *,
    as_of: datetime.date | None = None,
    districts: QuerySet | list[District] | None = None,
) -> ComplianceKpi:
    """The share of operating clusters meeting the wastewater standard at ``as_of``.

    City-wide and for each district in ``districts`` (default: every district, empty ones
    included). Counts come from one grouped query; three queries in all.
    """
    as_of = as_of or today()
    clusters = IndustrialCluster.objects.operating_with_wastewater_state(as_of)
    if districts is None:
        districts = list(District.objects.all())
    else:
        # Only the listed districts' clusters are counted (the figures never include
        # others), so one district's KPI reads one district's clusters.
        districts = list(districts)
        clusters = clusters.filter(district__in=[d.pk for d in districts])
    target = target_for(as_of)
    target_percent = target.percent if target else None

    # One grouped query: (district, state) → count, over the clusters operating at as_of.
    rows = clusters.values("district_id", "wastewater_state").annotate(n=Count("pk")).order_by()
    by_district: dict[int, dict[str, int]] = {}
    for row in rows:
        states = by_district.setdefault(row["district_id"], {})
        states[row["wastewater_state"]] = row["n"]

    def figures(state_counts: list[dict[str, int]]) -> KpiFigures:
        by_state = {s.value: sum(c.get(s.value, 0) for c in state_counts) for s in OPERATING_STATES}
        return KpiFigures(
            operating=sum(by_state.values()),
            compliant=by_state[WastewaterState.COMPLIANT.value],
            target_percent=target_percent,
            by_state=by_state,
        )

    district_rows = [
        DistrictKpi(district=d, figures=figures([by_district.get(d.pk, {})])) for d in districts
    ]
    city = figures([by_district.get(d.pk, {}) for d in districts])
    return ComplianceKpi(as_of=as_of, city=city, districts=district_rows)


@dataclass(frozen=True)
class OverdueCluster:
    cluster: IndustrialCluster
    months_since_established: int


@dataclass(frozen=True)
class ConstructionOverdue:
    """The overdue list with the date and the number of months it was computed for (the
    caller's or the setting's); iterates over its clusters."""

    as_of: datetime.date
    months: int
    clusters: list[OverdueCluster]

    def __iter__(self):
        return iter(self.clusters)

    def __len__(self) -> int:
        return len(self.clusters)

    def __getitem__(self, index):
        return self.clusters[index]


def construction_overdue(
    *,
    as_of: datetime.date | None = None,
    months: int | None = None,
    clusters: QuerySet | None = None,
) -> ConstructionOverdue:
    """Clusters established at least ``months`` months (default: the setting) before
    ``as_of`` (default: today) that have not started construction (status still
    ``established``), oldest first. One query."""
    as_of = as_of or today()
    months = settings.REGISTRY["OVERDUE_MONTHS"] if months is None else months
    cutoff = subtract_months(as_of, months)
    base = clusters if clusters is not None else IndustrialCluster.objects.all()
    rows = (
        base.filter(status_is(ClusterStatus.ESTABLISHED, as_of), established_on__lte=cutoff)
        .with_status(as_of)
        .select_related("district")
        .order_by("established_on", "code")
    )
    overdue = [
        OverdueCluster(
            cluster=c, months_since_established=whole_months_between(c.established_on, as_of)
        )
        for c in rows
    ]
    return ConstructionOverdue(as_of=as_of, months=months, clusters=overdue)
