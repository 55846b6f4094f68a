"""Edge cases found in review: bad dates and clock changes, a register row that left, the
waiting list after a deregistration, cancelling after attendance, rejoining, recounting hours."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import Client
from job_clubs import services
from job_clubs.models import (
    Activity,
    Enrolment,
    EnrolmentStatus,
    JobClub,
)
from labour_office.offices.models import Office, Role, User
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.ipd.conftest import TODAY
from tests.job_clubs.conftest import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(club: JobClub) -> Activity:
    return make_activity(club, capacity=1, sessions=5, hours="4")


def enrol(advisor: User, activity: Activity, client: Client) -> Enrolment:
    return services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)


# --- 500s on bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("week", ["0001-01-01", "0001-01-03", "9999-12-31", "9999-12-27"])
def test_week_at_the_edges_of_the_calendar_is_not_a_500(
    advisor_client: HttpClient, activity: Activity, week: str
) -> None:
    response = advisor_client.get(
        reverse("job_clubs:week", args=[activity.club_id]), {"week": week}
    )
    assert response.status_code in (200, 400)


def test_week_garbage_is_ignored(advisor_client: HttpClient, activity: Activity) -> None:
    for week in ("abc", "2026-13-45", "\x00", "1" * 500):
        response = advisor_client.get(
            reverse("job_clubs:week", args=[activity.club_id]), {"week": week}
        )
        assert response.status_code in (200, 400)


def _plan(
    http: HttpClient,
    club: JobClub,
    advisor: User,
    *,
    first_day: str,
    count: int = 1,
    starts: str = "09:00",
) -> Any:
    """Plan an activity whose sessions start on ``first_day``."""
    data = {
        "kind": "activation_classes",
        "title": "X",
        "leader": advisor.pk,
        "capacity": 12,
        "enrolment_opens_on": TODAY.isoformat(),
        "enrolment_closes_on": TODAY.isoformat(),
        "schedule-first_day": first_day,
        "schedule-count": count,
        "schedule-per_day": 1,
        "schedule-starts": starts,
        "schedule-length": "4",
    }
    return http.post(reverse("job_clubs:activity_create", args=[club.pk]), data)


def test_schedule_at_the_end_of_the_calendar_is_not_a_500(
    advisor_client: HttpClient, club: JobClub, advisor: User
) -> None:
    response = _plan(advisor_client, club, advisor, first_day="9999-12-30", count=20)
    assert response.status_code in (200, 400)


def test_a_session_in_year_one_is_refused_not_a_500(
    advisor_client: HttpClient, club: JobClub, advisor: User
) -> None:
    response = _plan(advisor_client, club, advisor, first_day="0001-01-01", starts="00:00")
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        # whatever was saved must be readable again
        assert advisor_client.get(response["Location"]).status_code == 200
        assert advisor_client.get(reverse("job_clubs:club", args=[club.pk])).status_code == 200


def test_marking_a_waitlisted_enrolment_with_htmx_is_not_a_500(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    enrol(advisor, activity, make_client())
    waiting = enrol(advisor, activity, make_client())
    assert waiting.status == EnrolmentStatus.WAITLISTED
    session = activity.sessions.first()
    assert session is not None
    response = advisor_client.post(
        reverse("job_clubs:mark", args=[session.pk, waiting.pk]),
        {"mark": "present"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code in (400, 404)


def test_marking_a_cancelled_enrolment_with_htmx_is_not_a_500(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    enrolment = enrol(advisor, activity, make_client())
    services.cancel(acting_user=advisor, enrolment=enrolment, reason="x", on=TODAY)
    session = activity.sessions.first()
    assert session is not None
    response = advisor_client.post(
        reverse("job_clubs:mark", args=[session.pk, enrolment.pk]),
        {"mark": "present"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code in (400, 404)


def test_enrol_with_garbage_client_ids(
    advisor_client: HttpClient, activity: Activity, other_office: Office
) -> None:
    url = reverse("job_clubs:enrol", args=[activity.pk])
    for value in ("abc", "", "10000000000000000000000", "-1", "1.5", "\x00"):
        response = advisor_client.post(url, {"client": value})
        assert response.status_code in (302, 400, 404), value


def test_enrol_a_client_of_another_office_is_404(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    other_office_advisor: User,
    other_office: Office,
) -> None:
    from tests.ipd.conftest import unemployed

    stranger = unemployed(other_office_advisor, other_office, None, serial=900)
    response = advisor_client.post(
        reverse("job_clubs:enrol", args=[activity.pk]), {"client": stranger.pk}
    )
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_enrol_twice_and_into_a_closed_window_give_messages(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    person = make_client()
    url = reverse("job_clubs:enrol", args=[activity.pk])
    assert advisor_client.post(url, {"client": person.pk}).status_code == 302
    again = advisor_client.post(url, {"client": person.pk}, follow=True)
    assert again.status_code == 200
    assert Enrolment.objects.count() == 1
    Activity.objects.filter(pk=activity.pk).update(
        enrolment_opens_on=TODAY - timedelta(days=9), enrolment_closes_on=TODAY - timedelta(days=1)
    )
    late = advisor_client.post(url, {"client": make_client().pk}, follow=True)
    assert late.status_code == 200
    assert Enrolment.objects.count() == 1


def test_search_with_nul_bytes(advisor_client: HttpClient, activity: Activity) -> None:
    for q in ("\x00", "Kowal\x00ski", "85\x0001", "%", "_", "'"):
        response = advisor_client.get(reverse("job_clubs:activity", args=[activity.pk]), {"q": q})
        assert response.status_code == 200, q


GARBAGE_FORMSETS = [
    {},
    {"sessions-TOTAL_FORMS": "abc", "sessions-INITIAL_FORMS": "x"},
    {"sessions-TOTAL_FORMS": "100000", "sessions-INITIAL_FORMS": "0"},
    {"sessions-TOTAL_FORMS": "1", "sessions-INITIAL_FORMS": "1", "sessions-0-id": "abc"},
    {
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-day": "2027-01-04",
        "sessions-0-starts": "10:00",
        "sessions-0-ends": "12:00",
        "sessions-0-hours": "99999999",
    },
    {
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-day": "0001-01-01",
        "sessions-0-starts": "00:00",
        "sessions-0-ends": "01:00",
    },
    {
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-day": "9999-12-31",
        "sessions-0-starts": "23:00",
        "sessions-0-ends": "23:30",
    },
    {"capacity": "99999999999"},
    {"capacity": "0"},
    {"enrolment_opens_on": "0001-01-01", "enrolment_closes_on": "9999-12-31"},
]


@pytest.mark.parametrize("extra", GARBAGE_FORMSETS, ids=range(len(GARBAGE_FORMSETS)))
def test_garbage_session_formset_is_not_a_500(
    advisor_client: HttpClient, activity: Activity, extra: dict[str, str]
) -> None:
    url = reverse("job_clubs:activity_edit", args=[activity.pk])
    base = {
        "kind": activity.kind,
        "title": activity.title,
        "leader": activity.leader_id,
        "capacity": activity.capacity,
        "enrolment_opens_on": activity.enrolment_opens_on.isoformat(),
        "enrolment_closes_on": activity.enrolment_closes_on.isoformat(),
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
    }
    response = advisor_client.post(url, {**base, **extra})
    assert response.status_code in (200, 302, 400), extra
    assert advisor_client.get(activity.get_absolute_url()).status_code == 200, extra
    assert advisor_client.get(reverse("job_clubs:club", args=[activity.club_id])).status_code == 200


# --- correctness ---------------------------------------------------------------------------


def test_a_client_whose_enrolment_was_cancelled_is_offered_the_activity_again(
    advisor: User,
    advisor_client: HttpClient,
    club: JobClub,
    make_client: Callable[..., Client],
) -> None:
    """joinable() excludes across a multi-valued relation: exclude(a, b) on enrolments does
    not require a and b of the same enrolment, so the client's own cancelled enrolment plus
    anyone else's live one hides the activity from the client page."""
    activity = make_activity(club, capacity=5)
    person, other = make_client(), make_client()
    mine = enrol(advisor, activity, person)
    enrol(advisor, activity, other)
    services.cancel(acting_user=advisor, enrolment=mine, reason="zmiana planów", on=TODAY)
    from job_clubs.selectors import joinable

    assert [c.activity.pk for c in joinable(person, TODAY)] == [activity.pk]
    # and the service agrees she may enrol again
    again = enrol(advisor, activity, person)
    assert again.status == EnrolmentStatus.ENROLLED


def test_editing_the_hours_of_a_marked_session_recounts_hours_attended(
    advisor: User,
    advisor_client: HttpClient,
    club: JobClub,
    make_client: Callable[..., Client],
) -> None:
    from tests.job_clubs.test_pages import edit_data

    activity = make_activity(club, capacity=3, sessions=5, hours="4")
    enrolment = enrol(advisor, activity, make_client())
    session = activity.sessions.order_by("starts_at").first()
    assert session is not None
    services.mark_attendance(
        acting_user=advisor, session=session, enrolment=enrolment, mark="present", on=TODAY
    )
    response = advisor_client.post(
        reverse("job_clubs:activity_edit", args=[activity.pk]),
        edit_data(activity, **{"sessions-0-hours": "2"}),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.hours == Decimal("2")
    enrolment.refresh_from_db()
    assert enrolment.hours_attended == Decimal("2")


def test_a_year_one_session_does_not_break_the_public_page(
    advisor_client: HttpClient, activity: Activity, office: Office
) -> None:
    """The session is stored (as 1 BC in UTC) and then every page that reads it fails."""
    url = reverse("job_clubs:activity_edit", args=[activity.pk])
    from tests.job_clubs.test_pages import edit_data

    data = edit_data(
        activity,
        **{
            "sessions-5-day": "0001-01-01",
            "sessions-5-starts": "00:00",
            "sessions-5-ends": "01:00",
        },
    )
    advisor_client.post(url, data)
    anonymous = HttpClient()
    response = anonymous.get(reverse("job_clubs:public_activities", args=[office.pk]))
    assert response.status_code == 200


# --- permissions and the flow ----------------------------------------------------------------


def test_a_participant_who_attended_cannot_be_cancelled_by_any_advisor(
    advisor: User,
    office: Office,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    """Once sessions were attended, leaving is a drop-out (leader/manager, with the good-reason
    question and the interrupted_form note), not a cancellation by any advisor of the office."""
    colleague = UserFactory(username="kolega3", office=office, role=Role.ADVISOR)
    enrolment = enrol(advisor, activity, make_client())
    session = activity.sessions.order_by("starts_at").first()
    assert session is not None
    services.mark_attendance(
        acting_user=advisor, session=session, enrolment=enrolment, mark="present", on=TODAY
    )
    response = signed_in(colleague).post(
        reverse("job_clubs:cancel", args=[enrolment.pk]), {"reason": "nie chce"}
    )
    enrolment.refresh_from_db()
    assert enrolment.status != EnrolmentStatus.CANCELLED, response.status_code


# --- query budgets ---------------------------------------------------------------------------


def _count_queries(http: HttpClient, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_client_page_budget_does_not_grow_with_activities_and_enrolments(
    advisor: User,
    advisor_client: HttpClient,
    club: JobClub,
    make_client: Callable[..., Client],
) -> None:
    person = make_client()
    url = reverse("job_clubs:client_activities", args=[person.pk])
    make_activity(club)
    enrol(advisor, make_activity(club), person)
    small = _count_queries(advisor_client, url)
    for _n in range(6):
        make_activity(club)
        enrol(advisor, make_activity(club), person)
    large = _count_queries(advisor_client, url)
    assert large == small


def test_club_page_week_and_list_budgets_do_not_grow(
    advisor: User,
    advisor_client: HttpClient,
    club: JobClub,
    make_client: Callable[..., Client],
) -> None:
    make_activity(club)
    urls = [
        reverse("job_clubs:club", args=[club.pk]),
        reverse("job_clubs:week", args=[club.pk])
        + "?week="
        + (TODAY + timedelta(days=7)).isoformat(),
        reverse("job_clubs:clubs"),
    ]
    small = [_count_queries(advisor_client, u) for u in urls]
    for _n in range(6):
        a = make_activity(club)
        enrol(advisor, a, make_client())
    JobClub.objects.create(office=club.office, name="B", place="p", leader=advisor)
    large = [_count_queries(advisor_client, u) for u in urls]
    assert large == small


def test_activity_search_budget_does_not_grow(
    advisor: User,
    advisor_client: HttpClient,
    club: JobClub,
    make_client: Callable[..., Client],
) -> None:
    activity = make_activity(club, capacity=2)
    people = [make_client() for _ in range(8)]
    for p in people[:1]:
        enrol(advisor, make_activity(club), p)
    url = activity.get_absolute_url() + "?q=" + people[0].last_name
    small = _count_queries(advisor_client, url)
    for p in people:
        enrol(advisor, activity, p)
        enrol(advisor, make_activity(club), p)
    large = _count_queries(advisor_client, url)
    assert large == small


def test_a_deregistered_client_on_the_waiting_list_is_not_promoted(
    advisor: User,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    """Classes and training need an open registration; promotion from the waiting list is an
    enrolment and skips that check (and nothing cancels the waiting place on deregistration)."""
    from clients import services as client_services
    from clients.models import DeregistrationReason

    holder = enrol(advisor, activity, make_client())
    gone_client = make_client()
    gone = enrol(advisor, activity, gone_client)
    eligible = enrol(advisor, activity, make_client())
    assert gone.status == eligible.status == EnrolmentStatus.WAITLISTED
    client_services.registration_close(
        acting_user=advisor,
        registration=gone_client.registrations.get(),
        deregistered_on=TODAY,
        reason=DeregistrationReason.objects.get(code="employment"),
    )
    promoted = services.cancel(acting_user=advisor, enrolment=holder, reason="x", on=TODAY)
    assert promoted is not None
    assert promoted.pk == eligible.pk


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "\\\\evil.example"]
)
def test_next_cannot_leave_the_site(
    advisor_client: HttpClient, activity: Activity, target: str
) -> None:
    response = advisor_client.post(
        reverse("job_clubs:enrol", args=[activity.pk]), {"client": "x", "next": target}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]


@pytest.mark.parametrize("starts,ends", [("02:00", "03:00"), ("02:30", "03:00")])
def test_a_session_across_the_spring_forward_gap_is_not_a_500(
    advisor_client: HttpClient, activity: Activity, starts: str, ends: str
) -> None:
    """2027-03-28 02:00-03:00 does not exist in Warsaw: both ends fall on the same UTC instant
    (or the end before the start), the check constraint session_ends_after_start fires."""
    from tests.job_clubs.test_pages import edit_data

    data = edit_data(
        activity,
        **{"sessions-5-day": "2027-03-28", "sessions-5-starts": starts, "sessions-5-ends": ends},
    )
    response = advisor_client.post(reverse("job_clubs:activity_edit", args=[activity.pk]), data)
    assert response.status_code in (200, 302, 400)
