"""Dates as a Vietnamese official writes them: day first, in every language.

``settings.FORMAT_MODULE_PATH`` points here, so Django reads ``registry.formats.vi.formats``
and ``registry.formats.en.formats`` before its own locale formats. Django's ``vi`` defines no
input formats (so its US default applied: ``01/06/2020`` was read as 6 January) and its ``en``
reads month first; here both read DD/MM/YYYY first, still accept ISO YYYY-MM-DD, and never
read a date month first. Admin widgets and the admin calendar write dates in the first input
format, so they show DD/MM/YYYY too. The API's JSON output stays ISO 8601 (DRF settings).

A typed date that cannot be read is refused with :data:`DATE_INVALID_MESSAGE`, which names
the expected form (installed on Django's form fields by :func:`install_date_messages`, called
from ``RegistryConfig.ready``; the API's ``as_of`` uses it too).
"""

from django.utils.translation import gettext_lazy as _

#: Day first; ISO still accepted; never month first.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
#: How dates are shown back: DD/MM/YYYY.
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"

DATE_INVALID_MESSAGE = _("Enter the date as DD/MM/YYYY (for example 01/06/2020).")


def install_date_messages() -> None:
    """Every Django form date field (admin forms and inlines, admin and API filters, the
    dashboard) refuses an unreadable date with the message that names the expected form."""
    from django import forms

    for field_class, key in (
        (forms.DateField, "invalid"),
        (forms.DateTimeField, "invalid"),
        (forms.SplitDateTimeField, "invalid_date"),
    ):
        field_class.default_error_messages = {
            **field_class.default_error_messages,
            key: DATE_INVALID_MESSAGE,
        }
