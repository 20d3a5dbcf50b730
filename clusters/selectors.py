"""Read logic over clusters: the wastewater KPI and the construction-overdue list.

Views, serializers, the admin and the dashboard call these; they never re-derive a rule.
"""

import datetime
import decimal
import functools
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.dispatch import receiver

from clusters.choices import ClusterStatus, DeadlineSource, WastewaterState
from clusters.models import IndustrialCluster, ScheduleExtension
from clusters.querysets import status_is
from registry.dates import subtract_months, today, whole_months_between
from registry.models import District, Target, UnitLevel
from registry.reporting import (
    ReportingUnit,
    grouping_at,
    in_units,
    resolve_units,
    unit_path,
)


def targets_applying(as_of: datetime.date) -> QuerySet:
    """The targets that may apply at ``as_of``, the one that does first: the rule is the
    target of the greatest year on or before ``as_of``'s year."""
    return Target.objects.filter(year__lte=as_of.year).order_by("-year")


def target_for(as_of: datetime.date) -> Target | None:
    """The target of the greatest year on or before ``as_of``'s year, if any."""
    return targets_applying(as_of).first()


@functools.lru_cache(maxsize=8192)
def _derived(operating: int, compliant: int, target_percent: Decimal | None):
    """(share_percent, met, shortfall) of the KPI for these counts and target (section 4).

    A pure function of its arguments, memoised (bounded) because a grouping by the country's
    communes repeats the same few pairs of counts thousands of times."""
    share = met = shortfall = None
    if operating:
        # Integer arithmetic: hundredths of a percent, rounded half up.
        hundredths = (20000 * compliant + operating) // (2 * operating)
        share = Decimal(hundredths).scaleb(-2)
    if target_percent is not None:
        target = Fraction(target_percent)
        if operating:
            met = Fraction(compliant * 100) >= target * operating
        shortfall = max(0, math.ceil(target * operating / 100) - compliant)
    return share, met, shortfall


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
        return _derived(self.operating, self.compliant, self.target_percent)[0]

    @property
    def met(self) -> bool | None:
        """compliant × 100 ≥ target × operating, exactly; None without share or target."""
        return _derived(self.operating, self.compliant, self.target_percent)[1]

    @property
    def shortfall(self) -> int | None:
        """The fewest more compliant clusters that would meet the target; None without one."""
        return _derived(self.operating, self.compliant, self.target_percent)[2]

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


class UnitKpi(NamedTuple):
    """One reporting unit's figures (a named tuple: built for each of up to 3,321 units)."""

    unit: ReportingUnit
    figures: KpiFigures


@dataclass(frozen=True)
class ComplianceKpi:
    as_of: datetime.date
    city: KpiFigures
    #: ``district`` or ``commune``: the level the units below are of
    grouping: str = UnitLevel.DISTRICT.value
    units: list[UnitKpi] = field(default_factory=list)
    #: Operating clusters counted in ``city`` that lie in no unit of the grouping (a
    #: record whose commune is not settled yet); None when there is none.
    unsettled: KpiFigures | None = None
    #: The District rows of ``units`` when grouped by district (v1's ``districts``).
    district_rows: dict[int, District] = field(default_factory=dict, repr=False)

    @property
    def districts(self) -> list[DistrictKpi]:
        """The units as v1's district rows; empty unless grouped by district."""
        if self.grouping != UnitLevel.DISTRICT:
            return []
        return [DistrictKpi(self.district_rows[row.unit.pk], row.figures) for row in self.units]


#: The states an operating cluster can be in (``not_operating`` is outside the KPI).
OPERATING_STATES = [s for s in WastewaterState if s != WastewaterState.NOT_OPERATING]
OPERATING_STATE_VALUES = tuple(s.value for s in OPERATING_STATES)
COMPLIANT = WastewaterState.COMPLIANT.value


@functools.lru_cache(maxsize=256)
def _kpi_statement(
    vendor: str, as_of: datetime.date, grouping: str, units: tuple | None
) -> tuple[str, tuple]:
    """The KPI's one statement at ``as_of`` and its parameters: ``(unit, state, count,
    NULL)`` for each group of the clusters operating then (those of ``units`` only, when
    given), and one row ``(NULL, NULL, NULL, target percent)`` — that row alone when no
    cluster operates, so the count of queries never depends on the data. (The target in a
    row of its own: read once, not converted again for each of some 3,500 groups.)

    The rules are the ORM's (``operating_with_wastewater_state``, the SQL templates of
    ``clusters.querysets``); only the compiling is kept: building and compiling the grouped
    query cost about as much as running it for one unit (0.6 ms against 0.7 at national
    scale, BENCHMARKS.md), so a statement is compiled once per set of arguments (the date
    and units repeat: today, the cut-offs, an account's units). It is a pure function of its
    arguments and the settings; a change of settings clears it (see below)."""
    path = unit_path(IndustrialCluster, grouping)
    operating = IndustrialCluster.objects.operating_with_wastewater_state(as_of)
    clusters = in_units(operating, grouping, units)
    grouped = clusters.values_list(path, "wastewater_state").annotate(n=Count("pk")).order_by()
    target = targets_applying(as_of).values("percent")[:1]
    target_sql, target_params = target.query.sql_with_params()
    target_row = f"SELECT NULL, NULL, NULL, ({target_sql})"  # noqa: S608
    try:
        grouped_sql, grouped_params = grouped.query.sql_with_params()
    except EmptyResultSet:
        # No unit covered (an account keeping none of the level): no cluster counts.
        return target_row, tuple(target_params)
    # Both parts compiled by the ORM, every value a parameter: no text of a user's.
    sql = f"{target_row} UNION ALL SELECT grouped.*, NULL FROM ({grouped_sql}) grouped"  # noqa: S608
    return sql, (*target_params, *grouped_params)


@receiver(setting_changed)
def _settings_changed(**kwargs):
    # The statements read the evidence window and other settings (tests override them).
    _kpi_statement.cache_clear()


def _as_percent(value) -> Decimal | None:
    """A target's percent read by a plain cursor, as the model has it (two decimals):
    PostgreSQL gives that Decimal; SQLite a number, converted as Django's SQLite backend
    converts a decimal column."""
    if value is None or isinstance(value, Decimal):
        return value
    return _SQLITE_DECIMAL.create_decimal_from_float(float(value)).quantize(PERCENT_PLACES)


#: A target's percent has two decimals (``Target.percent``).
PERCENT_PLACES = Decimal(1).scaleb(-Target._meta.get_field("percent").decimal_places)
_SQLITE_DECIMAL = decimal.Context(prec=15)


def wastewater_compliance(
    *,
    as_of: datetime.date | None = None,
    grouping: str | None = None,
    units: list | None = None,
    districts: QuerySet | list[District] | None = None,
    with_units: bool = True,
) -> ComplianceKpi:
    """The share of operating clusters meeting the wastewater standard at ``as_of``.

    City-wide and for each reporting unit (``registry.reporting``): ``grouping`` is
    ``district`` or ``commune`` (default: the reporting level at ``as_of``), ``units`` the
    units to cover (Districts, commune-level AdministrativeUnits or ReportingUnits; default:
    every unit of the level, empty ones included). ``districts`` is v1's spelling of
    ``grouping="district", units=districts``. When units are given only their clusters are
    counted (one unit's KPI reads one unit's clusters); over every unit, the city figure also
    counts the clusters in no unit of the level (``unsettled``). Two queries in all (the
    units, and one statement for the counts and the target: ``_kpi_statement``); one
    without ``with_units`` (the total only: no unit rows are listed, or loaded).
    """
    as_of = as_of or today()
    if districts is not None:
        grouping, units = UnitLevel.DISTRICT.value, list(districts)
    grouping = grouping_at(as_of, grouping)
    covered, rows_of_districts = [], {}
    if units is not None or with_units:
        covered, rows_of_districts = resolve_units(grouping, units)
    # One statement: (unit, state, count, NULL) per group of the clusters operating at
    # as_of, over the covered units' clusters when units are given (all clusters otherwise:
    # those in no unit count in the total), and the target's row (NULL, NULL, NULL, percent);
    # each unit's counts start from every operating state at 0 (a C-level copy).
    sql, params = _kpi_statement(
        connection.vendor, as_of, grouping, None if units is None else tuple(covered)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    target_percent = None
    zero = dict.fromkeys(OPERATING_STATE_VALUES, 0)
    city = zero.copy()
    by_unit: dict[int | None, dict[str, int]] = {}
    for key, state, n, percent in rows:
        if n is None:  # the target's row (a group's count is never NULL)
            target_percent = _as_percent(percent)
        elif state in zero:
            counts = by_unit.get(key)
            if counts is None:
                counts = by_unit[key] = zero.copy()
            counts[state] = n
            city[state] += n

    def figures(by_state: dict[str, int]) -> KpiFigures:
        return KpiFigures(
            operating=sum(by_state.values()),
            compliant=by_state[COMPLIANT],
            target_percent=target_percent,
            by_state=by_state,
        )

    # Units with the same counts share one (immutable) set of figures: a grouping by the
    # country's communes repeats a few hundred sets over 3,321 units, and the renderer
    # renders each set once (clusters.api.stats.render_kpi).
    shared: dict[tuple[int, ...], KpiFigures] = {}

    def figures_of(counts: dict[str, int]) -> KpiFigures:
        key = tuple(counts.values())
        found = shared.get(key)
        if found is None:
            found = shared[key] = figures(counts)
        return found

    empty = figures_of(zero)
    of_unit = {key: figures_of(counts) for key, counts in by_unit.items()}
    unit_rows = [UnitKpi(u, of_unit.get(u.pk, empty)) for u in covered]
    unsettled = figures(by_unit[None]) if units is None and None in by_unit else None
    return ComplianceKpi(
        as_of=as_of,
        city=figures(city),
        grouping=grouping,
        units=unit_rows,
        unsettled=unsettled,
        district_rows=rows_of_districts,
    )


@dataclass(frozen=True)
class OverdueCluster:
    cluster: IndustrialCluster
    months_since_established: int | None
    deadline: datetime.date | None = None
    deadline_source: str = DeadlineSource.FALLBACK
    #: the extension's decision number when the deadline comes from an extension
    decision_no: str = ""
    days_overdue: int = 0
    #: the reporting unit the cluster counts in (None: no commune settled yet)
    unit: ReportingUnit | None = None

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
    grouping: str = UnitLevel.DISTRICT.value

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


def reporting_unit_of(cluster, grouping: str) -> ReportingUnit | None:
    """The unit of ``grouping`` a cluster counts in (its district, or its commune if any)."""
    unit = cluster.district if grouping == UnitLevel.DISTRICT else cluster.commune
    return None if unit is None else ReportingUnit.of(unit)


def _overdue_item(cluster, as_of: datetime.date, deadline, source: str, grouping: str):
    return OverdueCluster(
        unit=reporting_unit_of(cluster, grouping),
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
    grouping: str | None = None,
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
    is most overdue first (then by code); each item names the reporting unit it counts in
    (``grouping``, default the level at ``as_of``). Two queries whatever the number of
    clusters."""
    as_of = as_of or today()
    grouping = grouping_at(as_of, grouping)
    months = settings.REGISTRY["OVERDUE_MONTHS"] if months is None else months
    base = clusters if clusters is not None else IndustrialCluster.objects.all()
    base = base.with_status(as_of).select_related("district", "commune")

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
            start_items.append(
                _overdue_item(cluster, as_of, cluster.deadline, _source(cluster), grouping)
            )
        else:  # the fallback: established at least ``months`` months before as_of (v1's rule)
            fallback = subtract_months(cluster.established_on, -months)
            start_items.append(
                _overdue_item(cluster, as_of, fallback, DeadlineSource.FALLBACK, grouping)
            )

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
        _overdue_item(cluster, as_of, cluster.deadline, _source(cluster), grouping)
        for cluster in building
    ]
    return ConstructionOverdue(
        as_of=as_of,
        months=months,
        start_overdue=_most_overdue_first(start_items),
        completion_overdue=_most_overdue_first(completion_items),
        grouping=grouping,
    )
