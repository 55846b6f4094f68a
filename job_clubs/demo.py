"""Demo job clubs for seed_demo: a club per office with activities in every phase, written
through ``job_clubs.services``.

Each office gets "Klub Pracy PUP <city>", led by a career counsellor of the office (else a
customer advisor, else any staff member), and five activities dated from today:

- activation classes that ended about six weeks ago (10 sessions of 4 hours, a shortened
  handbook cycle), with attendance for every session: most participants completed them (a
  certificate issued to all of them but the last), one dropped out without a good reason, one
  with a good reason, one cancelled before the start;
- job-search training that started last week and runs into next week, attendance recorded for
  the sessions before today;
- the next cycle of activation classes, enrolment open, every place taken and three people on
  the waiting list;
- weekly open-information sessions (job offers and databases) with a few enrolments;
- workshops after that with free places.

Participants are the office's clients with an open registration (unemployed or jobseekers),
registered by the day they are enrolled; a client whose IPD in force starts after that day is
not enrolled then (the service would link the enrolment to a plan that did not exist yet).
The services check eligibility, the enrolment window, the capacity and the link to the IPD
(always given a justification; the service keeps it only where the profile needs one). What
they stamp with the real time (enrolment, attendance, journal entries, IPD actions, the
activity's creation) is moved afterwards to the simulated moment, as ``ipd.demo`` does.

Idempotent and reproducible: an office whose demo club exists is left alone; clients are
drawn by a ``random.Random`` seeded with the office's name from a list sorted by PESEL (or
document number), so a rerun on the same data chooses alike.
"""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import TypeVar

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from clients.models import AdvisorAssignment, CardEntry, Client, Registration, Sex, Status
from ipd.models import IndividualActionPlan, PlanAction, PlanStatus
from job_clubs import services
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
from labour_office.offices.models import Office, Post, User

SEED = "job-clubs-2026"
log = logging.getLogger(__name__)

JUSTIFICATION = "Klient potrzebuje wsparcia w poszukiwaniu pracy; decyzja doradcy."
CLASS_ROOM = "sala 12"
COMPUTER_ROOM = "sala 14 (pracownia komputerowa)"
FULL_CAPACITY = 8
WAITING = 3

# The participants of the finished classes, in the order they enrolled.
PAST_ROLES = [
    "completed",
    "completed",
    "dropped_bad",
    "completed",
    "dropped_good",
    "cancelled",
    "completed",
    "completed",
]
# Texts about the client take the client's sex: "[masculine|feminine]".
DROPPED_BAD = (
    "Od czwartego spotkania nie uczestniczy w zajęciach; nie usprawiedliwił[|a] nieobecności "
    "i nie odbiera telefonu."
)
DROPPED_GOOD = "Zwolnienie lekarskie na trzy tygodnie (przedstawione zaświadczenie lekarskie)."
CANCELLED = (
    "Klient[|ka] zrezygnował[|a] przed rozpoczęciem zajęć: w tym samym terminie zaczyna kurs "
    "zawodowy."
)

ACTIVATION_TITLE = "Aktywni na rynku pracy"
ACTIVATION_DESCRIPTION = (
    "Cykl zajęć grupowych, które przygotowują do samodzielnego poszukiwania pracy i motywują "
    "do działania: samoocena, dokumenty aplikacyjne, rozmowa kwalifikacyjna, spotkanie "
    "z pracodawcami. Zajęcia codziennie przez dwa tygodnie, po 4 godziny."
)
ACTIVATION_PROGRAMME = """\
1. Poznajmy się: integracja grupy, oczekiwania i cele uczestników.
2. Moje mocne strony: ocena własnych kwalifikacji i umiejętności.
3. Radzenie sobie ze stresem i z niepowodzeniami w szukaniu pracy.
4. Lokalny rynek pracy: kto zatrudnia w powiecie, gdzie szukać ofert.
5. Metody poszukiwania pracy, także przez internet.
6. CV i list motywacyjny: warsztat pisania.
7. Autoprezentacja i komunikacja.
8. Rozmowa kwalifikacyjna: symulacje z nagraniem i omówieniem.
9. Asertywność w kontaktach z pracodawcą.
10. Spotkanie z pracodawcami i podsumowanie cyklu."""
TRAINING_TITLE = "Skuteczne poszukiwanie pracy"
TRAINING_DESCRIPTION = (
    "Szkolenie z umiejętności poszukiwania pracy: skąd brać oferty, jak dotrzeć do pracodawcy "
    "bez ogłoszenia, jak dopasować CV do oferty i przygotować się do rozmowy."
)
TRAINING_PROGRAMME = """\
- Źródła ofert pracy: urząd, portale, agencje zatrudnienia, znajomi.
- Ukryty rynek pracy: jak dotrzeć do pracodawcy bez ogłoszenia.
- CV dopasowane do oferty i list motywacyjny.
- Profil zawodowy w internecie i bezpieczeństwo danych osobowych.
- Rozmowa kwalifikacyjna przez telefon i przez internet.
- Plan własnych działań na najbliższy miesiąc."""
INFORMATION_TITLE = "Giełda ofert pracy i dostęp do baz danych"
INFORMATION_DESCRIPTION = (
    "Cotygodniowe spotkanie w pracowni komputerowej: aktualne oferty pracy urzędu i portalu "
    "praca.gov.pl, bazy szkoleń i form wsparcia, pomoc w założeniu konta i wysłaniu "
    "aplikacji. Wstęp wolny, komputery z dostępem do internetu na miejscu."
)
INFORMATION_PROGRAMME = """\
- Przegląd nowych ofert pracy z powiatu i województwa.
- Wyszukiwanie ofert w Centralnej Bazie Ofert Pracy i w portalach rekrutacyjnych.
- Informacje o szkoleniach, stażach i dotacjach na działalność gospodarczą.
- Pomoc w wysłaniu aplikacji przez internet."""
WORKSHOP_TITLE = "Rozmowa kwalifikacyjna i autoprezentacja"
WORKSHOP_DESCRIPTION = (
    "Warsztaty praktyczne: przygotowanie do rozmowy kwalifikacyjnej, trudne pytania "
    "rekruterów, mowa ciała, krótka prezentacja własnej kandydatury."
)
WORKSHOP_PROGRAMME = """\
1. Jak przebiega rekrutacja: etapy, rodzaje rozmów.
2. Trudne pytania i odpowiedzi: luka w zatrudnieniu, oczekiwania finansowe.
3. Autoprezentacja w dwie minuty: ćwiczenia przed kamerą.
4. Symulacje rozmów z udziałem zaproszonego pracodawcy."""

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Slot:
    day: date
    start: time
    hours: int
    room: str

    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.start))

    def ends_at(self) -> datetime:
        return self.starts_at() + timedelta(hours=self.hours)


@dataclass(frozen=True)
class _Spec:
    kind: str
    title: str
    description: str
    programme: str
    capacity: int
    opens_on: date
    closes_on: date
    slots: list[_Slot]
    wanted: int  # participants to enrol (for the full activity: places plus the waiting list)

    @property
    def first_day(self) -> date:
        return self.slots[0].day

    @property
    def last_day(self) -> date:
        return self.slots[-1].day


@dataclass(frozen=True)
class _Candidate:
    client: Client
    registered_on: date
    plan_starts_on: date | None  # of the IPD in force
    advisor: User | None


def _shift(day: date, days: int) -> date:
    return day + timedelta(days=days)


def _next_working(day: date) -> date:
    while not is_working_day(day):
        day = _shift(day, 1)
    return day


def _previous_working(day: date) -> date:
    while not is_working_day(day):
        day = _shift(day, -1)
    return day


def _working_days(lo: date, hi: date) -> list[date]:
    return [d for n in range((hi - lo).days + 1) if is_working_day(d := _shift(lo, n))]


def _following_working_days(first: date, count: int) -> list[date]:
    days = [_next_working(first)]
    while len(days) < count:
        days.append(_next_working(_shift(days[-1], 1)))
    return days


_SEX_FORMS = re.compile(r"\[([^|\]]*)\|([^\]]*)\]")


def _sexed(text: str, client: Client) -> str:
    """The text with each "[masculine|feminine]" in the client's form."""
    female = client.sex == Sex.FEMALE
    return _SEX_FORMS.sub(lambda m: m.group(2 if female else 1), text)


def specs(today: date) -> dict[str, _Spec]:
    """The five activities of a club, dated from ``today``."""
    # Activation classes that ended about six weeks ago: 10 working days of 4 hours.
    last = _previous_working(_shift(today, -42))
    past_days = [last]
    while len(past_days) < 10:
        past_days.insert(0, _previous_working(_shift(past_days[0], -1)))
    # Job-search training: every other working day from a week ago to a week ahead.
    running_days = _working_days(_shift(today, -7), _shift(today, 8))[::2]
    # The next activation classes in two weeks, then the workshops a week after they end.
    full_days = _following_working_days(_shift(today, 14), 10)
    workshop_days = _following_working_days(_shift(full_days[-1], 7), 4)
    # Open information on the next four Wednesdays (a holiday moves it to the next working day).
    wednesday = _shift(today, (2 - today.weekday()) % 7 or 7)
    information_days = sorted({_next_working(_shift(wednesday, 7 * n)) for n in range(4)})

    def slots(days: list[date], start: time, hours: int, room: str) -> list[_Slot]:
        return [_Slot(d, start, hours, room) for d in days]

    def closes(days: list[date]) -> date:
        return _previous_working(_shift(days[0], -1))

    def edition(title: str, days: list[date]) -> str:
        return f"{title} ({days[0]:%d.%m}-{days[-1]:%d.%m.%Y})"

    return {
        "past": _Spec(
            ActivityKind.ACTIVATION_CLASSES,
            edition(ACTIVATION_TITLE, past_days),
            ACTIVATION_DESCRIPTION,
            ACTIVATION_PROGRAMME,
            12,
            _shift(past_days[0], -28),
            closes(past_days),
            slots(past_days, time(9, 0), 4, CLASS_ROOM),
            len(PAST_ROLES),
        ),
        "running": _Spec(
            ActivityKind.JOB_SEARCH_TRAINING,
            TRAINING_TITLE,
            TRAINING_DESCRIPTION,
            TRAINING_PROGRAMME,
            10,
            _shift(running_days[0], -21),
            closes(running_days),
            slots(running_days, time(10, 0), 3, CLASS_ROOM),
            6,
        ),
        "full": _Spec(
            ActivityKind.ACTIVATION_CLASSES,
            edition(ACTIVATION_TITLE, full_days),
            ACTIVATION_DESCRIPTION,
            ACTIVATION_PROGRAMME,
            FULL_CAPACITY,
            _shift(today, -10),
            closes(full_days),
            slots(full_days, time(9, 0), 4, CLASS_ROOM),
            FULL_CAPACITY + WAITING,
        ),
        "information": _Spec(
            ActivityKind.OPEN_INFORMATION,
            INFORMATION_TITLE,
            INFORMATION_DESCRIPTION,
            INFORMATION_PROGRAMME,
            10,
            _shift(today, -14),
            information_days[-1],
            slots(information_days, time(13, 30), 2, COMPUTER_ROOM),
            4,
        ),
        "free": _Spec(
            ActivityKind.JOB_SEARCH_TRAINING,
            WORKSHOP_TITLE,
            WORKSHOP_DESCRIPTION,
            WORKSHOP_PROGRAMME,
            12,
            _shift(today, -6),
            closes(workshop_days),
            slots(workshop_days, time(10, 0), 3, CLASS_ROOM),
            4,
        ),
    }


def club_name(office: Office) -> str:
    return f"Klub Pracy PUP {office.city}"


def _leader(office: Office) -> User | None:
    """A career counsellor of the office, else a customer advisor, else any staff member."""
    staff = User.objects.filter(office=office, is_active=True).order_by("pk")
    return (
        staff.filter(post=Post.CAREER_COUNSELLOR).order_by("-is_customer_advisor", "pk").first()
        or staff.filter(is_customer_advisor=True).first()
        or staff.first()
    )


def _candidates(office: Office, rng: random.Random) -> list[_Candidate]:
    """The office's clients with an open registration as unemployed or jobseekers, in an
    order drawn from the seed."""
    registrations = Registration.objects.filter(
        client__office=office,
        deregistered_on__isnull=True,
        status__in=[Status.UNEMPLOYED, Status.JOBSEEKER],
    ).select_related("client")
    plans = dict(
        IndividualActionPlan.objects.filter(
            client__office=office, status=PlanStatus.ACTIVE
        ).values_list("client_id", "starts_on")
    )
    advisors = {
        a.client_id: a.advisor
        for a in AdvisorAssignment.objects.filter(
            client__office=office, ended_at__isnull=True
        ).select_related("advisor")
    }
    found = [
        _Candidate(r.client, r.registered_on, plans.get(r.client_id), advisors.get(r.client_id))
        for r in registrations
    ]
    found.sort(key=lambda c: (c.client.pesel or "", c.client.document_number, c.client.last_name))
    rng.shuffle(found)
    return found


@dataclass
class _Seeder:
    today: date
    now: datetime
    entry_mark: int
    skipped: list[str] = field(default_factory=list)

    def stamp(self, moment: datetime) -> None:
        """Move the journal entries the last service call wrote to the simulated moment."""
        new = list(CardEntry.objects.filter(pk__gt=self.entry_mark).values_list("pk", flat=True))
        if new:
            CardEntry.objects.filter(pk__in=new).update(created_at=min(moment, self.now))
            self.entry_mark = max(new)

    def act(self, user: User, moment: datetime, call: Callable[[], _T]) -> _T:
        with set_actor(user):
            result = call()
        self.stamp(moment)
        return result

    def moment(self, rng: random.Random, day: date, after: datetime | None = None) -> datetime:
        """A time in office hours on ``day``, after ``after``, never after now."""
        moment = timezone.make_aware(datetime.combine(day, time(8, 0)))
        moment += timedelta(minutes=rng.randint(0, 7 * 60))
        if after is not None and moment <= after:
            moment = after + timedelta(minutes=rng.randint(2, 25))
        return min(moment, self.now - timedelta(minutes=1))


class _OfficeSeeder:
    def __init__(self, seeder: _Seeder, office: Office, leader: User) -> None:
        self.seeder = seeder
        self.office = office
        self.leader = leader
        self.today = seeder.today
        self.rng = random.Random(f"{SEED}:{office.name}")  # noqa: S311 - demo data
        self.pool = _candidates(office, self.rng)
        self.cursor = 0

    def seed(self) -> JobClub:
        office, leader = self.office, self.leader
        club = JobClub.objects.create(
            office=office,
            name=club_name(office),
            place=f"{office.street}, {office.postal_code} {office.city}, I piętro, {CLASS_ROOM}",
            leader=leader,
        )
        plan = specs(self.today)
        self.seed_past(club, plan["past"])
        self.seed_running(club, plan["running"])
        self.seed_full(club, plan["full"])
        self.enrol_all(self.create(club, plan["information"]), self.choose(plan["information"]))
        self.enrol_all(self.create(club, plan["free"]), self.choose(plan["free"]))
        return club

    # --- Participants -------------------------------------------------------------------------

    def enrol_days(self, spec: _Spec) -> list[date]:
        """Sorted days the participants enrol on: working days of the window before today."""
        days = _working_days(spec.opens_on, min(spec.closes_on, _shift(self.today, -1)))
        days = days or [self.today]
        return sorted(self.rng.choice(days) for _ in range(spec.wanted))

    def choose(self, spec: _Spec) -> list[tuple[_Candidate, date]]:
        """Participants in turn from the pool (each activity goes on where the last one
        stopped), each registered by the day of enrolment and, for an activity that becomes
        an IPD action, with no plan in force that starts after it."""
        chosen: list[tuple[_Candidate, date]] = []
        taken: set[int] = set()
        links = spec.kind != ActivityKind.OPEN_INFORMATION
        for day in self.enrol_days(spec):
            for step in range(len(self.pool)):
                n = (self.cursor + step) % len(self.pool)
                candidate = self.pool[n]
                starts = candidate.plan_starts_on
                if (
                    candidate.client.pk in taken
                    or candidate.registered_on > day
                    or (links and starts is not None and starts > day)
                ):
                    continue
                chosen.append((candidate, day))
                taken.add(candidate.client.pk)
                self.cursor = n + 1
                break
        return chosen

    # --- Writing through the services ---------------------------------------------------------

    def create(self, club: JobClub, spec: _Spec, capacity: int | None = None) -> Activity:
        activity = Activity.objects.create(
            club=club,
            kind=spec.kind,
            title=spec.title,
            description=spec.description,
            programme=spec.programme,
            leader=club.leader,
            capacity=capacity or spec.capacity,
            enrolment_opens_on=spec.opens_on,
            enrolment_closes_on=spec.closes_on,
        )
        Session.objects.bulk_create(
            Session(
                activity=activity,
                starts_at=slot.starts_at(),
                ends_at=slot.ends_at(),
                room=slot.room,
                hours=Decimal(slot.hours),
            )
            for slot in spec.slots
        )
        created = self.seeder.moment(self.rng, _previous_working(_shift(spec.opens_on, -1)))
        Activity.objects.filter(pk=activity.pk).update(created_at=created)
        return activity

    def enrol_all(
        self, activity: Activity, chosen: list[tuple[_Candidate, date]]
    ) -> list[tuple[Enrolment, _Candidate]]:
        enrolled: list[tuple[Enrolment, _Candidate]] = []
        last: datetime | None = None
        for candidate, day in chosen:
            moment = self.seeder.moment(self.rng, day, last)
            enrolment = self.enrol(activity, candidate, day, moment)
            if enrolment is not None:
                enrolled.append((enrolment, candidate))
                last = moment
        return enrolled

    def enrol(
        self, activity: Activity, candidate: _Candidate, day: date, moment: datetime
    ) -> Enrolment | None:
        """Enrol through the service, by the client's advisor; a refusal is logged and the
        client left out."""
        advisor = candidate.advisor
        user = advisor if advisor is not None and advisor.office_id == self.office.pk else None
        user = user or self.leader
        try:
            with transaction.atomic():
                enrolment = self.seeder.act(
                    user,
                    moment,
                    lambda: services.enrol(
                        acting_user=user,
                        activity=activity,
                        client=candidate.client,
                        on=day,
                        justification=JUSTIFICATION,
                    ),
                )
        except ValidationError as error:
            message = f"{candidate.client} (#{candidate.client.pk}): {'; '.join(error.messages)}"
            log.warning("seed_clubs skipped %s", message)
            self.seeder.skipped.append(message)
            return None
        Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=moment)
        enrolment.enrolled_at = moment
        if enrolment.plan_action_id is not None:
            PlanAction.objects.filter(pk=enrolment.plan_action_id).update(created_at=moment)
        return enrolment

    def mark(self, session: Session, enrolment: Enrolment, mark: str) -> Enrolment:
        moment = session.ends_at + timedelta(minutes=15)
        return self.seeder.act(
            self.leader,
            moment,
            lambda: services.mark_attendance(
                acting_user=self.leader,
                session=session,
                enrolment=enrolment,
                mark=mark,
                on=timezone.localdate(session.starts_at),
            ),
        )

    def register(self, session: Session, marks: dict[int, tuple[Enrolment, str]]) -> None:
        """One session's register, filled in by the leader after it."""
        for enrolment, mark in marks.values():
            self.mark(session, enrolment, mark)
        Attendance.objects.filter(session=session).update(
            recorded_at=min(session.ends_at + timedelta(minutes=15), self.seeder.now)
        )

    def absence(self) -> str:
        return AttendanceMark.EXCUSED if self.rng.random() < 0.5 else AttendanceMark.ABSENT

    # --- The activities -----------------------------------------------------------------------

    def seed_past(self, club: JobClub, spec: _Spec) -> None:
        activity = self.create(club, spec)
        enrolled = self.enrol_all(activity, self.choose(spec))
        sessions = list(activity.sessions.order_by("starts_at"))
        roles = dict(zip((e.pk for e, _ in enrolled), PAST_ROLES, strict=False))
        # Who misses a session or two and still completes (80 % of the hours).
        missing = {
            e.pk: set(self.rng.sample(range(1, len(sessions)), self.rng.randint(0, 2)))
            for e, _ in enrolled
        }
        current = {e.pk: e for e, _ in enrolled}
        for enrolment, candidate in enrolled:
            if roles[enrolment.pk] == "cancelled":
                day = _previous_working(_shift(spec.first_day, -3))
                day = max(day, timezone.localdate(enrolment.enrolled_at))
                self.cancel(enrolment, candidate, day)
                del current[enrolment.pk]
        for n, session in enumerate(sessions):
            marks: dict[int, tuple[Enrolment, str]] = {}
            for pk, enrolment in list(current.items()):
                role = roles[pk]
                if (role, n) in (("dropped_bad", 5), ("dropped_good", 6)):
                    good = role == "dropped_good"
                    self.drop_out(enrolment, session, good)
                    del current[pk]
                    continue
                mark: str
                if role == "dropped_bad":
                    mark = AttendanceMark.PRESENT if n < 3 else AttendanceMark.ABSENT
                elif role == "dropped_good":
                    mark = AttendanceMark.PRESENT if n < 4 else AttendanceMark.EXCUSED
                elif n in missing[pk]:
                    mark = self.absence()
                else:
                    mark = AttendanceMark.PRESENT
                marks[pk] = (enrolment, mark)
            self.register(session, marks)
        completed = list(
            Enrolment.objects.filter(activity=activity, status=EnrolmentStatus.COMPLETED)
        )
        # Certificates handed out the working day after the last session; one not collected.
        issued_on = _next_working(_shift(spec.last_day, 1))
        for enrolment in completed[:-1] if len(completed) > 1 else completed:
            moment = self.seeder.moment(self.rng, issued_on)
            self.seeder.act(
                self.leader,
                moment,
                partial(
                    services.issue_certificate,
                    acting_user=self.leader,
                    enrolment=enrolment,
                    on=issued_on,
                ),
            )

    def cancel(self, enrolment: Enrolment, candidate: _Candidate, day: date) -> None:
        moment = self.seeder.moment(self.rng, day, enrolment.enrolled_at)
        self.seeder.act(
            self.leader,
            moment,
            lambda: services.cancel(
                acting_user=self.leader,
                enrolment=enrolment,
                reason=_sexed(CANCELLED, candidate.client),
                on=day,
            ),
        )

    def drop_out(self, enrolment: Enrolment, session: Session, good: bool) -> None:
        reason = DROPPED_GOOD if good else _sexed(DROPPED_BAD, enrolment.client)
        self.seeder.act(
            self.leader,
            session.ends_at + timedelta(minutes=30),
            lambda: services.drop_out(
                acting_user=self.leader,
                enrolment=enrolment,
                reason=reason,
                good_reason=good,
                on=timezone.localdate(session.starts_at),
            ),
        )

    def seed_running(self, club: JobClub, spec: _Spec) -> None:
        activity = self.create(club, spec)
        enrolled = self.enrol_all(activity, self.choose(spec))
        current = {e.pk: e for e, _ in enrolled}
        for session in activity.sessions.order_by("starts_at"):
            if timezone.localdate(session.starts_at) >= self.today:
                break
            marks = {
                pk: (e, AttendanceMark.PRESENT if self.rng.random() < 0.85 else self.absence())
                for pk, e in current.items()
            }
            self.register(session, marks)

    def seed_full(self, club: JobClub, spec: _Spec) -> None:
        """Every place taken and a waiting list: with fewer clients, fewer places."""
        chosen = self.choose(spec)
        waiting = min(WAITING, len(chosen) - 1) if len(chosen) > 1 else 0
        capacity = max(1, min(spec.capacity, len(chosen) - waiting))
        self.enrol_all(self.create(club, spec, capacity), chosen[: capacity + waiting])


def seed_clubs(*, offices: list[Office]) -> dict[str, int]:
    """A demo job club per office with its activities; answer the counts (all the offices'
    clubs, "new" of them made now, "skipped" refusals). Call inside a transaction (seed_demo
    does)."""
    now = timezone.now()
    seeder = _Seeder(
        today=timezone.localdate(now),
        now=now,
        entry_mark=CardEntry.objects.aggregate(last=Max("pk"))["last"] or 0,
    )
    new = 0
    for office in offices:
        if JobClub.objects.filter(office=office, name=club_name(office)).exists():
            continue
        leader = _leader(office)
        if leader is None:
            seeder.skipped.append(f"{office.name}: no staff to lead a job club")
            continue
        _OfficeSeeder(seeder, office, leader).seed()
        new += 1
    counts = count_clubs(offices, seeder.today)
    counts["new"] = new
    counts["skipped"] = len(seeder.skipped)
    return counts


def count_clubs(offices: Iterable[Office], today: date) -> dict[str, int]:
    """The offices' clubs, activities by phase, enrolments by status."""
    counts: Counter[str] = Counter()
    counts["clubs"] = JobClub.objects.filter(office__in=offices).count()
    activities = Activity.objects.filter(club__office__in=offices).annotate(
        first=Min("sessions__starts_at"),
        last=Max("sessions__ends_at"),
        held=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_A_PLACE), distinct=True),
        waiting=Count(
            "enrolments",
            filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED),
            distinct=True,
        ),
    )
    for activity in activities:
        counts["activities"] += 1
        if activity.first is None or timezone.localdate(activity.first) > today:
            counts["upcoming"] += 1
        elif timezone.localdate(activity.last) < today:
            counts["finished"] += 1
        else:
            counts["running"] += 1
        counts["full"] += activity.held >= activity.capacity and activity.waiting > 0
    enrolments = Enrolment.objects.filter(activity__club__office__in=offices)
    for status, n in enrolments.values_list("status").annotate(n=Count("pk")).order_by():
        counts[status] = n
    counts["enrolments"] = enrolments.count()
    counts["certificates"] = enrolments.exclude(certificate_number="").count()
    counts["linked"] = enrolments.filter(plan_action__isnull=False).count()
    counts["attendance"] = Attendance.objects.filter(
        enrolment__activity__club__office__in=offices
    ).count()
    return dict(counts)


def summary_line(counts: dict[str, int]) -> str:
    c = Counter(counts)
    skipped = f" Skipped {c['skipped']} (see the log)." if c["skipped"] else ""
    return (
        f"Job clubs: {c['clubs']} ({c['new']} new) with {c['activities']} activities "
        f"(finished {c['finished']}, running {c['running']}, upcoming {c['upcoming']}, full "
        f"with a waiting list {c['full']}); {c['enrolments']} enrolments: enrolled "
        f"{c[EnrolmentStatus.ENROLLED]}, waiting list {c[EnrolmentStatus.WAITLISTED]}, "
        f"completed {c[EnrolmentStatus.COMPLETED]} ({c['certificates']} certificates), "
        f"dropped out {c[EnrolmentStatus.DROPPED_OUT]}, cancelled "
        f"{c[EnrolmentStatus.CANCELLED]}; {c['linked']} linked to an IPD; "
        f"{c['attendance']} attendance marks.{skipped}"
    )
