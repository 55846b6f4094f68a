"""Browser tests: Playwright's sync API drives Debian's chromium against the live server.

We never download a browser (offices run intranets; CI installs Debian's package), so the
chromium binary is given by path. `live_server` makes every test here transactional: the data a
test creates must be committed for the server's thread to see it.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from labour_office.offices.models import User
from tests.factories import PASSWORD

# Playwright's sync API runs an asyncio event loop in the test's thread, and Django refuses ORM
# calls from a thread with a running loop (SynchronousOnlyOperation) unless told otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_INSTALL = "apt-get install -y chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A conftest hook sees the whole session's items; mark only ours. tryfirst: before `-m`
    # deselects, so `-m "not e2e"` leaves the browser tests out.
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    # Keep the call's outcome on the item so that the `page` fixture can photograph a failure.
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, one for the whole session."""
    if not CHROMIUM.exists():
        message = f"Browser tests need Debian's chromium at {CHROMIUM}: {CHROMIUM_INSTALL}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A tab in a fresh browser context (no cookies), its relative URLs on the live server."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="pl-PL", base_url=live_server.url
    )
    # A missing element fails in seconds, not after Playwright's default half minute.
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        failures = SCREENSHOTS / "failures"
        failures.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=failures / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Saves the whole page to var/screenshots/<name>.png, for people to look at."""

    def take(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def sign_in() -> Callable[[Page, User], None]:
    """Signs a factory user in through the login form, whatever language the page speaks."""

    def sign_in_as(page: Page, user: User) -> None:
        page.goto(reverse("login"))
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form [type=submit]").click()
        expect(page).not_to_have_url(re.compile(re.escape(reverse("login"))))

    return sign_in_as
