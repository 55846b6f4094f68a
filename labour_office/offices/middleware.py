from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from labour_office.offices.ip import client_ip

ALLOWED_WHILE_PASSWORD_EXPIRED = ("password_change", "logout", "set_language")


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


class OfficeAuditlogMiddleware(AuditlogMiddleware):  # type: ignore[misc]
    """auditlog's middleware with our proxy-aware client address (it trusts any header)."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)
