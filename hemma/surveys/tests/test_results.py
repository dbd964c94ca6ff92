"""The results page, its charts and the export of the answers."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hemma.lib.suppression import HiddenTable
from hemma.lib.tests.test_suppression_table import derivable
from hemma.surveys.models import Answer, Choice, Question, Response, Survey

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2025, 3, 3)


@pytest.fixture
def survey(programme_a):
    survey = Survey.objects.create(
        programme=programme_a,
        key="invandrarenkat",
        period="2025",
        title={"sv": "Enkäten", "en": "The survey"},
        languages=["sv", "ar"],
        state=Survey.State.OPEN,
    )
    single = Question.objects.create(
        survey=survey, key="tolkning", kind="single", text={"sv": "Tolk?"}, position=1
    )
    for position, key in enumerate(["ja", "nej"]):
        Choice.objects.create(
            question=single, key=key, label={"sv": key.title()}, position=position
        )
    multiple = Question.objects.create(
        survey=survey, key="tjanster", kind="multiple", text={"sv": "Tjänster?"}, position=2
    )
    for position, key in enumerate(["a", "b"]):
        Choice.objects.create(question=multiple, key=key, label={"sv": key}, position=position)
    Question.objects.create(
        survey=survey, key="nojd", kind="rating", text={"sv": "Nöjd?"}, position=3
    )
    Question.objects.create(
        survey=survey, key="ar", kind="number", text={"sv": "År i Finland?"}, position=4
    )
    Question.objects.create(
        survey=survey, key="kommentar", kind="long_text", text={"sv": "Kommentar?"}, position=5
    )
    return survey


def answer(
    survey,
    municipality,
    *,
    language="sv",
    single="ja",
    multiple=(),
    rating=None,
    number=None,
    text="",
):
    """One response with its answers, as the answering form would store it."""
    response = Response.objects.create(
        survey=survey, municipality=municipality, language=language, week=MONDAY
    )
    questions = {q.key: q for q in survey.questions.prefetch_related("choices")}
    choices = {(q.key, c.key): c for q in questions.values() for c in q.choices.all()}
    rows = []
    if single:
        rows.append(
            Answer(
                response=response,
                question=questions["tolkning"],
                choice=choices[("tolkning", single)],
            )
        )
    for key in multiple:
        rows.append(
            Answer(
                response=response, question=questions["tjanster"], choice=choices[("tjanster", key)]
            )
        )
    if rating is not None:
        rows.append(Answer(response=response, question=questions["nojd"], number=rating))
    if number is not None:
        rows.append(Answer(response=response, question=questions["ar"], number=Decimal(number)))
    if text:
        rows.append(Answer(response=response, question=questions["kommentar"], text=text))
    Answer.objects.bulk_create(rows)
    return response


def url(survey, name="surveys:results", *args):
    return reverse(name, args=[survey.programme.slug, survey.key, survey.period, *args])


def results_of(client, survey, **query):
    response = client.get(url(survey), query)
    assert response.status_code == 200
    return response.context["results"]


def question(results, key):
    return next(q for q in results.questions if q.question.key == key)


@pytest.fixture
def answered(survey, municipality_a1, municipality_a2):
    """A1: 3 answers (small); A2: 20; the texts of both."""
    for n in range(3):
        answer(
            survey,
            municipality_a1,
            single="nej",
            multiple=["a"],
            rating=4,
            number=2,
            text=f"A1 text {n}",
        )
    for n in range(20):
        answer(
            survey,
            municipality_a2,
            single="ja" if n < 12 else "nej",
            multiple=["a", "b"],
            rating=5 if n < 10 else 3,
            number=n,
            text=f"A2 text {n}",
            language="ar" if n < 6 else "sv",
        )
    return survey


# -- what a coordinator sees -----------------------------------------------------------------


def test_the_region_coordinator_sees_every_count_and_share(
    client_for, coordinator_region, answered
):
    results = results_of(client_for(coordinator_region), answered)

    assert not results.suppressed
    assert results.answers_total.shown == "23"
    assert [f.shown for f in results.answers] == ["3", "20"]
    single = question(results, "tolkning")
    ja, nej = single.rows
    assert [f.shown for f in ja.cells] == ["0", "12"]
    assert [f.shown for f in nej.cells] == ["3", "8"]
    assert nej.cells[0].share == "100 %"
    assert ja.total.share == "52 %"
    assert nej.total.share == "48 %", "11 of 23 is 47.8 %: rounded, as the chart rounds it"
    # Several choices allowed: shares of those who answered, not of the choices made.
    a, b = question(results, "tjanster").rows
    assert a.total.shown == "23" and a.total.share == "100 %"
    assert b.total.shown == "20"
    rating = question(results, "nojd")
    assert [r.label for r in rating.rows] == ["1", "2", "3", "4", "5"]
    assert [r.total.shown for r in rating.rows] == ["0", "0", "10", "3", "10"]
    number = question(results, "ar")
    assert number.numbers[0].median == "2.0" and number.numbers[0].mean == "2.0"
    assert number.numbers_total.count.shown == "23"


def test_answers_of_one_language_are_looked_at_on_their_own(
    client_for, coordinator_region, answered
):
    results = results_of(client_for(coordinator_region), answered, language="ar")

    assert results.language == "ar"
    assert results.answers_total.shown == "6"
    assert [f.shown for f in question(results, "tolkning").rows[0].cells] == ["0", "6"]


def test_the_region_coordinator_reads_every_free_text(client_for, coordinator_region, answered):
    page = client_for(coordinator_region).get(url(answered))

    texts = question(page.context["results"], "kommentar").texts
    assert len(texts) == 23
    assert "A1 text 0" in page.content.decode()


def test_a_municipal_coordinator_reads_their_municipality_s_free_texts_only(
    client_for, coordinator_a, answered
):
    page = client_for(coordinator_a).get(url(answered))

    texts = [text for _place, text in question(page.context["results"], "kommentar").texts]
    assert sorted(texts) == ["A1 text 0", "A1 text 1", "A1 text 2"]
    assert "A2 text" not in page.content.decode()


# -- what a viewer sees ----------------------------------------------------------------------


def test_a_viewer_sees_small_counts_as_less_than_five_and_what_would_give_them_back_hidden(
    client_for, viewer, answered
):
    page = client_for(viewer).get(url(answered), {"language": "ar"})
    results = page.context["results"]

    assert results.suppressed
    assert results.language == ""  # no language filter: its difference would give counts back
    assert results.language_choices == []
    assert [f.shown for f in results.answers] == ["< 5", "hidden"]
    assert results.answers_total.shown == "23"
    ja, nej = question(results, "tolkning").rows
    assert nej.cells[0].shown == "< 5" and nej.cells[0].share == ""
    # A2's "no" would give A1's back (its total less A2's): hidden, and so are A2's
    # answers in all (the number of answers there, hidden beside A1's).
    assert nej.cells[1].shown == "hidden" and ja.cells[1].shown == "12"
    assert [f.shown for f in question(results, "tolkning").answered] == ["< 5", "hidden"]
    for key in ("tolkning", "nojd"):
        assert not derivable(*published_table(question(results, key)))
    assert ja.total.shown == "12" and nej.total.shown == "11"
    # Shares only where count and base are shown.
    assert ja.total.share == "52 %"
    assert question(results, "ar").numbers[0].mean == ""
    content = page.content.decode()
    assert "A1 text" not in content and "A2 text" not in content
    assert "23 free-text answers" in content


def test_shares_of_a_base_under_the_threshold_are_hidden(
    client_for, viewer, survey, municipality_a1
):
    for _n in range(4):
        answer(survey, municipality_a1, single="", multiple=["a"])
    answer(survey, municipality_a1, single="", multiple=["a", "b"])

    results = results_of(client_for(viewer), survey)

    a, b = question(results, "tjanster").rows
    assert a.total.shown == "5" and a.total.share == "100 %"
    assert b.total.shown == "< 5" and b.total.share == ""


def published_table(result):
    """A question's table as (cells, row totals, column totals, grand total, what is hidden),
    for the exact check of hemma/lib/tests/test_suppression_table.py."""
    cells = {(r, c): f.count for r, row in enumerate(result.rows) for c, f in enumerate(row.cells)}
    rows = {r: row.total.count for r, row in enumerate(result.rows)}
    columns = {c: f.count for c, f in enumerate(result.answered)}
    hidden = HiddenTable(
        cells=frozenset(
            (r, c) for r, row in enumerate(result.rows) for c, f in enumerate(row.cells) if f.hidden
        ),
        rows=frozenset(r for r, row in enumerate(result.rows) if row.total.hidden),
        columns=frozenset(c for c, f in enumerate(result.answered) if f.hidden),
        grand=result.answered_total.hidden,
    )
    return cells, rows, columns, result.answered_total.count, hidden


# -- the chart -------------------------------------------------------------------------------


def test_each_question_has_a_chart_as_an_image_with_a_text_alternative(
    client_for, coordinator_region, answered
):
    client = client_for(coordinator_region)
    page = client.get(url(answered)).content.decode()
    chart = client.get(url(answered, "surveys:results_chart", "tolkning"))

    assert url(answered, "surveys:results_chart", "tolkning") in page
    assert 'alt="Tolk?: the share of those who answered' in page
    assert chart["Content-Type"].startswith("image/svg+xml")
    svg = chart.content.decode()
    assert "<title" in svg and "Tolk?" in svg
    assert client.get(url(answered, "surveys:results_chart", "kommentar")).status_code == 404


def test_a_viewer_s_chart_draws_no_hidden_share(client_for, viewer, answered):
    svg = client_for(viewer).get(url(answered, "surveys:results_chart", "ar")).content.decode()

    assert "A-stad (hidden)" in svg


# -- the export ------------------------------------------------------------------------------


def test_the_csv_export_has_a_row_per_answer_and_a_column_per_question(
    client_for, coordinator_region, answered, municipality_a1
):
    answer(answered, municipality_a1, single="ja", text='=HYPERLINK("x")')

    response = client_for(coordinator_region).get(url(answered, "surveys:results_export", "csv"))

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Municipality code",
        "Language",
        "Week",
        "Tolk?",
        "Tjänster?: a",
        "Tjänster?: b",
        "Nöjd?",
        "År i Finland?",
        "Kommentar?",
    ]
    assert len(rows) == 1 + 24
    first = rows[1]
    assert first[:3] == ["101", "sv", "2025-03-03"]
    assert any(row[8] == '\'=HYPERLINK("x")' for row in rows)
    assert {row[4] for row in rows[1:5]} == {"1", ""}


def test_the_xlsx_export_keeps_numbers_as_numbers(client_for, coordinator_region, answered):
    response = client_for(coordinator_region).get(url(answered, "surveys:results_export", "xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "101"
    assert rows[1][2] == datetime.datetime(2025, 3, 3)
    assert rows[1][3] == "Nej"
    assert rows[1][4] == 1 and rows[1][6] == 4 and rows[1][7] == 2


def test_a_municipal_coordinator_exports_their_municipality_s_answers(
    client_for, coordinator_a, answered
):
    response = client_for(coordinator_a).get(url(answered, "surveys:results_export", "csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 3
    assert {row[0] for row in rows[1:]} == {"101"}


def test_a_viewer_may_not_export(client_for, viewer, answered):
    assert client_for(viewer).get(url(answered, "surveys:results_export", "csv")).status_code == 403


def test_an_unknown_format_is_not_found(client_for, coordinator_region, answered):
    response = client_for(coordinator_region).get(url(answered, "surveys:results_export", "pdf"))

    assert response.status_code == 404


# -- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("surveys:results", ()),
        ("surveys:results_chart", ("tolkning",)),
        ("surveys:results_export", ("csv",)),
    ],
)
def test_another_region_finds_nothing_and_anonymous_is_sent_to_log_in(
    client, client_for, coordinator_b, survey, name, args
):
    address = url(survey, name, *args)

    assert client_for(coordinator_b).get(address).status_code == 404
    response = client.get(address)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_survey_that_does_not_exist_is_not_found(client_for, coordinator_region, survey):
    address = reverse("surveys:results", args=[survey.programme.slug, survey.key, "2019"])

    assert client_for(coordinator_region).get(address).status_code == 404


def test_the_results_are_private_to_the_user(client_for, viewer, answered):
    response = client_for(viewer).get(url(answered))

    assert "private" in response["Cache-Control"]


# -- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["surveys:results", "surveys:results_export"])
def test_the_queries_do_not_grow_with_the_answers(
    client_for,
    coordinator_region,
    survey,
    municipality_a1,
    municipality_a2,
    django_assert_num_queries,
    name,
):
    client = client_for(coordinator_region)
    args = ("csv",) if name == "surveys:results_export" else ()
    answer(survey, municipality_a1, multiple=["a"], rating=3, number=1, text="x")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(survey, name, *args)).status_code == 200
    for n in range(30):
        answer(
            survey,
            municipality_a2 if n % 2 else municipality_a1,
            multiple=["a", "b"],
            rating=5,
            number=n,
            text="y",
            language="ar",
        )
    answer(survey, None, single="nej")
    with django_assert_num_queries(len(few)):
        assert client.get(url(survey, name, *args)).status_code == 200
