"""Helpers for the programme's table (programmes/_responsible.html)."""

from django import template
from django.utils import translation
from django.utils.translation import gettext

from hemma.lib.templatetags import _language_of
from hemma.lib.texts import pick

register = template.Library()


@register.simple_tag
def says_per_municipality(text: dict | None, fallback: str = "sv") -> bool:
    """Whether `text`, as the page shows it, already begins with "Set per municipality".

    The seed writes "Kommunspecifikt (Grundläggande utbildning, …)": the cell then needs no
    label of its own. The text is compared with the label translated into the text's own
    language (the page's, else the programme's), so it works in every language.
    """
    if not text:
        return False
    code = _language_of(text, fallback)
    with translation.override(code):
        label = gettext("Set per municipality")
    return pick(text, code).strip().casefold().startswith(label.casefold())
