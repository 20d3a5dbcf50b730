"""Compact list columns shared by the apps' admin lists (fit 1280 px with the sidebar open)."""

import datetime

from django.utils.formats import date_format
from django.utils.html import format_html


def short_date(value: datetime.date | None) -> str | None:
    """A date as the locale's short form (``None`` shows the admin's empty value)."""
    if value is None:
        return None
    return date_format(value, "SHORT_DATE_FORMAT")


def name_with_code(name: str, code: str) -> str:
    """A record's name, with its code on a second, smaller line (one column for both)."""
    return format_html('{}<br><span class="record-code">{}</span>', name, code)
