"""NIP and REGON of employers (domain: identifiers.md), checked with python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, regon


def normalise_nip(value: str) -> str:
    """Digits only: "123-456-78-90", "PL1234567890" and "123-45-67-890" are one NIP."""
    return str(nip.compact(value or ""))


def validate_nip(value: str) -> None:
    try:
        nip.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This is not a valid NIP: 10 digits with a correct check digit."), code="nip"
        ) from None


def validate_regon(value: str) -> None:
    try:
        regon.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This is not a valid REGON: 9 or 14 digits with correct check digits."),
            code="regon",
        ) from None
