"""The client pages: access, scoping, budgets and what the advisor sees."""

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import Client, Employer, Registration
from clients.services import employer_register
from labour_office.audit.models import AccessLog
from labour_office.offices.models import Office, User
from tests.clients_web.conftest import make_pesel, register
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(advisor: User, office: Office) -> Employer:
    return employer_register(
        acting_user=advisor,
        office=office,
        data={
            "name": "Piekarnia Kłos sp. z o.o.",
            "nip": "8471512347",
            "kind": "entrepreneur",
            "city": "Piaseczno",
        },
    )


def client_urls(client: Client) -> list[str]:
    return [
        reverse(name, args=[client.pk])
        for name in ("client_detail", "client_edit", "client_reassign")
    ]


def test_client_pages_require_sign_in(registered_client: Client) -> None:
    for url in [
        reverse("home"),
        reverse("client_register"),
        reverse("employer_list"),
        reverse("substitution_list"),
        *client_urls(registered_client),
    ]:
        response = HttpClient().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_another_office_gets_404_for_every_client_and_employer_page(
    registered_client: Client,
    employer: Employer,
    other_office_advisor: User,
    other_office_manager: User,
) -> None:
    for user in (other_office_advisor, other_office_manager):
        http = signed_in(user)
        for url in client_urls(registered_client):
            assert http.get(url).status_code in (403, 404), url
        assert http.get(reverse("client_detail", args=[registered_client.pk])).status_code == 404
        for name in ("client_deregister", "client_reregister", "client_entry_add"):
            response = http.post(reverse(name, args=[registered_client.pk]), {"text": "x"})
            assert response.status_code == 404, name
        assert http.get(reverse("employer_detail", args=[employer.pk])).status_code == 404
        assert http.get(reverse("employer_edit", args=[employer.pk])).status_code == 404
    assert Registration.objects.get(client=registered_client).is_open
    assert not AccessLog.objects.exists()


def test_desk_lists_my_clients_and_never_another_office(
    advisor_client: HttpClient, registered_client: Client, other_office_client: Client
) -> None:
    response = advisor_client.get(reverse("home"), {"advisor": "all"})
    assert list(response.context["page"]) == [registered_client]
    assert "Inny" not in response.content.decode()


def test_desk_search_ignores_diacritics_and_finds_by_pesel(
    advisor_client: HttpClient, registered_client: Client
) -> None:
    found = advisor_client.get(reverse("home"), {"q": "Lukasz Zolc"}).context["page"]
    assert list(found) == [registered_client]
    assert list(advisor_client.get(reverse("home"), {"q": "zolc"}).context["page"]) == [
        registered_client
    ]
    assert list(
        advisor_client.get(reverse("home"), {"q": registered_client.pesel}).context["page"]
    ) == [registered_client]
    assert list(advisor_client.get(reverse("home"), {"q": "Kowalczyk"}).context["page"]) == []


def test_desk_filters_by_status_and_registration_date(
    advisor: User, office: Office, advisor_client: HttpClient
) -> None:
    old = register(
        advisor,
        office,
        "Ewa",
        "Stara",
        make_pesel(date(1970, 3, 3), 1, True),
        registered_on=date(2025, 1, 10),
    )
    new = register(
        advisor,
        office,
        "Jan",
        "Nowy",
        make_pesel(date(1999, 9, 9), 2, False),
        registered_on=date(2026, 11, 2),
    )
    page = advisor_client.get(reverse("home"), {"registered_since": "2026-01-01"}).context["page"]
    assert list(page) == [new]
    page = advisor_client.get(reverse("home"), {"sort": "registered"}).context["page"]
    assert list(page) == [old, new]
    counts = advisor_client.get(reverse("home"), {"status": "jobseeker"}).context["counts"]
    assert counts["total"] == 0


def test_bad_desk_filter_shows_a_message_not_an_error(advisor_client: HttpClient) -> None:
    response = advisor_client.get(reverse("home"), {"registered_since": "31.02.2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["registered_since"]


def test_desk_has_a_fixed_query_budget(
    advisor: User, office: Office, advisor_client: HttpClient, django_assert_max_num_queries
) -> None:
    for n in range(30):
        register(advisor, office, "Anna", f"Nazwisko{n}", make_pesel(date(1985, 1, 1), n, True))
    # request overhead 8 + advisors, substitutions, counts, page
    with django_assert_max_num_queries(13):
        response = advisor_client.get(reverse("home"))
    assert len(response.context["page"]) == 25


def test_manager_desk_with_bulk_form_has_a_fixed_query_budget(
    advisor: User, office: Office, manager_client: HttpClient, django_assert_max_num_queries
) -> None:
    for n in range(30):
        register(advisor, office, "Anna", f"Nazwisko{n}", make_pesel(date(1985, 1, 1), n, True))
    with django_assert_max_num_queries(14):  # plus the advisors of the move form
        response = manager_client.get(reverse("home"))
    assert response.context["counts"]["total"] == 30


def test_client_page_shows_the_card_period_advisor_and_journal_and_logs_the_access(
    advisor: User,
    advisor_client: HttpClient,
    registered_client: Client,
    django_assert_max_num_queries,
) -> None:
    # overhead 8 + client, registrations, assignments, substitution, journal, parameter,
    # assessments, content type (cached after the first request), access log, the IPD
    # section (plans, current profile), the job club's enrolments, the inbox badge
    with django_assert_max_num_queries(21):
        response = advisor_client.get(reverse("client_detail", args=[registered_client.pk]))
    html = response.content.decode()
    assert registered_client.pesel in html
    assert "Anna Kowalska" in html  # the customer advisor
    assert response.context["page"].open_registration is not None
    assert len(response.context["page"].entries) == 1  # the registration's system entry
    log = AccessLog.objects.get()
    assert (log.user, log.object_id) == (advisor, str(registered_client.pk))


def test_registering_an_existing_pesel_opens_that_person(
    advisor_client: HttpClient, registered_client: Client
) -> None:
    response = advisor_client.get(reverse("client_register"), {"pesel": registered_client.pesel})
    assert response.status_code == 302
    assert response["Location"] == reverse("client_detail", args=[registered_client.pk])
    assert Client.objects.count() == 1


def test_registering_a_person_known_to_another_office_reveals_no_personal_data(
    advisor_client: HttpClient, other_office_client: Client
) -> None:
    response = advisor_client.get(reverse("client_register"), {"pesel": other_office_client.pesel})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wołominie" in html  # only where they are registered
    assert "Inny" not in html and "Piotr" not in html


def test_invalid_pesel_at_registration_says_why(advisor_client: HttpClient) -> None:
    response = advisor_client.get(reverse("client_register"), {"pesel": "85071901241"})
    assert response.status_code == 200
    assert response.context["lookup"].errors


def test_advisor_registers_an_unemployed_person_from_the_pesel(
    advisor: User, advisor_client: HttpClient
) -> None:
    pesel = make_pesel(date(1985, 7, 19), 12, True)
    response = advisor_client.post(
        reverse("client_register") + f"?pesel={pesel}",
        {
            "status": "unemployed",
            "registered_on": "2026-11-20",
            "first_name": "Maria",
            "last_name": "Wiśniewska",
            "city": "Piaseczno",
            "education_level": "higher",
            "citizenship": "polskie",
            "work_experience_months": "24",
            "language_level": "none",
            "has_phone": "on",
        },
    )
    client = Client.objects.get(pesel=pesel)
    assert response.status_code == 302
    assert response["Location"] == reverse("client_detail", args=[client.pk])
    assert client.birth_date == date(1985, 7, 19) and client.sex == "F"
    assert client.assignments.get(ended_at__isnull=True).advisor == advisor


def test_a_rejected_registration_keeps_what_was_typed(advisor_client: HttpClient) -> None:
    pesel = make_pesel(date(1985, 7, 19), 12, True)
    response = advisor_client.post(
        reverse("client_register") + f"?pesel={pesel}",
        {
            "status": "jobseeker",
            "registered_on": "2026-11-20",
            "first_name": "Maria",
            "last_name": "Wiśniewska",
            "city": "Piaseczno",
            "education_level": "higher",
            "citizenship": "polskie",
            "work_experience_months": "-3",
            "postal_code": "05500",
        },
    )
    form = response.context["form"]
    assert set(form.errors) >= {"jobseeker_category", "work_experience_months", "postal_code"}
    assert form.data["last_name"] == "Wiśniewska"
    assert not Client.objects.exists()


def test_a_person_without_pesel_with_a_namesake_needs_confirmation(
    advisor: User, office: Office, advisor_client: HttpClient
) -> None:
    data = {
        "status": "unemployed",
        "registered_on": "2026-11-20",
        "first_name": "Olena",
        "last_name": "Kowal",
        "city": "Piaseczno",
        "education_level": "higher",
        "citizenship": "ukraińskie",
        "work_experience_months": "0",
        "language_level": "basic",
        "birth_date": "1990-02-03",
        "sex": "F",
        "document_type": "passport",
        "document_number": "FA123456",
        "document_country": "Ukraina",
    }
    url = reverse("client_register") + "?no_pesel=on"
    assert advisor_client.post(url, data).status_code == 302
    second = {**data, "document_number": "FB999999"}
    response = advisor_client.post(url, second)
    assert response.status_code == 200
    assert [c.last_name for c in response.context["duplicates"]] == ["Kowal"]
    assert Client.objects.count() == 1
    assert advisor_client.post(url, {**second, "confirm_not_duplicate": "on"}).status_code == 302
    assert Client.objects.count() == 2


def test_deregistration_and_return_through_the_client_page(
    advisor: User, advisor_client: HttpClient, registered_client: Client
) -> None:
    from clients.models import DeregistrationReason

    reason = DeregistrationReason.objects.get(code="employment")
    url = reverse("client_deregister", args=[registered_client.pk])
    bad = advisor_client.post(url, {"deregistered_on": "2020-01-01", "reason": reason.pk})
    assert bad.status_code == 200 and bad.context["form"].errors
    ok = advisor_client.post(url, {"deregistered_on": "2026-11-10", "reason": reason.pk})
    assert ok.status_code == 302
    assert not Registration.objects.filter(
        client=registered_client, deregistered_on__isnull=True
    ).exists()
    advisor_client.post(
        reverse("client_reregister", args=[registered_client.pk]),
        {"status": "unemployed", "registered_on": "2026-11-20"},
    )
    assert registered_client.registrations.count() == 2
    current = registered_client.assignments.get(ended_at__isnull=True)
    assert (current.advisor, current.kind) == (advisor, "return")


def test_journal_entry_from_the_client_page(
    advisor_client: HttpClient, registered_client: Client
) -> None:
    url = reverse("client_entry_add", args=[registered_client.pk])
    assert advisor_client.post(url, {"kind": "contact", "text": ""}).status_code == 200
    response = advisor_client.post(url, {"kind": "contact", "text": "Rozmowa telefoniczna."})
    assert response.status_code == 302
    assert registered_client.entries.filter(kind="contact").get().text == "Rozmowa telefoniczna."


def test_only_managers_reassign_and_bulk_reassign_moves_the_ticked_clients(
    advisor: User,
    office: Office,
    advisor_client: HttpClient,
    manager_client: HttpClient,
    registered_client: Client,
) -> None:
    other = UserFactory(office=office, last_name="Zastępca")
    data = {
        "move-clients": [registered_client.pk],
        "move-advisor": other.pk,
        "move-reason": "Urlop macierzyński",
    }
    assert advisor_client.post(reverse("clients_bulk_reassign"), data).status_code == 403
    assert manager_client.post(reverse("clients_bulk_reassign"), data).status_code == 302
    assert registered_client.assignments.get(ended_at__isnull=True).advisor == other


def test_employer_pages_have_fixed_query_budgets(
    advisor_client: HttpClient, employer: Employer, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(11):
        assert advisor_client.get(reverse("employer_list")).status_code == 200
    with django_assert_max_num_queries(13):
        response = advisor_client.get(reverse("employer_detail", args=[employer.pk]))
    assert "8471512347" in response.content.decode()


def test_employer_registration_checks_the_nip(advisor_client: HttpClient) -> None:
    response = advisor_client.post(
        reverse("employer_register"),
        {"name": "Zła Firma", "nip": "1234567890", "kind": "entrepreneur", "city": "Piaseczno"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nip"]
    response = advisor_client.post(
        reverse("employer_register"),
        {
            "name": "Dobra Firma",
            "nip": "847-151-23-47",
            "kind": "entrepreneur",
            "city": "Piaseczno",
        },
    )
    assert response.status_code == 302
    assert Employer.objects.get().nip == "8471512347"


def test_substitutions_page_lets_a_manager_plan_an_absence(
    advisor: User, office: Office, manager_client: HttpClient, advisor_client: HttpClient
) -> None:
    substitute = UserFactory(office=office)
    data = {
        "absent": advisor.pk,
        "substitute": substitute.pk,
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-14",
        "reason": "urlop",
    }
    assert advisor_client.post(reverse("substitution_list"), data).status_code == 403
    assert manager_client.post(reverse("substitution_list"), data).status_code == 302
    bad = manager_client.post(reverse("substitution_list"), {**data, "ends_on": "2026-11-01"})
    assert bad.context["form"].errors
