"""The dashboard in Debian's Chromium: desktop and phone widths, print, no console errors,
no request leaving the server (the ``page`` fixture fails the test on any)."""

import pytest

from tests.dashboard.helpers import AS_OF, in_group, make_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The dashboard needs the view permissions of the staff groups.
@pytest.fixture
def department_user(department_user):
    return in_group(department_user, "Department staff")


@pytest.fixture
def district_user(district_user):
    return in_group(district_user, "District staff")


@pytest.fixture
def console_errors(page):
    """Errors on the dashboard (collected once the admin sign-in page is left behind)."""
    errors = []

    def on_console(message):
        if message.type == "error" and "/admin/" not in page.url:
            errors.append(f"{page.url}: {message.text} {message.location}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def open_dashboard(page, live_server, login, user):
    login(user)
    page.goto(f"{live_server.url}/?as_of={AS_OF.isoformat()}")
    page.wait_for_load_state("load")


def page_overflow(page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_dashboard_fits_the_screen_without_errors(
    page, live_server, login, department_user, console_errors, width
):
    make_city()
    page.set_viewport_size({"width": width, "height": 900})
    open_dashboard(page, live_server, login, department_user)

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator('[data-figure="kpi-operating"]').inner_text() == "6"
    assert page.locator('[data-figure="kpi-shortfall"]').inner_text() == "4"
    assert page.locator(".trend-chart svg").is_visible()
    assert page.locator("#district-table tbody tr").count() == 2
    assert page.locator("#not-compliant-table").is_visible()
    scroll_width, viewport_width = page_overflow(page)
    assert scroll_width <= viewport_width, f"page is {scroll_width}px wide at {width}px"
    # Nothing inside sticks out either (a table wider than its column, a long word).
    too_wide = page.evaluate(
        """(w) => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > w + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""",
        viewport_width,
    )
    assert too_wide == []
    assert console_errors == []


def test_district_staff_on_a_phone(page, live_server, login, district_user, console_errors):
    make_city()
    page.set_viewport_size({"width": 375, "height": 800})
    open_dashboard(page, live_server, login, district_user)

    assert page.locator("#kpi-card").is_visible()
    assert page.locator("#city-card").is_visible()
    assert page.locator('[data-figure="city-operating"]').inner_text() == "6"
    assert page.locator('[data-figure="kpi-operating"]').inner_text() == "4"
    scroll_width, viewport_width = page_overflow(page)
    assert scroll_width <= viewport_width
    assert console_errors == []


def test_bad_date_and_presets(page, live_server, login, department_user, console_errors):
    make_city()
    login(department_user)
    page.goto(f"{live_server.url}/?as_of=31-31-2021")
    assert page.locator("#as-of-error").is_visible()
    # A preset moves the page to that date.
    preset = page.locator(".presets a").nth(1)
    href = preset.get_attribute("href")
    preset.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(href)
    assert page.locator("#as-of-error").count() == 0
    # The date picker.
    page.fill("#id_as_of", AS_OF.isoformat())
    page.click(".date-form button")
    page.wait_for_load_state("load")
    assert page.locator('[data-figure="kpi-operating"]').inner_text() == "6"
    assert console_errors == []


def test_language_switch_and_sign_out(page, live_server, login, department_user, console_errors):
    login(department_user)
    page.goto(f"{live_server.url}/")
    page.select_option("#language-select", "en")
    page.click(".lang-form button")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click(".logout-form button")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/")
    assert "/admin/login/" in page.url
    assert console_errors == []


def test_print_on_a4(page, live_server, login, department_user, console_errors):
    make_city()
    open_dashboard(page, live_server, login, department_user)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".date-choice").is_visible()
    assert page.locator("#district-table thead").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert console_errors == []
