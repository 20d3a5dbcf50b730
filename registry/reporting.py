"""The reporting unit at a date (the rules (README), "Reporting unit at D").

Figures are grouped by the districts before 1 July 2025 and by the communes from then on, or
by the level asked for (``district`` after the reform is "former district", ``commune``
before it is "today's commune"). A record counts in the unit of that level it lies in: its
``district`` or its ``commune`` (the model's ``DISTRICT_PATH`` / ``COMMUNE_PATH``).

This module is the one home of that rule: the KPI, the overdue lists, the market counts, the
dashboard and the published reports all ask it which level a date uses and what a unit is.
"""

import datetime
from typing import NamedTuple

from django.db.models import Model, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from registry.models import REFORM_DATE, AdministrativeUnit, District, UnitLevel

#: The two groupings, as the API's ``by`` and the responses' ``grouping`` spell them.
GROUPINGS = (UnitLevel.DISTRICT.value, UnitLevel.COMMUNE.value)

#: How the dashboard and the workbook name the grouping, by level and side of the reform.
GROUPING_LABELS = {
    (UnitLevel.DISTRICT.value, False): _("Districts"),
    (UnitLevel.DISTRICT.value, True): _("Former districts"),
    (UnitLevel.COMMUNE.value, False): _("Today's communes"),
    (UnitLevel.COMMUNE.value, True): _("Communes and wards"),
}


def reporting_level(as_of: datetime.date) -> str:
    """The level figures at ``as_of`` are grouped by when none is asked for."""
    return UnitLevel.DISTRICT.value if as_of < REFORM_DATE else UnitLevel.COMMUNE.value


def grouping_at(as_of: datetime.date, by: str | None = None) -> str:
    """``by`` when given (validated), else the reporting level at ``as_of``."""
    if by is None:
        return reporting_level(as_of)
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    return by


def grouping_label(grouping: str, as_of: datetime.date):
    return GROUPING_LABELS[(grouping, as_of >= REFORM_DATE)]


class ReportingUnit(NamedTuple):
    """A unit figures are grouped by: a district (``District``) or a commune-level
    ``AdministrativeUnit``; ``pk`` is the key records point to (``district_id`` /
    ``commune_id``). A named tuple: the country's 3,321 communes are built per request."""

    pk: int
    code: str
    name: str
    level: str

    @classmethod
    def of(cls, unit: District | AdministrativeUnit) -> "ReportingUnit":
        level = UnitLevel.DISTRICT.value if isinstance(unit, District) else unit.level
        return cls(unit.pk, unit.code, unit.name, level)


def units_of_level(grouping: str) -> list[ReportingUnit]:
    """Every unit of the level, by code: the 30 districts or the communes (one query)."""
    if grouping == UnitLevel.DISTRICT.value:
        rows = District.objects.order_by("code").values_list("pk", "code", "name", Value(grouping))
    else:
        rows = (
            AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE)
            .order_by("code")
            .values_list("pk", "code", "name", "level")
        )
    return list(map(ReportingUnit._make, rows))


def as_reporting_units(units, grouping: str) -> list[ReportingUnit]:
    """``units`` (Districts, AdministrativeUnits or ReportingUnits) as ReportingUnits of
    ``grouping``; a unit of the other level is a programming error."""
    result = [u if isinstance(u, ReportingUnit) else ReportingUnit.of(u) for u in units]
    for unit in result:
        if unit.level != grouping:
            raise ValueError(f"{unit.code} is not a {grouping}-level unit")
    return result


def unit_path(model: type[Model], grouping: str) -> str:
    """The lookup from ``model`` to the key of its unit of ``grouping`` (``district_id``,
    ``cluster__commune_id`` …)."""
    path = model.DISTRICT_PATH if grouping == UnitLevel.DISTRICT.value else model.COMMUNE_PATH
    return f"{path}_id"


def covered_records(queryset, grouping: str, units=None):
    """``(covered, queryset, district_rows)``: the units a figure covers, ``queryset``
    narrowed to their records, and for a grouping by district the District rows by pk (v1's
    ``districts``; empty otherwise). With ``units`` None: every unit of ``grouping`` by code,
    ``queryset`` as it is (records in no unit still count in the total); else ``units``
    (Districts, AdministrativeUnits or ReportingUnits) and only their records. The KPI, the
    indicators and the market counts all cover units this way; one query at most."""
    covered, rows = resolve_units(grouping, units)
    return covered, in_units(queryset, grouping, None if units is None else covered), rows


def in_units(queryset, grouping: str, units) -> QuerySet:
    """``queryset`` narrowed to the records lying in ``units`` of ``grouping`` (anything
    with a ``pk``: Districts, AdministrativeUnits, ReportingUnits); all when None."""
    if units is None:
        return queryset
    path = unit_path(queryset.model, grouping)
    return queryset.filter(**{f"{path}__in": [u.pk for u in units]})


def resolve_units(grouping: str, units=None):
    """``(covered, district_rows)`` of :func:`covered_records`, without a queryset to narrow
    (the KPI narrows its own compiled statement); one query at most."""
    by_district = grouping == UnitLevel.DISTRICT
    if units is None:
        if by_district:
            rows = {d.pk: d for d in District.objects.order_by("code")}
            return [ReportingUnit.of(d) for d in rows.values()], rows
        return units_of_level(grouping), {}
    covered = as_reporting_units(units, grouping)
    rows = {}
    if by_district:
        rows = {u.pk: u for u in units if isinstance(u, District)}
        missing = [u.pk for u in covered if u.pk not in rows]
        if missing:
            rows.update(District.objects.in_bulk(missing))
    return covered, rows
