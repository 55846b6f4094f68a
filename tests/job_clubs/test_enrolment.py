"""Enrolment: eligibility, capacity and the waiting list, attendance and completion, and the
link to the client's IPD (domain/job_clubs.md)."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from clients import services as client_services
from clients.models import Client, DeregistrationReason
from ipd.models import ActionStatus, DueKind, Reminder
from job_clubs import services
from job_clubs.models import ActivityKind, EnrolmentStatus, JobClub
from labour_office.offices.models import User
from tests.ipd.conftest import TODAY, prepared_plan
from tests.job_clubs.conftest import make_activity

pytestmark = pytest.mark.django_db


def test_a_deregistered_person_is_refused_with_the_reason(
    advisor: User, club: JobClub, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    registration = client.registrations.get()
    client_services.registration_close(
        acting_user=advisor,
        registration=registration,
        deregistered_on=TODAY,
        reason=DeregistrationReason.objects.get(code="own_request"),
    )
    activity = make_activity(club)
    with pytest.raises(ValidationError, match=r"rejestracj|registration"):
        services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)
    assert not activity.enrolments.exists()


def test_open_information_is_open_to_anyone_unless_the_office_restricts_it(
    advisor: User, club: JobClub, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    client_services.registration_close(
        acting_user=advisor,
        registration=client.registrations.get(),
        deregistered_on=TODAY,
        reason=DeregistrationReason.objects.get(code="own_request"),
    )
    activity = make_activity(club, kind=ActivityKind.OPEN_INFORMATION)
    services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)
    club.office.job_club_information_open_to_all = False
    club.office.save()
    other = make_activity(club, kind=ActivityKind.OPEN_INFORMATION)
    with pytest.raises(ValidationError):
        services.enrol(acting_user=advisor, activity=other, client=client, on=TODAY)


def test_beyond_capacity_the_waiting_list_and_a_cancellation_promotes_the_first(
    advisor: User, club: JobClub, make_client: Callable[..., Client]
) -> None:
    activity = make_activity(club, capacity=2)
    clients = [make_client() for _ in range(4)]
    enrolments = [
        services.enrol(acting_user=advisor, activity=activity, client=c, on=TODAY) for c in clients
    ]
    assert [e.status for e in enrolments] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    with pytest.raises(ValidationError):
        services.enrol(acting_user=advisor, activity=activity, client=clients[0], on=TODAY)
    promoted = services.cancel(
        acting_user=advisor, enrolment=enrolments[0], reason="Podjęła pracę", on=TODAY
    )
    assert promoted is not None and promoted.client == clients[2]
    assert promoted.status == EnrolmentStatus.ENROLLED
    # Her advisor is told through the inbox.
    reminder = Reminder.objects.get(client=clients[2], kind=DueKind.JOB_CLUB)
    assert reminder.advisor == advisor and reminder.done_at is None


def test_the_enrolment_becomes_an_ipd_action_and_follows_attendance_to_completion(
    advisor: User, club: JobClub, make_client: Callable[..., Client]
) -> None:
    client = make_client("II")
    plan = prepared_plan(advisor, client)
    activity = make_activity(club, sessions=5, hours="4")
    enrolment = services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)
    action = enrolment.plan_action
    assert action is not None and action.plan == plan
    assert action.form is not None and action.form.code == "vocational_counselling"
    sessions = list(activity.sessions.all())
    services.mark_attendance(
        acting_user=advisor, session=sessions[0], enrolment=enrolment, mark="present", on=TODAY
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    for session, mark in zip(sessions[1:], ["present", "present", "absent"], strict=False):
        enrolment = services.mark_attendance(
            acting_user=advisor, session=session, enrolment=enrolment, mark=mark, on=TODAY
        )
    # 12 of 20 hours (60 %) is not yet the 80 % share.
    assert enrolment.status == EnrolmentStatus.ENROLLED
    enrolment = services.mark_attendance(
        acting_user=advisor, session=sessions[4], enrolment=enrolment, mark="present", on=TODAY
    )
    # 16 of 20 hours is the club's 80 %: completed, and the IPD action is done.
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_on == TODAY
    assert enrolment.hours_attended == 16
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert client.entries.filter(text__contains="16").exists()


def test_counselling_for_profile_i_needs_a_justification(
    advisor: User, club: JobClub, make_client: Callable[..., Client]
) -> None:
    client = make_client("I")
    prepared_plan(advisor, client)
    activity = make_activity(club)
    with pytest.raises(ValidationError):
        services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)
    enrolment = services.enrol(
        acting_user=advisor,
        activity=activity,
        client=client,
        on=TODAY,
        justification="Brak umiejętności autoprezentacji",
    )
    assert enrolment.plan_action is not None
    assert enrolment.plan_action.justification == "Brak umiejętności autoprezentacji"


def test_enrolment_window_is_kept(
    advisor: User, club: JobClub, make_client: Callable[..., Client]
) -> None:
    activity = make_activity(club)
    with pytest.raises(ValidationError):
        services.enrol(
            acting_user=advisor, activity=activity, client=make_client(), on=date(2027, 1, 1)
        )
