"""The answers of a survey as a file (CSV or XLSX): one row per answer sent, one column per
question (a multiple choice: one column per choice, 1 when chosen, 0 when not, empty when the
question was not answered), free texts included.

Nothing identifying exists to export (hemma/surveys/models.py): the columns before the
questions are the municipality's code, the language and the week. The rows are ordered by
them and then by the answer's random key, never by arrival. Who exports what:
`policies.answer_municipalities` (the region's coordinator all, a municipal coordinator their
municipality's; others nothing). Texts a spreadsheet could take for a formula are written as
text (hemma/lib/spreadsheets.py).
"""

import csv
import datetime
import io
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hemma.lib import spreadsheets
from hemma.lib.texts import pick
from hemma.surveys import policies
from hemma.surveys.models import Answer, Question, Response, Survey

Value = str | int | Decimal | datetime.date | None


def answers_table(*, user, survey: Survey) -> tuple[list[str], list[list[Value]]]:
    """The headings and rows the user may export (PermissionDenied for none), in four
    queries however many answers there are."""
    allowed = policies.answer_municipalities(user, survey)
    if allowed is not None and not allowed:
        raise PermissionDenied
    language = survey.source_language
    questions = list(survey.questions.prefetch_related("choices"))
    headings = [_("Municipality code"), _("Language"), _("Week")]
    columns: list[tuple[Question, int | None]] = []  # (question, choice id of a multiple)
    for question in questions:
        text = pick(question.text, fallback=language) or question.key
        if question.kind == Question.Kind.MULTIPLE:
            for choice in question.choices.all():
                label = pick(choice.label, fallback=language) or choice.key
                headings.append(f"{text}: {label}")
                columns.append((question, choice.pk))
        else:
            headings.append(text)
            columns.append((question, None))
    labels = {
        c.pk: pick(c.label, fallback=language) or c.key for q in questions for c in q.choices.all()
    }

    responses = Response.objects.filter(survey=survey)
    if allowed is not None:
        responses = responses.filter(municipality_id__in=allowed)
    found: dict[object, dict[int, list[Answer]]] = defaultdict(lambda: defaultdict(list))
    for answer in Answer.objects.filter(response__in=responses).only(
        "response_id", "question_id", "choice_id", "number", "text"
    ):
        found[answer.response_id][answer.question_id].append(answer)

    rows: list[list[Value]] = []
    for response in responses.select_related("municipality").order_by(
        "municipality__code", "language", "week", "pk"
    ):
        given = found.get(response.pk, {})
        row: list[Value] = [
            response.municipality.code if response.municipality else "",
            response.language,
            response.week,
        ]
        for question, choice_id in columns:
            row.append(_cell(question, choice_id, given.get(question.pk, []), labels))
        rows.append(row)
    return headings, rows


def _cell(question: Question, choice_id: int | None, given: list[Answer], labels) -> Value:
    if not given:
        return None
    if question.kind == Question.Kind.MULTIPLE:
        return int(any(a.choice_id == choice_id for a in given))
    answer = given[0]
    if question.kind == Question.Kind.SINGLE:
        return labels.get(answer.choice_id, "")
    if question.kind in (Question.Kind.RATING, Question.Kind.NUMBER):
        number = answer.number
        if number is not None and number == number.to_integral_value():
            return int(number)
        return number
    return answer.text


def answers_csv(headings: list[str], rows: list[list[Value]]) -> bytes:
    """For Excel in Finland and Sweden: UTF-8 with a byte order mark, ";" between values."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow([spreadsheets.escape_csv(h) for h in headings])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return stream.getvalue().encode("utf-8-sig")


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return spreadsheets.escape_csv(value)


def answers_xlsx(headings: list[str], rows: list[list[Value]]) -> bytes:
    """Numbers as numbers, the week as a date, every text as text (never a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Answers")[:31]
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=index)
        spreadsheets.write_text(cell, heading)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = 12 if index <= 3 else 24
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, int | Decimal):
                cell.value = value
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif value is not None:
                spreadsheets.write_text(cell, value)
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "Hemma"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
