"""The invariants of the register hold when two requests arrive at the same moment (DESIGN.md,
rule 3): one client per PESEL, one open registration per client, caseload counted one
registration at a time, no overlapping substitutes, one employer per NIP in an office.

Each test runs two threads, each with its own database connection, released together by a
barrier; the transactions commit for real (transaction=True), so the locks are the real ones.
A short pause right after the service has checked the rule keeps the first transaction open
long enough for the second to reach the same check: without the lock both would pass it.
"""

import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clients import services
from clients.models import (
    AdvisorAssignment,
    Client,
    Employer,
    Registration,
    Status,
    Substitution,
)
from clients.services import ClientExists
from labour_office.offices.models import Office, Role, User
from tests.concurrency import pause_after, race
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def today() -> Any:
    """The clock stands after the registration dates below (the clock is process-wide, so the
    threads see it too)."""
    with time_machine.travel(datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))):
        yield


def registering(by: User, pesel: str | None, last_name: str = "Kowalski") -> Callable[[], Client]:
    return lambda: services.client_register(
        acting_user=by,
        office=by.office,
        card={
            "first_name": "Jan",
            "last_name": last_name,
            "city": "Piaseczno",
            "education_level": "higher",
        },
        pesel=pesel,
        birth_date=None,
        sex=None,
        status=Status.UNEMPLOYED,
        jobseeker_category=None,
        registered_on=date(2026, 3, 2),
    )


def test_two_advisors_registering_the_same_pesel_at_once_create_one_client(
    advisor: User, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = UserFactory(office=office, role=Role.ADVISOR)
    # Both pass the look-up of the PESEL; the unique constraint decides.
    pause_after(monkeypatch, services, "_apply_identity")
    results = race(registering(advisor, "85071901243"), registering(colleague, "85071901243"))

    winners = [r for r in results if isinstance(r, Client)]
    losers = [r for r in results if isinstance(r, ClientExists)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert losers[0].client.pk == winners[0].pk
    assert Client.objects.filter(pesel="85071901243").count() == 1
    assert Registration.objects.count() == 1
    assert AdvisorAssignment.objects.filter(ended_at__isnull=True).count() == 1


def test_two_registrations_of_the_same_person_at_once_open_one_period(
    advisor: User, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = ClientFactory(office=office)
    colleague = UserFactory(office=office, role=Role.ADVISOR)
    pause_after(monkeypatch, services, "_assign_advisor")

    def opening(by: User) -> Callable[[], Registration]:
        return lambda: services.registration_open(
            acting_user=by,
            client=person,
            office=office,
            status=Status.UNEMPLOYED,
            jobseeker_category=None,
            registered_on=date(2026, 3, 2),
        )

    results = race(opening(advisor), opening(colleague))

    assert len([r for r in results if isinstance(r, Registration)]) == 1, results
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert Registration.objects.filter(client=person, deregistered_on__isnull=True).count() == 1
    assert AdvisorAssignment.objects.filter(client=person, ended_at__isnull=True).count() == 1


def test_two_people_registered_at_once_go_to_two_advisors_with_equal_caseload(
    advisor: User, office: Office, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = UserFactory(office=office, role=Role.ADVISOR)
    pause_after(monkeypatch, services, "choose_advisor")

    results = race(
        registering(manager, "85071901243", "Nowak"),
        registering(advisor, "03310598735", "Wiśniewski"),
    )

    assert all(isinstance(r, Client) for r in results), results
    advisors = set(
        AdvisorAssignment.objects.filter(ended_at__isnull=True).values_list("advisor", flat=True)
    )
    assert advisors == {advisor.pk, colleague.pk}


def test_two_overlapping_substitutions_set_at_once_for_one_advisor_leave_one(
    advisor: User,
    office: Office,
    manager: User,
    office_admin: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # substitution_create refuses overlapping dates for the same absent advisor; two managers
    # saving at the same moment must not both get through.
    first, second = (UserFactory(office=office, role=Role.ADVISOR) for _ in range(2))
    create = Substitution.objects.create

    def lingering_create(**kwargs: Any) -> Substitution:
        made = create(**kwargs)
        time.sleep(0.3)
        return made

    monkeypatch.setattr(Substitution.objects, "create", lingering_create)

    def setting(by: User, substitute: User) -> Callable[[], Substitution]:
        return lambda: services.substitution_create(
            acting_user=by,
            absent=advisor,
            substitute=substitute,
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 6, 10),
        )

    results = race(setting(manager, first), setting(office_admin, second))

    assert len([r for r in results if isinstance(r, ValidationError)]) == 1, results
    assert Substitution.objects.filter(absent=advisor).count() == 1


def test_two_registrations_of_the_same_employer_at_once_create_one_and_refuse_the_other(
    advisor: User, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = UserFactory(office=office, role=Role.ADVISOR)
    pause_after(monkeypatch, services, "_employer_advisor")

    def registering_employer(by: User) -> Callable[[], Employer]:
        return lambda: services.employer_register(
            acting_user=by,
            office=office,
            data={
                "name": "Piekarnia Zielińscy",
                "nip": "8471512347",
                "kind": Employer.Kind.ENTREPRENEUR,
                "city": "Piaseczno",
            },
        )

    results = race(registering_employer(advisor), registering_employer(colleague))

    # The loser gets a message about the NIP, not a database error (a 500 at the desk).
    assert len([r for r in results if isinstance(r, Employer)]) == 1, results
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1, results
    assert Employer.objects.filter(nip="8471512347").count() == 1
