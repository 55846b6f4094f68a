"""PESEL validation and decoding for every century the number encodes (domain: identifiers.md).

The Act of 24 September 2010 on population records, art. 15: YYMMDDZZZXQ, the month carries the
century (1800s +80, 1900s +0, 2000s +20, 2100s +40, 2200s +60), the 10th digit the sex (even
female), the last a check digit over weights 1 3 7 9 1 3 7 9 1 3.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.pl.pesel import calc_check_digit

from clients.pesel import pesel_birth_date, pesel_sex, validate_pesel

MONTH_OFFSET = {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}


def pesel(yy: int, mm: int, dd: int, serial: str = "0123") -> str:
    """A number with the right check digit for the given (already offset) month."""
    head = f"{yy:02d}{mm:02d}{dd:02d}{serial}"
    return head + calc_check_digit(head)


def pesel_for(born: date, sex: str) -> str:
    """Encoded by the table of identifiers.md, independently of the code under test."""
    sex_digit = "4" if sex == "F" else "7"
    month = born.month + MONTH_OFFSET[born.year // 100 * 100]
    return pesel(born.year % 100, month, born.day, "123" + sex_digit)


def error_of(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_pesel(value)
    return caught.value


# People born in every century a PESEL can encode, both sexes, month and year edges.
PEOPLE = [
    (date(1800, 1, 1), "M"),
    (date(1875, 3, 8), "M"),
    (date(1899, 12, 31), "F"),
    (date(1900, 1, 1), "F"),
    (date(1985, 7, 19), "F"),
    (date(1999, 12, 31), "M"),
    (date(2000, 2, 29), "F"),
    (date(2003, 11, 5), "M"),
    (date(2099, 12, 31), "F"),
    (date(2100, 1, 1), "M"),
    (date(2150, 6, 15), "F"),
    (date(2199, 12, 31), "M"),
    (date(2200, 1, 1), "F"),
    (date(2204, 2, 29), "M"),
    (date(2299, 12, 31), "F"),
]


# --- the worked examples of identifiers.md ---------------------------------------------------


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("85071901243", date(1985, 7, 19), "F"),
        ("03310598735", date(2003, 11, 5), "M"),
        ("75830845671", date(1875, 3, 8), "M"),
    ],
)
def test_worked_examples_are_valid_and_decode_to_birth_date_and_sex(
    number: str, born: date, sex: str
) -> None:
    validate_pesel(number)
    assert pesel_birth_date(number) == born
    assert pesel_sex(number) == sex


def test_worked_example_with_a_wrong_check_digit_is_refused_as_a_checksum_error() -> None:
    assert error_of("85071901241").code == "pesel_checksum"


def test_worked_example_of_29_february_2023_is_refused_as_a_date_that_does_not_exist() -> None:
    assert error_of("23222900152").code == "pesel_date"


def test_worked_example_with_month_13_is_refused_as_a_date_that_does_not_exist() -> None:
    assert error_of("08331502486").code == "pesel_date"


# --- every century -------------------------------------------------------------------------


@pytest.mark.parametrize(("born", "sex"), PEOPLE, ids=[f"{b}-{s}" for b, s in PEOPLE])
def test_a_number_of_every_century_is_valid_and_decodes_its_birth_date_and_sex(
    born: date, sex: str
) -> None:
    number = pesel_for(born, sex)
    validate_pesel(number)
    assert pesel_birth_date(number) == born
    assert pesel_sex(number) == sex


@pytest.mark.parametrize(
    ("century", "first_month", "last_month"),
    [(1800, 81, 92), (1900, 1, 12), (2000, 21, 32), (2100, 41, 52), (2200, 61, 72)],
)
def test_the_month_offset_places_the_birth_in_its_century(
    century: int, first_month: int, last_month: int
) -> None:
    assert pesel_birth_date(pesel(50, first_month, 1)) == date(century + 50, 1, 1)
    assert pesel_birth_date(pesel(50, last_month, 31)) == date(century + 50, 12, 31)


@pytest.mark.parametrize(("born", "sex"), PEOPLE, ids=[f"{b}-{s}" for b, s in PEOPLE])
def test_a_mistyped_last_digit_is_refused_in_every_century(born: date, sex: str) -> None:
    number = pesel_for(born, sex)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert error_of(wrong).code == "pesel_checksum"


@pytest.mark.parametrize(
    ("number", "why"),
    [
        (pesel(0, 82, 29), "1800 was not a leap year"),
        (pesel(0, 2, 29), "1900 was not a leap year"),
        (pesel(23, 22, 29), "2023 is not a leap year"),
        (pesel(0, 42, 29), "2100 will not be a leap year"),
        (pesel(0, 62, 29), "2200 will not be a leap year"),
        (pesel(85, 84, 31), "April 1885 has 30 days"),
        (pesel(85, 4, 31), "April 1985 has 30 days"),
        (pesel(5, 26, 31), "June 2005 has 30 days"),
        (pesel(50, 49, 31), "September 2150 has 30 days"),
        (pesel(50, 71, 31), "November 2250 has 30 days"),
        (pesel(85, 7, 0), "there is no day 0"),
        (pesel(85, 7, 32), "there is no day 32"),
    ],
)
def test_a_day_that_does_not_exist_is_refused_in_every_century(number: str, why: str) -> None:
    assert error_of(number).code == "pesel_date", why


@pytest.mark.parametrize("month", [0, 13, 20, 33, 40, 53, 60, 73, 80, 93, 99])
def test_a_month_outside_every_century_range_is_refused(month: int) -> None:
    assert error_of(pesel(85, month, 1)).code == "pesel_date"


@pytest.mark.parametrize(
    ("number", "born"),
    [(pesel(0, 22, 29), date(2000, 2, 29)), (pesel(4, 62, 29), date(2204, 2, 29))],
)
def test_29_february_of_a_leap_year_is_valid(number: str, born: date) -> None:
    assert pesel_birth_date(number) == born


# --- form of the number --------------------------------------------------------------------


@pytest.mark.parametrize("number", ["8507190124", "850719012431", "85", "850719012430000"])
def test_a_number_of_the_wrong_length_is_refused_as_such(number: str) -> None:
    error = error_of(number)
    assert error.code == "pesel_length"
    assert str(len(number)) in error.messages[0]


@pytest.mark.parametrize(
    "number",
    # Letter O for zero; dots; Arabic-Indic digits and a superscript: digits to Python, not
    # to a PESEL.
    ["8507190124A", "85O71901243", "85.07.19.01243", "٨٥٠٧١٩٠١٢٤٣", "8507190124\u00b3"],
)
def test_a_number_with_other_characters_than_digits_is_refused_as_such(number: str) -> None:
    assert error_of(number).code == "pesel_digits"


def test_an_empty_pesel_is_refused() -> None:
    error_of("")


@pytest.mark.parametrize(
    "typed", ["850719 01243", "85071-901243", " 85071901243 ", "850-719-012-43", "8507 1901 243"]
)
def test_spaces_and_hyphens_typed_in_a_pesel_are_tolerated(typed: str) -> None:
    validate_pesel(typed)
    assert pesel_birth_date(typed) == date(1985, 7, 19)
    assert pesel_sex(typed) == "F"


@pytest.mark.parametrize("decode", [pesel_birth_date, pesel_sex])
@pytest.mark.parametrize("number", ["85071901241", "23222900152", "8507190124", "x"])
def test_an_invalid_number_is_never_decoded(decode: object, number: str) -> None:
    with pytest.raises(ValidationError):
        decode(number)  # type: ignore[operator]


@pytest.mark.parametrize("tenth", "0123456789")
def test_the_tenth_digit_gives_the_sex_even_female_odd_male(tenth: str) -> None:
    number = pesel(85, 7, 19, "012" + tenth)
    assert pesel_sex(number) == ("F" if int(tenth) % 2 == 0 else "M")


# --- messages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("8507190124", "pesel_length"),
        ("8507190124A", "pesel_digits"),
        ("85071901241", "pesel_checksum"),
        ("23222900152", "pesel_date"),
    ],
)
@pytest.mark.parametrize("language", ["pl", "en"])
def test_each_way_a_pesel_is_wrong_has_its_own_code_and_a_message_in_the_users_language(
    number: str, code: str, language: str
) -> None:
    with translation.override(language):
        error = error_of(number)
        message = error.messages[0]
    assert error.code == code
    assert message.strip()


def test_the_four_errors_have_four_different_messages() -> None:
    with translation.override("pl"):
        messages = {
            error_of(number).messages[0]
            for number in ("8507190124", "8507190124A", "85071901241", "23222900152")
        }
    assert len(messages) == 4
