"""The deadline reminders of one client walked through a whole IPD with time frozen (issue 7):
the due items the services keep, and the exact reminders the beat tasks write on each
significant day, with weekends and Polish public holidays on the path (domain/deadlines.md,
DESIGN.md rules 4 and 5).

Every expected date is written out by hand: a term of N days ends on event + N; the act-by date
is the last working day on or before it; the upcoming stage starts 7 days (the office's lead)
before the act-by date, the due stage on it, the overdue stage the day after the legal date.
"""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from clients import services as client_services
from clients.models import Client, DeregistrationReason
from ipd import deadlines, services
from ipd.models import (
    ActionKind,
    ActionStatus,
    ContactChannel,
    ContactStatus,
    DueItem,
    DueKind,
    EndReason,
    IndividualActionPlan,
    Reminder,
)
from ipd.tasks import check_ipd_deadlines, send_contact_reminders
from labour_office.offices.models import Office, Role, User
from tests.factories import UserFactory
from tests.ipd.conftest import (
    determine_profile,
    office_action,
    own_action,
    prepared_plan,
    travel,
    unemployed,
)

pytestmark = pytest.mark.django_db

PREPARE, CONTACT, MAX_END, ACTION, REPROFILE = (
    DueKind.PREPARE.value,
    DueKind.CONTACT.value,
    DueKind.MAX_END.value,
    DueKind.ACTION.value,
    DueKind.REPROFILE.value,
)
OPEN, SUPERSEDED, SATISFIED = "open", "superseded", "satisfied"

Row = tuple[str, date, date, str, str, str]


def d(text: str) -> date:
    return date.fromisoformat(text)


def run(day: date) -> None:
    """Both beat tasks for ``day``, synchronously, with ``day`` as today."""
    with travel(day):
        check_ipd_deadlines(day.isoformat())
        send_contact_reminders(day.isoformat())


def reminders(client: Client) -> set[Row]:
    """(kind, legal date, act-by, stage, advisor, state) of every reminder of the client."""
    rows = Reminder.objects.filter(client=client).select_related("advisor")
    assert all(r.done_at is None or r.closed_by_system for r in rows)
    return {
        (
            r.kind,
            r.due_on,
            r.act_by,
            r.stage,
            r.advisor.username if r.advisor else "",
            OPEN if r.done_at is None else r.closed_by_system,
        )
        for r in rows
    }


def due_items(client: Client) -> dict[str, tuple[date, date]]:
    return {i.kind: (i.due_on, i.act_by) for i in DueItem.objects.filter(client=client)}


def deregister(advisor: User, client: Client, code: str, on: date) -> None:
    client_services.registration_close(
        acting_user=advisor,
        registration=client.registrations.get(deregistered_on__isnull=True),
        deregistered_on=on,
        reason=DeregistrationReason.objects.get(code=code),
    )


def contact(advisor: User, plan: IndividualActionPlan, status: str, on: date, channel: str) -> None:
    with travel(on):
        services.contact_add(
            acting_user=advisor,
            plan=plan,
            status=status,
            contact_on=on,
            channel=channel,
            staff=advisor,
        )


# --- One client, one IPD, start to end ----------------------------------------------------------


def test_one_client_through_a_whole_ipd(advisor: User, office: Office) -> None:
    assert office.reminder_lead_days == 7
    me = advisor.username

    # 2026-10-27 (Tue): profile I determined. The IPD is due on 2026-12-26, a Saturday and the
    # second day of Christmas; 24 and 25 December are holidays too: act by Wed 2026-12-23.
    with travel(d("2026-10-27")):
        client = unemployed(advisor, office, "I", profiled_on=d("2026-10-27"))
    assert client.assignments.get(ended_at__isnull=True).advisor == advisor
    assert due_items(client) == {PREPARE: (d("2026-12-26"), d("2026-12-23"))}
    prep = (PREPARE, d("2026-12-26"), d("2026-12-23"))

    run(d("2026-12-15"))  # 8 days before the act-by date: nothing yet
    assert reminders(client) == set()
    run(d("2026-12-16"))  # exactly 7 days before: upcoming
    assert reminders(client) == {(*prep, "upcoming", me, OPEN)}
    run(d("2026-12-22"))
    assert reminders(client) == {(*prep, "upcoming", me, OPEN)}
    run(d("2026-12-23"))  # the act-by day: due, the upcoming one superseded
    assert reminders(client) == {
        (*prep, "upcoming", me, SUPERSEDED),
        (*prep, "due", me, OPEN),
    }
    run(d("2026-12-26"))  # the legal date itself (Saturday, holiday): nothing new
    assert reminders(client) == {
        (*prep, "upcoming", me, SUPERSEDED),
        (*prep, "due", me, OPEN),
    }
    run(d("2026-12-27"))  # the day after the legal date (Sunday): overdue
    assert reminders(client) == {
        (*prep, "upcoming", me, SUPERSEDED),
        (*prep, "due", me, SUPERSEDED),
        (*prep, "overdue", me, OPEN),
    }
    # Escalation: the office (its managers) sees the open overdue reminder.
    escalated = Reminder.objects.filter(office=office, stage="overdue", done_at__isnull=True)
    assert list(escalated.values_list("client_id", "kind")) == [(client.pk, PREPARE)]

    # 2026-12-28 (Mon): the IPD is prepared late and agreed, starting that day. The client's
    # own action ends on New Year's Day 2027-01-01 (act by Thu 2026-12-31), the office action
    # on Epiphany 2027-01-06 (act by Tue 2027-01-05). Maximum for profile I: 28.12 + 180 =
    # 2027-06-26, a Saturday (act by Fri 2027-06-25). First contact: 28.12 + 60 = 2027-02-26.
    with travel(d("2026-12-28")):
        plan = prepared_plan(
            advisor,
            client,
            on=d("2026-12-28"),
            actions=[
                office_action(
                    "job_placement", advisor, starts_on=d("2026-12-28"), ends_on=d("2027-01-06")
                ),
                own_action(starts_on=d("2026-12-28"), ends_on=d("2027-01-01")),
            ],
            agree=False,
        )
        assert PREPARE in due_items(client)  # a draft is not yet a prepared plan
        plan = services.plan_agree(
            acting_user=advisor,
            plan=plan,
            prepared_on=d("2026-12-28"),
            agreed=True,
            late_reason="Klient przebywał w szpitalu.",
        )
    assert due_items(client) == {
        CONTACT: (d("2027-02-26"), d("2027-02-26")),
        MAX_END: (d("2027-06-26"), d("2027-06-25")),
        ACTION: (d("2027-01-01"), d("2026-12-31")),
    }
    history = {
        (*prep, "upcoming", me, SUPERSEDED),
        (*prep, "due", me, SUPERSEDED),
        (*prep, "overdue", me, SATISFIED),
    }
    assert reminders(client) == history
    assert not escalated.exists()

    own = plan.actions.get(kind=ActionKind.OWN)
    office_act = plan.actions.get(kind=ActionKind.OFFICE)
    act1 = (ACTION, d("2027-01-01"), d("2026-12-31"))
    run(d("2026-12-28"))  # the upcoming stage of the action began on 24.12: written now
    assert reminders(client) == history | {(*act1, "upcoming", me, OPEN)}
    run(d("2026-12-31"))
    assert reminders(client) == history | {
        (*act1, "upcoming", me, SUPERSEDED),
        (*act1, "due", me, OPEN),
    }
    run(d("2027-01-01"))  # the legal date, a holiday: nothing new
    run(d("2027-01-02"))  # Saturday, the day after: overdue
    history |= {(*act1, "upcoming", me, SUPERSEDED), (*act1, "due", me, SUPERSEDED)}
    assert reminders(client) == history | {(*act1, "overdue", me, OPEN)}

    # 2027-01-04 (Mon): the own action is done; the item moves to the office action's end.
    with travel(d("2027-01-04")):
        services.action_set_status(
            acting_user=advisor, action=own, status=ActionStatus.DONE, reason="", on=d("2027-01-04")
        )
    act2 = (ACTION, d("2027-01-06"), d("2027-01-05"))
    assert due_items(client)[ACTION] == (d("2027-01-06"), d("2027-01-05"))
    history |= {(*act1, "overdue", me, SATISFIED)}
    assert reminders(client) == history
    run(d("2027-01-04"))
    assert reminders(client) == history | {(*act2, "upcoming", me, OPEN)}
    run(d("2027-01-05"))
    assert reminders(client) == history | {
        (*act2, "upcoming", me, SUPERSEDED),
        (*act2, "due", me, OPEN),
    }
    # The same day the office action is recorded as not done: no open action, no item.
    with travel(d("2027-01-05")):
        services.action_set_status(
            acting_user=advisor,
            action=office_act,
            status=ActionStatus.NOT_DONE,
            reason="Brak ofert w zawodzie.",
            on=d("2027-01-05"),
        )
    assert ACTION not in due_items(client)
    history |= {(*act2, "upcoming", me, SUPERSEDED), (*act2, "due", me, SATISFIED)}
    assert reminders(client) == history
    run(d("2027-01-07"))  # no overdue for a cleared item
    run(d("2027-02-18"))
    assert reminders(client) == history

    # The first contact is due Fri 2027-02-26 (a working day: act by the same day).
    cont1 = (CONTACT, d("2027-02-26"), d("2027-02-26"))
    run(d("2027-02-19"))
    assert reminders(client) == history | {(*cont1, "upcoming", me, OPEN)}
    # 2027-02-22: the client misses the appointment. Not a contact: nothing moves.
    contact(advisor, plan, ContactStatus.MISSED, d("2027-02-22"), ContactChannel.IN_PERSON)
    assert due_items(client)[CONTACT] == (d("2027-02-26"), d("2027-02-26"))
    assert reminders(client) == history | {(*cont1, "upcoming", me, OPEN)}
    run(d("2027-02-26"))
    run(d("2027-02-27"))
    history |= {(*cont1, "upcoming", me, SUPERSEDED), (*cont1, "due", me, SUPERSEDED)}
    assert reminders(client) == history | {(*cont1, "overdue", me, OPEN)}
    # 2027-03-04 (Thu): a phone call. Next contact by 4.03 + 60 = Mon 2027-05-03 (Constitution
    # Day); 2 May is a Sunday and 1 May a holiday on a Saturday: act by Fri 2027-04-30.
    contact(advisor, plan, ContactStatus.HELD, d("2027-03-04"), ContactChannel.PHONE)
    assert due_items(client)[CONTACT] == (d("2027-05-03"), d("2027-04-30"))
    history |= {(*cont1, "overdue", me, SATISFIED)}
    assert reminders(client) == history
    cont2 = (CONTACT, d("2027-05-03"), d("2027-04-30"))
    run(d("2027-03-04"))
    run(d("2027-04-22"))
    assert reminders(client) == history
    run(d("2027-04-23"))
    assert reminders(client) == history | {(*cont2, "upcoming", me, OPEN)}
    run(d("2027-04-30"))
    assert reminders(client) == history | {
        (*cont2, "upcoming", me, SUPERSEDED),
        (*cont2, "due", me, OPEN),
    }
    # 2027-04-30: an e-mail exchange with the client, on the act-by day: next by 2027-06-29.
    contact(advisor, plan, ContactStatus.HELD, d("2027-04-30"), ContactChannel.EMAIL)
    assert due_items(client)[CONTACT] == (d("2027-06-29"), d("2027-06-29"))
    history |= {(*cont2, "upcoming", me, SUPERSEDED), (*cont2, "due", me, SATISFIED)}
    assert reminders(client) == history

    # The maximum (Sat 2027-06-26, act by Fri 2027-06-25) and the next contact (Tue 06-29).
    top = (MAX_END, d("2027-06-26"), d("2027-06-25"))
    cont3 = (CONTACT, d("2027-06-29"), d("2027-06-29"))
    run(d("2027-06-17"))
    assert reminders(client) == history
    run(d("2027-06-18"))
    assert reminders(client) == history | {(*top, "upcoming", me, OPEN)}
    run(d("2027-06-22"))
    assert reminders(client) == history | {
        (*top, "upcoming", me, OPEN),
        (*cont3, "upcoming", me, OPEN),
    }
    run(d("2027-06-25"))
    run(d("2027-06-26"))
    run(d("2027-06-27"))  # Sunday, the day after the maximum: overdue
    assert reminders(client) == history | {
        (*top, "upcoming", me, SUPERSEDED),
        (*top, "due", me, SUPERSEDED),
        (*top, "overdue", me, OPEN),
        (*cont3, "upcoming", me, OPEN),
    }

    # 2027-06-28 (Mon): the IPD is recorded as ended at its maximum, without work. Re-profiling
    # is due 26.06 + 14 (ipd.reprofiling_days) = Sat 2027-07-10: act by Fri 2027-07-09.
    with travel(d("2027-06-28")):
        services.plan_end(
            acting_user=advisor,
            plan=plan,
            ended_on=d("2027-06-26"),
            reason=EndReason.MAXIMUM,
            analysis="Brak ofert pracy w zawodzie klienta.",
        )
    assert due_items(client) == {REPROFILE: (d("2027-07-10"), d("2027-07-09"))}
    history |= {
        (*top, "upcoming", me, SUPERSEDED),
        (*top, "due", me, SUPERSEDED),
        (*top, "overdue", me, SATISFIED),
        (*cont3, "upcoming", me, SATISFIED),
    }
    assert reminders(client) == history
    repro = (REPROFILE, d("2027-07-10"), d("2027-07-09"))
    run(d("2027-06-28"))
    run(d("2027-07-01"))
    assert reminders(client) == history
    run(d("2027-07-02"))
    assert reminders(client) == history | {(*repro, "upcoming", me, OPEN)}

    # 2027-07-05: the profile is determined again; a new preparation term: Fri 2027-09-03.
    with travel(d("2027-07-05")):
        determine_profile(advisor, client, "I", d("2027-07-05"))
    assert due_items(client) == {PREPARE: (d("2027-09-03"), d("2027-09-03"))}
    history |= {(*repro, "upcoming", me, SATISFIED)}
    assert reminders(client) == history
    prep2 = (PREPARE, d("2027-09-03"), d("2027-09-03"))
    run(d("2027-08-26"))
    assert reminders(client) == history
    run(d("2027-08-27"))
    assert reminders(client) == history | {(*prep2, "upcoming", me, OPEN)}

    # 2027-08-30: the client moves away and is deregistered: nothing is due any more.
    with travel(d("2027-08-30")):
        deregister(advisor, client, "moved", d("2027-08-30"))
    assert due_items(client) == {}
    history |= {(*prep2, "upcoming", me, SATISFIED)}
    assert reminders(client) == history
    run(d("2027-09-10"))
    assert reminders(client) == history
    assert not Reminder.objects.filter(client=client, done_at__isnull=True).exists()


def test_contacts_across_new_year_and_epiphany(advisor: User, office: Office) -> None:
    """Profile on 2026-11-02, IPD agreed 2026-11-03: the first contact is due on Sat
    2027-01-02, after New Year's Day (act by Thu 2026-12-31); an e-mail on Sat 2026-11-07 moves
    it to Epiphany, Wed 2027-01-06 (act by Tue 2027-01-05); a missed appointment moves nothing."""
    me = advisor.username
    with travel(d("2026-11-03")):
        client = unemployed(advisor, office, "I", profiled_on=d("2026-11-02"))
        plan = prepared_plan(advisor, client, on=d("2026-11-03"))
    assert due_items(client)[CONTACT] == (d("2027-01-02"), d("2026-12-31"))
    assert PREPARE not in due_items(client)
    contact(advisor, plan, ContactStatus.HELD, d("2026-11-07"), ContactChannel.EMAIL)
    assert due_items(client)[CONTACT] == (d("2027-01-06"), d("2027-01-05"))
    cont = (CONTACT, d("2027-01-06"), d("2027-01-05"))

    def contacts_only(day: date) -> None:
        with travel(day):
            send_contact_reminders(day.isoformat())

    contacts_only(d("2026-12-28"))
    assert reminders(client) == set()
    contacts_only(d("2026-12-29"))  # 7 days before the act-by date, across New Year
    assert reminders(client) == {(*cont, "upcoming", me, OPEN)}
    contact(advisor, plan, ContactStatus.MISSED, d("2026-12-30"), ContactChannel.IN_PERSON)
    assert due_items(client)[CONTACT] == (d("2027-01-06"), d("2027-01-05"))
    contacts_only(d("2027-01-04"))
    assert reminders(client) == {(*cont, "upcoming", me, OPEN)}
    contacts_only(d("2027-01-05"))
    contacts_only(d("2027-01-06"))  # the legal date, a holiday: nothing new
    assert reminders(client) == {
        (*cont, "upcoming", me, SUPERSEDED),
        (*cont, "due", me, OPEN),
    }
    contacts_only(d("2027-01-07"))
    assert reminders(client) == {
        (*cont, "upcoming", me, SUPERSEDED),
        (*cont, "due", me, SUPERSEDED),
        (*cont, "overdue", me, OPEN),
    }
    # The contact task writes contact reminders only; the other kinds are the other task's.
    assert Reminder.objects.exclude(kind=CONTACT).count() == 0
    # A meeting on 2027-01-08 satisfies it; the next is due on 2027-03-09.
    contact(advisor, plan, ContactStatus.HELD, d("2027-01-08"), ContactChannel.IN_PERSON)
    assert due_items(client)[CONTACT] == (d("2027-03-09"), d("2027-03-09"))
    assert reminders(client) == {
        (*cont, "upcoming", me, SUPERSEDED),
        (*cont, "due", me, SUPERSEDED),
        (*cont, "overdue", me, SATISFIED),
    }


def test_an_item_that_comes_back_reminds_again(advisor: User, office: Office) -> None:
    """An action recorded as done by mistake and set back in progress is again without an
    outcome: its overdue reminder must be open in the inbox again."""
    with travel(d("2026-11-03")):
        client = unemployed(advisor, office, "I", profiled_on=d("2026-11-02"))
        plan = prepared_plan(
            advisor, client, on=d("2026-11-03"), actions=[own_action(ends_on=d("2026-11-20"))]
        )
    action = plan.actions.get()
    run(d("2026-11-21"))
    act = (ACTION, d("2026-11-20"), d("2026-11-20"))
    assert (*act, "overdue", advisor.username, OPEN) in reminders(client)
    with travel(d("2026-11-23")):
        services.action_set_status(
            acting_user=advisor,
            action=action,
            status=ActionStatus.DONE,
            reason="",
            on=d("2026-11-23"),
        )
        action.refresh_from_db()
        services.action_set_status(
            acting_user=advisor,
            action=action,
            status=ActionStatus.IN_PROGRESS,
            reason="",
            on=d("2026-11-23"),
        )
    assert due_items(client)[ACTION] == (d("2026-11-20"), d("2026-11-20"))
    run(d("2026-11-23"))
    assert (*act, "overdue", advisor.username, OPEN) in reminders(client)


# --- Who gets the reminders ---------------------------------------------------------------------


def colleague(office: Office) -> User:
    """A second advisor, made after the client (or the client might be given to them)."""
    return UserFactory(username="zastepca", office=office, role=Role.ADVISOR)


def agreed_client(advisor: User, office: Office) -> Client:
    """Profile 2026-11-02, IPD agreed 2026-11-03: contact due Sat 2027-01-02, act by
    Thu 2026-12-31 (New Year's Day between): upcoming from 12-24, overdue from 2027-01-03."""
    with travel(d("2026-11-03")):
        client = unemployed(advisor, office, "I", profiled_on=d("2026-11-02"))
        prepared_plan(advisor, client, on=d("2026-11-03"))
    assert client.assignments.get(ended_at__isnull=True).advisor == advisor
    assert due_items(client)[CONTACT] == (d("2027-01-02"), d("2026-12-31"))
    return client


def contact_run(day: str) -> None:
    with travel(d(day)):
        send_contact_reminders(day)


def test_reminders_go_to_the_substitute_on_the_days_of_the_substitution(
    advisor: User, office: Office, manager: User
) -> None:
    client = agreed_client(advisor, office)
    substitute = colleague(office)
    client_services.substitution_create(
        acting_user=manager,
        absent=advisor,
        substitute=substitute,
        starts_on=d("2026-12-28"),
        ends_on=d("2026-12-31"),
        reason="Urlop",
    )
    cont = (CONTACT, d("2027-01-02"), d("2026-12-31"))
    contact_run("2026-12-24")  # before the substitution: the advisor
    contact_run("2026-12-31")  # its last day (inclusive): the substitute
    assert reminders(client) == {
        (*cont, "upcoming", advisor.username, SUPERSEDED),
        (*cont, "due", substitute.username, OPEN),
    }
    contact_run("2027-01-03")  # the advisor is back
    assert reminders(client) == {
        (*cont, "upcoming", advisor.username, SUPERSEDED),
        (*cont, "due", substitute.username, SUPERSEDED),
        (*cont, "overdue", advisor.username, OPEN),
    }


def test_open_reminders_follow_a_new_advisor(advisor: User, office: Office, manager: User) -> None:
    client = agreed_client(advisor, office)
    substitute = colleague(office)
    cont = (CONTACT, d("2027-01-02"), d("2026-12-31"))
    contact_run("2026-12-24")
    contact_run("2026-12-31")
    with travel(d("2027-01-02")):
        client_services.advisor_reassign(
            acting_user=manager, client=client, advisor=substitute, reason="Zmiana rejonu"
        )
    assert reminders(client) == {
        (*cont, "upcoming", advisor.username, SUPERSEDED),  # closed: stays where it was
        (*cont, "due", substitute.username, OPEN),
    }
    contact_run("2027-01-03")
    assert reminders(client) == {
        (*cont, "upcoming", advisor.username, SUPERSEDED),
        (*cont, "due", substitute.username, SUPERSEDED),
        (*cont, "overdue", substitute.username, OPEN),
    }


# --- The management command -----------------------------------------------------------------


def every_reminder() -> set[tuple[int, str, date, date, str, int | None, date, bool, str]]:
    return {
        (
            r.client_id,
            r.kind,
            r.due_on,
            r.act_by,
            r.stage,
            r.advisor_id,
            r.created_on,
            r.done_at is None,
            r.closed_by_system,
        )
        for r in Reminder.objects.all()
    }


def test_the_command_writes_what_the_tasks_write(advisor: User, office: Office) -> None:
    client = agreed_client(advisor, office)  # contact and action due 2027-01-02
    with travel(d("2026-10-27")):
        late = unemployed(advisor, office, "I", profiled_on=d("2026-10-27"), serial=50)
    call_command("run_deadline_checks", "--date", "2026-12-31", "--no-mail")
    by_command = every_reminder()
    Reminder.objects.all().delete()
    run(d("2026-12-31"))
    assert every_reminder() == by_command
    # All for the advisor, written on the day of the run:
    assert {(a, w) for _c, _k, _d, _b, _s, a, w, _o, _x in by_command} == {
        (advisor.pk, d("2026-12-31"))
    }
    contact_item = (d("2027-01-02"), d("2026-12-31"))  # Sat, New Year's Day before: Thu
    prepare_item = (d("2026-12-26"), d("2026-12-23"))
    assert {(c, k, (du, b), s, o, x) for c, k, du, b, s, _a, _w, o, x in by_command} == {
        (client.pk, CONTACT, contact_item, "upcoming", False, SUPERSEDED),
        (client.pk, CONTACT, contact_item, "due", True, ""),
        (client.pk, ACTION, contact_item, "upcoming", False, SUPERSEDED),
        (client.pk, ACTION, contact_item, "due", True, ""),
        (late.pk, PREPARE, prepare_item, "upcoming", False, SUPERSEDED),
        (late.pk, PREPARE, prepare_item, "due", False, SUPERSEDED),
        (late.pk, PREPARE, prepare_item, "overdue", True, ""),
    }
    # The command also sends the day's digest, once.
    call_command("run_deadline_checks", "--date", "2026-12-31")
    call_command("run_deadline_checks", "--date", "2026-12-31")
    assert [m.to for m in mail.outbox] == [[advisor.email]]
    assert every_reminder() == by_command


def test_the_command_rebuilds_due_items_deleted_by_hand(advisor: User, office: Office) -> None:
    client = agreed_client(advisor, office)
    before = due_items(client)
    assert before == {
        CONTACT: (d("2027-01-02"), d("2026-12-31")),
        ACTION: (d("2027-01-02"), d("2026-12-31")),  # the office action: 3.11 + 60
        MAX_END: (d("2027-05-02"), d("2027-04-30")),  # 3.11 + 180, a Sunday; 1 May a holiday
    }
    DueItem.objects.all().delete()
    call_command("run_deadline_checks", "--date", "2026-12-24", "--no-mail")
    assert not Reminder.objects.exists()  # nothing to scan without due items
    call_command("run_deadline_checks", "--date", "2026-12-24", "--refresh", "--no-mail")
    assert due_items(client) == before
    assert reminders(client) == {
        (CONTACT, d("2027-01-02"), d("2026-12-31"), "upcoming", advisor.username, OPEN),
        (ACTION, d("2027-01-02"), d("2026-12-31"), "upcoming", advisor.username, OPEN),
    }


def test_write_reminders_answers_how_many_are_new(advisor: User, office: Office) -> None:
    with travel(d("2026-10-27")):
        unemployed(advisor, office, "I", profiled_on=d("2026-10-27"))
    assert deadlines.write_reminders(d("2026-12-27"), deadlines.DEADLINE_KINDS) == 3
    assert deadlines.write_reminders(d("2026-12-27"), deadlines.DEADLINE_KINDS) == 0
    assert deadlines.write_reminders(d("2026-12-27"), deadlines.CONTACT_KINDS) == 0
