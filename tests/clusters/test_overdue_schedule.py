"""Construction overdue at D with the implementation schedule (see the rules in the README): the
deadline of the latest schedule extension decided on or before D, else the establishment
decision's planned date, else (start only) the fallback; start and completion lists."""

import datetime

import pytest

from clusters.selectors import DeadlineSource, construction_overdue
from tests.factories import ClusterFactory, ScheduleExtensionFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def listing(items):
    return [(i.cluster.code, i.deadline, i.deadline_source, i.decision_no) for i in items]


@pytest.fixture
def tam_hiep():
    """Tam Hiệp as the city's decisions shaped it: established 2020 with a planned start in
    2021, extended in 2022 and 2023, construction from 19 January 2024."""
    cluster = ClusterFactory(
        code="CCN-TAM-HIEP",
        established_on=D(2020, 6, 15),
        planned_construction_start=D(2021, 6, 30),
        planned_completion=D(2022, 12, 31),
        construction_started_on=D(2024, 1, 19),
    )
    ScheduleExtensionFactory(
        cluster=cluster,
        decision_no="2345/QĐ-UBND",
        decided_on=D(2022, 5, 10),
        new_start_deadline=D(2022, 12, 31),
        new_completion_deadline=D(2024, 6, 30),
    )
    ScheduleExtensionFactory(
        cluster=cluster,
        decision_no="4567/QĐ-UBND",
        decided_on=D(2023, 4, 20),
        new_start_deadline=D(2023, 12, 31),
        new_completion_deadline=D(2025, 12, 31),
    )
    return cluster


@pytest.mark.parametrize(
    ("as_of", "start", "completion"),
    [
        # Before the planned start: nothing is due.
        (D(2021, 6, 30), [], []),
        # After the decision's planned start, before the first extension.
        (D(2022, 3, 1), [(D(2021, 6, 30), DeadlineSource.DECISION, "")], []),
        # The first extension moved the deadline: no longer overdue.
        (D(2022, 6, 1), [], []),
        # Past the first extension's deadline, before the second.
        (D(2023, 3, 1), [(D(2022, 12, 31), DeadlineSource.EXTENSION, "2345/QĐ-UBND")], []),
        # The second extension: not overdue until the end of 2023.
        (D(2023, 12, 31), [], []),
        (D(2024, 1, 10), [(D(2023, 12, 31), DeadlineSource.EXTENSION, "4567/QĐ-UBND")], []),
        # Construction started on 19 January 2024: off the start list; completion not yet due.
        (D(2024, 1, 19), [], []),
        (D(2025, 12, 31), [], []),
        # Past the second extension's completion deadline, infrastructure not completed.
        (D(2026, 1, 5), [], [(D(2025, 12, 31), DeadlineSource.EXTENSION, "4567/QĐ-UBND")]),
    ],
)
def test_tam_hiep_history(tam_hiep, as_of, start, completion):
    overdue = construction_overdue(as_of=as_of)
    code = tam_hiep.code
    assert listing(overdue.start_overdue) == [(code, *item) for item in start]
    assert listing(overdue.completion_overdue) == [(code, *item) for item in completion]
    for item in [*overdue.start_overdue, *overdue.completion_overdue]:
        assert item.days_overdue == (as_of - item.deadline).days > 0
    # The v1 view of the result: iteration and ``clusters`` are the start list.
    assert [i.cluster.code for i in overdue] == [i.cluster.code for i in overdue.start_overdue]
    assert overdue.clusters == overdue.start_overdue


def test_tam_hiep_days_and_months(tam_hiep):
    (item,) = construction_overdue(as_of=D(2024, 1, 10)).start_overdue
    assert item.days_overdue == 10
    assert item.months_since_established == 42


def test_an_extension_setting_only_the_completion_leaves_the_start_deadline_alone():
    cluster = ClusterFactory(
        code="CCN-A", established_on=D(2020, 1, 1), planned_construction_start=D(2021, 1, 1)
    )
    ScheduleExtensionFactory(
        cluster=cluster,
        decided_on=D(2021, 3, 1),
        new_start_deadline=None,
        new_completion_deadline=D(2026, 1, 1),
    )
    (item,) = construction_overdue(as_of=D(2021, 6, 1)).start_overdue
    assert (item.deadline, item.deadline_source) == (D(2021, 1, 1), DeadlineSource.DECISION)


def test_an_extension_decided_after_d_does_not_count():
    cluster = ClusterFactory(
        code="CCN-A", established_on=D(2020, 1, 1), planned_construction_start=D(2021, 1, 1)
    )
    ScheduleExtensionFactory(
        cluster=cluster, decided_on=D(2021, 7, 1), new_start_deadline=D(2022, 1, 1)
    )
    (item,) = construction_overdue(as_of=D(2021, 6, 1)).start_overdue
    assert item.deadline_source == DeadlineSource.DECISION
    assert construction_overdue(as_of=D(2021, 7, 1)).start_overdue == []


def test_of_two_extensions_on_one_day_the_later_recorded_counts():
    cluster = ClusterFactory(code="CCN-A", established_on=D(2020, 1, 1))
    ScheduleExtensionFactory(
        cluster=cluster, decision_no="1", decided_on=D(2021, 1, 1), new_start_deadline=D(2021, 5, 1)
    )
    ScheduleExtensionFactory(
        cluster=cluster, decision_no="2", decided_on=D(2021, 1, 1), new_start_deadline=D(2021, 3, 1)
    )
    (item,) = construction_overdue(as_of=D(2021, 4, 1)).start_overdue
    assert (item.deadline, item.decision_no) == (D(2021, 3, 1), "2")


def test_the_fallback_without_planned_start_or_extension():
    ClusterFactory(code="CCN-OLD", established_on=D(2018, 3, 1))
    ClusterFactory(code="CCN-NEW", established_on=D(2020, 3, 1))  # not 24 months yet
    overdue = construction_overdue(as_of=D(2021, 1, 15))
    assert listing(overdue.start_overdue) == [
        ("CCN-OLD", D(2020, 3, 1), DeadlineSource.FALLBACK, "")
    ]
    assert overdue.start_overdue[0].days_overdue == (D(2021, 1, 15) - D(2020, 3, 1)).days
    # The setting's months are the fallback's only: a planned start overrides them.
    ClusterFactory(
        code="CCN-PLANNED", established_on=D(2010, 1, 1), planned_construction_start=D(2022, 1, 1)
    )
    codes = [i.cluster.code for i in construction_overdue(as_of=D(2021, 1, 15), months=6)]
    assert codes == ["CCN-OLD", "CCN-NEW"]


def test_completion_overdue():
    common = {"established_on": D(2018, 1, 1), "construction_started_on": D(2019, 1, 1)}
    ClusterFactory(code="CCN-LATE", planned_completion=D(2020, 6, 30), **common)
    ClusterFactory(
        code="CCN-OPERATING-LATE",
        planned_completion=D(2020, 3, 31),
        operating_since=D(2020, 1, 1),
        **common,
    )
    ClusterFactory(
        code="CCN-DONE",
        planned_completion=D(2020, 6, 30),
        infrastructure_completed_on=D(2020, 12, 1),
        **common,
    )
    ClusterFactory(
        code="CCN-DONE-LATER",  # completed after D: still overdue at D
        planned_completion=D(2020, 6, 30),
        infrastructure_completed_on=D(2021, 3, 1),
        **common,
    )
    ClusterFactory(code="CCN-NOT-DUE", planned_completion=D(2021, 6, 30), **common)
    ClusterFactory(code="CCN-NO-DEADLINE", **common)  # no fallback for the completion
    ClusterFactory(
        code="CCN-CLOSED", planned_completion=D(2020, 6, 30), closed_on=D(2020, 9, 1), **common
    )
    overdue = construction_overdue(as_of=D(2021, 1, 1))
    assert listing(overdue.completion_overdue) == [
        ("CCN-OPERATING-LATE", D(2020, 3, 31), DeadlineSource.DECISION, ""),
        ("CCN-DONE-LATER", D(2020, 6, 30), DeadlineSource.DECISION, ""),
        ("CCN-LATE", D(2020, 6, 30), DeadlineSource.DECISION, ""),
    ]
    assert overdue.start_overdue == []


def test_most_overdue_first_ties_by_code():
    for code, planned in [("C", D(2021, 3, 1)), ("B", D(2021, 1, 1)), ("A", D(2021, 3, 1))]:
        ClusterFactory(code=code, established_on=D(2020, 1, 1), planned_construction_start=planned)
    ClusterFactory(code="F", established_on=D(2018, 1, 1))  # fallback 2020-01-01: most overdue
    codes = [i.cluster.code for i in construction_overdue(as_of=D(2021, 6, 1)).start_overdue]
    assert codes == ["F", "B", "A", "C"]


def test_a_fixed_number_of_queries(django_assert_num_queries):
    for n in range(12):
        cluster = ClusterFactory(
            established_on=D(2015, 1, 1),
            planned_construction_start=D(2016, 1, 1) if n % 2 else None,
            construction_started_on=D(2017, 1, 1) if n % 3 == 0 else None,
            planned_completion=D(2018, 1, 1),
        )
        ScheduleExtensionFactory(
            cluster=cluster, decided_on=D(2016, 6, 1), new_start_deadline=D(2016, 12, 1)
        )
    with django_assert_num_queries(2):
        overdue = construction_overdue(as_of=D(2021, 1, 1))
        seen = [
            (i.cluster.district.name, i.deadline_source, i.decision_no)
            for i in [*overdue.start_overdue, *overdue.completion_overdue]
        ]
    assert len(seen) == 12
