"""The date the dashboard is computed at, and the dates offered as presets."""

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from registry.dates import report_cutoffs, validate_as_of
from registry.formats import DATE_INPUT_FORMATS

#: The first year-end the trend shows (the target was set in January 2021 for 2021).
TREND_START_YEAR = 2020


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("Date"),
        required=False,
        validators=[validate_as_of],
        # Day first as everywhere (registry.formats); a text box, not the browser's date
        # picker, which an English-language browser shows month first.
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("DD/MM/YYYY"), "inputmode": "numeric", "size": 10},
        ),
    )


def parse_as_of(query, default: datetime.date) -> tuple[AsOfForm, datetime.date]:
    """The form bound to ``query`` and the date to use: the chosen one, or ``default``
    when none is given or the given one is not a valid date."""
    if "as_of" not in query:
        return AsOfForm(initial={"as_of": default}), default
    form = AsOfForm(query)
    if form.is_valid() and form.cleaned_data["as_of"]:
        return form, form.cleaned_data["as_of"]
    return form, default


def date_presets(today: datetime.date) -> list[tuple[datetime.date, str]]:
    """Today; the Circular 14/2024 report cut-offs of this and last year; 31 December of
    past years since the trend's first year — newest first, never after ``today`` (today
    in Hanoi, ``registry.dates.today``), and a cut-off falling on today only once."""
    presets = [(today, str(_("Today")))]
    for year in (today.year, today.year - 1):
        for day, label in reversed(report_cutoffs(year)):
            if day < today:
                presets.append((day, f"{date_format(day, 'SHORT_DATE_FORMAT')} — {label}"))
    year_end = _("year end")  # outside the f-string, where xgettext can find it
    for year in range(today.year - 1, TREND_START_YEAR - 1, -1):
        day = datetime.date(year, 12, 31)
        presets.append((day, f"{date_format(day, 'SHORT_DATE_FORMAT')} — {year_end}"))
    return presets
