"""The import template of a resource, generated from the resource's own fields.

Sheet 1: the columns the import reads, headed in the user's language, one example row, and a
drop-down on every column whose values come from a list — the user's districts (or clusters,
markets) by code, and every choice and yes/no column by the labels the import accepts and the
export writes. Sheet 2 lists those codes with their names, and the choices. Sheet 3 says how to
fill the template. Nothing here names a column by hand: a field added to a resource appears in
its template.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext

from registry.spreadsheets import (
    BooleanWidget,
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    ScopedCodeWidget,
)
from registry.workbooks import ListValidation, Sheet, quoted_sheet, sheet_title, workbook_bytes

#: rows of the first sheet covered by the drop-downs
VALIDATION_ROWS = 2000


@dataclasses.dataclass
class ColumnList:
    """The values one column may take: ``values`` are what is written in the cell, ``names``
    (for codes) what they stand for."""

    column: int
    header: str
    values: list[str]
    names: list[str] | None = None
    codes: bool = False


def import_columns(resource) -> list:
    """The resource fields an import reads (not the computed, export-only ones)."""
    return [f for f in resource.get_import_fields() if not f.readonly]


def _records(widget, user):
    return list(widget.choices(user).order_by("code").values_list("code", "name"))


def column_lists(resource, user) -> list[ColumnList]:
    """Every column of the template that takes its values from a list, with that list."""
    lists = []
    for index, field in enumerate(import_columns(resource)):
        widget = field.widget
        header = str(field.column_name)
        if isinstance(widget, ScopedCodeWidget):
            records = _records(widget, user)
            lists.append(
                ColumnList(
                    index,
                    header,
                    [code for code, _name in records],
                    [name for _code, name in records],
                    codes=True,
                )
            )
        elif isinstance(widget, ChoiceWidget):
            lists.append(ColumnList(index, header, [str(label) for _v, label in widget.choices]))
        elif isinstance(widget, BooleanWidget):
            lists.append(ColumnList(index, header, [gettext("yes"), gettext("no")]))
    return lists


def example_row(resource, lists: list[ColumnList]) -> list:
    """One row that the import accepts: the resource's ``template_example`` values, the first
    entry of each list for the other required list columns, typed defaults elsewhere."""
    by_column = {item.column: item for item in lists}
    examples = getattr(resource, "template_example", {})
    model = resource._meta.model
    row = []
    for index, field in enumerate(import_columns(resource)):
        name = field.attribute
        if name in examples:
            value = examples[name]
            if callable(value):
                value = value()
        elif index in by_column:
            item = by_column[index]
            required = _required(model, name)
            value = item.values[0] if item.values and (required or item.codes) else ""
            if isinstance(field.widget, BooleanWidget):
                value = gettext("no")
        elif _required(model, name):
            value = _typed_default(field.widget)
        else:
            value = ""
        row.append(value)
    return row


def _required(model, name) -> bool:
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a model field: not required
        return False
    return not (model_field.blank or model_field.null or model_field.has_default())


def _typed_default(widget):
    if isinstance(widget, DateWidget):
        return datetime.date(2024, 1, 15)
    if isinstance(widget, IntegerWidget):
        return 1
    if isinstance(widget, DecimalWidget):
        return Decimal("1")
    if isinstance(widget, CodeWidget):
        return "VI-DU-1"
    return gettext("example")


def template_headers(resource) -> list[str]:
    return [capfirst(str(f.column_name)) for f in import_columns(resource)]


def template_workbook(resource, user) -> bytes:
    """The XLSX import template of ``resource`` for ``user`` (whose districts it offers)."""
    lists = column_lists(resource, user)
    list_title = sheet_title(gettext("Codes and choices"))
    list_headers = []
    list_columns = []  # the columns of sheet 2, each a list of cell values
    validations = []
    for item in lists:
        letter_index = len(list_columns)
        list_headers.append(item.header)
        list_columns.append(item.values)
        if item.names is not None:
            list_headers.append(capfirst(gettext("name")))
            list_columns.append(item.names)
        source = _range(list_title, letter_index, len(item.values))
        validations.append(
            ListValidation(
                item.column,
                source,
                error=(
                    gettext("Choose a code from the list (sheet “%(sheet)s”).")
                    if item.codes
                    else gettext("Choose a value from the list (sheet “%(sheet)s”).")
                )
                % {"sheet": list_title},
                warning=item.codes,
            )
        )
    depth = max((len(column) for column in list_columns), default=0)
    list_rows = [
        [column[i] if i < len(column) else None for column in list_columns] for i in range(depth)
    ]
    data_title = capfirst(str(resource._meta.model._meta.verbose_name_plural))
    help_title = sheet_title(gettext("How to fill in"))
    help_rows = [
        [gettext("Row 2 is an example: replace it or delete it before importing.")],
        [
            gettext(
                "Districts, clusters and markets are given by code, choices by their label: "
                "the lists are on the sheet “%(sheet)s”."
            )
            % {"sheet": list_title}
        ],
        [gettext("Dates as DD/MM/YYYY; numbers with a point or a decimal comma.")],
    ]
    return workbook_bytes(
        [
            Sheet(
                data_title,
                template_headers(resource),
                [example_row(resource, lists)],
                validations=validations,
                validation_rows=VALIDATION_ROWS,
            ),
            Sheet(list_title, list_headers, list_rows),
            Sheet(help_title, [gettext("How to fill in")], help_rows),
        ]
    )


def _range(title: str, column: int, length: int) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column + 1)
    return f"{quoted_sheet(title)}!${letter}$2:${letter}${max(length, 1) + 1}"
