"""The one door for writes to clients: registration, the customer advisor, deregistration, the
journal and employers (issue 4; domain: clients.md, identifiers.md)."""

from datetime import date, datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients import services
from clients.models import (
    AdvisorAssignment,
    AssignmentKind,
    CardEntry,
    Client,
    DeregistrationReason,
    Employer,
    EntryKind,
    JobseekerCategory,
    LetterRange,
    Registration,
    Status,
    Substitution,
)
from clients.services import ClientExists
from labour_office.offices.models import AssignmentStrategy, Office, Role, User
from tests.factories import (
    AdvisorAssignmentFactory,
    ClientFactory,
    UserFactory,
    make_pesel,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)
TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def today() -> Any:
    """The clock stands on TODAY, after every date the tests register or deregister on."""
    with time_machine.travel(datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))):
        yield


_serials = count(1000)


def new_pesel(born: date = date(1985, 7, 19), sex: str = "F") -> str:
    return make_pesel(born, sex, next(_serials))


def register(
    by: User,
    *,
    office: Office | None = None,
    pesel: str | None = "",
    first_name: str = "Jan",
    last_name: str = "Kowalski",
    status: str = Status.UNEMPLOYED,
    category: JobseekerCategory | None = None,
    on: date = DAY,
    birth_date: date | None = None,
    sex: str | None = None,
    **card: Any,
) -> Client:
    """Register a person through the service; a fresh PESEL unless one is given (None: none)."""
    return services.client_register(
        acting_user=by,
        office=office or by.office,
        card={
            "first_name": first_name,
            "last_name": last_name,
            "city": "Piaseczno",
            "education_level": "higher",
            **card,
        },
        pesel=new_pesel() if pesel == "" else pesel,
        birth_date=birth_date,
        sex=sex,
        status=status,
        jobseeker_category=category,
        registered_on=on,
    )


def current(client: Client) -> AdvisorAssignment:
    return AdvisorAssignment.objects.get(client=client, ended_at__isnull=True)


def open_registration(client: Client) -> Registration:
    return Registration.objects.get(client=client, deregistered_on__isnull=True)


def reason(code: str) -> DeregistrationReason:
    return DeregistrationReason.objects.get(code=code)


def close(
    by: User, client: Client, *, on: date = date(2026, 5, 4), code: str = "employment"
) -> Registration:
    return services.registration_close(
        acting_user=by,
        registration=open_registration(client),
        deregistered_on=on,
        reason=reason(code),
    )


def reopen(by: User, client: Client, *, on: date = date(2026, 9, 1)) -> Registration:
    return services.registration_open(
        acting_user=by,
        client=client,
        office=client.office,
        status=Status.UNEMPLOYED,
        jobseeker_category=None,
        registered_on=on,
    )


def with_clients(advisor: User, n: int) -> User:
    """Give ``advisor`` ``n`` current clients of their office."""
    for _ in range(n):
        AdvisorAssignmentFactory(advisor=advisor, client__office=advisor.office)
    return advisor


@pytest.fixture
def second_advisor(office: Office) -> User:
    """Another customer advisor of `office`; her surname sorts after `advisor`'s, so a caseload
    tie goes to `advisor`."""
    return UserFactory(
        username="doradca2",
        first_name="Ewa",
        last_name="Zielińska",
        office=office,
        role=Role.ADVISOR,
    )


@pytest.fixture
def letters_office(office: Office) -> Office:
    """`office`, assigning new clients by surname letter ranges."""
    office.assignment_strategy = AssignmentStrategy.LETTERS
    office.save(update_fields=["assignment_strategy"])
    return office


# === registration ==============================================================================


def test_registration_with_pesel_derives_birth_date_and_sex_from_it(advisor: User) -> None:
    client = register(advisor, pesel="03310598735")
    client.refresh_from_db()
    assert client.birth_date == date(2003, 11, 5)
    assert client.sex == "M"


def test_the_pesel_wins_over_a_typed_birth_date_and_sex(advisor: User) -> None:
    client = register(advisor, pesel="85071901243", birth_date=date(1990, 1, 1), sex="M")
    client.refresh_from_db()
    assert (client.birth_date, client.sex) == (date(1985, 7, 19), "F")


def test_a_pesel_typed_with_spaces_and_hyphens_is_stored_as_digits(advisor: User) -> None:
    client = register(advisor, pesel="850719-012 43")
    client.refresh_from_db()
    assert client.pesel == "85071901243"


def test_registration_opens_a_period_with_an_advisor(advisor: User, office: Office) -> None:
    client = register(advisor, on=DAY)
    registration = open_registration(client)
    assert (registration.status, registration.registered_on) == (Status.UNEMPLOYED, DAY)
    assert registration.office == office
    assert registration.jobseeker_category is None
    assert registration.created_by == advisor
    assert current(client).advisor == advisor


def test_a_jobseeker_is_registered_with_a_category(advisor: User) -> None:
    category = JobseekerCategory.objects.get(code="notice_period")
    client = register(advisor, status=Status.JOBSEEKER, category=category)
    registration = open_registration(client)
    assert registration.status == Status.JOBSEEKER
    assert registration.jobseeker_category == category


def test_a_jobseeker_without_a_category_is_refused_and_nothing_is_saved(advisor: User) -> None:
    with pytest.raises(ValidationError) as caught:
        register(advisor, status=Status.JOBSEEKER, category=None)
    assert "jobseeker_category" in caught.value.message_dict
    assert not Client.objects.exists()


def test_an_unemployed_person_has_no_jobseeker_category(advisor: User) -> None:
    category = JobseekerCategory.objects.get(code="notice_period")
    client = register(advisor, status=Status.UNEMPLOYED, category=category)
    assert open_registration(client).jobseeker_category is None


def test_registering_a_pesel_already_in_the_register_answers_with_that_person(
    advisor: User,
) -> None:
    first = register(advisor, pesel="85071901243", first_name="Maria", last_name="Nowak")
    with pytest.raises(ClientExists) as caught:
        register(advisor, pesel="85071901243", first_name="Marysia", last_name="Nowakowska")
    assert caught.value.client == first
    assert caught.value.code == "client_exists"
    assert Client.objects.count() == 1
    assert Registration.objects.count() == 1


def test_the_same_pesel_typed_differently_is_the_same_person(advisor: User) -> None:
    first = register(advisor, pesel="85071901243")
    with pytest.raises(ClientExists) as caught:
        register(advisor, pesel="850 719 012 43")
    assert caught.value.client == first


def test_one_client_per_pesel_across_offices(advisor: User, other_office_advisor: User) -> None:
    first = register(advisor, pesel="85071901243")
    with pytest.raises(ClientExists) as caught:
        register(other_office_advisor, pesel="85071901243")
    assert caught.value.client == first
    assert Client.objects.count() == 1


def test_the_database_refuses_a_second_client_with_the_same_pesel(office: Office) -> None:
    ClientFactory(office=office, pesel="85071901243")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientFactory(office=office, pesel="85071901243")


def test_an_invalid_pesel_is_refused_with_its_reason_and_nothing_is_saved(
    advisor: User,
) -> None:
    with pytest.raises(ValidationError) as caught:
        register(advisor, pesel="85071901241")
    assert "pesel_checksum" in [e.code for e in caught.value.error_list]
    assert not Client.objects.exists()


def test_without_pesel_a_person_is_registered_by_document_birth_date_and_sex(
    advisor: User,
) -> None:
    client = register(
        advisor,
        pesel=None,
        first_name="Olena",
        last_name="Shevchenko",
        birth_date=date(1992, 4, 3),
        sex="F",
        document_type="passport",
        document_number="FE123456",
        document_country="Ukraina",
    )
    client.refresh_from_db()
    assert client.pesel is None
    assert (client.birth_date, client.sex) == (date(1992, 4, 3), "F")
    assert current(client).advisor == advisor


def foreigner(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pesel": None,
        "first_name": "Olena",
        "last_name": "Shevchenko",
        "birth_date": date(1992, 4, 3),
        "sex": "F",
        "document_type": "passport",
        "document_number": "FE123456",
        "document_country": "Ukraina",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ({"birth_date": None}, "birth_date"),
        ({"sex": None}, "birth_date"),
        ({"document_type": ""}, "document_number"),
        ({"document_number": ""}, "document_number"),
        ({"document_country": ""}, "document_number"),
    ],
)
def test_without_pesel_the_document_birth_date_and_sex_are_required(
    advisor: User, missing: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        register(advisor, **foreigner(**missing))
    assert field in caught.value.message_dict
    assert not Client.objects.exists()


def test_two_people_without_pesel_can_both_be_registered(advisor: User) -> None:
    register(advisor, **foreigner())
    register(advisor, **foreigner(first_name="Iryna", document_number="FE654321"))
    assert Client.objects.filter(pesel__isnull=True).count() == 2


def test_the_same_identity_document_cannot_be_registered_twice(advisor: User) -> None:
    register(advisor, **foreigner())
    with pytest.raises(ValidationError) as caught:
        register(advisor, **foreigner(first_name="Olga"))
    assert "document_number" in caught.value.message_dict
    assert Client.objects.count() == 1


def test_possible_duplicates_are_people_with_the_same_name_and_birth_date(
    advisor: User,
) -> None:
    same = register(advisor, **foreigner())
    register(advisor, **foreigner(birth_date=date(1992, 4, 4), document_number="X1"))
    register(advisor, **foreigner(first_name="Iryna", document_number="X2"))
    found = services.possible_duplicates(
        first_name=" olena ", last_name="SHEVCHENKO", birth_date=date(1992, 4, 3)
    )
    assert found == [same]


def test_possible_duplicates_are_found_whatever_the_diacritics(advisor: User) -> None:
    same = register(advisor, **foreigner(first_name="Łukasz", last_name="Żółć"))
    found = services.possible_duplicates(
        first_name="Lukasz", last_name="Zolc", birth_date=date(1992, 4, 3)
    )
    assert found == [same]


def test_a_longer_name_that_contains_the_name_typed_is_not_a_possible_duplicate(
    advisor: User,
) -> None:
    register(advisor, **foreigner(first_name="Janina", last_name="Lisowska"))
    found = services.possible_duplicates(
        first_name="Jan", last_name="Lis", birth_date=date(1992, 4, 3)
    )
    assert found == []


def test_possible_duplicates_include_people_with_a_pesel(advisor: User) -> None:
    with_pesel = register(advisor, pesel="85071901243", first_name="Anna", last_name="Lis")
    found = services.possible_duplicates(
        first_name="Anna", last_name="Lis", birth_date=date(1985, 7, 19)
    )
    assert found == [with_pesel]


def test_a_registration_date_in_the_future_is_refused(advisor: User) -> None:
    with pytest.raises(ValidationError) as caught:
        register(advisor, on=date(2026, 11, 3))
    assert "registered_on" in caught.value.message_dict
    assert not Client.objects.exists()


def test_registration_dated_today_is_accepted(advisor: User) -> None:
    client = register(advisor, on=TODAY)
    assert open_registration(client).registered_on == TODAY


def test_an_advisor_cannot_register_a_person_in_another_office(
    advisor: User, other_office: Office
) -> None:
    with pytest.raises(PermissionDenied):
        register(advisor, office=other_office)
    assert not Client.objects.exists()


def test_correcting_the_pesel_derives_birth_date_and_sex_again(advisor: User) -> None:
    client = register(advisor, pesel="85071901243")
    services.client_update(acting_user=advisor, client=client, card={}, pesel="03310598735")
    client.refresh_from_db()
    assert (client.pesel, client.birth_date, client.sex) == ("03310598735", date(2003, 11, 5), "M")


def test_a_pesel_cannot_be_corrected_to_another_persons(advisor: User) -> None:
    register(advisor, pesel="85071901243")
    client = register(advisor, pesel="03310598735")
    with pytest.raises(ValidationError) as caught:
        services.client_update(acting_user=advisor, client=client, card={}, pesel="85071901243")
    assert "pesel" in caught.value.message_dict
    client.refresh_from_db()
    assert client.pesel == "03310598735"


# === choosing the customer advisor ==============================================================


def test_a_returning_client_gets_their_previous_advisor(
    advisor: User, second_advisor: User
) -> None:
    client = register(advisor, last_name="Zając")
    assert current(client).advisor == advisor
    close(advisor, client)
    with_clients(advisor, 3)  # the least caseload would now choose second_advisor
    reopen(advisor, client)
    assignment = current(client)
    assert assignment.advisor == advisor
    assert assignment.kind == AssignmentKind.RETURN


def test_a_returning_client_gets_the_advisor_they_were_last_reassigned_to(
    advisor: User, second_advisor: User, manager: User
) -> None:
    client = register(advisor)
    services.advisor_reassign(
        acting_user=manager, client=client, advisor=second_advisor, reason="urlop"
    )
    close(advisor, client)
    with_clients(second_advisor, 3)
    reopen(advisor, client)
    assert current(client).advisor == second_advisor
    assert current(client).kind == AssignmentKind.RETURN


def test_the_previous_advisor_also_wins_over_letter_ranges(
    advisor: User, second_advisor: User, letters_office: Office
) -> None:
    client = register(advisor, last_name="Zając")
    close(advisor, client)
    LetterRange.objects.create(
        office=letters_office, advisor=second_advisor, first_letter="A", last_letter="Ż"
    )
    reopen(advisor, client)
    assert current(client).advisor == advisor
    assert current(client).kind == AssignmentKind.RETURN


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"is_customer_advisor": False}, id="no-longer-an-advisor"),
    ],
)
def test_a_returning_client_whose_advisor_left_the_function_gets_one_by_the_strategy(
    advisor: User, second_advisor: User, manager: User, change: dict[str, bool]
) -> None:
    client = register(manager, last_name="Zając")
    assert current(client).advisor == advisor
    close(manager, client)
    for field, value in change.items():
        setattr(advisor, field, value)
    advisor.save()
    reopen(manager, client)
    assert current(client).advisor == second_advisor
    assert current(client).kind == AssignmentKind.LEAST_CASELOAD


def test_a_returning_client_whose_advisor_moved_to_another_office_gets_one_by_the_strategy(
    advisor: User, second_advisor: User, manager: User, other_office: Office
) -> None:
    client = register(manager)
    assert current(client).advisor == advisor
    close(manager, client)
    advisor.office = other_office
    advisor.save()
    reopen(manager, client)
    assert current(client).advisor == second_advisor


def test_when_the_previous_advisor_is_gone_letter_ranges_decide(
    advisor: User, second_advisor: User, manager: User, letters_office: Office
) -> None:
    client = register(manager, last_name="Zając")
    assert current(client).advisor == advisor
    close(manager, client)
    advisor.is_active = False
    advisor.save()
    LetterRange.objects.create(
        office=letters_office, advisor=second_advisor, first_letter="T", last_letter="Ż"
    )
    reopen(manager, client)
    assert current(client).advisor == second_advisor
    assert current(client).kind == AssignmentKind.LETTERS


@pytest.fixture
def split_alphabet(letters_office: Office, advisor: User, second_advisor: User) -> None:
    """`advisor` serves surnames A-L, `second_advisor` Ł-Ż."""
    LetterRange.objects.create(
        office=letters_office, advisor=advisor, first_letter="A", last_letter="L"
    )
    LetterRange.objects.create(
        office=letters_office, advisor=second_advisor, first_letter="Ł", last_letter="Ż"
    )


@pytest.mark.parametrize(
    ("surname", "who"),
    [
        ("Adamczyk", "advisor"),
        ("Ąbek", "advisor"),
        ("Lis", "advisor"),
        ("Łukasiewicz", "second_advisor"),
        ("łoś", "second_advisor"),
        ("Özdemir", "second_advisor"),
        ("Żółć", "second_advisor"),
        ("Źdźbło", "second_advisor"),
    ],
)
@pytest.mark.usefixtures("split_alphabet")
def test_letter_ranges_give_each_surname_its_advisor(
    surname: str, who: str, manager: User, request: pytest.FixtureRequest
) -> None:
    client = register(manager, last_name=surname)
    assert current(client).advisor == request.getfixturevalue(who)
    assert current(client).kind == AssignmentKind.LETTERS


def test_letter_ranges_ignore_the_caseload(
    advisor: User, second_advisor: User, manager: User, split_alphabet: None
) -> None:
    with_clients(advisor, 5)
    client = register(manager, last_name="Kowalczyk")
    assert current(client).advisor == advisor


def test_a_surname_outside_every_range_goes_to_the_least_caseload(
    advisor: User, second_advisor: User, manager: User, letters_office: Office
) -> None:
    LetterRange.objects.create(
        office=letters_office, advisor=advisor, first_letter="A", last_letter="K"
    )
    LetterRange.objects.create(
        office=letters_office, advisor=advisor, first_letter="M", last_letter="Ż"
    )
    with_clients(advisor, 2)
    with_clients(second_advisor, 1)
    for surname in ("Lis", "Łoś", "123"):
        client = register(manager, last_name=surname)
        assert current(client).kind == AssignmentKind.LEAST_CASELOAD
    # Caseloads 2:1, so second_advisor; 2:2, the tie to advisor (Kowalska before Zielińska);
    # 3:2, second_advisor again.
    assert (
        AdvisorAssignment.objects.filter(advisor=second_advisor, ended_at__isnull=True).count() == 3
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"is_customer_advisor": False}, id="no-longer-an-advisor"),
    ],
)
def test_the_ranges_of_an_advisor_out_of_the_function_are_ignored(
    advisor: User,
    second_advisor: User,
    manager: User,
    split_alphabet: None,
    change: dict[str, bool],
) -> None:
    for field, value in change.items():
        setattr(advisor, field, value)
    advisor.save()
    with_clients(second_advisor, 4)
    client = register(manager, last_name="Kowalczyk")
    assert current(client).advisor == second_advisor
    assert current(client).kind == AssignmentKind.LEAST_CASELOAD


def test_a_range_of_an_advisor_of_another_office_is_ignored(
    advisor: User, manager: User, letters_office: Office, other_office_advisor: User
) -> None:
    LetterRange.objects.create(
        office=letters_office, advisor=other_office_advisor, first_letter="A", last_letter="Ż"
    )
    client = register(manager, last_name="Kowalczyk")
    assert current(client).advisor == advisor


def test_least_caseload_chooses_the_advisor_with_fewest_current_clients(
    advisor: User, second_advisor: User, manager: User
) -> None:
    with_clients(advisor, 1)
    with_clients(second_advisor, 2)
    client = register(manager)
    assert current(client).advisor == advisor
    assert current(client).kind == AssignmentKind.LEAST_CASELOAD


def test_least_caseload_does_not_count_ended_assignments(
    advisor: User, second_advisor: User, manager: User
) -> None:
    for _ in range(3):
        AdvisorAssignmentFactory(
            advisor=second_advisor, client__office=second_advisor.office, ended_at=timezone.now()
        )
    with_clients(advisor, 1)
    client = register(manager)
    assert current(client).advisor == second_advisor


def test_least_caseload_does_not_count_employers(
    advisor: User, second_advisor: User, manager: User, office: Office
) -> None:
    for nip in ("8471512347", "5260250274"):
        services.employer_register(
            acting_user=manager,
            office=office,
            data={"name": "Firma", "nip": nip, "kind": Employer.Kind.ENTREPRENEUR, "city": "X"},
        )
    assert AdvisorAssignment.objects.filter(employer__isnull=False, advisor=advisor).count() == 2
    with_clients(second_advisor, 1)
    client = register(manager)
    assert current(client).advisor == advisor


def test_least_caseload_spreads_new_clients_evenly(
    advisor: User, second_advisor: User, manager: User
) -> None:
    for _ in range(6):
        register(manager)
    assert AdvisorAssignment.objects.filter(advisor=advisor).count() == 3
    assert AdvisorAssignment.objects.filter(advisor=second_advisor).count() == 3


def test_a_caseload_tie_goes_to_the_surname_first_in_order(
    advisor: User, second_advisor: User, manager: User, office: Office
) -> None:
    adamska = UserFactory(last_name="Adamska", office=office)
    client = register(manager)
    assert current(client).advisor == adamska  # Adamska, Kowalska, Zielińska


def test_a_caseload_and_surname_tie_goes_to_the_earlier_account(
    advisor: User, office: Office, manager: User
) -> None:
    namesake = UserFactory(last_name=advisor.last_name, office=office)
    assert namesake.pk > advisor.pk
    client = register(manager)
    assert current(client).advisor == advisor


def test_an_office_without_an_active_customer_advisor_refuses_to_register(
    manager: User, other_office_advisor: User
) -> None:
    with pytest.raises(ValidationError):
        register(manager)
    assert not Client.objects.exists()
    assert not CardEntry.objects.exists()


@pytest.mark.parametrize(
    "absent",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"is_customer_advisor": False}, id="not-an-advisor"),
    ],
)
def test_users_out_of_the_advisor_function_are_never_chosen(
    advisor: User, manager: User, office: Office, absent: dict[str, bool]
) -> None:
    idle = UserFactory(last_name="Aaronowicz", office=office, **absent)
    with_clients(advisor, 5)
    for surname in ("Abacki", "Zabłocki"):
        client = register(manager, last_name=surname)
        assert current(client).advisor == advisor
    assert not AdvisorAssignment.objects.filter(advisor__in=[idle, manager]).exists()


def test_an_office_whose_only_advisor_was_deactivated_refuses_to_register(
    advisor: User, manager: User
) -> None:
    advisor.is_active = False
    advisor.save()
    with pytest.raises(ValidationError):
        register(manager)


# === substitutions ==============================================================================

JUNE_1, JUNE_10 = date(2026, 6, 1), date(2026, 6, 10)


def substitute(by: User, absent: User, sub: User, starts_on: date, ends_on: date) -> Substitution:
    return services.substitution_create(
        acting_user=by, absent=absent, substitute=sub, starts_on=starts_on, ends_on=ends_on
    )


def test_a_manager_sets_a_substitute_for_an_absent_advisor(
    manager: User, advisor: User, second_advisor: User, office: Office
) -> None:
    made = services.substitution_create(
        acting_user=manager,
        absent=advisor,
        substitute=second_advisor,
        starts_on=JUNE_1,
        ends_on=JUNE_10,
        reason="urlop wypoczynkowy",
    )
    made.refresh_from_db()
    assert (made.office, made.absent, made.substitute) == (office, advisor, second_advisor)
    assert (made.starts_on, made.ends_on, made.created_by) == (JUNE_1, JUNE_10, manager)


def test_an_office_administrator_may_set_a_substitute(
    office_admin: User, advisor: User, second_advisor: User
) -> None:
    substitute(office_admin, advisor, second_advisor, JUNE_1, JUNE_10)
    assert Substitution.objects.count() == 1


def test_a_one_day_substitution_is_allowed(
    manager: User, advisor: User, second_advisor: User
) -> None:
    substitute(manager, advisor, second_advisor, JUNE_1, JUNE_1)


def test_an_advisor_may_not_set_substitutes(advisor: User, second_advisor: User) -> None:
    with pytest.raises(PermissionDenied):
        substitute(advisor, second_advisor, advisor, JUNE_1, JUNE_10)
    assert not Substitution.objects.exists()


def test_a_manager_of_another_office_may_not_set_substitutes_here(
    other_office_manager: User, advisor: User, second_advisor: User
) -> None:
    with pytest.raises(PermissionDenied):
        substitute(other_office_manager, advisor, second_advisor, JUNE_1, JUNE_10)


def test_an_advisor_cannot_substitute_for_themselves(manager: User, advisor: User) -> None:
    with pytest.raises(ValidationError) as caught:
        substitute(manager, advisor, advisor, JUNE_1, JUNE_10)
    assert "substitute" in caught.value.message_dict


def test_a_substitution_cannot_end_before_it_starts(
    manager: User, advisor: User, second_advisor: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        substitute(manager, advisor, second_advisor, JUNE_10, JUNE_1)
    assert "ends_on" in caught.value.message_dict


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2026, 6, 10), date(2026, 6, 20)),
        (date(2026, 5, 20), date(2026, 6, 1)),
        (date(2026, 6, 4), date(2026, 6, 5)),
        (date(2026, 5, 1), date(2026, 7, 1)),
    ],
)
def test_overlapping_substitutions_for_the_same_advisor_are_refused(
    manager: User,
    advisor: User,
    second_advisor: User,
    office: Office,
    starts_on: date,
    ends_on: date,
) -> None:
    substitute(manager, advisor, second_advisor, JUNE_1, JUNE_10)
    third = UserFactory(office=office)
    with pytest.raises(ValidationError):
        substitute(manager, advisor, third, starts_on, ends_on)
    assert Substitution.objects.count() == 1


def test_back_to_back_substitutions_are_allowed(
    manager: User, advisor: User, second_advisor: User, office: Office
) -> None:
    substitute(manager, advisor, second_advisor, JUNE_1, JUNE_10)
    substitute(manager, advisor, UserFactory(office=office), date(2026, 6, 11), date(2026, 6, 20))
    assert Substitution.objects.count() == 2


def test_two_advisors_can_be_absent_at_the_same_time(
    manager: User, advisor: User, second_advisor: User, office: Office
) -> None:
    third = UserFactory(office=office)
    substitute(manager, advisor, third, JUNE_1, JUNE_10)
    substitute(manager, second_advisor, third, JUNE_1, JUNE_10)
    assert Substitution.objects.count() == 2


def test_a_substitute_who_is_away_in_those_dates_is_refused(
    manager: User, advisor: User, second_advisor: User, office: Office
) -> None:
    substitute(manager, second_advisor, UserFactory(office=office), date(2026, 6, 8), JUNE_10)
    with pytest.raises(ValidationError):
        substitute(manager, advisor, second_advisor, JUNE_1, JUNE_10)
    assert not Substitution.objects.filter(absent=advisor).exists()


def test_an_advisor_substituting_for_someone_cannot_be_absent_in_those_dates(
    manager: User, advisor: User, second_advisor: User, office: Office
) -> None:
    substitute(manager, second_advisor, advisor, JUNE_1, JUNE_10)
    with pytest.raises(ValidationError):
        substitute(manager, advisor, UserFactory(office=office), JUNE_10, date(2026, 6, 12))
    assert not Substitution.objects.filter(absent=advisor).exists()


def test_the_substitute_must_be_an_advisor_of_the_same_office(
    manager: User, advisor: User, other_office_advisor: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        substitute(manager, advisor, other_office_advisor, JUNE_1, JUNE_10)
    assert "advisor" in caught.value.message_dict


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"is_customer_advisor": False}, id="not-an-advisor"),
    ],
)
def test_the_substitute_must_be_an_active_customer_advisor(
    manager: User, advisor: User, office: Office, change: dict[str, bool]
) -> None:
    with pytest.raises(ValidationError):
        substitute(manager, advisor, UserFactory(office=office, **change), JUNE_1, JUNE_10)
    assert not Substitution.objects.exists()


# === reassignment ===============================================================================


def test_a_manager_reassigns_a_client_keeping_the_history(
    advisor: User, second_advisor: User, manager: User
) -> None:
    client = register(advisor)
    first = current(client)
    services.advisor_reassign(
        acting_user=manager, client=client, advisor=second_advisor, reason="zmiana rejonu"
    )
    first.refresh_from_db()
    assert first.ended_at is not None
    now = current(client)
    assert now.advisor == second_advisor
    assert now.kind == AssignmentKind.REASSIGNMENT
    assert now.reason == "zmiana rejonu"
    assert now.assigned_by == manager
    assert now.started_at >= first.ended_at
    assert list(client.assignments.order_by("started_at", "pk")) == [first, now]


def test_reassignment_without_a_reason_is_refused(
    advisor: User, second_advisor: User, manager: User
) -> None:
    client = register(advisor)
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            services.advisor_reassign(
                acting_user=manager, client=client, advisor=second_advisor, reason=blank
            )
        assert "reason" in caught.value.message_dict
    assert current(client).advisor == advisor


def test_an_advisor_may_not_reassign_clients(advisor: User, second_advisor: User) -> None:
    client = register(advisor)
    with pytest.raises(PermissionDenied):
        services.advisor_reassign(
            acting_user=advisor, client=client, advisor=second_advisor, reason="x"
        )
    assert current(client).advisor == advisor


def test_a_manager_of_another_office_may_not_reassign_our_clients(
    advisor: User, other_office_manager: User, other_office_advisor: User
) -> None:
    client = register(advisor)
    with pytest.raises(PermissionDenied):
        services.advisor_reassign(
            acting_user=other_office_manager,
            client=client,
            advisor=other_office_advisor,
            reason="x",
        )
    assert current(client).advisor == advisor


@pytest.mark.parametrize("target", ["other_office_advisor", "manager", "deactivated"])
def test_a_client_can_only_be_given_to_an_active_advisor_of_the_office(
    advisor: User, manager: User, office: Office, target: str, request: pytest.FixtureRequest
) -> None:
    client = register(advisor)
    to = (
        UserFactory(office=office, is_active=False)
        if target == "deactivated"
        else request.getfixturevalue(target)
    )
    with pytest.raises(ValidationError) as caught:
        services.advisor_reassign(acting_user=manager, client=client, advisor=to, reason="x")
    assert "advisor" in caught.value.message_dict
    assert current(client).advisor == advisor


def test_a_deregistered_client_has_no_advisor_to_change(
    advisor: User, second_advisor: User, manager: User
) -> None:
    client = register(advisor)
    close(advisor, client)
    with pytest.raises(ValidationError):
        services.advisor_reassign(
            acting_user=manager, client=client, advisor=second_advisor, reason="x"
        )
    assert client.assignments.count() == 1


def test_reassigning_to_the_current_advisor_changes_nothing(advisor: User, manager: User) -> None:
    client = register(advisor)
    moved = services.advisor_bulk_reassign(
        acting_user=manager,
        office=advisor.office,
        client_ids=[client.pk],
        advisor=advisor,
        reason="x",
    )
    assert moved == 0
    assert client.assignments.count() == 1
    assert client.entries.count() == 1  # the registration's


def test_a_client_has_exactly_one_current_advisor_after_several_reassignments(
    advisor: User, second_advisor: User, manager: User
) -> None:
    client = register(advisor)
    for to in (second_advisor, advisor, second_advisor):
        services.advisor_reassign(acting_user=manager, client=client, advisor=to, reason="x")
    assert client.assignments.filter(ended_at__isnull=True).count() == 1
    assert client.assignments.count() == 4


def test_the_database_refuses_a_second_current_advisor(advisor: User, second_advisor: User) -> None:
    client = register(advisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdvisorAssignment.objects.create(
            client=client,
            advisor=second_advisor,
            kind=AssignmentKind.REASSIGNMENT,
            assigned_by=second_advisor,
        )


def test_bulk_reassignment_moves_thousands_of_clients_in_a_fixed_number_of_queries(
    advisor: User,
    second_advisor: User,
    manager: User,
    office: Office,
    django_assert_max_num_queries: Any,
) -> None:
    clients = Client.objects.bulk_create(ClientFactory.build_batch(2000, office=office))
    AdvisorAssignment.objects.bulk_create(
        AdvisorAssignment(
            client=c, advisor=advisor, kind=AssignmentKind.LEAST_CASELOAD, assigned_by=manager
        )
        for c in clients
    )
    manager = User.objects.get(pk=manager.pk)  # roles not yet read: counted below
    # Savepoint, roles, lock-and-read, end the old, create the new, write the journal, move
    # the open reminders, the dashboard's caseload rows and trend events (delete, insert
    # each), release: twelve statements whether 1 client moves or 2,000.
    with django_assert_max_num_queries(12):
        moved = services.advisor_bulk_reassign(
            acting_user=manager,
            office=office,
            client_ids=[c.pk for c in clients],
            advisor=second_advisor,
            reason="odejście na emeryturę",
        )
    assert moved == 2000
    assert (
        AdvisorAssignment.objects.filter(advisor=second_advisor, ended_at__isnull=True).count()
        == 2000
    )
    assert not AdvisorAssignment.objects.filter(advisor=advisor, ended_at__isnull=True).exists()
    assert AdvisorAssignment.objects.filter(advisor=advisor, ended_at__isnull=False).count() == 2000
    entries = CardEntry.objects.filter(kind=EntryKind.SYSTEM, author=manager)
    assert entries.count() == 2000
    assert entries.values("client").distinct().count() == 2000
    assert all("odejście na emeryturę" in text for text in entries.values_list("text", flat=True))


def test_bulk_reassignment_leaves_clients_of_another_office_alone(
    advisor: User,
    second_advisor: User,
    manager: User,
    office: Office,
    other_office_advisor: User,
) -> None:
    with_clients(second_advisor, 5)  # so that all of ours start with advisor
    ours = [register(advisor) for _ in range(3)]
    theirs = register(other_office_advisor)
    moved = services.advisor_bulk_reassign(
        acting_user=manager,
        office=office,
        client_ids=[c.pk for c in [*ours, theirs]],
        advisor=second_advisor,
        reason="reorganizacja",
    )
    assert moved == 3
    assert current(theirs).advisor == other_office_advisor
    assert theirs.assignments.count() == 1
    assert not theirs.entries.filter(text__contains="reorganizacja").exists()
    assert all(current(c).advisor == second_advisor for c in ours)


def test_bulk_reassignment_skips_deregistered_clients_without_a_current_advisor(
    advisor: User, second_advisor: User, manager: User, office: Office
) -> None:
    with_clients(second_advisor, 5)  # so that both start with advisor
    staying, leaving = register(advisor), register(advisor)
    close(advisor, leaving)
    moved = services.advisor_bulk_reassign(
        acting_user=manager,
        office=office,
        client_ids=[staying.pk, leaving.pk],
        advisor=second_advisor,
        reason="x",
    )
    assert moved == 1
    assert not leaving.assignments.filter(ended_at__isnull=True).exists()


# === deregistration and return ==================================================================


def test_deregistration_closes_the_period_and_ends_the_advisors_care(
    advisor: User,
) -> None:
    client = register(advisor, on=DAY)
    registration = open_registration(client)
    services.registration_close(
        acting_user=advisor,
        registration=registration,
        deregistered_on=date(2026, 5, 4),
        reason=reason("employment"),
        decision="DR.5.2026",
    )
    registration.refresh_from_db()
    assert registration.deregistered_on == date(2026, 5, 4)
    assert registration.deregistration_reason == reason("employment")
    assert registration.deregistration_decision == "DR.5.2026"
    assert not client.assignments.filter(ended_at__isnull=True).exists()
    assert client.assignments.get().advisor == advisor  # kept for a return


def test_deregistration_on_the_day_of_registration_is_allowed(advisor: User) -> None:
    client = register(advisor, on=DAY)
    close(advisor, client, on=DAY)
    assert not Registration.objects.filter(deregistered_on__isnull=True).exists()


def test_deregistration_before_the_registration_date_is_refused(advisor: User) -> None:
    client = register(advisor, on=DAY)
    with pytest.raises(ValidationError) as caught:
        close(advisor, client, on=date(2026, 3, 1))
    assert "deregistered_on" in caught.value.message_dict
    assert open_registration(client)
    assert current(client).advisor == advisor


def test_deregistration_in_the_future_is_refused(advisor: User) -> None:
    client = register(advisor)
    with pytest.raises(ValidationError) as caught:
        close(advisor, client, on=date(2026, 11, 3))
    assert "deregistered_on" in caught.value.message_dict
    assert open_registration(client)


def test_a_reason_no_longer_in_use_is_refused(advisor: User) -> None:
    # "no_contact_90_days" belongs to the 2025 Act, not in use under the default regime.
    client = register(advisor)
    with pytest.raises(ValidationError) as caught:
        close(advisor, client, code="no_contact_90_days")
    assert "reason" in caught.value.message_dict
    assert open_registration(client)


def test_a_closed_registration_cannot_be_closed_again(advisor: User) -> None:
    client = register(advisor)
    registration = close(advisor, client)
    with pytest.raises(ValidationError):
        services.registration_close(
            acting_user=advisor,
            registration=registration,
            deregistered_on=date(2026, 6, 1),
            reason=reason("death"),
        )
    registration.refresh_from_db()
    assert registration.deregistration_reason == reason("employment")


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Status.UNEMPLOYED, "jobseeker_request"),
        (Status.UNEMPLOYED, "jobseeker_inactive"),
        (Status.JOBSEEKER, "refused_offer"),
        (Status.JOBSEEKER, "no_show"),
        (Status.JOBSEEKER, "startup_grant"),
    ],
)
def test_a_reason_that_does_not_apply_to_the_status_is_refused(
    advisor: User, status: str, code: str
) -> None:
    category = JobseekerCategory.objects.get(code="notice_period")
    client = register(
        advisor, status=status, category=category if status == Status.JOBSEEKER else None
    )
    with pytest.raises(ValidationError) as caught:
        close(advisor, client, code=code)
    assert "reason" in caught.value.message_dict
    assert open_registration(client)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Status.UNEMPLOYED, "employment"),
        (Status.UNEMPLOYED, "refused_offer"),
        (Status.JOBSEEKER, "employment"),
        (Status.JOBSEEKER, "jobseeker_request"),
        (Status.JOBSEEKER, "death"),
    ],
)
def test_a_reason_that_applies_to_the_status_closes_the_registration(
    advisor: User, status: str, code: str
) -> None:
    category = JobseekerCategory.objects.get(code="notice_period")
    client = register(
        advisor, status=status, category=category if status == Status.JOBSEEKER else None
    )
    close(advisor, client, code=code)
    assert not client.registrations.filter(deregistered_on__isnull=True).exists()


def test_an_advisor_of_another_office_cannot_deregister_our_client(
    advisor: User, other_office_advisor: User
) -> None:
    client = register(advisor)
    with pytest.raises(PermissionDenied):
        close(other_office_advisor, client)
    assert open_registration(client)


def test_a_returning_person_gets_a_new_period_on_the_same_record_with_the_same_advisor(
    advisor: User, second_advisor: User
) -> None:
    client = register(advisor, last_name="Zając", on=DAY)
    close(advisor, client, on=date(2026, 5, 4))
    with_clients(advisor, 2)
    reopen(advisor, client, on=date(2026, 9, 1))
    assert Client.objects.filter(pesel=client.pesel).count() == 1
    periods = list(client.registrations.order_by("registered_on"))
    assert [(p.registered_on, p.deregistered_on) for p in periods] == [
        (DAY, date(2026, 5, 4)),
        (date(2026, 9, 1), None),
    ]
    assert current(client).advisor == advisor
    assert current(client).kind == AssignmentKind.RETURN
    assert client.assignments.count() == 2


def test_a_returning_person_may_register_the_day_the_previous_period_ended(
    advisor: User,
) -> None:
    client = register(advisor)
    close(advisor, client, on=date(2026, 5, 4))
    reopen(advisor, client, on=date(2026, 5, 4))
    assert client.registrations.count() == 2


def test_a_new_registration_may_not_start_before_the_previous_one_ended(
    advisor: User,
) -> None:
    client = register(advisor, on=DAY)
    close(advisor, client, on=date(2026, 5, 4))
    with pytest.raises(ValidationError) as caught:
        reopen(advisor, client, on=date(2026, 5, 3))
    assert "registered_on" in caught.value.message_dict
    assert client.registrations.count() == 1
    assert not client.assignments.filter(ended_at__isnull=True).exists()


def test_a_person_with_an_open_registration_cannot_be_registered_again(
    advisor: User,
) -> None:
    client = register(advisor)
    with pytest.raises(ValidationError):
        reopen(advisor, client, on=date(2026, 4, 1))
    assert client.registrations.count() == 1
    assert client.assignments.count() == 1


def test_the_database_refuses_a_second_open_registration(advisor: User) -> None:
    client = register(advisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            client=client,
            office=client.office,
            status=Status.UNEMPLOYED,
            registered_on=date(2026, 4, 1),
            created_by=advisor,
        )


# === the journal ================================================================================


def system_entries(client: Client) -> list[CardEntry]:
    return list(client.entries.filter(kind=EntryKind.SYSTEM).order_by("created_at", "pk"))


def test_registration_writes_a_system_entry_naming_the_advisor(
    manager: User, advisor: User
) -> None:
    client = register(manager)
    [entry] = system_entries(client)
    assert entry.author == manager
    assert str(advisor) in entry.text
    assert entry.client == client and entry.employer is None


def test_reassignment_writes_a_system_entry_with_both_advisors_and_the_reason(
    advisor: User, second_advisor: User, manager: User
) -> None:
    client = register(advisor)
    services.advisor_reassign(
        acting_user=manager, client=client, advisor=second_advisor, reason="długie zwolnienie"
    )
    entry = system_entries(client)[-1]
    assert entry.author == manager
    assert "długie zwolnienie" in entry.text
    assert str(advisor) in entry.text
    assert str(second_advisor) in entry.text


def test_deregistration_writes_a_system_entry_with_the_reason_and_decision(
    advisor: User,
) -> None:
    client = register(advisor)
    services.registration_close(
        acting_user=advisor,
        registration=open_registration(client),
        deregistered_on=date(2026, 5, 4),
        reason=reason("refused_offer"),
        decision="DR.17.2026",
    )
    entry = system_entries(client)[-1]
    assert entry.author == advisor
    assert reason("refused_offer").name in entry.text
    assert "DR.17.2026" in entry.text


def test_each_step_of_a_clients_history_leaves_one_system_entry(
    advisor: User, second_advisor: User, manager: User
) -> None:
    client = register(advisor)
    services.advisor_reassign(
        acting_user=manager, client=client, advisor=second_advisor, reason="x"
    )
    close(advisor, client)
    reopen(advisor, client)
    assert len(system_entries(client)) == 4


def test_an_advisor_adds_an_entry_to_the_journal(advisor: User) -> None:
    client = register(advisor)
    entry = services.card_entry_add(
        acting_user=advisor,
        client=client,
        kind=EntryKind.ADVISOR_ACTION,
        text="  Przekazano oferty pracy.  ",
    )
    entry.refresh_from_db()
    assert (entry.kind, entry.text, entry.author) == (
        EntryKind.ADVISOR_ACTION,
        "Przekazano oferty pracy.",
        advisor,
    )


def test_nobody_writes_system_entries_by_hand(advisor: User) -> None:
    client = register(advisor)
    with pytest.raises(ValidationError) as caught:
        services.card_entry_add(
            acting_user=advisor, client=client, kind=EntryKind.SYSTEM, text="Zarejestrowano."
        )
    assert "kind" in caught.value.message_dict
    assert client.entries.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_journal_entry_is_refused(advisor: User, text: str) -> None:
    client = register(advisor)
    with pytest.raises(ValidationError) as caught:
        services.card_entry_add(
            acting_user=advisor, client=client, kind=EntryKind.CONTACT, text=text
        )
    assert "text" in caught.value.message_dict


def test_an_advisor_of_another_office_cannot_write_in_our_journal(
    advisor: User, other_office_advisor: User
) -> None:
    client = register(advisor)
    with pytest.raises(PermissionDenied):
        services.card_entry_add(
            acting_user=other_office_advisor, client=client, kind=EntryKind.CONTACT, text="x"
        )


# === employers ==================================================================================


def employer_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Piekarnia Zielińscy sp. j.",
        "nip": "8471512347",
        "regon": "123456785",
        "kind": Employer.Kind.ENTREPRENEUR,
        "city": "Piaseczno",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("regon", ["123456785", "612254132", "61225413200125", ""])
def test_an_employer_is_registered_with_a_valid_nip_and_regon(
    advisor: User, office: Office, regon: str
) -> None:
    employer = services.employer_register(
        acting_user=advisor, office=office, data=employer_data(regon=regon)
    )
    employer.refresh_from_db()
    assert (employer.nip, employer.regon) == ("8471512347", regon)


@pytest.mark.parametrize(
    "typed", ["847-151-23-47", "847-15-12-347", "PL8471512347", "PL 847 151 23 47"]
)
def test_written_forms_of_a_nip_are_stored_as_digits(
    advisor: User, office: Office, typed: str
) -> None:
    employer = services.employer_register(
        acting_user=advisor, office=office, data=employer_data(nip=typed)
    )
    employer.refresh_from_db()
    assert employer.nip == "8471512347"


@pytest.mark.parametrize(
    "nip", ["1234567890", "8471512348", "847151234", "84715123470", "ABCDEFGHIJ"]
)
def test_an_invalid_nip_is_refused(advisor: User, office: Office, nip: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.employer_register(acting_user=advisor, office=office, data=employer_data(nip=nip))
    assert "nip" in caught.value.message_dict
    assert not Employer.objects.exists()


@pytest.mark.parametrize("regon", ["12345678500019", "123456784", "1234567", "61225413200124"])
def test_an_invalid_regon_is_refused(advisor: User, office: Office, regon: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.employer_register(
            acting_user=advisor, office=office, data=employer_data(regon=regon)
        )
    assert "regon" in caught.value.message_dict
    assert not Employer.objects.exists()


def test_an_employer_gets_a_customer_advisor_and_a_journal_entry(
    manager: User, advisor: User, office: Office
) -> None:
    employer = services.employer_register(acting_user=manager, office=office, data=employer_data())
    assignment = AdvisorAssignment.objects.get(employer=employer, ended_at__isnull=True)
    assert assignment.advisor == advisor
    [entry] = employer.entries.all()
    assert (entry.kind, entry.author) == (EntryKind.SYSTEM, manager)
    assert str(advisor) in entry.text


def test_an_employer_follows_the_offices_letter_ranges_by_its_name(
    manager: User, office: Office, split_alphabet: None, second_advisor: User
) -> None:
    employer = services.employer_register(
        acting_user=manager, office=office, data=employer_data(name="Łódzka Fabryka Mebli")
    )
    assert AdvisorAssignment.objects.get(employer=employer).advisor == second_advisor


def test_the_same_nip_cannot_be_registered_twice_in_an_office(
    advisor: User, office: Office
) -> None:
    services.employer_register(acting_user=advisor, office=office, data=employer_data())
    with pytest.raises(ValidationError) as caught:
        services.employer_register(
            acting_user=advisor, office=office, data=employer_data(nip="847-151-23-47")
        )
    assert "nip" in caught.value.message_dict
    assert Employer.objects.count() == 1


def test_an_advisor_cannot_register_an_employer_in_another_office(
    advisor: User, other_office: Office
) -> None:
    with pytest.raises(PermissionDenied):
        services.employer_register(acting_user=advisor, office=other_office, data=employer_data())
