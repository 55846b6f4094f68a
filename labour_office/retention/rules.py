"""The retention rules as pure functions: dates in, dates out; no database.

The period a labour office keeps a client's file comes from its archival schedule (the
office's *jednolity rzeczowy wykaz akt*, JRWA): the category of the file sets how many years
it is kept. As in the office's archive, the years are counted in full calendar years from
1 January of the year after the case closed (the registration period ended): a registration
closed on 20 November 2015 and kept 10 years may be anonymised from 1 January 2026.
"""

from __future__ import annotations

from datetime import date

# APPROXIMATION: the domain specification gives no period; each office sets its own from its
# JRWA (registration files may be kept much longer, e.g. for certificates of the periods of
# registration that count towards a pension). Nothing happens until an administrator sets it.
DEFAULT_YEARS_AFTER_CLOSURE = 10

# What an anonymised client record says instead of the person's identity.
ANONYMISED_FIRST_NAME = "—"
ANONYMISED_SURNAME_PREFIX = "Zanonimizowano #"
ANONYMISED_DOCUMENT_PREFIX = "ANON-"
ANONYMISED_DOCUMENT_COUNTRY = "—"
# Free text that may name the person; empty text stays empty (it said nothing).
REDACTED_TEXT = "—"
# The day of the year a birth date is reduced to: keeps the age in statistics within half a
# year either way.
BIRTH_MONTH, BIRTH_DAY = 7, 1


def retention_cutoff(today: date, years: int) -> date:
    """Registrations closed before this day have been kept ``years`` full calendar years by
    ``today``."""
    if years < 1:
        raise ValueError("the retention period is at least one year")
    return date(today.year - years, 1, 1)


def is_past_retention(closed_on: date, today: date, years: int) -> bool:
    """Whether a file whose last registration closed on ``closed_on`` has been kept long
    enough."""
    return closed_on < retention_cutoff(today, years)


def anonymised_birth_date(birth_date: date) -> date:
    """The birth date reduced to its year."""
    return date(birth_date.year, BIRTH_MONTH, BIRTH_DAY)


def anonymised_surname(client_id: int) -> str:
    return f"{ANONYMISED_SURNAME_PREFIX}{client_id}"
