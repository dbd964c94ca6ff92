"""Translated texts stored as a map from language code to text.

A programme's texts live in JSON fields (`{"sv": "…", "fi": "…", "en": "…"}`): the same shape
as the interchange format, one row per node (no N+1 when a tree is read), and a new language
needs no migration.
"""

from django.utils.translation import get_language


def pick(text: dict[str, str] | None, language: str | None = None, fallback: str = "") -> str:
    """The text in `language` (default: the active one), else in `fallback`, else in Swedish,
    Finnish or English, else in the first language by code. Never by the map's own order,
    which the database decides (PostgreSQL's jsonb sorts the keys; SQLite keeps them)."""
    if not text:
        return ""
    language = (language or get_language() or "").split("-")[0]
    for code in (language, fallback, *_FALLBACKS, *sorted(text)):
        if code and text.get(code):
            return text[code]
    return ""


# The languages a text is looked for in when it has none of those asked for.
_FALLBACKS = ("sv", "fi", "en")


def clean(text: dict[str, str] | None) -> dict[str, str]:
    """The map without empty entries, values stripped; what is stored."""
    return {code: value.strip() for code, value in (text or {}).items() if value and value.strip()}
