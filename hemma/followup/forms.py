"""The grid's forms: one indicator's value, and an action's manual assessment.

The forms only read what was typed; the services check it (hemma.followup.services), so the
web says the same as the API and the file import. A service's problems come back on the
field they are about (`add_problems`).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from hemma.followup.models import Assessment, Measurement
from hemma.followup.services import ASSESSMENT_STATUSES, FIELDS_OF_KIND, WHOLE_KINDS
from hemma.lib.languages import CONTENT_LANGUAGES, local_name
from hemma.lib.problems import Problem
from hemma.lib.texts import pick
from hemma.programmes.models import Indicator

_DONE_CHOICES = [("", "—"), ("yes", _("Done")), ("no", _("Not done"))]


class _ProblemsMixin:
    def add_problems(self, problems: list[Problem]) -> None:
        """Put each problem on its field, or above the form when it is about no field."""
        for problem in problems:
            name = problem.field if problem.field in self.fields else None  # type: ignore[attr-defined]
            self.add_error(name, problem.message)  # type: ignore[attr-defined]
        self.mark_invalid()

    def mark_invalid(self) -> None:
        """aria-invalid and aria-describedby on every field with an error (WCAG 3.3.1)."""
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                bound = self[name]  # type: ignore[index]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{bound.auto_id}-error"


class ValueForm(_ProblemsMixin, forms.Form):
    """One indicator's value for one municipality and period: the fields of its kind.

    `form_id` names the <form> element; the inputs sit in the row's cells and belong to it
    through their `form` attribute, so that each row is its own form in a real table.
    """

    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000)

    def __init__(
        self,
        data=None,
        *,
        indicator: Indicator,
        value: Measurement | None,
        form_id: str,
        language: str,
    ):
        self.indicator = indicator
        self.form_id = form_id
        self.kind_fields = FIELDS_OF_KIND.get(indicator.kind, ("number",))
        initial: dict = {}
        if value is not None:
            initial = {
                "number": "" if value.number is None else f"{value.number.normalize():f}",
                "participants": value.participants,
                "done": "" if value.done is None else ("yes" if value.done else "no"),
                "done_on": value.done_on.isoformat() if value.done_on else "",
                "languages": list(value.languages or []),
                "comment": value.comment,
            }
        super().__init__(data, initial=initial, auto_id=f"{form_id}-%s")
        name = pick(indicator.name, fallback=language)
        fields: dict[str, forms.Field] = {}
        if "number" in self.kind_fields:
            fields["number"] = forms.CharField(
                label=(
                    _("Figure")
                    if indicator.kind == Indicator.Kind.SURVEY
                    else _("Count")
                    if indicator.kind in WHOLE_KINDS
                    else _("Number")
                ),
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric" if indicator.kind in WHOLE_KINDS else "decimal",
                        "size": 7,
                    }
                ),
            )
        if "participants" in self.kind_fields:
            fields["participants"] = forms.CharField(
                label=_("Participants"),
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            )
        if "done" in self.kind_fields:
            fields["done"] = forms.ChoiceField(
                label=_("Done"), required=False, choices=_DONE_CHOICES
            )
            fields["done_on"] = forms.CharField(
                label=_("Date"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        if "languages" in self.kind_fields:
            fields["languages"] = forms.MultipleChoiceField(
                label=_("Languages"),
                required=False,
                choices=[(code, local_name(code)) for code in CONTENT_LANGUAGES],
                widget=forms.CheckboxSelectMultiple,
            )
        self.fields = {**fields, "comment": self.fields["comment"]}
        for field_name, field in self.fields.items():
            field.widget.attrs["form"] = form_id
            # The visible column header says "Value"; the label names the indicator too.
            field.widget.attrs.setdefault("data-grid-field", field_name)
            field.label_suffix = ""
            field.indicator_name = name  # type: ignore[attr-defined]

    @property
    def value_fields(self) -> list:
        return [self[name] for name in self.fields if name != "comment"]

    def values(self) -> dict:
        """What was typed, as measurement_record takes it (empty is None)."""
        data = self.cleaned_data
        values: dict = {}
        for name in ("number", "participants", "done_on"):
            if name in self.fields:
                values[name] = (data.get(name) or "").strip() or None
        if "done" in self.fields:
            values["done"] = {"yes": True, "no": False}.get(data.get("done") or "")
        if "languages" in self.fields:
            values["languages"] = list(data.get("languages") or [])
        return values


class AssessmentForm(_ProblemsMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Assessment"),
        choices=[(status.value, status.label) for status in ASSESSMENT_STATUSES],
    )
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, data=None, *, assessment: Assessment | None, form_id: str):
        initial = (
            {"status": assessment.status, "justification": assessment.justification}
            if assessment is not None
            else {}
        )
        super().__init__(data, initial=initial, auto_id=f"{form_id}-%s")
