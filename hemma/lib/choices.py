"""A choice's label, cheaply."""

from django.db import models


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of `value` among `choices`, as a model's `get_FOO_display()` gives it (the
    value itself if it is none of them).

    `get_FOO_display()` translates every choice's label to find one (Django hashes the lazy
    labels to build a dict); on a page of 50 rows that was a thousand translations. Here only
    the one label shown is translated.
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
