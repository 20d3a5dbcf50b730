"""Reference data: Hanoi's 30 district-level units (province 01) and the 2021 target."""

from decimal import Decimal

from django.db import migrations

# (code, name, kind) — official statistical codes.
HANOI_DISTRICTS = [
    ("001", "Ba Đình", "urban"),
    ("002", "Hoàn Kiếm", "urban"),
    ("003", "Tây Hồ", "urban"),
    ("004", "Long Biên", "urban"),
    ("005", "Cầu Giấy", "urban"),
    ("006", "Đống Đa", "urban"),
    ("007", "Hai Bà Trưng", "urban"),
    ("008", "Hoàng Mai", "urban"),
    ("009", "Thanh Xuân", "urban"),
    ("016", "Sóc Sơn", "rural"),
    ("017", "Đông Anh", "rural"),
    ("018", "Gia Lâm", "rural"),
    ("019", "Nam Từ Liêm", "urban"),
    ("020", "Thanh Trì", "rural"),
    ("021", "Bắc Từ Liêm", "urban"),
    ("250", "Mê Linh", "rural"),
    ("268", "Hà Đông", "urban"),
    ("269", "Sơn Tây", "town"),
    ("271", "Ba Vì", "rural"),
    ("272", "Phúc Thọ", "rural"),
    ("273", "Đan Phượng", "rural"),
    ("274", "Hoài Đức", "rural"),
    ("275", "Quốc Oai", "rural"),
    ("276", "Thạch Thất", "rural"),
    ("277", "Chương Mỹ", "rural"),
    ("278", "Thanh Oai", "rural"),
    ("279", "Thường Tín", "rural"),
    ("280", "Phú Xuyên", "rural"),
    ("281", "Ứng Hòa", "rural"),
    ("282", "Mỹ Đức", "rural"),
]


def load(apps, schema_editor):
    District = apps.get_model("registry", "District")
    Target = apps.get_model("registry", "Target")
    for code, name, kind in HANOI_DISTRICTS:
        District.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    Target.objects.get_or_create(
        year=2021,
        defaults={
            "percent": Decimal("95.00"),
            "note": "Kế hoạch năm 2021 của Sở Công Thương Hà Nội",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("registry", "Target").objects.filter(year=2021).delete()
    apps.get_model("registry", "District").objects.filter(
        code__in=[code for code, _name, _kind in HANOI_DISTRICTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
