"""The form renderer draws widgets exactly as Django's templates do (hemma/lib/form_renderer.py)."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from hemma.lib import form_renderer
from hemma.lib.form_renderer import Renderer

CHOICES = [("", "—"), ("a", "A & <b>"), (3, gettext_lazy("Yes")), ("d", mark_safe("<i>D</i>"))]
GROUPED = [("Nordic", [("sv", "Swedish"), ("fi", "Finnish")]), ("", [("en", "English")])]
ATTRS = {"id": "f-x", "class": "wide", "required": True, "disabled": False, "data-n": 5}

WIDGETS = [
    *[
        (widget(attrs=ATTRS), value)
        for widget in (
            forms.TextInput,
            forms.NumberInput,
            forms.EmailInput,
            forms.URLInput,
            forms.PasswordInput,
            forms.HiddenInput,
            forms.DateInput,
            forms.DateTimeInput,
            forms.TimeInput,
        )
        for value in (None, "", 0, Decimal("2.50"), 'say "<hi>" & go', mark_safe("<b>safe</b>"))
    ],
    (forms.DateInput(), datetime.date(2025, 3, 1)),
    (forms.CheckboxInput(attrs={"data-x": "1"}), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 2}), "two\nlines <&>"),
    (forms.Textarea(), ""),
    (forms.Textarea(), None),
    (forms.Select(choices=CHOICES, attrs=ATTRS), "a"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=GROUPED), "fi"),
    (forms.SelectMultiple(choices=CHOICES), ["a", "d"]),
    (forms.NullBooleanSelect(), True),
    (forms.CheckboxSelectMultiple(choices=CHOICES, attrs=ATTRS), ["a", 3]),
    (forms.CheckboxSelectMultiple(choices=CHOICES), []),
    (forms.CheckboxSelectMultiple(choices=GROUPED, attrs={"id": "langs"}), ["en"]),
    (forms.RadioSelect(choices=CHOICES, attrs={"id": "r"}), "d"),
    (forms.RadioSelect(choices=GROUPED), None),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_widget_is_drawn_exactly_as_djangos_templates_draw_it(widget, value, language):
    with override(language):
        expected = widget.render("field", value, renderer=DjangoTemplates())
        drawn = widget.render("field", value, renderer=Renderer())

    assert drawn == expected


def test_the_widgets_drawn_here_include_those_of_the_grid():
    drawn = Renderer()._drawn

    for widget in (forms.TextInput, forms.NumberInput, forms.Textarea, forms.Select):
        assert widget.template_name in drawn
    assert forms.CheckboxSelectMultiple.template_name in drawn


def test_a_field_of_a_bound_form_is_drawn_as_django_draws_it():
    class Sample(forms.Form):
        number = forms.DecimalField(label="Number", min_value=0)
        languages = forms.MultipleChoiceField(
            choices=GROUPED, widget=forms.CheckboxSelectMultiple, required=False
        )
        comment = forms.CharField(widget=forms.Textarea, required=False)

    data = {"number": "-1", "languages": ["sv", "en"], "comment": "<script>"}
    expected = Sample(data, renderer=DjangoTemplates())
    drawn = Sample(data, renderer=Renderer())

    for name in ("number", "languages", "comment"):
        assert str(drawn[name]) == str(expected[name])
    assert str(drawn) == str(expected)


def test_an_overridden_template_sends_every_widget_to_the_template_engine(monkeypatch):
    # As if the project's templates held django/forms/widgets/*.html: not Django's own.
    monkeypatch.setattr(form_renderer, "_DJANGOS_OWN", form_renderer._DJANGOS_OWN / "elsewhere")
    renderer = Renderer()

    assert renderer._drawn == {}
    assert forms.TextInput().render("n", "v", renderer=renderer) == (
        '<input type="text" name="n" value="v">'
    )
