"""Forms of the service statistics' pages: the list's filters, the choice of a municipality
and period, one municipality's figures for a period, and the upload.

They check input; hemma/registries/services.py records (and checks again). The figures form
has a field per measure, each optional, so that a coordinator copies a national report's
figures for a year in one go.
"""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hemma.lib import periods
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.registries.models import ServiceStatistic
from hemma.registries.services import statistic_version

Measure = ServiceStatistic.Measure
# "All periods" in the list's filter (an empty period is the latest one with figures).
ALL_PERIODS = "all"
_MAX_SOURCE: int = ServiceStatistic._meta.get_field("source").max_length or 120


def municipality_name(municipality: Municipality, language: str = "sv") -> str:
    return pick(municipality.name, fallback=language) or municipality.code


def measure_field(measure: str) -> str:
    """The figures form's field of a measure."""
    return f"value_{measure}"


def version_field(measure: str) -> str:
    return f"version_{measure}"


def _period(code: str) -> str:
    """A period code as stored ("2025", "2025H1", "2025Q3"); ValidationError if it is none."""
    try:
        return periods.parse(code.strip()).code
    except periods.InvalidPeriod:
        raise forms.ValidationError(_("Not a period: write 2025, 2025H1 or 2025Q2.")) from None


class StatisticFilterForm(forms.Form):
    """The list's filters: a GET form that works without JavaScript."""

    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    measure = forms.ChoiceField(
        label=_("Measure"), required=False, choices=[("", _("All")), *Measure.choices]
    )

    def __init__(self, *args, municipalities, period_codes: list[str], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            ("", _("All")),
            *((m.code, municipality_name(m, language)) for m in municipalities),
        ]
        cast(forms.ChoiceField, self.fields["period"]).choices = [
            *((code, code.replace("-", "–")) for code in period_codes),
            (ALL_PERIODS, _("All periods")),
        ]


class StatisticPlaceForm(forms.Form):
    """Whose figures, for which period: the figures form's GET chooser."""

    municipality = forms.ChoiceField(label=_("Municipality"))
    period = forms.CharField(
        label=_("Period"),
        max_length=9,
        help_text=_("A year (2025), a half-year (2025H1) or a quarter (2025Q2)."),
    )

    def __init__(self, *args, municipalities, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            (m.code, municipality_name(m, language)) for m in municipalities
        ]

    def clean_period(self) -> str:
        return _period(self.cleaned_data.get("period") or "")


class StatisticsForm(forms.Form):
    """One municipality's figures for one period: a field per measure (each optional), the
    source they come from and a note. A figure emptied is removed."""

    source = forms.CharField(
        label=_("Source"),
        max_length=_MAX_SOURCE,
        required=False,
        help_text=_("The system or report the figures are from."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data=None, *, existing: dict[str, ServiceStatistic], **kwargs):
        initial: dict[str, Any] = {}
        for measure, statistic in existing.items():
            initial[measure_field(measure)] = _shown(statistic.value, measure)
        sources = {s.source for s in existing.values()}
        notes = {s.note for s in existing.values()}
        if len(sources) == 1:
            initial["source"] = sources.pop()
        if len(notes) == 1:
            initial["note"] = notes.pop()
        super().__init__(data, initial=initial, **kwargs)
        self.existing = existing
        figures: dict[str, forms.Field] = {}
        for measure, label in Measure.choices:
            if measure in ServiceStatistic.COUNTS:
                figures[measure_field(measure)] = forms.IntegerField(
                    label=label, required=False, min_value=0, max_value=10**9
                )
            else:
                figures[measure_field(measure)] = forms.DecimalField(
                    label=label,
                    required=False,
                    min_value=Decimal(0),
                    max_digits=12,
                    decimal_places=2,
                    localize=True,
                    help_text=_("Days; decimals are allowed."),
                )
        # What each stored figure was when the form was shown: a change made meanwhile by
        # someone else is refused rather than overwritten (services.statistic_version).
        for measure, statistic in existing.items():
            figures[version_field(measure)] = forms.CharField(
                required=False,
                widget=forms.HiddenInput,
                initial=statistic_version(statistic),
            )
        # The figures first, then the source and the note.
        self.fields = {**figures, **self.fields}

    def figures(self) -> list[tuple]:
        """(the field, the statistic stored for it or None) for each measure."""
        return [(self[measure_field(m)], self.existing.get(m)) for m in Measure.values]

    def other_fields(self) -> list:
        return [self["source"], self["note"]]

    def changes(self) -> tuple[list[dict], list[ServiceStatistic]]:
        """(the items to record — a measure given whose figure, source or note differs from
        the stored one — and the stored statistics whose figure was emptied)."""
        data = self.cleaned_data
        source = (data.get("source") or "").strip()
        note = data.get("note") or ""
        items: list[dict] = []
        removed: list[ServiceStatistic] = []
        for measure in Measure.values:
            value = data.get(measure_field(measure))
            stored = self.existing.get(measure)
            if value is None:
                if stored is not None:
                    removed.append(stored)
                continue
            value = Decimal(value)
            if (
                stored is not None
                and stored.value == value
                and stored.source == source
                and stored.note == note
            ):
                continue
            item = {"measure": measure, "value": value, "source": source, "note": note}
            if stored is not None:
                item["version"] = data.get(version_field(measure)) or None
            items.append(item)
        return items, removed


def _shown(value: Decimal, measure: str) -> int | Decimal:
    """A stored figure as the form shows it: a count without decimals."""
    if measure in ServiceStatistic.COUNTS:
        return int(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class StatisticsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A statistics sheet (.xlsx or .csv) in the format of the guide below, or one "
            "exported from this list."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
