"""XLSX workbooks written for people: typed cells, readable columns, safe texts.

Used by the admin's export and by the import templates. Numbers are number cells, dates are date
cells shown DD/MM/YYYY, booleans are boolean cells; texts pass through
:func:`registry.csv_safety.neutralise`. The header row is bold and frozen, columns are as wide
as their contents (within bounds), and sheets are named in the user's language.
"""

import dataclasses
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from registry.csv_safety import neutralise

DATE_FORMAT = "DD/MM/YYYY"
MIN_WIDTH = 8
MAX_WIDTH = 60
#: rows looked at to size the columns (a long export is sized by its beginning)
WIDTH_SAMPLE = 500
#: Excel's limit on a sheet's name, and the characters it refuses there
_SHEET_TITLE_MAX = 31
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclasses.dataclass
class ListValidation:
    """A drop-down on ``column`` (0-based) offering the cells of ``source`` (a range formula
    such as ``'Danh mục'!$A$2:$A$31``)."""

    column: int
    source: str
    prompt: str = ""
    error: str = ""
    #: a value outside the list is only warned about (codes: an inactive district's record
    #: may still be updated), not refused as for choices
    warning: bool = False


@dataclasses.dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence]
    validations: Sequence[ListValidation] = ()
    #: rows (1-based data rows) to cover with the validations beyond the written ones
    validation_rows: int = 0


def sheet_title(text: str) -> str:
    """``text`` as Excel accepts it for a sheet's name."""
    title = _SHEET_TITLE_BAD.sub(" ", str(text)).strip().strip("'") or "Sheet"
    return title[:_SHEET_TITLE_MAX]


def quoted_sheet(title: str) -> str:
    """A sheet name as a formula refers to it."""
    return "'" + title.replace("'", "''") + "'"


def file_stem(text: str) -> str:
    """``text`` as an ASCII file name stem: "Cụm công nghiệp" → "cum-cong-nghiep"."""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "export"


def _display_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, bool):
        return 5
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence]) -> list[int]:
    widths = [len(str(h)) + 2 for h in headers]
    for row in rows[:WIDTH_SAMPLE]:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_length(value) + 2)
    return [min(max(width, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _cell(sheet, value):
    """One written cell: typed values as they are, texts neutralised, dates formatted."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return neutralise(str(value))


def _blank(sheet):
    """An empty cell that is written all the same: a write-only sheet has no ``<dimension>``,
    so a reader learns a row's width from its last cell."""
    cell = WriteOnlyCell(sheet, value=None)
    cell.alignment = Alignment(vertical="bottom")  # looks as the default does
    return cell


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The XLSX file of ``sheets`` (written row by row: a long export stays small in memory)."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(sheet_title(spec.title))
        for index, width in enumerate(column_widths(spec.headers, spec.rows), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        last_row = max(len(spec.rows), spec.validation_rows) + 1
        for validation in spec.validations:
            letter = get_column_letter(validation.column + 1)
            rule = DataValidation(
                type="list",
                formula1=validation.source,
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning" if validation.warning else "stop",
                errorTitle=validation.error[:32] or None,
                error=validation.error or None,
                promptTitle=None,
                prompt=validation.prompt or None,
                showInputMessage=bool(validation.prompt),
            )
            rule.add(f"{letter}2:{letter}{last_row}")
            sheet.data_validations.append(rule)
        header = []
        for title in spec.headers:
            cell = WriteOnlyCell(sheet, value=neutralise(str(title)))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        width = len(spec.headers)
        for row in spec.rows:
            cells = [_cell(sheet, value) for value in row]
            if len(cells) == width and width and cells[-1] is None:
                cells[-1] = _blank(sheet)
            sheet.append(cells)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
