from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from labour_office.offices.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a signed-in staff member: every view but login sees this type
    (LoginRequiredMiddleware guarantees it). ``htmx`` comes from django-htmx's middleware."""

    user: User
    htmx: HtmxDetails
