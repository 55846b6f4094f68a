from django.contrib.auth.decorators import login_not_required, permission_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from labour_office.system.services import heartbeat_is_fresh, heartbeat_last_seen


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker compose: the database answers. No personal data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@permission_required("system.view_heartbeat", raise_exception=True)
def system_status(request: HttpRequest) -> HttpResponse:
    last_seen = heartbeat_last_seen()
    return render(
        request,
        "system/status.html",
        {"last_seen": last_seen, "fresh": heartbeat_is_fresh(last_seen, timezone.now())},
    )
