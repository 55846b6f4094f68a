"""The IPD's legal dates (domain: deadlines.md). Pure: dates in, dates out.

Each returns the legal due date itself (event date + N days, KPA art. 57 § 1), never the
act-by date; ``labour_office.calendar.last_working_day_on_or_before`` gives that. The numbers
come from the rule set the product applies (``labour_office.rulesets``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from labour_office.calendar import add_days, last_working_day_on_or_before
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


def act_by(due: date) -> date:
    """The day the office acts by: the last working day on or before the legal due date."""
    return last_working_day_on_or_before(due)


def is_prepared_late(profile_date: date, prepared_on: date) -> bool:
    """A plan prepared after the 60-day term needs a recorded reason."""
    return prepared_on > ipd_preparation_deadline(profile_date)


def last_contact(agreed_on: date, held: Iterable[date]) -> date:
    """The contact the next one is counted from: the newest held contact, or, before any, the
    day the plan was agreed (domain/deadlines.md, APPROXIMATION). Missed appointments are not
    contacts and are never passed here."""
    return max([agreed_on, *held])


# --- Versions of an agreed plan -------------------------------------------------------------

PLAN_FIELDS = ("goals", "starts_on", "ends_on", "contact_arrangements", "specialists")
ACTION_FIELDS = (
    "form",
    "description",
    "justification",
    "special_programme",
    "starts_on",
    "ends_on",
    "responsible",
    "expected_result",
)


@dataclass(frozen=True)
class Change:
    """One difference between two agreed versions: a plan field, or an action added, removed
    or changed (``fields`` names what changed in it)."""

    kind: str  # "plan", "added", "removed", "changed"
    subject: str  # the plan field, or the action's title
    fields: tuple[str, ...] = ()
    before: Any = None
    after: Any = None


def version_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """What an amendment changed: compared field by field, actions matched by their key."""
    changes = [
        Change("plan", name, before=before.get(name), after=after.get(name))
        for name in PLAN_FIELDS
        if before.get(name) != after.get(name)
    ]
    old = {a["key"]: a for a in before.get("actions", [])}
    new = {a["key"]: a for a in after.get("actions", [])}
    for key, action in new.items():
        if key not in old:
            changes.append(Change("added", action["title"], after=action))
            continue
        differ = tuple(f for f in ACTION_FIELDS if old[key].get(f) != action.get(f))
        if differ:
            changes.append(Change("changed", action["title"], differ, old[key], action))
    changes.extend(
        Change("removed", action["title"], before=action)
        for key, action in old.items()
        if key not in new
    )
    return changes


def shifted(day: date, offset_days: int, *, earliest: date, latest: date) -> date:
    """An action date carried into a new plan: moved with the plan's start, kept inside it."""
    return min(max(add_days(day, offset_days), earliest), latest)
