"""Writes the spreadsheets that the import tests read (run: python tests/data/generate.py).

The files are committed; this script documents how they were made. Headers are the Vietnamese
column labels that the admin's downloadable template uses.
"""

import csv
import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

CLUSTER_HEADERS = [
    "Mã",
    "Tên",
    "Mã quận/huyện",
    "Địa chỉ / xã",
    "Diện tích quy hoạch (ha)",
    "Số quyết định thành lập",
    "Ngày quyết định thành lập",
    "Chủ đầu tư hạ tầng",
    "Ngày khởi công",
    "Ngày đi vào hoạt động",
    "Ngày đóng",
    "Tỷ lệ lấp đầy (%)",
    "Số doanh nghiệp thứ cấp",
    "Ngày khởi công hệ thống xử lý nước thải",
    "Ngày hệ thống xử lý nước thải đi vào hoạt động",
    "Công suất thiết kế hệ thống xử lý (m³/ngày đêm)",
    "Quy chuẩn áp dụng cho nước thải đầu ra",
    "Quan trắc tự động, liên tục",
]
D = datetime.date

VALID_CLUSTERS = [
    [
        "CCN-LIEN-HA-2",
        "Liên Hà 2",
        "017",
        "Xã Liên Hà",
        "45.5",
        "1234/QĐ-UBND",
        D(2012, 3, 15),
        "Công ty CP Đầu tư Liên Hà",
        D(2013, 6, 1),
        D(2016, 1, 1),
        None,
        "82.5",
        "37",
        D(2015, 3, 1),
        D(2017, 5, 1),
        "1500",
        "QCVN 40:2011/BTNMT, cột B",
        "có",
    ],
    [
        "CCN-DUC-TU",
        "Dục Tú",
        "017",
        "Xã Dục Tú",
        "8,5",
        "56/QĐ-UBND",
        D(2019, 10, 20),
        "",
        None,
        None,
        None,
        "",
        "",
        None,
        None,
        "",
        "",
        "không",
    ],
    [
        "CCN-THUY-LAM",
        "Thụy Lâm",
        "17",
        "Xã Thụy Lâm",
        "60",
        "",
        D(2021, 12, 1),
        "",
        None,
        None,
        None,
        "",
        "",
        None,
        None,
        "",
        "qcvn40_2011_a",
        "",
    ],
]

BAD_CLUSTERS = [
    VALID_CLUSTERS[0],
    # unknown district
    [
        "CCN-KHONG-CO",
        "Quận không tồn tại",
        "999",
        "",
        "20",
        "",
        D(2015, 1, 1),
        "",
        None,
        None,
        None,
        "",
        "",
        None,
        None,
        "",
        "",
        "",
    ],
    # dates out of order: construction before the establishment decision
    [
        "CCN-NGUOC-NGAY",
        "Ngày ngược",
        "017",
        "",
        "20",
        "",
        D(2020, 1, 1),
        "",
        D(2019, 1, 1),
        None,
        None,
        "",
        "",
        None,
        None,
        "",
        "",
        "",
    ],
    # duplicate code within the file
    [
        "CCN-TRUNG-MA",
        "Trùng mã 1",
        "017",
        "",
        "20",
        "",
        D(2015, 1, 1),
        "",
        None,
        None,
        None,
        "",
        "",
        None,
        None,
        "",
        "",
        "",
    ],
    [
        "CCN-TRUNG-MA",
        "Trùng mã 2",
        "017",
        "",
        "25",
        "",
        D(2016, 1, 1),
        "",
        None,
        None,
        None,
        "",
        "",
        None,
        None,
        "",
        "",
        "",
    ],
    # wrong types
    [
        "CCN-SAI-KIEU",
        "Sai kiểu dữ liệu",
        "017",
        "",
        "ba mươi",
        "",
        "31/13/2020",
        "",
        None,
        None,
        None,
        "",
        "nhiều",
        None,
        None,
        "",
        "",
        "",
    ],
]

OTHER_DISTRICT_CLUSTERS = [
    [
        "CCN-XA-CAU-2",
        "Xà Cầu mở rộng",
        "281",
        "Xã Quảng Phú Cầu",
        "30",
        "",
        D(2018, 5, 5),
        "",
        None,
        None,
        None,
        "",
        "",
        None,
        None,
        "",
        "",
        "",
    ],
]

INSPECTION_HEADERS = [
    "Mã cụm công nghiệp",
    "Ngày lấy mẫu / kiểm tra",
    "Kết quả",
    "Quy chuẩn áp dụng",
    "Cơ quan kiểm tra",
    "Số văn bản",
    "Các thông số vượt giới hạn",
    "Ghi chú",
]
VALID_INSPECTIONS = [
    [
        "CCN-THIET-BINH",
        D(2024, 5, 10),
        "Đạt quy chuẩn",
        "QCVN 40:2011/BTNMT, cột B",
        "Sở Tài nguyên và Môi trường Hà Nội",
        "KQ-2024-051",
        "",
        "",
    ],
    [
        "CCN-THIET-BINH",
        D(2025, 5, 12),
        "fails",
        "qcvn40_2011_b",
        "Sở Tài nguyên và Môi trường Hà Nội",
        "KQ-2025-077",
        "COD, amoni",
        "Lấy mẫu đột xuất",
    ],
]

MARKET_HEADERS = [
    "Mã",
    "Tên",
    "Mã quận/huyện",
    "Địa chỉ / phường",
    "Phương thức kinh doanh",
    "Hạng",
    "Kết cấu xây dựng",
    "Nguồn vốn",
    "Tổ chức quản lý",
    "Số điểm kinh doanh",
    "Diện tích đất (m²)",
    "Năm xây dựng",
    "Tình trạng",
    "Tình trạng từ ngày",
]
VALID_MARKETS = [
    [
        "CHO-NGUYEN-KHE",
        "Chợ Nguyên Khê",
        "017",
        "Xã Nguyên Khê",
        "Chợ dân sinh",
        "3",
        "Bán kiên cố (5–10 năm)",
        "Ngân sách nhà nước",
        "",
        "120",
        "3200",
        "2005",
        "Đang hoạt động",
        D(2005, 9, 1),
    ],
    [
        "CHO-DAU-MOI-DONG-ANH",
        "Chợ đầu mối Đông Anh",
        "017",
        "Xã Vân Hà",
        "wholesale",
        "1",
        "permanent",
        "non_budget",
        "enterprise",
        "450",
        "52000",
        "2019",
        "operating",
        "",
    ],
]
BAD_MARKETS = [
    VALID_MARKETS[0],
    # class 4 does not exist; area 0
    [
        "CHO-SAI-HANG",
        "Chợ sai hạng",
        "017",
        "",
        "Chợ dân sinh",
        "4",
        "Tạm",
        "Ngân sách nhà nước",
        "",
        "80",
        "0",
        "",
        "Đang hoạt động",
        "",
    ],
]


def text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def write_csv(name, headers, rows):
    with open(HERE / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([text(v) for v in row])


def write_xlsx(name, headers, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.datetime | datetime.date):
                cell.number_format = "DD/MM/YYYY"
    book.save(HERE / name)


if __name__ == "__main__":
    write_csv("clusters_valid.csv", CLUSTER_HEADERS, VALID_CLUSTERS)
    write_xlsx("clusters_valid.xlsx", CLUSTER_HEADERS, VALID_CLUSTERS)
    write_csv("clusters_bad_rows.csv", CLUSTER_HEADERS, BAD_CLUSTERS)
    write_xlsx("clusters_bad_rows.xlsx", CLUSTER_HEADERS, BAD_CLUSTERS)
    write_csv("clusters_other_district.csv", CLUSTER_HEADERS, OTHER_DISTRICT_CLUSTERS)
    write_csv("inspections_valid.csv", INSPECTION_HEADERS, VALID_INSPECTIONS)
    write_xlsx("inspections_valid.xlsx", INSPECTION_HEADERS, VALID_INSPECTIONS)
    write_csv("markets_valid.csv", MARKET_HEADERS, VALID_MARKETS)
    write_xlsx("markets_bad_rows.xlsx", MARKET_HEADERS, BAD_MARKETS)
