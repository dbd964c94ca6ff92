"""Answering a survey: the public pages at /s/<token>/… (answer_urls.py), no account needed.

The pages are anonymous by construction. They set no cookie (no form of theirs carries a
CSRF token, nothing reads or writes the session), store nothing of the request (the address
is used only, hashed, as a key of the rate limit in the cache: hemma/surveys/answering.py),
are never cached (`Cache-Control: no-store`) and send no referrer, so that a link's token
does not leak to another site. Each page is in the respondent's language, the one in its
address, whatever the browser or a staff member's cookie says. See docs/surveys.md.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from hemma.lib.languages import ANSWERING_LANGUAGES, direction, local_name
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.surveys import answering
from hemma.surveys.models import Question, Survey

HONEYPOT = "website"
CODE = "code"

# A survey's answers are small: a POST larger than this, plus room for every text answer at
# its longest, is refused before it is read (settings.DATA_UPLOAD_MAX_MEMORY_SIZE is sized for
# uploads of programmes, not for answers).
DEFAULT_MAX_BYTES = 64 * 1024
# The most bytes one character of a text answer takes in a form: 4 in UTF-8, each sent as %XX.
_BYTES_PER_CHARACTER = 12
_TEXTS = (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)


def _anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The headers of every answering page, and its own 404: Hemma's would be the staff page,
    whose language form sets a CSRF cookie."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            language = kwargs.get("language", "")
            # The address's language if the page's words are in it, else the browser's.
            known = language in ANSWERING_LANGUAGES
            with translation.override(language if known else translation.get_language()):
                response = _render(request, "surveys/answer_not_found.html", {}, status=404)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    # LocaleMiddleware would name the browser's language, not the page's.
    response["Content-Language"] = translation.get_language()
    return response


def _survey(token: str, municipality_code: str | None) -> tuple[Survey, Municipality | None]:
    """The survey of a link and the municipality it names; a draft does not exist (404), nor
    does a municipality its programme does not cover."""
    survey = Survey.objects.filter(public_token=token).exclude(state=Survey.State.DRAFT).first()
    if survey is None:
        raise Http404
    if municipality_code is None:
        return survey, None
    municipality = Municipality.objects.filter(
        code=municipality_code, programmes=survey.programme_id
    ).first()
    if municipality is None:
        raise Http404
    return survey, municipality


def _language_links(survey: Survey, municipality: Municipality | None) -> list[dict]:
    return [
        {
            "code": code,
            "name": local_name(code),
            "dir": direction(code),
            "title": pick(survey.title, code),
            "url": _address("answer:form", survey, municipality, code),
        }
        for code in survey.languages
    ]


def _address(name: str, survey: Survey, municipality: Municipality | None, language: str) -> str:
    kwargs = {"token": survey.public_token, "language": language}
    if municipality is not None:
        return reverse(f"{name}-municipality", kwargs={**kwargs, "code": municipality.code})
    return reverse(name, kwargs=kwargs)


@_anonymous
@require_GET
def choose(request: HttpRequest, token: str, code: str | None = None) -> HttpResponse:
    """The link itself: the survey's languages, each named in itself, to answer in."""
    survey, municipality = _survey(token, code)
    if len(survey.languages) == 1:
        return redirect(_address("answer:form", survey, municipality, survey.languages[0]))
    closed = survey.state == Survey.State.CLOSED
    with translation.override(_browser_language(request, survey)):
        return _render(
            request,
            "surveys/answer_choose.html",
            {
                "survey": survey,
                "municipality": municipality,
                "languages": _language_links(survey, municipality),
                "closed": closed,
            },
            status=410 if closed else 200,
        )


def _browser_language(request: HttpRequest, survey: Survey) -> str:
    """The first of the browser's languages that the survey is in and this page's own words
    are translated into; else the survey's source language. (Django's own choice would look
    only among the staff languages.)"""
    offered = [code for code in survey.languages if code in ANSWERING_LANGUAGES]
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in offered:
            return base
    return survey.source_language


def _questions(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("choices"))


def _body_limit(questions: list[Question]) -> int:
    room = sum(q.max_length for q in questions if q.kind in _TEXTS) * _BYTES_PER_CHARACTER
    return getattr(settings, "HEMMA_SURVEY_MAX_BYTES", DEFAULT_MAX_BYTES) + room


def _length(request: HttpRequest) -> int:
    """The body's declared length; none or a wrong one is read as Django reads it: empty."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _fields_limit(questions: list[Question]) -> int:
    """The most values a form of these questions sends: each choice of a multiple choice, one
    for every other question, the code and the honeypot."""
    return 2 + sum(
        len(q.choices.all()) if q.kind == Question.Kind.MULTIPLE else 1 for q in questions
    )


def _address_of(request: HttpRequest) -> str:
    """The address the rate limit counts by; behind a proxy, the proxy must pass the client's
    address as REMOTE_ADDR (docs/surveys.md)."""
    return request.META.get("REMOTE_ADDR", "")


# No CSRF check, and so no CSRF cookie: the form changes nothing of anyone's (there is no
# session or account to act for), and a cookie is what these pages promise not to set. A
# forged post could only send an answer, which anyone may do with the link.
@csrf_exempt
@_anonymous
@require_http_methods(["GET", "POST"])
def form(request: HttpRequest, token: str, language: str, code: str | None = None) -> HttpResponse:
    """The survey in the respondent's language; sending it stores one answer and leads to the
    thanks (303: a reload does not send it twice)."""
    survey, municipality = _survey(token, code)
    if language not in survey.languages:
        raise Http404
    with translation.override(language):
        if survey.state == Survey.State.CLOSED:
            return _render(request, "surveys/answer_closed.html", {"survey": survey}, status=410)
        questions = _questions(survey)
        context = {
            "survey": survey,
            "municipality": municipality,
            "language": language,
            "others": [
                link for link in _language_links(survey, municipality) if link["code"] != language
            ],
        }
        if request.method != "POST":
            return _form_page(request, context, questions, answering.Reading({}, {}, {}))
        return _answer(request, context, questions)


def _answer(request: HttpRequest, context: dict, questions: list[Question]) -> HttpResponse:
    survey, municipality = context["survey"], context["municipality"]
    thanks = _address("answer:thanks", survey, municipality, context["language"])
    if _length(request) > _body_limit(questions):
        return _render(request, "surveys/answer_too_large.html", context, status=413)
    try:
        sent = request.POST
    except TooManyFieldsSent:
        return _render(request, "surveys/answer_too_large.html", context, status=413)
    if sum(len(values) for _name, values in sent.lists()) > _fields_limit(questions):
        return _render(request, "surveys/answer_too_large.html", context, status=413)
    address = _address_of(request)
    if sent.get(HONEYPOT):
        # A robot filled the field people do not see: it is told its answer was taken.
        answering.rate_count(survey, address)
        return _see_other(thanks)
    reading = answering.answers_read(questions=questions, data=dict(sent.lists()))
    context["code_value"] = sent.get(CODE, "")[: answering.CODE_MAX_LENGTH]
    if answering.rate_exceeded(survey, address):
        # The form again, as it was filled in, to send once the window has passed.
        context["too_many_minutes"] = answering.rate_window_minutes()
        return _form_page(request, context, questions, reading, status=429)
    if not reading.errors:
        try:
            answering.response_store(
                survey=survey,
                municipality=municipality,
                language=context["language"],
                answers=list(reading.answers.values()),
                code=sent.get(CODE, ""),
            )
        except answering.CodeRefused as refused:
            context["code_error"] = str(refused.message)
        else:
            answering.rate_count(survey, address)
            return _see_other(thanks)
    return _form_page(request, context, questions, reading)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _form_page(
    request: HttpRequest,
    context: dict,
    questions: list[Question],
    reading: answering.Reading,
    status: int = 200,
) -> HttpResponse:
    items = _items(questions, reading, context["language"])
    errors = [item for item in items if item["error"]]
    if context.get("code_error"):
        code = {
            "anchor": "answer-code",
            "text": _("Invitation code"),
            "error": context["code_error"],
        }
        errors.insert(0, code)
    return _render(
        request,
        "surveys/answer_form.html",
        {
            **context,
            "items": items,
            "errors": errors,
            "honeypot": HONEYPOT,
            "code_name": CODE,
        },
        status=status,
    )


def _items(questions: list[Question], reading: answering.Reading, language: str) -> list[dict]:
    """Each question as the form shows it: its texts in `language`, its options with those
    sent checked, what was sent, its error and its "show if"."""
    by_key = {question.key: question for question in questions}
    order = {question.key: index for index, question in enumerate(questions)}
    items = []
    for question in questions:
        sent = reading.sent.get(question.key, [])
        options = _options(question, language, sent)
        item_id = f"q-{question.key}"
        item = {
            "question": question,
            "id": item_id,
            "anchor": options[0]["id"] if options else item_id,
            "name": answering.field_name(question),
            "text": pick(question.text, language),
            "help": pick(question.help, language),
            "options": options,
            "scale": question.kind == Question.Kind.RATING,
            "value": sent[0] if sent and not options else "",
            "error": reading.errors.get(question.key, ""),
            "long": question.kind == Question.Kind.LONG_TEXT,
            "number": question.kind == Question.Kind.NUMBER,
            "max_length": question.max_length if question.kind in _TEXTS else None,
            "condition": _condition(question, by_key, order, language),
        }
        described = [
            f"{item_id}-{part}"
            for part, shown in (
                ("help", item["help"]),
                ("note", item["condition"]),
                ("length", item["max_length"]),
                ("error", item["error"]),
            )
            if shown
        ]
        item["described_by"] = " ".join(described)
        items.append(item)
    return items


def _options(question: Question, language: str, sent: list[str]) -> list[dict]:
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        pairs = [(choice.key, pick(choice.label, language)) for choice in question.choices.all()]
    elif kind == Question.Kind.RATING:
        low, high = question.scale_min, question.scale_max
        words = {
            low: pick(question.scale_min_label, language),
            high: pick(question.scale_max_label, language),
        }
        pairs = [
            (str(point), f"{point} – {words[point]}" if words.get(point) else str(point))
            for point in range(low, high + 1)
        ]
    else:
        return []
    input_type = "checkbox" if kind == Question.Kind.MULTIPLE else "radio"
    return [
        {
            "value": value,
            "label": label,
            "id": f"q-{question.key}-{index}",
            "type": input_type,
            "checked": value in sent,
        }
        for index, (value, label) in enumerate(pairs, start=1)
    ]


def _condition(
    question: Question, by_key: dict[str, Question], order: dict[str, int], language: str
) -> dict | None:
    """A question's "show if", for the note beside it and for survey.js."""
    parent = by_key.get(question.show_if_question)
    if parent is None or order[parent.key] > order[question.key]:
        return None
    labels = {choice.key: pick(choice.label, language) for choice in parent.choices.all()}
    return {
        "key": parent.key,
        "question": pick(parent.text, language),
        "values": " ".join(question.show_if_choices),
        "labels": [labels.get(key, key) for key in question.show_if_choices],
    }


@_anonymous
@require_GET
def thanks(
    request: HttpRequest, token: str, language: str, code: str | None = None
) -> HttpResponse:
    survey, _municipality = _survey(token, code)
    if language not in survey.languages:
        raise Http404
    with translation.override(language):
        return _render(request, "surveys/answer_thanks.html", {"survey": survey})


@_anonymous
def not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under /s/: this 404 sets no cookie (see `_anonymous`)."""
    raise Http404
