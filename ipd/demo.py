"""Demo IPDs for seed_demo: plans in every state of the flow, written through ``ipd.services``.

Each office's profiled unemployed clients are shared out over the states (being prepared, in
force, refused, amended, prepared late, ended with and without work, none yet within the 60-day
term, none past it); the rest cycle through them. A state needs a profile of a certain age: a
client profiled long ago first gets the history that age implies (an earlier plan ended at its
maximum or for another reason, the analysis, a new profile through ``profiling.services``),
then the plan of the state. A jobseeker in each office gets the optional plan.

The services check dates against ``timezone.localdate()``: everything already done is dated in
the past (preparation, agreement, contacts, amendments, ends), appointments still to come in
the future. The journal entries the services write are then moved to the simulated days, and so
are the plans', versions' and contacts' creation times (a timestamp-only update, after the
services have checked every rule).

Reproducible and idempotent: each client draws from its own ``random.Random``; a client with
any plan is left alone, and the share-out is computed from dates the seeding does not change.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from clients.demo import OCCUPATIONS
from clients.models import CardEntry, Client, Registration, Sex, Status
from ipd import rules, services
from ipd.models import (
    ActionKind,
    ActionStatus,
    Contact,
    ContactChannel,
    ContactStatus,
    EndReason,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
    PlanVersion,
)
from ipd.services import ActionData
from labour_office.calendar import is_working_day
from labour_office.offices.models import Office, Post, User
from profiling import services as profiling
from profiling.models import Assessment, AssessmentStatus, FormOfAssistance, Trigger
from profiling.selectors import forms_available_to

SEED = "plans-2026"
log = logging.getLogger(__name__)

# The states every office shows first, in this order while clients last; then the rest cycle.
PRIORITY = [
    "active",
    "refused",
    "ended_work",
    "draft",
    "none_in_term",
    "none_overdue",
    "late",
    "amended",
    "ended_no_work",
]
# In an office with too few clients for every state, a plan in force is also prepared late
# and amended (the earlier plans of clients profiled long ago show the ends without work).
OVERLAYS = ("late", "amended")
CYCLE = [
    "active",
    "none_in_term",
    "amended",
    "ended_work",
    "active",
    "ended_no_work",
    "draft",
    "none_overdue",
    "active",
    "refused",
    "late",
]
# Days since the profile the state's plan is built on: (least, most). A client profiled longer
# ago gets an earlier plan and a new profile first, which needs CHAIN_DAYS more.
WINDOWS: dict[str, tuple[int, int]] = {
    "none_in_term": (3, 50),
    "draft": (3, 55),
    "none_overdue": (68, 200),
    "active": (90, 210),
    "refused": (85, 210),
    "amended": (100, 210),
    "late": (105, 255),
    "ended_work": (60, 220),
    "ended_no_work": (90, 260),
}
CHAIN_DAYS = 110
# Days a plan in force has run by today, at least.
LEAST_RUN = {"active": 60, "refused": 75, "amended": 90, "late": 40}


@dataclass(frozen=True)
class Trade:
    """What a client aims at, from the first occupation on the registration card."""

    extra: str  # after the occupation in the goal
    employers: str
    course: str
    own: str  # an own action of the trade


TRADES = {
    "sprzedawca": Trade(" w sklepie spożywczym lub dyskoncie", "sklepy sieciowe i dyskonty",
                        "kurs sprzedawcy z obsługą kasy fiskalnej i terminala płatniczego",
                        "Złożyć CV osobiście w co najmniej 3 sklepach sieciowych w okolicy"),
    "magazynier": Trade(" z uprawnieniami na wózki widłowe", "centra logistyczne i hurtownie",
                        "kurs operatora wózków jezdniowych z egzaminem UDT",
                        "Odnowić orzeczenie lekarskie o zdolności do obsługi wózków jezdniowych"),
    "księgowy": Trade(" w biurze rachunkowym lub dziale finansowym",
                      "biura rachunkowe i firmy produkcyjne",
                      "kurs „Samodzielny księgowy” z obsługą KSeF i programu Symfonia",
                      "Ukończyć e-learning Ministerstwa Finansów o KSeF i dopisać go do CV"),
    "spawacz": Trade(" metodą MAG lub TIG", "zakłady konstrukcji stalowych i ślusarnie",
                     "kurs spawania metodą TIG (141) z egzaminem Instytutu Spawalnictwa",
                     "Przygotować zdjęcia wykonanych spoin i konstrukcji na rozmowy"),
    "kucharz": Trade(" w restauracji lub stołówce", "restauracje, stołówki i firmy cateringowe",
                     "kurs kucharza z zasadami HACCP i elementami dietetyki",
                     "Zaktualizować orzeczenie do celów sanitarno-epidemiologicznych"),
    "kierowca kat. C": Trade(" w transporcie krajowym", "firmy transportowe i spedycyjne",
                             "szkolenie okresowe kierowców (kod 95) z kursem ADR",
                             "Wymienić kartę kierowcy przed upływem jej ważności"),
    "opiekun osób starszych": Trade(" w domu pomocy społecznej lub w usługach opiekuńczych",
                                    "domy pomocy społecznej i firmy usług opiekuńczych",
                                    "kurs opiekuna osoby starszej i niesamodzielnej",
                                    "Zgłosić się do ośrodka pomocy społecznej jako kandydat do "
                                    "usług opiekuńczych"),
    "informatyk": Trade(" (administrator systemów lub wsparcie techniczne)",
                        "firmy informatyczne, szkoły i urzędy",
                        "kurs administrowania sieciami z certyfikatem CompTIA Network+",
                        "Uzupełnić profil w serwisach rekrutacyjnych o projekty i certyfikaty"),
    "technik ekonomista": Trade(" w dziale administracji lub fakturowania",
                                "firmy handlowe i produkcyjne",
                                "kurs kadr i płac z obsługą programu Płatnik",
                                "Przygotować CV pod stanowiska w kadrach i księgowości"),
    "pracownik biurowy": Trade(" (sekretariat, obsługa klienta)",
                               "biura, przychodnie i firmy usługowe",
                               "kurs MS Office na poziomie średniozaawansowanym z certyfikatem",
                               "Zgłaszać się na ogłoszenia o pracy biurowej w lokalnych portalach"),
    "fryzjer": Trade(" w salonie fryzjerskim", "salony fryzjerskie i barberskie",
                     "kurs strzyżenia męskiego (barber) i koloryzacji",
                     "Przygotować zdjęcia wykonanych fryzur na rozmowy z właścicielami salonów"),
    "murarz-tynkarz": Trade(" przy budowie i wykończeniach", "firmy budowlane i remontowe",
                            "kurs montażu suchej zabudowy z płyt gipsowo-kartonowych",
                            "Wykonać badania lekarskie do pracy na wysokości do 3 m"),
    "elektryk": Trade(" z uprawnieniami SEP do 1 kV",
                      "firmy instalacyjne i działy utrzymania ruchu zakładów",
                      "kurs montażu instalacji fotowoltaicznych z certyfikatem UDT",
                      "Odnowić świadectwo kwalifikacyjne SEP (E) przed upływem ważności"),
    "mechanik pojazdów samochodowych": Trade(" w warsztacie lub serwisie",
                                             "warsztaty samochodowe i autoryzowane serwisy",
                                             "kurs obsługi klimatyzacji samochodowej z "
                                             "certyfikatem F-gazowym",
                                             "Odwiedzić osobiście warsztaty w okolicy z CV"),
    "kelner": Trade(" w restauracji lub hotelu", "restauracje, hotele i firmy cateringowe",
                    "kurs baristy i obsługi kelnerskiej przyjęć",
                    "Zgłosić się do firm obsługujących wesela i przyjęcia okolicznościowe"),
    "kasjer": Trade(" w sklepie wielkopowierzchniowym lub na stacji paliw",
                    "supermarkety i stacje paliw",
                    "kurs obsługi kasy fiskalnej i terminala płatniczego",
                    "Złożyć aplikacje w supermarketach przez ich strony z ofertami pracy"),
    "pracownik porządkowy": Trade(" przy utrzymaniu czystości",
                                  "firmy sprzątające, szpitale i biurowce",
                                  "kurs pracownika utrzymania czystości z obsługą maszyn",
                                  "Zgłosić się do firm sprzątających obsługujących biurowce"),
    "robotnik gospodarczy": Trade(" (konserwator, prace porządkowe)",
                                  "spółdzielnie mieszkaniowe, szkoły i zarządcy nieruchomości",
                                  "kurs konserwatora budynków z uprawnieniami SEP do 1 kV",
                                  "Zapytać w spółdzielniach mieszkaniowych o etat konserwatora"),
    "nauczyciel": Trade(" w szkole podstawowej lub świetlicy", "szkoły, przedszkola i świetlice",
                        "kurs kwalifikacyjny z terapii pedagogicznej",
                        "Śledzić oferty pracy w bazie kuratorium oświaty i składać dokumenty"),
    "pielęgniarz": Trade(" w szpitalu lub zakładzie opiekuńczo-leczniczym",
                         "szpitale, zakłady opiekuńczo-lecznicze i przychodnie",
                         "kurs specjalistyczny „Wykonanie i interpretacja zapisu EKG”",
                         "Zaktualizować wpis w rejestrze okręgowej izby pielęgniarek i położnych"),
    "operator maszyn produkcyjnych": Trade(" na linii produkcyjnej, praca zmianowa",
                                           "zakłady produkcyjne w strefie przemysłowej",
                                           "kurs operatora obrabiarek sterowanych numerycznie "
                                           "(CNC)",
                                           "Zarejestrować się w agencjach pracy obsługujących "
                                           "zakłady produkcyjne"),
    "technik logistyk": Trade(" (planowanie dostaw, magazyn)",
                              "centra logistyczne i firmy spedycyjne",
                              "kurs spedytora z obsługą systemu SAP",
                              "Wysłać CV z opisem znajomości SAP i WMS do centrów logistycznych"),
    "cukiernik": Trade(" w cukierni lub piekarni", "cukiernie i piekarnie",
                       "kurs dekoracji tortów i wyrobów cukierniczych",
                       "Zaktualizować orzeczenie do celów sanitarno-epidemiologicznych"),
    "krawiec": Trade(" w szwalni lub zakładzie krawieckim", "szwalnie i zakłady krawieckie",
                     "kurs szycia na maszynach przemysłowych i overlockach",
                     "Odwiedzić szwalnie w okolicy z próbkami własnych prac"),
    "ogrodnik": Trade(" przy terenach zieleni lub w centrum ogrodniczym",
                      "firmy zieleni miejskiej i centra ogrodnicze",
                      "kurs obsługi pilarek i kosiarek spalinowych",
                      "Zgłosić się do zakładu zieleni miejskiej przed sezonem wiosennym"),
    "specjalista ds. marketingu": Trade(" (media społecznościowe, kampanie online)",
                                        "agencje reklamowe i firmy handlowe",
                                        "kurs Google Ads i analityki internetowej z certyfikatem",
                                        "Przygotować portfolio zrealizowanych kampanii i "
                                        "opublikować je w sieci"),
    "pomocnik kucharza": Trade(" (pomoc kuchenna) w stołówce lub restauracji",
                               "stołówki, restauracje i firmy cateringowe",
                               "kurs pomocy kuchennej z zasadami HACCP",
                               "Zaktualizować orzeczenie do celów sanitarno-epidemiologicznych"),
    "technik administracji": Trade(" w urzędzie lub sekretariacie",
                                   "urzędy gmin, szkoły i spółdzielnie",
                                   "kurs kancelaryjno-archiwalny z elektronicznym obiegiem "
                                   "dokumentów (EZD)",
                                   "Śledzić ogłoszenia o naborze w BIP urzędów w powiecie"),
}  # fmt: skip
GENERIC_TRADE = Trade(
    "",
    "pracodawcy z powiatu",
    "szkolenie zawodowe z planu szkoleń urzędu",
    "Odwiedzić osobiście co najmniej 3 pracodawców w okolicy z CV",
)
# The card's titles (both forms) to the trade.
TITLE_TRADE = {
    title: TRADES[o.male]
    for o in OCCUPATIONS
    if o.male in TRADES
    for title in (o.male, o.female)
    if title
}


@dataclass(frozen=True)
class OfficeForm:
    description: str  # {title}, {employers}, {course}, {place}
    expected: str
    start: int  # days after the plan's start
    days: int | None  # None: until the plan ends


OFFICE_FORMS = {
    "job_placement": OfficeForm(
        "Przedstawianie ofert pracy (stanowisko: {title}) od pracodawców z branży ({employers}) "
        "w {place} i okolicy; skierowania na rozmowy kwalifikacyjne.",
        "Co najmniej 2 propozycje odpowiedniej pracy w miesiącu; zatrudnienie.",
        0,
        None,
    ),
    "vocational_counselling": OfficeForm(
        "Indywidualna porada zawodowa: rozmowa z doradcą zawodowym i test predyspozycji, "
        "potwierdzenie kierunku ({title}) lub wybór zawodu pokrewnego; zajęcia z autoprezentacji.",
        "Ustalony kierunek rozwoju zawodowego i przygotowane CV oraz list motywacyjny.",
        3,
        35,
    ),
    "training_plan": OfficeForm(
        "Skierowanie na szkolenie z planu szkoleń urzędu: {course}.",
        "Ukończone szkolenie (zaświadczenie) i zdany egzamin.",
        21,
        60,
    ),
    "training_indicated": OfficeForm(
        "Szkolenie wskazane przez [klienta|klientkę]: {course}, z deklaracją zatrudnienia od "
        "pracodawcy.",
        "Ukończone szkolenie i zatrudnienie u pracodawcy, który złożył deklarację.",
        21,
        60,
    ),
    "exam_costs": OfficeForm(
        "Sfinansowanie egzaminu potwierdzającego kwalifikacje ({course}).",
        "Uzyskane uprawnienia, wpisane do karty rejestracyjnej.",
        30,
        45,
    ),
    "travel_costs": OfficeForm(
        "Zwrot kosztów przejazdu na szkolenie i rozmowy kwalifikacyjne poza miejscem zamieszkania.",
        "Udział w szkoleniu i rozmowach bez przeszkód finansowych.",
        21,
        90,
    ),
    "traineeship": OfficeForm(
        "Staż na stanowisku {title} u pracodawcy z branży ({employers}), 6 miesięcy.",
        "Doświadczenie zawodowe i zatrudnienie po zakończeniu stażu.",
        45,
        180,
    ),
    "intervention_works": OfficeForm(
        "Skierowanie do prac interwencyjnych (stanowisko: {title}); urząd refunduje pracodawcy "
        "część wynagrodzenia.",
        "Zatrudnienie na co najmniej 6 miesięcy z perspektywą dalszej pracy.",
        40,
        180,
    ),
    "agency_contract": OfficeForm(
        "Zlecenie agencji zatrudnienia doprowadzenia [klienta|klientki] do zatrudnienia "
        "(stanowisko: "
        "{title}).",
        "Zatrudnienie utrzymane co najmniej 6 miesięcy.",
        30,
        180,
    ),
    "supported_employment": OfficeForm(
        "Zatrudnienie wspierane u pracodawcy (stanowisko: {title}) z pomocą asystenta pracy.",
        "Stabilne zatrudnienie po okresie wsparcia.",
        60,
        180,
    ),
    "social_cooperative_job": OfficeForm(
        "Pomoc w podjęciu pracy w spółdzielni socjalnej działającej w branży ({employers}).",
        "Zatrudnienie w spółdzielni socjalnej.",
        60,
        120,
    ),
    "pai": OfficeForm(
        "Skierowanie do Programu Aktywizacja i Integracja (z ośrodkiem pomocy społecznej): "
        "warsztaty integracji społecznej i prace społecznie użyteczne.",
        "Ukończony program i gotowość do podjęcia zatrudnienia.",
        21,
        120,
    ),
    "activation_contracted_wup": OfficeForm(
        "Udział w działaniach aktywizacyjnych zleconych przez wojewódzki urząd pracy dla osób "
        "długotrwale bezrobotnych.",
        "Zatrudnienie lub udział w kolejnej formie wsparcia.",
        30,
        180,
    ),
    "business_startup_grant": OfficeForm(
        "Pomoc w przygotowaniu wniosku o jednorazowe środki na podjęcie działalności "
        "gospodarczej (usługi: {title}); konsultacja biznesplanu.",
        "Rozpatrzony wniosek i zarejestrowana działalność.",
        14,
        60,
    ),
    "employment_voucher": OfficeForm(
        "Bon zatrudnieniowy dla pracodawcy, który zatrudni [klienta|klientkę] (stanowisko: "
        "{title}).",
        "Zatrudnienie u pracodawcy, który przyjmie bon.",
        14,
        90,
    ),
    "training_voucher": OfficeForm(
        "Bon szkoleniowy na szkolenie wskazane przez [klienta|klientkę]: {course}.",
        "Ukończone szkolenie i uzyskane uprawnienia.",
        14,
        60,
    ),
    "wage_subsidy_50_plus": OfficeForm(
        "Dofinansowanie wynagrodzenia dla pracodawcy, który zatrudni [klienta|klientkę] w wieku "
        "50+ "
        "(stanowisko: {title}).",
        "Zatrudnienie na co najmniej 12 miesięcy.",
        30,
        365,
    ),
    "job_fair_travel": OfficeForm(
        "Zorganizowany przejazd na targi pracy wojewódzkiego urzędu pracy.",
        "Rozmowy z co najmniej 3 pracodawcami na targach.",
        30,
        30,
    ),
    "workstation_refund": OfficeForm(
        "Kierowanie do pracodawców, którym urząd refunduje wyposażenie stanowiska pracy "
        "(stanowisko: {title}).",
        "Zatrudnienie na doposażonym stanowisku.",
        30,
        120,
    ),
}
# The first form of a profile's plan, then the ones drawn from (if the client may get them).
FORMS_BY_PROFILE: dict[str, tuple[str, list[str]]] = {
    "I": ("job_placement", ["training_plan", "exam_costs", "travel_costs",
                            "vocational_counselling", "business_startup_grant",
                            "employment_voucher", "training_voucher"]),
    "II": ("job_placement", ["vocational_counselling", "training_plan", "traineeship",
                             "intervention_works", "employment_voucher", "training_voucher",
                             "wage_subsidy_50_plus", "agency_contract", "travel_costs",
                             "workstation_refund", "training_indicated"]),
    "III": ("vocational_counselling", ["pai", "activation_contracted_wup",
                                       "supported_employment", "social_cooperative_job",
                                       "agency_contract"]),
    "": ("job_placement", ["vocational_counselling", "training_plan", "job_fair_travel"]),
}  # fmt: skip
PLACEMENT_FORMS = {
    "job_placement",
    "job_fair_travel",
    "agency_contract",
    "intervention_works",
    "traineeship",
    "employment_voucher",
    "wage_subsidy_50_plus",
    "supported_employment",
    "workstation_refund",
}
COUNSELLING_FORMS = {"vocational_counselling", "pai", "social_cooperative_job"}
JUSTIFICATIONS = {
    "vocational_counselling": "Klient[|ka] nie ma sprecyzowanego celu zawodowego i rozważa "
    "zmianę branży; bez porady zawodowej trudno dobrać szkolenie.",
    "training_plan": "Oferty pracy w powiecie wymagają uprawnień, których klient[|ka] nie ma; "
    "bez szkolenia nie podejmie pracy w zawodzie.",
    "exam_costs": "Klient[|ka] ma doświadczenie w zawodzie; brakuje [mu|jej] tylko formalnego "
    "potwierdzenia kwalifikacji, którego wymagają pracodawcy.",
    "travel_costs": "Szkolenie i oferty są poza miejscem zamieszkania, a klient[|ka] nie ma "
    "samochodu; koszt dojazdu przekracza [jego|jej] możliwości.",
    "business_startup_grant": "Klient[|ka] ma wieloletnie doświadczenie w zawodzie i "
    "deklaracje współpracy od przyszłych klientów; przedstawił[|a] wstępny biznesplan.",
    "employment_voucher": "Pracodawca zadeklarował zatrudnienie [klienta|klientki] z bonem; to "
    "najkrótsza droga do pracy.",
    "training_voucher": "Klient[|ka] wskazał[|a] szkolenie, po którym pracodawca zadeklarował "
    "zatrudnienie.",
}
GENERIC_JUSTIFICATION = (
    "Z rozmowy z doradcą wynika, że bez tej formy pomocy klient[|ka] nie ma realnej szansy na "
    "pracę w zawodzie."
)
# Forms one plan takes one of: the trainings, the subsidised jobs.
ALTERNATIVES = [
    {"training_plan", "training_indicated", "training_voucher"},
    {"traineeship", "intervention_works", "employment_voucher", "wage_subsidy_50_plus",
     "workstation_refund", "supported_employment", "social_cooperative_job"},
]  # fmt: skip
APPLY_PER_MONTH = {"I": 6, "II": 4, "III": 2, "": 4}

CONTACT_ARRANGEMENTS = [
    "Kontakt telefoniczny co 30 dni, spotkanie w urzędzie co 60 dni.",
    "Spotkanie z doradcą klienta w urzędzie co 45 dni; między spotkaniami kontakt e-mailowy.",
    "Kontakt telefoniczny co 2 tygodnie w czasie szkolenia, spotkanie w urzędzie co 60 dni.",
    "Spotkanie w urzędzie co 30 dni; klient[|ka] zgłasza telefonicznie każdą rozmowę "
    "kwalifikacyjną.",
]
NO_PHONE_ARRANGEMENT = (
    "Spotkanie w urzędzie co 30 dni; zaproszenia na spotkania listem (klient[|ka] nie ma telefonu)."
)
HELD_OUTCOMES = {
    ContactChannel.IN_PERSON: [
        "Omówiono realizację planu; klient[|ka] złożył[|a] {n} aplikacje i był[|a] na jednej "
        "rozmowie kwalifikacyjnej.",
        "Przedstawiono {n} oferty pracy; [klient przyjął|klientka przyjęła] skierowania do "
        "dwóch pracodawców.",
        "Zaktualizowano CV [klienta|klientki] i ustalono listę pracodawców do odwiedzenia.",
        "Klient[|ka] przedstawił[|a] potwierdzenia {n} aplikacji; czeka na odpowiedź z jednej "
        "firmy.",
        "Omówiono oferty z ostatniego miesiąca; klient[|ka] był[|a] u {n} pracodawców.",
    ],
    ContactChannel.PHONE: [
        "Rozmowa telefoniczna: klient[|ka] czeka na odpowiedź pracodawcy po rozmowie "
        "kwalifikacyjnej.",
        "Rozmowa telefoniczna: klient[|ka] potwierdził[|a] gotowość do pracy i złożył[|a] {n} "
        "aplikacje.",
        "Rozmowa telefoniczna: przekazano nową ofertę pracy, klient[|ka] zgłosi się do pracodawcy.",
    ],
    ContactChannel.EMAIL: [
        "Klient[|ka] przesłał[|a] e-mailem listę {n} aplikacji z ostatniego miesiąca.",
        "Wymiana e-maili: przesłano [klientowi|klientce] {n} oferty pracy, potwierdził[|a] odbiór.",
    ],
}
MISSED_NOTES = [
    "Klient[|ka] nie stawił[|a] się w wyznaczonym terminie; wysłano wezwanie listem poleconym.",
    "[Klient nie przyszedł|Klientka nie przyszła], telefon nieodbierany; pozostawiono "
    "wiadomość z nowym terminem.",
    "Klient[|ka] nie stawił[|a] się; nieobecność usprawiedliwił[|a] później zwolnieniem lekarskim.",
]
PLANNED_NOTES = [
    "Termin ustalony na ostatnim spotkaniu.",
    "Zaproszenie wysłane SMS-em.",
    "Wezwanie do osobistego stawiennictwa wysłane listem.",
]
# Texts about the client take the client's sex: "[masculine|feminine]".
REFUSALS = [
    "Klient[|ka] nie zgodził[|a] się na plan: uważa, że sam[|a] znajdzie pracę, i nie chce "
    "uczestniczyć w szkoleniu. Pouczon[y|a] o skutkach odmowy.",
    "Klient[|ka] odmówił[|a] uzgodnienia planu, bo nie akceptuje pracy zmianowej ani dojazdów "
    "poza miejsce zamieszkania. Pouczon[y|a] o skutkach odmowy.",
    "Klient[|ka] odmówił[|a] podpisania planu, nie zgadza się na proponowany staż. Pouczon[y|a] "
    "o skutkach odmowy; plan realizowany w zakresie pośrednictwa pracy.",
]
LATE_REASONS = [
    "Klient[|ka] przebywał[|a] na zwolnieniu lekarskim przez 5 tygodni i nie [mógł|mogła] "
    "stawić się w urzędzie.",
    "Nieobecność doradcy klienta (zwolnienie lekarskie) i brak wcześniejszego wolnego terminu.",
    "Klient[|ka] dwukrotnie nie stawił[|a] się w wyznaczonym terminie; nieobecności "
    "usprawiedliwił[|a] opieką nad chorym dzieckiem.",
]
WORK_OUTCOMES = [
    "Klient[|ka] poinformował[|a] o podjęciu pracy (stanowisko: {title}) od {day}: umowa o pracę "
    "na czas określony, pełny etat.",
    "Klient[|ka] [podjął|podjęła] pracę (stanowisko: {title}) od {day} u pracodawcy, do którego "
    "[skierował go|skierował ją] urząd; umowa o pracę na rok.",
    "Klient[|ka] przedstawił[|a] umowę o pracę (stanowisko: {title}) od {day}, 3/4 etatu.",
]
ANALYSIS_ATTENDANCE = [
    "Klient[|ka] stawiał[|a] się na wszystkie kontakty.",
    "Klient[|ka] opuścił[|a] jeden termin, pozostałe kontakty odbyły się zgodnie z planem.",
    "Kontakty odbywały się nieregularnie, głównie telefonicznie.",
]
ANALYSIS_BARRIERS = [
    "Pracodawcy oczekiwali aktualnego doświadczenia w zawodzie, którego klient[|ka] nie ma.",
    "Klient[|ka] nie przyjmuje pracy zmianowej ani dojazdów poza miejsce zamieszkania.",
    "Oferty w zawodzie są w powiecie nieliczne i sezonowe.",
    "Stan zdrowia ogranicza [klientowi|klientce] pracę fizyczną.",
]
ANALYSIS_NEXT = [
    "Wniosek: ponownie ustalić profil i przygotować nowy plan ze stażem u pracodawcy.",
    "Wniosek: ponownie ustalić profil; rozważyć prace interwencyjne lub zatrudnienie wspierane.",
    "Wniosek: ponownie ustalić profil i skierować [klienta|klientkę] do doradcy zawodowego.",
]
NOT_DONE = {
    "": [
        "Pracodawca wycofał ofertę przed rozpoczęciem.",
        "Brak środków w limicie urzędu na ten rok.",
    ],
    "training_plan": ["Klient[|ka] nie [zgłosił|zgłosiła] się na szkolenie z powodu choroby."],
    "training_indicated": ["Instytucja szkoleniowa odwołała kurs z powodu braku chętnych."],
    "training_voucher": ["Instytucja szkoleniowa odwołała kurs z powodu braku chętnych."],
    "vocational_counselling": ["Klient[|ka] nie [stawił się|stawiła się] na dwa terminy porady."],
}
MAXIMUM_LEAD = "Plan zakończony z upływem maksymalnego okresu."
OTHER_END_LEADS = [
    "Plan zakończony po zmianie sytuacji [klienta|klientki] (długotrwała choroba, ponad 3 "
    "miesiące).",
    "Plan zakończony: klient[|ka] zmienił[|a] miejsce zamieszkania w obrębie powiatu i cel "
    "zawodowy.",
    "Plan zakończony na wniosek doradcy: cel zawodowy okazał się nierealny.",
]
AMENDMENT_REASONS_ACTION = [
    "Klient[|ka] ukończył[|a] pierwsze działania planu; dodano kolejną formę pomocy: {form}.",
    "Pracodawca zadeklarował zatrudnienie [klienta|klientki]; dodano do planu: {form}.",
]
AMENDMENT_REASONS_CONTACT = [
    "Zmiana sytuacji rodzinnej [klienta|klientki] (opieka nad członkiem rodziny): część spotkań "
    "w urzędzie zastąpiono kontaktem telefonicznym.",
    "Klient[|ka] [podjął|podjęła] dorywczą pracę w godzinach porannych: spotkania przeniesiono "
    "na popołudnia, kontakt telefoniczny co 30 dni.",
]
AMENDED_ARRANGEMENT = (
    "Kontakt telefoniczny co 30 dni, spotkanie w urzędzie co 60 dni w godzinach od 14 do 16."
)
AMENDMENT_REASON_OWN = (
    "Klient[|ka] rozszerzył[|a] obszar poszukiwań pracy; dodano działanie własne."
)
REPROFILE_REASON = (
    "Po zakończeniu planu bez zatrudnienia: [klient potrzebuje|klientka potrzebuje] "
    "intensywniejszego wsparcia, niż wynika z kwestionariusza."
)
EXTRA_OWN = "Szukać ofert także w sąsiednich powiatach i zgłaszać się na rozmowy"


def _place(office: Office) -> str:
    """The office's town in the locative, as in its name: "w Piasecznie"."""
    _, _, place = office.name.rpartition(" w ")
    return place or office.city


_SEX_FORMS = re.compile(r"\[([^|\]]*)\|([^\]]*)\]")


def _sexed(text: str, female: bool) -> str:
    """The text with each "[masculine|feminine]" in the client's form."""
    return _SEX_FORMS.sub(lambda m: m.group(2 if female else 1), text)


def _rivals(code: str, chosen: Iterable[str]) -> bool:
    """Whether the plan already has this form or an alternative to it."""
    group = next((g for g in ALTERNATIVES if code in g), {code})
    return any(c in group for c in chosen)


def _trade_and_title(client: Client) -> tuple[Trade, str]:
    first = client.occupations.split(";")[0].split(" (")[0].strip()
    return TITLE_TRADE.get(first, GENERIC_TRADE), first or "pracownik"


def _working(day: date, lo: date, hi: date) -> date:
    """The working day nearest before ``day`` within [lo, hi], else after it, else ``day``."""
    for offset in range(8):
        candidate = day - timedelta(days=offset)
        if candidate < lo:
            break
        if candidate <= hi and is_working_day(candidate):
            return candidate
    for offset in range(1, 8):
        candidate = day + timedelta(days=offset)
        if candidate > hi:
            break
        if candidate >= lo and is_working_day(candidate):
            return candidate
    return min(max(day, lo), hi)


def _known(day: date | None) -> date:
    """A date the flow has set by now (a determined profile's, an agreed plan's)."""
    if day is None:
        raise RuntimeError("demo plan out of order: a date is not set yet")
    return day


def _shift(day: date, days: int) -> date:
    return day + timedelta(days=days)


@dataclass
class _Clock:
    """Simulated office hours: later events, later times, never after now."""

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
class _Times:
    """Simulated times of what the services stamped with the real time."""

    entries: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    plans: dict[int, datetime] = field(default_factory=dict)
    versions: dict[int, datetime] = field(default_factory=dict)
    contacts: dict[int, datetime] = field(default_factory=dict)

    def apply(self, after_entry: int) -> None:
        """Move the journal entries written after ``after_entry``; a client whose entries do
        not match what was recorded is left as the services stamped it."""
        found: dict[int, list[int]] = defaultdict(list)
        for pk, client_id in (
            CardEntry.objects.filter(pk__gt=after_entry, client_id__in=list(self.entries))
            .order_by("pk")
            .values_list("pk", "client_id")
        ):
            found[client_id].append(pk)
        rows = [
            CardEntry(pk=pk, created_at=moment)
            for client_id, moments in self.entries.items()
            if len(found[client_id]) == len(moments)
            for pk, moment in zip(found[client_id], moments, strict=True)
        ]
        unmatched = [c for c, moments in self.entries.items() if len(found[c]) != len(moments)]
        if unmatched:
            log.warning("seed_plans left the journal times of clients %s as written", unmatched)
        CardEntry.objects.bulk_update(rows, ["created_at"], batch_size=1000)
        IndividualActionPlan.objects.bulk_update(
            [
                IndividualActionPlan(pk=pk, created_at=t, updated_at=t)
                for pk, t in self.plans.items()
            ],
            ["created_at", "updated_at"],
            batch_size=1000,
        )
        PlanVersion.objects.bulk_update(
            [PlanVersion(pk=pk, created_at=t) for pk, t in self.versions.items()],
            ["created_at"],
            batch_size=1000,
        )
        Contact.objects.bulk_update(
            [Contact(pk=pk, created_at=t) for pk, t in self.contacts.items()],
            ["created_at"],
            batch_size=1000,
        )


@dataclass
class _Person:
    """One client being seeded: who acts, with what in mind, on which simulated clock."""

    client: Client
    advisor: User
    rng: random.Random
    clock: _Clock
    trade: Trade
    title: str
    place: str
    placement: User
    counsellor: User

    def say(self, text: str) -> str:
        return _sexed(text, self.client.sex == Sex.FEMALE)


@dataclass(frozen=True)
class _Candidate:
    client_id: int
    age: int  # days since the profile the share-out is based on


def _window(tags: tuple[str, ...]) -> tuple[int, int]:
    """The days since the profile that suit a state and its overlays."""
    return max(WINDOWS[t][0] for t in tags), min(WINDOWS[t][1] for t in tags)


def _feasible(age: int, tags: tuple[str, ...]) -> bool:
    least, most = _window(tags)
    return least <= most and (least <= age <= most or age >= least + CHAIN_DAYS)


def share_out(candidates: list[_Candidate]) -> dict[int, tuple[str, ...]]:
    """The state of each profiled client of an office (with its overlays): every state once
    while clients last, each to the client it fits best; then the cycle."""
    shares: dict[int, tuple[str, ...]] = {}
    flexibility = {c.client_id: sum(_feasible(c.age, (s,)) for s in WINDOWS) for c in candidates}
    for state in PRIORITY:
        fitting = [
            c for c in candidates if c.client_id not in shares and _feasible(c.age, (state,))
        ]
        if not fitting:
            continue
        least, most = WINDOWS[state]
        best = min(
            fitting,
            key=lambda c: (not least <= c.age <= most, flexibility[c.client_id], c.client_id),
        )
        shares[best.client_id] = (state,)
    ages = {c.client_id: c.age for c in candidates}
    for overlay in OVERLAYS:
        if any(overlay in tags for tags in shares.values()):
            continue
        for client_id, tags in shares.items():
            if tags[0] == "active" and _feasible(ages[client_id], (*tags, overlay)):
                shares[client_id] = (*tags, overlay)
                break
    turn = 0
    for candidate in candidates:
        if candidate.client_id in shares:
            continue
        for step in range(len(CYCLE)):
            state = CYCLE[(turn + step) % len(CYCLE)]
            if _feasible(candidate.age, (state,)):
                shares[candidate.client_id] = (state,)
                turn += step + 1
                break
    return shares


class _Seeder:
    def __init__(self, today: date) -> None:
        self.today = today
        self.now = timezone.now()
        self.times = _Times()
        self.made: Counter[str] = Counter()
        self.office_made: Counter[str] = Counter()
        self.skipped: list[str] = []
        self.forms = {f.code: f for f in FormOfAssistance.objects.filter(is_active=True)}

    # --- Who ----------------------------------------------------------------------------

    def _staff(self, office: Office, advisor: User, post: str) -> User:
        if advisor.post == post:
            return advisor
        staff = User.objects.filter(office=office, is_active=True, post=post).order_by(
            "-is_customer_advisor", "pk"
        )
        return staff.first() or advisor

    def person(self, client: Client) -> _Person:
        rng = random.Random(f"{SEED}:{client.pesel or client.document_number}")  # noqa: S311
        advisor = client.assignments.filter(ended_at__isnull=True).get().advisor
        trade, title = _trade_and_title(client)
        return _Person(
            client=client,
            advisor=advisor,
            rng=rng,
            clock=_Clock(rng, self.now),
            trade=trade,
            title=title,
            place=_place(client.office),
            placement=self._staff(client.office, advisor, Post.JOB_PLACEMENT_OFFICER),
            counsellor=self._staff(client.office, advisor, Post.CAREER_COUNSELLOR),
        )

    def entry(self, person: _Person, day: date) -> datetime:
        """One journal entry the last service call wrote, at its simulated time."""
        moment = person.clock.at(day)
        self.times.entries[person.client.pk].append(moment)
        return moment

    # --- The content of a plan ------------------------------------------------------------

    def goals(self, person: _Person, profile: str) -> str:
        client, rng = person.client, person.rng
        if client.disability_degree:
            hours = "3/4 etatu, stanowisko dostosowane do orzeczenia o niepełnosprawności"
        elif client.cares_for_child_under_6:
            hours = "3/4 etatu lub pełny etat w godzinach od 7 do 15 (opieka nad dzieckiem)"
        else:
            hours = rng.choice(
                ["pełny etat", "pełny etat, praca jednozmianowa", "pełny etat lub 3/4 etatu"]
            )
        where = f"w {person.place} lub okolicy"
        if client.office.city in ("Piaseczno", "Wołomin") and rng.random() < 0.3:
            where = f"w {person.place} lub w Warszawie (dojazd komunikacją publiczną)"
        if profile == "III":
            return (
                f"Podjęcie pracy jako {person.title}{person.trade.extra} {where}, {hours}; "
                "na początek zatrudnienie wspierane lub w spółdzielni socjalnej."
            )
        return f"Praca jako {person.title}{person.trade.extra} {where}, {hours}."

    def arrangements(self, person: _Person) -> str:
        if not person.client.has_phone:
            return person.say(NO_PHONE_ARRANGEMENT)
        options = CONTACT_ARRANGEMENTS if person.client.has_email else CONTACT_ARRANGEMENTS[::2]
        return person.say(person.rng.choice(options))

    def office_action(
        self, person: _Person, plan: IndividualActionPlan, code: str, needs_reason: bool, on: date
    ) -> ActionData:
        spec = OFFICE_FORMS[code]
        starts_on = min(_shift(on, spec.start), plan.ends_on)
        ends_on = plan.ends_on if spec.days is None else _shift(starts_on, spec.days)
        if code in PLACEMENT_FORMS:
            responsible = person.placement
        elif code in COUNSELLING_FORMS:
            responsible = person.counsellor
        else:
            responsible = person.advisor
        return ActionData(
            kind=ActionKind.OFFICE,
            form=self.forms[code],
            description=person.say(spec.description).format(
                title=person.title,
                employers=person.trade.employers,
                course=person.trade.course,
                place=person.place,
            ),
            justification=person.say(JUSTIFICATIONS.get(code, GENERIC_JUSTIFICATION))
            if needs_reason
            else "",
            starts_on=_working(starts_on, max(on, plan.starts_on), plan.ends_on),
            ends_on=min(ends_on, plan.ends_on),
            responsible=responsible,
            expected_result=spec.expected,
        )

    def offered(self, person: _Person, on: date) -> dict[str, bool]:
        """The forms this client may get on the day, with whether a reason is needed."""
        return {
            form.code: availability.needs_justification
            for form, availability in forms_available_to(person.client, on)
            if form.code in OFFICE_FORMS
        }

    def choose_forms(self, person: _Person, profile: str, on: date) -> list[tuple[str, bool]]:
        offered = self.offered(person, on)
        first, rest = FORMS_BY_PROFILE[profile]
        pool = [code for code in rest if code in offered]
        person.rng.shuffle(pool)
        extra = 1 if profile in ("I", "") else person.rng.randint(1, 2)
        chosen = [first] if first in offered else []
        for code in pool:
            if len(chosen) < 1 + extra and not _rivals(code, chosen):
                chosen.append(code)
        if not chosen and offered:
            chosen = [sorted(offered)[0]]
        return [(code, offered[code]) for code in chosen]

    def own_actions(self, person: _Person, plan: IndividualActionPlan) -> list[ActionData]:
        per_month = APPLY_PER_MONTH[plan.profile]
        return [
            ActionData(
                kind=ActionKind.OWN,
                description=f"Aplikować na co najmniej {per_month} oferty miesięcznie i "
                "zgłaszać je doradcy",
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                expected_result="Lista aplikacji przedstawiana przy każdym kontakcie z doradcą.",
            ),
            ActionData(
                kind=ActionKind.OWN,
                description=person.trade.own,
                starts_on=plan.starts_on,
                ends_on=min(_shift(plan.starts_on, 45), plan.ends_on),
                expected_result="Potwierdzenie przedstawione doradcy.",
            ),
        ]

    # --- Preparing ----------------------------------------------------------------------

    def prepare(
        self,
        person: _Person,
        *,
        start: date,
        ends_on: date | None = None,
        from_plan: IndividualActionPlan | None = None,
        lean: bool = False,
    ) -> IndividualActionPlan:
        """A plan prepared from ``start``: goals, contact terms, the office's actions and the
        client's own (a ``lean`` one, of the history, has one of each)."""
        advisor = person.advisor
        plan = services.plan_prepare(
            acting_user=advisor, client=person.client, on=start, from_plan=from_plan
        )
        moment = self.entry(person, start)
        self.times.plans[plan.pk] = moment
        chosen = [] if from_plan else self.choose_forms(person, plan.profile, start)
        chosen = chosen[:1] if lean else chosen
        specialists = list(plan.specialists.all()) if from_plan else []
        counselling = any(code == "vocational_counselling" for code, _ in chosen)
        if counselling and person.counsellor.pk != advisor.pk:
            specialists.append(person.counsellor)
        plan = services.plan_update(
            acting_user=advisor,
            plan=plan,
            data={
                "goals": plan.goals if from_plan else self.goals(person, plan.profile),
                "starts_on": plan.starts_on,
                "ends_on": min(ends_on, plan.ends_on) if ends_on else plan.ends_on,
                "contact_arrangements": plan.contact_arrangements or self.arrangements(person),
                "specialists": specialists,
            },
        )
        for code, needs_reason in chosen:
            data = self.office_action(person, plan, code, needs_reason, start)
            services.action_add(acting_user=advisor, plan=plan, data=data, on=start)
        own = [] if from_plan else self.own_actions(person, plan)
        for data in own[:1] if lean else own:
            services.action_add(acting_user=advisor, plan=plan, data=data, on=start)
        return plan

    def agree(
        self,
        person: _Person,
        plan: IndividualActionPlan,
        *,
        refused: bool = False,
        late: bool = False,
    ) -> IndividualActionPlan:
        plan = services.plan_agree(
            acting_user=person.advisor,
            plan=plan,
            prepared_on=plan.starts_on,
            agreed=not refused,
            refusal_note=person.say(person.rng.choice(REFUSALS)) if refused else "",
            late_reason=person.say(person.rng.choice(LATE_REASONS)) if late else "",
        )
        moment = self.entry(person, plan.starts_on)
        for version in plan.versions.all():
            self.times.versions[version.pk] = moment
        return plan

    # --- While it runs ------------------------------------------------------------------

    def contact(
        self,
        person: _Person,
        plan: IndividualActionPlan,
        day: date,
        status: str,
        *,
        outcome: str = "",
    ) -> Contact:
        rng = person.rng
        if status == ContactStatus.MISSED:
            channel = ContactChannel.IN_PERSON
            note = person.say(rng.choice(MISSED_NOTES))
        else:
            channels = [ContactChannel.IN_PERSON, ContactChannel.IN_PERSON]
            if person.client.has_phone:
                channels.append(ContactChannel.PHONE)
            if person.client.has_email and person.client.consents_to_electronic_contact:
                channels.append(ContactChannel.EMAIL)
            channel = rng.choice(channels)
            note = ""
            text = person.say(rng.choice(HELD_OUTCOMES[channel]))
            outcome = outcome or text.format(n=rng.randint(2, 4))
        made = services.contact_add(
            acting_user=person.advisor,
            plan=plan,
            status=status,
            contact_on=day,
            channel=channel,
            staff=person.advisor,
            outcome=outcome,
            note=note,
        )
        self.times.contacts[made.pk] = self.entry(person, day)
        return made

    def contact_dates(
        self, rng: random.Random, start: date, last: date | None, missed: str, until: date
    ) -> list[tuple[date, str]]:
        """Held contacts every 4 to 8 weeks back from ``last`` (6 to 8 in a plan that has
        ended: its history is kept lean), none before the start; and a
        missed appointment ("between" two contacts, or "after" the last one: then it is why
        the next contact is overdue; "" for none)."""
        held: set[date] = set()
        day = last
        while day is not None and day > _shift(start, 7):
            held.add(_working(day, _shift(start, 1), until))
            step = rng.randint(28, 55) if until >= self.today else rng.randint(42, 58)
            day = _shift(day, -step)
        events = [(d, str(ContactStatus.HELD)) for d in sorted(held)]
        points = [start, *sorted(held)]
        gaps = [(a, b) for a, b in itertools.pairwise(points) if (b - a).days > 12]
        if missed == "between" and gaps:
            a, b = rng.choice(gaps)
            day = _shift(b, -rng.randint(5, min(10, (b - a).days - 2)))
        elif missed:
            day = _shift(points[-1], rng.randint(20, 35))
        else:
            return events
        if day < until:
            events.append((_working(day, _shift(start, 1), until), str(ContactStatus.MISSED)))
        return sorted(events)

    def run(
        self,
        person: _Person,
        plan: IndividualActionPlan,
        *,
        until: date,
        last_held: date | None,
        missed: str = "",
        amendments: int = 0,
        final: tuple[date, str] | None = None,
    ) -> None:
        """What happens between the start and ``until``, in order: contacts, actions starting
        and finishing, amendments; ``final`` is a last held contact with its outcome."""
        queue: list[tuple[date, int, int, Callable[[], object]]] = []
        sequence = itertools.count()

        def push(day: date, order: int, step: Callable[[], object]) -> None:
            heapq.heappush(queue, (day, order, next(sequence), step))

        def schedule(action: PlanAction | None) -> None:
            """Done (or not) once over; in progress if still under way in a plan in force
            (an ended plan's unfinished actions are closed by the end)."""
            if action is None or action.starts_on > until:
                return
            if action.ends_on < until:
                push(action.ends_on, 2, partial(self.set_status, person, action, "end"))
            elif until >= self.today:
                push(action.starts_on, 0, partial(self.set_status, person, action, "start"))

        def amend(day: date, n: int) -> None:
            schedule(self.amend(person, plan, day, n))

        for action in plan.actions.select_related("form").order_by("position", "pk"):
            schedule(action)
        for day, status in self.contact_dates(person.rng, plan.starts_on, last_held, missed, until):
            push(day, 1, partial(self.contact, person, plan, day, status))
        length = (until - plan.starts_on).days
        for n in range(amendments):
            day = _shift(plan.starts_on, length * (n + 1) // (amendments + 1))
            day = _working(day, _shift(plan.starts_on, 7), until)
            push(day, 3, partial(amend, day, n))
        if final is not None:
            day, outcome = final
            push(
                day,
                4,
                partial(self.contact, person, plan, day, ContactStatus.HELD, outcome=outcome),
            )
        while queue:
            *_, step = heapq.heappop(queue)
            step()

    def set_status(self, person: _Person, action: PlanAction, when: str) -> None:
        rng = person.rng
        if when == "start":
            status, day, reason = ActionStatus.IN_PROGRESS, action.starts_on, ""
        elif action.kind == ActionKind.OFFICE and rng.random() < 0.12:
            status, day = ActionStatus.NOT_DONE, action.ends_on
            code = action.form.code if action.form else ""
            reason = person.say(rng.choice(NOT_DONE.get(code, NOT_DONE[""])))
        else:
            status, day, reason = ActionStatus.DONE, action.ends_on, ""
        services.action_set_status(
            acting_user=person.advisor, action=action, status=status, reason=reason, on=day
        )
        self.entry(person, day)

    def amend(
        self, person: _Person, plan: IndividualActionPlan, day: date, n: int
    ) -> PlanAction | None:
        """One amendment agreed on ``day``: another form of help, or new contact terms."""
        rng, advisor = person.rng, person.advisor
        plan = services.plan_amend_start(acting_user=advisor, plan=plan)
        added: PlanAction | None = None
        reason = ""
        if n == 0:
            present = set(plan.actions.exclude(form=None).values_list("form__code", flat=True))
            offered = self.offered(person, day)
            _first, rest = FORMS_BY_PROFILE[plan.profile]
            codes = [c for c in rest if c in offered and not _rivals(c, present)]
            if codes:
                code = rng.choice(codes)
                data = self.office_action(person, plan, code, offered[code], day)
                if data.starts_on <= data.ends_on:
                    added = services.action_add(acting_user=advisor, plan=plan, data=data, on=day)
                    name = self.forms[code].name_pl
                    reason = person.say(rng.choice(AMENDMENT_REASONS_ACTION)).format(form=name)
            if added is None:
                added = services.action_add(
                    acting_user=advisor,
                    plan=plan,
                    data=ActionData(
                        kind=ActionKind.OWN,
                        description=EXTRA_OWN,
                        starts_on=max(day, plan.starts_on),
                        ends_on=plan.ends_on,
                        expected_result="Co najmniej 2 aplikacje miesięcznie poza powiatem.",
                    ),
                    on=day,
                )
                reason = person.say(AMENDMENT_REASON_OWN)
        else:
            services.plan_update(
                acting_user=advisor,
                plan=plan,
                data={
                    "goals": plan.goals,
                    "starts_on": plan.starts_on,
                    "ends_on": plan.ends_on,
                    "contact_arrangements": AMENDED_ARRANGEMENT,
                    "specialists": list(plan.specialists.all()),
                },
            )
            reason = person.say(rng.choice(AMENDMENT_REASONS_CONTACT))
        version = services.plan_amend_agree(
            acting_user=advisor, plan=plan, reason=reason, agreed_on=day
        )
        self.times.versions[version.pk] = self.entry(person, day)
        return added

    def plan_contact(self, person: _Person, plan: IndividualActionPlan, day: date) -> None:
        made = services.contact_add(
            acting_user=person.advisor,
            plan=plan,
            status=ContactStatus.PLANNED,
            contact_on=day,
            channel=ContactChannel.IN_PERSON,
            staff=person.advisor,
            note=person.rng.choice(PLANNED_NOTES),
        )
        self.times.contacts[made.pk] = self.entry(person, self.today)

    def end(
        self,
        person: _Person,
        plan: IndividualActionPlan,
        day: date,
        reason: str,
        analysis: str = "",
    ) -> Assessment | None:
        again = services.plan_end(
            acting_user=person.advisor, plan=plan, ended_on=day, reason=reason, analysis=analysis
        )
        self.entry(person, day)
        return again

    def analysis(self, person: _Person, plan: IndividualActionPlan, lead: str) -> str:
        """Why the plan ended without work, from how the client kept the contacts."""
        rng = person.rng
        missed = plan.contacts.filter(status=ContactStatus.MISSED).exists()
        parts = [
            lead,
            ANALYSIS_ATTENDANCE[1] if missed else rng.choice(ANALYSIS_ATTENDANCE[::2]),
            rng.choice(ANALYSIS_BARRIERS),
            rng.choice(ANALYSIS_NEXT),
        ]
        return person.say(" ".join(p for p in parts if p))

    # --- Histories ----------------------------------------------------------------------

    def reprofile(
        self, person: _Person, draft: Assessment, basis: Assessment, on: date
    ) -> Assessment:
        advisor = person.advisor
        draft = profiling.assessment_save(
            acting_user=advisor, assessment=draft, interview_answers=basis.interview_answers
        )
        proposed = profiling.assessment_result(draft, on).profile
        final: str = proposed
        justification = ""
        if proposed == basis.final_profile and proposed != "III":
            # The same profile again after a plan without work: the advisor asks for more.
            final = {"I": "II", "II": "III"}[proposed]
            justification = person.say(REPROFILE_REASON)
        decided = profiling.assessment_decide(
            acting_user=advisor,
            assessment=draft,
            final_profile=final,
            justification=justification,
            on=on,
        )
        self.entry(person, on)
        return decided

    def earlier_plan(self, person: _Person, basis: Assessment, target: date) -> Assessment | None:
        """A plan that ran after ``basis`` and ended without work, and the new profile after
        it, decided by ``target``; None if there is no room for it."""
        rng = person.rng
        profiled = _known(basis.determined_on)
        start = _working(_shift(profiled, rng.randint(10, 40)), _shift(profiled, 1), self.today)
        maximum = rules.ipd_max_end(start, basis.final_profile)
        gap = rng.randint(7, 21)
        ended = min(maximum, _shift(target, -gap))
        if ended < _shift(start, 45):
            return None
        plan = self.agree(person, self.prepare(person, start=start, lean=True))
        last = _shift(ended, -rng.randint(0, 20))
        missed = rng.choice(["between", ""])
        self.run(person, plan, until=ended, last_held=last, missed=missed)
        if ended >= maximum:
            reason, lead = EndReason.MAXIMUM, MAXIMUM_LEAD
        else:
            reason, lead = EndReason.OTHER, rng.choice(OTHER_END_LEADS)
        draft = self.end(person, plan, ended, reason, self.analysis(person, plan, lead))
        if draft is None:
            return None
        decided_on = _working(_shift(ended, gap), _shift(ended, 1), self.today)
        self.made["earlier"] += 1
        return self.reprofile(person, draft, basis, decided_on)

    def seed_client(self, client: Client, basis: Assessment, tags: tuple[str, ...]) -> None:
        """The plans of one profiled client for a state (``tags``: it and its overlays), with
        the history the age of the profile needs."""
        person = self.person(client)
        rng, today = person.rng, self.today
        state = tags[0]
        least, most = _window(tags)
        age = (today - _known(basis.determined_on)).days
        previous: IndividualActionPlan | None = None
        if age > most:
            target = _shift(today, -rng.randint(least, max(least, min(most, age - CHAIN_DAYS))))
            for _ in range(4):
                again = self.earlier_plan(person, basis, target)
                if again is None:
                    break
                basis = again
                previous = IndividualActionPlan.objects.filter(client=client).first()
                if (today - _known(basis.determined_on)).days <= most:
                    break
        profiled = _known(basis.determined_on)
        age = (today - profiled).days
        if state in ("none_in_term", "none_overdue"):
            self.made[state] += 1
        elif state == "draft":
            start = _working(_shift(today, -rng.randint(0, 4)), profiled, today)
            from_plan = previous if previous is not None and rng.random() < 0.5 else None
            self.prepare(person, start=start, from_plan=from_plan)
            self.made["draft"] += 1
        elif state == "ended_work":
            self.seed_ended_with_work(person, profiled, age)
        elif state == "ended_no_work":
            self.seed_ended_without_work(person, profiled)
        else:
            self.seed_in_force(person, basis, tags)

    def seed_in_force(self, person: _Person, basis: Assessment, tags: tuple[str, ...]) -> None:
        rng, today = person.rng, self.today
        profiled, profile = _known(basis.determined_on), basis.final_profile
        age = (today - profiled).days
        late = "late" in tags
        longest = (rules.ipd_max_end(profiled, profile) - profiled).days - 15
        least_run = max(LEAST_RUN[t] for t in tags)
        lo, hi = (64, 95) if late else (7, 45)
        lo = max(lo, age - longest)
        hi = min(hi, age - least_run)
        offset = rng.randint(lo, hi) if lo <= hi else lo
        start = _working(
            _shift(profiled, offset), _shift(profiled, 61 if late else 1), _shift(today, -1)
        )
        ends_on = None
        if profile in ("II", "III") and rng.random() < 0.5:
            ends_on = max(_shift(start, 365), _shift(today, 60))
        plan = self.prepare(person, start=start, ends_on=ends_on)
        plan = self.agree(person, plan, refused=tags[0] == "refused", late=late)
        self.seed_running(person, plan, tags)

    def seed_running(
        self, person: _Person, plan: IndividualActionPlan, tags: tuple[str, ...]
    ) -> None:
        """Contacts up to today: the next one due normally, within 14 days, or overdue; an
        appointment planned after today."""
        rng, today, state = person.rng, self.today, tags[0]
        running = (today - plan.starts_on).days
        first_active = state == "active" and self.office_made["active"] == 0
        variant = self.variant(tags, running, first_active)
        if variant == "due_soon":
            last = _shift(today, -rng.randint(47, 56))
        elif variant == "overdue":
            last = _shift(today, -rng.randint(64, min(95, running - 1)))
        elif variant == "today":
            last = _shift(today, -rng.randint(28, 45))
        else:
            last = _shift(today, -rng.randint(3, 35))
        missed = "after" if variant == "overdue" else "between" if first_active else ""
        amendments = rng.randint(1, 2) if "amended" in tags else 0
        self.run(person, plan, until=today, last_held=last, missed=missed, amendments=amendments)
        if variant == "today":
            self.held_today(person, plan)
        held = list(
            plan.contacts.filter(status=ContactStatus.HELD).values_list("contact_on", flat=True)
        )
        plan.refresh_from_db()
        due = _known(services.next_contact(plan, held))
        if due < today:
            day = _working(_shift(today, rng.randint(2, 9)), _shift(today, 1), _shift(today, 14))
        elif due <= _shift(today, 14):
            day = _working(due, _shift(today, 1), due)
        else:
            day = _working(min(due, _shift(today, rng.randint(10, 40))), _shift(today, 1), due)
        self.plan_contact(person, plan, day)
        self.made[state] += 1
        self.office_made[state] += 1

    def variant(self, tags: tuple[str, ...], running: int, first_active: bool) -> str:
        """How the contacts stand today: "normal", "today" (an appointment held today),
        "due_soon" (the next one due within 14 days) or "overdue"."""
        if first_active:
            wanted = "normal"
        elif "refused" in tags:
            wanted = "overdue"
        elif "amended" in tags or "late" in tags:
            wanted = "due_soon"
        else:
            n = self.office_made["active"] + self.office_made["jobseeker"]
            wanted = ["overdue", "due_soon", "today", "normal"][n % 4]
        if wanted == "overdue" and running < 70:
            wanted = "due_soon"
        if wanted == "due_soon" and running < 50:
            wanted = "normal"
        return wanted

    def held_today(self, person: _Person, plan: IndividualActionPlan) -> None:
        """The appointment set at the last contact for today, and held (contact_record)."""
        today = self.today
        planned = services.contact_add(
            acting_user=person.advisor,
            plan=plan,
            status=ContactStatus.PLANNED,
            contact_on=today,
            channel=ContactChannel.IN_PERSON,
            staff=person.advisor,
            note=PLANNED_NOTES[0],
        )
        last = plan.contacts.filter(status=ContactStatus.HELD).aggregate(last=Max("contact_on"))
        self.times.contacts[planned.pk] = self.entry(person, last["last"] or today)
        outcome = person.say(person.rng.choice(HELD_OUTCOMES[ContactChannel.IN_PERSON]))
        services.contact_record(
            acting_user=person.advisor,
            contact=planned,
            status=ContactStatus.HELD,
            contact_on=today,
            channel=ContactChannel.IN_PERSON,
            outcome=outcome.format(n=person.rng.randint(2, 4)),
        )
        self.entry(person, today)

    def seed_ended_with_work(self, person: _Person, profiled: date, age: int) -> None:
        rng, today = person.rng, self.today
        offset = rng.randint(7, max(7, min(45, age - 35)))
        start = _working(_shift(profiled, offset), _shift(profiled, 1), _shift(today, -32))
        plan = self.agree(person, self.prepare(person, start=start))
        latest = min(_shift(today, -2), plan.ends_on)
        ended = _working(
            max(_shift(start, 30), _shift(today, -rng.randint(3, 45))), _shift(start, 30), latest
        )
        ended = min(ended, latest)
        outcome = person.say(rng.choice(WORK_OUTCOMES)).format(
            title=person.title, day=_shift(ended, 1).strftime("%d.%m.%Y")
        )
        last = _shift(ended, -rng.randint(20, 40))
        self.run(person, plan, until=ended, last_held=last, final=(ended, outcome))
        for action in plan.actions.filter(
            form__code="job_placement", status=ActionStatus.IN_PROGRESS
        ):
            services.action_set_status(
                acting_user=person.advisor,
                action=action,
                status=ActionStatus.DONE,
                reason="",
                on=ended,
            )
            self.entry(person, ended)
        self.end(person, plan, ended, EndReason.WORK)
        self.made["ended_work"] += 1

    def seed_ended_without_work(self, person: _Person, profiled: date) -> None:
        rng, today = person.rng, self.today
        start = _working(
            _shift(profiled, rng.randint(7, 45)), _shift(profiled, 1), _shift(today, -60)
        )
        plan = self.agree(person, self.prepare(person, start=start))
        ended = min(plan.max_end or plan.ends_on, _shift(today, -rng.randint(5, 40)))
        ended = max(ended, _shift(start, 30))
        last = _shift(ended, -rng.randint(0, 25))
        self.run(person, plan, until=ended, last_held=last, missed=rng.choice(["between", ""]))
        if plan.max_end is not None and ended >= plan.max_end:
            reason, lead = EndReason.MAXIMUM, MAXIMUM_LEAD
        else:
            reason, lead = EndReason.OTHER, rng.choice(OTHER_END_LEADS)
        self.end(person, plan, ended, reason, self.analysis(person, plan, lead))
        self.made["ended_no_work"] += 1

    def seed_jobseeker(self, client: Client, registration: Registration) -> None:
        """The jobseeker's optional plan: no profile, the office's default length."""
        person = self.person(client)
        rng, today = person.rng, self.today
        start = max(
            _shift(registration.registered_on, rng.randint(7, 30)),
            _shift(today, -rng.randint(40, 150)),
        )
        start = _working(min(start, _shift(today, -20)), registration.registered_on, today)
        plan = self.agree(person, self.prepare(person, start=start))
        self.seed_running(person, plan, ("jobseeker",))

    def guarded(self, client: Client, step: Callable[[], None]) -> None:
        """One client in a savepoint: if a service refuses something, that client is left
        as it was and the refusal is logged; the rest goes on."""
        advisor = client.assignments.filter(ended_at__isnull=True).get().advisor
        mark = len(self.times.entries.get(client.pk, []))
        made, office_made = self.made.copy(), self.office_made.copy()
        try:
            with transaction.atomic(), set_actor(advisor):
                step()
        except ValidationError as error:
            message = f"{client} (#{client.pk}): {'; '.join(error.messages)}"
            log.warning("seed_plans skipped %s", message)
            self.skipped.append(message)
            del self.times.entries[client.pk][mark:]
            self.made, self.office_made = made, office_made


def _bases(offices: Iterable[Office]) -> dict[int, Assessment]:
    """Each profiled unemployed client's profile the share-out is based on: the newest one not
    opened by the end of a plan (those are this seeding's own, so a rerun shares out alike)."""
    bases: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(
            client__office__in=offices,
            registration__deregistered_on__isnull=True,
            registration__status=Status.UNEMPLOYED,
            status=AssessmentStatus.DETERMINED,
        )
        .exclude(trigger=Trigger.IPD_ENDED)
        .filter(registration__assessments__is_current=True)
        .select_related("client", "client__office")
        .order_by("determined_on", "pk")
    ):
        bases[assessment.client_id] = assessment
    return bases


def seed_plans(*, offices: list[Office]) -> dict[str, int]:
    """Plans for the offices' profiled clients and some jobseekers; answer the counts by
    state (all the offices' plans, "new" of them made now, "skipped" clients). Call inside a
    transaction (seed_demo does)."""
    today = timezone.localdate()
    seeder = _Seeder(today)
    after_entry = CardEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    plans = IndividualActionPlan.objects.filter(client__office__in=offices)
    before = plans.count()
    planned = set(plans.values_list("client_id", flat=True))
    bases = _bases(offices)
    for office in offices:
        seeder.office_made = Counter()
        candidates = [
            _Candidate(client_id, (today - _known(basis.determined_on)).days)
            for client_id, basis in sorted(bases.items())
            if basis.client.office_id == office.pk
        ]
        for client_id, tags in share_out(candidates).items():
            if client_id not in planned:
                basis = bases[client_id]
                seeder.guarded(basis.client, partial(seeder.seed_client, basis.client, basis, tags))
        jobseekers = (
            Registration.objects.filter(
                client__office=office, deregistered_on__isnull=True, status=Status.JOBSEEKER
            )
            .select_related("client", "client__office")
            .order_by("client_id")
        )
        for n, registration in enumerate(jobseekers):
            if n % 3 or registration.client_id in planned:
                continue
            if (today - registration.registered_on).days >= 30:
                seeder.guarded(
                    registration.client,
                    partial(seeder.seed_jobseeker, registration.client, registration),
                )
    seeder.times.apply(after_entry)
    counts = count_plans(offices, today)
    counts["new"] = counts["plans"] - before
    counts["skipped"] = len(seeder.skipped)
    return counts


def count_plans(offices: Iterable[Office], today: date) -> dict[str, int]:
    """The offices' plans by state, and profiled clients with no plan for their profile."""
    plans = IndividualActionPlan.objects.filter(client__office__in=offices)
    active = plans.filter(status=PlanStatus.ACTIVE)
    counts = {
        "plans": plans.count(),
        "draft": plans.filter(status=PlanStatus.DRAFT).count(),
        "active": active.count(),
        "refused": active.filter(client_refused=True).count(),
        "amended": active.filter(version__gte=2).count(),
        "late": plans.exclude(late_reason="").count(),
        "jobseeker": plans.filter(assessment__isnull=True).count(),
        "ended_work": plans.filter(end_reason=EndReason.WORK).count(),
        "ended_no_work": plans.filter(status=PlanStatus.ENDED)
        .exclude(end_reason=EndReason.WORK)
        .count(),
        "contact_overdue": 0,
        "contact_due_soon": 0,
        "none_in_term": 0,
        "none_overdue": 0,
    }
    rows = active.annotate(
        last_held=Max("contacts__contact_on", filter=Q(contacts__status=ContactStatus.HELD))
    ).values_list("agreed_on", "prepared_on", "last_held")
    for agreed_on, prepared_on, last_held in rows:
        start = _known(agreed_on or prepared_on)
        due = rules.next_contact_due(rules.last_contact(start, [last_held] if last_held else []))
        counts["contact_overdue"] += due < today
        counts["contact_due_soon"] += today <= due <= _shift(today, 14)
    for determined_on in Assessment.objects.filter(
        client__office__in=offices,
        is_current=True,
        registration__deregistered_on__isnull=True,
        registration__status=Status.UNEMPLOYED,
        plans__isnull=True,
    ).values_list("determined_on", flat=True):
        key = (
            "none_in_term"
            if rules.ipd_preparation_deadline(_known(determined_on)) >= today
            else "none_overdue"
        )
        counts[key] += 1
    return counts


def summary_line(counts: dict[str, int]) -> str:
    c = counts
    skipped = f" Skipped {c['skipped']} clients (see the log)." if c.get("skipped") else ""
    return (
        f"IPDs: {c['plans']} plans ({c.get('new', 0)} new): being prepared {c['draft']}, in "
        f"force {c['active']} (client refused {c['refused']}, amended {c['amended']}), "
        f"prepared late {c['late']}, jobseekers' {c['jobseeker']}, ended with work "
        f"{c['ended_work']}, ended without work {c['ended_no_work']}; next contact overdue "
        f"{c['contact_overdue']}, due within 14 days {c['contact_due_soon']}; profiled "
        f"clients without a plan: {c['none_in_term']} within the 60-day term, "
        f"{c['none_overdue']} past it.{skipped}"
    )
