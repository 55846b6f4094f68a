import re
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from labour_office.offices.models import User
from tests.e2e.axe import assert_no_axe_violations
from tests.factories import PASSWORD


def test_advisor_signs_in_and_sees_the_polish_desk(
    page: Page,
    live_server: LiveServer,
    advisor: User,
    screenshot: Callable[[Page, str], Path],
) -> None:
    page.goto(reverse("login"))

    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logowanie")
    submit = page.get_by_role("button", name="Zaloguj", exact=True)
    expect(submit).to_be_visible()
    screenshot(page, "login")
    assert_no_axe_violations(page)

    page.locator("#id_username").fill(advisor.username)
    # "Hasło" is the label of Django's own AuthenticationForm, from Django's Polish catalogue;
    # crispy forms marks a required field's label with an asterisk.
    page.get_by_role("textbox", name=re.compile(r"^Hasło\*?$")).fill(PASSWORD)
    submit.click()

    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    desk = page.get_by_role("link", name="Pulpit", exact=True)
    expect(desk).to_have_attribute("aria-current", "page")
    who = page.locator("#who-am-i")
    expect(who).to_contain_text("Anna Kowalska")
    expect(who.locator(".badge")).to_have_text("doradca")
    screenshot(page, "desk")
    assert_no_axe_violations(page)
    # The user menu holds the password change and the sign-out, reachable by keyboard.
    who.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Wyloguj", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
