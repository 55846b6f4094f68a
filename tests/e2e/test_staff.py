import re
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from labour_office.offices.models import Post, Role, User
from tests.e2e.axe import assert_no_axe_violations


def test_manager_creates_a_staff_account_and_lands_on_its_page(
    page: Page,
    manager: User,
    sign_in: Callable[[Page, User], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    sign_in(page, manager)
    page.goto(reverse("staff_create"))
    save = page.locator("main form [type=submit]")

    # An empty form comes back with an error on each required field, and stays accessible.
    save.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("staff_create")) + "$"))
    for field in ("username", "first_name", "last_name", "post", "password1", "password2"):
        expect(page.locator(f"#id_{field}")).to_have_class(re.compile(r"\bis-invalid\b"))
    screenshot(page, "staff_form")
    assert_no_axe_violations(page)

    page.locator("#id_username").fill("jan.zielinski")
    page.locator("#id_first_name").fill("Jan")
    page.locator("#id_last_name").fill("Zieliński")
    page.locator("#id_email").fill("jan.zielinski@example.org")
    page.locator("#id_post").select_option(Post.CAREER_COUNSELLOR.value)
    page.locator("#id_is_customer_advisor").check()
    page.locator("#id_role").select_option(Role.ADVISOR.value)
    page.locator("#id_password1").fill("Pierwsze-haslo-2026!")
    page.locator("#id_password2").fill("Pierwsze-haslo-2026!")
    save.click()

    expect(page).to_have_url(re.compile(r"/staff/\d+/$"))
    created = User.objects.get(username="jan.zielinski")
    assert page.url.endswith(reverse("staff_detail", args=[created.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jan Zieliński")
    expect(page.get_by_role("status")).to_contain_text("Jan Zieliński")
    assert created.office_id == manager.office_id
    assert created.role == Role.ADVISOR
    assert created.must_change_password
    screenshot(page, "staff_detail")
    assert_no_axe_violations(page)
