"""The import preview as a spreadsheet user reads it (``templates/admin/registry/import.html``).

Rows are numbered as the spreadsheet numbers them (the header is row 1, the first record row
2); each error stands in its column's cell, visible without hovering, with a count per column
above the table; blank cells are blank.
"""

import datetime
from collections import Counter

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from import_export.results import RowResult

register = template.Library()

#: the spreadsheet row of the first record (row 1 is the header)
FIRST_ROW = 2


#: the characters of a cell the preview shows (a longer value is cut, with "…")
SHOWN_CHARS = 300


def _shown(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


@register.simple_tag
def invalid_preview(result):
    """``{"summary": [(column, errors)], "rows": [...]}`` for the rows that failed."""
    headers = [str(h) for h in result.diff_headers]
    known = set(headers)
    summary = Counter()
    rows = []
    for invalid in result.invalid_rows:
        errors = invalid.error_dict
        cells = []
        for header, value in zip(headers, invalid.values, strict=False):
            messages = [str(m) for m in errors.get(header, [])]
            summary[header] += len(messages)
            cells.append({"value": _shown(value), "errors": messages})
        other = []
        for key, messages in errors.items():
            if key in known:
                continue
            label = "" if key == NON_FIELD_ERRORS else str(key)
            summary[label] += len(messages)
            other.append({"label": label, "messages": [str(m) for m in messages]})
        rows.append({"number": invalid.number + FIRST_ROW - 1, "cells": cells, "other": other})
    counted = getattr(result, "error_counts", None)
    if counted is not None:  # every invalid row's, not only those shown
        summary = counted
    order = {header: index for index, header in enumerate(headers)}
    columns = sorted(summary.items(), key=lambda item: order.get(item[0], len(order)))
    total = getattr(result, "invalid_count", len(result.invalid_rows))
    return {
        "summary": [(column, count) for column, count in columns if count],
        "rows": rows,
        "total": total,
        "more": max(0, total - len(rows)),
    }


@register.simple_tag
def valid_preview(result):
    """``{"rows": [...], "more": n}``: the rows to be imported that the preview shows (the
    first ones), each with its spreadsheet row number, and how many more the file holds."""
    rows = [
        {"number": index, "row": row}
        for index, row in enumerate(result.valid_rows(), start=FIRST_ROW)
    ]
    total = getattr(result, "valid_count", len(rows))
    return {"rows": rows, "more": max(0, total - len(rows))}


@register.simple_tag
def preview_totals(result):
    totals = result.totals
    return {
        "new": totals[RowResult.IMPORT_TYPE_NEW],
        "update": totals[RowResult.IMPORT_TYPE_UPDATE],
        "skip": totals[RowResult.IMPORT_TYPE_SKIP],
        "delete": totals[RowResult.IMPORT_TYPE_DELETE],
    }
