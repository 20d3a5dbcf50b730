"""The report workbook: one XLSX of a reporting period that a Department officer can send
upward (Circular 14/2024/TT-BCT, amended by 38/2025/TT-BCT).

The half-year of year Y runs from 15 December of Y−1 to 14 June of Y, the year from 15
December of Y−1 to 14 December of Y; the figures are those at the cut-off (the period's last
day), grouped by the reporting unit at that date (``registry.reporting``). Sheets:

1. the cover: the period in words, its dates, the cut-off, the grouping, who generated the
   file and when, and whether the figures are published (``publication``) or computed now;
   over every unit, the published city counts and whether the workbook's figures are the
   same as published (``reports.changes.kpi_differs``, the dashboard's panel's rule);
2. the clusters' indicators by unit (``clusters.indicators.report_indicators``);
3. the wastewater KPI by unit (``clusters.selectors.wastewater_compliance``);
4. and 5. the start-overdue and completion-overdue lists
   (``clusters.selectors.construction_overdue``);
6. the market counts by unit (``markets.selectors.market_statistics``; with the markets' view
   permission only).

Nothing here computes a figure: every number comes from those selectors, over the units the
account keeps (``registry.scoping.units_in_scope``: every unit for department staff). The
workbook is in Vietnamese whatever the interface's language (it is an official report); cells
are typed (numbers, dates and date-times with their number formats, DD/MM/YYYY) and every text
passes through ``registry.csv_safety.neutralise``.
"""

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from clusters.api.stats import render_kpi
from clusters.choices import ClusterStatus, WastewaterState
from clusters.indicators import report_indicators
from clusters.models import IndustrialCluster
from clusters.selectors import OPERATING_STATES, construction_overdue, wastewater_compliance
from markets.choices import MarketClass, MarketStatus
from markets.models import Market
from markets.selectors import UNCLASSIFIED, market_statistics
from registry.csv_safety import neutralise
from registry.reporting import grouping_at, grouping_label, in_units
from registry.scoping import restrict, units_in_scope
from registry.workbooks import DATE_FORMAT, MAX_WIDTH, MIN_WIDTH, file_stem, sheet_title
from reports.changes import kpi_differs, published_kpi
from reports.periods import FIRST_YEAR, LAST_YEAR, Period, PeriodForm, cut_off, period_start

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The two reporting periods of Circular 14/2024/TT-BCT, as the query string spells them, and
#: the years they can be asked for: those of the published reports (``reports.periods``, the
#: one home of the periods' rule).
HALF_YEAR = Period.HALF_YEAR.value
YEAR = Period.YEAR.value
PERIOD_KINDS = (HALF_YEAR, YEAR)

#: The permission the market sheet needs (as the dashboard's market table does).
MARKET_FIGURES = ("markets.view_market",)

#: The workbook's language: an official report goes upward in Vietnamese.
REPORT_LANGUAGE = settings.LANGUAGE_CODE


@dataclass(frozen=True)
class ReportPeriod:
    """A reporting period: the half-year or the year ``year``."""

    kind: str
    year: int

    def __post_init__(self):
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"not a reporting period: {self.kind!r}")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"year out of range: {self.year!r}")

    @property
    def start(self) -> datetime.date:
        return period_start(self.kind, self.year)

    @property
    def cutoff(self) -> datetime.date:
        """The period's last day, at which its figures are taken."""
        return cut_off(self.kind, self.year)

    @property
    def label(self) -> str:
        if self.kind == HALF_YEAR:
            return _("first half of %(year)s") % {"year": self.year}
        return _("year %(year)s") % {"year": self.year}

    @property
    def file_name(self) -> str:
        with translation.override(REPORT_LANGUAGE):
            return f"{file_stem(_('report') + ' ' + self.label)}.xlsx"


PERIOD_MESSAGE = gettext_lazy(
    "Choose the reporting period: period=half_year (the half-year report) or period=year "
    "(the year report)."
)
YEAR_MESSAGE = gettext_lazy("Enter the report's year as a number from %(first)s to %(last)s.")


class ReportPeriodForm(PeriodForm):
    """The query string of the report download: ``period`` and ``year`` (the checks of
    ``reports.periods.PeriodForm``, worded for the download)."""

    period_message = PERIOD_MESSAGE
    year_message = YEAR_MESSAGE

    def future_message(self, period: str, year: int, day: datetime.date) -> str:
        return future_cutoff_message(ReportPeriod(period, year))

    @property
    def report_period(self) -> ReportPeriod:
        return ReportPeriod(self.cleaned_data["period"], self.cleaned_data["year"])


def future_cutoff_message(period: ReportPeriod) -> str:
    return _(
        "The report of the %(period)s takes its figures on %(cutoff)s, which is after today: "
        "it cannot be made yet."
    ) % {"period": period.label, "cutoff": _day(period.cutoff)}


# ------------------------------------------------------------------ cells

TEXT, INT, DECIMAL, VND, PERCENT, DATE, DATETIME = (
    "text",
    "int",
    "decimal",
    "vnd",
    "percent",
    "date",
    "datetime",
)
NUMBER_FORMATS = {
    INT: "#,##0",
    DECIMAL: "#,##0.00",
    VND: "#,##0",
    PERCENT: "0.00",
    DATE: DATE_FORMAT,
    DATETIME: "DD/MM/YYYY HH:MM",
}
#: the width a value of each kind takes, by its number format
KIND_WIDTHS = {DATE: 10, DATETIME: 16, PERCENT: 7}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
#: the longest a header line is left before it wraps
HEADER_WRAP = 22


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT


def _day(day: datetime.date) -> str:
    return date_format(day, "d/m/Y")


def _local(moment):
    """A date-time as the local (Asia/Ho_Chi_Minh) wall clock, without its zone (a cell
    holds no zone); a date stays a date."""
    if isinstance(moment, datetime.datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.replace(tzinfo=None, microsecond=0)
    return moment


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _cell(sheet, value, kind: str = TEXT, font: Font | None = None):
    if kind == TEXT and value is not None:
        value = neutralise(str(value)) if str(value) else None
    elif kind == DATETIME:
        value = _local(value)
    elif kind in (INT, DECIMAL, VND, PERCENT) and value is not None and not _is_number(value):
        raise TypeError(f"not a number: {value!r}")
    cell = WriteOnlyCell(sheet, value=value)
    if value is not None and kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    if font is not None:
        cell.font = font
    return cell


def _width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind in KIND_WIDTHS:
        return KIND_WIDTHS[kind]
    if kind in (INT, VND):
        return len(f"{int(value):,}")
    if kind == DECIMAL:
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _column_widths(columns: Sequence[Column], rows: Sequence[Sequence]) -> list[int]:
    widths = []
    for index, column in enumerate(columns):
        longest_word = max((len(w) for w in str(column.header).split()), default=0)
        header = max(min(len(str(column.header)), HEADER_WRAP), longest_word)
        values = max((_width(row[index], column.kind) for row in rows), default=0)
        widths.append(min(max(header, values) + 2, MAX_WIDTH))
    return [max(width, MIN_WIDTH) for width in widths]


def _table(book, title: str, heading: str, columns, rows, totals=(), *, freeze="C3"):
    """A sheet: its heading in row 1, the column headers in row 2 (frozen, with the first
    two columns), then ``rows`` and the bold ``totals``."""
    sheet = book.create_sheet(sheet_title(title))
    for index, width in enumerate(_column_widths(columns, [*rows, *totals]), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
    sheet.append([_cell(sheet, heading, font=TITLE)])
    headers = []
    for column in columns:
        cell = _cell(sheet, column.header, font=BOLD)
        cell.alignment = HEADER_ALIGNMENT
        headers.append(cell)
    sheet.append(headers)
    for row, font in [*((r, None) for r in rows), *((r, BOLD) for r in totals)]:
        sheet.append(
            [_cell(sheet, value, c.kind, font) for value, c in zip(row, columns, strict=True)]
        )
    return sheet


# ------------------------------------------------------------------ the sheets


def _unit_columns() -> list[Column]:
    return [Column(_("Unit code")), Column(_("Reporting unit"))]


def _field_header(name: str) -> str:
    return capfirst(str(IndustrialCluster._meta.get_field(name).verbose_name))


def indicator_columns() -> list[Column]:
    return [
        *_unit_columns(),
        Column(_("Clusters, closed ones excepted"), INT),
        *[Column(str(status.label), INT) for status in ClusterStatus],
        Column(_field_header("area_ha"), DECIMAL),
        Column(_field_header("industrial_land_ha"), DECIMAL),
        Column(_field_header("leased_land_ha"), DECIMAL),
        Column(_("Occupancy (%)"), PERCENT),
        Column(_field_header("registered_capital_vnd"), VND),
        Column(_field_header("disbursed_capital_vnd"), VND),
        Column(_field_header("tenant_count"), INT),
        Column(_field_header("worker_count"), INT),
        Column(_("Operating clusters with a treatment plant in operation"), INT),
    ]


def indicator_values(figures) -> list:
    return [
        figures.not_closed,
        *[figures.by_status.get(status.value, 0) for status in ClusterStatus],
        figures.area_ha,
        figures.industrial_land_ha,
        figures.leased_land_ha,
        figures.occupancy_percent,
        figures.registered_capital_vnd,
        figures.disbursed_capital_vnd,
        figures.tenants,
        figures.workers,
        figures.wwtp_operating,
    ]


#: the wastewater states shown beside the compliant count (compliant itself is that count)
KPI_STATES = [s for s in OPERATING_STATES if s != WastewaterState.COMPLIANT]


def kpi_columns() -> list[Column]:
    return [
        *_unit_columns(),
        Column(_("Operating clusters"), INT),
        Column(_("Compliant clusters"), INT),
        Column(_("Share (%)"), PERCENT),
        Column(_("Target (%)"), PERCENT),
        Column(_("Target met")),
        Column(_("Shortfall (clusters)"), INT),
        *[Column(str(state.label), INT) for state in KPI_STATES],
    ]


def _met(met: bool | None) -> str | None:
    if met is None:
        return None
    return _("met") if met else _("not met")


def kpi_values(figures) -> list:
    return [
        figures.operating,
        figures.compliant,
        figures.share_percent,
        figures.target_percent,
        _met(figures.met),
        figures.shortfall,
        *[figures.by_state.get(state.value, 0) for state in KPI_STATES],
    ]


def overdue_columns() -> list[Column]:
    return [
        Column(_("Cluster code")),
        Column(_("Cluster")),
        Column(_("Unit code")),
        Column(_("Reporting unit")),
        Column(_("Deadline"), DATE),
        Column(_("Deadline source")),
        Column(_("Extension decision number")),
        Column(_("Days overdue"), INT),
    ]


def overdue_values(item) -> list:
    unit = item.unit
    return [
        item.cluster.code,
        item.cluster.name,
        unit.code if unit else None,
        unit.name if unit else _("No commune settled yet"),
        item.deadline,
        str(item.deadline_source_label),
        item.decision_no,
        item.days_overdue,
    ]


MARKET_CLASSES = [*MarketClass, None]


def market_columns() -> list[Column]:
    return [
        *_unit_columns(),
        Column(_("Markets"), INT),
        *[Column(str(status.label), INT) for status in MarketStatus],
        *[Column(str(c.label) if c else _("Not classified"), INT) for c in MARKET_CLASSES],
    ]


def market_values(counts) -> list:
    return [
        counts.total,
        *[counts.by_status.get(status.value, 0) for status in MarketStatus],
        *[counts.by_class.get(c.value if c else UNCLASSIFIED, 0) for c in MARKET_CLASSES],
    ]


def _unit_rows(units, values, unsettled, total_label, city):
    """One row a unit, the row of the records in no unit (when any), and the total row."""
    rows = [[unit.code, unit.name, *values(figures)] for unit, figures in units]
    if unsettled is not None:
        rows.append([None, _("No commune settled yet"), *values(unsettled)])
    return rows, [[None, total_label, *values(city)]]


# ------------------------------------------------------------------ the cover


def _person(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    username = user.get_username() if hasattr(user, "get_username") else str(user)
    return f"{name} ({username})" if name else username


def _moment_text(moment) -> str:
    moment = _local(moment)
    if isinstance(moment, datetime.datetime):
        return date_format(moment, "d/m/Y H:i")
    return _day(moment) if moment else ""


def _publication_name(publication) -> str:
    """How the cover names another publication (the one superseded)."""
    when = getattr(publication, "published_at", None)
    if when is None:
        return str(publication)
    return _("the publication of %(when)s") % {"when": _moment_text(when)}


def publication_text(publication) -> str:
    """The cover's line on the figures: published (when, by whom, superseding which) or not."""
    if publication is None:
        return _("not published: figures computed now")
    text = _("published on %(when)s by %(who)s") % {
        "when": _moment_text(publication.published_at),
        "who": _person(publication.published_by),
    }
    supersedes = getattr(publication, "supersedes", None)
    if supersedes is not None:
        text += ", " + _("supersedes %(previous)s") % {"previous": _publication_name(supersedes)}
    return text


def _cover(book, period, grouping, scope_text, user, generated_at, publication, current_kpi):
    """``current_kpi``: the workbook's KPI over every unit as the KPI endpoint renders it,
    compared with the published one (``reports.changes.kpi_differs``, as the dashboard's
    panel and the API compare them); None over a local account's units, which are not the
    report's figures."""
    sheet = book.create_sheet(sheet_title(_("Cover")))
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 80
    sheet.append([_cell(sheet, _("Report on industrial clusters and markets"), font=TITLE)])
    sheet.append([_cell(sheet, _("Hanoi Department of Industry and Trade"), font=BOLD)])
    sheet.append([])
    rows = [
        (_("Reporting period"), period.label, TEXT),
        (_("Period from"), period.start, DATE),
        (_("Period to"), period.cutoff, DATE),
        (_("Figures at the cut-off date"), period.cutoff, DATE),
        (_("Basis"), _("Circular 14/2024/TT-BCT, amended by Circular 38/2025/TT-BCT"), TEXT),
        (_("Grouped by"), str(grouping_label(grouping, period.cutoff)), TEXT),
        (_("Units covered"), scope_text, TEXT),
        (_("Generated at"), generated_at, DATETIME),
        (_("Generated by"), _person(user), TEXT),
        (_("Status of the figures"), publication_text(publication), TEXT),
    ]
    if publication is not None:
        supersedes = getattr(publication, "supersedes", None)
        rows += [
            (_("Published at"), _local(publication.published_at), DATETIME),
            (_("Published by"), _person(publication.published_by), TEXT),
            (_("Supersedes"), _publication_name(supersedes) if supersedes else None, TEXT),
            (_("Publication note"), getattr(publication, "note", "") or None, TEXT),
        ]
        published = published_kpi(publication)
        if published is not None and current_kpi is not None:
            same = not kpi_differs(published, current_kpi)
            rows += [
                (_("Published: clusters in operation"), published["operating"], INT),
                (_("Published: compliant"), published["compliant"], INT),
                (
                    _("Figures in this workbook"),
                    _("computed now for the cut-off; the same as published")
                    if same
                    else _(
                        "computed now for the cut-off; they differ from the published "
                        "figures (records changed since publication: see the dashboard)"
                    ),
                    TEXT,
                ),
            ]
    for label, value, kind in rows:
        if kind == DATETIME and not isinstance(value, datetime.datetime):
            kind = DATE
        sheet.append([_cell(sheet, label, font=BOLD), _cell(sheet, value, kind)])
    sheet.append([])
    notes = [
        _(
            "Areas, land, capital, tenants and workers are the sums of the values recorded for "
            "the clusters not closed at the cut-off date."
        ),
        _(
            "Occupancy is the leased industrial land divided by the industrial land, over the "
            "clusters where both are recorded."
        ),
        _("Markets are counted by their status and class as recorded today."),
    ]
    sheet.append([_cell(sheet, _("Notes"), font=BOLD), _cell(sheet, notes[0])])
    for note in notes[1:]:
        sheet.append([None, _cell(sheet, note)])
    return sheet


# ------------------------------------------------------------------ the workbook


def report_workbook(period: str, year: int, user, publication=None) -> bytes:
    """The XLSX report of the half-year or the year ``year`` (``period``: ``half_year`` or
    ``year``) over the units ``user`` keeps, figures at the period's cut-off.

    ``publication``: any object with ``published_at``, ``published_by`` (a user),
    ``supersedes`` (another publication or None) and ``note``, named on the cover, and a
    published report's KPI (``published_kpi`` or ``figures``, ``reports.changes``) to
    compare with; without one the cover says the figures are computed now. Raises
    ``ValueError`` for a period that does not exist and ``PermissionDenied`` for an account
    that keeps no unit."""
    report_period = ReportPeriod(period, int(year))
    with translation.override(REPORT_LANGUAGE):
        return _report_workbook(report_period, user, publication)


def _report_workbook(period: ReportPeriod, user, publication) -> bytes:
    as_of = period.cutoff
    grouping = grouping_at(as_of)
    units = units_in_scope(user, grouping)
    if units is not None and not units:
        raise PermissionDenied(
            _("Your account keeps no unit of this period's grouping, so there are no figures.")
        )
    clusters = restrict(IndustrialCluster.objects.all(), user)
    indicators = report_indicators(as_of=as_of, grouping=grouping, units=units, clusters=clusters)
    kpi = wastewater_compliance(as_of=as_of, grouping=grouping, units=units)
    overdue = construction_overdue(
        as_of=as_of, clusters=in_units(clusters, grouping, units), grouping=grouping
    )
    show_markets = user.has_perms(MARKET_FIGURES)
    if units is None:
        scope_text = _("Hanoi (the whole city)")
        total_label = _("Hanoi (total)")
    else:
        scope_text = _("Your units: %(units)s") % {"units": ", ".join(u.name for u in units)}
        total_label = _("Total of your units")
    context = {"period": period.label, "cutoff": _day(as_of)}

    book = Workbook(write_only=True)
    # The published figures are compared with today's only over every unit (the report's).
    current_kpi = render_kpi(kpi) if publication is not None and units is None else None
    _cover(book, period, grouping, scope_text, user, timezone.now(), publication, current_kpi)

    rows, totals = _unit_rows(
        [(row.unit, row.figures) for row in indicators.units],
        indicator_values,
        indicators.unsettled,
        total_label,
        indicators.city,
    )
    _table(
        book,
        _("Indicators"),
        _("Industrial cluster indicators by unit — %(period)s, figures at %(cutoff)s") % context,
        indicator_columns(),
        rows,
        totals,
    )
    rows, totals = _unit_rows(
        [(row.unit, row.figures) for row in kpi.units],
        kpi_values,
        kpi.unsettled,
        total_label,
        kpi.city,
    )
    _table(
        book,
        _("Wastewater KPI"),
        _(
            "Operating clusters whose wastewater treatment meets the regulation, by unit — "
            "%(period)s, figures at %(cutoff)s"
        )
        % context,
        kpi_columns(),
        rows,
        totals,
    )
    for title, heading, items in (
        (
            _("Start overdue"),
            _("Clusters whose construction start is overdue at %(cutoff)s, most overdue first"),
            overdue.start_overdue,
        ),
        (
            _("Completion overdue"),
            _(
                "Clusters whose infrastructure completion is overdue at %(cutoff)s, most "
                "overdue first"
            ),
            overdue.completion_overdue,
        ),
    ):
        _table(
            book,
            title,
            heading % context,
            overdue_columns(),
            [overdue_values(item) for item in items],
        )
    if show_markets:
        stats = market_statistics(
            markets=restrict(Market.objects.all(), user), grouping=grouping, units=units
        )
        rows, totals = _unit_rows(
            stats.units, market_values, stats.unsettled, total_label, stats.city
        )
        _table(
            book,
            _("Markets"),
            _("Markets by unit, by their status and class as recorded today"),
            market_columns(),
            rows,
            totals,
        )
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
