"""Read logic over clusters: the wastewater KPI and the construction-overdue list.

Views, serializers, the admin and the dashboard call these; they never re-derive a rule.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from clusters.choices import ClusterStatus, DeadlineSource, WastewaterState
from clusters.models import IndustrialCluster, ScheduleExtension
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
    months_since_established: int | None
    deadline: datetime.date | None = None
    deadline_source: str = DeadlineSource.FALLBACK
    #: the extension's decision number when the deadline comes from an extension
    decision_no: str = ""
    days_overdue: int = 0

    @property
    def deadline_source_label(self) -> str:
        return DeadlineSource(self.deadline_source).label


@dataclass(frozen=True)
class ConstructionOverdue:
    """The two overdue lists at ``as_of`` (each most overdue first), with the number of
    months of the fallback start deadline (the caller's or the setting's). Iterating, ``len``
    and indexing give the start-overdue list (``clusters``), as before the completion list."""

    as_of: datetime.date
    months: int
    start_overdue: list[OverdueCluster]
    completion_overdue: list[OverdueCluster] = field(default_factory=list)

    @property
    def clusters(self) -> list[OverdueCluster]:
        return self.start_overdue

    def __iter__(self):
        return iter(self.start_overdue)

    def __len__(self) -> int:
        return len(self.start_overdue)

    def __getitem__(self, index):
        return self.start_overdue[index]


def _latest_extension(as_of: datetime.date, deadline_field: str, column: str) -> Subquery:
    """``column`` of the outer cluster's latest extension decided on or before ``as_of``
    that sets ``deadline_field`` (latest decision date, then latest recorded)."""
    return Subquery(
        ScheduleExtension.objects.filter(
            cluster=OuterRef("pk"),
            decided_on__lte=as_of,
            **{f"{deadline_field}__isnull": False},
        )
        .order_by("-decided_on", "-pk")
        .values(column)[:1]
    )


def _with_deadline(queryset, as_of: datetime.date, deadline_field: str, planned_field: str):
    """Annotate ``deadline`` (the latest extension's, else the decision's planned date),
    ``extension_deadline`` and ``extension_decision_no``."""
    return queryset.annotate(
        extension_deadline=_latest_extension(as_of, deadline_field, deadline_field),
        extension_decision_no=_latest_extension(as_of, deadline_field, "decision_no"),
    ).annotate(deadline=Coalesce(F("extension_deadline"), F(planned_field)))


def _overdue_item(cluster, as_of: datetime.date, deadline, source: str) -> OverdueCluster:
    return OverdueCluster(
        cluster=cluster,
        months_since_established=(
            whole_months_between(cluster.established_on, as_of) if cluster.established_on else None
        ),
        deadline=deadline,
        deadline_source=source,
        decision_no=cluster.extension_decision_no if source == DeadlineSource.EXTENSION else "",
        days_overdue=(as_of - deadline).days,
    )


def _source(cluster) -> str:
    return DeadlineSource.EXTENSION if cluster.extension_deadline else DeadlineSource.DECISION


def _most_overdue_first(items: list[OverdueCluster]) -> list[OverdueCluster]:
    return sorted(items, key=lambda item: (-item.days_overdue, item.cluster.code))


def construction_overdue(
    *,
    as_of: datetime.date | None = None,
    months: int | None = None,
    clusters: QuerySet | None = None,
) -> ConstructionOverdue:
    """Construction overdue at ``as_of`` (default: today), the rules (README).

    - start overdue: status ``established`` and ``as_of`` after the construction-start
      deadline;
    - completion overdue: status ``under_construction`` or ``operating``, the infrastructure
      not completed by ``as_of``, and ``as_of`` after the completion deadline.

    A deadline is the one set by the latest schedule extension decided on or before
    ``as_of``, else the establishment decision's planned date; with neither, the start
    deadline falls back to ``established_on`` + ``months`` (default: the setting), and such a
    cluster is listed from that date on, as v1 listed it ("established at least ``months``
    months before ``as_of``"; 0 days overdue on the day itself). Each list
    is most overdue first (then by code). Two queries whatever the number of clusters."""
    as_of = as_of or today()
    months = settings.REGISTRY["OVERDUE_MONTHS"] if months is None else months
    base = clusters if clusters is not None else IndustrialCluster.objects.all()
    base = base.with_status(as_of).select_related("district")

    # Start: SQL keeps the clusters past a known deadline, and those without one that were
    # established at least ``months`` before (the fallback; its date is computed below).
    started = _with_deadline(
        base.filter(status_is(ClusterStatus.ESTABLISHED, as_of)),
        as_of,
        "new_start_deadline",
        "planned_construction_start",
    ).filter(
        Q(deadline__lt=as_of)
        | Q(deadline__isnull=True, established_on__lte=subtract_months(as_of, months))
    )
    start_items = []
    for cluster in started:
        if cluster.deadline is not None:
            start_items.append(_overdue_item(cluster, as_of, cluster.deadline, _source(cluster)))
        else:  # the fallback: established at least ``months`` months before as_of (v1's rule)
            fallback = subtract_months(cluster.established_on, -months)
            start_items.append(_overdue_item(cluster, as_of, fallback, DeadlineSource.FALLBACK))

    # Completion: under construction or operating, infrastructure not completed by as_of.
    building = _with_deadline(
        base.filter(
            status_is(ClusterStatus.UNDER_CONSTRUCTION, as_of)
            | status_is(ClusterStatus.OPERATING, as_of)
        ).filter(
            Q(infrastructure_completed_on__isnull=True) | Q(infrastructure_completed_on__gt=as_of)
        ),
        as_of,
        "new_completion_deadline",
        "planned_completion",
    ).filter(deadline__lt=as_of)
    completion_items = [
        _overdue_item(cluster, as_of, cluster.deadline, _source(cluster)) for cluster in building
    ]
    return ConstructionOverdue(
        as_of=as_of,
        months=months,
        start_overdue=_most_overdue_first(start_items),
        completion_overdue=_most_overdue_first(completion_items),
    )
