from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from labour_office.system.models import Heartbeat

BEAT = "beat"
# Beat sends a heartbeat every minute; three missed ones mean the worker or beat is down.
STALE_AFTER = timedelta(minutes=3)


def heartbeat_record(*, name: str = BEAT, hostname: str = "") -> None:
    now = timezone.now()
    updated = Heartbeat.objects.filter(name=name).update(
        last_seen=now, hostname=hostname, count=F("count") + 1
    )
    if not updated:
        Heartbeat.objects.get_or_create(
            name=name, defaults={"last_seen": now, "hostname": hostname, "count": 1}
        )


def heartbeat_last_seen(name: str = BEAT) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("last_seen", flat=True).first()


def heartbeat_is_fresh(last_seen: datetime | None, now: datetime) -> bool:
    return last_seen is not None and now - last_seen <= STALE_AFTER


def parameter_value(key: str, default: int) -> int:
    """The administrator's value of a parameter, or the documented default if none is set."""
    from labour_office.system.models import Parameter

    value = Parameter.objects.filter(key=key).values_list("value", flat=True).first()
    return default if value is None else value
