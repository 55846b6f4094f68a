"""Who may hold unemployed status by age (clients.md, LAW: 2004 Act art. 2 ust. 1 pkt 2): at
least 18 and below the retirement age, 60 for women and 65 for men, on the registration day.
A jobseeker has no age condition."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from clients.models import Client, JobseekerCategory, Registration, Status
from labour_office.offices.models import Office, User
from tests.clients.conftest import register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("born", "sex"),
    [
        (date(2010, 3, 1), "M"),  # 16 on the registration day
        (date(2008, 3, 3), "F"),  # 18 the day after
        (date(1966, 3, 2), "F"),  # 60 that day: a woman's retirement age
        (date(1961, 3, 2), "M"),  # 65 that day: a man's retirement age
    ],
    ids=["16", "17-and-364-days", "woman-60", "man-65"],
)
def test_a_person_under_18_or_of_retirement_age_cannot_be_registered_as_unemployed(
    advisor: User, office: Office, born: date, sex: str
) -> None:
    with pytest.raises(ValidationError):
        register(advisor, office, born=born, sex=sex)
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("born", "sex"),
    [(date(2008, 3, 2), "M"), (date(1966, 3, 3), "F"), (date(1961, 3, 3), "M")],
    ids=["18-that-day", "woman-59", "man-64"],
)
def test_a_person_from_18_to_the_day_before_retirement_age_can_be_registered_as_unemployed(
    advisor: User, office: Office, born: date, sex: str
) -> None:
    client = register(advisor, office, born=born, sex=sex)
    assert Registration.objects.get(client=client).status == Status.UNEMPLOYED


def test_a_pensioner_of_any_age_can_be_registered_as_a_jobseeker(
    advisor: User, office: Office
) -> None:
    pensioner = JobseekerCategory.objects.get(code="pensioner")
    client = register(
        advisor,
        office,
        born=date(1950, 1, 1),
        sex="F",
        status=Status.JOBSEEKER,
        jobseeker_category=pensioner,
    )
    assert Registration.objects.get(client=client).status == Status.JOBSEEKER
