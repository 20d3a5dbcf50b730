"""Migrations are in step with the models and load the reference data."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from registry.models import District, DistrictKind, Target

pytestmark = pytest.mark.django_db


def test_migrations_are_in_step_with_the_models():
    out = StringIO()
    # Exits with status 1 (SystemExit) if a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


# the records (README), copied here by hand: the official list (province 01).
OFFICIAL = {
    "urban": "001 Ba Đình, 002 Hoàn Kiếm, 003 Tây Hồ, 004 Long Biên, 005 Cầu Giấy, 006 Đống Đa, "
    "007 Hai Bà Trưng, 008 Hoàng Mai, 009 Thanh Xuân, 019 Nam Từ Liêm, 021 Bắc Từ Liêm, "
    "268 Hà Đông",
    "rural": "016 Sóc Sơn, 017 Đông Anh, 018 Gia Lâm, 020 Thanh Trì, 250 Mê Linh, 271 Ba Vì, "
    "272 Phúc Thọ, 273 Đan Phượng, 274 Hoài Đức, 275 Quốc Oai, 276 Thạch Thất, "
    "277 Chương Mỹ, 278 Thanh Oai, 279 Thường Tín, 280 Phú Xuyên, 281 Ứng Hòa, 282 Mỹ Đức",
    "town": "269 Sơn Tây",
}


def test_the_official_list_with_codes_names_and_kinds():
    expected = {
        (entry[:3], entry[4:], kind)
        for kind, entries in OFFICIAL.items()
        for entry in entries.split(", ")
    }
    assert len(expected) == 30
    assert set(District.objects.values_list("code", "name", "kind")) == expected


def test_the_30_hanoi_districts_are_loaded():
    assert District.objects.count() == 30
    kinds = {k: District.objects.filter(kind=k).count() for k in DistrictKind.values}
    assert kinds == {"urban": 12, "rural": 17, "town": 1}
    assert District.objects.filter(active=False).count() == 0
    names = dict(District.objects.values_list("code", "name"))
    assert (names["001"], names["017"], names["269"], names["282"]) == (
        "Ba Đình",
        "Đông Anh",
        "Sơn Tây",
        "Mỹ Đức",
    )
    assert set(District.objects.filter(kind="urban").values_list("code", flat=True)) == {
        "001", "002", "003", "004", "005", "006", "007", "008", "009", "019", "021", "268",
    }  # fmt: skip
    assert District.objects.get(kind="town").code == "269"


def test_the_2021_target_is_95_percent():
    assert list(Target.objects.values_list("year", "percent")) == [(2021, Decimal("95.00"))]


@pytest.mark.django_db
def test_inspections_have_the_latest_evidence_index_and_not_its_prefixes():
    """The index made by raw SQL in clusters/0003 is in the model's state (0004) with the
    same definition, and the two indexes that were prefixes of it are gone."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, "clusters_wastewaterinspection"
        )
    indexes = {
        name: info["columns"]
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"]
    }
    assert indexes == {"inspection_latest_evidence": ["cluster_id", "inspected_on", "result", "id"]}
    assert constraints["inspection_latest_evidence"]["orders"] == ["ASC", "DESC", "ASC", "DESC"]
