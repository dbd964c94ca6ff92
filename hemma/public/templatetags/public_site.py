"""Template helpers of the public site (`{% load public_site %}`)."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in the language itself
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """The same page in each of the site's languages, query included.

    Links, not the staff pages' form: a form would need a CSRF token, whose cookie would make
    every public page personal and uncachable.
    """
    request = context["request"]
    current = (get_language() or "").split("-")[0]
    return [
        LanguageLink(
            code=code,
            name=get_language_info(code)["name_local"],
            url=translate_url(request.get_full_path(), code),
            current=code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
