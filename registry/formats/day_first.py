"""What each locale's format module of the registry sets over Django's own (see
registry/formats/__init__.py): day-first input, DD/MM/YYYY display, weeks from Monday."""

from registry.formats import (
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
)

SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
FIRST_DAY_OF_WEEK = 1  # Monday

__all__ = [
    "DATE_FORMAT",
    "DATE_INPUT_FORMATS",
    "DATETIME_FORMAT",
    "DATETIME_INPUT_FORMATS",
    "FIRST_DAY_OF_WEEK",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
]
