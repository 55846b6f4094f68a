"""seed_demo's job clubs (job_clubs/demo.py): an activity in every phase, the ends of an
enrolment, a full activity with a waiting list, written through the services, idempotent."""

from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from clients.models import CardEntry
from ipd.models import ActionStatus, PlanAction
from job_clubs import services
from job_clubs.demo import count_clubs
from job_clubs.models import (
    HOLDS_A_PLACE,
    Activity,
    ActivityKind,
    Attendance,
    AttendanceMark,
    Enrolment,
    EnrolmentStatus,
    JobClub,
    Session,
)
from labour_office.calendar import is_working_day
from labour_office.offices.models import Office, Post
from tests.ipd.conftest import TODAY, travel

pytestmark = pytest.mark.django_db

ARGS = ("--clients", "24", "--offices", "1")


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", *ARGS, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Seeded once for the module on TODAY, rolled back after it; each test runs in a
    savepoint."""
    with travel(TODAY), django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def activities() -> Any:
    return Activity.objects.annotate(
        first=Min("sessions__starts_at"),
        last=Max("sessions__ends_at"),
        held=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_A_PLACE), distinct=True),
        waiting=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED), distinct=True
        ),
    )


def finished() -> Activity:
    return activities().get(last__date__lt=TODAY)


def test_a_club_per_office_and_activities_in_every_phase(seeded: str) -> None:
    office = Office.objects.get()
    club = JobClub.objects.get(office=office)
    assert club.name == f"Klub Pracy PUP {office.city}"
    assert office.street in club.place and "sala" in club.place
    assert club.leader.office == office and club.leader.post == Post.CAREER_COUNSELLOR
    counts = count_clubs([office], TODAY)
    assert counts["finished"] >= 1 and counts["running"] >= 1 and counts["upcoming"] >= 3
    assert counts["full"] == 1
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert kinds == set(ActivityKind.values)
    assert "Job clubs: 1 (1 new)" in seeded and "Skipped" not in seeded
    running = activities().get(first__date__lt=TODAY, last__date__gt=TODAY)
    assert running.kind == ActivityKind.JOB_SEARCH_TRAINING
    # An upcoming activity with free places, and the open information with a few people.
    upcoming = activities().filter(first__date__gt=TODAY)
    assert any(a.held < a.capacity and a.held >= 1 for a in upcoming)
    information = upcoming.get(kind=ActivityKind.OPEN_INFORMATION)
    assert information.held >= 2 and information.sessions.count() >= 3


def test_sessions_on_working_days_with_rooms_and_hours(seeded: str) -> None:
    for session in Session.objects.all():
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        assert is_working_day(start.date()) and start.date() == end.date()
        assert start.hour >= 8 and end.hour <= 16
        assert session.room
        assert session.hours == Decimal((end - start).seconds) / 3600
    for activity in Activity.objects.all():
        assert activity.enrolment_opens_on <= activity.enrolment_closes_on
        first = activity.sessions.order_by("starts_at").first()
        assert first is not None
        assert activity.enrolment_opens_on < timezone.localdate(first.starts_at)


def test_the_finished_classes_show_every_end_of_an_enrolment(seeded: str) -> None:
    activity = finished()
    assert activity.kind == ActivityKind.ACTIVATION_CLASSES
    assert activity.last is not None and (TODAY - timezone.localdate(activity.last)).days >= 35
    enrolments = activity.enrolments.all()
    statuses = [e.status for e in enrolments]
    assert statuses.count(EnrolmentStatus.COMPLETED) >= 3
    assert statuses.count(EnrolmentStatus.ENROLLED) == 0
    assert statuses.count(EnrolmentStatus.WAITLISTED) == 0
    dropped = enrolments.filter(status=EnrolmentStatus.DROPPED_OUT)
    assert sorted(e.good_reason for e in dropped) == [False, True]
    cancelled = enrolments.get(status=EnrolmentStatus.CANCELLED)
    assert activity.first is not None and cancelled.ended_on is not None
    assert cancelled.ended_on < timezone.localdate(activity.first) and cancelled.reason
    assert not cancelled.attendance.exists()
    # Attendance for every session and everyone still taking part.
    for session in activity.sessions.all():
        marked = session.attendance.count()
        assert marked >= statuses.count(EnrolmentStatus.COMPLETED)
    completed = enrolments.filter(status=EnrolmentStatus.COMPLETED)
    assert all(e.attendance.count() == activity.sessions.count() for e in completed)
    issued = completed.exclude(certificate_number="")
    assert 1 <= issued.count() <= completed.count()
    assert all(e.certificate_issued_on and e.certificate_issued_on < TODAY for e in issued)
    for e in dropped:
        assert e.reason and e.ended_on is not None
        assert not e.attendance.filter(session__starts_at__date__gt=e.ended_on).exists()


def test_completed_enrolments_attended_the_share_of_hours(seeded: str) -> None:
    completed = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED).select_related(
        "activity__club"
    )
    assert completed.exists()
    for enrolment in completed:
        scheduled = enrolment.activity.sessions.aggregate(h=Sum("hours"))["h"]
        present = enrolment.attendance.filter(mark=AttendanceMark.PRESENT).aggregate(
            h=Sum("session__hours")
        )["h"]
        assert enrolment.hours_attended == present
        assert enrolment.hours_attended >= scheduled * enrolment.activity.club.completion_share
        assert enrolment.completed_on is not None and enrolment.completed_on < TODAY


def test_the_running_training_has_attendance_for_past_sessions_only(seeded: str) -> None:
    running = activities().get(first__date__lt=TODAY, last__date__gt=TODAY)
    marked = Attendance.objects.filter(session__activity=running)
    assert marked.exists()
    assert not marked.filter(session__starts_at__date__gte=TODAY).exists()
    assert running.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() >= 3
    for session in running.sessions.filter(starts_at__date__lt=TODAY):
        assert session.attendance.count() == running.held


def test_the_full_activity_has_every_place_taken_and_a_waiting_list(seeded: str) -> None:
    full = activities().get(waiting__gt=0)
    assert full.held == full.capacity == 8 and full.waiting == 3
    assert full.enrolment_opens_on <= TODAY <= full.enrolment_closes_on
    assert full.first is not None and timezone.localdate(full.first) > TODAY
    # The waiting list enrolled after the places were gone, in its order.
    places = full.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    waiting = full.enrolments.filter(status=EnrolmentStatus.WAITLISTED)
    assert max(e.enrolled_at for e in places) < min(e.enrolled_at for e in waiting)


def test_no_activity_is_over_capacity(seeded: str) -> None:
    for activity in activities():
        assert activity.held <= activity.capacity, activity


def test_every_participant_was_eligible_when_enrolled(seeded: str) -> None:
    enrolments = Enrolment.objects.select_related("activity__club__office", "client")
    assert enrolments.count() >= 25
    for enrolment in enrolments:
        activity, client = enrolment.activity, enrolment.client
        services.check_eligible(activity, client)
        day = timezone.localdate(enrolment.enrolled_at)
        assert activity.enrolment_opens_on <= day <= activity.enrolment_closes_on
        assert day <= TODAY and enrolment.enrolled_at <= timezone.now()
        assert client.office_id == activity.club.office_id
        registration = client.registrations.get(deregistered_on__isnull=True)
        assert registration.registered_on <= day, enrolment
        # Once per activity.
        assert Enrolment.objects.filter(activity=activity, client=client).count() == 1


def test_the_ipd_actions_follow_the_enrolments(seeded: str) -> None:
    linked = Enrolment.objects.filter(plan_action__isnull=False).select_related("plan_action")
    assert linked.exists()
    expected = {
        EnrolmentStatus.COMPLETED: ActionStatus.DONE,
        EnrolmentStatus.DROPPED_OUT: ActionStatus.NOT_DONE,
        EnrolmentStatus.CANCELLED: ActionStatus.NOT_DONE,
        EnrolmentStatus.WAITLISTED: ActionStatus.PLANNED,
    }
    for enrolment in linked:
        action = enrolment.plan_action
        assert action is not None
        assert action.plan.starts_on <= timezone.localdate(enrolment.enrolled_at)
        if enrolment.status in expected:
            assert action.status == expected[enrolment.status], enrolment
        elif enrolment.attendance.filter(mark=AttendanceMark.PRESENT).exists():
            assert action.status == ActionStatus.IN_PROGRESS
        else:
            assert action.status == ActionStatus.PLANNED
    assert not Enrolment.objects.filter(
        plan_action__isnull=False, activity__kind=ActivityKind.OPEN_INFORMATION
    ).exists()


def test_times_are_in_the_past_of_their_days(seeded: str) -> None:
    """Enrolments and journal entries carry the simulated moments, never the future."""
    now = timezone.now()
    assert not Enrolment.objects.filter(enrolled_at__gt=now).exists()
    assert not Attendance.objects.filter(recorded_at__gt=now).exists()
    for activity in Activity.objects.all():
        entries = CardEntry.objects.filter(
            client__enrolments__activity=activity, text__contains=activity.title
        ).distinct()
        assert entries.count() >= activity.enrolments.count()
        assert all(timezone.localdate(e.created_at) < TODAY for e in entries)
    for attendance in Attendance.objects.select_related("session"):
        assert attendance.recorded_at >= attendance.session.ends_at


def test_second_run_creates_nothing(seeded: str) -> None:
    models = [JobClub, Activity, Session, Enrolment, Attendance, PlanAction, CardEntry]
    before = {m.__name__: m.objects.count() for m in models}
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    again = seed()
    assert {m.__name__: m.objects.count() for m in models} == before
    assert dict(Enrolment.objects.values_list("pk", "status")) == statuses
    assert "Job clubs: 1 (0 new)" in again
