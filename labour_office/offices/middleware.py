from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

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
