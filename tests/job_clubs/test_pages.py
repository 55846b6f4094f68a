"""The job club's pages: who may open what (office scoping answers 404), enrolling from the
client page and from the activity page, the clash warning, the register saved per click,
the leaders' editing, and a query budget that does not grow with the lists."""

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients import services as client_services
from clients.models import CardEntry, Client, DeregistrationReason, Employer
from ipd.models import PlanAction
from job_clubs import services
from job_clubs.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceMark,
    Enrolment,
    EnrolmentStatus,
    JobClub,
    Session,
)
from labour_office.offices.models import Office, Role, User
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.ipd.conftest import TODAY, prepared_plan
from tests.job_clubs.conftest import WARSAW, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(club: JobClub) -> Activity:
    return make_activity(club, capacity=3, sessions=5, hours="4")


@pytest.fixture
def colleague(office: Office) -> User:
    """An advisor of the same office who leads nothing."""
    return UserFactory(
        username="kolega",
        first_name="Piotr",
        last_name="Zieliński",
        office=office,
        role=Role.ADVISOR,
    )


def enrol(advisor: User, activity: Activity, client: Client) -> Enrolment:
    return services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)


def test_every_page_needs_a_login(client: HttpClient, activity: Activity) -> None:
    for url in (
        reverse("job_clubs:clubs"),
        reverse("job_clubs:club", args=[activity.club_id]),
        reverse("job_clubs:activity", args=[activity.pk]),
        reverse("job_clubs:register", args=[activity.sessions.first().pk]),  # type: ignore[union-attr]
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_another_office_sees_nothing_of_the_club(
    advisor: User,
    other_office_advisor: User,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    enrolment = enrol(advisor, activity, make_client())
    session = activity.sessions.first()
    assert session is not None
    http = signed_in(other_office_advisor)
    for name, args in (
        ("club", [activity.club_id]),
        ("week", [activity.club_id]),
        ("activity", [activity.pk]),
        ("activity_edit", [activity.pk]),
        ("activity_create", [activity.club_id]),
        ("register", [session.pk]),
        ("sign_list", [session.pk]),
        ("cancel", [enrolment.pk]),
        ("drop_out", [enrolment.pk]),
        ("client_activities", [enrolment.client_id]),
    ):
        response = http.get(reverse(f"job_clubs:{name}", args=args))
        assert response.status_code == 404, name
    for name, args in (
        ("enrol", [activity.pk]),
        ("mark", [session.pk, enrolment.pk]),
        ("certificate_issue", [enrolment.pk]),
    ):
        response = http.post(
            reverse(f"job_clubs:{name}", args=args),
            {"client": enrolment.client_id, "mark": "present"},
        )
        assert response.status_code == 404, name
    listing = http.get(reverse("job_clubs:clubs"))
    assert activity.club.name not in listing.content.decode()
    assert not Attendance.objects.exists()


def test_enrol_from_the_client_page(
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    client = make_client()
    page_url = reverse("job_clubs:client_activities", args=[client.pk])
    with django_assert_max_num_queries(18):
        page = advisor_client.get(page_url)
    text = page.content.decode()
    assert activity.title in text
    assert "3 wolne miejsca" in text
    response = advisor_client.post(
        reverse("job_clubs:enrol", args=[activity.pk]), {"client": client.pk, "next": page_url}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url
    enrolment = Enrolment.objects.get(activity=activity, client=client)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    card = advisor_client.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert activity.title in card


def test_the_client_page_says_why_a_person_may_not_join(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    client = make_client()
    client_services.registration_close(
        acting_user=advisor,
        registration=client.registrations.get(),
        deregistered_on=TODAY,
        reason=DeregistrationReason.objects.get(code="own_request"),
    )
    text = advisor_client.get(
        reverse("job_clubs:client_activities", args=[client.pk])
    ).content.decode()
    assert "rejestracja tej osoby została zakończona" in text
    response = advisor_client.post(
        reverse("job_clubs:enrol", args=[activity.pk]), {"client": client.pk}, follow=True
    )
    assert "rejestracja tej osoby została zakończona" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_search_on_the_activity_page_by_pesel_and_by_name_without_accents(
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    client = make_client()
    client.last_name = "Wójcik"
    client.save()
    url = reverse("job_clubs:activity", args=[activity.pk])
    with django_assert_max_num_queries(24):
        by_pesel = advisor_client.get(url, {"q": client.pesel}).content.decode()
    assert str(client) in by_pesel
    assert f'name="client" value="{client.pk}"' in by_pesel
    by_name = advisor_client.get(url, {"q": "wojcik"}).content.decode()
    assert str(client) in by_name


def test_an_employer_found_by_the_search_is_told_why_not(
    advisor: User, advisor_client: HttpClient, activity: Activity, office: Office
) -> None:
    Employer.objects.create(
        office=office, name="Piekarnia Złoty Kłos", nip="5260250274", kind="company", city="X"
    )
    text = advisor_client.get(
        reverse("job_clubs:activity", args=[activity.pk]), {"q": "Złoty Kłos"}
    ).content.decode()
    assert "Piekarnia Złoty Kłos" in text
    assert "Pracodawcy nie można zapisać" in text


def test_a_clash_is_shown_before_saving(
    advisor: User,
    advisor_client: HttpClient,
    club: JobClub,
    make_client: Callable[..., Client],
) -> None:
    first = make_activity(club)
    second = make_activity(club, kind=ActivityKind.JOB_SEARCH_TRAINING)
    second.title = "Rozmowa kwalifikacyjna"
    second.save()
    client = make_client()
    enrol(advisor, first, client)
    url = reverse("job_clubs:enrol", args=[second.pk])
    warning = advisor_client.post(url, {"client": client.pk})
    assert warning.status_code == 200
    assert "W tym samym czasie klient ma inne zajęcia" in warning.content.decode()
    assert first.title in warning.content.decode()
    assert not Enrolment.objects.filter(activity=second).exists()
    confirmed = advisor_client.post(url, {"client": client.pk, "clash_confirmed": "on"})
    assert confirmed.status_code == 302
    assert Enrolment.objects.filter(activity=second, client=client).exists()


def test_a_profile_that_needs_a_justification_asks_for_it_and_keeps_it_in_the_ipd(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    client = make_client("I")
    prepared_plan(advisor, client)
    url = reverse("job_clubs:enrol", args=[activity.pk])
    asked = advisor_client.post(url, {"client": client.pk})
    assert asked.status_code == 400
    assert "w uzasadnionych przypadkach" in asked.content.decode()
    assert not Enrolment.objects.exists()
    done = advisor_client.post(
        url, {"client": client.pk, "justification": "Nie umie napisać CV", "clash_confirmed": "on"}
    )
    assert done.status_code == 302
    action = PlanAction.objects.get(enrolments__client=client)
    assert action.justification == "Nie umie napisać CV"


def test_the_register_saves_each_click_and_completes_at_the_share(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    enrolment = enrol(advisor, activity, make_client())
    sessions = list(activity.sessions.order_by("starts_at"))
    for n, session in enumerate(sessions[:4]):
        response = advisor_client.post(
            reverse("job_clubs:mark", args=[session.pk, enrolment.pk]),
            {"mark": AttendanceMark.PRESENT},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        row = response.content.decode()
        assert row.lstrip().startswith("<tr")
        assert f"{(n + 1) * 4} / 20" in row
    assert 'aria-pressed="true"' in row
    assert "ukończone teraz" in row  # 16 of 20 hours: 80 %
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.hours_attended == Decimal("16")
    wrong = advisor_client.post(
        reverse("job_clubs:mark", args=[sessions[4].pk, enrolment.pk]),
        {"mark": "maybe"},
        headers={"HX-Request": "true"},
    )
    assert wrong.status_code == 400
    assert "Wybierz" in wrong.content.decode()


def test_only_the_leader_or_a_manager_keeps_the_register(
    advisor: User,
    colleague: User,
    manager: User,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    enrolment = enrol(advisor, activity, make_client())
    session = activity.sessions.first()
    assert session is not None
    url = reverse("job_clubs:mark", args=[session.pk, enrolment.pk])
    assert signed_in(colleague).post(url, {"mark": "present"}).status_code == 403
    page = signed_in(colleague).get(reverse("job_clubs:register", args=[session.pk]))
    assert "hx-post" not in page.content.decode()
    assert signed_in(manager).post(url, {"mark": "present"}).status_code == 302
    assert Attendance.objects.get().recorded_by == manager


def test_register_and_activity_page_budgets_do_not_grow_with_participants(
    advisor: User,
    advisor_client: HttpClient,
    club: JobClub,
    make_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    small, large = make_activity(club, capacity=20), make_activity(club, capacity=20)
    enrol(advisor, small, make_client())
    for _n in range(12):
        enrol(advisor, large, make_client())
    for activity in (small, large):
        session = activity.sessions.first()
        assert session is not None
        for enrolment in activity.enrolments.all():
            services.mark_attendance(
                acting_user=advisor, session=session, enrolment=enrolment, mark="present", on=TODAY
            )
        with django_assert_max_num_queries(17):
            assert (
                advisor_client.get(reverse("job_clubs:register", args=[session.pk])).status_code
                == 200
            )
        with django_assert_max_num_queries(18):
            assert advisor_client.get(activity.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(14):
        assert advisor_client.get(reverse("job_clubs:club", args=[club.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert advisor_client.get(reverse("job_clubs:week", args=[club.pk])).status_code == 200
    with django_assert_max_num_queries(13):
        assert advisor_client.get(reverse("job_clubs:clubs")).status_code == 200


def test_the_week_shows_the_sessions_of_that_week(
    advisor_client: HttpClient, activity: Activity
) -> None:
    first = activity.sessions.order_by("starts_at").first()
    assert first is not None
    week = first.starts_at.astimezone(WARSAW).date()
    text = advisor_client.get(
        reverse("job_clubs:week", args=[activity.club_id]), {"week": week.isoformat()}
    ).content.decode()
    assert text.count(reverse("job_clubs:activity", args=[activity.pk])) >= 3
    this_week = advisor_client.get(
        reverse("job_clubs:week", args=[activity.club_id]), {"week": "nonsense"}
    )
    assert this_week.status_code == 200


def test_a_leader_plans_an_activity_with_sessions_on_working_days(
    advisor_client: HttpClient, club: JobClub, advisor: User
) -> None:
    response = advisor_client.post(
        reverse("job_clubs:activity_create", args=[club.pk]),
        {
            "kind": ActivityKind.ACTIVATION_CLASSES,
            "title": "Cykl 4-tygodniowy",
            "leader": advisor.pk,
            "capacity": 12,
            "enrolment_opens_on": "2026-11-23",
            "enrolment_closes_on": "2026-12-18",
            "schedule-first_day": "2026-12-21",
            "schedule-count": 5,
            "schedule-per_day": 1,
            "schedule-starts": "09:00",
            "schedule-length": "4",
            "schedule-room": "sala 12",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Cykl 4-tygodniowy")
    days = [s.starts_at.astimezone(WARSAW).date().isoformat() for s in activity.sessions.all()]
    # 24-26 Dec are not working days (24 Dec from 2025).
    assert days == ["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-28", "2026-12-29"]
    assert all(s.hours == Decimal("4") for s in activity.sessions.all())


def test_a_colleague_cannot_plan_or_edit_activities(colleague: User, activity: Activity) -> None:
    http = signed_in(colleague)
    assert (
        http.get(reverse("job_clubs:activity_create", args=[activity.club_id])).status_code == 403
    )
    assert http.get(reverse("job_clubs:activity_edit", args=[activity.pk])).status_code == 403


def edit_data(activity: Activity, **changes: object) -> dict[str, object]:
    sessions = list(activity.sessions.order_by("starts_at"))
    data: dict[str, object] = {
        "kind": activity.kind,
        "title": activity.title,
        "leader": activity.leader_id,
        "capacity": activity.capacity,
        "enrolment_opens_on": activity.enrolment_opens_on.isoformat(),
        "enrolment_closes_on": activity.enrolment_closes_on.isoformat(),
        "sessions-TOTAL_FORMS": len(sessions) + 1,
        "sessions-INITIAL_FORMS": len(sessions),
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 60,
    }
    for n, session in enumerate(sessions):
        start = session.starts_at.astimezone(WARSAW)
        data.update(
            {
                f"sessions-{n}-id": session.pk,
                f"sessions-{n}-activity": activity.pk,
                f"sessions-{n}-day": start.date().isoformat(),
                f"sessions-{n}-starts": start.strftime("%H:%M"),
                f"sessions-{n}-ends": session.ends_at.astimezone(WARSAW).strftime("%H:%M"),
                f"sessions-{n}-room": session.room,
                f"sessions-{n}-hours": str(session.hours),
            }
        )
    data.update(changes)
    return data


def test_capacity_never_below_the_places_taken_and_more_places_go_to_the_waiting_list(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    people = [enrol(advisor, activity, make_client()) for _ in range(5)]
    assert [e.status for e in people].count(EnrolmentStatus.WAITLISTED) == 2
    url = reverse("job_clubs:activity_edit", args=[activity.pk])
    refused = advisor_client.post(url, edit_data(activity, capacity=2))
    assert refused.status_code == 200
    assert "3 osoby mają już miejsca" in refused.content.decode()
    activity.refresh_from_db()
    assert activity.capacity == 3
    raised = advisor_client.post(url, edit_data(activity, capacity=4))
    assert raised.status_code == 302
    statuses = {e.pk: e.status for e in Enrolment.objects.all()}
    assert statuses[people[3].pk] == EnrolmentStatus.ENROLLED
    assert statuses[people[4].pk] == EnrolmentStatus.WAITLISTED


def test_a_session_with_attendance_cannot_be_removed(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    enrolment = enrol(advisor, activity, make_client())
    session = activity.sessions.order_by("starts_at").first()
    assert session is not None
    services.mark_attendance(
        acting_user=advisor, session=session, enrolment=enrolment, mark="present", on=TODAY
    )
    url = reverse("job_clubs:activity_edit", args=[activity.pk])
    response = advisor_client.post(url, edit_data(activity, **{"sessions-0-DELETE": "on"}))
    assert response.status_code == 200
    assert "obecność" in response.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()


def test_a_session_added_on_the_edit_page(advisor_client: HttpClient, activity: Activity) -> None:
    url = reverse("job_clubs:activity_edit", args=[activity.pk])
    data = edit_data(
        activity,
        **{
            "sessions-5-day": "2027-01-04",
            "sessions-5-starts": "10:00",
            "sessions-5-ends": "12:30",
        },
    )
    assert advisor_client.post(url, data).status_code == 302
    added = activity.sessions.order_by("starts_at").last()
    assert added is not None
    assert added.starts_at == datetime(2027, 1, 4, 10, tzinfo=WARSAW)
    assert added.hours == Decimal("2.5")
    backwards = edit_data(
        activity,
        **{
            "sessions-6-day": "2027-01-05",
            "sessions-6-starts": "12:00",
            "sessions-6-ends": "10:00",
        },
    )
    backwards["sessions-TOTAL_FORMS"] = 7
    backwards["sessions-INITIAL_FORMS"] = 6
    rejected = advisor_client.post(url, backwards)
    assert rejected.status_code == 200
    assert "Zajęcia kończą się po rozpoczęciu" in rejected.content.decode()


def test_cancel_and_drop_out_pages_need_a_reason_and_promote_the_waiting(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    people = [enrol(advisor, activity, make_client()) for _ in range(4)]
    url = reverse("job_clubs:drop_out", args=[people[0].pk])
    missing = advisor_client.post(url, {"reason": " "})
    assert missing.status_code == 400
    done = advisor_client.post(url, {"reason": "Przestał przychodzić", "good_reason": "no"})
    assert done.status_code == 302
    people[0].refresh_from_db()
    assert people[0].status == EnrolmentStatus.DROPPED_OUT
    assert people[0].good_reason is False
    assert CardEntry.objects.filter(
        client=people[0].client, text__contains="bez uzasadnionej przyczyny"
    ).exists()
    people[3].refresh_from_db()
    assert people[3].status == EnrolmentStatus.ENROLLED
    cancel = advisor_client.post(
        reverse("job_clubs:cancel", args=[people[1].pk]), {"reason": "Podjął pracę"}
    )
    assert cancel.status_code == 302
    people[1].refresh_from_db()
    assert people[1].status == EnrolmentStatus.CANCELLED


def test_certificate_is_issued_once_and_printed(
    advisor: User,
    advisor_client: HttpClient,
    activity: Activity,
    make_client: Callable[..., Client],
) -> None:
    enrolment = enrol(advisor, activity, make_client())
    pdf = reverse("job_clubs:certificate", args=[enrolment.pk])
    assert advisor_client.get(pdf).status_code == 404
    refused = advisor_client.post(
        reverse("job_clubs:certificate_issue", args=[enrolment.pk]), follow=True
    )
    assert "tylko za ukończone" in refused.content.decode()
    for session in activity.sessions.all():
        services.mark_attendance(
            acting_user=advisor, session=session, enrolment=enrolment, mark="present", on=TODAY
        )
    issued = advisor_client.post(reverse("job_clubs:certificate_issue", args=[enrolment.pk]))
    assert issued["Location"] == pdf
    response = advisor_client.get(pdf)
    assert response["Content-Type"] == "application/pdf"
    enrolment.refresh_from_db()
    assert enrolment.certificate_number == f"KP/{activity.club_id}/{TODAY.year}/1"
    advisor_client.post(reverse("job_clubs:certificate_issue", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.certificate_number == f"KP/{activity.club_id}/{TODAY.year}/1"


def test_managers_open_clubs_and_set_the_office_switches(
    manager_client: HttpClient, advisor: User, office: Office
) -> None:
    response = manager_client.post(
        reverse("job_clubs:club_create"),
        {
            "name": "Klub Pracy Filia Góra Kalwaria",
            "place": "ul. Pijarska 21",
            "leader": advisor.pk,
            "completion_percent": 75,
            "public_page": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    club = JobClub.objects.get(name="Klub Pracy Filia Góra Kalwaria")
    assert club.office == office
    assert club.completion_share == Decimal("0.75")
    manager_client.post(reverse("job_clubs:office_settings"), {"job_club_public_page": ""})
    office.refresh_from_db()
    assert office.job_club_public_page is False
    assert office.job_club_information_open_to_all is False


def test_advisors_cannot_open_clubs(advisor_client: HttpClient) -> None:
    assert advisor_client.get(reverse("job_clubs:club_create")).status_code == 403
    assert advisor_client.get(reverse("job_clubs:office_settings")).status_code == 403


def test_session_times_are_local(activity: Activity) -> None:
    first = activity.sessions.order_by("starts_at").first()
    assert first is not None
    assert first.starts_at.astimezone(WARSAW).hour == 9
    assert first.starts_at.astimezone(WARSAW).date() == TODAY + timedelta(days=7)
