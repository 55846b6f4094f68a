"""The legal regimes as rule sets chosen by date (domain: README.md, deadlines.md).

Every number that changes between regimes lives here, never in views: the IPD preparation term,
the office's contact interval, the IPD's maximum length by profile. The product implements the
profiling regime of the seeds (``pz-2014-profiling``) whatever today's date; the later regimes
are recorded for the day they are implemented (their RECONSTRUCTION values are marked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RuleSet:
    id: str
    valid_from: date
    valid_to: date | None
    profiles: bool
    ipd_preparation_days: int | None
    ipd_preparation_from: str | None  # "profile_date" or "registration_date"
    office_contact_days: int
    ipd_max_days: dict[str, int] | None  # by profile

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


PZ_2014 = RuleSet(
    id="pz-2014-profiling",
    valid_from=date(2014, 5, 27),
    valid_to=date(2019, 6, 13),
    profiles=True,
    ipd_preparation_days=60,  # LAW: 60 days from the day the profile is determined
    ipd_preparation_from="profile_date",
    office_contact_days=60,  # LAW: at least every 60 days while the IPD runs
    ipd_max_days={"I": 180, "II": 540, "III": 720},  # LAW
)
PZ_2019 = RuleSet(
    id="pz-2019",
    valid_from=date(2019, 6, 14),
    valid_to=date(2025, 5, 31),
    profiles=False,
    ipd_preparation_days=60,  # LAW: 60 days from registration
    ipd_preparation_from="registration_date",
    office_contact_days=60,  # LAW
    ipd_max_days=None,  # RECONSTRUCTION: no profile-based maximum
)
RP_2025 = RuleSet(
    id="rp-2025",
    valid_from=date(2025, 6, 1),
    valid_to=None,
    profiles=False,
    ipd_preparation_days=None,  # not established
    ipd_preparation_from=None,
    office_contact_days=30,  # RECONSTRUCTION
    ipd_max_days=None,
)
RULE_SETS = (PZ_2014, PZ_2019, RP_2025)

# The regime this product implements now (DESIGN.md, "Contracts").
PRODUCT_RULE_SET = PZ_2014


def rule_set_in_force(day: date) -> RuleSet:
    """The regime the law had on ``day`` (before 2014-05-27 there was no profiling)."""
    for rule_set in RULE_SETS:
        if rule_set.covers(day):
            return rule_set
    raise LookupError(f"No rule set is recorded for {day}.")


def rule_set_for(day: date) -> RuleSet:
    """The rule set the product applies to an event on ``day``: the profiling regime, which
    is the one implemented. Views and deadline rules ask here, so adding a regime changes
    this one function."""
    del day  # every event is judged under the implemented regime for now
    return PRODUCT_RULE_SET
