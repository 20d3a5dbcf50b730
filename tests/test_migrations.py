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
