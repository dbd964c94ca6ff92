"""Forms of the friend persons' pages: the record form, a period's and a match's small forms,
and the list's filters.

They check input; hemma/volunteers/services.py changes things. The record form is made to be
filled in under a minute: the name, the municipality (the user's own chosen), how to reach the
person, the consent and its date, and, for a new friend person, the day their first active
period starts.
"""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemma.lib import periods
from hemma.lib.languages import CONTENT_LANGUAGES, local_name
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.volunteers.models import ActivePeriod, Match, Volunteer

_DATE = {"type": "date"}


def _name(municipality: Municipality) -> str:
    return pick(municipality.name, fallback="sv") or municipality.code


class MunicipalityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return _name(obj)


def _language_choices() -> list[tuple[str, str]]:
    return [(code, local_name(code)) for code in CONTENT_LANGUAGES]


class VolunteerForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )
    municipality = MunicipalityChoice(
        queryset=Municipality.objects.none(),
        label=_("Municipality"),
        to_field_name="code",
        empty_label=None,
        help_text=_("Where the friend person is active."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=_language_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )
    consent = forms.BooleanField(
        label=_("The friend person has agreed that these data are kept"),
        help_text=_("Required: without their consent nothing is recorded."),
        error_messages={"required": _("Record the friend person's consent to save.")},
    )
    consent_on = forms.DateField(label=_("Consent given on"), widget=forms.DateInput(attrs=_DATE))
    recruited_on = forms.DateField(label=_("Recruited on"), widget=forms.DateInput(attrs=_DATE))
    training_completed_on = forms.DateField(
        label=_("Training completed on"), required=False, widget=forms.DateInput(attrs=_DATE)
    )
    active_from = forms.DateField(
        label=_("Active from"),
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text=_("The start of their first active period; empty if they are not active yet."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only what the programme needs; never health, religion or other sensitive data."
        ),
    )

    def __init__(self, *args, municipalities, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(MunicipalityChoice, self.fields["municipality"]).queryset = municipalities
        if not creating:
            del self.fields["active_from"]

    def clean(self):
        data = super().clean()
        consent_on = data.get("consent_on")
        if consent_on and consent_on > timezone.localdate():
            self.add_error("consent_on", _("The consent cannot be given on a day still to come."))
        return data

    def values(self) -> dict[str, Any]:
        """The `fields` the services take."""
        data = self.cleaned_data
        values = {
            "municipality": data["municipality"].code,
            "name": data["name"],
            "email": data.get("email") or "",
            "phone": data.get("phone") or "",
            "languages": list(data.get("languages") or []),
            "note": data.get("note") or "",
            "consent_on": data["consent_on"],
            "recruited_on": data["recruited_on"],
            "training_completed_on": data.get("training_completed_on"),
        }
        if "active_from" in self.fields:
            values["active_from"] = data.get("active_from")
        return values

    @staticmethod
    def initial_of(volunteer: Volunteer) -> dict[str, Any]:
        return {
            "name": volunteer.name,
            "municipality": volunteer.municipality,
            "email": volunteer.email,
            "phone": volunteer.phone,
            "languages": list(volunteer.languages or []),
            "consent": True,
            "consent_on": volunteer.consent_on,
            "recruited_on": volunteer.recruited_on,
            "training_completed_on": volunteer.training_completed_on,
            "note": volunteer.note,
        }


class PeriodForm(forms.Form):
    """An active period: added on the friend person's page, or changed (ended) in its row."""

    starts_on = forms.DateField(label=_("Active from"), widget=forms.DateInput(attrs=_DATE))
    ends_on = forms.DateField(
        label=_("Active until"),
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text=_("Empty: still active."),
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last date is before the first."))
        return data

    def values(self) -> dict[str, Any]:
        return {
            "starts_on": self.cleaned_data["starts_on"],
            "ends_on": self.cleaned_data["ends_on"],
        }

    @staticmethod
    def initial_of(period: ActivePeriod) -> dict[str, Any]:
        return {"starts_on": period.starts_on, "ends_on": period.ends_on}


class MatchForm(forms.Form):
    """A match with a household: a reference of the coordinator's own and a size, never a
    name."""

    household_reference = forms.CharField(
        label=_("Household reference"),
        max_length=40,
        required=False,
        help_text=_("Your own code, such as H-2025-014; never a name or an identity code."),
    )
    household_size = forms.IntegerField(
        label=_("People in the household"), min_value=1, max_value=30
    )
    starts_on = forms.DateField(label=_("Matched on"), widget=forms.DateInput(attrs=_DATE))
    ends_on = forms.DateField(
        label=_("Ended on"),
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text=_("Empty: still matched."),
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last date is before the first."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "household_reference": data.get("household_reference") or "",
            "household_size": data["household_size"],
            "starts_on": data["starts_on"],
            "ends_on": data.get("ends_on"),
        }

    @staticmethod
    def initial_of(match: Match) -> dict[str, Any]:
        return {
            "household_reference": match.household_reference,
            "household_size": match.household_size,
            "starts_on": match.starts_on,
            "ends_on": match.ends_on,
        }


# The list's "records" filter: those with personal data (the default), or the others.
ANONYMISED = "anonymised"
ALL = "all"


class VolunteerFilterForm(forms.Form):
    """The list's filters: a GET form that works without JavaScript."""

    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    period = forms.CharField(label=_("Active in"), required=False)
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    trained = forms.ChoiceField(
        label=_("Training"),
        required=False,
        choices=[("", _("All")), ("yes", _("Completed")), ("no", _("Not completed"))],
    )
    records = forms.ChoiceField(
        label=_("Records"),
        required=False,
        choices=[
            ("", _("With personal data")),
            (ANONYMISED, _("Made anonymous")),
            (ALL, _("All")),
        ],
    )

    def __init__(self, *args, municipalities, years, **kwargs):
        super().__init__(*args, **kwargs)
        everywhere = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            *everywhere,
            *((m.code, _name(m)) for m in municipalities),
        ]
        self.fields["period"].widget = forms.Select(
            choices=[*everywhere, *((str(y), str(y)) for y in years)]
        )
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            *everywhere,
            *_language_choices(),
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
            # A link from the follow-up may name a half-year or a quarter: offer it.
            widget = cast(forms.Select, self.fields["period"].widget)
            widget.choices = [*widget.choices, (period.code, str(period))]
        return data

    def selector_filters(self) -> dict[str, Any]:
        """The filters as `volunteer_list` takes them (the defaults when invalid)."""
        filters: dict[str, Any] = {"anonymised": False}
        if not (self.is_bound and self.is_valid()):
            return filters
        data = self.cleaned_data
        for name in ("municipality", "period", "language"):
            if data.get(name):
                filters[name] = data[name]
        if data.get("trained"):
            filters["trained"] = data["trained"] == "yes"
        records = data.get("records")
        filters["anonymised"] = True if records == ANONYMISED else None if records == ALL else False
        return filters
