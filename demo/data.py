"""The demo dataset of the README: Hanoi clusters and markets, illustrative figures.

Cluster and market names follow real Hanoi industrial clusters and markets, each keyed on both
maps of the reform of 1 July 2025: its former district and the commune-level unit (five-digit
code of Decision 19/2025/QĐ-TTg) in which the place lies today. The commune is the official
conversion of the old address (former commune or ward + district, ``registry.units``, from the
``vietnamadminunits`` package); where the package splits the former commune between several new
units, the one chosen is written beside the record. The public facts of the design's demo
section are right (Tam Hiệp and Liên Hiệp, Đông Phú Yên, Xà Cầu, Cầu Bầu, Kim Liên, Phú Đô,
Châu Long); the other areas, dates, inspections and counts are illustrative, in Hanoi's
proportions: in 2019–2021 a third of the operating clusters had a working centralized
wastewater-treatment plant, more since, still short of the 95 % target in 2025–2026.
Dates of recent inspections are given in days before the day the data is loaded, so that the
dashboard "today" always has every state to show.
"""

from decimal import Decimal as D


def bn(value: str) -> D:
    """Billions of VND (tỷ đồng) in VND."""
    return D(int(D(value) * 1_000_000_000))


def report(industrial: str, leased: str | None, registered: str, disbursed: str | None, workers):
    """The report's indicators: industrial and leased land (ha), registered and disbursed
    infrastructure capital (billion VND), workers."""
    return {
        "industrial_land": D(industrial),
        "leased_land": D(leased) if leased is not None else None,
        "registered_capital": bn(registered),
        "disbursed_capital": bn(disbursed) if disbursed is not None else None,
        "workers": workers,
    }


FIRST = "Gia hạn tiến độ đầu tư xây dựng hạ tầng kỹ thuật (lần 1)"
SECOND = "Gia hạn tiến độ đầu tư xây dựng hạ tầng kỹ thuật (lần 2)"

# district: the former district (3-digit code); commune: today's commune (5-digit code).
# Lifecycle: (established, construction started, operating since, closed) as ISO dates or None.
# Schedule (optional): (planned construction start, planned completion, infrastructure completed);
# extensions: (decision number, decided on, new start deadline, new completion deadline, note);
# report (optional): see report() above. Occupancy (%) is leased ÷ industrial land.
# WWTP: (construction started, operating since, capacity m³/day, standard, automatic monitoring)
# Inspections: "yearly" = first year of a yearly September inspection (to the year "until"),
# "failed_years" those of them out of limits; "recent" = (result, days before load) pairs;
# "same_day" adds a meets and a fails on one day; "before_wwtp" one before the plant ran.
#
# Operating clusters with a plant in operation: 5 of 15 in 2019–2021 (Ngọc Hồi, Quất Động,
# Bình Phú, Bắc Vân Đình, Yên Nghĩa), 11 of 14 at the end of 2025.
CLUSTERS = [
    # --- compliant at today -------------------------------------------------------------
    {
        "code": "CCN-NGOC-HOI",
        "name": "Cụm công nghiệp Ngọc Hồi",
        "district": "020",
        "commune": "00679",  # Xã Ngọc Hồi (Thanh Trì) → Xã Ngọc Hồi, whole
        "address": "Xã Ngọc Hồi",
        "area_ha": D("61.00"),
        "decision_no": "2156/QĐ-UBND",
        "developer": "Công ty CP Đầu tư phát triển Ngọc Hồi",
        "dates": ("2004-06-10", "2005-03-01", "2007-01-15", None),
        "occupancy": D("98.44"),
        "tenants": 112,
        "report": report("45.00", "44.30", "350", "342", 6800),
        "wwtp": ("2012-05-01", "2014-03-01", D("2000"), "qcvn40_2011_b", True),
        "inspections": {"yearly": 2019, "until": 2025, "recent": [("meets", 45)]},
    },
    {
        "code": "CCN-THIET-BINH",
        "name": "Cụm công nghiệp Thiết Bình",
        "district": "017",
        "commune": "00475",  # Xã Vân Hà (Đông Anh) → Xã Thư Lâm, whole
        "address": "Xã Vân Hà",
        "area_ha": D("14.30"),
        "decision_no": "1043/QĐ-UBND",
        "developer": "UBND huyện Đông Anh",
        "dates": ("2009-03-02", "2010-01-10", "2012-05-01", None),
        "occupancy": D("100.00"),
        "tenants": 58,
        "report": report("10.20", "10.20", "95", "91", 1250),
        "wwtp": ("2021-03-01", "2022-06-01", D("500"), "qcvn40_2011_b", False),
        "inspections": {"yearly": 2022, "until": 2025, "recent": [("meets", 30)]},
    },
    {
        "code": "CCN-LIEN-HA-2",
        "name": "Cụm công nghiệp Liên Hà 2",
        "district": "017",
        # Xã Liên Hà (Đông Anh) was split between Xã Thư Lâm (the package's default) and Xã
        # Đông Anh: Thư Lâm.
        "commune": "00475",
        "address": "Xã Liên Hà",
        "area_ha": D("20.00"),
        "decision_no": "3381/QĐ-UBND",
        "developer": "Công ty TNHH Liên Hà",
        "dates": ("2008-07-15", "2009-04-01", "2011-02-01", None),
        "occupancy": D("96.00"),
        "tenants": 41,
        "report": report("14.00", "13.44", "426.8", "380", 1900),
        "wwtp": ("2022-05-01", "2023-04-01", D("400"), "qcvn40_2011_b", False),
        "inspections": {"yearly": 2023, "until": 2025, "recent": [("meets", 200)]},
    },
    {
        "code": "CCN-YEN-SON",
        "name": "Cụm công nghiệp Yên Sơn",
        "district": "275",
        # Xã Yên Sơn (Quốc Oai) was merged with Phượng Cách into Xã Phượng Sơn on 1 January
        # 2025 (the package's former communes have Phượng Sơn, not Yên Sơn), which was split
        # between Xã Quốc Oai (the default) and Xã Tây Phương: Quốc Oai.
        "commune": "09895",
        "address": "Xã Yên Sơn",
        "area_ha": D("28.00"),
        "decision_no": "6210/QĐ-UBND",
        "developer": "Công ty CP Đầu tư Yên Sơn",
        "dates": ("2011-09-20", "2012-05-01", "2015-03-01", None),
        "occupancy": D("88.00"),
        "tenants": 37,
        "report": report("20.00", "17.60", "310", "265", 2600),
        "wwtp": ("2020-11-01", "2022-05-01", D("800"), "qcvn40_2011_a", True),
        "inspections": {"yearly": 2022, "until": 2025, "recent": [("meets", 75)]},
    },
    {
        "code": "CCN-BINH-PHU",
        "name": "Cụm công nghiệp Bình Phú",
        "district": "276",
        # Xã Bình Phú (Thạch Thất) was merged into a neighbouring commune on 1 January 2025
        # (not among the package's former communes); its neighbours Phùng Xá and Thạch Xá
        # went whole into Xã Tây Phương.
        "commune": "10003",
        "address": "Xã Bình Phú",
        "area_ha": D("24.50"),
        "decision_no": "2210/QĐ-UBND",
        "developer": "Công ty CP Bình Phú",
        "dates": ("2006-05-01", "2007-02-01", "2009-06-01", None),
        "occupancy": D("97.00"),
        "tenants": 64,
        "report": report("17.00", "16.49", "240", "231", 3100),
        "wwtp": ("2013-01-01", "2014-10-01", D("900"), "qcvn40_2011_b", True),
        "inspections": {"yearly": 2019, "until": 2025, "recent": [("meets", 150)]},
    },
    {
        "code": "CCN-QUAT-DONG",
        "name": "Cụm công nghiệp Quất Động",
        "district": "279",
        "commune": "10231",  # Xã Quất Động (Thường Tín) → Xã Thượng Phúc, whole
        "address": "Xã Quất Động",
        "area_ha": D("41.00"),
        "decision_no": "1720/QĐ-UBND",
        "developer": "Công ty CP Quất Động",
        "dates": ("2005-08-01", "2006-03-01", "2008-09-01", None),
        "occupancy": D("99.00"),
        "tenants": 83,
        "report": report("30.00", "29.70", "410", "402", 5200),
        "wwtp": ("2011-01-01", "2012-12-01", D("1500"), "qcvn40_2011_b", True),
        "inspections": {"yearly": 2019, "until": 2025, "recent": [("meets", 20)]},
    },
    {
        "code": "CCN-PHU-THI",
        "name": "Cụm công nghiệp Phú Thị",
        "district": "018",
        # Xã Phú Thị (Gia Lâm) was merged with Kim Sơn into Xã Phú Sơn on 1 January 2025
        # (the package has Phú Sơn, not Phú Thị), which was split between Xã Thuận An (the
        # default) and Xã Gia Lâm: Thuận An.
        "commune": "00562",
        "address": "Xã Phú Thị",
        "area_ha": D("18.00"),
        "decision_no": "3012/QĐ-UBND",
        "developer": "Công ty CP Đầu tư Gia Lâm",
        "dates": ("2007-04-01", "2008-01-01", "2010-05-01", None),
        "occupancy": D("90.00"),
        "tenants": 45,
        "report": report("13.00", "11.70", "180", "162", 1500),
        "wwtp": ("2021-06-01", "2022-12-01", D("600"), "qcvn40_2011_b", False),
        "inspections": {"yearly": 2023, "until": 2025, "recent": [("meets", 100)]},
    },
    {
        "code": "CCN-CAU-BAU",
        "name": "Cụm công nghiệp Cầu Bầu",
        "district": "281",
        "commune": "10369",  # Xã Quảng Phú Cầu (Ứng Hòa) → Xã Ứng Thiên, whole
        "address": "Xã Quảng Phú Cầu",
        "area_ha": D("5.29"),
        "craft_village": True,
        "decision_no": "2241/QĐ-UBND",
        "developer": "Công ty CP Cầu Bầu",
        "dates": ("2015-06-01", "2016-04-01", "2019-01-01", None),
        "occupancy": D("60.00"),
        "tenants": 18,
        "report": report("4.10", "2.46", "85", "60", 420),
        "wwtp": ("2023-01-01", "2024-12-01", D("150"), "qcvn40_2011_b", False),
        "inspections": {"yearly": 2025, "until": 2025, "recent": [("meets", 120)]},
    },
    # --- failed: latest inspection out of limits ----------------------------------------
    {
        "code": "CCN-BAC-VAN-DINH",
        "name": "Cụm công nghiệp Bắc Vân Đình",
        "district": "281",
        "commune": "10354",  # Thị trấn Vân Đình (Ứng Hòa) → Xã Vân Đình, whole
        "address": "Thị trấn Vân Đình",
        "area_ha": D("20.00"),
        "decision_no": "1987/QĐ-UBND",
        "developer": "Công ty CP Đầu tư Vân Đình",
        "dates": ("2012-03-15", "2013-02-01", "2016-01-01", None),
        "occupancy": D("74.00"),
        "tenants": 29,
        "report": report("14.50", "10.73", "220", "176", 1100),
        "wwtp": ("2017-01-01", "2018-09-01", D("600"), "qcvn40_2011_b", False),
        "inspections": {
            "yearly": 2019,
            "until": 2025,
            "failed_years": [2020],
            "recent": [("fails", 60)],
        },
        "exceeded": "COD, Amoni",
    },
    # --- stale evidence -------------------------------------------------------------------
    {
        "code": "CCN-PHU-MINH",
        "name": "Cụm công nghiệp Phú Minh",
        "district": "280",
        "commune": "10273",  # Thị trấn Phú Minh (Phú Xuyên) → Xã Phú Xuyên, whole
        "address": "Thị trấn Phú Minh",
        "area_ha": D("16.00"),
        "decision_no": "4402/QĐ-UBND",
        "developer": "Công ty TNHH Phú Minh",
        "dates": ("2009-01-01", "2009-11-01", "2012-03-01", None),
        "occupancy": D("85.00"),
        "tenants": 33,
        "report": report("11.60", "9.86", "150", "128", 900),
        "wwtp": ("2020-09-01", "2022-03-01", D("500"), "qcvn40_2011_b", False),
        "inspections": {"yearly": 2022, "until": 2024, "recent": []},
    },
    # --- no evidence: a plant in operation but never inspected since ---------------------
    {
        "code": "CCN-DUC-TU",
        "name": "Cụm công nghiệp Dục Tú",
        "district": "017",
        # Xã Dục Tú (Đông Anh) was split between Xã Đông Anh (the package's default) and Xã
        # Thư Lâm: Đông Anh.
        "commune": "00454",
        "address": "Xã Dục Tú",
        "area_ha": D("15.00"),
        "decision_no": "1350/QĐ-UBND",
        "developer": "UBND huyện Đông Anh",
        "dates": ("2012-08-01", "2013-05-01", "2016-03-01", None),
        "occupancy": D("78.00"),
        "tenants": 26,
        "report": report("10.50", "8.19", "336.8", "210", 800),
        "wwtp": ("2024-06-01", "2025-10-01", D("350"), "qcvn40_2025_b", True),
        "inspections": {"before_wwtp": 2023},
    },
    # --- no treatment plant in operation --------------------------------------------------
    {
        "code": "CCN-CAM-THUONG",
        "name": "Cụm công nghiệp Cẩm Thượng",
        "district": "271",
        "commune": "09619",  # Xã Cam Thượng (Ba Vì) → Xã Quảng Oai, whole
        "address": "Xã Cam Thượng",
        "area_ha": D("15.59"),
        "decision_no": "4190/QĐ-UBND",
        "developer": "Công ty CP Cẩm Thượng",
        "dates": ("2013-05-01", "2014-06-01", "2018-01-01", None),
        "occupancy": D("45.00"),
        "tenants": 12,
        "report": report("11.00", "4.95", "160", "95", 380),
        "wwtp": ("2025-03-01", None, D("500"), "qcvn40_2025_b", False),
        "inspections": {},
    },
    {
        "code": "CCN-THUY-LAM",
        "name": "Cụm công nghiệp Thụy Lâm",
        "district": "017",
        "commune": "00475",  # Xã Thụy Lâm (Đông Anh) → Xã Thư Lâm, whole
        "address": "Xã Thụy Lâm",
        "area_ha": D("17.00"),
        "decision_no": "1351/QĐ-UBND",
        "developer": "UBND xã Thụy Lâm",
        "dates": ("2003-01-01", None, "2005-06-01", None),
        "occupancy": D("100.00"),
        "tenants": 35,
        "report": report("12.00", "12.00", "120", "120", 1400),
        "wwtp": None,
        "inspections": {},
    },
    {
        "code": "CCN-XUY-XA",
        "name": "Cụm công nghiệp Xuy Xá",
        "district": "282",
        "commune": "10465",  # Xã Xuy Xá (Mỹ Đức) → Xã Hồng Sơn, whole
        "address": "Xã Xuy Xá",
        "area_ha": D("10.00"),
        "decision_no": "2788/QĐ-UBND",
        "developer": "Công ty TNHH Xuy Xá",
        "dates": ("2014-02-01", "2015-01-01", "2019-06-01", None),
        "occupancy": D("52.00"),
        "tenants": 14,
        "report": report("7.50", "3.90", "95", "52", 310),
        "wwtp": None,
        "inspections": {},
    },
    # --- under construction ---------------------------------------------------------------
    {
        "code": "CCN-HOAI-DUC",
        "name": "Cụm công nghiệp Hoài Đức",
        "district": "274",
        # Xã An Khánh (Hoài Đức) was split between Xã An Khánh (the default), Phường Tây Mỗ
        # and Xã Sơn Đồng: An Khánh.
        "commune": "09877",
        "address": "Xã An Khánh",
        "area_ha": D("46.90"),
        "decision_no": "5660/QĐ-UBND",
        "developer": "Công ty CP Đầu tư Hoài Đức",
        "dates": ("2019-07-01", "2021-03-01", None, None),
        "occupancy": None,
        "tenants": None,
        "report": report("33.00", None, "620", "240", None),
        "wwtp": ("2023-01-01", None, D("1000"), "qcvn40_2025_a", True),
        "inspections": {},
    },
    {
        "code": "CCN-DAN-PHUONG",
        "name": "Cụm công nghiệp Tân Lập",
        "district": "273",
        # Xã Tân Lập (Đan Phượng) was split between Xã Hoài Đức (the default) and Xã Ô
        # Diên: Hoài Đức.
        "commune": "09832",
        "address": "Xã Tân Lập",
        "area_ha": D("37.00"),
        "decision_no": "1124/QĐ-UBND",
        "developer": "Công ty CP Phát triển Tân Lập",
        "dates": ("2020-02-01", "2021-10-01", None, None),
        "occupancy": None,
        "tenants": None,
        "report": report("26.00", None, "450", "120", None),
        "wwtp": None,
        "inspections": {},
    },
    # Under construction after their schedule was extended (Tam Hiệp and Liên Hiệp: established
    # 2020, extended in 2022 and 2023, construction from 19 January 2024) or late (Đông Phú
    # Yên and Xà Cầu: construction from the first half of 2024). Decision numbers, deadlines
    # and capital are illustrative.
    {
        "code": "CCN-TAM-HIEP",
        "name": "Cụm công nghiệp Tam Hiệp",
        "district": "272",
        "commune": "09772",  # Xã Tam Hiệp (Phúc Thọ) → Xã Hát Môn, whole
        "address": "Xã Tam Hiệp",
        "area_ha": D("30.80"),
        "decision_no": "5479/QĐ-UBND",
        "developer": "Công ty CP Tam Hiệp",
        "dates": ("2020-07-20", "2024-01-19", None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
        "schedule": ("2021-06-30", "2023-06-30", None),
        "extensions": [
            ("3311/QĐ-UBND", "2022-06-15", "2022-12-31", "2024-12-31", FIRST),
            ("4125/QĐ-UBND", "2023-08-10", "2023-12-31", "2025-12-31", SECOND),
        ],
        "report": report("22.00", None, "520", "185", None),
    },
    {
        "code": "CCN-LIEN-HIEP",
        "name": "Cụm công nghiệp Liên Hiệp",
        "district": "272",
        "commune": "09772",  # Xã Liên Hiệp (Phúc Thọ) → Xã Hát Môn, whole
        "address": "Xã Liên Hiệp",
        "area_ha": D("48.20"),
        "decision_no": "5478/QĐ-UBND",
        "developer": "Công ty CP Xây dựng Liên Hiệp",
        "dates": ("2020-07-20", "2024-01-19", None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
        "schedule": ("2021-06-30", "2023-06-30", None),
        "extensions": [
            ("3312/QĐ-UBND", "2022-06-15", "2022-12-31", "2024-12-31", FIRST),
            ("4126/QĐ-UBND", "2023-08-10", "2023-12-31", "2026-12-31", SECOND),
        ],
        "report": report("34.50", None, "780", "260", None),
    },
    {
        "code": "CCN-DONG-PHU-YEN",
        "name": "Cụm công nghiệp Đông Phú Yên",
        "district": "277",
        "commune": "10030",  # Xã Đông Phương Yên (Chương Mỹ) → Xã Phú Nghĩa, whole
        "address": "Xã Đông Phương Yên",
        "area_ha": D("21.70"),
        "decision_no": "4420/QĐ-UBND",
        "developer": "Công ty CP Phú Yên",
        "dates": ("2019-05-15", "2024-03-15", None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
        "schedule": ("2020-12-31", "2025-06-30", None),
        "report": report("15.60", None, "410", "150", None),
    },
    {
        "code": "CCN-XA-CAU",
        "name": "Cụm công nghiệp Xà Cầu",
        "district": "281",
        "commune": "10369",  # Xã Quảng Phú Cầu (Ứng Hòa) → Xã Ứng Thiên, whole
        "address": "Xã Quảng Phú Cầu",
        "area_ha": D("13.50"),
        "decision_no": "2240/QĐ-UBND",
        "developer": "UBND huyện Ứng Hòa",
        "dates": ("2019-05-15", "2024-05-20", None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
        "schedule": ("2020-12-31", "2026-12-31", None),
        "report": report("9.80", None, "260", "70", None),
    },
    # --- established, construction overdue (no start 24 months after the decision) --------
    {
        "code": "CCN-KIM-HOA",
        "name": "Cụm công nghiệp Kim Hoa",
        "district": "250",
        # Xã Kim Hoa (Mê Linh) was split between Xã Quang Minh (the default) and Xã Tiến
        # Thắng: Quang Minh.
        "commune": "08974",
        "address": "Xã Kim Hoa",
        "area_ha": D("50.00"),
        "decision_no": "3010/QĐ-UBND",
        "developer": "Công ty CP Kim Hoa",
        "dates": ("2021-03-01", None, None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
    },
    {
        "code": "CCN-PHUNG-XA",
        "name": "Cụm công nghiệp Phùng Xá",
        "district": "276",
        "commune": "10003",  # Xã Phùng Xá (Thạch Thất) → Xã Tây Phương, whole
        "address": "Xã Phùng Xá",
        "area_ha": D("34.40"),
        "decision_no": "3011/QĐ-UBND",
        "developer": "Công ty CP Phùng Xá",
        "dates": ("2020-12-20", None, None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
    },
    {
        "code": "CCN-THANH-OAI",
        "name": "Cụm công nghiệp Thanh Oai",
        "district": "278",
        "commune": "10126",  # Xã Bích Hòa (Thanh Oai) → Xã Bình Minh, whole
        "address": "Xã Bích Hòa",
        "area_ha": D("72.00"),
        "decision_no": "3012/QĐ-UBND",
        "developer": "Công ty CP Đầu tư Thanh Oai",
        "dates": ("2022-06-15", None, None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
    },
    # --- established recently (not yet overdue) --------------------------------------------
    {
        "code": "CCN-NAM-PHU-XUYEN",
        "name": "Cụm công nghiệp Nam Phú Xuyên",
        "district": "280",
        "commune": "10342",  # Xã Phúc Tiến (Phú Xuyên) → Xã Đại Xuyên, whole
        "address": "Xã Phúc Tiến",
        "area_ha": D("45.00"),
        "decision_no": "512/QĐ-UBND",
        "developer": "Công ty CP Nam Phú Xuyên",
        "dates": ("2025-09-01", None, None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
    },
    # --- planned: in the development plan, no decision yet --------------------------------
    {
        "code": "CCN-SOC-SON-2",
        "name": "Cụm công nghiệp Sóc Sơn 2",
        "district": "016",
        "commune": "00382",  # Xã Minh Trí (Sóc Sơn) → Xã Kim Anh, whole
        "address": "Xã Minh Trí",
        "area_ha": D("65.00"),
        "decision_no": "",
        "developer": "",
        "dates": (None, None, None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
    },
    {
        "code": "CCN-SON-TAY",
        "name": "Cụm công nghiệp Phú Thịnh",
        "district": "269",
        "commune": "09574",  # Phường Phú Thịnh (Sơn Tây) → Phường Sơn Tây, whole
        "address": "Phường Phú Thịnh",
        "area_ha": D("5.80"),
        "decision_no": "",
        "developer": "",
        "dates": (None, None, None, None),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
    },
    # --- closed: removed from the plan (before the reform; the place still has a commune) --
    {
        "code": "CCN-YEN-NGHIA",
        "name": "Cụm công nghiệp Yên Nghĩa",
        "district": "268",
        # Phường Yên Nghĩa (Hà Đông) was split between Phường Yên Nghĩa (the default) and
        # Phường Dương Nội: Yên Nghĩa.
        "commune": "09562",
        "address": "Phường Yên Nghĩa",
        "area_ha": D("15.00"),
        "decision_no": "2001/QĐ-UBND",
        "developer": "Công ty CP Yên Nghĩa",
        "dates": ("2008-01-01", "2009-01-01", "2011-01-01", "2022-06-30"),
        "occupancy": D("0.00"),
        "tenants": 0,
        "wwtp": ("2013-01-01", "2014-01-01", D("300"), "qcvn40_2011_b", False),
        "inspections": {"yearly": 2019, "until": 2021, "recent": []},
    },
    {
        "code": "CCN-DUYEN-THAI",
        "name": "Cụm công nghiệp Duyên Thái",
        "district": "279",
        # Xã Duyên Thái (Thường Tín) was split between Xã Hồng Vân (the default), Xã Ngọc
        # Hồi and Xã Nam Phù: Hồng Vân.
        "commune": "10210",
        "address": "Xã Duyên Thái",
        "area_ha": D("20.00"),
        "decision_no": "1888/QĐ-UBND",
        "developer": "",
        "dates": ("2017-05-01", None, None, "2023-12-31"),
        "occupancy": None,
        "tenants": None,
        "wwtp": None,
        "inspections": {},
    },
]

# (code, name, district, commune, address, kind, class, construction, capital, management,
#  business points, area m², year built, status, status since). The commune is the official
# conversion of the old ward or commune of the address; the choice among the package's
# successors of a split one is noted.
# fmt: off
MARKETS = [
    # Phường Đồng Xuân was split between Phường Hoàn Kiếm (the default) and Phường Ba Đình;
    # the market, east of the old citadel, is in Hoàn Kiếm.
    ("CHO-DONG-XUAN", "Chợ Đồng Xuân", "002", "00070", "Phường Đồng Xuân", "wholesale", "1",
     "permanent", "state_budget", "enterprise", 2000, D("14000"), 1890, "operating",
     "1996-01-01"),
    # Phường Hàng Đào → Phường Hoàn Kiếm, whole.
    ("CHO-DEM-DONG-XUAN", "Chợ đêm Đồng Xuân", "002", "00070", "Phố Hàng Đào, Phường Hàng Đào",
     "night", None, "temporary", "non_budget", "enterprise", 380, D("3200"), 2003, "operating",
     "2003-11-01"),
    # Phường Cửa Đông was split between Phường Hoàn Kiếm (the default) and Phường Ba Đình.
    ("CHO-HANG-DA", "Chợ Hàng Da", "002", "00070", "Phố Hàng Da, Phường Cửa Đông", "peoples",
     "2", "permanent", "non_budget", "enterprise", 350, D("3900"), 2010, "operating",
     "2010-05-01"),
    # Phường Hoàng Liệt was split four ways; the market is in Phường Hoàng Liệt (the default).
    ("CHO-DAU-MOI-PHIA-NAM", "Chợ đầu mối nông sản phía Nam", "008", "00337",
     "Phường Hoàng Liệt", "wholesale", "1", "permanent", "non_budget", "enterprise", 1200,
     D("52000"), 2006, "operating", "2006-03-01"),
    # Phường Minh Khai (Bắc Từ Liêm) was split four ways: Phường Tây Tựu (the default).
    ("CHO-DAU-MOI-MINH-KHAI", "Chợ đầu mối Minh Khai", "021", "00613", "Phường Minh Khai",
     "wholesale", "2", "semi_permanent", "state_budget", "cooperative", 320, D("8000"), 2004,
     "under_renovation", "2024-04-01"),
    # Phường Kim Liên → Phường Kim Liên, whole. Class 3 with about 200 business points.
    ("CHO-KIM-LIEN", "Chợ Kim Liên", "006", "00229", "Phường Kim Liên", "peoples", "3",
     "permanent", "non_budget", "enterprise", 198, D("4200"), 2011, "operating", "2011-09-01"),
    # Phường Phú Đô was split between Phường Từ Liêm (the default) and Phường Đại Mỗ.
    # Rebuilt 2023–2024, open again in November 2024.
    ("CHO-PHU-DO", "Chợ Phú Đô", "019", "00592", "Phường Phú Đô", "peoples", "3", "permanent",
     "state_budget", "state_body", 180, D("2100"), 2024, "operating", "2024-11-20"),
    # Phường Phúc Xá → Phường Hồng Hà, whole.
    ("CHO-LONG-BIEN", "Chợ Long Biên", "001", "00097", "Phường Phúc Xá", "wholesale", "1",
     "permanent", "state_budget", "state_body", 900, D("20000"), 1995, "operating",
     "1995-01-01"),
    # Phường Trúc Bạch → Phường Ba Đình, whole. Rebuilt 2022–2024, open again in December 2024.
    ("CHO-CHAU-LONG", "Chợ Châu Long", "001", "00004", "Phường Trúc Bạch", "peoples", "2",
     "permanent", "non_budget", "enterprise", 260, D("3000"), 2024, "operating", "2024-12-18"),
    # Phường Phố Huế → Phường Hai Bà Trưng, whole.
    ("CHO-HOM-DUC-VIEN", "Chợ Hôm – Đức Viên", "007", "00256", "Phố Huế, Phường Phố Huế",
     "peoples", "1", "permanent", "non_budget", "enterprise", 1100, D("9000"), 1999,
     "operating", "1999-01-01"),
    # Phường Trương Định was split between Phường Tương Mai (the default) and Phường Bạch Mai;
    # Chợ Mơ, on Bạch Mai street, is in Bạch Mai.
    ("CHO-MO", "Chợ Mơ", "007", "00292", "Phường Trương Định", "peoples", "2", "permanent",
     "non_budget", "enterprise", 450, D("6000"), 2012, "operating", "2012-01-01"),
    # Phường Bưởi → Phường Tây Hồ, whole.
    ("CHO-BUOI", "Chợ Bưởi", "003", "00103", "Phường Bưởi", "peoples", "3", "semi_permanent",
     "state_budget", "state_body", 180, D("2600"), 1990, "planned", "2026-01-15"),
    # Phường Nghĩa Tân → Phường Nghĩa Đô, whole.
    ("CHO-NGHIA-TAN", "Chợ Nghĩa Tân", "005", "00160", "Phường Nghĩa Tân", "peoples", "2",
     "permanent", "non_budget", "cooperative", 280, D("3500"), 2008, "operating", "2008-08-01"),
    # Phường Thanh Xuân Bắc was split between Phường Thanh Xuân (the default) and Phường
    # Thanh Liệt: Thanh Xuân.
    ("CHO-THANH-XUAN-BAC", "Chợ Thanh Xuân Bắc", "009", "00367", "Phường Thanh Xuân Bắc",
     "peoples", "3", "permanent", "state_budget", "state_body", 150, D("1800"), 1996,
     "operating", "1996-01-01"),
    # Phường Nguyễn Trãi (Hà Đông) was merged into Phường Quang Trung on 1 January 2025 (the
    # package has Quang Trung), which was split between Phường Hà Đông (the default) and
    # Phường Kiến Hưng: Hà Đông.
    ("CHO-HA-DONG", "Chợ Hà Đông", "268", "09556", "Phường Nguyễn Trãi", "peoples", "1",
     "permanent", "non_budget", "enterprise", 1500, D("12000"), 2013, "operating",
     "2013-04-01"),
    # Phường Lê Lợi (Sơn Tây) was merged into Phường Ngô Quyền on 1 January 2025, which went
    # whole into Phường Sơn Tây.
    ("CHO-SON-TAY", "Chợ Nghệ (Sơn Tây)", "269", "09574", "Phường Lê Lợi", "peoples", "2",
     "permanent", "state_budget", "state_body", 380, D("5200"), 2015, "operating",
     "2015-03-01"),
    # Thị trấn Vân Đình → Xã Vân Đình, whole.
    ("CHO-VAN-DINH", "Chợ Vân Đình", "281", "10354", "Thị trấn Vân Đình", "rural", "3",
     "semi_permanent", "state_budget", "state_body", 210, D("4500"), 2001, "under_construction",
     "2025-08-01"),
    # Xã Ninh Hiệp → Xã Phù Đổng, whole.
    ("CHO-NINH-HIEP", "Chợ Ninh Hiệp", "018", "00541", "Xã Ninh Hiệp", "wholesale", "1",
     "permanent", "non_budget", "enterprise", 3000, D("40000"), 2007, "operating", "2007-01-01"),
    # Xã Bát Tràng was split between Xã Bát Tràng (the default), Xã Gia Lâm and Phường Long
    # Biên: Bát Tràng.
    ("CHO-BAT-TRANG", "Chợ gốm Bát Tràng", "018", "00577", "Xã Bát Tràng", "heritage", None,
     "permanent", "non_budget", "cooperative", 240, D("5000"), 2004, "operating", "2004-01-01"),
    # Xã Uy Nỗ was split between Xã Đông Anh (the default) and Xã Thư Lâm: Đông Anh. Closed
    # before the reform; the place still has its commune.
    ("CHO-TO", "Chợ Tó (Uy Nỗ)", "017", "00454", "Xã Uy Nỗ", "rural", "3", "temporary",
     "state_budget", "state_body", 90, D("1500"), 1985, "closed", "2024-10-01"),
    # Thị trấn Phùng → Xã Đan Phượng, whole.
    ("CHO-DAN-PHUONG", "Chợ Phùng", "273", "09784", "Thị trấn Phùng", "community", "3",
     "permanent", "state_budget", "state_body", 420, D("6100"), 2018, "operating", "2018-01-01"),
    # Xã Sài Sơn → Xã Quốc Oai, whole.
    ("CHO-QUOC-OAI", "Chợ Sài Sơn", "275", "09895", "Xã Sài Sơn", "temporary", None,
     "temporary", "state_budget", "state_body", 60, D("900"), 2022, "operating", "2022-01-01"),
]

# (market code, kind, budget VND, capital source, started, completed, status, note)
MARKET_PROJECTS = [
    ("CHO-DAU-MOI-MINH-KHAI", "renovation", bn("85"), "mixed", "2024-04-01", None,
     "in_progress", "Cải tạo khu nhà chợ và hệ thống thoát nước"),
    ("CHO-PHU-DO", "upgrade", bn("42"), "state_budget", "2023-05-15", "2024-11-20",
     "completed", "Nâng cấp thành chợ kiên cố"),
    ("CHO-CHAU-LONG", "new", bn("180"), "non_budget", "2022-06-01", "2024-12-18", "completed",
     "Xây dựng lại chợ Châu Long"),
    ("CHO-BUOI", "new", bn("120"), "non_budget", "2026-01-15", None, "planned",
     "Xây dựng lại chợ theo quy hoạch"),
    ("CHO-VAN-DINH", "new", bn("65"), "state_budget", "2025-08-01", None, "in_progress",
     "Xây mới chợ trung tâm"),
    ("CHO-KIM-LIEN", "renovation", bn("15"), "non_budget", "2019-03-01", "2020-01-15",
     "completed", ""),
    ("CHO-TO", "relocation", bn("30"), "state_budget", None, None, "planned",
     "Di dời sang địa điểm mới"),
]
# fmt: on

TARGETS = [(2021, D("95.00")), (2025, D("95.00"))]
