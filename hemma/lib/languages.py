"""The languages Hemma knows, in one place.

The staff interface speaks Swedish, Finnish and English (`STAFF_LANGUAGES`). Content and the
public parts may be in any of `CONTENT_LANGUAGES`, several of which Django 5.2 does not know;
`register()` adds them to Django's language table so that `get_language_info` and
`{% get_language_info %}` work for them, and settings takes `LANGUAGES_BIDI` from here so that
`<html dir>` is right to left in all of them.
"""

from django.conf import global_settings, locale
from django.utils.translation import get_language_info, gettext_noop
from django.utils.translation import gettext_lazy as _

STAFF_LANGUAGES = [
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("en", _("English")),
]

# code: (English name, name in the language itself, right to left). The English names are
# marked for translation (gettext_noop) so that `get_language_info(code)["name_translated"]`
# names every content language in the page's language, those Django does not know included.
_CONTENT = {
    "sv": (gettext_noop("Swedish"), "svenska", False),
    "fi": (gettext_noop("Finnish"), "suomi", False),
    "en": (gettext_noop("English"), "English", False),
    "ar": (gettext_noop("Arabic"), "العربية", True),
    "fa": (gettext_noop("Persian"), "فارسی", True),
    "prs": (gettext_noop("Dari"), "دری", True),
    "ckb": (gettext_noop("Central Kurdish (Sorani)"), "کوردیی ناوەندی", True),
    "kmr": (gettext_noop("Northern Kurdish (Kurmanji)"), "Kurmancî", False),
    "so": (gettext_noop("Somali"), "Soomaali", False),
    "ti": (gettext_noop("Tigrinya"), "ትግርኛ", False),
    "ru": (gettext_noop("Russian"), "русский", False),
    "uk": (gettext_noop("Ukrainian"), "українська", False),
}

CONTENT_LANGUAGES: tuple[str, ...] = tuple(_CONTENT)
# The languages the survey's answering pages' own words (buttons, errors, thanks) are
# translated into (hemma/locale/*/LC_MESSAGES): a survey's texts may be in any content language.
ANSWERING_LANGUAGES: tuple[str, ...] = ("sv", "fi", "en", "ar")
# The languages the public information sites' own words (navigation, search, notices) are
# translated into; a page in another content language shows them in English, marked
# lang="en" (hemma/information/public_views.py).
RESIDENT_LANGUAGES: tuple[str, ...] = ("sv", "fi", "en", "ar", "fa")
BIDI_LANGUAGES: tuple[str, ...] = tuple(code for code, (_e, _l, rtl) in _CONTENT.items() if rtl)

# settings.LANGUAGES_BIDI: what `get_language_bidi()` and so `<html dir>` read. Django's own list
# lacks Dari ("prs"), so settings takes this one: Django's and Hemma's right-to-left codes.
LANGUAGES_BIDI: list[str] = list(dict.fromkeys([*global_settings.LANGUAGES_BIDI, *BIDI_LANGUAGES]))


def register() -> None:
    """Teach Django the content languages it lacks, and Hemma's spelling of each language's
    own name for those it knows (called once from settings): `{% get_language_info %}` and
    `local_name` then agree ("العربية", not Django's "العربيّة" beside it). Django's English
    `name` stays: its catalogues translate it ("name_translated")."""
    for code, (name, name_local, bidi) in _CONTENT.items():
        info = locale.LANG_INFO.setdefault(
            code, {"bidi": bidi, "code": code, "name": name, "name_local": name_local}
        )
        info["name_local"] = name_local


def is_rtl(code: str) -> bool:
    return code in BIDI_LANGUAGES


def local_name(code: str) -> str:
    return _CONTENT[code][1] if code in _CONTENT else code


def direction(code: str) -> str:
    """The `dir` of text in the language: "rtl" or "ltr"."""
    return "rtl" if is_rtl(code) else "ltr"


def language_name(code: str) -> str:
    """A language named in the active language ("Arabic", "arabiska", "arabia"); a code Hemma
    does not know stays as it is."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return local_name(code)
