"""The declarative ViewSet every app's API is built from (NetBox-style).

A ViewSet names its ``queryset``, ``serializer_class`` and ``filterset_class``; this base adds
what every endpoint of the API (README) promises:

- reads and writes scoped to the caller's districts by :func:`registry.scoping.restrict`
  (another district's record is a 404) and :func:`registry.scoping.can_keep`
  (writing a record into a district the caller does not keep is a 403);
- ``?format=csv`` on lists, streamed, UTF-8 with a BOM;
- ``ETag`` (the record's ``version``) on detail responses, ``If-Match`` honoured on PUT, PATCH
  and DELETE: a stale version gets 412;
- errors always JSON, even when CSV was asked for; a malformed body (JSON nested too deeply)
  or lookup (a NUL in a code) is a 400 or 404, never a 500.
"""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status, viewsets
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied
from rest_framework.response import Response

from registry.api.exceptions import PreconditionFailed
from registry.api.parsers import BoundedJSONParser
from registry.api.permissions import ModelPermissions
from registry.api.ratelimit import RateLimitHeadersMixin
from registry.api.renderers import (
    CSVRenderer,
    FormatParameterFirst,
    JSONRenderer,
    streaming_csv_response,
)
from registry.api.serializers import AsOfQuerySerializer
from registry.dates import today
from registry.scoping import can_keep, restrict


def with_warnings(data, instance):
    """A write's answer: the record, plus ``warnings`` — the soft rules of the model
    (``instance.warnings``: accepted, but to double-check) — when the model has them."""
    if not hasattr(type(instance), "warnings"):
        return data
    return {**data, "warnings": [str(message) for message in instance.warnings]}


def as_of_from(request) -> datetime.date:
    """``?as_of=`` of the request (400 with a clear message when it is not a date), or today."""
    params = AsOfQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data.get("as_of") or today()


def etag_for(instance) -> str:
    return f'"{instance.version}"'


def parse_if_match(header: str) -> set[str] | None:
    """The versions an ``If-Match`` header accepts; None for ``*`` (any)."""
    tags = set()
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return None
        tags.add(tag.removeprefix("W/").strip('"'))
    return tags


class RegistryViewSet(RateLimitHeadersMixin, viewsets.ModelViewSet):
    permission_classes = [ModelPermissions]
    renderer_classes = [JSONRenderer, CSVRenderer]
    parser_classes = [BoundedJSONParser]
    content_negotiation_class = FormatParameterFirst
    #: The CSV file name of the list, without extension.
    csv_name = "export"

    # -- reads ---------------------------------------------------------------------------------

    def annotate(self, queryset):
        """Hook: joins and computed annotations the serializer needs (one query for a page)."""
        return queryset

    def get_queryset(self):
        queryset = self.annotate(self.queryset.all())
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return restrict(queryset, self.request.user)

    def get_object(self):
        # No code or id contains a NUL (and PostgreSQL refuses to compare text with one).
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if isinstance(lookup, str) and "\x00" in lookup:
            raise Http404
        return super().get_object()

    def check_permissions(self, request):
        # A method this address never serves is a 405 whoever asks, not a 403.
        method = request.method.lower()
        if method != "options" and (
            method not in self.http_method_names or getattr(self, "action", None) is None
        ):
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)

    def get_renderers(self):
        if getattr(self, "action", None) != "list":
            return [JSONRenderer()]
        return super().get_renderers()

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            serializer = self.get_serializer_class()(context=self.get_serializer_context())
            return streaming_csv_response(serializer, queryset, f"{self.csv_name}.csv")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        if hasattr(instance, "version"):  # versioned records (not the district reference)
            response["ETag"] = etag_for(instance)
        return response

    # -- writes --------------------------------------------------------------------------------

    def expected_version(self, instance) -> int | None:
        """The version ``If-Match`` requires (412 when it is not the stored one)."""
        header = self.request.headers.get("If-Match")
        if not header:
            return None
        accepted = parse_if_match(header)
        if accepted is None:
            return None
        if str(instance.version) not in accepted:
            raise PreconditionFailed()
        return instance.version

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["expected_version"] = getattr(self, "_expected_version", None)
        return context

    def district_of(self, attrs: dict, instance=None, path=None):
        """The district a record will belong to, after the write (``DISTRICT_PATH``; or
        the unit at ``path``)."""
        first, *rest = (path or self.queryset.model.DISTRICT_PATH).split("__")
        obj = attrs[first] if first in attrs else getattr(instance, first, None)
        for part in rest:
            obj = getattr(obj, part, None) if obj is not None else None
        return obj

    def check_write_scope(self, serializer):
        district = self.district_of(serializer.validated_data, serializer.instance)
        commune_path = getattr(self.queryset.model, "COMMUNE_PATH", None)
        commune = (
            self.district_of(serializer.validated_data, serializer.instance, commune_path)
            if commune_path
            else None
        )
        if not can_keep(self.request.user, district, commune):
            raise PermissionDenied(
                _(
                    "You may only keep records of your own districts; %(district)s is not one "
                    "of them."
                )
                % {"district": district}
            )

    def refetched(self, instance):
        """The saved record again, with its annotations (status etc. may have changed)."""
        return self.annotate(self.queryset.all()).get(pk=instance.pk)

    def perform_create(self, serializer):
        self.check_write_scope(serializer)
        serializer.save()
        serializer.instance = self.refetched(serializer.instance)

    def perform_update(self, serializer):
        self.check_write_scope(serializer)
        serializer.save()
        serializer.instance = self.refetched(serializer.instance)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        response = Response(
            with_warnings(serializer.data, serializer.instance),
            status=status.HTTP_201_CREATED,
            headers=self.get_success_headers(serializer.data),
        )
        response["ETag"] = etag_for(serializer.instance)
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        # A stale If-Match is refused before the body is even looked at.
        self._expected_version = self.expected_version(instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        response = Response(with_warnings(serializer.data, serializer.instance))
        response["ETag"] = etag_for(serializer.instance)
        return response

    def perform_destroy(self, instance):
        expected = self.expected_version(instance)
        if expected is None:
            instance.delete()
        else:
            instance.delete_if_unchanged(expected)  # StaleVersionError → 412
