"""Demo clients for ``seed_demo``: realistic Polish people in every state of the flow.

Every write goes through ``clients.services`` (registration, deregistration, return, manager's
reassignment, substitution, journal, employers), so the demo holds only what the rules allow.
The code lists without a service (surname letter ranges, employer contact persons) are saved
with ``full_clean()``.

Reproducible and idempotent: client number ``n`` of the office at position ``i`` is drawn from
its own ``random.Random(f"seed_demo:{i}:{n}")``, so a rerun generates the same PESELs (and
passport numbers) and skips the people already in the register; ``--clients 80`` after
``--clients 60`` adds the 20 missing ones. Identity never depends on today's date; the
registration dates do (they are spread over the three years before ``timezone.localdate()``).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from django.utils import timezone
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import pesel as stdnum_pesel
from stdnum.pl import regon as stdnum_regon

from clients import rules, services
from clients.models import (
    AdvisorAssignment,
    AssignmentKind,
    CardEntry,
    Client,
    DeregistrationReason,
    DisabilityDegree,
    DocumentType,
    EducationLevel,
    Employer,
    EmployerContact,
    EntryKind,
    JobseekerCategory,
    LetterRange,
    Registration,
    Sex,
    Status,
    Substitution,
)
from clients.search import fold
from labour_office.calendar import last_working_day_on_or_before
from labour_office.offices.models import AssignmentStrategy, Office, Role, User

# --- Names -------------------------------------------------------------------------------------

# Common first names by sex and generation (GUS name statistics, roughly), so that a woman born
# in 1962 is a Krystyna rather than a Wiktoria.
FIRST_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # born before 1975, 1975-1991, 1992 and later
    Sex.FEMALE: (
        (
            "Krystyna",
            "Danuta",
            "Halina",
            "Grażyna",
            "Teresa",
            "Elżbieta",
            "Barbara",
            "Jadwiga",
            "Bożena",
            "Jolanta",
            "Irena",
            "Małgorzata",
            "Ewa",
            "Anna",
            "Zofia",
            "Maria",
        ),
        (
            "Anna",
            "Katarzyna",
            "Małgorzata",
            "Agnieszka",
            "Magdalena",
            "Joanna",
            "Monika",
            "Ewa",
            "Beata",
            "Dorota",
            "Marta",
            "Justyna",
            "Iwona",
            "Renata",
            "Sylwia",
            "Agata",
        ),
        (
            "Julia",
            "Wiktoria",
            "Natalia",
            "Aleksandra",
            "Zuzanna",
            "Karolina",
            "Paulina",
            "Weronika",
            "Patrycja",
            "Oliwia",
            "Dominika",
            "Martyna",
            "Emilia",
            "Kinga",
            "Zofia",
        ),
    ),
    Sex.MALE: (
        (
            "Stanisław",
            "Andrzej",
            "Jan",
            "Zbigniew",
            "Krzysztof",
            "Jerzy",
            "Tadeusz",
            "Ryszard",
            "Marek",
            "Józef",
            "Janusz",
            "Henryk",
            "Wiesław",
            "Roman",
            "Kazimierz",
        ),
        (
            "Piotr",
            "Krzysztof",
            "Tomasz",
            "Paweł",
            "Marcin",
            "Michał",
            "Łukasz",
            "Grzegorz",
            "Adam",
            "Robert",
            "Rafał",
            "Dariusz",
            "Mariusz",
            "Sebastian",
            "Artur",
            "Damian",
        ),
        (
            "Jakub",
            "Kacper",
            "Mateusz",
            "Bartosz",
            "Szymon",
            "Filip",
            "Patryk",
            "Kamil",
            "Dawid",
            "Michał",
            "Wojciech",
            "Hubert",
            "Adrian",
            "Łukasz",
            "Oskar",
        ),
    ),
}

# Masculine forms; the feminine of -ski/-cki/-dzki ends in -a, the others do not change.
SURNAMES = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
    "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski",
    "Michalski", "Nowicki", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński", "Król",
    "Majewski", "Olszewski", "Jaworski", "Wróbel", "Malinowski", "Pawlak", "Witkowski",
    "Walczak", "Stępień", "Górski", "Rutkowski", "Michalak", "Sikora", "Ostrowski", "Baran",
    "Duda", "Szewczyk", "Tomaszewski", "Pietrzak", "Marciniak", "Wróblewski", "Zalewski",
    "Jakubowski", "Jasiński", "Zawadzki", "Sadowski", "Bąk", "Chmielewski", "Włodarczyk",
    "Borkowski", "Czarnecki", "Sawicki", "Sokołowski", "Urbański", "Kubiak", "Maciejewski",
    "Szczepański", "Kucharski", "Wilk", "Kalinowski", "Lis", "Mazurek", "Wysocki", "Adamski",
    "Kaźmierczak", "Wasilewski", "Sobczak", "Czerwiński", "Andrzejewski", "Cieślak",
    "Głowacki", "Zakrzewski", "Kołodziej", "Sikorski", "Krajewski", "Gajewski", "Szymczak",
    "Szulc", "Baranowski", "Laskowski", "Brzeziński", "Makowski", "Ziółkowski", "Przybylski",
)  # fmt: skip


def surname_for(masculine: str, sex: str) -> str:
    """Kowalski -> Kowalska, Zawadzki -> Zawadzka; Nowak, Mazur, Zając stay as they are."""
    if sex == Sex.FEMALE and masculine.endswith(("ski", "cki", "dzki")):
        return masculine[:-1] + "a"
    return masculine


# Ukrainian citizens without a PESEL, names as in their passports (Latin transliteration).
FOREIGN_NAMES = {
    Sex.FEMALE: (("Olena", "Kovalenko"), ("Iryna", "Melnyk"), ("Oksana", "Shevchenko"),
                 ("Tetiana", "Bondarenko"), ("Nataliia", "Tkachenko")),
    Sex.MALE: (("Oleksandr", "Kravchenko"), ("Andrii", "Boiko"), ("Serhii", "Kovalchuk"),
               ("Dmytro", "Oliinyk"), ("Vasyl", "Marchenko")),
}  # fmt: skip

BIRTH_PLACES = ("Warszawa", "Radom", "Siedlce", "Płock", "Ostrołęka", "Kraków", "Tarnów",
                "Poznań", "Lublin", "Łódź", "Białystok", "Kielce", "Bydgoszcz", "Olsztyn")  # fmt: skip

# --- Addresses ---------------------------------------------------------------------------------

# Localities of each demo poviat: (locality, postal code, commune). The office's seat comes
# first and gets most of the clients. Unknown poviats fall back to the office's own address.
LOCALITIES: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "1418": ("piaseczyński", (
        ("Piaseczno", "05-500", "Piaseczno"), ("Konstancin-Jeziorna", "05-520",
        "Konstancin-Jeziorna"), ("Góra Kalwaria", "05-530", "Góra Kalwaria"),
        ("Tarczyn", "05-555", "Tarczyn"), ("Józefosław", "05-509", "Piaseczno"),
        ("Lesznowola", "05-506", "Lesznowola"), ("Prażmów", "05-505", "Prażmów"))),
    "1434": ("wołomiński", (
        ("Wołomin", "05-200", "Wołomin"), ("Kobyłka", "05-230", "Kobyłka"),
        ("Marki", "05-270", "Marki"), ("Ząbki", "05-091", "Ząbki"),
        ("Radzymin", "05-250", "Radzymin"), ("Zielonka", "05-220", "Zielonka"),
        ("Tłuszcz", "05-240", "Tłuszcz"))),
    "1210": ("nowosądecki", (
        ("Nowy Sącz", "33-300", "Nowy Sącz"), ("Stary Sącz", "33-340", "Stary Sącz"),
        ("Krynica-Zdrój", "33-380", "Krynica-Zdrój"), ("Piwniczna-Zdrój", "33-350",
        "Piwniczna-Zdrój"), ("Grybów", "33-330", "Grybów"), ("Łącko", "33-390", "Łącko"))),
    "3003": ("gnieźnieński", (
        ("Gniezno", "62-200", "Gniezno"), ("Trzemeszno", "62-240", "Trzemeszno"),
        ("Witkowo", "62-230", "Witkowo"), ("Czerniejewo", "62-250", "Czerniejewo"),
        ("Kłecko", "62-270", "Kłecko"), ("Łubowo", "62-260", "Łubowo"))),
}  # fmt: skip

STREETS = ("Mickiewicza", "Kościuszki", "Słowackiego", "Sienkiewicza", "Kolejowa", "Polna",
           "Leśna", "Ogrodowa", "Szkolna", "Lipowa", "Kwiatowa", "Łąkowa", "Długa", "Krótka",
           "Piłsudskiego", "Jana Pawła II", "3 Maja", "Wojska Polskiego", "Żeromskiego",
           "Konopnickiej", "Parkowa", "Słoneczna", "Źródlana", "Wiejska", "Spacerowa")  # fmt: skip

# Tax office prefixes of the NIP (urząd skarbowy of the poviat) and landline area codes.
NIP_PREFIX = {"1418": "123", "1434": "125", "1210": "734", "3003": "784"}
AREA_CODE = {"1418": "22", "1434": "22", "1210": "18", "3003": "61"}
MOBILE_PREFIXES = ("501", "502", "505", "510", "512", "530", "533", "570", "601", "602", "604",
                   "660", "665", "691", "696", "720", "724", "781", "790", "880", "887")  # fmt: skip

# --- Education, occupations, licences ----------------------------------------------------------

# (masculine, feminine) occupation names by education level.
OCCUPATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    EducationLevel.HIGHER: (
        ("księgowy", "księgowa"), ("informatyk", "informatyk"), ("pedagog", "pedagog"),
        ("ekonomista", "ekonomistka"), ("specjalista ds. kadr i płac", "specjalistka ds. kadr "
        "i płac"), ("inżynier budownictwa", "inżynier budownictwa"),
        ("fizjoterapeuta", "fizjoterapeutka"), ("specjalista ds. marketingu", "specjalistka ds. "
        "marketingu")),
    EducationLevel.VOCATIONAL_SECONDARY: (
        ("technik logistyk", "technik logistyk"), ("technik ekonomista", "technik ekonomista"),
        ("technik informatyk", "technik informatyk"), ("technik mechanik", "technik mechanik"),
        ("technik żywienia", "technik żywienia"), ("technik administracji", "technik "
        "administracji"), ("księgowy", "księgowa")),
    EducationLevel.GENERAL_SECONDARY: (
        ("sprzedawca", "sprzedawczyni"), ("kasjer", "kasjerka"), ("pracownik biurowy",
        "pracownica biurowa"), ("recepcjonista", "recepcjonistka"), ("opiekun osoby starszej",
        "opiekunka"), ("magazynier", "magazynierka")),
    EducationLevel.BASIC_VOCATIONAL: (
        ("spawacz", "spawaczka"), ("kucharz", "kucharka"), ("stolarz", "krawcowa"),
        ("murarz", "fryzjerka"), ("elektryk", "cukiernik"), ("mechanik pojazdów samochodowych",
        "sprzedawczyni"), ("kierowca kat. C", "piekarz"), ("ślusarz", "ogrodniczka"),
        ("piekarz", "kucharka")),
    EducationLevel.LOWER_SECONDARY_OR_LESS: (
        ("magazynier", "magazynierka"), ("pomocnik kuchenny", "pomoc kuchenna"),
        ("robotnik budowlany", "sprzątaczka"), ("pracownik produkcji", "pracownica produkcji"),
        ("robotnik gospodarczy", "opiekunka"), ("pracownik ochrony", "pakowaczka")),
}  # fmt: skip

EDUCATION_WEIGHTS = {
    EducationLevel.HIGHER: 20,
    EducationLevel.VOCATIONAL_SECONDARY: 22,
    EducationLevel.GENERAL_SECONDARY: 15,
    EducationLevel.BASIC_VOCATIONAL: 25,
    EducationLevel.LOWER_SECONDARY_OR_LESS: 18,
}

# Licences (uprawnienia) and skills that go with an occupation; the key is a word it contains.
LICENCES = {
    "kierowca": "kwalifikacja wstępna – przewóz rzeczy; karta kierowcy",
    "spawacz": "spawanie metodą MAG (135), certyfikat TÜV",
    "magazynier": "uprawnienia UDT na wózki jezdniowe podnośnikowe",
    "elektryk": "świadectwo kwalifikacyjne SEP (E) do 1 kV",
    "kucharz": "orzeczenie do celów sanitarno-epidemiologicznych",
    "kucharka": "orzeczenie do celów sanitarno-epidemiologicznych",
    "pomoc kuchenna": "orzeczenie do celów sanitarno-epidemiologicznych",
    "ochrony": "wpis na listę kwalifikowanych pracowników ochrony fizycznej",
    "opiekun": "kurs opiekuna osoby starszej (120 godz.)",
    "informatyk": "certyfikat CCNA",
    "księgow": "certyfikat księgowy SKwP",
    "inżynier budownictwa": "uprawnienia budowlane do kierowania robotami",
}
SKILLS = ("obsługa komputera (MS Office)", "obsługa kasy fiskalnej", "obsługa klienta",
          "prawo jazdy – czynny kierowca", "praca w zespole", "obsługa programu Symfonia",
          "drobne naprawy i konserwacja", "obsługa terminala płatniczego", "Excel – tabele "
          "przestawne", "pierwsza pomoc przedmedyczna", "obsługa maszyn CNC")  # fmt: skip
LANGUAGES = ("angielski – B1", "angielski – B2", "angielski – A2", "niemiecki – A2",
             "niemiecki – B1", "rosyjski – B1", "angielski – C1", "hiszpański – A1")  # fmt: skip

# --- Journal -----------------------------------------------------------------------------------

# (masculine, feminine) texts; "{occupation}" and "{city}" are filled in.
JOURNAL = {
    EntryKind.ADVISOR_ACTION: (
        (
            "Rozmowa wstępna: ustalono doświadczenie zawodowe ({occupation}) i oczekiwania "
            "klienta co do pracy.",
            "Rozmowa wstępna: ustalono doświadczenie zawodowe "
            "({occupation}) i oczekiwania klientki co do pracy.",
        ),
        ("Przekazano informację o szkoleniach grupowych i bonie szkoleniowym.",) * 2,
        ("Wydano skierowanie do pracodawcy na stanowisko: {occupation}.",) * 2,
        ("Przygotowano zestaw ofert pracy z lokalnego rynku ({city}).",) * 2,
    ),
    EntryKind.CLIENT_ACTION: (
        (
            "Klient dostarczył świadectwo pracy z ostatniego miejsca zatrudnienia.",
            "Klientka dostarczyła świadectwo pracy z ostatniego miejsca zatrudnienia.",
        ),
        (
            "Klient zgłosił się na spotkanie grupowe w Klubie Pracy.",
            "Klientka zgłosiła się na spotkanie grupowe w Klubie Pracy.",
        ),
        (
            "Klient przedstawił zaświadczenie o ukończeniu kursu.",
            "Klientka przedstawiła zaświadczenie o ukończeniu kursu.",
        ),
        (
            "Klient odbył rozmowę kwalifikacyjną u pracodawcy ze skierowania.",
            "Klientka odbyła rozmowę kwalifikacyjną u pracodawcy ze skierowania.",
        ),
    ),
    EntryKind.COOPERATION_RULES: (
        ("Uzgodniono zasady współpracy: kontakt co 30 dni, preferowany kontakt telefoniczny.",) * 2,
        ("Zmiana zasad współpracy: wizyty w urzędzie co 2 tygodnie do końca szkolenia.",) * 2,
        (
            "Uzgodniono kontakt elektroniczny; klient wyraził zgodę na kontakt przez e-mail.",
            "Uzgodniono kontakt elektroniczny; klientka wyraziła zgodę na kontakt przez e-mail.",
        ),
    ),
    EntryKind.CONTACT: (
        ("Rozmowa telefoniczna: potwierdzono termin kolejnej wizyty.",) * 2,
        (
            "Wysłano e-mail z ofertą pracy; klient odpowiedział, że jest zainteresowany.",
            "Wysłano e-mail z ofertą pracy; klientka odpowiedziała, że jest zainteresowana.",
        ),
        ("Wizyta w urzędzie: omówiono postępy w poszukiwaniu pracy.",) * 2,
    ),
}
CLIENT_ENTRY_KINDS = tuple(JOURNAL)

REASSIGNMENT_REASONS = (
    "Wyrównanie obciążenia doradców klienta.",
    "Prośba klienta o zmianę doradcy.",
    "Doradca przejmuje sprawy osób z orzeczeniem o niepełnosprawności.",
)

# --- Employers ---------------------------------------------------------------------------------

KIND = Employer.Kind
# Per demo office: name, kind, contact person, position, a first offer for the journal.
EMPLOYERS: tuple[tuple[tuple[str, str, str, str, str], ...], ...] = (
    (
        (
            "Piekarnia Kłos sp. z o.o.",
            KIND.ENTREPRENEUR,
            "Jadwiga Kłos",
            "prezes zarządu",
            "piekarz, 2 etaty, praca zmianowa",
        ),
        (
            "Magazyny Logistyczne Mazowsze sp. z o.o.",
            KIND.ENTREPRENEUR,
            "Paweł Górski",
            "specjalista ds. kadr",
            "magazynier z uprawnieniami UDT, 5 etatów",
        ),
        (
            "Sady Jabłońscy sp. j.",
            KIND.FOREIGNER_EMPLOYER,
            "Marek Jabłoński",
            "wspólnik",
            "pracownik sezonowy przy zbiorze jabłek, 12 osób",
        ),
        (
            "Rolnicza Spółdzielnia Produkcyjna w Prażmowie",
            KIND.AGRICULTURAL_COOPERATIVE,
            "Henryk Zawadzki",
            "prezes spółdzielni",
            "operator maszyn rolniczych, 1 etat",
        ),
        (
            "Zakład Stolarski Piotr Nowicki",
            KIND.ENTREPRENEUR,
            "Piotr Nowicki",
            "właściciel",
            "stolarz, 1 etat",
        ),
    ),
    (
        (
            "Transport Krajowy Wróbel i Syn sp. j.",
            KIND.ENTREPRENEUR,
            "Adam Wróbel",
            "wspólnik",
            "kierowca kat. C+E, 3 etaty",
        ),
        (
            "Szklarnie Radzymin sp. z o.o.",
            KIND.FOREIGNER_EMPLOYER,
            "Renata Sobczak",
            "kierownik produkcji",
            "ogrodnik w szklarni, 6 osób",
        ),
        (
            "Rolnicza Spółdzielnia Produkcyjna „Jedność”",
            KIND.AGRICULTURAL_COOPERATIVE,
            "Zbigniew Pawlak",
            "prezes spółdzielni",
            "pracownik fermy, 2 etaty",
        ),
        (
            "Piekarnia-Cukiernia Zając",
            KIND.ENTREPRENEUR,
            "Teresa Zając",
            "właścicielka",
            "sprzedawca, 1 etat",
        ),
    ),
    (
        (
            "Sądeckie Sady Owocowe sp. z o.o.",
            KIND.FOREIGNER_EMPLOYER,
            "Jan Kołodziej",
            "prezes zarządu",
            "pracownik sezonowy w sadzie, 8 osób",
        ),
        (
            "Pensjonat pod Jaworzyną Anna Duda",
            KIND.ENTREPRENEUR,
            "Anna Duda",
            "właścicielka",
            "kucharz, 1 etat; pokojowa, 2 etaty",
        ),
        (
            "Rolnicza Spółdzielnia Produkcyjna w Łącku",
            KIND.AGRICULTURAL_COOPERATIVE,
            "Stanisław Bąk",
            "prezes spółdzielni",
            "traktorzysta, 1 etat",
        ),
        (
            "Zakład Obróbki Drewna Kołodziej sp. k.",
            KIND.ENTREPRENEUR,
            "Marcin Kołodziej",
            "kierownik zakładu",
            "operator obrabiarek CNC, 2 etaty",
        ),
    ),
    (
        (
            "Ferma Drobiu Kaźmierczak sp. j.",
            KIND.FOREIGNER_EMPLOYER,
            "Dariusz Kaźmierczak",
            "wspólnik",
            "pracownik fermy drobiu, 4 osoby",
        ),
        (
            "Rolnicza Spółdzielnia Produkcyjna w Witkowie",
            KIND.AGRICULTURAL_COOPERATIVE,
            "Wiesław Gajewski",
            "prezes spółdzielni",
            "mechanik maszyn rolniczych, 1 etat",
        ),
        (
            "Meble Gajewski sp. z o.o.",
            KIND.ENTREPRENEUR,
            "Monika Gajewska",
            "specjalistka ds. kadr",
            "tapicer, 3 etaty",
        ),
        (
            "Przedsiębiorstwo Budowlane Przybylski",
            KIND.ENTREPRENEUR,
            "Robert Przybylski",
            "właściciel",
            "murarz, 2 etaty; pomocnik budowlany, 2 etaty",
        ),
    ),
)


# --- Plans -------------------------------------------------------------------------------------


class Plan(Enum):
    """What happens to a demo client; every state of the flow has at least one."""

    UNEMPLOYED = "unemployed"  # registered in the last year
    LONG_TERM = "long_term"  # registered 13-23 months ago: long-term unemployed
    OLD_UNEMPLOYED = "old_unemployed"  # registered over 2 years ago, still in the register
    JOBSEEKER = "jobseeker"
    DEREGISTERED = "deregistered"
    RETURNING = "returning"  # deregistered, then registered again: the same advisor
    FOREIGNER = "foreigner"  # no PESEL: a Ukrainian passport


@dataclass(frozen=True)
class Showcase:
    plan: Plan
    status: str = Status.UNEMPLOYED
    category: str = ""
    reason: str = ""
    reassign: bool = False
    all_entry_kinds: bool = False
    name: tuple[str, str, str] | None = None  # first name, surname, sex


# The first clients of every office, so that even ``--clients 16`` shows every state.
SHOWCASE = (
    Showcase(Plan.UNEMPLOYED, all_entry_kinds=True, name=("Łukasz", "Żółć", Sex.MALE)),
    Showcase(Plan.LONG_TERM),
    Showcase(Plan.JOBSEEKER, Status.JOBSEEKER, category="notice_period"),
    Showcase(Plan.DEREGISTERED, reason="employment"),
    Showcase(Plan.RETURNING, reason="employment"),
    Showcase(Plan.JOBSEEKER, Status.JOBSEEKER, category="worker_45_plus"),
    Showcase(Plan.DEREGISTERED, reason="refused_offer"),
    Showcase(Plan.FOREIGNER),
    Showcase(Plan.UNEMPLOYED, reassign=True),
    Showcase(Plan.JOBSEEKER, Status.JOBSEEKER, category="employed_development"),
    Showcase(Plan.DEREGISTERED, reason="own_request"),
    Showcase(Plan.DEREGISTERED, Status.JOBSEEKER, category="other", reason="jobseeker_request"),
    Showcase(Plan.RETURNING, Status.JOBSEEKER, category="notice_period", reason="employment"),
    Showcase(Plan.OLD_UNEMPLOYED),
    Showcase(Plan.FOREIGNER, Status.JOBSEEKER, category="other"),
    Showcase(Plan.LONG_TERM, all_entry_kinds=True, reassign=True),
)
# Weights of the plans after the showcase: most clients are registered unemployed.
PLAN_WEIGHTS = {
    Plan.UNEMPLOYED: 46,
    Plan.LONG_TERM: 12,
    Plan.OLD_UNEMPLOYED: 4,
    Plan.JOBSEEKER: 13,
    Plan.DEREGISTERED: 15,
    Plan.RETURNING: 9,
    Plan.FOREIGNER: 1,
}
JOBSEEKER_CATEGORIES = {
    "employed_development": 25,
    "notice_period": 20,
    "worker_45_plus": 15,
    "employer_insolvent": 6,
    "pensioner": 6,
    "benefit_recipient": 6,
    "farm_household": 8,
    "social_integration": 4,
    "other": 10,
}
UNEMPLOYED_REASONS = {"employment": 60, "refused_offer": 10, "no_show": 10, "own_request": 8,
                      "moved": 5, "conditions_lost": 4, "startup_grant": 3}  # fmt: skip
JOBSEEKER_REASONS = {"employment": 50, "jobseeker_request": 30, "jobseeker_inactive": 20}
# Unemployed status ends at retirement age (60 for women, 65 for men); birth years are fixed,
# not taken from today, so that a rerun years later still finds the same PESELs.
BIRTH_YEARS = {Sex.FEMALE: (1967, 2006), Sex.MALE: (1962, 2006)}
CATEGORY_BIRTH_YEARS = {"worker_45_plus": (1962, 1980), "pensioner": (1960, 1964)}
REFUSAL_PAUSE_DAYS = 120  # status lost for 120 days after the first refusal (2004 Act, art. 33)


@dataclass(frozen=True)
class Period:
    status: str
    category: str  # jobseeker category code, "" for the unemployed
    registered_ago: int  # days before today
    deregistered_ago: int | None = None
    reason: str = ""


@dataclass
class Spec:
    """Everything about one demo client, drawn before anything is saved."""

    number: int
    sex: str
    birth_date: date
    pesel: str | None
    card: dict[str, Any]
    periods: list[Period]
    reassign: bool
    entry_kinds: list[str]
    occupation: str
    seed: int  # for the draws made while saving (registrar, reassignment reason)


# --- Drawing -----------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _birth_date(rng: random.Random, first_year: int, last_year: int) -> date:
    """Skewed towards people in their thirties, as in the register."""
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    span = (end - start).days
    mode = min(max((date(1990, 6, 1) - start).days, 0), span)
    return start + timedelta(days=round(rng.triangular(0, span, mode)))


def make_pesel(birth: date, serial: int, sex_digit: int) -> str:
    """YYMMDD (the month carries the century), a 3-digit serial, the sex digit, the check."""
    month = birth.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth.year // 100]
    body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial:03d}{sex_digit}"
    return body + str(stdnum_pesel.calc_check_digit(body))


def _draw_pesel(rng: random.Random, birth: date, sex: str, band: int, used: set[str]) -> str:
    # Each office draws its serials from its own quarter of 000-999, so no two offices can
    # produce the same PESEL whatever their --clients.
    parity = 0 if sex == Sex.FEMALE else 1
    while True:
        serial = (band % 4) * 250 + rng.randrange(250)
        pesel = make_pesel(birth, serial, parity + 2 * rng.randrange(5))
        if pesel not in used:
            used.add(pesel)
            return pesel


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)} {rng.randrange(1000):03d} {rng.randrange(1000):03d}"


def _locality(rng: random.Random, office: Office) -> tuple[str, str, str, str]:
    """(city, postal code, commune, poviat) in the office's poviat."""
    known = LOCALITIES.get(office.teryt_powiat)
    if known is None:
        return office.city, office.postal_code, office.city, ""
    poviat, places = known
    place = places[0] if rng.random() < 0.55 else rng.choice(places[1:])
    return place[0], place[1], place[2], poviat


def _street(rng: random.Random) -> str:
    number = f"ul. {rng.choice(STREETS)} {rng.randint(1, 120)}"
    return number + (f" m. {rng.randint(1, 60)}" if rng.random() < 0.45 else "")


def _card(
    rng: random.Random, office: Office, sex: str, birth: date, first: str, last: str
) -> tuple[dict[str, Any], str]:
    """The registration card (without identity numbers) and the main occupation."""
    female = sex == Sex.FEMALE
    age = rules.age_on(birth, date(2026, 1, 1))
    education = _weighted(rng, EDUCATION_WEIGHTS)
    if age < 22 and education == EducationLevel.HIGHER:
        education = EducationLevel.GENERAL_SECONDARY
    pool = OCCUPATIONS[education]
    occupation = rng.choice(pool)[1 if female else 0]
    occupations = [occupation]
    if rng.random() < 0.35:
        extra = rng.choice(OCCUPATIONS[rng.choice(list(OCCUPATIONS))])[1 if female else 0]
        if extra != occupation:
            occupations.append(extra)
    licences = [text for key, text in LICENCES.items() if key in occupation]
    driving: list[str] = []
    if age >= 18 and rng.random() < (0.75 if not female else 0.55):
        driving = ["AM", "B"] if rng.random() < 0.2 else ["B"]
        if "kierowca" in occupation:
            driving += ["C", "CE"]
        elif not female and rng.random() < 0.12:
            driving += ["C"]
        if rng.random() < 0.08:
            driving.insert(0, "A")
    languages = rng.sample(LANGUAGES, k=rng.choice((0, 1, 1, 2)))
    if age > 50 and rng.random() < 0.5:
        languages = ["rosyjski – B1"]
    has_phone = rng.random() < 0.97
    has_email = rng.random() < (0.85 if age < 45 else 0.5)
    city, postal, commune, poviat = _locality(rng, office)
    email = ""
    if has_email:
        email = f"{fold(first)}.{fold(last)}{birth.year % 100:02d}@example.com".replace(" ", "")
    card: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "birth_place": office.city if rng.random() < 0.4 else rng.choice(BIRTH_PLACES),
        "phone": _phone(rng) if has_phone else "",
        "email": email,
        "street": _street(rng),
        "postal_code": postal,
        "city": city,
        "commune": commune,
        "powiat": poviat,
        "education_level": education,
        "occupations": ", ".join(occupations),
        "work_experience_months": rng.randint(0, max(0, (age - 18) * 12 * 3 // 4)),
        "languages": "; ".join(languages),
        "driving_licences": driving,
        "licences": "; ".join(licences),
        "skills": ", ".join(rng.sample(SKILLS, k=rng.randint(0, 3))),
        "disability_degree": (
            rng.choice([DisabilityDegree.MILD, DisabilityDegree.MILD, DisabilityDegree.MODERATE])
            if rng.random() < 0.07
            else DisabilityDegree.NONE
        ),
        "cares_for_child_under_6": 22 <= age <= 42 and rng.random() < (0.3 if female else 0.1),
        "cares_for_dependant": rng.random() < 0.04,
        "receives_social_assistance": rng.random() < 0.1,
        "has_phone": has_phone,
        "has_email": has_email,
        "has_internet": has_email or rng.random() < 0.4,
        "consents_to_electronic_contact": has_email and rng.random() < 0.7,
    }
    if rng.random() < 0.4:
        cohort = FIRST_NAMES[sex][_cohort(birth)]
        second = rng.choice(cohort)
        card["second_name"] = second if second != first else ""
    if female and age > 25 and rng.random() < 0.3:
        card["family_name"] = surname_for(rng.choice(SURNAMES), sex)
    return card, occupation


def _cohort(birth: date) -> int:
    return 0 if birth.year < 1975 else 1 if birth.year < 1992 else 2


def _periods(rng: random.Random, plan: Plan, show: Showcase | None) -> list[Period]:
    status = show.status if show else Status.UNEMPLOYED
    category = show.category if show else ""
    if plan in (Plan.JOBSEEKER, Plan.FOREIGNER) and show is None:
        status = Status.JOBSEEKER if plan == Plan.JOBSEEKER or rng.random() < 0.5 else status
    if plan in (Plan.DEREGISTERED, Plan.RETURNING) and show is None and rng.random() < 0.2:
        status = Status.JOBSEEKER
    if status == Status.JOBSEEKER and not category:
        category = _weighted(rng, JOBSEEKER_CATEGORIES)
    reasons = JOBSEEKER_REASONS if status == Status.JOBSEEKER else UNEMPLOYED_REASONS
    reason = (show.reason if show else "") or _weighted(rng, reasons)
    if plan in (Plan.UNEMPLOYED, Plan.FOREIGNER):
        return [Period(status, category, rng.randint(3, 330))]
    if plan == Plan.LONG_TERM:
        return [Period(status, category, rng.randint(395, 700))]
    if plan == Plan.OLD_UNEMPLOYED:
        return [Period(status, category, rng.randint(735, 1080))]
    if plan == Plan.JOBSEEKER:
        return [Period(status, category, rng.randint(3, 420))]
    if plan == Plan.DEREGISTERED:
        registered = rng.randint(60, 1080)
        length = rng.randint(20, min(registered - 1, 400))
        return [Period(status, category, registered, registered - length, reason)]
    # Returning: the first period ended, the person came back later (after the pause a refusal
    # brings), now unemployed again or a jobseeker in a new situation.
    registered = rng.randint(400, 1080)
    back = rng.randint(3, 200)
    pause = REFUSAL_PAUSE_DAYS + 1 if reason == "refused_offer" else 14
    length = rng.randint(20, registered - back - pause)
    second = Status.UNEMPLOYED if rng.random() < 0.8 else Status.JOBSEEKER
    second_category = _weighted(rng, JOBSEEKER_CATEGORIES) if second == Status.JOBSEEKER else ""
    return [
        Period(status, category, registered, registered - length, reason),
        Period(second, second_category, back),
    ]


def draw_spec(office: Office, band: int, number: int, used: set[str]) -> Spec:
    """Client ``number`` of the office at position ``band``: the same every time."""
    rng = random.Random(f"seed_demo:{band}:{number}")  # noqa: S311 - demo data, not secrets
    show = SHOWCASE[number] if number < len(SHOWCASE) else None
    plan = show.plan if show else _weighted(rng, PLAN_WEIGHTS)
    periods = _periods(rng, plan, show)
    sex = rng.choice([Sex.FEMALE, Sex.MALE])
    # Only the first office has "Łukasz Żółć", for the diacritics-insensitive search.
    named = show.name if show and show.name and band == 0 else None
    if named:
        sex = named[2]
    years = CATEGORY_BIRTH_YEARS.get(periods[0].category, BIRTH_YEARS[sex])
    birth = _birth_date(rng, *years)
    pesel: str | None = None
    if plan == Plan.FOREIGNER:
        first, last = rng.choice(FOREIGN_NAMES[sex])
    else:
        first = named[0] if named else rng.choice(FIRST_NAMES[sex][_cohort(birth)])
        last = named[1] if named else surname_for(rng.choice(SURNAMES), sex)
        pesel = _draw_pesel(rng, birth, sex, band, used)
    card, occupation = _card(rng, office, sex, birth, first, last)
    if plan == Plan.FOREIGNER:
        letters = "".join(rng.choice("ABCEFHKMNOPTX") for _ in range(2))
        card |= {
            "document_type": DocumentType.PASSPORT,
            "document_number": f"{letters}{rng.randrange(10**6):06d}",
            "document_country": "Ukraina",
            "citizenship": "ukraińskie",
            "birth_place": rng.choice(("Lwów", "Kijów", "Równe", "Łuck", "Tarnopol")),
            "languages": "ukraiński – ojczysty; rosyjski – C1; polski – B1",
        }
    open_now = periods[-1].deregistered_ago is None
    reassign = bool(show.reassign) if show else open_now and rng.random() < 0.05
    if show and show.all_entry_kinds:
        kinds = list(CLIENT_ENTRY_KINDS)
    else:
        kinds = rng.choices(CLIENT_ENTRY_KINDS, k=rng.randint(0, 3 if open_now else 1))
    return Spec(
        number=number,
        sex=sex,
        birth_date=birth,
        pesel=pesel,
        card=card,
        periods=periods,
        reassign=reassign,
        entry_kinds=kinds,
        occupation=occupation,
        seed=rng.randrange(2**32),
    )


def period_dates(spec: Spec, today: date) -> list[tuple[date, date | None]]:
    """The periods' dates on working days, in order, none before the person turned 18."""
    adult_ago = max((today - rules.years_before(spec.birth_date, -18)).days, 0)
    oldest = max(period.registered_ago for period in spec.periods)
    scale = min(1.0, adult_ago / oldest) if oldest else 1.0
    dates: list[tuple[date, date | None]] = []
    previous = date.min
    for period in spec.periods:
        start = max(last_working_day_on_or_before(today - _days(period.registered_ago, scale)),
                    previous)  # fmt: skip
        end = None
        if period.deregistered_ago is not None:
            day = today - _days(period.deregistered_ago, scale)
            end = max(last_working_day_on_or_before(day), start)
            previous = end
        dates.append((start, end))
    return dates


def _days(ago: int, scale: float) -> timedelta:
    return timedelta(days=int(ago * scale))


# --- Saving ------------------------------------------------------------------------------------


@dataclass
class OfficeResult:
    office: Office
    created: int = 0
    existing: int = 0
    employers_created: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class DemoSummary:
    count: int
    offices: list[OfficeResult]

    def write(self, stdout: OutputWrapper) -> None:
        """Counts by state of every demo office, as the database holds them now."""
        created = sum(r.created for r in self.offices)
        existing = sum(r.existing for r in self.offices)
        stdout.write(
            f"Demo clients ({self.count} per office): {created} created now, "
            f"{existing} already there."
        )
        today = timezone.localdate()
        for result in self.offices:
            office = result.office
            counts = _state_counts(office, today)
            strategy = office.get_assignment_strategy_display()
            stdout.write(f"  {office.name} (advisors by {strategy}):")
            stdout.write(
                f"    clients {counts['clients']}: unemployed {counts['unemployed']} "
                f"(long-term {counts['long_term']}), jobseekers {counts['jobseekers']}, "
                f"deregistered {counts['deregistered']}; returning (2+ periods) "
                f"{counts['returning']}, without PESEL {counts['no_pesel']}"
            )
            stdout.write(
                f"    reassigned by a manager {counts['reassigned']}, journal entries "
                f"{counts['entries']} ({counts['entry_kinds']}), employers {counts['employers']}"
                f", substitutions today {counts['substitutions']}"
            )
            for note in result.notes:
                stdout.write(f"    {note}")


def _state_counts(office: Office, today: date) -> dict[str, Any]:
    clients = Client.objects.filter(office=office)
    registrations = list(
        Registration.objects.filter(client__office=office).values_list(
            "client_id", "status", "registered_on", "deregistered_on"
        )
    )
    periods_by_client = Counter(row[0] for row in registrations)
    unemployed_periods: dict[int, list[rules.Period]] = {}
    open_status: dict[int, str] = {}
    for client_id, status, start, end in registrations:
        if end is None:
            open_status[client_id] = status
        if status == Status.UNEMPLOYED:
            # Period.end is exclusive: the deregistration day is no longer registered.
            unemployed_periods.setdefault(client_id, []).append(rules.Period(start, end))
    long_term = sum(
        1
        for client_id, status in open_status.items()
        if status == Status.UNEMPLOYED
        and rules.is_long_term_unemployed(unemployed_periods[client_id], today)
    )
    kinds = Counter(
        CardEntry.objects.filter(client__office=office)
        .exclude(kind=EntryKind.SYSTEM)
        .values_list("kind", flat=True)
    )
    total = clients.count()
    return {
        "clients": total,
        "unemployed": sum(1 for s in open_status.values() if s == Status.UNEMPLOYED),
        "long_term": long_term,
        "jobseekers": sum(1 for s in open_status.values() if s == Status.JOBSEEKER),
        "deregistered": total - len(open_status),
        "returning": sum(1 for n in periods_by_client.values() if n > 1),
        "no_pesel": clients.filter(pesel__isnull=True).count(),
        "reassigned": AdvisorAssignment.objects.filter(
            client__office=office, ended_at__isnull=True, kind=AssignmentKind.REASSIGNMENT
        ).count(),
        "entries": sum(kinds.values()),
        "entry_kinds": ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "-",
        "employers": Employer.objects.filter(office=office).count(),
        "substitutions": Substitution.objects.filter(
            office=office, starts_on__lte=today, ends_on__gte=today
        ).count(),
    }


class _OfficeSeeder:
    """Seeds one office; holds what every client of it needs, read once."""

    def __init__(self, office: Office, band: int, fallback: User, today: date) -> None:
        self.office = office
        self.band = band
        self.today = today
        self.advisors = list(User.objects.customer_advisors().filter(office=office).order_by("pk"))
        self.by_pk = {advisor.pk: advisor for advisor in self.advisors}
        manager = (
            User.objects.filter(office=office, is_active=True, groups__name=Role.MANAGER)
            .order_by("pk")
            .first()
        )
        self.manager = manager or fallback
        self.categories = {c.code: c for c in JobseekerCategory.objects.filter(is_active=True)}
        self.reasons = {r.code: r for r in DeregistrationReason.objects.filter(is_active=True)}
        self.result = OfficeResult(office)

    def seed(self, count: int) -> OfficeResult:
        if not self.advisors:
            self.result.notes.append("no active customer advisor: no clients created")
            return self.result
        if self.band == 0:
            self._letter_ranges()
        used: set[str] = set()
        specs = [draw_spec(self.office, self.band, n, used) for n in range(count)]
        present = set(
            Client.objects.filter(pesel__in=[s.pesel for s in specs if s.pesel]).values_list(
                "pesel", flat=True
            )
        )
        present_documents = set(
            Client.objects.filter(pesel__isnull=True).values_list("document_number", flat=True)
        )
        for spec in specs:
            if (spec.pesel or "") in present or spec.card.get("document_number") in (
                present_documents
            ):
                self.result.existing += 1
                continue
            self._client(spec)
            self.result.created += 1
        if self.band == 0:
            self._substitution()
        self._employers()
        return self.result

    def _letter_ranges(self) -> None:
        """Show the letter strategy in the first office: A-Ł, M-R, S-Ż for three advisors."""
        if len(self.advisors) < 2 or LetterRange.objects.filter(office=self.office).exists():
            return
        alphabet = rules.POLISH_ALPHABET
        cuts = {2: ["A", "M"], 3: ["A", "M", "S"]}.get(len(self.advisors)) or [
            alphabet[len(alphabet) * i // len(self.advisors)] for i in range(len(self.advisors))
        ]
        for i, advisor in enumerate(self.advisors):
            last = alphabet[alphabet.index(cuts[i + 1]) - 1] if i + 1 < len(cuts) else "Ż"
            letter_range = LetterRange(
                office=self.office, advisor=advisor, first_letter=cuts[i], last_letter=last
            )
            letter_range.full_clean()
            letter_range.save()
        self.office.assignment_strategy = AssignmentStrategy.LETTERS
        self.office.save(update_fields=["assignment_strategy"])

    def _category(self, code: str) -> JobseekerCategory | None:
        if not code:
            return None
        return self.categories.get(code) or self.categories.get("other")

    def _reason(self, code: str, status: str) -> DeregistrationReason:
        reason = self.reasons.get(code)
        if reason is None or reason.applies_to not in ("", status):
            reason = self.reasons["employment"]
        return reason

    def _client(self, spec: Spec) -> None:
        rng = random.Random(spec.seed)  # noqa: S311 - demo data, not secrets
        registrar = rng.choice(self.advisors)
        dates = period_dates(spec, self.today)
        first = spec.periods[0]
        client = services.client_register(
            acting_user=registrar,
            office=self.office,
            card=spec.card,
            pesel=spec.pesel,
            birth_date=spec.birth_date,
            sex=spec.sex,
            status=first.status,
            jobseeker_category=self._category(first.category),
            registered_on=dates[0][0],
        )
        registration = Registration.objects.get(client=client, deregistered_on__isnull=True)
        for i, (period, (start, end)) in enumerate(zip(spec.periods, dates, strict=True)):
            advisor = self._advisor_of(client)
            if i > 0:
                registration = services.registration_open(
                    acting_user=advisor,
                    client=client,
                    office=self.office,
                    status=period.status,
                    jobseeker_category=self._category(period.category),
                    registered_on=start,
                )
                advisor = self._advisor_of(client)
            if end is not None:
                unemployed = period.status == Status.UNEMPLOYED
                decision = f"RE.6220.{rng.randint(1, 2999)}.{end.year}" if unemployed else ""
                services.registration_close(
                    acting_user=advisor,
                    registration=registration,
                    deregistered_on=end,
                    reason=self._reason(period.reason, period.status),
                    decision=decision,
                )
        if spec.reassign and len(self.advisors) > 1 and spec.periods[-1].deregistered_ago is None:
            current = self._advisor_of(client)
            others = [a for a in self.advisors if a.pk != current.pk]
            services.advisor_reassign(
                acting_user=self.manager,
                client=client,
                advisor=rng.choice(others),
                reason=rng.choice(REASSIGNMENT_REASONS),
            )
        author = self._advisor_of(client)
        for kind in spec.entry_kinds:
            text = rng.choice(JOURNAL[kind])[0 if spec.sex == Sex.MALE else -1]
            services.card_entry_add(
                acting_user=author,
                client=client,
                kind=kind,
                text=text.format(occupation=spec.occupation, city=self.office.city),
            )

    def _advisor_of(self, client: Client) -> User:
        """The current advisor, or the last one of a deregistered client."""
        advisor_id = (
            AdvisorAssignment.objects.filter(client=client)
            .order_by("-started_at", "-pk")
            .values_list("advisor_id", flat=True)
            .first()
        )
        return self.by_pk.get(advisor_id or 0, self.manager)

    def _substitution(self) -> None:
        """One advisor of the first office on leave today; the first advisor covers."""
        if len(self.advisors) < 2:
            return
        absent, substitute = self.advisors[-1], self.advisors[0]
        if Substitution.objects.filter(
            absent=absent, starts_on__lte=self.today, ends_on__gte=self.today
        ).exists():
            return
        try:
            services.substitution_create(
                acting_user=self.manager,
                absent=absent,
                substitute=substitute,
                starts_on=self.today,
                ends_on=self.today + timedelta(days=13),
                reason="urlop wypoczynkowy",
            )
        except ValidationError as error:  # a substitution planned later overlaps
            self.result.notes.append(f"substitution not created: {'; '.join(error.messages)}")

    def _employers(self) -> None:
        rng = random.Random(f"seed_demo:employers:{self.band}")  # noqa: S311 - demo data
        rows = EMPLOYERS[self.band % len(EMPLOYERS)]
        prefix = NIP_PREFIX.get(self.office.teryt_powiat, f"{100 + self.band:03d}")
        area = AREA_CODE.get(self.office.teryt_powiat, "22")
        for name, kind, contact, position, offer in rows:
            nip, regon = _nip(rng, prefix), _regon(rng)
            city, postal, _commune, _poviat = _locality(rng, self.office)
            phone = (
                f"{area} {rng.randint(300, 799)} {rng.randrange(100):02d} {rng.randrange(100):02d}"
            )
            if Employer.objects.filter(office=self.office, nip=nip).exists():
                continue
            slug = "-".join(fold(name).replace(".", "").split()[:2])
            employer = services.employer_register(
                acting_user=self.manager,
                office=self.office,
                data={
                    "name": name,
                    "nip": nip,
                    "regon": regon,
                    "kind": kind,
                    "street": _street(rng),
                    "postal_code": postal,
                    "city": city,
                    "phone": phone,
                    "email": f"biuro@{slug}.example.com",
                },
            )
            first, last = contact.split(" ", 1)
            person = EmployerContact(
                employer=employer,
                name=contact,
                position=position,
                phone=_phone(rng),
                email=f"{fold(first)}.{fold(last)}@{slug}.example.com",
            )
            person.full_clean()
            person.save()
            advisor = self._employer_advisor(employer)
            services.card_entry_add(
                acting_user=advisor,
                employer=employer,
                kind=EntryKind.CONTACT,
                text=f"Rozmowa telefoniczna z osobą kontaktową ({contact}, {position}): "
                f"pracodawca zgłasza zapotrzebowanie – {offer}.",
            )
            self.result.employers_created += 1

    def _employer_advisor(self, employer: Employer) -> User:
        advisor_id = (
            AdvisorAssignment.objects.filter(employer=employer, ended_at__isnull=True)
            .values_list("advisor_id", flat=True)
            .first()
        )
        return self.by_pk.get(advisor_id or 0, self.manager)


def _nip(rng: random.Random, prefix: str) -> str:
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        body = prefix + "".join(str(rng.randrange(10)) for _ in range(9 - len(prefix)))
        check = sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11
        if check < 10:  # 10 is no digit: such numbers are never issued
            number = body + str(check)
            assert stdnum_nip.is_valid(number)  # noqa: S101 - our arithmetic vs stdnum's
            return number


def _regon(rng: random.Random) -> str:
    body = "".join(str(rng.randrange(10)) for _ in range(8))
    return body + str(stdnum_regon.calc_check_digit(body))


def seed_clients(
    *,
    offices: Sequence[Office],
    count: int,
    acting_user: User,
    stdout: OutputWrapper | None = None,
) -> DemoSummary:
    """Give each of ``offices`` (in the order of the demo offices) ``count`` demo clients.

    ``acting_user`` acts for an office without a manager (reassignment, substitution,
    employers). Call inside a transaction: a failure leaves nothing half made.
    """
    today = timezone.localdate()
    results = []
    for band, office in enumerate(offices):
        result = _OfficeSeeder(office, band, acting_user, today).seed(count)
        if stdout is not None and result.created:
            stdout.write(f"{office.name}: {result.created} demo clients created.")
        results.append(result)
    return DemoSummary(count=count, offices=results)
