"""Template helpers available in every template (registered as builtins in settings)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from hemma.lib import languages
from hemma.lib.texts import pick

register = template.Library()


def _language_of(text: dict, fallback: str) -> str:
    active = (get_language() or "").split("-")[0]
    if text.get(active):
        return active
    if text.get(fallback):
        return fallback
    return next((code for code, value in text.items() if value), active)


@register.simple_tag
def text(value: dict | None, fallback: str = "sv"):
    """A translated text in the active language, else in `fallback`, marked with its `lang`.

    Text shown in another language than the page's gets its own `lang` (and `dir`), so that
    a screen reader reads it right (WCAG 3.1.2).
    """
    if not value:
        return ""
    code = _language_of(value, fallback)
    shown = pick(value, code)
    if code == (get_language() or "").split("-")[0]:
        return shown
    direction = languages.direction(code)
    return format_html('<span lang="{}" dir="{}">{}</span>', code, direction, shown)


@register.filter
def plain(value: dict | None, fallback: str = "sv") -> str:
    """A translated text as plain text (for attributes and titles)."""
    return pick(value, fallback=fallback)
