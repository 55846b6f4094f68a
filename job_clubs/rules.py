"""The job club's rules as pure functions (domain/job_clubs.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

ACTIVATION_CLASSES = "activation_classes"
JOB_SEARCH_TRAINING = "job_search_training"
OPEN_INFORMATION = "open_information"

# RECONSTRUCTION, configurable mapping (job_clubs.md "Link to the client's IPD").
IPD_FORM_FOR_KIND = {
    ACTIVATION_CLASSES: "vocational_counselling",
    JOB_SEARCH_TRAINING: "training_plan",
}
DEFAULT_CAPACITY = 12  # APPROXIMATION
DEFAULT_COMPLETION_SHARE = Decimal("0.80")  # APPROXIMATION


class NotEligible(ValueError):
    """Why a person cannot enrol (the message is shown to the user)."""


@dataclass(frozen=True)
class Period:
    status: str  # "unemployed" | "jobseeker"
    registered_on: date
    deregistered_on: date | None


def eligibility(
    kind: str,
    open_period: Period | None,
    *,
    open_to_all: bool,
    ever_registered: bool = True,
    employer: bool = False,
) -> None:
    """Classes and training: only a registered unemployed person or jobseeker (seed 004).
    Open information: anyone, unless the office restricts it to registered clients. An
    employer (a firm, not a person in the register) is never enrolled.

    Raises ``NotEligible`` with the reason: ``employer``, ``never_registered`` (no period at
    all) or ``deregistered`` (the last period has ended)."""
    if employer:
        raise NotEligible("employer")
    if kind == OPEN_INFORMATION and open_to_all:
        return
    if open_period is None or open_period.deregistered_on is not None:
        raise NotEligible("deregistered" if ever_registered else "never_registered")
    if open_period.status not in ("unemployed", "jobseeker"):
        raise NotEligible("never_registered")


def completed(hours_attended: Decimal, hours_scheduled: Decimal, share: Decimal) -> bool:
    """Completion: attended at least the share of the scheduled hours."""
    if hours_scheduled <= 0:
        return False
    return hours_attended >= hours_scheduled * share


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
