"""Dates of the rules: today in Hanoi, whole months, the official report cut-offs."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def today() -> datetime.date:
    """Today in the project's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


def subtract_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(start: datetime.date, end: datetime.date) -> int:
    """Completed calendar months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if subtract_months(end, months) < start:
        months -= 1
    return max(months, 0)


def report_cutoffs(year: int) -> list[tuple[datetime.date, str]]:
    """Circular 14/2024/TT-BCT report cut-offs of ``year``: 14 June and 14 December."""
    return [
        (datetime.date(year, 6, 14), _("half-year report cut-off")),
        (datetime.date(year, 12, 14), _("year report cut-off")),
    ]


#: The dates the rules can be asked about, everywhere a date is chosen (API parameters and
#: filters, the dashboard): the evidence window fits before the first, and date arithmetic
#: stays far from year 1 and 9999.
EARLIEST_AS_OF = datetime.date(1900, 1, 1)
LATEST_AS_OF = datetime.date(2199, 12, 31)


def validate_as_of(value: datetime.date) -> None:
    """Refuse an ``as_of`` outside ``EARLIEST_AS_OF`` … ``LATEST_AS_OF`` (Django's
    ValidationError, which forms, filters and DRF fields all report as a field error)."""
    if value is not None and not EARLIEST_AS_OF <= value <= LATEST_AS_OF:
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            code="as_of_range",
            # Day first, as people type dates here (the API reads DD/MM/YYYY too).
            params={
                "earliest": EARLIEST_AS_OF.strftime("%d/%m/%Y"),
                "latest": LATEST_AS_OF.strftime("%d/%m/%Y"),
            },
        )
