"""What the IPD does when other parts of the register change."""

from __future__ import annotations

from typing import Any

from clients.models import Registration
from labour_office.offices.models import User


def end_plan_on_deregistration(
    sender: Any, *, registration: Registration, acting_user: User, **kwargs: Any
) -> None:
    from ipd.services import end_on_deregistration

    end_on_deregistration(acting_user=acting_user, registration=registration)
