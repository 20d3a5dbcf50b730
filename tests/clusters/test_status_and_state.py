"""the rules (README) on hand-made cases: a cluster's status and wastewater state at a date,
as the database annotates them (``with_status``, ``with_latest_inspection``,
``with_wastewater_state``)."""

import datetime

import pytest

from clusters.choices import ClusterStatus, InspectionResult, WastewaterState
from clusters.models import IndustrialCluster
from tests.factories import ClusterFactory, InspectionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
S = ClusterStatus
W = WastewaterState
MEETS, FAILS = InspectionResult.MEETS, InspectionResult.FAILS

AS_OF = D(2021, 12, 14)


def status_at(cluster, as_of):
    return IndustrialCluster.objects.with_status(as_of).get(pk=cluster.pk).status


def state_at(cluster, as_of):
    return IndustrialCluster.objects.with_wastewater_state(as_of).get(pk=cluster.pk)


def operating_cluster(**kwargs):
    """A cluster operating since 2017 whose plant has run since 2018-01-01."""
    fields = {
        "established_on": D(2015, 1, 1),
        "construction_started_on": D(2016, 1, 1),
        "operating_since": D(2017, 1, 1),
        "wwtp_operating_since": D(2018, 1, 1),
        **kwargs,
    }
    return ClusterFactory(**fields)


def inspect(cluster, on, result=MEETS, **kwargs):
    return InspectionFactory(cluster=cluster, inspected_on=on, result=result, **kwargs)


# --- status -----------------------------------------------------------------------------

LIFECYCLE = {
    "established_on": D(2015, 3, 1),
    "construction_started_on": D(2016, 3, 1),
    "operating_since": D(2018, 3, 1),
    "closed_on": D(2022, 3, 1),
}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (D(2015, 2, 28), S.PLANNED),
        (D(2015, 3, 1), S.ESTABLISHED),
        (D(2016, 2, 29), S.ESTABLISHED),
        (D(2016, 3, 1), S.UNDER_CONSTRUCTION),
        (D(2018, 2, 28), S.UNDER_CONSTRUCTION),
        (D(2018, 3, 1), S.OPERATING),
        (D(2022, 2, 28), S.OPERATING),
        (D(2022, 3, 1), S.CLOSED),
        (D(2030, 1, 1), S.CLOSED),
    ],
)
def test_status_is_the_last_stage_reached_on_or_before_the_date(as_of, status):
    assert status_at(ClusterFactory(**LIFECYCLE), as_of) == status


@pytest.mark.parametrize(
    ("dates", "status"),
    [
        ({"established_on": None}, S.PLANNED),
        ({"established_on": D(2022, 1, 1)}, S.PLANNED),
        # An old cluster whose earlier dates are unknown.
        ({"established_on": None, "operating_since": D(2005, 1, 1)}, S.OPERATING),
        ({"established_on": None, "construction_started_on": D(2020, 1, 1)}, S.UNDER_CONSTRUCTION),
        # Closed wins over every other stage, whatever came before.
        ({"established_on": None, "closed_on": D(2019, 1, 1)}, S.CLOSED),
        ({"operating_since": D(2016, 1, 1), "closed_on": D(2021, 12, 14)}, S.CLOSED),
        # A closing date after D does not close it yet.
        ({"operating_since": D(2016, 1, 1), "closed_on": D(2021, 12, 15)}, S.OPERATING),
        ({"closed_on": D(2021, 12, 15)}, S.ESTABLISHED),
    ],
)
def test_status_with_missing_dates(dates, status):
    assert status_at(ClusterFactory(**dates), AS_OF) == status


def test_status_is_filterable_and_orderable_in_the_database():
    ClusterFactory(code="A-PLANNED", established_on=None)
    ClusterFactory(code="B-OPERATING", operating_since=D(2020, 1, 1))
    ClusterFactory(code="C-CLOSED", closed_on=D(2020, 1, 1))
    rows = IndustrialCluster.objects.with_status(AS_OF)
    assert list(rows.filter(status=S.OPERATING).values_list("code", flat=True)) == ["B-OPERATING"]
    assert list(rows.order_by("status").values_list("status", flat=True)) == [
        S.CLOSED,
        S.OPERATING,
        S.PLANNED,
    ]
    assert list(IndustrialCluster.objects.operating_at(AS_OF).values_list("code", flat=True)) == [
        "B-OPERATING"
    ]


# --- wastewater state -------------------------------------------------------------------


@pytest.mark.parametrize(
    "dates",
    [
        {"operating_since": None},
        {"operating_since": D(2021, 12, 15)},
        {"closed_on": D(2021, 12, 14)},
        {"construction_started_on": D(2016, 1, 1), "operating_since": None},
    ],
)
def test_not_operating_comes_first_even_with_a_good_inspection(dates):
    cluster = operating_cluster(**dates)
    inspect(cluster, D(2021, 6, 1))
    row = state_at(cluster, AS_OF)
    assert row.wastewater_state == W.NOT_OPERATING
    assert row.status != S.OPERATING


@pytest.mark.parametrize(
    "wwtp", [{"wwtp_operating_since": None}, {"wwtp_operating_since": D(2021, 12, 15)}]
)
def test_no_treatment_plant_when_the_plant_does_not_operate_at_the_date(wwtp):
    cluster = operating_cluster(wwtp_construction_started_on=D(2019, 1, 1), **wwtp)
    inspect(cluster, D(2021, 6, 1))
    assert state_at(cluster, AS_OF).wastewater_state == W.NO_TREATMENT_PLANT


def test_plant_operating_from_the_date_itself_counts():
    cluster = operating_cluster(wwtp_operating_since=AS_OF)
    assert state_at(cluster, AS_OF).wastewater_state == W.NO_EVIDENCE
    inspect(cluster, AS_OF)
    assert state_at(cluster, AS_OF).wastewater_state == W.COMPLIANT


def test_no_evidence_without_any_inspection():
    row = state_at(operating_cluster(), AS_OF)
    assert row.wastewater_state == W.NO_EVIDENCE
    assert row.latest_inspected_on is None
    assert row.latest_result is None


def test_inspections_before_the_plant_started_are_ignored():
    cluster = operating_cluster(wwtp_operating_since=D(2021, 3, 1))
    inspect(cluster, D(2021, 2, 28))  # the day before the plant ran: not evidence about it
    inspect(cluster, D(2020, 6, 1), FAILS)
    row = state_at(cluster, AS_OF)
    assert row.wastewater_state == W.NO_EVIDENCE
    assert row.latest_inspected_on is None
    inspect(cluster, D(2021, 3, 1))  # the plant's first day is
    assert state_at(cluster, AS_OF).wastewater_state == W.COMPLIANT


def test_a_later_meets_is_not_masked_by_an_older_fail_before_the_plant():
    cluster = operating_cluster(wwtp_operating_since=D(2021, 3, 1))
    inspect(cluster, D(2021, 2, 1), FAILS)
    inspect(cluster, D(2021, 4, 1), MEETS)
    assert state_at(cluster, AS_OF).latest_result == MEETS


def test_inspections_after_the_date_are_ignored():
    cluster = operating_cluster()
    inspect(cluster, D(2021, 1, 10), MEETS)
    inspect(cluster, D(2021, 12, 15), FAILS)  # the day after D
    row = state_at(cluster, AS_OF)
    assert (row.wastewater_state, row.latest_inspected_on) == (W.COMPLIANT, D(2021, 1, 10))
    assert state_at(cluster, D(2021, 12, 15)).wastewater_state == W.FAILED


def test_only_an_inspection_after_the_date_is_no_evidence():
    cluster = operating_cluster()
    inspect(cluster, D(2022, 1, 1))
    assert state_at(cluster, AS_OF).wastewater_state == W.NO_EVIDENCE


@pytest.mark.parametrize(
    ("days_before", "state"),
    [(0, W.COMPLIANT), (1, W.COMPLIANT), (365, W.COMPLIANT), (366, W.STALE_EVIDENCE)],
)
def test_evidence_window_boundary(days_before, state):
    cluster = operating_cluster()
    inspect(cluster, AS_OF - datetime.timedelta(days=days_before))
    assert state_at(cluster, AS_OF).wastewater_state == state


@pytest.mark.parametrize(
    ("days_before", "state"),
    [(180, W.COMPLIANT), (181, W.STALE_EVIDENCE)],
)
def test_evidence_window_follows_the_setting(settings, days_before, state):
    settings.REGISTRY = {**settings.REGISTRY, "EVIDENCE_WINDOW_DAYS": 180}
    cluster = operating_cluster()
    inspect(cluster, AS_OF - datetime.timedelta(days=days_before))
    assert state_at(cluster, AS_OF).wastewater_state == state


def test_a_stale_fail_is_stale_not_failed():
    cluster = operating_cluster()
    inspect(cluster, AS_OF - datetime.timedelta(days=366), FAILS)
    assert state_at(cluster, AS_OF).wastewater_state == W.STALE_EVIDENCE


def test_failed_when_the_latest_inspection_fails():
    cluster = operating_cluster()
    inspect(cluster, D(2021, 3, 1), MEETS)
    inspect(cluster, D(2021, 9, 1), FAILS)
    row = state_at(cluster, AS_OF)
    assert (row.wastewater_state, row.latest_result) == (W.FAILED, FAILS)


def test_compliant_when_the_latest_inspection_meets_even_after_a_fail():
    cluster = operating_cluster()
    inspect(cluster, D(2021, 3, 1), FAILS)
    inspect(cluster, D(2021, 9, 1), MEETS, standard="qcvn40_2011_a")
    row = state_at(cluster, AS_OF)
    assert row.wastewater_state == W.COMPLIANT
    assert (row.latest_inspected_on, row.latest_result, row.latest_standard) == (
        D(2021, 9, 1),
        MEETS,
        "qcvn40_2011_a",
    )


@pytest.mark.parametrize("order", [(MEETS, FAILS), (FAILS, MEETS), (MEETS, FAILS, MEETS)])
def test_on_the_same_latest_day_a_fail_wins_whatever_the_insertion_order(order):
    cluster = operating_cluster()
    inspect(cluster, D(2021, 5, 1), MEETS)
    for result in order:
        inspect(cluster, D(2021, 10, 1), result, standard="qcvn40_2011_a")
    row = state_at(cluster, AS_OF)
    assert (row.wastewater_state, row.latest_result) == (W.FAILED, FAILS)


def test_a_fail_on_an_earlier_day_does_not_win_over_a_later_meets():
    cluster = operating_cluster()
    inspect(cluster, D(2021, 10, 1), MEETS)
    inspect(cluster, D(2021, 9, 30), FAILS)
    assert state_at(cluster, AS_OF).wastewater_state == W.COMPLIANT


def test_every_state_in_one_annotated_list():
    expected = {
        "S-NOT-OPERATING": W.NOT_OPERATING,
        "S-NO-PLANT": W.NO_TREATMENT_PLANT,
        "S-NO-EVIDENCE": W.NO_EVIDENCE,
        "S-STALE": W.STALE_EVIDENCE,
        "S-FAILED": W.FAILED,
        "S-COMPLIANT": W.COMPLIANT,
    }
    ClusterFactory(code="S-NOT-OPERATING", operating_since=None)
    operating_cluster(code="S-NO-PLANT", wwtp_operating_since=None)
    operating_cluster(code="S-NO-EVIDENCE")
    inspect(operating_cluster(code="S-STALE"), D(2020, 1, 1))
    inspect(operating_cluster(code="S-FAILED"), D(2021, 11, 1), FAILS)
    inspect(operating_cluster(code="S-COMPLIANT"), D(2021, 11, 1))
    rows = IndustrialCluster.objects.with_wastewater_state(AS_OF)
    assert dict(rows.values_list("code", "wastewater_state")) == expected
    # Filterable and orderable by the database, like any column.
    assert list(
        rows.filter(wastewater_state__in=[W.FAILED, W.COMPLIANT])
        .order_by("-wastewater_state")
        .values_list("code", flat=True)
    ) == ["S-FAILED", "S-COMPLIANT"]


def test_annotated_list_is_one_query_whatever_its_size(django_assert_num_queries):
    def list_states():
        with django_assert_num_queries(1):
            return [
                (c.code, c.status, c.wastewater_state, c.latest_result)
                for c in IndustrialCluster.objects.with_wastewater_state(AS_OF)
            ]

    inspect(operating_cluster(), D(2021, 6, 1))
    assert len(list_states()) == 1
    for n in range(30):
        cluster = operating_cluster()
        for month in range(1, 1 + n % 5):
            inspect(cluster, D(2021, month, 1), FAILS if month % 2 else MEETS)
    assert len(list_states()) == 31


@pytest.mark.django_db
def test_a_date_near_the_calendars_start_does_not_overflow():
    """The evidence window before 0001-01-10 reaches past date.min: clamped, no OverflowError."""
    cluster = ClusterFactory(established_on=None)
    row = IndustrialCluster.objects.with_wastewater_state(datetime.date(1, 1, 10)).get(
        pk=cluster.pk
    )
    assert row.status == ClusterStatus.PLANNED
    assert row.wastewater_state == WastewaterState.NOT_OPERATING


def test_fails_sorts_before_meets():
    """latest_evidence_sql() orders by ``result`` so that, on one date, a fails comes first (an
    index can serve that order, unlike a CASE): a new result value must keep this true."""
    assert sorted(InspectionResult.values) == [InspectionResult.FAILS, InspectionResult.MEETS]


def test_the_rules_take_a_date_not_a_datetime():
    """The date goes to the database as it is; a datetime would move the boundaries."""
    with pytest.raises(TypeError):
        IndustrialCluster.objects.with_wastewater_state(datetime.datetime(2024, 12, 14, 12, 0))
