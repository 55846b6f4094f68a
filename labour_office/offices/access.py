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


def get_staff_for_user(user: User, pk: int) -> User:
    return get_object_or_404(User.objects.visible_to(user).select_related("office"), pk=pk)
