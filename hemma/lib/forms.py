"""A form and the service behind it: the service's refusal shown on the form."""

from collections.abc import Callable, Collection

from django import forms
from django.core.exceptions import ValidationError


def refusal_show(form: forms.BaseForm, error: ValidationError, *, above: Collection[str] = ()):
    """Put a service's refusal on the form: each message at its field when the form has it
    (and it is not one of `above`), else above the form, so that none is lost."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields and name not in above else None, errors)


def form_saved(
    form: forms.BaseForm, save: Callable[[], object], *, above: Collection[str] = ()
) -> bool:
    """Run `save()` if the form is valid; whether it saved. A service's refusal becomes the
    form's errors (`refusal_show`)."""
    if not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        refusal_show(form, error, above=above)
        return False
    return True
