"""Answering a survey through its public link: no account, the respondent's language, every
answer checked, one Response stored, and the abuse limits (hemma/surveys/answer_views.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from hemma.surveys import answering, counting, services
from hemma.surveys.models import Answer, Choice, InvitationCode, Question, Response, Survey
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

CLOSE = {"sv": "Stäng", "ar": "أغلق", "en": "Close"}


def texts(sv: str, ar: str, en: str) -> dict[str, str]:
    return {"sv": sv, "ar": ar, "en": en}


def make_survey(
    programme, *, period="2025", state="open", languages=("sv", "ar", "en"), extra_questions=0
):
    """The yearly survey in Swedish, Arabic and English: an interpreter question, a follow-up
    asked only to those who did not always get one, leisure services, a rating, a number and a
    short text."""
    survey = Survey.objects.create(
        programme=programme,
        key="invandrarenkat",
        period=period,
        title=texts("Enkät för invandrare", "استبيان للمهاجرين", "Survey of immigrants"),
        intro=texts("Välkommen.", "أهلاً وسهلاً.", "Welcome."),
        languages=list(languages),
        state=state,
    )
    interpreter = Question.objects.create(
        survey=survey,
        key="interpreter",
        kind=Question.Kind.SINGLE,
        text=texts("Fick du tolk?", "هل حصلت على مترجم؟", "Did you get an interpreter?"),
        required=True,
        position=1,
    )
    for position, (key, label) in enumerate(
        [
            ("always", texts("Ja, alltid", "نعم، دائماً", "Yes, always")),
            ("sometimes", texts("Ibland", "أحياناً", "Sometimes")),
            ("never", texts("Aldrig", "أبداً", "Never")),
        ]
    ):
        Choice.objects.create(question=interpreter, key=key, label=label, position=position)
    Question.objects.create(
        survey=survey,
        key="why-not",
        kind=Question.Kind.LONG_TEXT,
        text=texts("Varför inte?", "لماذا لا؟", "Why not?"),
        required=True,
        position=2,
        show_if_question="interpreter",
        show_if_choices=["sometimes", "never"],
        max_length=200,
    )
    leisure = Question.objects.create(
        survey=survey,
        key="leisure",
        kind=Question.Kind.MULTIPLE,
        text=texts("Vad har familjen använt?", "ماذا استخدمت العائلة؟", "What did the family use?"),
        position=3,
    )
    for position, key in enumerate(["library", "sports", "clubs"]):
        Choice.objects.create(
            question=leisure, key=key, label=texts(key, key + "-ar", key), position=position
        )
    Question.objects.create(
        survey=survey,
        key="counselling",
        kind=Question.Kind.RATING,
        text=texts("Rådgivning på ditt språk", "الإرشاد بلغتك", "Counselling in your language"),
        scale_min_label=texts("dålig", "سيئ", "poor"),
        scale_max_label=texts("utmärkt", "ممتاز", "excellent"),
        position=4,
    )
    Question.objects.create(
        survey=survey,
        key="years",
        kind=Question.Kind.NUMBER,
        text=texts("År i Finland", "سنوات في فنلندا", "Years in Finland"),
        number_min=Decimal(0),
        number_max=Decimal(80),
        position=5,
    )
    Question.objects.create(
        survey=survey,
        key="course",
        kind=Question.Kind.SHORT_TEXT,
        text=texts("Din kurs", "دورتك", "Your course"),
        max_length=50,
        position=6,
    )
    for index in range(extra_questions):
        Question.objects.create(
            survey=survey,
            key=f"extra-{index}",
            kind=Question.Kind.SINGLE if index % 2 else Question.Kind.SHORT_TEXT,
            text=texts(f"Fråga {index}", f"سؤال {index}", f"Question {index}"),
            position=10 + index,
        )
    return survey


def form_url(survey, language="sv", code=None) -> str:
    middle = f"{code}/" if code else ""
    return f"/s/{survey.public_token}/{middle}{language}/"


def thanks_url(survey, language="sv", code=None) -> str:
    return form_url(survey, language, code) + "thanks/"


def assert_anonymous(response) -> None:
    """What every answering page promises: no cookie, not cached, no referrer."""
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


GOOD = {
    "q-interpreter": "always",
    "q-leisure": ["library", "clubs"],
    "q-counselling": "4",
    "q-years": "3,5",
    "q-course": "Svenska 2",
}


@pytest.fixture(autouse=True)
def counted(monkeypatch):
    """survey_answered replaced by a recorder: (survey, municipality id, in a transaction)."""
    calls = []

    def record(survey, municipality_id):
        calls.append((survey.pk, municipality_id, connection.in_atomic_block))
        return 0

    monkeypatch.setattr(counting, "survey_answered", record)
    cache.clear()
    return calls


@pytest.fixture
def survey(programme_a):
    return make_survey(programme_a)


# -- the pages -------------------------------------------------------------------------------


def test_the_link_lists_the_languages_each_in_its_own_script(client, survey):
    response = client.get(f"/s/{survey.public_token}/")

    assert response.status_code == 200
    assert_anonymous(response)
    page = response.content.decode()
    assert '<html lang="sv" dir="ltr">' in page
    assert (
        f'<li lang="ar" dir="rtl">\n    <a href="{form_url(survey, "ar")}" hreflang="ar">' in page
    )
    assert "العربية" in page and "استبيان للمهاجرين" in page
    assert f'href="{form_url(survey, "en")}"' in page


@pytest.mark.parametrize(
    ("browser", "page_language", "heading"),
    [
        ("ar,en;q=0.5", "ar", "اختر لغتك"),
        ("en-GB,en;q=0.8", "en", "Choose your language"),
        # German is not among the survey's languages, Finnish not among them either here.
        ("de,fi;q=0.5", "sv", "Välj ditt språk"),
    ],
)
def test_the_link_speaks_the_browsers_language_where_the_survey_does(
    client, survey, browser, page_language, heading
):
    page = client.get(f"/s/{survey.public_token}/", HTTP_ACCEPT_LANGUAGE=browser)

    html = page.content.decode()
    assert f'<html lang="{page_language}"' in html
    assert heading in html


def test_a_municipality_link_leads_to_its_forms(client, survey):
    response = client.get(f"/s/{survey.public_token}/101/")

    assert response.status_code == 200
    assert f'href="{form_url(survey, "ar", "101")}"' in response.content.decode()
    assert "A-stad" in response.content.decode()


def test_a_survey_in_one_language_goes_straight_to_its_form(client, programme_a):
    survey = make_survey(programme_a, languages=("fi",))

    response = client.get(f"/s/{survey.public_token}/")

    assert response.status_code == 302
    assert response["Location"] == form_url(survey, "fi")
    assert_anonymous(response)


def test_the_form_in_arabic_is_right_to_left(client, survey):
    response = client.get(form_url(survey, "ar"))

    assert response.status_code == 200
    assert_anonymous(response)
    assert response["Content-Language"] == "ar"
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "هل حصلت على مترجم؟" in page
    assert "4 – " not in page  # only the ends of the scale have words
    assert "1 – سيئ" in page and "5 – ممتاز" in page
    assert 'method="post"' in page and "csrfmiddlewaretoken" not in page
    # The other languages are offered, each named in itself.
    assert (
        f'<a href="{form_url(survey, "sv")}" lang="sv" dir="ltr" hreflang="sv">svenska</a>' in page
    )


def test_the_form_asks_in_the_language_of_its_address_whatever_the_browser_says(client, survey):
    response = client.get(form_url(survey, "en"), HTTP_ACCEPT_LANGUAGE="fi")

    page = response.content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "Did you get an interpreter?" in page
    assert "(required)" in page
    assert "Send the answers" in page


def test_a_signed_in_user_gets_no_cookie_either(client_for, viewer, survey):
    client = client_for(viewer)

    for url in (f"/s/{survey.public_token}/", form_url(survey), form_url(survey, "ar")):
        assert_anonymous(client.get(url))
    response = client.post(form_url(survey), GOOD)
    assert response.status_code == 303
    assert_anonymous(response)


@pytest.mark.parametrize(
    "path",
    [
        "/s/no-such-token/",
        "/s/no-such-token/sv/",
        "/s/{token}/fa/",  # not one of the survey's languages
        "/s/{token}/201/",  # a municipality of another region
        "/s/{token}/999/sv/",
        "/s/{token}/sv/extra/",
        "/s/",
    ],
)
def test_what_does_not_exist_is_a_404_without_a_cookie(client, survey, path):
    # With no survey language to speak, the page speaks the browser's.
    response = client.get(path.format(token=survey.public_token), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert_anonymous(response)
    # In Swedish where the address says so; else in the browser's language.
    assert (
        "Det finns ingen enkät på den här adressen"
        if path.endswith("/sv/")
        else "There is no survey at this address"
    ) in response.content.decode()


def test_a_draft_does_not_exist(client, programme_a, counted):
    draft = make_survey(programme_a, state=Survey.State.DRAFT)

    for response in (
        client.get(f"/s/{draft.public_token}/"),
        client.get(form_url(draft)),
        client.post(form_url(draft), GOOD),
        client.get(thanks_url(draft)),
    ):
        assert response.status_code == 404
        assert_anonymous(response)
    assert not Response.objects.exists()
    assert counted == []


def test_a_closed_survey_says_so_and_takes_no_answer(client, programme_a, counted):
    closed = make_survey(programme_a, state=Survey.State.CLOSED)

    choose = client.get(f"/s/{closed.public_token}/", HTTP_ACCEPT_LANGUAGE="en")
    shown = client.get(form_url(closed, "en"))
    sent = client.post(form_url(closed, "en"), GOOD)

    assert choose.status_code == 410
    assert "This survey has closed" in choose.content.decode()
    for response in (shown, sent):
        assert response.status_code == 410
        assert_anonymous(response)
        assert "This survey has closed" in response.content.decode()
        assert "<form" not in response.content.decode()
    assert not Response.objects.exists()
    assert counted == []


def test_the_form_page_asks_as_many_queries_for_a_longer_survey(
    client, programme_a, django_assert_num_queries
):
    short = make_survey(programme_a)
    long = make_survey(programme_a, period="2026", extra_questions=12)

    # The survey, the municipality, the questions and their choices.
    with django_assert_num_queries(4) as short_queries:
        client.get(form_url(short, "sv", "101"))
    with django_assert_num_queries(len(short_queries.captured_queries)):
        client.get(form_url(long, "sv", "101"))


# -- sending ----------------------------------------------------------------------------------


def test_an_answer_is_stored_with_its_week_municipality_and_language(client, survey, counted):
    response = client.post(form_url(survey, "ar", "101"), GOOD)

    assert response.status_code == 303
    assert response["Location"] == thanks_url(survey, "ar", "101")
    assert_anonymous(response)
    stored = Response.objects.get()
    assert stored.survey == survey
    assert stored.municipality.code == "101"
    assert stored.language == "ar"
    assert stored.week.weekday() == 0
    assert datetime.date.today() - stored.week < datetime.timedelta(days=7)
    answers = {
        (a.question.key, a.choice.key if a.choice else None, a.number, a.text)
        for a in stored.answers.select_related("question", "choice")
    }
    assert answers == {
        ("interpreter", "always", None, ""),
        ("leisure", "library", None, ""),
        ("leisure", "clubs", None, ""),
        ("counselling", None, Decimal("4.00"), ""),
        ("years", None, Decimal("3.50"), ""),
        ("course", None, None, "Svenska 2"),
    }
    # Counted again in the same transaction, for the link's municipality.
    assert counted == [(survey.pk, stored.municipality_id, True)]


def test_the_common_link_stores_no_municipality(client, survey, counted):
    client.post(form_url(survey, "sv"), GOOD)

    assert Response.objects.get().municipality is None
    assert counted == [(survey.pk, None, True)]


def test_the_thanks_page_is_in_the_respondents_language(client, survey):
    response = client.get(thanks_url(survey, "ar", "101"))

    assert response.status_code == 200
    assert_anonymous(response)
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert "استبيان للمهاجرين" in response.content.decode()


def test_a_failed_count_stores_nothing(client, survey, monkeypatch):
    def broken(survey, municipality_id):
        raise RuntimeError("counting failed")

    monkeypatch.setattr(counting, "survey_answered", broken)

    with pytest.raises(RuntimeError):
        client.post(form_url(survey), GOOD)
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_the_form_needs_no_csrf_token(survey):
    client = Client(enforce_csrf_checks=True)

    response = client.post(form_url(survey), GOOD)

    assert response.status_code == 303
    assert_anonymous(response)


def errors_of(response) -> str:
    assert response.status_code == 200
    assert_anonymous(response)
    return response.content.decode()


def test_a_missing_required_answer_is_shown_beside_its_question_and_the_rest_is_kept(
    client, survey, counted
):
    sent = {**GOOD}
    del sent["q-interpreter"]

    page = errors_of(client.post(form_url(survey, "en"), sent))

    assert '<p class="field-error" id="q-interpreter-error">Answer this question.</p>' in page
    assert 'aria-describedby="q-interpreter-error"' in page
    assert '<a href="#q-interpreter-1">Did you get an interpreter?</a>' in page
    assert "<title>Error: Survey of immigrants</title>" in page
    # What was given is still there.
    assert 'id="q-leisure-1" name="q-leisure" value="library" checked' in page
    assert 'id="q-leisure-2" name="q-leisure" value="sports">' in page
    assert 'value="Svenska 2"' in page and 'value="3,5"' in page
    assert 'id="q-counselling-4" name="q-counselling" value="4" checked' in page
    assert not Response.objects.exists()
    assert counted == []


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("q-interpreter", "perhaps", "Choose one of the options."),
        ("q-interpreter", ["always", "never"], "Choose only one option."),
        ("q-leisure", ["library", "cinema"], "Choose one of the options."),
        ("q-counselling", "6", "Choose one of the options."),
        ("q-counselling", "0", "Choose one of the options."),
        ("q-years", "many", "Write a number, for example 12."),
        ("q-years", "81", "Write a number of at most 80."),
        ("q-years", "-1", "Write a number of at least 0."),
        ("q-years", "2.555", "Write the number with at most two decimals."),
        ("q-years", "NaN", "Write a number, for example 12."),
        ("q-course", "x" * 51, "The answer is too long: 51 characters, and at most 50 fit."),
    ],
)
def test_a_wrong_answer_is_refused_with_its_reason(client, survey, field, value, error):
    page = errors_of(client.post(form_url(survey, "en"), {**GOOD, field: value}))

    key = field.removeprefix("q-")
    assert f'<p class="field-error" id="q-{key}-error">{error}' in page
    assert not Response.objects.exists()


def test_a_text_too_long_is_given_back_whole_never_cut(client, survey):
    long_text = "ب" * 51

    page = errors_of(client.post(form_url(survey, "ar"), {**GOOD, "q-course": long_text}))

    assert f'value="{long_text}"' in page
    assert "maxlength" not in page


@pytest.mark.parametrize(
    ("written", "stored"),
    [("٣٫٥", Decimal("3.50")), ("12", Decimal("12.00")), ("1.50", Decimal("1.50"))],
)
def test_numbers_are_read_as_people_write_them(client, survey, written, stored):
    client.post(form_url(survey, "ar"), {**GOOD, "q-years": written})

    assert Answer.objects.get(question__key="years").number == stored


def test_a_question_not_asked_is_neither_required_nor_stored(client, survey):
    # "why-not" is asked only of those who did not always get an interpreter.
    response = client.post(form_url(survey), {**GOOD, "q-why-not": "x" * 500})

    assert response.status_code == 303
    assert not Answer.objects.filter(question__key="why-not").exists()


def test_a_question_asked_by_the_answer_before_it_is_required(client, survey):
    page = errors_of(client.post(form_url(survey, "en"), {**GOOD, "q-interpreter": "never"}))
    assert '<p class="field-error" id="q-why-not-error">Answer this question.</p>' in page
    assert (
        "Answer only if your answer to “Did you get an interpreter?” was: Sometimes / Never."
        in page
    )

    response = client.post(
        form_url(survey, "en"), {**GOOD, "q-interpreter": "never", "q-why-not": "None came"}
    )
    assert response.status_code == 303
    assert Answer.objects.get(question__key="why-not").text == "None came"


def test_the_skip_logic_is_marked_for_the_script(client, survey):
    page = client.get(form_url(survey)).content.decode()

    assert (
        'data-question="why-not" data-show-if="interpreter" data-show-values="sometimes never"'
        in page
    )
    assert "hemma/survey.js" in page


def test_optional_questions_may_be_left_empty(client, survey):
    response = client.post(form_url(survey), {"q-interpreter": "sometimes", "q-why-not": "-"})

    assert response.status_code == 303
    assert Answer.objects.count() == 2


# -- invitation codes -------------------------------------------------------------------------


@pytest.fixture
def invited(survey):
    survey.invitation_only = True
    survey.save()
    for code in ("K7QX-PM3A", "R2D2-C3PO"):
        InvitationCode.objects.create(survey=survey, code_hash=services.code_hash(code))
    return survey


def test_a_code_gives_one_answer_and_is_spent_apart_from_it(client, invited, counted):
    # Written as it is read out: in lower case, with a space for the dash.
    response = client.post(form_url(invited, "en"), {**GOOD, "code": " k7qx pm3a "})

    assert response.status_code == 303
    assert Response.objects.count() == 1
    spent = InvitationCode.objects.get(spent=True)
    assert spent.code_hash == services.code_hash("K7QX-PM3A")
    assert InvitationCode.objects.filter(spent=False).count() == 1

    again = client.post(form_url(invited, "en"), {**GOOD, "code": "K7QX-PM3A"})

    page = errors_of(again)
    assert "This invitation code is not valid or has already been used." in page
    assert 'value="K7QX-PM3A"' in page
    assert Response.objects.count() == 1
    assert len(counted) == 1


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("", "Write the invitation code you were given."),
        ("WRONG-CODE", "This invitation code is not valid"),
        ("K" * 65, "This invitation code is not valid"),
    ],
)
def test_a_missing_or_wrong_code_is_refused(client, invited, code, error):
    page = errors_of(client.post(form_url(invited, "en"), {**GOOD, "code": code}))

    assert f'<p class="field-error" id="answer-code-error">{error}' in page
    assert '<a href="#answer-code">Invitation code</a>' in page
    assert not Response.objects.exists()
    assert not InvitationCode.objects.filter(spent=True).exists()


def test_a_code_of_another_survey_is_refused(client, invited, programme_a):
    other = make_survey(programme_a, period="2026")
    other.invitation_only = True
    other.save()

    page = errors_of(client.post(form_url(other, "en"), {**GOOD, "code": "K7QX-PM3A"}))

    assert "This invitation code is not valid" in page
    assert not InvitationCode.objects.filter(spent=True).exists()


def test_a_code_is_not_spent_by_an_answer_with_errors(client, invited):
    errors_of(client.post(form_url(invited, "en"), {"code": "K7QX-PM3A"}))

    assert not InvitationCode.objects.filter(spent=True).exists()


def test_the_code_field_is_only_on_surveys_that_take_codes(client, survey, invited):
    assert 'name="code"' in client.get(form_url(invited)).content.decode()
    invited.invitation_only = False
    invited.save()
    assert 'name="code"' not in client.get(form_url(invited)).content.decode()


# -- abuse ------------------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people(client, survey):
    page = client.get(form_url(survey, "en")).content.decode()

    assert '<div class="answer-honeypot" aria-hidden="true">' in page
    assert "Leave this field empty" in page
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in page


def test_a_filled_honeypot_is_thanked_and_forgotten(client, survey, counted):
    response = client.post(form_url(survey), {**GOOD, "website": "http://spam.example"})

    assert response.status_code == 303
    assert response["Location"] == thanks_url(survey)
    assert_anonymous(response)
    assert not Response.objects.exists()
    assert counted == []


def test_too_many_answers_from_one_address_get_429_and_keep_the_rest(
    client, survey, settings, counted
):
    settings.HEMMA_SURVEY_RATE = "3/600"
    for _ in range(3):
        assert client.post(form_url(survey), GOOD, REMOTE_ADDR="198.51.100.7").status_code == 303

    response = client.post(form_url(survey, "ar"), GOOD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert_anonymous(response)
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert 'value="Svenska 2"' in page  # the answers are kept, to send again later
    assert Response.objects.count() == 3
    assert len(counted) == 3
    # Another address, and another survey, are counted apart.
    assert client.post(form_url(survey), GOOD, REMOTE_ADDR="198.51.100.8").status_code == 303
    assert Response.objects.count() == 4


def test_the_rate_limit_holds_no_address(survey, settings):
    settings.HEMMA_SURVEY_RATE = "1/600"
    answering.rate_count(survey, "198.51.100.7")

    assert answering.rate_exceeded(survey, "198.51.100.7")
    assert not answering.rate_exceeded(survey, "198.51.100.70")
    keys = list(cache._cache)  # the local memory cache of the tests
    assert keys
    assert not any("198.51.100" in key for key in keys)


def test_answers_with_errors_do_not_count_toward_the_rate(client, survey, settings):
    settings.HEMMA_SURVEY_RATE = "1/600"
    for _ in range(3):
        errors_of(client.post(form_url(survey), {**GOOD, "q-years": "many"}))

    assert client.post(form_url(survey), GOOD).status_code == 303


def test_a_post_larger_than_any_answer_is_refused_before_it_is_read(client, survey, counted):
    body = "q-interpreter=always&q-course=" + "x" * 200_000

    response = client.post(
        form_url(survey, "ar"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413
    assert_anonymous(response)
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert not Response.objects.exists()
    assert counted == []


def test_a_long_text_answer_at_its_longest_is_not_too_large(client, survey):
    survey.questions.filter(key="why-not").update(max_length=20_000)
    sent = {**GOOD, "q-interpreter": "never", "q-why-not": "𝄞" * 20_000}

    response = client.post(form_url(survey), sent)

    assert response.status_code == 303
    assert len(Answer.objects.get(question__key="why-not").text) == 20_000


def test_more_fields_than_the_survey_has_are_refused(client, survey):
    sent = {**GOOD, **{f"x{index}": "1" for index in range(20)}}

    response = client.post(form_url(survey), sent)

    assert response.status_code == 413
    assert_anonymous(response)
    assert not Response.objects.exists()


# -- reading answers, alone -------------------------------------------------------------------


def test_the_week_is_its_monday():
    assert answering.week_of(datetime.date(2025, 3, 12)) == datetime.date(2025, 3, 10)
    assert answering.week_of(datetime.date(2025, 3, 10)) == datetime.date(2025, 3, 10)
    assert answering.week_of(datetime.date(2025, 3, 16)) == datetime.date(2025, 3, 10)


def test_a_condition_on_a_later_question_is_ignored(survey):
    questions = list(survey.questions.prefetch_related("choices"))
    first = questions[0]
    first.show_if_question = "leisure"
    first.show_if_choices = ["library"]

    reading = answering.answers_read(questions=questions, data={})

    assert reading.errors == {"interpreter": "Answer this question."}


def test_a_question_depending_on_one_not_asked_is_not_asked(survey):
    Question.objects.filter(key="course").update(
        show_if_question="why-not", show_if_choices=["anything"]
    )
    questions = list(survey.questions.prefetch_related("choices"))

    reading = answering.answers_read(
        questions=questions,
        data={"q-interpreter": ["always"], "q-why-not": ["anything"], "q-course": ["x" * 99]},
    )

    assert reading.errors == {}
    assert set(reading.answers) == {"interpreter"}


def test_answers_of_other_questions_are_not_read(survey):
    questions = list(survey.questions.prefetch_related("choices"))

    reading = answering.answers_read(
        questions=questions, data={"q-interpreter": ["always"], "q-nothing": ["x"]}
    )

    assert set(reading.answers) == {"interpreter"}


def test_a_survey_of_another_programme_keeps_its_municipalities(client, programme_b):
    survey = make_survey(programme_b)
    f.MunicipalityFactory(code="301", region=programme_b.region)

    assert client.get(form_url(survey, "sv", "201")).status_code == 200
    assert client.get(form_url(survey, "sv", "301")).status_code == 404
    assert client.get(form_url(survey, "sv", "101")).status_code == 404
