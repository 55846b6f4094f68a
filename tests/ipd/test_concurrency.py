"""One live plan per registration, one agreement, one next version: when two requests arrive
at the same moment (DESIGN.md rule 3).

Each test runs two threads with their own database connections, released together by a
barrier; the transactions commit for real (transaction=True), so the locks are the real ones.
A short pause right after the service has read what it checks keeps the first transaction open
long enough for the second to reach the same check: without the lock both would pass it.
"""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from clients.models import Client
from ipd import services
from ipd.models import IndividualActionPlan, PlanStatus, PlanVersion
from labour_office.offices.models import Office, Role, User
from tests.concurrency import pause_after, race
from tests.factories import UserFactory
from tests.ipd.conftest import START, TODAY, own_action, prepared_plan

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(results: list[Any], kind: type) -> list[Any]:
    return [r for r in results if isinstance(r, kind)]


def test_two_advisors_preparing_at_once_make_one_plan(
    advisor: User, office: Office, client_i: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = UserFactory(office=office, role=Role.ADVISOR)
    # Both would find no live plan if the client's row were not locked; the constraint decides.
    pause_after(monkeypatch, services, "_plan_basis")
    results = race(
        lambda: services.plan_prepare(acting_user=advisor, client=client_i, on=START),
        lambda: services.plan_prepare(acting_user=colleague, client=client_i, on=TODAY),
    )
    assert len(outcome(results, IndividualActionPlan)) == 1, results
    assert len(outcome(results, ValidationError)) == 1, results  # a message, not a 500
    assert IndividualActionPlan.objects.filter(client=client_i).live().count() == 1


def test_two_agreements_at_once_make_one_version(
    advisor: User, client_i: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = prepared_plan(advisor, client_i, agree=False)
    pause_after(monkeypatch, services, "_check_complete")
    results = race(
        *[
            lambda: services.plan_agree(
                acting_user=advisor, plan=plan, prepared_on=START, agreed=True
            )
        ]
        * 2
    )
    assert len(outcome(results, IndividualActionPlan)) == 1, results
    assert len(outcome(results, ValidationError)) == 1, results
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.ACTIVE, 1)
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1]


def test_two_amendments_agreed_at_once_make_one_new_version(
    advisor: User, client_i: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = prepared_plan(advisor, client_i)
    services.plan_amend_start(acting_user=advisor, plan=plan)
    services.action_add(acting_user=advisor, plan=plan, data=own_action("Nowe"), on=TODAY)
    pause_after(monkeypatch, services, "_check_complete")
    results = race(
        *[
            lambda: services.plan_amend_agree(
                acting_user=advisor, plan=plan, reason="Nowe działanie", agreed_on=TODAY
            )
        ]
        * 2
    )
    assert len(outcome(results, PlanVersion)) == 1, results
    assert len(outcome(results, ValidationError)) == 1, results
    numbers = PlanVersion.objects.filter(plan=plan).order_by("number")
    assert list(numbers.values_list("number", flat=True)) == [1, 2]
