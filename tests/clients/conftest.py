from datetime import date
from itertools import count
from typing import Any

import pytest

from clients import services
from clients.models import Client, JobseekerCategory
from labour_office.offices.models import Office, Role, User
from tests.factories import UserFactory, make_pesel

REGISTERED_ON = date(2026, 3, 2)
CARD: dict[str, Any] = {"city": "Piaseczno", "education_level": "higher"}

_serials = count(1)


def register(
    acting_user: User,
    office: Office,
    last_name: str = "Żółć",
    *,
    first_name: str = "Łukasz",
    pesel: str | None = None,
    born: date = date(1990, 5, 17),
    sex: str = "M",
    status: str = "unemployed",
    jobseeker_category: JobseekerCategory | None = None,
    registered_on: date = REGISTERED_ON,
) -> Client:
    """Register a person with a fresh valid PESEL through the service, as the desk does."""
    return services.client_register(
        acting_user=acting_user,
        office=office,
        card={**CARD, "first_name": first_name, "last_name": last_name},
        pesel=pesel or make_pesel(born, sex, serial=next(_serials) % 5000),
        birth_date=None,
        sex=None,
        status=status,
        jobseeker_category=jobseeker_category,
        registered_on=registered_on,
    )


@pytest.fixture
def colleague(office: Office) -> User:
    """A second customer advisor of `office`; her surname sorts before `advisor`'s, so she wins
    a tie of caseloads."""
    return UserFactory(
        username="doradca.adamska",
        first_name="Beata",
        last_name="Adamska",
        office=office,
        role=Role.ADVISOR,
    )


@pytest.fixture
def registered_client(advisor: User, office: Office) -> Client:
    """Łukasz Żółć, registered as unemployed in `office` on REGISTERED_ON; `advisor`, then the
    office's only customer advisor, is his."""
    return register(advisor, office)
