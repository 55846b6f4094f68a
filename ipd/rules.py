"""The IPD's legal dates (domain: deadlines.md). Pure: dates in, dates out.

Each returns the legal due date itself (event date + N days, KPA art. 57 § 1), never the
act-by date; ``labour_office.calendar.last_working_day_on_or_before`` gives that. The numbers
come from the rule set the product applies (``labour_office.rulesets``).
"""

from __future__ import annotations

from datetime import date

from labour_office.calendar import add_days
from labour_office.rulesets import rule_set_for


def ipd_preparation_deadline(profile_date: date) -> date:
    """The IPD is prepared with the client within 60 days of the day the profile is set."""
    days = rule_set_for(profile_date).ipd_preparation_days
    if days is None:
        raise LookupError("The rule set in force sets no IPD preparation term.")
    return add_days(profile_date, days)


def ipd_max_end(start: date, profile: str) -> date:
    """The last day an IPD may run: start + 180 (I), 540 (II) or 720 (III) days."""
    maximum = rule_set_for(start).ipd_max_days
    if maximum is None or profile not in maximum:
        raise LookupError(f"The rule set in force sets no maximum for profile {profile!r}.")
    return add_days(start, maximum[profile])


def next_contact_due(last_contact_date: date) -> date:
    """The office contacts the client at least every 60 days while the IPD runs."""
    return add_days(last_contact_date, rule_set_for(last_contact_date).office_contact_days)
