"""NIP and REGON of employers (domain: identifiers.md) and the diacritics-insensitive search
text. Pure functions: no database."""

import pytest
from django.core.exceptions import ValidationError

from clients.search import fold
from clients.validators import normalise_nip, validate_nip, validate_regon


def error_code(validator, value: str) -> str | None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.code


@pytest.mark.parametrize("value", ["8471512347", "847-151-23-47", "847-15-12-347", "PL8471512347"])
def test_a_valid_nip_passes_in_every_written_form(value: str) -> None:
    validate_nip(value)
    assert normalise_nip(value) == "8471512347"


@pytest.mark.parametrize(
    "value",
    [
        "1234567890",  # remainder 10: no check digit can work (identifiers.md)
        "8471512346",  # wrong check digit
        "847151234",  # nine digits
        "84715123470",  # eleven digits
        "847151234X",
        "",
    ],
)
def test_an_invalid_nip_is_refused(value: str) -> None:
    assert error_code(validate_nip, value) == "nip"


@pytest.mark.parametrize("value", ["123456785", "612254132", "61225413200125"])
def test_a_valid_regon_of_9_or_14_digits_passes(value: str) -> None:
    validate_regon(value)


@pytest.mark.parametrize(
    "value",
    [
        "12345678500019",  # valid 9-digit prefix, but the 14-digit check digit must be 0
        "123456789",  # wrong check digit
        "61225413100125",  # 14 digits on an invalid 9-digit prefix
        "12345678",
        "1234567850001",
        "12345678A",
    ],
)
def test_an_invalid_regon_is_refused(value: str) -> None:
    assert error_code(validate_regon, value) == "regon"


def test_fold_drops_polish_diacritics_and_case() -> None:
    assert fold("Łukasz Żółć") == "lukasz zolc"
    assert fold("ZAŻÓŁĆ GĘŚLĄ JAŹŃ") == "zazolc gesla jazn"


def test_fold_joins_the_words_with_single_spaces() -> None:
    assert fold("  Anna   Maria\tKowalska-Nowak ") == "anna maria kowalska-nowak"


def test_a_query_without_diacritics_is_found_in_the_folded_name() -> None:
    assert fold("Lukasz Zolc") in fold("Łukasz Żółć")
