"""The worked examples of domain/deadlines.md."""

from datetime import date

import pytest

from ipd.rules import ipd_max_end, ipd_preparation_deadline, next_contact_due
from labour_office.calendar import last_working_day_on_or_before


@pytest.mark.parametrize(
    ("profile_date", "due", "act_by"),
    [
        (date(2026, 1, 1), date(2026, 3, 2), date(2026, 3, 2)),
        (date(2024, 12, 31), date(2025, 3, 1), date(2025, 2, 28)),  # Saturday due date
    ],
)
def test_ipd_is_prepared_within_60_days_of_the_profile(
    profile_date: date, due: date, act_by: date
) -> None:
    assert ipd_preparation_deadline(profile_date) == due
    assert last_working_day_on_or_before(due) == act_by


def test_next_contact_is_due_60_days_after_the_last() -> None:
    assert next_contact_due(date(2026, 11, 22)) == date(2027, 1, 21)


@pytest.mark.parametrize(
    ("start", "profile", "end"),
    [
        (date(2026, 1, 1), "I", date(2026, 6, 30)),
        (date(2026, 1, 1), "II", date(2027, 6, 25)),
        (date(2026, 1, 1), "III", date(2027, 12, 22)),
        (date(2024, 2, 29), "I", date(2024, 8, 27)),
        (date(2024, 2, 29), "II", date(2025, 8, 22)),
        (date(2024, 2, 29), "III", date(2026, 2, 18)),
    ],
)
def test_ipd_runs_at_most_180_540_or_720_days_by_profile(
    start: date, profile: str, end: date
) -> None:
    assert ipd_max_end(start, profile) == end


def test_an_unknown_profile_has_no_maximum() -> None:
    with pytest.raises(LookupError):
        ipd_max_end(date(2026, 1, 1), "IV")


@pytest.mark.parametrize(
    ("profile_date", "due", "act_by"),
    [
        # Leap years: 29 February is counted like any other day.
        (date(2024, 1, 1), date(2024, 3, 1), date(2024, 3, 1)),
        (date(2023, 1, 1), date(2023, 3, 2), date(2023, 3, 2)),
        (date(2024, 2, 29), date(2024, 4, 29), date(2024, 4, 29)),
        # Year end: the term runs into the next year.
        (date(2026, 12, 31), date(2027, 3, 1), date(2027, 3, 1)),
        (date(2026, 11, 1), date(2026, 12, 31), date(2026, 12, 31)),
        # Sunday due date: the office acts by the Friday before.
        (date(2026, 2, 11), date(2026, 4, 12), date(2026, 4, 10)),
        (date(2026, 3, 3), date(2026, 5, 2), date(2026, 4, 30)),  # Sat; 1 May is a holiday
        # Holidays: 24, 25 and 26 December 2026, 3 May 2026 (Sunday) and Corpus Christi.
        (date(2026, 10, 26), date(2026, 12, 25), date(2026, 12, 23)),
        (date(2026, 4, 5), date(2026, 6, 4), date(2026, 6, 3)),  # Corpus Christi 2026
        (date(2024, 10, 25), date(2024, 12, 24), date(2024, 12, 24)),  # a working day in 2024
    ],
)
def test_preparation_due_and_act_by_dates(profile_date: date, due: date, act_by: date) -> None:
    assert ipd_preparation_deadline(profile_date) == due
    assert last_working_day_on_or_before(due) == act_by


@pytest.mark.parametrize(
    ("last_contact", "due", "act_by"),
    [
        (date(2026, 10, 27), date(2026, 12, 26), date(2026, 12, 23)),  # Sat after Christmas
        (date(2027, 11, 2), date(2028, 1, 1), date(2027, 12, 31)),  # New Year's Day
        (date(2027, 12, 31), date(2028, 2, 29), date(2028, 2, 29)),  # leap day, a Tuesday
        (date(2026, 11, 7), date(2027, 1, 6), date(2027, 1, 5)),  # Epiphany
    ],
)
def test_next_contact_due_and_act_by_dates(last_contact: date, due: date, act_by: date) -> None:
    assert next_contact_due(last_contact) == due
    assert last_working_day_on_or_before(due) == act_by


@pytest.mark.parametrize(
    ("start", "profile", "end", "act_by"),
    [
        (date(2026, 6, 29), "I", date(2026, 12, 26), date(2026, 12, 23)),
        (date(2027, 7, 5), "I", date(2028, 1, 1), date(2027, 12, 31)),
        (date(2027, 3, 1), "II", date(2028, 8, 22), date(2028, 8, 22)),  # spans 29 Feb 2028
        (date(2026, 1, 1), "III", date(2027, 12, 22), date(2027, 12, 22)),
        (date(2025, 1, 7), "III", date(2026, 12, 28), date(2026, 12, 28)),
    ],
)
def test_maximum_end_and_act_by_dates(start: date, profile: str, end: date, act_by: date) -> None:
    assert ipd_max_end(start, profile) == end
    assert last_working_day_on_or_before(end) == act_by
