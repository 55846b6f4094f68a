"""Outcomes of an activity: who took a place, completed, dropped out, and who took up work or a
business within 30 and 90 days of completing (job_clubs.outcomes), built through the services."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db.models import F
from pytest_django import DjangoAssertNumQueries

from clients import services as client_services
from clients.models import Client, DeregistrationReason
from ipd.services import WORK_DEREGISTRATION_REASONS
from job_clubs import services
from job_clubs.models import Activity, Enrolment, EnrolmentStatus, JobClub, Session
from job_clubs.outcomes import EMPLOYMENT_REASONS, Outcomes, outcomes_for
from labour_office.offices.models import User
from tests.ipd.conftest import TODAY, travel
from tests.job_clubs.conftest import make_activity

# make_activity's five sessions run from TODAY + 7 to TODAY + 11; completion is on the last.
COMPLETED_ON = TODAY + timedelta(days=11)


def day(n: int) -> date:
    """``n`` days after the completion day."""
    return COMPLETED_ON + timedelta(days=n)


def complete(advisor: User, enrolment: Enrolment, on: date = COMPLETED_ON) -> Enrolment:
    """Present at every session; the activity is completed on ``on``."""
    with travel(on):
        for session in enrolment.activity.sessions.all():
            enrolment = services.mark_attendance(
                acting_user=advisor, session=session, enrolment=enrolment, mark="present", on=on
            )
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_on == on
    return enrolment


def deregister(advisor: User, client: Client, code: str, on: date) -> None:
    with travel(on):
        client_services.registration_close(
            acting_user=advisor,
            registration=client.registrations.get(deregistered_on__isnull=True),
            deregistered_on=on,
            reason=DeregistrationReason.objects.get(code=code),
        )


def drop_out(advisor: User, enrolment: Enrolment, on: date) -> None:
    with travel(on):
        services.drop_out(
            acting_user=advisor,
            enrolment=enrolment,
            reason="Przestał przychodzić",
            good_reason=False,
            on=on,
        )


def shift_sessions(activity: Activity, days: int) -> None:
    Session.objects.filter(activity=activity).update(
        starts_at=F("starts_at") + timedelta(days=days),
        ends_at=F("ends_at") + timedelta(days=days),
    )


def test_outcomes_count_each_status_and_work_within_30_and_90_days_of_completion(
    db: None, advisor: User, club: JobClub, make_client: Callable[..., Client]
) -> None:
    first = make_activity(club, capacity=12)
    later = make_activity(club)
    shift_sessions(later, 100)  # its last session, and its completion, are on day(100)
    people = [make_client() for _ in range(15)]
    enrolments = [
        services.enrol(acting_user=advisor, activity=first, client=c, on=TODAY) for c in people
    ]
    assert [e.status for e in enrolments[12:]] == ["waitlisted"] * 3
    later_enrolment = services.enrol(
        acting_user=advisor, activity=later, client=people[2], on=TODAY
    )
    # people[11] cancels from a place: people[12] moves up from the waiting list.
    services.cancel(acting_user=advisor, enrolment=enrolments[11], reason="Wyjazd", on=TODAY)
    # people[10] drops out during the activity (people[13] moves up, people[14] keeps waiting)
    # and later finds work: not an outcome of completing it.
    drop_out(advisor, enrolments[10], TODAY + timedelta(days=8))
    # people[4] takes up work the day before completing: the work did not follow the activity.
    deregister(advisor, people[4], "employment", day(-1))
    for enrolment in enrolments[:10]:
        complete(advisor, enrolment)
    deregister(advisor, people[7], "employment", day(0))  # the completion day: 30 and 90
    deregister(advisor, people[3], "own_request", day(5))  # not work: neither
    deregister(advisor, people[0], "employment", day(10))  # 30 and 90
    deregister(advisor, people[10], "employment", day(10))  # dropped out: neither
    deregister(advisor, people[5], "employment", day(30))  # the 30th day: 30 and 90
    deregister(advisor, people[8], "employment", day(31))  # the 31st day: 90 only
    deregister(advisor, people[1], "startup_grant", day(60))  # a business: 90 only
    deregister(advisor, people[6], "employment", day(90))  # the 90th day: 90 only
    deregister(advisor, people[9], "employment", day(91))  # the 91st day: neither
    complete(advisor, later_enrolment, on=day(100))
    # people[2] finds work 120 days after the first activity (neither) and 20 days after
    # completing the later one (both).
    deregister(advisor, people[2], "employment", day(120))
    deregister(advisor, people[12], "employment", day(121))  # still enrolled: not completed

    outcomes = outcomes_for([first.pk, later.pk], day(130))

    assert outcomes[first.pk] == Outcomes(
        enrolled=13,  # 10 completed, 1 dropped out, 2 still enrolled (moved up from the list)
        waitlisted=1,
        cancelled=1,
        completed=10,
        dropped_out=1,
        employed_30=3,  # people[7] (day 0), people[0] (day 10), people[5] (day 30)
        employed_90=6,  # and people[8] (day 31), people[1] (day 60), people[6] (day 90)
    )
    assert outcomes[later.pk] == Outcomes(enrolled=1, completed=1, employed_30=1, employed_90=1)
    assert outcomes[first.pk].completion_rate == pytest.approx(10 / 13)
    assert outcomes[first.pk].employment_rate_30 == pytest.approx(3 / 10)
    assert outcomes[first.pk].employment_rate_90 == pytest.approx(6 / 10)

    # As known on day 59: the business of day 60 and the work of day 90 are not there yet.
    as_of_day_59 = outcomes_for([first.pk, later.pk], day(59))
    assert (as_of_day_59[first.pk].employed_30, as_of_day_59[first.pk].employed_90) == (3, 4)
    assert (as_of_day_59[later.pk].employed_30, as_of_day_59[later.pk].employed_90) == (0, 0)


def test_the_number_of_queries_does_not_grow_with_activities_or_enrolments(
    db: None,
    advisor: User,
    club: JobClub,
    make_client: Callable[..., Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    activities = [make_activity(club) for _ in range(5)]
    finisher, leaver = make_client(), make_client()
    for activity in activities:
        done = services.enrol(acting_user=advisor, activity=activity, client=finisher, on=TODAY)
        left = services.enrol(acting_user=advisor, activity=activity, client=leaver, on=TODAY)
        drop_out(advisor, left, TODAY + timedelta(days=8))
        complete(advisor, done)
    deregister(advisor, finisher, "employment", day(10))
    expected = Outcomes(enrolled=2, completed=1, dropped_out=1, employed_30=1, employed_90=1)

    with django_assert_num_queries(1):
        one = outcomes_for([activities[0].pk], day(100))
    with django_assert_num_queries(1):
        five = outcomes_for((a.pk for a in activities), day(100))

    assert one == {activities[0].pk: expected}
    assert five == {a.pk: expected for a in activities}
    assert sum(five.values(), Outcomes()) == Outcomes(
        enrolled=10, completed=5, dropped_out=5, employed_30=5, employed_90=5
    )


def test_no_ids_no_query_and_an_activity_without_enrolments_has_zeros(
    db: None, club: JobClub, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    empty = make_activity(club)
    with django_assert_num_queries(0):
        assert outcomes_for([], TODAY) == {}
    assert outcomes_for([empty.pk], TODAY) == {empty.pk: Outcomes()}


def test_rates_never_divide_by_zero() -> None:
    nothing = Outcomes()
    assert nothing.completion_rate is None and nothing.dropout_rate is None
    assert nothing.employment_rate_30 is None and nothing.employment_rate_90 is None
    some = Outcomes(enrolled=10, completed=8, dropped_out=1, employed_30=3, employed_90=5)
    assert some.completion_rate == pytest.approx(0.8)
    assert some.dropout_rate == pytest.approx(0.1)
    assert some.employment_rate_30 == pytest.approx(3 / 8)
    assert some.employment_rate_90 == pytest.approx(5 / 8)
    assert Outcomes(enrolled=3, dropped_out=3).employment_rate_90 is None


def test_the_work_reasons_are_the_ipds_and_exist_in_the_dictionary(db: None) -> None:
    assert set(EMPLOYMENT_REASONS) == set(WORK_DEREGISTRATION_REASONS)
    codes = set(
        DeregistrationReason.objects.filter(code__in=EMPLOYMENT_REASONS).values_list(
            "code", flat=True
        )
    )
    assert codes == set(EMPLOYMENT_REASONS)
