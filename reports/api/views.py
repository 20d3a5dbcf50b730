"""``/api/v1/reports/``: the published reports; POST publishes a period (department staff).

Reads need the clusters' view permission (the reports are the KPI's figures, as the stats
endpoints need it). A report's figures are aggregate and shown whole, except what names a
cluster: local staff see the cluster rows and the overdue items of the clusters they see
(``registry.scoping.restrict``). There is no PUT, PATCH or DELETE: a report never changes.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ParseError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from clusters.models import IndustrialCluster
from registry.api.parsers import BoundedJSONParser
from registry.api.ratelimit import RateLimitHeadersMixin
from registry.api.renderers import JSONRenderer
from registry.scoping import can_access_all_districts, restrict
from reports.api.serializers import (
    PublishRequestSerializer,
    ReportDetailSerializer,
    ReportSerializer,
)
from reports.models import PublishedReport
from reports.services import can_publish, publish

READ_PERMISSIONS = ["clusters.view_industrialcluster"]
OVERDUE_LISTS = ("results", "start_overdue", "completion_overdue")


class ReportPermissions(BasePermission):
    """Reads: the clusters' view permission; publishing: department staff."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method == "POST":
            return can_publish(user)
        return user.has_perms(READ_PERMISSIONS)


def narrower_for(user):
    """A function giving a report's figures as ``user`` may see them: whole for an
    account that sees every unit; else the cluster rows and overdue items narrowed to the
    clusters ``user`` sees (one query, made once)."""
    if can_access_all_districts(user):
        return lambda figures: figures
    codes = set(restrict(IndustrialCluster.objects.all(), user).values_list("code", flat=True))

    def narrow(figures: dict) -> dict:
        overdue = dict(figures["overdue"])
        for name in OVERDUE_LISTS:
            overdue[name] = [item for item in overdue[name] if item["code"] in codes]
        overdue["count"] = len(overdue["results"])
        clusters = [row for row in figures["clusters"] if row["code"] in codes]
        return {**figures, "overdue": overdue, "clusters": clusters}

    return narrow


class ReportViewSet(
    RateLimitHeadersMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The published reports (chốt số liệu), newest cut-off first."""

    queryset = PublishedReport.objects.with_people()
    permission_classes = [ReportPermissions]
    renderer_classes = [JSONRenderer]
    parser_classes = [BoundedJSONParser]
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.defer("figures")
        return queryset

    def get_serializer_class(self):
        return ReportSerializer if self.action == "list" else ReportDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action != "list":
            context["narrow_figures"] = narrower_for(self.request.user)
        return context

    @extend_schema(
        summary="The published reports",
        description="Every publication, newest cut-off first; `current` is false for a "
        "publication corrected by a later one (`superseded_by`). Both stay readable.",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A published report and its frozen figures",
        description="The figures frozen at the cut-off: the KPI city-wide and per reporting "
        "unit, the construction-overdue lists, the market counts and one row per cluster "
        "(local accounts: the clusters of their units). They never change; a correction is a "
        "new publication that supersedes this one.",
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Publish a period's figures",
        description="Department staff only. Freezes the figures of the half-year (cut-off 14 "
        "June) or the year (cut-off 14 December) over every unit, grouped by the reporting "
        "level at the cut-off. A cut-off after today cannot be published. Publishing a "
        "period again corrects it: the new publication supersedes the current one and needs "
        "a `note` saying why.",
        request=PublishRequestSerializer,
        responses={201: OpenApiResponse(ReportDetailSerializer, description="Published.")},
    )
    def create(self, request, *args, **kwargs):
        body = request.data
        if not isinstance(body, dict):
            raise ParseError(_("Send a JSON object with period, year and (for a correction) note."))
        report = publish(body.get("period"), body.get("year"), request.user, body.get("note"))
        report = self.get_queryset().get(pk=report.pk)
        data = self.get_serializer(report).data
        location = reverse("api:report-detail", args=[report.pk])
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})
