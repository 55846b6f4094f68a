"""The job club's printed documents: the completion certificate in the client's language, with
its number, the person, the activity and the hours; the attendance list of a session with only
the participants holding a place, in the order of the Polish alphabet, and no PESEL."""

import io
import re
from collections.abc import Callable
from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from pypdf import PdfReader

from clients.models import Client
from job_clubs import services
from job_clubs.documents import (
    certificate_html,
    certificate_pdf,
    polish_sort_key,
    sign_list_html,
    sign_list_pdf,
)
from job_clubs.models import Activity, Enrolment, EnrolmentStatus, JobClub
from labour_office.offices.models import Office, User
from tests.clients_web.conftest import make_pesel, register
from tests.ipd.conftest import TODAY
from tests.job_clubs.conftest import make_activity

pytestmark = pytest.mark.django_db

NAME = "Łucja Żółkiewska-Wąsiś"
PROGRAMME = (
    "Tydzień 1: blok psychologiczny, mocne strony i samoocena.\n\n"
    "Tydzień 2: źródła ofert pracy, także zagranicznych; CV i list motywacyjny; język ciała."
)
ISSUED_ON = date(2026, 12, 4)  # the day of the last session


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def person(advisor: User, office: Office, name: str, born: date, serial: int) -> Client:
    first_name, last_name = name.split(" ", 1)
    return register(advisor, office, first_name, last_name, make_pesel(born, serial, True))


def attend(advisor: User, activity: Activity, enrolment: Enrolment, present: int) -> Enrolment:
    """``present`` sessions attended (4 h each), the rest absent."""
    for n, session in enumerate(activity.sessions.order_by("starts_at")):
        enrolment = services.mark_attendance(
            acting_user=advisor,
            session=session,
            enrolment=enrolment,
            mark="present" if n < present else "absent",
            on=ISSUED_ON,
        )
    return enrolment


@pytest.fixture
def activity(club: JobClub) -> Activity:
    activity = make_activity(club, sessions=5, hours="4")
    activity.programme = PROGRAMME
    activity.save(update_fields=["programme"])
    return activity


@pytest.fixture
def certified(advisor: User, office: Office, activity: Activity) -> Enrolment:
    """Łucja attended 16 of the 20 hours (the club's 80 %): completed, certificate issued."""
    client = person(advisor, office, NAME, date(1985, 4, 12), 17)
    enrolment = services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)
    enrolment = attend(advisor, activity, enrolment, present=4)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    return services.issue_certificate(acting_user=advisor, enrolment=enrolment, on=ISSUED_ON)


def set_language(enrolment: Enrolment, language: str) -> None:
    Client.objects.filter(pk=enrolment.client_id).update(document_language=language)


def translated(language: str, context: str, message: str) -> bool:
    with translation.override(language):
        return pgettext(context, message) != message


# --- The certificate --------------------------------------------------------------------------


def test_the_certificate_prints_the_number_the_person_the_activity_and_the_hours(
    certified: Enrolment, django_assert_max_num_queries: Callable[..., object]
) -> None:
    with django_assert_max_num_queries(2):
        html = certificate_html(certified)
    assert '<html lang="pl">' in html
    text = pdf_text(certificate_pdf(certified))
    number = certified.certificate_number
    assert number == f"KP/{certified.activity.club_id}/2026/1"
    assert number in text
    assert "04.12.2026" in text  # issued on, and the last session
    assert "30.11.2026" in text  # the first session
    assert NAME in text
    assert certified.client.pesel in text  # the client's own document: the full number
    assert "Aktywne poszukiwanie pracy" in text
    assert "Klub Pracy PUP Piaseczno" in text and "ul. Kościuszki 5, sala 12" in text
    assert "Powiatowy Urząd Pracy w Piasecznie" in text
    assert "Anna Kowalska" in text  # the leader
    assert re.search(r"\b16\b.*\b20\b", text)  # hours attended of hours scheduled
    assert "16,0" not in text and "16.0" not in text
    # The programme keeps its paragraphs.
    assert "<p>Tydzień 1: blok psychologiczny" in html and "<p>Tydzień 2: źródła" in html
    assert "samoocena. Tydzień 2: źródła ofert pracy" in text
    missing = [letter for letter in "ąęłóśźżŁŻ" if letter not in text]
    assert missing == []


def test_the_polish_certificate_is_a_zaswiadczenie(certified: Enrolment) -> None:
    if not translated("pl", "job club document", "Certificate"):
        pytest.skip("the Polish catalogue does not carry the document's strings yet")
    text = pdf_text(certificate_pdf(certified))
    assert "Zaświadczenie" in text
    assert f"nr {certified.certificate_number}" in text
    assert "Podpis lidera klubu pracy" in text and "Pieczęć urzędu" in text
    assert "16 z 20" in text


def test_the_certificate_prints_in_the_clients_language(certified: Enrolment) -> None:
    set_language(certified, "en")
    html = certificate_html(certified)
    assert '<html lang="en">' in html
    for label in (
        "<h1>Certificate</h1>",
        f"No. {certified.certificate_number}",
        "of completing a job club activity",
        "Powiatowy Urząd Pracy w Piasecznie certifies that the person named below has completed",
        "Participant</h2>",
        "Activity</h2>",
        "Programme</h2>",
        "Activation classes",
        "from 30.11.2026 to 04.12.2026",
        "16 of 20 scheduled hours",
        "Signature of the job club leader",
        "Office stamp",
    ):
        assert label in html
    text = pdf_text(certificate_pdf(certified))
    assert "Certificate" in text and NAME in text and certified.certificate_number in text


@pytest.mark.parametrize(
    ("language", "title"), [("uk", "Довідка"), ("be", "Даведка")], ids=["uk", "be"]
)
def test_the_ukrainian_and_belarusian_certificates_are_translated(
    certified: Enrolment, language: str, title: str
) -> None:
    set_language(certified, language)
    html = certificate_html(certified)
    assert f'<html lang="{language}">' in html
    if not translated(language, "job club document", "Certificate"):
        pytest.skip(f"the {language} catalogue does not carry the document's strings yet")
    text = pdf_text(certificate_pdf(certified))
    assert title in text and NAME in text and certified.certificate_number in text


def test_without_a_pesel_the_certificate_gives_the_date_of_birth(certified: Enrolment) -> None:
    Client.objects.filter(pk=certified.client_id).update(
        pesel=None, document_type="passport", document_number="FP1234567", document_country="UA"
    )
    set_language(certified, "en")
    html = certificate_html(certified)
    assert "PESEL" not in html
    assert "Date of birth" in html and "12.04.1985" in html
    assert "Identity document" in html and "FP1234567" in html


def test_a_certificate_not_yet_issued_is_not_printed(
    advisor: User, office: Office, activity: Activity
) -> None:
    client = person(advisor, office, NAME, date(1985, 4, 12), 17)
    enrolment = services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)
    enrolment = attend(advisor, activity, enrolment, present=5)
    with pytest.raises(ValueError, match="issue_certificate"):
        certificate_html(enrolment)


# --- The attendance list ----------------------------------------------------------------------

# Who holds a place, in the order the list must give (Ł after L, Ż after Z; namesakes by first
# name), with the year of birth it prints.
HOLDING = [
    ("Piotr Lis", 1979),
    ("Maria Łęcka", 1990),
    ("Jan Mazur", 2001),
    ("Adam Nowak", 1968),
    ("Zofia Nowak", 1995),
    ("Ewa Zając", 1983),
    ("Ewa Żak", 1971),
]


@pytest.fixture
def full_activity(advisor: User, office: Office, club: JobClub) -> tuple[Activity, list[Client]]:
    """Seven hold a place (one of them completed), one waits, one cancelled: entered in an
    order unlike the alphabet."""
    activity = make_activity(club, capacity=len(HOLDING), sessions=5, hours="4")
    serial = iter(range(100, 200))
    holders = {}
    for name, year in [HOLDING[i] for i in (6, 3, 0, 5, 2, 1, 4)]:
        client = person(advisor, office, name, date(year, 6, 15), next(serial))
        holders[name] = services.enrol(
            acting_user=advisor, activity=activity, client=client, on=TODAY
        )
    attend(advisor, activity, holders["Adam Nowak"], present=4)
    waiting = person(advisor, office, "Waldemar Kowal", date(1975, 1, 2), next(serial))
    services.enrol(acting_user=advisor, activity=activity, client=waiting, on=TODAY)
    cancelled = person(advisor, office, "Cecylia Bąk", date(1988, 2, 3), next(serial))
    enrolment = services.enrol(acting_user=advisor, activity=activity, client=cancelled, on=TODAY)
    services.cancel(acting_user=advisor, enrolment=enrolment, reason="Podjęła pracę", on=TODAY)
    statuses = sorted(activity.enrolments.values_list("status", flat=True))
    assert statuses == ["cancelled", "completed"] + ["enrolled"] * 6 + ["waitlisted"]
    clients = [e.client for e in holders.values()] + [waiting, cancelled]
    return activity, clients


def test_the_sign_list_has_the_participants_holding_a_place_in_alphabetical_order(
    full_activity: tuple[Activity, list[Client]],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    activity, clients = full_activity
    session = activity.sessions.order_by("starts_at")[2]
    with translation.override("en"), django_assert_max_num_queries(3):
        html = sign_list_html(session)
    assert '<html lang="en">' in html
    for label in (
        "<h1>Attendance list</h1>",
        "3 of 5",
        "02.12.2026, 09:00\u201313:00",
        "sala 12",
        "Anna Kowalska",
        "Surname and first name</th>",
        "Signature of the participant",
        "Signature of the job club leader",
    ):
        assert label in html
    with translation.override("en"):
        text = pdf_text(sign_list_pdf(session))
    rows = [
        f"{n} {name.split(' ')[1]} {name.split(' ')[0]} {year}"
        for n, (name, year) in enumerate(HOLDING, start=1)
    ]
    positions = [text.find(row) for row in rows]
    assert -1 not in positions, (rows, text)
    assert positions == sorted(positions)
    assert "Kowal Waldemar" not in text and "Bąk" not in text
    # Data minimisation: no PESEL, whole or in part, and no full date of birth.
    assert "PESEL" not in text
    assert not re.search(r"\d{6}", text)
    for client in clients:
        assert client.pesel is not None and client.pesel[-4:] not in text
    assert "15.06." not in text


def test_the_sign_list_runs_in_the_same_queries_for_a_bigger_group(
    advisor: User,
    office: Office,
    club: JobClub,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    activity = make_activity(club, capacity=20, sessions=2)
    session = activity.sessions.first()
    assert session is not None
    with translation.override("en"), django_assert_max_num_queries(3):
        html = sign_list_html(session)
    assert "Nobody holds a place in this activity." in html
    for serial in range(1, 16):
        client = person(advisor, office, f"Anna Uczestniczka{serial}", date(1990, 1, 1), serial)
        services.enrol(acting_user=advisor, activity=activity, client=client, on=TODAY)
    with django_assert_max_num_queries(3):
        html = sign_list_html(session)
    assert html.count('<td class="number">') == 15


def test_the_sign_list_speaks_polish_by_default(
    full_activity: tuple[Activity, list[Client]],
) -> None:
    activity, _ = full_activity
    session = activity.sessions.order_by("starts_at")[0]
    with translation.override("pl"):
        html = sign_list_html(session)
    assert '<html lang="pl">' in html
    if not translated("pl", "job club sign list", "Attendance list"):
        pytest.skip("the Polish catalogue does not carry the list's strings yet")
    text = pdf_text(sign_list_pdf(session))
    assert "Lista obecności" in text and "Podpis uczestnika" in text
    assert "1 z 5" in text


def test_the_polish_alphabet_orders_names() -> None:
    names = ["Żak", "Zając", "Łęcka", "Lis", "Ćwik", "Czarnecka", "Šimková", "Sowa", "Śliwa"]
    names += ["Lisowska", "Lis-Nowak"]
    assert sorted(names, key=polish_sort_key) == [
        "Czarnecka",
        "Ćwik",
        "Lis",
        "Lis-Nowak",
        "Lisowska",
        "Łęcka",
        "Šimková",
        "Sowa",
        "Śliwa",
        "Zając",
        "Żak",
    ]
