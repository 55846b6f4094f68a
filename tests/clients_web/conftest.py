from datetime import date
from typing import Any

import pytest
from stdnum.pl import pesel as stdnum_pesel

from clients import services
from clients.models import Client
from labour_office.offices.models import Office, User


def make_pesel(birth: date, serial: int, female: bool) -> str:
    """A valid PESEL for a birth date (1900-2099) and sex."""
    month = birth.month + (20 if birth.year >= 2000 else 0)
    sex_digit = (serial % 5) * 2 + (0 if female else 1)
    head = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial % 1000:03d}{sex_digit}"
    return head + stdnum_pesel.calc_check_digit(head)


CARD: dict[str, Any] = {
    "city": "Piaseczno",
    "education_level": "higher",
    "citizenship": "polskie",
}


def register(
    acting_user: User,
    office: Office,
    first_name: str,
    last_name: str,
    pesel: str,
    registered_on: date | None = None,
    status: str = "unemployed",
) -> Client:
    return services.client_register(
        acting_user=acting_user,
        office=office,
        card={**CARD, "first_name": first_name, "last_name": last_name},
        pesel=pesel,
        birth_date=None,
        sex=None,
        status=status,
        jobseeker_category=None,
        registered_on=registered_on or date(2026, 10, 1),
    )


@pytest.fixture
def registered_client(advisor: User, office: Office) -> Client:
    """Łukasz Żółć, registered as unemployed in `office`; `advisor` is his customer advisor."""
    return register(advisor, office, "Łukasz", "Żółć", make_pesel(date(1990, 5, 17), 123, False))


@pytest.fixture
def other_office_client(other_office_advisor: User, other_office: Office) -> Client:
    """A client of `other_office`."""
    return register(
        other_office_advisor, other_office, "Piotr", "Inny", make_pesel(date(1980, 1, 2), 7, False)
    )
