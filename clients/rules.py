"""Attributes of a client that eligibility rules read (domain: clients.md). Pure functions.

Ages are taken on the day a service or instrument is applied (RECONSTRUCTION): "under 30" is
not yet 30 that day, "50 plus" is 50 or older that day.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# Long-term unemployed (2004 Act art. 2 ust. 1 pkt 5, LAW): more than 12 months in total in the
# register within the last 2 years, not counting traineeship or adult vocational preparation.
LONG_TERM_WINDOW_YEARS = 2  # LAW
# 12 months counted as 360 days (Civil Code art. 114), APPROXIMATION: the office's value comes
# from the administrator-editable parameter ``clients.long_term_threshold_days``.
LONG_TERM_THRESHOLD_DAYS_DEFAULT = 360


@dataclass(frozen=True)
class Period:
    """A span of days: ``start`` counts, ``end`` (exclusive) does not; ``None`` = still open."""

    start: date
    end: date | None = None


def age_on(birth_date: date, on: date) -> int:
    """Full years on ``on``. Born on 29 February: a year older on 28 February of a common
    year (Civil Code art. 112: the term ends on the last day of the month)."""
    birthday = (birth_date.month, birth_date.day)
    if birthday == (2, 29) and not calendar.isleap(on.year):
        birthday = (2, 28)
    return on.year - birth_date.year - ((on.month, on.day) < birthday)


def is_under_25(birth_date: date, on: date) -> bool:
    return age_on(birth_date, on) < 25


def is_under_30(birth_date: date, on: date) -> bool:
    return age_on(birth_date, on) < 30


def is_aged_50_plus(birth_date: date, on: date) -> bool:
    return age_on(birth_date, on) >= 50


# Unemployed status (2004 Act art. 2 ust. 1 pkt 2, LAW): at least 18, below the retirement
# age of 60 (women) or 65 (men). A jobseeker has no age limit.
UNEMPLOYED_MIN_AGE = 18
RETIREMENT_AGE = {"F": 60, "M": 65}


def unemployed_age_allows(birth_date: date, sex: str, on: date) -> bool:
    age = age_on(birth_date, on)
    return UNEMPLOYED_MIN_AGE <= age < RETIREMENT_AGE[sex]


def years_before(d: date, years: int) -> date:
    """The same day ``years`` earlier; 29 February becomes 28 February (KPA art. 57 § 3a)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _days_within(periods: Iterable[Period], start: date, end: date) -> set[date]:
    days: set[date] = set()
    for period in periods:
        first = max(period.start, start)
        last = min(period.end or end, end)
        days.update(first + timedelta(days=i) for i in range((last - first).days))
    return days


def days_registered_in_window(
    unemployed: Iterable[Period], excluded: Iterable[Period], on: date
) -> int:
    """Days as unemployed in the 2 years ending on ``on`` (inclusive), less excluded days."""
    window_start = years_before(on, LONG_TERM_WINDOW_YEARS) + timedelta(days=1)
    window_end = on + timedelta(days=1)
    registered = _days_within(unemployed, window_start, window_end)
    return len(registered - _days_within(excluded, window_start, window_end))


def is_long_term_unemployed(
    unemployed: Iterable[Period],
    on: date,
    excluded: Iterable[Period] = (),
    threshold_days: int = LONG_TERM_THRESHOLD_DAYS_DEFAULT,
) -> bool:
    return days_registered_in_window(unemployed, excluded, on) > threshold_days


def days_registered(registered_on: date, on: date) -> int:
    """Time in the current registration: the registration day is day 0."""
    return (on - registered_on).days


# Surname letter ranges: offices split clients among advisors by the first letter of the
# surname, in the order of the Polish alphabet (Q, V and X included for foreign names).
POLISH_ALPHABET = "AĄBCĆDEĘFGHIJKLŁMNŃOÓPQRSŚTUVWXYZŹŻ"


def surname_letter(surname: str) -> str | None:
    """The first letter of a surname as the alphabet knows it ("Öz" counts as "O")."""
    from clients.search import fold

    stripped = surname.strip()
    if not stripped:
        return None
    letter = stripped[0].upper()
    if letter in POLISH_ALPHABET:
        return letter
    folded = fold(letter).upper()[:1]
    return folded if folded and folded in POLISH_ALPHABET else None


def letter_in_range(letter: str, first: str, last: str) -> bool:
    position = POLISH_ALPHABET.find(letter)
    return position >= 0 and POLISH_ALPHABET.find(first) <= position <= POLISH_ALPHABET.find(last)
