"""Demo clients for ``seed_demo``: realistic Polish people in every state of the flow.

Everything is written through ``clients.services`` as the staff would write it: registrations,
deregistrations, returns, reassignments, the substitution and the letter ranges as the office's
manager, journal entries as the client's customer advisor. Only the timestamps are afterwards
moved back to the simulated days (``_Backdating``), so that the assignment history and the
journal of a person registered two years ago read as two years of work, not as one afternoon.

Reproducible and idempotent: client ``i`` is drawn from its own ``random.Random`` seeded with
``i``, identity first (PESEL or passport) and independently of today's date and of the offices,
so ``--clients 60`` makes the first 60 people of ``--clients 2000``, and a rerun finds every
PESEL (or passport) in the register and skips that person. Employers are recognised by their
NIP, the substitution by its dates. Registration dates are spread over the three years before
``timezone.localdate()``, on working days, never before the person's 18th birthday.

People follow ``PATTERN``, a cycle of 20 in which every state of the flow appears; the first
cycle also shows each named jobseeker category and deregistration reason, Łukasz Żółć (for the
diacritics-insensitive search) and the first Ukrainian citizen without a PESEL.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol, TypeVar

from auditlog.context import set_actor
from django.db.models import Count, Q
from django.utils import timezone
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import pesel as stdnum_pesel
from stdnum.pl import regon as stdnum_regon

from clients import rules, services
from clients.models import (
    DRIVING_LICENCES,
    AdvisorAssignment,
    AssignmentKind,
    CardEntry,
    Client,
    DeregistrationReason,
    DisabilityDegree,
    DocumentType,
    EducationLevel,
    Employer,
    EntryKind,
    JobseekerCategory,
    LetterRange,
    Registration,
    Sex,
    Status,
    Substitution,
)
from clients.search import fold
from labour_office.calendar import is_working_day, last_working_day_on_or_before
from labour_office.offices.models import AssignmentStrategy, Office, Role, User

SEED = "pup-demo-2026"
PROGRESS_EVERY = 500  # clients between two progress lines on a large run

# ---------------------------------------------------------------------------------------------
# Names

# Common first names by sex and generation (born before 1975, 1975-1991, 1992 and later), so
# that a woman born in 1962 is more often a Małgorzata or a Danuta than a Wiktoria.
FIRST_NAMES: dict[str, tuple[dict[str, int], dict[str, int], dict[str, int]]] = {
    Sex.FEMALE: (
        {"Anna": 20, "Małgorzata": 18, "Ewa": 16, "Barbara": 14, "Elżbieta": 14, "Krystyna": 12,
         "Danuta": 10, "Grażyna": 10, "Jolanta": 10, "Teresa": 9, "Bożena": 8, "Halina": 7,
         "Zofia": 6, "Iwona": 6, "Agnieszka": 4, "Katarzyna": 4},
        {"Anna": 22, "Katarzyna": 22, "Agnieszka": 20, "Małgorzata": 14, "Magdalena": 16,
         "Joanna": 16, "Monika": 14, "Ewa": 10, "Beata": 10, "Marta": 10, "Justyna": 10,
         "Dorota": 8, "Sylwia": 8, "Renata": 6, "Izabela": 5, "Żaneta": 3},
        {"Julia": 14, "Natalia": 16, "Aleksandra": 16, "Wiktoria": 14, "Karolina": 14,
         "Paulina": 14, "Weronika": 12, "Patrycja": 10, "Zuzanna": 8, "Anna": 12,
         "Katarzyna": 8, "Dominika": 8, "Martyna": 8, "Zofia": 6, "Oliwia": 6, "Kinga": 6},
    ),
    Sex.MALE: (
        {"Andrzej": 20, "Krzysztof": 18, "Stanisław": 10, "Tomasz": 12, "Jan": 12, "Piotr": 16,
         "Marek": 14, "Zbigniew": 12, "Jerzy": 12, "Ryszard": 10, "Grzegorz": 10,
         "Mirosław": 8, "Tadeusz": 8, "Wojciech": 8, "Józef": 6, "Paweł": 5},
        {"Piotr": 22, "Tomasz": 22, "Paweł": 20, "Krzysztof": 18, "Marcin": 20, "Michał": 18,
         "Łukasz": 16, "Grzegorz": 10, "Rafał": 12, "Adam": 10, "Robert": 10, "Dariusz": 8,
         "Sebastian": 8, "Artur": 6, "Przemysław": 6, "Wojciech": 6},
        {"Jakub": 16, "Mateusz": 16, "Kamil": 14, "Michał": 14, "Łukasz": 12, "Dawid": 12,
         "Bartosz": 12, "Patryk": 10, "Szymon": 10, "Adrian": 10, "Damian": 8, "Kacper": 8,
         "Piotr": 8, "Paweł": 8, "Filip": 6, "Tomasz": 6},
    ),
}  # fmt: skip


def first_names(sex: str, birth: date) -> dict[str, int]:
    generation = 0 if birth.year < 1975 else 1 if birth.year < 1992 else 2
    return FIRST_NAMES[sex][generation]


# Masculine forms; -ski, -cki and -dzki take -ska, -cka and -dzka, the rest are the same.
SURNAMES = [
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
    "Kwiatkowski", "Krawczyk", "Kaczmarek", "Piotrowski", "Grabowski", "Pawłowski", "Michalski",
    "Nowicki", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński", "Król", "Majewski",
    "Olszewski", "Wróbel", "Malinowski", "Walczak", "Stępień", "Górski", "Sikora", "Baran",
    "Rutkowski", "Szewczyk", "Pietrzak", "Zalewski", "Jakubowski", "Bąk", "Chmielewski",
    "Czarnecki", "Sokołowski", "Kubiak", "Wilk", "Lis", "Kaźmierczak", "Cieślak", "Głowacki",
    "Kołodziej", "Szulc", "Ziółkowski", "Zawadzki", "Ostrowski", "Michalak", "Tomaszewski",
    "Sadowski", "Żak", "Ćwiek", "Śliwiński", "Urban", "Ostrowski", "Borkowski", "Ryba",
]  # fmt: skip

# The client the diacritics-insensitive search is shown with: "Lukasz Zolc" finds him.
ZOLC = ("Łukasz", "Żółć")

UKRAINIAN_PEOPLE = [
    # first name, surname as in the passport (Latin), sex, place of birth (Polish name)
    ("Olena", "Kovalenko", Sex.FEMALE, "Lwów"),
    ("Oleksandr", "Shevchenko", Sex.MALE, "Charków"),
    ("Iryna", "Bondarenko", Sex.FEMALE, "Tarnopol"),
]


def feminine(surname: str) -> str:
    for ending in ("ski", "cki", "dzki"):
        if surname.endswith(ending):
            return surname[:-1] + "a"
    return surname


def surname_for(surname: str, sex: str) -> str:
    return feminine(surname) if sex == Sex.FEMALE else surname


# ---------------------------------------------------------------------------------------------
# The card


@dataclass(frozen=True)
class Occupation:
    male: str
    female: str | None  # None: too few women in it to draw
    education: str
    licences: str = ""
    skills: str = ""
    driving: tuple[str, ...] = ()


E = EducationLevel
OCCUPATIONS = [
    Occupation("sprzedawca", "sprzedawczyni", E.BASIC_VOCATIONAL, "",
               "obsługa kasy fiskalnej i terminala płatniczego"),
    Occupation("magazynier", "magazynierka", E.BASIC_VOCATIONAL,
               "uprawnienia UDT do obsługi wózków jezdniowych", "obsługa skanera i systemu WMS"),
    Occupation("księgowy", "księgowa", E.HIGHER, "",
               "Symfonia, Comarch Optima, rozliczenia ZUS, MS Excel"),
    Occupation("spawacz", None, E.BASIC_VOCATIONAL,
               "certyfikat spawacza metodą MAG (135) i TIG (141)"),
    Occupation("kucharz", "kucharka", E.BASIC_VOCATIONAL,
               "orzeczenie do celów sanitarno-epidemiologicznych", "kuchnia polska, catering"),
    Occupation("kierowca kat. C", None, E.BASIC_VOCATIONAL,
               "kwalifikacja wstępna (przewóz rzeczy), karta kierowcy", "tachograf cyfrowy",
               ("B", "C", "CE")),
    Occupation("opiekun osób starszych", "opiekunka osób starszych", E.VOCATIONAL_SECONDARY,
               "kurs opiekuna osoby starszej", "pierwsza pomoc, opieka nad osobą leżącą"),
    Occupation("informatyk", "informatyczka", E.HIGHER, "",
               "administracja Windows i Linux, sieci komputerowe, SQL"),
    Occupation("technik ekonomista", "technik ekonomista", E.VOCATIONAL_SECONDARY, "",
               "MS Office, fakturowanie"),
    Occupation("pracownik biurowy", "pracownica biurowa", E.GENERAL_SECONDARY, "",
               "MS Office, obsługa klienta, obieg dokumentów"),
    Occupation("fryzjer", "fryzjerka", E.BASIC_VOCATIONAL, "dyplom czeladniczy"),
    Occupation("murarz-tynkarz", None, E.BASIC_VOCATIONAL, "", "prace wykończeniowe"),
    Occupation("elektryk", None, E.VOCATIONAL_SECONDARY,
               "świadectwo kwalifikacyjne SEP (E) do 1 kV"),
    Occupation("mechanik pojazdów samochodowych", None, E.BASIC_VOCATIONAL, "",
               "diagnostyka komputerowa"),
    Occupation("kelner", "kelnerka", E.GENERAL_SECONDARY, "",
               "obsługa systemu POS, obsługa przyjęć okolicznościowych"),
    Occupation("kasjer", "kasjerka", E.GENERAL_SECONDARY, "", "obsługa kasy fiskalnej"),
    Occupation("pracownik porządkowy", "sprzątaczka", E.LOWER_SECONDARY_OR_LESS),
    Occupation("robotnik gospodarczy", None, E.LOWER_SECONDARY_OR_LESS, "",
               "drobne naprawy, prace ogrodowe"),
    Occupation("nauczyciel", "nauczycielka", E.HIGHER, "przygotowanie pedagogiczne"),
    Occupation("pielęgniarz", "pielęgniarka", E.HIGHER, "prawo wykonywania zawodu"),
    Occupation("operator maszyn produkcyjnych", "operatorka maszyn produkcyjnych",
               E.BASIC_VOCATIONAL, "", "obsługa wtryskarek, kontrola jakości"),
    Occupation("technik logistyk", "technik logistyk", E.VOCATIONAL_SECONDARY, "",
               "planowanie dostaw, SAP"),
    Occupation("cukiernik", "cukiernik", E.BASIC_VOCATIONAL,
               "orzeczenie do celów sanitarno-epidemiologicznych"),
    Occupation("krawiec", "krawcowa", E.BASIC_VOCATIONAL, "", "szycie przemysłowe"),
    Occupation("ogrodnik", "ogrodniczka", E.BASIC_VOCATIONAL, "uprawnienia do stosowania ŚOR"),
    Occupation("specjalista ds. marketingu", "specjalistka ds. marketingu", E.HIGHER, "",
               "media społecznościowe, Google Ads, Canva"),
    Occupation("pomocnik kucharza", "pomoc kuchenna", E.LOWER_SECONDARY_OR_LESS,
               "orzeczenie do celów sanitarno-epidemiologicznych"),
    Occupation("technik administracji", "technik administracji", E.VOCATIONAL_SECONDARY, "",
               "postępowanie administracyjne, MS Office"),
]  # fmt: skip

# The register by education, roughly as in the labour offices' statistics.
EDUCATION_WEIGHTS = {
    E.HIGHER: 14,
    E.VOCATIONAL_SECONDARY: 22,
    E.GENERAL_SECONDARY: 11,
    E.BASIC_VOCATIONAL: 26,
    E.LOWER_SECONDARY_OR_LESS: 27,
}
LANGUAGE_LEVELS = ["A1", "A2", "B1", "B2", "C1"]
STREET_NUMBER_MAX = 120
EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]  # reserved: no real mailbox
MOBILE_PREFIXES = ["501", "502", "504", "505", "509", "510", "512", "515", "530", "533", "535",
                   "600", "601", "602", "604", "605", "606", "660", "661", "664", "665", "668",
                   "690", "691", "693", "695", "697", "721", "724", "728", "730", "732", "735",
                   "780", "782", "785", "787", "790", "792", "795", "797", "880", "883", "885",
                   "888"]  # fmt: skip


@dataclass(frozen=True)
class Place:
    city: str
    postal_code: str
    commune: str
    powiat: str
    streets: tuple[str, ...]


# The poviat each demo office serves: its town first (most clients live there), then others.
PLACES: dict[str, list[Place]] = {
    "Piaseczno": [
        Place("Piaseczno", "05-500", "Piaseczno", "piaseczyński",
              ("ul. Puławska", "ul. Kościuszki", "ul. Sienkiewicza", "ul. Warszawska",
               "ul. Jana Pawła II", "ul. Młynarska", "ul. Chyliczkowska", "ul. Szkolna",
               "ul. Żeromskiego", "ul. Sierakowskiego", "ul. Okulickiego", "ul. Dworcowa")),
        Place("Konstancin-Jeziorna", "05-520", "Konstancin-Jeziorna", "piaseczyński",
              ("ul. Warszawska", "ul. Piłsudskiego", "ul. Mirkowska", "ul. Wilanowska")),
        Place("Góra Kalwaria", "05-530", "Góra Kalwaria", "piaseczyński",
              ("ul. Pijarska", "ul. Dominikańska", "ul. Kalwaryjska")),
        Place("Tarczyn", "05-555", "Tarczyn", "piaseczyński",
              ("ul. Stępkowskiego", "ul. Warszawska", "ul. Grójecka")),
    ],
    "Wołomin": [
        Place("Wołomin", "05-200", "Wołomin", "wołomiński",
              ("ul. Legionów", "ul. Warszawska", "ul. Kościuszki", "ul. Piłsudskiego",
               "ul. Sienkiewicza", "ul. Wileńska", "ul. Prądzyńskiego", "ul. Ogrodowa",
               "ul. Kurkowa", "ul. Mickiewicza", "ul. Lipińska", "ul. Geodetów")),
        Place("Kobyłka", "05-230", "Kobyłka", "wołomiński",
              ("ul. Załuskiego", "ul. Wołomińska", "ul. Napoleona")),
        Place("Radzymin", "05-250", "Radzymin", "wołomiński",
              ("ul. Jana Pawła II", "ul. Konstytucji 3 Maja", "ul. Weteranów")),
        Place("Tłuszcz", "05-240", "Tłuszcz", "wołomiński",
              ("ul. Warszawska", "ul. Szkolna", "ul. Kościuszki")),
    ],
    "Nowy Sącz": [
        Place("Nowy Sącz", "33-300", "Nowy Sącz", "Nowy Sącz",
              ("ul. Jagiellońska", "ul. Lwowska", "ul. Kraszewskiego", "ul. Węgierska",
               "ul. Nawojowska", "ul. Królowej Jadwigi", "ul. Grunwaldzka", "ul. Długosza",
               "ul. Zielona", "ul. Barska")),
        Place("Stary Sącz", "33-340", "Stary Sącz", "nowosądecki",
              ("ul. Daszyńskiego", "ul. Batorego", "ul. Mickiewicza")),
        Place("Grybów", "33-330", "Grybów", "nowosądecki",
              ("ul. Jakubowskiego", "ul. Kościuszki", "ul. Ogrodowa")),
        Place("Krynica-Zdrój", "33-380", "Krynica-Zdrój", "nowosądecki",
              ("ul. Kraszewskiego", "ul. Piłsudskiego", "ul. Zdrojowa")),
    ],
    "Gniezno": [
        Place("Gniezno", "62-200", "Gniezno", "gnieźnieński",
              ("ul. Chrobrego", "ul. Dąbrowskiego", "ul. Roosevelta", "ul. Warszawska",
               "ul. Wrzesińska", "ul. Paczkowskiego", "ul. Mieszka I", "ul. Kostrzewskiego",
               "ul. Żwirki i Wigury", "ul. Jana Pawła II")),
        Place("Trzemeszno", "62-240", "Trzemeszno", "gnieźnieński",
              ("ul. Kościuszki", "ul. Mickiewicza", "ul. Wyzwolenia")),
        Place("Witkowo", "62-230", "Witkowo", "gnieźnieński",
              ("ul. Gnieźnieńska", "ul. Wrzesińska", "ul. Jana Pawła II")),
        Place("Czerniejewo", "62-250", "Czerniejewo", "gnieźnieński",
              ("ul. Rynek", "ul. Poznańska", "ul. Wolności")),
    ],
}  # fmt: skip

BIRTH_PLACES = ["Warszawa", "Kraków", "Łódź", "Poznań", "Lublin", "Radom", "Siedlce", "Płock",
                "Ostrołęka", "Tarnów", "Kielce", "Białystok", "Gdańsk", "Wrocław", "Bydgoszcz",
                "Konin", "Olsztyn", "Gorzów Wielkopolski"]  # fmt: skip

# NIP prefixes of the tax offices of the demo towns; other towns get Warsaw's.
NIP_PREFIXES = {"Piaseczno": "123", "Wołomin": "125", "Nowy Sącz": "734", "Gniezno": "784"}
AREA_CODES = {"Piaseczno": "22", "Wołomin": "22", "Nowy Sącz": "18", "Gniezno": "61"}
# Where each office's agricultural cooperative sits, in the locative ("w Złotokłosie").
COOPERATIVE_VILLAGES = {
    "Piaseczno": "w Złotokłosie",
    "Wołomin": "w Klembowie",
    "Nowy Sącz": "w Łososinie Dolnej",
    "Gniezno": "w Kłecku",
}


def places_of(office: Office) -> list[Place]:
    return PLACES.get(office.city) or [
        Place(office.city, office.postal_code, office.city, "", ("ul. Główna", "ul. Polna"))
    ]


# ---------------------------------------------------------------------------------------------
# Identifiers


def make_pesel(birth: date, sex: str, serial: int) -> str:
    """A valid PESEL: the month carries the century (+20 from 2000), the tenth digit the sex."""
    month = birth.month + (20 if birth.year >= 2000 else 0)
    sex_digit = 2 * (serial % 5) + (1 if sex == Sex.MALE else 0)
    head = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial // 5 % 1000:03d}{sex_digit}"
    return head + str(stdnum_pesel.calc_check_digit(head))


def make_nip(rng: random.Random, prefix: str) -> str:
    """Ten digits, the last a weighted sum modulo 11; a remainder of 10 makes no NIP."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        head = prefix + "".join(str(rng.randrange(10)) for _ in range(9 - len(prefix)))
        check = sum(w * int(d) for w, d in zip(weights, head, strict=True)) % 11
        if check != 10:
            return str(stdnum_nip.compact(head + str(check)))


def make_regon(rng: random.Random, voivodeship: str) -> str:
    head = voivodeship + "".join(str(rng.randrange(10)) for _ in range(6))
    return head + str(stdnum_regon.calc_check_digit(head))


def mobile(rng: random.Random) -> str:
    digits = f"{rng.randrange(1000):03d} {rng.randrange(1000):03d}"
    return f"+48 {rng.choice(MOBILE_PREFIXES)} {digits}"


# ---------------------------------------------------------------------------------------------
# The plan of one person


class Scenario:
    UNEMPLOYED = "unemployed"  # registered in the last year, still registered
    LONG_TERM = "long_term"  # registered 13 to 36 months ago, still registered
    JOBSEEKER = "jobseeker"
    DEREGISTERED = "deregistered"  # one closed period
    RETURNING = "returning"  # closed, then registered again, still registered
    RETURNED_LEFT = "returned_left"  # two closed periods
    RETURNING_TWICE = "returning_twice"  # three periods, the last open


# A cycle of 20 people: 60 % registered unemployed, 15 % jobseekers, 25 % deregistered.
PATTERN = [
    Scenario.LONG_TERM,  # 0: Łukasz Żółć in the first cycle
    Scenario.UNEMPLOYED,
    Scenario.JOBSEEKER,
    Scenario.DEREGISTERED,
    Scenario.RETURNING,
    Scenario.LONG_TERM,
    Scenario.UNEMPLOYED,
    Scenario.UNEMPLOYED,  # 7: a Ukrainian citizen without PESEL in the first cycles
    Scenario.JOBSEEKER,
    Scenario.DEREGISTERED,
    Scenario.LONG_TERM,
    Scenario.RETURNING,
    Scenario.UNEMPLOYED,
    Scenario.DEREGISTERED,
    Scenario.UNEMPLOYED,
    Scenario.LONG_TERM,
    Scenario.RETURNED_LEFT,
    Scenario.JOBSEEKER,
    Scenario.DEREGISTERED,
    Scenario.RETURNING_TWICE,
]
FOREIGNER_SLOT = 7  # in the first three cycles: the Ukrainian citizens
WORKER_45_SLOT = 17
JOBSEEKER_THEN_UNEMPLOYED_SLOT = 11  # in the first cycle
REASSIGN_SLOTS = {6, 14}  # in the first cycle; later about 3 % of those still registered

# The first cycle shows each named category and reason at least once.
FIRST_CATEGORIES = {2: "notice_period", 8: "employed_development", 17: "worker_45_plus"}
FIRST_REASONS = {3: "employment", 9: "refused_offer", 13: "jobseeker_request", 18: "own_request"}
JOBSEEKER_SLOTS = {2, 8, 13, 17}

CATEGORY_WEIGHTS = {
    "notice_period": 20, "employed_development": 20, "worker_45_plus": 14,
    "employer_insolvent": 5, "pensioner": 8, "benefit_recipient": 8, "farm_household": 7,
    "social_or_carer_benefit": 4, "social_integration": 3, "reserve_soldier": 2, "other": 6,
}  # fmt: skip
UNEMPLOYED_REASONS = {
    "employment": 50, "refused_offer": 10, "no_show": 12, "own_request": 8, "startup_grant": 5,
    "conditions_lost": 5, "moved": 3, "interrupted_form": 3,
}  # fmt: skip
JOBSEEKER_REASONS = {"jobseeker_request": 40, "jobseeker_inactive": 30, "employment": 30}
# Unemployed status is lost for 120 days (first time) after these (clients.md, LAW).
WAITING = {"refused_offer", "no_show", "interrupted_form"}
WAITING_DAYS = 120

REASSIGN_REASONS = [
    "Wyrównanie obciążenia doradców klienta.",
    "Na prośbę klienta, po rozmowie z kierownikiem.",
    "Zmiana zakresu obowiązków w dziale.",
    "Długotrwała nieobecność dotychczasowego doradcy.",
]


@dataclass
class PlannedPeriod:
    status: str
    category: str | None
    registered_on: date
    deregistered_on: date | None = None
    reason: str | None = None


@dataclass
class Event:
    day: date
    kind: str  # "register", "close", "entry", "reassign"
    entry_kind: str = ""
    text: str = ""  # the entry, or the reason for a reassignment
    period: PlannedPeriod | None = None


@dataclass
class PlannedClient:
    index: int
    office: Office
    card: dict[str, Any]
    pesel: str | None
    birth_date: date
    sex: str
    events: list[Event]
    rng: random.Random


_K = TypeVar("_K")


def weighted(rng: random.Random, weights: dict[_K, int]) -> _K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def retirement_age(sex: str) -> int:
    return 60 if sex == Sex.FEMALE else 65


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def working_day(d: date, lo: date, hi: date) -> date:
    """The working day on or before ``d``, or the first after it when that leaves [lo, hi]."""
    before = last_working_day_on_or_before(d)
    if before >= lo:
        return before
    after = d
    while not is_working_day(after) and after < hi:
        after += timedelta(days=1)
    return after


def day_between(rng: random.Random, lo: date, hi: date) -> date:
    hi = max(hi, lo)
    return working_day(lo + timedelta(days=rng.randint(0, (hi - lo).days)), lo, hi)


class Planner:
    """Draws the people; ``plan(i)`` is the same person on every run (but today's dates)."""

    def __init__(self, offices: list[Office], today: date) -> None:
        self.offices = offices
        self.today = today
        self.used_pesels: set[str] = set()

    @staticmethod
    def _birth(rng: random.Random, slot: int, sex: str) -> date:
        if slot == WORKER_45_SLOT:
            first, last, mode = 1967, 1976, 1971.0  # 45 or over, below retirement age
        elif PATTERN[slot] == Scenario.JOBSEEKER:
            first, last, mode = 1960, 2004, 1985.0
        else:  # unemployed at some point: below retirement age now
            first, last, mode = (1967 if sex == Sex.FEMALE else 1962), 2006, 1993.0
        year = min(last, max(first, round(rng.triangular(first, last + 1, mode))))
        start = date(year, 1, 1)
        return start + timedelta(days=rng.randrange((date(year + 1, 1, 1) - start).days))

    def plan(self, index: int) -> PlannedClient:
        rng = random.Random(f"{SEED}:client:{index}")  # noqa: S311 - demo data, not secrets
        cycle, slot = divmod(index, len(PATTERN))
        foreigner = slot == FOREIGNER_SLOT and cycle < len(UKRAINIAN_PEOPLE)
        zolc = index == 0
        # Identity first, and without today's date or the offices: the same on every run.
        sex = Sex.MALE if zolc else rng.choice([Sex.FEMALE, Sex.MALE])
        if foreigner:
            sex = UKRAINIAN_PEOPLE[cycle][2]
        birth = self._birth(rng, slot, sex)
        pesel: str | None = None
        document = f"F{rng.choice('ABCEFGHJ')}{rng.randrange(10**6):06d}"
        if not foreigner:
            pesel = make_pesel(birth, sex, rng.randrange(5000))
            while pesel in self.used_pesels:  # born the same day with the same serial
                pesel = make_pesel(birth, sex, rng.randrange(5000))
            self.used_pesels.add(pesel)
        # The rest only matters for a new person and may depend on today.
        office = self.offices[0] if zolc or rng.random() < 0.5 else rng.choice(self.offices)
        card = self._card(rng, office, sex, birth, zolc)
        if foreigner:
            first, last, _sex, birth_place = UKRAINIAN_PEOPLE[cycle]
            card.update(
                first_name=first,
                second_name="",
                last_name=last,
                family_name=last,
                birth_place=birth_place,
                document_type=DocumentType.PASSPORT,
                document_number=document,
                document_country="Ukraina",
                citizenship="ukraińskie",
                languages=f"ukraiński (C2), rosyjski (C1), polski ({rng.choice(['A2', 'B1'])})",
            )
            if card.get("email"):
                card["email"] = f"{fold(first)}.{fold(last)}@{rng.choice(EMAIL_DOMAINS)}"
        periods = self._periods(rng, index, sex, birth, foreigner)
        events = self._events(rng, index, sex, periods)
        return PlannedClient(index, office, card, pesel, birth, sex, events, rng)

    def _card(
        self, rng: random.Random, office: Office, sex: str, birth: date, zolc: bool
    ) -> dict[str, Any]:
        female = sex == Sex.FEMALE
        names = first_names(sex, birth)
        age = rules.age_on(birth, self.today)
        first = ZOLC[0] if zolc else weighted(rng, names)
        last = ZOLC[1] if zolc else surname_for(rng.choice(SURNAMES), sex)
        family = last
        if female and age >= 24 and rng.random() < 0.45:
            family = surname_for(rng.choice(SURNAMES), sex)  # the maiden name
        card: dict[str, Any] = {
            "first_name": first,
            "last_name": last,
            "family_name": family,
            "birth_place": office.city if rng.random() < 0.4 else rng.choice(BIRTH_PLACES),
        }
        if rng.random() < 0.35:
            card["second_name"] = weighted(rng, {n: w for n, w in names.items() if n != first})
        # Contact
        places = places_of(office)
        place = places[0] if rng.random() < 0.7 else rng.choice(places)
        number = str(rng.randint(1, STREET_NUMBER_MAX))
        if rng.random() < 0.5:
            number += f"/{rng.randint(1, 60)}"
        has_email = rng.random() < (0.85 if age < 45 else 0.5)
        card.update(
            street=f"{rng.choice(place.streets)} {number}",
            postal_code=place.postal_code,
            city=place.city,
            commune=place.commune,
            powiat=place.powiat,
            has_phone=rng.random() < 0.97,
            has_email=has_email,
            has_internet=has_email or rng.random() < 0.2,
            consents_to_electronic_contact=has_email and rng.random() < 0.8,
        )
        if card["has_phone"]:
            card["phone"] = mobile(rng)
        if has_email:
            login = fold(f"{first}.{last}").replace(" ", "")
            if rng.random() < 0.5:
                login += f"{birth.year % 100:02d}"
            card["email"] = f"{login}@{rng.choice(EMAIL_DOMAINS)}"
        # Education and occupations
        choices = [o for o in OCCUPATIONS if not female or o.female]
        education = weighted(rng, EDUCATION_WEIGHTS)
        if age < 23 and education == E.HIGHER:
            education = E.VOCATIONAL_SECONDARY
        occupation = rng.choice([o for o in choices if o.education == education])
        title = (occupation.female or occupation.male) if female else occupation.male
        occupations = f"{title} (wyuczony)"
        if rng.random() < 0.4:
            other = rng.choice([o for o in choices if o.education != E.HIGHER])
            other_title = (other.female or other.male) if female else other.male
            if other_title != title:
                occupations += f"; {other_title} (wykonywany)"
        driving: list[str] = list(occupation.driving)
        if not driving and rng.random() < (0.55 if female else 0.75):
            driving = ["B"]
        if "B" in driving and rng.random() < 0.1:
            driving.append("BE")
        if not female and rng.random() < 0.08:
            driving.append("A")
        card.update(
            education_level=occupation.education,
            occupations=occupations,
            work_experience_months=int(max(0, age - 19) * 12 * rng.uniform(0.2, 0.85)),
            languages=self._languages(rng, birth),
            driving_licences=sorted(set(driving), key=[c for c, _l in DRIVING_LICENCES].index),
            licences=occupation.licences,
            skills=occupation.skills,
        )
        # Situation
        if rng.random() < 0.08:
            card["disability_degree"] = rng.choices(
                [DisabilityDegree.MILD, DisabilityDegree.MODERATE, DisabilityDegree.SEVERE],
                weights=[5, 4, 1],
            )[0]
        card["cares_for_child_under_6"] = 22 <= age <= 42 and rng.random() < 0.2
        card["cares_for_dependant"] = rng.random() < 0.04
        low = occupation.education in (E.LOWER_SECONDARY_OR_LESS, E.BASIC_VOCATIONAL)
        card["receives_social_assistance"] = rng.random() < (0.18 if low else 0.05)
        return card

    @staticmethod
    def _languages(rng: random.Random, birth: date) -> str:
        known: list[str] = []
        if birth.year < 1978 and rng.random() < 0.6:
            known.append(f"rosyjski ({rng.choice(['A2', 'B1', 'B2'])})")
        if rng.random() < (0.85 if birth.year >= 1985 else 0.35):
            known.append(f"angielski ({rng.choice(LANGUAGE_LEVELS)})")
        if rng.random() < 0.25:
            known.append(f"niemiecki ({rng.choice(LANGUAGE_LEVELS[:3])})")
        return ", ".join(known)

    def _periods(
        self, rng: random.Random, index: int, sex: str, birth: date, foreigner: bool
    ) -> list[PlannedPeriod]:
        today = self.today
        cycle, slot = divmod(index, len(PATTERN))
        first_cycle = cycle == 0
        # From the 18th birthday, at most three years back.
        lo = min(max(add_years(today, -3), add_years(birth, 18) + timedelta(days=1)), today)
        scenario = PATTERN[slot]
        if foreigner:
            scenario = [Scenario.UNEMPLOYED, Scenario.JOBSEEKER, Scenario.LONG_TERM][cycle]

        def status_for(day: date, jobseeker: bool) -> tuple[str, str | None]:
            age = rules.age_on(birth, day)
            if not jobseeker and age < retirement_age(sex):
                return Status.UNEMPLOYED, None
            if age >= retirement_age(sex):
                return Status.JOBSEEKER, "pensioner"
            if first_cycle and slot in FIRST_CATEGORIES:
                category = FIRST_CATEGORIES[slot]
            elif foreigner:
                category = "employed_development"
            else:
                category = weighted(rng, CATEGORY_WEIGHTS)
            if (category == "worker_45_plus" and age < 45) or (
                category == "pensioner" and age < 55
            ):
                category = rng.choice(["notice_period", "employed_development", "other"])
            return Status.JOBSEEKER, category

        def reason_for(status: str, gap: int | None) -> str:
            wanted = FIRST_REASONS.get(slot) if first_cycle else None
            if wanted and (wanted == "jobseeker_request") == (status == Status.JOBSEEKER):
                return wanted
            weights = JOBSEEKER_REASONS if status == Status.JOBSEEKER else UNEMPLOYED_REASONS
            if gap is not None:  # the person comes back, after any time without the status
                weights = {
                    k: w for k, w in weights.items() if gap >= WAITING_DAYS or k not in WAITING
                }
            return weighted(rng, weights)

        if scenario in (Scenario.UNEMPLOYED, Scenario.LONG_TERM, Scenario.JOBSEEKER):
            if scenario == Scenario.LONG_TERM and lo <= today - timedelta(days=400):
                day = day_between(rng, lo, today - timedelta(days=400))
            elif scenario == Scenario.JOBSEEKER:
                day = day_between(rng, max(lo, today - timedelta(days=540)), today)
            else:
                day = day_between(rng, max(lo, today - timedelta(days=330)), today)
            status, category = status_for(day, scenario == Scenario.JOBSEEKER)
            return [PlannedPeriod(status, category, day)]

        count = {
            Scenario.DEREGISTERED: 1,
            Scenario.RETURNING: 2,
            Scenario.RETURNED_LEFT: 2,
            Scenario.RETURNING_TWICE: 3,
        }[scenario]
        open_last = scenario in (Scenario.RETURNING, Scenario.RETURNING_TWICE)
        points = timeline(rng, lo, today, 2 * count - (1 if open_last else 0))
        jobseeker_first = (
            slot in JOBSEEKER_SLOTS
            or (first_cycle and slot == JOBSEEKER_THEN_UNEMPLOYED_SLOT)
            or (not first_cycle and rng.random() < 0.15)
        )
        periods: list[PlannedPeriod] = []
        for n in range(count):
            start = points[2 * n]
            end = points[2 * n + 1] if 2 * n + 1 < len(points) else None
            status, category = status_for(start, jobseeker_first and n == 0)
            period = PlannedPeriod(status, category, start, end)
            if end is not None:
                following = points[2 * n + 2] if 2 * n + 2 < len(points) else None
                period.reason = reason_for(status, (following - end).days if following else None)
            periods.append(period)
        return periods

    def _events(
        self, rng: random.Random, index: int, sex: str, periods: list[PlannedPeriod]
    ) -> list[Event]:
        """What happens to the person, in order: per period the registration, the journal
        and any reassignment by date, then the deregistration."""
        today = self.today
        slot = index % len(PATTERN)
        she = sex == Sex.FEMALE
        used: set[str] = set()
        events: list[Event] = []
        for n, period in enumerate(periods):
            end = period.deregistered_on or today
            middle: list[Event] = []
            if period.status == Status.UNEMPLOYED or rng.random() < 0.5:
                text = rng.choice(COOPERATION_TEXTS)
                middle.append(
                    Event(period.registered_on, "entry", EntryKind.COOPERATION_RULES, text)
                )
            kinds = [EntryKind.ADVISOR_ACTION, EntryKind.CLIENT_ACTION, EntryKind.CONTACT]
            # Łukasz Żółć's card shows one entry of each kind.
            drawn = kinds if index == 0 else [rng.choice(kinds) for _ in range(rng.randint(0, 3))]
            for kind in drawn:
                day = day_between(rng, period.registered_on, end)
                middle.append(Event(day, "entry", kind, entry_text(rng, kind, she, used)))
            last_open = period.deregistered_on is None and n == len(periods) - 1
            reassign = (index < len(PATTERN) and slot in REASSIGN_SLOTS) or rng.random() < 0.03
            if last_open and reassign and (today - period.registered_on).days > 14:
                day = day_between(rng, period.registered_on + timedelta(days=7), today)
                middle.append(Event(day, "reassign", text=rng.choice(REASSIGN_REASONS)))
            if period.deregistered_on is not None and period.reason in CLOSING_ENTRIES:
                kind, texts = CLOSING_ENTRIES[period.reason]
                middle.append(Event(period.deregistered_on, "entry", kind, texts[she]))
            events.append(Event(period.registered_on, "register", period=period))
            events += sorted(middle, key=lambda e: e.day)  # stable: same-day order as drawn
            if period.deregistered_on is not None:
                events.append(Event(period.deregistered_on, "close", period=period))
        return events


def timeline(rng: random.Random, lo: date, today: date, count: int) -> list[date]:
    """``count`` ordered working days in [lo, today], spaced by random shares of the span."""
    span = (today - lo).days
    shares = [rng.uniform(0.5, 1.5) for _ in range(count + 1)]
    total = sum(shares)
    points: list[date] = []
    acc = 0.0
    previous = lo
    for share in shares[:-1]:
        acc += share
        day = working_day(lo + timedelta(days=int(span * acc / total)), lo, today)
        day = min(max(day, previous), today)
        points.append(day)
        previous = day
    return points


COOPERATION_TEXTS = [
    "Ustalono zasady współpracy: kontakt z doradcą klienta co 30 dni (wizyta lub telefon).",
    "Ustalono zasady współpracy: wizyta co miesiąc, oferty pracy przesyłane e-mailem.",
    "Ustalono zasady współpracy: udział w zajęciach Klubu Pracy, kontakt co 2 tygodnie.",
    "Uzgodniono przygotowanie IPD w ciągu 60 dni od ustalenia profilu pomocy.",
    "Ustalono zasady współpracy: kontakt telefoniczny co 30 dni, wizyta w razie potrzeby.",
]
ADVISOR_TEXTS = [
    "Przeprowadzono rozmowę wstępną; omówiono doświadczenie zawodowe i oczekiwania.",
    "Przedstawiono oferty pracy z bazy urzędu zgodne z kwalifikacjami.",
    "Poinformowano o możliwości skierowania na szkolenie grupowe.",
    "Wydano skierowanie do pracodawcy na rozmowę kwalifikacyjną.",
    "Omówiono możliwość odbycia stażu u pracodawcy z terenu powiatu.",
    "Przekazano informację o bonie na zasiedlenie i warunkach jego przyznania.",
]
CLIENT_TEXTS = {
    False: [
        "Klient dostarczył świadectwo pracy.",
        "Klient złożył wniosek o skierowanie na szkolenie.",
        "Klient poinformował o rozmowie kwalifikacyjnej u pracodawcy.",
        "Klient dostarczył zaświadczenie lekarskie za okres niezdolności do pracy.",
    ],
    True: [
        "Klientka dostarczyła świadectwo pracy.",
        "Klientka złożyła wniosek o skierowanie na szkolenie.",
        "Klientka poinformowała o rozmowie kwalifikacyjnej u pracodawcy.",
        "Klientka dostarczyła zaświadczenie lekarskie za okres niezdolności do pracy.",
    ],
}
# The entry an advisor writes on the day of these deregistrations: (kind, {she: text}).
CLOSING_ENTRIES = {
    "employment": (
        EntryKind.CLIENT_ACTION,
        {
            False: "Klient poinformował o podjęciu zatrudnienia i dostarczył umowę o pracę.",
            True: "Klientka poinformowała o podjęciu zatrudnienia i dostarczyła umowę o pracę.",
        },
    ),
    "refused_offer": (
        EntryKind.ADVISOR_ACTION,
        {
            False: "Klient odmówił przyjęcia propozycji odpowiedniej pracy bez uzasadnionej "
            "przyczyny; sporządzono notatkę służbową.",
            True: "Klientka odmówiła przyjęcia propozycji odpowiedniej pracy bez uzasadnionej "
            "przyczyny; sporządzono notatkę służbową.",
        },
    ),
    "no_show": (
        EntryKind.ADVISOR_ACTION,
        {
            False: "Klient nie stawił się w wyznaczonym terminie i w ciągu 7 dni nie "
            "przedstawił uzasadnienia.",
            True: "Klientka nie stawiła się w wyznaczonym terminie i w ciągu 7 dni nie "
            "przedstawiła uzasadnienia.",
        },
    ),
    "own_request": (
        EntryKind.CLIENT_ACTION,
        {
            False: "Klient złożył wniosek o wyrejestrowanie z ewidencji.",
            True: "Klientka złożyła wniosek o wyrejestrowanie z ewidencji.",
        },
    ),
}
CONTACT_TEXTS = [
    "Rozmowa telefoniczna: potwierdzono termin kolejnej wizyty.",
    "Wysłano e-mail z aktualnymi ofertami pracy.",
    "Wizyta w urzędzie; omówiono wyniki rozmów z pracodawcami.",
    "SMS z przypomnieniem o terminie wizyty.",
    "Rozmowa telefoniczna: zmiana numeru telefonu kontaktowego.",
]


def entry_text(rng: random.Random, kind: str, she: bool, used: set[str]) -> str:
    """A text of ``kind`` the person's card does not have yet (while there are any)."""
    if kind == EntryKind.ADVISOR_ACTION:
        texts = ADVISOR_TEXTS
    elif kind == EntryKind.CLIENT_ACTION:
        texts = CLIENT_TEXTS[she]
    else:
        texts = CONTACT_TEXTS
    text = rng.choice([t for t in texts if t not in used] or texts)
    used.add(text)
    return text


# ---------------------------------------------------------------------------------------------
# Employers


@dataclass(frozen=True)
class DemoEmployer:
    name: str
    kind: str
    slug: str
    position: str


def employers_for(office: Office, index: int) -> list[DemoEmployer]:
    """3 to 5 employers; the first three are an entrepreneur, an entity wishing to employ a
    foreigner and an agricultural production cooperative."""
    village = COOPERATIVE_VILLAGES.get(office.city, f"w gminie {office.city}")
    e, f, a = (
        Employer.Kind.ENTREPRENEUR,
        Employer.Kind.FOREIGNER_EMPLOYER,
        Employer.Kind.AGRICULTURAL_COOPERATIVE,
    )
    pools = [
        [
            DemoEmployer("Piekarnia Kłos sp. z o.o.", e, "piekarnia-klos", "kierownik produkcji"),
            DemoEmployer("Gospodarstwo Ogrodnicze Jan Zalewski", f, "ogrodnictwo-zalewski",
                         "właściciel"),
            DemoEmployer(f"Rolnicza Spółdzielnia Produkcyjna {village}", a, "rsp",
                         "prezes zarządu"),
            DemoEmployer("Przedsiębiorstwo Budowlane Mazur-Bud sp. z o.o.", e, "mazur-bud",
                         "specjalistka ds. kadr i płac"),
            DemoEmployer("Biuro Rachunkowe Bilans Ewa Sikora", e, "bilans-sikora",
                         "właścicielka"),
        ],
        [
            DemoEmployer("Trans-Pol Logistyka sp. z o.o.", e, "trans-pol",
                         "kierownik działu kadr"),
            DemoEmployer("Zakład Przetwórstwa Owoców Fructus sp. z o.o.", f, "fructus",
                         "specjalistka ds. zatrudnienia cudzoziemców"),
            DemoEmployer(f"Spółdzielnia Produkcji Rolnej „Zgoda” {village}", a, "spr-zgoda",
                         "księgowa"),
            DemoEmployer("Hurtownia Spożywcza Sezam sp. z o.o.", e, "hurtownia-sezam",
                         "kierowniczka magazynu"),
            DemoEmployer("Restauracja Pod Lipami s.c.", e, "pod-lipami", "współwłaściciel"),
        ],
        [
            DemoEmployer("Auto-Serwis Kubiak i Wspólnicy sp.j.", e, "autoserwis-kubiak",
                         "wspólnik"),
            DemoEmployer("Sady Baran Tomasz Baran", f, "sady-baran", "właściciel"),
            DemoEmployer(f"Rolnicza Spółdzielnia Produkcyjna „Przyszłość” {village}", a,
                         "rsp-przyszlosc", "prezes zarządu"),
            DemoEmployer("Drukarnia Kolor-Druk sp. z o.o.", e, "kolor-druk",
                         "kierowniczka biura"),
            DemoEmployer("Zakład Mechaniki Precyzyjnej Metalex sp. z o.o.", e, "metalex",
                         "kierownik zmiany"),
        ],
        [
            DemoEmployer("Sklep Ogrodniczy Zielony Zakątek Anna Lis", e, "zielony-zakatek",
                         "właścicielka"),
            DemoEmployer("Pieczarkarnia Grzyb-Pol sp. z o.o.", f, "grzyb-pol",
                         "kierownik produkcji"),
            DemoEmployer(f"Rolnicza Spółdzielnia Produkcyjna „Jedność” {village}", a,
                         "rsp-jednosc", "prezes zarządu"),
            DemoEmployer("Stolarnia Wróbel i Syn s.c.", e, "stolarnia-wrobel", "właściciel"),
            DemoEmployer("Hotel Pod Dębami sp. z o.o.", e, "hotel-pod-debami",
                         "kierowniczka recepcji"),
        ],
    ]  # fmt: skip
    return pools[index % len(pools)][: 3 + index % 3]


# ---------------------------------------------------------------------------------------------
# Running it


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


@dataclass
class _Clock:
    """Simulated office hours of one client or employer: later events, later times."""

    rng: random.Random
    now: datetime
    last: datetime | None = None

    def at(self, day: date) -> datetime:
        moment = timezone.make_aware(datetime.combine(day, time(8, 0)))
        moment += timedelta(minutes=self.rng.randint(0, 7 * 60))
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=self.rng.randint(2, 25))
        moment = min(moment, self.now)
        self.last = moment
        return moment


@dataclass
class _Span:
    start: datetime
    end: datetime | None = None


@dataclass
class _Backdating:
    """The simulated time of every journal entry and assignment, in the order they were made.

    The services stamp rows with the real time; this moves them to the simulated days (a
    timestamp-only update, after the services have checked every rule)."""

    created: dict[int, datetime] = field(default_factory=dict)
    entries: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    spans: dict[int, list[_Span]] = field(default_factory=lambda: defaultdict(list))

    def open(self, owner: int, moment: datetime) -> None:
        self.created.setdefault(owner, moment)
        self.spans[owner].append(_Span(moment))
        self.entries[owner].append(moment)

    def close(self, owner: int, moment: datetime) -> None:
        self.spans[owner][-1].end = moment
        self.entries[owner].append(moment)

    def move(self, owner: int, moment: datetime) -> None:
        self.spans[owner][-1].end = moment
        self.spans[owner].append(_Span(moment))
        self.entries[owner].append(moment)

    def entry(self, owner: int, moment: datetime) -> None:
        self.entries[owner].append(moment)

    def apply(self, owner_field: str) -> int:
        """Write the times (``owner_field`` is "client" or "employer"); an owner whose rows do
        not match what was recorded is left as the services stamped it."""
        owners = list(self.created)
        if not owners:
            return 0
        entries: dict[int, list[int]] = defaultdict(list)
        for pk, owner in (
            CardEntry.objects.filter(**{f"{owner_field}_id__in": owners})
            .order_by("pk")
            .values_list("pk", f"{owner_field}_id")
        ):
            entries[owner].append(pk)
        assignments: dict[int, list[int]] = defaultdict(list)
        for pk, owner in (
            AdvisorAssignment.objects.filter(**{f"{owner_field}_id__in": owners})
            .order_by("pk")
            .values_list("pk", f"{owner_field}_id")
        ):
            assignments[owner].append(pk)
        entry_rows: list[CardEntry] = []
        assignment_rows: list[AdvisorAssignment] = []
        owner_rows: list[int] = []
        for owner in owners:
            times, spans = self.entries[owner], self.spans[owner]
            if len(entries[owner]) != len(times) or len(assignments[owner]) != len(spans):
                continue
            entry_rows += [
                CardEntry(pk=pk, created_at=t) for pk, t in zip(entries[owner], times, strict=True)
            ]
            assignment_rows += [
                AdvisorAssignment(pk=pk, started_at=span.start, ended_at=span.end)
                for pk, span in zip(assignments[owner], spans, strict=True)
            ]
            owner_rows.append(owner)
        CardEntry.objects.bulk_update(entry_rows, ["created_at"], batch_size=1000)
        AdvisorAssignment.objects.bulk_update(
            assignment_rows, ["started_at", "ended_at"], batch_size=1000
        )
        if owner_field == "client":
            Client.objects.bulk_update(
                [Client(pk=pk, created_at=self.created[pk]) for pk in owner_rows],
                ["created_at"],
                batch_size=1000,
            )
        else:
            Employer.objects.bulk_update(
                [Employer(pk=pk, created_at=self.created[pk]) for pk in owner_rows],
                ["created_at"],
                batch_size=1000,
            )
        return len(owner_rows)


@dataclass
class OfficeStaff:
    manager: User
    advisors: list[User]


@dataclass
class DemoSummary:
    offices: int = 0
    created: int = 0
    existing: int = 0
    skipped_offices: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)
    ranges: list[str] = field(default_factory=list)
    substitutions: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            f"Demo clients in {self.offices} offices: {c.get('clients', 0)} "
            f"({self.created} new, {self.existing} already there).",
            f"  registered unemployed       {c.get('unemployed', 0):>5} "
            f"(long-term unemployed: {c.get('long_term', 0)})",
            f"  jobseekers                  {c.get('jobseeker', 0):>5}",
            f"  deregistered                {c.get('deregistered', 0):>5}",
            f"  returned after deregistering {c.get('returning', 0):>4} "
            "(2 or more registration periods)",
            f"  foreigners without PESEL    {c.get('foreigners', 0):>5}",
            f"  reassigned by a manager     {c.get('reassigned', 0):>5}",
            f"Employers: {c.get('employers', 0)} ({c.get('contacts', 0)} contact persons).",
            "Journal entries: "
            + ", ".join(f"{kind} {n}" for kind, n in sorted(self.entries.items())),
        ]
        out += [f"Surname letter ranges: {r}" for r in self.ranges]
        out += [f"Substitution today: {s}" for s in self.substitutions]
        out += [f"No clients in {name}: it has no manager or customer advisor." for name in
                self.skipped_offices]  # fmt: skip
        return out


def office_staff(office: Office) -> OfficeStaff | None:
    manager = (
        User.objects.filter(office=office, is_active=True, groups__name=Role.MANAGER)
        .order_by("pk")
        .first()
    )
    advisors = list(User.objects.customer_advisors().filter(office=office).order_by("pk"))
    if manager is None or not advisors:
        return None
    return OfficeStaff(manager, advisors)


def letter_ranges(count: int) -> list[tuple[str, str]]:
    """Contiguous ranges of the Polish alphabet; three advisors get A-Ł, M-R, S-Ż."""
    alphabet = rules.POLISH_ALPHABET
    if count == 3:
        return [("A", "Ł"), ("M", "R"), ("S", "Ż")]
    size = len(alphabet) / count
    bounds = [round(i * size) for i in range(count + 1)]
    return [(alphabet[bounds[i]], alphabet[bounds[i + 1] - 1]) for i in range(count)]


def configure_letters(office: Office, staff: OfficeStaff) -> None:
    """The first office splits new clients by surname letters, once, on a fresh office."""
    if len(staff.advisors) < 2 or LetterRange.objects.filter(office=office).exists():
        return
    if Client.objects.filter(office=office).exists():
        return  # the office has been working: leave its settings alone
    services.assignment_settings_save(
        acting_user=staff.manager,
        office=office,
        strategy=AssignmentStrategy.LETTERS,
        ranges=[
            (advisor, first, last)
            for advisor, (first, last) in zip(
                staff.advisors, letter_ranges(len(staff.advisors)), strict=True
            )
        ],
    )


def seed_employers(
    office: Office, index: int, staff: OfficeStaff, today: date, backdating: _Backdating
) -> None:
    places = places_of(office)
    area = AREA_CODES.get(office.city, "22")
    existing = set(Employer.objects.filter(office=office).values_list("nip", flat=True))
    for number, demo in enumerate(employers_for(office, index)):
        # Its own generator, NIP first: the same employer on every run, whatever the date.
        rng = random.Random(f"{SEED}:employer:{office.name}:{number}")  # noqa: S311 - demo data
        nip = make_nip(rng, NIP_PREFIXES.get(office.city, "521"))
        regon = make_regon(rng, office.teryt_powiat[:2])
        contact_sex = rng.choice([Sex.FEMALE, Sex.MALE])
        she = contact_sex == Sex.FEMALE
        contact_first = weighted(rng, FIRST_NAMES[contact_sex][1])
        contact_last = surname_for(rng.choice(SURNAMES), contact_sex)
        street = f"{rng.choice(places[0].streets)} {rng.randint(1, STREET_NUMBER_MAX)}"
        landline = f"+48 {area} {rng.randrange(100, 1000)} {rng.randrange(10, 100)} "
        landline += f"{rng.randrange(10, 100)}"
        registered = day_between(rng, today - timedelta(days=900), today - timedelta(days=60))
        contact_day = day_between(rng, registered, today)
        contact_phone = mobile(rng)
        clock = _Clock(rng, timezone.now())
        if nip in existing:
            continue
        domain = f"{demo.slug}.example.com"
        employer = services.employer_register(
            acting_user=staff.manager,
            office=office,
            data={
                "name": demo.name,
                "nip": nip,
                "regon": regon,
                "kind": demo.kind,
                "street": street,
                "postal_code": places[0].postal_code,
                "city": places[0].city,
                "phone": landline,
                "email": f"biuro@{domain}",
            },
        )
        login = fold(f"{contact_first[0]}.{contact_last}").replace(" ", "")
        services.employer_contact_add(
            acting_user=staff.manager,
            employer=employer,
            data={
                "name": f"{contact_first} {contact_last}",
                "position": demo.position,
                "phone": contact_phone,
                "email": f"{login}@{domain}",
            },
        )
        backdating.open(employer.pk, clock.at(registered))
        advisor = AdvisorAssignment.objects.get(employer=employer, ended_at__isnull=True).advisor
        services.card_entry_add(
            acting_user=advisor,
            employer=employer,
            kind=EntryKind.CONTACT,
            text=f"Rozmowa z {'panią' if she else 'panem'} {contact_first} {contact_last}: "
            "zgłoszenie oferty pracy i zasady współpracy z urzędem.",
        )
        backdating.entry(employer.pk, clock.at(contact_day))


def seed_substitution(office: Office, staff: OfficeStaff, today: date) -> str | None:
    """The office's second advisor is on leave; the first serves their clients meanwhile."""
    if len(staff.advisors) < 2:
        return None
    substitute, absent = staff.advisors[0], staff.advisors[1]
    starts = last_working_day_on_or_before(today - timedelta(days=3))
    ends = today + timedelta(days=10)
    covering = Substitution.objects.filter(absent=absent, starts_on__lte=ends, ends_on__gte=starts)
    if not covering.exists():
        services.substitution_create(
            acting_user=staff.manager,
            absent=absent,
            substitute=substitute,
            starts_on=starts,
            ends_on=ends,
            reason="urlop wypoczynkowy",
        )
    current = (
        Substitution.objects.filter(office=office, starts_on__lte=today, ends_on__gte=today)
        .select_related("absent", "substitute")
        .first()
    )
    if current is None:
        return None
    return (
        f"{current.substitute} ({current.substitute.username}) serves the clients of "
        f"{current.absent} ({current.absent.username}) until {current.ends_on:%d.%m.%Y}"
    )


class _Runner:
    def __init__(
        self,
        staff: dict[int, OfficeStaff],
        today: date,
        backdating: _Backdating,
    ) -> None:
        self.staff = staff
        self.today = today
        self.now = timezone.now()
        self.backdating = backdating
        self.categories = {c.code: c for c in JobseekerCategory.objects.all()}
        self.reasons = {r.code: r for r in DeregistrationReason.objects.all()}
        self.users: dict[int, User] = {
            u.pk: u for s in staff.values() for u in [s.manager, *s.advisors]
        }

    def _advisor(self, client: Client) -> User:
        advisor_id = (
            AdvisorAssignment.objects.filter(client=client, ended_at__isnull=True)
            .values_list("advisor_id", flat=True)
            .get()
        )
        if advisor_id not in self.users:
            self.users[advisor_id] = User.objects.get(pk=advisor_id)
        return self.users[advisor_id]

    def run(self, plan: PlannedClient) -> None:
        staff = self.staff[plan.office.pk]
        manager = staff.manager
        clock = _Clock(plan.rng, self.now)
        client: Client | None = None
        registration: Registration | None = None
        advisor: User | None = None
        for event in plan.events:
            moment = clock.at(event.day)
            if event.kind == "register":
                period = _required(event.period)
                category = self.categories[period.category] if period.category else None
                if client is None:
                    client = services.client_register(
                        acting_user=manager,
                        office=plan.office,
                        card=plan.card,
                        pesel=plan.pesel,
                        birth_date=plan.birth_date,
                        sex=plan.sex,
                        status=period.status,
                        jobseeker_category=category,
                        registered_on=period.registered_on,
                    )
                    registration = client.registrations.get(deregistered_on__isnull=True)
                else:
                    registration = services.registration_open(
                        acting_user=manager,
                        client=client,
                        office=plan.office,
                        status=period.status,
                        jobseeker_category=category,
                        registered_on=period.registered_on,
                    )
                advisor = self._advisor(client)
                self.backdating.open(client.pk, moment)
                continue
            client = _required(client)
            if event.kind == "close":
                period = _required(event.period)
                day = _required(period.deregistered_on)
                decision = ""
                if period.status == Status.UNEMPLOYED:  # the starosta's decision
                    decision = f"CAZ.6131.{plan.rng.randint(100, 4999)}.{day.year}"
                services.registration_close(
                    acting_user=manager,
                    registration=_required(registration),
                    deregistered_on=day,
                    reason=self.reasons[_required(period.reason)],
                    decision=decision,
                )
                self.backdating.close(client.pk, moment)
            elif event.kind == "reassign":
                current = _required(advisor)
                others = [a for a in staff.advisors if a.pk != current.pk]
                if not others:
                    continue
                advisor = plan.rng.choice(others)
                services.advisor_reassign(
                    acting_user=manager, client=client, advisor=advisor, reason=event.text
                )
                self.backdating.move(client.pk, moment)
            else:
                services.card_entry_add(
                    acting_user=_required(advisor),
                    client=client,
                    kind=event.entry_kind,
                    text=event.text,
                )
                self.backdating.entry(client.pk, moment)


_T = TypeVar("_T")


def _required(value: _T | None) -> _T:
    if value is None:
        raise RuntimeError("demo plan out of order: an event before the registration")
    return value


def seed_clients(
    *,
    offices: list[Office],
    count: int,
    stdout: Writer | None = None,
    today: date | None = None,
) -> DemoSummary:
    """Employers, letter ranges, a substitution and ``count`` clients over ``offices``.

    Each office acts through its first active manager; an office without a manager or a
    customer advisor gets nothing (the summary names it). ``stdout`` gets a progress line
    every ``PROGRESS_EVERY`` clients. Call inside a transaction (seed_demo does): a failure
    then leaves nothing half made.
    """
    today = today or timezone.localdate()
    summary = DemoSummary(offices=len(offices))
    staff: dict[int, OfficeStaff] = {}
    for office in offices:
        found = office_staff(office)
        if found is None:
            summary.skipped_offices.append(office.name)
        else:
            staff[office.pk] = found
    usable = [o for o in offices if o.pk in staff]
    if not usable:
        return summary
    first = usable[0]
    with set_actor(staff[first.pk].manager):
        configure_letters(first, staff[first.pk])
    client_times = _Backdating()
    employer_times = _Backdating()
    for n, office in enumerate(usable):
        with set_actor(staff[office.pk].manager):
            seed_employers(office, n, staff[office.pk], today, employer_times)
    planner = Planner(usable, today)
    plans = [planner.plan(i) for i in range(max(0, count))]
    existing_pesels = set(
        Client.objects.filter(pesel__in=[p.pesel for p in plans if p.pesel]).values_list(
            "pesel", flat=True
        )
    )
    existing_documents = set(
        Client.objects.filter(
            pesel__isnull=True,
            document_number__in=[p.card["document_number"] for p in plans if not p.pesel],
        ).values_list("document_type", "document_number", "document_country")
    )
    runner = _Runner(staff, today, client_times)
    for plan in plans:
        document = (
            plan.card.get("document_type"),
            plan.card.get("document_number"),
            plan.card.get("document_country"),
        )
        if plan.pesel in existing_pesels or (not plan.pesel and document in existing_documents):
            summary.existing += 1
            continue
        with set_actor(staff[plan.office.pk].manager):
            runner.run(plan)
        summary.created += 1
        if stdout is not None and summary.created % PROGRESS_EVERY == 0:
            stdout.write(f"  ... {summary.created} demo clients made\n")
    client_times.apply("client")
    employer_times.apply("employer")
    with set_actor(staff[first.pk].manager):
        substitution = seed_substitution(first, staff[first.pk], today)
    if substitution:
        summary.substitutions.append(substitution)
    _count(summary, usable, today)
    return summary


def _count(summary: DemoSummary, offices: list[Office], today: date) -> None:
    clients = Client.objects.filter(office__in=offices)
    periods = Registration.objects.filter(client__office__in=offices).values_list(
        "client_id", "status", "registered_on", "deregistered_on"
    )
    by_client: dict[int, list[tuple[str, date, date | None]]] = defaultdict(list)
    for client_id, status, start, end in periods:
        by_client[client_id].append((status, start, end))
    counts: Counter[str] = Counter()
    for rows in by_client.values():
        current = [status for status, _start, end in rows if end is None]
        if not current:
            counts["deregistered"] += 1
        else:
            counts[current[0]] += 1
            if current[0] == Status.UNEMPLOYED:
                unemployed = [
                    rules.Period(start, end) for status, start, end in rows if status == current[0]
                ]
                counts["long_term"] += rules.is_long_term_unemployed(unemployed, today)
        counts["returning"] += len(rows) >= 2
    counts["clients"] = clients.count()
    counts["foreigners"] = clients.filter(pesel__isnull=True).count()
    counts["reassigned"] = (
        clients.filter(assignments__kind=AssignmentKind.REASSIGNMENT).distinct().count()
    )
    employers = Employer.objects.filter(office__in=offices)
    counts["employers"] = employers.count()
    counts["contacts"] = employers.aggregate(n=Count("contacts"))["n"]
    summary.counts = dict(counts)
    summary.entries = dict(
        CardEntry.objects.filter(Q(client__office__in=offices) | Q(employer__office__in=offices))
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
        .order_by()
    )
    for office in offices:
        if office.assignment_strategy != AssignmentStrategy.LETTERS:
            continue
        ranges = LetterRange.objects.filter(office=office).select_related("advisor")
        summary.ranges.append(
            f"{office.name}: "
            + ", ".join(f"{r.first_letter}-{r.last_letter} {r.advisor}" for r in ranges)
        )
