"""Managers set how new clients get an advisor: surname letter ranges or least caseload."""

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import LetterRange
from labour_office.offices.models import Office, User
from tests.clients_web.conftest import make_pesel, register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def settings_form(ranges: list[tuple[int, str, str]], strategy: str = "letters") -> dict:  # type: ignore[type-arg]
    data: dict[str, object] = {
        "assignment_strategy": strategy,
        "form-TOTAL_FORMS": str(len(ranges)),
        "form-INITIAL_FORMS": "0",
    }
    for i, (advisor, first, last) in enumerate(ranges):
        data.update(
            {
                f"form-{i}-advisor": advisor,
                f"form-{i}-first_letter": first,
                f"form-{i}-last_letter": last,
            }
        )
    return data


def test_manager_sets_letter_ranges_and_new_clients_follow_them(
    manager_client: HttpClient, advisor: User, office: Office
) -> None:
    second = UserFactory(office=office, last_name="Drugi")
    response = manager_client.post(
        reverse("assignment_settings"),
        settings_form([(advisor.pk, "A", "Ł"), (second.pk, "M", "Ż")]),
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.assignment_strategy == "letters"
    assert LetterRange.objects.filter(office=office).count() == 2
    client = register(advisor, office, "Jan", "Nowak", make_pesel(date(1980, 1, 1), 5, False))
    assert client.assignments.get().advisor == second
    client = register(advisor, office, "Ewa", "Łuczak", make_pesel(date(1981, 1, 1), 6, True))
    assert client.assignments.get().advisor == advisor


def test_overlapping_or_backward_ranges_are_refused_and_nothing_changes(
    manager_client: HttpClient, advisor: User, office: Office
) -> None:
    second = UserFactory(office=office)
    overlapping = manager_client.post(
        reverse("assignment_settings"),
        settings_form([(advisor.pk, "A", "M"), (second.pk, "L", "Ż")]),
    )
    assert overlapping.status_code == 200
    assert overlapping.context["formset"].non_form_errors()
    backward = manager_client.post(
        reverse("assignment_settings"), settings_form([(advisor.pk, "Ż", "A")])
    )
    assert backward.context["formset"].forms[0].errors["last_letter"]
    assert not LetterRange.objects.exists()
    office.refresh_from_db()
    assert office.assignment_strategy == "caseload"


def test_advisors_cannot_change_the_assignment_settings(advisor_client: HttpClient) -> None:
    assert advisor_client.get(reverse("assignment_settings")).status_code == 403


def test_only_the_own_office_advisors_can_be_given_a_range(
    manager_client: HttpClient, other_office_advisor: User
) -> None:
    response = manager_client.post(
        reverse("assignment_settings"), settings_form([(other_office_advisor.pk, "A", "Ż")])
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["advisor"]


def test_the_whole_journal_is_paginated_with_a_fixed_budget(
    advisor: User,
    advisor_client: HttpClient,
    registered_client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    from clients.services import card_entry_add

    for n in range(120):
        card_entry_add(
            acting_user=advisor, client=registered_client, kind="contact", text=f"Kontakt {n}"
        )
    # + the inbox badge in the navigation
    with django_assert_max_num_queries(13):
        response = advisor_client.get(reverse("client_journal", args=[registered_client.pk]))
    assert len(response.context["page"]) == 100
    assert response.context["page"].paginator.count == 121
