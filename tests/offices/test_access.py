"""Office scoping: nobody sees another office's staff or office page; roles gate the rest."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from labour_office.offices.models import Office, User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def office_scoped_urls(office: Office, staff: User) -> list[str]:
    return [
        reverse("office_detail", args=[office.pk]),
        reverse("staff_detail", args=[staff.pk]),
        reverse("staff_edit", args=[staff.pk]),
    ]


def test_every_page_but_login_and_health_requires_sign_in(advisor: User, office: Office) -> None:
    anonymous = HttpClient()
    for url in [
        reverse("home"),
        reverse("staff_list"),
        reverse("staff_create"),
        reverse("office_list"),
        reverse("system_status"),
        *office_scoped_urls(office, advisor),
    ]:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert anonymous.get(reverse("login")).status_code == 200
    assert anonymous.get(reverse("health")).status_code == 200


def test_advisor_of_another_office_gets_404_for_every_office_scoped_page(
    advisor: User, office: Office, other_office_advisor: User
) -> None:
    http = signed_in(other_office_advisor)
    for url in office_scoped_urls(office, advisor):
        assert http.get(url).status_code in (403, 404), url
    # The read-only pages an advisor may open answer 404, never the other office's data.
    assert http.get(reverse("office_detail", args=[office.pk])).status_code == 404
    assert http.get(reverse("staff_detail", args=[advisor.pk])).status_code == 404


def test_manager_of_another_office_gets_404_and_cannot_change_staff(
    advisor: User, office: Office, other_office_manager: User
) -> None:
    http = signed_in(other_office_manager)
    for url in office_scoped_urls(office, advisor):
        assert http.get(url).status_code == 404, url
    response = http.post(reverse("staff_deactivate", args=[advisor.pk]))
    assert response.status_code == 404
    advisor.refresh_from_db()
    assert advisor.is_active


def test_staff_list_shows_only_the_own_office(
    manager_client: HttpClient, advisor: User, other_office_advisor: User
) -> None:
    response = manager_client.get(reverse("staff_list"))
    people = list(response.context["page"])
    assert advisor in people
    assert other_office_advisor not in people
    assert "Wójcik" not in response.content.decode()


def test_office_list_shows_only_the_own_office(
    advisor_client: HttpClient, office: Office, other_office: Office
) -> None:
    response = advisor_client.get(reverse("office_list"))
    assert list(response.context["page"]) == [office]


def test_national_admin_sees_every_office_and_its_staff(
    national_admin: User, advisor: User, other_office_advisor: User
) -> None:
    http = signed_in(national_admin)
    assert http.get(reverse("staff_detail", args=[other_office_advisor.pk])).status_code == 200
    response = http.get(reverse("staff_list"))
    assert {advisor, other_office_advisor} <= set(response.context["page"])


def test_advisor_cannot_manage_staff(advisor_client: HttpClient, advisor: User) -> None:
    assert advisor_client.get(reverse("staff_create")).status_code == 403
    assert advisor_client.get(reverse("staff_edit", args=[advisor.pk])).status_code == 403
    assert advisor_client.post(reverse("staff_deactivate", args=[advisor.pk])).status_code == 403


def test_system_status_is_for_administrators_only(
    advisor_client: HttpClient, manager_client: HttpClient, office_admin: User
) -> None:
    assert advisor_client.get(reverse("system_status")).status_code == 403
    assert manager_client.get(reverse("system_status")).status_code == 403
    assert signed_in(office_admin).get(reverse("system_status")).status_code == 200


def test_deactivation_is_post_only(manager_client: HttpClient, advisor: User) -> None:
    assert manager_client.get(reverse("staff_deactivate", args=[advisor.pk])).status_code == 405
