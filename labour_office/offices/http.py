from django.http import HttpRequest

from labour_office.offices.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a signed-in staff member: every view but login sees this type
    (LoginRequiredMiddleware guarantees it)."""

    user: User
