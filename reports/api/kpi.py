"""The KPI endpoint, aware of the published reports.

``/api/v1/stats/wastewater-compliance/`` is served by this subclass of the clusters' view
(``reports.api.urls`` is mounted before ``clusters.api.urls``, so its pattern answers; the
schema documents the first pattern of a path, as Django resolves it). The clusters app knows
nothing of reports (the layers point down); this view adds one field to the same response:

``published``: null, or — when ``as_of`` is the cut-off of a published period, the figures
are grouped as the report is and cover every unit (department scope, no ``unit``) — the
current publication's KPI, who published it and when, whether today's recomputation (the
rest of the response) ``differs``, and the ``changed_records`` since publication that explain
it. One query more at a cut-off (five when it is published), none on any other date.
"""

import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from clusters.api import stats
from reports.changes import compare
from reports.models import PublishedReport
from reports.periods import Period, period_at


class ChangedRecordSerializer(serializers.Serializer):
    model = serializers.ChoiceField(
        choices=["cluster", "inspection", "schedule_extension", "target"],
        help_text="The kind of record changed.",
    )
    code = serializers.CharField(
        help_text="The cluster's code (for an inspection or an extension: its cluster's; for "
        "a target: its year)."
    )
    name = serializers.CharField(help_text="The cluster's name (for a target: its percent).")
    changed_at = serializers.DateTimeField()
    changed_by = serializers.CharField(allow_null=True, help_text="The account that changed it.")
    change = serializers.ChoiceField(choices=["created", "changed", "deleted"])


class PublishedKpiSerializer(serializers.Serializer):
    """The published KPI at this cut-off, beside today's recomputation (the response)."""

    report = serializers.IntegerField(help_text="The report's id (/api/v1/reports/{id}/).")
    period = serializers.ChoiceField(choices=Period.choices)
    year = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    published_by = serializers.CharField()
    figures = stats.ComplianceKpiSerializer(help_text="The KPI as published (frozen).")
    differs = serializers.BooleanField(
        help_text="Whether today's recomputation for the same date (the rest of the response) "
        "differs from the published figures."
    )
    changed_records = ChangedRecordSerializer(
        many=True,
        help_text="Clusters, inspections, schedule extensions and targets (of the report's "
        "year or before) changed after publication, newest first.",
    )


class KpiWithPublishedSerializer(stats.ComplianceKpiSerializer):
    # Schema only: the KPI response with ``published``.
    published = PublishedKpiSerializer(
        allow_null=True,
        help_text="The published report at this cut-off (department scope, the report's "
        "grouping); null otherwise.",
    )


PUBLISHED_DESCRIPTION = """
**Published figures.** At a published cut-off (14 June or 14 December of a published period),
grouped as the report is and over every unit, `published` holds the frozen KPI of the current
publication, labelled with who published it and when; the rest of the response is today's
recomputation for the same date, `differs` says whether they differ, and `changed_records`
names the clusters, inspections, schedule extensions and targets changed since publication.
Otherwise `published` is null.
"""


def published_block(report: PublishedReport, current_kpi: dict) -> dict:
    comparison = compare(report, current_kpi=current_kpi)
    return {
        "report": report.pk,
        "period": report.period,
        "year": report.year,
        # In the local time zone, as /api/v1/reports/ (DRF) writes it.
        "published_at": timezone.localtime(report.published_at).isoformat(),
        "published_by": report.published_by.get_username(),
        "figures": comparison.published_kpi,
        "differs": comparison.differs,
        "changed_records": [record.as_dict() for record in comparison.changed],
    }


def published_report_at(as_of, grouping: str) -> PublishedReport | None:
    """The current publication whose cut-off is ``as_of`` and grouping ``grouping``, with
    its KPI only (``PublishedReportQuerySet.with_kpi``)."""
    period = period_at(as_of)
    if period is None:
        return None
    return (
        PublishedReport.objects.current()
        .filter(period=period[0], year=period[1], grouping=grouping)
        .select_related("published_by")
        .with_kpi()
        .first()
    )


class WastewaterComplianceView(stats.WastewaterComplianceView):
    """The wastewater KPI at ``as_of``, with the published figures at a published cut-off."""

    @extend_schema(
        summary="The wastewater KPI at a date",
        description=stats.KPI_DESCRIPTION + PUBLISHED_DESCRIPTION,
        parameters=[stats.KpiQuerySerializer],
        responses={
            200: OpenApiResponse(
                KpiWithPublishedSerializer,
                description="JSON as below; as CSV a total row (district empty) and one row a "
                "district, nested figures as columns such as by_state.compliant (no "
                "published figures in CSV).",
                examples=[stats.KPI_EXAMPLE],
            )
        },
    )
    def get(self, request):
        return super().get(request)

    def query(self, request) -> dict:
        self._params = super().query(request)
        return self._params

    def respond(self, data: dict):
        if getattr(self.request.accepted_renderer, "format", None) != "csv":
            data["published"] = self.published(data)
        return super().respond(data)

    def published(self, data: dict) -> dict | None:
        # query() ran first (get): its units say whose figures these are.
        if self._params["units"] is not None:
            return None  # one unit, or a local account's units: not the report's figures
        as_of = data["as_of"]
        report = published_report_at(datetime.date.fromisoformat(as_of), data["grouping"])
        if report is None:
            return None
        return published_block(report, current_kpi=data)
