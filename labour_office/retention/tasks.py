"""The nightly retention task: derives who is past the period from the database each time,
so a missed night or a second run gives the same result (an anonymised client is not
eligible again; a repeated dry run replaces the day's report)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from labour_office.retention import services

SOFT_LIMIT, HARD_LIMIT = 50 * 60, 60 * 60  # seconds


@shared_task(
    name="labour_office.retention.tasks.apply_retention",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_LIMIT,
    time_limit=HARD_LIMIT,
)
def apply_retention(day: str | None = None) -> int:
    """Apply the retention policy: off, a dry-run report, or anonymisation. Answers how many
    clients the run listed (0 when off)."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    run = services.apply_policy(today=today)
    return run.clients_count if run is not None else 0
