"""The dashboard's construction-overdue section: both lists (start, completion) with each
item's deadline, its source and the days past it, on the page and in the CSV, as the
selector gives them."""

import datetime

import pytest

from clusters.selectors import construction_overdue
from tests.dashboard.helpers import AS_OF, parse_figures
from tests.dashboard.test_csv import download, read_csv
from tests.dashboard.test_views import get_page
from tests.factories import ClusterFactory, ScheduleExtensionFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def make_schedules():
    extended = ClusterFactory(
        code="CCN-EXTENDED", established_on=D(2020, 1, 1), planned_construction_start=D(2021, 1, 1)
    )
    ScheduleExtensionFactory(
        cluster=extended,
        decision_no="4567/QĐ-UBND",
        decided_on=D(2022, 4, 20),
        new_start_deadline=D(2022, 12, 31),
    )
    ClusterFactory(code="CCN-FALLBACK", established_on=D(2019, 1, 1))
    ClusterFactory(
        code="CCN-LATE-INFRA",
        established_on=D(2018, 1, 1),
        construction_started_on=D(2019, 1, 1),
        planned_completion=D(2022, 6, 30),
    )


def test_page_shows_both_lists_with_deadline_source_and_days(client, department_user):
    make_schedules()
    html = get_page(client, department_user).content.decode()
    parsed = parse_figures(html)
    overdue = construction_overdue(as_of=AS_OF)
    for table, items in (
        ("overdue-table", overdue.start_overdue),
        ("completion-overdue-table", overdue.completion_overdue),
    ):
        assert parsed.rows[table] == [item.cluster.code for item in items]
        for item in items:
            code = item.cluster.code
            assert parsed.figures[(table, code, "deadline")] == item.deadline.isoformat()
            assert parsed.figures[(table, code, "source")] == item.deadline_source
            assert parsed.figures[(table, code, "days")] == str(item.days_overdue)
    assert parsed.rows["overdue-table"] == ["CCN-FALLBACK", "CCN-EXTENDED"]
    assert parsed.rows["completion-overdue-table"] == ["CCN-LATE-INFRA"]
    assert parsed.figures[("overdue-table", "CCN-EXTENDED", "source")] == "extension"
    assert "4567/QĐ-UBND" in html


def test_csv_holds_both_lists(client, department_user):
    make_schedules()
    header, *rows = read_csv(download(client, department_user, "overdue"))
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_code) == {"CCN-FALLBACK", "CCN-EXTENDED", "CCN-LATE-INFRA"}
    extended = by_code["CCN-EXTENDED"]
    assert extended["overdue list"] == "construction start"
    assert extended["deadline"] == "2022-12-31"
    assert extended["deadline source"] == "schedule extension"
    assert extended["extension decision number"] == "4567/QĐ-UBND"
    assert extended["days overdue"] == str((AS_OF - D(2022, 12, 31)).days)
    assert by_code["CCN-FALLBACK"]["deadline source"] == "fallback (months after establishment)"
    late = by_code["CCN-LATE-INFRA"]
    assert late["overdue list"] == "infrastructure completion"
    assert late["deadline source"] == "establishment decision"
