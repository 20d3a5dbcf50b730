"""The dated rules of the rules (README) for clusters, as queryset annotations.

Each rule is written once here and evaluated by the database, so lists, filters, ordering,
the KPI, the API and the dashboard all use the same expressions with no query per row.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Expression, F, Q

from clusters.choices import ClusterStatus, InspectionResult, WastewaterState


def evidence_window_days() -> int:
    return settings.REGISTRY["EVIDENCE_WINDOW_DAYS"]


def days_before(day: datetime.date, days: int) -> datetime.date:
    """``day`` − ``days``, clamped to the earliest representable date (no overflow)."""
    if day.toordinal() - days < datetime.date.min.toordinal():
        return datetime.date.min
    return day - datetime.timedelta(days=days)


class DatedClusterRule(Expression):
    """A rule of section 4 about the outer cluster at a date, written as one SQL template.

    The rules are evaluated for every cluster of a list, a filter or the KPI, so their SQL is
    produced directly from a template over the cluster's columns rather than from a tree of
    ``Case`` / ``When`` / ``Subquery`` objects: building and compiling that tree cost more
    than the database's own work on a small query (about 3 ms a request). The columns are
    ordinary resolved ``F()`` references (so aliases, joins and subqueries work as for any
    expression) and the dates are query parameters. The SQL is standard (PostgreSQL and
    SQLite), and ``tests/clusters/test_properties.py`` checks the result against a
    plain-Python statement of the rules.
    """

    #: The cluster fields the template reads, in the order ``sql`` receives them.
    fields: tuple[str, ...] = ()

    def __init__(self, as_of: datetime.date, output_field=None):
        super().__init__(output_field=output_field or models.CharField())
        if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
            # The dates go to the database as they are: a datetime would compare otherwise.
            raise TypeError(f"as_of must be a date, not {type(as_of).__name__}")
        self.as_of = as_of
        self.columns = [F(name) for name in self.fields]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        columns = {}
        for name, column in zip(self.fields, self.columns, strict=True):
            column_sql, column_params = compiler.compile(column)
            if column_params:  # a plain column reference never has parameters
                raise ValueError(f"{name} is not a plain column")
            columns[name] = column_sql
        template, dates = self.sql(columns, connection)
        return template, [connection.ops.adapt_datefield_value(d) for d in dates]

    def sql(self, columns: dict[str, str], connection) -> tuple[str, list[datetime.date]]:
        raise NotImplementedError


def _literal(value: str) -> str:
    """A choice value as an SQL string literal (choice values are lower-case identifiers)."""
    if not value.replace("_", "").isalnum() or not value.islower():
        raise ValueError(f"not a plain choice value: {value!r}")
    return f"'{value}'"


#: The lifecycle stages, latest first, with the field holding each one's date: a cluster's
#: status at a date is the first stage whose date is on or before it ("planned" when none).
STAGES = (
    ("closed_on", ClusterStatus.CLOSED),
    ("operating_since", ClusterStatus.OPERATING),
    ("construction_started_on", ClusterStatus.UNDER_CONSTRUCTION),
    ("established_on", ClusterStatus.ESTABLISHED),
)
STATUS_FIELDS = tuple(field for field, _status in STAGES)


def status_sql(columns: dict[str, str], as_of: datetime.date) -> tuple[str, list]:
    """Cluster status at ``as_of``, as SQL (see ``STAGES``)."""
    whens = " ".join(
        f"WHEN {columns[field]} <= %s THEN {_literal(status)}" for field, status in STAGES
    )
    return (
        f"CASE {whens} ELSE {_literal(ClusterStatus.PLANNED)} END",
        [as_of] * len(STAGES),
    )


def status_is(status: str, as_of: datetime.date) -> Q:
    """The clusters whose status at ``as_of`` is ``status``, as a plain condition on their
    dates (see ``STAGES``): the stage's date is on or before ``as_of`` and no later stage's
    is. Equivalent to filtering the ``status`` annotation, but the database can use the
    columns directly (the KPI's scan is ~10 % faster than through the CASE)."""
    condition = Q()
    for field, stage in STAGES:
        if stage == status:
            return condition & Q(**{f"{field}__lte": as_of})
        condition &= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": as_of})
    if status != ClusterStatus.PLANNED:
        raise ValueError(f"not a cluster status: {status!r}")
    return condition


EVIDENCE_FIELDS = ("pk", "wwtp_operating_since")


def latest_evidence_sql(select: str, columns: dict[str, str], as_of: datetime.date, connection):
    """``select`` (over the alias ``evidence``) from the latest inspection of the outer cluster
    that counts as evidence at ``as_of``, or NULL when there is none.

    Evidence is an inspection dated from the treatment plant's start of operation up to
    ``as_of``; of several on the latest date, a ``fails`` wins. "fails" sorts before "meets"
    (the only two results the database accepts, see ``inspection_result_valid``), so
    ordering by ``result`` puts a fails first; unlike a CASE, the index
    ``inspection_latest_evidence`` (cluster, inspected_on DESC, result, id DESC) then serves
    the order and the row is one index-only probe.
    """
    table = connection.ops.quote_name(_inspection_meta().db_table)
    inspected_on = evidence_column("inspected_on", connection)
    # Names come from the model's metadata and every value is a parameter.
    return (
        f"(SELECT {select} FROM {table} evidence"  # noqa: S608
        f" WHERE {evidence_column('cluster', connection)} = {columns['pk']}"
        f" AND {inspected_on} >= {columns['wwtp_operating_since']} AND {inspected_on} <= %s"
        f" ORDER BY {inspected_on} DESC, {evidence_column('result', connection)} ASC,"
        f" {evidence_column('id', connection)} DESC LIMIT 1)",
        [as_of],
    )


def _inspection_meta():
    return apps.get_model("clusters", "WastewaterInspection")._meta


def evidence_column(field: str, connection) -> str:
    """An inspection column in ``latest_evidence_sql``'s subquery."""
    return "evidence." + connection.ops.quote_name(_inspection_meta().get_field(field).column)


def evidence_stale_before(as_of: datetime.date) -> datetime.date:
    """Evidence inspected before this date is stale at ``as_of`` (the evidence window)."""
    return days_before(as_of, evidence_window_days())


class StatusAt(DatedClusterRule):
    fields = STATUS_FIELDS

    def sql(self, columns, connection):
        return status_sql(columns, self.as_of)


class LatestEvidenceAt(DatedClusterRule):
    """One column of the latest evidence at ``as_of`` (NULL without evidence)."""

    fields = EVIDENCE_FIELDS

    def __init__(self, as_of: datetime.date, field: str, output_field=None):
        self.evidence_field = field
        super().__init__(as_of, output_field=output_field)

    def sql(self, columns, connection):
        column = evidence_column(self.evidence_field, connection)
        return latest_evidence_sql(column, columns, self.as_of, connection)


class WastewaterStateAt(DatedClusterRule):
    """The wastewater state at ``as_of``: the first that holds of not operating; no
    treatment plant in operation; no evidence; evidence older than the window (inspected
    before ``as_of`` − window days); failed; compliant."""

    fields = STATUS_FIELDS + EVIDENCE_FIELDS

    def __init__(self, as_of: datetime.date, *, only_operating: bool = False, output_field=None):
        #: True only when the query keeps nothing but the clusters operating at ``as_of``
        #: (``ClusterQuerySet.operating_with_wastewater_state``): rule 1 then holds for none
        #: and is left out (elsewhere it would call a closed cluster compliant).
        self.only_operating = only_operating
        super().__init__(as_of, output_field=output_field)

    def sql(self, columns, connection):
        as_of = self.as_of
        stale_before = evidence_stale_before(as_of)
        inspected_on = evidence_column("inspected_on", connection)
        result = evidence_column("result", connection)
        # Rules 4–6 are read off the latest evidence inside ONE subquery (one index-only
        # probe per cluster), and rule 3 is its absence.
        evidence, evidence_dates = latest_evidence_sql(
            f"CASE WHEN {inspected_on} < %s THEN {_literal(WastewaterState.STALE_EVIDENCE)}"
            f" WHEN {result} = {_literal(InspectionResult.FAILS)}"
            f" THEN {_literal(WastewaterState.FAILED)}"
            f" ELSE {_literal(WastewaterState.COMPLIANT)} END",
            columns,
            as_of,
            connection,
        )
        wwtp = columns["wwtp_operating_since"]
        not_operating, not_operating_dates = "", []
        if not self.only_operating:
            status, not_operating_dates = status_sql(columns, as_of)
            not_operating = (
                f"WHEN {status} <> {_literal(ClusterStatus.OPERATING)}"
                f" THEN {_literal(WastewaterState.NOT_OPERATING)} "
            )
        return (
            f"CASE {not_operating}WHEN {wwtp} IS NULL OR {wwtp} > %s"
            f" THEN {_literal(WastewaterState.NO_TREATMENT_PLANT)}"
            f" ELSE COALESCE({evidence}, {_literal(WastewaterState.NO_EVIDENCE)}) END",
            [*not_operating_dates, as_of, stale_before, *evidence_dates],
        )


class EvidenceDaysLeftAt(DatedClusterRule):
    """Days from ``as_of`` to the last day the latest evidence still counts (its date +
    the window): 0 when ``as_of`` is that last day, negative when the evidence is already
    stale, NULL without evidence. Read off the same latest evidence and the same window
    boundary as ``WastewaterStateAt``: the evidence is stale exactly when this is < 0."""

    fields = EVIDENCE_FIELDS

    def __init__(self, as_of: datetime.date):
        super().__init__(as_of, output_field=models.IntegerField())

    def sql(self, columns, connection):
        inspected_on = evidence_column("inspected_on", connection)
        if connection.vendor == "sqlite":
            days = f"CAST(julianday({inspected_on}) - julianday(%s) AS INTEGER)"
        else:  # PostgreSQL: date − date is a whole number of days
            days = f"({inspected_on} - CAST(%s AS date))"
        evidence, evidence_dates = latest_evidence_sql(days, columns, self.as_of, connection)
        return evidence, [evidence_stale_before(self.as_of), *evidence_dates]


class ClusterQuerySet(models.QuerySet):
    def with_status(self, as_of: datetime.date):
        """Annotate ``status``: the cluster's lifecycle status at ``as_of``."""
        return self.annotate(status=StatusAt(as_of))

    def operating_at(self, as_of: datetime.date):
        """Clusters in operation at ``as_of`` (the KPI's denominator)."""
        return self.filter(status_is(ClusterStatus.OPERATING, as_of))

    def with_latest_inspection(self, as_of: datetime.date):
        """Annotate the latest inspection that counts as evidence at ``as_of`` (see
        ``latest_evidence_sql``): ``latest_inspected_on``, ``latest_result`` and
        ``latest_standard`` (null when none)."""
        return self.annotate(
            latest_inspected_on=LatestEvidenceAt(as_of, "inspected_on", models.DateField()),
            latest_result=LatestEvidenceAt(as_of, "result"),
            latest_standard=LatestEvidenceAt(as_of, "standard"),
        )

    def with_evidence_days_left(self, as_of: datetime.date):
        """Annotate ``evidence_days_left``: the days until the latest evidence at ``as_of``
        goes stale (see ``EvidenceDaysLeftAt``; negative when stale, null without)."""
        return self.annotate(evidence_days_left=EvidenceDaysLeftAt(as_of))

    def operating_with_wastewater_state(self, as_of: datetime.date):
        """The clusters operating at ``as_of`` (the KPI's denominator), with
        ``wastewater_state`` annotated (never ``not_operating`` here)."""
        return self.operating_at(as_of).annotate(
            wastewater_state=WastewaterStateAt(as_of, only_operating=True)
        )

    def with_wastewater_state(self, as_of: datetime.date):
        """Annotate ``status``, the latest evidence and ``wastewater_state`` at ``as_of``."""
        return (
            self.with_status(as_of)
            .with_latest_inspection(as_of)
            .annotate(wastewater_state=WastewaterStateAt(as_of))
        )
