from django.contrib.contenttypes.models import ContentType
from django.db import models

from labour_office.audit.models import AccessAction, AccessLog
from labour_office.offices.http import AuthenticatedHttpRequest
from labour_office.offices.ip import client_ip


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
