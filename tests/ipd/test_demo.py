"""seed_demo's IPDs (ipd/demo.py): every state of a plan in the office, within the law's limits,
written through the services, idempotent."""

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from clients.models import CardEntry
from ipd import rules
from ipd.demo import count_plans
from ipd.models import (
    ActionKind,
    Contact,
    ContactStatus,
    EndReason,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
    PlanVersion,
)
from labour_office.offices.models import Office
from profiling.models import Assessment, AssessmentStatus, Trigger

pytestmark = pytest.mark.django_db

ARGS = ("--clients", "24", "--offices", "1")


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", *ARGS, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Seeded once for the module, rolled back after it; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def test_every_state_of_a_plan_is_there(seeded: str) -> None:
    counts = count_plans(Office.objects.all(), timezone.localdate())
    for state in (
        "draft",
        "active",
        "refused",
        "amended",
        "late",
        "jobseeker",
        "ended_work",
        "ended_no_work",
        "none_in_term",
        "none_overdue",
    ):
        assert counts[state] >= 1, state
    assert counts["contact_overdue"] + counts["contact_due_soon"] >= 2
    assert "IPDs: " in seeded and "Skipped" not in seeded


def test_an_agreed_plan_shows_the_monitoring(seeded: str) -> None:
    """Held contacts, a missed appointment and one planned ahead; actions under way and done."""
    today = timezone.localdate()
    agreed = IndividualActionPlan.objects.filter(
        status=PlanStatus.ACTIVE, client_refused=False, version=1, assessment__isnull=False
    ).annotate(
        held=Count("contacts", filter=Q(contacts__status=ContactStatus.HELD)),
        missed=Count("contacts", filter=Q(contacts__status=ContactStatus.MISSED)),
        planned=Count("contacts", filter=Q(contacts__status=ContactStatus.PLANNED)),
    )
    assert agreed.filter(held__gte=1, missed=1, planned=1).exists()
    assert PlanAction.objects.filter(plan__status=PlanStatus.ACTIVE, status="in_progress").exists()
    assert PlanAction.objects.filter(status="done").exists()
    for plan in IndividualActionPlan.objects.filter(status=PlanStatus.ACTIVE):
        future = plan.contacts.filter(status=ContactStatus.PLANNED)
        assert future.count() == 1 and future.get().contact_on > today, plan
    assert not Contact.objects.exclude(status=ContactStatus.PLANNED).filter(contact_on__gt=today)


def test_amended_refused_late_and_ended_plans_carry_their_records(seeded: str) -> None:
    amended = IndividualActionPlan.objects.filter(version__gte=2)
    assert amended.exists()
    for plan in amended:
        versions = list(plan.versions.order_by("number"))
        assert [v.number for v in versions] == list(range(1, plan.version + 1))
        assert all(v.reason for v in versions[1:])
        assert [v.agreed_on for v in versions] == sorted(v.agreed_on for v in versions)
    refused = IndividualActionPlan.objects.filter(client_refused=True)
    assert refused.exists()
    assert all(p.refusal_note and p.agreed_on is None for p in refused)
    for plan in IndividualActionPlan.objects.exclude(late_reason=""):
        assert plan.assessment is not None and plan.prepared_on is not None
        assert rules.is_prepared_late(plan.assessment.determined_on, plan.prepared_on)
    for plan in IndividualActionPlan.objects.filter(status=PlanStatus.ENDED):
        assert plan.ended_on is not None and plan.ended_on <= timezone.localdate()
        if plan.end_reason != EndReason.WORK:
            assert plan.end_analysis
            # The end without work opened a re-profiling through the service.
            assert Assessment.objects.filter(
                registration=plan.registration, trigger=Trigger.IPD_ENDED
            ).exists()
    assert Assessment.objects.filter(
        trigger=Trigger.IPD_ENDED, status=AssessmentStatus.DRAFT
    ).exists()


def test_plans_respect_the_law(seeded: str) -> None:
    today = timezone.localdate()
    plans = IndividualActionPlan.objects.select_related("assessment")
    assert plans.count() >= 10
    for plan in plans:
        if plan.status == PlanStatus.ACTIVE:
            assert plan.version >= 1 and plan.prepared_on is not None
            assert plan.ends_on >= today, plan
        if plan.max_end is not None:
            assert plan.ends_on <= plan.max_end
            assert plan.max_end == rules.ipd_max_end(plan.starts_on, plan.profile)
        if plan.assessment is None:
            assert plan.profile == "" and plan.max_end is None
            continue
        assert plan.profile == plan.assessment.final_profile
        assert plan.starts_on >= plan.assessment.determined_on
        if plan.prepared_on is not None:
            assert plan.prepared_on <= today
            late = rules.is_prepared_late(plan.assessment.determined_on, plan.prepared_on)
            assert late == bool(plan.late_reason), plan
    for action in PlanAction.objects.select_related("plan", "form"):
        assert action.plan.starts_on <= action.starts_on <= action.ends_on <= action.plan.ends_on
        if action.kind == ActionKind.OWN:
            continue
        assert action.responsible is not None
        assert action.responsible.office_id == action.plan.client.office_id
        if action.plan.profile:
            access = getattr(action.form, f"access_{action.plan.profile.lower()}")
            assert access in ("available", "justified"), (action.form, action.plan.profile)
            assert (access == "justified") <= bool(action.justification)
        else:
            assert action.form.open_to_jobseekers


def test_the_desk_has_contacts_due(seeded: str) -> None:
    today = timezone.localdate()
    soon = overdue = 0
    for plan in IndividualActionPlan.objects.filter(status=PlanStatus.ACTIVE).annotate(
        last=Max("contacts__contact_on", filter=Q(contacts__status=ContactStatus.HELD))
    ):
        start = plan.agreed_on or plan.prepared_on
        assert start is not None
        due = rules.next_contact_due(max(start, plan.last or start))
        soon += today <= due <= today + timedelta(days=14)
        overdue += due < today
    assert soon >= 1 and overdue >= 1


def test_second_run_creates_nothing(seeded: str) -> None:
    models = [IndividualActionPlan, PlanAction, Contact, PlanVersion, Assessment, CardEntry]
    before = {m.__name__: m.objects.count() for m in models}
    again = seed()
    assert {m.__name__: m.objects.count() for m in models} == before
    assert "plans (0 new)" in again
