"""The form of a page's words in one language (hemma/information/translation_views.py).

One field per word of the page (translation_selectors.Word): the title, the summary and each
block's words in order. A file block's PDF is chosen among the page's documents or uploaded
anew for this language. Of a translation, a hidden field carries the source's revision the
writer had before them, so that a source changed while they wrote keeps the translation
outdated (services.version_save's `source_revision`).
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hemma.information import uploads
from hemma.information.translation_selectors import Group, VersionPage, Word
from hemma.lib.languages import direction

FILE_SUFFIX = "-file"


def _attrs(language: str, **more: Any) -> dict[str, Any]:
    return {"lang": language, "dir": direction(language), **more}


def _field(word: Word, language: str) -> forms.Field:
    attrs = _attrs(language)
    if word.name == "title":
        return forms.CharField(
            label=word.label,
            max_length=200,  # Version.title's
            widget=forms.TextInput(attrs=attrs),
            error_messages={"required": _("Write the title.")},
        )
    if word.name == "html":
        # Enhanced by hemma/static/hemma/editor.js (data-editor) into the small rich-text
        # editor, written in the field's language and direction; without it the field takes
        # HTML, which version_save cleans anyway.
        widget: forms.Widget = forms.Textarea(
            attrs={**attrs, "class": "rich-text", "rows": 8, "data-editor": ""}
        )
    elif word.name in ("summary", "details"):
        widget = forms.Textarea(attrs={**attrs, "rows": 3})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=word.label, required=False, widget=widget, strip=True)


class VersionForm(forms.Form):
    """The page's words in the language of `found` (a VersionPage)."""

    source_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, found: VersionPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = found
        language = found.language
        if found.is_source:
            del self.fields["source_revision"]
        documents = [("", _("No file"))] + [
            (upload.key, f"{upload.name} ({upload.size // 1024 + 1} kB)")
            for upload in found.documents
        ]
        for word in found.words:
            if word.is_upload:
                self.fields[word.form_name] = forms.ChoiceField(
                    label=_("File for this language"),
                    choices=documents,
                    required=False,
                )
                self.fields[word.form_name + FILE_SUFFIX] = forms.FileField(
                    label=_("Or upload a new PDF"),
                    required=False,
                    help_text=_("A PDF file in this language; it replaces the file chosen above."),
                    widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
                )
            else:
                self.fields[word.form_name] = _field(word, language)

    def clean(self):
        data = super().clean()
        for word in self.found.words:
            name = word.form_name + FILE_SUFFIX
            file = data.get(name)
            if not word.is_upload or not file:
                continue
            try:
                uploads.document_read(file)
            except ValidationError as error:
                self.add_error(name, error)
            finally:
                file.seek(0)
        return data

    def groups(self) -> list[tuple[Group, list[tuple[Word, Any, Any]]]]:
        """(group, [(word, its field, a file block's upload field or None)]) for the template."""
        return [
            (
                group,
                [
                    (
                        word,
                        self[word.form_name],
                        self[word.form_name + FILE_SUFFIX] if word.is_upload else None,
                    )
                    for word in group.words
                ],
            )
            for group in self.found.groups
        ]

    # -- what the view saves -------------------------------------------------------------------

    def texts(self) -> dict[str, dict[str, str]]:
        """Per block key, the block's words as written (a file's upload: the chosen key)."""
        texts: dict[str, dict[str, str]] = {}
        for word in self.found.words:
            if word.block is None:
                continue
            texts.setdefault(word.block.key, {})[word.name] = self.cleaned_data.get(
                word.form_name, ""
            )
        return texts

    def new_files(self) -> dict[str, Any]:
        """Per block key, a new PDF uploaded for this language."""
        return {
            word.block.key: self.cleaned_data[word.form_name + FILE_SUFFIX]
            for word in self.found.words
            if word.is_upload
            and word.block is not None
            and self.cleaned_data.get(word.form_name + FILE_SUFFIX)
        }
