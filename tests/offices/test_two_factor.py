"""Two-factor login (TOTP with django-otp): setting it up, signing in with the code, recovery
codes, an office's requirement for managers and administrators, throttling and lockout.

Codes are computed as an authenticator app computes them, from the secret the setup page shows;
time is frozen and moved on by whole 30-second steps (a code is accepted once).
"""

import datetime as dt
import re
from binascii import unhexlify
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from labour_office.offices import two_factor
from labour_office.offices.models import Office, User
from tests.conftest import signed_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)
STEP = dt.timedelta(seconds=30)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def later(clock: Any, steps: int = 1) -> None:
    """Moves the frozen clock on by whole TOTP steps (and the throttles' waits with it)."""
    clock.shift(STEP * steps)


def code(key: bytes | str) -> str:
    """The code an authenticator app shows now for the secret (hex or bytes)."""
    totp = TOTP(unhexlify(key) if isinstance(key, str) else key, step=30, t0=0, digits=6)
    return f"{totp.token():06d}"


def sign_in(http: HttpClient, username: str, **extra: Any) -> Any:
    return http.post(reverse("login"), {"username": username, "password": PASSWORD}, **extra)


def give_code(http: HttpClient, token: str, next_url: str = "", **extra: Any) -> Any:
    data = {"otp_token": token}
    if next_url:
        data["next"] = next_url
    return http.post(reverse("two_factor_verify"), data, **extra)


def enable(user: User) -> TOTPDevice:
    """An authenticator set up as the setup page does it, with recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    two_factor.new_recovery_codes(user)
    return device


def code_error(response: Any) -> str:
    return " ".join(response.context["form"].errors.get("otp_token", []))


def test_anyone_turns_it_on_from_the_account_page(advisor: User, clock: Any) -> None:
    http = HttpClient()
    sign_in(http, "doradca")
    page = http.get(reverse("two_factor"))
    assert page.status_code == 200
    html = page.content.decode()
    # A server-made inline SVG QR code, the secret to type by hand, no script of its own.
    assert re.search(r'<svg width="220" height="220" role="img" aria-label="[^"]+"', html)
    assert "<path" in html
    hex_key = http.session[two_factor.SETUP_KEY_SESSION_KEY]
    secret = two_factor.base32_secret(hex_key)
    assert secret in html
    assert secret.replace(" ", "") == page.context["secret"].replace(" ", "")
    assert "<script" not in html.split("<main", 1)[1]
    # The QR code carries the same secret, for the app to add the account.
    url = two_factor.config_url(advisor, hex_key)
    assert url.startswith("otpauth://totp/PUP%3Adoradca?")
    assert f"secret={secret.replace(' ', '')}" in url

    wrong = http.post(reverse("two_factor"), {"otp_token": "000000"})
    assert wrong.status_code == 200
    assert code_error(wrong)
    assert not TOTPDevice.objects.filter(user=advisor).exists()
    empty = http.post(reverse("two_factor"), {"otp_token": ""})
    assert code_error(empty)

    done = http.post(reverse("two_factor"), {"otp_token": code(hex_key)})
    assert done.status_code == 302
    device = TOTPDevice.objects.get(user=advisor)
    assert device.confirmed and device.key == hex_key
    # The recovery codes are shown once, then never again.
    shown = http.get(done["Location"])
    codes = shown.context["new_codes"]
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert all(c in shown.content.decode() for c in codes)
    assert set(
        StaticToken.objects.filter(device__user=advisor).values_list("token", flat=True)
    ) == set(codes)
    again = http.get(reverse("two_factor"))
    assert again.context["new_codes"] is None
    assert codes[0] not in again.content.decode()
    # The session that set it up is verified: the desk opens without another code.
    assert http.get(reverse("home")).status_code == 200


def test_signing_in_asks_for_the_code_before_any_page(advisor: User, clock: Any) -> None:
    device = enable(advisor)
    http = HttpClient()
    response = sign_in(http, "doradca")
    assert response.status_code == 302
    home = http.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"] == f"{reverse('two_factor_verify')}?next=%2F"
    for url in [
        reverse("staff_list"),
        reverse("two_factor"),
        reverse("password_change"),
        reverse("office_detail", args=[advisor.office_id]),
        "/admin/",
    ]:
        answer = http.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"].startswith(reverse("two_factor_verify")), url
    # A POST is refused the same way, and changes nothing.
    assert http.post(reverse("two_factor"), {"action": "codes"}).status_code == 302
    assert StaticToken.objects.filter(device__user=advisor).count() == 10
    # The code page, the language and signing out stay open.
    page = http.get(reverse("two_factor_verify"))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert http.post(reverse("set_language"), {"language": "pl"}).status_code == 302

    wrong = give_code(http, "123456")
    assert wrong.status_code == 200
    assert "30" in code_error(wrong)  # "... it changes every 30 seconds ..."
    assert http.get(reverse("home")).status_code == 302

    later(clock)  # past the one-second wait after a wrong code
    session_before = http.session.session_key
    right = give_code(http, code(device.bin_key), next_url=reverse("staff_list"))
    assert right.status_code == 302
    assert right["Location"] == reverse("staff_list")
    assert http.session.session_key != session_before  # a new session key once verified
    assert http.get(reverse("home")).status_code == 200
    assert http.get(reverse("staff_list")).status_code == 200
    # The same code is not accepted twice (another session replaying it).
    other = HttpClient()
    sign_in(other, "doradca")
    assert give_code(other, code(device.bin_key)).status_code == 200
    assert other.get(reverse("home")).status_code == 302


def test_an_external_next_is_not_followed(advisor: User, clock: Any) -> None:
    device = enable(advisor)
    http = HttpClient()
    sign_in(http, "doradca")
    response = give_code(http, code(device.bin_key), next_url="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_the_admin_is_behind_the_code_too(office_admin: User, clock: Any) -> None:
    device = enable(office_admin)
    http = HttpClient()
    sign_in(http, "admin")
    response = http.get("/admin/offices/user/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    give_code(http, code(device.bin_key))
    assert http.get("/admin/offices/user/").status_code == 200


def test_a_recovery_code_signs_in_once(advisor: User, clock: Any) -> None:
    enable(advisor)
    recovery = StaticToken.objects.filter(device__user=advisor).first()
    assert recovery is not None
    http = HttpClient()
    sign_in(http, "doradca")
    typed = f" {recovery.token[:4].upper()}-{recovery.token[4:].upper()} "  # as people type it
    assert give_code(http, typed).status_code == 302
    assert http.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=advisor).count() == 9
    again = HttpClient()
    sign_in(again, "doradca")
    later(clock)
    assert give_code(again, recovery.token).status_code == 200
    assert again.get(reverse("home")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(advisor: User, clock: Any) -> None:
    enable(advisor)
    old = set(StaticToken.objects.filter(device__user=advisor).values_list("token", flat=True))
    http = signed_in(advisor)
    device = TOTPDevice.objects.get(user=advisor)
    give_code(http, code(device.bin_key))
    response = http.post(reverse("two_factor"), {"action": "codes"})
    assert response.status_code == 302
    new = set(StaticToken.objects.filter(device__user=advisor).values_list("token", flat=True))
    assert len(new) == 10 and not new & old
    assert StaticDevice.objects.filter(user=advisor).count() == 1
    page = http.get(reverse("two_factor"))
    assert set(page.context["new_codes"]) == new


def test_turning_it_off_takes_a_current_code(advisor: User, clock: Any) -> None:
    device = enable(advisor)
    http = signed_in(advisor)
    give_code(http, code(device.bin_key))
    later(clock)
    refused = http.post(reverse("two_factor"), {"action": "disable", "otp_token": "000000"})
    assert refused.status_code == 200
    assert code_error(refused)
    assert TOTPDevice.objects.filter(user=advisor).exists()
    later(clock)
    done = http.post(reverse("two_factor"), {"action": "disable", "otp_token": code(device.key)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=advisor).exists()
    assert not StaticDevice.objects.filter(user=advisor).exists()
    assert http.get(reverse("home")).status_code == 200
    # The next sign-in needs the password alone.
    again = HttpClient()
    sign_in(again, "doradca")
    assert again.get(reverse("home")).status_code == 200


def test_an_office_requirement_sends_managers_and_administrators_to_setup(
    office: Office, manager: User, office_admin: User, advisor: User, clock: Any
) -> None:
    office.require_two_factor = True
    office.save(update_fields=["require_two_factor"])
    for user in (manager, office_admin):
        http = HttpClient()
        sign_in(http, user.username)
        for url in [reverse("home"), reverse("staff_list"), "/admin/"]:
            response = http.get(url)
            assert response.status_code == 302, (user, url)
            assert response["Location"].startswith(reverse("two_factor")), (user, url)
        page = http.get(reverse("two_factor"))
        assert page.status_code == 200
        assert page.context["required"] is True
        assert http.get(reverse("password_change")).status_code == 200
        hex_key = http.session[two_factor.SETUP_KEY_SESSION_KEY]
        done = http.post(
            reverse("two_factor"), {"otp_token": code(hex_key), "next": reverse("staff_list")}
        )
        assert done.status_code == 302
        assert http.get(reverse("staff_list")).status_code == 200
        # Required: it cannot be turned off.
        later(clock)
        refused = http.post(
            reverse("two_factor"), {"action": "disable", "otp_token": code(hex_key)}
        )
        assert refused.status_code == 200
        assert code_error(refused)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # Advisors are not concerned: the password suffices.
    http = HttpClient()
    sign_in(http, "doradca")
    assert http.get(reverse("home")).status_code == 200
    assert http.get(reverse("two_factor")).context["required"] is False


def test_the_requirement_reaches_sessions_already_open(office: Office, manager: User) -> None:
    http = signed_in(manager)
    assert http.get(reverse("home")).status_code == 200
    office.require_two_factor = True
    office.save(update_fields=["require_two_factor"])
    assert http.get(reverse("home"))["Location"].startswith(reverse("two_factor"))


def test_a_session_opened_before_it_was_turned_on_is_asked_for_the_code(
    advisor: User, clock: Any
) -> None:
    desk = signed_in(advisor)  # say, with a stolen password
    assert desk.get(reverse("home")).status_code == 200
    device = enable(advisor)  # on another computer
    # The next page of the old session, whatever it is, asks for the code.
    for url in (reverse("home"), reverse("two_factor"), reverse("staff_list")):
        response = desk.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_verify")), url
    advisor.refresh_from_db()
    assert advisor.has_two_factor
    give_code(desk, code(device.bin_key))
    assert desk.get(reverse("home")).status_code == 200


def test_wrong_codes_are_throttled_then_lock_the_account(
    advisor: User, settings: Any, clock: Any
) -> None:
    device = enable(advisor)
    http = HttpClient(REMOTE_ADDR="10.0.0.7")
    sign_in(http, "doradca")
    assert "30" in code_error(give_code(http, "111111"))
    # At once after a wrong code even the right one waits (django-otp's doubling delay).
    throttled = give_code(http, code(device.bin_key))
    assert throttled.status_code == 200
    wait = timezone.localtime(timezone.now() + dt.timedelta(seconds=1)).strftime("%H:%M:%S")
    assert wait in code_error(throttled)
    assert http.get(reverse("home")).status_code == 302
    assert AccessAttempt.objects.get(username="doradca").failures_since_start == 1
    # Each wrong code is a failed sign-in for django-axes: at the limit the session ends.
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        later(clock)  # 30 s: past each wait (1, 2, 4, 8 s)
        assert give_code(http, "111111").status_code == 200
    later(clock)
    locked = give_code(http, "111111")
    assert locked.status_code == 429
    assert "_auth_user_id" not in http.session
    assert "111111" not in AccessAttempt.objects.get(username="doradca").post_data
    # The password alone does not open it again from that address, even with the right code.
    assert sign_in(HttpClient(), "doradca", REMOTE_ADDR="10.0.0.7").status_code == 429
    # From another address the password is taken, and the device's wait still applies.
    elsewhere = HttpClient(REMOTE_ADDR="10.0.0.8")
    assert sign_in(elsewhere, "doradca").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == settings.AXES_FAILURE_LIMIT
    assert give_code(elsewhere, code(device.bin_key)).status_code == 200
    later(clock)  # 2 ** (5 - 1) = 16 seconds after the last failure
    right = give_code(elsewhere, code(device.bin_key))
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_signing_in_again_does_not_clear_the_wrong_codes(
    advisor: User, settings: Any, clock: Any
) -> None:
    """Someone who knows the password cannot reset the count of guessed codes by signing in
    again: only the right code clears it."""
    enable(advisor)
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        http = HttpClient(REMOTE_ADDR="10.0.0.9")
        assert sign_in(http, "doradca").status_code == 302
        later(clock)
        assert give_code(http, "111111").status_code == 200
        assert AccessAttempt.objects.get(username="doradca").failures_since_start == attempt + 1
    http = HttpClient(REMOTE_ADDR="10.0.0.9")
    assert sign_in(http, "doradca").status_code == 302
    later(clock)
    assert give_code(http, "111111").status_code == 429


def test_a_password_sign_in_without_two_factor_clears_the_failures(advisor: User) -> None:
    http = HttpClient(REMOTE_ADDR="10.0.0.9")
    wrong = {"username": "doradca", "password": "not-the-password"}
    http.post(reverse("login"), wrong)
    assert AccessAttempt.objects.filter(username="doradca").exists()
    assert sign_in(http, "doradca").status_code == 302
    assert not AccessAttempt.objects.filter(username="doradca").exists()


def test_a_right_code_clears_the_failed_sign_ins(advisor: User, clock: Any) -> None:
    device = enable(advisor)
    http = HttpClient()
    sign_in(http, "doradca")
    give_code(http, "111111")
    assert AccessAttempt.objects.filter(username="doradca").exists()
    later(clock)
    assert give_code(http, code(device.bin_key)).status_code == 302
    assert not AccessAttempt.objects.filter(username="doradca").exists()


def test_a_forced_password_change_comes_after_the_code(advisor: User, clock: Any) -> None:
    advisor.must_change_password = True
    advisor.save(update_fields=["must_change_password"])
    device = enable(advisor)
    http = HttpClient()
    sign_in(http, "doradca")
    first = http.get(reverse("home"))
    assert first["Location"] == reverse("password_change")
    second = http.get(reverse("password_change"))
    assert second["Location"].startswith(reverse("two_factor_verify"))
    assert http.get(reverse("two_factor_verify")).status_code == 200
    give_code(http, code(device.bin_key))
    assert http.get(reverse("home"))["Location"] == reverse("password_change")
    new = "Zupelnie-nowe-haslo-77"
    changed = http.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    # The changed password keeps this session, verified.
    assert http.get(reverse("home")).status_code == 200


def test_a_manager_turns_it_off_for_a_lost_phone(
    advisor: User, manager: User, other_office_manager: User, clock: Any
) -> None:
    enable(advisor)
    waiting = HttpClient()
    sign_in(waiting, "doradca")
    assert waiting.get(reverse("home")).status_code == 302
    url = reverse("staff_reset_two_factor", args=[advisor.pk])
    assert signed_in(other_office_manager).post(url).status_code == 404
    assert signed_in(advisor).post(url).status_code in (302, 403)  # the code first, or refused
    assert TOTPDevice.objects.filter(user=advisor).exists()
    http = signed_in(manager)
    detail = http.get(reverse("staff_detail", args=[advisor.pk]))
    assert detail.context["staff"].two_factor_on is True
    assert http.get(url).status_code == 405
    assert http.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=advisor).exists()
    assert not StaticDevice.objects.filter(user=advisor).exists()
    assert http.get(reverse("staff_detail", args=[advisor.pk])).context["staff"].two_factor_on is (
        False
    )
    # A session waiting for the code is let through: the password suffices now.
    assert waiting.get(reverse("home")).status_code == 200
    assert waiting.get(reverse("staff_list")).status_code == 200


def test_a_manager_cannot_turn_it_off_for_an_account_of_every_office(
    office: Office, manager: User, clock: Any
) -> None:
    boss = UserFactory(username="centrala", office=office)
    boss.is_superuser = True
    boss.save(update_fields=["is_superuser"])
    enable(boss)
    response = signed_in(manager).post(reverse("staff_reset_two_factor", args=[boss.pk]))
    assert response.status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=boss).exists()
    boss.refresh_from_db()
    assert boss.has_two_factor


def test_the_staff_list_shows_who_has_it(advisor: User, manager: User) -> None:
    enable(advisor)
    page = signed_in(manager).get(reverse("staff_list"))
    people = {p.username: p.two_factor_on for p in page.context["page"]}
    assert people == {"doradca": True, "kierownik": False}


def test_an_office_administrator_sets_the_requirement(
    office: Office, office_admin: User, manager: User, other_office: Office
) -> None:
    url = reverse("office_detail", args=[office.pk])
    # A manager sees it but may not change it.
    page = signed_in(manager).get(url)
    assert page.context["security_form"] is None
    assert signed_in(manager).post(url, {"require_two_factor": "on"}).status_code == 403
    http = signed_in(office_admin)
    # Another office's page answers 404.
    other = reverse("office_detail", args=[other_office.pk])
    assert http.post(other, {"require_two_factor": "on"}).status_code == 404
    other_office.refresh_from_db()
    assert other_office.require_two_factor is False
    assert http.get(url).context["security_form"] is not None
    assert http.post(url, {"require_two_factor": "on"}).status_code == 302
    office.refresh_from_db()
    assert office.require_two_factor is True
    # The administrator is now sent to set it up; unticking needs the setup done first.
    assert http.get(url)["Location"].startswith(reverse("two_factor"))


def test_the_office_form_in_the_admin_has_the_requirement(
    office: Office, office_admin: User
) -> None:
    page = signed_in(office_admin).get(f"/admin/offices/office/{office.pk}/change/")
    assert page.status_code == 200
    assert 'name="require_two_factor"' in page.content.decode()


def test_two_factor_pages_keep_a_fixed_query_budget(
    advisor: User, clock: Any, django_assert_max_num_queries: Any
) -> None:
    device = enable(advisor)
    http = HttpClient()
    sign_in(http, "doradca")
    with django_assert_max_num_queries(5):  # the session and the user: no page is built
        assert http.get(reverse("home")).status_code == 302
    with django_assert_max_num_queries(12):
        assert http.get(reverse("two_factor_verify")).status_code == 200
    with django_assert_max_num_queries(20):
        assert give_code(http, code(device.bin_key)).status_code == 302
    with django_assert_max_num_queries(12):
        assert http.get(reverse("two_factor")).status_code == 200


def test_users_without_it_pay_no_query_for_it(advisor: User) -> None:
    """Signed in without two-factor login, a page costs what it cost before it existed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http = signed_in(advisor)
    with CaptureQueriesContext(connection) as queries:
        assert http.get(reverse("home")).status_code == 200
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if "otp_" in q["sql"]]
