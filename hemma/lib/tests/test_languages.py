"""hemma.lib.languages: one spelling of each language's own name, wherever it is read."""

import pytest
from django.utils.translation import get_language_info

from hemma.lib.languages import CONTENT_LANGUAGES, local_name


@pytest.mark.parametrize("code", CONTENT_LANGUAGES)
def test_django_names_each_content_language_in_itself_as_hemma_does(code):
    assert get_language_info(code)["name_local"] == local_name(code)


def test_arabic_is_spelled_without_the_shadda_django_gives_it():
    assert get_language_info("ar")["name_local"] == "العربية"
    # Django's English name stays, for its catalogues to translate.
    assert get_language_info("ar")["name"] == "Arabic"


def test_a_languages_direction_and_its_name_in_the_active_language():
    from django.utils import translation

    from hemma.lib.languages import direction, language_name

    assert [direction(code) for code in ("ar", "fa", "prs", "ckb", "sv", "so")] == [
        "rtl",
        "rtl",
        "rtl",
        "rtl",
        "ltr",
        "ltr",
    ]
    with translation.override("en"):
        assert language_name("so") == "Somali"
    with translation.override("sv"):
        assert language_name("so") == "Somaliska"
    assert language_name("xx") == "xx"  # a code Hemma does not know stays as it is
