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
