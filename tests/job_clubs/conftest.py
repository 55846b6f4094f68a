"""Job clubs, activities and clients for the job-club tests, built through the services where
they exist; "today" is frozen as in the IPD tests."""

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from clients.models import Client
from job_clubs.models import Activity, ActivityKind, JobClub, Session
from labour_office.offices.models import Office, User
from tests.ipd.conftest import TODAY, travel, unemployed

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with travel(TODAY):
        yield


@pytest.fixture
def club(office: Office, advisor: User) -> JobClub:
    return JobClub.objects.create(
        office=office,
        name="Klub Pracy PUP Piaseczno",
        place="ul. Kościuszki 5, sala 12",
        leader=advisor,
    )


def make_activity(
    club: JobClub,
    *,
    kind: str = ActivityKind.ACTIVATION_CLASSES,
    capacity: int = 12,
    sessions: int = 5,
    hours: str = "4",
) -> Activity:
    activity = Activity.objects.create(
        club=club,
        kind=kind,
        title="Aktywne poszukiwanie pracy",
        leader=club.leader,
        capacity=capacity,
        enrolment_opens_on=TODAY - timedelta(days=7),
        enrolment_closes_on=TODAY + timedelta(days=7),
    )
    first = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=WARSAW) + timedelta(days=7)
    for n in range(sessions):
        start = first + timedelta(days=n)
        Session.objects.create(
            activity=activity,
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            room="sala 12",
            hours=Decimal(hours),
        )
    return activity


@pytest.fixture
def make_client(advisor: User, office: Office) -> Callable[..., Client]:
    serials = iter(range(1, 1000))

    def make(profile: str | None = None) -> Client:
        return unemployed(advisor, office, profile, serial=next(serials))

    return make
