"""Read queries the client pages share, each with a fixed number of SQL statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from clients import rules
from clients.models import (
    AdvisorAssignment,
    CardEntry,
    Client,
    Employer,
    Registration,
    Status,
    Substitution,
)
from clients.search import fold
from labour_office.offices.models import User
from labour_office.system.services import parameter_value

JOURNAL_ON_CLIENT_PAGE = 50


def with_current(queryset: QuerySet[Client]) -> QuerySet[Client]:
    """Annotate the open registration and the current advisor (one join each, both indexed)."""
    return queryset.annotate(
        open_registration=FilteredRelation(
            "registrations", condition=Q(registrations__deregistered_on__isnull=True)
        ),
        current=FilteredRelation("assignments", condition=Q(assignments__ended_at__isnull=True)),
    ).annotate(
        current_status=F("open_registration__status"),
        current_registered_on=F("open_registration__registered_on"),
        current_advisor_id=F("current__advisor_id"),
        current_advisor_first_name=F("current__advisor__first_name"),
        current_advisor_last_name=F("current__advisor__last_name"),
    )


def substituted_advisors(user: User, on: date) -> list[User]:
    """Advisors whose clients ``user`` serves today as their substitute."""
    return [
        s.absent
        for s in Substitution.objects.filter(substitute=user, starts_on__lte=on, ends_on__gte=on)
        .select_related("absent")
        .order_by("absent__last_name")
    ]


@dataclass
class DeskFilters:
    query: str = ""
    status: str = ""  # "", "unemployed", "jobseeker", "deregistered"
    advisor: str = "me"  # "me", "all" or an advisor's id
    registered_since: date | None = None
    sort: str = "name"
    substituted: list[User] = field(default_factory=list)


SORTS: dict[str, list[Any]] = {
    "name": ["last_name", "first_name", "pk"],
    "registered": [F("current_registered_on").asc(nulls_last=True), "pk"],
    "-registered": [F("current_registered_on").desc(nulls_last=True), "-pk"],
}


def desk_clients(user: User, filters: DeskFilters) -> QuerySet[Client]:
    clients = with_current(Client.objects.visible_to(user))
    # The lookups name annotations of with_current(), which the type checker cannot see.
    lookups: dict[str, Any] = {}
    if filters.advisor == "me":
        lookups["current_advisor_id__in"] = [user.pk, *(a.pk for a in filters.substituted)]
    elif filters.advisor.isdigit():
        lookups["current_advisor_id"] = int(filters.advisor)
    if filters.status in (Status.UNEMPLOYED, Status.JOBSEEKER):
        lookups["current_status"] = filters.status
    elif filters.status == "deregistered":
        lookups["current_status__isnull"] = True
    if filters.registered_since:
        lookups["current_registered_on__gte"] = filters.registered_since
    clients = search(clients.filter(**lookups), filters.query)
    order = SORTS.get(filters.sort, SORTS["name"])
    if filters.query and order is SORTS["name"]:
        # The same order, said so that no index gives it: PostgreSQL then finds the few
        # matches through the trigram index and sorts them, instead of walking the office's
        # names in order hoping to meet 25 matches soon (175 ms for "ryba" among 50,000).
        order = [Lower("last_name"), Lower("first_name"), "pk"]
    return clients.order_by(*order)


def search(clients: QuerySet[Client], query: str) -> QuerySet[Client]:
    """PESEL (or its beginning) when digits; otherwise every word in the names, any accents."""
    query = query.replace("\x00", "").strip()
    if not query:
        return clients
    compact = query.replace(" ", "").replace("-", "")
    if compact.isdigit():
        return (
            clients.filter(pesel=compact)
            if len(compact) == 11
            else clients.filter(pesel__startswith=compact)
        )
    for word in fold(query).split():
        clients = clients.filter(search_text__contains=word)
    return clients


def desk_counts(clients: QuerySet[Client]) -> dict[str, int]:
    """How many of the listed clients are in each state: one aggregate query."""
    counts: dict[str, int] = clients.order_by().aggregate(
        total=Count("pk"),
        unemployed=Count("pk", filter=Q(**{"current_status": Status.UNEMPLOYED})),
        jobseeker=Count("pk", filter=Q(**{"current_status": Status.JOBSEEKER})),
        deregistered=Count("pk", filter=Q(**{"current_status__isnull": True})),
    )
    return counts


def get_client_for_user(user: User, pk: int) -> Client:
    return get_object_or_404(Client.objects.visible_to(user).select_related("office"), pk=pk)


@dataclass
class ClientPage:
    client: Client
    registrations: list[Registration]
    open_registration: Registration | None
    assignments: list[AdvisorAssignment]
    current_assignment: AdvisorAssignment | None
    substitution: Substitution | None
    entries: list[CardEntry]
    entries_total: int
    assessments: list[Any]
    groups: dict[str, Any]


def client_page(client: Client, today: date) -> ClientPage:
    registrations = list(
        client.registrations.select_related("jobseeker_category", "deregistration_reason", "office")
    )
    open_registration = next((r for r in registrations if r.is_open), None)
    assignments = list(
        client.assignments.select_related("advisor", "assigned_by").order_by("-started_at", "-pk")
    )
    current = next((a for a in assignments if a.ended_at is None), None)
    substitution = None
    if current is not None:
        substitution = (
            Substitution.objects.filter(
                absent_id=current.advisor_id, starts_on__lte=today, ends_on__gte=today
            )
            .select_related("substitute")
            .first()
        )
    entries = list(client.entries.select_related("author")[: JOURNAL_ON_CLIENT_PAGE + 1])
    assessments = list(
        client.assessments.select_related("version", "determined_by").order_by("-created_at")
    )
    unemployed = [
        rules.Period(r.registered_on, r.deregistered_on)
        for r in registrations
        if r.status == Status.UNEMPLOYED
    ]
    threshold = parameter_value(
        "clients.long_term_threshold_days", rules.LONG_TERM_THRESHOLD_DAYS_DEFAULT
    )
    groups = {
        "age": rules.age_on(client.birth_date, today),
        "under_25": rules.is_under_25(client.birth_date, today),
        "under_30": rules.is_under_30(client.birth_date, today),
        "aged_50_plus": rules.is_aged_50_plus(client.birth_date, today),
        "days_in_window": rules.days_registered_in_window(unemployed, [], today),
        "long_term": rules.is_long_term_unemployed(unemployed, today, threshold_days=threshold),
        "days_registered": (
            rules.days_registered(open_registration.registered_on, today)
            if open_registration
            else None
        ),
        "disabled": bool(client.disability_degree),
        "young_or_disabled_child": client.cares_for_child_under_6 or client.cares_for_dependant,
    }
    return ClientPage(
        client=client,
        registrations=registrations,
        open_registration=open_registration,
        assignments=assignments,
        current_assignment=current,
        substitution=substitution,
        entries=entries[:JOURNAL_ON_CLIENT_PAGE],
        entries_total=len(entries),
        assessments=assessments,
        groups=groups,
    )


def office_advisors(office_id: int | None) -> QuerySet[User]:
    """Active customer advisors of an office: the only people a picker offers."""
    if office_id is None:
        return User.objects.none()
    return (
        User.objects.customer_advisors()
        .filter(office_id=office_id)
        .order_by("last_name", "first_name", "pk")
    )


def desk_advisors(office_id: int | None) -> QuerySet[User]:
    """The desk's advisor filter: active advisors, and anyone (a departed advisor) who still
    has clients, so that a manager can find and move them."""
    if office_id is None:
        return User.objects.none()
    current = AdvisorAssignment.objects.filter(
        advisor_id=OuterRef("pk"), ended_at__isnull=True, client__isnull=False
    )
    return (
        User.objects.filter(office_id=office_id)
        .filter(Q(is_active=True, is_customer_advisor=True) | Exists(current))
        .order_by("last_name", "first_name", "pk")
    )


def get_employer_for_user(user: User, pk: int) -> Employer:
    return get_object_or_404(
        Employer.objects.visible_to(user)
        .select_related("office")
        .prefetch_related(
            "contacts",
            Prefetch(
                "assignments",
                queryset=AdvisorAssignment.objects.select_related(
                    "advisor", "assigned_by"
                ).order_by("-started_at", "-pk"),
            ),
        ),
        pk=pk,
    )


def employers_list(user: User, query: str) -> QuerySet[Employer]:
    employers = Employer.objects.visible_to(user).annotate(
        current=FilteredRelation("assignments", condition=Q(assignments__ended_at__isnull=True)),
        advisor_first_name=F("current__advisor__first_name"),
        advisor_last_name=F("current__advisor__last_name"),
    )
    query = query.replace("\x00", "").strip()
    if query:
        digits = query.replace("-", "").replace(" ", "").removeprefix("PL")
        if digits.isdigit():
            employers = employers.filter(Q(nip__startswith=digits) | Q(regon__startswith=digits))
        else:
            for word in fold(query).split():
                employers = employers.filter(search_text__contains=word)
    return employers.order_by("name", "pk")
