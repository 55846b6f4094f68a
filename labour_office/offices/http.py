from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from labour_office.offices.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a signed-in staff member: every view but login sees this type
    (LoginRequiredMiddleware guarantees it). ``htmx`` comes from django-htmx's middleware."""

    user: User
    htmx: HtmxDetails


def next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` the form or the link carried, if it is a path on this site; else ``default``
    (never redirect off the site, and never take a bare word for a view name)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
