"""Markets and market projects: every hard rule refused by ``full_clean()`` and by the
database, and the class criteria of Decree 60/2024/NĐ-CP as a flag, never a refusal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from markets.choices import Construction
from markets.models import Market, MarketProject
from tests.factories import MarketFactory, MarketProjectFactory, district

pytestmark = pytest.mark.django_db

D = datetime.date


def constraint_message(model, name: str) -> str:
    (constraint,) = [c for c in model._meta.constraints if c.name == name]
    message = str(constraint.get_violation_error_message())
    assert name not in message  # a sentence for people, not Django's generic "… is violated"
    return message


def error_codes(exc: ValidationError) -> dict[str, set]:
    return {key: {e.code for e in errors} for key, errors in exc.error_dict.items()}


# name, bad values, accepted values, the field full_clean() names (None: a form-wide error).
MARKET_CHECKS = [
    ("market_code_alphabet", {"code": "CHO_HOM"}, {"code": "CHO-HOM"}, "code"),
    ("market_code_alphabet", {"code": "CHỢ-HÔM"}, {"code": "CHO-HOM-2"}, "code"),
    ("market_area_positive", {"area_m2": Decimal("0")}, {"area_m2": Decimal("0.01")}, "area_m2"),
    ("market_area_positive", {"area_m2": Decimal("-10")}, {"area_m2": Decimal("9e9")}, "area_m2"),
    ("market_year_built_range", {"year_built": 1799}, {"year_built": 1800}, "year_built"),
    ("market_year_built_range", {"year_built": 2101}, {"year_built": 2100}, "year_built"),
    ("market_kind_valid", {"kind": "flea"}, {"kind": "heritage"}, "kind"),
    ("market_class_valid", {"market_class": "4"}, {"market_class": None}, "market_class"),
    ("market_construction_valid", {"construction": "tent"}, {"construction": "temporary"},
     "construction"),
    ("market_capital_valid", {"capital": "foreign"}, {"capital": "non_budget"}, "capital"),
    ("market_management_valid", {"management": "mayor"}, {"management": ""}, "management"),
    ("market_status_valid", {"status": "demolished"}, {"status": "under_renovation"}, "status"),
]  # fmt: skip

PROJECT_CHECKS = [
    (
        "market_project_budget_not_negative",
        {"budget_vnd": Decimal("-1")},
        {"budget_vnd": Decimal("0")},
        "budget_vnd",
    ),
    (
        "market_project_completed_after_start",
        {"started_on": D(2025, 3, 2), "completed_on": D(2025, 3, 1)},
        {"started_on": D(2025, 3, 1), "completed_on": D(2025, 3, 1)},
        None,
    ),
    ("market_project_kind_valid", {"kind": "demolition"}, {"kind": "relocation"}, "kind"),
    (
        "market_project_capital_valid",
        {"capital_source": "loan"},
        {"capital_source": "mixed"},
        "capital_source",
    ),
    ("market_project_status_valid", {"status": "paused"}, {"status": "cancelled"}, "status"),
]


def market_ids(checks):
    return [f"{name}:{bad}" for name, bad, *_ in checks]


@pytest.mark.parametrize(
    ("name", "bad", "good", "field"), MARKET_CHECKS, ids=market_ids(MARKET_CHECKS)
)
def test_market_rule_in_full_clean(name, bad, good, field):  # fmt: skip
    market = MarketFactory.build(**bad)
    with pytest.raises(ValidationError) as caught:
        market.validate_constraints()
    assert [m for e in caught.value.error_dict[NON_FIELD_ERRORS] for m in e.messages] == [
        constraint_message(Market, name)
    ]
    with pytest.raises(ValidationError) as caught:
        market.full_clean()
    assert field in caught.value.error_dict

    accepted = MarketFactory.build(**good)
    accepted.full_clean()
    accepted.save()


@pytest.mark.parametrize(
    ("name", "bad", "good", "field"), MARKET_CHECKS, ids=market_ids(MARKET_CHECKS)
)
def test_market_rule_in_the_database(name, bad, good, field):  # fmt: skip
    market = MarketFactory()
    rows = Market.objects.filter(pk=market.pk)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        rows.update(**bad)
    assert name in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Market.objects.bulk_create([MarketFactory.build(**{"code": "CHO-BULK", **bad})])
    rows.update(**good)
    assert rows.filter(**good).exists()


@pytest.mark.parametrize(
    ("name", "bad", "good", "field"), PROJECT_CHECKS, ids=market_ids(PROJECT_CHECKS)
)
def test_project_rule_in_full_clean(name, bad, good, field):  # fmt: skip
    market = MarketFactory()
    project = MarketProjectFactory.build(market=market, **bad)
    with pytest.raises(ValidationError) as caught:
        project.validate_constraints()
    assert [m for e in caught.value.error_dict[NON_FIELD_ERRORS] for m in e.messages] == [
        constraint_message(MarketProject, name)
    ]
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    assert (field or NON_FIELD_ERRORS) in caught.value.error_dict
    if field is None:
        assert caught.value.message_dict[NON_FIELD_ERRORS] == [
            constraint_message(MarketProject, name)
        ]

    accepted = MarketProjectFactory.build(market=market, **good)
    accepted.full_clean()
    accepted.save()


@pytest.mark.parametrize(
    ("name", "bad", "good", "field"), PROJECT_CHECKS, ids=market_ids(PROJECT_CHECKS)
)
def test_project_rule_in_the_database(name, bad, good, field):  # fmt: skip
    project = MarketProjectFactory()
    rows = MarketProject.objects.filter(pk=project.pk)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        rows.update(**bad)
    assert name in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketProject.objects.bulk_create(
            [MarketProjectFactory.build(market=project.market, **bad)]
        )
    rows.update(**good)
    assert rows.filter(**good).exists()


def test_an_empty_class_means_not_yet_classified():
    market = MarketFactory.build(market_class="")
    market.full_clean()
    assert market.market_class is None
    market.save()
    # Past validation, the database still refuses an empty class.
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Market.objects.filter(pk=market.pk).update(market_class="")
    assert "market_class_valid" in str(caught.value)


def test_project_dates_may_be_missing():
    market = MarketFactory()
    for dates in [{"started_on": None, "completed_on": D(2020, 1, 1)},
                  {"started_on": D(2020, 1, 1), "completed_on": None}]:  # fmt: skip
        MarketProjectFactory.build(market=market, budget_vnd=None, **dates).full_clean()


def test_market_code_is_unique_and_upper_cased():
    MarketFactory(code="CHO-DONG-XUAN")
    with pytest.raises(ValidationError) as caught:
        MarketFactory.build(code=" cho-dong-xuan ").full_clean()
    assert error_codes(caught.value) == {"code": {"unique"}}
    with pytest.raises(IntegrityError), transaction.atomic():
        Market.objects.bulk_create([MarketFactory.build(code="cho-dong-xuan")])
    market = MarketFactory.build(code=" cho-hom ")
    market.full_clean()
    assert market.code == "CHO-HOM"


def test_business_points_cannot_be_negative():
    with pytest.raises(ValidationError) as caught:
        MarketFactory.build(business_points=-1).full_clean()
    assert "business_points" in caught.value.error_dict
    market = MarketFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Market.objects.filter(pk=market.pk).update(business_points=-1)


def test_a_district_with_markets_cannot_be_deleted():
    market = MarketFactory(district=district("003"))
    with pytest.raises(ProtectedError), transaction.atomic():
        district("003").delete()
    market.delete()
    district("003").delete()


def test_a_market_with_projects_cannot_be_deleted():
    project = MarketProjectFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        project.market.delete()
    assert Market.objects.filter(pk=project.market.pk).exists()


def test_history_keeps_many_rows_for_one_market_code():
    market = MarketFactory(code="CHO-HIST")
    market.business_points = 120
    market.save()
    market.delete()
    assert market.history.model.objects.filter(code="CHO-HIST").count() == 3


# --- the class criteria: a flag, not a refusal --------------------------------------------

P, SP, T = Construction.PERMANENT, Construction.SEMI_PERMANENT, Construction.TEMPORARY


@pytest.mark.parametrize(
    ("points", "construction", "expected"),
    [
        (0, P, "3"),
        (199, P, "3"),
        (200, P, "2"),
        (400, P, "2"),
        (401, P, "1"),
        (5000, P, "1"),
        (199, SP, "3"),
        (200, SP, "3"),
        (401, SP, "3"),
        (401, T, "3"),
        (200, T, "3"),
    ],
)
def test_expected_class_at_each_boundary(points, construction, expected):
    MarketFactory(business_points=points, construction=construction, market_class=expected)
    row = Market.objects.with_class_check().get()
    assert row.expected_class == expected
    assert row.class_matches_criteria is True


@pytest.mark.parametrize(
    ("points", "construction", "recorded"),
    [(199, P, "2"), (200, P, "3"), (400, P, "1"), (401, P, "2"), (401, SP, "1"), (300, T, "2")],
)
def test_a_class_that_disagrees_is_flagged_but_saved(points, construction, recorded):
    market = MarketFactory.build(
        business_points=points, construction=construction, market_class=recorded
    )
    market.full_clean()  # the authority's decision is recorded as given
    market.save()
    row = Market.objects.with_class_check().get(pk=market.pk)
    assert row.market_class == recorded
    assert row.class_matches_criteria is False


def test_an_unclassified_market_is_neither_a_match_nor_a_mismatch():
    MarketFactory(business_points=450, market_class=None)
    row = Market.objects.with_class_check().get()
    assert (row.expected_class, row.class_matches_criteria) == ("1", None)


def test_class_check_filters_in_the_database(django_assert_num_queries):
    MarketFactory(code="OK", business_points=250, market_class="2")
    MarketFactory(code="BAD", business_points=250, market_class="1")
    MarketFactory(code="NONE", business_points=250, market_class=None)
    with django_assert_num_queries(1):
        flagged = list(
            Market.objects.with_class_check()
            .filter(class_matches_criteria=False)
            .values_list("code", flat=True)
        )
    assert flagged == ["BAD"]
