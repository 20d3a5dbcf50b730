"""Read logic over markets: counts by status, class and district."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from markets.choices import MarketClass, MarketStatus
from markets.models import Market
from registry.dates import today
from registry.models import District, UnitLevel
from registry.reporting import (
    ReportingUnit,
    covered_records,
    grouping_at,
    unit_path,
)

#: The key used for markets not yet classified.
UNCLASSIFIED = "unclassified"


@dataclass
class MarketCounts:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_class: dict[str, int] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> "MarketCounts":
        return cls(
            by_status={s.value: 0 for s in MarketStatus},
            by_class={**{c.value: 0 for c in MarketClass}, UNCLASSIFIED: 0},
        )

    def add(self, status: str, market_class: str | None, n: int) -> None:
        self.total += n
        self.by_status[status] = self.by_status.get(status, 0) + n
        key = market_class or UNCLASSIFIED
        self.by_class[key] = self.by_class.get(key, 0) + n

    def as_dict(self) -> dict:
        return {"total": self.total, "by_status": self.by_status, "by_class": self.by_class}


@dataclass
class MarketStatistics:
    city: MarketCounts
    #: each reporting unit covered with its counts
    units: list[tuple[ReportingUnit, MarketCounts]]
    grouping: str = UnitLevel.DISTRICT.value
    #: markets counted in ``city`` that lie in no unit of the grouping (no commune yet)
    unsettled: MarketCounts | None = None
    district_rows: dict[int, District] = field(default_factory=dict, repr=False)

    @property
    def districts(self) -> list[tuple[District, MarketCounts]]:
        """The units as v1's district rows; empty unless grouped by district."""
        if self.grouping != UnitLevel.DISTRICT:
            return []
        return [(self.district_rows[unit.pk], counts) for unit, counts in self.units]


def market_statistics(
    *,
    markets: QuerySet | None = None,
    districts: QuerySet | list[District] | None = None,
    grouping: str | None = None,
    units: list | None = None,
) -> MarketStatistics:
    """Markets counted by current status, by class and by reporting unit (``grouping``:
    ``district`` or ``commune``, default the level today; ``units`` the units covered,
    default all; ``districts`` is v1's spelling of ``grouping="district", units=…``). One
    grouped query, plus one for the units, whatever the number of markets."""
    markets = markets if markets is not None else Market.objects.all()
    if districts is not None:
        grouping, units = UnitLevel.DISTRICT.value, list(districts)
    grouping = grouping_at(today(), grouping)
    path = unit_path(Market, grouping)
    covered, markets, rows_of_districts = covered_records(markets, grouping, units)
    per_unit = {u.pk: MarketCounts.empty() for u in covered}
    city = MarketCounts.empty()
    unsettled = MarketCounts.empty()
    rows = markets.values(path, "status", "market_class").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts = per_unit.get(row[path])
        if counts is None:
            if row[path] is not None or units is not None:
                continue
            counts = unsettled
        counts.add(row["status"], row["market_class"], row["n"])
        city.add(row["status"], row["market_class"], row["n"])
    return MarketStatistics(
        city=city,
        units=[(u, per_unit[u.pk]) for u in covered],
        grouping=grouping,
        unsettled=unsettled if unsettled.total else None,
        district_rows=rows_of_districts,
    )
