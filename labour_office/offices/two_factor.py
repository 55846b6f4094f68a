"""Two-factor login: a TOTP authenticator app (django-otp) and one-time recovery codes.

The password step signs the user in as usual; a user with a confirmed authenticator is then
*unverified* until the six-digit code is right, and ``TwoFactorMiddleware`` sends an unverified
session to the code page whatever it asks for. Whether the user has an authenticator is
``User.has_two_factor``, kept in step with the devices by signals: pages pay no query for it,
and a session signed in before the authenticator was set up (say, with a stolen password) is
asked for the code at its next page. An office may require two-factor login of its managers
and administrators (``Office.require_two_factor``); they are sent to the setup page until they
have it.

A wrong code counts against the device's own throttle (django-otp doubles the wait after each
failure, kept in the database, so signing in again does not clear it) and as a failed sign-in
for django-axes: after ``AXES_FAILURE_LIMIT`` of them the session ends and the account is
locked from that address, as for wrong passwords.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from axes.utils import reset as reset_failed_sign_ins
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from labour_office.offices.ip import client_ip
from labour_office.offices.models import Role, User

SETUP_KEY_SESSION_KEY = "two_factor_setup_key"
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    )
    return device


def recovery_device(user: User) -> StaticDevice | None:
    device: StaticDevice | None = (
        StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    )
    return device


def two_factor_required(user: User) -> bool:
    """The user's office requires two-factor login of managers and administrators.

    Reads the office loaded with the user (``StaffBackend``); the roles only when it does.
    """
    office = user.office
    if office is None or not office.require_two_factor:
        return False
    return Role.MANAGER in user.roles or Role.ADMIN in user.roles


@receiver(post_save, sender=TOTPDevice, dispatch_uid="offices.two_factor.device_saved")
@receiver(post_delete, sender=TOTPDevice, dispatch_uid="offices.two_factor.device_deleted")
def keep_user_flag(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    """``User.has_two_factor`` follows the user's confirmed authenticators, however they change
    (set up, turned off, reset by a manager)."""
    has = TOTPDevice.objects.filter(user_id=instance.user_id, confirmed=True).exists()
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None and user.has_two_factor != has:
        user.has_two_factor = has
        user.save(update_fields=["has_two_factor"])  # in the user's change history


@receiver(user_logged_in, dispatch_uid="offices.two_factor.clear_failures")
def clear_failures_of_a_complete_sign_in(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """The password completes the sign-in of a user without two-factor login: their failed
    attempts from this address are cleared (AXES_RESET_ON_SUCCESS is off). With two-factor
    login only the right code clears them (``check_code``)."""
    if request is not None and not user.has_two_factor:
        reset_failed_sign_ins(ip=client_ip(request), username=user.get_username())


def session_has_device(request: HttpRequest) -> bool:
    """The signed-in user has two-factor login on: this session must give the code."""
    return bool(getattr(request.user, "has_two_factor", False))


def is_verified(user: Any) -> bool:
    """The session gave a right code (set on the user by django-otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


# --- Setting up -------------------------------------------------------------------------------


def setup_key(request: HttpRequest) -> str:
    """The secret being set up (hex), kept in the session until the first code confirms it."""
    key: str | None = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[SETUP_KEY_SESSION_KEY] = key
    return key


def base32_secret(hex_key: str) -> str:
    """The secret as the authenticator apps take it for manual entry, in groups of four."""
    from base64 import b32encode

    text = b32encode(unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(user: User, hex_key: str) -> str:
    """The otpauth:// address the QR code carries (django-otp's own format)."""
    return str(TOTPDevice(user=user, key=hex_key).config_url)


def qr_svg(data: str, label: str) -> SafeString:
    """An inline SVG QR code made on the server: no JavaScript, no image request."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    # The image is ours (paths only, no text of the data); it gets a pixel size and a name.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg)
    opening = format_html('<svg width="220" height="220" role="img" aria-label="{}"', label)
    return mark_safe(opening + svg.removeprefix("<svg"))  # noqa: S308


def _totp_matches(hex_key: str, token: str) -> int | None:
    """The time step ``token`` is valid for (one step of tolerance each way), or None."""
    if not re.fullmatch(r"\d{6}", token):
        return None
    totp = TOTP(unhexlify(hex_key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if totp.verify(int(token), tolerance=1):
        return int(totp.t())
    return None


@transaction.atomic
def confirm_setup(request: HttpRequest, user: User, token: str) -> list[str] | None:
    """Turns two-factor login on if ``token`` is right for the secret being set up.

    Returns the new recovery codes (shown once), or None for a wrong code. The session counts
    as verified from now on.
    """
    hex_key = setup_key(request)
    step = _totp_matches(hex_key, normalise(token))
    if step is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, key=hex_key, confirmed=True, last_t=step
    )
    codes = new_recovery_codes(user)
    del request.session[SETUP_KEY_SESSION_KEY]
    user.has_two_factor = True  # the row was saved by the signal; this request's copy follows
    django_otp.login(request, device)
    return codes


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replaces the user's recovery codes with RECOVERY_CODE_COUNT new ones."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def disable(request: HttpRequest, user: User) -> None:
    """Removes the authenticator and the recovery codes of ``user``."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.has_two_factor = False
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)


# --- Verifying ---------------------------------------------------------------------------------


def normalise(token: str) -> str:
    """Codes as people type them: spaces and dashes dropped, letters in lower case."""
    return re.sub(r"[\s-]", "", token).lower()


@dataclass(frozen=True)
class Verification:
    """The outcome of a code: ``ok``; or refused, with ``wait_until`` while throttled, and
    ``locked_out`` when the failure locked the account (the session has ended then)."""

    ok: bool
    wait_until: dt.datetime | None = None
    locked_out: bool = False


def check_code(request: HttpRequest, user: User, token: str, *, sign_in: bool) -> Verification:
    """Checks a code from the authenticator (six digits) or a recovery code (one use).

    ``sign_in``: the code step of signing in. A right code then marks the session verified
    (with a new session key) and clears the address's failed sign-ins; a wrong one is a
    failed sign-in for django-axes, which may end the session and lock the account.
    """
    token = normalise(token)
    device: TOTPDevice | StaticDevice | None
    # Six digits: the app; anything else (eight letters and digits): a recovery code.
    device = totp_device(user) if re.fullmatch(r"\d{6}", token) else recovery_device(user)
    if device is None:
        device = totp_device(user)
    if device is None:
        return Verification(ok=False)
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        return Verification(ok=False, wait_until=locked_until)
    verified = django_otp.verify_token(user, device.persistent_id, token)
    if verified is not None:
        if sign_in:
            request.session.cycle_key()
            django_otp.login(request, verified)
            reset_failed_sign_ins(ip=client_ip(request), username=user.get_username())
        return Verification(ok=True)
    if not sign_in:
        return Verification(ok=False)
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return Verification(ok=False, locked_out=True)
    return Verification(ok=False)
