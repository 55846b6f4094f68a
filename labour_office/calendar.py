"""Polish working days (domain: deadlines.md).

A working day is Monday to Friday and not a public holiday under the Act of 18 January 1951 on
days free from work, as the ``holidays`` package encodes it (24 December is a holiday from 2025).
Pure functions of dates: no database, no clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("PL", years=year))


def is_public_holiday(d: date) -> bool:
    return d in _public_holidays(d.year)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and not is_public_holiday(d)


def last_working_day_on_or_before(d: date) -> date:
    """The act-by date of a due date: the office acts no later than this."""
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def add_days(d: date, n: int) -> date:
    """A term of ``n`` days from an event on ``d`` ends on ``d + n`` (KPA art. 57 § 1: the
    event's day is not counted; weekends and holidays inside the term count)."""
    return d + timedelta(days=n)
