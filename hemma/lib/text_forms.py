"""Forms with a text in each of several languages (a programme's, a survey's).

A subclass lists its texts in `texts` as (field, label, multi-line) and builds them with
`text_fields`: one field per text and language, named `<text>_<language>`, with `lang` and
`dir` set so that each is typed and read in its own script. The template shows one fieldset
per text (`text_groups`), then the other fields; the view reads `text_values`.
"""

from collections.abc import Callable
from typing import Any

from django import forms

from hemma.lib.languages import direction

TEXT_MAX_LENGTH = 2000


class TextsForm(forms.Form):
    texts: tuple[tuple[str, Any, bool], ...] = ()
    required_texts: tuple[str, ...] = ()
    languages: list[str]

    def text_fields(
        self,
        *,
        languages: list[str],
        source: str,
        label_of: Callable[[str], Any],
        help_of: Callable[[bool, bool], Any],
        initial_texts: dict | None,
    ) -> dict[str, forms.Field]:
        """The text fields, first in the form's order: `help_of(is_source, required)` gives
        each its help text."""
        self.languages = languages
        found: dict[str, forms.Field] = {}
        for name, _label, multiline in self.texts:
            for code in languages:
                attrs = {"lang": code, "dir": direction(code)}
                widget = (
                    forms.Textarea(attrs={**attrs, "rows": 2})
                    if multiline
                    else forms.TextInput(attrs=attrs)
                )
                field_name = f"{name}_{code}"
                required = name in self.required_texts and code == source
                found[field_name] = forms.CharField(
                    label=label_of(code),
                    required=required,
                    max_length=TEXT_MAX_LENGTH,
                    widget=widget,
                    help_text=help_of(code == source, required),
                )
                if initial_texts:
                    self.initial.setdefault(field_name, (initial_texts.get(name) or {}).get(code))
        self.fields = {**found, **self.fields}
        return found

    def text_groups(self) -> list[tuple[str, list]]:
        """(label, [bound field per language]) for each text, for a fieldset each."""
        return [
            (label, [self[f"{name}_{code}"] for code in self.languages])
            for name, label, _multiline in self.texts
        ]

    def other_fields(self) -> list:
        text_names = {f"{name}_{code}" for name, *_rest in self.texts for code in self.languages}
        return [self[name] for name in self.fields if name not in text_names]

    def text_values(self) -> dict[str, dict[str, str]]:
        return {
            name: {code: self.cleaned_data.get(f"{name}_{code}", "") for code in self.languages}
            for name, *_rest in self.texts
        }
