"""The printed IPD: a PDF in the client's language whose letters survive (Polish, Ukrainian,
Belarusian), with the plan's content, and a draft marked as not for signature."""

import io
from datetime import date

import pytest
from django.utils.text import capfirst
from pypdf import PdfReader

from clients import services as client_services
from clients.models import Client
from ipd import services
from ipd.documents import plan_html, plan_pdf
from ipd.models import ContactChannel, ContactStatus, IndividualActionPlan
from labour_office.offices.models import Office, Post, User
from tests.clients_web.conftest import make_pesel, register
from tests.factories import UserFactory
from tests.ipd.conftest import CARD_A, PROFILED_ON, START, determine_profile, form

pytestmark = pytest.mark.django_db

NAME = "Łucja Żółkiewska-Wąsiś"
GOALS = "Księgowa w biurze rachunkowym, Piaseczno lub Góra Kalwaria, pełny etat"
ARRANGEMENTS = (
    "Spotkania w urzędzie raz w miesiącu; o zmianie terminu informuję najpóźniej dzień "
    "wcześniej, także telefonicznie."
)
HELD_ON = date(2026, 11, 20)
PLANNED_ON = date(2026, 12, 15)
# The letters each language's text must keep (besides the Polish of the client's own data).
LETTERS = {"pl": "ąęłóśźżŁŻ", "en": "ąęłóśźż", "uk": "іїєґ", "be": "ўіыэ"}
DRAFT_MARK = {"en": "not for signature", "uk": "не для підпису", "be": "не для подпісу"}


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def client_lucja(advisor: User, office: Office) -> Client:
    first_name, last_name = NAME.split(" ")
    client = register(
        advisor, office, first_name, last_name, make_pesel(date(1985, 4, 12), 17, True)
    )
    client_services.client_update(
        acting_user=advisor, client=client, card=CARD_A, pesel=client.pesel
    )
    determine_profile(advisor, client, "I", PROFILED_ON)
    return Client.objects.get(pk=client.pk)


def draft_plan(advisor: User, office: Office) -> IndividualActionPlan:
    client = client_lucja(advisor, office)
    counsellor = UserFactory(
        office=office, first_name="Zofia", last_name="Dąbrowska", post=Post.CAREER_COUNSELLOR
    )
    plan = services.plan_prepare(acting_user=advisor, client=client, on=START)
    plan = services.plan_update(
        acting_user=advisor,
        plan=plan,
        data={
            "goals": GOALS,
            "starts_on": plan.starts_on,
            "ends_on": date(2027, 3, 31),
            "contact_arrangements": ARRANGEMENTS,
            "specialists": [counsellor],
        },
    )
    services.action_add(
        acting_user=advisor,
        plan=plan,
        data=services.ActionData(
            kind="office",
            form=form("job_placement"),
            description="Oferty pracy w księgowości z bazy urzędu",
            starts_on=START,
            ends_on=date(2027, 1, 31),
            responsible=advisor,
            expected_result="Trzy rozmowy kwalifikacyjne",
        ),
        on=START,
    )
    services.action_add(
        acting_user=advisor,
        plan=plan,
        data=services.ActionData(
            kind="own",
            description="Wysyła 4 aplikacje miesięcznie",
            starts_on=START,
            ends_on=date(2027, 2, 28),
        ),
        on=START,
    )
    return plan


@pytest.fixture
def agreed(advisor: User, office: Office) -> IndividualActionPlan:
    plan = draft_plan(advisor, office)
    plan = services.plan_agree(acting_user=advisor, plan=plan, prepared_on=START, agreed=True)
    for status, day in ((ContactStatus.HELD, HELD_ON), (ContactStatus.PLANNED, PLANNED_ON)):
        services.contact_add(
            acting_user=advisor,
            plan=plan,
            status=status,
            contact_on=day,
            channel=ContactChannel.IN_PERSON,
            staff=advisor,
        )
    plan.refresh_from_db()
    return plan


@pytest.mark.parametrize("language", ["pl", "en", "uk", "be"])
def test_the_plan_prints_in_each_language_with_its_letters_intact(
    agreed: IndividualActionPlan, language: str
) -> None:
    text = pdf_text(plan_pdf(agreed, language))
    missing = [letter for letter in LETTERS[language] if letter not in text]
    assert missing == []
    assert NAME in text
    assert "Powiatowy Urząd Pracy w Piasecznie" in text
    assert agreed.client.pesel in text  # the client's own document: the full number
    assert GOALS in text and ARRANGEMENTS in text
    assert capfirst(form("job_placement").name_in(language)) in text
    assert "Wysyła 4 aplikacje miesięcznie" in text
    assert "15.12.2026" in text  # the planned contact, dd.mm.yyyy in every language
    assert "03.11.2026" in text  # the start and the agreement
    assert "19.01.2027" in text  # the next contact: 60 days after the one held on 20.11.2026
    assert "Zofia Dąbrowska" in text
    assert "DRAFT" not in text and "не для" not in text


def test_the_ukrainian_and_belarusian_documents_are_translated(
    agreed: IndividualActionPlan,
) -> None:
    assert "Індивідуальний план дій" in pdf_text(plan_pdf(agreed, "uk"))
    assert "Індывідуальны план дзеянняў" in pdf_text(plan_pdf(agreed, "be"))


@pytest.mark.parametrize("language", ["en", "uk", "be"])
def test_a_draft_is_marked_as_not_for_signature(
    advisor: User, office: Office, language: str
) -> None:
    plan = draft_plan(advisor, office)
    text = pdf_text(plan_pdf(plan, language))
    assert DRAFT_MARK[language] in text
    assert NAME in text and GOALS in text


def test_an_amendment_in_preparation_is_a_draft_of_the_next_version(
    agreed: IndividualActionPlan, advisor: User
) -> None:
    plan = services.plan_amend_start(acting_user=advisor, plan=agreed)
    html = plan_html(plan, "en")
    assert "not for signature" in html
    assert "Version 2" in html and "amendment in preparation" in html


def test_the_english_document_has_its_sections_and_accessible_structure(
    agreed: IndividualActionPlan,
) -> None:
    html = plan_html(agreed, "en")
    assert '<html lang="en">' in html
    for heading in (
        "<h1>Individual action plan</h1>",
        "The client</h2>",
        "Occupational goals</h2>",
        "Duration of the plan</h2>",
        "Who works with you</h2>",
        "Actions of the office</h2>",
        "Your own actions</h2>",
        "Contacts with the office</h2>",
        "Agreement</h2>",
        "Signatures</h2>",
    ):
        assert heading in html
    assert "Form of assistance and what exactly</th>" in html and html.count('scope="col"') >= 14
    assert "Version 1" in html and "in force" in html
    assert "at least every 60 days" in html
    assert "The plan was agreed with the client on 03.11.2026." in html
    assert "Profile I: active persons, ready to take up work at once" in html
    assert "career counsellor" in html
    assert "not for signature" not in html


def test_a_refusal_is_printed_instead_of_the_agreement(advisor: User, office: Office) -> None:
    plan = draft_plan(advisor, office)
    plan = services.plan_agree(
        acting_user=advisor,
        plan=plan,
        prepared_on=START,
        agreed=False,
        refusal_note="Nie zgadzam się na szkolenia poza Piasecznem.",
    )
    html = plan_html(plan, "en")
    assert "The client refused to agree to it" in html
    assert "Nie zgadzam się na szkolenia poza Piasecznem." in html
