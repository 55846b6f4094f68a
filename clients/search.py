"""Diacritics-insensitive search text: "Lukasz Zolc" finds "Łukasz Żółć"."""

import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d"})


def fold(text: str) -> str:
    """Lower case without diacritics, single spaces: the form stored and searched."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
