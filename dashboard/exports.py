"""Each dashboard table as CSV: the same rows as the page, from the same functions.

UTF-8 with a byte-order mark, so Excel opens Vietnamese names intact. Numbers are written
unlocalized (a dot for decimals) so other programs read them back; a text a spreadsheet would
run as a formula is neutralised (:mod:`registry.csv_safety`).
"""

import csv
import datetime
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from clusters.choices import InspectionResult
from clusters.selectors import OPERATING_STATES
from dashboard import data
from markets.choices import MarketClass, MarketStatus
from markets.selectors import UNCLASSIFIED
from registry.csv_safety import neutralise
from registry.dates import today
from registry.models import UnitLevel


def _text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


def kpi_columns() -> list[str]:
    return [
        _("operating"),
        _("compliant"),
        _("share (%)"),
        _("target (%)"),
        _("target met"),
        _("shortfall (clusters)"),
        *[str(state.label) for state in OPERATING_STATES],
    ]


def kpi_values(figures) -> list:
    return [
        figures.operating,
        figures.compliant,
        figures.share_percent,
        figures.target_percent,
        figures.met,
        figures.shortfall,
        *[figures.by_state.get(state.value, 0) for state in OPERATING_STATES],
    ]


def scope_label(scope: data.Scope) -> str:
    return _("Hanoi (all units)") if scope.all_districts else _("Your units")


def level_label(level: str) -> str:
    return str(UnitLevel(level).label)


def districts_table(scope: data.Scope, as_of: datetime.date, grouping: str | None = None):
    """The KPI by reporting unit (``grouping``, default the level at ``as_of``), every unit
    listed, furthest behind first; then the total and, for local staff, the city."""
    compliance = data.compliance_at(scope, as_of, grouping)
    level = level_label(compliance.scope.grouping)
    header = [_("date"), _("level"), _("unit code"), _("unit"), *kpi_columns()]
    rows = [
        [as_of, level, row.unit.code, row.unit.name, *kpi_values(row.figures)]
        for row in data.units_by_shortfall(compliance.scope, keep_empty=True)
    ]
    if compliance.scope.unsettled is not None:
        rows.append(
            [as_of, level, "", _("No commune settled"), *kpi_values(compliance.scope.unsettled)]
        )
    rows.append([as_of, "", "", scope_label(scope), *kpi_values(compliance.scope.city)])
    if compliance.city is not None:
        rows.append([as_of, "", "", _("Hanoi (all units)"), *kpi_values(compliance.city.city)])
    return header, rows


def trend_table(scope: data.Scope, as_of: datetime.date, grouping: str | None = None):
    header = [_("date"), *kpi_columns()]
    if not scope.all_districts:
        header += [_("Hanoi share (%)"), _("Hanoi target met")]
    rows = []
    for point in data.trend(scope, today(), grouping):
        row = [point.as_of, *kpi_values(point.scope)]
        if point.city is not None:
            row += [point.city.share_percent, point.city.met]
        rows.append(row)
    return header, rows


def overdue_table(scope: data.Scope, as_of: datetime.date, grouping: str | None = None):
    """Both lists: the start-overdue rows, then the completion-overdue rows, each with the
    reporting unit the cluster counts in."""
    header = [
        _("code"),
        _("name"),
        _("district"),
        _("unit"),
        _("establishment decision date"),
        _("months since establishment"),
        _("overdue list"),
        _("deadline"),
        _("deadline source"),
        _("extension decision number"),
        _("days overdue"),
    ]
    overdue = data.overdue_lists(scope, as_of, grouping)
    lists = [
        (_("construction start"), overdue.start_overdue),
        (_("infrastructure completion"), overdue.completion_overdue),
    ]
    rows = [
        [
            item.cluster.code,
            item.cluster.name,
            item.cluster.district.name,
            item.unit.name if item.unit else "",
            item.cluster.established_on,
            item.months_since_established,
            kind,
            item.deadline,
            item.deadline_source_label,
            item.decision_no,
            item.days_overdue,
        ]
        for kind, items in lists
        for item in items
    ]
    return header, rows


def not_compliant_table(scope: data.Scope, as_of: datetime.date, grouping: str | None = None):
    header = [
        _("code"),
        _("name"),
        _("district"),
        _("wastewater state"),
        _("reason"),
        _("latest inspection"),
        _("latest result"),
    ]
    rows = [
        [
            cluster.code,
            cluster.name,
            cluster.district.name,
            data.state_label(cluster.wastewater_state),
            data.state_reason(cluster.wastewater_state),
            cluster.latest_inspected_on,
            InspectionResult(cluster.latest_result).label if cluster.latest_result else "",
        ]
        for cluster in data.not_compliant_clusters(scope, as_of).iterator(chunk_size=2000)
    ]
    return header, rows


def markets_table(scope: data.Scope, as_of: datetime.date, grouping: str | None = None):
    classes = [*MarketClass, None]
    header = [
        _("level"),
        _("unit code"),
        _("unit"),
        _("markets"),
        *[str(status.label) for status in MarketStatus],
        *[str(c.label) if c else _("Not classified") for c in classes],
    ]

    def values(counts):
        return [
            counts.total,
            *[counts.by_status.get(status.value, 0) for status in MarketStatus],
            *[counts.by_class.get(c.value if c else UNCLASSIFIED, 0) for c in classes],
        ]

    stats = data.markets(scope, grouping)
    level = level_label(stats.grouping)
    rows = [[level, unit.code, unit.name, *values(counts)] for unit, counts in stats.units]
    if stats.unsettled is not None:
        rows.append([level, "", _("No commune settled"), *values(stats.unsettled)])
    rows.append(["", "", scope_label(scope), *values(stats.city)])
    return header, rows


def projects_table(scope: data.Scope, as_of: datetime.date, grouping: str | None = None):
    header = [
        _("market code"),
        _("market"),
        _("district"),
        _("kind"),
        _("capital source"),
        _("budget (VND)"),
        _("start date"),
        _("status"),
    ]
    rows = [
        [
            project.market.code,
            project.market.name,
            project.market.district.name,
            project.get_kind_display(),
            project.get_capital_source_display(),
            project.budget_vnd,
            project.started_on,
            project.get_status_display(),
        ]
        for project in data.projects_under_way(scope, as_of)
    ]
    return header, rows


#: CSV downloads by name: (builder, file name stem).
TABLES: dict[str, Callable] = {
    "districts": districts_table,
    "trend": trend_table,
    "overdue": overdue_table,
    "not-compliant": not_compliant_table,
    "markets": markets_table,
    "projects": projects_table,
}


def write_csv(response, header: list, rows: Iterable[list]) -> None:
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_text(h) for h in header])
    for row in rows:
        writer.writerow([_text(v) for v in row])
