"""Hanoi's administrative units on both sides of the reform of 1 July 2025, and the official
conversion of an old address (former commune + district) to today's commune.

The data is ``registry/data/hanoi_units.json``, generated at build time from the
``vietnamadminunits`` package (``registry/data/generate_hanoi_units.py``) and committed; the
data migrations load its units and successions into ``AdministrativeUnit`` and
``UnitSuccession``, and :func:`convert_former_address` reads its 526 former communes (which
the database does not keep as units: nothing is recorded against them).
"""

import datetime
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "hanoi_units.json"

DISTRICTS_VALID_TO = datetime.date(2025, 6, 30)
COMMUNES_VALID_FROM = datetime.date(2025, 7, 1)
DISTRICT_LEGAL_BASIS = (
    "Luật Tổ chức chính quyền địa phương số 72/2025/QH15: cấp huyện kết thúc hoạt động "
    "từ 01/07/2025"
)
COMMUNE_LEGAL_BASIS = (
    "Nghị quyết số 1656/NQ-UBTVQH15 ngày 16/06/2025; mã theo Quyết định số 19/2025/QĐ-TTg"
)

#: Words that open a unit's name (longest first), by the kind of unit they name.
DISTRICT_WORDS = ("thi xa", "quan", "huyen")
COMMUNE_WORDS = ("thi tran", "phuong", "xa")


@functools.cache
def data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load_units(apps) -> None:
    """Create (or refresh) the units and successions; idempotent. For data migrations and
    for tests that flush the database."""
    District = apps.get_model("registry", "District")
    Unit = apps.get_model("registry", "AdministrativeUnit")
    Succession = apps.get_model("registry", "UnitSuccession")
    source = data()
    districts = {d.code: d for d in District.objects.all()}
    units = {}
    for row in source["districts"]:
        district = districts.get(row["code"])
        units[row["code"]], _created = Unit.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": "district",
                "name": district.name if district else row["name"],
                "kind": row["kind"],
                "valid_from": None,
                "valid_to": DISTRICTS_VALID_TO,
                "legal_basis": DISTRICT_LEGAL_BASIS,
                "district": district,
            },
        )
    for row in source["communes"]:
        units[row["code"]], _created = Unit.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": "commune",
                "name": row["name"],
                "kind": row["kind"],
                "valid_from": COMMUNES_VALID_FROM,
                "valid_to": None,
                "legal_basis": COMMUNE_LEGAL_BASIS,
            },
        )
    for row in source["districts"]:
        for successor in row["successors"]:
            Succession.objects.update_or_create(
                predecessor=units[row["code"]],
                successor=units[successor["code"]],
                defaults={"whole": successor["whole"]},
            )


def key(text: str) -> str:
    """A name reduced for matching: no diacritics, lower case, letters and digits only
    ("Xã Tây Đằng" → "xataydang")."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    # Only ASCII letters and digits are kept, and after the decomposition no other character
    # lower-cases to one (the Kelvin sign and "İ" decompose to K and I): the accents and
    # everything else are dropped in one pass of bytes, as fast for a long text.
    ascii_text = text.encode("ascii", "ignore").lower()
    return ascii_text.translate(None, _NOT_KEY_BYTES).decode("ascii")


_NOT_KEY_BYTES = bytes(b for b in range(128) if not chr(b).isalnum())


def _without_word(name_key: str, words) -> str:
    for word in words:
        word_key = word.replace(" ", "")
        if name_key.startswith(word_key) and len(name_key) > len(word_key):
            return name_key[len(word_key) :]
    return name_key


@functools.cache
def _former_index() -> dict:
    """(district code, commune key without its kind word) → former communes."""
    index = {}
    for former in data()["former_communes"]:
        bare = _without_word(key(former["name"]), COMMUNE_WORDS)
        index.setdefault((former["district"], bare), []).append(former)
    return index


@dataclass(frozen=True)
class Conversion:
    """What an old address converts to: ``commune`` (a code) when it is settled, else
    ``None`` with the candidates (codes) to choose from; ``former`` names the old commune."""

    former: str | None
    commune: str | None
    candidates: tuple[str, ...]

    @property
    def settled(self) -> bool:
        return self.commune is not None


NOT_FOUND = Conversion(former=None, commune=None, candidates=())


def former_commune_key(address: str, district_code: str) -> list[dict]:
    """The former communes of ``district_code`` that ``address`` names ("xã Tây Đằng",
    "Phường Phúc Xá, Quận Ba Đình", "Tây Đằng, Ba Vì"): the parts of the address separated
    by commas are tried from the first to the last."""
    index = _former_index()
    for part in address.split(","):
        part_key = key(part)
        if not part_key:
            continue
        found = index.get((district_code, _without_word(part_key, COMMUNE_WORDS)))
        if found:
            return found
    return []


def convert_former_address(address: str, district_code: str) -> Conversion:
    """Today's commune of a place given by its old address (former commune) in the district
    ``district_code``, through the official conversion. A former commune that went whole
    into one new commune is settled; one that was split between several is not (the
    candidates are returned, the default one first): the place must be looked at."""
    if not address or not district_code:
        return NOT_FOUND
    found = former_commune_key(address, district_code)
    if len(found) != 1:
        return NOT_FOUND
    former = found[0]
    successors = former["successors"]
    if len(successors) == 1:
        return Conversion(former["name"], successors[0]["code"], (successors[0]["code"],))
    ordered = sorted(successors, key=lambda s: not s["default"])
    return Conversion(former["name"], None, tuple(s["code"] for s in ordered))


def parse_district(text: str) -> str | None:
    """The code of the district that ``text`` names ("huyện Ba Vì", "Ba Vì", "271")."""
    text = text.strip()
    if re.fullmatch(r"[0-9]{1,3}", text):
        return text.zfill(3)
    bare = _without_word(key(text), DISTRICT_WORDS)
    for district in data()["districts"]:
        if key(district["name"]) == bare:
            return district["code"]
    return None


def settle_communes(model, unit_model, needs_commune) -> tuple[int, int]:
    """Fill the commune of the records of ``model`` (a historical model of a data migration)
    that have none, from their old address (former commune) and district through the
    official conversion. A record whose former commune was split, or whose address names
    none, is not guessed: if it exists after the reform (``needs_commune``, a Q) it is
    flagged ``commune_to_check`` (the admin's review list). Returns (settled, flagged)."""
    communes = dict(unit_model.objects.filter(level="commune").values_list("code", "pk"))
    settled = flagged = 0
    pending = model.objects.filter(commune__isnull=True).select_related("district")
    needing = set(pending.filter(needs_commune).values_list("pk", flat=True))
    for record in pending.iterator():
        conversion = convert_former_address(record.address, record.district.code)
        if conversion.settled:
            record.commune_id = communes[conversion.commune]
            record.commune_to_check = False
            settled += 1
        elif record.pk in needing:
            record.commune_to_check = True
            flagged += 1
        else:
            continue
        record.save(update_fields=["commune", "commune_to_check"])
    return settled, flagged
