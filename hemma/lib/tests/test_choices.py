"""A choice's label without translating every label of the choices (hemma/lib/choices.py)."""

import pytest
from django.utils import translation

from hemma.followup.models import Measurement
from hemma.lib.choices import choice_label
from hemma.programmes.models import Indicator


@pytest.mark.parametrize("language", ["sv", "fi", "en"])
def test_the_label_is_the_one_get_display_gives(language):
    with translation.override(language):
        for kind in Indicator.Kind.values:
            assert Indicator(kind=kind).kind_label == Indicator(kind=kind).get_kind_display()
        for source in Measurement.Source.values:
            value = Measurement(source=source)
            assert value.source_label == value.get_source_display()


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert choice_label(Indicator.Kind, "retired-kind") == "retired-kind"
    assert Indicator(period="fortnight").period_label == "fortnight"


def test_only_the_label_shown_is_translated(monkeypatch):
    translated = []
    real = translation._trans.gettext
    monkeypatch.setattr(
        translation._trans, "gettext", lambda message: translated.append(message) or real(message)
    )

    with translation.override("sv"):
        label = choice_label(Indicator.Kind, Indicator.Kind.MILESTONE)
        assert translated == ["Recurring milestone"]
        assert label == Indicator(kind=Indicator.Kind.MILESTONE).get_kind_display()
