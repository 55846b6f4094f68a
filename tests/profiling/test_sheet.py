"""The client's information sheet renders as a PDF with Polish diacritics, in both languages."""

import io

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from pypdf import PdfReader

from labour_office.audit.models import AccessLog
from labour_office.offices.models import Office, User
from profiling import services
from tests.conftest import signed_in
from tests.profiling.test_assessments import TODAY, example_a_client, interview
from tests.profiling.test_rules import A

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def decided(advisor: User, office: Office):  # type: ignore[no-untyped-def]
    client = example_a_client(advisor, office)
    draft = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    return services.assessment_decide(
        acting_user=advisor, assessment=draft, final_profile="I", justification="", on=TODAY
    )


def test_the_sheet_prints_in_polish_with_diacritics_intact(
    advisor_client: HttpClient,
    decided,  # type: ignore[no-untyped-def]
) -> None:
    response = advisor_client.get(reverse("assessment_sheet", args=[decided.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Przykładowa" in text
    assert "Powiatowy Urząd Pracy w Piasecznie" in text
    assert "pośrednictwo pracy" in text  # a form open to profile I, in Polish
    assert "180" in text  # the maximum length of the plan for profile I
    assert AccessLog.objects.filter(action="print").count() == 1


def test_the_sheet_prints_in_english(
    advisor_client: HttpClient,
    decided,  # type: ignore[no-untyped-def]
) -> None:
    response = advisor_client.get(
        reverse("assessment_sheet", args=[decided.pk]), {"language": "en"}
    )
    text = pdf_text(response.content)
    assert "Information about your assistance profile" in text
    assert "job placement" in text
    assert "Przykładowa" in text  # the client's name keeps its letters


def test_another_office_cannot_print_the_sheet(
    decided,
    other_office_advisor: User,  # type: ignore[no-untyped-def]
) -> None:
    response = signed_in(other_office_advisor).get(reverse("assessment_sheet", args=[decided.pk]))
    assert response.status_code == 404
