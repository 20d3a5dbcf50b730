"""Dates of the rules: today in Hanoi, whole months, the official report cut-offs."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from registry.dates import report_cutoffs, subtract_months, today, whole_months_between

D = datetime.date


@pytest.mark.parametrize(
    ("utc", "hanoi_day"),
    [
        (datetime.datetime(2021, 6, 13, 16, 59, tzinfo=datetime.UTC), D(2021, 6, 13)),
        (datetime.datetime(2021, 6, 13, 17, 0, tzinfo=datetime.UTC), D(2021, 6, 14)),
        (datetime.datetime(2021, 12, 31, 23, 0, tzinfo=datetime.UTC), D(2022, 1, 1)),
    ],
)
def test_today_is_the_date_in_hanoi_not_in_utc(utc, hanoi_day):
    with mock.patch.object(timezone, "now", return_value=utc):
        assert today() == hanoi_day


def test_the_project_runs_on_hanoi_time(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2021, 1, 15), 24, D(2019, 1, 15)),
        (D(2021, 1, 15), 0, D(2021, 1, 15)),
        (D(2021, 1, 15), 1, D(2020, 12, 15)),
        (D(2021, 3, 31), 1, D(2021, 2, 28)),  # clamped to the month's last day
        (D(2024, 3, 31), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2023, 2, 28)),
        (D(2024, 2, 29), 48, D(2020, 2, 29)),
        (D(2021, 12, 14), 18, D(2020, 6, 14)),
        (D(2021, 1, 31), -1, D(2021, 2, 28)),  # negative: later
    ],
)
def test_subtract_months(day, months, expected):
    assert subtract_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2019, 1, 15), D(2021, 1, 15), 24),
        (D(2019, 1, 16), D(2021, 1, 15), 23),
        (D(2019, 1, 14), D(2021, 1, 15), 24),
        # Counted back from the end, as "D − N months": 28 Feb − 1 month is 28 Jan.
        (D(2021, 1, 31), D(2021, 2, 28), 0),
        (D(2021, 1, 28), D(2021, 2, 28), 1),
        (D(2021, 1, 31), D(2021, 3, 31), 2),
        (D(2020, 2, 29), D(2021, 2, 28), 11),
        (D(2020, 2, 28), D(2021, 2, 28), 12),
        (D(2021, 1, 15), D(2021, 1, 15), 0),
        (D(2021, 1, 15), D(2020, 1, 15), 0),  # end before start: 0, never negative
    ],
)
def test_whole_months_between(start, end, months):
    assert whole_months_between(start, end) == months


def test_report_cutoffs_are_14_june_and_14_december():
    cutoffs = report_cutoffs(2021)
    assert [day for day, _label in cutoffs] == [D(2021, 6, 14), D(2021, 12, 14)]
    assert all(str(label) for _day, label in cutoffs)


def test_whole_months_agree_with_subtract_months():
    # The overdue list uses both: "established on or before D − N months" must mean
    # "at least N whole months since establishment", on every day of a leap year.
    start = D(2020, 1, 1)
    for offset in range(0, 400, 3):
        established = start + datetime.timedelta(days=offset)
        for as_of in [D(2021, 2, 28), D(2021, 3, 31), D(2022, 2, 28), D(2021, 12, 14)]:
            months = whole_months_between(established, as_of)
            for n in range(0, 27):
                assert (established <= subtract_months(as_of, n)) is (months >= n), (
                    established,
                    as_of,
                    n,
                )
