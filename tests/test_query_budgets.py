"""Every page's query budget (DESIGN.md rule 7): each page that shows a list, or a record
with lists under it, is rendered with 5 and with 50 rows in each of its lists; the number of
SQL statements must be the same both times, and within the page's budget below.

``BUDGETS`` is the documentation: page → the most queries it may make, whatever the size of
the office. A page whose count grows with its rows (a query per row: a missing
``select_related``, ``prefetch_related`` or annotation) fails the equality, and the message
shows the statements repeated in the bigger render. Each list's rows carry a marker text, and
the bigger render must show more of them, so a list that renders nothing cannot pass.

Rows are made cheaply: through the services where a rule shapes what the page shows (a
profiled client, an agreed plan), with ``bulk_create`` where it does not (journal entries,
contacts, enrolments, caseload rows)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import (
    AdvisorAssignment,
    AssignmentKind,
    CardEntry,
    Client,
    DeregistrationReason,
    Employer,
    EmployerContact,
    EntryKind,
    Registration,
    Status,
    Substitution,
)
from clients.search import fold
from ipd.models import (
    ActionKind,
    Contact,
    ContactChannel,
    ContactStatus,
    DueItem,
    EndReason,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
    PlanVersion,
    Reminder,
    ReminderStage,
)
from job_clubs.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceMark,
    Enrolment,
    EnrolmentStatus,
    JobClub,
    Session,
)
from labour_office.dashboard import caseload
from labour_office.dashboard.selectors import METRICS
from labour_office.offices.models import Office, Role, User
from profiling.models import Assessment, AssessmentStatus, QuestionnaireVersion
from tests.conftest import signed_in
from tests.factories import make_pesel
from tests.ipd.conftest import (
    REGISTERED_ON,
    START,
    TODAY,
    WARSAW,
    form,
    prepared_plan,
    travel,
    unemployed,
)

pytestmark = pytest.mark.django_db

SIZES = (5, 50)

# Page → the most SQL statements one render may make (with the process's caches warm, as on
# a running server); every page makes exactly as many at 50 rows as at 5. Nine of them are
# the same on every signed-in page: the session read, the user, their permissions (two), their
# groups, the reminders badge, and the session saved (UPDATE inside a savepoint, three). The
# public pages have none of these.
BUDGETS: dict[str, int] = {
    "home": 13,
    "home?q=": 13,
    "client_detail": 26,
    "client_journal": 13,
    "substitution_list": 12,
    "employer_list": 11,
    "employer_detail": 13,
    "ipd:plan": 17,
    "ipd:plan (draft)": 25,
    "ipd:inbox": 11,
    "ipd:inbox (manager)": 13,
    "profile_changes": 11,
    "job_clubs:clubs": 10,
    "job_clubs:club": 12,
    "job_clubs:week": 11,
    "job_clubs:activity": 13,
    "job_clubs:activity?q=": 20,
    "job_clubs:register": 13,
    "job_clubs:client_activities": 17,
    "job_clubs:public_activities": 4,
    "job_clubs:public_offices": 2,
    "dashboard:dashboard": 15,
    "dashboard:list registered": 13,
    "dashboard:list contact_overdue": 13,
    "dashboard:list contact_7": 13,
    "dashboard:list contact_14": 13,
    "dashboard:list prepare_in_term": 13,
    "dashboard:list prepare_overdue": 13,
    "dashboard:list max_end_30": 13,
    "dashboard:list reprofile": 13,
    "dashboard:list actions_open": 13,
    "dashboard:trend": 12,
    "staff_list": 12,
    "staff_list (national)": 12,
    "office_list": 11,
}

# Marker texts of the rows (client surnames, journal entries).
CLIENT = "Budżetowa"
ENTRY = "Wpis kontrolny"


@dataclass
class World:
    """The office and its people (the fixtures of tests/conftest.py)."""

    office: Office
    advisor: User
    manager: User
    office_admin: User
    national_admin: User


@dataclass
class Page:
    """One page under test: who opens it, where, how its lists grow to ``n`` rows each, and
    the text each row of each list shows."""

    user: User | None  # None: the public (no login)
    url: str
    grow: Callable[[int], None]
    markers: tuple[str, ...]


PAGES: dict[str, Callable[[World], Page]] = {}


def budgeted(name: str) -> Callable[[Callable[[World], Page]], Callable[[World], Page]]:
    """Registers the builder of the page ``name`` of ``BUDGETS``."""

    def register(builder: Callable[[World], Page]) -> Callable[[World], Page]:
        PAGES[name] = builder
        return builder

    return register


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with travel(TODAY):
        yield


@pytest.fixture
def world(
    office: Office, advisor: User, manager: User, office_admin: User, national_admin: User
) -> World:
    return World(office, advisor, manager, office_admin, national_admin)


# --- Rows -----------------------------------------------------------------------------------

_serials = count(1)


def grower(make: Callable[[int, int], None]) -> Callable[[int], None]:
    """``make(start, n)`` adds rows ``start``..``start + n - 1``; the result brings the lists
    to ``n`` rows each, however many there were."""
    made = [0]

    def grow(n: int) -> None:
        if n > made[0]:
            make(made[0], n - made[0])
            made[0] = n

    return grow


def new_clients(
    office: Office,
    n: int,
    advisor: User,
    *,
    last_name: str = CLIENT,
    registered_on: date = REGISTERED_ON,
) -> list[Client]:
    """``n`` registered unemployed clients of ``office`` with ``advisor`` as their advisor:
    the rows the desk and the lists read, written in three statements."""
    clients = []
    for _ in range(n):
        serial = next(_serials)
        born = date(1950, 1, 1) + timedelta(days=serial)
        first_name = f"Ewa{serial}"
        clients.append(
            Client(
                office=office,
                first_name=first_name,
                last_name=last_name,
                birth_date=born,
                sex="F",
                pesel=make_pesel(born, "F", serial % 5000),
                city="Piaseczno",
                education_level="higher",
                search_text=fold(f"{first_name} {last_name}"),
            )
        )
    clients = Client.objects.bulk_create(clients)
    Registration.objects.bulk_create(
        Registration(
            client=c,
            office=office,
            status=Status.UNEMPLOYED,
            registered_on=registered_on,
            created_by=advisor,
        )
        for c in clients
    )
    AdvisorAssignment.objects.bulk_create(
        AdvisorAssignment(
            client=c, advisor=advisor, kind=AssignmentKind.LEAST_CASELOAD, assigned_by=advisor
        )
        for c in clients
    )
    return clients


def new_users(office: Office | None, n: int, role: str, last_name: str) -> list[User]:
    users = User.objects.bulk_create(
        User(
            username=f"kontrolny{next(_serials)}",
            first_name="Jan",
            last_name=last_name,
            office=office,
            is_customer_advisor=role == Role.ADVISOR,
        )
        for _ in range(n)
    )
    group = Group.objects.get(name=role)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=group.pk) for u in users
    )
    return users


def new_activities(
    club: JobClub,
    n: int,
    *,
    title: str,
    first: datetime,
    opens_on: date = TODAY - timedelta(days=7),
    closes_on: date = TODAY + timedelta(days=7),
    sessions: int = 2,
) -> list[Activity]:
    """``n`` activities of ``club``, each with ``sessions`` sessions a day apart from
    ``first``."""
    activities = Activity.objects.bulk_create(
        Activity(
            club=club,
            kind=ActivityKind.ACTIVATION_CLASSES,
            title=title,
            leader=club.leader,
            capacity=60,
            enrolment_opens_on=opens_on,
            enrolment_closes_on=closes_on,
        )
        for _ in range(n)
    )
    Session.objects.bulk_create(
        Session(
            activity=a,
            starts_at=first + timedelta(days=d),
            ends_at=first + timedelta(days=d, hours=4),
            room="sala 12",
            hours=Decimal("4"),
        )
        for a in activities
        for d in range(sessions)
    )
    return activities


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=WARSAW)


def new_club(w: World, name: str = "Klub Pracy PUP Piaseczno") -> JobClub:
    return JobClub.objects.create(office=w.office, name=name, place="sala 12", leader=w.advisor)


def entries(n: int, author: User, **owner: object) -> None:
    CardEntry.objects.bulk_create(
        CardEntry(kind=EntryKind.ADVISOR_ACTION, text=f"{ENTRY} {k}", author=author, **owner)
        for k in range(n)
    )


def profiled(w: World) -> Client:
    """A client registered, interviewed and profiled through the services."""
    return unemployed(w.advisor, w.office, "II")


# --- The client pages -----------------------------------------------------------------------


@budgeted("home")
def desk(w: World) -> Page:
    def make(start: int, n: int) -> None:
        new_clients(w.office, n, w.advisor)

    return Page(w.advisor, reverse("home"), grower(make), (CLIENT,))


@budgeted("home?q=")
def desk_search(w: World) -> Page:
    found = desk(w)
    found.url = reverse("home") + "?q=budzetowa"
    return found


@budgeted("client_detail")
def client_detail(w: World) -> Page:
    """The client page with every list under it growing: the journal, earlier registration
    periods (each with a profile and an ended plan), the plan's contacts, the advisors'
    history, job-club enrolments."""
    client = profiled(w)
    plan = prepared_plan(w.advisor, client)
    club = new_club(w)
    reason = DeregistrationReason.objects.order_by("pk").first()
    current = Assessment.objects.get(client=client, is_current=True)

    def make(start: int, n: int) -> None:
        entries(n, w.advisor, client=client)
        periods = Registration.objects.bulk_create(
            Registration(
                client=client,
                office=w.office,
                status=Status.UNEMPLOYED,
                registered_on=date(2015, 1, 1) + timedelta(days=20 * k),
                deregistered_on=date(2015, 1, 1) + timedelta(days=20 * k + 10),
                deregistration_reason=reason,
                deregistration_decision=f"Decyzja kontrolna {k}",
                created_by=w.advisor,
            )
            for k in range(start, start + n)
        )
        profiles = Assessment.objects.bulk_create(
            Assessment(
                client=client,
                registration=r,
                version=current.version,
                status=AssessmentStatus.DETERMINED,
                answers=current.answers,
                proposed_profile="II",
                final_profile="II",
                determined_on=r.registered_on + timedelta(days=1),
                determined_by=w.advisor,
                created_by=w.advisor,
            )
            for r in periods
        )
        IndividualActionPlan.objects.bulk_create(
            IndividualActionPlan(
                client=client,
                registration=a.registration,
                assessment=a,
                profile="II",
                status=PlanStatus.ENDED,
                goals="Magazynier",
                starts_on=a.determined_on,
                ends_on=a.registration.deregistered_on,
                advisor=w.advisor,
                prepared_on=a.determined_on,
                agreed_on=a.determined_on,
                version=1,
                ended_on=a.registration.deregistered_on,
                end_reason=EndReason.WORK,
                created_by=w.advisor,
            )
            for a in profiles
        )
        Contact.objects.bulk_create(
            Contact(
                plan=plan,
                status=ContactStatus.HELD,
                contact_on=START + timedelta(days=k % 20),
                channel=ContactChannel.PHONE,
                staff=w.advisor,
                recorded_by=w.advisor,
                outcome=f"Rozmowa kontrolna {k}",
            )
            for k in range(start, start + n)
        )
        AdvisorAssignment.objects.bulk_create(
            AdvisorAssignment(
                client=client,
                advisor=w.advisor,
                kind=AssignmentKind.REASSIGNMENT,
                reason=f"Zmiana kontrolna {k}",
                started_at=at(date(2015, 1, 1)),
                ended_at=at(date(2015, 1, 2)),
                assigned_by=w.manager,
            )
            for k in range(start, start + n)
        )
        activities = new_activities(club, n, title="Zajęcia kontrolne", first=at(TODAY), sessions=1)
        Enrolment.objects.bulk_create(
            Enrolment(
                activity=a, client=client, status=EnrolmentStatus.ENROLLED, enrolled_by=w.advisor
            )
            for a in activities
        )

    markers = (
        ENTRY,
        "Decyzja kontrolna",  # registration periods
        "/assessments/",  # profile history
        "kontakt: ",  # the plan's contacts on its timeline
        "Zmiana kontrolna",  # the advisors' history
        "Zajęcia kontrolne",  # job-club enrolments
        "/ipd/",  # earlier plans
    )
    return Page(w.advisor, client.get_absolute_url(), grower(make), markers)


@budgeted("client_journal")
def client_journal(w: World) -> Page:
    client = new_clients(w.office, 1, w.advisor)[0]

    def make(start: int, n: int) -> None:
        entries(n, w.advisor, client=client)

    return Page(w.advisor, reverse("client_journal", args=[client.pk]), grower(make), (ENTRY,))


@budgeted("substitution_list")
def substitution_list(w: World) -> Page:
    absent, substitute = new_users(w.office, 2, Role.ADVISOR, "Zastępowalska")

    def make(start: int, n: int) -> None:
        Substitution.objects.bulk_create(
            Substitution(
                office=w.office,
                absent=absent,
                substitute=substitute,
                starts_on=TODAY + timedelta(days=3 * k),
                ends_on=TODAY + timedelta(days=3 * k + 1),
                reason=f"Urlop kontrolny {k}",
                created_by=w.manager,
            )
            for k in range(start, start + n)
        )

    return Page(w.manager, reverse("substitution_list"), grower(make), ("Urlop kontrolny",))


def nip(serial: int) -> str:
    """A valid NIP (the check digit of the weights 6, 5, 7, 2, 3, 4, 5, 6, 7)."""
    while True:
        head = f"{526000000 + serial:09d}"
        check = sum(w * int(d) for w, d in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), head, strict=True)) % 11
        if check < 10:
            return head + str(check)
        serial += 100_000


def new_employers(w: World, n: int) -> list[Employer]:
    employers = Employer.objects.bulk_create(
        Employer(
            office=w.office,
            name=f"Firma Kontrolna {k}",
            nip=nip(next(_serials)),
            kind="company",
            city="Piaseczno",
            search_text=fold(f"Firma Kontrolna {k}"),
        )
        for k in range(n)
    )
    AdvisorAssignment.objects.bulk_create(
        AdvisorAssignment(
            employer=e, advisor=w.advisor, kind=AssignmentKind.LEAST_CASELOAD, assigned_by=w.advisor
        )
        for e in employers
    )
    return employers


@budgeted("employer_list")
def employer_list(w: World) -> Page:
    def make(start: int, n: int) -> None:
        new_employers(w, n)

    return Page(w.advisor, reverse("employer_list"), grower(make), ("Firma Kontrolna",))


@budgeted("employer_detail")
def employer_detail(w: World) -> Page:
    employer = new_employers(w, 1)[0]

    def make(start: int, n: int) -> None:
        EmployerContact.objects.bulk_create(
            EmployerContact(employer=employer, name=f"Osoba Kontrolna {k}", position="kadry")
            for k in range(start, start + n)
        )
        entries(n, w.advisor, employer=employer)
        AdvisorAssignment.objects.bulk_create(
            AdvisorAssignment(
                employer=employer,
                advisor=w.advisor,
                kind=AssignmentKind.REASSIGNMENT,
                started_at=at(date(2015, 1, 1)),
                ended_at=at(date(2015, 1, 2)),
                assigned_by=w.manager,
            )
            for _ in range(n)
        )

    markers = ("Osoba Kontrolna", ENTRY)
    return Page(w.advisor, reverse("employer_detail", args=[employer.pk]), grower(make), markers)


# --- The plan and the reminders -------------------------------------------------------------


@budgeted("ipd:plan")
def plan_page(w: World) -> Page:
    """A plan in force: its actions, contacts (held and planned), specialists and versions
    grow."""
    plan = prepared_plan(w.advisor, profiled(w))
    actions = plan_actions(w, plan)
    first = plan.versions.get()

    def make(start: int, n: int) -> None:
        actions(start, n)
        specialists = IndividualActionPlan.specialists.through
        specialists.objects.bulk_create(
            specialists(individualactionplan_id=plan.pk, user_id=u.pk)
            for u in new_users(w.office, n, Role.ADVISOR, "Specjalistyczna")
        )
        PlanVersion.objects.bulk_create(
            PlanVersion(
                plan=plan,
                number=2 + k,
                agreed_on=TODAY,
                reason=f"Aneks kontrolny {k}",
                snapshot=first.snapshot,
                created_by=w.advisor,
            )
            for k in range(start, start + n)
        )

    markers = ("Działanie kontrolne", "Rozmowa kontrolna", "Specjalistyczna", "Aneks kontrolny")
    return Page(w.advisor, reverse("ipd:plan", args=[plan.pk]), grower(make), markers)


@budgeted("ipd:plan (draft)")
def draft_plan_page(w: World) -> Page:
    """A plan being prepared: the editor, with its forms, over a growing list of actions."""
    plan = prepared_plan(w.advisor, profiled(w), on=TODAY, agree=False)
    markers = ("Działanie kontrolne",)
    return Page(
        w.advisor, reverse("ipd:plan", args=[plan.pk]), grower(plan_actions(w, plan)), markers
    )


def plan_actions(w: World, plan: IndividualActionPlan) -> Callable[[int, int], None]:
    """Adds office and own actions to the plan, and contacts once it is in force."""
    job_placement = form("job_placement")

    def make(start: int, n: int) -> None:
        PlanAction.objects.bulk_create(
            PlanAction(
                plan=plan,
                kind=ActionKind.OFFICE if k % 2 else ActionKind.OWN,
                form=job_placement if k % 2 else None,
                description=f"Działanie kontrolne {k}",
                starts_on=START,
                ends_on=START + timedelta(days=60),
                responsible=w.advisor if k % 2 else None,
                position=10 + k,
            )
            for k in range(start, start + n)
        )
        if plan.status != PlanStatus.ACTIVE:
            return
        Contact.objects.bulk_create(
            Contact(
                plan=plan,
                status=ContactStatus.HELD if k % 3 else ContactStatus.PLANNED,
                contact_on=START + timedelta(days=k % 20) if k % 3 else TODAY + timedelta(days=k),
                channel=ContactChannel.PHONE,
                staff=w.advisor,
                recorded_by=w.advisor,
                outcome=f"Rozmowa kontrolna {k}",
            )
            for k in range(start, start + n)
        )

    return make


def reminders(clients: list[Client], advisor: User, stage: str) -> None:
    Reminder.objects.bulk_create(
        Reminder(
            client=c,
            office=c.office,
            kind="contact",
            due_on=TODAY,
            act_by=TODAY,
            stage=stage,
            advisor=advisor,
            created_on=TODAY,
        )
        for c in clients
    )


@budgeted("ipd:inbox")
def inbox(w: World) -> Page:
    def make(start: int, n: int) -> None:
        reminders(new_clients(w.office, n, w.advisor), w.advisor, ReminderStage.DUE)

    return Page(w.advisor, reverse("ipd:inbox"), grower(make), (CLIENT,))


@budgeted("ipd:inbox (manager)")
def inbox_manager(w: World) -> Page:
    """A manager's inbox: their own reminders and the office's overdue ones."""

    def make(start: int, n: int) -> None:
        reminders(
            new_clients(w.office, n, w.manager, last_name="Kierownicza"),
            w.manager,
            ReminderStage.DUE,
        )
        reminders(new_clients(w.office, n, w.advisor), w.advisor, ReminderStage.OVERDUE)

    return Page(w.manager, reverse("ipd:inbox"), grower(make), ("Kierownicza", CLIENT))


@budgeted("profile_changes")
def profile_changes(w: World) -> Page:
    """Changed profiles: one advisor per change, so both tables grow."""
    version = QuestionnaireVersion.objects.filter(is_published=True).order_by("pk").first()

    def make(start: int, n: int) -> None:
        advisors = new_users(w.office, n, Role.ADVISOR, "Profilująca")
        clients = new_clients(w.office, n, w.advisor)
        registrations = Registration.objects.filter(client__in=clients).order_by("client_id")
        Assessment.objects.bulk_create(
            Assessment(
                client_id=r.client_id,
                registration=r,
                version=version,
                status=AssessmentStatus.DETERMINED,
                answers={},
                proposed_profile="I",
                final_profile="II",
                justification="Uzasadnienie kontrolne",
                determined_on=TODAY,
                determined_by=a,
                is_current=True,
                created_by=a,
            )
            for r, a in zip(registrations, advisors, strict=True)
        )

    markers = ("Profilująca", "Uzasadnienie kontrolne")
    return Page(w.manager, reverse("profile_changes"), grower(make), markers)


# --- Job clubs ------------------------------------------------------------------------------


@budgeted("job_clubs:clubs")
def clubs(w: World) -> Page:
    def make(start: int, n: int) -> None:
        JobClub.objects.bulk_create(
            JobClub(office=w.office, name=f"Klub Kontrolny {k}", place="sala", leader=w.advisor)
            for k in range(start, start + n)
        )

    return Page(w.advisor, reverse("job_clubs:clubs"), grower(make), ("Klub Kontrolny",))


@budgeted("job_clubs:club")
def club(w: World) -> Page:
    """The club's activities: running, upcoming and past ones all grow."""
    club = new_club(w)

    def make(start: int, n: int) -> None:
        for first in (at(TODAY), at(TODAY + timedelta(days=14)), at(TODAY - timedelta(days=30))):
            new_activities(club, n, title="Zajęcia kontrolne", first=first, sessions=3)

    markers = ("Zajęcia kontrolne",)
    return Page(w.advisor, reverse("job_clubs:club", args=[club.pk]), grower(make), markers)


@budgeted("job_clubs:week")
def week(w: World) -> Page:
    club = new_club(w)

    def make(start: int, n: int) -> None:
        for k in range(5):
            new_activities(club, n // 5, title="Zajęcia kontrolne", first=at(TODAY, 8 + k))

    markers = ("Zajęcia kontrolne",)
    return Page(w.advisor, reverse("job_clubs:week", args=[club.pk]), grower(make), markers)


def enrolments(
    activity: Activity, clients: list[Client], by: User, actions: list[PlanAction] | None = None
) -> list[Enrolment]:
    """Enrolments in every state the activity page lists, each linked to its IPD action
    when ``actions`` are given."""
    statuses = [
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.WAITLISTED,
        EnrolmentStatus.CANCELLED,
        EnrolmentStatus.DROPPED_OUT,
    ]
    return Enrolment.objects.bulk_create(
        Enrolment(
            activity=activity,
            client=c,
            status=statuses[k % len(statuses)],
            enrolled_by=by,
            reason="" if k % len(statuses) < 3 else "Powód kontrolny",
            completed_on=TODAY if k % len(statuses) == 1 else None,
            hours_attended=Decimal("4"),
            plan_action=actions[k] if actions else None,
        )
        for k, c in enumerate(clients)
    )


@budgeted("job_clubs:activity")
def activity(w: World) -> Page:
    """The activity's participants (each linked to an action of an IPD), waiting list and
    those who left."""
    activity = new_activities(new_club(w), 1, title="Zajęcia", first=at(TODAY), sessions=5)[0]
    actions = plan_actions(w, prepared_plan(w.advisor, profiled(w)))

    def make(start: int, n: int) -> None:
        actions(start, n)
        linked = list(PlanAction.objects.filter(position__gte=10 + start).order_by("position"))
        enrolments(activity, new_clients(w.office, n, w.advisor), w.advisor, linked)

    markers = (CLIENT, "#actions")
    return Page(w.advisor, activity.get_absolute_url(), grower(make), markers)


@budgeted("job_clubs:activity?q=")
def activity_search(w: World) -> Page:
    """The activity page searching for clients to enrol (the first 10 are shown)."""
    found = activity(w)
    found.url += "?q=budzetowa"
    return found


@budgeted("job_clubs:register")
def register(w: World) -> Page:
    activity = new_activities(new_club(w), 1, title="Zajęcia", first=at(TODAY), sessions=5)[0]
    session = activity.sessions.order_by("starts_at").first()
    assert session is not None

    def make(start: int, n: int) -> None:
        taking_part = enrolments(activity, new_clients(w.office, n, w.advisor), w.advisor)
        Attendance.objects.bulk_create(
            Attendance(
                session=session, enrolment=e, mark=AttendanceMark.PRESENT, recorded_by=w.advisor
            )
            for e in taking_part[::2]
        )

    return Page(
        w.advisor, reverse("job_clubs:register", args=[session.pk]), grower(make), (CLIENT,)
    )


@budgeted("job_clubs:client_activities")
def client_activities(w: World) -> Page:
    """Activities open to the client, each clashing with one or two of the client's own
    (in the morning; the rest are in the afternoon), and the client's own."""
    client = new_clients(w.office, 1, w.advisor)[0]
    club = new_club(w)
    day = TODAY + timedelta(days=7)
    closed = {"opens_on": TODAY - timedelta(days=30), "closes_on": TODAY - timedelta(days=1)}

    def make(start: int, n: int) -> None:
        new_activities(club, n, title="Oferta kontrolna", first=at(day))
        own = new_activities(club, 1, title="Udział kontrolny", first=at(day), **closed)
        own += new_activities(club, n - 1, title="Udział kontrolny", first=at(day, 14), **closed)
        Enrolment.objects.bulk_create(
            Enrolment(
                activity=a, client=client, status=EnrolmentStatus.ENROLLED, enrolled_by=w.advisor
            )
            for a in own
        )

    url = reverse("job_clubs:client_activities", args=[client.pk])
    return Page(w.advisor, url, grower(make), ("Oferta kontrolna", "Udział kontrolny"))


@budgeted("job_clubs:public_activities")
def public_activities(w: World) -> Page:
    Office.objects.filter(pk=w.office.pk).update(job_club_public_page=True)
    club = JobClub.objects.create(
        office=w.office, name="Klub", place="sala", leader=w.advisor, public_page=True
    )

    def make(start: int, n: int) -> None:
        new_activities(club, n, title="Zajęcia kontrolne", first=at(TODAY + timedelta(days=7)))

    url = reverse("job_clubs:public_activities", args=[w.office.pk])
    return Page(None, url, grower(make), ("Zajęcia kontrolne",))


@budgeted("job_clubs:public_offices")
def public_offices(w: World) -> Page:
    def make(start: int, n: int) -> None:
        offices = Office.objects.bulk_create(
            Office(
                name=f"Urząd Kontrolny {k}",
                teryt_powiat=f"{1401 + k:04d}",
                street="ul. Długa 1",
                postal_code="00-950",
                city="Warszawa",
                job_club_public_page=True,
            )
            for k in range(start, start + n)
        )
        for o in offices:
            club = JobClub.objects.create(
                office=o, name="Klub", place="sala", leader=w.advisor, public_page=True
            )
            new_activities(club, 1, title="Zajęcia", first=at(TODAY + timedelta(days=7)))

    return Page(None, reverse("job_clubs:public_offices"), grower(make), ("Urząd Kontrolny",))


# --- Dashboards -----------------------------------------------------------------------------


@budgeted("dashboard:dashboard")
def dashboard(w: World) -> Page:
    """The numbers, the advisors' table (one advisor per client) and the job clubs."""
    club = new_club(w)

    def make(start: int, n: int) -> None:
        clients = []
        for advisor in new_users(w.office, n, Role.ADVISOR, "Doradcza"):
            clients += new_clients(w.office, 1, advisor)
        caseload.refresh(c.pk for c in clients)
        new_activities(club, n, title="Zajęcia kontrolne", first=at(TODAY + timedelta(days=7)))

    markers = ("Doradcza", "Zajęcia kontrolne")
    return Page(w.manager, reverse("dashboard:dashboard"), grower(make), markers)


# The due item (kind, days from today) that puts a client on each metric's list.
METRIC_DUE: dict[str, tuple[str, int] | None] = {
    "registered": None,
    "contact_overdue": ("contact", -5),
    "contact_7": ("contact", 3),
    "contact_14": ("contact", 10),
    "prepare_in_term": ("prepare", 20),
    "prepare_overdue": ("prepare", -5),
    "max_end_30": ("max_end", 20),
    "reprofile": ("reprofile", 0),
    "actions_open": ("action", -5),
}


def metric_list(key: str) -> Callable[[World], Page]:
    def build(w: World) -> Page:
        due = METRIC_DUE[key]

        def make(start: int, n: int) -> None:
            clients = new_clients(w.office, n, w.advisor)
            if due is not None:
                kind, days = due
                DueItem.objects.bulk_create(
                    DueItem(
                        client=c,
                        office=w.office,
                        kind=kind,
                        due_on=TODAY + timedelta(days=days),
                        act_by=TODAY + timedelta(days=days),
                    )
                    for c in clients
                )
            caseload.refresh(c.pk for c in clients)

        return Page(w.manager, reverse("dashboard:list", args=[key]), grower(make), (CLIENT,))

    return build


for _key in METRICS:
    PAGES[f"dashboard:list {_key}"] = metric_list(_key)


@budgeted("dashboard:trend")
def trend(w: World) -> Page:
    def make(start: int, n: int) -> None:
        clients = new_clients(w.office, n, w.advisor, registered_on=TODAY.replace(day=2))
        caseload.refresh(c.pk for c in clients)  # bulk_create sends no signals

    url = reverse("dashboard:trend", args=["registered", TODAY.strftime("%Y-%m")])
    return Page(w.manager, url, grower(make), (CLIENT,))


# --- Offices and staff ----------------------------------------------------------------------


@budgeted("staff_list")
def staff_list(w: World) -> Page:
    def make(start: int, n: int) -> None:
        new_users(w.office, n, Role.ADVISOR, "Kontrolny")

    return Page(w.office_admin, reverse("staff_list"), grower(make), ("Kontrolny",))


@budgeted("staff_list (national)")
def staff_list_national(w: World) -> Page:
    """A national administrator's staff list: every office's people, with their office."""
    national = staff_list(w)
    national.user = w.national_admin
    return national


@budgeted("office_list")
def office_list(w: World) -> Page:
    def make(start: int, n: int) -> None:
        offices = Office.objects.bulk_create(
            Office(
                name=f"Urząd Kontrolny {k}",
                teryt_powiat=f"{1401 + k:04d}",
                street="ul. Długa 1",
                postal_code="00-950",
                city="Warszawa",
            )
            for k in range(start, start + n)
        )
        for o in offices[:3]:
            new_users(o, 2, Role.ADVISOR, "Kontrolny")

    return Page(w.national_admin, reverse("office_list"), grower(make), ("Urząd Kontrolny",))


# --- The test -------------------------------------------------------------------------------


def test_every_page_has_a_budget_and_every_metric_a_list() -> None:
    assert set(PAGES) == set(BUDGETS)
    assert set(METRIC_DUE) == set(METRICS)


def repeated(statements: list[str]) -> str:
    """The statements run more than once with only their numbers changed: the usual shape
    of a query per row."""
    shapes = Counter(re.sub(r"\d+", "N", sql) for sql in statements)
    return "\n".join(f"{n} x {shape[:400]}" for shape, n in shapes.most_common(5) if n > 1)


@pytest.mark.parametrize("name", list(BUDGETS))
def test_the_query_count_does_not_grow_with_the_rows(name: str, world: World) -> None:
    page = PAGES[name](world)
    http = signed_in(page.user) if page.user else HttpClient()
    page.grow(SIZES[0])
    http.get(page.url)  # warms the process's caches (content types), as on a running server
    counts: list[int] = []
    shown: list[list[int]] = []
    statements: list[str] = []
    for rows in SIZES:
        page.grow(rows)
        with CaptureQueriesContext(connection) as captured:
            response = http.get(page.url)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        counts.append(len(captured))
        shown.append([html.count(marker) for marker in page.markers])
        statements = [q["sql"] for q in captured.captured_queries]
    for marker, few, many in zip(page.markers, *shown, strict=True):
        assert 0 < few < many, f"{name}: {marker!r} shown {few} times at 5 rows, {many} at 50"
    assert counts[0] == counts[1], (
        f"{name}: {counts[0]} queries at 5 rows, {counts[1]} at 50; repeated at 50:\n"
        + repeated(statements)
    )
    assert counts[1] <= BUDGETS[name], f"{name}: {counts[1]} queries, budget {BUDGETS[name]}"
