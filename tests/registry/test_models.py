"""The registry's shared records: districts, staff district assignments, yearly targets,
and the version number every editable record carries."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from clusters.models import IndustrialCluster
from registry.models import District, DistrictAssignment, StaleVersionError, Target
from tests.factories import ClusterFactory, TargetFactory, UserFactory, district

pytestmark = pytest.mark.django_db


def error_codes(exc: ValidationError) -> dict[str, set]:
    return {key: {e.code for e in errors} for key, errors in exc.error_dict.items()}


# --- District ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "field", "code"),
    [
        ({"code": "17"}, "code", "invalid"),
        ({"code": "01A"}, "code", "invalid"),
        ({"code": "0017"}, "code", {"max_length", "invalid"}),
        ({"kind": "province"}, "kind", "invalid_choice"),
        ({"code": "017"}, "code", "unique"),
    ],
)
def test_district_refused_by_full_clean(bad, field, code):
    new = District(**{"code": "999", "name": "Thử", "kind": "rural", **bad})
    with pytest.raises(ValidationError) as caught:
        new.full_clean()
    assert error_codes(caught.value) == {field: code if isinstance(code, set) else {code}}


def test_district_accepted_by_full_clean():
    new = District(code="999", name="Phường thử", kind="town")
    new.full_clean()
    new.save()


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("district_code_three_digits", {"code": "17"}),
        ("district_code_three_digits", {"code": "1A7"}),
        ("district_kind_valid", {"kind": "province"}),
    ],
)
def test_district_rules_in_the_database(name, bad):
    rows = District.objects.filter(code="017")
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        rows.update(**bad)
    assert name in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.bulk_create([District(**{"code": "998", "name": "x", "kind": "rural",
                                                  **bad})])  # fmt: skip
    District.objects.filter(code="017").update(kind="urban")


def test_district_code_unique_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.bulk_create([District(code="017", name="Trùng", kind="rural")])


def test_a_district_can_be_marked_inactive_and_keeps_its_records():
    cluster = ClusterFactory(district=district("017"))
    District.objects.filter(code="017").update(active=False)
    assert IndustrialCluster.objects.get(pk=cluster.pk).district.active is False


# --- DistrictAssignment -----------------------------------------------------------------


def test_assignment_is_unique_per_user_and_district(dong_anh):
    user = UserFactory(districts=[dong_anh])
    duplicate = DistrictAssignment(user=user, district=dong_anh)
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictAssignment.objects.bulk_create([duplicate])
    DistrictAssignment(user=user, district=district("281")).full_clean()


def test_an_assigned_district_cannot_be_deleted_but_the_user_can(dong_anh):
    user = UserFactory(districts=[dong_anh])
    with pytest.raises(ProtectedError), transaction.atomic():
        dong_anh.delete()
    user.delete()  # assignments go with their user
    assert not DistrictAssignment.objects.exists()
    dong_anh.delete()


# --- Target -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "field", "code"),
    [
        ({"percent": Decimal("100.01")}, "percent", "max_value"),
        ({"percent": Decimal("-0.01")}, "percent", "min_value"),
        ({"year": 1999}, "year", "min_value"),
        ({"year": 2101}, "year", "max_value"),
        ({"year": 2021}, "year", "unique"),
    ],
)
def test_target_refused_by_full_clean(bad, field, code):
    target = Target(**{"year": 2030, "percent": Decimal("95"), **bad})
    with pytest.raises(ValidationError) as caught:
        target.full_clean()
    assert error_codes(caught.value) == {field: {code}}


@pytest.mark.parametrize(
    "good",
    [{"percent": Decimal("0")}, {"percent": Decimal("100")}, {"year": 2000}, {"year": 2100}],
)
def test_target_accepted_by_full_clean(good):
    target = Target(**{"year": 2030, "percent": Decimal("95"), **good})
    target.full_clean()
    target.save()


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("target_percent_0_100", {"percent": Decimal("100.01")}),
        ("target_percent_0_100", {"percent": Decimal("-1")}),
        ("target_year_range", {"year": 1999}),
        ("target_year_range", {"year": 2101}),
    ],
)
def test_target_rules_in_the_database(name, bad):
    rows = Target.objects.filter(year=2021)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        rows.update(**bad)
    assert name in str(caught.value)
    rows.update(percent=Decimal("100"), year=2100)
    assert rows.exists() is False
    assert Target.objects.get(year=2100).percent == Decimal("100")


def test_target_year_unique_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.bulk_create([Target(year=2021, percent=Decimal("90"))])


def test_target_changes_keep_history():
    target = TargetFactory(year=2025, percent=Decimal("96"))
    target.percent = Decimal("97")
    target.save()
    assert [h.percent for h in target.history.order_by("history_date")] == [
        Decimal("96"),
        Decimal("97"),
    ]


# --- VersionedModel ---------------------------------------------------------------------


def test_version_starts_at_1_and_grows_on_every_save():
    cluster = ClusterFactory()
    assert cluster.version == 1
    cluster.name = "Đổi tên"
    cluster.save()
    cluster.save()
    assert IndustrialCluster.objects.get(pk=cluster.pk).version == 3


def test_save_if_unchanged_refuses_a_stale_version():
    cluster = ClusterFactory()
    mine = IndustrialCluster.objects.get(pk=cluster.pk)
    theirs = IndustrialCluster.objects.get(pk=cluster.pk)
    theirs.name = "Theirs"
    theirs.save_if_unchanged(1)
    mine.name = "Mine"
    with pytest.raises(StaleVersionError) as caught:
        mine.save_if_unchanged(1)
    assert caught.value.current_version == 2
    stored = IndustrialCluster.objects.get(pk=cluster.pk)
    assert (stored.name, stored.version) == ("Theirs", 2)
    mine.save_if_unchanged("2")  # the version may come from a header, as text
    assert IndustrialCluster.objects.get(pk=cluster.pk).version == 3


def test_delete_if_unchanged_refuses_a_stale_version():
    cluster = ClusterFactory()
    mine = IndustrialCluster.objects.get(pk=cluster.pk)
    IndustrialCluster.objects.get(pk=cluster.pk).save()  # someone else saves: version 2
    with pytest.raises(StaleVersionError) as caught:
        mine.delete_if_unchanged(1)
    assert caught.value.current_version == 2
    assert IndustrialCluster.objects.filter(pk=cluster.pk).exists()
    mine.delete_if_unchanged(2)
    assert not IndustrialCluster.objects.filter(pk=cluster.pk).exists()
