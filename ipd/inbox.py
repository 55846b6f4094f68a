"""The reminders a staff member sees: their own, those of the advisors they substitute today,
and, for managers, every overdue reminder of the office (escalation)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Lookup, Q, QuerySet
from django.utils import timezone

from clients.models import Substitution
from ipd.models import Reminder, ReminderStage
from labour_office.offices.models import Role, User


def _mine(user: User, today: date) -> Q:
    absent = Substitution.objects.filter(
        substitute=user, starts_on__lte=today, ends_on__gte=today
    ).values("absent_id")
    # "= ANY(ARRAY(subquery))", not "IN (subquery)": the array is computed once, so both arms
    # of the OR use the index of open reminders by advisor (a BitmapOr). With IN, PostgreSQL
    # filters every open reminder of the installation through a hashed subplan: 190 ms with
    # 700,000 open reminders, on every page, for the badge.
    return Q(advisor=user) | Q(_AnyOf(F("advisor_id"), ArraySubquery(absent)))


class _AnyOf(Lookup[int]):
    """``lhs = ANY(rhs)`` for an array expression on the right."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


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


# The badge counts up to here and shows "99+" beyond: a manager of a large office has
# thousands of overdue reminders, and counting them all on every page took 35 ms.
BADGE_MAX = 99


def badge_count(user: User) -> str:
    """The number in the navigation: open reminders for the user, "99+" from a hundred (one
    query, which stops at a hundred)."""
    today = timezone.localdate()
    query = Q(_mine(user, today))
    if user.has_role(Role.MANAGER) and user.office_id:
        query |= Q(office_id=user.office_id, stage=ReminderStage.OVERDUE)
    count = Reminder.objects.filter(query, done_at__isnull=True)[: BADGE_MAX + 1].count()
    return f"{BADGE_MAX}+" if count > BADGE_MAX else str(count) if count else ""
