from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemma.lib import periods
from hemma.lib.languages import STAFF_LANGUAGES
from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme
from hemma.reports.building import ReportPeriod
from hemma.reports.models import ReportJob

# A period whose report would say "Preliminary: not approved", marked before it is asked for.
PERIOD_PRELIMINARY = _("%(period)s (not approved: the report is preliminary)")


def _period_label(choice: ReportPeriod) -> str:
    if choice.approved:
        return str(choice.period)
    return PERIOD_PRELIMINARY % {"period": choice.period}


def _usual_period(choices: list[periods.Period]) -> str:
    """The latest period that has ended (the one a council is reported), else the first."""
    today = timezone.localdate()
    ended = [p for p in choices if p.end < today]
    chosen = ended[-1] if ended else (choices[0] if choices else None)
    return chosen.code if chosen else ""


class ReportRequestForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("The whole programme"),
        to_field_name="code",
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=STAFF_LANGUAGES)
    format = forms.ChoiceField(
        label=_("Format"), choices=ReportJob.Format.choices, widget=forms.RadioSelect
    )

    def __init__(
        self, *args, programme: Programme, period_choices: list[ReportPeriod], **kwargs
    ) -> None:
        """`period_choices`, oldest first: the periods a report of the programme can be of,
        for the user who asks (hemma.reports.building.report_periods)."""
        kwargs.setdefault(
            "initial",
            {
                "period": _usual_period([c.period for c in period_choices]),
                "language": programme.language,
                "format": ReportJob.Format.PDF,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            (c.period.code, _period_label(c)) for c in period_choices
        ]
        self.fields["municipality"].queryset = programme.municipalities.order_by("code")  # type: ignore[attr-defined]
