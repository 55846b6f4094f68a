from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404

from clients import rules as client_rules
from clients.models import Client, Status
from labour_office.offices.models import User
from labour_office.system.services import parameter_value
from profiling import rules
from profiling.models import Assessment, FormOfAssistance, Question


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


def client_situation(client: Client, on: date) -> rules.ClientSituation:
    """What the catalogue rule needs to know about a client on a day (a few queries)."""
    registration = client.registrations.filter(deregistered_on__isnull=True).first()
    status = registration.status if registration else ""
    current = registration.assessments.filter(is_current=True).first() if registration else None
    periods = [
        client_rules.Period(r.registered_on, r.deregistered_on)
        for r in client.registrations.filter(status=Status.UNEMPLOYED)
    ]
    threshold = parameter_value(
        "clients.long_term_threshold_days", client_rules.LONG_TERM_THRESHOLD_DAYS_DEFAULT
    )
    attributes = {
        name
        for name, holds in (
            ("under_30", client_rules.is_under_30(client.birth_date, on)),
            ("aged_50_plus", client_rules.is_aged_50_plus(client.birth_date, on)),
            (
                "long_term_unemployed",
                client_rules.is_long_term_unemployed(periods, on, threshold_days=threshold),
            ),
            ("social_assistance_beneficiary", client.receives_social_assistance),
        )
        if holds
    }
    return rules.ClientSituation(
        status=status,
        profile=current.final_profile if current else None,  # type: ignore[arg-type]
        attributes=frozenset(attributes),
    )


def forms_available_to(
    client: Client, on: date, *, in_special_programme: bool = False, completed_pai: bool = False
) -> list[tuple[FormOfAssistance, rules.Availability]]:
    """Which forms of assistance this client can get now: the catalogue rule applied to the
    current profile and the client's attributes (the IPD and job clubs use this)."""
    situation = client_situation(client, on)
    situation = rules.ClientSituation(
        status=situation.status,
        profile=situation.profile,
        attributes=situation.attributes,
        in_special_programme=in_special_programme,
        completed_pai=completed_pai,
    )
    if not situation.status:
        return []
    offered = []
    for form in FormOfAssistance.objects.filter(is_active=True).order_by("seed_item", "code"):
        availability = rules.form_availability(form.spec(), situation)
        if availability is not None:
            offered.append((form, availability))
    return offered


def assessment_history(assessments: list[Assessment]) -> list[dict[str, object]]:
    """Determined assessments, newest first, each with the questions whose answers changed
    since the one before it (one query for the question texts)."""
    determined = [a for a in assessments if a.status == "determined" and a.answers is not None]
    if not determined:
        return []
    texts = {
        (q.version_id, q.key): q.text
        for q in Question.objects.filter(version_id__in={a.version_id for a in determined})
    }
    history = []
    ordered = sorted(determined, key=lambda a: (a.determined_on, a.pk))
    previous: Assessment | None = None
    for assessment in ordered:
        changes: list[str] = []
        if previous is not None:
            before, after = previous.answers or {}, assessment.answers or {}
            changes = [
                texts.get((assessment.version_id, key), key)
                for key in after
                if before.get(key) != after.get(key)
            ]
        history.append({"assessment": assessment, "changes": changes})
        previous = assessment
    return list(reversed(history))
