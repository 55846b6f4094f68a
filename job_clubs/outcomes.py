"""What followed a job-club activity: how many took a place, completed, dropped out, and how
many of those who completed took up work or a business soon after (domain/job_clubs.md,
"Outcome").

One query for any number of activities (``outcomes_for``); the activity page and the managers'
dashboards read the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.db.models import Count, DateField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from clients.models import Registration
from job_clubs.models import Enrolment, EnrolmentStatus

# RECONSTRUCTION. The codes of the deregistration-reason dictionary (clients.DeregistrationReason,
# an administrator's code list) that mean the person took up work or a business: "employment"
# (employment, other paid work or a business) and "startup_grant" (a one-off grant for a
# business). The dictionary itself is data: its names, order and use can change without code.
# Which of its entries count as "work" is a classification of stable codes, the same one the
# IPD uses to end a plan with work found (ipd.services.WORK_DEREGISTRATION_REASONS), so it stays
# a module constant next to the counting rather than a new column in the dictionary; a test
# keeps the two in step and checks that the codes exist.
EMPLOYMENT_REASONS: tuple[str, ...] = ("employment", "startup_grant")

# The follow-up windows, in days after completion (the issue: 30 and 90; job_clubs.md gives
# 90 days as the APPROXIMATION of the outcome window).
SHORT_WINDOW = 30
LONG_WINDOW = 90

# Statuses of an enrolment that took a place and kept it to the end or left: ``enrolled``
# (still taking part), ``completed`` and ``dropped_out``. A cancelled enrolment is counted
# apart, whether it was cancelled from a place or from the waiting list (the row does not say).
TOOK_A_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT)


@dataclass(frozen=True)
class Outcomes:
    """The numbers of one activity (or, added up, of several).

    ``enrolled`` counts the people who took a place: still enrolled, completed or dropped
    out; ``waitlisted`` those still waiting and ``cancelled`` the cancelled enrolments (from a
    place or from the list). ``employed_30`` and ``employed_90`` count completed enrolments
    whose client was deregistered for work or a business (``EMPLOYMENT_REASONS``) on a day from
    the completion day to 30 or 90 days after it; ``employed_90`` includes ``employed_30``.

    Rates are fractions from 0 to 1, or None when there is nothing to divide by.
    """

    enrolled: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    completed: int = 0
    dropped_out: int = 0
    employed_30: int = 0
    employed_90: int = 0

    def __add__(self, other: Outcomes) -> Outcomes:
        """Several activities together: ``sum(outcomes.values(), Outcomes())``."""
        return Outcomes(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def completion_rate(self) -> float | None:
        """Completed, of those who took a place (still enrolled ones count as not yet)."""
        return _rate(self.completed, self.enrolled)

    @property
    def dropout_rate(self) -> float | None:
        """Dropped out, of those who took a place."""
        return _rate(self.dropped_out, self.enrolled)

    @property
    def employment_rate_30(self) -> float | None:
        """Took up work or a business within 30 days, of those who completed."""
        return _rate(self.employed_30, self.completed)

    @property
    def employment_rate_90(self) -> float | None:
        """Took up work or a business within 90 days, of those who completed."""
        return _rate(self.employed_90, self.completed)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _employed_within(days: int, today: date) -> Exists:
    """The enrolment's client was deregistered for work or a business from the completion
    day to ``days`` days after it, and not after ``today``."""
    window_end = Cast(OuterRef("completed_on") + timedelta(days=days), output_field=DateField())
    return Exists(
        Registration.objects.filter(
            client_id=OuterRef("client_id"),
            deregistration_reason__code__in=EMPLOYMENT_REASONS,
            deregistered_on__gte=OuterRef("completed_on"),
            deregistered_on__lte=window_end,
        ).filter(deregistered_on__lte=today)
    )


def outcomes_for(activity_ids: Iterable[int], today: date) -> dict[int, Outcomes]:
    """The outcomes of each activity asked for, in one query whatever the number of
    activities or enrolments (none for no ids). Every id asked for has an entry: zeros for
    an activity without enrolments (or an id that does not exist).

    ``today`` is the day of the report: deregistrations dated after it do not count, so the
    numbers for a past day are the ones known on that day (as far as deregistrations go; the
    enrolments' statuses are as they are now). A completion less than 30 or 90 days before
    ``today`` still has its window open: its employment may yet be counted.
    """
    ids = sorted(set(activity_ids))
    if not ids:
        return {}
    completed = Q(status=EnrolmentStatus.COMPLETED)
    rows = (
        Enrolment.objects.filter(activity_id__in=ids)
        .order_by()
        .values("activity_id")
        .annotate(
            enrolled=Count("pk", filter=Q(status__in=TOOK_A_PLACE)),
            waitlisted=Count("pk", filter=Q(status=EnrolmentStatus.WAITLISTED)),
            cancelled=Count("pk", filter=Q(status=EnrolmentStatus.CANCELLED)),
            completed=Count("pk", filter=completed),
            dropped_out=Count("pk", filter=Q(status=EnrolmentStatus.DROPPED_OUT)),
            employed_30=Count("pk", filter=completed & Q(_employed_within(SHORT_WINDOW, today))),
            employed_90=Count("pk", filter=completed & Q(_employed_within(LONG_WINDOW, today))),
        )
    )
    found = {
        row["activity_id"]: Outcomes(
            enrolled=row["enrolled"],
            waitlisted=row["waitlisted"],
            cancelled=row["cancelled"],
            completed=row["completed"],
            dropped_out=row["dropped_out"],
            employed_30=row["employed_30"],
            employed_90=row["employed_90"],
        )
        for row in rows
    }
    return {pk: found.get(pk, Outcomes()) for pk in ids}
