"""A service's refusal on the form: at its field, else above the form, never lost."""

from django import forms
from django.core.exceptions import ValidationError

from hemma.lib.forms import form_saved


class _Form(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField(required=False)


def _refuse(error: ValidationError):
    def save():
        raise error

    return save


def test_a_refusal_by_field_lands_at_the_field_and_an_unknown_field_above_the_form():
    form = _Form({"name": "x"})

    saved = form_saved(form, _refuse(ValidationError({"name": "Taken.", "other": "Odd."})))

    assert not saved
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Odd."]


def test_a_refusal_without_a_field_and_one_asked_above_go_above_the_form():
    form = _Form({"name": "x", "version": 3})

    assert not form_saved(form, _refuse(ValidationError("No.")))
    assert form.non_field_errors() == ["No."]

    again = _Form({"name": "x", "version": 3})
    assert not form_saved(again, _refuse(ValidationError({"version": "Stale."})), above=["version"])
    assert "version" not in again.errors and again.non_field_errors() == ["Stale."]


def test_an_invalid_form_is_not_saved_and_a_valid_one_is():
    calls = []

    assert not form_saved(_Form({}), lambda: calls.append(1))
    assert form_saved(_Form({"name": "x"}), lambda: calls.append(1))
    assert calls == [1]
