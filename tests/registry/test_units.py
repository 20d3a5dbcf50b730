"""Administrative units: both maps loaded by the data migrations, the official succession,
and the conversion of old addresses."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from registry.models import AdministrativeUnit, District, UnitSuccession
from registry.units import convert_former_address, data, parse_district

pytestmark = pytest.mark.django_db


def test_126_communes_51_wards_75_communes_valid_from_the_reform():
    communes = AdministrativeUnit.objects.filter(level="commune")
    assert communes.count() == 126
    assert communes.filter(kind="ward").count() == 51
    assert communes.filter(kind="commune").count() == 75
    assert set(communes.values_list("valid_from", flat=True)) == {datetime.date(2025, 7, 1)}
    assert set(communes.values_list("valid_to", flat=True)) == {None}
    assert all(len(code) == 5 for code in communes.values_list("code", flat=True))


@pytest.mark.parametrize(
    "code, name",
    [
        ("00070", "Phường Hoàn Kiếm"),
        ("00097", "Phường Hồng Hà"),
        ("00292", "Phường Bạch Mai"),
        ("00679", "Xã Ngọc Hồi"),
    ],
)
def test_known_official_codes(code, name):
    unit = AdministrativeUnit.objects.get(code=code)
    assert (unit.name, unit.level) == (name, "commune")
    assert "1656/NQ-UBTVQH15" in unit.legal_basis


def test_30_districts_valid_until_the_reform_each_linked_to_its_district_row():
    districts = AdministrativeUnit.objects.filter(level="district")
    assert districts.count() == 30
    assert set(districts.values_list("valid_to", flat=True)) == {datetime.date(2025, 6, 30)}
    for unit in districts.select_related("district"):
        assert unit.district.code == unit.code
        assert unit.name == unit.district.name
    assert District.objects.filter(unit__isnull=True).count() == 0
    kinds = dict(districts.values_list("code", "kind"))
    assert (kinds["002"], kinds["017"], kinds["269"]) == ("urban", "rural", "town")


def test_succession_every_district_to_communes_and_64_communes_from_several_districts():
    for unit in AdministrativeUnit.objects.filter(level="district"):
        assert unit.successions.exists(), unit
    # DESIGN: 64 of the 126 new units took territory from more than one former district.
    several = [
        commune
        for commune in AdministrativeUnit.objects.filter(level="commune")
        if commune.predecessions.count() > 1
    ]
    assert len(several) == 64
    # Every commune took territory from at least one district.
    assert not AdministrativeUnit.objects.filter(level="commune", predecessions=None).exists()
    hoan_kiem = AdministrativeUnit.objects.get(code="002")
    assert set(hoan_kiem.successions.values_list("successor__code", flat=True)) >= {"00070"}
    assert not UnitSuccession.objects.filter(whole=True).exists()  # no district stayed whole


def test_the_database_refuses_a_code_that_does_not_fit_the_level():
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.create(level="commune", code="123", name="x", kind="ward")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.create(level="district", code="12345", name="x", kind="urban")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.create(level="commune", code="99999", name="x", kind="urban")


def test_generated_file_has_the_526_former_communes_each_with_successors():
    former = data()["former_communes"]
    assert len(former) == 526
    communes = set(
        AdministrativeUnit.objects.filter(level="commune").values_list("code", flat=True)
    )
    for row in former:
        assert row["successors"] and {s["code"] for s in row["successors"]} <= communes


def test_a_former_commune_taken_whole_converts():
    result = convert_former_address("Xã Ngọc Hồi, huyện Thanh Trì", "020")
    assert (result.settled, result.commune, result.former) == (True, "00679", "Xã Ngọc Hồi")
    assert convert_former_address("phuong phuc xa", "001").commune == "00097"


def test_a_split_former_commune_is_not_guessed():
    result = convert_former_address("thị trấn Tây Đằng", "271")
    assert not result.settled
    assert len(result.candidates) == 2


def test_unknown_or_other_district_address_converts_to_nothing():
    assert not convert_former_address("Xã Ngọc Hồi", "001").candidates
    assert not convert_former_address("", "020").candidates
    assert not convert_former_address("số 5 phố Không Có", "020").candidates


def test_district_names_and_codes_parse():
    assert parse_district("huyện Ba Vì") == "271"
    assert parse_district("Quận Hoàn Kiếm") == "002"
    assert parse_district("17") == "017"
    assert parse_district("Nowhere") is None
