"""English formats: Django's, with day-first input and DD/MM/YYYY display (see
registry/formats/__init__.py)."""

from django.conf.locale.en.formats import *  # noqa: F403

from registry.formats.day_first import *  # noqa: F403
