"""Read logic over markets: counts by status, class and district."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from markets.choices import MarketClass, MarketStatus
from markets.models import Market
from registry.models import District

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
    districts: list[tuple[District, MarketCounts]]


def market_statistics(
    *, markets: QuerySet | None = None, districts: QuerySet | None = None
) -> MarketStatistics:
    """Markets counted by current status, by class and by district: one grouped query
    (plus one for the districts), whatever the number of markets."""
    markets = markets if markets is not None else Market.objects.all()
    districts = list(districts if districts is not None else District.objects.all())
    per_district = {d.pk: MarketCounts.empty() for d in districts}
    city = MarketCounts.empty()
    rows = (
        markets.values("district_id", "status", "market_class").annotate(n=Count("pk")).order_by()
    )
    for row in rows:
        counts = per_district.get(row["district_id"])
        if counts is None:
            continue
        counts.add(row["status"], row["market_class"], row["n"])
        city.add(row["status"], row["market_class"], row["n"])
    return MarketStatistics(city=city, districts=[(d, per_district[d.pk]) for d in districts])
