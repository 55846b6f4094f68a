"""The retention policy: dry-run reports, anonymisation of clients whose registrations closed
long ago, and what it keeps. Histories are built through the real services on the dates they
happened (time travel), then the policy runs "today" against the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from celery.schedules import crontab
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from clients import services as client_services
from clients.models import (
    CardEntry,
    Client,
    DeregistrationReason,
    DocumentType,
    EntryKind,
    Registration,
)
from clients.search import fold
from ipd import services as ipd_services
from ipd.models import (
    Contact,
    ContactChannel,
    ContactStatus,
    IndividualActionPlan,
    PlanAction,
    PlanVersion,
)
from job_clubs import services as club_services
from job_clubs.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceMark,
    Enrolment,
    JobClub,
    Session,
)
from labour_office.audit.models import AccessLog
from labour_office.celery import app as celery_app
from labour_office.dashboard import selectors as dashboard
from labour_office.dashboard.models import Caseload, TrendEvent
from labour_office.offices.models import Office, User
from labour_office.retention import rules, services
from labour_office.retention.models import Mode, RetentionPolicy, RetentionRun, RetentionRunItem
from labour_office.retention.tasks import apply_retention
from profiling.models import Assessment
from tests.conftest import signed_in
from tests.factories import make_pesel
from tests.ipd.conftest import (
    CARD_A,
    TODAY,
    determine_profile,
    office_action,
    own_action,
    prepared_plan,
    travel,
)

WARSAW = ZoneInfo("Europe/Warsaw")

SURNAME = "Brzęczyszczykiewicz"
FIRST_NAME = "Grzegorz"
PESEL = make_pesel(date(1980, 4, 12), "M", serial=4321)
PHONE = "600100200"
EMAIL = "g.brzeczyszczykiewicz@example.org"
STREET = "ul. Ogrodowa 7"

OLD_REGISTERED, OLD_CLOSED = date(2015, 3, 2), date(2015, 11, 20)  # 11 years ago


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with travel(TODAY):
        yield


def register(
    advisor: User, office: Office, surname: str, pesel: str, registered_on: date
) -> Client:
    with travel(registered_on):
        return client_services.client_register(
            acting_user=advisor,
            office=office,
            card={
                "first_name": "Jan",
                "last_name": surname,
                "city": "Piaseczno",
                "education_level": "higher",
            },
            pesel=pesel,
            birth_date=None,
            sex=None,
            status="unemployed",
            jobseeker_category=None,
            registered_on=registered_on,
        )


def close(advisor: User, client: Client, closed_on: date) -> None:
    with travel(closed_on):
        client_services.registration_close(
            acting_user=advisor,
            registration=Registration.objects.get(client=client, deregistered_on__isnull=True),
            deregistered_on=closed_on,
            reason=DeregistrationReason.objects.get(code="employment"),
            decision="DR.5221.17.2015",
        )


def reopen(advisor: User, client: Client, registered_on: date) -> None:
    with travel(registered_on):
        client_services.registration_open(
            acting_user=advisor,
            client=client,
            office=client.office,
            status="unemployed",
            jobseeker_category=None,
            registered_on=registered_on,
        )


def rich_history(advisor: User, office: Office) -> Client:
    """Grzegorz Brzęczyszczykiewicz, 2015: the card with contact data, journal entries naming
    him, a profile, an agreed IPD with a contact, a job club with attendance; deregistered on
    OLD_CLOSED. Then, today, an advisor opens his record (access log) and an administrator's
    log names him."""
    client = register(advisor, office, SURNAME, PESEL, OLD_REGISTERED)
    with travel(OLD_REGISTERED):
        client_services.client_update(
            acting_user=advisor,
            client=client,
            card={
                **CARD_A,
                "first_name": FIRST_NAME,
                "second_name": "Jan",
                "family_name": f"{SURNAME}-Nowak",
                "birth_place": "Radom",
                "phone": PHONE,
                "email": EMAIL,
                "street": STREET,
                "postal_code": "05-500",
                "last_work_ended_on": date(2014, 12, 31),
                "skills": f"Referencje: firma {SURNAME} i syn",
            },
            pesel=PESEL,
        )
        client_services.card_entry_add(
            acting_user=advisor,
            client=client,
            kind=EntryKind.ADVISOR_ACTION,
            text=f"Pan {SURNAME} zgłosił zmianę adresu, tel. {PHONE}.",
        )
        determine_profile(advisor, client, "II", OLD_REGISTERED)
    start = OLD_REGISTERED + timedelta(days=2)
    with travel(start):
        plan = prepared_plan(
            advisor,
            client,
            on=start,
            goals=f"Magazynier; {SURNAME} chce pracować w Radomiu",
            actions=[
                office_action(
                    "job_placement", advisor, starts_on=start, description=f"Oferty dla {SURNAME}"
                ),
                own_action(description=f"{SURNAME} składa 4 aplikacje", starts_on=start),
            ],
        )
    contact_on = start + timedelta(days=10)
    with travel(contact_on):
        ipd_services.contact_add(
            acting_user=advisor,
            plan=plan,
            status=ContactStatus.HELD,
            contact_on=contact_on,
            channel=ContactChannel.PHONE,
            staff=advisor,
            outcome=f"{SURNAME} ma rozmowę w piątek",
            note=f"Żona p. {SURNAME} dzwoniła",
        )
        club = JobClub.objects.create(
            office=office, name="Klub Pracy", place="sala 12", leader=advisor
        )
        activity = Activity.objects.create(
            club=club,
            kind=ActivityKind.ACTIVATION_CLASSES,
            title="Aktywne poszukiwanie pracy",
            leader=advisor,
            capacity=10,
            enrolment_opens_on=contact_on,
            enrolment_closes_on=contact_on + timedelta(days=5),
        )
        session_start = datetime(
            contact_on.year, contact_on.month, contact_on.day, 9, tzinfo=WARSAW
        ) + timedelta(days=7)
        session = Session.objects.create(
            activity=activity,
            starts_at=session_start,
            ends_at=session_start + timedelta(hours=4),
            hours=Decimal("4"),
        )
        enrolment = club_services.enrol(
            acting_user=advisor, activity=activity, client=client, on=contact_on
        )
    with travel(session_start.date()):
        club_services.mark_attendance(
            acting_user=advisor,
            session=session,
            enrolment=enrolment,
            mark=AttendanceMark.PRESENT,
            on=session_start.date(),
        )
    close(advisor, client, OLD_CLOSED)
    assert signed_in(advisor).get(reverse("client_detail", args=[client.pk])).status_code == 200
    AdminLogEntry.objects.create(
        user=advisor,
        content_type=ContentType.objects.get_for_model(Client),
        object_id=str(client.pk),
        object_repr=f"{FIRST_NAME} {SURNAME}",
        action_flag=CHANGE,
        change_message=f"Poprawiono nazwisko {SURNAME}",
    )
    return Client.objects.get(pk=client.pk)


@pytest.fixture
def world(advisor: User, office: Office, other_office_advisor: User, other_office: Office) -> Any:
    """The eligible clients (closed 11 years ago, one per office) and the ones that are not:
    closed 2 years ago, registered and never deregistered, re-registered after closing."""
    old = rich_history(advisor, office)
    other = register(
        other_office_advisor,
        other_office,
        "Zamiejscowy",
        make_pesel(date(1975, 1, 2), "F", 11),
        date(2014, 9, 1),
    )
    close(other_office_advisor, other, date(2014, 12, 30))
    recent = register(
        advisor, office, "Niedawny", make_pesel(date(1985, 5, 5), "M", 12), date(2023, 2, 1)
    )
    close(advisor, recent, TODAY - timedelta(days=2 * 365))
    still_open = register(
        advisor, office, "Otwarty", make_pesel(date(1986, 6, 6), "F", 13), OLD_REGISTERED
    )
    returned = register(
        advisor, office, "Powracający", make_pesel(date(1987, 7, 7), "M", 14), date(2013, 1, 7)
    )
    close(advisor, returned, date(2014, 6, 30))
    reopen(advisor, returned, date(2025, 2, 3))
    return {
        "old": old,
        "other": other,
        "recent": recent,
        "open": still_open,
        "returned": returned,
        "eligible": sorted([old.pk, other.pk]),
    }


def items(run: RetentionRun) -> list[tuple[int, int, date]]:
    return list(
        run.entries.order_by("client_id").values_list("client_id", "office_id", "closed_on")
    )


def set_policy(mode: str, years: int = 10) -> None:
    RetentionPolicy.objects.filter(pk=1).update(mode=mode, years_after_closure=years)


def digest() -> dict[str, str]:
    """An md5 of every row of every table but the retention runs'."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename NOT LIKE 'retention_%%' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608, E501
            )
            result[table] = cursor.fetchone()[0]
    return result


def where_found(needles: list[str]) -> list[str]:
    """Every text, varchar and JSON column of every table that contains one of ``needles``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb') ORDER BY 1, 2"
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            for needle in needles:
                cursor.execute(
                    f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1',  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone():
                    found.append(f"{table}.{column}: {needle}")
    return found


NEEDLES = [SURNAME, fold(SURNAME), FIRST_NAME, PESEL, PESEL[5:], PHONE, EMAIL, STREET, "Radom"]


def statistics(office: Office) -> dict[str, Any]:
    """What the statistics count: the rows kept, their dates, statuses and profiles, and the
    dashboard's numbers."""
    filters = dashboard.Filters(office_ids=(office.pk,))
    return {
        "clients": list(
            Client.objects.order_by("pk").values_list(
                "pk", "office_id", "sex", "birth_date__year", "education_level", "citizenship"
            )
        ),
        "registrations": list(
            Registration.objects.order_by("pk").values_list(
                "pk", "client_id", "office_id", "status", "registered_on", "deregistered_on"
            )
        ),
        "assessments": list(
            Assessment.objects.order_by("pk").values_list(
                "pk", "client_id", "status", "final_profile", "determined_on", "distance_score"
            )
        ),
        "plans": list(
            IndividualActionPlan.objects.order_by("pk").values_list(
                "pk", "client_id", "status", "end_reason", "starts_on", "ended_on", "version"
            )
        ),
        "plan_versions": PlanVersion.objects.count(),
        "actions": list(
            PlanAction.objects.order_by("pk").values_list(
                "pk", "plan_id", "kind", "form_id", "status", "starts_on", "ends_on"
            )
        ),
        "contacts": list(
            Contact.objects.order_by("pk").values_list(
                "pk", "plan_id", "status", "contact_on", "channel"
            )
        ),
        "enrolments": list(
            Enrolment.objects.order_by("pk").values_list(
                "pk", "client_id", "status", "hours_attended"
            )
        ),
        "attendance": list(Attendance.objects.order_by("pk").values_list("pk", "mark")),
        "journal": CardEntry.objects.count(),
        "caseload": list(Caseload.objects.order_by("client_id").values_list()),
        "trend_events": list(TrendEvent.objects.order_by("pk").values_list()),
        "counts": dashboard.counts(filters, TODAY),
        "per_advisor": dashboard.per_advisor(filters),
        "trends": dashboard.trends(filters, TODAY),
    }


# --- Rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("closed_on", "years", "past"),
    [
        (date(2015, 11, 20), 10, True),  # kept 2016-2025: anonymised from 2026-01-01
        (date(2016, 1, 1), 10, False),  # kept until the end of 2026
        (date(2016, 12, 31), 10, False),
        (date(2015, 12, 31), 10, True),
        (date(2015, 11, 20), 11, False),
        (date(2024, 11, 23), 1, True),
        (date(2025, 1, 1), 1, False),
    ],
)
def test_the_period_counts_full_calendar_years_after_the_closure(
    closed_on: date, years: int, past: bool
) -> None:
    assert rules.is_past_retention(closed_on, TODAY, years) is past


def test_the_birth_date_is_reduced_to_its_year_and_a_period_is_positive() -> None:
    assert rules.anonymised_birth_date(date(1980, 4, 12)) == date(1980, 7, 1)
    assert rules.anonymised_birth_date(date(1980, 12, 31)) == date(1980, 7, 1)
    with pytest.raises(ValueError):
        rules.retention_cutoff(TODAY, 0)


# --- Runs -------------------------------------------------------------------------------------


def test_the_policy_is_off_with_ten_years_until_an_administrator_sets_it(db: None) -> None:
    policy = RetentionPolicy.load()
    assert (policy.mode, policy.years_after_closure) == (Mode.OFF, 10)
    assert RetentionPolicy.objects.count() == 1


def test_a_dry_run_changes_nothing_and_lists_exactly_the_eligible_clients(world: Any) -> None:
    set_policy(Mode.DRY_RUN)
    before = digest()
    assert apply_retention() == 2
    assert digest() == before
    run = RetentionRun.objects.get()
    assert (run.mode, run.years_after_closure, run.cutoff) == (Mode.DRY_RUN, 10, date(2016, 1, 1))
    assert run.finished and run.clients_count == 2
    assert items(run) == [
        (world["old"].pk, world["old"].office_id, date(2015, 11, 20)),
        (world["other"].pk, world["other"].office_id, date(2014, 12, 30)),
    ]
    # A second dry run the same day replaces the day's report.
    apply_retention()
    assert RetentionRun.objects.count() == 1
    assert RetentionRunItem.objects.count() == 2
    assert Client.objects.filter(anonymised_on__isnull=False).count() == 0


def test_anonymisation_replaces_identity_and_contact_data(world: Any, advisor: User) -> None:
    set_policy(Mode.ANONYMISE)
    old: Client = world["old"]
    assert old.pesel == PESEL and old.phone == PHONE  # the history was built
    assert apply_retention() == 2

    client = Client.objects.get(pk=old.pk)
    assert client.anonymised_on == TODAY
    assert (client.first_name, client.second_name, client.family_name) == ("—", "", "")
    assert client.last_name == f"Zanonimizowano #{client.pk}"
    assert client.pesel is None
    assert (client.document_type, client.document_number) == (
        DocumentType.OTHER,
        f"ANON-{client.pk}",
    )
    assert client.birth_date == date(1980, 7, 1)
    assert (client.sex, client.education_level, client.work_experience_months) == (
        "M",
        "higher",
        36,
    )
    for field in ("phone", "email", "street", "postal_code", "city", "birth_place", "skills"):
        assert getattr(client, field) == "", field
    assert client.search_text == ""
    texts = set(CardEntry.objects.filter(client=client).values_list("text", flat=True))
    assert texts == {"—"}
    plan = IndividualActionPlan.objects.get(client=client)
    assert plan.goals == "—"
    assert set(plan.actions.values_list("description", flat=True)) == {"—"}
    assert set(plan.contacts.values_list("outcome", "note")) == {("—", "—")}
    snapshot = plan.versions.get().snapshot
    assert snapshot["goals"] == "—" and snapshot["contact_arrangements"] == ""
    assert {a["description"] for a in snapshot["actions"]} == {"—"}
    assert len(snapshot["actions"]) == 2
    # The history keeps who changed what and when, not the values.
    entries = LogEntry.objects.get_for_object(client)
    assert entries.filter(changes__has_key="last_name").exists()
    assert all(
        set(map(tuple, entry.changes.values())) <= {("—", "—")}
        for entry in entries.exclude(additional_data__retention="anonymised")
    )
    assert entries.filter(additional_data__retention="anonymised").count() == 1
    assert set(
        AccessLog.objects.filter(object_id=str(client.pk)).values_list("object_repr", flat=True)
    ) == {f"— Zanonimizowano #{client.pk}"}

    # The clients who are not past the period keep everything.
    for key in ("recent", "open", "returned"):
        kept = Client.objects.get(pk=world[key].pk)
        assert kept.anonymised_on is None and kept.pesel == world[key].pesel

    # The client's page says so; the card cannot be edited.
    http = signed_in(advisor)
    page = http.get(reverse("client_detail", args=[client.pk]))
    assert page.status_code == 200
    assert page.context["client"].anonymised_on == TODAY
    assert reverse("client_edit", args=[client.pk]) not in page.content.decode()
    assert 'role="status"' in page.content.decode()
    for method in (http.get, http.post):
        refused = method(
            reverse("client_edit", args=[client.pk]),
            {"first_name": "Ktoś", "last_name": "Inny"},
            follow=True,
        )
        assert refused.redirect_chain == [(reverse("client_detail", args=[client.pk]), 302)]
        assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    assert Client.objects.get(pk=client.pk).first_name == "—"


def test_the_old_surname_and_pesel_appear_nowhere_in_the_database(world: Any) -> None:
    found_before = where_found(NEEDLES)
    # The history really held them: in the change history, the access log, the journal...
    for table in (
        "auditlog_logentry.object_repr",
        "auditlog_logentry.changes",
        "audit_accesslog.object_repr",
        "django_admin_log.change_message",
        "clients_cardentry.text",
        "clients_client.pesel",
        "ipd_contact.note",
        "ipd_planversion.snapshot",
    ):
        assert any(hit.startswith(table) for hit in found_before), table
    set_policy(Mode.ANONYMISE)
    services.apply_policy()
    assert where_found(NEEDLES) == []


def test_actions_and_contacts_removed_from_the_plan_lose_their_text_too(world: Any) -> None:
    """A removed action or contact exists only in its change history, which still names the
    person: found by the plan it belonged to."""
    action = PlanAction.objects.get(
        plan__client=world["old"], description__startswith=f"{SURNAME} składa"
    )
    contact = Contact.objects.get(plan__client=world["old"])
    gone = [str(action.pk), str(contact.pk)]
    action.delete()
    contact.delete()
    assert any(hit.startswith("auditlog_logentry.changes") for hit in where_found([SURNAME]))
    set_policy(Mode.ANONYMISE)
    services.apply_policy()
    assert where_found(NEEDLES) == []
    removed = LogEntry.objects.filter(object_pk__in=gone, action=LogEntry.Action.DELETE)
    assert removed.count() == 2  # who removed them and when is kept
    assert all(set(entry.changes) >= {"plan"} for entry in removed)


def test_a_form_sent_as_the_batch_commits_cannot_bring_the_data_back(
    world: Any, advisor: User, office: Office
) -> None:
    """The views refuse an anonymised card; the services check again under the row lock, so a
    save that waited for the batch's lock does not write the person back."""
    stale = world["old"]  # as loaded by a view before the batch ran
    set_policy(Mode.ANONYMISE)
    services.apply_policy()
    with pytest.raises(ValidationError):
        client_services.client_update(
            acting_user=advisor, client=stale, card={"last_name": SURNAME}
        )
    with pytest.raises(ValidationError):
        client_services.registration_open(
            acting_user=advisor,
            client=stale,
            office=office,
            status="unemployed",
            jobseeker_category=None,
            registered_on=TODAY,
        )
    assert where_found(NEEDLES) == []


def test_statistics_are_unchanged(world: Any, office: Office) -> None:
    before = statistics(office)
    assert len(before["registrations"]) == 6 and before["enrolments"] and before["contacts"]
    set_policy(Mode.ANONYMISE)
    assert services.apply_policy().clients_count == 2  # type: ignore[union-attr]
    after = statistics(office)
    for key in before:
        assert after[key] == before[key], key


def test_a_second_run_is_a_no_op(world: Any) -> None:
    set_policy(Mode.ANONYMISE)
    first = services.apply_policy()
    assert first is not None and first.clients_count == 2
    before = digest()
    second = services.apply_policy()
    assert second is not None and (second.clients_count, items(second), second.finished) == (
        0,
        [],
        True,
    )
    assert digest() == before


def test_mode_off_does_nothing(world: Any) -> None:
    before = digest()
    assert services.apply_policy() is None
    assert apply_retention() == 0
    assert digest() == before
    assert not RetentionRun.objects.exists()


def test_the_period_is_configurable(world: Any) -> None:
    set_policy(Mode.DRY_RUN, years=12)  # closures before 2014-01-01: none
    apply_retention()
    assert items(RetentionRun.objects.get()) == []
    set_policy(Mode.DRY_RUN, years=1)  # closures before 2025-01-01: the recent one too
    apply_retention()
    listed = [client_id for client_id, _office, _day in items(RetentionRun.objects.get())]
    assert listed == sorted([*world["eligible"], world["recent"].pk])
    set_policy(Mode.ANONYMISE, years=1)
    apply_retention()
    assert set(Client.objects.filter(anonymised_on=TODAY).values_list("pk", flat=True)) == set(
        listed
    )


def test_a_client_registered_again_before_the_batch_is_left_alone(
    world: Any, advisor: User
) -> None:
    cutoff = rules.retention_cutoff(TODAY, 10)
    reopen(advisor, world["old"], TODAY)
    anonymised = services.anonymise_batch(world["eligible"], cutoff, TODAY)
    assert anonymised == {world["other"].pk}
    assert Client.objects.get(pk=world["old"].pk).pesel == PESEL


def test_anonymisation_runs_a_fixed_number_of_statements_per_batch(
    advisor: User, office: Office
) -> None:
    """Set-based: a batch of three clients costs what a batch of one costs."""
    clients = [
        register(
            advisor, office, f"Dawny{n}", make_pesel(date(1970, 1, n), "F", n), date(2012, 1, 2)
        )
        for n in range(1, 5)
    ]
    for client in clients:
        close(advisor, client, date(2013, 3, 1))
    cutoff = rules.retention_cutoff(TODAY, 10)
    with CaptureQueriesContext(connection) as one:
        assert services.anonymise_batch([clients[0].pk], cutoff, TODAY) == {clients[0].pk}
    with CaptureQueriesContext(connection) as three:
        assert len(services.anonymise_batch([c.pk for c in clients[1:]], cutoff, TODAY)) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_switching_to_anonymise_needs_a_dry_run_with_the_same_period(world: Any) -> None:
    policy = RetentionPolicy.load()
    policy.mode = Mode.ANONYMISE
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "mode" in error.value.message_dict
    services.run(mode=Mode.DRY_RUN, years=10)
    policy.full_clean()
    policy.years_after_closure = 8
    with pytest.raises(ValidationError):
        policy.full_clean()


def test_the_beat_schedule_runs_the_task_at_night() -> None:
    entry = celery_app.conf.beat_schedule["retention-apply"]
    assert entry["task"] == "labour_office.retention.tasks.apply_retention"
    assert apply_retention.name == entry["task"]
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert all(hour < 5 or hour >= 22 for hour in schedule.hour)


def test_the_management_command_prints_the_dry_run_report(world: Any) -> None:
    out = StringIO()
    before = digest()
    with translation.override("en"):
        call_command("retention", "--dry-run", stdout=out)
    assert digest() == before
    text = out.getvalue()
    assert "closed: 10." in text and "closed before 2016-01-01." in text
    assert "2 clients would be anonymised." in text
    lines = [line for line in text.splitlines() if line.startswith("client ")]
    assert lines == [
        f"client {world['old'].pk} (office {world['old'].office_id}): "
        "last registration closed on 2015-11-20",
        f"client {world['other'].pk} (office {world['other'].office_id}): "
        "last registration closed on 2014-12-30",
    ]
    assert RetentionRun.objects.get().mode == Mode.DRY_RUN

    out = StringIO()
    with translation.override("en"):
        call_command("retention", stdout=out)
    assert (
        "off" in out.getvalue() and Client.objects.filter(anonymised_on__isnull=False).count() == 0
    )


def test_the_management_command_anonymises_in_anonymise_mode(world: Any) -> None:
    set_policy(Mode.ANONYMISE)
    out = StringIO()
    with translation.override("en"):
        call_command("retention", stdout=out)
    assert "2 clients anonymised." in out.getvalue()
    assert set(Client.objects.filter(anonymised_on=TODAY).values_list("pk", flat=True)) == set(
        world["eligible"]
    )


# --- Admin ------------------------------------------------------------------------------------


def _admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:retention_{model._meta.model_name}_{view}", args=args)


def test_an_office_administrator_reads_the_policy_and_the_report_of_their_office(
    world: Any, office_admin: User, django_assert_max_num_queries: Any
) -> None:
    run = services.run(mode=Mode.DRY_RUN)
    http = signed_in(office_admin)
    policy_page = http.get(_admin_url(RetentionPolicy, "change", 1))
    assert policy_page.status_code == 200
    assert not policy_page.context["has_change_permission"]
    response = http.post(
        _admin_url(RetentionPolicy, "change", 1), {"mode": Mode.DRY_RUN, "years_after_closure": 5}
    )
    assert response.status_code == 403
    assert RetentionPolicy.load().mode == Mode.OFF

    assert http.get(_admin_url(RetentionRun, "changelist")).status_code == 200
    with django_assert_max_num_queries(12):
        page = http.get(_admin_url(RetentionRun, "change", run.pk))
    assert page.status_code == 200
    report = page.context["report"]
    assert report["count"] == 1
    assert [row["client"] for row in report["rows"]] == [world["old"].pk]
    body = page.content.decode()
    assert reverse("client_detail", args=[world["old"].pk]) in body
    assert reverse("client_detail", args=[world["other"].pk]) not in body
    assert http.get(_admin_url(RetentionRun, "add")).status_code == 403


def test_a_national_administrator_switches_the_mode_after_a_dry_run(
    world: Any, national_admin: User
) -> None:
    national_admin.is_staff = True
    national_admin.save(update_fields=["is_staff"])
    http = signed_in(national_admin)
    url = _admin_url(RetentionPolicy, "change", 1)
    response = http.post(url, {"mode": Mode.ANONYMISE, "years_after_closure": 10})
    assert response.status_code == 200  # refused: no dry run yet
    assert "mode" in response.context["adminform"].form.errors
    assert RetentionPolicy.load().mode == Mode.OFF
    response = http.post(url, {"mode": Mode.DRY_RUN, "years_after_closure": 10})
    assert response.status_code == 302
    apply_retention()
    page = http.get(_admin_url(RetentionRun, "change", RetentionRun.objects.get().pk))
    assert page.context["report"]["count"] == 2
    response = http.post(url, {"mode": Mode.ANONYMISE, "years_after_closure": 10})
    assert response.status_code == 302
    policy = RetentionPolicy.load()
    assert (policy.mode, policy.updated_by) == (Mode.ANONYMISE, national_admin)
    assert LogEntry.objects.get_for_object(policy).exists()
    apply_retention()
    assert Client.objects.filter(anonymised_on=TODAY).count() == 2
