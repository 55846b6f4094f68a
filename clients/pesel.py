"""PESEL, the national identification number (domain: identifiers.md).

The Act of 24 September 2010 on population records, art. 15: 11 digits YYMMDDZZZXQ holding the
birth date (the month carries the century), a serial number, the sex (10th digit: even female,
odd male) and a check digit. python-stdnum does the arithmetic; this module gives each way a
number can be wrong its own message.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidComponent
from stdnum.pl import pesel as stdnum_pesel


def normalise_pesel(value: str) -> str:
    """The digits as typed, without spaces or hyphens."""
    return str(stdnum_pesel.compact(value or ""))


def validate_pesel(value: str) -> None:
    number = normalise_pesel(value)
    if not (number.isascii() and number.isdigit()):
        raise ValidationError(_("A PESEL consists of digits only."), code="pesel_digits")
    if len(number) != 11:
        raise ValidationError(
            _("A PESEL has 11 digits; this one has %(count)d."),
            code="pesel_length",
            params={"count": len(number)},
        )
    if number[-1] != stdnum_pesel.calc_check_digit(number[:-1]):
        raise ValidationError(
            _("This PESEL's check digit is wrong: check for a typing error."),
            code="pesel_checksum",
        )
    try:
        stdnum_pesel.get_birth_date(number)
    except InvalidComponent:
        raise ValidationError(
            _("This PESEL encodes a date of birth that does not exist."), code="pesel_date"
        ) from None


def pesel_birth_date(value: str) -> date:
    """The birth date, for every century the month encodes (1800 to 2299)."""
    validate_pesel(value)
    birth: date = stdnum_pesel.get_birth_date(normalise_pesel(value))
    return birth


def pesel_sex(value: str) -> Literal["F", "M"]:
    validate_pesel(value)
    return "F" if int(normalise_pesel(value)[9]) % 2 == 0 else "M"
