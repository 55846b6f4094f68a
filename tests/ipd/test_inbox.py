"""The reminders inbox: who sees what, marking done, the badge, scoping and query budgets."""

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients import services as client_services
from clients.models import Client
from ipd import deadlines
from ipd.models import DueKind, Reminder, ReminderStage
from labour_office.offices.models import Role, User
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.ipd.conftest import TODAY, travel

pytestmark = pytest.mark.django_db

# Profile of 2 November 2026: the IPD is due on 1 January 2027 (a holiday), act by 31 December.
# On 23 November 2026 the preparation is not yet reminded (upcoming from 24 December); on
# 2 January 2027 it is overdue.
OVERDUE_DAY = date(2027, 1, 2)


def write(day: date) -> None:
    deadlines.write_reminders(day, deadlines.DEADLINE_KINDS)
    deadlines.write_reminders(day, deadlines.CONTACT_KINDS)


def test_an_overdue_preparation_reaches_the_advisor_and_the_manager(
    advisor: User, manager: User, make_client: Callable[..., Client]
) -> None:
    client = make_client("II")
    write(TODAY)
    assert not Reminder.objects.exists()
    write(OVERDUE_DAY)
    open_ = Reminder.objects.filter(done_at__isnull=True)
    assert [(r.kind, r.stage, r.advisor) for r in open_] == [
        (DueKind.PREPARE, ReminderStage.OVERDUE, advisor)
    ]
    with travel(OVERDUE_DAY):
        mine = signed_in(advisor).get(reverse("ipd:inbox")).content.decode()
        office = signed_in(manager).get(reverse("ipd:inbox")).content.decode()
    assert str(client) in mine and "31.12.2026" in mine
    assert str(client) in office and "Anna Kowalska" in office  # escalated, with the advisor


def test_marking_done_removes_it_from_the_inbox_and_the_badge(
    advisor: User, make_client: Callable[..., Client]
) -> None:
    make_client("II")
    write(OVERDUE_DAY)
    reminder = Reminder.objects.get(stage=ReminderStage.OVERDUE)
    travelling = travel(OVERDUE_DAY)
    travelling.start()
    http = signed_in(advisor)
    page = http.get(reverse("ipd:inbox")).content.decode()
    assert 'text-bg-warning">1<' in page  # the badge
    response = http.post(reverse("ipd:reminder_done", args=[reminder.pk]))
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.done_at is not None and reminder.done_by == advisor
    page = http.get(reverse("ipd:inbox")).content.decode()
    assert 'text-bg-warning">1<' not in page
    travelling.stop()


def test_a_substitute_sees_the_absent_advisors_reminders(
    advisor: User, manager: User, office: object, make_client: Callable[..., Client]
) -> None:
    client = make_client("II")
    write(OVERDUE_DAY)
    substitute = UserFactory(
        username="zastepca", office=advisor.office, role=Role.ADVISOR, is_customer_advisor=True
    )
    with travel(date(2026, 12, 30)):
        client_services.substitution_create(
            acting_user=manager,
            absent=advisor,
            substitute=substitute,
            starts_on=date(2026, 12, 30),
            ends_on=date(2027, 1, 15),
        )
    with travel(OVERDUE_DAY):
        page = signed_in(substitute).get(reverse("ipd:inbox")).content.decode()
    assert str(client) in page


def test_another_office_cannot_see_or_close_a_reminder(
    advisor: User, other_office_advisor: User, make_client: Callable[..., Client]
) -> None:
    client = make_client("II")
    write(OVERDUE_DAY)
    reminder = Reminder.objects.get(done_at__isnull=True)
    http = signed_in(other_office_advisor)
    assert str(client) not in http.get(reverse("ipd:inbox")).content.decode()
    assert http.post(reverse("ipd:reminder_done", args=[reminder.pk])).status_code == 404
    reminder.refresh_from_db()
    assert reminder.done_at is None


def test_the_inbox_needs_a_login() -> None:
    response = HttpClient().get(reverse("ipd:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("clients", [1, 8])
def test_the_inbox_has_a_fixed_query_budget(
    clients: int,
    advisor: User,
    make_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for _ in range(clients):
        make_client("II")
    write(OVERDUE_DAY)
    # Upcoming, due and overdue were all written; the first two are superseded.
    assert Reminder.objects.filter(done_at__isnull=True).count() == clients
    assert Reminder.objects.count() == 3 * clients
    with travel(OVERDUE_DAY):
        http = signed_in(advisor)
        with django_assert_max_num_queries(14):  # type: ignore[operator]
            assert http.get(reverse("ipd:inbox")).status_code == 200


def test_marking_done_never_redirects_off_the_site(
    advisor: User, make_client: Callable[..., Client]
) -> None:
    make_client("II")
    write(OVERDUE_DAY)
    reminder = Reminder.objects.get(stage=ReminderStage.OVERDUE)
    response = signed_in(advisor).post(
        reverse("ipd:reminder_done", args=[reminder.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("ipd:inbox")


def test_the_badge_stops_counting_at_its_maximum(
    advisor: User, make_client: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large office's manager has thousands of overdue reminders: the badge says "99+"
    instead of counting them all on every page."""
    from ipd import inbox

    make_client("II")
    make_client("II")
    write(OVERDUE_DAY)
    assert Reminder.objects.filter(done_at__isnull=True, advisor=advisor).count() == 2
    with travel(OVERDUE_DAY):
        assert inbox.badge_count(advisor) == "2"
        monkeypatch.setattr(inbox, "BADGE_MAX", 1)
        assert inbox.badge_count(advisor) == "1+"
        page = signed_in(advisor).get(reverse("ipd:inbox")).content.decode()
    assert 'text-bg-warning">1+<' in page
