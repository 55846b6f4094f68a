"""The manager's dashboard in the browser: the numbers, one followed to its list (the same
count), both pages free of axe-core violations."""

import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from labour_office.offices.models import Office, Role, User
from tests.e2e.axe import assert_no_axe_violations
from tests.factories import UserFactory


def test_manager_follows_a_number_to_its_list(
    page: Page,
    sign_in: Callable[[Page, User], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    call_command("seed_demo", "--clients", "30", "--offices", "1", stdout=StringIO())
    office = Office.objects.filter(clients__isnull=False).distinct().first()
    assert office is not None
    manager = UserFactory(username="szefowa", office=office, role=Role.MANAGER)
    sign_in(page, manager)
    page.goto(reverse("dashboard:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pulpit obciążenia")
    page.get_by_text("Liczby z wykresu").click()
    assert_no_axe_violations(page)
    screenshot(page, "dashboard")
    card = page.locator("a.card", has_text="Zarejestrowani klienci")
    number = int(card.locator(".fs-3").inner_text())
    assert number > 0
    card.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("dashboard:list", args=["registered"]))))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zarejestrowani klienci")
    expect(page.get_by_text(re.compile(rf"\b{number} klient"))).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(min(number, 50))
    assert_no_axe_violations(page)
    screenshot(page, "dashboard-list")
