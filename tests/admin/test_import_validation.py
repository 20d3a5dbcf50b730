"""registry.validation: imports validate like Model.full_clean(), without a query per rule."""

import datetime
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters.models import IndustrialCluster
from clusters.resources import ClusterResource
from markets.models import Market
from registry import validation
from tests.factories import ClusterFactory, MarketFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date

CLUSTER_CASES = [
    {},
    {"established_on": D(2020, 1, 1), "construction_started_on": D(2019, 1, 1)},
    {"established_on": D(2020, 1, 1), "operating_since": D(2019, 1, 1), "closed_on": D(2018, 1, 1)},
    {"construction_started_on": D(2021, 1, 1), "operating_since": D(2020, 1, 1)},
    {"established_on": None, "construction_started_on": D(2019, 1, 1)},  # a missing date: fine
    {"wwtp_construction_started_on": D(2022, 1, 1), "wwtp_operating_since": D(2021, 1, 1)},
    {"area_ha": Decimal("0")},
    {"area_ha": Decimal("-3")},
    {"occupancy_percent": Decimal("150")},
    {"occupancy_percent": Decimal("-1")},
    {"occupancy_percent": None},
    {"wwtp_capacity_m3_per_day": Decimal("-5")},
    {"wwtp_standard": "bogus"},
    {"wwtp_standard": ""},
    {"code": "bad code!"},
    {"code": "ok-lower"},  # upper-cased by the field, then valid
    {"code": "CCN-TAKEN"},  # exists already
    {
        "code": "CCN-TAKEN",
        "area_ha": Decimal("0"),
        "established_on": D(2020, 1, 1),
        "closed_on": D(2010, 1, 1),
    },
    {"name": "", "area_ha": None},
]


def _errors(call):
    try:
        call()
    except ValidationError as error:
        return error.message_dict
    return {}


def _cluster(**overrides):
    values = {
        "code": "CCN-NEW",
        "name": "Cụm mới",
        "district": district("017"),
        "area_ha": Decimal("40"),
        "established_on": D(2015, 1, 1),
        "construction_started_on": D(2016, 1, 1),
        "operating_since": D(2017, 1, 1),
        "occupancy_percent": Decimal("55.5"),
        "wwtp_standard": "qcvn40_2011_b",
    }
    values.update(overrides)
    return IndustrialCluster(**values)


@pytest.mark.parametrize("overrides", CLUSTER_CASES)
def test_cluster_errors_are_django_full_clean_errors(overrides):
    ClusterFactory(code="CCN-TAKEN")
    expected = _errors(_cluster(**overrides).full_clean)
    lookups = validation.FileLookups(IndustrialCluster, {"code": {"CCN-TAKEN", "CCN-NEW"}})
    assert _errors(lambda: validation.full_clean(_cluster(**overrides))) == expected
    assert _errors(lambda: validation.full_clean(_cluster(**overrides), lookups=lookups)) == (
        expected
    )


def test_existing_record_is_not_its_own_duplicate():
    existing = ClusterFactory(code="CCN-TAKEN")
    lookups = validation.FileLookups(IndustrialCluster, {"code": {"CCN-TAKEN"}})
    existing.name = "Đổi tên"
    validation.full_clean(existing, lookups=lookups)  # no error
    existing.area_ha = Decimal("0")
    assert _errors(lambda: validation.full_clean(existing, lookups=lookups)) == _errors(
        existing.full_clean
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"area_m2": Decimal("0")},
        {"year_built": 1800},
        {"kind": "nope"},
        {"market_class": 7},
        {"market_class": None},
        {"management": ""},
        {"status": "gone"},
        {"code": "MKT-TAKEN"},
    ],
)
def test_market_errors_are_django_full_clean_errors(overrides):
    MarketFactory(code="MKT-TAKEN")
    template = MarketFactory.build(code="MKT-NEW", district=district("017"))
    values = {f.attname: getattr(template, f.attname) for f in Market._meta.concrete_fields}
    values.update(overrides)
    expected = _errors(Market(**values).full_clean)
    lookups = validation.FileLookups(Market, {"code": {"MKT-TAKEN", "MKT-NEW"}})
    assert _errors(lambda: validation.full_clean(Market(**values), lookups=lookups)) == expected


def test_a_condition_it_cannot_decide_falls_back_to_the_database():
    from django.db.models import Q
    from django.db.models.functions import Length

    with pytest.raises(validation.NotEvaluable):
        validation.evaluate(Q(code__startswith="A"), {"code": "ABC"})
    with pytest.raises(validation.NotEvaluable):
        validation.evaluate(Q(code__regex=Length("name")), {"code": "ABC"})
    with pytest.raises(validation.NotEvaluable):  # Python's "$" matches before a newline
        validation.evaluate(Q(code__regex=r"^[A-Z]+$"), {"code": "ABC\n"})
    # SQL's three-valued logic: a comparison with NULL is unknown, not false.
    assert validation.evaluate(Q(area_ha__gt=0), {"area_ha": None}) is None
    assert validation.evaluate(~Q(area_ha__gt=0), {"area_ha": None}) is None
    assert validation.evaluate(Q(area_ha__gt=0) | Q(area_ha__isnull=True), {"area_ha": None})
    # As Django compiles them: exact=None is IS NULL, None is dropped from IN.
    assert validation.evaluate(Q(closed_on=None), {"closed_on": None}) is True
    assert validation.evaluate(Q(kind__in=[None, "a"]), {"kind": "b"}) is False
    assert validation.evaluate(Q(kind__in=["a"]), {"kind": None}) is None
    with pytest.raises(validation.NotEvaluable):  # a transform
        validation.evaluate(Q(code__lower="abc"), {"code": None})


DATES = st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2030, 12, 31)))
DECIMALS = st.one_of(
    st.none(), st.decimals(min_value=-200, max_value=200, places=2, allow_nan=False)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    established_on=DATES,
    construction_started_on=DATES,
    operating_since=DATES,
    closed_on=DATES,
    wwtp_construction_started_on=DATES,
    wwtp_operating_since=DATES,
    area_ha=DECIMALS,
    occupancy_percent=DECIMALS,
    wwtp_capacity_m3_per_day=DECIMALS,
    wwtp_standard=st.sampled_from(["", "qcvn40_2011_b", "qcvn40_2011_a", "other"]),
    code=st.sampled_from(["CCN-A", "ccn-b", "BAD CODE", "A--B", "-A"]),
)
def test_constraints_in_python_agree_with_the_database(**values):
    """Any combination of values: the same constraint errors as Django's own (a query per
    constraint on this test's database)."""
    instance = _cluster(district=district("017"), **values)
    assert _errors(lambda: validation.validate_constraints(instance)) == _errors(
        instance.validate_constraints
    )


def test_check_constraints_cost_no_query(django_assert_num_queries):
    instance = _cluster(district=district("017"))
    invalid = _cluster(district=instance.district, operating_since=D(2010, 1, 1))
    lookups = validation.FileLookups(IndustrialCluster, {"code": {"CCN-NEW"}})
    with django_assert_num_queries(1):  # the district exists: checked once per file
        validation.full_clean(instance, lookups=lookups)
    with django_assert_num_queries(0), pytest.raises(ValidationError):
        validation.full_clean(invalid, lookups=lookups)


def constraint_message(name):
    (constraint,) = [c for c in IndustrialCluster._meta.constraints if c.name == name]
    return constraint.violation_error_message


def _cluster_rows(count, district_code="017"):
    resource = ClusterResource()
    headers = [
        resource.fields[name].column_name
        for name in ("code", "name", "district", "area_ha", "established_on", "operating_since")
    ]
    rows = [
        (f"CCN-BULK-{index:04d}", f"Cụm {index}", district_code, "20,5", "2015-01-01", "2018-06-01")
        for index in range(count)
    ]
    return tablib.Dataset(*rows, headers=headers)


@pytest.mark.parametrize("rows", [5, 40])
def test_import_costs_a_fixed_number_of_statements_per_row(department_staff, rows):
    """Per row: the row's savepoint and its release, the insert and the history insert;
    per file: the user's districts, the existing codes and records, the district."""
    with CaptureQueriesContext(connection) as queries:
        result = ClusterResource(user=department_staff).import_data(
            _cluster_rows(rows), dry_run=False, use_transactions=True
        )
    assert not result.has_errors() and not result.has_validation_errors()
    assert IndustrialCluster.objects.filter(code__startswith="CCN-BULK-").count() == rows
    assert not [q for q in queries.captured_queries if '"_check"' in q["sql"]]
    per_row = 4 if connection.features.uses_savepoints else 2
    # + import-export's reset of the id sequence after inserts, on PostgreSQL
    fixed = 13 + (connection.vendor == "postgresql")
    assert len(queries.captured_queries) == fixed + per_row * rows
    history = IndustrialCluster.history.filter(code__startswith="CCN-BULK-")
    assert history.count() == rows


def test_import_with_invalid_rows_reports_each_and_saves_nothing(department_staff):
    dataset = _cluster_rows(6)
    code_column = ClusterResource().fields["code"].column_name
    area_column = ClusterResource().fields["area_ha"].column_name
    established = ClusterResource().fields["established_on"].column_name
    rows = [list(row) for row in dataset]
    position = dataset.headers.index
    rows[1][position(area_column)] = "0"
    rows[3][position(established)] = "2019-01-01"  # after operating_since
    rows[4][position(code_column)] = rows[5][position(code_column)]  # duplicate in the file
    dataset = tablib.Dataset(*rows, headers=dataset.headers)
    result = ClusterResource(user=department_staff).import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    invalid = {row.number: row.error.messages for row in result.invalid_rows}
    assert set(invalid) == {2, 4, 5, 6}
    assert str(constraint_message("cluster_operation_after_establishment")) in invalid[4]
    assert len(invalid[5]) == len(invalid[6]) == 1
    assert IndustrialCluster.objects.filter(code__startswith="CCN-BULK-").count() == 0


@pytest.mark.parametrize("rows", [5, 40])
def test_reimporting_unchanged_rows_costs_no_statement_per_row_and_saves_nothing(
    department_staff, rows
):
    """Unchanged rows are compared with the records loaded once per file: per row only the
    row's savepoint and its release; no update, no history insert, no related-record query."""
    ClusterResource(user=department_staff).import_data(
        _cluster_rows(rows), dry_run=False, use_transactions=True
    )
    history = IndustrialCluster.history.count()
    with CaptureQueriesContext(connection) as queries:
        result = ClusterResource(user=department_staff).import_data(
            _cluster_rows(rows), dry_run=False, use_transactions=True
        )
    assert result.totals["skip"] == rows
    assert IndustrialCluster.history.count() == history
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in statements if sql.startswith(("UPDATE", "INSERT"))]
    per_row = 2 if connection.features.uses_savepoints else 0
    fixed = len(statements) - per_row * rows
    assert fixed <= 10, statements
