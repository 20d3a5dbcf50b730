"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded one).

`.ci/run` installs the ``chromium`` package, so these run in CI. On a machine without it they
are skipped with a message saying how to install it.
"""

import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip("Debian's chromium is not installed: run `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django refuses ORM calls from inside one
    # unless told that this is a test thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(params=["en-US", "vi-VN"])
def locale(request):
    """The browser's language: every browser test runs with Chromium's default
    ``Accept-Language: en-US`` and with Vietnamese; the site is Vietnamese in both."""
    return request.param


@pytest.fixture
def page(browser, live_server, locale):
    """A fresh page; fails the test on any request that leaves the server."""
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    outside = []

    def watch(request):
        if not request.url.startswith((live_server.url, "data:", "blob:", "about:")):
            outside.append(request.url)

    page.on("request", watch)
    yield page
    context.close()
    assert not outside, f"requests left the server: {outside}"


@pytest.fixture
def login(page, live_server):
    """Sign a user in through the admin login form: ``login(user)``."""

    def do_login(user, password="correct horse battery"):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        return page

    return do_login
