from django.utils.translation import get_language


def in_language(pl: str, en: str) -> str:
    """Data kept in both languages (code lists, questions, forms of assistance): the English
    text when the interface speaks English, else the Polish one."""
    return en if (get_language() or "pl").startswith("en") else pl
