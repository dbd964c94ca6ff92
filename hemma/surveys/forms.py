"""Forms for building a survey: they check input; hemma/surveys/services.py changes things.

A text is edited in each of the survey's languages, one field per language named
`<field>_<code>`, labelled with the language's name and marked with its `lang` and `dir`, in a
fieldset per text (programmes/_edit_form.html renders them). Only the source language's text
is required: a missing translation is flagged on the survey's page and keeps it from opening,
it does not keep a form from saving.
"""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from hemma.lib import text_forms
from hemma.lib.languages import CONTENT_LANGUAGES, direction, language_name, local_name
from hemma.lib.texts import pick
from hemma.programmes.forms import key_validator
from hemma.programmes.services import KEY_MAX_LENGTH
from hemma.surveys import services
from hemma.surveys.models import Question, Survey
from hemma.surveys.selectors import TranslationItem


def _language_choices() -> list[tuple[str, str]]:
    return [(code, f"{language_name(code)} – {local_name(code)}") for code in CONTENT_LANGUAGES]


def _text_attrs(code: str) -> dict[str, str]:
    return {"lang": code, "dir": direction(code)}


def _key_field(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("Key"),
        required=False,
        max_length=KEY_MAX_LENGTH,
        validators=[key_validator],
        help_text=help_text,
    )


class SurveyTextsForm(text_forms.TextsForm):
    """A form with texts in each of the survey's languages, the source language first;
    subclasses list them in `texts` as (field, label, multi-line)."""

    def __init__(self, *args, survey: Survey, initial_texts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        source = survey.source_language
        self.text_fields(
            languages=[source, *(code for code in survey.languages if code != source)],
            source=source,
            label_of=language_name,
            help_of=lambda is_source, _required: _("The source language.") if is_source else "",
            initial_texts=initial_texts,
        )


# -- surveys ---------------------------------------------------------------------------------


class SurveyCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("In the source language; the other languages are added on the next page."),
    )
    key = _key_field(
        _(
            "The same every year (an indicator counted from the survey names it). Leave empty "
            "to make one from the title."
        )
    )
    period = forms.CharField(label=_("Period"), max_length=9, help_text=_("For example 2025."))
    source_language = forms.ChoiceField(
        label=_("Source language"),
        help_text=_("The language the texts are written in first; the others translate it."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_("The languages the survey can be answered in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _language_choices()
        self.fields["source_language"].choices = choices  # type: ignore[attr-defined]
        self.fields["languages"].choices = choices  # type: ignore[attr-defined]
        self.initial.setdefault("period", str(datetime.date.today().year))
        self.initial.setdefault("source_language", "sv")
        self.initial.setdefault("languages", ["sv", "fi", "en", "ar"])


class SurveyCopyForm(forms.Form):
    survey = forms.ModelChoiceField(
        label=_("Start from"), queryset=Survey.objects.none(), empty_label=None
    )
    period = forms.CharField(label=_("For the period"), max_length=9)

    def __init__(self, *args, surveys, **kwargs):
        # On the list page beside the form of a new survey, which has a period field too:
        # ids of their own, so that each label and help text names its own field.
        kwargs.setdefault("auto_id", "id_copy_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["survey"]
        field.queryset = surveys  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.period} – {pick(s.title, fallback=s.source_language) or s.key}"
        )
        latest = next(iter(surveys), None)
        if latest is not None:
            self.initial.setdefault("survey", latest.pk)
            if latest.period.isdigit():
                self.initial.setdefault("period", str(int(latest.period) + 1))


class SurveyEditForm(SurveyTextsForm):
    texts = (("title", _("Title"), False), ("intro", _("Introduction"), True))
    required_texts = ("title",)

    languages_chosen = forms.MultipleChoiceField(
        label=_("Languages"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_(
            "The source language stays. Languages can change only while the survey is not "
            "open for answers."
        ),
    )
    invitation_only = forms.BooleanField(
        label=_("Answers only with an invitation code"),
        required=False,
        help_text=_("Each code gives one answer; make the codes on the survey's page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages_chosen"].choices = _language_choices()  # type: ignore[attr-defined]
        self.initial.setdefault("languages_chosen", self.survey.languages)
        self.initial.setdefault("invitation_only", self.survey.invitation_only)


# -- questions and choices -------------------------------------------------------------------


class QuestionForm(SurveyTextsForm):
    texts = (
        ("text", _("Question"), True),
        ("help", _("Help text"), True),
        ("scale_min_label", _("Word for the lowest rating"), False),
        ("scale_max_label", _("Word for the highest rating"), False),
    )
    required_texts = ("text",)

    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    show_if = forms.MultipleChoiceField(
        label=_("Show only to those who answered"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_(
            "Answers of one earlier choice question. None chosen: the question is shown to all."
        ),
    )
    scale_min = forms.IntegerField(
        label=_("Lowest rating"),
        initial=1,
        validators=[MinValueValidator(services.SCALE_LIMITS[0])],
        help_text=_("Rating scale only."),
    )
    scale_max = forms.IntegerField(
        label=_("Highest rating"),
        initial=5,
        validators=[MaxValueValidator(services.SCALE_LIMITS[1])],
        help_text=_("Rating scale only."),
    )
    number_min = forms.DecimalField(
        label=_("Smallest number"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Number only; empty: no limit."),
    )
    number_max = forms.DecimalField(
        label=_("Largest number"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Number only; empty: no limit."),
    )
    max_length = forms.IntegerField(
        label=_("Longest answer (characters)"),
        initial=1000,
        min_value=1,
        max_value=services.LONGEST_TEXT_ANSWER,
        help_text=_("Short and long text only. A longer answer is refused, never cut."),
    )

    def __init__(self, *args, earlier: list[Question], new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            self.fields["key"] = _key_field(
                _("Stable identity of the question. Leave empty to make one from the question.")
            )
        source = self.survey.source_language
        self.fields["show_if"].choices = [  # type: ignore[attr-defined]
            (
                f"{question.key}:{choice.key}",
                f"{pick(question.text, source)} – {pick(choice.label, source) or choice.key}",
            )
            for question in earlier
            if question.kind in services.CHOICE_KINDS
            for choice in question.choices.all()
        ]
        if not self.fields["show_if"].choices:  # type: ignore[attr-defined]
            del self.fields["show_if"]

    def clean_show_if(self) -> tuple[str, list[str]]:
        """(question key, [choice keys]): the answers must be of one question."""
        chosen = [value.split(":", 1) for value in self.cleaned_data["show_if"]]
        questions = {question for question, _choice in chosen}
        if len(questions) > 1:
            raise forms.ValidationError(_("Choose answers of one question only."))
        return (questions.pop() if questions else "", [choice for _question, choice in chosen])

    def spec(self) -> services.QuestionSpec:
        data = self.cleaned_data
        show_if_question, show_if_choices = data.get("show_if") or ("", [])
        values = self.text_values()
        return services.QuestionSpec(
            kind=data["kind"],
            text=values["text"],
            help=values["help"],
            required=data["required"],
            show_if_question=show_if_question,
            show_if_choices=show_if_choices,
            scale_min=data["scale_min"],
            scale_max=data["scale_max"],
            scale_min_label=values["scale_min_label"],
            scale_max_label=values["scale_max_label"],
            number_min=data["number_min"],
            number_max=data["number_max"],
            max_length=data["max_length"],
        )


def question_initial(question: Question) -> dict[str, Any]:
    """A question's settings as its form shows them."""

    def plain(value: Decimal | None) -> Decimal | None:
        return value.normalize() if value is not None else None

    return {
        "kind": question.kind,
        "required": question.required,
        "show_if": [f"{question.show_if_question}:{key}" for key in question.show_if_choices],
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "number_min": plain(question.number_min),
        "number_max": plain(question.number_max),
        "max_length": question.max_length,
    }


class ChoiceForm(SurveyTextsForm):
    texts = (("label", _("Choice"), False),)
    required_texts = ("label",)

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            self.fields["key"] = _key_field(
                _("Stable identity of the choice. Leave empty to make one from the choice.")
            )


# -- translations and codes ------------------------------------------------------------------


class TranslationForm(forms.Form):
    """The survey's texts in one language, a field beside each source text; an outdated
    text gets a box to say the translation still holds though the source changed."""

    def __init__(self, *args, items: list[TranslationItem], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        attrs = _text_attrs(language)
        for item in items:
            for text_field in item.fields:
                widget = (
                    forms.Textarea(attrs={**attrs, "rows": 2})
                    if text_field.multiline
                    else forms.TextInput(attrs=attrs)
                )
                self.fields[text_field.name] = forms.CharField(
                    label=text_field.label,
                    required=False,
                    max_length=text_forms.TEXT_MAX_LENGTH,
                    widget=widget,
                    initial=(getattr(item.obj, text_field.field) or {}).get(language, ""),
                )
            if item.state == "outdated":
                self.fields[self.confirm_name(item)] = forms.BooleanField(
                    label=_("The translation still holds"), required=False
                )

    @staticmethod
    def confirm_name(item: TranslationItem) -> str:
        return f"{item.kind}-{item.obj.pk}-confirm"

    def rows(self) -> list[tuple[TranslationItem, list[tuple[Any, Any]], Any]]:
        """(item, [(source field, bound field)], confirm box or None) for the template."""
        return [
            (
                item,
                [(f, self[f.name]) for f in item.fields],
                self[self.confirm_name(item)] if self.confirm_name(item) in self.fields else None,
            )
            for item in self.items
        ]

    def edited(self) -> dict[tuple[str, int], dict[str, str]]:
        return {
            item.ref: {f.field: self.cleaned_data[f.name] for f in item.fields}
            for item in self.items
        }

    def confirmed(self) -> set[tuple[str, int]]:
        return {item.ref for item in self.items if self.cleaned_data.get(self.confirm_name(item))}


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"),
        min_value=1,
        max_value=services.CODES_AT_ONCE,
        initial=100,
    )
