from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from labour_office.offices.models import Office, User
from profiling.models import Assessment
from tests.e2e.axe import assert_no_axe_violations
from tests.profiling.test_assessments import example_a_client, interview
from tests.profiling.test_rules import A


def test_advisor_profiles_a_client_with_the_keyboard_and_overrides_the_proposal(
    page: Page,
    advisor: User,
    office: Office,
    sign_in: Callable[[Page, User], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    client = example_a_client(advisor, office)
    sign_in(page, advisor)
    page.goto(reverse("client_detail", args=[client.pk]))
    page.get_by_role("button", name="Ustal profil").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wywiad do ustalenia profilu")

    # Keyboard only: focus each answer's radio (or checkbox) and press Space.
    for key, value in interview(A).items():
        values = value if isinstance(value, list) else [value]
        for option in values:
            page.locator(f"input[name={key}][value={option}]").focus()
            page.keyboard.press("Space")
    screenshot(page, "profiling_interview")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Pokaż proponowany profil").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("I")
    page.locator("input[name=final_profile][value=II]").focus()
    page.keyboard.press("Space")
    page.locator("#id_justification").focus()
    page.keyboard.type("Klientka wkrótce przejmie opiekę nad chorą matką.")
    screenshot(page, "profiling_result")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ustal profil").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text(client.first_name)
    assessment = Assessment.objects.get(client=client)
    assert (assessment.proposed_profile, assessment.final_profile) == ("I", "II")
    assert "chorą matką" in assessment.justification
