"""Sign-in, lockout, idle timeout, language and roles."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from labour_office.offices.models import Role, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(http: HttpClient, username: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return http.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_login_page_speaks_polish_even_to_an_english_browser() -> None:
    response = HttpClient().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "Logowanie" in html
    assert "Zaloguj" in html
    assert response["Content-Language"] == "pl"


def test_language_switch_turns_the_interface_english(advisor: User) -> None:
    http = HttpClient()
    http.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    html = http.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html


def test_advisor_signs_in_and_lands_on_the_desk(advisor: User) -> None:
    http = HttpClient()
    response = sign_in(http, "doradca")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    html = http.get(reverse("home")).content.decode()
    assert "Powiatowy Urząd Pracy w Piasecznie" in html  # the office is always visible
    assert "doradca" in html  # and the role


def test_wrong_password_is_refused_with_a_message(advisor: User) -> None:
    response = sign_in(HttpClient(), "doradca", "zle-haslo")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failed_logins_lock_the_account_from_that_address(advisor: User, settings) -> None:  # type: ignore[no-untyped-def]
    http = HttpClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(http, "doradca", "zle-haslo", REMOTE_ADDR="10.0.0.5")
    # Even the right password is refused now, from that address.
    response = sign_in(http, "doradca", PASSWORD, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 429
    assert "Konto zablokowane" in response.content.decode()
    assert "_auth_user_id" not in http.session
    # The same account from another address is not locked (no denial of service by guessing).
    assert sign_in(HttpClient(), "doradca", PASSWORD, REMOTE_ADDR="10.0.0.6").status_code == 302


def test_session_ends_after_the_idle_timeout_but_not_while_in_use(advisor: User, settings) -> None:  # type: ignore[no-untyped-def]
    idle = dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    start = timezone.now()
    http = HttpClient()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(http, "doradca")
        traveller.move_to(start + idle - dt.timedelta(minutes=1))
        assert http.get(reverse("home")).status_code == 200  # activity renews the session
        traveller.move_to(start + 2 * idle - dt.timedelta(minutes=2))
        assert http.get(reverse("home")).status_code == 200
        traveller.move_to(start + 3 * idle)
        response = http.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_changing_the_password_signs_out_other_sessions(advisor: User) -> None:
    desk, phone = HttpClient(), HttpClient()
    sign_in(desk, "doradca")
    sign_in(phone, "doradca")
    desk.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nowe-haslo-na-2027",
            "new_password2": "Nowe-haslo-na-2027",
        },
    )
    assert desk.get(reverse("home")).status_code == 200
    assert phone.get(reverse("home")).status_code == 302


def test_logout_is_post_only_and_ends_the_session(advisor: User) -> None:
    http = HttpClient()
    sign_in(http, "doradca")
    assert http.get(reverse("logout")).status_code == 405
    http.post(reverse("logout"))
    assert http.get(reverse("home")).status_code == 302


def test_roles_are_groups_with_growing_permissions() -> None:
    def perms(role: str) -> set[str]:
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }

    assert "offices.manage_staff" not in perms(Role.ADVISOR)
    assert perms(Role.ADVISOR) < perms(Role.MANAGER) < perms(Role.ADMIN)
    assert "offices.manage_staff" in perms(Role.MANAGER)
    assert "django_celery_beat.change_periodictask" in perms(Role.ADMIN)


def test_a_staff_member_without_office_is_refused_by_the_database(db: None) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bez.urzedu")


def test_every_permission_a_role_names_exists() -> None:
    from labour_office.offices.roles import ROLE_PERMISSIONS

    for role, names in ROLE_PERMISSIONS.items():
        assert Group.objects.get(name=role).permissions.count() == len(set(names)), role
