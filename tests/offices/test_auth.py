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


def test_production_cookies_are_secure_httponly_and_samesite() -> None:
    """The production settings (HTTPS on, the default without DEBUG), read in a fresh process."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    dropped = ("DJANGO_SETTINGS_MODULE", "HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "labour_office.settings",
            "SECRET_KEY": "production-like-but-not-a-secret",
            "DATABASE_URL": "postgres://pup:secret@db.internal:5432/pup",
            "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
        }
    )
    names = [
        "HTTPS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
    ]
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "HTTPS": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
    }


def test_cookies_carry_the_flags_when_https_is_on(advisor: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    http = HttpClient()
    page = http.get(reverse("login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    response = sign_in(http, "doradca", secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # Idle timeout: the cookie lives as long as the idle limit and no longer.
    assert session["max-age"] == settings.SESSION_IDLE_MINUTES * 60 or session["expires"] == ""


SHORT_PASSWORD = "Kot-Pies-7x"  # 11 characters
GOOD_PASSWORD = "Jesien-Rzeka"  # 12 characters, neither common nor like the login


def test_an_eleven_character_password_is_refused_on_change(advisor: User) -> None:
    assert len(SHORT_PASSWORD) == 11 and len(GOOD_PASSWORD) == 12
    http = HttpClient()
    sign_in(http, "doradca")
    refused = http.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": SHORT_PASSWORD,
            "new_password2": SHORT_PASSWORD,
        },
    )
    assert refused.status_code == 200
    errors = " ".join(refused.context["form"].errors["new_password2"])
    assert "12" in errors  # "... musi zawierać co najmniej 12 znaków."
    assert "12" in refused.content.decode()
    advisor.refresh_from_db()
    assert advisor.check_password(PASSWORD)
    accepted = http.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert accepted.status_code == 302
    advisor.refresh_from_db()
    assert advisor.check_password(GOOD_PASSWORD)


def test_an_eleven_character_initial_password_is_refused_for_new_staff(manager: User) -> None:
    http = HttpClient()
    sign_in(http, "kierownik")
    form = {
        "username": "jan.kowalczyk",
        "first_name": "Jan",
        "last_name": "Kowalczyk",
        "email": "jan.kowalczyk@example.org",
        "post": "counsellor",
        "role": "advisor",
        "password1": SHORT_PASSWORD,
        "password2": SHORT_PASSWORD,
    }
    refused = http.post(reverse("staff_create"), form)
    assert refused.status_code == 200
    assert "12" in " ".join(refused.context["form"].errors["password1"])
    assert not User.objects.filter(username="jan.kowalczyk").exists()
    accepted = http.post(
        reverse("staff_create"), {**form, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert accepted.status_code == 302
    assert User.objects.get(username="jan.kowalczyk").check_password(GOOD_PASSWORD)
