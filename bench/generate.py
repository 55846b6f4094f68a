"""The large-data generator (issue 10): a national register with histories, reproducibly.

    python -m bench.generate --clients 100000 [--offices K] [--seed S] [--database-url URL]

``ensure(url, clients=..., offices=..., seed=..., day=...)`` is what the benchmarks call: it
runs this module as a child process (so it works whether or not Django is set up in the caller,
and whatever ``DATABASE_URL`` the caller has), which creates the database (or reuses it while
its comment names the same parameters and generator version; anything else is dropped and
rebuilt), runs ``migrate``, fills it with ``fill()`` and stores the report in the table
``bench_summary``; a reused database answers the stored report without regenerating.

How it writes. Rows are made in Python from one ``random.Random(seed)`` stream, client after
client in id order, and streamed with ``COPY`` in batches of 10,000 clients, table by table in
foreign-key order, with explicit ids (so the same seed gives byte-identical rows, and a
different seed different ones). No ORM saves; a second thread runs the COPY of one batch
while Python makes the next. The secondary indexes and the foreign keys of the loaded tables
are dropped before the load and put back after it, as pg_restore does: the unique partial
indexes that carry the invariants are rebuilt (so the load is checked against them) and each
foreign key is validated in one join instead of a lookup per row; check constraints stay on
throughout. Sequences are moved past the ids used; ``ANALYZE`` (and ``VACUUM`` in ``run``)
closes.

The due items and caseload rows are computed in Python with the application's own rules
(``ipd.rules``, the reprofiling parameter) exactly as ``ipd.deadlines.compute_due`` and
``dashboard.caseload.rebuild`` derive them; the tests check both against the application.

What it makes (the proportions; the day of the data is ``DEFAULT_DAY``):

- Offices: ``--offices`` or one per 3,000 clients (at least 1). Office 1, the big office,
  holds every 20th client (5 %); the others share the rest evenly; an office's clients are
  interleaved with everyone else's in id order, as in a national register filled over time.
  Each office has one customer advisor per ~350 clients (at least 2), a manager and an
  administrator (unusable passwords: the benchmarks use ``force_login``), and a job club.
- Clients: valid PESELs (birth dates 18 to 64 years before the day, the sex digit matching,
  unique by construction), names by sex and generation (``clients.demo``: first names, surnames
  with feminine forms, 15 % second names, a tenth of women with a family name), an address in
  the office's town (70 %) or elsewhere, a mobile phone, e-mail for 40 %, education by the GUS
  weights, an occupation, experience, licences; ``search_text`` as ``Client.save`` folds it.
- Registration periods: 80 % of clients registered now (open period), 20 % deregistered (a
  reason valid for the status, the advisor's care ended); 25 % have an earlier closed period
  too (a returning client gets the previous advisor). 90 % of periods are "unemployed", 10 %
  "jobseeker" (with a category). Open periods are 1-180 days old for 35 %, up to 540 days for
  30 %, up to 1,080 for 25 %, up to 2,000 for 10 %.
- Advisors: one assignment per period (ended at deregistration); 12 % of periods change advisor
  once (a manager's reassignment, with a reason).
- Profiling: an unemployed period is profiled 1-21 days after registration (3 % of the
  profiled recent ones stay an interview in progress), profile I/II/III about 15/65/20 %
  (answers drawn from complete answer sets that ``profiling.rules.determine_profile`` maps to
  that profile under the published questionnaire; 8 % changed by the advisor with a reason).
  The card-derived answers (age, sex, education...) come with the answer set, not from the
  client's card: an approximation. Jobseekers are not profiled and have no plan.
- IPDs: prepared 3-50 days after the profile (10 % in the last ten days of the term, 5 % late
  with a reason; 2 % refused by the client); a profile younger than the term may have no plan
  yet or a draft. Plans run to their maximum (180/540/720 days); at the maximum (or earlier,
  5 % "other reason") they end with an analysis and the client is profiled again 1-20 days
  later (a fifth 15-60 days later; a draft interview until then, the re-profiling due), and
  the next cycle starts; some
  plans past their maximum in the last three weeks are still in force. Deregistration ends the
  live plan (with work for the employment reasons). Each prepared plan has version 1 (the
  snapshot the client agreed to), 2-6 actions (70 % office actions with a form the profile
  allows, justified where the catalogue asks; own actions; done, not done with a reason, in
  progress or planned by their dates; 10 % of finished ones still without an outcome).
- Contacts: every 30-60 days from the agreement, 15 % missed (a held one follows in 3-14
  days); 8 % of plans in force have lost contact for 61-100 days (overdue); 60 % have a planned
  appointment in the next 30 days.
- Journal: the entries the services write (registration, advisor, profile, plan started,
  agreed, contacts, end, deregistration) plus 0-3 advisor's or client's notes per period.
- Job clubs: one per office, one activity per ~400 clients of the office (at least 3) spread
  over the two years before the day and the month after it (activation classes, job-search
  training, open information), with sessions; about 3 % of clients enrolled (completed,
  dropped out with a reason, enrolled, or on the waiting list when full), attendance for the
  sessions held.
- Due items and caseload rows for every open registration, as the application computes them.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import queue
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bench.deadlines import DEFAULT_DAY, ROOT, _log, _prepare_database

GENERATOR_VERSION = 1
DEFAULT_SEED = 2026
BATCH = 10_000  # clients per COPY round
CLIENTS_PER_OFFICE = 3_000
CLIENTS_PER_ADVISOR = 350
CLIENTS_PER_ACTIVITY = 400
NULL = "\\N"

__all__ = ["DEFAULT_DAY", "default_offices", "ensure", "fill", "main"]


def default_offices(clients: int) -> int:
    """About one office per 3,000 clients, as nationally (340 offices for about 1,000,000
    registered): 1,000,000 -> 340, 100,000 -> 34, 10,000 -> 4."""
    return max(1, math.ceil(clients * 34 / 100_000))


def default_url(clients: int) -> str:
    return f"postgres://postgres@127.0.0.1:5432/labour_office_bench_{clients}"


# --- Fixed lists -----------------------------------------------------------------------------

# Office towns: name in the locative (for "Powiatowy Urząd Pracy w ..."), town, postal code,
# TERYT poviat code. The big office is the capital's.
TOWNS = [
    ("Warszawie", "Warszawa", "00-950", "1465"),
    ("Piasecznie", "Piaseczno", "05-500", "1418"),
    ("Wołominie", "Wołomin", "05-200", "1434"),
    ("Nowym Sączu", "Nowy Sącz", "33-300", "1262"),
    ("Gnieźnie", "Gniezno", "62-200", "3003"),
    ("Radomiu", "Radom", "26-600", "1463"),
    ("Płocku", "Płock", "09-400", "1462"),
    ("Siedlcach", "Siedlce", "08-110", "1464"),
    ("Ostrołęce", "Ostrołęka", "07-410", "1461"),
    ("Tarnowie", "Tarnów", "33-100", "1263"),
    ("Kielcach", "Kielce", "25-001", "2661"),
    ("Lublinie", "Lublin", "20-001", "0663"),
    ("Białymstoku", "Białystok", "15-001", "2061"),
    ("Olsztynie", "Olsztyn", "10-001", "2862"),
    ("Bydgoszczy", "Bydgoszcz", "85-001", "0461"),
    ("Toruniu", "Toruń", "87-100", "0463"),
    ("Koninie", "Konin", "62-500", "3062"),
    ("Kaliszu", "Kalisz", "62-800", "3061"),
    ("Zielonej Górze", "Zielona Góra", "65-001", "0862"),
    ("Gorzowie Wielkopolskim", "Gorzów Wielkopolski", "66-400", "0861"),
    ("Opolu", "Opole", "45-001", "1661"),
    ("Rzeszowie", "Rzeszów", "35-001", "1863"),
    ("Przemyślu", "Przemyśl", "37-700", "1862"),
    ("Łomży", "Łomża", "18-400", "2062"),
    ("Suwałkach", "Suwałki", "16-400", "2063"),
    ("Elblągu", "Elbląg", "82-300", "2861"),
    ("Słupsku", "Słupsk", "76-200", "2263"),
    ("Koszalinie", "Koszalin", "75-001", "3261"),
    ("Legnicy", "Legnica", "59-220", "0262"),
    ("Wałbrzychu", "Wałbrzych", "58-300", "0265"),
]
OTHER_TOWNS = [
    ("Otwock", "05-400"), ("Grodzisk Mazowiecki", "05-825"), ("Mińsk Mazowiecki", "05-300"),
    ("Łowicz", "99-400"), ("Sochaczew", "96-500"), ("Garwolin", "08-400"),
    ("Żyrardów", "96-300"), ("Pruszków", "05-800"), ("Ząbki", "05-091"),
    ("Łomianki", "05-092"), ("Sulejówek", "05-070"), ("Zielonka", "05-220"),
]  # fmt: skip
STREETS = [
    "ul. Kościuszki", "ul. Mickiewicza", "ul. Sienkiewicza", "ul. Słowackiego",
    "ul. Piłsudskiego", "ul. Jana Pawła II", "ul. Polna", "ul. Leśna", "ul. Ogrodowa",
    "ul. Szkolna", "ul. Kwiatowa", "ul. Lipowa", "ul. Żeromskiego", "ul. Reymonta",
    "ul. Wojska Polskiego", "ul. 3 Maja", "ul. Dworcowa", "ul. Kolejowa", "ul. Łąkowa",
    "ul. Źródlana", "ul. Świętokrzyska", "os. Słoneczne", "ul. Długa", "ul. Krótka",
]  # fmt: skip
STAFF_FIRST = {
    "F": ["Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Monika", "Ewa", "Beata"],
    "M": ["Piotr", "Tomasz", "Paweł", "Krzysztof", "Marcin", "Michał", "Łukasz", "Adam"],
}
ADVISOR_NOTES = [
    ("advisor_action", "Przekazano ofertę pracy; klient zainteresowany, umówiony na rozmowę."),
    ("advisor_action", "Rozmowa telefoniczna: omówiono możliwość szkolenia zawodowego."),
    ("advisor_action", "Wysłano skierowanie do pracodawcy."),
    ("advisor_action", "Poinformowano o naborze do klubu pracy."),
    ("client_action", "Klient przedstawił potwierdzenie złożenia trzech aplikacji."),
    ("client_action", "Klientka dostarczyła zaświadczenie o ukończeniu kursu."),
    ("client_action", "Klient poinformował o rozmowie kwalifikacyjnej w przyszłym tygodniu."),
    ("cooperation_rules", "Uzgodniono kontakt telefoniczny w pierwszym tygodniu miesiąca."),
]
JUSTIFICATIONS = [
    "Klient od przyszłego miesiąca opiekuje się chorym rodzicem, czego ankieta nie ujęła.",
    "Klientka ma uprawnienia i doświadczenie, których karta jeszcze nie odzwierciedla.",
    "Po rozmowie: wyraźna motywacja i gotowość do przekwalifikowania.",
]
REASSIGN_REASONS = [
    "Wyrównanie obciążenia doradców.",
    "Doradca przeszedł do innego działu.",
    "Nowy podział liter nazwisk.",
]
END_ANALYSES = [
    "Klient nie podjął zatrudnienia mimo skierowań; potrzebne wsparcie w innej formie.",
    "Oferty nie odpowiadały kwalifikacjom; zalecane szkolenie i ponowne ustalenie profilu.",
    "Klientka ograniczona opieką nad dzieckiem; dostępność do pracy wymaga ponownej oceny.",
]
NOT_DONE_REASONS = [
    "Klient nie zgłosił się u pracodawcy.",
    "Brak miejsc na szkoleniu.",
    "Klientka zrezygnowała z powodów rodzinnych.",
]
CONTACT_OUTCOMES = [
    "Omówiono postępy w realizacji planu.",
    "Przekazano dwie oferty pracy.",
    "Klient szuka pracy samodzielnie, bez rezultatu.",
    "",
]
OWN_ACTIONS = [
    ("Samodzielne poszukiwanie pracy: co najmniej 3 aplikacje w miesiącu.", "zatrudnienie"),
    ("Przygotowanie CV i listu motywacyjnego.", "gotowe dokumenty aplikacyjne"),
    ("Udział w targach pracy.", "kontakty z pracodawcami"),
    ("Ukończenie kursu języka angielskiego.", "certyfikat A2"),
]
CHANNELS = ["in_person"] * 10 + ["phone"] * 7 + ["email"] * 2 + ["electronic"]
CHANNEL_PL = {
    "in_person": "osobiście",
    "phone": "telefon",
    "email": "e-mail",
    "electronic": "kanał elektroniczny",
}
END_REASON_PL = {
    "work": "podjęcie zatrudnienia lub działalności",
    "deregistration": "wyrejestrowanie klienta",
    "maximum": "upływ maksymalnego okresu",
    "other": "inna przyczyna",
}
UNEMPLOYED_REASON_WEIGHTS = {
    "employment": 45, "startup_grant": 3, "refused_offer": 5, "no_show": 20,
    "interrupted_form": 3, "own_request": 8, "conditions_lost": 5, "moved": 3, "death": 1,
    "no_contact_90_days": 5, "status_limit": 2,
}  # fmt: skip
WORK_REASONS = ("employment", "startup_grant")  # ipd.services.WORK_DEREGISTRATION_REASONS
JOBSEEKER_REASON_WEIGHTS = {"employment": 40, "jobseeker_request": 30, "jobseeker_inactive": 30}
PROFILE_WEIGHTS = {"I": 15, "II": 65, "III": 20}
ACTIVITY_KINDS = [
    # kind, title, sessions, hours per session, days between sessions
    ("activation_classes", "Zajęcia aktywizacyjne: jak szukać pracy", 10, 4, 1),
    ("job_search_training", "Szkolenie z umiejętności poszukiwania pracy", 8, 3, 2),
    ("open_information", "Otwarty dostęp do informacji o rynku pracy", 1, 2, 1),
]
DROP_INDEX_TABLES = (
    "clients_client", "clients_registration", "clients_advisorassignment", "clients_cardentry",
    "profiling_assessment", "ipd_individualactionplan", "ipd_planaction", "ipd_contact",
    "ipd_planversion", "ipd_dueitem", "job_clubs_enrolment", "job_clubs_attendance",
    "dashboard_caseload",
)  # fmt: skip

# Tables in foreign-key order with the columns written.
COLUMNS: dict[str, str] = {
    "offices_office": "id, name, teryt_powiat, street, postal_code, city, phone, email, "
    "is_active, assignment_strategy, reminder_lead_days, job_club_information_open_to_all, "
    "job_club_public_page",
    "offices_user": "id, password, is_superuser, username, first_name, last_name, email, "
    "is_staff, is_active, date_joined, post, is_customer_advisor, is_national_admin, "
    "must_change_password, office_id",
    "offices_user_groups": "id, user_id, group_id",
    "job_clubs_jobclub": "id, name, place, public_page, completion_share, is_active, "
    "leader_id, office_id",
    "job_clubs_activity": "id, kind, title, description, programme, capacity, "
    "enrolment_opens_on, enrolment_closes_on, created_at, leader_id, club_id",
    "job_clubs_session": "id, starts_at, ends_at, room, hours, activity_id",
    "clients_client": "id, first_name, second_name, last_name, family_name, pesel, birth_date, "
    "sex, birth_place, document_type, document_number, document_country, citizenship, phone, "
    "email, street, postal_code, city, commune, powiat, teryt_terc, education_level, "
    "occupations, work_experience_months, languages, driving_licences, licences, skills, "
    "disability_degree, cares_for_child_under_6, cares_for_dependant, "
    "receives_social_assistance, has_phone, has_email, has_internet, "
    "consents_to_electronic_contact, search_text, created_at, updated_at, office_id, "
    "language_level, last_work_ended_on, licences_relevant, document_language",
    "clients_registration": "id, status, registered_on, deregistered_on, "
    "deregistration_decision, client_id, created_by_id, deregistration_reason_id, "
    "jobseeker_category_id, office_id",
    "clients_advisorassignment": "id, kind, reason, started_at, ended_at, advisor_id, "
    "assigned_by_id, client_id",
    "profiling_assessment": "id, trigger, status, interview_answers, answers, proposed_profile, "
    "final_profile, distance_score, readiness_score, justification, determined_on, is_current, "
    "created_at, updated_at, client_id, created_by_id, determined_by_id, registration_id, "
    "version_id",
    "ipd_individualactionplan": "id, profile, status, goals, starts_on, ends_on, max_end, "
    "contact_arrangements, prepared_on, late_reason, agreed_on, client_refused, refusal_note, "
    "version, amending, ended_on, end_reason, end_analysis, created_at, updated_at, advisor_id, "
    "assessment_id, based_on_id, client_id, created_by_id, registration_id",
    "ipd_planaction": "id, kind, description, justification, special_programme, starts_on, "
    "ends_on, expected_result, status, status_reason, status_on, position, created_at, "
    "form_id, plan_id, responsible_id",
    "ipd_contact": "id, status, contact_on, channel, outcome, note, created_at, "
    "recorded_by_id, staff_id, plan_id",
    "ipd_planversion": "id, number, agreed_on, reason, snapshot, created_at, created_by_id, "
    "plan_id",
    "clients_cardentry": "id, kind, text, created_at, author_id, client_id",
    "job_clubs_enrolment": "id, status, enrolled_at, reason, good_reason, completed_on, "
    "hours_attended, activity_id, client_id, enrolled_by_id, certificate_issued_on, "
    "certificate_number, ended_on",
    "job_clubs_attendance": "id, mark, recorded_at, recorded_by_id, enrolment_id, session_id",
    "ipd_dueitem": "id, kind, due_on, act_by, client_id, office_id, plan_id",
    "dashboard_caseload": "client_id, status, profile, registered_on, prepare_due, "
    "contact_due, max_end_due, action_due, reprofile_due, advisor_id, office_id",
}
SEQUENCED = [table for table in COLUMNS if table != "dashboard_caseload"]


# --- Small helpers --------------------------------------------------------------------------


@functools.cache
def _d(value: date | None) -> str:
    return NULL if value is None else value.isoformat()


@functools.cache
def _ts(day: date, minute: int) -> str:
    """A moment of an office day (7:30 to 15:00 Warsaw time, written in UTC+1/+2 alike)."""
    return f"{day.isoformat()} {7 + minute // 60 % 8:02d}:{minute % 60:02d}:00+01"


def _b(value: bool) -> str:
    return "t" if value else "f"


def _n(value: Any) -> str:
    return NULL if value is None else str(value)


def _copy_text(value: str) -> str:
    """Escape what COPY's text format would read specially (only JSON can hold it here)."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _weighted(weights: dict[str, int]) -> list[str]:
    return [key for key, weight in weights.items() for _n in range(weight)]


def _pesel(birth: date, serial: int, male: bool) -> str:
    """A valid PESEL: the month carries the century, the 10th digit the sex (odd male)."""
    month = birth.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth.year // 100]
    digits = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial // 5:03d}"
    digits += str(2 * (serial % 5) + (1 if male else 0))
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    check = (10 - sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 10) % 10
    return digits + str(check)


def _feminine(surname: str) -> str:
    from clients.demo import feminine

    return str(feminine(surname))


# --- Reference data read from the database -------------------------------------------------


@dataclass
class _Reference:
    groups: dict[str, int]
    version_id: int
    version_code: str
    templates: dict[str, list[tuple[str, str, int, int]]]  # profile -> answer sets
    forms: dict[str, list[tuple[int, str, str, bool]]]  # profile -> (id, code, name, justify)
    unemployed_reasons: list[tuple[int, str, str]]  # (id, code, Polish name), weighted
    jobseeker_reasons: list[tuple[int, str, str]]
    categories: list[int]
    reprofiling_days: int


def _reference(rng: random.Random) -> _Reference:
    from django.contrib.auth.models import Group

    from clients.models import DeregistrationReason, JobseekerCategory
    from ipd.deadlines import REPROFILING_DAYS_DEFAULT
    from labour_office.system.services import parameter_value
    from profiling import rules as profiling_rules
    from profiling.models import FormOfAssistance, QuestionnaireVersion, Source

    version = (
        QuestionnaireVersion.objects.filter(is_published=True).order_by("-published_at").first()
    )
    assert version is not None, "migrate first: the questionnaire comes from a data migration"
    spec = version.spec()
    interview = {
        q.key for q in version.questions.all() if q.source == Source.INTERVIEW
    }  # the rest are read from the card
    templates: dict[str, list[tuple[str, str, int, int]]] = {"I": [], "II": [], "III": []}
    for attempt in range(3000):
        lean = attempt % 3  # lean to low, any or high points so that all profiles occur
        answers: dict[str, Any] = {}
        for question in spec.questions:
            options = sorted(question.options.values(), key=lambda o: o.score)
            pool = [o for o in options if not o.exclusive] or options
            if lean == 0:
                pool = pool[: max(1, len(pool) // 2)]
            elif lean == 2:
                pool = pool[len(pool) // 2 :]
            choice = rng.choice(pool).key
            answers[question.key] = [choice] if question.multiple else choice
        result = profiling_rules.determine_profile(answers, spec)
        bucket = templates[result.profile]
        if all(len(b) >= 40 for b in templates.values()):
            break
        if len(bucket) < 40:
            bucket.append(
                (
                    _copy_text(
                        json.dumps(
                            {k: v for k, v in answers.items() if k in interview},
                            ensure_ascii=False,
                            sort_keys=True,
                        )
                    ),
                    _copy_text(json.dumps(answers, ensure_ascii=False, sort_keys=True)),
                    result.distance_score,
                    result.readiness_score,
                )
            )
    missing = [profile for profile, bucket in templates.items() if not bucket]
    assert not missing, f"no answer set gives profile {missing}"
    forms: dict[str, list[tuple[int, str, str, bool]]] = {"I": [], "II": [], "III": []}
    for form in FormOfAssistance.objects.filter(is_active=True, requires=[]).order_by("pk"):
        for profile, access in (
            ("I", form.access_i),
            ("II", form.access_ii),
            ("III", form.access_iii),
        ):
            if access in (profiling_rules.AVAILABLE, profiling_rules.JUSTIFIED):
                forms[profile].append(
                    (form.pk, form.code, form.name_pl, access == profiling_rules.JUSTIFIED)
                )
    reasons = list(DeregistrationReason.objects.filter(is_active=True).order_by("pk"))

    def weighted(weights: dict[str, int], status: str) -> list[tuple[int, str, str]]:
        return [
            (r.pk, r.code, r.name_pl)
            for r in reasons
            if r.applies_to in ("", status)
            for _n in range(weights.get(r.code, 1))
        ]

    return _Reference(
        groups=dict(Group.objects.values_list("name", "pk")),
        version_id=version.pk,
        version_code=version.code,
        templates=templates,
        forms=forms,
        unemployed_reasons=weighted(UNEMPLOYED_REASON_WEIGHTS, "unemployed"),
        jobseeker_reasons=weighted(JOBSEEKER_REASON_WEIGHTS, "jobseeker"),
        categories=list(
            JobseekerCategory.objects.filter(is_active=True).values_list("pk", flat=True)
        ),
        reprofiling_days=parameter_value("ipd.reprofiling_days", REPROFILING_DAYS_DEFAULT),
    )


# --- The writer: text buffers per table, ids per table, COPY per batch ----------------------


class _Writer:
    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.rows: dict[str, list[str]] = {table: [] for table in COLUMNS}
        self.counts: dict[str, int] = dict.fromkeys(COLUMNS, 0)
        self.next_id: dict[str, int] = {}
        for table in SEQUENCED:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
            self.next_id[table] = cursor.fetchone()[0]
        self.copy_seconds = 0.0
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def id(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]

    def add(self, table: str, *values: str) -> None:
        self.rows[table].append("\t".join(values))

    def flush(self) -> None:
        """Hand this batch to the COPY thread (waiting while it still writes the previous
        one), so that Python makes the next batch while PostgreSQL stores this one."""
        batch = {table: rows for table, rows in self.rows.items() if rows}
        self.rows = {table: [] for table in COLUMNS}
        for table, rows in batch.items():
            self.counts[table] += len(rows)
        if self.thread is None:
            self.queue: queue.Queue[dict[str, list[str]] | None] = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._copy_loop, daemon=True)
            self.thread.start()
        self.queue.put(batch)
        self.check()

    def finish(self) -> None:
        """Wait for the COPY thread to write everything."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        self.check()

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def _copy_loop(self) -> None:
        raw = self.cursor.cursor.connection  # the psycopg connection under Django's
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the main thread raises at its next flush
            start = time.perf_counter()
            try:
                with raw.cursor() as cursor:
                    for table, rows in batch.items():
                        with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                            copy.write("\n".join(rows) + "\n")
            except BaseException as error:  # handed to the main thread
                self.error = error
            self.copy_seconds += time.perf_counter() - start


# --- Offices, staff, job clubs ---------------------------------------------------------------


@dataclass
class _Office:
    slot: int  # 1-based; 1 is the big office
    id: int
    town: str
    postal_code: str
    teryt: str
    advisors: list[int] = field(default_factory=list)
    advisor_names: dict[int, str] = field(default_factory=dict)
    usernames: dict[int, str] = field(default_factory=dict)
    manager: int = 0
    manager_username: str = ""
    activities: list[_Activity] = field(default_factory=list)
    next_activity: int = 0


@dataclass
class _Activity:
    id: int
    first_day: date
    opens: date
    closes: date
    capacity: int
    sessions: list[tuple[int, date, int]]  # (id, day, hours)
    leader: int
    taken: int = 0
    enrolled: int = 0


def _office_sizes(clients: int, offices: int) -> list[int]:
    """Clients per office slot under the assignment rule of ``_office_slot``."""
    sizes = [0] * offices
    for n in range(1, clients + 1):
        sizes[_office_slot(n, offices) - 1] += 1
    return sizes


def _office_slot(n: int, offices: int) -> int:
    """Every 20th client goes to the big office, the rest round-robin over the others."""
    if offices == 1 or n % 20 == 0:
        return 1
    return 2 + (n - n // 20) % (offices - 1)


def _staff(
    writer: _Writer, rng: random.Random, ref: _Reference, day: date, clients: int, offices: int
) -> list[_Office]:
    sizes = _office_sizes(clients, offices)
    result = []
    joined = _ts(day - timedelta(days=3 * 365), 0)
    for slot in range(1, offices + 1):
        locative, town, postal, teryt = TOWNS[(slot - 1) % len(TOWNS)]
        cycle = (slot - 1) // len(TOWNS)
        if cycle:
            teryt = f"{(int(teryt) + 37 * cycle) % 9000 + 1000:04d}"
        office_id = writer.id("offices_office")
        name = f"Powiatowy Urząd Pracy w {locative}" + (f" (oddział {cycle})" if cycle else "")
        writer.add(
            "offices_office",
            str(office_id),
            name,
            teryt,
            "ul. Ciepła 20",
            postal,
            town,
            "22 555 01 00",
            f"sekretariat.{slot}@pup.example.invalid",
            "t",
            "caseload",
            "7",
            "t",
            "t",
        )
        office = _Office(slot, office_id, town, postal, teryt)
        advisors = max(2, round(sizes[slot - 1] / CLIENTS_PER_ADVISOR))
        staff = [("advisor", k) for k in range(1, advisors + 1)] + [("manager", 0), ("admin", 0)]
        for role, k in staff:
            user_id = writer.id("offices_user")
            sex = rng.choice("FM")
            first = rng.choice(STAFF_FIRST[sex])
            surname = rng.choice(_surnames())
            last = _feminine(surname) if sex == "F" else surname
            username = {
                "advisor": f"o{slot:03d}.doradca{k:02d}",
                "manager": f"o{slot:03d}.kierownik",
                "admin": f"o{slot:03d}.admin",
            }[role]
            writer.add(
                "offices_user",
                str(user_id),
                "!",
                "f",
                username,
                first,
                last,
                f"{username}@pup.example.invalid",
                "f",
                "t",
                joined,
                "placement" if role == "advisor" else "",
                _b(role == "advisor"),
                "f",
                "f",
                str(office_id),
            )
            writer.add(
                "offices_user_groups",
                str(writer.id("offices_user_groups")),
                str(user_id),
                str(ref.groups[role]),
            )
            if role == "advisor":
                office.advisors.append(user_id)
                office.advisor_names[user_id] = f"{first} {last}"
                office.usernames[user_id] = username
            elif role == "manager":
                office.manager, office.manager_username = user_id, username
        _club(writer, office, day, sizes[slot - 1])
        result.append(office)
    return result


def _club(writer: _Writer, office: _Office, day: date, clients: int) -> None:
    from labour_office.calendar import is_working_day

    club_id = writer.id("job_clubs_jobclub")
    leader = office.advisors[-1]
    writer.add(
        "job_clubs_jobclub",
        str(club_id),
        f"Klub Pracy {office.town}",
        f"ul. Ciepła 20, {office.postal_code} {office.town}, sala 12",
        "t",
        "0.80",
        "t",
        str(leader),
        str(office.id),
    )
    count = max(3, round(clients / CLIENTS_PER_ACTIVITY))
    span = 750  # from two years before the day to a month after it
    for j in range(count):
        kind, title, sessions, hours, step = ACTIVITY_KINDS[j % len(ACTIVITY_KINDS)]
        first = day - timedelta(days=720) + timedelta(days=j * span // count)
        while not is_working_day(first):
            first += timedelta(days=1)
        days = [first]
        while len(days) < sessions:
            following = days[-1] + timedelta(days=step)
            while not is_working_day(following):
                following += timedelta(days=1)
            days.append(following)
        activity_id = writer.id("job_clubs_activity")
        opens, closes = first - timedelta(days=30), first - timedelta(days=1)
        capacity = 12 if kind != "open_information" else 20
        writer.add(
            "job_clubs_activity",
            str(activity_id),
            kind,
            f"{title} ({days[0]:%d.%m}-{days[-1]:%d.%m.%Y})",
            "Zajęcia grupowe prowadzone przez lidera klubu pracy.",
            "Rynek pracy, dokumenty aplikacyjne, rozmowa kwalifikacyjna.",
            str(capacity),
            opens.isoformat(),
            closes.isoformat(),
            _ts(opens - timedelta(days=1), 30),
            str(leader),
            str(club_id),
        )
        session_rows = []
        for session_day in days:
            session_id = writer.id("job_clubs_session")
            writer.add(
                "job_clubs_session",
                str(session_id),
                f"{session_day.isoformat()} 09:00:00+01",
                f"{session_day.isoformat()} {9 + hours:02d}:00:00+01",
                "sala 12",
                f"{hours}.0",
                str(activity_id),
            )
            session_rows.append((session_id, session_day, hours))
        office.activities.append(
            _Activity(activity_id, first, opens, closes, capacity, session_rows, leader)
        )


_SURNAMES: list[str] = []


def _surnames() -> list[str]:
    if not _SURNAMES:
        from clients.demo import SURNAMES

        _SURNAMES.extend(dict.fromkeys(SURNAMES))  # the list repeats one name
    return _SURNAMES


# --- Clients and their histories -------------------------------------------------------------


@dataclass
class _Plan:
    id: int
    assessment: int | None
    status: str
    start: date | None  # agreed_on or prepared_on (None for a draft)
    max_end: date | None
    end_reason: str
    ended_on: date | None
    last_held: date | None
    open_action_end: date | None


@dataclass
class _Current:
    """What the open period leaves for the due items and the caseload row."""

    registration: int
    status: str
    registered_on: date
    advisor: int | None
    profile: str
    current_assessment: int | None
    determined_on: date | None
    plans: list[_Plan]


class _Generator:
    def __init__(
        self,
        writer: _Writer,
        rng: random.Random,
        ref: _Reference,
        offices: list[_Office],
        day: date,
    ) -> None:
        from clients.demo import EDUCATION_WEIGHTS, FIRST_NAMES, OCCUPATIONS
        from clients.search import fold

        self.w, self.rng, self.ref, self.offices, self.day = writer, rng, ref, offices, day
        self.r = rng.random
        self.fold_cache: dict[str, str] = {}
        self.fold = fold
        self.first_names = {
            sex: [_weighted(generation) for generation in generations]
            for sex, generations in FIRST_NAMES.items()
        }
        self.education = _weighted({str(k): v for k, v in EDUCATION_WEIGHTS.items()})
        self.occupations = OCCUPATIONS
        self.profiles = _weighted(PROFILE_WEIGHTS)
        self.act_by_cache: dict[date, date] = {}
        self.assessment_rows: dict[int, int] = {}  # id -> row in the unflushed batch
        self.sample: list[dict[str, Any]] = []
        self.active_plan: dict[int, tuple[int, int]] = {}  # advisor -> (client, plan)
        from clients.demo import MOBILE_PREFIXES

        self.mobile = MOBILE_PREFIXES
        self.birth_days = 46 * 365 + 11
        step = 7919 + rng.randrange(1000)
        while math.gcd(step, self.birth_days) != 1:
            step += 1
        self.birth_step = step  # coprime with the number of days: n -> day is a permutation

    # -- small draws --

    def folded(self, text: str) -> str:
        value = self.fold_cache.get(text)
        if value is None:
            value = self.fold_cache[text] = self.fold(text)
        return value

    def act_by(self, due: date) -> date:
        value = self.act_by_cache.get(due)
        if value is None:
            from ipd import rules

            value = self.act_by_cache[due] = rules.act_by(due)
        return value

    # Drawn from ``random()`` alone: several times cheaper than randint and choice.
    def ri(self, low: int, high: int) -> int:
        return low + int(self.r() * (high - low + 1))

    def rr(self, stop: int) -> int:
        return int(self.r() * stop)

    def ch(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.r() * len(seq))]

    def minute(self) -> int:
        return 30 + 15 * int(self.r() * 30)

    def entry(self, client: int, author: int, on: date, kind: str, text: str) -> None:
        w = self.w
        w.add(
            "clients_cardentry",
            str(w.id("clients_cardentry")),
            kind,
            text,
            _ts(on, self.minute()),
            str(author),
            str(client),
        )

    # -- one client --

    def client(self, n: int, clients: int) -> None:
        w, day = self.w, self.day
        office = self.offices[_office_slot(n, len(self.offices)) - 1]
        client_id = w.id("clients_client")
        sex = "F" if self.r() < 0.52 else "M"
        # Birth days permuted by n within blocks of self.birth_days; the block is the serial:
        # (birth day, serial) is unique for every n, so the PESEL is too.
        offset = ((n - 1) * self.birth_step) % self.birth_days
        serial = (n - 1) // self.birth_days
        birth = day - timedelta(days=18 * 366 + offset)
        pesel = _pesel(birth, serial, sex == "M")
        generation = 0 if birth.year < 1975 else 1 if birth.year < 1992 else 2
        first = self.ch(self.first_names[sex][generation])
        second = self.ch(self.first_names[sex][generation]) if self.r() < 0.15 else ""
        if second == first:
            second = ""
        surname = self.ch(_surnames())
        last = _feminine(surname) if sex == "F" else surname
        family = ""
        if sex == "F" and self.r() < 0.1:
            family = _feminine(self.ch(_surnames()))
        search = " ".join(self.folded(x) for x in (first, second, last, family) if x)
        if self.r() < 0.7:
            city, postal = office.town, office.postal_code
        else:
            city, postal = self.ch(OTHER_TOWNS)
        occupation = self.ch(self.occupations)
        occupation_name = occupation.female if sex == "F" and occupation.female else occupation.male
        education = self.ch(self.education)
        experience = 0 if self.r() < 0.12 else self.ri(1, 359)
        adult = birth + timedelta(days=18 * 366)
        email = ""
        if self.r() < 0.4:
            email = f"{self.folded(first)}.{self.folded(last)}{n % 97}@example.com".replace(" ", "")
        phone = f"{self.ch(self.mobile)} {self.rr(1000):03d} {self.rr(1000):03d}"
        # Periods: the earlier one (if any), then the current one, open or closed.
        is_open = self.r() < 0.8
        if is_open:
            u = self.r()
            age = (
                self.ri(1, 180)
                if u < 0.35
                else self.ri(181, 540)
                if u < 0.65
                else self.ri(541, 1080)
                if u < 0.9
                else self.ri(1081, 2000)
            )
            registered = max(day - timedelta(days=age), adult)
            deregistered = None
        else:
            deregistered = day - timedelta(days=self.ri(1, 1500))
            registered = deregistered - timedelta(days=self.ri(14, 700))
            if registered < adult:
                registered = adult
                deregistered = max(deregistered, registered)
        periods: list[tuple[date, date | None]] = []
        if self.r() < 0.25:
            earlier_end = registered - timedelta(days=self.ri(30, 700))
            earlier_start = earlier_end - timedelta(days=self.ri(30, 500))
            if earlier_start >= adult:
                periods.append((earlier_start, earlier_end))
        periods.append((registered, deregistered))
        created = periods[0][0]
        last_work = max(created - timedelta(days=self.ri(10, 900)), adult)
        licences = occupation.licences
        driving = "{" + ",".join(occupation.driving or (("B",) if self.r() < 0.55 else ())) + "}"
        w.add(
            "clients_client",
            str(client_id),
            first,
            second,
            last,
            family,
            pesel,
            birth.isoformat(),
            sex,
            self.ch(TOWNS)[1],
            "",
            "",
            "",
            "polskie",
            phone,
            email,
            f"{self.ch(STREETS)} {self.ri(1, 120)}"
            + (f" m. {self.ri(1, 60)}" if self.r() < 0.6 else ""),
            postal,
            city,
            city,
            "",
            "",
            education,
            occupation_name,
            str(experience),
            "angielski A2" if self.r() < 0.3 else "",
            driving,
            licences,
            occupation.skills,
            "mild" if self.r() < 0.04 else "",
            _b(self.r() < 0.08),
            _b(self.r() < 0.03),
            _b(self.r() < 0.1),
            "t",
            _b(bool(email)),
            _b(bool(email) or self.r() < 0.3),
            _b(bool(email) and self.r() < 0.7),
            search,
            _ts(created, 60),
            _ts(periods[-1][1] or periods[-1][0], 90),
            str(office.id),
            "basic" if self.r() < 0.3 else "none",
            last_work.isoformat(),
            _b(bool(licences)),
            "pl",
        )
        advisor = self.ch(office.advisors)
        current: _Current | None = None
        for index, (start, end) in enumerate(periods):
            returning = index > 0
            current_or_none = self.period(client_id, office, start, end, advisor, returning)
            if end is None:
                current = current_or_none
        if current is not None:
            self.due(client_id, office, current)
            if current.advisor is not None and office.slot == 1 and len(self.sample) < 50:
                self.sample.append(
                    {"id": client_id, "pesel": pesel, "last_name": last, "first_name": first}
                )
        if self.r() < 0.03:
            self.enrol(client_id, office, periods[-1], current)

    def period(
        self,
        client: int,
        office: _Office,
        registered: date,
        deregistered: date | None,
        advisor: int,
        returning: bool,
    ) -> _Current | None:
        w = self.w
        registration = w.id("clients_registration")
        status = "unemployed" if self.r() < 0.9 else "jobseeker"
        category = self.ch(self.ref.categories) if status == "jobseeker" else None
        reason = None
        if deregistered is not None:
            reason = self.ch(
                self.ref.unemployed_reasons
                if status == "unemployed"
                else self.ref.jobseeker_reasons
            )
        w.add(
            "clients_registration",
            str(registration),
            status,
            registered.isoformat(),
            _d(deregistered),
            f"DW.{registration}/{(deregistered or registered).year}" if reason else "",
            str(client),
            str(advisor),
            _n(reason[0] if reason else None),
            _n(category),
            str(office.id),
        )
        label = "bezrobotnego" if status == "unemployed" else "poszukującego pracy"
        self.entry(
            client,
            advisor,
            registered,
            "system",
            f"Rejestracja jako {label} od {registered:%d.%m.%Y}.",
        )
        # Advisors: the care starts at registration, ends at deregistration; 12 % reassigned.
        horizon = deregistered or self.day
        end_at = _ts(deregistered, 470) if deregistered else NULL
        kind = "return" if returning else "caseload"
        moved = None
        if self.r() < 0.12 and (horizon - registered).days > 20 and len(office.advisors) > 1:
            moved = registered + timedelta(days=self.ri(10, (horizon - registered).days - 1))
        first_advisor = advisor
        if moved is not None:
            first_advisor = self.ch([a for a in office.advisors if a != advisor])
            w.add(
                "clients_advisorassignment",
                str(w.id("clients_advisorassignment")),
                kind,
                "",
                _ts(registered, 5),
                _ts(moved, 10),
                str(first_advisor),
                str(first_advisor),
                str(client),
            )
            w.add(
                "clients_advisorassignment",
                str(w.id("clients_advisorassignment")),
                "reassignment",
                self.ch(REASSIGN_REASONS),
                _ts(moved, 10),
                end_at,
                str(advisor),
                str(office.manager),
                str(client),
            )
            self.entry(
                client,
                office.manager,
                moved,
                "system",
                f"Zmiana doradcy klienta: {office.advisor_names[advisor]}.",
            )
        else:
            w.add(
                "clients_advisorassignment",
                str(w.id("clients_advisorassignment")),
                kind,
                "",
                _ts(registered, 5),
                end_at,
                str(advisor),
                str(advisor),
                str(client),
            )
        for _note in range(self.ri(0, 3)):
            kind_note, text = self.ch(ADVISOR_NOTES)
            on = registered + timedelta(days=self.ri(0, (horizon - registered).days))
            self.entry(client, advisor, on, kind_note, text)
        current = _Current(
            registration,
            status,
            registered,
            advisor if deregistered is None else None,
            "",
            None,
            None,
            [],
        )
        if status == "unemployed":
            self.profiling_and_plans(
                client, office, advisor, registration, current, horizon, reason
            )
        if deregistered is not None and reason is not None:
            self.entry(
                client,
                advisor,
                deregistered,
                "system",
                f"Wyrejestrowano w dniu {deregistered:%d.%m.%Y}: {reason[2]}.",
            )
            return None
        return current

    # -- profiles and plans of one period --

    def assessment(
        self,
        client: int,
        advisor: int,
        registration: int,
        started: date,
        trigger: str,
        determined: date | None,
    ) -> tuple[int, str]:
        """Write an assessment (a draft when ``determined`` is None); answer its id and
        profile. It is written not current: the period's last one is marked afterwards."""
        w = self.w
        assessment = w.id("profiling_assessment")
        if determined is None:
            w.add(
                "profiling_assessment",
                str(assessment),
                trigger,
                "draft",
                "{}",
                NULL,
                "",
                "",
                NULL,
                NULL,
                "",
                NULL,
                "f",
                _ts(started, 20),
                _ts(started, 20),
                str(client),
                str(advisor),
                NULL,
                str(registration),
                str(self.ref.version_id),
            )
            return assessment, ""
        proposed = self.ch(self.profiles)
        interview, answers, distance, readiness = self.ch(self.ref.templates[proposed])
        final, justification = proposed, ""
        if self.r() < 0.08:
            final = {"I": "II", "II": "III", "III": "II"}[proposed]
            justification = self.ch(JUSTIFICATIONS)
        w.add(
            "profiling_assessment",
            str(assessment),
            trigger,
            "determined",
            interview,
            answers,
            proposed,
            final,
            str(distance),
            str(readiness),
            justification,
            determined.isoformat(),
            "f",
            _ts(started, 20),
            _ts(determined, 200),
            str(client),
            str(advisor),
            str(advisor),
            str(registration),
            str(self.ref.version_id),
        )
        text = (
            f"Ustalono profil {final} w dniu {determined:%d.%m.%Y} (proponowany {proposed}: "
            f"oddalenie {distance}, gotowość {readiness}; kwestionariusz {self.ref.version_code})."
        )
        if justification:
            text += f" Zmieniony przez doradcę: {justification}"
        self.entry(client, advisor, determined, "system", text)
        return assessment, final

    def profiling_and_plans(
        self,
        client: int,
        office: _Office,
        advisor: int,
        registration: int,
        current: _Current,
        horizon: date,
        closing: tuple[int, str, str] | None,
    ) -> None:
        rows = self.w.rows["profiling_assessment"]
        self.cycles(client, office, advisor, registration, current, horizon, closing)
        if current.current_assessment is not None:
            # The period's last determined profile is the current one (also once closed).
            index = self.assessment_rows[current.current_assessment]
            fields = rows[index].split("\t")
            fields[11] = "t"
            rows[index] = "\t".join(fields)

    def cycles(
        self,
        client: int,
        office: _Office,
        advisor: int,
        registration: int,
        current: _Current,
        horizon: date,
        closing: tuple[int, str, str] | None,
    ) -> None:
        """Profile, plan, and again after a plan that ended without work, until ``horizon``
        (the day, or the deregistration, which ends the live plan)."""
        from ipd import rules

        profiled = current.registered_on + timedelta(days=self.ri(1, 21))
        if profiled > horizon:
            if horizon == self.day and self.r() < 0.5:
                self.assessment(client, advisor, registration, horizon, "initial", None)
            return
        if horizon == self.day and (self.day - profiled).days < 30 and self.r() < 0.03:
            self.assessment(client, advisor, registration, profiled, "initial", None)
            return
        trigger = "initial"
        for _cycle in range(8):
            assessment, profile = self.assessment(
                client, advisor, registration, profiled, trigger, profiled
            )
            self.assessment_rows[assessment] = len(self.w.rows["profiling_assessment"]) - 1
            current.current_assessment, current.profile = assessment, profile
            current.determined_on = profiled
            u = self.r()
            delay = self.ri(3, 50) if u < 0.85 else self.ri(51, 60) if u < 0.95 else self.ri(61, 90)
            prepared = profiled + timedelta(days=delay)
            deadline = rules.ipd_preparation_deadline(profiled)
            if prepared > horizon:
                if horizon == self.day and self.r() < 0.5:
                    begun = profiled + timedelta(days=self.ri(0, (horizon - profiled).days))
                    plan = self.plan(
                        client, office, advisor, registration, assessment, profile, begun, None,
                        deadline, horizon, None,
                    )  # fmt: skip
                    current.plans.append(plan)
                return
            plan = self.plan(
                client, office, advisor, registration, assessment, profile, prepared, prepared,
                deadline, horizon, closing,
            )  # fmt: skip
            current.plans.append(plan)
            if plan.end_reason not in ("maximum", "other"):
                return
            # Ended without work: the analysis, a new interview, the profile again.
            # Profiled again within 1-20 days, or for a fifth later than the 14-day term.
            late = self.r() < 0.2
            again = plan.ended_on + timedelta(  # type: ignore[operator]
                days=self.ri(15, 60) if late else self.ri(1, 20)
            )
            if again > horizon:
                self.assessment(
                    client,
                    advisor,
                    registration,
                    plan.ended_on,  # type: ignore[arg-type]
                    "ipd_ended_without_work",
                    None,
                )
                return
            profiled, trigger = again, "ipd_ended_without_work"

    def plan(
        self,
        client: int,
        office: _Office,
        advisor: int,
        registration: int,
        assessment: int,
        profile: str,
        starts: date,
        prepared: date | None,
        deadline: date,
        horizon: date,
        closing: tuple[int, str, str] | None,
    ) -> _Plan:
        """A plan from ``starts``: a draft (``prepared`` None) or prepared and in force, then
        ended at its maximum or for another reason if that comes before ``horizon``, or by
        the deregistration (``closing``: the reason) on ``horizon``, as
        ``ipd.services.end_on_deregistration`` ends it: with work for the employment reasons."""
        from ipd import rules

        w, day = self.w, self.day
        plan_id = w.id("ipd_individualactionplan")
        max_end = rules.ipd_max_end(starts, profile)
        refused = prepared is not None and self.r() < 0.02
        agreed = prepared if prepared is not None and not refused else None
        status, ended_on, end_reason, analysis = "draft", None, "", ""
        if prepared is not None:
            status = "active"
            other = starts + timedelta(days=self.ri(30, (max_end - starts).days))
            if self.r() < 0.05 and other < horizon:
                status, ended_on, end_reason = "ended", other, "other"
            elif max_end < horizon and not (
                horizon == day and (day - max_end).days <= 21 and self.r() < 0.5
            ):
                status, ended_on, end_reason = "ended", max_end, "maximum"
            if ended_on is not None:
                analysis = self.ch(END_ANALYSES)
            elif closing is not None:
                status, ended_on = "ended", horizon
                if closing[1] in WORK_REASONS:
                    end_reason = "work"
                else:
                    end_reason, analysis = "deregistration", f"Wyrejestrowanie: {closing[2]}."
        late = prepared is not None and prepared > deadline
        goals = "Zatrudnienie w wyuczonym zawodzie w pełnym wymiarze, w promieniu 30 km."
        self.w.add(
            "ipd_individualactionplan",
            str(plan_id),
            profile,
            status,
            goals,
            starts.isoformat(),
            max_end.isoformat(),
            max_end.isoformat(),
            "Spotkanie w urzędzie co 30-60 dni, w razie potrzeby telefonicznie.",
            _d(prepared),
            "Klient przebywał w szpitalu." if late else "",
            _d(agreed),
            _b(refused),
            "Klient nie zgadza się z zakresem planu." if refused else "",
            "1" if prepared else "0",
            "f",
            _d(ended_on),
            end_reason,
            analysis,
            _ts(starts, 100),
            _ts(ended_on or prepared or starts, 300),
            str(advisor),
            str(assessment),
            NULL,
            str(client),
            str(advisor),
            str(registration),
        )
        self.entry(client, advisor, starts, "ipd_change", "Rozpoczęto przygotowanie IPD.")
        plan = _Plan(plan_id, assessment, status, agreed or prepared, max_end, end_reason, ended_on,
                     None, None)  # fmt: skip
        if prepared is None:
            return plan
        text = (
            f"IPD uzgodniony z klientem w dniu {prepared:%d.%m.%Y}, do {max_end:%d.%m.%Y}."
            if agreed
            else f"IPD przygotowany w dniu {prepared:%d.%m.%Y}, do {max_end:%d.%m.%Y}; "
            "klient odmówił uzgodnienia."
        )
        self.entry(client, advisor, prepared, "ipd_change", text)
        actions = self.actions(plan, office, advisor, profile, starts, max_end, horizon)
        self.version(plan_id, advisor, prepared, starts, max_end, goals, actions)
        self.contacts(client, office, advisor, plan, horizon)
        if ended_on is not None:
            self.entry(
                client,
                advisor,
                ended_on,
                "ipd_change",
                f"IPD zakończony w dniu {ended_on:%d.%m.%Y}: {END_REASON_PL[end_reason]}."
                + (f" Analiza: {analysis}" if analysis else ""),
            )
        elif horizon == day:
            self.active_plan.setdefault(advisor, (client, plan_id))
        return plan

    def actions(
        self,
        plan: _Plan,
        office: _Office,
        advisor: int,
        profile: str,
        starts: date,
        ends: date,
        horizon: date,
    ) -> list[dict[str, Any]]:
        w = self.w
        reference = plan.ended_on or horizon  # what was known when the plan stopped changing
        made = []
        for position in range(self.ri(2, 6)):
            action_id = w.id("ipd_planaction")
            begin = min(starts + timedelta(days=self.ri(0, 60)), ends)
            finish = min(begin + timedelta(days=self.ri(14, 120)), ends)
            form = None
            if self.r() < 0.7 and self.ref.forms[profile]:
                form = self.ch(self.ref.forms[profile])
                kind, description, expected = "office", form[2], "podjęcie zatrudnienia"
            else:
                description, expected = self.ch(OWN_ACTIONS)
                kind = "own"
            justification = (
                "Klient ma doświadczenie, brakuje mu uprawnień." if form and form[3] else ""
            )
            status, reason, status_on = "planned", "", None
            if finish < reference:
                u = self.r()
                if u < 0.63:
                    status, status_on = "done", finish
                elif u < 0.9:
                    status, reason, status_on = "not_done", self.ch(NOT_DONE_REASONS), finish
                else:
                    status = "in_progress"  # finished, no outcome recorded yet
            elif begin <= reference:
                status = "in_progress"
            if plan.ended_on is not None and status in ("planned", "in_progress"):
                status, reason, status_on = "not_done", "plan zakończony", plan.ended_on
            if status in ("planned", "in_progress") and (
                plan.open_action_end is None or finish < plan.open_action_end
            ):
                plan.open_action_end = finish
            w.add(
                "ipd_planaction",
                str(action_id),
                kind,
                description,
                justification,
                "",
                begin.isoformat(),
                finish.isoformat(),
                expected,
                status,
                reason,
                _d(status_on),
                str(position),
                _ts(starts, 110 + position),
                _n(form[0] if form else None),
                str(plan.id),
                str(advisor),
            )
            made.append(
                {
                    "key": action_id,
                    "kind": kind,
                    "title": form[2] if form else "działanie własne",
                    "form": form[1] if form else "",
                    "description": description,
                    "justification": justification,
                    "special_programme": "",
                    "starts_on": begin.isoformat(),
                    "ends_on": finish.isoformat(),
                    "responsible": office.advisor_names[advisor],
                    "expected_result": expected,
                }
            )
        return made

    def version(
        self,
        plan: int,
        advisor: int,
        prepared: date,
        starts: date,
        ends: date,
        goals: str,
        actions: list[dict[str, Any]],
    ) -> None:
        snapshot = {
            "goals": goals,
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
            "contact_arrangements": "Spotkanie w urzędzie co 30-60 dni, w razie potrzeby "
            "telefonicznie.",
            "specialists": [],
            "actions": actions,
        }
        self.w.add(
            "ipd_planversion",
            str(self.w.id("ipd_planversion")),
            "1",
            prepared.isoformat(),
            "",
            _copy_text(json.dumps(snapshot, ensure_ascii=False)),
            _ts(prepared, 320),
            str(advisor),
            str(plan),
        )

    def contacts(
        self, client: int, office: _Office, advisor: int, plan: _Plan, horizon: date
    ) -> None:
        w, day = self.w, self.day
        assert plan.start is not None
        stop = plan.ended_on or horizon
        if plan.ended_on is None and horizon == day and self.r() < 0.08:
            stop = day - timedelta(days=self.ri(61, 100))  # contact lost: overdue
        who = office.advisor_names[advisor]
        on = plan.start + timedelta(days=self.ri(20, 60))
        while on <= stop:
            channel = self.ch(CHANNELS)
            held = self.r() >= 0.15
            w.add(
                "ipd_contact",
                str(w.id("ipd_contact")),
                "held" if held else "missed",
                on.isoformat(),
                channel,
                self.ch(CONTACT_OUTCOMES) if held else "",
                "",
                _ts(on, 200),
                str(advisor),
                str(advisor),
                str(plan.id),
            )
            if held:
                plan.last_held = on
                text = f"Kontakt w dniu {on:%d.%m.%Y} ({CHANNEL_PL[channel]}, {who})."
            else:
                text = (
                    f"Klient nie stawił się na spotkanie w dniu {on:%d.%m.%Y} "
                    f"({CHANNEL_PL[channel]}, {who})."
                )
            self.entry(client, advisor, on, "contact", text)
            on += timedelta(days=self.ri(30, 60) if held else self.ri(3, 14))
        if plan.ended_on is None and horizon == day and self.r() < 0.6:
            planned = day + timedelta(days=self.ri(1, 30))
            w.add(
                "ipd_contact",
                str(w.id("ipd_contact")),
                "planned",
                planned.isoformat(),
                "in_person",
                "",
                "",
                _ts(day - timedelta(days=self.ri(1, 20)), 210),
                str(advisor),
                str(advisor),
                str(plan.id),
            )

    # -- due items and the caseload row, as ipd.deadlines.compute_due derives them --

    def due(self, client: int, office: _Office, current: _Current) -> None:
        from ipd import rules

        due: dict[str, tuple[int | None, date]] = {}
        live = next((p for p in reversed(current.plans) if p.status != "ended"), None)
        assessment = current.current_assessment
        if current.status == "unemployed" and assessment is not None:
            waiting = next(
                (
                    p
                    for p in reversed(current.plans)
                    if p.assessment == assessment and p.end_reason in ("maximum", "other")
                ),
                None,
            )
            if waiting is not None and waiting.ended_on is not None:
                due["reprofile"] = (
                    waiting.id,
                    waiting.ended_on + timedelta(days=self.ref.reprofiling_days),
                )
            elif not any(p.assessment == assessment and p.start for p in current.plans):
                assert current.determined_on is not None
                due["prepare"] = (
                    live.id if live else None,
                    rules.ipd_preparation_deadline(current.determined_on),
                )
        if live is not None and live.status == "active" and live.start is not None:
            last = rules.last_contact(live.start, [live.last_held] if live.last_held else [])
            due["contact"] = (live.id, rules.next_contact_due(last))
            if live.max_end:
                due["max_end"] = (live.id, live.max_end)
            if live.open_action_end:
                due["action"] = (live.id, live.open_action_end)
        w = self.w
        for kind, (plan, due_on) in due.items():
            w.add(
                "ipd_dueitem",
                str(w.id("ipd_dueitem")),
                kind,
                due_on.isoformat(),
                self.act_by(due_on).isoformat(),
                str(client),
                str(office.id),
                _n(plan),
            )
        w.add(
            "dashboard_caseload",
            str(client),
            current.status,
            current.profile,
            current.registered_on.isoformat(),
            *(
                _d(due[kind][1] if kind in due else None)
                for kind in ("prepare", "contact", "max_end", "action", "reprofile")
            ),
            _n(current.advisor),
            str(office.id),
        )

    # -- job clubs --

    def enrol(
        self,
        client: int,
        office: _Office,
        period: tuple[date, date | None],
        current: _Current | None,
    ) -> None:
        w, day = self.w, self.day
        registered, deregistered = period
        activities = office.activities
        for step in range(len(activities)):
            activity = activities[(office.next_activity + step) % len(activities)]
            latest = min(activity.closes, deregistered or day, day)
            earliest = max(activity.opens, registered)
            if earliest <= latest:
                office.next_activity = (office.next_activity + step + 1) % len(activities)
                break
        else:
            return
        enrolled_on = earliest + timedelta(days=self.ri(0, (latest - earliest).days))
        held = [s for s in activity.sessions if s[1] <= day]
        full = activity.taken >= activity.capacity
        finished = bool(held) and len(held) == len(activity.sessions)
        if full and held:
            return  # no place, and the waiting list is over
        if full:
            status = "waitlisted"
        elif not finished:
            status = "enrolled"
        elif self.r() < 0.8:
            status = "completed"
        else:
            status = "dropped_out"
        if status in ("enrolled", "completed", "dropped_out"):
            activity.taken += 1
        activity.enrolled += 1
        enrolment_id = w.id("job_clubs_enrolment")
        marks = []
        hours = 0
        for index, (session_id, session_day, session_hours) in enumerate(held):
            if status == "waitlisted":
                break
            if status == "dropped_out" and index >= len(held) // 2:
                break
            mark = "present" if self.r() < 0.9 else self.ch(("absent", "excused"))
            hours += session_hours if mark == "present" else 0
            marks.append((session_id, session_day, mark))
        last_day = activity.sessions[-1][1]
        w.add(
            "job_clubs_enrolment",
            str(enrolment_id),
            status,
            _ts(enrolled_on, self.minute()),
            "Rezygnacja z powodów zdrowotnych." if status == "dropped_out" else "",
            "t" if status == "dropped_out" else NULL,
            _d(last_day if status == "completed" else None),
            f"{hours}.0",
            str(activity.id),
            str(client),
            str(current.advisor if current and current.advisor else activity.leader),
            _d(last_day if status == "completed" else None),
            f"KP/{activity.id}/{enrolment_id}" if status == "completed" else "",
            _d(held[len(held) // 2][1] if status == "dropped_out" else None),
        )
        for session_id, session_day, mark in marks:
            w.add(
                "job_clubs_attendance",
                str(w.id("job_clubs_attendance")),
                mark,
                _ts(session_day, 420),
                str(activity.leader),
                str(enrolment_id),
                str(session_id),
            )
        self.entry(
            client,
            activity.leader,
            enrolled_on,
            "advisor_action",
            "Zapisano do klubu pracy" + (" (lista rezerwowa)." if status == "waitlisted" else "."),
        )


# --- Indexes around the load -----------------------------------------------------------------


def _drop_indexes_and_foreign_keys(cursor: Any) -> list[str]:
    """Drop the secondary indexes (not the primary keys nor indexes behind a constraint) and
    the foreign keys of the loaded tables; answer the statements that recreate them, indexes
    first. Re-adding a foreign key checks every row in one join, as pg_restore does, instead
    of one lookup per row and key during the load."""
    tables = list(DROP_INDEX_TABLES)
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
        ORDER BY 1, 2
        """,
        [tables],
    )
    keys = cursor.fetchall()
    for table, name, _definition in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in keys
    ]


# --- The fill --------------------------------------------------------------------------------


def fill(
    *,
    clients: int,
    offices: int | None = None,
    seed: int = DEFAULT_SEED,
    day: date = DEFAULT_DAY,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Write the data set into the database of Django's default connection (migrated, with no
    generated data yet), in or outside a transaction; answer the report (parameters, seconds
    per step, rows per table, fixtures). Statements that cannot run in a transaction
    (``VACUUM``) are left to the caller."""
    from django.db import connection

    offices = offices or default_offices(clients)
    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # Django's foreign keys are deferred: checked at each statement instead, so that
            # no check is pending when the indexes are rebuilt in the same transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        ref = _reference(rng)
        writer = _Writer(cursor)
        step = time.perf_counter()
        rebuild = _drop_indexes_and_foreign_keys(cursor)
        seconds["drop indexes and foreign keys"] = time.perf_counter() - step
        step = time.perf_counter()
        office_list = _staff(writer, rng, ref, day, clients, offices)
        writer.flush()
        writer.finish()
        seconds["offices, staff, job clubs"] = time.perf_counter() - step
        generator = _Generator(writer, rng, ref, office_list, day)
        step = time.perf_counter()
        copy_before = writer.copy_seconds
        for n in range(1, clients + 1):
            generator.client(n, clients)
            if n % BATCH == 0 or n == clients:
                generator.assessment_rows.clear()
                writer.flush()
                if n % (10 * BATCH) == 0 or n == clients:
                    log(f"  {n:,} clients ({time.perf_counter() - step:.0f} s)")
        writer.finish()
        seconds["clients and histories (total)"] = time.perf_counter() - step
        seconds["  of which COPY (in parallel)"] = writer.copy_seconds - copy_before
        step = time.perf_counter()
        for statement in rebuild:
            cursor.execute(statement)
        seconds["rebuild indexes, check foreign keys"] = time.perf_counter() - step
        step = time.perf_counter()
        from labour_office.dashboard.caseload import rebuild_trends

        rebuild_trends(cursor)
        seconds["trend events"] = time.perf_counter() - step
        step = time.perf_counter()
        for table in SEQUENCED:
            statement = (
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"greatest(coalesce(max(id), 0), 1)) FROM {table}"
            )
            cursor.execute(statement)  # our own table names
        cursor.execute(f"ANALYZE {', '.join(COLUMNS)}")
        seconds["sequences, analyze"] = time.perf_counter() - step
    seconds["total"] = time.perf_counter() - started
    return _report(clients, offices, seed, day, seconds, writer.counts, generator, office_list)


def _report(
    clients: int,
    offices: int,
    seed: int,
    day: date,
    seconds: dict[str, float],
    counts: dict[str, int],
    generator: _Generator,
    office_list: list[_Office],
) -> dict[str, Any]:
    from django.db import connection

    big = office_list[0]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT advisor_id, count(*) FROM dashboard_caseload
            WHERE office_id = %s AND advisor_id IS NOT NULL
            GROUP BY advisor_id ORDER BY count(*), advisor_id
            """,
            [big.id],
        )
        loads = cursor.fetchall()
        advisor, caseload = loads[len(loads) // 2]
        client_plan = generator.active_plan.get(advisor) or next(
            iter(generator.active_plan.values())
        )
        cursor.execute(
            """
            SELECT e.activity_id, count(*) FROM job_clubs_enrolment e
            JOIN job_clubs_activity a ON a.id = e.activity_id
            JOIN job_clubs_jobclub c ON c.id = a.club_id
            WHERE c.office_id = %s GROUP BY e.activity_id
            ORDER BY count(*) DESC, e.activity_id LIMIT 1
            """,
            [big.id],
        )
        activity = cursor.fetchone()
    return {
        "generator": f"bench.generate v{GENERATOR_VERSION}",
        "parameters": {
            "clients": clients,
            "offices": offices,
            "seed": seed,
            "day": day.isoformat(),
        },
        "seconds": {step: round(value, 1) for step, value in seconds.items()},
        "rows": dict(counts),
        "fixtures": {
            "office_id": big.id,
            "office_clients": sum(
                1 for n in range(1, clients + 1) if _office_slot(n, offices) == 1
            ),
            "advisor_username": big.usernames[advisor],
            "advisor_id": advisor,
            "advisor_caseload": caseload,
            "manager_username": big.manager_username,
            "clients": generator.sample[:20],
            "ipd_client_id": client_plan[0],
            "ipd_plan_id": client_plan[1],
            "activity_id": activity[0] if activity else None,
            "activity_enrolments": activity[1] if activity else 0,
        },
    }


# --- The database of its own -----------------------------------------------------------------


def _stamp(clients: int, offices: int, seed: int, day: date) -> str:
    return (
        f"bench.generate v{GENERATOR_VERSION} clients={clients} offices={offices} "
        f"seed={seed} day={day.isoformat()}"
    )


def run(url: str, *, clients: int, offices: int | None, seed: int, day: date) -> dict[str, Any]:
    """In this process: create or reuse the database, migrate, fill, store the report."""
    offices = offices or default_offices(clients)
    stamp = _stamp(clients, offices, seed, day)
    fresh = _prepare_database(url, stamp)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labour_office.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = round(time.perf_counter() - start, 1)
    with connection.cursor() as cursor:
        if not fresh:
            cursor.execute("SELECT summary FROM bench_summary WHERE stamp = %s", [stamp])
            row = cursor.fetchone()
            if row is not None:
                summary: dict[str, Any] = json.loads(row[0]) if isinstance(row[0], str) else row[0]
                return summary | {"reused": True}
        name = connection.settings_dict["NAME"]
        _log(f"{name}: generating {clients:,} clients in {offices} offices")
        summary = fill(clients=clients, offices=offices, seed=seed, day=day, log=_log)
        start = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")  # the visibility map: index-only scans
        summary["seconds"]["vacuum"] = round(time.perf_counter() - start, 1)
        summary["seconds"]["migrate"] = migrate_seconds
        summary["database"] = name
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_summary (stamp text PRIMARY KEY, summary jsonb)"
        )
        cursor.execute(
            "INSERT INTO bench_summary VALUES (%s, %s) ON CONFLICT (stamp) DO UPDATE "
            "SET summary = excluded.summary",
            [stamp, json.dumps(summary)],
        )
        cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS %s", [stamp])
    return summary | {"reused": False}


def ensure(
    url: str,
    *,
    clients: int,
    offices: int | None = None,
    seed: int = DEFAULT_SEED,
    day: date = DEFAULT_DAY,
) -> dict[str, Any]:
    """The database at ``url`` holding this data set (made now, or found), and its report.

    Runs ``python -m bench.generate`` as a child process with ``DATABASE_URL=url``, so the
    caller may call it before ``django.setup()`` (or after, with another database)."""
    command = [sys.executable, "-m", "bench.generate", "--clients", str(clients)]
    command += ["--seed", str(seed), "--day", day.isoformat(), "--database-url", url, "--json"]
    if offices:
        command += ["--offices", str(offices)]
    env = os.environ | {"DATABASE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the child uses the project's settings
    child = subprocess.run(  # noqa: S603 (our own module, our own arguments)
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    summary: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return summary


def format_report(summary: dict[str, Any]) -> str:
    parameters = summary["parameters"]
    lines = [
        f"{summary['generator']}: {parameters['clients']:,} clients, {parameters['offices']} "
        f"offices, seed {parameters['seed']}, day {parameters['day']}"
        + (" (reused)" if summary.get("reused") else ""),
        "",
        f"{'table':<28} {'rows':>12}",
    ]
    lines += [f"{table:<28} {rows:>12,}" for table, rows in summary["rows"].items()]
    lines += ["", f"{'step':<34} {'seconds':>8}"]
    lines += [f"{step:<34} {value:>8.1f}" for step, value in summary["seconds"].items()]
    fixtures = summary["fixtures"]
    lines += ["", "fixtures:"] + [
        f"  {key}: {value}" for key, value in fixtures.items() if key != "clients"
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--offices", type=int, default=None)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--day", type=date.fromisoformat, default=DEFAULT_DAY)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    summary = run(
        args.database_url or default_url(args.clients),
        clients=args.clients,
        offices=args.offices,
        seed=args.seed,
        day=args.day,
    )
    print(json.dumps(summary) if args.json else format_report(summary))


if __name__ == "__main__":
    main()
