"""Shared by the dashboard's client and browser tests."""

import datetime
from html.parser import HTMLParser

from django.contrib.auth.models import Group

from markets.choices import MarketStatus
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    MarketProjectFactory,
    district,
)

AS_OF = datetime.date(2023, 6, 14)


def in_group(user, name: str):
    """``user`` in the staff group ``name``: the dashboard needs the view permissions the
    groups give (the dashboard and browser tests' department and district accounts)."""
    user.groups.add(Group.objects.get(name=name))
    return user


def operating_cluster(code, district_code, *, wwtp=datetime.date(2019, 1, 1), **kwargs):
    return ClusterFactory(
        code=code,
        district=district(district_code),
        established_on=datetime.date(2010, 1, 1),
        construction_started_on=datetime.date(2011, 1, 1),
        operating_since=datetime.date(2015, 1, 1),
        wwtp_operating_since=wwtp,
        **kwargs,
    )


def make_city():
    """Clusters in every wastewater state over two districts, overdue ones, markets.

    At ``AS_OF``: Đông Anh (017) has 4 operating (1 compliant, 1 failed, 1 without a plant,
    1 stale) and one overdue; Ứng Hòa (281) has 2 operating (1 compliant, 1 without
    evidence) and one overdue."""
    compliant = operating_cluster("DA-COMPLIANT", "017")
    InspectionFactory(cluster=compliant, inspected_on=datetime.date(2023, 1, 10))
    failed = operating_cluster("DA-FAILED", "017")
    InspectionFactory(cluster=failed, inspected_on=datetime.date(2023, 2, 1), result="fails")
    operating_cluster("DA-NO-PLANT", "017", wwtp=None)
    stale = operating_cluster("DA-STALE", "017")
    InspectionFactory(cluster=stale, inspected_on=datetime.date(2021, 1, 1))
    ClusterFactory(
        code="DA-OVERDUE", district=district("017"), established_on=datetime.date(2019, 1, 1)
    )
    uh_compliant = operating_cluster("UH-COMPLIANT", "281")
    InspectionFactory(cluster=uh_compliant, inspected_on=datetime.date(2023, 3, 1))
    operating_cluster("UH-NO-EVIDENCE", "281", wwtp=datetime.date(2022, 1, 1))
    ClusterFactory(
        code="UH-OVERDUE", district=district("281"), established_on=datetime.date(2020, 1, 1)
    )
    MarketFactory(code="HK-1", district=district("002"), market_class="1")
    MarketFactory(code="HK-2", district=district("002"), market_class=None)
    renovating = MarketFactory(
        code="DA-M1",
        district=district("017"),
        market_class="3",
        status=MarketStatus.UNDER_RENOVATION,
    )
    # Both under way since before AS_OF.
    MarketProjectFactory(
        market=renovating, status="in_progress", started_on=datetime.date(2022, 3, 1)
    )
    MarketProjectFactory(
        market=MarketFactory(code="HK-3", district=district("002")),
        status="in_progress",
        started_on=datetime.date(2023, 1, 15),
    )


class FigureParser(HTMLParser):
    """Collects ``data-figure``/``data-value`` pairs, keyed by the enclosing table's id and
    row key (``data-district``, ``data-date`` or ``data-code``), plus the row order."""

    ROW_KEYS = ("data-district", "data-date", "data-code", "data-market", "data-unit")

    def __init__(self):
        super().__init__()
        self.figures: dict[tuple[str | None, str | None, str], str] = {}
        self.rows: dict[str, list[str]] = {}
        self.row_attrs: dict[tuple[str, str], dict] = {}
        self.table = None
        self.row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = attrs.get("id")
        elif tag == "tr":
            self.row = next((attrs[k] for k in self.ROW_KEYS if k in attrs), None)
            if self.row is not None and self.table:
                self.rows.setdefault(self.table, []).append(self.row)
                self.row_attrs[(self.table, self.row)] = attrs
        if "data-figure" in attrs:
            key = (self.table, self.row, attrs["data-figure"])
            self.figures[key] = attrs.get("data-value", "")

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
            self.row = None
        elif tag == "tr":
            self.row = None


def parse_figures(html: str) -> FigureParser:
    parser = FigureParser()
    parser.feed(html)
    return parser


def as_text(value) -> str:
    """How the page writes a figure in ``data-value``."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)
