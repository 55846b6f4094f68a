"""seed_demo: realistic clients in every state of the flow, idempotent (issue 4, item 8)."""

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from stdnum.pl import nip, regon

from clients.models import (
    AdvisorAssignment,
    AssignmentKind,
    CardEntry,
    Client,
    Employer,
    EmployerContact,
    EntryKind,
    LetterRange,
    Registration,
    Status,
    Substitution,
)
from clients.pesel import pesel_birth_date, pesel_sex, validate_pesel
from clients.selectors import search
from labour_office.offices.models import AssignmentStrategy, Office, User

pytestmark = pytest.mark.django_db

MODELS = [
    Office,
    User,
    Client,
    Registration,
    AdvisorAssignment,
    CardEntry,
    Employer,
    EmployerContact,
    LetterRange,
    Substitution,
]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Seeded once for the module, rolled back after it; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed("--clients", "40")
        transaction.set_rollback(True)


def test_second_run_changes_nothing(seeded: str) -> None:
    before = counts()
    again = seed("--clients", "40")
    assert counts() == before
    assert before["Client"] == 40
    assert "40 (0 new, 40 already there)" in again


def test_more_clients_adds_only_the_missing_ones(seeded: str) -> None:
    pesels = set(Client.objects.values_list("pesel", flat=True))
    output = seed("--clients", "45")
    assert Client.objects.count() == 45
    assert pesels <= set(Client.objects.values_list("pesel", flat=True))
    assert "(5 new, 40 already there)" in output


def test_logins_then_the_counts_are_printed(seeded: str) -> None:
    assert "Demo logins (password for all: " in seeded
    for login in ("doradca", "doradca2", "kierownik", "doradca.wolomin", "krajowy"):
        assert f"  {login} " in seeded
    assert seeded.index("Demo logins") < seeded.index("Demo clients in 2 offices: 40")
    assert "registered unemployed" in seeded
    assert "Substitution today:" in seeded


def test_every_pesel_is_valid_and_gives_birth_date_and_sex(seeded: str) -> None:
    clients = list(Client.objects.exclude(pesel=None))
    assert len(clients) == 38
    for client in clients:
        assert client.pesel is not None
        validate_pesel(client.pesel)
        assert pesel_birth_date(client.pesel) == client.birth_date
        assert pesel_sex(client.pesel) == client.sex
        assert 1960 <= client.birth_date.year <= 2006
    foreigners = Client.objects.filter(pesel=None)
    assert foreigners.count() == 2
    for person in foreigners:
        assert (person.document_type, person.document_country, person.citizenship) == (
            "passport",
            "Ukraina",
            "ukraińskie",
        )
        assert person.document_number


def test_every_state_of_the_flow_is_there(seeded: str) -> None:
    today = timezone.localdate()
    open_periods = Registration.objects.filter(deregistered_on=None)
    assert open_periods.filter(status=Status.UNEMPLOYED).count() >= 15
    assert open_periods.filter(
        status=Status.UNEMPLOYED, registered_on__lt=today - timedelta(days=365)
    ).exists(), "long-term unemployed"
    jobseekers = open_periods.filter(status=Status.JOBSEEKER)
    categories = set(jobseekers.values_list("jobseeker_category__code", flat=True))
    assert {"notice_period", "worker_45_plus", "employed_development"} <= categories
    deregistered = Client.objects.exclude(registrations__deregistered_on=None)
    assert deregistered.exists()
    reasons = set(
        Registration.objects.exclude(deregistered_on=None).values_list(
            "deregistration_reason__code", flat=True
        )
    )
    assert {"employment", "refused_offer", "own_request", "jobseeker_request"} <= reasons
    returning = Client.objects.annotate(n=Count("registrations")).filter(n__gte=2)
    assert returning.count() >= 3
    assert returning.filter(registrations__deregistered_on=None).exists()
    assert Registration.objects.filter(registered_on__gt=today).count() == 0
    assert Registration.objects.filter(deregistered_on__gt=today).count() == 0


def test_a_returning_client_gets_the_previous_advisor(seeded: str) -> None:
    returns = AdvisorAssignment.objects.filter(kind=AssignmentKind.RETURN)
    assert returns.exists()
    for assignment in returns:
        earlier = AdvisorAssignment.objects.filter(
            client=assignment.client, started_at__lt=assignment.started_at
        ).order_by("-started_at")
        assert earlier.first().advisor == assignment.advisor


def test_one_current_advisor_exactly_while_registered(seeded: str) -> None:
    clients = Client.objects.annotate(
        open=Count("registrations", filter=Q(registrations__deregistered_on=None), distinct=True),
        current=Count("assignments", filter=Q(assignments__ended_at=None), distinct=True),
    )
    for client in clients:
        assert client.current == client.open, client


def test_assignment_history_and_journal_follow_the_registration_dates(seeded: str) -> None:
    """The services stamp the real time; the demo moves it back to the simulated days."""
    for registration in Registration.objects.select_related("client"):
        entry = CardEntry.objects.filter(
            client=registration.client,
            kind=EntryKind.SYSTEM,
            text__contains=registration.registered_on.strftime("%d.%m.%Y"),
        ).first()
        assert entry is not None
        assert timezone.localdate(entry.created_at) == registration.registered_on
    for client in Client.objects.all():
        first = client.registrations.order_by("registered_on").first()
        assert first is not None
        assert timezone.localdate(client.created_at) == first.registered_on
        starts = list(client.assignments.order_by("pk").values_list("started_at", flat=True))
        assert starts == sorted(starts)
        assert timezone.localdate(starts[0]) == first.registered_on


def test_both_assignment_strategies_reassignment_and_substitution(seeded: str) -> None:
    first, second = Office.objects.order_by("pk")[:2]
    assert first.assignment_strategy == AssignmentStrategy.LETTERS
    ranges = list(LetterRange.objects.filter(office=first).order_by("first_letter"))
    assert [(r.first_letter, r.last_letter) for r in ranges] == [
        ("A", "Ł"),
        ("M", "R"),
        ("S", "Ż"),
    ]
    assert AdvisorAssignment.objects.filter(client__office=first, kind=AssignmentKind.LETTERS)
    assert second.assignment_strategy == AssignmentStrategy.LEAST_CASELOAD
    assert AdvisorAssignment.objects.filter(
        client__office=second, kind=AssignmentKind.LEAST_CASELOAD
    )
    reassigned = AdvisorAssignment.objects.filter(kind=AssignmentKind.REASSIGNMENT)
    assert reassigned.exists()
    assert all(a.reason for a in reassigned)
    today = timezone.localdate()
    substitution = Substitution.objects.get(office=first)
    assert substitution.starts_on <= today <= substitution.ends_on
    assert substitution.absent != substitution.substitute


def test_journal_has_every_kind_and_employers_are_valid(seeded: str) -> None:
    kinds = set(CardEntry.objects.values_list("kind", flat=True))
    assert {
        EntryKind.ADVISOR_ACTION,
        EntryKind.CLIENT_ACTION,
        EntryKind.COOPERATION_RULES,
        EntryKind.CONTACT,
        EntryKind.SYSTEM,
    } <= kinds
    for office in Office.objects.all():
        employers = Employer.objects.filter(office=office)
        assert 3 <= employers.count() <= 5
        kinds = set(employers.values_list("kind", flat=True))
        assert kinds == {"entrepreneur", "foreigner_employer", "agri_cooperative"}
    employers = Employer.objects.all()
    for employer in employers:
        assert nip.is_valid(employer.nip)
        assert regon.is_valid(employer.regon)
        assert employer.contacts.count() == 1
        assert employer.assignments.filter(ended_at=None).count() == 1


def test_the_diacritics_search_finds_lukasz_zolc(seeded: str) -> None:
    found = search(Client.objects.all(), "Lukasz Zolc")
    assert [(c.first_name, c.last_name) for c in found] == [("Łukasz", "Żółć")]


def test_all_four_offices_get_staff_employers_and_clients(seeded: str) -> None:
    output = seed("--offices", "4", "--clients", "60")
    assert "Demo clients in 4 offices: 60 (20 new, 40 already there)" in output
    for office in Office.objects.all():
        assert User.objects.customer_advisors().filter(office=office).exists()
        assert Employer.objects.filter(office=office).exists()
        assert Client.objects.filter(office=office).exists(), office
    assert "  kierownik.gniezno " in output


def test_every_profile_a_changed_proposal_a_reprofiling_and_a_draft_are_there(
    seeded: str,
) -> None:
    from profiling.models import Assessment

    determined = Assessment.objects.filter(status="determined")
    assert {a.final_profile for a in determined} == {"I", "II", "III"}
    changed = [a for a in determined if a.final_profile != a.proposed_profile]
    assert changed and all(a.justification for a in changed)
    assert Assessment.objects.filter(status="draft").exists()
    assert Assessment.objects.filter(trigger="situation_changed", is_current=True).exists()
    # One current profile per open registration, never more.
    per_registration = Assessment.objects.filter(is_current=True).values_list(
        "registration_id", flat=True
    )
    assert len(per_registration) == len(set(per_registration))
