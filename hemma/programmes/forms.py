"""Forms for editing a programme: they check input; the services in services.py change things.

A text is edited in the programme's own language (required) and in the other staff languages
(optional), one field per language named `<field>_<code>` and labelled with its language.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemma.lib import languages, text_forms
from hemma.lib.languages import language_name
from hemma.lib.texts import pick
from hemma.organisations.models import Organisation
from hemma.programmes.models import Goal, Indicator, Programme
from hemma.programmes.services import KEY_MAX_LENGTH, KEY_PATTERN, counting_problems
from hemma.registries.models import Activity, Placement, ServiceStatistic
from hemma.surveys.counting import surveys_to_count

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

key_validator = RegexValidator(
    KEY_PATTERN,
    _("Use lower-case letters a–z, digits, “-” and “_”, starting with a letter or digit."),
)


def edit_languages(programme: Programme) -> list[str]:
    """The programme's own language first, then the other staff languages."""
    staff = [code for code, _name in languages.STAFF_LANGUAGES]
    return [programme.language, *(code for code in staff if code != programme.language)]


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """3.00 → 3 and 2.50 → 2.5 (a form shows what a person would write), never 1E+2."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class OrganisationChoice(forms.ModelMultipleChoiceField):
    """Organisations as checkboxes.

    `collapsed`: _edit_form.html folds the list into a closed <details> whose summary says how
    many are chosen, so that a keyboard user does not tab through dozens of boxes on the way
    to "Save".
    """

    def __init__(self, *args, language: str = "sv", collapsed: bool = True, **kwargs):
        self.language = language
        self.collapsed = collapsed
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "choices"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return pick(obj.name, fallback=self.language) or obj.key


class TextsForm(text_forms.TextsForm):
    """A form with the programme's texts in each of its languages; subclasses list them in
    `texts` as (field, label, multi-line)."""

    def __init__(
        self,
        *args,
        programme: Programme,
        initial_texts: dict | None = None,
        autofocus: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.programme = programme
        text_fields = self.text_fields(
            languages=edit_languages(programme),
            source=programme.language,
            label_of=language_name,
            help_of=lambda _source, required: (
                _("Required: the programme's own language.") if required else ""
            ),
            initial_texts=initial_texts,
        )
        if autofocus and text_fields:
            # A form swapped into the page (htmx) takes the focus, so keyboard and screen
            # reader users land in it.
            next(iter(text_fields.values())).widget.attrs["autofocus"] = True


class TitleForm(TextsForm):
    texts = (("title", _("Title"), False),)
    required_texts = ("title",)


class ActionForm(TextsForm):
    texts = (
        ("title", _("Action"), True),
        ("responsible_text", _("Responsible, as written"), True),
        ("partners_text", _("Partners, as written"), True),
        ("followup", _("Follow-up"), True),
    )
    required_texts = ("title",)

    responsible = OrganisationChoice(
        queryset=Organisation.objects.none(), label=_("Responsible organisations")
    )
    partners = OrganisationChoice(queryset=Organisation.objects.none(), label=_("Partners"))
    responsible_per_municipality = forms.BooleanField(
        label=_("Set per municipality"),
        required=False,
        help_text=_("Each municipality names its own responsible units."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("responsible", "partners"):
            field = cast(OrganisationChoice, self.fields[name])
            field.queryset = organisations
            field.language = self.programme.language


def _new_key_field(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("Key"),
        required=False,
        max_length=KEY_MAX_LENGTH,
        validators=[key_validator],
        help_text=help_text,
    )


class NewKeyMixin:
    """A form that makes a node with a `key`: an empty key is made later, a taken one refused."""

    cleaned_data: dict
    key_taken: "StrOrPromise"  # what the key is unique in, said by each form

    def __init__(self, *args, taken_keys: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_keys = taken_keys

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if key in self.taken_keys:
            raise forms.ValidationError(self.key_taken)
        return key


class ActionCreateForm(NewKeyMixin, ActionForm):
    key = _new_key_field(
        _("Stable identity of the action in files. Leave empty to make one from the title.")
    )

    key_taken = _("Another action of this programme has this key.")


class GoalChoice(forms.ModelChoiceField):
    def __init__(self, *args, language: str = "sv", **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Goal) -> str:
        theme = pick(obj.theme.title, fallback=self.language) or obj.theme.key
        return f"{theme} – {pick(obj.title, fallback=self.language) or obj.key}"


class ActionMoveForm(forms.Form):
    goal = GoalChoice(queryset=Goal.objects.none(), label=_("Goal"))

    def __init__(self, *args, goals, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(GoalChoice, self.fields["goal"])
        field.queryset = goals
        field.language = language


class IndicatorForm(TextsForm):
    texts = (("name", _("Name"), False), ("unit", _("Unit"), False))
    required_texts = ("name",)

    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    # A checkbox: left unticked, a form says the figure counts no people.
    counts_people = forms.BooleanField(
        label=_("Counts people"),
        required=False,
        help_text=Indicator._meta.get_field("counts_people").help_text,
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=Indicator.Period.choices, initial=Indicator.Period.YEAR
    )
    scope = forms.ChoiceField(
        label=_("Followed up for"),
        choices=Indicator.Scope.choices,
        initial=Indicator.Scope.MUNICIPALITY,
        # Not given (a form posted without it): as it was, or each municipality when new.
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Each municipality reports its own value, or the region reports one value for "
            "what the municipalities do jointly (such as their joint meetings): then no "
            "municipality is asked for it or shown as missing it."
        ),
    )
    target_type = forms.ChoiceField(
        label=_("Target"), choices=Indicator.TargetType.choices, required=False
    )
    # step="any": the browser accepts 2, 2.5 and 2.25 alike (the default step, 0.01, is
    # what made the fields show 1.00 and 3.00).
    target_min = forms.DecimalField(
        label=_("At least"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("For a band."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    target_max = forms.DecimalField(
        label=_("At most"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("For a band."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    target_direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", "—"), *Indicator.Direction.choices],
        required=False,
        help_text=_("For a direction."),
    )
    target_years = forms.IntegerField(
        label=_("Every N years"), required=False, min_value=1, help_text=_("For every N years.")
    )
    source = forms.ChoiceField(
        label=_("Data source"),
        choices=Indicator.Source.choices,
        initial=Indicator.Source.MANUAL,
        # Not given (a form posted without it): as it was, or entered by people when new.
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Entered by people: the values are typed into the grid, imported from a file or "
            "sent through the API. Counted from the registries: Hemma counts each value from "
            "the records of the period, in the municipality (or the whole region) — the "
            "activities recorded as serving this action, a service statistic, the friend "
            "persons active, the places the municipal units offered, the answers to a "
            "survey or the information pages published and read — and keeps it current as "
            "records are added, changed or removed; a coordinator can still override a count, "
            "with a justification."
        ),
    )
    query = forms.ChoiceField(
        label=_("Counted from"),
        choices=[c for c in Indicator.Query.choices if c[0]],
        initial=Indicator.Query.ACTIVITIES,
        required=False,
        help_text=_(
            "For a value counted from the registries: what is counted. Below, the kinds of "
            "activity, the statistic, the kinds of place, the survey's question and answers or "
            "the languages of the information pages, for what is chosen here; friend persons "
            "take nothing more."
        ),
    )
    query_kinds = forms.MultipleChoiceField(
        label=_("Kinds of activity counted"),
        choices=Activity.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_(
            "For a value counted from the activities. None chosen: every kind of activity "
            "serving the action counts. A “count with participants” indicator also sums "
            "their participants."
        ),
    )
    query_measure = forms.ChoiceField(
        label=_("Service statistic taken"),
        choices=[("", "—"), *ServiceStatistic.Measure.choices],
        required=False,
        help_text=_("For a value taken from a service statistic: the one it takes."),
    )
    query_placement_kinds = forms.MultipleChoiceField(
        label=_("Kinds of place counted"),
        choices=Placement.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_(
            "For a value counted from the placements: the people in places of these kinds. "
            "None chosen: every kind."
        ),
    )
    query_languages = forms.MultipleChoiceField(
        label=_("Languages counted"),
        choices=[(code, languages.local_name(code)) for code in languages.CONTENT_LANGUAGES],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_(
            "For a value counted from the information pages (the language versions published, "
            "or their views and downloads): only those in these languages. None chosen: every "
            "language."
        ),
    )
    # A survey's question as "<survey key>:<question key>" ("<survey key>:" for the number of
    # answers), and its answers as "<survey key>:<question key>:<choice key>": the same
    # choice key in two questions is two boxes. The choices are the programme's latest
    # surveys' (set in __init__).
    query_survey_question = forms.ChoiceField(
        label=_("Survey and question counted"),
        choices=[],
        required=False,
        help_text=_(
            "For a value counted from a survey's answers: the number of answers through the "
            "municipality's link (for the region as a whole: all answers), or the share (%) "
            "of those who answered a question who chose one of the answers below. The value "
            "of a year comes from that year's survey of the same key."
        ),
    )
    query_survey_kinds = forms.MultipleChoiceField(
        label=_("Answers counted"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_(
            "For a share: the answers to the question chosen above that count (of a multiple "
            "choice, who chose at least one of them)."
        ),
    )

    # Where each query's `query_kinds` are chosen on the form (friend persons take none).
    KINDS_FIELDS: dict[str, str] = {
        Indicator.Query.ACTIVITIES: "query_kinds",
        Indicator.Query.STATISTIC: "query_measure",
        Indicator.Query.PLACEMENTS: "query_placement_kinds",
        Indicator.Query.SURVEY: "query_survey_kinds",
        Indicator.Query.INFORMATION_CREATED: "query_languages",
        Indicator.Query.INFORMATION_USED: "query_languages",
    }

    @classmethod
    def initial_counting(cls, indicator: Indicator) -> dict:
        """The form's initial source, query and kinds for `indicator` (its kinds in the field
        of its query)."""
        initial: dict[str, Any] = {
            "source": indicator.source,
            "query": indicator.query or Indicator.Query.ACTIVITIES,
        }
        field = cls.KINDS_FIELDS.get(indicator.query)
        if field == "query_measure":
            initial[field] = (indicator.query_kinds or [""])[0]
        elif field == "query_survey_kinds":
            asked = f"{indicator.query_survey}:{indicator.query_question}"
            initial["query_survey_question"] = asked
            initial[field] = [f"{asked}:{kind}" for kind in indicator.query_kinds or []]
        elif field:
            initial[field] = list(indicator.query_kinds or [])
        return initial

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("target_min", "target_max"):
            if isinstance(self.initial.get(name), Decimal):
                self.initial[name] = plain_decimal(self.initial[name])
        self.surveys = surveys_to_count(self.programme)
        self._survey_choices()

    def _survey_choices(self) -> None:
        """The programme's surveys' questions answered by a choice, and their choices, grouped
        by survey and by question; with the indicator's own where no survey has them yet (a
        programme imported before its survey was built)."""
        language = self.programme.language
        questions: list[tuple[str, list[tuple[str, str]]]] = []
        answers: list[tuple[str, list[tuple[str, str]]]] = []
        for key, survey in sorted(self.surveys.items()):
            title = pick(survey.title, fallback=language) or key
            options = [(f"{key}:", str(_("The number of answers")))]
            for question in survey.questions.values():
                if not question.has_choices:
                    continue
                text = pick(question.text, fallback=language) or question.key
                options.append((f"{key}:{question.key}", text))
                answers.append(
                    (
                        f"{title}: {text}",
                        [
                            (f"{key}:{question.key}:{choice}", pick(label, fallback=language))
                            for choice, label in question.choices.items()
                        ],
                    )
                )
            questions.append((f"{title} ({survey.period})", options))
        known = {value for _group, options in questions for value, _label in options}
        asked = self.initial.get("query_survey_question")
        if asked and asked not in known:
            survey, _sep, question = asked.partition(":")
            questions.append((survey, [(asked, question or str(_("The number of answers")))]))
            kinds = self.initial.get("query_survey_kinds") or []
            answers.append((asked, [(value, value.rpartition(":")[2]) for value in kinds]))
        field = cast(forms.ChoiceField, self.fields["query_survey_question"])
        field.choices = [("", "—"), *questions]
        kinds_field = cast(forms.MultipleChoiceField, self.fields["query_survey_kinds"])
        kinds_field.choices = answers

    def clean(self):
        data = super().clean()
        target = data.get("target_type")
        low, high = data.get("target_min"), data.get("target_max")
        if target == Indicator.TargetType.BAND:
            if low is None and high is None:
                self.add_error("target_min", _("A band needs at least one bound."))
            elif low is not None and high is not None and low > high:
                self.add_error("target_max", _("The upper bound is below the lower bound."))
        elif target == Indicator.TargetType.DIRECTION and not data.get("target_direction"):
            self.add_error("target_direction", _("Choose a direction."))
        elif target == Indicator.TargetType.EVERY_N_YEARS and not data.get("target_years"):
            self.add_error("target_years", _("Say how many years."))
        if data.get("source") == Indicator.Source.REGISTRY:
            if not data.get("query"):
                self.add_error("query", _("Choose what is counted."))
            elif data.get("kind"):
                self._check_counting(data)
        return data

    def _check_counting(self, data: dict) -> None:
        """The services' rules of what may be counted (services.counting_problems), each
        problem at the field it is about."""
        query = data["query"]
        scope = data.get("scope") or self.initial.get("scope") or Indicator.Scope.MUNICIPALITY
        survey, question = self._survey_asked(data)
        for field, message in counting_problems(
            kind=data["kind"],
            scope=scope,
            query=query,
            query_kinds=self._query_kinds(data),
            survey=survey,
            question=question,
            surveys=self.surveys,
        ):
            if field == "query_kinds":
                field = self.KINDS_FIELDS.get(query, "query")
            elif field in ("query_survey", "query_question"):
                field = "query_survey_question"
            self.add_error(field if field in self.fields else None, message)

    def _survey_asked(self, data: dict) -> tuple[str, str]:
        """The survey key and question key chosen ("" for none), for a survey's answers."""
        if data.get("query") != Indicator.Query.SURVEY:
            return "", ""
        survey, _sep, question = (data.get("query_survey_question") or "").partition(":")
        return survey, question

    def _query_kinds(self, data: dict) -> list[str]:
        """The kinds chosen for the chosen query (those of the other queries' fields, left
        from before the query was changed, are not its; a survey's, those of the question
        chosen)."""
        chosen = data.get(self.KINDS_FIELDS.get(data.get("query") or "", ""))
        if not chosen:
            return []
        if data.get("query") == Indicator.Query.SURVEY:
            survey, question = self._survey_asked(data)
            asked = f"{survey}:{question}:"
            return [value.removeprefix(asked) for value in chosen if value.startswith(asked)]
        return [chosen] if isinstance(chosen, str) else list(chosen)

    def values(self) -> dict:
        texts = self.text_values()
        data = self.cleaned_data
        return {
            "name": texts["name"],
            "unit": texts["unit"],
            "kind": data["kind"],
            "counts_people": data["counts_people"],
            "period": data["period"],
            "scope": data.get("scope") or None,
            "target_type": data.get("target_type") or "",
            "target_min": data.get("target_min"),
            "target_max": data.get("target_max"),
            "target_direction": data.get("target_direction") or "",
            "target_years": data.get("target_years"),
            **self.counting(),
        }

    def counting(self) -> dict:
        """Where the values come from (empty when the form did not say: kept as it was)."""
        source = self.cleaned_data.get("source")
        if not source:
            return {}
        registry = source == Indicator.Source.REGISTRY
        survey, question = self._survey_asked(self.cleaned_data) if registry else ("", "")
        return {
            "source": source,
            "query": (self.cleaned_data.get("query") or "") if registry else "",
            "query_kinds": self._query_kinds(self.cleaned_data) if registry else [],
            "query_survey": survey,
            "query_question": question,
        }


class IndicatorCreateForm(NewKeyMixin, IndicatorForm):
    key = _new_key_field(_("Leave empty to make one from the name."))

    key_taken = _("Another indicator of this action has this key.")


# What a municipality names as its responsible units: its own units and schools, not the
# region's residents' groups, experts or the employment authority.
UNIT_KINDS = (Organisation.Kind.MUNICIPAL_UNIT, Organisation.Kind.EDUCATION_PROVIDER)


class MunicipalUnitsForm(forms.Form):
    organisations = OrganisationChoice(
        queryset=Organisation.objects.none(), label=_("Responsible units"), collapsed=False
    )
    new_unit = forms.CharField(
        label=_("A new unit"),
        required=False,
        max_length=200,
        help_text=_("Its name, if the unit is not in the list yet."),
    )

    def __init__(
        self, *args, organisations, language: str, chosen: Sequence[Organisation] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        field = cast(OrganisationChoice, self.fields["organisations"])
        # What is chosen already stays offered, whatever its kind, or saving would drop it.
        field.queryset = organisations.filter(
            Q(kind__in=UNIT_KINDS) | Q(pk__in=[o.pk for o in chosen])
        )
        field.language = language
        self.fields["new_unit"].widget.attrs["lang"] = language


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A programme document (.yaml, .yml, .json)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )

    def __init__(self, *args, tabular: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if tabular:
            field = self.fields["file"]
            field.help_text = _(
                "A programme document (.yaml, .yml, .json) or the action table (.xlsx, .csv)."
            )
            field.widget.attrs["accept"] = ".yaml,.yml,.json,.xlsx,.csv"
