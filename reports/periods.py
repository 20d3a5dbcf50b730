"""The reporting periods of Circular 14/2024/TT-BCT (amended by 38/2025/TT-BCT).

The half-year of year Y runs from 15 December of Y−1 to 14 June of Y (cut-off 14 June Y), the
year from 15 December of Y−1 to 14 December of Y (cut-off 14 December Y). This module is the
one home of that rule for the published reports.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The years a period can be published for (as the targets' years).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class Period(models.TextChoices):
    HALF_YEAR = "half_year", _("half-year")
    YEAR = "year", _("year")


#: The cut-off's (month, day) of each period.
CUT_OFF_DAY = {Period.HALF_YEAR.value: (6, 14), Period.YEAR.value: (12, 14)}


def cut_off(period: str, year: int) -> datetime.date:
    """The cut-off date of ``period`` of ``year`` (14 June or 14 December)."""
    month, day = CUT_OFF_DAY[period]
    return datetime.date(year, month, day)


def period_start(period: str, year: int) -> datetime.date:
    """The first day of the period: 15 December of the year before, for both periods."""
    return datetime.date(year - 1, 12, 15)


def period_at(day: datetime.date) -> tuple[str, int] | None:
    """The period whose cut-off ``day`` is, if it is one."""
    for period, (month, dom) in CUT_OFF_DAY.items():
        if (day.month, day.day) == (month, dom):
            return period, day.year
    return None
