"""Fuzzing the spreadsheet imports (issue 7, item 3): hypothesis writes files of random rows —
strings, numbers, dates in odd formats, empty and huge cells, unicode, formulas — as CSV and
XLSX, and the cluster, inspection and market resources import them as the admin does
(the admin's formats' bounded ``create_dataset``, then ``import_data`` all-or-nothing).

Whatever the file holds: no row raises an unhandled exception, a file with an invalid row
saves nothing, and every invalid row is reported on its own with readable messages.

And (issue 14, "Also") the admin's import endpoints are sent generated spreadsheets: CSV files
in every dialect and encoding a spreadsheet program writes (and some it does not), and XLSX
archives of generated shapes — cells anywhere up to XFD1048576, every cell type, shared and
inline strings, claimed dimensions, broken XML and truncated archives. No 500; a file that is
not previewed for confirmation always carries a message.
"""

import codecs
import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters.models import IndustrialCluster, WastewaterInspection
from clusters.resources import ClusterResource, InspectionResource
from markets.models import Market
from markets.resources import MarketResource
from registry.spreadsheets import CSV, XLSX
from tests.factories import ClusterFactory, UserFactory, district

pytestmark = pytest.mark.django_db

EXAMPLES = 60

# -- cells -------------------------------------------------------------------------------------

ODD_DATE_FORMATS = [
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d %B %Y",
    "%Y%m%d",
    "%d/%m/%y",
    "%Y-%m-%dT%H:%M:%S",
]
dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
odd_dates = st.builds(lambda d, fmt: d.strftime(fmt), dates, st.sampled_from(ODD_DATE_FORMATS))
impossible_dates = st.sampled_from(
    ["31/02/2020", "2020-13-01", "00/00/0000", "29/02/2021", "2020-02-30", "32.01.2020"]
)
numbers_as_text = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers().map(str),
    st.sampled_from(["1e999", "-0", "0,5", "1.234,5", "1 000", "١٢٣", "Ⅻ", "0x1F", "∞", "NaN"]),
)
formulas = st.sampled_from(
    [
        "=1+1",
        "=SUM(A1:A9)",
        '=HYPERLINK("http://example.invalid","x")',
        "@SUM(1)",
        "+1+1",
        "-2+3",
        "=cmd|' /C calc'!A0",
        "=1/0",
    ]
)
known_words = st.sampled_from(
    [
        "017",
        "17",
        "281",
        "999",
        "CCN-FUZZ",
        "ccn-fuzz",
        "có",
        "không",
        "yes",
        "x",
        "meets",
        "fails",
        "Đạt quy chuẩn",
        "qcvn40_2011_b",
        "operating",
        "Đang hoạt động",
        "1",
        "3",
        "permanent",
        "state_budget",
    ]
)
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
huge = st.integers(min_value=256, max_value=5000).map(lambda n: "Ư" * n)

#: A cell as a user's spreadsheet may hold it; None is an empty cell.
cells = st.one_of(
    st.none(),
    st.just(""),
    st.just("   "),
    texts,
    huge,
    numbers_as_text,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.booleans(),
    dates,
    odd_dates,
    impossible_dates,
    formulas,
    known_words,
)


# -- files -------------------------------------------------------------------------------------


def xlsx_safe(value):
    """What a spreadsheet program could store in a cell (XLSX forbids control characters)."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)[:32767]
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        return str(value)  # XLSX has no NaN/infinity cell
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return str(value)  # beyond a spreadsheet number's precision
    return value


def as_csv(headers, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    # What the admin reads: the bytes decoded as UTF-8 (a NUL byte cannot come from a text file
    # saved by a spreadsheet program, and Python's csv module refuses it before any resource).
    return out.getvalue().replace("\x00", "")


def as_xlsx(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([xlsx_safe(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dataset_of(kind: str, headers, rows):
    if kind == "csv":
        return CSV().create_dataset(as_csv(headers, rows))
    return XLSX().create_dataset(as_xlsx(headers, rows))


# -- what is imported ---------------------------------------------------------------------------

VALID = {
    "cluster": {
        "code": "CCN-FUZZ-{n}",
        "name": "Cụm thử {n}",
        "district": "017",
        "area_ha": "12.5",
        "established_on": "2015-01-01",
        "wwtp_automatic_monitoring": "không",
    },
    "inspection": {
        "cluster": "CCN-FUZZ-BASE",
        "inspected_on": "2024-05-10",
        "result": "meets",
        "standard": "qcvn40_2011_b",
        "agency": "Sở Tài nguyên và Môi trường Hà Nội",
        "reference": "KQ-{n}",
    },
    "market": {
        "code": "CHO-FUZZ-{n}",
        "name": "Chợ thử {n}",
        "district": "017",
        "kind": "peoples",
        "construction": "permanent",
        "capital": "state_budget",
        "business_points": "120",
        "area_m2": "3200",
        "status": "operating",
    },
}
RESOURCES = {
    "cluster": (ClusterResource, IndustrialCluster),
    "inspection": (InspectionResource, WastewaterInspection),
    "market": (MarketResource, Market),
}


@st.composite
def spreadsheets(draw, kind: str):
    """Headers (the resource's field names, as the template's aliases accept) and rows: each
    row starts valid and has some of its cells replaced by random ones, or none."""
    resource_class, _model = RESOURCES[kind]
    headers = [
        name
        for name, field in resource_class().fields.items()
        if not field.readonly and name not in ("status_today", "wastewater_state")
    ]
    if draw(st.booleans()):  # sometimes shuffled columns, some of them (even keys) left out
        headers = draw(st.permutations(headers))[: draw(st.integers(1, len(headers)))]
    rows = []
    for n in range(draw(st.integers(min_value=1, max_value=6))):
        row = {
            name: VALID[kind].get(name, "").format(n=n) if name in VALID[kind] else None
            for name in headers
        }
        for name in draw(st.lists(st.sampled_from(headers), max_size=4, unique=True)):
            row[name] = draw(cells)
        rows.append([row[name] for name in headers])
    return headers, rows


@pytest.fixture
def dong_anh_staff(db):
    user = UserFactory(username="fuzz-import", districts=[district("017")])
    ClusterFactory(code="CCN-FUZZ-BASE", district=district("017"))
    return user


def counts() -> dict:
    return {model.__name__: model.objects.count() for _, model in RESOURCES.values()}


def deliberate(error) -> bool:
    """A row error raised on purpose by a widget of registry.spreadsheets (a cell refused)."""
    last_frame = [line for line in error.traceback.splitlines() if line.strip().startswith("File")]
    return (
        type(error.error) is ValueError
        and bool(last_frame)
        and "registry/spreadsheets.py" in last_frame[-1]
    )


def check_import(user, kind: str, file_kind: str, headers, rows):
    resource_class, model = RESOURCES[kind]
    dataset = dataset_of(file_kind, headers, rows)
    before = counts()
    with transaction.atomic():
        result = resource_class(user=user).import_data(
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        after = counts()
        transaction.set_rollback(True)  # each example starts from the same records

    # No unhandled exception. import-export turns any exception into a row error; the only
    # deliberate ones are the project's widgets refusing a cell (a ValueError with a message,
    # shown per row as "Dòng số: N - ...", e.g. an unknown cluster code in an id column).
    crashes = [
        f"row {number}: {error.error!r}\n{error.traceback}"
        for number, errors in result.row_errors()
        for error in errors
        if not deliberate(error)
    ] + [f"{error.error!r}\n{error.traceback}" for error in result.base_errors]
    assert not crashes, "\n".join(crashes)
    refused = {number for number, _errors in result.row_errors()}
    for number, errors in result.row_errors():
        assert 1 <= number <= len(rows)
        assert all(str(error.error).strip() for error in errors)

    invalid = result.invalid_rows
    if invalid or refused:
        assert after == before, "a file with an invalid row saved something"
        numbers = [row.number for row in invalid]
        assert len(numbers) == len(set(numbers)), "a row reported twice"
        assert all(1 <= number <= len(rows) for number in numbers)
        for row in invalid:
            messages = [m for field in row.error_dict.values() for m in field]
            assert messages, f"row {row.number} invalid without a message"
            for message in messages:
                assert str(message).strip() and "Traceback" not in str(message)
    else:
        saved = after[model.__name__] - before[model.__name__]
        assert 0 <= saved <= len(rows)
        # every row read is accounted for (blank rows at the end of a file are not rows)
        totals = result.totals["new"] + result.totals["update"] + result.totals["skip"]
        assert totals == len(dataset) <= len(rows)
    return "refused" if invalid or refused else "saved"


@pytest.mark.parametrize("file_kind", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["cluster", "inspection", "market"])
def test_random_spreadsheets_never_crash_and_bad_files_save_nothing(
    dong_anh_staff, kind, file_kind
):
    @given(sheet=spreadsheets(kind))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    def fuzz(sheet):
        headers, rows = sheet
        outcomes.add(check_import(dong_anh_staff, kind, file_kind, headers, rows))

    outcomes = set()
    fuzz()
    assert outcomes == {"saved", "refused"}  # both paths were exercised


@pytest.mark.parametrize("file_kind", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["cluster", "inspection", "market"])
def test_unmodified_rows_are_valid_and_saved(dong_anh_staff, kind, file_kind):
    """The generator's rows before their cells are replaced are valid, so the property above
    also exercises files that are saved."""
    resource_class, model = RESOURCES[kind]
    headers = list(VALID[kind])
    rows = [[VALID[kind][name].format(n=n) for name in headers] for n in range(3)]
    before = model.objects.count()
    result = resource_class(user=dong_anh_staff).import_data(
        dataset_of(file_kind, headers, rows), dry_run=False, raise_errors=False
    )
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.error_dict) for row in result.invalid_rows
    ]
    assert model.objects.count() == before + 3


@pytest.mark.parametrize("file_kind", ["csv", "xlsx"])
def test_file_without_its_key_column_is_refused_row_by_row(dong_anh_staff, file_kind):
    """Found by this fuzz test: such a file ended in import-export's FieldError and a
    traceback on the admin page."""
    headers, rows = ["name"], [["Cụm không mã"], ["Cụm khác"]]
    assert check_import(dong_anh_staff, "cluster", file_kind, headers, rows) == "refused"


# -- the admin's import endpoints, sent generated files (issue 14) -----------------------------

ENDPOINT = "/admin/clusters/industrialcluster/import/"
#: what the import page shows when it refuses a file or rows: a form error, the import's
#: row errors, or its validation errors
REFUSAL_MARKERS = (
    "errorlist",
    "import-error",
    "validation-error",
    'class="errors"',
    'class="cell-error"',  # the preview shows each row error in its cell
    'class="error-summary"',
)

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-sig": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be", "surrogatepass"),
    "utf-16-no-bom": lambda text: text.encode("utf-16-le", "surrogatepass"),
    "cp1258": lambda text: text.encode("cp1258", "replace"),
    "latin-1": lambda text: text.encode("latin-1", "replace"),
}


@st.composite
def csv_files(draw):
    """A cluster file in a generated dialect: separator, quoting, line ending, encoding, and
    rows valid or not, short or long, sometimes with a stray separator or an open quote."""
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    ending = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    if draw(st.integers(0, 2)) == 0:  # a valid file, so that the dialect alone is tested
        headers = list(VALID["cluster"])
        rows = [[VALID["cluster"][name].format(n=n) for name in headers] for n in range(3)]
    else:
        headers, rows = draw(spreadsheets("cluster"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, quoting=quoting, lineterminator=ending)
    writer.writerow(headers)
    for row in rows:
        cells = ["" if value is None else str(value) for value in row]
        if draw(st.integers(0, 9)) == 0:
            cells.append(draw(st.sampled_from(["extra", "", separator * 3])))
        writer.writerow(cells)
    text = out.getvalue()
    if draw(st.integers(0, 14)) == 0:
        text += '"an open quote' + ending
    if draw(st.integers(0, 14)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return ENCODINGS[draw(st.sampled_from(sorted(ENCODINGS)))](text)


CELL_TYPES = ["s", "inlineStr", "n", "b", "d", "e", "str", None, "bogus"]


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def xml_text(value: str) -> str:
    value = "".join(ch for ch in value if ch in "\t\n\r" or 32 <= ord(ch) < 0xD800)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def xlsx_files(draw):
    """An XLSX archive written by hand in a generated shape."""
    from tests.registry.test_uploads import MAIN, workbook

    shared = [xml_text(t) for t in draw(st.lists(texts, max_size=5))]
    header = "".join(
        f'<c r="{column_letters(n)}1" t="inlineStr"><is><t>{xml_text(name)}</t></is></c>'
        for n, name in enumerate(["code", "name", "district"])
    )
    rows = [f'<row r="1">{header}</row>']
    row_numbers = sorted(
        set(
            draw(
                st.lists(
                    st.one_of(st.integers(2, 30), st.integers(2, 1_048_576)),
                    max_size=8,
                )
            )
        )
    )
    for number in row_numbers:
        cells = []
        columns = sorted(
            set(draw(st.lists(st.one_of(st.integers(0, 5), st.integers(0, 16383)), max_size=5)))
        )
        for column in columns:
            kind = draw(st.sampled_from(CELL_TYPES))
            ref = f"{column_letters(column)}{number}" if draw(st.booleans()) else None
            attrs = (f' r="{ref}"' if ref else "") + (f' t="{kind}"' if kind else "")
            attrs += draw(st.sampled_from(["", ' s="0"', ' s="99"', ' s="x"']))
            if kind == "inlineStr":
                body = f"<is><t>{xml_text(draw(st.one_of(texts, huge)))}</t></is>"
            elif kind == "s":
                body = f"<v>{draw(st.integers(-1, len(shared) + 1))}</v>"
            else:
                value = draw(st.one_of(numbers_as_text, texts, st.sampled_from(["1", "0", ""])))
                body = draw(st.sampled_from(["", f"<v>{xml_text(value)}</v>", "<f>1+1</f>"]))
            cells.append(f"<c{attrs}>{body}</c>" if body else f"<c{attrs}/>")
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet_rows = "".join(rows)
    shared_xml = (
        f'<sst xmlns="{MAIN}">' + "".join(f"<si><t>{t}</t></si>" for t in shared) + "</sst>"
        if draw(st.booleans())
        else None
    )
    dimension = draw(st.sampled_from([None, "A1", "A1:XFD1048576", "bogus"]))
    data = workbook(sheet_rows, shared=shared_xml, dimension=dimension)
    damage = draw(st.integers(0, 9))
    if damage == 0:  # a truncated archive
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == 1:  # broken XML in the sheet
        data = workbook(sheet_rows[: draw(st.integers(0, len(sheet_rows)))], shared=shared_xml)
    return data


def check_endpoint(client, content: bytes, format_index: str):
    upload = io.BytesIO(content)
    upload.name = "generated"
    response = client.post(
        ENDPOINT, {"import_file": upload, "format": format_index, "resource": "0"}
    )
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "Traceback" not in html
    if 'name="import_file_name"' in html:
        return "preview"
    assert any(marker in html for marker in REFUSAL_MARKERS), "refused without a message"
    return "refused"


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture
def importing_staff(dong_anh_staff):
    """The district staff account with its group's permissions (import needs "change")."""
    from tests.admin.conftest import with_group

    return with_group(dong_anh_staff, "District staff")


def test_generated_csv_dialects_and_encodings_through_the_admin(client, importing_staff):
    client.force_login(importing_staff)
    outcomes = set()

    @given(content=csv_files())
    @FUZZ_SETTINGS
    def fuzz(content):
        outcomes.add(check_endpoint(client, content, "0"))

    fuzz()
    assert outcomes == {"preview", "refused"}
    assert IndustrialCluster.objects.count() == 1  # the fixture's: a preview saves nothing


def test_generated_xlsx_shapes_through_the_admin(client, importing_staff):
    client.force_login(importing_staff)
    outcomes = set()

    @given(content=xlsx_files())
    @FUZZ_SETTINGS
    def fuzz(content):
        outcomes.add(check_endpoint(client, content, "1"))

    fuzz()
    assert "refused" in outcomes


@given(content=xlsx_files())
@settings(
    max_examples=4 * EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_xlsx_shapes_are_read_or_refused_with_a_message(content):
    """The reader alone, on more examples: a dataset within the bounds, or a refusal with a
    message — never another exception."""
    from registry.uploads import MAX_COLUMNS, UnreadableFile, read_xlsx

    try:
        dataset = read_xlsx(content)
    except UnreadableFile as refusal:
        assert str(refusal).strip()
        return
    assert dataset.width <= MAX_COLUMNS
