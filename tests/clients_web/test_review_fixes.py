"""Rules and guards found missing in review, each pinned by a test."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse

from clients import services
from clients.models import Client, DeregistrationReason, LetterRange
from clients.rules import age_on, unemployed_age_allows
from labour_office.offices.models import Office, User
from tests.clients_web.conftest import CARD, make_pesel, register
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_born_on_29_february_is_a_year_older_on_28_february_of_a_common_year() -> None:
    assert age_on(date(2000, 2, 29), date(2018, 2, 28)) == 18
    assert age_on(date(2000, 2, 29), date(2018, 2, 27)) == 17
    assert age_on(date(2000, 2, 29), date(2020, 2, 28)) == 19  # leap year: the 29th counts


@pytest.mark.parametrize(
    ("birth", "sex", "allowed"),
    [
        (date(2008, 11, 24), "M", False),  # 17 on 2026-11-23
        (date(2008, 11, 23), "M", True),  # 18 that day
        (date(1966, 11, 24), "F", True),  # 59
        (date(1966, 11, 23), "F", False),  # 60: retirement age of women
        (date(1961, 11, 24), "M", True),  # 64
        (date(1961, 11, 23), "M", False),  # 65: retirement age of men
    ],
)
def test_unemployed_status_needs_an_age_from_18_to_retirement(
    birth: date, sex: str, allowed: bool
) -> None:
    assert unemployed_age_allows(birth, sex, date(2026, 11, 23)) is allowed


def test_a_woman_of_sixty_is_registered_as_a_jobseeker_not_as_unemployed(
    advisor: User, office: Office
) -> None:
    pesel = make_pesel(date(1960, 5, 5), 1, True)
    with pytest.raises(ValidationError) as refused:
        register(advisor, office, "Halina", "Starsza", pesel)
    assert "status" in refused.value.error_dict
    assert not Client.objects.exists()


def test_deregistration_cannot_be_dated_in_the_future(
    advisor: User, registered_client: Client
) -> None:
    with pytest.raises(ValidationError):
        services.registration_close(
            acting_user=advisor,
            registration=registered_client.registrations.get(),
            deregistered_on=date(2031, 1, 1),
            reason=DeregistrationReason.objects.get(code="employment"),
        )


def test_a_reason_out_of_use_is_refused(advisor: User, registered_client: Client) -> None:
    with pytest.raises(ValidationError):
        services.registration_close(
            acting_user=advisor,
            registration=registered_client.registrations.get(),
            deregistered_on=date(2026, 11, 2),
            reason=DeregistrationReason.objects.get(code="no_contact_90_days"),
        )


def test_bulk_move_does_not_redirect_to_another_site(
    manager_client: HttpClient, registered_client: Client, office: Office
) -> None:
    other = UserFactory(office=office)
    response = manager_client.post(
        reverse("clients_bulk_reassign"),
        {
            "move-clients": [registered_client.pk],
            "move-advisor": other.pk,
            "move-reason": "urlop",
            "next": "https://evil.example/phish",
        },
    )
    assert response["Location"] == reverse("home")


def test_taking_over_a_card_from_another_office_needs_the_matching_surname(
    advisor_client: HttpClient, other_office_client: Client, other_office_advisor: User
) -> None:
    services.registration_close(
        acting_user=other_office_advisor,
        registration=other_office_client.registrations.get(),
        deregistered_on=date(2026, 10, 15),
        reason=DeregistrationReason.objects.get(code="moved"),
    )
    url = reverse("client_register") + f"?pesel={other_office_client.pesel}"
    data = {"status": "unemployed", "registered_on": "2026-11-20"}
    wrong = advisor_client.post(url, {**data, "last_name": "Kowalski"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["last_name"]
    other_office_client.refresh_from_db()
    assert other_office_client.office.name.endswith("Wołominie")
    right = advisor_client.post(url, {**data, "last_name": "inny"})
    assert right.status_code == 302
    other_office_client.refresh_from_db()
    assert other_office_client.office.name.endswith("Piasecznie")
    assert other_office_client.entries.filter(text__contains="Wołominie").exists()


def test_assignment_settings_save_with_the_empty_extra_rows_the_page_sends(
    manager_client: HttpClient, advisor: User, office: Office
) -> None:
    data = {
        "assignment_strategy": "letters",
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-advisor": advisor.pk,
        "form-0-first_letter": "A",
        "form-0-last_letter": "Ż",
    }
    for i in (1, 2):
        data.update(
            {f"form-{i}-advisor": "", f"form-{i}-first_letter": "", f"form-{i}-last_letter": ""}
        )
    assert manager_client.post(reverse("assignment_settings"), data).status_code == 302
    assert LetterRange.objects.filter(office=office).count() == 1


def test_editing_a_card_without_pesel_keeps_birth_date_and_sex(
    advisor: User, office: Office, advisor_client: HttpClient
) -> None:
    client = services.client_register(
        acting_user=advisor,
        office=office,
        card={
            **CARD,
            "first_name": "Olena",
            "last_name": "Kowal",
            "document_type": "passport",
            "document_number": "FA1",
            "document_country": "Ukraina",
        },
        pesel=None,
        birth_date=date(1990, 2, 3),
        sex="F",
        status="unemployed",
        jobseeker_category=None,
        registered_on=date(2026, 10, 1),
    )
    form = advisor_client.get(reverse("client_edit", args=[client.pk])).context["form"]
    assert form["birth_date"].value() == date(1990, 2, 3)
    assert form["sex"].value() == "F"


def test_a_substitute_away_in_the_same_dates_is_refused(
    advisor: User, office: Office, manager: User
) -> None:
    colleague = UserFactory(office=office)
    services.substitution_create(
        acting_user=manager,
        absent=colleague,
        substitute=advisor,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 10),
    )
    with pytest.raises(ValidationError):
        services.substitution_create(
            acting_user=manager,
            absent=advisor,
            substitute=colleague,
            starts_on=date(2026, 12, 5),
            ends_on=date(2026, 12, 6),
        )


def test_employers_search_with_a_nul_character_is_not_an_error(
    advisor_client: HttpClient,
) -> None:
    assert advisor_client.get(reverse("employer_list"), {"q": "a\x00b"}).status_code == 200


def test_messages_naming_clients_stay_out_of_cookies(manager: User) -> None:
    from django.conf import settings

    assert settings.MESSAGE_STORAGE.endswith("SessionStorage")
    assert signed_in(manager).get(reverse("home")).cookies.get("messages") is None
