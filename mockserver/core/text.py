"""Text as search sees it: folded (case- and diacritic-insensitive, Turkish dotless i included, as
Atlas Search folds it) and cut into words. Shared by the GraphQL search and the agents' word index."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans({"ı": "i", "İ": "i", "I": "i"})


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form."""
    text = text.translate(_FOLD).lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (runs of letters and digits)."""
    return "".join(c if c.isalnum() else " " for c in fold(text)).split()
