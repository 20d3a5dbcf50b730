"""Open data at ``/open/``: the current published reports, aggregate only, without signing
in — a page, JSON and CSV. Nothing record-level: the KPI city-wide and per unit; no cluster
rows, no overdue lists, no people's names. Throttled per client address (scope ``open``),
cacheable (``ETag``, ``Cache-Control: public``; 304 on ``If-None-Match``)."""

import hashlib

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from clusters.api.stats import ComplianceKpiSerializer, kpi_csv_rows
from registry.api.renderers import CSVRenderer, JSONRenderer
from registry.api.throttling import SlidingWindowRateThrottle
from reports.models import PublishedReport
from reports.periods import Period

MAX_AGE = 300


class OpenRateThrottle(SlidingWindowRateThrottle):
    """Every request to /open/ counted by its client address, signed in or not."""

    scope = "open"

    def get_cache_key(self, request, view):
        return self.key_for(f"addr-{self.get_ident(request)}")


class OpenReportSerializer(serializers.Serializer):
    """A published report's public figures: the KPI city-wide and per reporting unit."""

    id = serializers.IntegerField()
    period = serializers.ChoiceField(choices=Period.choices)
    year = serializers.IntegerField()
    cut_off = serializers.DateField()
    published_on = serializers.DateField()
    current = serializers.BooleanField(
        help_text=_("False when a later publication of the period corrected this one.")
    )
    superseded_by = serializers.IntegerField(
        allow_null=True, help_text=_("The id of the publication that corrected this one.")
    )
    kpi = ComplianceKpiSerializer()


def public(report: PublishedReport) -> dict:
    return {
        "id": report.pk,
        "period": report.period,
        "year": report.year,
        "cut_off": report.cut_off.isoformat(),
        # The day in Hanoi (TIME_ZONE), not in UTC: 01:00 on the 3rd is not the 2nd.
        "published_on": timezone.localdate(report.published_at).isoformat(),
        "current": report.is_current,
        "superseded_by": report.successor_id,
        "kpi": report.published_kpi,
    }


def published_reports():
    """The reports as open data reads them: the KPI only, and the successor's id."""
    return PublishedReport.objects.with_kpi().with_successor()


def current_reports():
    return published_reports().current().order_by("-cut_off")


class OpenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [OpenRateThrottle]

    def etag(self, key: str) -> str:
        return '"' + hashlib.sha256(f"{key}|{get_language()}".encode()).hexdigest()[:32] + '"'

    def cached(self, request, etag: str, make):
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            response = Response(status=304)
        else:
            response = make()
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response


class OpenReportListView(OpenView):
    """The current published reports with their KPI (no sign-in; aggregate only)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Open data: the published reports",
        description="The current publication of each period, aggregate only: the KPI "
        "city-wide and per reporting unit. No sign-in; throttled per address; ETag.",
        responses={
            200: OpenReportSerializer(many=True),
            304: OpenApiResponse(description="Not modified (If-None-Match)."),
            429: OpenApiResponse(description="Too many requests from this address."),
        },
    )
    def get(self, request):
        reports = list(current_reports())
        etag = self.etag(",".join(str(r.pk) for r in reports))
        return self.cached(request, etag, lambda: Response([public(r) for r in reports]))


class OpenReportDetailView(OpenView):
    """One published report's KPI, as JSON or CSV (one row per unit and a city row)."""

    # The format is the path's (.json / .csv): see perform_content_negotiation (the schema
    # names both content types below).
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Open data: one published report",
        description="The KPI city-wide and per reporting unit of a publication (JSON at "
        "`.json`, CSV at `.csv`: a city row and one row per unit). No sign-in.",
        parameters=[
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=["json", "csv"], description="json or csv."
            ),
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The report's id."),
        ],
        responses={
            (200, "application/json"): OpenReportSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="At .csv: a city row and one row per unit."
            ),
            304: OpenApiResponse(description="Not modified (If-None-Match)."),
            404: OpenApiResponse(description="No such report."),
            429: OpenApiResponse(description="Too many requests from this address."),
        },
    )
    def get(self, request, pk: int, fmt: str):
        report = published_reports().filter(pk=pk).first()
        if report is None or fmt not in ("json", "csv"):
            raise Http404
        # A correction published later changes the JSON (``superseded_by``): a new tag.
        etag = self.etag(f"{report.pk}.{report.successor_id}.{fmt}")
        if fmt == "csv":
            request.accepted_renderer = CSVRenderer()
            request.accepted_media_type = CSVRenderer.media_type

            def make():
                response = Response(kpi_csv_rows(report.published_kpi))
                response["Content-Disposition"] = (
                    f'attachment; filename="bao-cao-{report.cut_off.isoformat()}.csv"'
                )
                return response

            return self.cached(request, etag, make)
        return self.cached(request, etag, lambda: Response(public(report)))

    def perform_content_negotiation(self, request, force=False):
        if self.kwargs.get("fmt") == "csv":
            return CSVRenderer(), CSVRenderer.media_type
        return JSONRenderer(), JSONRenderer.media_type


class OpenPageView(OpenView):
    renderer_classes = [TemplateHTMLRenderer]
    template_name = "open/index.html"

    @extend_schema(exclude=True)
    def get(self, request):
        reports = list(current_reports())
        etag = self.etag("page:" + ",".join(str(r.pk) for r in reports))
        rows = [
            public(r)
            | {
                "cut_off_day": r.cut_off.strftime("%d/%m/%Y"),
                "published_day": timezone.localdate(r.published_at).strftime("%d/%m/%Y"),
            }
            for r in reports
        ]
        return self.cached(request, etag, lambda: Response({"reports": rows}))
