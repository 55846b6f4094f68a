"""The public page of job-club activities: the one page besides the login page that needs no
sign-in (DESIGN, rule 1; domain/job_clubs.md, "Who may take part").

It lists the upcoming and running activities of an office's active clubs that are listed on
the public page, with how to join, and carries no personal data at all:

- nobody enrolled appears in any form: places and the waiting list are counts only;
- the leader is a staff member, not a client, but the page names the club and its place, not
  the person: a visitor needs what, when and where, and data minimisation (GDPR art. 5(1)(c))
  keeps staff names off a page anyone can read and index;
- contact details are the office's own (address, phone, e-mail), never a person's.

An office shows the page only while it is active and has the page switched on
(``Office.job_club_public_page``); otherwise the page answers 404, as does an unknown office.
Each page costs a fixed number of queries: the office, the page count, the activities with
their places counted in the database, and their sessions.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from job_clubs.models import HOLDS_A_PLACE, Activity, Enrolment, EnrolmentStatus, Session
from labour_office.offices.models import Office

ACTIVITIES_PAGE_SIZE = 20
OFFICES_PAGE_SIZE = 50


def _start_of_today() -> datetime:
    """Midnight at the start of today in the office's time zone: a session that ends from
    then on is today's or later."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def _count(queryset: QuerySet[Any], group: str) -> Coalesce:
    """The number of rows of ``queryset`` (already filtered on an OuterRef), as a subquery."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def listed_activities(since: datetime) -> QuerySet[Activity]:
    """Activities the public may see: of an active club listed on the public page, with a
    session ending at ``since`` or later (upcoming or running). Offices are filtered by the
    caller."""
    return Activity.objects.filter(
        club__is_active=True,
        club__public_page=True,
    ).filter(Exists(Session.objects.filter(activity=OuterRef("pk"), ends_at__gte=since)))


def public_offices_list() -> QuerySet[Office]:
    """Active offices with the public page on, each with its number of listed activities."""
    since = _start_of_today()
    return (
        Office.objects.filter(is_active=True, job_club_public_page=True)
        .annotate(
            upcoming=_count(
                listed_activities(since).filter(club__office=OuterRef("pk")), "club__office"
            )
        )
        .order_by("name", "pk")
    )


@login_not_required
@require_safe
def public_offices(request: HttpRequest) -> HttpResponse:
    """The offices whose job clubs have a public page, each linking to it."""
    page = Paginator(public_offices_list(), OFFICES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "job_clubs/public_offices.html", {"page": page})


def public_activities_of(office: Office) -> QuerySet[Activity]:
    """The office's listed activities in the order they begin, with ``taken``, ``waiting``
    and ``free_places`` counted in the database and the sessions prefetched (in order)."""
    since = _start_of_today()
    enrolments = Enrolment.objects.filter(activity=OuterRef("pk"))
    taken = _count(enrolments.filter(status__in=HOLDS_A_PLACE), "activity")
    first_start = Subquery(
        Session.objects.filter(activity=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        listed_activities(since)
        .filter(club__office=office)
        .select_related("club")
        .annotate(
            taken=taken,
            waiting=_count(enrolments.filter(status=EnrolmentStatus.WAITLISTED), "activity"),
            free_places=Greatest(F("capacity") - taken, Value(0), output_field=IntegerField()),
            first_start=first_start,
        )
        .order_by("first_start", "pk")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "pk"))
        )
    )


@login_not_required
@require_safe
def public_activities(request: HttpRequest, office_pk: int) -> HttpResponse:
    """The office's upcoming and running job-club activities and how to join them."""
    office = get_object_or_404(Office, pk=office_pk, is_active=True, job_club_public_page=True)
    page = Paginator(public_activities_of(office), ACTIVITIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "job_clubs/public_activities.html",
        {"office": office, "page": page, "today": timezone.localdate()},
    )
