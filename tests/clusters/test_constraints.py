"""The hard rules of the records (README) for clusters and inspections: each one is a named
database constraint (refused even when validation is bypassed) and is reported by
``full_clean()`` with a clear message; the soft rules are warnings, not refusals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from clusters.models import IndustrialCluster, WastewaterInspection
from tests.factories import ClusterFactory, InspectionFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date


def constraint_message(model, name: str) -> str:
    """The message the named constraint reports, in the active language."""
    (constraint,) = [c for c in model._meta.constraints if c.name == name]
    return str(constraint.get_violation_error_message())


def error_codes(exc: ValidationError) -> dict[str, set]:
    return {key: {e.code for e in errors} for key, errors in exc.error_dict.items()}


def error_messages(exc: ValidationError) -> dict[str, list[str]]:
    return {key: [m for e in errors for m in e.messages] for key, errors in exc.error_dict.items()}


# name, bad values, accepted values (on a cluster established 2015-01-01).
CLUSTER_CHECKS = [
    ("cluster_code_alphabet", {"code": "CCN--DOUBLE"}, {"code": "CCN-9-OK"}),
    ("cluster_code_alphabet", {"code": "CCN-ĐÔNG-ANH"}, {"code": "CCN-DONG-ANH"}),
    ("cluster_code_alphabet", {"code": "CCN_UNDERSCORE"}, {"code": "CCN1"}),
    ("cluster_code_alphabet", {"code": "-CCN"}, {"code": "C-C-N"}),
    ("cluster_area_positive", {"area_ha": Decimal("0")}, {"area_ha": Decimal("0.01")}),
    ("cluster_area_positive", {"area_ha": Decimal("-3")}, {"area_ha": Decimal("200")}),
    (
        "cluster_occupancy_0_100",
        {"occupancy_percent": Decimal("100.01")},
        {"occupancy_percent": Decimal("100")},
    ),
    (
        "cluster_occupancy_0_100",
        {"occupancy_percent": Decimal("-0.01")},
        {"occupancy_percent": Decimal("0")},
    ),
    (
        "cluster_wwtp_capacity_not_negative",
        {"wwtp_capacity_m3_per_day": Decimal("-1")},
        {"wwtp_capacity_m3_per_day": Decimal("0")},
    ),
    ("cluster_wwtp_standard_valid", {"wwtp_standard": "qcvn99"}, {"wwtp_standard": ""}),
    (
        "cluster_construction_after_establishment",
        {"construction_started_on": D(2014, 12, 31)},
        {"construction_started_on": D(2015, 1, 1)},
    ),
    (
        "cluster_operation_after_establishment",
        {"operating_since": D(2014, 12, 31)},
        {"operating_since": D(2015, 1, 1)},
    ),
    (
        "cluster_operation_after_construction",
        {"construction_started_on": D(2017, 5, 2), "operating_since": D(2017, 5, 1)},
        {"construction_started_on": D(2017, 5, 1), "operating_since": D(2017, 5, 1)},
    ),
    (
        "cluster_closed_after_establishment",
        {"closed_on": D(2014, 12, 31)},
        {"closed_on": D(2015, 1, 1)},
    ),
    (
        "cluster_wwtp_operation_after_construction",
        {"wwtp_construction_started_on": D(2019, 1, 2), "wwtp_operating_since": D(2019, 1, 1)},
        {"wwtp_construction_started_on": D(2019, 1, 1), "wwtp_operating_since": D(2019, 1, 1)},
    ),
]

CLUSTER_CHECKS += [
    (
        "cluster_planned_start_after_establishment",
        {"planned_construction_start": D(2014, 12, 31)},
        {"planned_construction_start": D(2015, 1, 1)},
    ),
    (
        "cluster_planned_completion_after_start",
        {"planned_construction_start": D(2016, 1, 2), "planned_completion": D(2016, 1, 1)},
        {"planned_construction_start": D(2016, 1, 1), "planned_completion": D(2016, 1, 1)},
    ),
    (
        "cluster_infrastructure_completed_after_construction",
        {"construction_started_on": D(2017, 1, 2), "infrastructure_completed_on": D(2017, 1, 1)},
        {"construction_started_on": D(2017, 1, 1), "infrastructure_completed_on": D(2018, 1, 1)},
    ),
]

CLUSTER_CHECKS += [  # the report's land and capital (the factory's area is below)
    (
        "cluster_land_not_negative",
        {"industrial_land_ha": Decimal("-1")},
        {"industrial_land_ha": Decimal("0")},
    ),
    (
        "cluster_industrial_land_within_area",
        {"area_ha": Decimal("20"), "industrial_land_ha": Decimal("20.01")},
        {"area_ha": Decimal("20"), "industrial_land_ha": Decimal("20")},
    ),
    (
        "cluster_leased_land_within_industrial_land",
        {"industrial_land_ha": Decimal("10"), "leased_land_ha": Decimal("10.01")},
        {"industrial_land_ha": Decimal("10"), "leased_land_ha": Decimal("10")},
    ),
    (
        "cluster_leased_land_within_area",
        {"area_ha": Decimal("20"), "leased_land_ha": Decimal("21")},
        {"area_ha": Decimal("20"), "leased_land_ha": Decimal("20")},
    ),
    (
        "cluster_capital_not_negative",
        {"disbursed_capital_vnd": Decimal("-1")},
        {"disbursed_capital_vnd": Decimal("0")},
    ),
]

INSPECTION_CHECKS = [
    ("inspection_result_valid", {"result": "maybe"}, {"result": "fails"}),
    ("inspection_standard_valid", {"standard": "qcvn14"}, {"standard": "qcvn40_2025_c"}),
]

ids = [f"{name}:{bad}" for name, bad, _good in CLUSTER_CHECKS]


@pytest.mark.parametrize(("name", "bad", "good"), CLUSTER_CHECKS, ids=ids)
def test_cluster_constraint_refused_by_full_clean_with_its_message(name, bad, good):
    cluster = ClusterFactory.build(**bad)
    with pytest.raises(ValidationError) as caught:
        cluster.validate_constraints()
    assert error_messages(caught.value)[NON_FIELD_ERRORS] == [
        constraint_message(IndustrialCluster, name)
    ]
    # full_clean() refuses it too (a field validator may speak first, with its own message).
    with pytest.raises(ValidationError):
        cluster.full_clean()
    assert not IndustrialCluster.objects.exists()


@pytest.mark.parametrize(("name", "bad", "good"), CLUSTER_CHECKS, ids=ids)
def test_cluster_constraint_accepted_by_full_clean(name, bad, good):
    cluster = ClusterFactory.build(**good)
    cluster.full_clean()
    cluster.save()
    assert IndustrialCluster.objects.filter(pk=cluster.pk).exists()


@pytest.mark.parametrize(("name", "bad", "good"), CLUSTER_CHECKS, ids=ids)
def test_cluster_constraint_enforced_by_the_database(name, bad, good):
    cluster = ClusterFactory()
    rows = IndustrialCluster.objects.filter(pk=cluster.pk)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        rows.update(**bad)  # no validation on this path: only the database stands guard
    assert name in str(caught.value)
    rows.update(**good)
    assert rows.filter(**good).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"code": "CCN BAD"},
        {"area_ha": Decimal("0")},
        {"established_on": D(2020, 1, 1), "construction_started_on": D(2019, 1, 1)},
    ],
)
def test_bulk_create_cannot_bypass_the_constraints(bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        IndustrialCluster.objects.bulk_create(
            [
                ClusterFactory.build(code="CCN-GOOD"),
                ClusterFactory.build(**{"code": "CCN-B", **bad}),
            ]
        )
    assert not IndustrialCluster.objects.exists()


def test_date_order_full_clean_messages_for_a_backwards_lifecycle():
    cluster = ClusterFactory.build(
        established_on=D(2020, 1, 1),
        construction_started_on=D(2019, 1, 1),
        operating_since=D(2018, 1, 1),
        closed_on=D(2017, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        cluster.full_clean()
    assert set(error_messages(caught.value)[NON_FIELD_ERRORS]) == {
        constraint_message(IndustrialCluster, name)
        for name in [
            "cluster_construction_after_establishment",
            "cluster_operation_after_establishment",
            "cluster_operation_after_construction",
            "cluster_closed_after_establishment",
        ]
    }


@pytest.mark.parametrize(
    "dates",
    [
        # An earlier date may be unknown while a later one is known (old clusters).
        {"established_on": None, "operating_since": D(2005, 1, 1)},
        {"established_on": None, "construction_started_on": None, "closed_on": D(2001, 1, 1)},
        {"established_on": D(2010, 1, 1), "construction_started_on": None,
         "operating_since": D(2012, 1, 1)},
        {"wwtp_construction_started_on": None, "wwtp_operating_since": D(2001, 1, 1)},
        # Every stage on one day is in order.
        {"established_on": D(2020, 3, 3), "construction_started_on": D(2020, 3, 3),
         "operating_since": D(2020, 3, 3), "closed_on": D(2020, 3, 3)},
    ],
)  # fmt: skip
def test_missing_earlier_dates_constrain_nothing(dates):
    cluster = ClusterFactory.build(**dates)
    cluster.full_clean()
    cluster.save()
    IndustrialCluster.objects.filter(pk=cluster.pk).update(**dates)


def test_cluster_code_is_unique_in_full_clean_and_in_the_database():
    ClusterFactory(code="CCN-NGOC-HOI")
    duplicate = ClusterFactory.build(code="CCN-NGOC-HOI")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert error_codes(caught.value) == {"code": {"unique"}}
    with pytest.raises(IntegrityError), transaction.atomic():
        IndustrialCluster.objects.bulk_create([duplicate])
    ClusterFactory.build(code="CCN-NGOC-HOI-2").full_clean()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" ccn-ngoc-hoi ", "CCN-NGOC-HOI"), ("Ccn-1\t", "CCN-1"), ("ABC", "ABC")],
)
def test_code_is_trimmed_and_upper_cased_before_validation(typed, stored):
    cluster = ClusterFactory.build(code=typed)
    cluster.full_clean()
    assert cluster.code == stored
    cluster.save()
    assert IndustrialCluster.objects.get(code=stored).pk == cluster.pk


def test_code_is_upper_cased_on_every_write_and_lookup_path():
    # The field prepares every value it sends to the database, so neither QuerySet.update,
    # bulk_create nor a lookup can store or miss a code by its case or spaces.
    cluster = ClusterFactory(code="ccn-a")
    assert IndustrialCluster.objects.get(pk=cluster.pk).code == "CCN-A"
    IndustrialCluster.objects.filter(pk=cluster.pk).update(code=" ccn-b ")
    assert IndustrialCluster.objects.get(code="ccn-b").pk == cluster.pk
    IndustrialCluster.objects.bulk_create([ClusterFactory.build(code="ccn-c")])
    assert set(IndustrialCluster.objects.values_list("code", flat=True)) == {"CCN-B", "CCN-C"}


@pytest.mark.parametrize("typed", ["CCN NGOC HOI", "CCN-", "CCN–1", "ĐÔNG-ANH", "", "A" * 33])
def test_code_outside_the_alphabet_is_refused_with_the_code_message(typed):
    cluster = ClusterFactory.build(code=typed)
    with pytest.raises(ValidationError) as caught:
        cluster.full_clean()
    assert "code" in caught.value.error_dict


def test_invalid_code_reports_the_registry_message():
    cluster = ClusterFactory.build(code="CCN NGOC HOI")
    with pytest.raises(ValidationError) as caught:
        cluster.full_clean()
    assert error_codes(caught.value) == {"code": {"invalid_code"}}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("area_ha", Decimal("0"), "min_value"),
        ("occupancy_percent", Decimal("101"), "max_value"),
        ("occupancy_percent", Decimal("-1"), "min_value"),
        ("wwtp_capacity_m3_per_day", Decimal("-0.5"), "min_value"),
        ("wwtp_standard", "qcvn99", "invalid_choice"),
    ],
)
def test_full_clean_names_the_field_at_fault(field, value, code):
    cluster = ClusterFactory.build(**{field: value})
    with pytest.raises(ValidationError) as caught:
        cluster.full_clean()
    assert error_codes(caught.value) == {field: {code}}


# --- soft rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "warned"),
    [
        ("0.50", True),
        ("9.99", True),
        ("10", False),
        ("42.5", False),
        ("75", False),
        ("75.01", True),
        ("300", True),
    ],
)
def test_area_outside_10_to_75_ha_is_a_warning_not_a_refusal(area, warned):
    cluster = ClusterFactory.build(area_ha=Decimal(area))
    cluster.full_clean()
    cluster.save()
    assert bool(cluster.warnings) is warned
    if warned:
        assert area in str(cluster.warnings[0])
    assert IndustrialCluster.objects.get(pk=cluster.pk).area_ha == Decimal(area)


# --- inspections ------------------------------------------------------------------------

inspection_ids = [name for name, _bad, _good in INSPECTION_CHECKS]


@pytest.mark.parametrize(("name", "bad", "good"), INSPECTION_CHECKS, ids=inspection_ids)
def test_inspection_constraint_in_full_clean(name, bad, good):
    cluster = ClusterFactory()
    inspection = InspectionFactory.build(cluster=cluster, **bad)
    with pytest.raises(ValidationError) as caught:
        inspection.validate_constraints()
    assert error_messages(caught.value)[NON_FIELD_ERRORS] == [
        constraint_message(WastewaterInspection, name)
    ]
    with pytest.raises(ValidationError) as caught:
        inspection.full_clean()
    (field,) = bad
    assert error_codes(caught.value) == {field: {"invalid_choice"}}

    accepted = InspectionFactory.build(cluster=cluster, **good)
    accepted.full_clean()
    accepted.save()


@pytest.mark.parametrize(("name", "bad", "good"), INSPECTION_CHECKS, ids=inspection_ids)
def test_inspection_constraint_in_the_database(name, bad, good):
    inspection = InspectionFactory()
    rows = WastewaterInspection.objects.filter(pk=inspection.pk)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        rows.update(**bad)
    assert name in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        WastewaterInspection.objects.bulk_create(
            [InspectionFactory.build(cluster=inspection.cluster, **bad)]
        )
    rows.update(**good)
    assert rows.filter(**good).exists()


def test_inspection_in_the_future_is_refused_by_full_clean():
    cluster = ClusterFactory()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        InspectionFactory.build(cluster=cluster, inspected_on=tomorrow).full_clean()
    assert set(caught.value.error_dict) == {"inspected_on"}
    InspectionFactory.build(cluster=cluster, inspected_on=D(2021, 1, 1)).full_clean()


# --- PROTECT ----------------------------------------------------------------------------


def test_a_district_with_clusters_cannot_be_deleted():
    cluster = ClusterFactory(district=district("281"))
    with pytest.raises(ProtectedError), transaction.atomic():
        district("281").delete()
    assert IndustrialCluster.objects.filter(pk=cluster.pk).exists()
    cluster.delete()
    district("281").delete()  # nothing depends on it any more


def test_a_cluster_with_inspections_cannot_be_deleted():
    inspection = InspectionFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        inspection.cluster.delete()
    assert WastewaterInspection.objects.filter(pk=inspection.pk).exists()
    inspection.delete()
    inspection.cluster.delete()
    assert not IndustrialCluster.objects.exists()


def test_history_keeps_many_rows_for_one_code():
    # Regression: the historical table must not inherit the code's uniqueness.
    cluster = ClusterFactory(code="CCN-HIST")
    cluster.name = "Renamed"
    cluster.save()
    cluster.delete()
    assert cluster.history.model.objects.filter(code="CCN-HIST").count() == 3
