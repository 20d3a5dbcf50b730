"""The dashboard's figures for one user at one date, from the core selectors only.

Nothing here computes a status, a wastewater state or a KPI figure: those come from
``clusters.selectors``, ``markets.selectors`` and the queryset annotations. This module picks
the districts (through ``registry.scoping``), the dates, and the order of the rows. Its one
dated condition of its own is which market projects were under way at a date
(``projects_under_way``: markets have no dated rule in ``markets`` yet).
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import QuerySet

from clusters.choices import WASTEWATER_STATE_REASONS, ClusterStatus, WastewaterState
from clusters.models import IndustrialCluster
from clusters.selectors import (
    OPERATING_STATES,
    ComplianceKpi,
    ConstructionOverdue,
    KpiFigures,
    OverdueCluster,
    UnitKpi,
    construction_overdue,
    target_for,
    wastewater_compliance,
)
from dashboard.forms import TREND_START_YEAR
from markets.models import Market, MarketProject
from markets.selectors import MarketStatistics, market_statistics
from registry.dates import today
from registry.models import District, UnitLevel
from registry.reporting import grouping_at
from registry.scoping import districts_in_scope, kept_communes, restrict, visible_communes

#: The longest list of clusters or projects shown on the page; the CSV has them all.
PAGE_LIST_LIMIT = 100


@dataclass
class Scope:
    """Whose records the page shows: every unit, or the user's own units (districts, and
    communes since the reform: ``registry.scoping.units_in_scope``)."""

    user: object
    all_districts: bool
    #: the local-staff account's districts (empty for department staff, who see every unit)
    districts: list[District]

    @classmethod
    def for_user(cls, user) -> "Scope":
        covered = districts_in_scope(user)
        return cls(user=user, all_districts=covered is None, districts=covered or [])

    @cached_property
    def communes(self) -> list:
        """The commune-level units whose figures the user is shown (all for department
        staff)."""
        return list(kept_communes(self.user).order_by("code"))

    def units(self, grouping: str) -> list | None:
        """The units of ``grouping`` the figures cover; None for every unit."""
        if self.all_districts:
            return None
        return self.districts if grouping == UnitLevel.DISTRICT else self.communes

    @cached_property
    def keeps_units(self) -> bool:
        """Whether the account keeps any unit: districts, or communes (whose records the
        lists show, though the district figures are not theirs)."""
        return self.all_districts or bool(self.districts) or visible_communes(self.user).exists()

    def restrict(self, queryset: QuerySet) -> QuerySet:
        return restrict(queryset, self.user)


@dataclass(frozen=True)
class Compliance:
    """The KPI at one date over the user's units and, for local staff, the city."""

    scope: ComplianceKpi
    city: ComplianceKpi | None

    @property
    def as_of(self) -> datetime.date:
        return self.scope.as_of


def compliance_at(
    scope: Scope, as_of: datetime.date, grouping: str | None = None, *, with_units=True
) -> Compliance:
    """The KPI over the scope's units of ``grouping`` and, for local staff, the city's
    total (``with_units``: list each unit's figures; without, the totals only)."""
    grouping = grouping_at(as_of, grouping)
    kpi = wastewater_compliance(
        as_of=as_of, grouping=grouping, units=scope.units(grouping), with_units=with_units
    )
    city = None
    if not scope.all_districts:
        city = wastewater_compliance(as_of=as_of, grouping=grouping, with_units=False)
    return Compliance(scope=kpi, city=city)


def unit_sort_key(row: UnitKpi):
    """Furthest behind first: the largest shortfall, then the lowest share, then the code."""
    figures = row.figures
    share = figures.share_percent
    return (
        -(figures.shortfall or 0),
        share if share is not None else 101,
        row.unit.code,
    )


def units_by_shortfall(kpi: ComplianceKpi, *, keep_empty: bool) -> list[UnitKpi]:
    """The units furthest behind first; without ``keep_empty``, only those with a cluster in
    operation (126 mostly empty communes help no one; the CSV and the API list them all)."""
    rows = kpi.units if keep_empty else [r for r in kpi.units if r.figures.operating]
    return sorted(rows, key=unit_sort_key)


@dataclass(frozen=True)
class TrendPoint:
    as_of: datetime.date
    is_now: bool
    scope: KpiFigures
    city: KpiFigures | None


def trend_dates(now: datetime.date) -> list[datetime.date]:
    """31 December of each year since the trend's first year up to last year, and now."""
    return [datetime.date(year, 12, 31) for year in range(TREND_START_YEAR, now.year)] + [now]


def trend(scope: Scope, now: datetime.date, grouping: str | None = None) -> list[TrendPoint]:
    """The KPI at each trend date, over the same units whatever side of the reform the date
    is on (the units of ``grouping``, default the level today)."""
    grouping = grouping_at(now, grouping)
    points = []
    for day in trend_dates(now):
        at = compliance_at(scope, day, grouping, with_units=False)
        points.append(
            TrendPoint(
                as_of=day,
                is_now=day == now,
                scope=at.scope.city,
                city=at.city.city if at.city else None,
            )
        )
    return points


def not_compliant_clusters(scope: Scope, as_of: datetime.date) -> QuerySet:
    """Operating clusters in scope whose wastewater state at ``as_of`` is not compliant."""
    return (
        scope.restrict(IndustrialCluster.objects.with_wastewater_state(as_of))
        .filter(status=ClusterStatus.OPERATING)
        .exclude(wastewater_state=WastewaterState.COMPLIANT)
        .select_related("district")
        .order_by("district__code", "code")
    )


@dataclass(frozen=True)
class NotCompliantRow:
    cluster: IndustrialCluster

    @property
    def state(self) -> str:
        return self.cluster.wastewater_state

    @property
    def label(self) -> str:
        return state_label(self.state)

    @property
    def reason(self) -> str:
        return state_reason(self.state)


def state_label(state: str) -> str:
    return WastewaterState(state).label


def state_reason(state: str) -> str:
    return WASTEWATER_STATE_REASONS[WastewaterState(state)]


def overdue_lists(
    scope: Scope, as_of: datetime.date, grouping: str | None = None
) -> ConstructionOverdue:
    """Both construction-overdue lists (start, completion) over the scope, each item with
    its reporting unit."""
    return construction_overdue(
        as_of=as_of,
        clusters=scope.restrict(IndustrialCluster.objects.all()),
        grouping=grouping,
    )


def overdue_clusters(
    scope: Scope, as_of: datetime.date, grouping: str | None = None
) -> list[OverdueCluster]:
    return overdue_lists(scope, as_of, grouping).clusters


def markets(scope: Scope, grouping: str | None = None) -> MarketStatistics:
    grouping = grouping_at(today(), grouping)
    return market_statistics(
        markets=scope.restrict(Market.objects.all()),
        grouping=grouping,
        units=scope.units(grouping),
    )


def projects_under_way(scope: Scope, as_of: datetime.date | None = None) -> QuerySet:
    """Market projects under way at ``as_of`` (``MarketProjectQuerySet.under_way_at``)."""
    now = today()
    return (
        scope.restrict(MarketProject.objects.under_way_at(as_of or now, today=now))
        .select_related("market__district")
        .order_by("market__district__code", "market__code", "started_on", "pk")
    )


def target_years(days: list[datetime.date]) -> dict[int, int | None]:
    """For each year of ``days``, the year whose target applies (``clusters.selectors.
    target_for``, the one home of that rule): the year itself, an earlier year when its
    target is carried forward, None without a target. One query per distinct year."""
    years = {}
    for year in sorted({day.year for day in days}):
        target = target_for(datetime.date(year, 1, 1))
        years[year] = target.year if target else None
    return years


def grouped_digits(amount) -> str:
    """A whole amount with its digits in groups of three, separated by a narrow no-break
    space (readable in Vietnamese and English alike): 12 000 000 000."""
    return f"{int(amount):,}".replace(",", "\u202f")


def first_rows(queryset: QuerySet, limit: int | None = None) -> tuple[list, bool]:
    """Up to ``limit`` rows (default ``PAGE_LIST_LIMIT``) and whether there are more
    (one query)."""
    limit = PAGE_LIST_LIMIT if limit is None else limit
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


@dataclass
class Dashboard:
    """Everything the page shows, for one user at one date."""

    scope: Scope
    as_of: datetime.date
    now: datetime.date
    compliance: Compliance
    #: the level the tables are grouped by, and the units' rows furthest behind first
    grouping: str
    unit_rows: list[UnitKpi]
    empty_unit_count: int
    trend: list[TrendPoint]
    overdue: list[OverdueCluster]
    not_compliant: list[NotCompliantRow]
    not_compliant_more: bool
    markets: MarketStatistics | None
    market_rows: list
    projects: list[MarketProject]
    projects_more: bool
    #: the year whose target applies, for the year of ``as_of`` and of each trend date
    target_years: dict[int, int | None] = field(default_factory=dict)
    states: list = field(default_factory=lambda: list(OPERATING_STATES))
    completion_overdue: list[OverdueCluster] = field(default_factory=list)

    def carried_from(self, day: datetime.date) -> int | None:
        """The earlier year whose target applies at ``day``, when it is carried forward."""
        year = self.target_years.get(day.year)
        return year if year is not None and year != day.year else None


def build_dashboard(
    scope: Scope,
    as_of: datetime.date,
    now: datetime.date,
    grouping: str | None = None,
    *,
    with_markets: bool = True,
    with_projects: bool = True,
) -> Dashboard:
    """``grouping``: ``district`` or ``commune``, default the reporting level at ``as_of``
    (``registry.reporting``); the KPI table, the overdue lists and the market counts are
    grouped by it. Without ``with_markets`` / ``with_projects`` (an account that may not see
    them) those sections are not queried at all."""
    grouping = grouping_at(as_of, grouping)
    compliance = compliance_at(scope, as_of, grouping)
    # Local staff see each of their units, even without operating clusters; department
    # staff see the units that have any (the CSV lists all of them).
    keep_empty = not scope.all_districts
    unit_rows = units_by_shortfall(compliance.scope, keep_empty=keep_empty)
    not_compliant, not_compliant_more = first_rows(not_compliant_clusters(scope, as_of))
    market_stats = markets(scope, grouping) if with_markets else None
    projects, projects_more = (
        first_rows(projects_under_way(scope, as_of)) if with_projects else ([], False)
    )
    trend_points = trend(scope, now, grouping)
    overdue = overdue_lists(scope, as_of, grouping)
    for project in projects:
        project.budget_text = (
            grouped_digits(project.budget_vnd) if project.budget_vnd is not None else ""
        )
    return Dashboard(
        scope=scope,
        as_of=as_of,
        now=now,
        compliance=compliance,
        grouping=grouping,
        unit_rows=unit_rows,
        empty_unit_count=len(compliance.scope.units) - len(unit_rows),
        trend=trend_points,
        overdue=overdue.start_overdue,
        completion_overdue=overdue.completion_overdue,
        not_compliant=[NotCompliantRow(c) for c in not_compliant],
        not_compliant_more=not_compliant_more,
        markets=market_stats,
        market_rows=[
            (unit, counts)
            for unit, counts in (market_stats.units if market_stats else [])
            if counts.total or keep_empty
        ],
        projects=projects,
        projects_more=projects_more,
        target_years=target_years([as_of, *(point.as_of for point in trend_points)]),
    )
