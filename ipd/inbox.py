"""The reminders a staff member sees: their own, those of the advisors they substitute today,
and, for managers, every overdue reminder of the office (escalation)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from clients.models import Substitution
from ipd.models import Reminder, ReminderStage
from labour_office.offices.models import Role, User


def _mine(user: User, today: date) -> Q:
    absent = Substitution.objects.filter(
        substitute=user, starts_on__lte=today, ends_on__gte=today
    ).values("absent_id")
    return Q(advisor=user) | Q(advisor__in=absent)


def open_reminders(user: User, today: date) -> QuerySet[Reminder]:
    """Open reminders addressed to the user (or to an advisor they stand in for today)."""
    return Reminder.objects.filter(_mine(user, today), done_at__isnull=True)


def escalated(user: User) -> QuerySet[Reminder]:
    """Overdue reminders of the manager's office: escalated to the managers."""
    if not user.has_role(Role.MANAGER) or user.office_id is None:
        return Reminder.objects.none()
    return Reminder.objects.filter(
        office_id=user.office_id, stage=ReminderStage.OVERDUE, done_at__isnull=True
    )


def visible(user: User, today: date) -> QuerySet[Reminder]:
    """What the user may mark done."""
    query = _mine(user, today)
    if user.has_role(Role.MANAGER) and user.office_id:
        query |= Q(office_id=user.office_id, stage=ReminderStage.OVERDUE)
    return Reminder.objects.filter(query)


def badge_count(user: User) -> int:
    """The number in the navigation: open reminders for the user (one query)."""
    today = timezone.localdate()
    query = Q(_mine(user, today))
    if user.has_role(Role.MANAGER) and user.office_id:
        query |= Q(office_id=user.office_id, stage=ReminderStage.OVERDUE)
    return Reminder.objects.filter(query, done_at__isnull=True).count()
