"""``/api/v1/deletions/``: the records deleted since a moment, for clients that keep a copy.

A syncing client fetches what changed with ``updated_since`` on each list, and what was
deleted here: one row per deletion recorded by django-simple-history (its ``-`` records), with
the kind of record, its key (code, or id for inspections), its district and when it was deleted.
Each app says which of its models are in the feed (:func:`register`, called from the app's
``api/urls.py``), so this module names no app. A caller sees the deletions of the kinds whose
view permission it holds, in the districts it sees (``registry.scoping``); with none of those
permissions the answer is 403.
"""

from dataclasses import dataclass

from django.db.models import CharField, Expression, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from registry.api.ratelimit import RateLimitHeadersMixin
from registry.api.renderers import CSVRenderer, FormatParameterFirst, JSONRenderer
from registry.models import District
from registry.scoping import visible_districts


@dataclass(frozen=True)
class DeletionSource:
    #: The ``model`` value of the feed's rows, e.g. ``cluster``.
    name: str
    #: The tracked model (its ``history`` manager gives the deletions).
    model: type
    #: The historical field that identifies the record to a client: ``code`` or ``id``.
    key_field: str
    #: An expression, over the historical model, of the record's district id.
    district_id: Expression | str = "district_id"

    @property
    def permission(self) -> str:
        return f"{self.model._meta.app_label}.view_{self.model._meta.model_name}"


SOURCES: dict[str, DeletionSource] = {}


def register(source: DeletionSource) -> None:
    SOURCES[source.name] = source


class DeletionQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False,
        help_text=_(
            "Only deletions at or after this moment (ISO 8601 with its offset, e.g. "
            "2025-12-01T00:00:00+07:00): the deleted_at of the last row of your previous sync."
        ),
    )
    before = serializers.DateTimeField(
        required=False, help_text=_("Only deletions before this moment (ISO 8601).")
    )
    model = serializers.CharField(
        required=False, help_text=_("Only deletions of this kind: cluster, inspection or market.")
    )


class DeletionSerializer(serializers.Serializer):
    model = serializers.CharField(
        source="feed_model", help_text=_("The kind of record: cluster, inspection or market.")
    )
    key = serializers.CharField(
        source="feed_key",
        help_text=_("Its code (clusters, markets) or its id (inspections), as the lists give it."),
    )
    district = serializers.CharField(
        source="district_code", help_text=_("Its district's code when it was deleted.")
    )
    deleted_at = serializers.DateTimeField(help_text=_("When it was deleted."))


class DeletionsView(RateLimitHeadersMixin, ListAPIView):
    """Records deleted, oldest first: the other half of a sync (the lists'
    ``updated_since`` gives what was added or changed). Keep the ``deleted_at`` of the last row
    and ask ``since`` it next time: rows at that very moment come again (the same deletions).
    You see deletions of the kinds of record you may view, in your districts; ``?format=csv``
    gives them all as CSV."""

    serializer_class = DeletionSerializer
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, CSVRenderer]
    content_negotiation_class = FormatParameterFirst
    filter_backends = []
    csv_columns = ["model", "key", "district", "deleted_at"]

    def sources(self, wanted: str | None) -> list[DeletionSource]:
        user = self.request.user
        allowed = [s for s in SOURCES.values() if user.has_perm(s.permission)]
        if not allowed:
            raise PermissionDenied()
        if wanted:
            if wanted not in SOURCES:
                raise ValidationError(
                    {"model": [_("Give one of: %(kinds)s.") % {"kinds": ", ".join(SOURCES)}]}
                )
            allowed = [s for s in allowed if s.name == wanted]
        return allowed

    def get_queryset(self):
        params = DeletionQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        since, before = params.validated_data.get("since"), params.validated_data.get("before")
        districts = visible_districts(self.request.user).values("pk")
        parts = []
        for source in self.sources(params.validated_data.get("model")):
            rows = source.model.history.filter(history_type="-")
            if since:
                rows = rows.filter(history_date__gte=since)
            if before:
                rows = rows.filter(history_date__lt=before)
            district_id = source.district_id
            if isinstance(district_id, str):
                district_id = F(district_id)
            rows = rows.annotate(feed_district_id=district_id).filter(
                feed_district_id__in=districts
            )
            parts.append(
                rows.annotate(
                    feed_model=Value(source.name, output_field=CharField()),
                    feed_key=Cast(source.key_field, CharField()),
                    deleted_at=F("history_date"),
                    district_code=Subquery(
                        District.objects.filter(pk=OuterRef("feed_district_id")).values("code")[:1]
                    ),
                )
                .values("feed_model", "feed_key", "district_code", "deleted_at", "history_id")
                .order_by()
            )
        if not parts:
            return District.objects.none().values()
        first, *rest = parts
        union = first.union(*rest, all=True) if rest else first
        return union.order_by("deleted_at", "feed_model", "history_id")

    @extend_schema(parameters=[DeletionQuerySerializer])
    def get(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) == "csv":
            rows = DeletionSerializer(self.get_queryset(), many=True).data
            response = Response(rows)
            response["Content-Disposition"] = 'attachment; filename="deletions.csv"'
            return response
        return super().get(request, *args, **kwargs)
