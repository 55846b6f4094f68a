"""The pure rules behind versions, contacts, copied plans and late preparation."""

from datetime import date
from typing import Any

import pytest

from ipd.rules import Change, is_prepared_late, last_contact, shifted, version_changes


def action(key: int, **fields: Any) -> dict[str, Any]:
    base = {
        "key": key,
        "kind": "office",
        "title": f"Forma {key}",
        "form": "job_placement",
        "description": "Oferty pracy",
        "justification": "",
        "special_programme": "",
        "starts_on": "2026-11-03",
        "ends_on": "2027-01-02",
        "responsible": "Anna Kowalska",
        "expected_result": "",
    }
    return {**base, **fields}


def plan(*actions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    base = {
        "goals": "Magazynier",
        "starts_on": "2026-11-03",
        "ends_on": "2027-05-02",
        "contact_arrangements": "telefon co miesiąc",
        "specialists": ["Jan Nowak (doradca zawodowy)"],
        "actions": list(actions),
    }
    return {**base, **fields}


# --- version_changes ------------------------------------------------------------------------


def test_identical_versions_have_no_changes() -> None:
    assert version_changes(plan(action(1), action(2)), plan(action(1), action(2))) == []


def test_the_order_of_actions_is_not_a_change() -> None:
    assert version_changes(plan(action(1), action(2)), plan(action(2), action(1))) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("goals", "Kierowca"),
        ("starts_on", "2026-11-04"),
        ("ends_on", "2027-04-30"),
        ("contact_arrangements", "e-mail"),
        ("specialists", []),
    ],
)
def test_each_plan_field_is_compared(name: str, value: Any) -> None:
    before = plan(action(1))
    after = plan(action(1), **{name: value})
    assert version_changes(before, after) == [
        Change("plan", name, before=before[name], after=value)
    ]


def test_added_removed_and_changed_actions_are_listed_exactly() -> None:
    kept, changed, removed, added = (
        action(1),
        action(2, title="Szkolenie"),
        action(3, title="Staż"),
        action(4, title="Własne", kind="own", form=""),
    )
    after_changed = {**changed, "description": "Kurs spawacza", "ends_on": "2027-02-01"}
    changes = version_changes(plan(kept, changed, removed), plan(kept, after_changed, added))
    assert changes == [
        Change("changed", "Szkolenie", ("description", "ends_on"), changed, after_changed),
        Change("added", "Własne", after=added),
        Change("removed", "Staż", before=removed),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "form",
        "description",
        "justification",
        "special_programme",
        "starts_on",
        "ends_on",
        "responsible",
        "expected_result",
    ],
)
def test_each_action_field_is_compared(name: str) -> None:
    after = action(1, **{name: "inne"})
    assert version_changes(plan(action(1)), plan(after)) == [
        Change("changed", "Forma 1", (name,), action(1), after)
    ]


def test_an_actions_kind_and_title_alone_are_not_content() -> None:
    # The title follows the form; the kind follows the form too: neither is compared alone.
    assert version_changes(plan(action(1)), plan(action(1, title="Pośrednictwo pracy"))) == []


def test_versions_without_actions_compare() -> None:
    before = {"goals": "a"}
    after = {"goals": "a", "actions": [action(1)]}
    assert version_changes(before, after) == [Change("added", "Forma 1", after=action(1))]


# --- last_contact ---------------------------------------------------------------------------


def test_before_any_contact_the_agreement_counts() -> None:
    assert last_contact(date(2026, 11, 3), []) == date(2026, 11, 3)


def test_the_newest_held_contact_counts_whatever_the_order() -> None:
    held = [date(2026, 12, 1), date(2027, 1, 15), date(2026, 11, 20)]
    assert last_contact(date(2026, 11, 3), held) == date(2027, 1, 15)


def test_a_contact_dated_before_the_agreement_does_not_move_it_back() -> None:
    assert last_contact(date(2026, 11, 3), [date(2026, 10, 30)]) == date(2026, 11, 3)


# --- shifted --------------------------------------------------------------------------------


EARLIEST, LATEST = date(2027, 1, 10), date(2027, 7, 9)


@pytest.mark.parametrize(
    ("day", "offset", "expected"),
    [
        (date(2026, 12, 1), 60, date(2027, 1, 30)),  # moved with the plan's start
        (date(2026, 11, 3), 60, EARLIEST),  # would fall before the new plan: its first day
        (date(2027, 6, 1), 60, LATEST),  # would fall after the new plan: its last day
        (date(2027, 5, 10), 60, LATEST),  # exactly the last day stays
        (date(2027, 2, 1), -10, date(2027, 1, 22)),  # a plan moved earlier
        (date(2027, 1, 1), 9, EARLIEST),  # exactly the first day stays
    ],
)
def test_a_copied_date_moves_with_the_plan_and_stays_inside_it(
    day: date, offset: int, expected: date
) -> None:
    assert shifted(day, offset, earliest=EARLIEST, latest=LATEST) == expected


def test_a_leap_day_is_counted() -> None:
    assert shifted(date(2028, 2, 28), 2, earliest=date(2028, 1, 1), latest=date(2028, 12, 31)) == (
        date(2028, 3, 1)
    )


# --- is_prepared_late -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile_date", "prepared_on", "late"),
    [
        (date(2026, 1, 1), date(2026, 3, 2), False),  # the due date itself is in time
        (date(2026, 1, 1), date(2026, 3, 3), True),
        (date(2026, 1, 1), date(2026, 1, 1), False),
        (date(2024, 12, 31), date(2025, 3, 1), False),  # due on a Saturday: still in time
        (date(2024, 12, 31), date(2025, 3, 3), True),  # not moved to the next working day
        (date(2026, 11, 2), date(2027, 1, 1), False),  # the year changes
        (date(2026, 11, 2), date(2027, 1, 2), True),
    ],
)
def test_a_plan_is_late_after_60_days_from_the_profile(
    profile_date: date, prepared_on: date, late: bool
) -> None:
    assert is_prepared_late(profile_date, prepared_on) is late
