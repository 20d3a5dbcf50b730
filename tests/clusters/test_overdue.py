"""Construction overdue at D (see the rules in the README), the fallback start deadline: clusters
with neither a planned start nor an extension, established at least N months before D
(default 24), that have still not started construction, most overdue (oldest) first. The
schedule's deadlines and the completion list: tests/clusters/test_overdue_schedule.py."""

import datetime

import pytest

from clusters.models import IndustrialCluster
from clusters.selectors import construction_overdue
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2021, 1, 15)


def overdue_codes(**kwargs):
    return [row.cluster.code for row in construction_overdue(**{"as_of": AS_OF, **kwargs})]


@pytest.mark.parametrize(
    ("established_on", "listed", "months"),
    [
        (D(2019, 1, 15), True, 24),  # exactly 24 months before D
        (D(2019, 1, 16), False, None),  # one day short
        (D(2019, 1, 14), True, 24),
        (D(2018, 1, 16), True, 35),
        (D(2010, 7, 31), True, 125),
        (D(2021, 1, 15), False, None),
    ],
)
def test_the_24_month_boundary(established_on, listed, months):
    ClusterFactory(code="CCN-X", established_on=established_on)
    rows = construction_overdue(as_of=AS_OF)
    assert [r.cluster.code for r in rows] == (["CCN-X"] if listed else [])
    if listed:
        assert rows[0].months_since_established == months


def test_months_since_established_counts_whole_months():
    ClusterFactory(code="A", established_on=D(2018, 11, 16))
    ClusterFactory(code="B", established_on=D(2018, 11, 15))
    rows = construction_overdue(as_of=AS_OF)
    assert [(r.cluster.code, r.months_since_established) for r in rows] == [("B", 26), ("A", 25)]


def test_month_ends_are_clamped():
    # 24 months before 2021-02-28 is 2019-02-28; the 29th of February 2020 is not overdue yet.
    ClusterFactory(code="LEAP", established_on=D(2020, 2, 29))
    ClusterFactory(code="END", established_on=D(2019, 2, 28))
    rows = construction_overdue(as_of=D(2021, 2, 28))
    assert [(r.cluster.code, r.months_since_established) for r in rows] == [("END", 24)]
    rows = construction_overdue(as_of=D(2022, 2, 28))  # LEAP: 23 whole months
    assert [(r.cluster.code, r.months_since_established) for r in rows] == [("END", 36)]
    rows = construction_overdue(as_of=D(2022, 3, 1))
    assert [(r.cluster.code, r.months_since_established) for r in rows] == [
        ("END", 36),
        ("LEAP", 24),
    ]


def test_oldest_first_then_by_code():
    ClusterFactory(code="C-2017", established_on=D(2017, 6, 1))
    ClusterFactory(code="B-2015", established_on=D(2015, 6, 1))
    ClusterFactory(code="Z-2016", established_on=D(2016, 6, 1))
    ClusterFactory(code="A-2016", established_on=D(2016, 6, 1))
    assert overdue_codes() == ["B-2015", "A-2016", "Z-2016", "C-2017"]


@pytest.mark.parametrize(
    "later",
    [
        {"construction_started_on": D(2021, 1, 15)},
        {"construction_started_on": D(2020, 1, 1), "operating_since": D(2020, 12, 1)},
        {"closed_on": D(2021, 1, 15)},
        {"operating_since": D(2019, 1, 1)},
    ],
)
def test_not_listed_once_construction_started_or_closed(later):
    ClusterFactory(code="CCN-X", established_on=D(2015, 1, 1), **later)
    assert overdue_codes() == []


def test_listed_while_construction_starts_only_after_the_date():
    ClusterFactory(
        code="CCN-X", established_on=D(2015, 1, 1), construction_started_on=D(2021, 1, 16)
    )
    assert overdue_codes() == ["CCN-X"]
    assert overdue_codes(as_of=D(2021, 1, 16)) == []


def test_planned_clusters_without_a_decision_are_not_overdue():
    ClusterFactory(code="CCN-X", established_on=None)
    assert overdue_codes() == []


@pytest.mark.parametrize(("months", "expected"), [(0, ["OLD", "NEW"]), (6, ["OLD"]), (60, [])])
def test_months_parameter(months, expected):
    ClusterFactory(code="OLD", established_on=D(2020, 1, 1))
    ClusterFactory(code="NEW", established_on=D(2021, 1, 15))
    assert overdue_codes(months=months) == expected


def test_default_months_follow_the_setting(settings):
    ClusterFactory(code="CCN-X", established_on=D(2020, 1, 1))
    assert overdue_codes() == []
    settings.REGISTRY = {**settings.REGISTRY, "OVERDUE_MONTHS": 12}
    assert overdue_codes() == ["CCN-X"]


def test_restricted_to_the_given_clusters():
    ClusterFactory(code="IN", established_on=D(2015, 1, 1))
    ClusterFactory(code="OUT", established_on=D(2015, 1, 1))
    assert overdue_codes(clusters=IndustrialCluster.objects.filter(code="IN")) == ["IN"]


def test_two_queries_whatever_the_number_of_clusters(django_assert_num_queries):
    """One query per list (start, completion)."""
    for year in range(2005, 2019):
        ClusterFactory(established_on=D(year, 3, 1))
    with django_assert_num_queries(2):
        rows = construction_overdue(as_of=AS_OF)
        names = [(r.cluster.district.name, r.months_since_established) for r in rows]
    assert len(names) == 14
