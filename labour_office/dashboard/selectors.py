"""The managers' dashboard: every number is the size of a list, and both come from the same
definition (``METRICS``), so following a number lands on exactly that many rows.

A number counts clients with an open registration in the chosen office(s), narrowed by the
shared filters (advisor, profile, status, registration dates); what is due comes from
``ipd.DueItem`` (one row per client and kind, kept up to date by the services), copied into
the client's ``Caseload`` row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import NullIf
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Status
from job_clubs.models import HOLDS_A_PLACE, Activity, EnrolmentStatus
from labour_office.dashboard.models import Caseload, TrendEvent, TrendSeries
from labour_office.offices.models import User

NO_PROFILE = "none"
NO_ADVISOR = 0  # ``Filters.advisor_id`` of clients without a current advisor
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
        if self.advisor_id is not None:
            params["advisor"] = "none" if self.advisor_id == NO_ADVISOR else str(self.advisor_id)
        if self.profile:
            params["profile"] = self.profile
        if self.status:
            params["status"] = self.status
        if self.registered_from:
            params["registered_from"] = self.registered_from.isoformat()
        if self.registered_to:
            params["registered_to"] = self.registered_to.isoformat()
        return params


def registered(filters: Filters) -> QuerySet[Caseload]:
    """The caseload rows of the registered clients under the filters: what the numbers
    count (``Caseload``: one narrow row per registered client, one index)."""
    rows = Caseload.objects.all()
    if filters.office_ids is not None:
        rows = rows.filter(office_id__in=filters.office_ids)
    if filters.advisor_id == NO_ADVISOR:
        rows = rows.filter(advisor__isnull=True)
    elif filters.advisor_id is not None:
        rows = rows.filter(advisor_id=filters.advisor_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.profile:
        rows = rows.filter(profile="" if filters.profile == NO_PROFILE else filters.profile)
    if filters.registered_from:
        rows = rows.filter(registered_on__gte=filters.registered_from)
    if filters.registered_to:
        rows = rows.filter(registered_on__lte=filters.registered_to)
    return rows


def clients(filters: Filters) -> QuerySet[Client]:
    """The same clients for the lists, annotated with their status, registration date,
    advisor and profile from their caseload row (one row each)."""
    lookups: dict[str, Any] = {}
    if filters.office_ids is not None:
        lookups["caseload__office_id__in"] = filters.office_ids
        # The same office (a caseload row copies its client's), said of the client too: the
        # list is ordered by the client's name, and without it PostgreSQL walked the name
        # index of the whole country looking for the office's rows (320 ms at 1,000,000).
        lookups["office_id__in"] = filters.office_ids
    if filters.advisor_id == NO_ADVISOR:
        lookups["caseload__advisor__isnull"] = True
    elif filters.advisor_id is not None:
        lookups["caseload__advisor_id"] = filters.advisor_id
    if filters.status:
        lookups["caseload__status"] = filters.status
    if filters.profile:
        lookups["caseload__profile"] = "" if filters.profile == NO_PROFILE else filters.profile
    if filters.registered_from:
        lookups["caseload__registered_on__gte"] = filters.registered_from
    if filters.registered_to:
        lookups["caseload__registered_on__lte"] = filters.registered_to
    return Client.objects.filter(caseload__isnull=False, **lookups).annotate(
        current_status=F("caseload__status"),
        current_registered_on=F("caseload__registered_on"),
        current_advisor_id=F("caseload__advisor_id"),
        current_advisor_first_name=F("caseload__advisor__first_name"),
        current_advisor_last_name=F("caseload__advisor__last_name"),
        current_profile=NullIf(F("caseload__profile"), Value("")),
    )


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise
    field: str | None  # the caseload's due date the metric reads, or None for all clients
    # The condition on that date, given today and the date's field path.
    due: Callable[[date, str], Q] | None = None
    due_column: Promise | None = None

    def condition(self, today: date, prefix: str = "") -> Q:
        if self.field is None:
            return Q()
        path = f"{prefix}{self.field}"
        condition = Q(**{f"{path}__isnull": False})
        return condition & self.due(today, path) if self.due is not None else condition


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
        Metric("contact_overdue", _("Contacts overdue"), "contact_due", _overdue, _("contact due")),
        Metric(
            "contact_7", _("Contacts due in 7 days"), "contact_due", _within(7), _("contact due")
        ),
        Metric(
            "contact_14", _("Contacts due in 14 days"), "contact_due", _within(14), _("contact due")
        ),
        Metric(
            "prepare_in_term",
            _("IPDs to prepare within the 60 days"),
            "prepare_due",
            _from_today,
            _("IPD due"),
        ),
        Metric(
            "prepare_overdue",
            _("IPDs not prepared in time"),
            "prepare_due",
            _overdue,
            _("IPD due"),
        ),
        Metric(
            "max_end_30",
            _("IPDs reaching their maximum in 30 days"),
            "max_end_due",
            _up_to(30),
            _("maximum end"),
        ),
        Metric(
            "reprofile",
            _("Awaiting re-profiling"),
            "reprofile_due",
            None,
            _("re-profiling due"),
        ),
        Metric(
            "actions_open",
            _("Plan actions without an outcome"),
            "action_due",
            _overdue,
            _("outcome due"),
        ),
    )
}


def metric_list(metric: Metric, filters: Filters, today: date) -> QuerySet[Client]:
    """The clients a number counts, in a stable order (surname, first name, id), with the
    date the metric reads as ``due_on``."""
    queryset = clients(filters).filter(metric.condition(today, "caseload__"))
    if metric.field is not None:
        queryset = queryset.annotate(due_on=F(f"caseload__{metric.field}"))
    return queryset.order_by("last_name", "first_name", "pk")


# What counts a caseload row: a column of the covering index (never null), so that the
# numbers are an index-only scan; COUNT of the primary key (outside the index) made PostgreSQL
# read the office's 40,000 rows from the heap (55 ms instead of 15 at 1,000,000 clients), and
# Django allows no COUNT(*) with a filter.
ROWS = "office"


def counts(filters: Filters, today: date) -> dict[str, int]:
    """Every number of the dashboard's first row: one aggregate over the caseload rows
    (an index-only scan: see ``ROWS``)."""
    result: dict[str, int] = registered(filters).aggregate(
        **{key: Count(ROWS, filter=metric.condition(today)) for key, metric in METRICS.items()}
    )
    return result


@dataclass
class AdvisorRow:
    advisor_id: int | None
    name: str
    total: int
    by_status: dict[str, int]
    by_profile: dict[str, int]


def per_advisor(filters: Filters) -> list[AdvisorRow]:
    """Clients per advisor, by status and by profile: one grouped query over the caseload
    rows, and one for the advisors' names."""
    rows = list(
        registered(filters)
        .order_by()
        .values("advisor")
        .annotate(
            total=Count(ROWS),
            unemployed=Count(ROWS, filter=Q(status=Status.UNEMPLOYED)),
            jobseeker=Count(ROWS, filter=Q(status=Status.JOBSEEKER)),
            p1=Count(ROWS, filter=Q(profile="I")),
            p2=Count(ROWS, filter=Q(profile="II")),
            p3=Count(ROWS, filter=Q(profile="III")),
            none=Count(ROWS, filter=Q(profile="")),
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


TREND_LABELS: dict[str, Promise] = dict(TrendSeries.choices)


def _trend_events(filters: Filters) -> QuerySet[TrendEvent]:
    """The events the trends count; only the office filter applies to trends."""
    events = TrendEvent.objects.all()
    if filters.office_ids is not None:
        events = events.filter(office_id__in=filters.office_ids)
    return events


def trends(filters: Filters, today: date) -> tuple[list[date], list[Trend]]:
    """Per month, the last twelve: clients registered, deregistered, profiled, and IPDs ended
    (all and with work), each client counted once a month: one grouped query over the trend
    events (an index-only scan of the office's months)."""
    months = _months(today)
    # A client has one row per office, series and month: counting one office's rows counts
    # its clients; over several offices a client who moved in the month counts once.
    several = filters.office_ids is None or len(filters.office_ids) > 1
    counted = (
        _trend_events(filters)
        .filter(month__gte=months[0])
        .order_by()
        .values("series", "month")
        .annotate(n=Count("client", distinct=several))
    )
    by_cell = {(row["series"], row["month"]): row["n"] for row in counted}
    series = [
        Trend(key, label, [by_cell.get((key, m), 0) for m in months])
        for key, label in TREND_LABELS.items()
    ]
    return months, series


def trend_list(key: str, month: date, filters: Filters) -> QuerySet[Client]:
    """The clients one cell of the trends table counts: the same events."""
    in_month = _trend_events(filters).filter(series=key, month=month)
    return (
        Client.objects.filter(pk__in=in_month.values("client_id"))
        .select_related("office")
        .order_by("last_name", "first_name", "pk")
    )
