"""Managers create, edit and deactivate their office's staff without the Django admin."""

import pytest
from auditlog.models import LogEntry
from django.test import Client as HttpClient
from django.urls import reverse

from labour_office.audit.models import AccessLog
from labour_office.offices.models import Office, Role, User
from tests.conftest import signed_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Wiosna-nad-Wisla-2026"


def new_staff_form(**overrides: str) -> dict[str, str]:
    data = {
        "username": "jan.kowalczyk",
        "first_name": "Jan",
        "last_name": "Kowalczyk",
        "email": "jan.kowalczyk@example.org",
        "post": "counsellor",
        "is_customer_advisor": "on",
        "role": "advisor",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_manager_creates_an_advisor_in_their_own_office(
    manager_client: HttpClient, office: Office
) -> None:
    response = manager_client.post(reverse("staff_create"), new_staff_form())
    created = User.objects.get(username="jan.kowalczyk")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_detail", args=[created.pk])
    assert created.office == office
    assert created.is_customer_advisor
    assert created.roles == {Role.ADVISOR}
    assert created.must_change_password
    assert created.check_password(NEW_PASSWORD)


def test_new_account_must_change_its_initial_password_first(
    manager_client: HttpClient,
) -> None:
    manager_client.post(reverse("staff_create"), new_staff_form())
    http = HttpClient()
    response = http.post(
        reverse("login"), {"username": "jan.kowalczyk", "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("password_change")
    response = http.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")

    response = http.post(
        reverse("password_change"),
        {
            "old_password": NEW_PASSWORD,
            "new_password1": "Jesien-nad-Odra-2027",
            "new_password2": "Jesien-nad-Odra-2027",
        },
    )
    assert response.status_code == 302
    assert http.get(reverse("home")).status_code == 200
    assert not User.objects.get(username="jan.kowalczyk").must_change_password


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "Inne-haslo-2026-x"}, "password2"),
        ({"password1": "krotkie", "password2": "krotkie"}, "password1"),
        ({"username": "kierownik"}, "username"),
        ({"first_name": ""}, "first_name"),
        ({"email": "not-an-address"}, "email"),
        ({"post": "janitor"}, "post"),
        ({"role": "admin"}, "role"),
    ],
)
def test_bad_staff_form_shows_a_field_error_and_creates_nothing(
    manager_client: HttpClient, manager: User, overrides: dict[str, str], field: str
) -> None:
    before = User.objects.count()
    response = manager_client.post(reverse("staff_create"), new_staff_form(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert User.objects.count() == before
    # What the manager typed is kept for correction (except the passwords).
    assert response.context["form"].data["last_name"] == new_staff_form(**overrides)["last_name"]


def test_manager_may_not_appoint_an_administrator_but_an_administrator_may(
    office_admin: User,
) -> None:
    response = signed_in(office_admin).post(
        reverse("staff_create"), new_staff_form(role="admin", is_customer_advisor="")
    )
    assert response.status_code == 302
    created = User.objects.get(username="jan.kowalczyk")
    assert created.roles == {Role.ADMIN}
    assert created.is_staff


def test_manager_edits_post_role_and_advisor_function(
    manager_client: HttpClient, advisor: User
) -> None:
    response = manager_client.post(
        reverse("staff_edit", args=[advisor.pk]),
        {
            "first_name": "Anna",
            "last_name": "Kowalska-Nowak",
            "email": "anna@example.org",
            "post": "development",
            "role": "manager",
        },
    )
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert advisor.last_name == "Kowalska-Nowak"
    assert advisor.post == "development"
    assert not advisor.is_customer_advisor
    assert advisor.roles == {Role.MANAGER}


def test_manager_cannot_change_their_own_role(manager_client: HttpClient, manager: User) -> None:
    response = manager_client.post(
        reverse("staff_edit", args=[manager.pk]),
        {"first_name": "T", "last_name": "N", "email": "", "post": "placement", "role": "advisor"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    manager.refresh_from_db()
    assert manager.roles == {Role.MANAGER}


def test_deactivated_advisor_cannot_sign_in_and_is_no_longer_a_customer_advisor_candidate(
    manager_client: HttpClient, advisor: User
) -> None:
    response = manager_client.post(reverse("staff_deactivate", args=[advisor.pk]))
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert not advisor.is_active
    assert advisor not in User.objects.customer_advisors()
    response = HttpClient().post(
        reverse("login"), {"username": advisor.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()

    manager_client.post(reverse("staff_activate", args=[advisor.pk]))
    advisor.refresh_from_db()
    assert advisor.is_active
    assert advisor in User.objects.customer_advisors()


def test_manager_cannot_deactivate_themselves(manager_client: HttpClient, manager: User) -> None:
    response = manager_client.post(reverse("staff_deactivate", args=[manager.pk]), follow=True)
    manager.refresh_from_db()
    assert manager.is_active
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_staff_changes_keep_a_history_with_actor_and_address(manager: User, advisor: User) -> None:
    http = signed_in(manager)
    http.post(
        reverse("staff_edit", args=[advisor.pk]),
        {
            "first_name": "Anna",
            "last_name": "Zmieniona",
            "email": "",
            "post": "placement",
            "is_customer_advisor": "on",
            "role": "advisor",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    entry = LogEntry.objects.get_for_object(advisor).latest("timestamp")
    assert entry.actor == manager
    assert entry.remote_addr == "10.1.2.3"
    assert entry.changes_dict["last_name"] == ["Kowalska", "Zmieniona"]
    assert "password" not in entry.changes_dict


def test_opening_a_staff_record_is_logged(manager: User, advisor: User) -> None:
    signed_in(manager).get(reverse("staff_detail", args=[advisor.pk]), REMOTE_ADDR="10.9.8.7")
    log = AccessLog.objects.get()
    assert log.user == manager
    assert log.object_id == str(advisor.pk)
    assert log.remote_addr == "10.9.8.7"
    assert log.action == "view"


def test_staff_list_has_a_fixed_query_budget(
    manager_client: HttpClient, office: Office, django_assert_max_num_queries
) -> None:
    UserFactory.create_batch(30, office=office)
    # session, user with office, 2 x permissions, roles, count, page, groups prefetch,
    # session save (3 with its savepoint), the inbox badge: independent of the number of staff.
    with django_assert_max_num_queries(12):
        response = manager_client.get(reverse("staff_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 31


def test_staff_search_ignores_diacritics(manager_client: HttpClient, office: Office) -> None:
    UserFactory(office=office, first_name="Łukasz", last_name="Żółć")
    response = manager_client.get(reverse("staff_list"), {"q": "zolc"})
    assert [p.last_name for p in response.context["page"]] == ["Żółć"]


@pytest.mark.parametrize("name", ["office_list", "staff_create", "system_status"])
def test_pages_have_a_fixed_query_budget(
    office_admin: User, name: str, django_assert_max_num_queries
) -> None:
    UserFactory.create_batch(5, office=office_admin.office)
    http = signed_in(office_admin)
    # Request overhead (session, user, permissions, roles, session save, inbox badge: 9) plus
    # the page's own.
    with django_assert_max_num_queries(12):
        response = http.get(reverse(name))
    assert response.status_code == 200


def test_detail_pages_have_a_fixed_query_budget(
    manager: User, advisor: User, office: Office, django_assert_max_num_queries
) -> None:
    http = signed_in(manager)
    for url in [
        reverse("staff_detail", args=[advisor.pk]),
        reverse("staff_edit", args=[advisor.pk]),
        reverse("office_detail", args=[office.pk]),
    ]:
        with django_assert_max_num_queries(12):
            assert http.get(url).status_code == 200
