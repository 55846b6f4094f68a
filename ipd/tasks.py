"""The daily deadline checks. Each task derives what is due from the database and writes
reminders under unique keys: running twice, a day late, or on two workers at once gives the
same reminders. ``acks_late``: a worker killed mid-run leaves the message to be redelivered,
and the rerun completes the set (each statement is one transaction)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from ipd import deadlines

SOFT_LIMIT, HARD_LIMIT = 15 * 60, 20 * 60  # seconds; a run over 1,000,000 clients takes ~1 min


def _day(day: str | None) -> date:
    return date.fromisoformat(day) if day else timezone.localdate()


@shared_task(
    name="ipd.tasks.send_contact_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_LIMIT,
    time_limit=HARD_LIMIT,
)
def send_contact_reminders(day: str | None = None) -> int:
    """Reminders of the contact due at least every 60 days while an IPD is in force."""
    return deadlines.write_reminders(_day(day), deadlines.CONTACT_KINDS)


@shared_task(
    name="ipd.tasks.check_ipd_deadlines",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_LIMIT,
    time_limit=HARD_LIMIT,
)
def check_ipd_deadlines(day: str | None = None) -> int:
    """Reminders of the IPD's other dates: preparation, maximum end, actions without an
    outcome, re-profiling after an IPD without work."""
    return deadlines.write_reminders(_day(day), deadlines.DEADLINE_KINDS)


@shared_task(
    name="ipd.tasks.send_daily_digests",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_LIMIT,
    time_limit=HARD_LIMIT,
)
def send_daily_digests(day: str | None = None) -> int:
    """One e-mail per advisor and day, after both checks have run."""
    return deadlines.send_digests(_day(day))
