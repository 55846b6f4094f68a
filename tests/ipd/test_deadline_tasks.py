"""The beat tasks are idempotent (DESIGN.md rule 5, issue 7): running twice, after missed days,
or on two workers at once gives exactly the same reminders; the daily digest goes once per
advisor and day and names no client; the number of queries does not grow with the clients.

The world: three clients of one advisor, each with its deadlines written out by hand.
- "prepare": profile 2026-10-27, no plan: IPD due Sat 2026-12-26 (24-26 Dec holidays), act by
  Wed 2026-12-23.
- "running": profile 2026-11-02, IPD agreed 2026-11-03: contact and office action due
  Sat 2027-01-02 (New Year's Day before it), act by Thu 2026-12-31; maximum 3.11 + 180 =
  Sun 2027-05-02 (1 May a holiday), act by Fri 2027-04-30.
- "ended": the same, ended without work on 2026-11-20: re-profiling due 20.11 + 14 =
  Fri 2026-12-04.
"""

import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients import services as client_services
from clients.models import Client
from ipd import deadlines, services
from ipd.models import Digest, DueItem, EndReason, Reminder
from ipd.tasks import check_ipd_deadlines, send_contact_reminders, send_daily_digests
from labour_office.offices.models import Office, Role, User
from tests.concurrency import race
from tests.factories import UserFactory
from tests.ipd.conftest import prepared_plan, travel, unemployed

Task = Callable[[str | None], int]
TASKS = {
    "check_ipd_deadlines": check_ipd_deadlines,
    "send_contact_reminders": send_contact_reminders,
}
TASK_KINDS = {
    "check_ipd_deadlines": ("prepare", "max_end", "action", "reprofile"),
    "send_contact_reminders": ("contact",),
}
OPEN, SUPERSEDED = "open", "superseded"


def d(text: str) -> date:
    return date.fromisoformat(text)


def build_world(advisor: User, office: Office, first_serial: int = 1) -> dict[str, Client]:
    with travel(d("2026-10-27")):
        prepare = unemployed(advisor, office, "I", serial=first_serial, profiled_on=d("2026-10-27"))
    with travel(d("2026-11-03")):
        running = unemployed(
            advisor, office, "I", serial=first_serial + 1, profiled_on=d("2026-11-02")
        )
        prepared_plan(advisor, running, on=d("2026-11-03"))
        ended = unemployed(
            advisor, office, "I", serial=first_serial + 2, profiled_on=d("2026-11-02")
        )
        plan = prepared_plan(advisor, ended, on=d("2026-11-03"))
    with travel(d("2026-11-20")):
        services.plan_end(
            acting_user=advisor,
            plan=plan,
            ended_on=d("2026-11-20"),
            reason=EndReason.OTHER,
            analysis="Klient odmówił udziału w stażu.",
        )
    world = {"prepare": prepare, "running": running, "ended": ended}
    assert {
        (label, i.kind, i.due_on, i.act_by)
        for label, client in world.items()
        for i in DueItem.objects.filter(client=client)
    } == {
        ("prepare", "prepare", d("2026-12-26"), d("2026-12-23")),
        ("running", "contact", d("2027-01-02"), d("2026-12-31")),
        ("running", "action", d("2027-01-02"), d("2026-12-31")),
        ("running", "max_end", d("2027-05-02"), d("2027-04-30")),
        ("ended", "reprofile", d("2026-12-04"), d("2026-12-04")),
    }
    return world


def full_rows() -> list[tuple[Any, ...]]:
    """Every column of every reminder."""
    return list(Reminder.objects.order_by("pk").values_list())


def keys(world: dict[str, Client]) -> set[tuple[str, str, date, str, str]]:
    """(client, kind, legal date, stage, state) of every reminder of the world's clients."""
    label = {c.pk: name for name, c in world.items()}
    return {
        (
            label[r.client_id],
            r.kind,
            r.due_on,
            r.stage,
            OPEN if r.done_at is None else r.closed_by_system,
        )
        for r in Reminder.objects.filter(client__in=list(world.values()))
    }


def run(day: date) -> None:
    with travel(day):
        check_ipd_deadlines(day.isoformat())
        send_contact_reminders(day.isoformat())


def run_days(days: Iterable[date]) -> None:
    for day in days:
        run(day)


def span(first: str, last: str, skip: Iterable[str] = ()) -> list[date]:
    start, end, skipped = d(first), d(last), {d(s) for s in skip}
    return [
        start + timedelta(n)
        for n in range((end - start).days + 1)
        if start + timedelta(n) not in skipped
    ]


ON_24_DECEMBER = {
    ("prepare", "prepare", d("2026-12-26"), "upcoming", SUPERSEDED),
    ("prepare", "prepare", d("2026-12-26"), "due", OPEN),
    ("running", "contact", d("2027-01-02"), "upcoming", OPEN),
    ("running", "action", d("2027-01-02"), "upcoming", OPEN),
    ("ended", "reprofile", d("2026-12-04"), "upcoming", SUPERSEDED),
    ("ended", "reprofile", d("2026-12-04"), "due", SUPERSEDED),
    ("ended", "reprofile", d("2026-12-04"), "overdue", OPEN),
}
ON_4_JANUARY = {
    ("prepare", "prepare", d("2026-12-26"), "upcoming", SUPERSEDED),
    ("prepare", "prepare", d("2026-12-26"), "due", SUPERSEDED),
    ("prepare", "prepare", d("2026-12-26"), "overdue", OPEN),
    ("running", "contact", d("2027-01-02"), "upcoming", SUPERSEDED),
    ("running", "contact", d("2027-01-02"), "due", SUPERSEDED),
    ("running", "contact", d("2027-01-02"), "overdue", OPEN),
    ("running", "action", d("2027-01-02"), "upcoming", SUPERSEDED),
    ("running", "action", d("2027-01-02"), "due", SUPERSEDED),
    ("running", "action", d("2027-01-02"), "overdue", OPEN),
    ("ended", "reprofile", d("2026-12-04"), "upcoming", SUPERSEDED),
    ("ended", "reprofile", d("2026-12-04"), "due", SUPERSEDED),
    ("ended", "reprofile", d("2026-12-04"), "overdue", OPEN),
}


# --- Twice, and after missed days ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("day", ["2026-12-24", "2027-01-04"])
def test_each_task_twice_on_a_day_writes_nothing_new(
    advisor: User, office: Office, task: str, day: str
) -> None:
    build_world(advisor, office)
    with travel(d(day)):
        first = TASKS[task](day)
        after_first = full_rows()
        second = TASKS[task](day)
    assert first == len(after_first) > 0
    assert second == 0
    assert full_rows() == after_first


@pytest.mark.django_db
@pytest.mark.parametrize(
    "skipped",
    [
        pytest.param((), id="every day"),
        # Three days missed before the re-profiling's due day, four around the holidays and the
        # act-by day of the preparation, four around New Year.
        pytest.param(
            (
                "2026-12-02",
                "2026-12-03",
                "2026-12-04",
                "2026-12-20",
                "2026-12-21",
                "2026-12-22",
                "2026-12-23",
                "2026-12-31",
                "2027-01-01",
                "2027-01-02",
                "2027-01-03",
            ),
            id="missed days",
        ),
    ],
)
def test_missed_days_give_the_same_reminders_as_every_day(
    advisor: User, office: Office, skipped: tuple[str, ...]
) -> None:
    world = build_world(advisor, office)
    run_days(span("2026-11-23", "2026-12-24", skipped))
    assert keys(world) == ON_24_DECEMBER
    run_days(span("2026-12-25", "2027-01-04", skipped))
    assert keys(world) == ON_4_JANUARY


@pytest.mark.django_db
def test_a_first_run_long_after_everything_catches_up(advisor: User, office: Office) -> None:
    world = build_world(advisor, office)
    run(d("2027-01-04"))  # the beat never ran before
    assert keys(world) == ON_4_JANUARY


# --- Two workers at once ---------------------------------------------------------------------


@pytest.fixture
def slow_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each run's transaction open a moment after its inserts (a pause before the
    supersede statement) and each digest's lock a moment while it is sent, so that two runs
    started together really overlap."""
    pause = "WITH pause AS MATERIALIZED (SELECT pg_sleep(0.3))"
    sql = deadlines.SUPERSEDE_SQL.replace(
        "WHERE r.done_at IS NULL", "WHERE (SELECT count(*) FROM pause) = 1 AND r.done_at IS NULL"
    )
    assert sql != deadlines.SUPERSEDE_SQL
    monkeypatch.setattr(deadlines, "SUPERSEDE_SQL", pause + sql)
    send = deadlines._send_digest

    def slow_send(*args: Any) -> None:
        time.sleep(0.1)
        send(*args)

    monkeypatch.setattr(deadlines, "_send_digest", slow_send)


def many_clients(advisor: User, office: Office, n: int, first_serial: int = 100) -> list[Client]:
    """``n`` clients with the IPD to prepare by 2026-12-26 (act by 2026-12-23)."""
    with travel(d("2026-10-27")):
        return [
            unemployed(advisor, office, "I", serial=first_serial + i, profiled_on=d("2026-10-27"))
            for i in range(n)
        ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("task", TASKS)
def test_two_workers_running_a_task_at_once_write_each_reminder_once(
    advisor: User, office: Office, task: str, slow_runs: None
) -> None:
    world = build_world(advisor, office)
    many_clients(advisor, office, 20)
    day = "2027-01-04"
    results = race(lambda: TASKS[task](day), lambda: TASKS[task](day))
    assert all(isinstance(r, int) for r in results), results
    expected = {k for k in ON_4_JANUARY if k[1] in TASK_KINDS[task]}
    assert 0 in results  # the second waited for the first and found everything written
    assert keys(world) == expected
    prepare_rows = 20 * 3 if task == "check_ipd_deadlines" else 0
    assert sum(results) == Reminder.objects.count() == len(expected) + prepare_rows
    # A rerun after both finds nothing to add.
    assert TASKS[task](day) == 0


@pytest.mark.django_db(transaction=True)
def test_both_tasks_twice_at_once(advisor: User, office: Office, slow_runs: None) -> None:
    world = build_world(advisor, office)
    day = "2027-01-04"
    results = race(
        lambda: check_ipd_deadlines(day),
        lambda: send_contact_reminders(day),
        lambda: check_ipd_deadlines(day),
        lambda: send_contact_reminders(day),
    )
    assert all(isinstance(r, int) for r in results), results
    assert keys(world) == ON_4_JANUARY
    assert sum(results) == Reminder.objects.count() == len(ON_4_JANUARY)


# --- The daily digest ------------------------------------------------------------------------


def second_advisor(office: Office, username: str, email: str) -> User:
    return UserFactory(username=username, office=office, role=Role.ADVISOR, email=email)


def digest_world(advisor: User, office: Office, manager: User) -> tuple[dict[str, Client], User]:
    """The world; the ended client given to a colleague; a third advisor without reminders and
    a fourth without an e-mail address, holding the other two clients' reminders."""
    world = build_world(advisor, office)
    colleague = second_advisor(office, "kolega", "kolega@example.org")
    second_advisor(office, "wolny", "wolny@example.org")
    client_services.advisor_reassign(
        acting_user=manager, client=world["ended"], advisor=colleague, reason="Zmiana rejonu"
    )
    run(d("2026-12-24"))  # advisor: prepare due, contact and action upcoming; colleague: 1
    return world, colleague


@pytest.mark.django_db
def test_one_digest_per_advisor_and_day_without_client_names(
    advisor: User, office: Office, manager: User
) -> None:
    world, colleague = digest_world(advisor, office, manager)
    no_mail = second_advisor(office, "bezpoczty", "")
    Reminder.objects.filter(client=world["running"], kind="action").update(advisor=no_mail)
    day = d("2026-12-24")
    assert deadlines.send_digests(day) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [advisor.email, colleague.email]
    by_recipient = {m.to[0]: m for m in mail.outbox}
    mine, theirs = by_recipient[advisor.email], by_recipient[colleague.email]
    # The advisor's two open reminders (prepare due, contact upcoming), the colleague's one.
    assert mine.subject == "2 przypomnienia czekają w skrzynce IPD"
    assert theirs.subject == "1 przypomnienie czeka w skrzynce IPD"
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert settings.SITE_URL.rstrip("/") + "/inbox/" in message.body
        for client in world.values():
            assert client.last_name not in text
            assert client.pesel and client.pesel not in text
    assert set(Digest.objects.values_list("advisor__username", "day", "reminders")) == {
        (advisor.username, day, 2),
        (colleague.username, day, 1),
    }
    # Again the same day (the task rerun): nothing.
    assert deadlines.send_digests(day) == 0
    assert send_daily_digests(day.isoformat()) == 0
    assert len(mail.outbox) == 2
    # The next day's digest is a new one.
    assert deadlines.send_digests(day + timedelta(1)) == 2
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_send_one_each(
    advisor: User, office: Office, manager: User, slow_runs: None
) -> None:
    _world, colleague = digest_world(advisor, office, manager)
    for serial in range(5):  # more advisors with reminders, so the two runs overlap
        client = many_clients(advisor, office, 1, first_serial=200 + serial)[0]
        extra = second_advisor(office, f"dodatkowy{serial}", f"dodatkowy{serial}@example.org")
        client_services.advisor_reassign(
            acting_user=manager, client=client, advisor=extra, reason="Zmiana rejonu"
        )
    run(d("2026-12-24"))
    day = "2026-12-24"
    results = race(lambda: send_daily_digests(day), lambda: send_daily_digests(day))
    assert all(isinstance(r, int) for r in results), results
    recipients = sorted(m.to[0] for m in mail.outbox)
    expected = sorted(
        [advisor.email, colleague.email] + [f"dodatkowy{s}@example.org" for s in range(5)]
    )
    assert recipients == expected
    assert sum(results) == 7
    assert min(results) > 0  # both runs sent some: they ran side by side
    assert Digest.objects.filter(sent_at__isnull=False).count() == 7


# --- Query count -----------------------------------------------------------------------------


def queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_clients(advisor: User, office: Office) -> None:
    day = d("2026-12-27")  # every stage of the preparation has begun
    many_clients(advisor, office, 3)
    few = {
        "deadlines": queries(lambda: deadlines.write_reminders(day, deadlines.DEADLINE_KINDS)),
        "contacts": queries(lambda: deadlines.write_reminders(day, deadlines.CONTACT_KINDS)),
        "digests": queries(lambda: deadlines.send_digests(day)),
    }
    assert Reminder.objects.count() == 3 * 3
    Reminder.objects.all().delete()
    Digest.objects.all().delete()
    many_clients(advisor, office, 57, first_serial=300)
    many = {
        "deadlines": queries(lambda: deadlines.write_reminders(day, deadlines.DEADLINE_KINDS)),
        "contacts": queries(lambda: deadlines.write_reminders(day, deadlines.CONTACT_KINDS)),
        "digests": queries(lambda: deadlines.send_digests(day)),
    }
    assert Reminder.objects.count() == 60 * 3
    assert many == few
    assert len(mail.outbox) == 2  # one digest per run: one advisor
