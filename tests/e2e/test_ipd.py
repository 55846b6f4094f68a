"""The IPD at the desk, in the browser: prepare, add actions without reloading, agree, keep in
touch, end without work and land on the re-profiling interview.

The live server runs in another thread, so nothing travels in time here: the client is profiled
a few days before the real today and the plan runs from today.

Many IPD strings are not translated yet; buttons and fields whose names may still change are
found by the URL their form posts to, or by their id, while what the client sees (the forms of
assistance, dates, what the advisor typed) is asserted in Polish.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from clients.models import Client
from ipd import rules
from ipd.models import EndReason, IndividualActionPlan, PlanStatus
from labour_office.offices.models import Office, User
from profiling.models import Assessment, AssessmentStatus
from tests.e2e.axe import assert_no_axe_violations
from tests.ipd.conftest import unemployed

OFFICE_FORMS = ["pośrednictwo pracy", "poradnictwo zawodowe", "bon szkoleniowy"]
OWN_ACTION = "Wysyła co najmniej 4 aplikacje miesięcznie"
OFFICE_ORDER = ["bon szkoleniowy", "pośrednictwo pracy", "poradnictwo zawodowe"]
GOALS = "Magazynier lub operator wózka widłowego, Piaseczno, pełny etat"


def day(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def submit(page: Page, url: str) -> Locator:
    """The submit button of the form posting to ``url`` (plain or htmx)."""
    form = page.locator(f"form[action='{url}'], form[hx-post='{url}']")
    return form.locator("[type=submit]")


def summary_of(page: Page, url: str) -> Locator:
    """The disclosure (``<details>``) holding the form that posts to ``url``."""
    return page.locator(f"details:has(form[action='{url}']) > summary")


def open_form(page: Page, url: str) -> None:
    details = page.locator(f"details:has(form[action='{url}'])")
    if details.get_attribute("open") is None:
        summary_of(page, url).click()
    expect(details).to_have_attribute("open", "")


def test_advisor_prepares_agrees_monitors_and_ends_a_plan(
    page: Page,
    advisor: User,
    office: Office,
    sign_in: Callable[[Page, User], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    today = timezone.localdate()
    profiled_on = today - timedelta(days=10)
    prepared_on = today - timedelta(days=3)
    client: Client = unemployed(advisor, office, "II", profiled_on=profiled_on)

    sign_in(page, advisor)
    page.goto(reverse("client_detail", args=[client.pk]))
    preparation_due = rules.ipd_preparation_deadline(profiled_on)
    expect(page.locator("#ipd-heading").locator("xpath=../..")).to_contain_text(
        day(preparation_due)
    )
    submit(page, reverse("ipd:prepare", args=[client.pk])).click()

    plan = IndividualActionPlan.objects.get(client=client)
    plan_url = reverse("ipd:plan", args=[plan.pk])
    expect(page).to_have_url(re.compile(re.escape(plan_url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The plan's goals: an ordinary form, saved with a reload.
    page.locator("#id_goals").fill(GOALS)
    submit(page, reverse("ipd:update", args=[plan.pk])).click()
    expect(page.locator("#id_goals")).to_have_value(GOALS)
    plan.refresh_from_db()
    assert plan.goals == GOALS

    # The actions: htmx forms, the page never reloads.
    page.evaluate("window.__marker = 1")
    office_url = reverse("ipd:action_add", args=[plan.pk, "office"])
    own_url = reverse("ipd:action_add", args=[plan.pk, "own"])
    office_titles = page.locator("#actions ol").first.locator("li .fw-semibold")
    own_titles = page.locator("#actions ol").nth(1).locator("li .fw-semibold")
    for n, name in enumerate(OFFICE_FORMS, start=1):
        open_form(page, office_url)
        page.locator("#id_office-form").select_option(label=name)
        page.locator("#id_office-description").fill(f"Krok {n}: {name}")
        page.locator("#id_office-expected_result").fill("Rozmowa kwalifikacyjna")
        submit(page, office_url).click()
        expect(office_titles).to_have_text(OFFICE_FORMS[:n])
    open_form(page, own_url)
    page.locator("#id_own-description").fill(OWN_ACTION)
    submit(page, own_url).click()
    expect(own_titles).to_have_text([OWN_ACTION])

    # The voucher goes first: ↑ twice on its row.
    for expected in (
        ["pośrednictwo pracy", "bon szkoleniowy", "poradnictwo zawodowe"],
        OFFICE_ORDER,
    ):
        row = page.locator("#actions li", has_text="bon szkoleniowy")
        row.locator("button[hx-post$='/move/up/']").click()
        expect(office_titles).to_have_text(expected)
    # The first row cannot go further up, the last one not further down.
    rows = page.locator("#actions ol").first.locator("li")
    expect(rows.first.locator("button[hx-post$='/move/up/']")).to_be_disabled()
    expect(rows.last.locator("button[hx-post$='/move/down/']")).to_be_disabled()
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    # The timeline above follows the htmx changes: one bar per action, in the new order.
    expect(page.locator("#plan-timeline .ipd-grid > .ipd-label.text-truncate")).to_have_text(
        [*OFFICE_ORDER, re.compile(re.escape(OWN_ACTION))]
    )
    assert [a.form.name_pl for a in plan.actions.filter(kind="office")] == OFFICE_ORDER
    screenshot(page, "ipd_editor_draft")
    assert_no_axe_violations(page)

    # The client's agreement.
    agree_url = reverse("ipd:agree", args=[plan.pk])
    page.locator(f"main a[href='{agree_url}']").click()
    expect(page).to_have_url(re.compile(re.escape(agree_url) + "$"))
    expect(page.locator("main ol li")).to_have_count(4)
    expect(page.locator("main ol")).to_contain_text(OWN_ACTION)
    assert_no_axe_violations(page)
    page.locator("#id_prepared_on").fill(prepared_on.isoformat())
    expect(page.locator("input[name=outcome][value=agreed]")).to_be_checked()
    page.locator("main form[method=post] [type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(plan_url) + "$"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and plan.agreed_on == prepared_on
    due = rules.next_contact_due(prepared_on)
    expect(page.locator("#contacts")).to_contain_text(day(due))
    expect(page.locator("#actions form[action$='/add/']")).to_have_count(0)

    # A phone call held today: the next contact is counted from it.
    contact_url = reverse("ipd:contact_add", args=[plan.pk])
    open_form(page, contact_url)
    expect(page.locator("input[name=contact-status][value=held]")).to_be_checked()
    expect(page.locator("#id_contact-contact_on")).to_have_value(today.isoformat())
    page.locator("#id_contact-channel").select_option("phone")
    page.locator("#id_contact-outcome").fill("Klientka zapisana na szkolenie z bonu.")
    submit(page, contact_url).click()
    expect(page).to_have_url(re.compile(re.escape(plan_url) + "#contacts$"))
    history = page.locator("#contacts ol")
    expect(history).to_contain_text(day(today))
    expect(history).to_contain_text("telefon")
    expect(history).to_contain_text("Klientka zapisana na szkolenie z bonu.")
    next_due = rules.next_contact_due(today)
    act_by = rules.act_by(next_due)
    expect(page.locator("#contacts > .card-body > p").first).to_contain_text(day(next_due))
    expect(page.locator("#contacts > .card-body > p").first).to_contain_text(day(act_by))
    expect(page.locator(".ipd-events").first).to_contain_text(day(next_due))
    screenshot(page, "ipd_plan_active")
    assert_no_axe_violations(page)

    # Ending without work: an analysis, then the profile is determined again.
    end_url = reverse("ipd:end", args=[plan.pk])
    page.locator(f"main a[href='{end_url}']").click()
    expect(page).to_have_url(re.compile(re.escape(end_url) + "$"))
    assert_no_axe_violations(page)
    page.locator("input[name=reason][value=other]").check()
    page.locator("#id_analysis").fill(
        "Klientka nie ukończyła szkolenia; potrzebne wsparcie w opiece nad matką."
    )
    page.locator("main form[method=post] [type=submit]").click()

    expect(page).to_have_url(re.compile(r"/assessments/\d+/interview/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wywiad do ustalenia profilu")
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason, plan.ended_on) == (
        PlanStatus.ENDED,
        EndReason.OTHER,
        today,
    )
    assessment = Assessment.objects.get(client=client, status=AssessmentStatus.DRAFT)
    assert page.url.endswith(reverse("assessment_interview", args=[assessment.pk]))

    # The client page: no live plan, the ended one among the earlier plans.
    page.goto(reverse("client_detail", args=[client.pk]))
    section = page.locator("section[aria-labelledby=ipd-heading]")
    ended = section.locator(f"a[href='{plan_url}']")
    expect(ended).to_have_text(f"{day(today)} \N{EN DASH} {day(today)}")
    with translation.override("pl"):
        reason = plan.get_end_reason_display()
    expect(section.locator("li", has=page.locator(f"a[href='{plan_url}']"))).to_contain_text(reason)
    prepare_url = reverse("ipd:prepare", args=[client.pk])
    expect(section.locator(f"form[action='{prepare_url}']")).to_have_count(0)
    screenshot(page, "ipd_client_section")
    assert_no_axe_violations(page)

    ended.click()
    expect(page.locator("main .alert-secondary")).to_contain_text(day(today))
    expect(page.locator("main .alert-secondary")).to_contain_text("opiece nad matką")
