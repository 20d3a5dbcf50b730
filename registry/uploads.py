"""Reading uploaded spreadsheets within fixed bounds of time and memory, whatever the file claims.

Both readers take the uploaded bytes and return a :class:`tablib.Dataset` (the first row as its
headers), or raise :class:`UnreadableFile` with a message for the user that says what to do.

- **Rows**: at most ``REGISTRY["IMPORT_MAX_ROWS"]`` data rows after the header. Reading stops at
  the first value beyond them (:class:`TooManyRows`); blank rows at the end are not rows.
- **Columns**: at most :data:`MAX_COLUMNS`; a value in a cell further right (or a CSV line with
  more separators than that could need) is refused when it is met, nothing in between is built.
- **Cells**: at most :data:`MAX_CELL_CHARS` characters (Excel's own limit); a longer string is
  refused as it is read, not after.
- **XLSX archives**: at most :data:`MAX_ZIP_MEMBERS` members, checked in the end record before
  the central directory is parsed; each member read is decompressed in chunks and refused past
  :data:`MAX_MEMBER_BYTES` (whatever its header declares); the XML is parsed as a stream by
  expat with document types refused (no entity declarations, so no entity expansion); the
  ``<dimension>`` a sheet claims is ignored.
- **CSV**: UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode text");
  comma, semicolon or tab, told by the header line. Anything else is refused with a message.
"""

import codecs
import csv
import datetime
import io
import posixpath
import re
import struct
import zipfile
from contextlib import contextmanager, suppress
from xml.parsers import expat

import tablib
from django.conf import settings
from django.utils.translation import gettext
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

#: the most columns one import reads
MAX_COLUMNS = 200
#: the longest text one cell may hold (Excel's limit)
MAX_CELL_CHARS = 32767
#: the most members an XLSX archive may have (a workbook written by Excel has a dozen or two)
MAX_ZIP_MEMBERS = 500
#: the most bytes one archive member may decompress to
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: the most strings, and characters in all, of a workbook's shared-string table
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_CHARS = 16 * 1024 * 1024
#: the most cells one import reads (a sheet of 20,000 rows of 25 columns has 500,000)
MAX_CELLS = 1_000_000
#: the most cell styles a workbook may declare
MAX_STYLES = 100_000
#: the most XML elements one worksheet (or another part) may hold, empty cells included: a sheet
#: of 20,000 rows of 25 cells has about 1.0 to 1.5 million
MAX_SHEET_ELEMENTS = 2_000_000
#: the most separators one CSV line may hold (quoted text may hold some too)
MAX_SEPARATORS_PER_LINE = 20_000

CHUNK = 256 * 1024


class UnreadableFile(ValueError):
    """An upload that is not read; its message says why and what to do."""


class TooManyRows(UnreadableFile):
    """A spreadsheet with more rows than one import may have."""


def max_rows() -> int:
    return settings.REGISTRY["IMPORT_MAX_ROWS"]


def max_upload_bytes() -> int:
    return settings.REGISTRY_MAX_UPLOAD_BYTES


def _what_to_do() -> str:
    return gettext(
        "Save the file as “CSV UTF-8 (Comma delimited)” or as an Excel workbook (.xlsx) and "
        "upload it again."
    )


def _too_many_rows() -> TooManyRows:
    return TooManyRows(
        gettext(
            "The file has more than %(limit)s rows; one import may have at most %(limit)s. "
            "Split it into smaller files."
        )
        % {"limit": max_rows()}
    )


def _too_long(where: str) -> UnreadableFile:
    return UnreadableFile(
        gettext("%(where)s holds more than %(limit)s characters, more than a cell may hold.")
        % {"where": where, "limit": MAX_CELL_CHARS}
    )


def _too_wide(where: str) -> UnreadableFile:
    return UnreadableFile(
        gettext(
            "%(where)s is beyond the %(limit)s columns an import reads. Delete the columns "
            "that are not in the template and upload the file again."
        )
        % {"where": where, "limit": MAX_COLUMNS}
    )


def _check_size(data: bytes):
    if len(data) > max_upload_bytes():
        raise UnreadableFile(
            gettext("The file is larger than %(size)s MB, the most one upload may be.")
            % {"size": max_upload_bytes() // (1024 * 1024)}
        )


class _Rows:
    """Rows as they are read: blank rows at the end dropped, at most the row limit kept, at
    most :data:`MAX_CELLS` cells in all."""

    def __init__(self):
        self.headers = None
        self.rows = []
        self.width = 0
        self.cells = 0

    def add(self, number: int, cells):
        """Row ``number`` (1 is the header) with its ``cells``: {column index: value} of the
        cells holding a value (XLSX), or the list of the row's values (CSV)."""
        if number > 1 and number - 1 > max_rows():
            raise _too_many_rows()
        self.cells += len(cells)
        if self.cells > MAX_CELLS:
            raise UnreadableFile(
                gettext(
                    "The file holds more than %(n)s cells, more than an import reads. Keep only "
                    "the columns of the template and upload the file again."
                )
                % {"n": MAX_CELLS}
            )
        if number == 1:
            self.headers = cells
        else:
            while len(self.rows) < number - 2:
                self.rows.append({})
            self.rows.append(cells)
        if cells:
            self.width = max(self.width, len(cells) if isinstance(cells, list) else max(cells) + 1)

    def dataset(self, blank="") -> tablib.Dataset:
        width = self.width
        dataset = tablib.Dataset()
        if width == 0:
            return dataset
        dataset.headers = self._row(self.headers or {}, width, blank)
        for cells in self.rows:
            dataset.append(self._row(cells, width, blank))
        return dataset

    @staticmethod
    def _row(cells, width, blank) -> list:
        if isinstance(cells, list):
            return cells + [blank] * (width - len(cells))
        return [cells.get(col, blank) for col in range(width)]


# -- CSV ----------------------------------------------------------------------------------------

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
SEPARATORS = (",", ";", "\t")
LINE_END = re.compile(r"\r\n|\r|\n")


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            gettext(
                "This file is an Excel workbook, not a CSV file: choose the format “xlsx” and "
                "upload it again."
            )
        )
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(
                gettext("The file says it is UTF-16 text but is not. %(what)s")
                % {"what": _what_to_do()}
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(
            gettext(
                "The file is not UTF-8 text (line %(line)s): it was probably saved as "
                "“CSV (Comma delimited)”, in a Windows code page such as Vietnamese (cp1258), "
                "which would garble Vietnamese letters. %(what)s"
            )
            % {"line": line, "what": _what_to_do()}
        ) from None
    if "\x00" in text:
        raise UnreadableFile(
            gettext("The file holds NUL characters, so it is not a CSV text file. %(what)s")
            % {"what": _what_to_do()}
        )
    return text


def _separator(text: str) -> str:
    """The separator of the header line: whichever of comma, semicolon and tab splits it into
    the most fields (quoted text not counted)."""
    end = text.find("\n")
    first = text[: end if end >= 0 else len(text)][: MAX_COLUMNS * (MAX_CELL_CHARS + 3)]
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {sep: unquoted.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties: the earlier, comma first
    return best if counts[best] else ","


@contextmanager
def _field_size_limit(limit: int):
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_csv(data) -> tablib.Dataset:
    """The rows of a CSV upload (see the module's docstring for the bounds)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    _check_size(data)
    text = _decode(data)
    separator = _separator(text)

    def lines():
        # the text's lines, as slices (not a copy of the whole text, as io.StringIO makes)
        start, number = 0, 0
        for end in LINE_END.finditer(text):
            number += 1
            line = text[start : end.end()]
            if line.count(separator) > MAX_SEPARATORS_PER_LINE:
                raise _too_wide(gettext("Line %(line)s") % {"line": number})
            yield line
            start = end.end()
        if start < len(text):
            line = text[start:]
            if line.count(separator) > MAX_SEPARATORS_PER_LINE:
                raise _too_wide(gettext("Line %(line)s") % {"line": number + 1})
            yield line

    rows = _Rows()
    reader = csv.reader(lines(), delimiter=separator, strict=False)
    number = 0
    header_width = None
    with _field_size_limit(MAX_CELL_CHARS + 1):
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error:
                raise UnreadableFile(
                    gettext(
                        "Line %(line)s could not be read: a value is longer than %(limit)s "
                        "characters or a quote is not closed. %(what)s"
                    )
                    % {"line": reader.line_num, "limit": MAX_CELL_CHARS, "what": _what_to_do()}
                ) from None
            number += 1
            if number == 1:
                if len(fields) > MAX_COLUMNS:
                    raise _too_wide(gettext("The header's column %(n)s") % {"n": MAX_COLUMNS + 1})
                header_width = len(fields)
                rows.add(1, fields)
                continue
            filled = [col for col, value in enumerate(fields) if value.strip()]
            if not filled:
                continue  # a blank row: kept only if a row with values follows
            if filled[-1] >= header_width:
                raise UnreadableFile(
                    gettext(
                        "Row %(row)s has %(cells)s values but the header has only "
                        "%(columns)s columns: a value holding the separator “%(sep)s” must "
                        "be in quotes. %(what)s"
                    )
                    % {
                        "row": number,
                        "cells": filled[-1] + 1,
                        "columns": header_width,
                        "sep": {"\t": "Tab"}.get(separator, separator),
                        "what": _what_to_do(),
                    }
                )
            rows.add(number, fields[:header_width])
    rows.width = max(rows.width, header_width or 0)
    return rows.dataset()


# -- XLSX ---------------------------------------------------------------------------------------

ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _not_a_workbook() -> UnreadableFile:
    return UnreadableFile(
        gettext(
            "The file is not an Excel workbook (.xlsx) that can be read. If it is a CSV file, "
            "choose the format “csv”; otherwise open it in Excel and save it as an Excel "
            "workbook (.xlsx), then upload it again."
        )
    )


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_LOCAL_NAMES = {}


def _local(name: str) -> str:
    """An element's name without its namespace ("uri c" → "c"), remembered for the few
    names a workbook uses."""
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = name.rpartition(" ")[2]
        if len(_LOCAL_NAMES) < 1000:
            _LOCAL_NAMES[name] = local
    return local


#: column letters → index, for the columns a sheet usually has (others are computed)
_COLUMNS = {}
for _index in range(26 * 27):
    _COLUMNS[_column_letters(_index)] = _index
_DIGITS = "0123456789"


def _cell_column_and_row(ref: str) -> tuple[int, int]:
    letters = ref.rstrip(_DIGITS)
    column = _COLUMNS.get(letters)
    if column is None:
        if not (letters.isascii() and letters.isalpha() and len(letters) <= 3):
            raise _not_a_workbook()
        column = _column_index(letters)
    digits = ref[len(letters) :]
    if not digits.isdigit() or len(digits) > 7:
        raise _not_a_workbook()
    return column, int(digits)


class _Archive:
    """An XLSX archive whose members are read in chunks, each within a size bound."""

    def __init__(self, data: bytes):
        if not data.startswith(b"PK"):
            raise _not_a_workbook()
        self._check_end_record(data)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise _not_a_workbook() from None
        self.members = {info.filename: info for info in self.zip.infolist()}

    @staticmethod
    def _check_end_record(data: bytes):
        """The member count from the end-of-central-directory record, before zipfile parses
        the central directory (a forged one could list hundreds of thousands of members)."""
        tail_start = max(0, len(data) - 22 - 65535)
        at = data.rfind(b"PK\x05\x06", tail_start)
        if at < 0 or len(data) - at < 22:
            raise _not_a_workbook()
        _sig, _disk, _cd_disk, _here, total, cd_size, _offset, _comment = struct.unpack(
            "<4s4H2LH", data[at : at + 22]
        )
        if total >= MAX_ZIP_MEMBERS or cd_size > MAX_ZIP_MEMBERS * 1024:
            raise UnreadableFile(
                gettext(
                    "The workbook is made of more parts than an Excel workbook has, so it is "
                    "not read. Open it in Excel, save it as a new workbook (.xlsx) and upload "
                    "it again."
                )
            )

    def has(self, name: str) -> bool:
        return name in self.members

    def chunks(self, name: str):
        info = self.members.get(name)
        if info is None:
            raise _not_a_workbook()
        if info.file_size > MAX_MEMBER_BYTES:
            raise self._too_big()
        read = 0
        try:
            with self.zip.open(info) as member:
                while True:
                    chunk = member.read(CHUNK)
                    if not chunk:
                        return
                    read += len(chunk)
                    if read > MAX_MEMBER_BYTES:  # whatever the header declared
                        raise self._too_big()
                    yield chunk
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError):
            raise _not_a_workbook() from None

    @staticmethod
    def _too_big() -> UnreadableFile:
        return UnreadableFile(
            gettext(
                "A part of the workbook unpacks to more than %(size)s MB, more than an import "
                "may read. Keep only the sheet to import, save it and upload it again."
            )
            % {"size": MAX_MEMBER_BYTES // (1024 * 1024)}
        )


def _too_many_elements() -> UnreadableFile:
    return UnreadableFile(
        gettext(
            "The sheet holds more than %(n)s cells and other parts (formatted empty cells "
            "count too), more than an import reads. Copy only the rows and columns to import "
            "into a new workbook and upload it."
        )
        % {"n": MAX_SHEET_ELEMENTS}
    )


def _refuse_doctype(*_args):
    raise UnreadableFile(
        gettext(
            "The workbook holds XML document type declarations, which are not read. Open it "
            "in Excel, save it as a new workbook (.xlsx) and upload it again."
        )
    )


def _parse(archive: _Archive, name: str, start, end, text=None, counts_itself=False):
    """Stream member ``name`` through expat with the given element handlers."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    elements = 0

    def counted_start(tag, attrs):
        nonlocal elements
        elements += 1
        if elements > MAX_SHEET_ELEMENTS:
            raise _too_many_elements()
        start(tag, attrs)

    # the worksheet reader counts its elements itself (one call less per element)
    parser.StartElementHandler = start if counts_itself else counted_start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in archive.chunks(name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise _not_a_workbook() from None


def _relationships(archive: _Archive, name: str) -> dict:
    """{Id: (type, target path in the archive)} of a part's relationships."""
    folder, base = posixpath.split(name)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    found = {}
    if not archive.has(rels_name):
        return found

    def start(tag, attrs):
        if _local(tag) == "Relationship" and len(found) < MAX_ZIP_MEMBERS:
            target = attrs.get("Target", "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], path)

    _parse(archive, rels_name, start, lambda tag: None)
    return found


class _Workbook:
    def __init__(self, archive: _Archive):
        self.archive = archive
        self.sheets = []  # relationship ids, in order
        self.active = 0
        self.epoch = CALENDAR_WINDOWS_1900
        name = "xl/workbook.xml"
        for _id, (kind, path) in _relationships(archive, "").items():
            if kind == "officeDocument":
                name = path
        if not archive.has(name):
            raise _not_a_workbook()

        def start(tag, attrs):
            local = _local(tag)
            if local == "sheet" and len(self.sheets) < MAX_ZIP_MEMBERS:
                # r:id, whatever the relationships namespace (transitional or strict)
                rel_id = next((v for k, v in attrs.items() if k.endswith(" id")), "")
                self.sheets.append(rel_id)
            elif local == "workbookView":
                try:
                    self.active = max(0, int(attrs.get("activeTab", "0")))
                except ValueError:
                    self.active = 0
            elif local == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904

        _parse(archive, name, start, lambda tag: None)
        self.rels = _relationships(archive, name)
        self.name = name

    def part(self, kind: str, default: str) -> str | None:
        for found_kind, path in self.rels.values():
            if found_kind == kind:
                return path if self.archive.has(path) else None
        return default if self.archive.has(default) else None

    def active_sheet(self) -> str:
        if not self.sheets:
            raise _not_a_workbook()
        rel_id = self.sheets[self.active if self.active < len(self.sheets) else 0]
        kind, path = self.rels.get(rel_id, ("", ""))
        if kind != "worksheet" or not self.archive.has(path):
            raise UnreadableFile(
                gettext(
                    "The workbook's first sheet is not a worksheet of cells. Put the rows to "
                    "import on the first sheet and upload the file again."
                )
            )
        return path


def _unescape(text: str) -> str:
    """Excel writes control characters as ``_xHHHH_`` (openpyxl reads them back the same)."""
    if "_x" not in text:
        return text
    return ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)


def _shared_strings(archive: _Archive, name: str | None) -> list:
    strings = []
    if name is None:
        return strings
    state = {"in_si": False, "in_t": False, "phonetic": 0, "parts": [], "length": 0, "total": 0}

    def start(tag, attrs):
        local = _local(tag)
        if local == "si":
            if len(strings) >= MAX_SHARED_STRINGS:
                raise UnreadableFile(
                    gettext("The workbook holds more than %(n)s different texts.")
                    % {"n": MAX_SHARED_STRINGS}
                )
            state.update(in_si=True, parts=[], length=0)
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and state["in_si"] and not state["phonetic"]:
            state["in_t"] = True

    def end(tag):
        local = _local(tag)
        if local == "si":
            strings.append(_unescape("".join(state["parts"])))
            state.update(in_si=False, parts=[])
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            state["length"] += len(data)
            state["total"] += len(data)
            if state["length"] > MAX_CELL_CHARS:
                raise _too_long(gettext("A text of the workbook"))
            if state["total"] > MAX_SHARED_CHARS:
                raise UnreadableFile(
                    gettext("The workbook's texts hold more than %(n)s characters in all.")
                    % {"n": MAX_SHARED_CHARS}
                )
            state["parts"].append(data)

    _parse(archive, name, start, end, text)
    return strings


def _date_styles(archive: _Archive, name: str | None) -> set:
    """Indexes of the cell styles whose number format shows a date or time."""
    if name is None:
        return set()
    custom = {}
    formats = []
    state = {"in_xfs": False}

    def start(tag, attrs):
        local = _local(tag)
        if local == "numFmt" and len(custom) < MAX_STYLES:
            with suppress(ValueError):
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")[:1000]
        elif local == "cellXfs":
            state["in_xfs"] = True
        elif local == "xf" and state["in_xfs"]:
            if len(formats) >= MAX_STYLES:
                raise _not_a_workbook()
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    def end(tag):
        if _local(tag) == "cellXfs":
            state["in_xfs"] = False

    _parse(archive, name, start, end)
    dates = set()
    for index, fmt_id in enumerate(formats):
        code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General"))
        if is_date_format(code):
            dates.add(index)
    return dates


def _number(text: str):
    try:
        if "." in text or "e" in text or "E" in text:
            return float(text)
        return int(text)
    except ValueError:
        return text


class _SheetReader:
    """One pass over a worksheet's XML, keeping each row's cells that hold a value.

    The handlers are the hot path (one call per element): a cell's address is parsed only when
    the cell turns out to hold a value, so formatted empty cells cost little."""

    def __init__(self, shared, date_styles, epoch):
        self.shared = shared
        self.date_styles = date_styles
        self.epoch = epoch
        self.rows = _Rows()
        self.row_number = 0
        self.row_cells = None
        self.next_column = 0
        self.last_row = 0
        self.elements = 0
        # the current cell: its address, type and style as written, and its value's text
        self.ref = self.kind = self.style = self.value = None
        self.collect = None  # the pieces of text being read (<v>, or an inline string's <t>)
        self.length = 0
        self.inline_parts = None  # the pieces of an inline string (<is>), while in one
        self.phonetic = 0
        self._starts = {
            "c": self._start_cell,
            "row": self._start_row_element,
            "v": self._start_value,
            "is": self._start_inline,
            "t": self._start_text,
            "rPh": self._start_phonetic,
        }
        self._ends = {
            "c": self._end_cell,
            "row": self._end_row,
            "v": self._end_value,
            "is": self._end_inline,
            "t": self._end_text,
            "rPh": self._end_phonetic,
        }
        self._start_of = {}  # element name as expat gives it → handler (None: ignored)
        self._end_of = {}

    # expat handlers: everything else (formulas, extensions, merged cells, the dimension the
    # sheet claims) is ignored
    def start(self, tag, attrs):
        self.elements += 1
        if self.elements > MAX_SHEET_ELEMENTS:
            raise _too_many_elements()
        try:
            handler = self._start_of[tag]
        except KeyError:
            handler = self._handler(self._start_of, self._starts, tag)
        if handler is not None:
            handler(attrs)

    def end(self, tag):
        try:
            handler = self._end_of[tag]
        except KeyError:
            handler = self._handler(self._end_of, self._ends, tag)
        if handler is not None:
            handler()

    def text(self, data):
        if self.collect is not None:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                raise _too_long(self._where())
            self.collect.append(data)

    @staticmethod
    def _handler(cache, handlers, tag):
        handler = handlers.get(_local(tag))
        if len(cache) < 1000:
            cache[tag] = handler
        return handler

    # elements
    def _start_cell(self, attrs):
        self.ref = attrs.get("r")
        self.kind = attrs.get("t")
        self.style = attrs.get("s")
        self.value = None
        self.inline_parts = None

    def _start_row_element(self, attrs):
        ref = attrs.get("r")
        if ref is None:
            number = self.row_number + 1
        elif ref.isdigit() and len(ref) <= 7:
            number = int(ref)
        else:
            raise _not_a_workbook()
        self._start_row(number)

    def _start_value(self, attrs):
        self.collect, self.length = [], 0

    def _start_inline(self, attrs):
        self.inline_parts, self.length = [], 0

    def _start_text(self, attrs):
        if self.inline_parts is not None and not self.phonetic:
            self.collect = self.inline_parts

    def _start_phonetic(self, attrs):
        self.phonetic += 1

    def _end_value(self):
        if self.collect is not None:
            self.value = "".join(self.collect)
            self.collect = None

    def _end_inline(self):
        self.collect = None

    def _end_text(self):
        if self.inline_parts is not None:
            self.collect = None

    def _end_phonetic(self):
        self.phonetic -= 1

    def _end_cell(self):
        if self.inline_parts is not None and self.kind == "inlineStr":
            value = _unescape("".join(self.inline_parts))
        elif self.value is None:
            if self.ref is None:
                self.next_column += 1
            return
        else:
            value = self._typed()
        self.inline_parts = None
        if self.ref is not None:
            column, row = _cell_column_and_row(self.ref)
            if row != self.row_number:
                self._start_row(row)
        else:
            column = self.next_column
        self.next_column = column + 1
        if value is None or value == "":
            return
        if column >= MAX_COLUMNS:
            raise _too_wide(self._where(column))
        if self.row_number - 1 > max_rows():
            raise _too_many_rows()
        if self.row_cells is None:
            self._start_row(self.row_number + 1)
        self.row_cells[column] = value

    # rows
    def _start_row(self, number: int):
        if self.row_cells is not None:
            self._end_row()
        if number < 1 or number <= self.last_row:
            raise _not_a_workbook()  # rows out of order or repeated
        self.row_number = number
        self.row_cells = {}
        self.next_column = 0

    def _end_row(self):
        if self.row_cells is None:
            return
        if self.row_cells:
            self.rows.add(self.row_number, self.row_cells)
        self.last_row = self.row_number
        self.row_cells = None

    def _where(self, column=None) -> str:
        if column is None:
            try:
                column = _cell_column_and_row(self.ref)[0] if self.ref else self.next_column
            except UnreadableFile:
                column = self.next_column
        return gettext("Cell %(cell)s") % {"cell": f"{_column_letters(column)}{self.row_number}"}

    def _typed(self):
        raw, kind = self.value, self.kind
        if kind == "s":
            try:
                return self.shared[int(raw)]
            except (ValueError, IndexError):
                raise _not_a_workbook() from None
        if kind == "str" or kind == "e" or kind == "inlineStr":
            return _unescape(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        number = _number(raw.strip())
        if self.style is not None and self.date_styles and isinstance(number, int | float):
            try:
                if int(self.style) in self.date_styles:
                    return from_excel(number, self.epoch)
            except (ValueError, OverflowError, TypeError):
                return number
        return number


def read_xlsx(data) -> tablib.Dataset:
    """The rows of the active sheet of an XLSX upload (see the module's docstring)."""
    if isinstance(data, str):
        raise _not_a_workbook()
    _check_size(data)
    archive = _Archive(data)
    workbook = _Workbook(archive)
    sheet = workbook.active_sheet()
    shared = _shared_strings(archive, workbook.part("sharedStrings", "xl/sharedStrings.xml"))
    date_styles = _date_styles(archive, workbook.part("styles", "xl/styles.xml"))
    reader = _SheetReader(shared, date_styles, workbook.epoch)
    _parse(archive, sheet, reader.start, reader.end, reader.text, counts_itself=True)
    reader._end_row()
    return reader.rows.dataset(blank=None)
