"""A survey from an XLSForm (upload → preview → confirm or cancel), and a survey as one.

The registries' shared upload flow (hemma/registries/uploads.py) is for a region's files and
a page without arguments; this one is a programme's, and asks for the survey's period, so it
keeps the same steps on its own: the preview reads and checks the whole file
(hemma/surveys/xlsform.py) and keeps it on the server under a token
(programmes.services.pending_import_save, tied to the user and the programme); the
confirmation reads the kept file again and makes the survey, all or nothing.

Who: the region's coordinator, who builds the programme's surveys
(hemma.surveys.policies.can_build). Another who sees the programme is refused (403); a
programme they do not see does not exist for them (404).
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hemma.lib.problems import Problem, ProblemsFound
from hemma.programmes import selectors as programme_selectors
from hemma.programmes.models import Programme
from hemma.programmes.services import (
    pending_import_delete,
    pending_import_load,
    pending_import_save,
)
from hemma.surveys import policies, xlsform
from hemma.surveys.models import Survey

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _periods(programme: Programme) -> list[tuple[str, str]]:
    return [
        (str(year), str(year)) for year in range(programme.period_start, programme.period_end + 1)
    ]


class XlsformImportForm(forms.Form):
    # Here rather than in forms.py: it is this page's only form; the file itself is checked
    # by hemma/surveys/xlsform.py.
    file = forms.FileField(
        label=gettext_lazy("XLSForm file"),
        help_text=gettext_lazy(
            "An .xlsx with the sheets survey, choices and settings, as KoboToolbox and ODK "
            "make them."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        help_text=gettext_lazy("The year whose follow-up the answers count for."),
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _periods(programme)
        this_year = str(datetime.date.today().year)
        if any(code == this_year for code, _label in field.choices):
            field.initial = this_year


def _programme_to_build(request, slug: str) -> Programme:
    programme = programme_selectors.programme_get(user=request.user, slug=slug)
    if not policies.can_build(request.user, programme):
        raise PermissionDenied
    return programme


def _upload_page(request, programme: Programme, form, problems=(), status=200):
    return render(
        request,
        "surveys/xlsform_import.html",
        {"programme": programme, "form": form, "problems": list(problems)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_import_xlsform(request, slug: str):
    """Upload an XLSForm → preview the survey (or every problem) → make it or cancel."""
    programme = _programme_to_build(request, slug)
    if request.method == "POST" and request.POST.get("token"):
        return _confirm(request, programme, request.POST["token"])
    form = XlsformImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        programme=programme,
    )
    if not form.is_bound or not form.is_valid():
        return _upload_page(request, programme, form, status=400 if form.is_bound else 200)
    upload = form.cleaned_data["file"]
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    period = form.cleaned_data["period"]
    try:
        data = xlsform.read_upload(upload, name=name)
        draft = xlsform.xlsform_preview(programme=programme, period=period, name=name, data=data)
    except ProblemsFound as found:
        return _upload_page(request, programme, form, found.problems, status=400)
    token = pending_import_save(user=request.user, name=name, data=data, programme=programme)
    return render(
        request,
        "surveys/xlsform_preview.html",
        {
            "programme": programme,
            "draft": draft,
            "titles": [(code, draft.title.get(code, "")) for code in draft.languages],
            # Each question in the source language, as the form was written.
            "rows": [
                (
                    question,
                    question.text.get(draft.source_language, ""),
                    [(c.key, c.label.get(draft.source_language, "")) for c in question.choices],
                )
                for question in draft.questions
            ],
            "period": period,
            "token": token,
            "file_name": name,
        },
    )


def _confirm(request, programme: Programme, token: str):
    form = XlsformImportForm(programme=programme)
    pending = pending_import_load(user=request.user, token=token)
    if pending is None or pending.programme_slug != programme.slug:
        expired = Problem(_("This preview has expired. Upload the file again."))
        return _upload_page(request, programme, form, [expired], status=400)
    if "cancel" in request.POST:
        pending_import_delete(token=token)
        messages.info(request, _("The import was cancelled. Nothing was saved."))
        return redirect(reverse("surveys:xlsform_import", args=[programme.slug]))
    period = request.POST.get("period", "")
    if period not in dict(_periods(programme)):
        return _upload_page(request, programme, form, [Problem(_("Choose a period."))], 400)
    try:
        survey = xlsform.xlsform_import(
            actor=request.user,
            programme=programme,
            period=period,
            name=pending.name,
            data=pending.data,
        )
    except ProblemsFound as found:
        return _upload_page(request, programme, form, found.problems, status=400)
    pending_import_delete(token=token)
    messages.success(
        request,
        _("The survey “%(key)s” for %(period)s was made from the file, as a draft.")
        % {"key": survey.key, "period": survey.period},
    )
    return redirect(reverse("surveys:detail", args=[programme.slug, survey.key, survey.period]))


@login_required
@require_GET
def survey_export_xlsform(request, slug: str, key: str, period: str):
    """The survey as an XLSForm, to take it to KoboToolbox or ODK (or back into Hemma)."""
    programme = _programme_to_build(request, slug)
    survey = Survey.objects.filter(programme=programme, key=key, period=period).first()
    if survey is None:
        raise Http404
    questions = list(survey.questions.prefetch_related("choices"))
    response = HttpResponse(xlsform.xlsform_export(survey, questions), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{survey.key}-{survey.period}.xlsx"'
    return response
