"""The public job-club page: no login, upcoming and running activities of listed clubs, free
places as counts, how to join, and no personal data (job_clubs/public.py)."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from clients.models import Client
from job_clubs import services
from job_clubs.models import Activity, ActivityKind, JobClub, Session
from labour_office.offices.models import Office, User
from tests.clients_web.conftest import make_pesel, register
from tests.ipd.conftest import TODAY
from tests.job_clubs.conftest import WARSAW, make_activity

pytestmark = pytest.mark.django_db


# Enrolled people with names and numbers that must never reach the public page.
PEOPLE = [
    ("Zenobia", "Chrząszczyk", make_pesel(date(1991, 4, 12), 41, True)),
    ("Bożydar", "Grzmotowski", make_pesel(date(1987, 9, 3), 42, False)),
    ("Wiesława", "Pszczółkowska", make_pesel(date(1979, 1, 30), 43, True)),
]


def anonymous(language: str = "en") -> HttpClient:
    http = HttpClient()
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return http


def page_url(office: Office) -> str:
    return reverse("job_clubs:public_activities", args=[office.pk])


def titled(activity: Activity, title: str) -> Activity:
    activity.title = title
    activity.save(update_fields=["title"])
    return activity


def move_sessions(activity: Activity, starts: list[datetime]) -> None:
    """Replace the activity's sessions by four-hour ones starting at ``starts``."""
    activity.sessions.all().delete()
    for start in starts:
        Session.objects.create(
            activity=activity,
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            room="sala 3",
            hours=Decimal("4"),
        )


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=WARSAW)


@pytest.fixture
def people(advisor: User, office: Office) -> list[Client]:
    return [register(advisor, office, first, last, pesel) for first, last, pesel in PEOPLE]


def test_anyone_sees_the_activities_with_free_places_and_no_personal_data(
    advisor: User, office: Office, club: JobClub, people: list[Client]
) -> None:
    office.phone = "22 123 45 67"
    office.save(update_fields=["phone"])
    classes = titled(make_activity(club, capacity=3), "Zajęcia aktywizacyjne dla każdego")
    classes.description = "Jak napisać CV i list motywacyjny."
    classes.save(update_fields=["description"])
    information = titled(
        make_activity(club, kind=ActivityKind.OPEN_INFORMATION, capacity=1),
        "Dostęp do baz ofert pracy",
    )
    for person in people[:2]:
        services.enrol(acting_user=advisor, activity=classes, client=person, on=TODAY)
    for person in people[1:]:  # one place: the second waits
        services.enrol(acting_user=advisor, activity=information, client=person, on=TODAY)

    response = anonymous().get(page_url(office))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Zajęcia aktywizacyjne dla każdego" in body and "Dostęp do baz ofert pracy" in body
    assert "Jak napisać CV i list motywacyjny." in body
    assert "Free places: 1 of 3" in body
    assert "No free places: you can join the waiting list." in body
    assert "People on the waiting list: 1" in body
    assert club.name in body and club.place in body
    assert office.street in body and "22 123 45 67" in body and office.email in body
    assert "ask your customer advisor to enrol you" in body  # classes: registered clients
    assert "Open to anyone interested" in body  # information: this office opens it to all
    assert 'datetime="2026-11-30T09:00:00+01:00"' in body  # the first session, machine-readable
    for first, last, pesel in PEOPLE:
        assert first not in body and last not in body and pesel not in body
    # The leader is staff, not a client, but the page names the club, not the person.
    assert advisor.last_name not in body and advisor.get_full_name() not in body
    # The page renders in Polish (the default) for anyone, too.
    assert anonymous("pl").get(page_url(office)).status_code == 200


def test_information_for_registered_clients_only_when_the_office_restricts_it(
    office: Office, club: JobClub
) -> None:
    make_activity(club, kind=ActivityKind.OPEN_INFORMATION)
    office.job_club_information_open_to_all = False
    office.save(update_fields=["job_club_information_open_to_all"])
    body = anonymous().get(page_url(office)).content.decode()
    assert "Open to anyone interested" not in body
    assert "ask your customer advisor to sign you up" in body


def test_an_office_without_the_public_page_answers_404(office: Office, club: JobClub) -> None:
    make_activity(club)
    office.job_club_public_page = False
    office.save(update_fields=["job_club_public_page"])
    assert anonymous().get(page_url(office)).status_code == 404
    office.job_club_public_page = True
    office.is_active = False
    office.save(update_fields=["job_club_public_page", "is_active"])
    assert anonymous().get(page_url(office)).status_code == 404
    unknown = reverse("job_clubs:public_activities", args=[office.pk + 1000])
    assert anonymous().get(unknown).status_code == 404


def test_only_upcoming_and_running_activities_of_listed_clubs_of_this_office(
    advisor: User,
    office: Office,
    other_office_advisor: User,
    other_office: Office,
    club: JobClub,
) -> None:
    titled(make_activity(club), "Nadchodzące zajęcia")
    running = titled(make_activity(club), "Trwające zajęcia")
    move_sessions(running, [at(TODAY - timedelta(days=1), 9), at(TODAY + timedelta(days=1), 9)])
    # "Today" is 10:00 in the tests: a session that ended at 08:00 today still counts as today's.
    ends_today = titled(make_activity(club), "Zajęcia kończące się dziś")
    move_sessions(ends_today, [at(TODAY - timedelta(days=1), 9), at(TODAY, 4)])
    past = titled(make_activity(club), "Minione zajęcia")
    move_sessions(past, [at(TODAY - timedelta(days=2), 9), at(TODAY - timedelta(days=1), 9)])
    titled(make_activity(club, sessions=0), "Zajęcia bez terminów")
    hidden_club = JobClub.objects.create(
        office=office, name="Klub wewnętrzny", place="sala 1", leader=advisor, public_page=False
    )
    titled(make_activity(hidden_club), "Zajęcia klubu niepublicznego")
    closed_club = JobClub.objects.create(
        office=office, name="Klub zamknięty", place="sala 2", leader=advisor, is_active=False
    )
    titled(make_activity(closed_club), "Zajęcia zamkniętego klubu")
    elsewhere = JobClub.objects.create(
        office=other_office,
        name="Klub Pracy Wołomin",
        place="ul. Ogrodowa 2",
        leader=other_office_advisor,
    )
    titled(make_activity(elsewhere), "Zajęcia w Wołominie")

    body = anonymous().get(page_url(office)).content.decode()

    assert "Nadchodzące zajęcia" in body
    assert "Trwające zajęcia" in body
    assert "Zajęcia kończące się dziś" in body
    for absent in (
        "Minione zajęcia",
        "Zajęcia bez terminów",
        "Zajęcia klubu niepublicznego",
        "Klub wewnętrzny",
        "Zajęcia zamkniętego klubu",
        "Zajęcia w Wołominie",
        "Klub Pracy Wołomin",
    ):
        assert absent not in body, absent
    # In the order they begin: the running one first.
    assert body.index("Trwające zajęcia") < body.index("Nadchodzące zajęcia")
    assert "Zajęcia w Wołominie" in anonymous().get(page_url(other_office)).content.decode()


def test_the_index_lists_offices_with_the_page_switched_on(
    office: Office, other_office: Office, club: JobClub
) -> None:
    make_activity(club)
    other_office.job_club_public_page = False
    other_office.save(update_fields=["job_club_public_page"])

    response = anonymous().get(reverse("job_clubs:public_offices"))

    assert response.status_code == 200
    body = response.content.decode()
    assert office.name in body and page_url(office) in body
    assert "Upcoming activities: 1" in body
    assert other_office.name not in body and page_url(other_office) not in body


def test_the_pages_only_answer_reading(office: Office) -> None:
    assert anonymous().post(page_url(office)).status_code == 405
    assert anonymous().head(page_url(office)).status_code == 200


def test_the_query_budget_does_not_grow_with_activities(
    advisor: User,
    office: Office,
    club: JobClub,
    make_client: Callable[..., Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    def queries() -> int:
        http = anonymous()
        with CaptureQueriesContext(connection) as captured:
            assert http.get(page_url(office)).status_code == 200
        return len(captured)

    first = make_activity(club, capacity=1)
    for _ in range(2):
        services.enrol(acting_user=advisor, activity=first, client=make_client(), on=TODAY)
    with django_assert_max_num_queries(4):
        anonymous().get(page_url(office))
    one = queries()
    for _ in range(4):
        activity = make_activity(club, sessions=8)
        services.enrol(acting_user=advisor, activity=activity, client=make_client(), on=TODAY)
    assert queries() == one
    with django_assert_max_num_queries(2):  # the page count and the page
        anonymous().get(reverse("job_clubs:public_offices"))
