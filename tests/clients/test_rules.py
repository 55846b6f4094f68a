"""Attributes of a client that eligibility rules read (domain: clients.md). Pure: no database.

Ages are taken on the day a service is applied: "under 30" is not yet 30 that day, "50 plus" is
50 or older that day. A person's age grows at the start of the birthday (Civil Code art. 112).
"""

from datetime import date, timedelta

import pytest

from clients.rules import (
    LONG_TERM_THRESHOLD_DAYS_DEFAULT,
    Period,
    age_on,
    days_registered,
    days_registered_in_window,
    is_aged_50_plus,
    is_long_term_unemployed,
    is_under_25,
    is_under_30,
    letter_in_range,
    surname_letter,
    years_before,
)

# --- age -----------------------------------------------------------------------------------


def test_age_grows_on_the_birthday_itself_not_the_day_after() -> None:
    born = date(1990, 5, 15)
    assert age_on(born, date(2020, 5, 14)) == 29
    assert age_on(born, date(2020, 5, 15)) == 30
    assert age_on(born, date(2020, 5, 16)) == 30


def test_age_on_the_day_of_birth_is_zero() -> None:
    assert age_on(date(2000, 1, 1), date(2000, 1, 1)) == 0


def test_age_counts_across_new_year() -> None:
    born = date(1990, 12, 31)
    assert age_on(born, date(2020, 12, 30)) == 29
    assert age_on(born, date(2020, 12, 31)) == 30
    assert age_on(born, date(2021, 1, 1)) == 30


def test_a_person_born_on_29_february_has_their_birthday_on_1_march_at_the_latest() -> None:
    born = date(2000, 2, 29)
    assert age_on(born, date(2018, 3, 1)) == 18
    assert age_on(born, date(2020, 2, 28)) == 19
    assert age_on(born, date(2020, 2, 29)) == 20


def test_a_person_born_on_29_february_comes_of_age_on_28_february_of_a_common_year() -> None:
    # Civil Code art. 112: a term in years ends on the day that corresponds by date to the
    # first day, and when the last month has no such day, on the last day of that month; a
    # person's age is reached at the start of that day. years_before() applies the same
    # convention (29 February -> 28 February).
    born = date(2000, 2, 29)
    assert age_on(born, date(2018, 2, 27)) == 17
    assert age_on(born, date(2018, 2, 28)) == 18


def test_under_25_until_the_day_before_the_25th_birthday() -> None:
    born = date(2001, 4, 10)
    assert is_under_25(born, date(2026, 4, 9))
    assert not is_under_25(born, date(2026, 4, 10))


def test_under_30_until_the_day_before_the_30th_birthday() -> None:
    born = date(1996, 4, 10)
    assert is_under_30(born, date(2026, 4, 9))
    assert not is_under_30(born, date(2026, 4, 10))
    assert not is_under_30(born, date(2026, 4, 11))


def test_50_plus_from_the_50th_birthday_itself() -> None:
    born = date(1976, 4, 10)
    assert not is_aged_50_plus(born, date(2026, 4, 9))
    assert is_aged_50_plus(born, date(2026, 4, 10))
    assert is_aged_50_plus(born, date(2040, 1, 1))


def test_a_person_born_on_29_february_stops_being_under_30_on_28_february() -> None:
    # Same convention as above, on the art. 49 group "under 30".
    assert not is_under_30(date(1996, 2, 29), date(2026, 2, 28))


def test_years_before_keeps_the_day() -> None:
    assert years_before(date(2026, 3, 1), 2) == date(2024, 3, 1)
    assert years_before(date(2026, 6, 30), 2) == date(2024, 6, 30)


def test_years_before_29_february_in_a_common_year_is_28_february() -> None:
    assert years_before(date(2024, 2, 29), 2) == date(2022, 2, 28)
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)


def test_years_before_29_february_in_a_leap_year_is_29_february() -> None:
    assert years_before(date(2024, 2, 29), 4) == date(2020, 2, 29)


def test_time_registered_counts_the_registration_day_as_day_zero() -> None:
    assert days_registered(date(2026, 1, 5), date(2026, 1, 5)) == 0
    assert days_registered(date(2026, 1, 5), date(2026, 2, 4)) == 30


# --- long-term unemployed: more than 12 months within the last 2 years ------------------------

ON = date(2026, 6, 30)
# The window is the 2 years ending on ON: 2024-07-01 .. 2026-06-30, 730 days.
WINDOW_START = date(2024, 7, 1)


def test_the_default_threshold_is_360_days() -> None:
    # 12 months of 30 days (Civil Code art. 114).
    assert LONG_TERM_THRESHOLD_DAYS_DEFAULT == 360


def test_361_days_registered_within_two_years_make_a_person_long_term_unemployed() -> None:
    periods = [Period(ON - timedelta(days=360), ON + timedelta(days=1))]
    assert days_registered_in_window(periods, (), ON) == 361
    assert is_long_term_unemployed(periods, ON)


def test_exactly_360_days_are_not_more_than_12_months() -> None:
    periods = [Period(ON - timedelta(days=359), ON + timedelta(days=1))]
    assert days_registered_in_window(periods, (), ON) == 360
    assert not is_long_term_unemployed(periods, ON)


def test_an_open_registration_counts_up_to_the_reference_day_inclusive() -> None:
    assert days_registered_in_window([Period(ON)], (), ON) == 1
    assert is_long_term_unemployed([Period(ON - timedelta(days=360))], ON)
    assert not is_long_term_unemployed([Period(ON - timedelta(days=359))], ON)


def test_days_of_several_periods_add_up_in_total() -> None:
    periods = [
        Period(date(2024, 8, 1), date(2025, 2, 1)),  # 184 days
        Period(date(2025, 6, 1), date(2025, 12, 1)),  # 183 days
    ]
    assert days_registered_in_window(periods, (), ON) == 367
    assert is_long_term_unemployed(periods, ON)


def test_overlapping_periods_are_not_counted_twice() -> None:
    periods = [
        Period(date(2025, 1, 1), date(2025, 12, 1)),
        Period(date(2025, 6, 1), date(2026, 1, 1)),
    ]
    assert days_registered_in_window(periods, (), ON) == 365


def test_a_long_period_mostly_before_the_window_counts_only_its_days_inside() -> None:
    # Two years registered, but only 2024-07-01 .. 2024-12-31 fall in the window: 184 days.
    periods = [Period(date(2023, 1, 1), date(2025, 1, 1))]
    assert days_registered_in_window(periods, (), ON) == 184
    assert not is_long_term_unemployed(periods, ON)


def test_days_inside_the_window_of_a_period_begun_before_it_add_to_later_periods() -> None:
    periods = [
        Period(date(2023, 1, 1), date(2025, 1, 1)),  # 184 days inside
        Period(date(2025, 6, 1), date(2025, 12, 1)),  # 183 days
    ]
    assert days_registered_in_window(periods, (), ON) == 367
    assert is_long_term_unemployed(periods, ON)


def test_registration_before_the_two_year_window_does_not_count() -> None:
    periods = [Period(date(2020, 1, 1), WINDOW_START)]
    assert days_registered_in_window(periods, (), ON) == 0
    assert not is_long_term_unemployed(periods, ON)


def test_the_first_day_of_the_window_counts() -> None:
    periods = [Period(date(2020, 1, 1), WINDOW_START + timedelta(days=1))]
    assert days_registered_in_window(periods, (), ON) == 1


def test_registration_after_the_reference_day_does_not_count() -> None:
    assert days_registered_in_window([Period(ON + timedelta(days=1))], (), ON) == 0


def test_a_registration_longer_than_the_window_counts_at_most_two_years() -> None:
    assert days_registered_in_window([Period(date(2015, 1, 1))], (), ON) == 730


def test_the_window_holds_29_february_of_a_leap_year() -> None:
    # 2023-02-01 .. 2025-01-31 includes 2024-02-29.
    assert days_registered_in_window([Period(date(2015, 1, 1))], (), date(2025, 1, 31)) == 731


def test_the_window_ending_on_29_february_starts_on_1_march_two_years_earlier() -> None:
    on = date(2024, 2, 29)
    periods = [Period(date(2022, 2, 28), date(2022, 3, 2))]
    # 2022-02-28 is outside (years_before gives 2022-02-28, the window starts the day after).
    assert days_registered_in_window(periods, (), on) == 1


def test_traineeship_days_are_not_counted() -> None:
    unemployed = [Period(ON - timedelta(days=399))]  # 400 days
    traineeship = [Period(date(2025, 9, 1), date(2025, 10, 21))]  # 50 days
    assert days_registered_in_window(unemployed, traineeship, ON) == 350
    assert not is_long_term_unemployed(unemployed, ON, excluded=traineeship)
    assert is_long_term_unemployed(unemployed, ON)


def test_an_open_traineeship_is_excluded_up_to_the_reference_day() -> None:
    unemployed = [Period(ON - timedelta(days=399))]
    traineeship = [Period(ON - timedelta(days=29))]
    assert days_registered_in_window(unemployed, traineeship, ON) == 370


def test_traineeship_outside_the_registration_takes_nothing_away() -> None:
    unemployed = [Period(date(2025, 1, 1), date(2026, 1, 1))]  # 365 days
    traineeship = [Period(date(2026, 2, 1), date(2026, 5, 1))]
    assert days_registered_in_window(unemployed, traineeship, ON) == 365
    assert is_long_term_unemployed(unemployed, ON, excluded=traineeship)


def test_traineeship_partly_outside_the_window_is_excluded_only_inside_it() -> None:
    unemployed = [Period(date(2020, 1, 1))]
    traineeship = [Period(date(2024, 6, 1), date(2024, 7, 11))]  # 10 days inside the window
    assert days_registered_in_window(unemployed, traineeship, ON) == 720


def test_the_office_can_configure_the_threshold() -> None:
    periods = [Period(ON - timedelta(days=364))]  # 365 days
    assert is_long_term_unemployed(periods, ON)
    assert not is_long_term_unemployed(periods, ON, threshold_days=365)
    assert is_long_term_unemployed(periods, ON, threshold_days=364)


def test_no_registration_is_not_long_term_unemployment() -> None:
    assert not is_long_term_unemployed([], ON)


# --- surname letters in the Polish alphabet ----------------------------------------------------


@pytest.mark.parametrize(
    ("surname", "letter"),
    [
        ("Kowalski", "K"),
        ("łukasiewicz", "Ł"),
        ("Łukasiewicz", "Ł"),
        ("Żółć", "Ż"),
        ("Źrebiec", "Ź"),
        ("Ćwik", "Ć"),
        ("Śliwa", "Ś"),
        ("Ąbek", "Ą"),
        ("Ołtarz", "O"),
        ("Öz", "O"),
        ("Özdemir", "O"),
        ("Müller", "M"),
        ("Ørsted", "O"),
        ("Ñúñez", "N"),
        ("  Nowak ", "N"),
        ("van Gogh", "V"),
        ("Xiao", "X"),
        ("Quinn", "Q"),
    ],
)
def test_the_surname_letter_is_its_first_letter_in_the_polish_alphabet(
    surname: str, letter: str
) -> None:
    assert surname_letter(surname) == letter


@pytest.mark.parametrize("surname", ["", "   ", "123", "-"])
def test_a_surname_without_a_first_letter_has_no_letter(surname: str) -> None:
    assert surname_letter(surname) is None


@pytest.mark.parametrize(
    ("letter", "first", "last", "inside"),
    [
        ("L", "A", "L", True),
        ("Ł", "A", "L", False),  # Ł comes after L
        ("Ł", "Ł", "Ż", True),
        ("Ł", "L", "M", True),
        ("M", "A", "Ł", False),
        ("Ż", "A", "Ż", True),  # Ż is the last letter
        ("Ż", "R", "Z", False),
        ("Ź", "R", "Z", False),
        ("Z", "R", "Ź", True),
        ("Ż", "Ź", "Ż", True),
        ("Ą", "A", "B", True),  # Ą between A and B
        ("Ą", "B", "C", False),
        ("A", "Ą", "B", False),
        ("Ć", "C", "D", True),
        ("Ć", "A", "C", False),
        ("Ę", "E", "E", False),
        ("Ó", "O", "P", True),
        ("Ś", "S", "S", False),
        ("Ś", "S", "T", True),
        ("Ń", "N", "N", False),
    ],
)
def test_letter_ranges_follow_the_polish_alphabet(
    letter: str, first: str, last: str, inside: bool
) -> None:
    assert letter_in_range(letter, first, last) is inside


def test_a_foreign_surname_with_an_umlaut_falls_in_the_range_of_its_base_letter() -> None:
    letter = surname_letter("Öz")
    assert letter is not None
    assert letter_in_range(letter, "N", "P")
    assert not letter_in_range(letter, "Ó", "Ż")


def test_a_letter_outside_the_alphabet_is_in_no_range() -> None:
    assert not letter_in_range("1", "A", "Ż")
    assert not letter_in_range("Ö", "A", "Ż")
