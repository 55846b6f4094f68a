"""The access chokepoints: every view reaches an office or a staff record through these.

A user sees the office they work in; a national administrator (or superuser) sees all.
Anything else answers 404, so the existence of another office's records is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from labour_office.offices.models import Office, User


def visible_offices(user: User) -> QuerySet[Office]:
    if user.sees_all_offices:
        return Office.objects.all()
    if user.office_id is None:
        return Office.objects.none()
    return Office.objects.filter(pk=user.office_id)


def get_office_for_user(user: User, pk: int) -> Office:
    return get_object_or_404(visible_offices(user), pk=pk)


def get_staff_for_user(user: User, pk: int, *, two_factor: bool = False) -> User:
    """The staff record; ``two_factor``: with ``two_factor_on`` (an authenticator is set up)."""
    staff = User.objects.visible_to(user).select_related("office")
    if two_factor:
        staff = staff.with_two_factor()
    return get_object_or_404(staff, pk=pk)
