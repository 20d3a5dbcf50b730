"""The reporting periods of Circular 14/2024/TT-BCT (amended by 38/2025/TT-BCT).

The half-year of year Y runs from 15 December of Y−1 to 14 June of Y (cut-off 14 June Y), the
year from 15 December of Y−1 to 14 December of Y (cut-off 14 December Y). This module is the
one home of that rule for the published reports.
"""

import datetime

from django import forms
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.dates import today

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


class PeriodForm(forms.Form):
    """A period and its year, checked once for every caller (the publish service, the report
    workbook): a known period, a whole year from FIRST_YEAR to LAST_YEAR (``2025.7`` is not
    one), and a cut-off that has come. ``cleaned_data`` gains ``cut_off``. A caller may word
    the messages for its users (class attributes and :meth:`future_message`)."""

    period = forms.ChoiceField(choices=Period.choices)
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)

    period_message = _(
        "Choose the period: “half_year” (cut-off 14 June) or “year” (cut-off 14 December)."
    )
    year_message = _("Give the year as a number from %(first)s to %(last)s.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        period = self.period_message
        year = self.year_message % {"first": FIRST_YEAR, "last": LAST_YEAR}
        self.fields["period"].error_messages.update(required=period, invalid_choice=period)
        self.fields["year"].error_messages.update(
            required=year, invalid=year, min_value=year, max_value=year
        )

    def future_message(self, period: str, year: int, day: datetime.date) -> str:
        return gettext(
            "The cut-off %(day)s is after today: a period can be published only once its "
            "cut-off date has come."
        ) % {"day": date_format(day, "SHORT_DATE_FORMAT")}

    def clean(self):
        data = super().clean()
        if "period" in data and "year" in data:
            data["cut_off"] = cut_off(data["period"], data["year"])
            if data["cut_off"] > today():
                self.add_error(
                    "year", self.future_message(data["period"], data["year"], data["cut_off"])
                )
        return data
