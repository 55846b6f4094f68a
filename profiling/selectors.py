from __future__ import annotations

from django.shortcuts import get_object_or_404

from labour_office.offices.models import User
from profiling.models import Assessment, Question


def get_assessment_for_user(user: User, pk: int) -> Assessment:
    """An assessment of a client the user may see (office scoping), else 404."""
    queryset = Assessment.objects.select_related(
        "client", "client__office", "registration", "version", "determined_by"
    )
    if not user.sees_all_offices:
        queryset = queryset.filter(client__office_id=user.office_id or 0)
    return get_object_or_404(queryset, pk=pk)


def version_questions(version_id: int) -> list[Question]:
    return list(
        Question.objects.filter(version_id=version_id)
        .prefetch_related("options")
        .order_by("number")
    )
