"""The builder's pages: the programme's surveys, a survey's page, its questions, choices,
translations, preview and invitation codes, and who may use them."""

import csv
import datetime
import hashlib
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hemma.surveys import services, texts
from hemma.surveys.models import Choice, InvitationCode, Question, Response, Survey
from hemma.surveys.tests import factories as sf

pytestmark = pytest.mark.django_db


def url(name: str, survey: Survey | None = None, *args, programme=None) -> str:
    if survey is None:
        return reverse(f"surveys:{name}", args=[programme.slug, *args])
    return reverse(
        f"surveys:{name}", args=[survey.programme.slug, survey.key, survey.period, *args]
    )


def question_form(**values) -> dict:
    return {
        "text_sv": "Hur många barn har du?",
        "kind": "number",
        "scale_min": "1",
        "scale_max": "5",
        "max_length": "1000",
        **values,
    }


# -- the programme's surveys -----------------------------------------------------------------


def test_the_programme_links_to_its_surveys(client_for, viewer, programme_a):
    page = client_for(viewer).get(reverse("programmes:detail", args=[programme_a.slug]))
    assert url("list", programme=programme_a) in page.content.decode()


def test_the_list_shows_the_surveys_and_the_forms_to_the_builder(
    client_for, coordinator_region, survey_a
):
    page = client_for(coordinator_region).get(url("list", programme=survey_a.programme))
    html = page.content.decode()
    assert page.status_code == 200
    assert url("detail", survey_a) in html
    assert url("create", programme=survey_a.programme) in html
    assert url("copy", programme=survey_a.programme) in html
    # Last year's survey is offered for next year.
    assert 'name="period" value="2026"' in html


@pytest.mark.parametrize("user", ["viewer", "coordinator_a"])
def test_readers_see_the_list_without_forms(client_for, request, survey_a, user):
    page = client_for(request.getfixturevalue(user)).get(url("list", programme=survey_a.programme))
    html = page.content.decode()
    assert page.status_code == 200
    assert url("detail", survey_a) in html
    assert url("create", programme=survey_a.programme) not in html


def test_a_survey_is_made_from_the_list(client_for, coordinator_region, programme_a):
    response = client_for(coordinator_region).post(
        url("create", programme=programme_a),
        {
            "title": "Enkät",
            "key": "invandrarenkat",
            "period": "2025",
            "source_language": "sv",
            "languages": ["sv", "fi", "ar"],
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", survey)
    assert survey.languages == ["sv", "fi", "ar"]
    assert survey.title == {"sv": "Enkät"}


def test_a_refused_survey_shows_why(client_for, coordinator_region, survey_a):
    response = client_for(coordinator_region).post(
        url("create", programme=survey_a.programme),
        {
            "title": "Enkät",
            "key": survey_a.key,
            "period": survey_a.period,
            "source_language": "sv",
            "languages": ["sv"],
        },
    )
    assert response.status_code == 200
    assert "There is already a survey" in response.content.decode()
    assert Survey.objects.count() == 1


def test_last_years_survey_is_copied(client_for, coordinator_region, survey_a):
    response = client_for(coordinator_region).post(
        url("copy", programme=survey_a.programme), {"survey": survey_a.pk, "period": "2026"}
    )
    copy = Survey.objects.get(period="2026")
    assert response["Location"] == url("detail", copy)
    assert copy.previous == survey_a
    assert copy.questions.count() == 3


# -- the survey's page -----------------------------------------------------------------------


def test_the_survey_page_shows_questions_links_and_languages(
    client_for, coordinator_region, survey_a
):
    page = client_for(coordinator_region).get(url("detail", survey_a))
    html = page.content.decode()
    assert page.status_code == 200
    for key in ("tolkning", "nojd", "varfor"):
        assert f'id="question-{key}"' in html
    assert "Rating scale" in html
    assert "“tolkning” is answered nej" in html
    assert f"http://testserver/s/{survey_a.public_token}/" in html
    assert f"http://testserver/s/{survey_a.public_token}/101/" in html
    assert f"http://testserver/s/{survey_a.public_token}/102/" in html
    assert "Every text is written in every language." in html
    assert url("open", survey_a) in html
    assert url("translate", survey_a, "ar") in html


def test_missing_and_outdated_texts_are_flagged_and_listed(
    client_for, coordinator_region, survey_a
):
    choice = Choice.objects.get(question__survey=survey_a, key="ja")
    choice.label = {**choice.label, "ar": ""}
    choice.save()
    question = survey_a.questions.get(key="nojd")
    question.text = {**question.text, "sv": "Hur nöjd är du med tolkningen?"}
    question.save()

    html = client_for(coordinator_region).get(url("detail", survey_a)).content.decode()

    assert "Choice “ja” of question “tolkning”: missing in Arabic." in html
    assert "Question “nojd”: outdated in Finnish (the source text changed)." in html
    assert "4 texts keep the survey from opening" in html
    assert f"{url('translate', survey_a, 'ar')}#choice-tolkning-ja" in html
    # Per language: Arabic has one missing and one outdated text.
    arabic_row = re.search(r"<tr>\s*<th scope=\"row\">Arabic.*?</tr>", html, re.S).group(0)
    assert "1 missing" in arabic_row and "1 outdated" in arabic_row


@pytest.mark.parametrize("user", ["viewer", "coordinator_a"])
def test_readers_see_the_survey_without_buttons(client_for, request, survey_a, user):
    page = client_for(request.getfixturevalue(user)).get(url("detail", survey_a))
    html = page.content.decode()
    assert page.status_code == 200
    assert "tolkning" in html
    assert url("open", survey_a) not in html
    assert url("question_add", survey_a) not in html
    assert url("preview", survey_a) in html


def test_the_survey_page_reads_in_the_same_queries_however_many_questions(
    client_for, coordinator_region, survey_a, programme_a
):
    client = client_for(coordinator_region)

    def queries(survey) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("detail", survey)).status_code == 200
        return len(captured)

    small = queries(survey_a)
    big = sf.SurveyFactory(programme=programme_a, key="stor", period="2025")
    for n in range(12):
        question = sf.QuestionFactory(survey=big, key=f"q{n}", position=n)
        for m in range(4):
            sf.ChoiceFactory(question=question, key=f"c{m}", position=m)
    assert queries(big) == small


# -- open and close --------------------------------------------------------------------------


def test_opening_lists_what_keeps_it_closed(client_for, coordinator_region, survey_a):
    question = survey_a.questions.get(key="varfor")
    question.help = {"sv": "Berätta gärna."}
    question.save()

    page = client_for(coordinator_region).post(url("open", survey_a))

    html = page.content.decode()
    assert page.status_code == 200
    assert "The survey cannot open yet" in html
    assert "Question “varfor”: missing in Arabic." in html
    assert Survey.objects.get().state == Survey.State.DRAFT


def test_a_ready_survey_opens_and_closes_from_its_page(client_for, coordinator_region, survey_a):
    client = client_for(coordinator_region)
    assert client.post(url("open", survey_a))["Location"] == url("detail", survey_a)
    assert Survey.objects.get().state == Survey.State.OPEN
    page = client.get(url("detail", survey_a)).content.decode()
    assert url("close", survey_a) in page
    client.post(url("close", survey_a))
    assert Survey.objects.get().state == Survey.State.CLOSED


# -- editing the survey ----------------------------------------------------------------------


def test_the_survey_form_has_a_labelled_field_per_language(
    client_for, coordinator_region, survey_a
):
    html = client_for(coordinator_region).get(url("edit", survey_a)).content.decode()
    assert "<legend>Title</legend>" in html
    assert re.search(r'<label for="id_title_ar">Arabic', html)
    assert re.search(r'<input[^>]*name="title_ar"[^>]*lang="ar"[^>]*dir="rtl"', html) or re.search(
        r'<input[^>]*lang="ar"[^>]*dir="rtl"[^>]*name="title_ar"', html
    )


def test_the_survey_is_edited(client_for, coordinator_region, survey_a):
    response = client_for(coordinator_region).post(
        url("edit", survey_a),
        {
            "title_sv": "Enkät 2025",
            "title_fi": "Kysely 2025",
            "title_en": "Survey",
            "title_ar": "استبيان",
            "intro_sv": "",
            "languages_chosen": ["sv", "fi", "en", "ar"],
            "invitation_only": "on",
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert survey.invitation_only
    assert survey.title["fi"] == "Kysely 2025"
    # Finnish was translated anew; English and Arabic were not touched and now lag behind.
    assert texts.state(survey, "fi") == texts.CURRENT
    assert texts.state(survey, "en") == texts.OUTDATED


# -- questions -------------------------------------------------------------------------------


def test_a_question_is_added_with_its_skip_logic(client_for, coordinator_region, survey_a):
    client = client_for(coordinator_region)
    form = client.get(url("question_add", survey_a)).content.decode()
    assert 'value="tolkning:nej"' in form
    assert "varfor:" not in form  # a text question shows nothing

    response = client.post(
        url("question_add", survey_a),
        question_form(key="barn", show_if=["tolkning:ja"], number_min="0", text_ar="كم طفلا؟"),
    )

    question = Question.objects.get(key="barn")
    assert response["Location"] == url("detail", survey_a) + "#question-barn"
    assert (question.kind, question.position, question.number_min) == ("number", 3, 0)
    assert (question.show_if_question, question.show_if_choices) == ("tolkning", ["ja"])
    assert texts.state(question, "ar") == texts.CURRENT
    assert texts.state(question, "fi") == texts.MISSING


def test_answers_of_two_questions_cannot_show_one(client_for, coordinator_region, survey_a):
    other = sf.QuestionFactory(survey=survey_a, key="annan", position=3)
    sf.ChoiceFactory(question=other, key="x")
    response = client_for(coordinator_region).post(
        url("question_add", survey_a), question_form(show_if=["tolkning:ja", "annan:x"])
    )
    assert response.status_code == 200
    assert "Choose answers of one question only." in response.content.decode()
    assert not Question.objects.filter(kind="number").exists()


def test_a_question_is_edited(client_for, coordinator_region, survey_a):
    question = survey_a.questions.get(key="varfor")
    client = client_for(coordinator_region)
    form = client.get(url("question_edit", survey_a, "varfor")).content.decode()
    assert "checked" in re.search(r'<input[^>]*value="tolkning:nej"[^>]*>', form).group(0)

    client.post(
        url("question_edit", survey_a, "varfor"),
        question_form(
            kind="short_text",
            max_length="300",
            show_if=["tolkning:nej"],
            text_sv="Varför inte?",
            text_fi=question.text["fi"],
            text_en=question.text["en"],
            text_ar=question.text["ar"],
        ),
    )

    question.refresh_from_db()
    assert (question.kind, question.max_length, question.text["sv"]) == (
        "short_text",
        300,
        "Varför inte?",
    )
    assert texts.state(question, "fi") == texts.OUTDATED


def test_a_structure_change_after_answers_is_shown_as_an_error(
    client_for, coordinator_region, survey_a
):
    from hemma.surveys.models import Response

    Response.objects.create(survey=survey_a, language="sv", week="2025-03-03")
    question = survey_a.questions.get(key="varfor")
    response = client_for(coordinator_region).post(
        url("question_edit", survey_a, "varfor"),
        question_form(kind="short_text", show_if=["tolkning:nej"], text_sv=question.text["sv"]),
    )
    assert response.status_code == 200
    assert "The survey has answers" in response.content.decode()


def test_questions_move_and_a_refused_move_says_why(client_for, coordinator_region, survey_a):
    client = client_for(coordinator_region)
    response = client.post(url("question_move", survey_a, "nojd"), {"direction": "up"})
    assert response["Location"] == url("detail", survey_a) + "#question-nojd"
    assert list(survey_a.questions.values_list("key", flat=True)) == ["nojd", "tolkning", "varfor"]

    response = client.post(
        url("question_move", survey_a, "varfor"), {"direction": "up"}, follow=True
    )
    assert "must stay after" in response.content.decode()


def test_a_question_is_removed_after_confirming(client_for, coordinator_region, survey_a):
    client = client_for(coordinator_region)
    confirm = client.get(url("question_delete", survey_a, "nojd"))
    assert "Remove the question “nojd”?" in confirm.content.decode()
    assert survey_a.questions.filter(key="nojd").exists()

    client.post(url("question_delete", survey_a, "nojd"))
    assert not survey_a.questions.filter(key="nojd").exists()


# -- choices ---------------------------------------------------------------------------------


def test_choices_are_added_edited_moved_and_removed(client_for, coordinator_region, survey_a):
    client = client_for(coordinator_region)
    tolkning = survey_a.questions.get(key="tolkning")

    client.post(
        url("choice_add", survey_a, "tolkning"),
        {"label_sv": "Behövde inte", "label_ar": "لم أحتج"},
    )
    added = tolkning.choices.get(key="behovde-inte")
    assert texts.state(added, "ar") == texts.CURRENT

    client.post(
        url("choice_edit", survey_a, "tolkning", "ja"),
        {"label_sv": "Ja, alltid", **{f"label_{c}": "x" for c in ("fi", "en", "ar")}},
    )
    assert tolkning.choices.get(key="ja").label == {
        "sv": "Ja, alltid",
        "fi": "x",
        "en": "x",
        "ar": "x",
    }

    client.post(url("choice_move", survey_a, "tolkning", "behovde-inte"), {"direction": "up"})
    assert list(tolkning.choices.values_list("key", flat=True)) == ["ja", "behovde-inte", "nej"]

    client.post(url("choice_delete", survey_a, "tolkning", "behovde-inte"))
    assert list(tolkning.choices.values_list("key", flat=True)) == ["ja", "nej"]


def test_a_question_without_choices_has_no_choice_form(client_for, coordinator_region, survey_a):
    assert (
        client_for(coordinator_region).get(url("choice_add", survey_a, "varfor")).status_code == 404
    )


# -- translations ----------------------------------------------------------------------------


def test_the_translation_page_sets_the_source_beside_the_translation(
    client_for, coordinator_region, survey_a
):
    question = survey_a.questions.get(key="tolkning")
    question.text = {**question.text, "sv": "Fick du tolk?"}
    question.save()

    html = client_for(coordinator_region).get(url("translate", survey_a, "ar")).content.decode()

    assert '<td lang="sv" dir="ltr">Fick du tolk?</td>' in html
    assert re.search(r'<textarea[^>]*lang="ar"[^>]*dir="rtl"[^>]*>\s*سؤال tolkning', html)
    block = re.search(r'<tbody id="question-tolkning">.*?</tbody>', html, re.S).group(0)
    assert "outdated" in block
    assert "The translation still holds" in block


def test_a_translation_is_saved_and_marked(client_for, coordinator_region, survey_a):
    question = survey_a.questions.get(key="tolkning")
    question.text = {**question.text, "sv": "Fick du tolk?"}
    question.save()
    ja = question.choices.get(key="ja")
    client = client_for(coordinator_region)
    form = client.get(url("translate", survey_a, "ar")).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[f"question-{question.pk}-text"] = "هل حصلت على مترجم؟"
    data[f"choice-{ja.pk}-label"] = "نعم"
    data = {k: v for k, v in data.items() if v is not False}

    response = client.post(url("translate", survey_a, "ar"), data)

    assert response["Location"] == url("detail", survey_a) + "#languages"
    question.refresh_from_db()
    assert question.text["ar"] == "هل حصلت على مترجم؟"
    assert texts.state(question, "ar") == texts.CURRENT
    assert question.choices.get(key="ja").label["ar"] == "نعم"
    # Finnish was not translated anew.
    assert texts.state(question, "fi") == texts.OUTDATED


def test_the_source_language_has_no_translation_page(client_for, coordinator_region, survey_a):
    client = client_for(coordinator_region)
    assert client.get(url("translate", survey_a, "sv")).status_code == 404
    assert client.get(url("translate", survey_a, "so")).status_code == 404


# -- preview ---------------------------------------------------------------------------------


def test_the_preview_shows_two_languages_side_by_side(client_for, viewer, survey_a):
    page = client_for(viewer).get(url("preview", survey_a) + "?left=fi&right=ar")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<td lang="fi" dir="ltr">' in html
    assert '<td lang="ar" dir="rtl">' in html
    assert "سؤال tolkning" in html and "Kysymys tolkning" in html
    assert html.count("<fieldset disabled>") == 2 * 3
    assert "Shown if the answer to question 1 is: خيار nej" in html
    assert "أبدا" in html  # the lowest rating's word


def test_the_preview_marks_a_missing_text(client_for, viewer, survey_a):
    question = survey_a.questions.get(key="nojd")
    question.text = {"sv": question.text["sv"]}
    question.save()
    html = client_for(viewer).get(url("preview", survey_a) + "?left=sv&right=ar").content.decode()
    assert "(missing)" in html


def test_the_preview_starts_with_the_source_and_the_first_translation(client_for, viewer, survey_a):
    page = client_for(viewer).get(url("preview", survey_a))
    assert (page.context["left"], page.context["right"]) == ("sv", "fi")
    assert client_for(viewer).get(url("preview", survey_a) + "?right=so").status_code == 404


# -- invitation codes ------------------------------------------------------------------------


def test_codes_are_downloaded_once_and_counted(client_for, coordinator_region, survey_a):
    client = client_for(coordinator_region)
    with translation.override("sv"):
        swedish = url("codes", survey_a)
    response = client.post(swedish, {"count": "25"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Kod"], "the header is in the page's language (Swedish here)"
    codes = [row[0] for row in rows[1:]]
    assert len(codes) == 25
    assert set(InvitationCode.objects.values_list("code_hash", flat=True)) == {
        hashlib.sha256(code.encode()).hexdigest() for code in codes
    }

    InvitationCode.objects.filter(pk__in=InvitationCode.objects.all()[:3]).update(spent=True)
    page = client.get(url("codes", survey_a))
    assert page.context["counts"] == {"total": 25, "spent": 3, "unused": 22}
    assert codes[0] not in page.content.decode()


def test_a_wrong_number_of_codes_is_refused(client_for, coordinator_region, survey_a):
    response = client_for(coordinator_region).post(url("codes", survey_a), {"count": "0"})
    assert response.status_code == 200
    assert not InvitationCode.objects.exists()


# -- who may ---------------------------------------------------------------------------------

# (name, extra URL args, method, data): every page that changes something.
WRITES = [
    (
        "create",
        None,
        "post",
        {"title": "X", "period": "2026", "source_language": "sv", "languages": ["sv"]},
    ),
    ("copy", None, "post", {"period": "2026"}),
    ("edit", (), "get", None),
    ("edit", (), "post", {"title_sv": "X", "languages_chosen": ["sv"]}),
    ("open", (), "post", None),
    ("close", (), "post", None),
    ("translate", ("ar",), "get", None),
    ("translate", ("ar",), "post", {}),
    ("codes", (), "get", None),
    ("codes", (), "post", {"count": "5"}),
    ("question_add", (), "get", None),
    ("question_add", (), "post", question_form()),
    ("question_edit", ("tolkning",), "get", None),
    ("question_edit", ("tolkning",), "post", question_form()),
    ("question_move", ("nojd",), "post", {"direction": "up"}),
    ("question_delete", ("nojd",), "get", None),
    ("question_delete", ("nojd",), "post", None),
    ("choice_add", ("tolkning",), "get", None),
    ("choice_add", ("tolkning",), "post", {"label_sv": "Kanske"}),
    ("choice_edit", ("tolkning", "ja"), "get", None),
    ("choice_edit", ("tolkning", "ja"), "post", {"label_sv": "X"}),
    ("choice_move", ("tolkning", "nej"), "post", {"direction": "up"}),
    ("choice_delete", ("tolkning", "nej"), "get", None),
    ("choice_delete", ("tolkning", "nej"), "post", None),
]
READS = [("list", None), ("detail", ()), ("preview", ())]


def _url(name, args, survey):
    return url(name, programme=survey.programme) if args is None else url(name, survey, *args)


def _snapshot(survey):
    return (
        list(Survey.objects.values_list("key", "period", "state", "title", "invitation_only")),
        list(Question.objects.values_list("key", "position", "text", "kind")),
        list(Choice.objects.values_list("key", "position", "label")),
        InvitationCode.objects.count(),
    )


@pytest.mark.parametrize(("name", "args", "method", "data"), WRITES)
@pytest.mark.parametrize(
    ("user", "status"), [("viewer", 403), ("coordinator_a", 403), ("coordinator_b", 404)]
)
def test_only_the_regions_coordinator_builds(
    client_for, request, survey_a, name, args, method, data, user, status
):
    before = _snapshot(survey_a)
    client = client_for(request.getfixturevalue(user))
    response = getattr(client, method)(_url(name, args, survey_a), data or {})
    assert response.status_code == status
    assert _snapshot(survey_a) == before


@pytest.mark.parametrize(("name", "args", "method", "data"), WRITES)
def test_the_regions_coordinator_may_use_every_page(
    client_for, coordinator_region, survey_a, name, args, method, data
):
    response = getattr(client_for(coordinator_region), method)(
        _url(name, args, survey_a), data or {}
    )
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("name", "args", "method", "data"), WRITES)
def test_building_needs_a_login(client, survey_a, name, args, method, data):
    response = getattr(client, method)(_url(name, args, survey_a), data or {})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("name", "args"), READS)
def test_the_surveys_are_read_by_whoever_sees_the_programme(
    client_for, viewer, coordinator_a, coordinator_b, client, survey_a, name, args
):
    address = _url(name, args, survey_a)
    assert client_for(viewer).get(address).status_code == 200
    assert client_for(coordinator_a).get(address).status_code == 200
    assert client_for(coordinator_b).get(address).status_code == 404
    response = client.get(address)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_programmes_survey_is_not_found_under_this_one(
    client_for, coordinator_b, programme_b, survey_a
):
    other = sf.SurveyFactory(programme=programme_b, key=survey_a.key, period=survey_a.period)
    address = reverse("surveys:detail", args=[survey_a.programme.slug, other.key, other.period])
    assert client_for(coordinator_b).get(address).status_code == 404
    services.survey_open(actor=None, survey=survey_a)  # the system opens (no actor checked)
    assert Survey.objects.get(pk=survey_a.pk).state == Survey.State.OPEN


def test_a_survey_with_answers_offers_no_adding_or_removing_of_questions_and_choices(
    client_for, coordinator_region, survey_a
):
    detail = url("detail", survey_a)
    before = client_for(coordinator_region).get(detail).content.decode()
    Response.objects.create(survey=survey_a, language="sv", week=datetime.date(2025, 3, 3))

    after = client_for(coordinator_region).get(detail).content.decode()

    assert url("question_add", survey_a) in before
    assert url("question_add", survey_a) not in after
    assert "/delete/" in before and "/delete/" not in after
    assert "/choices/add/" not in after
    assert "questions and choices can no longer be added or removed" in after
