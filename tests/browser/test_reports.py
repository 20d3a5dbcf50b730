"""Publishing a period from the dashboard in Chromium, and the published panel beside today's
recomputation after a back-dated change (issue 16, part 3)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from clusters.models import IndustrialCluster, WastewaterInspection
from clusters.selectors import target_for
from registry.dates import today
from registry.models import Target
from reports.models import PublishedReport
from tests.dashboard.helpers import in_group, make_city
from tests.factories import InspectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def department_user(department_user):
    return in_group(department_user, "Department staff")


def test_publish_then_a_back_dated_change_shows_both_figures(
    page, live_server, login, department_user
):
    make_city()
    login(department_user)
    page.goto(f"{live_server.url}/")
    # A cut-off after today is refused: the page says why, in Vietnamese whatever the
    # browser's language, and the form keeps what was typed, to correct and send again.
    next_year = str(today().year + 1)
    note = "Bổ sung kết quả quan trắc tháng 11"
    page.select_option("#publish-period", "year")
    page.fill("#publish-year", next_year)
    page.fill("#publish-note", note)
    page.click("#publish-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    reason = page.locator("#publish-messages").inner_text()
    assert f"Ngày chốt số liệu 14/12/{next_year} sau ngày hôm nay" in reason
    assert page.locator("#publish-period").input_value() == "year"
    assert page.locator("#publish-year").input_value() == next_year
    assert page.locator("#publish-note").input_value() == note
    assert not PublishedReport.objects.exists()

    page.fill("#publish-year", "2025")
    page.click("#publish-form button[type=submit]")
    page.wait_for_url("**/?as_of=2025-12-14")
    report = PublishedReport.objects.get()
    assert (report.period, report.year, report.cut_off, report.note) == (
        "year",
        2025,
        datetime.date(2025, 12, 14),
        note,
    )
    assert page.locator("#publish-note").input_value() == ""  # kept once only
    panel = page.locator("#published-panel")
    assert panel.is_visible()
    assert "department" in page.locator("#published-title").inner_text()
    published = page.locator("#published-figures td").all_inner_texts()
    assert page.locator("#recomputed-figures").count() == 0  # nothing changed yet

    # A back-dated inspection: the frozen figures stay, today's recomputation differs, and
    # the changed cluster is named.
    cluster = IndustrialCluster.objects.get(code="DA-COMPLIANT")
    InspectionFactory(cluster=cluster, inspected_on=datetime.date(2025, 11, 1), result="meets")
    page.reload()
    assert page.locator("#published-figures td").all_inner_texts() == published
    assert page.locator("#recomputed-figures").is_visible()
    recomputed = page.locator("#recomputed-figures td").all_inner_texts()
    assert int(recomputed[1]) == int(published[1]) + 1  # one more compliant cluster
    changed = page.locator("#changed-records").inner_text()
    assert "DA-COMPLIANT" in changed
    # The kind of record in the page's language (Vietnamese, whatever the browser's), not
    # its code; the heading names the period and its cut-off.
    with translation.override("vi"):
        inspection = str(WastewaterInspection._meta.verbose_name)
        target_kind = str(Target._meta.verbose_name)
    assert inspection in changed and "(inspection," not in changed
    assert "2025" in page.locator("#published-title").inner_text()
    assert "14/12/2025" in page.locator("#published-title").inner_text()

    # A changed target is named too (its year and percent).
    target = target_for(datetime.date(2025, 12, 14))
    target.percent = Decimal("90.00")
    target.save()
    page.reload()
    changed = page.locator("#changed-records").inner_text()
    assert f"{target.year} — 90.00 %" in changed and target_kind in changed
    assert PublishedReport.objects.get().figures["kpi"]["compliant"] == int(published[1])
