"""Fifty advisors enrol fifty clients into twenty places at the same moment (issue 8)."""

from collections.abc import Callable

import pytest

from clients.models import Client
from job_clubs import services
from job_clubs.models import Enrolment, EnrolmentStatus, JobClub
from labour_office.offices.models import User
from tests.concurrency import race
from tests.ipd.conftest import TODAY
from tests.job_clubs.conftest import make_activity

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_enrolments_at_once_fill_twenty_places_and_waitlist_thirty(
    advisor: User, club: JobClub, make_client: Callable[..., Client]
) -> None:
    activity = make_activity(club, capacity=20)
    clients = [make_client() for _ in range(50)]

    def enrolling(client: Client) -> Callable[[], object]:
        return lambda: services.enrol(
            acting_user=advisor, activity=activity, client=client, on=TODAY
        )

    results = race(*(enrolling(c) for c in clients))
    assert [r for r in results if isinstance(r, Exception)] == []
    statuses = list(Enrolment.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count(EnrolmentStatus.ENROLLED) == 20
    assert statuses.count(EnrolmentStatus.WAITLISTED) == 30
    assert Enrolment.objects.filter(activity=activity).values("client").distinct().count() == 50

    first_waiting = (
        Enrolment.objects.filter(activity=activity, status=EnrolmentStatus.WAITLISTED)
        .order_by("enrolled_at", "pk")
        .first()
    )
    leaving = Enrolment.objects.filter(activity=activity, status=EnrolmentStatus.ENROLLED).first()
    assert first_waiting is not None and leaving is not None
    promoted = services.cancel(acting_user=advisor, enrolment=leaving, reason="Choroba", on=TODAY)
    assert promoted is not None and promoted.pk == first_waiting.pk
    assert (
        Enrolment.objects.filter(activity=activity, status=EnrolmentStatus.ENROLLED).count() == 20
    )
