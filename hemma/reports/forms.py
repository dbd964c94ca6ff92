from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemma.lib import periods
from hemma.lib.languages import STAFF_LANGUAGES
from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme
from hemma.reports.models import ReportJob


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
        self, *args, programme: Programme, period_choices: list[periods.Period], **kwargs
    ) -> None:
        """`period_choices`, oldest first: the periods the user may see for the programme."""
        kwargs.setdefault(
            "initial",
            {
                "period": _usual_period(period_choices),
                "language": programme.language,
                "format": ReportJob.Format.PDF,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.code, str(p)) for p in period_choices]  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = programme.municipalities.order_by("code")  # type: ignore[attr-defined]
