"""Celery application. The beat schedule lives here, in code, one entry per periodic job.

django-celery-beat's DatabaseScheduler copies these entries into the database at start, so
administrators see them in the Django admin and can pause them there; a changed interval lasts
until beat restarts, when the schedule from code is written again (docs/decisions/0003).
"""

import logging
import os
from typing import Any

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labour_office.settings")

app = Celery("labour_office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_SECONDS = float(os.environ.get("CELERY_HEARTBEAT_SECONDS", "60"))

app.conf.beat_schedule = {
    # Every minute: proves beat and a worker are alive; shown on the system status page and
    # read by the health check, so a stopped worker is noticed before reminders go missing.
    "record-heartbeat": {
        "task": "labour_office.system.tasks.record_heartbeat",
        "schedule": HEARTBEAT_SECONDS,
    },
    # Every morning, before the office opens: the IPD's dates (deadlines.md), then the
    # advisors' e-mail digest of what is waiting. Each task is idempotent, so a missed or
    # repeated run changes nothing (docs/decisions/0009).
    "ipd-check-deadlines": {
        "task": "ipd.tasks.check_ipd_deadlines",
        "schedule": crontab(hour=5, minute=0),
    },
    "ipd-contact-reminders": {
        "task": "ipd.tasks.send_contact_reminders",
        "schedule": crontab(hour=5, minute=10),
    },
    "ipd-daily-digests": {
        "task": "ipd.tasks.send_daily_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every night, outside office hours: the retention policy (a dry-run report or the
    # anonymisation of registrations closed long ago); off until an administrator sets it.
    "retention-apply": {
        "task": "labour_office.retention.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
}


@signals.beat_init.connect
def _one_beat_only(**kwargs: Any) -> None:
    """Stop this beat if another one runs against the same database (system/beat_lock.py)."""
    from labour_office.system import beat_lock

    if not beat_lock.acquire():
        logging.getLogger(__name__).critical(
            "Another Celery beat is running against this database: this one stops. "
            "Run exactly one beat per installation (docs/scale-out.md)."
        )
        # Celery's signals swallow exceptions, not SystemExit: beat ends here.
        raise SystemExit(1)
