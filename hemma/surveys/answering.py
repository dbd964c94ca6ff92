"""Answering a survey: reading a respondent's answers, and storing them anonymously.

`answers_read` checks every answer a form sent against its question (a choice among the
question's own, a rating on its scale, a number in its range, a text no longer than its
`max_length`: refused when longer, never cut) and applies the skip logic: a question whose
"show if" is not met is not asked, and whatever was sent for it is dropped. `response_store`
keeps what was read as one `Response` with its `Answer`s, spends the invitation code if the
survey takes codes, and counts the survey's indicators again, all in one transaction.

Nothing of the request reaches these functions: the answer keeps the survey, the municipality
of the link, the language and the Monday of the week (hemma/surveys/models.py). No audit row
is written either: it would keep the exact time of the answer.

The rate limit (`rate_exceeded`, `rate_count`) counts accepted answers per address in the
cache only, under a keyed hash of the address, so that not even the cache holds an address.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hemma.organisations.models import Municipality
from hemma.surveys import counting
from hemma.surveys.models import Answer, Choice, InvitationCode, Question, Response, Survey
from hemma.surveys.services import code_hash

REQUIRED = _("Answer this question.")
BAD_CHOICE = _("Choose one of the options.")
ONE_CHOICE = _("Choose only one option.")
NOT_A_NUMBER = _("Write a number, for example 12.")
TOO_PRECISE = _("Write the number with at most two decimals.")
BELOW = _("Write a number of at least %(min)s.")
ABOVE = _("Write a number of at most %(max)s.")
TOO_LONG = _(
    "The answer is too long: %(length)d characters, and at most %(max)d fit. Shorten it and "
    "send again."
)
CODE_MISSING = _("Write the invitation code you were given.")
CODE_REFUSED = _(
    "This invitation code is not valid or has already been used. Check the code and try again."
)

# The longest code and the longest choice key looked at: anything longer is refused unread.
CODE_MAX_LENGTH = 64
_KEY_MAX_LENGTH = 80
# A stored number: 12 digits, two of them decimals (Answer.number).
_NUMBER_LIMIT = Decimal(10) ** 10
# What a respondent may write for a decimal point, and digits in other scripts: Decimal reads
# Arabic-Indic and Persian digits itself.
_DECIMAL_POINTS = str.maketrans({",": ".", "\u066b": "."})
_SPACES = str.maketrans("", "", " \u00a0\u202f\u066c")


def field_name(question: Question) -> str:
    """The name of the question's field in the answer form."""
    return f"q-{question.key}"


@dataclass
class Given:
    """What a respondent answered to one question: its chosen choices, a number (a rating or
    a number) or a text."""

    question: Question
    choices: list[Choice] = field(default_factory=list)
    number: Decimal | None = None
    text: str = ""


@dataclass
class Reading:
    """A form's answers, read: those to store (`answers`, by question key), the errors to show
    beside their questions (by question key), and what the form sent, to show it again."""

    answers: dict[str, Given]
    errors: dict[str, str]
    sent: dict[str, list[str]]


def _values(question: Question, data: Mapping[str, Sequence[str]]) -> list[str]:
    return [value.strip() for value in data.get(field_name(question), []) if value.strip()]


def _read_number(raw: str, question: Question) -> tuple[Decimal | None, str]:
    try:
        number = Decimal(raw.translate(_SPACES).translate(_DECIMAL_POINTS))
    except InvalidOperation:
        return None, str(NOT_A_NUMBER)
    if not number.is_finite() or abs(number) >= _NUMBER_LIMIT:
        return None, str(NOT_A_NUMBER)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and number != number.quantize(Decimal("0.01")):
        return None, str(TOO_PRECISE)
    if question.number_min is not None and number < question.number_min:
        return None, str(BELOW) % {"min": _plain_number(question.number_min)}
    if question.number_max is not None and number > question.number_max:
        return None, str(ABOVE) % {"max": _plain_number(question.number_max)}
    return number.quantize(Decimal("0.01")), ""


def _plain_number(number: Decimal) -> str:
    """A limit as a person would write it: 3, not 3.00."""
    return f"{number.normalize():f}"


def _read_one(question: Question, values: list[str]) -> tuple[Given | None, str]:
    """The answer to one asked question, or the error to show beside it."""
    kind = question.kind
    if not values:
        return None, str(REQUIRED) if question.required else ""
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if kind == Question.Kind.SINGLE and len(values) > 1:
            return None, str(ONE_CHOICE)
        by_key = {choice.key: choice for choice in question.choices.all()}
        if any(len(value) > _KEY_MAX_LENGTH or value not in by_key for value in values):
            return None, str(BAD_CHOICE)
        chosen = [by_key[key] for key in dict.fromkeys(values)]
        return Given(question, choices=chosen), ""
    if len(values) > 1:
        return None, str(ONE_CHOICE if kind == Question.Kind.RATING else NOT_A_NUMBER)
    raw = values[0]
    if kind == Question.Kind.RATING:
        scale = {str(point) for point in range(question.scale_min, question.scale_max + 1)}
        if raw not in scale:
            return None, str(BAD_CHOICE)
        return Given(question, number=Decimal(raw)), ""
    if kind == Question.Kind.NUMBER:
        number, error = _read_number(raw, question)
        return (Given(question, number=number), "") if number is not None else (None, error)
    if len(raw) > question.max_length:
        return None, str(TOO_LONG) % {"length": len(raw), "max": question.max_length}
    return Given(question, text=raw), ""


def asked(question: Question, given: Mapping[str, set[str]], shown: Mapping[str, bool]) -> bool:
    """Whether the question is asked: it has no "show if", or the question it depends on was
    asked and answered with one of its `show_if_choices` (`given`: the keys or values sent for
    each earlier question; `shown`: whether each earlier question was asked). A condition on
    a question not before it cannot be met in order, so it is ignored."""
    parent = question.show_if_question
    if not parent or parent not in shown:
        return True
    return shown[parent] and bool(given.get(parent, set()) & set(question.show_if_choices))


def answers_read(*, questions: Sequence[Question], data: Mapping[str, Sequence[str]]) -> Reading:
    """Read a form's answers to `questions` (in the survey's order, with their choices
    prefetched); `data` maps a field name to the values sent (a QueryDict's `lists()`)."""
    answers: dict[str, Given] = {}
    errors: dict[str, str] = {}
    sent: dict[str, list[str]] = {}
    given: dict[str, set[str]] = {}
    shown: dict[str, bool] = {}
    for question in questions:
        values = _values(question, data)
        sent[question.key] = values
        shown[question.key] = asked(question, given, shown)
        given[question.key] = set(values)
        if not shown[question.key]:
            continue
        answer, error = _read_one(question, values)
        if error:
            errors[question.key] = error
        elif answer is not None:
            answers[question.key] = answer
    return Reading(answers=answers, errors=errors, sent=sent)


# -- storing -----------------------------------------------------------------------------------


class CodeRefused(Exception):
    """The invitation code is missing, unknown, of another survey or already spent."""

    def __init__(self, message: Promise) -> None:
        super().__init__(str(message))
        self.message = message


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the week of `day`: all that is kept of when an answer was sent."""
    return day - datetime.timedelta(days=day.weekday())


def _spend_code(survey: Survey, code: str) -> None:
    code = code.strip()
    if not code:
        raise CodeRefused(CODE_MISSING)
    if len(code) > CODE_MAX_LENGTH:
        raise CodeRefused(CODE_REFUSED)
    # Locked until the transaction ends: two answers sent at once with the same code cannot
    # both find it unspent.
    found = (
        InvitationCode.objects.select_for_update()
        .filter(survey=survey, code_hash=code_hash(code), spent=False)
        .first()
    )
    if found is None:
        raise CodeRefused(CODE_REFUSED)
    InvitationCode.objects.filter(pk=found.pk).update(spent=True)


@transaction.atomic
def response_store(
    *,
    survey: Survey,
    municipality: Municipality | None,
    language: str,
    answers: Sequence[Given],
    code: str = "",
) -> Response:
    """Store one respondent's answers (read by `answers_read`), spend their invitation code
    where the survey asks for one (CodeRefused if it cannot be spent: nothing is stored), and
    count the survey's indicators again. The code is not linked to the answer in any way."""
    if survey.invitation_only:
        _spend_code(survey, code)
    response = Response.objects.create(
        survey=survey,
        municipality=municipality,
        language=language,
        week=week_of(timezone.localdate()),
    )
    rows: list[Answer] = []
    for given in answers:
        if given.choices:
            rows.extend(
                Answer(response=response, question=given.question, choice=choice)
                for choice in given.choices
            )
        else:
            rows.append(
                Answer(
                    response=response,
                    question=given.question,
                    number=given.number,
                    text=given.text,
                )
            )
    Answer.objects.bulk_create(rows)
    counting.survey_answered(survey, municipality.pk if municipality else None)
    return response


# -- the rate limit ----------------------------------------------------------------------------


def _rate() -> tuple[int, int]:
    """settings.HEMMA_SURVEY_RATE, "answers/seconds": how many answers one address may send
    to one survey in how long."""
    answers, seconds = getattr(settings, "HEMMA_SURVEY_RATE", "10/600").split("/")
    return int(answers), int(seconds)


def _rate_key(survey: Survey, address: str) -> str:
    # Keyed with SECRET_KEY: the cache holds no address, and none can be found by hashing
    # every address there is.
    digest = salted_hmac("hemma.surveys.answering.rate", address).hexdigest()
    return f"hemma:survey-rate:{survey.pk}:{digest}"


def rate_exceeded(survey: Survey, address: str) -> bool:
    """Whether `address` has sent as many answers to the survey as the rate allows."""
    answers, _seconds = _rate()
    return (cache.get(_rate_key(survey, address)) or 0) >= answers


def rate_window_minutes() -> int:
    """How long the rate's window is, in whole minutes (for the page that asks to wait)."""
    _answers, seconds = _rate()
    return max(1, -(-seconds // 60))


def rate_count(survey: Survey, address: str) -> None:
    """Count one answer from `address`; the count is forgotten when its window ends."""
    _answers, seconds = _rate()
    key = _rate_key(survey, address)
    cache.add(key, 0, timeout=seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=seconds)
