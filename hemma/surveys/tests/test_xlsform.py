"""XLSForm import and export (hemma/surveys/xlsform.py): a KoboToolbox-style form in
Swedish, Finnish, English and Arabic imports with its languages, choices and skip logic; a
broken one is refused with every problem by sheet, row and column; an export reads back as
the same survey."""

import io

import openpyxl
import pytest

from hemma.audit.models import AuditEvent
from hemma.lib.problems import ProblemsFound
from hemma.surveys import texts
from hemma.surveys.models import Choice, Question, Survey
from hemma.surveys.xlsform import xlsform_export, xlsform_import, xlsform_read

LANGUAGES = ("Swedish (sv)", "Finnish (fi)", "English (en)", "Arabic (ar)")


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx of the given sheets, each a list of rows (the first is the heading row)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def labels(*headings: str) -> list[str]:
    return [f"{heading}::{language}" for heading in headings for language in LANGUAGES]


def row(type_, name, label=("",) * 4, hint=("",) * 4, required="", relevant="") -> list:
    """A survey row: type A, name B, labels C–F, hints G–J, required K, relevant L."""
    return [type_, name, *label, *hint, required, relevant]


def kobo_sheets() -> dict[str, list[list]]:
    """A form as KoboToolbox exports one: four languages, a group, metadata, notes."""
    return {
        "survey": [
            ["type", "name", *labels("label", "hint"), "required", "relevant"],
            row("start", "start"),
            row("deviceid", "deviceid"),
            row("note", "welcome", ("Välkommen", "Tervetuloa", "Welcome", "أهلاً وسهلاً")),
            row("begin_group", "services", ("Tjänster", "Palvelut", "Services", "الخدمات")),
            row(
                "select_one yes_no",
                "interpreter",
                (
                    "Fick du tolk?",
                    "Saitko tulkin?",
                    "Did you get an interpreter?",
                    "هل حصلت على مترجم؟",
                ),
                ("När du behövde en.", "Kun tarvitsit.", "When you needed one.", "عندما احتجت"),
                required="yes",
            ),
            row(
                "select_multiple languages",
                "interpreter_languages",
                ("På vilka språk?", "Millä kielillä?", "In which languages?", "بأي لغات؟"),
                relevant="${interpreter} = 'yes'",
            ),
            row("end group", ""),
            row(
                "integer",
                "years",
                (
                    "Hur många år har du bott här?",
                    "Montako vuotta olet asunut täällä?",
                    "How many years have you lived here?",
                    "كم سنة عشت هنا؟",
                ),
                required="true",
                relevant="selected(${interpreter_languages}, 'ar') or "
                "selected(${interpreter_languages}, 'so')",
            ),
            row(
                "text",
                "wishes",
                ("Vad önskar du?", "Mitä toivot?", "What do you wish for?", "ماذا تتمنى؟"),
                required="no",
            ),
            row("note", "thanks", ("Tack!", "Kiitos!", "Thank you!", "شكراً")),
        ],
        "choices": [
            ["list_name", "name", *labels("label")],
            ["yes_no", "yes", "Ja", "Kyllä", "Yes", "نعم"],
            ["yes_no", "no", "Nej", "Ei", "No", "لا"],
            ["languages", "ar", "Arabiska", "Arabia", "Arabic", "العربية"],
            ["languages", "so", "Somaliska", "Somali", "Somali", "الصومالية"],
            ["languages", "ru", "Ryska", "Venäjä", "Russian", "الروسية"],
        ],
        "settings": [
            [*labels("form_title"), "form_id", "version", "default_language"],
            [
                "Invandrarenkät",
                "Maahanmuuttajakysely",
                "Survey of immigrants",
                "استبيان المهاجرين",
                "invandrarenkat",
                "2025041501",
                "Swedish (sv)",
            ],
        ],
    }


def problems_of(sheets) -> list:
    with pytest.raises(ProblemsFound) as found:
        xlsform_read(workbook(sheets), name="form.xlsx")
    return found.value.problems


def test_a_kobo_form_reads_with_its_languages_choices_and_conditions():
    draft = xlsform_read(workbook(kobo_sheets()), name="form.xlsx")

    assert draft.key == "invandrarenkat"
    assert draft.languages == ["sv", "fi", "en", "ar"]
    assert draft.source_language == "sv"
    assert draft.title["sv"] == "Invandrarenkät" and draft.title["ar"] == "استبيان المهاجرين"
    assert draft.intro["ar"] == "أهلاً وسهلاً"
    assert [(q.key, q.kind) for q in draft.questions] == [
        ("interpreter", Question.Kind.SINGLE),
        ("interpreter_languages", Question.Kind.MULTIPLE),
        ("years", Question.Kind.NUMBER),
        ("wishes", Question.Kind.SHORT_TEXT),
    ]
    interpreter, languages, years, _wishes = draft.questions
    assert interpreter.required and interpreter.help["ar"] == "عندما احتجت"
    assert [c.key for c in interpreter.choices] == ["yes", "no"]
    assert interpreter.choices[0].label["ar"] == "نعم"
    assert (languages.show_if_question, languages.show_if_choices) == ("interpreter", ["yes"])
    assert (years.show_if_question, years.show_if_choices) == (
        "interpreter_languages",
        ["ar", "so"],
    )
    # The metadata and the note after the questions are skipped, and said so.
    assert [s.name for s in draft.skipped] == ["start", "deviceid", "thanks"]


@pytest.mark.django_db
def test_import_makes_a_draft_survey_with_current_translations_audited(
    programme_a, coordinator_region
):
    survey = xlsform_import(
        actor=coordinator_region,
        programme=programme_a,
        period="2025",
        name="form.xlsx",
        data=workbook(kobo_sheets()),
    )

    survey.refresh_from_db()
    assert survey.state == Survey.State.DRAFT
    assert survey.languages == ["sv", "fi", "en", "ar"]
    questions = list(survey.questions.prefetch_related("choices"))
    assert [q.position for q in questions] == [1, 2, 3, 4]
    assert questions[1].show_if_choices == ["yes"]
    assert [c.key for c in questions[1].choices.all()] == ["ar", "so", "ru"]
    # Every text is there in every language and none is outdated: the survey may open.
    assert texts.flags(survey, questions) == []
    event = AuditEvent.objects.get(target_type="surveys.survey", target_id=str(survey.pk))
    assert event.verb == AuditEvent.Verb.IMPORT
    assert event.actor == coordinator_region
    assert event.changes["questions"] == [None, 4]


@pytest.mark.django_db
def test_the_same_key_and_period_twice_is_refused_and_nothing_more_is_saved(
    programme_a, coordinator_region
):
    data = workbook(kobo_sheets())
    xlsform_import(
        actor=coordinator_region, programme=programme_a, period="2025", name="f.xlsx", data=data
    )

    with pytest.raises(ProblemsFound) as found:
        xlsform_import(
            actor=coordinator_region,
            programme=programme_a,
            period="2025",
            name="f.xlsx",
            data=data,
        )

    assert found.value.problems[0].file == "settings"
    assert Survey.objects.count() == 1
    assert Question.objects.count() == 4


@pytest.mark.django_db
def test_a_broken_form_saves_nothing(programme_a, coordinator_region):
    sheets = kobo_sheets()
    sheets["survey"][5][0] = "select_one missing_list"

    with pytest.raises(ProblemsFound):
        xlsform_import(
            actor=coordinator_region,
            programme=programme_a,
            period="2025",
            name="f.xlsx",
            data=workbook(sheets),
        )

    assert not Survey.objects.exists()
    assert not AuditEvent.objects.exists()


def test_no_survey_sheet_is_a_problem():
    problems = problems_of({"choices": [["list_name", "name", "label::English (en)"]]})

    assert [p.file for p in problems] == ["survey"]
    assert "no sheet “survey”" in problems[0].message


def test_every_problem_names_sheet_row_and_column_all_at_once():
    sheets = kobo_sheets()
    sheets["survey"][5][0] = "select_one missing_list"  # row 6
    sheets["survey"][6][11] = "${interpreter} != 'yes'"  # row 7: a condition not read
    sheets["survey"][8][4] = ""  # row 9: English label missing (column E)
    sheets["survey"][9][0] = "geopoint"  # row 10: XLSForm's, not Hemma's
    sheets["survey"][10][0] = "photograph"  # row 11: no such type

    problems = problems_of(sheets)

    assert [(p.file, p.row, p.column) for p in problems] == [
        ("survey", 6, "A (type)"),
        ("survey", 7, "L (relevant)"),
        ("survey", 9, "E (label::English (en))"),
        ("survey", 10, "A (type)"),
        ("survey", 11, "A (type)"),
    ]
    messages = {p.row: p.message for p in problems}
    assert "no list “missing_list”" in messages[6]
    assert "!=" in messages[7]
    assert "English" in messages[9]
    assert "geopoint" in messages[10]
    assert "photograph" in messages[11]


def test_a_hint_in_the_source_language_is_needed_in_every_language():
    sheets = kobo_sheets()
    sheets["survey"][5][8] = ""  # row 6: the English hint (column I)

    problems = problems_of(sheets)

    assert [(p.file, p.row, p.column) for p in problems] == [
        ("survey", 6, "I (hint::English (en))")
    ]


def test_a_missing_choice_label_names_the_choices_sheet():
    sheets = kobo_sheets()
    sheets["choices"][2][5] = ""  # "no" of yes_no, in Arabic

    problems = problems_of(sheets)

    assert [(p.file, p.row, p.column) for p in problems] == [
        ("choices", 3, "F (label::Arabic (ar))")
    ]
    assert "Arabic" in problems[0].message


def test_a_condition_about_a_later_question_or_unknown_choice_is_a_problem():
    sheets = kobo_sheets()
    sheets["survey"][5][11] = "${years} = '3'"  # about a later question
    sheets["survey"][6][11] = "${interpreter} = 'maybe'"

    problems = problems_of(sheets)

    assert [(p.row, p.column) for p in problems] == [(6, "L (relevant)"), (7, "L (relevant)")]
    assert "maybe" in problems[1].message


def test_a_language_hemma_does_not_know_is_a_problem_at_its_heading():
    sheets = kobo_sheets()
    sheets["survey"][0][5] = "label::Klingon (tlh)"

    problems = problems_of(sheets)

    assert [(p.file, p.row, p.column) for p in problems] == [
        ("survey", 1, "F (label::Klingon (tlh))")
    ]


def test_conditions_about_a_later_or_the_same_question_are_problems():
    sheets = kobo_sheets()
    sheets["survey"][4][11] = "${wishes} = 'yes'"  # the group, about a later question
    sheets["survey"][5][11] = "${interpreter} = 'yes'"  # about itself

    problems = problems_of(sheets)

    assert [(p.row, p.column) for p in problems] == [(5, "L (relevant)"), (6, "L (relevant)")]


def test_group_and_question_conditions_cannot_both_be_kept():
    sheets = kobo_sheets()
    sheets["survey"].insert(
        1, row("select_one yes_no", "lives_here", ("Bor du här?", "Asutko?", "Here?", "هنا؟"))
    )
    sheets["survey"][5][11] = "${lives_here} = 'yes'"  # the group "services"

    problems = problems_of(sheets)

    # interpreter_languages has a condition of its own.
    assert [(p.row, p.column) for p in problems] == [(8, "L (relevant)")]
    assert "one condition only" in problems[0].message


def test_a_group_condition_is_given_to_each_question_in_it():
    sheets = kobo_sheets()
    sheets["survey"].insert(
        1, row("select_one yes_no", "lives_here", ("Bor du här?", "Asutko?", "Here?", "هنا؟"))
    )
    sheets["survey"][5][11] = "${lives_here} = 'yes'"  # the group "services"
    sheets["survey"][7][11] = ""  # its second question's own condition

    draft = xlsform_read(workbook(sheets), name="form.xlsx")

    conditions = {q.key: (q.show_if_question, q.show_if_choices) for q in draft.questions}
    assert conditions["interpreter"] == ("lives_here", ["yes"])
    assert conditions["interpreter_languages"] == ("lives_here", ["yes"])


def test_range_and_likert_become_rating_scales_and_multiline_a_long_text():
    sheets = {
        "survey": [
            ["type", "name", "label::English (en)", "appearance", "parameters"],
            ["range", "trust", "Trust?", "rating", "start=0 end=10 step=1"],
            ["select_one agree", "agree", "Agree?", "likert", ""],
            ["select_one colours", "colour", "Colour?", "likert", ""],
            ["text", "story", "Tell us", "multiline", ""],
        ],
        "choices": [
            ["list_name", "name", "label::English (en)"],
            ["agree", "1", "Not at all"],
            ["agree", "2", "2"],
            ["agree", "3", "Fully"],
            ["colours", "1", "Red"],
            ["colours", "2", "Blue"],
            ["colours", "3", "Green"],
        ],
    }

    trust, agree, colour, story = xlsform_read(workbook(sheets), name="f.xlsx").questions

    assert (trust.kind, trust.scale_min, trust.scale_max) == ("rating", 0, 10)
    assert (agree.kind, agree.scale_min, agree.scale_max) == ("rating", 1, 3)
    assert (agree.scale_min_label, agree.scale_max_label) == ({"en": "Not at all"}, {"en": "Fully"})
    # Labelled in the middle too: a single choice, so that no label is lost.
    assert colour.kind == "single" and len(colour.choices) == 3
    assert story.kind == "long_text"


def test_a_plain_label_column_takes_default_language_and_needs_one():
    sheets = {
        "survey": [["type", "name", "label"], ["text", "name_of_town", "Kommun"]],
        "settings": [["form_title", "default_language"], ["Enkät", "sv"]],
    }
    draft = xlsform_read(workbook(sheets), name="f.xlsx")
    assert draft.languages == ["sv"] and draft.questions[0].text == {"sv": "Kommun"}
    assert draft.key == "enkat"

    sheets["survey"][0].append("label::English (en)")
    sheets["survey"][1].append("Municipality")
    draft = xlsform_read(workbook(sheets), name="f.xlsx")
    # The plain form_title is the source language's; English has none and is flagged later.
    assert draft.languages == ["sv", "en"] and draft.title == {"sv": "Enkät"}

    del sheets["settings"]
    problems = problems_of(sheets)
    assert [(p.file, p.row, p.column) for p in problems] == [("survey", 2, "C (label)")]


def test_unsupported_constraints_and_required_conditions_are_problems():
    sheets = {
        "survey": [
            ["type", "name", "label::English (en)", "required", "constraint"],
            ["integer", "age", "Age?", "yes", ". >= 16 and . <= 120"],
            ["integer", "kids", "Children?", "${age} > 18", "regex(., '^[0-9]+$')"],
        ],
    }

    problems = problems_of(sheets)

    assert [(p.row, p.column) for p in problems] == [(3, "D (required)"), (3, "E (constraint)")]


def _roundtrip_survey(programme, user) -> Survey:
    sheets = kobo_sheets()
    sheets["survey"][0] += ["constraint", "appearance", "parameters"]
    for cells in sheets["survey"][1:]:
        cells += ["", "", ""]
    sheets["survey"][8][12] = ". >= 0 and . <= 99.5"
    sheets["survey"][9][13] = "multiline"
    sheets["survey"].append(
        [*row("range", "trust", ("Lita?", "Luottaa?", "Trust?", "ثقة؟")), "", "", "start=1 end=4"]
    )
    sheets["survey"].append(row("range", "calm", ("Lugn?", "Rauhallinen?", "Calm?", "هادئ؟")))
    return xlsform_import(
        actor=user, programme=programme, period="2025", name="f.xlsx", data=workbook(sheets)
    )


def _content(survey: Survey) -> list:
    fields = [
        f.name
        for f in Question._meta.get_fields()
        if f.concrete and f.name not in ("id", "survey", "translated_from")
    ]
    return [
        (
            {name: getattr(question, name) for name in fields},
            [(c.key, c.label, c.position) for c in question.choices.all()],
        )
        for question in survey.questions.prefetch_related("choices")
    ]


@pytest.mark.django_db
def test_export_then_import_gives_the_same_survey(programme_a, coordinator_region):
    survey = _roundtrip_survey(programme_a, coordinator_region)
    rating = survey.questions.get(key="trust")
    rating.scale_min_label = {"sv": "Inte", "fi": "Ei", "en": "No", "ar": "لا"}
    rating.scale_max_label = {"sv": "Helt", "fi": "Täysin", "en": "Fully", "ar": "تماما"}
    rating.save()
    wishes = survey.questions.get(key="wishes")
    wishes.max_length = 300
    wishes.save()

    data = xlsform_export(survey, list(survey.questions.prefetch_related("choices")))
    again = xlsform_import(
        actor=coordinator_region, programme=programme_a, period="2026", name="x.xlsx", data=data
    )

    assert again.key == survey.key
    assert (again.title, again.intro) == (survey.title, survey.intro)
    assert (again.languages, again.source_language) == (survey.languages, survey.source_language)
    assert _content(again) == _content(survey)
    assert Choice.objects.filter(question__survey=again).count() == 5


@pytest.mark.django_db
def test_export_writes_text_that_looks_like_a_formula_as_text(programme_a, coordinator_region):
    survey = _roundtrip_survey(programme_a, coordinator_region)
    question = survey.questions.get(key="wishes")
    question.text = {**question.text, "en": '=HYPERLINK("http://evil")'}
    question.save()

    data = xlsform_export(survey, list(survey.questions.prefetch_related("choices")))

    sheet = openpyxl.load_workbook(io.BytesIO(data))["survey"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"


def test_repeats_and_cascading_choices_are_problems():
    sheets = kobo_sheets()
    sheets["survey"][0].append("choice_filter")
    sheets["survey"][4][0] = "begin repeat"  # row 5, the group
    sheets["survey"][7][0] = "end repeat"  # row 8
    sheets["survey"][5].append("")
    sheets["survey"][6].append("lang != 'ru'")  # row 7

    problems = problems_of(sheets)

    assert [(p.row, p.column) for p in problems] == [
        (5, "A (type)"),
        (7, "M (choice_filter)"),
        (8, "A (type)"),
    ]
