"""The admin at 1280 × 800 and 1366 × 768 with the navigation sidebar open, in Chromium, on
demo-like records (long Vietnamese names): no page wider than the screen, every list's
columns inside the screen and inside their box (no horizontal scrolling), names wrapping a
few words a line; the cluster and market forms with their inline tables fit too. And no
request gets a 404 (the favicon) on the admin index and the dashboard."""

import datetime
from decimal import Decimal

import pytest

from tests.dashboard.helpers import in_group
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    MarketProjectFactory,
    TargetFactory,
    UserFactory,
    district,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [(1280, 800), (1366, 768)]

LONG_CLUSTER = "Cụm công nghiệp làng nghề chế biến nông sản thực phẩm Phùng Xá mở rộng"
LONG_MARKET = "Chợ đầu mối nông sản thực phẩm phía Nam thành phố Hà Nội"
AGENCY = "Trung tâm Quan trắc Tài nguyên và Môi trường Hà Nội (Sở Tài nguyên và Môi trường)"

CHANGELISTS = [
    "clusters/industrialcluster",
    "clusters/wastewaterinspection",
    "markets/market",
    "markets/marketproject",
    "registry/target",
    "registry/district",
    "auth/user",
]


@pytest.fixture
def records():
    """Clusters, inspections, markets and projects as the demo has them, names long."""
    for n, code in enumerate(["017", "281", "276", "279", "019"]):
        cluster = ClusterFactory(
            code=f"CCN-PHUNG-XA-MO-RONG-{n}",
            name=f"{LONG_CLUSTER} {n}" if n % 2 == 0 else f"Cụm công nghiệp Bắc Vân Đình {n}",
            district=district(code),
            developer="Công ty cổ phần đầu tư phát triển hạ tầng khu công nghiệp Hà Nội",
            established_on=datetime.date(2012, 1, 1),
            operating_since=datetime.date(2016, 3, 1),
            wwtp_operating_since=datetime.date(2017, 1, 1),
        )
        for year in range(2019, 2025):
            InspectionFactory(
                cluster=cluster,
                inspected_on=datetime.date(year, 9, 15),
                result="fails" if year == 2024 and n == 1 else "meets",
                agency=AGENCY,
                reference=f"{year}/BB-QT-CCN-PHUNG-XA-{n}",
                exceeded_parameters="COD, BOD5, TSS, Amoni" if n == 1 else "",
                note="Lấy mẫu tại cửa xả sau hệ thống xử lý nước thải tập trung",
            )
        market = MarketFactory(
            code=f"CHO-DAU-MOI-PHIA-NAM-{n}",
            name=f"{LONG_MARKET} {n}",
            district=district(code),
            kind="wholesale",
            market_class=str(1 + n % 3),
        )
        for kind in ("renovation", "upgrade"):
            MarketProjectFactory(
                market=market,
                kind=kind,
                status="in_progress",
                budget_vnd=Decimal("125000000000"),
                started_on=datetime.date(2023, 4, 1),
                completed_on=datetime.date(2025, 12, 31),
                note="Cải tạo nhà chợ chính, hệ thống phòng cháy chữa cháy và bãi đỗ xe",
            )
    for year in (2021, 2023):
        TargetFactory(year=year, percent=Decimal("95"), note="Kế hoạch số 15/KH-UBND")
    UserFactory(
        username="nguyen-thi-thu-huong-phong-quan-ly-cong-nghiep",
        first_name="Nguyễn Thị Thu",
        last_name="Hương",
    )
    return {
        "cluster": ClusterFactory._meta.model.objects.get(code="CCN-PHUNG-XA-MO-RONG-0"),
        "market": MarketFactory._meta.model.objects.get(code="CHO-DAU-MOI-PHIA-NAM-0"),
    }


def open_admin(page, live_server, login, user, width, height):
    page.set_viewport_size({"width": width, "height": height})
    login(user)


def assert_page_fits(page, where):
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{where}: page {scroll_width}px in {inner_width}px"
    # The navigation sidebar is open (the layout is measured with it).
    assert page.locator("#nav-sidebar").is_visible(), where


def assert_list_fits(page, where):
    facts = page.evaluate(
        """() => {
          const box = document.querySelector('#changelist .results');
          const table = document.querySelector('#result_list');
          const cells = [...table.querySelectorAll('thead th, tbody tr:first-child > *')];
          const right = Math.min(window.innerWidth, box.getBoundingClientRect().right);
          return {
            boxScroll: box.scrollWidth, boxWidth: box.clientWidth,
            outside: cells.filter(c => c.getBoundingClientRect().right > right + 1)
                          .map(c => c.className || c.textContent.trim()),
            columns: cells.length,
          };
        }"""
    )
    assert facts["columns"] > 0, where
    assert facts["outside"] == [], f"{where}: columns outside the screen: {facts['outside']}"
    assert facts["boxScroll"] <= facts["boxWidth"], f"{where}: the list scrolls sideways"


def name_lines(page, selector):
    """(lines, words) of the first long name in the list's name column."""
    return page.evaluate(
        """(selector) => {
          const link = [...document.querySelectorAll(selector)]
             .sort((a, b) => b.textContent.length - a.textContent.length)[0];
          const text = link.firstChild;
          const range = document.createRange();
          range.selectNodeContents(text);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          return [tops.size, text.textContent.trim().split(/\\s+/).length];
        }""",
        selector,
    )


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_every_list_fits_with_the_sidebar_open(
    page, live_server, login, superuser, records, width, height
):
    open_admin(page, live_server, login, superuser, width, height)
    for path in CHANGELISTS:
        page.goto(f"{live_server.url}/admin/{path}/")
        where = f"{path} at {width}px"
        assert page.locator("#result_list tbody tr").count() > 0, where
        assert_page_fits(page, where)
        assert_list_fits(page, where)
    # The key columns are there, with their dates.
    page.goto(f"{live_server.url}/admin/clusters/industrialcluster/")
    headers = page.locator("#result_list thead th").all_inner_texts()
    for label in ("hoạt động từ", "kiểm tra gần nhất", "còn hiệu lực"):
        assert any(label in h.lower() for h in headers), (label, headers)
    assert page.locator("#result_list .field-evidence_days_left_column").first.is_visible()
    # Long names wrap a few words a line, never one word per line.
    lines, words = name_lines(page, "#result_list .field-cluster_column a")
    assert words >= 12 and lines * 2 <= words, (lines, words)
    page.goto(f"{live_server.url}/admin/clusters/wastewaterinspection/")
    assert page.locator("#result_list .field-result").first.is_visible()
    assert page.locator("#result_list .field-inspected_on_column").first.is_visible()
    page.goto(f"{live_server.url}/admin/markets/market/")
    lines, words = name_lines(page, "#result_list .field-market_column a")
    assert words >= 11 and lines * 2 <= words, (lines, words)


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_cluster_and_market_forms_fit_with_their_inline_tables(
    page, live_server, login, superuser, records, width, height
):
    open_admin(page, live_server, login, superuser, width, height)
    forms = [
        (f"clusters/industrialcluster/{records['cluster'].pk}", "#inspections-group"),
        (f"markets/market/{records['market'].pk}", "#projects-group"),
    ]
    for path, inline in forms:
        page.goto(f"{live_server.url}/admin/{path}/change/")
        where = f"{path} at {width}px"
        assert page.locator(f"{inline} tbody tr.form-row").count() >= 2, where
        assert_page_fits(page, where)
        right = page.evaluate(
            """(inline) => {
              const rects = [...document.querySelectorAll(
                  inline + ' table, ' + inline + ' tbody tr.form-row:first-child > td')]
                .map(e => e.getBoundingClientRect().right);
              return Math.max(...rects);
            }""",
            inline,
        )
        assert right <= width, f"{where}: the inline table reaches {right}px"
        assert page.locator("input[name=_save]").is_visible(), where


@pytest.mark.parametrize("path", ["/admin/", "/"])
def test_no_request_gets_a_404_and_the_favicon_is_served(
    page, live_server, login, department_user, path
):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    login(in_group(department_user, "Department staff"))  # the dashboard's view permissions
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("load")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon and not icon.startswith("data:")
    response = page.request.get(f"{live_server.url}{icon}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/")
    assert missing == []
