"""Picking a text of a language map (hemma/lib/texts.py)."""

from django.utils import translation

from hemma.lib.texts import pick


def test_the_language_asked_for_then_the_fallback():
    name = {"fi": "Pietarsaari", "sv": "Jakobstad", "en": "Jakobstad (en)"}
    assert pick(name, "fi") == "Pietarsaari"
    assert pick(name, "ar", fallback="en") == "Jakobstad (en)"
    with translation.override("fi"):
        assert pick(name) == "Pietarsaari"


def test_without_the_language_the_choice_does_not_depend_on_the_maps_order():
    # PostgreSQL's jsonb gives the keys back sorted, SQLite as written: the same text either way.
    assert pick({"sv": "Region A", "fi": "Seutu A"}, "en") == "Region A"
    assert pick({"fi": "Seutu A", "sv": "Region A"}, "en") == "Region A"
    assert pick({"fi": "Seutu A", "en": "Region A (en)"}, "ar") == "Seutu A"
    assert pick({"uk": "Б", "ar": "أ"}, "en") == "أ"  # the first by code
    assert pick({"sv": "", "fi": "Seutu A"}, "en") == "Seutu A"
    assert pick({}, "sv") == "" and pick(None) == ""
