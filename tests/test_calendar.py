"""Working days and the act-by date (domain: deadlines.md, worked examples)."""

from datetime import date

import pytest

from labour_office.calendar import add_days, is_working_day, last_working_day_on_or_before


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 23), True),  # Monday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 1, 1), False),  # New Year
        (date(2026, 1, 6), False),  # Epiphany
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 1), False),
        (date(2026, 6, 4), False),  # Corpus Christi: Easter + 60 days
        (date(2026, 8, 15), False),
        (date(2026, 11, 11), False),  # Independence Day
        (date(2025, 12, 24), False),  # Christmas Eve: a holiday from 2025 on
        (date(2026, 12, 24), False),
        (date(2024, 12, 24), True),  # still a working day in 2024
        (date(2026, 12, 25), False),
        (date(2026, 12, 28), True),
    ],
)
def test_working_days_follow_the_polish_calendar(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_act_by_date_before_christmas_2026_skips_three_holidays_and_the_weekend() -> None:
    assert last_working_day_on_or_before(date(2026, 12, 26)) == date(2026, 12, 23)


def test_christmas_eve_2024_was_still_a_working_day() -> None:
    assert last_working_day_on_or_before(date(2024, 12, 24)) == date(2024, 12, 24)


def test_act_by_date_of_a_saturday_deadline_is_the_friday_before() -> None:
    # IPD preparation deadline of a profile of 2024-12-31 falls on Saturday 2025-03-01.
    assert last_working_day_on_or_before(date(2025, 3, 1)) == date(2025, 2, 28)


def test_act_by_date_of_a_working_day_is_the_day_itself() -> None:
    assert last_working_day_on_or_before(date(2026, 3, 2)) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("event", "days", "due"),
    [
        (date(2026, 1, 1), 60, date(2026, 3, 2)),
        (date(2024, 12, 31), 60, date(2025, 3, 1)),
        (date(2026, 11, 22), 60, date(2027, 1, 21)),
        (date(2026, 1, 1), 180, date(2026, 6, 30)),
        (date(2024, 2, 29), 540, date(2025, 8, 22)),
    ],
)
def test_a_term_of_n_days_does_not_count_the_event_day(event: date, days: int, due: date) -> None:
    assert add_days(event, days) == due
