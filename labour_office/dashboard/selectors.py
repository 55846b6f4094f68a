"""The managers' dashboard: every number is the size of a list, and both come from the same
definition (``METRICS``), so following a number lands on exactly that many rows.

A number counts clients with an open registration in the chosen office(s), narrowed by the
shared filters (advisor, profile, status, registration dates); what is due comes from
``ipd.DueItem``, one row per client and kind, kept up to date by the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Registration, Status
from ipd.models import DueItem, DueKind, EndReason, IndividualActionPlan, PlanStatus
from job_clubs.models import HOLDS_A_PLACE, Activity, EnrolmentStatus
from labour_office.offices.models import User
from profiling.models import Assessment, AssessmentStatus

NO_PROFILE = "none"
PROFILES = ("I", "II", "III")


@dataclass(frozen=True)
class Filters:
    """What narrows every number and every list of the dashboard. ``office_ids`` None: all
    offices (national administrators)."""

    office_ids: tuple[int, ...] | None
    advisor_id: int | None = None
    profile: str = ""
    status: str = ""
    registered_from: date | None = None
    registered_to: date | None = None

    def query(self) -> dict[str, str]:
        """The filters as GET parameters (the office as chosen on the form)."""
        params = {}
        if self.office_ids is not None and len(self.office_ids) == 1:
            params["office"] = str(self.office_ids[0])
        if self.advisor_id:
            params["advisor"] = str(self.advisor_id)
        if self.profile:
            params["profile"] = self.profile
        if self.status:
            params["status"] = self.status
        if self.registered_from:
            params["registered_from"] = self.registered_from.isoformat()
        if self.registered_to:
            params["registered_to"] = self.registered_to.isoformat()
        return params


def registered(filters: Filters) -> QuerySet[Client]:
    """Registered clients (an open registration) under the filters, with only the joins the
    filters need: what the numbers count."""
    queryset = Client.objects.all()
    if filters.office_ids is not None:
        queryset = queryset.filter(office_id__in=filters.office_ids)
    registration: dict[str, Any] = {"registrations__deregistered_on__isnull": True}
    if filters.status:
        registration["registrations__status"] = filters.status
    if filters.registered_from:
        registration["registrations__registered_on__gte"] = filters.registered_from
    if filters.registered_to:
        registration["registrations__registered_on__lte"] = filters.registered_to
    queryset = queryset.filter(**registration)
    if filters.advisor_id:
        queryset = queryset.filter(
            assignments__ended_at__isnull=True, assignments__advisor_id=filters.advisor_id
        )
    if filters.profile == NO_PROFILE:
        queryset = queryset.exclude(
            Exists(Assessment.objects.filter(client=OuterRef("pk"), is_current=True))
        )
    elif filters.profile:
        queryset = queryset.filter(
            assessments__is_current=True, assessments__final_profile=filters.profile
        )
    return queryset


def clients(filters: Filters) -> QuerySet[Client]:
    """The registered clients under the filters, annotated for the lists: status,
    registration date, advisor and current profile (one row each, so the rows stay the
    same)."""
    return (
        registered(filters)
        .annotate(
            open_registration=FilteredRelation(
                "registrations", condition=Q(registrations__deregistered_on__isnull=True)
            ),
            current=FilteredRelation(
                "assignments", condition=Q(assignments__ended_at__isnull=True)
            ),
            profile=FilteredRelation("assessments", condition=Q(assessments__is_current=True)),
        )
        .annotate(
            current_status=F("open_registration__status"),
            current_registered_on=F("open_registration__registered_on"),
            current_advisor_id=F("current__advisor_id"),
            current_advisor_first_name=F("current__advisor__first_name"),
            current_advisor_last_name=F("current__advisor__last_name"),
            current_profile=F("profile__final_profile"),
        )
    )


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise
    kind: str | None  # the DueItem kind the metric reads, or None for all clients
    # The condition on the due item's legal date, given today and the date's field path.
    due: Callable[[date, str], Q] | None = None
    due_column: Promise | None = None

    def condition(self, today: date, field: str) -> Q:
        return self.due(today, field) if self.due is not None else Q()


def _overdue(today: date, field: str) -> Q:
    return Q(**{f"{field}__lt": today})


def _from_today(today: date, field: str) -> Q:
    return Q(**{f"{field}__gte": today})


def _within(days: int) -> Callable[[date, str], Q]:
    def condition(today: date, field: str) -> Q:
        return Q(**{f"{field}__gte": today, f"{field}__lte": today + timedelta(days=days)})

    return condition


def _up_to(days: int) -> Callable[[date, str], Q]:
    def condition(today: date, field: str) -> Q:
        return Q(**{f"{field}__lte": today + timedelta(days=days)})

    return condition


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("registered", _("Registered clients"), None),
        Metric(
            "contact_overdue",
            _("Contacts overdue"),
            DueKind.CONTACT,
            _overdue,
            _("contact due"),
        ),
        Metric(
            "contact_7", _("Contacts due in 7 days"), DueKind.CONTACT, _within(7), _("contact due")
        ),
        Metric(
            "contact_14",
            _("Contacts due in 14 days"),
            DueKind.CONTACT,
            _within(14),
            _("contact due"),
        ),
        Metric(
            "prepare_in_term",
            _("IPDs to prepare within the 60 days"),
            DueKind.PREPARE,
            _from_today,
            _("IPD due"),
        ),
        Metric(
            "prepare_overdue",
            _("IPDs not prepared in time"),
            DueKind.PREPARE,
            _overdue,
            _("IPD due"),
        ),
        Metric(
            "max_end_30",
            _("IPDs reaching their maximum in 30 days"),
            DueKind.MAX_END,
            _up_to(30),
            _("maximum end"),
        ),
        Metric(
            "reprofile",
            _("Awaiting re-profiling"),
            DueKind.REPROFILE,
            None,
            _("re-profiling due"),
        ),
        Metric(
            "actions_open",
            _("Plan actions without an outcome"),
            DueKind.ACTION,
            _overdue,
            _("outcome due"),
        ),
    )
}


def metric_list(metric: Metric, filters: Filters, today: date) -> QuerySet[Client]:
    """The clients a number counts, in a stable order (surname, first name, id), with the
    due item's legal date as ``due_on`` when the metric reads one."""
    queryset = clients(filters)
    if metric.kind is not None:
        due = FilteredRelation("due_items", condition=Q(due_items__kind=metric.kind))
        queryset = (
            queryset.annotate(due=due)
            .annotate(due_on=F("due__due_on"))
            .filter(due__isnull=False)
            .filter(metric.condition(today, "due__due_on"))
        )
    return queryset.order_by("last_name", "first_name", "pk")


def counts(filters: Filters, today: date) -> dict[str, int]:
    """Every number of the dashboard's first row: two queries whatever the data size."""
    base = registered(filters)
    result = {"registered": base.count()}
    aggregates = {
        key: Count("pk", filter=Q(kind=metric.kind) & metric.condition(today, "due_on"))
        for key, metric in METRICS.items()
        if metric.kind is not None
    }
    result.update(DueItem.objects.filter(client__in=base.values("pk")).aggregate(**aggregates))
    return result


@dataclass
class AdvisorRow:
    advisor_id: int | None
    name: str
    total: int
    by_status: dict[str, int]
    by_profile: dict[str, int]


def per_advisor(filters: Filters) -> list[AdvisorRow]:
    """Clients per advisor, by status and by profile: one grouped query, and one for the
    advisors' names."""
    queryset: Any = registered(filters).annotate(
        open_registration=FilteredRelation(
            "registrations", condition=Q(registrations__deregistered_on__isnull=True)
        ),
        current=FilteredRelation("assignments", condition=Q(assignments__ended_at__isnull=True)),
        profile=FilteredRelation("assessments", condition=Q(assessments__is_current=True)),
    )
    rows = list(
        queryset.order_by()
        .values(advisor=F("current__advisor_id"))
        .annotate(
            total=Count("pk"),
            unemployed=Count("pk", filter=Q(open_registration__status=Status.UNEMPLOYED)),
            jobseeker=Count("pk", filter=Q(open_registration__status=Status.JOBSEEKER)),
            p1=Count("pk", filter=Q(profile__final_profile="I")),
            p2=Count("pk", filter=Q(profile__final_profile="II")),
            p3=Count("pk", filter=Q(profile__final_profile="III")),
            none=Count("pk", filter=Q(profile__isnull=True)),
        )
    )
    names = {
        user.pk: user.get_full_name()
        for user in User.objects.filter(pk__in=[r["advisor"] for r in rows if r["advisor"]])
    }
    result = [
        AdvisorRow(
            advisor_id=row["advisor"],
            name=names.get(row["advisor"], ""),
            total=row["total"],
            by_status={Status.UNEMPLOYED: row["unemployed"], Status.JOBSEEKER: row["jobseeker"]},
            by_profile={"I": row["p1"], "II": row["p2"], "III": row["p3"], NO_PROFILE: row["none"]},
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (r.advisor_id is None, r.name.split(" ")[-1], r.name))


def job_clubs(filters: Filters, today: date) -> list[Activity]:
    """Activities still to run or running, with places taken and the waiting list."""
    activities = Activity.objects.filter(sessions__ends_at__date__gte=today).distinct()
    if filters.office_ids is not None:
        activities = activities.filter(club__office_id__in=filters.office_ids)
    return list(
        Activity.objects.filter(pk__in=activities.values("pk"))
        .select_related("club")
        .annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_A_PLACE)),
            waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
        )
        .order_by("club__name", "enrolment_closes_on", "pk")[:50]
    )


TREND_MONTHS = 12


@dataclass
class Trend:
    key: str
    label: Promise
    values: list[int]


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = [first]
    for _n in range(TREND_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def trends(filters: Filters, today: date) -> tuple[list[date], list[Trend]]:
    """Per month, the last twelve: clients registered, deregistered, profiled, and IPDs ended
    (all and with work). Four grouped queries; the office filter applies."""
    months = _months(today)
    since = months[0]
    office = Q() if filters.office_ids is None else Q(office_id__in=filters.office_ids)
    client_office = (
        Q() if filters.office_ids is None else Q(client__office_id__in=filters.office_ids)
    )

    def by_month(queryset: QuerySet[Any], field: str) -> dict[date, int]:
        rows = (
            queryset.annotate(month=TruncMonth(field))
            .order_by()
            .values("month")
            .annotate(n=Count("client_id", distinct=True))
        )
        return {row["month"]: row["n"] for row in rows}

    registered = by_month(
        Registration.objects.filter(office, registered_on__gte=since), "registered_on"
    )
    deregistered = by_month(
        Registration.objects.filter(office, deregistered_on__gte=since), "deregistered_on"
    )
    profiled = by_month(
        Assessment.objects.filter(
            client_office, status=AssessmentStatus.DETERMINED, determined_on__gte=since
        ),
        "determined_on",
    )
    ended = IndividualActionPlan.objects.filter(
        client_office, status=PlanStatus.ENDED, ended_on__gte=since
    )
    plans_ended = by_month(ended, "ended_on")
    with_work = by_month(ended.filter(end_reason=EndReason.WORK), "ended_on")
    series = [
        Trend("registered", _("Registrations"), [registered.get(m, 0) for m in months]),
        Trend("deregistered", _("Deregistrations"), [deregistered.get(m, 0) for m in months]),
        Trend("profiled", _("Profiles determined"), [profiled.get(m, 0) for m in months]),
        Trend("plans_ended", _("IPDs ended"), [plans_ended.get(m, 0) for m in months]),
        Trend("plans_work", _("IPDs ended with work"), [with_work.get(m, 0) for m in months]),
    ]
    return months, series
