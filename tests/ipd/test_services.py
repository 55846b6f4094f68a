"""The IPD services against the real database: preparing, actions, the end date, agreement,
amendments and versions, contacts, monitoring, ending, office scoping and copying a plan."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from clients import services as client_services
from clients.models import CardEntry, Client, DeregistrationReason, EntryKind
from ipd import rules, services
from ipd.models import (
    ActionKind,
    ActionStatus,
    Contact,
    ContactStatus,
    EndReason,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
    PlanVersion,
)
from labour_office.offices.models import Role, User
from labour_office.system.models import Parameter
from profiling.models import Assessment, AssessmentStatus, Trigger
from tests.factories import UserFactory
from tests.ipd.conftest import (
    MAX_DAYS,
    PROFILED_ON,
    START,
    TODAY,
    days,
    determine_profile,
    form,
    office_action,
    own_action,
    prepared_plan,
    travel,
)

pytestmark = pytest.mark.django_db
MakeClient = Callable[..., Client]


def fields_of(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(getattr(error.value, "error_dict", {}))


def entries(client: Client, kind: str) -> list[str]:
    return list(
        CardEntry.objects.filter(client=client, kind=kind)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def update(advisor: User, plan: IndividualActionPlan, **data: Any) -> IndividualActionPlan:
    current = {
        "goals": plan.goals or "Magazynier",
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "contact_arrangements": plan.contact_arrangements,
    }
    return services.plan_update(acting_user=advisor, plan=plan, data={**current, **data})


def held_dates(plan: IndividualActionPlan) -> list[date]:
    return list(
        plan.contacts.filter(status=ContactStatus.HELD).values_list("contact_on", flat=True)
    )


def deregister(advisor: User, client: Client, code: str, on: date = TODAY) -> None:
    client_services.registration_close(
        acting_user=advisor,
        registration=client.registrations.get(deregistered_on__isnull=True),
        deregistered_on=on,
        reason=DeregistrationReason.objects.get(code=code),
    )


# --- Preparing ------------------------------------------------------------------------------


def test_a_plan_is_prepared_only_during_a_registration(advisor: User, client_i: Client) -> None:
    deregister(advisor, client_i, "employment")
    with pytest.raises(ValidationError):
        services.plan_prepare(acting_user=advisor, client=client_i, on=TODAY)
    assert not IndividualActionPlan.objects.filter(client=client_i).exists()


def test_an_unemployed_client_needs_a_determined_profile(
    advisor: User, make_client: MakeClient
) -> None:
    client = make_client(None)
    with pytest.raises(ValidationError):
        services.plan_prepare(acting_user=advisor, client=client, on=TODAY)
    assert not IndividualActionPlan.objects.filter(client=client).exists()
    determine_profile(advisor, client, "II", PROFILED_ON)
    plan = services.plan_prepare(acting_user=advisor, client=client, on=TODAY)
    assert plan.profile == "II"


def test_a_jobseekers_plan_has_no_profile_no_maximum_and_the_default_end(
    advisor: User, jobseeker: Client
) -> None:
    plan = services.plan_prepare(acting_user=advisor, client=jobseeker, on=START)
    assert (plan.profile, plan.assessment, plan.max_end) == ("", None, None)
    assert plan.ends_on == date(2027, 5, 2)  # START + 180 days
    assert plan.status == PlanStatus.DRAFT
    # A jobseeker's plan may run longer than any profile's maximum.
    update(advisor, plan, ends_on=days(START, 900))
    plan.refresh_from_db()
    assert plan.ends_on == days(START, 900)


def test_the_jobseekers_default_end_is_the_offices_parameter(
    advisor: User, jobseeker: Client
) -> None:
    Parameter.objects.filter(key="ipd.jobseeker_default_days").update(value=90)
    plan = services.plan_prepare(acting_user=advisor, client=jobseeker, on=START)
    assert plan.ends_on == date(2027, 2, 1)


@pytest.mark.parametrize(
    ("profile", "max_end"),
    [("I", date(2027, 5, 2)), ("II", date(2028, 4, 26)), ("III", date(2028, 10, 23))],
)
def test_an_unemployed_clients_plan_runs_at_most_the_profiles_maximum(
    advisor: User, make_client: MakeClient, profile: str, max_end: date
) -> None:
    client = make_client(profile)
    plan = services.plan_prepare(acting_user=advisor, client=client, on=START)
    assert max_end == days(START, MAX_DAYS[profile])
    assert (plan.profile, plan.max_end, plan.ends_on) == (profile, max_end, max_end)
    assert plan.assessment == Assessment.objects.get(client=client, is_current=True)
    assert plan.advisor == advisor
    assert entries(client, EntryKind.IPD_CHANGE)


# --- One live plan per registration -----------------------------------------------------------


def test_a_second_plan_for_the_registration_is_refused(advisor: User, client_i: Client) -> None:
    services.plan_prepare(acting_user=advisor, client=client_i, on=START)
    with pytest.raises(ValidationError):
        services.plan_prepare(acting_user=advisor, client=client_i, on=TODAY)
    prepared = IndividualActionPlan.objects.get(client=client_i)
    services.plan_update(
        acting_user=advisor,
        plan=prepared,
        data={"goals": "Magazynier", "starts_on": START, "ends_on": prepared.ends_on},
    )
    services.action_add(acting_user=advisor, plan=prepared, data=own_action(), on=START)
    services.plan_agree(acting_user=advisor, plan=prepared, prepared_on=START, agreed=True)
    with pytest.raises(ValidationError):  # nor beside a plan in force
        services.plan_prepare(acting_user=advisor, client=client_i, on=TODAY)
    assert IndividualActionPlan.objects.filter(client=client_i).count() == 1


def test_the_database_refuses_a_second_live_plan(advisor: User, client_i: Client) -> None:
    plan = services.plan_prepare(acting_user=advisor, client=client_i, on=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndividualActionPlan.objects.create(
            client=client_i,
            registration=plan.registration,
            assessment=plan.assessment,
            profile="I",
            goals="drugi",
            starts_on=TODAY,
            ends_on=TODAY,
            advisor=advisor,
            created_by=advisor,
        )
    assert IndividualActionPlan.objects.filter(client=client_i).count() == 1


# --- Actions --------------------------------------------------------------------------------


def test_an_office_action_needs_a_form_the_profile_allows(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i, actions=[], agree=False)
    # training_indicated is "excluded" for profile I in the catalogue.
    with pytest.raises(ValidationError) as refused:
        services.action_add(
            acting_user=advisor,
            plan=plan,
            data=office_action("training_indicated", advisor, justification="chce"),
            on=START,
        )
    assert fields_of(refused) == {"form"}
    assert not plan.actions.exists()


def test_a_justified_form_needs_a_justification(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i, actions=[], agree=False)
    # vocational_counselling is given to profile I only in justified cases.
    with pytest.raises(ValidationError) as refused:
        services.action_add(
            acting_user=advisor,
            plan=plan,
            data=office_action("vocational_counselling", advisor, justification="  "),
            on=START,
        )
    assert fields_of(refused) == {"justification"}
    action = services.action_add(
        acting_user=advisor,
        plan=plan,
        data=office_action("vocational_counselling", advisor, justification="Zmiana zawodu."),
        on=START,
    )
    assert action.justification == "Zmiana zawodu."
    assert action.form is not None and action.form.code == "vocational_counselling"


def test_a_special_programme_form_needs_the_programme(
    advisor: User, make_client: MakeClient
) -> None:
    plan = prepared_plan(advisor, make_client("III"), actions=[], agree=False)
    # Profile III gets job placement only within a special programme.
    with pytest.raises(ValidationError) as refused:
        services.action_add(
            acting_user=advisor, plan=plan, data=office_action("job_placement", advisor), on=START
        )
    assert "form" in fields_of(refused)
    action = services.action_add(
        acting_user=advisor,
        plan=plan,
        data=office_action("job_placement", advisor, special_programme=" Aktywni 50+ "),
        on=START,
    )
    assert action.special_programme == "Aktywni 50+"


def test_an_own_action_needs_no_form(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i, actions=[], agree=False)
    action = services.action_add(acting_user=advisor, plan=plan, data=own_action(), on=START)
    assert (action.kind, action.form, action.responsible) == (ActionKind.OWN, None, None)
    with pytest.raises(ValidationError) as refused:
        services.action_add(
            acting_user=advisor, plan=plan, data=own_action(description=" "), on=START
        )
    assert fields_of(refused) == {"description"}


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(days(START, -1), days(START, 10)), (days(START, 170), days(START, 181))],
)
def test_an_action_outside_the_plans_dates_is_refused(
    advisor: User, client_i: Client, starts_on: date, ends_on: date
) -> None:
    plan = prepared_plan(advisor, client_i, actions=[], agree=False)
    assert plan.ends_on == days(START, 180)
    with pytest.raises(ValidationError) as refused:
        services.action_add(
            acting_user=advisor,
            plan=plan,
            data=office_action("job_placement", advisor, starts_on=starts_on, ends_on=ends_on),
            on=START,
        )
    assert fields_of(refused) == {"ends_on"}
    assert not plan.actions.exists()


def test_the_responsible_person_works_in_the_clients_office(
    advisor: User, client_i: Client, other_office_advisor: User, office: Any
) -> None:
    plan = prepared_plan(advisor, client_i, actions=[], agree=False)
    for stranger in (other_office_advisor, UserFactory(office=office, is_active=False)):
        with pytest.raises(ValidationError) as refused:
            services.action_add(
                acting_user=advisor,
                plan=plan,
                data=office_action("job_placement", stranger),
                on=START,
            )
        assert fields_of(refused) == {"responsible"}
    colleague = UserFactory(office=office, role=Role.ADVISOR)
    action = services.action_add(
        acting_user=advisor, plan=plan, data=office_action("job_placement", colleague), on=START
    )
    assert action.responsible == colleague


def test_actions_are_reordered(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(
        advisor,
        client_i,
        actions=[own_action("a"), own_action("b"), own_action("c")],
        agree=False,
    )
    a, _b, c = plan.actions.all()

    def order() -> list[str]:
        return [x.description for x in plan.actions.all()]

    services.action_move(acting_user=advisor, action=c, step=-1)
    assert order() == ["a", "c", "b"]
    services.action_move(acting_user=advisor, action=a, step=-1)  # already first
    assert order() == ["a", "c", "b"]
    services.action_move(acting_user=advisor, action=a, step=1)
    assert order() == ["c", "a", "b"]


def test_an_action_under_way_cannot_be_removed(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    started, planned = plan.actions.all()
    services.action_set_status(
        acting_user=advisor, action=started, status=ActionStatus.IN_PROGRESS, reason="", on=TODAY
    )
    services.plan_amend_start(acting_user=advisor, plan=plan)
    with pytest.raises(ValidationError):
        services.action_remove(acting_user=advisor, action=started)
    services.action_remove(acting_user=advisor, action=planned)
    assert list(plan.actions.all()) == [started]


# --- The end date ---------------------------------------------------------------------------


def test_the_end_date_cannot_pass_the_maximum(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i, agree=False)
    assert plan.max_end == days(START, 180)
    with pytest.raises(ValidationError) as refused:
        update(advisor, plan, ends_on=days(START, 181))
    assert fields_of(refused) == {"ends_on"}
    update(advisor, plan, ends_on=days(START, 120))
    plan.refresh_from_db()
    assert plan.ends_on == days(START, 120)


def test_the_database_refuses_an_end_past_the_maximum(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndividualActionPlan.objects.filter(pk=plan.pk).update(ends_on=days(START, 181))


def test_an_amendment_cannot_move_the_end_past_the_maximum(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    plan = update(
        advisor, services.plan_amend_start(acting_user=advisor, plan=plan), ends_on=days(START, 100)
    )
    with pytest.raises(ValidationError) as refused:
        update(advisor, plan, ends_on=days(START, 181))
    assert fields_of(refused) == {"ends_on"}
    # Nor by moving the start (which would move the maximum with it).
    with pytest.raises(ValidationError) as refused:
        update(advisor, plan, starts_on=days(START, 30), ends_on=days(START, 200))
    assert "starts_on" in fields_of(refused)
    plan.refresh_from_db()
    assert plan.ends_on == days(START, 100)
    assert plan.max_end == days(START, 180)


# --- Agreement ------------------------------------------------------------------------------


def test_a_plan_without_actions_cannot_be_agreed(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i, actions=[], agree=False)
    with pytest.raises(ValidationError):
        services.plan_agree(acting_user=advisor, plan=plan, prepared_on=START, agreed=True)
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.DRAFT, 0)
    assert not plan.versions.exists()


def test_agreeing_makes_version_one_and_a_journal_entry(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    assert (plan.status, plan.version, plan.agreed_on, plan.prepared_on) == (
        PlanStatus.ACTIVE,
        1,
        START,
        START,
    )
    version = plan.versions.get()
    assert (version.number, version.agreed_on) == (1, START)
    assert version.snapshot["goals"] == "Magazynier, Piaseczno, pełny etat"
    assert [a["form"] for a in version.snapshot["actions"]] == ["job_placement", ""]
    assert len(entries(client_i, EntryKind.IPD_CHANGE)) == 2  # preparation started, agreed
    with pytest.raises(ValidationError):  # once only
        services.plan_agree(acting_user=advisor, plan=plan, prepared_on=START, agreed=True)


def test_a_plan_prepared_after_60_days_needs_the_reason(
    advisor: User, make_client: MakeClient
) -> None:
    client = make_client("I")  # profile on 2026-11-02: the plan is due by 2027-01-01
    late = date(2027, 1, 2)
    with travel(date(2027, 1, 11)):
        plan = prepared_plan(advisor, client, on=late, agree=False)
        with pytest.raises(ValidationError) as refused:
            services.plan_agree(
                acting_user=advisor, plan=plan, prepared_on=late, agreed=True, late_reason=" "
            )
        assert fields_of(refused) == {"late_reason"}
        plan = services.plan_agree(
            acting_user=advisor,
            plan=plan,
            prepared_on=late,
            agreed=True,
            late_reason="Klientka w szpitalu.",
        )
    assert plan.late_reason == "Klientka w szpitalu."
    assert "Klientka w szpitalu." in entries(client, EntryKind.IPD_CHANGE)[-1]


def test_a_plan_prepared_on_the_last_day_needs_no_reason(
    advisor: User, make_client: MakeClient
) -> None:
    client = make_client("I")
    with travel(date(2027, 1, 11)):
        plan = prepared_plan(advisor, client, on=date(2027, 1, 1))
    assert plan.status == PlanStatus.ACTIVE and plan.late_reason == ""


def test_a_refusal_is_recorded_with_the_clients_words(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i, agree=False)
    with pytest.raises(ValidationError) as refused:
        services.plan_agree(acting_user=advisor, plan=plan, prepared_on=START, agreed=False)
    assert fields_of(refused) == {"refusal_note"}
    plan = services.plan_agree(
        acting_user=advisor,
        plan=plan,
        prepared_on=START,
        agreed=False,
        refusal_note="Nie zgadzam się na staż.",
    )
    assert plan.status == PlanStatus.ACTIVE and plan.version == 1
    assert plan.client_refused and plan.agreed_on is None
    assert plan.refusal_note == "Nie zgadzam się na staż."
    assert "Nie zgadzam się na staż." in entries(client_i, EntryKind.IPD_CHANGE)[-1]


# --- Amendments -----------------------------------------------------------------------------


def test_an_agreed_plan_changes_only_through_an_amendment(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    action = plan.actions.first()
    assert action is not None
    with pytest.raises(ValidationError):
        services.action_add(acting_user=advisor, plan=plan, data=own_action("x"), on=TODAY)
    with pytest.raises(ValidationError):
        update(advisor, plan, goals="Kierowca")
    with pytest.raises(ValidationError):
        services.action_remove(acting_user=advisor, action=action)
    with pytest.raises(ValidationError):
        services.action_update(acting_user=advisor, action=action, data=own_action("y"), on=TODAY)
    with pytest.raises(ValidationError):
        services.plan_amend_agree(acting_user=advisor, plan=plan, reason="x", agreed_on=TODAY)
    assert plan.actions.count() == 2
    services.plan_amend_start(acting_user=advisor, plan=plan)
    services.action_add(acting_user=advisor, plan=plan, data=own_action("x"), on=TODAY)
    assert plan.actions.count() == 3


def test_an_amendment_is_a_new_version_and_the_old_one_is_kept(
    advisor: User, client_i: Client
) -> None:
    plan = prepared_plan(
        advisor,
        client_i,
        actions=[
            office_action("job_placement", advisor),
            own_action("Składa 4 aplikacje miesięcznie"),
            own_action("Uczy się obsługi wózka"),
        ],
    )
    first = plan.versions.get(number=1)
    before = dict(first.snapshot)
    placement, applications, forklift = plan.actions.all()

    services.plan_amend_start(acting_user=advisor, plan=plan)
    update(advisor, plan, goals="Kierowca wózka widłowego, Piaseczno")
    services.action_update(
        acting_user=advisor,
        action=applications,
        data=own_action("Składa 8 aplikacji miesięcznie", ends_on=days(START, 120)),
        on=TODAY,
    )
    services.action_remove(acting_user=advisor, action=forklift)
    added = services.action_add(
        acting_user=advisor,
        plan=plan,
        data=office_action("vocational_counselling", advisor, TODAY, justification="Zmiana."),
        on=TODAY,
    )
    version = services.plan_amend_agree(
        acting_user=advisor, plan=plan, reason=" Klient chce zmienić zawód. ", agreed_on=TODAY
    )

    plan.refresh_from_db()
    assert (plan.version, plan.amending) == (2, False)
    assert (version.number, version.reason, version.agreed_on) == (
        2,
        "Klient chce zmienić zawód.",
        TODAY,
    )
    first.refresh_from_db()
    assert first.snapshot == before  # version 1 is what the client signed, unchanged
    assert [a["key"] for a in first.snapshot["actions"]] == [
        placement.pk,
        applications.pk,
        forklift.pk,
    ]
    changes = rules.version_changes(first.snapshot, version.snapshot)
    assert sorted((c.kind, c.fields) for c in changes) == [
        ("added", ()),
        ("changed", ("description", "ends_on")),
        ("plan", ()),
        ("removed", ()),
    ]
    by_kind = {c.kind: c for c in changes}
    assert by_kind["plan"].subject == "goals"
    assert by_kind["added"].after["key"] == added.pk
    assert by_kind["removed"].before["key"] == forklift.pk
    assert by_kind["changed"].after["key"] == applications.pk
    assert "Klient chce zmienić zawód." in entries(client_i, EntryKind.IPD_CHANGE)[-1]


def test_an_amendment_that_changes_nothing_is_refused(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    services.plan_amend_start(acting_user=advisor, plan=plan)
    update(advisor, plan)  # saved as it was
    with pytest.raises(ValidationError):
        services.plan_amend_agree(acting_user=advisor, plan=plan, reason="nic", agreed_on=TODAY)
    plan.refresh_from_db()
    assert (plan.version, plan.amending) == (1, True)
    assert plan.versions.count() == 1


# --- Contacts -------------------------------------------------------------------------------


def add_contact(
    advisor: User, plan: IndividualActionPlan, status: str, on: date, outcome: str = ""
) -> Contact:
    return services.contact_add(
        acting_user=advisor,
        plan=plan,
        status=status,
        contact_on=on,
        channel="in_person",
        staff=advisor,
        outcome=outcome,
    )


def test_a_planned_contact_is_in_the_future_and_a_held_one_is_not(
    advisor: User, client_i: Client
) -> None:
    plan = prepared_plan(advisor, client_i)
    with pytest.raises(ValidationError) as refused:
        add_contact(advisor, plan, ContactStatus.PLANNED, days(TODAY, -1))
    assert fields_of(refused) == {"contact_on"}
    for status in (ContactStatus.HELD, ContactStatus.MISSED):
        with pytest.raises(ValidationError) as refused:
            add_contact(advisor, plan, status, days(TODAY, 1))
        assert fields_of(refused) == {"contact_on"}
    with pytest.raises(ValidationError) as refused:  # nor before the plan was agreed
        add_contact(advisor, plan, ContactStatus.HELD, days(START, -1))
    assert fields_of(refused) == {"contact_on"}
    assert not plan.contacts.exists()
    add_contact(advisor, plan, ContactStatus.PLANNED, days(TODAY, 7))
    add_contact(advisor, plan, ContactStatus.HELD, TODAY)
    assert plan.contacts.count() == 2


def test_a_missed_appointment_does_not_count_as_a_contact(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)  # agreed on START, 2026-11-03
    assert services.next_contact(plan, held_dates(plan)) == date(2027, 1, 2)
    appointment = add_contact(advisor, plan, ContactStatus.PLANNED, TODAY)
    with travel(date(2026, 12, 1)):
        services.contact_record(
            acting_user=advisor,
            contact=appointment,
            status=ContactStatus.MISSED,
            contact_on=TODAY,
            channel="in_person",
        )
    assert services.next_contact(plan, held_dates(plan)) == date(2027, 1, 2)  # unchanged
    add_contact(advisor, plan, ContactStatus.HELD, date(2026, 11, 20), "Rozmowa o ofertach")
    assert services.next_contact(plan, held_dates(plan)) == date(2027, 1, 19)


def test_every_contact_is_written_in_the_journal(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    appointment = add_contact(advisor, plan, ContactStatus.PLANNED, days(TODAY, 3))
    assert len(entries(client_i, EntryKind.CONTACT)) == 1
    with travel(days(TODAY, 3)):
        services.contact_record(
            acting_user=advisor,
            contact=appointment,
            status=ContactStatus.HELD,
            contact_on=days(TODAY, 3),
            channel="phone",
            outcome="Klient szuka pracy w Warszawie.",
        )
    add_contact(advisor, plan, ContactStatus.HELD, TODAY)
    journal = entries(client_i, EntryKind.CONTACT)
    assert len(journal) == 3
    assert "Klient szuka pracy w Warszawie." in journal[1]
    with pytest.raises(ValidationError):  # a recorded contact is not recorded again
        services.contact_record(
            acting_user=advisor,
            contact=appointment,
            status=ContactStatus.MISSED,
            contact_on=TODAY,
            channel="phone",
        )


# --- Monitoring the actions -----------------------------------------------------------------


def test_an_action_not_done_needs_the_reason(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    action = plan.actions.first()
    assert action is not None
    with pytest.raises(ValidationError) as refused:
        services.action_set_status(
            acting_user=advisor, action=action, status=ActionStatus.NOT_DONE, reason=" ", on=TODAY
        )
    assert fields_of(refused) == {"status_reason"}
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    services.action_set_status(
        acting_user=advisor,
        action=action,
        status=ActionStatus.NOT_DONE,
        reason="Brak ofert.",
        on=TODAY,
    )
    action.refresh_from_db()
    assert (action.status, action.status_reason, action.status_on) == (
        ActionStatus.NOT_DONE,
        "Brak ofert.",
        TODAY,
    )


def test_a_change_of_status_is_written_in_the_journal(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)
    office, own = plan.actions.all()
    services.action_set_status(
        acting_user=advisor, action=office, status=ActionStatus.IN_PROGRESS, reason="", on=TODAY
    )
    services.action_set_status(
        acting_user=advisor, action=own, status=ActionStatus.DONE, reason="", on=TODAY
    )
    assert len(entries(client_i, EntryKind.ADVISOR_ACTION)) == 1
    assert own.description in entries(client_i, EntryKind.CLIENT_ACTION)[0]


def test_statuses_change_only_while_the_plan_is_in_force(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i, agree=False)
    action = plan.actions.first()
    assert action is not None
    with pytest.raises(ValidationError):
        services.action_set_status(
            acting_user=advisor, action=action, status=ActionStatus.DONE, reason="", on=TODAY
        )
    services.plan_agree(acting_user=advisor, plan=plan, prepared_on=START, agreed=True)
    services.plan_end(acting_user=advisor, plan=plan, ended_on=TODAY, reason=EndReason.WORK)
    with pytest.raises(ValidationError):
        services.action_set_status(
            acting_user=advisor, action=action, status=ActionStatus.DONE, reason="", on=TODAY
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_DONE  # as the end left it


# --- Ending ---------------------------------------------------------------------------------


def test_ending_with_work_needs_no_analysis_and_no_reprofiling(
    advisor: User, client_i: Client
) -> None:
    plan = prepared_plan(advisor, client_i)
    result = services.plan_end(
        acting_user=advisor, plan=plan, ended_on=TODAY, reason=EndReason.WORK
    )
    assert result is None
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason, plan.ended_on) == (
        PlanStatus.ENDED,
        EndReason.WORK,
        TODAY,
    )
    assert not Assessment.objects.filter(client=client_i, status=AssessmentStatus.DRAFT).exists()


def test_ending_without_work_needs_the_analysis_and_reprofiles_the_client(
    advisor: User, client_i: Client
) -> None:
    plan = prepared_plan(advisor, client_i)
    done, open_action = plan.actions.all()
    services.action_set_status(
        acting_user=advisor, action=done, status=ActionStatus.DONE, reason="", on=TODAY
    )
    appointment = add_contact(advisor, plan, ContactStatus.PLANNED, days(TODAY, 5))
    with pytest.raises(ValidationError) as refused:
        services.plan_end(
            acting_user=advisor, plan=plan, ended_on=TODAY, reason=EndReason.OTHER, analysis=" "
        )
    assert fields_of(refused) == {"analysis"}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE

    draft = services.plan_end(
        acting_user=advisor,
        plan=plan,
        ended_on=TODAY,
        reason=EndReason.OTHER,
        analysis="Klientka nie podjęła szkolenia.",
    )
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason, plan.end_analysis) == (
        PlanStatus.ENDED,
        EndReason.OTHER,
        "Klientka nie podjęła szkolenia.",
    )
    done.refresh_from_db()
    open_action.refresh_from_db()
    assert done.status == ActionStatus.DONE
    assert open_action.status == ActionStatus.NOT_DONE and open_action.status_reason
    assert not Contact.objects.filter(pk=appointment.pk).exists()
    assert draft is not None
    assert (draft.status, draft.trigger) == (AssessmentStatus.DRAFT, Trigger.IPD_ENDED)
    assert draft.trigger == "ipd_ended_without_work"
    assert draft.registration_id == plan.registration_id


def test_the_maximum_is_a_reason_only_once_it_is_reached(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i)  # profile I: until 2027-05-02
    with pytest.raises(ValidationError) as refused:
        services.plan_end(
            acting_user=advisor, plan=plan, ended_on=TODAY, reason=EndReason.MAXIMUM, analysis="a"
        )
    assert fields_of(refused) == {"reason"}
    with travel(date(2027, 5, 3)):
        draft = services.plan_end(
            acting_user=advisor,
            plan=plan,
            ended_on=date(2027, 5, 2),
            reason=EndReason.MAXIMUM,
            analysis="Brak ofert w zawodzie.",
        )
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason) == (PlanStatus.ENDED, EndReason.MAXIMUM)
    assert draft is not None and draft.trigger == Trigger.IPD_ENDED


def test_after_the_end_a_new_plan_follows_the_new_profile(advisor: User, client_i: Client) -> None:
    old = prepared_plan(advisor, client_i)
    services.plan_end(
        acting_user=advisor, plan=old, ended_on=TODAY, reason=EndReason.OTHER, analysis="a"
    )
    determine_profile(advisor, client_i, "II", TODAY)
    new = services.plan_prepare(acting_user=advisor, client=client_i, on=TODAY)
    assert new.registration_id == old.registration_id
    assert (new.profile, new.max_end) == ("II", days(TODAY, 540))
    assert new.assessment is not None and new.assessment.trigger == Trigger.IPD_ENDED
    old.refresh_from_db()
    assert old.status == PlanStatus.ENDED


@pytest.mark.parametrize("reason", [EndReason.OTHER, EndReason.MAXIMUM])
def test_no_new_plan_on_the_old_profile_before_reprofiling(
    advisor: User, client_i: Client, reason: str
) -> None:
    old = prepared_plan(advisor, client_i)
    ended_on = old.max_end if reason == EndReason.MAXIMUM else TODAY
    assert ended_on is not None
    with travel(ended_on):
        services.plan_end(
            acting_user=advisor, plan=old, ended_on=ended_on, reason=reason, analysis="a"
        )
        # The old profile (and a fresh maximum on it) would prolong the plan past the law.
        with pytest.raises(ValidationError):
            services.plan_prepare(acting_user=advisor, client=client_i, on=ended_on)
        assert IndividualActionPlan.objects.filter(client=client_i).count() == 1
        determine_profile(advisor, client_i, "III", ended_on)
        new = services.plan_prepare(acting_user=advisor, client=client_i, on=ended_on)
    assert new.max_end == days(ended_on, 720)


def test_a_plan_ended_with_work_needs_no_reprofiling_for_the_next(
    advisor: User, client_i: Client
) -> None:
    old = prepared_plan(advisor, client_i)
    services.plan_end(acting_user=advisor, plan=old, ended_on=TODAY, reason=EndReason.WORK)
    new = services.plan_prepare(acting_user=advisor, client=client_i, on=TODAY)
    assert new.assessment_id == old.assessment_id


@pytest.mark.parametrize(
    ("code", "reason", "analysed"),
    [("employment", EndReason.WORK, False), ("no_show", EndReason.DEREGISTRATION, True)],
)
def test_deregistration_ends_the_plan(
    advisor: User, client_i: Client, code: str, reason: str, analysed: bool
) -> None:
    plan = prepared_plan(advisor, client_i)
    deregister(advisor, client_i, code)
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason, plan.ended_on) == (PlanStatus.ENDED, reason, TODAY)
    assert bool(plan.end_analysis) is analysed
    assert set(plan.actions.values_list("status", flat=True)) == {ActionStatus.NOT_DONE}
    assert not Assessment.objects.filter(client=client_i, status=AssessmentStatus.DRAFT).exists()


def test_deregistration_ends_a_plan_being_prepared(advisor: User, client_i: Client) -> None:
    plan = prepared_plan(advisor, client_i, agree=False)
    deregister(advisor, client_i, "no_show")
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason, plan.ended_on) == (
        PlanStatus.ENDED,
        EndReason.DEREGISTRATION,
        TODAY,
    )
    assert plan.end_analysis
    assert not IndividualActionPlan.objects.filter(client=client_i).live().exists()


# --- Scoping --------------------------------------------------------------------------------


CALLS: dict[str, Callable[[User, IndividualActionPlan, PlanAction, Contact], Any]] = {
    "plan_prepare": lambda u, p, a, c: services.plan_prepare(
        acting_user=u, client=p.client, on=TODAY
    ),
    "plan_update": lambda u, p, a, c: services.plan_update(
        acting_user=u,
        plan=p,
        data={"goals": "x", "starts_on": p.starts_on, "ends_on": p.ends_on},
    ),
    "action_add": lambda u, p, a, c: services.action_add(
        acting_user=u, plan=p, data=own_action(), on=TODAY
    ),
    "action_update": lambda u, p, a, c: services.action_update(
        acting_user=u, action=a, data=own_action(), on=TODAY
    ),
    "action_remove": lambda u, p, a, c: services.action_remove(acting_user=u, action=a),
    "action_move": lambda u, p, a, c: services.action_move(acting_user=u, action=a, step=1),
    "action_set_status": lambda u, p, a, c: services.action_set_status(
        acting_user=u, action=a, status=ActionStatus.DONE, reason="", on=TODAY
    ),
    "plan_agree": lambda u, p, a, c: services.plan_agree(
        acting_user=u, plan=p, prepared_on=START, agreed=True
    ),
    "plan_amend_start": lambda u, p, a, c: services.plan_amend_start(acting_user=u, plan=p),
    "plan_amend_agree": lambda u, p, a, c: services.plan_amend_agree(
        acting_user=u, plan=p, reason="x", agreed_on=TODAY
    ),
    "contact_add": lambda u, p, a, c: services.contact_add(
        acting_user=u,
        plan=p,
        status=ContactStatus.HELD,
        contact_on=TODAY,
        channel="phone",
        staff=u,
    ),
    "contact_record": lambda u, p, a, c: services.contact_record(
        acting_user=u, contact=c, status=ContactStatus.HELD, contact_on=TODAY, channel="phone"
    ),
    "plan_end": lambda u, p, a, c: services.plan_end(
        acting_user=u, plan=p, ended_on=TODAY, reason=EndReason.WORK
    ),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_another_offices_advisor_is_refused_by_every_service(
    advisor: User, client_i: Client, other_office_advisor: User, name: str
) -> None:
    plan = prepared_plan(advisor, client_i)
    services.plan_amend_start(acting_user=advisor, plan=plan)
    action = plan.actions.first()
    assert action is not None
    contact = add_contact(advisor, plan, ContactStatus.PLANNED, days(TODAY, 2))
    journal = CardEntry.objects.count()
    with pytest.raises(PermissionDenied):
        CALLS[name](other_office_advisor, plan, action, contact)
    assert CardEntry.objects.count() == journal
    assert IndividualActionPlan.objects.filter(client=client_i).count() == 1
    plan.refresh_from_db()
    assert (plan.status, plan.version, plan.goals) == (
        PlanStatus.ACTIVE,
        1,
        "Magazynier, Piaseczno, pełny etat",
    )
    assert plan.actions.count() == 2
    assert not PlanVersion.objects.filter(plan=plan, number=2).exists()


# --- Preparing from the previous plan -------------------------------------------------------


def test_a_new_plan_is_prepared_from_the_previous_one(
    advisor: User, make_client: MakeClient
) -> None:
    client = make_client("II")
    old = prepared_plan(
        advisor,
        client,
        actions=[
            office_action("job_placement", advisor, START, date(2026, 12, 31)),
            # training_indicated is available to profile II, excluded for profile I.
            office_action("training_indicated", advisor, description="Kurs spawacza"),
            own_action("Składa 4 aplikacje miesięcznie", START, date(2027, 1, 31)),
        ],
        goals="Spawacz, Piaseczno",
    )
    placement, _training, own = old.actions.all()
    services.action_set_status(
        acting_user=advisor, action=own, status=ActionStatus.DONE, reason="", on=TODAY
    )
    services.plan_end(
        acting_user=advisor, plan=old, ended_on=TODAY, reason=EndReason.OTHER, analysis="a"
    )
    determine_profile(advisor, client, "I", TODAY)

    new = services.plan_prepare(acting_user=advisor, client=client, on=TODAY, from_plan=old)
    assert (new.profile, new.based_on, new.goals) == ("I", old, "Spawacz, Piaseczno")
    assert new.max_end == days(TODAY, 180)
    offset = (TODAY - START).days  # 20 days later
    copied = [
        (a.kind, a.form.code if a.form else "", a.starts_on, a.ends_on, a.status)
        for a in new.actions.all()
    ]
    assert copied == [
        (
            ActionKind.OFFICE,
            "job_placement",
            TODAY,
            days(date(2026, 12, 31), offset),
            ActionStatus.PLANNED,
        ),
        (ActionKind.OWN, "", TODAY, days(date(2027, 1, 31), offset), ActionStatus.PLANNED),
    ]
    assert [a.description for a in new.actions.all()] == [
        placement.description,
        "Składa 4 aplikacje miesięcznie",
    ]
    # The old plan keeps its own actions as they were.
    assert old.actions.count() == 3


def test_a_copied_form_that_now_needs_a_justification_is_planned_anew(
    advisor: User, make_client: MakeClient
) -> None:
    client = make_client("II")
    # vocational_counselling: available to profile II, only "justified" for profile I.
    old = prepared_plan(advisor, client, actions=[office_action("vocational_counselling", advisor)])
    services.plan_end(
        acting_user=advisor, plan=old, ended_on=TODAY, reason=EndReason.OTHER, analysis="a"
    )
    determine_profile(advisor, client, "I", TODAY)
    new = services.plan_prepare(acting_user=advisor, client=client, on=TODAY, from_plan=old)
    assert not new.actions.filter(form__code="vocational_counselling").exists()


def test_an_unjustified_action_is_not_agreed(advisor: User, make_client: MakeClient) -> None:
    plan = prepared_plan(advisor, make_client("I"), on=TODAY, agree=False)
    # Written before the catalogue required a justification (or past the service): re-checked.
    PlanAction.objects.create(
        plan=plan,
        kind=ActionKind.OFFICE,
        form=form("vocational_counselling"),
        description="Porada grupowa",
        starts_on=TODAY,
        ends_on=TODAY,
        responsible=advisor,
    )
    with pytest.raises(ValidationError, match="poradnictwo zawodowe"):
        services.plan_agree(acting_user=advisor, plan=plan, prepared_on=TODAY, agreed=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_plan_is_prepared_only_from_the_clients_own_plan(
    advisor: User, make_client: MakeClient
) -> None:
    someone = make_client("I")
    other_plan = prepared_plan(advisor, someone)
    client = make_client("I")
    with pytest.raises(ValidationError):
        services.plan_prepare(acting_user=advisor, client=client, on=TODAY, from_plan=other_plan)
    assert not IndividualActionPlan.objects.filter(client=client).exists()


def test_a_draft_is_agreed_on_the_profile_determined_since(
    advisor: User, make_client: MakeClient
) -> None:
    client = make_client("I")
    plan = prepared_plan(advisor, client, on=TODAY, agree=False)
    assert plan.profile == "I"
    determine_profile(advisor, client, "II", TODAY)
    plan = services.plan_agree(acting_user=advisor, plan=plan, prepared_on=TODAY, agreed=True)
    assert plan.profile == "II" and plan.max_end == days(TODAY, 540)
    assert plan.assessment is not None and plan.assessment.is_current


def test_a_planned_contact_is_recorded_after_its_staff_member_left(
    advisor: User, make_client: MakeClient
) -> None:
    colleague = UserFactory(username="odchodzi", office=advisor.office, role=Role.ADVISOR)
    plan = prepared_plan(advisor, make_client("II"))
    contact = services.contact_add(
        acting_user=advisor,
        plan=plan,
        status=ContactStatus.PLANNED,
        contact_on=days(TODAY, 2),
        channel="phone",
        staff=colleague,
    )
    colleague.is_active = False
    colleague.save()
    with travel(days(TODAY, 2)):
        services.contact_record(
            acting_user=advisor,
            contact=contact,
            status=ContactStatus.HELD,
            contact_on=days(TODAY, 2),
            channel="phone",
        )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.HELD
