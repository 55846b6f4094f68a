import re
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from clients.models import Client
from labour_office.offices.models import User
from tests.e2e.axe import assert_no_axe_violations

PESEL = "85071901243"  # domain/identifiers.md: a woman born on 19 July 1985


def test_advisor_registers_an_unemployed_person_from_the_desk_in_one_flow(
    page: Page,
    advisor: User,
    sign_in: Callable[[Page, User], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    sign_in(page, advisor)
    page.goto(reverse("home"))
    page.locator("main").get_by_role("link", name="Zarejestruj klienta").click()

    page.locator("#id_pesel").fill(PESEL)
    page.locator("main form [type=submit]").click()
    # Birth date and sex come from the PESEL: shown, never typed.
    expect(page.locator("main")).to_contain_text("19.07.1985")
    expect(page.locator("#id_birth_date")).to_have_count(0)
    assert_no_axe_violations(page)

    page.locator("#id_first_name").fill("Łucja")
    page.locator("#id_last_name").fill("Żółć")
    page.locator("#id_street").fill("ul. Kościuszki 12/4")
    page.locator("#id_postal_code").fill("05-500")
    page.locator("#id_city").fill("Piaseczno")
    page.locator("#id_phone").fill("+48 600 100 200")
    page.locator("#id_education_level").select_option("vocational_secondary")
    page.locator("#id_occupations").fill("sprzedawca, magazynier")
    page.locator("#id_work_experience_months").fill("48")
    page.locator("input[name=driving_licences][value=B]").check()
    screenshot(page, "client_register_form")
    page.locator("main form [type=submit]").click()

    client = Client.objects.get(pesel=PESEL)
    expect(page).to_have_url(
        re.compile(re.escape(reverse("client_detail", args=[client.pk])) + "$")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Łucja")
    expect(page.locator("#advisor-heading + p")).to_have_text("Anna Kowalska")
    assert client.assignments.get(ended_at__isnull=True).advisor == advisor
    assert client.registrations.get().status == "unemployed"
    screenshot(page, "client_page")
    assert_no_axe_violations(page)
