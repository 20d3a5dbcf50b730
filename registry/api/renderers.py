"""The API's renderers.

JSON (:class:`JSONRenderer`): DRF's output, encoded by orjson. CSV for list endpoints: UTF-8
with a byte-order mark so that Excel shows Vietnamese correctly, streamed row by row so a large
list never sits in memory. A text a spreadsheet would run as a formula is neutralised
(:mod:`registry.csv_safety`)."""

import csv
import re
from collections.abc import Iterable, Iterator

import orjson
from django.http import Http404, StreamingHttpResponse
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

from registry.csv_safety import neutralise

BOM = "\ufeff"


class _Line:
    """A file-like object whose ``write`` returns the line instead of storing it."""

    def write(self, value):
        return value


def _columns(serializer: serializers.Serializer, prefix: str = "") -> list[str]:
    """The CSV columns of a serializer: nested objects become ``parent.child`` columns."""
    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            columns.extend(_columns(field, f"{prefix}{name}."))
        else:
            columns.append(f"{prefix}{name}")
    return columns


def _flatten(data, prefix: str = "") -> dict:
    flat = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return neutralise(str(value))


def csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """The BOM, the header and one line per row (each row a possibly nested dict)."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(columns)
    for row in rows:
        flat = _flatten(row)
        yield writer.writerow([_cell(flat.get(column)) for column in columns])


def streaming_csv_response(serializer, queryset, filename: str) -> StreamingHttpResponse:
    """Stream ``queryset`` through ``serializer`` (an unbound serializer instance) as CSV."""
    columns = _columns(serializer)
    rows = (serializer.to_representation(obj) for obj in queryset.iterator(chunk_size=1000))
    response = StreamingHttpResponse(
        csv_lines(columns, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


NON_STR_KEYS = orjson.OPT_NON_STR_KEYS
#: U+2028 and U+2029 in UTF-8 (one pass over the output: 0.2 ms for 880 KB).
LINE_SEPARATORS = re.compile(b"\xe2\x80[\xa8\xa9]")


class JSONRenderer(BaseRenderer):
    """JSON exactly as DRF's ``JSONRenderer`` writes it with the project's settings (compact,
    UTF-8, U+2028 and U+2029 escaped; dates, decimals and lazy texts by DRF's encoder), but
    encoded by orjson: the KPI by the country's 3,321 communes is ~880 KB, which the standard
    library's encoder took 11 ms to write and orjson writes in under 1 ms (BENCHMARKS.md).
    ``Accept: application/json; indent=N`` is honoured (orjson indents by 2)."""

    media_type = "application/json"
    format = "json"
    charset = None
    # Datetimes go to DRF's encoder (its format, not orjson's).
    options = orjson.OPT_PASSTHROUGH_DATETIME
    _default = JSONEncoder().default

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        options = self.options
        if accepted_media_type and "indent=" in accepted_media_type:
            options |= orjson.OPT_INDENT_2
        try:
            out = orjson.dumps(data, default=self._default, option=options)
        except TypeError:
            # A key that is not text (the standard library writes it as text): orjson's
            # option for it slows every response down, so it is only used when needed.
            out = orjson.dumps(data, default=self._default, option=options | NON_STR_KEYS)
        # As DRF does: these two are valid JSON but end a line in JavaScript.
        if LINE_SEPARATORS.search(out):
            out = out.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return out


class CSVRenderer(BaseRenderer):
    """Declares ``?format=csv`` to content negotiation; lists are streamed by the view
    (see :class:`registry.api.viewsets.CSVListMixin`), this renders anything else."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data if isinstance(data, list) else [data]
        # A view may name its columns (a header even when there are no rows).
        view = (renderer_context or {}).get("view")
        columns: list[str] = list(getattr(view, "csv_columns", None) or [])
        for row in rows:
            for column in _flatten(row):
                if column not in columns:
                    columns.append(column)
        return "".join(csv_lines(columns, rows)).encode("utf-8")


class FormatParameterFirst(DefaultContentNegotiation):
    """``?format=csv`` is an explicit choice: it wins over the ``Accept`` header (a client
    that always sends ``Accept: application/json`` still gets its CSV)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        format_ = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if format_:
            try:
                renderer = self.filter_renderers(renderers, format_)[0]
            except Http404:
                # The address exists; the format does not: 406 with the formats it has.
                raise NotAcceptable(
                    _(
                        "This address does not answer in the format “%(format)s”; "
                        "it answers in %(formats)s."
                    )
                    % {"format": format_, "formats": ", ".join(r.format for r in renderers)}
                ) from None
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
