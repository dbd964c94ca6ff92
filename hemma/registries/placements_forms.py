"""Forms of the placements' pages: the list's filters, the record form and the upload.

They check input; hemma/registries/services.py records (and checks again: the unit of the
right municipality, a period outside an approved round). The record form offers the units of
the chosen municipality first, then the region's municipal units, then its other
organisations, so that a coordinator finds the unit at once.
"""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hemma.lib.texts import pick
from hemma.organisations.models import Municipality, Organisation
from hemma.registries.models import Placement
from hemma.registries.services import clean_placement_period, placement_version

Kind = Placement.Kind


def name_of(obj, language: str = "sv") -> str:
    """A municipality's or an organisation's name in `language` (or another it has)."""
    return pick(obj.name, fallback=language) or getattr(obj, "key", "") or obj.code


def unit_choices(
    organisations: list[Organisation],
    *,
    municipalities: list[Municipality],
    first: Municipality | None,
    language: str,
) -> list:
    """The units to choose from, grouped: those of `first` (the chosen municipality), the
    region's municipal units, the units of the other `municipalities`, the region's other
    organisations. Units of a municipality not in `municipalities` are left out."""
    ordered = sorted(municipalities, key=lambda m: (first is None or m.pk != first.pk, m.code))
    own: dict[int, list[Organisation]] = {m.pk: [] for m in ordered}
    shared: list[Organisation] = []
    others: list[Organisation] = []
    for organisation in organisations:
        if organisation.municipality_id is not None:
            if organisation.municipality_id in own:
                own[organisation.municipality_id].append(organisation)
        elif organisation.kind == Organisation.Kind.MUNICIPAL_UNIT:
            shared.append(organisation)
        else:
            others.append(organisation)

    def options(found: list[Organisation]) -> list[tuple[str, str]]:
        return sorted(((o.key, name_of(o, language)) for o in found), key=lambda c: c[1].casefold())

    groups: list = []

    def group(label, found: list[Organisation]) -> None:
        if found:
            groups.append((label, options(found)))

    def units_of(municipality: Municipality) -> str:
        return _("Units of %(municipality)s") % {"municipality": name_of(municipality, language)}

    for municipality in ordered[:1]:
        group(units_of(municipality), own[municipality.pk])
    group(_("Municipal units of the region"), shared)
    for municipality in ordered[1:]:
        group(units_of(municipality), own[municipality.pk])
    group(_("Other organisations of the region"), others)
    return groups


class PlacementFilterForm(forms.Form):
    """The list's filters: a GET form that works without JavaScript."""

    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        help_text=_("A year shows its half-years and quarters too."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of place"), required=False, choices=[("", _("All")), *Kind.choices]
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(
        self,
        *args,
        municipalities: list[Municipality],
        period_codes: list[str],
        units: list[Organisation],
        language: str,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            ("", _("All")),
            *((m.code, name_of(m, language)) for m in municipalities),
        ]
        cast(forms.ChoiceField, self.fields["period"]).choices = [
            ("", _("All periods")),
            *((code, code) for code in period_codes),
        ]
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            ("", _("All")),
            *sorted(((o.key, name_of(o, language)) for o in units), key=lambda c: c[1].casefold()),
        ]


class PlacementForm(forms.Form):
    """One placement: whose, which unit, what kind of place, when, how many people."""

    municipality = forms.ChoiceField(label=_("Municipality"))
    unit = forms.ChoiceField(label=_("Unit"), help_text=_("The unit that offered the places."))
    kind = forms.ChoiceField(label=_("Kind of place"), choices=[("", "—"), *Kind.choices])
    period = forms.CharField(
        label=_("Period"),
        max_length=9,
        help_text=_("A year (2025), a half-year (2025H1) or a quarter (2025Q2)."),
    )
    people = forms.IntegerField(
        label=_("Number of people"),
        min_value=0,
        max_value=1_000_000,
        help_text=_("How many people had such a place in the period. Numbers only, no names."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # What the placement was when the form was shown: a change made meanwhile by someone else
    # is refused rather than overwritten (services.placement_version).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data=None,
        *,
        municipalities: list[Municipality],
        organisations: list[Organisation],
        first: Municipality | None,
        language: str,
        placement: Placement | None = None,
        **kwargs,
    ):
        initial = kwargs.pop("initial", {})
        if placement is not None:
            initial = {
                "municipality": placement.municipality.code,
                "unit": placement.unit.key,
                "kind": placement.kind,
                "period": placement.period,
                "people": placement.people,
                "note": placement.note,
                "version": placement_version(placement),
                **initial,
            }
        elif first is not None:
            initial.setdefault("municipality", first.code)
        super().__init__(data, initial=initial, **kwargs)
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            (m.code, name_of(m, language)) for m in municipalities
        ]
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            ("", "—"),
            *unit_choices(
                organisations, municipalities=municipalities, first=first, language=language
            ),
        ]

    def clean_period(self) -> str:
        return clean_placement_period(self.cleaned_data.get("period"))

    def values(self) -> dict:
        """The fields as `placement_record` takes them."""
        data = self.cleaned_data
        return {
            "municipality": data["municipality"],
            "unit": data["unit"],
            "kind": data["kind"],
            "period": data["period"],
            "people": data["people"],
            "note": data.get("note") or "",
            "version": data.get("version") or None,
        }


class PlacementsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A placements sheet (.xlsx or .csv) in the format of the guide below, or one "
            "exported from the list."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
