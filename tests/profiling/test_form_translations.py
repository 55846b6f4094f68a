"""Ukrainian and Belarusian names of the forms of assistance (for documents printed in the
client's language), seeded by migration 0004."""

import unicodedata

import pytest

from profiling.models import FormOfAssistance

pytestmark = pytest.mark.django_db

UKRAINIAN_ONLY = set("іїєґІЇЄҐ")
NOT_UKRAINIAN = set("ўыэёъЎЫЭЁЪ")
NOT_BELARUSIAN = set("иїєґщъИЇЄҐЩЪ")


def _non_cyrillic_letters(text: str) -> set[str]:
    return {
        ch
        for ch in text
        if unicodedata.category(ch).startswith("L") and "CYRILLIC" not in unicodedata.name(ch)
    }


def _active_forms() -> list[FormOfAssistance]:
    return list(FormOfAssistance.objects.filter(is_active=True))


def test_every_active_form_has_ukrainian_and_belarusian_names() -> None:
    forms = _active_forms()
    assert len(forms) == 37
    for form in forms:
        assert form.name_uk.strip(), form.code
        assert form.name_be.strip(), form.code


def test_ukrainian_names_are_ukrainian_cyrillic() -> None:
    names = [form.name_uk for form in _active_forms()]
    for name in names:
        assert not _non_cyrillic_letters(name), name
        assert not set(name) & NOT_UKRAINIAN, name
    assert any(set(name) & UKRAINIAN_ONLY for name in names)


def test_belarusian_names_are_belarusian_cyrillic() -> None:
    names = [form.name_be for form in _active_forms()]
    for name in names:
        assert not _non_cyrillic_letters(name), name
        assert not set(name) & NOT_BELARUSIAN, name
    assert any("ў" in name for name in names)


def test_name_in_gives_the_requested_language() -> None:
    form = FormOfAssistance.objects.get(code="traineeship_voucher")
    assert form.name_in("pl") == "bon stażowy"
    assert form.name_in("en") == "traineeship voucher"
    assert form.name_in("uk") == "ваучер на стажування"
    assert form.name_in("be") == "ваўчар на стажыроўку"


def test_name_in_falls_back_to_polish_for_an_unknown_language() -> None:
    form = FormOfAssistance.objects.get(code="traineeship")
    assert form.name_in("de") == form.name_pl == "staż"
    assert form.name_in("") == "staż"


def test_name_in_falls_back_to_polish_for_an_empty_translation() -> None:
    form = FormOfAssistance.objects.get(code="traineeship")
    form.name_uk = ""
    form.name_be = ""
    assert form.name_in("uk") == "staż"
    assert form.name_in("be") == "staż"
