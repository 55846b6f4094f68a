"""Reads the job club's pages share: each one a fixed number of queries, scoped to the user's
office (someone else's club, activity or session answers 404)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clients.models import Client, Employer
from clients.selectors import search, with_current
from job_clubs import rules
from job_clubs.models import (
    HOLDS_A_PLACE,
    Activity,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    JobClub,
    Session,
)
from labour_office.offices.models import User

OPEN = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)


def _office_filter(user: User, path: str) -> Q:
    if user.sees_all_offices:
        return Q()
    return Q(**{path: user.office_id})


def clubs_for(user: User) -> QuerySet[JobClub]:
    return JobClub.objects.filter(_office_filter(user, "office_id")).select_related(
        "office", "leader"
    )


def get_club_for_user(user: User, pk: int) -> JobClub:
    return get_object_or_404(clubs_for(user), pk=pk)


def activities_for(user: User) -> QuerySet[Activity]:
    return Activity.objects.filter(_office_filter(user, "club__office_id")).select_related(
        "club__office", "club__leader", "leader"
    )


def get_activity_for_user(user: User, pk: int) -> Activity:
    return get_object_or_404(activities_for(user), pk=pk)


def get_session_for_user(user: User, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.filter(_office_filter(user, "activity__club__office_id")).select_related(
            "activity__club__office", "activity__club__leader", "activity__leader"
        ),
        pk=pk,
    )


def get_enrolment_for_user(user: User, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.filter(_office_filter(user, "activity__club__office_id")).select_related(
            "activity__club__office", "activity__leader", "client"
        ),
        pk=pk,
    )


def can_lead(user: User, activity: Activity) -> bool:
    """The activity's leader, the club's leader, or whoever runs the office's clubs
    (managers): may edit the activity and keep its register."""
    return user.pk in (activity.leader_id, activity.club.leader_id) or user.has_perm(
        "job_clubs.change_activity"
    )


def can_lead_club(user: User, club: JobClub) -> bool:
    return user.pk == club.leader_id or user.has_perm("job_clubs.change_activity")


def with_places(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotates places taken, the waiting list, the scheduled hours and the first and last
    session (one query with the list)."""
    return activities.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_A_PLACE), distinct=True),
        waiting=Count(
            "enrolments",
            filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED),
            distinct=True,
        ),
    ).prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at")))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def describe(activity: Activity) -> Activity:
    """Sets what lists show of an activity from its prefetched sessions and annotations:
    ``first_day``, ``last_day``, ``session_count``, ``hours_total``, ``free``."""
    sessions = list(activity.sessions.all())
    extra: Any = activity
    extra.first_day = local_day(sessions[0].starts_at) if sessions else None
    extra.last_day = local_day(sessions[-1].ends_at) if sessions else None
    extra.session_count = len(sessions)
    extra.hours_total = sum((s.hours for s in sessions), Decimal("0"))
    extra.free = max(activity.capacity - getattr(activity, "taken", 0), 0)
    return activity


@dataclass
class ClubPage:
    club: JobClub
    running: list[Activity]
    upcoming: list[Activity]
    past: list[Activity]


def club_page(club: JobClub, today: date) -> ClubPage:
    """The club's activities split by their sessions: running, upcoming and past (the
    latest 20); an activity without sessions yet counts as upcoming."""
    activities = [describe(a) for a in with_places(club.activities.select_related("leader"))]
    running, upcoming, past = [], [], []
    for activity in activities:
        extra: Any = activity
        if extra.first_day is None or extra.first_day > today:
            upcoming.append(activity)
        elif extra.last_day < today:
            past.append(activity)
        else:
            running.append(activity)

    def first_day(a: Activity) -> date:
        return getattr(a, "first_day", None) or date.max

    upcoming.sort(key=first_day)
    running.sort(key=first_day)
    past.sort(key=first_day, reverse=True)
    return ClubPage(club=club, running=running, upcoming=upcoming, past=past[:20])


@dataclass
class Day:
    day: date
    sessions: list[Session] = field(default_factory=list)


def week(club: JobClub, monday: date) -> list[Day]:
    """The club's sessions from Monday to Sunday of one week, day by day."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(monday, time.min, tzinfo=tz)
    sessions = (
        Session.objects.filter(
            activity__club=club, starts_at__gte=start, starts_at__lt=start + timedelta(days=7)
        )
        .select_related("activity__leader")
        .annotate(
            taken=Count(
                "activity__enrolments",
                filter=Q(activity__enrolments__status__in=HOLDS_A_PLACE),
            )
        )
        .order_by("starts_at", "pk")
    )
    days = [Day(monday + timedelta(days=n)) for n in range(7)]
    for session in sessions:
        days[(local_day(session.starts_at) - monday).days].sessions.append(session)
    return days


@dataclass
class ActivityPage:
    activity: Activity
    sessions: list[Session]
    participants: list[Enrolment]
    waiting: list[Enrolment]
    ended: list[Enrolment]
    hours_scheduled: Decimal
    taken: int
    first_day: date | None
    last_day: date | None
    marked: dict[int, int]

    @property
    def free(self) -> int:
        return max(self.activity.capacity - self.taken, 0)


def activity_page(activity: Activity) -> ActivityPage:
    """The activity with its sessions and everyone on its lists (three queries)."""
    sessions: list[Any] = list(
        activity.sessions.annotate(marked=Count("attendance")).order_by("starts_at", "pk")
    )
    enrolments = list(
        activity.enrolments.select_related("client", "plan_action__plan").order_by(
            "enrolled_at", "pk"
        )
    )
    participants = sorted(
        (e for e in enrolments if e.status in HOLDS_A_PLACE),
        key=lambda e: (e.client.last_name, e.client.first_name, e.pk),
    )
    return ActivityPage(
        activity=activity,
        sessions=sessions,
        participants=participants,
        waiting=[e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED],
        ended=[
            e
            for e in enrolments
            if e.status in (EnrolmentStatus.CANCELLED, EnrolmentStatus.DROPPED_OUT)
        ],
        hours_scheduled=sum((s.hours for s in sessions), Decimal("0")),
        taken=len(participants),
        first_day=local_day(sessions[0].starts_at) if sessions else None,
        last_day=local_day(sessions[-1].ends_at) if sessions else None,
        marked={s.pk: s.marked for s in sessions},
    )


@dataclass
class Register:
    session: Session
    rows: list[tuple[Enrolment, str]]
    hours_scheduled: Decimal
    previous: Session | None
    next: Session | None


def register(session: Session) -> Register:
    """One session's register: every participant who holds or held a place, with the mark
    recorded for this session ("" when none yet)."""
    activity = session.activity
    sessions = list(activity.sessions.order_by("starts_at", "pk"))
    index = next(i for i, s in enumerate(sessions) if s.pk == session.pk)
    enrolments = list(
        activity.enrolments.filter(
            status__in=[*HOLDS_A_PLACE, EnrolmentStatus.DROPPED_OUT]
        ).select_related("client")
    )
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "mark"))
    enrolments.sort(key=lambda e: (e.client.last_name, e.client.first_name, e.pk))
    return Register(
        session=session,
        rows=[(e, marks.get(e.pk, "")) for e in enrolments],
        hours_scheduled=sum((s.hours for s in sessions), Decimal("0")),
        previous=sessions[index - 1] if index > 0 else None,
        next=sessions[index + 1] if index + 1 < len(sessions) else None,
    )


@dataclass
class Candidate:
    """A client found by the activity page's search, or an activity the client page offers:
    why the client may not enrol (empty if they may) and what it would clash with."""

    client: Client
    activity: Activity
    refusal: str
    clashes: list[Session]
    enrolment: Enrolment | None


def _open_periods(clients: list[Client]) -> tuple[dict[int, rules.Period], set[int]]:
    from clients.models import Registration

    periods: dict[int, rules.Period] = {}
    ever: set[int] = set()
    for registration in Registration.objects.filter(client__in=clients).only(
        "client_id", "status", "registered_on", "deregistered_on"
    ):
        ever.add(registration.client_id)
        if registration.deregistered_on is None:
            periods[registration.client_id] = rules.Period(
                registration.status, registration.registered_on, None
            )
    return periods, ever


def _refusal(
    activity: Activity, client_id: int, periods: dict[int, rules.Period], ever: set[int]
) -> str:
    from job_clubs.services import eligibility_message

    try:
        rules.eligibility(
            activity.kind,
            periods.get(client_id),
            open_to_all=activity.club.office.job_club_information_open_to_all,
            ever_registered=client_id in ever,
        )
    except rules.NotEligible as reason:
        return eligibility_message(activity.kind, str(reason))
    return ""


def _client_sessions(clients: list[Client]) -> dict[int, list[tuple[Session, int]]]:
    """Every open enrolment's sessions of these clients: (session, client id)."""
    by_client: dict[int, list[tuple[Session, int]]] = defaultdict(list)
    rows = Enrolment.objects.filter(client__in=clients, status__in=OPEN).values_list(
        "client_id", "activity_id"
    )
    activity_clients: dict[int, list[int]] = defaultdict(list)
    for client_id, activity_id in rows:
        activity_clients[activity_id].append(client_id)
    if not activity_clients:
        return by_client
    for session in Session.objects.filter(activity_id__in=activity_clients).select_related(
        "activity"
    ):
        for client_id in activity_clients[session.activity_id]:
            by_client[client_id].append((session, session.activity_id))
    return by_client


def _clashing(
    own: list[tuple[Session, int]], activity: Activity, sessions: list[Session]
) -> list[Session]:
    found = []
    for other, activity_id in own:
        if activity_id == activity.pk:
            continue
        if any(
            rules.overlaps((s.starts_at, s.ends_at), (other.starts_at, other.ends_at))
            for s in sessions
        ):
            found.append(other)
    return sorted(found, key=lambda s: s.starts_at)


def clashes(client: Client, activity: Activity) -> list[Session]:
    """The client's sessions in other activities (enrolled or waiting) at the same time as
    this activity's sessions."""
    sessions = list(activity.sessions.all())
    return _clashing(_client_sessions([client]).get(client.pk, []), activity, sessions)


@dataclass
class Found:
    candidates: list[Candidate]
    employers: list[Employer]
    truncated: bool


SEARCH_LIMIT = 10


def find_candidates(user: User, activity: Activity, query: str) -> Found:
    """The activity page's search: clients of the activity's office by PESEL or name, each
    with the reason they may not enrol and any clash; employers matching the words are named
    too, so the user learns why they cannot be enrolled. A fixed number of queries."""
    query = query.replace("\x00", "").strip()
    if not query:
        return Found([], [], False)
    clients = list(
        search(
            with_current(Client.objects.filter(office_id=activity.club.office_id)), query
        ).order_by("last_name", "first_name", "pk")[: SEARCH_LIMIT + 1]
    )
    truncated = len(clients) > SEARCH_LIMIT
    clients = clients[:SEARCH_LIMIT]
    sessions = list(activity.sessions.all())
    periods, ever = _open_periods(clients)
    own = _client_sessions(clients)
    live = {
        e.client_id: e
        for e in Enrolment.objects.filter(
            activity=activity, client__in=clients, status__in=[*OPEN, EnrolmentStatus.COMPLETED]
        )
    }
    candidates = [
        Candidate(
            client=client,
            activity=activity,
            refusal=_refusal(activity, client.pk, periods, ever),
            clashes=_clashing(own.get(client.pk, []), activity, sessions),
            enrolment=live.get(client.pk),
        )
        for client in clients
    ]
    employers: list[Employer] = []
    if len(query) >= 3:
        digits = query.replace("-", "").replace(" ", "")
        employer_query = Employer.objects.filter(office_id=activity.club.office_id)
        if digits.isdigit():
            employer_query = employer_query.filter(nip__startswith=digits)
        else:
            from clients.search import fold

            for word in fold(query).split():
                employer_query = employer_query.filter(search_text__contains=word)
        employers = list(employer_query.order_by("name")[:5])
    return Found(candidates, employers, truncated)


def joinable(client: Client, today: date) -> list[Candidate]:
    """Activities of the client's office whose enrolment is open today, with the places left,
    why the client may not join (if so) and clashes with the client's other activities."""
    activities = list(
        with_places(
            Activity.objects.filter(
                club__office_id=client.office_id,
                club__is_active=True,
                enrolment_opens_on__lte=today,
                enrolment_closes_on__gte=today,
            )
            .exclude(
                pk__in=Enrolment.objects.filter(
                    client=client, status__in=[*OPEN, EnrolmentStatus.COMPLETED]
                ).values("activity_id")
            )
            .select_related("club__office", "leader")
        ).order_by("enrolment_closes_on", "pk")
    )
    periods, ever = _open_periods([client])
    own = _client_sessions([client]).get(client.pk, [])
    return [
        Candidate(
            client=client,
            activity=describe(activity),
            refusal=_refusal(activity, client.pk, periods, ever),
            clashes=_clashing(own, activity, list(activity.sessions.all())),
            enrolment=None,
        )
        for activity in activities
    ]


def client_enrolments(client: Client) -> list[Enrolment]:
    """The client's enrolments, newest first, for the client page (one query)."""
    return list(
        client.enrolments.select_related("activity__club").order_by("-enrolled_at", "-pk")[:20]
    )
