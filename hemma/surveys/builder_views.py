"""Building a survey: the programme's surveys, a survey's page, its questions and choices,
its translations, a preview in two languages and its invitation codes.

Plain forms that post and redirect back to the survey's page. Whoever sees the programme
reads the list, the survey's page and the preview; only the region's coordinator builds
(hemma.surveys.policies.can_build): the forms are theirs, a write by anyone else is 403, and
a survey of another region's programme is 404. A service's refusal shows as a form error.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hemma.lib.forms import form_saved as _saved
from hemma.lib.languages import is_rtl
from hemma.surveys import forms, policies, selectors, services
from hemma.surveys.models import Question, Survey


def _survey_url(survey: Survey, anchor: str = "") -> str:
    url = reverse("surveys:detail", args=[survey.programme.slug, survey.key, survey.period])
    return f"{url}#{anchor}" if anchor else url


def _refused(request, survey: Survey, error: ValidationError, anchor: str = ""):
    """Back to the survey's page with the reason (a button's post, no form to show it in)."""
    for text in error.messages:
        messages.error(request, text)
    return redirect(_survey_url(survey, anchor))


# -- the programme's surveys -----------------------------------------------------------------


def _list_page(request, programme, create_form=None, copy_form=None, status=200):
    found = selectors.survey_list(user=request.user, programme=programme)
    surveys = list(found)
    can_build = policies.can_build(request.user, programme)
    context = {"programme": programme, "surveys": surveys, "can_build": can_build}
    if can_build:
        context["create_form"] = create_form or forms.SurveyCreateForm()
        if surveys:
            context["copy_form"] = copy_form or forms.SurveyCopyForm(surveys=found)
    return render(request, "surveys/list.html", context, status=status)


@login_required
@require_GET
def survey_list(request, slug: str):
    programme = selectors.programme_for_surveys(user=request.user, slug=slug)
    return _list_page(request, programme)


@login_required
@require_POST
def survey_create(request, slug: str):
    programme = selectors.programme_for_surveys(user=request.user, slug=slug, build=True)
    form = forms.SurveyCreateForm(request.POST)
    created: list[Survey] = []
    if _saved(
        form,
        lambda: created.append(
            services.survey_create(
                actor=request.user,
                programme=programme,
                key=form.cleaned_data["key"],
                period=form.cleaned_data["period"],
                title={form.cleaned_data["source_language"]: form.cleaned_data["title"]},
                languages=form.cleaned_data["languages"],
                source_language=form.cleaned_data["source_language"],
            )
        ),
    ):
        messages.success(request, _("The survey was made. Add its questions."))
        return redirect(_survey_url(created[0]))
    return _list_page(request, programme, create_form=form)


@login_required
@require_POST
def survey_copy(request, slug: str):
    programme = selectors.programme_for_surveys(user=request.user, slug=slug, build=True)
    surveys = selectors.survey_list(user=request.user, programme=programme)
    form = forms.SurveyCopyForm(request.POST, surveys=surveys)
    created: list[Survey] = []
    if _saved(
        form,
        lambda: created.append(
            services.survey_copy(
                actor=request.user,
                survey=form.cleaned_data["survey"],
                period=form.cleaned_data["period"],
            )
        ),
    ):
        messages.success(request, _("The survey was copied: check its texts before opening it."))
        return redirect(_survey_url(created[0]))
    return _list_page(request, programme, copy_form=form)


# -- a survey --------------------------------------------------------------------------------


def _survey_page(request, slug, key, period, open_problems=None):
    page = selectors.survey_page(user=request.user, slug=slug, key=key, period=period)
    links = [
        (name, request.build_absolute_uri(path))
        for name, path in selectors.public_links(page.survey, page.municipalities)
    ]
    context = {
        "programme": page.survey.programme,
        "survey": page.survey,
        "page": page,
        "flag_rows": [
            (flag, selectors.flag_text(flag), selectors.anchor_of(flag.obj)) for flag in page.flags
        ],
        "links": links,
        "can_build": policies.can_build(request.user, page.survey),
        "open_problems": open_problems,
        "last_position": len(page.questions) - 1,
    }
    return render(request, "surveys/survey.html", context)


@login_required
@require_GET
def survey_detail(request, slug: str, key: str, period: str):
    return _survey_page(request, slug, key, period)


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, slug: str, key: str, period: str):
    survey = selectors.survey_get(user=request.user, slug=slug, key=key, period=period, build=True)
    form = forms.SurveyEditForm(
        request.POST or None,
        survey=survey,
        initial_texts={"title": survey.title, "intro": survey.intro},
    )
    if request.method == "POST" and _saved(
        form,
        lambda: services.survey_update(
            actor=request.user,
            survey=survey,
            **form.text_values(),
            languages=form.cleaned_data["languages_chosen"],
            invitation_only=form.cleaned_data["invitation_only"],
        ),
    ):
        messages.success(request, _("The survey was saved."))
        return redirect(_survey_url(survey))
    return render(
        request,
        "surveys/survey_edit.html",
        {"programme": survey.programme, "survey": survey, "form": form},
    )


@login_required
@require_POST
def survey_open(request, slug: str, key: str, period: str):
    survey = selectors.survey_get(user=request.user, slug=slug, key=key, period=period, build=True)
    try:
        services.survey_open(actor=request.user, survey=survey)
    except ValidationError as error:
        # The page again, with every reason listed where the button was.
        return _survey_page(request, slug, key, period, open_problems=error.messages)
    messages.success(request, _("The survey is open for answers."))
    return redirect(_survey_url(survey))


@login_required
@require_POST
def survey_close(request, slug: str, key: str, period: str):
    survey = selectors.survey_get(user=request.user, slug=slug, key=key, period=period, build=True)
    try:
        services.survey_close(actor=request.user, survey=survey)
    except ValidationError as error:
        return _refused(request, survey, error)
    messages.success(request, _("The survey is closed: it takes no more answers."))
    return redirect(_survey_url(survey))


# -- questions -------------------------------------------------------------------------------


def _earlier(survey: Survey, question: Question | None = None) -> list[Question]:
    questions = selectors.survey_questions(survey)
    if question is None:
        return questions
    return [q for q in questions if (q.position, q.pk) < (question.position, question.pk)]


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request, slug: str, key: str, period: str):
    survey = selectors.survey_get(user=request.user, slug=slug, key=key, period=period, build=True)
    form = forms.QuestionForm(
        request.POST or None, survey=survey, earlier=_earlier(survey), new=True
    )
    created: list[Question] = []
    if request.method == "POST" and _saved(
        form,
        lambda: created.append(
            services.question_add(
                actor=request.user, survey=survey, spec=form.spec(), key=form.cleaned_data["key"]
            )
        ),
    ):
        messages.success(request, _("The question was added."))
        return redirect(_survey_url(survey, f"question-{created[0].key}"))
    return render(
        request,
        "surveys/question_form.html",
        {"programme": survey.programme, "survey": survey, "form": form, "question": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, slug: str, key: str, period: str, question_key: str):
    question = selectors.question_get(
        user=request.user, slug=slug, key=key, period=period, question_key=question_key, build=True
    )
    survey = question.survey
    form = forms.QuestionForm(
        request.POST or None,
        survey=survey,
        earlier=_earlier(survey, question),
        initial_texts={name: getattr(question, name) for name, *_rest in forms.QuestionForm.texts},
        initial=forms.question_initial(question),
    )
    if request.method == "POST" and _saved(
        form,
        lambda: services.question_update(actor=request.user, question=question, spec=form.spec()),
    ):
        messages.success(request, _("The question was saved."))
        return redirect(_survey_url(survey, f"question-{question.key}"))
    return render(
        request,
        "surveys/question_form.html",
        {"programme": survey.programme, "survey": survey, "form": form, "question": question},
    )


@login_required
@require_POST
def question_move(request, slug: str, key: str, period: str, question_key: str):
    question = selectors.question_get(
        user=request.user, slug=slug, key=key, period=period, question_key=question_key, build=True
    )
    anchor = f"question-{question.key}"
    try:
        services.question_move(
            actor=request.user, question=question, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        return _refused(request, question.survey, error, anchor)
    return redirect(_survey_url(question.survey, anchor))


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request, slug: str, key: str, period: str, question_key: str):
    question = selectors.question_get(
        user=request.user, slug=slug, key=key, period=period, question_key=question_key, build=True
    )
    survey = question.survey
    if request.method == "POST":
        try:
            services.question_delete(actor=request.user, question=question)
        except ValidationError as error:
            return _refused(request, survey, error, f"question-{question.key}")
        messages.success(request, _("The question was removed."))
        return redirect(_survey_url(survey, "questions"))
    return render(
        request,
        "surveys/delete.html",
        {
            "programme": survey.programme,
            "survey": survey,
            "heading": _("Remove the question “%(key)s”?") % {"key": question.key},
            "what": question.text,
            "cancel_url": _survey_url(survey, f"question-{question.key}"),
        },
    )


# -- choices ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def choice_add(request, slug: str, key: str, period: str, question_key: str):
    question = selectors.question_get(
        user=request.user, slug=slug, key=key, period=period, question_key=question_key, build=True
    )
    survey = question.survey
    if question.kind not in services.CHOICE_KINDS:
        raise Http404
    form = forms.ChoiceForm(request.POST or None, survey=survey, new=True)
    if request.method == "POST" and _saved(
        form,
        lambda: services.choice_add(
            actor=request.user,
            question=question,
            label=form.text_values()["label"],
            key=form.cleaned_data["key"],
        ),
    ):
        messages.success(request, _("The choice was added."))
        return redirect(_survey_url(survey, f"question-{question.key}"))
    return render(
        request,
        "surveys/choice_form.html",
        {
            "programme": survey.programme,
            "survey": survey,
            "question": question,
            "choice": None,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def choice_edit(request, slug: str, key: str, period: str, question_key: str, choice_key: str):
    choice = selectors.choice_get(
        user=request.user,
        slug=slug,
        key=key,
        period=period,
        question_key=question_key,
        choice_key=choice_key,
        build=True,
    )
    question = choice.question
    survey = question.survey
    form = forms.ChoiceForm(
        request.POST or None, survey=survey, initial_texts={"label": choice.label}
    )
    if request.method == "POST" and _saved(
        form,
        lambda: services.choice_update(
            actor=request.user, choice=choice, label=form.text_values()["label"]
        ),
    ):
        messages.success(request, _("The choice was saved."))
        return redirect(_survey_url(survey, f"question-{question.key}"))
    return render(
        request,
        "surveys/choice_form.html",
        {
            "programme": survey.programme,
            "survey": survey,
            "question": question,
            "choice": choice,
            "form": form,
        },
    )


@login_required
@require_POST
def choice_move(request, slug: str, key: str, period: str, question_key: str, choice_key: str):
    choice = selectors.choice_get(
        user=request.user,
        slug=slug,
        key=key,
        period=period,
        question_key=question_key,
        choice_key=choice_key,
        build=True,
    )
    survey = choice.question.survey
    anchor = f"question-{choice.question.key}"
    try:
        services.choice_move(
            actor=request.user, choice=choice, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        return _refused(request, survey, error, anchor)
    return redirect(_survey_url(survey, anchor))


@login_required
@require_http_methods(["GET", "POST"])
def choice_delete(request, slug: str, key: str, period: str, question_key: str, choice_key: str):
    choice = selectors.choice_get(
        user=request.user,
        slug=slug,
        key=key,
        period=period,
        question_key=question_key,
        choice_key=choice_key,
        build=True,
    )
    survey = choice.question.survey
    anchor = f"question-{choice.question.key}"
    if request.method == "POST":
        try:
            services.choice_delete(actor=request.user, choice=choice)
        except ValidationError as error:
            return _refused(request, survey, error, anchor)
        messages.success(request, _("The choice was removed."))
        return redirect(_survey_url(survey, anchor))
    return render(
        request,
        "surveys/delete.html",
        {
            "programme": survey.programme,
            "survey": survey,
            "heading": _("Remove the choice “%(key)s”?") % {"key": choice.key},
            "what": choice.label,
            "cancel_url": _survey_url(survey, anchor),
        },
    )


# -- translations and preview ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_translate(request, slug: str, key: str, period: str, language: str):
    survey = selectors.survey_get(user=request.user, slug=slug, key=key, period=period, build=True)
    if language not in survey.languages or language == survey.source_language:
        raise Http404
    questions = selectors.survey_questions(survey)
    items = selectors.translation_items(survey, questions, language)
    form = forms.TranslationForm(request.POST or None, items=items, language=language)
    if request.method == "POST" and _saved(
        form,
        lambda: services.survey_translate(
            actor=request.user,
            survey=survey,
            language=language,
            edited=form.edited(),
            confirmed=form.confirmed(),
        ),
    ):
        messages.success(
            request,
            _("The %(language)s texts were saved.")
            % {"language": selectors.language_name(language)},
        )
        return redirect(_survey_url(survey, "languages"))
    return render(
        request,
        "surveys/translate.html",
        {
            "programme": survey.programme,
            "survey": survey,
            "form": form,
            "language": language,
            "language_name": selectors.language_name(language),
            "source_name": selectors.language_name(survey.source_language),
            "rtl": is_rtl(language),
            "source_rtl": is_rtl(survey.source_language),
        },
    )


@login_required
@require_GET
def survey_preview(request, slug: str, key: str, period: str):
    """The survey as respondents see it, in two of its languages side by side
    (`?left=sv&right=ar`): the source language and the first other one unless chosen."""
    survey = selectors.survey_get(user=request.user, slug=slug, key=key, period=period)
    others = [code for code in survey.languages if code != survey.source_language]
    left = request.GET.get("left", survey.source_language)
    right = request.GET.get("right", others[0] if others else survey.source_language)
    if left not in survey.languages or right not in survey.languages:
        raise Http404
    questions = selectors.survey_questions(survey)
    columns = [
        selectors.preview_column(survey, questions, left),
        selectors.preview_column(survey, questions, right),
    ]
    return render(
        request,
        "surveys/preview.html",
        {
            "programme": survey.programme,
            "survey": survey,
            "columns": columns,
            # A row per question: (column, the question in the column's language) each.
            "rows": [
                list(zip(columns, pair, strict=True))
                for pair in zip(*(c.questions for c in columns), strict=True)
            ],
            "left": left,
            "right": right,
            "languages": [(code, selectors.language_name(code)) for code in survey.languages],
        },
    )


# -- invitation codes ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_codes(request, slug: str, key: str, period: str):
    """Make codes: the answer is the file of codes, the only time they exist in clear."""
    survey = selectors.survey_get(user=request.user, slug=slug, key=key, period=period, build=True)
    form = forms.CodesForm(request.POST or None)
    made: list[list[str]] = []
    if request.method == "POST" and _saved(
        form,
        lambda: made.append(
            services.codes_make(actor=request.user, survey=survey, count=form.cleaned_data["count"])
        ),
    ):
        return _codes_file(survey, made[0])
    return render(
        request,
        "surveys/codes.html",
        {
            "programme": survey.programme,
            "survey": survey,
            "form": form,
            "counts": selectors.codes_count(survey),
        },
    )


def _codes_file(survey: Survey, codes: list[str]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Code")])
    writer.writerows([code] for code in codes)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{survey.key}-{survey.period}-codes.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The codes exist in clear only in this answer: no cache may keep a copy.
    response["Cache-Control"] = "no-store"
    return response
