"""Generate ``hanoi_units.json``: Hanoi's administrative units before and after the reform
of 1 July 2025, and the official old → new conversion, from the ``vietnamadminunits``
package (MIT), which carries the codes of Decision 19/2025/QĐ-TTg and the conversion of
Resolution 1656/NQ-UBTVQH15.

Run by hand when the source changes (the package is a development requirement, not a
run-time one)::

    .venv/bin/python registry/data/generate_hanoi_units.py

The JSON it writes is committed; the data migrations and ``registry.units`` read only it.
"""

import json
import sqlite3
from pathlib import Path

import vietnamadminunits

PROVINCE_CODE = "01"
PROVINCE_KEY = "thanhphohanoi"
PACKAGE_DATA = Path(vietnamadminunits.__file__).parent / "data"
OUT = Path(__file__).with_name("hanoi_units.json")

DISTRICT_KINDS = {"Quận": "urban", "Huyện": "rural", "Thị xã": "town"}
WARD_KINDS = {"Phường": "ward", "Xã": "commune", "Thị trấn": "township"}


def prefix_removed(name: str, kind_word: str) -> str:
    return name[len(kind_word) :].strip() if name.startswith(kind_word + " ") else name


def main() -> None:
    db = sqlite3.connect(PACKAGE_DATA / "dataset.db")
    db.row_factory = sqlite3.Row
    conversion = json.loads((PACKAGE_DATA / "converter_2025.json").read_text(encoding="utf-8"))
    whole = conversion["DICT_PROVINCE_WARD_NO_DIVIDED"][PROVINCE_KEY]  # new key → [old keys]
    split = conversion["DICT_PROVINCE_WARD_DIVIDED"][PROVINCE_KEY]  # old key → [new wards]

    communes = {}
    for row in db.execute(
        "SELECT DISTINCT wardCode, ward, wardType, wardKey FROM admin_units "
        "WHERE provinceCode = ? ORDER BY wardCode",
        (PROVINCE_CODE,),
    ):
        communes[row["wardKey"]] = {
            "code": row["wardCode"],
            "name": row["ward"],
            "kind": WARD_KINDS[row["wardType"]],
        }

    districts = {}
    former_communes = []
    for row in db.execute(
        "SELECT DISTINCT districtCode, district, districtType, districtKey, wardCode, ward, "
        "wardType, wardKey FROM admin_units_legacy WHERE provinceCode = ? "
        "ORDER BY districtCode, wardCode",
        (PROVINCE_CODE,),
    ):
        districts.setdefault(
            row["districtCode"],
            {
                "code": row["districtCode"],
                "name": prefix_removed(row["district"], row["districtType"]),
                "kind": DISTRICT_KINDS[row["districtType"]],
            },
        )
        old_key = f"{PROVINCE_KEY}_{row['districtKey']}_{row['wardKey']}"
        successors = [
            {"code": communes[new_key]["code"], "whole": True, "default": True}
            for new_key, olds in whole.items()
            if old_key in olds
        ]
        successors += [
            {
                "code": communes[part["newWardKey"]]["code"],
                "whole": False,
                "default": bool(part["isDefaultNewWard"]),
            }
            for part in split.get(old_key, [])
        ]
        if not successors:
            raise SystemExit(f"no successor for {old_key}")
        former_communes.append(
            {
                "code": row["wardCode"],
                "name": row["ward"],
                "kind": WARD_KINDS[row["wardType"]],
                "district": row["districtCode"],
                "successors": sorted(successors, key=lambda s: s["code"]),
            }
        )

    # District → commune succession: the communes that took territory from a district;
    # "whole" only if one commune took the whole district.
    district_successors = {}
    for former in former_communes:
        district_successors.setdefault(former["district"], set()).update(
            s["code"] for s in former["successors"]
        )
    for code, district in districts.items():
        received = sorted(district_successors[code])
        district["successors"] = [{"code": c, "whole": len(received) == 1} for c in received]

    data = {
        "source": f"vietnamadminunits {getattr(vietnamadminunits, '__version__', '1.0.4')}",
        "districts": sorted(districts.values(), key=lambda d: d["code"]),
        "communes": sorted(communes.values(), key=lambda c: c["code"]),
        "former_communes": former_communes,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"{len(data['districts'])} districts, {len(data['communes'])} communes, "
        f"{len(former_communes)} former communes → {OUT}"
    )


if __name__ == "__main__":
    main()
