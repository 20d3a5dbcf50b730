"""Formula neutralisation for every CSV and XLSX the registry writes for people.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (CSV injection). Before such a text is written it is prefixed with
an apostrophe, the OWASP way: Excel and LibreOffice then show it as text. The import takes the
apostrophe off again, so an exported file imported back restores the original values exactly:

- :func:`neutralise` adds one ``'`` to a text that starts with a trigger character, *or* with
  apostrophes followed by one (so a value that itself starts with ``'=`` survives too);
- :func:`restore` removes one ``'`` from a text that starts with ``'`` followed by apostrophes
  and a trigger character, and leaves everything else alone.

A plain negative number (``-12``, ``-0.5``) is left as it is: a spreadsheet reads it as a
number, not a formula, and programs reading the API's CSV get the number. In XLSX, numbers,
dates and booleans are typed cells and never pass through here.
"""

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_NEEDS_PREFIX = re.compile(r"'*[=+\-@\t\r]", re.DOTALL)
_PREFIXED = re.compile(r"''*[=+\-@\t\r]", re.DOTALL)
_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(\.[0-9]+)?")


def neutralise(value):
    """``value`` made safe to open in a spreadsheet (texts only; anything else unchanged)."""
    if not isinstance(value, str) or not value:
        return value
    if _NEGATIVE_NUMBER.fullmatch(value):
        return value
    if _NEEDS_PREFIX.match(value):
        return "'" + value
    return value


def restore(value):
    """The original of a value written by :func:`neutralise` (texts only)."""
    if isinstance(value, str) and _PREFIXED.match(value):
        return value[1:]
    return value


def neutralise_row(row):
    return [neutralise(cell) for cell in row]
