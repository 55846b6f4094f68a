"""A substitute sees the absent advisor's clients on their desk from the first to the last day
of the substitution, and not the day after (issue 4: "substitutes and their end")."""

from datetime import date

import pytest

from clients import services
from clients.models import AdvisorAssignment, Client
from clients.selectors import DeskFilters, desk_clients, substituted_advisors
from labour_office.offices.models import Office, User
from tests.clients.conftest import register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JULY_1, JULY_14 = date(2026, 7, 1), date(2026, 7, 14)


def current_advisor(client: Client) -> User:
    return AdvisorAssignment.objects.get(client=client, ended_at__isnull=True).advisor


@pytest.fixture
def absence(manager: User, advisor: User, colleague: User) -> None:
    """`advisor` is away from 1 to 14 July 2026; `colleague` substitutes."""
    services.substitution_create(
        acting_user=manager,
        absent=advisor,
        substitute=colleague,
        starts_on=JULY_1,
        ends_on=JULY_14,
        reason="Urlop wypoczynkowy",
    )


@pytest.mark.usefixtures("absence")
def test_the_substitute_serves_the_absent_advisor_from_the_first_to_the_last_day(
    advisor: User, colleague: User
) -> None:
    assert substituted_advisors(colleague, date(2026, 6, 30)) == []
    assert substituted_advisors(colleague, JULY_1) == [advisor]
    assert substituted_advisors(colleague, JULY_14) == [advisor]
    assert substituted_advisors(colleague, date(2026, 7, 15)) == []
    assert substituted_advisors(advisor, JULY_1) == []


def test_the_absent_advisors_clients_are_on_the_substitutes_desk_until_the_substitution_ends(
    registered_client: Client, manager: User, advisor: User, colleague: User, office: Office
) -> None:
    assert current_advisor(registered_client) == advisor
    own = register(manager, office, "Adamiak")  # Adamska's: 0 clients against Kowalska's 1
    assert current_advisor(own) == colleague
    services.substitution_create(
        acting_user=manager, absent=advisor, substitute=colleague, starts_on=JULY_1, ends_on=JULY_14
    )

    def desk(day: date) -> set[Client]:
        filters = DeskFilters(advisor="me", substituted=substituted_advisors(colleague, day))
        return set(desk_clients(colleague, filters))

    assert desk(date(2026, 6, 30)) == {own}
    assert desk(JULY_1) == {own, registered_client}
    assert desk(JULY_14) == {own, registered_client}
    assert desk(date(2026, 7, 15)) == {own}
    # The clients stay the absent advisor's: nothing to undo when they come back.
    assert current_advisor(registered_client) == advisor
    assert set(desk_clients(advisor, DeskFilters(advisor="me"))) == {registered_client}


@pytest.mark.usefixtures("absence")
def test_a_third_advisor_does_not_see_the_absent_advisors_clients(
    registered_client: Client, office: Office, advisor: User
) -> None:
    third = UserFactory(office=office)
    filters = DeskFilters(advisor="me", substituted=substituted_advisors(third, JULY_1))
    assert list(desk_clients(third, filters)) == []
