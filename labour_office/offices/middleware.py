from collections.abc import Callable
from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from labour_office.offices import two_factor
from labour_office.offices.ip import client_ip

# The code step of signing in comes first: who it is, then what the password must be.
ALLOWED_WHILE_PASSWORD_EXPIRED = ("password_change", "logout", "set_language", "two_factor_verify")
# Pages an unverified session (the password was right, the code not yet given) may open.
ALLOWED_BEFORE_CODE = frozenset({"two_factor_verify", "logout", "set_language"})
# Pages open to a manager whose office requires two-factor login before it is set up.
ALLOWED_BEFORE_SETUP = frozenset(
    {"two_factor", "two_factor_verify", "logout", "set_language", "password_change"}
)


class PasswordChangeRequiredMiddleware:
    """Sends a user with an initial password (given by a manager) to change it first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.allowed = tuple(reverse(name) for name in ALLOWED_WHILE_PASSWORD_EXPIRED)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.allowed)
        ):
            return redirect("password_change")
        return self.get_response(request)


class TwoFactorMiddleware:
    """The code before any page for a user with an authenticator; the setup page before any
    page for a manager or administrator whose office requires two-factor login.

    Covers every view, the Django admin's included (static files are served before this).
    Costs no query unless the user has two-factor login or the office requires it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if two_factor.session_has_device(request):
            if name in ALLOWED_BEFORE_CODE or two_factor.is_verified(user):
                return None
            return _redirect_with_next("two_factor_verify", request)
        if name not in ALLOWED_BEFORE_SETUP and two_factor.two_factor_required(user):
            return _redirect_with_next("two_factor", request)
        return None


def _redirect_with_next(url_name: str, request: HttpRequest) -> HttpResponse:
    target = reverse(url_name)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)


class OfficeAuditlogMiddleware(AuditlogMiddleware):  # type: ignore[misc]
    """auditlog's middleware with our proxy-aware client address (it trusts any header)."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)
