"""The client's IP address, for the audit, the access log and the lockout.

Behind N trusted reverse proxies (TRUSTED_PROXY_COUNT) the address is the N-th entry from the
right of X-Forwarded-For: entries further left were written by the client and can be forged.
With no proxy configured, only REMOTE_ADDR is trusted.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [a.strip() for a in header.split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    peer: str | None = request.META.get("REMOTE_ADDR") or None
    return peer
