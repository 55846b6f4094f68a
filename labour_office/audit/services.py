from django.contrib.contenttypes.models import ContentType
from django.db import models

from labour_office.audit.models import AccessAction, AccessLog
from labour_office.offices.http import AuthenticatedHttpRequest


def client_ip(request: AuthenticatedHttpRequest) -> str | None:
    # REMOTE_ADDR is the proxy's address behind a reverse proxy; gunicorn's
    # --forwarded-allow-ips makes it the client's (see README, production notes).
    return request.META.get("REMOTE_ADDR") or None


def access_record(
    *, request: AuthenticatedHttpRequest, obj: models.Model, action: str = AccessAction.VIEW
) -> AccessLog:
    """Log that the signed-in user opened (printed, exported) a record holding personal data."""
    return AccessLog.objects.create(
        user=request.user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        remote_addr=client_ip(request),
    )
