"""The job club in the browser: an advisor enrols a client from the client page, the leader
marks attendance in the register without reloading, and the activity page shows the result.

The live server runs in another thread, so nothing travels in time: the activity's
enrolment is open today and its sessions run from tomorrow.
"""

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from job_clubs.models import Activity, ActivityKind, Attendance, Enrolment, JobClub, Session
from labour_office.offices.models import Office, User
from tests.e2e.axe import assert_no_axe_violations
from tests.ipd.conftest import unemployed


def test_advisor_enrols_from_the_client_page_and_the_leader_keeps_the_register(
    page: Page,
    advisor: User,
    office: Office,
    sign_in: Callable[[Page, User], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    today = timezone.localdate()
    club = JobClub.objects.create(
        office=office, name="Klub Pracy PUP Piaseczno", place="ul. Kościuszki 5", leader=advisor
    )
    activity = Activity.objects.create(
        club=club,
        kind=ActivityKind.ACTIVATION_CLASSES,
        title="Skuteczne poszukiwanie pracy",
        description="Zajęcia grupowe: CV, list motywacyjny, rozmowa kwalifikacyjna.",
        leader=advisor,
        capacity=8,
        enrolment_opens_on=today - timedelta(days=3),
        enrolment_closes_on=today + timedelta(days=10),
    )
    tz = timezone.get_current_timezone()
    for n in range(5):
        start = datetime.combine(today + timedelta(days=n + 1), time(9), tzinfo=tz)
        Session.objects.create(
            activity=activity,
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            room="sala 12",
            hours=Decimal("4"),
        )
    others = [unemployed(advisor, office, "II", serial=n) for n in range(2, 5)]
    client = unemployed(advisor, office, "II", serial=1)

    sign_in(page, advisor)
    page.goto(reverse("client_detail", args=[client.pk]))
    section = page.locator("section[aria-labelledby='job-club-heading']")
    section.get_by_role("link", name="Zajęcia do zapisania").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zajęcia klubu pracy dla klienta")
    expect(page.get_by_text("8 wolnych miejsc")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name=re.compile("^Zapisz")).click()
    expect(page.locator("[role=status]").first).to_contain_text("zapisano")
    expect(page.get_by_text("Brak zajęć klubu pracy.")).to_have_count(0)
    assert Enrolment.objects.filter(activity=activity, client=client).exists()

    # The others join from the activity page, found by surname.
    for other in others:
        page.goto(reverse("job_clubs:activity", args=[activity.pk]))
        page.get_by_label("Znajdź klienta po numerze PESEL lub nazwisku").fill(other.pesel or "")
        page.get_by_role("button", name="Szukaj").click()
        page.get_by_role("button", name=re.compile(f"Zapisz.*{other.last_name}")).click()
        expect(page.locator("[role=status]").first).to_contain_text("zapisano")
    assert activity.enrolments.count() == 4

    session = activity.sessions.order_by("starts_at").first()
    assert session is not None
    page.goto(reverse("job_clubs:register", args=[session.pk]))
    rows = page.locator("#register tbody tr")
    expect(rows).to_have_count(4)
    for index, mark in enumerate(["obecny", "obecny", "nieobecny", "usprawiedliwiony"]):
        row = rows.nth(index)
        row.get_by_role("button", name=mark, exact=True).click()
        expect(row.get_by_role("button", name=mark, exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(rows.nth(0)).to_contain_text("4 / 20")
    assert Attendance.objects.filter(session=session).count() == 4
    assert_no_axe_violations(page)
    screenshot(page, "job-club-register")

    page.goto(reverse("job_clubs:activity", args=[activity.pk]))
    expect(page.get_by_text("zajęte 4 z 8")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^4 wpisy"))).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "job-club-activity")

    page.goto(reverse("job_clubs:week", args=[club.pk]) + f"?week={session.starts_at.date()}")
    expect(page.get_by_role("link", name="Skuteczne poszukiwanie pracy").first).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "job-club-week")
