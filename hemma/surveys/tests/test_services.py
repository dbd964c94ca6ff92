"""Building a survey through its services: texts and their translations, skip logic, the
structure kept once answers exist, opening and closing, invitation codes, and who may."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hemma.audit.models import AuditEvent
from hemma.surveys import services, texts
from hemma.surveys.models import Choice, InvitationCode, Question, Response, Survey
from hemma.surveys.services import QuestionSpec

pytestmark = pytest.mark.django_db


def flags_of(survey: Survey) -> set[tuple[str, str, str]]:
    """(object key, language, state) of every flag: the survey itself as "survey"."""
    questions = list(survey.questions.prefetch_related("choices"))
    return {
        (
            getattr(flag.obj, "key", "survey") if not isinstance(flag.obj, Survey) else "survey",
            flag.language,
            flag.state,
        )
        for flag in texts.flags(survey, questions)
    }


def answered(survey: Survey) -> Response:
    return Response.objects.create(survey=survey, language="sv", week=datetime.date(2025, 3, 3))


def spec(**values) -> QuestionSpec:
    return QuestionSpec(**{"kind": "single", "text": {"sv": "Ny fråga"}, **values})


# -- making a survey -------------------------------------------------------------------------


def test_a_coordinator_makes_a_survey_with_its_languages(coordinator_region, programme_a):
    survey = services.survey_create(
        actor=coordinator_region,
        programme=programme_a,
        key="",
        period="2025",
        title={"sv": "Enkät för invandrare"},
        languages=["fi", "ar", "en"],
        source_language="sv",
    )

    assert survey.key == "enkat-for-invandrare"
    assert survey.languages == ["sv", "fi", "ar", "en"]
    assert survey.state == Survey.State.DRAFT
    event = AuditEvent.objects.get(target_type="surveys.survey", verb="create")
    assert event.actor == coordinator_region
    assert event.programme_id == programme_a.pk
    # The translations do not exist yet: the survey cannot open.
    assert ("survey", "ar", texts.MISSING) in flags_of(survey)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"period": "next year"}, "period"),
        ({"languages": ["xx"]}, "languages"),
        ({"title": {"fi": "Vain suomeksi"}}, "title"),
        ({"key": "Not a key"}, "key"),
    ],
)
def test_a_survey_is_refused_with_what_is_wrong(coordinator_region, programme_a, values, field):
    given = {
        "key": "enkat",
        "period": "2025",
        "title": {"sv": "Enkät"},
        "languages": ["sv"],
        "source_language": "sv",
        **values,
    }
    with pytest.raises(ValidationError) as error:
        services.survey_create(actor=coordinator_region, programme=programme_a, **given)
    assert field in error.value.error_dict
    assert not Survey.objects.exists()


def test_one_survey_per_key_and_period(coordinator_region, survey_a):
    with pytest.raises(ValidationError, match="already a survey"):
        services.survey_create(
            actor=coordinator_region,
            programme=survey_a.programme,
            key=survey_a.key,
            period="2025",
            title={"sv": "Igen"},
            languages=["sv"],
            source_language="sv",
        )


@pytest.mark.parametrize(
    ("user", "error"),
    [("viewer", PermissionDenied), ("coordinator_a", PermissionDenied), ("coordinator_b", Http404)],
)
def test_only_the_regions_coordinator_builds(request, programme_a, survey_a, user, error):
    actor = request.getfixturevalue(user)
    with pytest.raises(error):
        services.survey_create(
            actor=actor,
            programme=programme_a,
            key="x",
            period="2026",
            title={"sv": "X"},
            languages=["sv"],
            source_language="sv",
        )
    with pytest.raises(error):
        services.question_add(actor=actor, survey=survey_a, spec=spec())
    with pytest.raises(error):
        services.codes_make(actor=actor, survey=survey_a, count=3)
    with pytest.raises(error):
        services.survey_open(actor=actor, survey=survey_a)
    assert survey_a.questions.count() == 3
    assert not InvitationCode.objects.exists()


# -- starting from last year's ---------------------------------------------------------------


def test_a_copy_keeps_questions_choices_and_translations(coordinator_region, survey_a):
    copy = services.survey_copy(actor=coordinator_region, survey=survey_a, period="2026")

    assert copy.previous == survey_a
    assert (copy.key, copy.period, copy.state) == (survey_a.key, "2026", Survey.State.DRAFT)
    assert copy.public_token != survey_a.public_token
    assert [q.key for q in copy.questions.all()] == ["tolkning", "nojd", "varfor"]
    varfor = copy.questions.get(key="varfor")
    assert (varfor.show_if_question, varfor.show_if_choices) == ("tolkning", ["nej"])
    assert list(copy.questions.get(key="tolkning").choices.values_list("key", flat=True)) == [
        "ja",
        "nej",
    ]
    assert copy.questions.get(key="nojd").scale_max_label["ar"] == "تماما"
    # What was translated last year stays translated: the copy can open as it is.
    assert flags_of(copy) == set()
    # Last year's survey is untouched.
    assert survey_a.questions.count() == 3
    assert Choice.objects.filter(question__survey=survey_a).count() == 2


def test_a_copy_into_a_taken_period_is_refused(coordinator_region, survey_a):
    with pytest.raises(ValidationError, match="already a survey"):
        services.survey_copy(actor=coordinator_region, survey=survey_a, period="2025")


# -- texts and translations ------------------------------------------------------------------


def test_a_changed_source_text_leaves_the_translations_outdated(coordinator_region, survey_a):
    question = survey_a.questions.get(key="tolkning")
    changed = spec(text={**question.text, "sv": "Fick du tolkning när du behövde?"})

    services.question_update(actor=coordinator_region, question=question, spec=changed)

    assert {
        (key, language, state) for key, language, state in flags_of(survey_a) if key == "tolkning"
    } == {("tolkning", code, texts.OUTDATED) for code in ("fi", "en", "ar")}


def test_a_translation_saved_with_the_source_is_current(coordinator_region, survey_a):
    question = survey_a.questions.get(key="tolkning")
    changed = spec(
        text={**question.text, "sv": "Fick du tolk?", "ar": "هل حصلت على مترجم؟"},
    )

    services.question_update(actor=coordinator_region, question=question, spec=changed)

    states = {(lang, state) for key, lang, state in flags_of(survey_a) if key == "tolkning"}
    assert states == {("fi", texts.OUTDATED), ("en", texts.OUTDATED)}


def test_the_translation_page_marks_changed_and_confirmed_texts(coordinator_region, survey_a):
    survey_a = services.survey_update(
        actor=coordinator_region,
        survey=survey_a,
        title={"sv": "Enkät 2025"},
        intro={},
        languages=survey_a.languages,
        invitation_only=False,
    )
    question = survey_a.questions.get(key="tolkning")
    services.question_update(
        actor=coordinator_region, question=question, spec=spec(text={"sv": "Fick du tolk?"})
    )
    assert {("survey", "fi", texts.OUTDATED), ("tolkning", "fi", texts.OUTDATED)} <= flags_of(
        survey_a
    )

    changed = services.survey_translate(
        actor=coordinator_region,
        survey=survey_a,
        language="fi",
        edited={("survey", survey_a.pk): {"title": "Kysely 2025"}},
        confirmed=[("question", question.pk)],
    )

    assert changed == 2
    fi = {key for key, language, _state in flags_of(survey_a) if language == "fi"}
    assert fi == set()
    assert Survey.objects.get(pk=survey_a.pk).title["fi"] == "Kysely 2025"
    # Arabic was not touched: still outdated.
    assert ("tolkning", "ar", texts.OUTDATED) in flags_of(survey_a)


def test_a_translation_emptied_is_missing(coordinator_region, survey_a):
    choice = Choice.objects.get(question__survey=survey_a, key="ja")
    services.survey_translate(
        actor=coordinator_region,
        survey=survey_a,
        language="ar",
        edited={("choice", choice.pk): {"label": ""}},
    )
    assert ("ja", "ar", texts.MISSING) in flags_of(survey_a)


def test_the_languages_of_an_open_survey_stay(coordinator_region, survey_a):
    services.survey_open(actor=coordinator_region, survey=survey_a)
    with pytest.raises(ValidationError) as error:
        services.survey_update(
            actor=coordinator_region,
            survey=survey_a,
            title=survey_a.title,
            intro={},
            languages=["sv", "fi"],
            invitation_only=False,
        )
    assert "languages" in error.value.error_dict


def test_a_language_added_is_missing_everywhere(coordinator_region, survey_a):
    survey = services.survey_update(
        actor=coordinator_region,
        survey=survey_a,
        title=survey_a.title,
        intro={},
        languages=[*survey_a.languages, "so"],
        invitation_only=True,
    )
    assert survey.invitation_only
    somali = {key for key, language, state in flags_of(survey) if language == "so"}
    assert somali == {"survey", "tolkning", "ja", "nej", "nojd", "varfor"}


# -- opening and closing ---------------------------------------------------------------------


def test_a_ready_survey_opens_and_closes(coordinator_region, survey_a):
    services.survey_open(actor=coordinator_region, survey=survey_a)
    assert Survey.objects.get(pk=survey_a.pk).state == Survey.State.OPEN
    services.survey_close(actor=coordinator_region, survey=survey_a)
    assert Survey.objects.get(pk=survey_a.pk).state == Survey.State.CLOSED
    events = AuditEvent.objects.filter(target_type="surveys.survey", verb="update")
    assert [e.changes["state"] for e in events.order_by("id")] == [
        ["draft", "open"],
        ["open", "closed"],
    ]


def test_opening_is_refused_with_every_flag(coordinator_region, survey_a):
    choice = Choice.objects.get(question__survey=survey_a, key="nej")
    choice.label = {**choice.label, "ar": ""}
    choice.save()
    question = survey_a.questions.get(key="nojd")
    services.question_update(
        actor=coordinator_region,
        question=question,
        spec=spec(
            kind="rating",
            text={**question.text, "sv": "Hur nöjd är du?"},
            scale_min_label=question.scale_min_label,
            scale_max_label=question.scale_max_label,
        ),
    )

    with pytest.raises(ValidationError) as error:
        services.survey_open(actor=coordinator_region, survey=survey_a)

    messages = error.value.messages
    assert "Choice “nej” of question “tolkning”: missing in Arabic." in messages
    assert "Question “nojd”: outdated in Finnish (the source text changed)." in messages
    assert len(messages) == 4  # nej in Arabic; nojd in Finnish, English, Arabic
    assert Survey.objects.get(pk=survey_a.pk).state == Survey.State.DRAFT


def test_a_survey_without_questions_cannot_open(coordinator_region, programme_a):
    survey = services.survey_create(
        actor=coordinator_region,
        programme=programme_a,
        key="tom",
        period="2025",
        title={"sv": "Tom"},
        languages=["sv"],
        source_language="sv",
    )
    with pytest.raises(ValidationError, match="no questions"):
        services.survey_open(actor=coordinator_region, survey=survey)


def test_a_choice_question_needs_two_choices_to_open(coordinator_region, survey_a):
    Choice.objects.filter(question__survey=survey_a, key="nej").delete()
    with pytest.raises(ValidationError, match="at least two choices"):
        services.survey_open(actor=coordinator_region, survey=survey_a)


# -- questions and skip logic ----------------------------------------------------------------


def test_a_question_is_added_at_the_end_with_its_skip_logic(coordinator_region, survey_a):
    question = services.question_add(
        actor=coordinator_region,
        survey=survey_a,
        spec=spec(
            kind="number",
            text={"sv": "Hur många barn?"},
            number_min=Decimal(0),
            show_if_question="tolkning",
            show_if_choices=["ja"],
        ),
    )
    assert (question.key, question.position) == ("hur-manga-barn", 3)
    assert question.show_if_choices == ["ja"]
    assert question.number_min == 0
    # A new text is missing in the translations until they are written.
    assert ("hur-manga-barn", "ar", texts.MISSING) in flags_of(survey_a)


@pytest.mark.parametrize(
    "show_if",
    [
        {"show_if_question": "nojd", "show_if_choices": ["1"]},  # not a choice question
        {"show_if_question": "tolkning", "show_if_choices": ["kanske"]},  # no such choice
        {"show_if_question": "tolkning", "show_if_choices": []},  # no choice named
        {"show_if_question": "", "show_if_choices": ["ja"]},  # no question named
        {"show_if_question": "finns-inte", "show_if_choices": ["ja"]},
    ],
)
def test_skip_logic_must_name_choices_of_an_earlier_choice_question(
    coordinator_region, survey_a, show_if
):
    with pytest.raises(ValidationError) as error:
        services.question_add(actor=coordinator_region, survey=survey_a, spec=spec(**show_if))
    assert "show_if" in error.value.error_dict


def test_skip_logic_cannot_look_at_a_later_question(coordinator_region, survey_a):
    tolkning = survey_a.questions.get(key="tolkning")
    later = services.question_add(actor=coordinator_region, survey=survey_a, spec=spec())
    services.choice_add(actor=coordinator_region, question=later, label={"sv": "A"})
    with pytest.raises(ValidationError):
        services.question_update(
            actor=coordinator_region,
            question=tolkning,
            spec=spec(text=tolkning.text, show_if_question=later.key, show_if_choices=["a"]),
        )


def test_a_question_does_not_move_above_the_one_that_shows_it(coordinator_region, survey_a):
    varfor = survey_a.questions.get(key="varfor")
    services.question_move(actor=coordinator_region, question=varfor, direction="up")
    assert list(survey_a.questions.values_list("key", flat=True)) == ["tolkning", "varfor", "nojd"]

    with pytest.raises(ValidationError, match="must stay after"):
        services.question_move(actor=coordinator_region, question=varfor, direction="up")
    tolkning = survey_a.questions.get(key="tolkning")
    with pytest.raises(ValidationError, match="must stay after"):
        services.question_move(actor=coordinator_region, question=tolkning, direction="down")
    assert list(survey_a.questions.values_list("position", flat=True)) == [0, 1, 2]


def test_a_question_that_shows_another_cannot_go(coordinator_region, survey_a):
    tolkning = survey_a.questions.get(key="tolkning")
    with pytest.raises(ValidationError, match="varfor"):
        services.question_delete(actor=coordinator_region, question=tolkning)
    with pytest.raises(ValidationError, match="varfor"):
        services.choice_delete(actor=coordinator_region, choice=tolkning.choices.get(key="nej"))
    with pytest.raises(ValidationError, match="varfor"):
        services.question_update(
            actor=coordinator_region,
            question=tolkning,
            spec=spec(kind="short_text", text=tolkning.text),
        )

    services.question_delete(
        actor=coordinator_region, question=survey_a.questions.get(key="varfor")
    )
    services.question_delete(actor=coordinator_region, question=tolkning)
    assert list(survey_a.questions.values_list("key", "position")) == [("nojd", 0)]


def test_a_question_no_longer_of_choices_loses_them(coordinator_region, survey_a):
    question = services.question_add(actor=coordinator_region, survey=survey_a, spec=spec())
    services.choice_add(actor=coordinator_region, question=question, label={"sv": "Ja"})

    services.question_update(
        actor=coordinator_region, question=question, spec=spec(kind="short_text", max_length=200)
    )

    question.refresh_from_db()
    assert (question.kind, question.max_length) == ("short_text", 200)
    assert not question.choices.exists()


def test_settings_of_other_kinds_are_not_kept(coordinator_region, survey_a):
    question = services.question_add(
        actor=coordinator_region,
        survey=survey_a,
        spec=spec(kind="short_text", scale_min_label={"sv": "Lite"}, number_max=Decimal(3)),
    )
    assert question.scale_min_label == {}
    assert question.number_max is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "rating", "scale_min": 5, "scale_max": 1}, "scale_max"),
        ({"kind": "rating", "scale_min": 0, "scale_max": 11}, "scale_max"),
        ({"kind": "number", "number_min": Decimal(5), "number_max": Decimal(1)}, "number_max"),
        ({"kind": "short_text", "max_length": 0}, "max_length"),
        ({"kind": "guess"}, "kind"),
        ({"text": {"fi": "Vain suomeksi"}}, "text"),
    ],
)
def test_a_question_is_refused_with_what_is_wrong(coordinator_region, survey_a, values, field):
    with pytest.raises(ValidationError) as error:
        services.question_add(actor=coordinator_region, survey=survey_a, spec=spec(**values))
    assert field in error.value.error_dict


# -- once there are answers ------------------------------------------------------------------


def test_with_answers_the_structure_stays_and_texts_may_be_corrected(coordinator_region, survey_a):
    services.survey_open(actor=coordinator_region, survey=survey_a)
    answered(survey_a)
    tolkning = survey_a.questions.get(key="tolkning")

    with pytest.raises(ValidationError, match="has answers"):
        services.question_update(
            actor=coordinator_region,
            question=tolkning,
            spec=spec(kind="multiple", text=tolkning.text),
        )
    with pytest.raises(ValidationError, match="has answers"):
        services.choice_add(actor=coordinator_region, question=tolkning, label={"sv": "Kanske"})
    with pytest.raises(ValidationError, match="has answers"):
        services.choice_delete(actor=coordinator_region, choice=tolkning.choices.get(key="ja"))
    with pytest.raises(ValidationError, match="has answers"):
        services.question_add(actor=coordinator_region, survey=survey_a, spec=spec())
    with pytest.raises(ValidationError, match="has answers"):
        services.question_delete(
            actor=coordinator_region, question=survey_a.questions.get(key="nojd")
        )

    corrected = spec(text={**tolkning.text, "sv": "Fick du tolkning?"}, required=True)
    services.question_update(actor=coordinator_region, question=tolkning, spec=corrected)
    services.choice_update(
        actor=coordinator_region,
        choice=tolkning.choices.get(key="ja"),
        label={"sv": "Ja, alltid"},
    )
    tolkning.refresh_from_db()
    assert (tolkning.text["sv"], tolkning.required) == ("Fick du tolkning?", True)
    assert tolkning.choices.get(key="ja").label["sv"] == "Ja, alltid"


# -- choices ---------------------------------------------------------------------------------


def test_choices_are_added_moved_and_removed(coordinator_region, survey_a):
    tolkning = survey_a.questions.get(key="tolkning")
    vet_inte = services.choice_add(
        actor=coordinator_region, question=tolkning, label={"sv": "Vet inte"}
    )
    assert (vet_inte.key, vet_inte.position) == ("vet-inte", 2)

    services.choice_move(actor=coordinator_region, choice=vet_inte, direction="up")
    assert list(tolkning.choices.values_list("key", flat=True)) == ["ja", "vet-inte", "nej"]

    services.choice_delete(actor=coordinator_region, choice=tolkning.choices.get(key="ja"))
    assert list(tolkning.choices.values_list("key", "position")) == [("vet-inte", 0), ("nej", 1)]

    with pytest.raises(ValidationError, match="already in use"):
        services.choice_add(
            actor=coordinator_region, question=tolkning, label={"sv": "Nej"}, key="nej"
        )


def test_only_a_choice_question_has_choices(coordinator_region, survey_a):
    with pytest.raises(ValidationError):
        services.choice_add(
            actor=coordinator_region,
            question=survey_a.questions.get(key="varfor"),
            label={"sv": "Ja"},
        )


# -- invitation codes ------------------------------------------------------------------------


def test_codes_are_given_once_and_only_their_hashes_kept(coordinator_region, survey_a):
    codes = services.codes_make(actor=coordinator_region, survey=survey_a, count=50)

    assert len(set(codes)) == 50
    assert all(
        len(code) == services.CODE_LENGTH and set(code) <= set(services.CODE_ALPHABET)
        for code in codes
    )
    stored = set(InvitationCode.objects.filter(survey=survey_a).values_list("code_hash", flat=True))
    assert stored == {hashlib.sha256(code.encode()).hexdigest() for code in codes}
    assert not InvitationCode.objects.filter(code_hash__in=codes).exists()
    assert not InvitationCode.objects.filter(spent=True).exists()


def test_a_code_is_recognised_however_it_is_typed(coordinator_region, survey_a):
    (code,) = services.codes_make(actor=coordinator_region, survey=survey_a, count=1)
    typed = f" {code[:5].lower()}-{code[5:]} "
    assert services.code_hash(typed) == InvitationCode.objects.get().code_hash


@pytest.mark.parametrize("count", [0, services.CODES_AT_ONCE + 1])
def test_codes_are_made_a_sensible_number_at_a_time(coordinator_region, survey_a, count):
    with pytest.raises(ValidationError):
        services.codes_make(actor=coordinator_region, survey=survey_a, count=count)


def test_every_change_is_in_the_programmes_history(coordinator_region, survey_a):
    question = services.question_add(actor=coordinator_region, survey=survey_a, spec=spec())
    services.choice_add(actor=coordinator_region, question=question, label={"sv": "Ja"})
    services.question_move(actor=coordinator_region, question=question, direction="up")
    services.codes_make(actor=coordinator_region, survey=survey_a, count=2)

    events = AuditEvent.objects.filter(programme_id=survey_a.programme_id).order_by("id")
    assert [(e.target_type, e.verb) for e in events] == [
        ("surveys.question", "create"),
        ("surveys.choice", "create"),
        ("surveys.question", "move"),
        ("surveys.survey", "create"),
    ]
    assert events.last().changes == {"invitation_codes": [0, 2]}
    assert all(e.actor == coordinator_region for e in events)
    assert Question.objects.filter(survey=survey_a).count() == 4
