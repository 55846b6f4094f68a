"""What the IPD does when other parts of the register change."""

from __future__ import annotations

from typing import Any

from clients.models import Registration
from labour_office.offices.models import User
from profiling.models import Assessment


def end_plan_on_deregistration(
    sender: Any, *, registration: Registration, acting_user: User, **kwargs: Any
) -> None:
    from ipd.deadlines import refresh_due_items
    from ipd.services import end_on_deregistration

    end_on_deregistration(acting_user=acting_user, registration=registration)
    refresh_due_items(registration.client)


def refresh_on_profile(sender: Any, *, assessment: Assessment, **kwargs: Any) -> None:
    """A new profile starts a new preparation term (or satisfies a pending re-profiling)."""
    from ipd.deadlines import refresh_due_items

    refresh_due_items(assessment.client)


def follow_new_advisor(sender: Any, *, client_ids: list[int], advisor: User, **kwargs: Any) -> None:
    """Open reminders go to the client's new advisor."""
    from ipd.models import Reminder

    Reminder.objects.filter(client_id__in=client_ids, done_at__isnull=True).update(advisor=advisor)
