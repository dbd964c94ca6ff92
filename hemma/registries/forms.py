"""Forms of the activity registry: the record form and the list's filters.

They check input; hemma/registries/services.py changes things. The record form is made to be
filled in under a minute: title, kind and date first, the user's own municipality ticked, and
what is seldom needed (partners, the breakdown by age and gender) folded away.
"""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hemma.followup.services import WHOLE_KINDS
from hemma.lib import periods
from hemma.lib.languages import CONTENT_LANGUAGES, local_name
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality, Organisation
from hemma.programmes.forms import OrganisationChoice
from hemma.programmes.models import Action, Indicator
from hemma.registries.models import Activity
from hemma.registries.selectors import REGION

# The optional breakdown of participants (aggregates, never names), as stored in
# Activity.participants_by_age and participants_by_gender.
AGE_GROUPS = ("0-17", "18-29", "30-64", "65+")
GENDERS = (("women", _("Women")), ("men", _("Men")), ("other", _("Other or not told")))


def _name(obj, language: str) -> str:
    return pick(obj.name, fallback=language) or getattr(obj, "key", "") or obj.code


class MunicipalityChoice(forms.ModelMultipleChoiceField):
    def __init__(self, *args, language: str = "sv", **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Municipality) -> str:
        return _name(obj, self.language)


class OrganiserChoice(forms.ModelChoiceField):
    def __init__(self, *args, language: str = "sv", **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return _name(obj, self.language)


def counting_kinds(action: Action) -> set[str] | None:
    """The activity kinds the action's computed indicators count (an empty set: every kind);
    None when no indicator of the action counts activities. Indicators prefetched."""
    kinds: set[str] = set()
    counted = False
    for indicator in action.indicators.all():
        if (
            indicator.source == Indicator.Source.REGISTRY
            and indicator.query == Indicator.Query.ACTIVITIES
        ):
            if not indicator.query_kinds:
                return set()
            counted = True
            kinds |= set(indicator.query_kinds)
    return kinds if counted else None


def action_choices(actions: Iterable[Action], *, language: str, kind: str = "") -> list:
    """The actions grouped by programme; in each, the ones whose computed indicators count
    activities of `kind` first, and every counting action marked with what it counts."""
    kind_labels = dict(Activity.Kind.choices)
    groups: dict[Any, list] = {}
    for action in actions:
        programme = action.programme
        kinds = counting_kinds(action)
        label = pick(action.title, fallback=programme.language) or action.key
        if kinds is not None:
            counted = (
                _("counts every kind")
                if not kinds
                else ", ".join(str(kind_labels.get(k, k)) for k in sorted(kinds))
            )
            label = _("%(action)s (counted: %(kinds)s)") % {"action": label, "kinds": counted}
        first = kinds is not None and (not kinds or kind in kinds) and bool(kind)
        groups.setdefault(programme, []).append((not first, action.pk, label))
    choices = []
    for programme, items in groups.items():
        title = pick(programme.title, fallback=language) or programme.slug
        choices.append((title, [(pk, label) for _rank, pk, label in sorted(items, key=_rank)]))
    return choices


def _rank(item):
    return item[0]  # stable: counting ones first, then the programme's order


class ActivityForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Activity.Kind.choices])
    starts_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    recurrence = forms.ChoiceField(
        label=_("Recurrence"),
        choices=Activity.Recurrence.choices,
        initial=Activity.Recurrence.ONCE,
        help_text=_("A meeting place that runs all year is one activity, held weekly."),
    )
    ends_on = forms.DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a recurring activity, or one that lasts several days."),
    )
    sessions = forms.IntegerField(label=_("Times held"), required=False, min_value=1)
    municipalities = MunicipalityChoice(
        queryset=Municipality.objects.none(),
        label=_("Municipalities"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )
    organiser = OrganiserChoice(
        queryset=Organisation.objects.none(), label=_("Organiser"), required=False
    )
    partners = OrganisationChoice(queryset=Organisation.objects.none(), label=_("Partners"))
    actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.none(),
        label=_("Programme actions it serves"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_(
            "The indicators counted from the registries count the activities of their action."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages used"),
        required=False,
        choices=[(code, local_name(code)) for code in CONTENT_LANGUAGES],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )
    participants = forms.IntegerField(
        label=_("Participants"),
        required=False,
        min_value=0,
        help_text=_("How many took part, in all. Never names."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args,
        region,
        municipalities,
        organisations,
        actions,
        language: str,
        whole_region_allowed: bool = True,
        organisers=None,
        organiser_required: bool = False,
        **kwargs,
    ):
        """`organisers` are those the user may name as the organiser (default: every one of
        `organisations`); `organiser_required` for an organisation reporter, whose activities
        are their organisation's: with one organisation it is shown, not chosen."""
        super().__init__(*args, **kwargs)
        self.region = region
        self.language = language
        self.whole_region_allowed = whole_region_allowed
        field = cast(MunicipalityChoice, self.fields["municipalities"])
        field.queryset = municipalities
        field.language = language
        field.to_field_name = "code"
        field.help_text = (
            _("None for the region as a whole.")
            if whole_region_allowed
            else _("At least one of your municipalities.")
        )
        organiser = cast(OrganiserChoice, self.fields["organiser"])
        organiser.queryset = organisations if organisers is None else organisers
        organiser.language = language
        organiser.to_field_name = "key"
        if organiser_required:
            organiser.required = True
            organiser.empty_label = None
            own = list(organiser.queryset)
            if len(own) == 1:
                # Their organisation's activity: shown, not chosen (a disabled field takes its
                # initial value whatever is posted).
                organiser.disabled = True
                self.initial["organiser"] = own[0]
                organiser.help_text = _("You record the activities your organisation organises.")
        partners = cast(OrganisationChoice, self.fields["partners"])
        partners.queryset = organisations
        partners.language = language
        partners.to_field_name = "key"
        action_field = cast(forms.ModelMultipleChoiceField, self.fields["actions"])
        action_field.queryset = Action.objects.filter(pk__in=[a.pk for a in actions])
        kind = (self.data.get("kind") if self.is_bound else self.initial.get("kind")) or ""
        action_field.choices = action_choices(actions, language=language, kind=str(kind))
        for code, gender in GENDERS:
            self.fields[f"gender_{code}"] = forms.IntegerField(
                label=gender, required=False, min_value=0
            )
        for group in AGE_GROUPS:
            self.fields[f"age_{group}"] = forms.IntegerField(
                label=_("Aged %(group)s") % {"group": group.replace("-", "–")},
                required=False,
                min_value=0,
            )

    # -- groups for the template -------------------------------------------------------------

    def age_fields(self) -> list:
        return [self[f"age_{group}"] for group in AGE_GROUPS]

    def gender_fields(self) -> list:
        return [self[f"gender_{code}"] for code, _label in GENDERS]

    def breakdown_given(self) -> bool:
        return any(
            self[name].value() not in (None, "")
            for name in self.fields
            if name.startswith(("age_", "gender_"))
        )

    def breakdown_errors(self) -> bool:
        return any(
            self[name].errors for name in self.fields if name.startswith(("age_", "gender_"))
        )

    # -- checking ----------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last date is before the first."))
        if (
            data.get("recurrence")
            and data["recurrence"] != Activity.Recurrence.ONCE
            and starts
            and not ends
            and "ends_on" not in self.errors
        ):
            self.add_error("ends_on", _("A recurring activity needs its last date."))
        if not self.whole_region_allowed and not data.get("municipalities"):
            self.add_error("municipalities", _("Choose at least one municipality."))
        total = data.get("participants")
        for names, message in (
            (
                [f"age_{g}" for g in AGE_GROUPS],
                _("The age groups add up to more than the participants."),
            ),
            (
                [f"gender_{c}" for c, _l in GENDERS],
                _("The genders add up to more than the participants."),
            ),
        ):
            parts = [data.get(name) for name in names if data.get(name) is not None]
            if parts and total is not None and sum(parts) > total:
                self.add_error(names[0], message)
            elif parts and total is None:
                self.add_error("participants", _("Give the total with its breakdown."))
        return data

    def values(self) -> dict:
        """The `fields` the services take."""
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "kind": data["kind"],
            "starts_on": data["starts_on"],
            "ends_on": data.get("ends_on"),
            "recurrence": data["recurrence"],
            "sessions": data.get("sessions"),
            "municipalities": [m.code for m in data.get("municipalities") or []],
            "organiser": data["organiser"].key if data.get("organiser") else None,
            "partners": [o.key for o in data.get("partners") or []],
            "actions": list(data.get("actions") or []),
            "languages": list(data.get("languages") or []),
            "participants": data.get("participants"),
            "participants_by_age": {
                g: data[f"age_{g}"] for g in AGE_GROUPS if data.get(f"age_{g}") is not None
            },
            "participants_by_gender": {
                c: data[f"gender_{c}"] for c, _l in GENDERS if data.get(f"gender_{c}") is not None
            },
            "note": data.get("note", ""),
        }

    @staticmethod
    def initial_of(activity: Activity) -> dict:
        initial: dict[str, Any] = {
            "title": activity.title,
            "kind": activity.kind,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "recurrence": activity.recurrence,
            "sessions": activity.sessions,
            "municipalities": list(activity.municipalities.all()),
            "organiser": activity.organiser,
            "partners": list(activity.partners.all()),
            "actions": list(activity.actions.all()),
            "languages": list(activity.languages or []),
            "participants": activity.participants,
            "note": activity.note,
        }
        for group in AGE_GROUPS:
            initial[f"age_{group}"] = (activity.participants_by_age or {}).get(group)
        for code, _label in GENDERS:
            initial[f"gender_{code}"] = (activity.participants_by_gender or {}).get(code)
        return initial


class ActivityFilterForm(forms.Form):
    """The list's filters: a GET form that works without JavaScript."""

    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    period = forms.CharField(label=_("Period"), required=False)
    kind = forms.MultipleChoiceField(
        label=_("Kind"),
        required=False,
        choices=Activity.Kind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )
    action = forms.ChoiceField(label=_("Programme action"), required=False)
    organiser = forms.ChoiceField(label=_("Organiser"), required=False)

    def __init__(self, *args, municipalities, years, actions, organisations, language, **kwargs):
        super().__init__(*args, **kwargs)
        everywhere = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            *everywhere,
            *((m.code, _name(m, language)) for m in municipalities),
            (REGION, _("The region as a whole (no municipality named)")),
        ]
        self.fields["period"].widget = forms.Select(
            choices=[*everywhere, *((str(y), str(y)) for y in years)]
        )
        groups: dict[Any, list] = {}
        for action in actions:
            programme = action.programme
            groups.setdefault(programme, []).append(
                (
                    f"{programme.slug}/{action.key}",
                    pick(action.title, fallback=programme.language) or action.key,
                )
            )
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            *everywhere,
            *((pick(p.title, fallback=language) or p.slug, items) for p, items in groups.items()),
        ]
        cast(forms.ChoiceField, self.fields["organiser"]).choices = [
            *everywhere,
            *((o.key, _name(o, language)) for o in organisations),
        ]
        self.years = years

    def clean_period(self) -> periods.Period | None:
        code = (self.cleaned_data.get("period") or "").strip()
        if not code:
            return None
        try:
            return periods.parse(code)
        except periods.InvalidPeriod:
            raise forms.ValidationError(_("Not a period: write 2025, 2025H1 or 2025Q2.")) from None

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period is not None and period.code not in {str(y) for y in self.years}:
            # A link from the grid may name a half-year or a quarter: offer it in the picker.
            self.fields["period"].widget.choices = [
                *self.fields["period"].widget.choices,
                (period.code, str(period)),
            ]
        return data


class OverrideForm(forms.Form):
    """A coordinator's own number for a computed value, with the reason (hemma.registries.
    computing.computed_override_set checks it again). Its inputs sit in the grid row's cells
    and belong to the <form> `form_id` through their `form` attribute, as the value form's."""

    number = forms.IntegerField(label=_("Override"), min_value=0)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, required=False)
    justification = forms.CharField(
        label=_("Why"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: why the count is not right (e.g. records came in late)."),
    )

    def __init__(self, data=None, *, indicator: Indicator, value, form_id: str):
        initial = {}
        if value is not None and value.override:
            initial = {
                "number": None if value.number is None else int(value.number),
                "participants": value.participants,
                "justification": value.override,
            }
        if indicator.kind not in WHOLE_KINDS and initial.get("number") is not None:
            initial["number"] = value.number  # a statistic such as a median keeps its decimals
        super().__init__(data, initial=initial, prefix=form_id)
        self.form_id = form_id
        if indicator.kind not in WHOLE_KINDS:
            # What is not a count (a statistic: a share, a median) may have two decimals.
            self.fields["number"] = forms.DecimalField(
                label=_("Override"), min_value=0, max_digits=14, decimal_places=2
            )
        if indicator.kind != Indicator.Kind.COUNT_WITH_PARTICIPANTS:
            del self.fields["participants"]
        for field in self.fields.values():
            field.widget.attrs["form"] = form_id

    def add_problems(self, error) -> None:
        """A service's ValidationError by field, onto the form's fields."""
        for name, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            self.add_error(name if name in self.fields else None, messages)
