"""The legal regimes by date (domain/README.md) and the one the product implements."""

from datetime import date

import pytest

from labour_office.rulesets import PZ_2014, rule_set_for, rule_set_in_force


@pytest.mark.parametrize(
    ("day", "regime"),
    [
        (date(2014, 5, 27), "pz-2014-profiling"),
        (date(2019, 6, 13), "pz-2014-profiling"),
        (date(2019, 6, 14), "pz-2019"),
        (date(2025, 5, 31), "pz-2019"),
        (date(2025, 6, 1), "rp-2025"),
        (date(2026, 11, 23), "rp-2025"),
    ],
)
def test_the_law_in_force_on_a_day(day: date, regime: str) -> None:
    assert rule_set_in_force(day).id == regime


def test_there_was_no_profiling_before_2014() -> None:
    with pytest.raises(LookupError):
        rule_set_in_force(date(2014, 5, 26))


def test_the_product_applies_the_profiling_regime_with_its_numbers() -> None:
    rules = rule_set_for(date(2026, 11, 23))
    assert rules is PZ_2014
    assert (rules.ipd_preparation_days, rules.office_contact_days) == (60, 60)
    assert rules.ipd_max_days == {"I": 180, "II": 540, "III": 720}
