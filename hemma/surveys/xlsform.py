"""A survey from an XLSForm file, and a survey as one: the spreadsheet standard of
KoboToolbox and ODK, so that a form made there can be brought in, and a Hemma survey taken there.

An XLSForm has a `survey` sheet (a row per question: type, name, label::Language (code),
hint::…, required, relevant, constraint, appearance, parameters), a `choices` sheet (list_name,
name, label::…) and a `settings` sheet (form_title, form_id, default_language). What Hemma
makes of it, and why (docs/surveys.md, "XLSForm", says the same for coordinators):

- The languages are those of the label columns; the source language is default_language's
  if it is one of them, else the first. Every label must be there in every language (a
  survey opens only when all its texts are: hemma/surveys/texts.py); a missing label is a
  problem, not an empty text. The texts are taken as current translations of each other.
  A title missing in a language is not a problem (KoboToolbox writes one form_title): the
  survey flags it before it can open.
- Types: select_one/select_multiple LIST → single/multiple choice; integer, decimal → number;
  text → short text (long text with appearance multiline); range → rating scale
  (parameters start/end, step 1); a select_one with appearance likert or rating whose choices
  are the whole numbers from one end to the other, labelled only at the ends, → rating scale
  with those words (as Hemma exports a rating with words; any other such list stays a single
  choice, so that no label is lost).
- Groups are flattened: Hemma's survey is one list of questions. A group's `relevant`
  becomes that of each question in it; a question has one condition only, so a group's
  condition and a question's own cannot both be kept (a problem).
- Notes before the first question become the survey's introduction; later notes, and the
  metadata types (start, end, deviceid, calculate…), are skipped and listed in the preview.
  Metadata that would identify a respondent has no place in an anonymous survey anyway.
- `relevant` is read only as `${q} = 'choice'` or `selected(${q}, 'choice')`, several joined
  by `or`, about one earlier choice question: Hemma's "show if". `constraint` is read only as
  bounds of a number (`. >= 0 and . <= 120`) or the length of a text
  (`string-length(.) <= 500`). Anything else is a problem, never silently dropped.

Every problem names its sheet, row and column; all are found at once, and nothing is saved
unless there are none. The survey is made in one transaction and audited.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

import openpyxl
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from hemma.audit.models import AuditEvent
from hemma.audit.services import audit_record
from hemma.lib import periods, spreadsheets
from hemma.lib.languages import CONTENT_LANGUAGES, language_name, local_name
from hemma.lib.problems import Problem, ProblemsFound
from hemma.lib.spreadsheets import Formula, UnsafeWorkbook
from hemma.lib.table_files import clean_text, workbook_problem
from hemma.programmes.interchange.reading import read_bytes
from hemma.programmes.models import Programme
from hemma.surveys.models import Choice, Question, Survey
from hemma.surveys.texts import mark_translated

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
_SHEET_ORDER = (SETTINGS, SURVEY, CHOICES)
# Columns read per sheet, at most: a form has a few per language.
MAX_COLUMNS = 200
MAX_QUESTIONS = 500
# A rating scale of more points than this is not a scale a respondent on a phone can use.
MAX_SCALE_POINTS = 11
MAX_TEXT_LENGTH = 10000
_KEY = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
_LANGUAGE_CODE = re.compile(r"\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*\)\s*$")

# The types of the survey sheet.
_SELECTS = {"select_one": Question.Kind.SINGLE, "select_multiple": Question.Kind.MULTIPLE}
_SIMPLE = {
    "integer": Question.Kind.NUMBER,
    "decimal": Question.Kind.NUMBER,
    "text": Question.Kind.SHORT_TEXT,
    "range": Question.Kind.RATING,
}
_BEGIN_GROUP, _END_GROUP = "begin_group", "end_group"
# Filled in by the form's software, never asked: skipped.
# fmt: off
_METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "calculate", "hidden", "start-geopoint",
}
# XLSForm's, but no question Hemma's surveys have.
_UNSUPPORTED = {
    "date", "time", "datetime", "geopoint", "geotrace", "geoshape", "image", "audio", "video",
    "file", "barcode", "acknowledge", "rank", "trigger", "background-audio", "begin_repeat",
    "end_repeat", "select_one_from_file", "select_multiple_from_file",
}
# fmt: on
_RATING_APPEARANCES = {"likert", "rating"}

_TERM_EQUALS = re.compile(r"^\$\{([^}]+)\}\s*=\s*(['\"])([^'\"]+)\2$")
_TERM_SELECTED = re.compile(r"^selected\(\s*\$\{([^}]+)\}\s*,\s*(['\"])([^'\"]+)\2\s*\)$")
_OR = re.compile(r"\s+or\s+")
_AND = re.compile(r"\s+and\s+")
_BOUND = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")
_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")


@dataclass
class ChoiceDraft:
    key: str
    label: dict[str, str]


@dataclass
class QuestionDraft:
    """A question as read from the file, before it is saved."""

    row: int
    key: str
    kind: str
    text: dict[str, str]
    help: dict[str, str] = field(default_factory=dict)
    required: bool = False
    show_if_question: str = ""
    show_if_choices: list[str] = field(default_factory=list)
    scale_min: int = 1
    scale_max: int = 5
    scale_min_label: dict[str, str] = field(default_factory=dict)
    scale_max_label: dict[str, str] = field(default_factory=dict)
    number_min: Decimal | None = None
    number_max: Decimal | None = None
    max_length: int | None = None  # None: the model's default
    choices: list[ChoiceDraft] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(Question.Kind(self.kind).label)


@dataclass(frozen=True)
class Skipped:
    """A row of the survey sheet that is no question of Hemma's (a note, metadata)."""

    row: int
    name: str
    type: str


@dataclass
class SurveyDraft:
    """The survey an XLSForm describes: what the preview shows and the import saves."""

    file: str
    key: str
    title: dict[str, str]
    intro: dict[str, str]
    languages: list[str]
    source_language: str
    questions: list[QuestionDraft]
    skipped: list[Skipped]


@dataclass
class _Sheet:
    name: str
    headers: list[str]
    rows: list[tuple[int, list[str | Formula]]]
    header_row: int = 1
    # A column's base name ("label") → {language code, or "" for none: its index}.
    columns: dict[str, dict[str, int]] = field(default_factory=dict)

    def where(self, index: int) -> str:
        """A column as a problem names it: its letter and heading, "D (relevant)"."""
        return f"{get_column_letter(index + 1)} ({self.headers[index]})"


def language_code(text: str) -> str | None:
    """The content language a header suffix or default_language names: "Swedish (sv)",
    "sv", "Swedish" or "svenska"; None if none of Hemma's."""
    text = text.strip()
    match = _LANGUAGE_CODE.search(text)
    if match:
        code = match[1].lower()
        return code if code in CONTENT_LANGUAGES else None
    lowered = text.lower()
    for code in CONTENT_LANGUAGES:
        if lowered in (code, local_name(code).lower(), _english_name(code).lower()):
            return code
    return None


def _english_name(code: str) -> str:
    return get_language_info(code)["name"]


def language_heading(base: str, code: str) -> str:
    """A column heading as KoboToolbox writes it: "label::Swedish (sv)"."""
    return f"{base}::{_english_name(code)} ({code})"


class _Reader:
    """Reads one workbook, gathering every problem before any is raised."""

    def __init__(self, data: bytes, *, name: str):
        self.file = name
        self.problems: list[Problem] = []
        self.sheets = self._sheets(data)
        self.languages: list[str] = []
        self.default_language = ""
        self.source = ""
        self.choice_rows: dict[str, list[tuple[int, list[str | Formula]]]] = {}
        self.lists_read: dict[str, list[ChoiceDraft] | None] = {}
        # Questions refused: a condition about one is not a problem of its own.
        self.refused: set[str] = set()

    def problem(self, sheet: str, message: str, *, row: int | None = None, column="") -> None:
        self.problems.append(Problem(message, file=sheet, row=row, column=column))

    def _sheets(self, data: bytes) -> dict[str, _Sheet]:
        try:
            workbook = spreadsheets.open_xlsx(data)
        except UnsafeWorkbook as error:
            raise workbook_problem(error, self.file) from None
        sheets = {}
        try:
            for worksheet in workbook.worksheets:
                name = worksheet.title.strip().lower()
                if name not in _SHEET_ORDER or name in sheets:
                    continue
                rows = [
                    (number, cells)
                    for number, cells in spreadsheets.sheet_rows(worksheet, max_col=MAX_COLUMNS)
                    if any(cell != "" for cell in cells)
                ]
                if not rows:
                    sheets[name] = _Sheet(name, [], [])
                    continue
                header_row, header = rows[0]
                headers = [str(cell).strip() for cell in header]
                sheets[name] = _Sheet(name, headers, rows[1:], header_row)
        except UnsafeWorkbook as error:
            raise workbook_problem(error, self.file) from None
        finally:
            workbook.close()
        return sheets

    # -- the columns --------------------------------------------------------------------------

    def read_columns(self, sheet: _Sheet, *, translated: tuple[str, ...]) -> None:
        """Index the sheet's columns by base name and language; the languages of the
        `translated` columns become the survey's."""
        for index, heading in enumerate(sheet.headers):
            if not heading:
                continue
            base, _sep, suffix = heading.partition("::")
            base = base.strip().lower().replace(" ", "_")
            code = ""
            if suffix and base in translated:
                found = language_code(suffix)
                if found is None:
                    self._language_problem(sheet, index, suffix)
                    continue
                code = found
                if code not in self.languages:
                    self.languages.append(code)
            if code in sheet.columns.get(base, {}):
                self.problem(
                    sheet.name,
                    _("The column “%(heading)s” is there twice.") % {"heading": heading},
                    row=sheet.header_row,
                    column=sheet.where(index),
                )
                continue
            sheet.columns.setdefault(base, {})[code] = index

    def _language_problem(self, sheet: _Sheet, index: int, suffix: str) -> None:
        match = _LANGUAGE_CODE.search(suffix)
        if match:
            message = _(
                "Hemma's surveys are not written in “%(code)s”. Their languages are: %(codes)s."
            ) % {"code": match[1], "codes": ", ".join(CONTENT_LANGUAGES)}
        else:
            message = _(
                "The column does not say its language's code: write it as "
                "label::Swedish (sv), with the code in brackets."
            )
        self.problem(sheet.name, message, row=sheet.header_row, column=sheet.where(index))

    def cell(self, sheet: _Sheet, number: int, cells: list, base: str, code: str = "") -> str:
        index = sheet.columns.get(base, {}).get(code)
        if index is None or index >= len(cells):
            return ""
        value = cells[index]
        if isinstance(value, Formula):
            self.problem(
                sheet.name,
                _("The cell holds a spreadsheet formula: write the text itself."),
                row=number,
                column=sheet.where(index),
            )
            return ""
        return clean_text(value)

    def texts(self, sheet: _Sheet, number: int, cells: list, base: str) -> dict[str, str]:
        """The row's texts of a translated column in each language; a column without a
        language is default_language's."""
        found = {}
        for code in sheet.columns.get(base, {}):
            value = self.cell(sheet, number, cells, base, code)
            if value and code:
                found[code] = value
        plain = self.cell(sheet, number, cells, base)
        if plain and self.default_language:
            found.setdefault(self.default_language, plain)
        elif plain:
            self.problem(
                sheet.name,
                _(
                    "The column “%(base)s” does not say its language: name it "
                    "%(base)s::Swedish (sv), or give default_language in the settings sheet."
                )
                % {"base": base},
                row=number,
                column=sheet.where(sheet.columns[base][""]),
            )
        return found

    def require_texts(
        self, sheet: _Sheet, number: int, base: str, texts: dict[str, str], what: str
    ) -> None:
        """A problem for each of the survey's languages `texts` lacks."""
        for code in self.languages:
            if texts.get(code):
                continue
            columns = sheet.columns.get(base, {})
            index = columns.get(code)
            if index is None and code == self.default_language:
                index = columns.get("")
            column = sheet.where(index) if index is not None else language_heading(base, code)
            self.problem(
                sheet.name,
                _("The %(what)s in %(language)s is missing.")
                % {"what": what, "language": language_name(code)},
                row=number,
                column=column,
            )

    # -- the sheets ---------------------------------------------------------------------------

    def read(self) -> SurveyDraft | None:
        survey = self.sheets.get(SURVEY)
        if survey is None or not survey.headers:
            self.problem(
                SURVEY,
                _("The file has no sheet “survey” with a heading row: it is not an XLSForm."),
            )
            return None
        settings = self.sheets.get(SETTINGS) or _Sheet(SETTINGS, [], [])
        choices = self.sheets.get(CHOICES) or _Sheet(CHOICES, [], [])
        self.read_columns(settings, translated=("form_title",))
        self.read_columns(survey, translated=("label", "hint"))
        self.read_columns(choices, translated=("label",))
        for base in ("type", "name"):
            if base not in survey.columns:
                self.problem(
                    SURVEY,
                    _("The sheet has no column “%(column)s”.") % {"column": base},
                    row=survey.header_row,
                )
        setting = settings.rows[0] if settings.rows else (2, [])
        default = self.cell(settings, setting[0], setting[1], "default_language")
        if default:
            self.default_language = language_code(default) or ""
            if not self.default_language:
                index = settings.columns["default_language"][""]
                self.problem(
                    SETTINGS,
                    _(
                        "default_language “%(value)s” is not one of the languages of Hemma's "
                        "surveys (%(codes)s): write it as Swedish (sv)."
                    )
                    % {"value": default, "codes": ", ".join(CONTENT_LANGUAGES)},
                    row=setting[0],
                    column=settings.where(index),
                )
        if (
            self.default_language
            and self.default_language not in self.languages
            and (_used(survey, "label") or _used(choices, "label"))
        ):
            self.languages.insert(0, self.default_language)
        if not self.languages:
            self.problem(
                SURVEY,
                _(
                    "The labels do not say their language: name the columns "
                    "label::Swedish (sv), label::Finnish (fi)…, or give default_language in "
                    "the settings sheet."
                ),
                row=survey.header_row,
                column=_column_of(survey, "label") if "label" in survey.columns else "",
            )
        if self.problems:
            return None
        self.source = source = (
            self.default_language if self.default_language in self.languages else self.languages[0]
        )
        self._index_choices(choices)
        questions, intro, skipped = self._questions(survey, choices)
        # A form_title without a language (KoboToolbox writes one) is the source language's.
        # A language without its own title is left without one: the survey flags it as
        # missing before it can open (hemma/surveys/texts.py), rather than showing the
        # source's title as if translated.
        title = {
            code: self.cell(settings, setting[0], setting[1], "form_title", code)
            for code in settings.columns.get("form_title", {})
            if code in self.languages
        }
        plain_title = self.cell(settings, setting[0], setting[1], "form_title")
        form_id = self.cell(settings, setting[0], setting[1], "form_id")
        stem = PurePath(self.file).stem
        title[source] = title.get(source) or plain_title or form_id or stem
        title = {code: title[code] for code in self.languages if title.get(code)}
        key = slugify(form_id or title[source] or stem)[:80].strip("-")
        if not key:
            self.problem(
                SETTINGS,
                _("form_id is needed: the survey's key, the same every year."),
                row=setting[0],
            )
        if not questions and not self.problems:
            self.problem(SURVEY, _("The form has no question Hemma's surveys can ask."))
        if self.problems:
            return None
        return SurveyDraft(
            file=self.file,
            key=key,
            title=title,
            intro=intro,
            languages=list(self.languages),
            source_language=source,
            questions=questions,
            skipped=skipped,
        )

    def _index_choices(self, choices: _Sheet) -> None:
        for number, cells in choices.rows:
            list_name = self.cell(choices, number, cells, "list_name")
            if list_name:
                self.choice_rows.setdefault(list_name, []).append((number, cells))

    def choice_list(self, list_name: str) -> list[ChoiceDraft] | None:
        """The list's choices, checked once however many questions use it; None if it has
        problems (reported)."""
        if list_name in self.lists_read:
            return self.lists_read[list_name]
        sheet = self.sheets[CHOICES]
        before = len(self.problems)
        drafts: list[ChoiceDraft] = []
        seen: set[str] = set()
        for number, cells in self.choice_rows.get(list_name, []):
            key = self.cell(sheet, number, cells, "name")
            column = sheet.where(sheet.columns["name"][""]) if "name" in sheet.columns else "name"
            if not _KEY.match(key):
                self.problem(CHOICES, _key_message(key), row=number, column=column)
            elif key in seen:
                self.problem(
                    CHOICES,
                    _("The list “%(list)s” has the choice “%(name)s” twice.")
                    % {"list": list_name, "name": key},
                    row=number,
                    column=column,
                )
            seen.add(key)
            label = self.texts(sheet, number, cells, "label")
            self.require_texts(sheet, number, "label", label, _("label"))
            drafts.append(ChoiceDraft(key, label))
        result = drafts if len(self.problems) == before else None
        self.lists_read[list_name] = result
        return result

    def _questions(
        self, sheet: _Sheet, choices: _Sheet
    ) -> tuple[list[QuestionDraft], dict[str, str], list[Skipped]]:
        questions: dict[str, QuestionDraft] = {}
        intro: dict[str, list[str]] = {}
        skipped: list[Skipped] = []
        # The open groups: (row, their condition or None).
        groups: list[tuple[int, tuple[str, list[str]] | None]] = []
        names: set[str] = set()
        for number, cells in sheet.rows:
            type_text = " ".join(self.cell(sheet, number, cells, "type").split())
            name = self.cell(sheet, number, cells, "name")
            type_column = sheet.where(sheet.columns["type"][""])
            kind_word = type_text.split(" ")[0].lower() if type_text else ""
            # "begin group" and "begin_group" are the same type.
            lowered = re.sub(r"^(begin|end) ", r"\1_", type_text.lower())
            if not type_text:
                self.problem(SURVEY, _("The row has no type."), row=number, column=type_column)
                continue
            if lowered == _END_GROUP:
                if groups:
                    groups.pop()
                else:
                    self.problem(
                        SURVEY,
                        _("end_group without a begin_group before it."),
                        row=number,
                        column=type_column,
                    )
                continue
            if lowered in _METADATA:
                skipped.append(Skipped(number, name, type_text))
                continue
            if lowered in _UNSUPPORTED or kind_word in _UNSUPPORTED:
                self.problem(
                    SURVEY,
                    _("Hemma's surveys have no question of the type “%(type)s”.")
                    % {"type": type_text},
                    row=number,
                    column=type_column,
                )
                continue
            if not _KEY.match(name):
                column = sheet.where(sheet.columns["name"][""])
                self.problem(SURVEY, _key_message(name), row=number, column=column)
                continue
            if name in names:
                self.problem(
                    SURVEY,
                    _("The name “%(name)s” is used twice.") % {"name": name},
                    row=number,
                    column=sheet.where(sheet.columns["name"][""]),
                )
                continue
            names.add(name)
            if lowered == _BEGIN_GROUP:
                groups.append((number, self._condition(sheet, number, cells, questions)))
                continue
            if lowered == "note":
                label = self.texts(sheet, number, cells, "label")
                if questions:
                    skipped.append(Skipped(number, name, type_text))
                else:
                    self.require_texts(sheet, number, "label", label, _("label"))
                    for code, text in label.items():
                        intro.setdefault(code, []).append(text)
                continue
            question = self._question(sheet, number, cells, type_text, name)
            if question is None:
                self.refused.add(name)
                continue
            conditions = [c for _row, c in groups if c]
            own = self._condition(sheet, number, cells, questions)
            if own:
                conditions.append(own)
            if len(conditions) > 1:
                self.problem(
                    SURVEY,
                    _(
                        "Hemma shows a question on one condition only: this question's and "
                        "its group's conditions cannot both be kept."
                    ),
                    row=number,
                    column=_column_of(sheet, "relevant"),
                )
            elif conditions:
                question.show_if_question, question.show_if_choices = conditions[0]
            questions[name] = question
        for number, _condition in groups:
            self.problem(
                SURVEY,
                _("begin_group without an end_group after it."),
                row=number,
                column=_column_of(sheet, "type"),
            )
        if len(questions) > MAX_QUESTIONS:
            self.problem(
                SURVEY,
                _("A survey has at most %(count)s questions.") % {"count": MAX_QUESTIONS},
            )
        return (
            list(questions.values()),
            {code: "\n\n".join(texts) for code, texts in intro.items()},
            skipped,
        )

    def _question(
        self, sheet: _Sheet, number: int, cells: list, type_text: str, name: str
    ) -> QuestionDraft | None:
        words = type_text.split(" ")
        kind_word = words[0].lower()
        type_column = _column_of(sheet, "type")
        appearance = set(self.cell(sheet, number, cells, "appearance").lower().split())
        text = self.texts(sheet, number, cells, "label")
        self.require_texts(sheet, number, "label", text, _("label"))
        question = QuestionDraft(
            row=number,
            key=name,
            kind="",
            text=text,
            help=self.texts(sheet, number, cells, "hint"),
            required=self._required(sheet, number, cells),
        )
        if question.help.get(self.source):
            # A hint in the source language is a text the survey must have in every language
            # (hemma/surveys/texts.py); one only in another language is none Hemma shows.
            self.require_texts(sheet, number, "hint", question.help, _("hint"))
        if kind_word in _SELECTS:
            if len(words) != 2:
                self.problem(
                    SURVEY,
                    _(
                        "Write a choice question's type as “%(type)s LIST”, with the list's name "
                        "from the choices sheet (Hemma has no “or_other”)."
                    )
                    % {"type": kind_word},
                    row=number,
                    column=type_column,
                )
                return None
            list_name = words[1]
            if self.cell(sheet, number, cells, "choice_filter"):
                self.problem(
                    SURVEY,
                    _("Hemma shows every choice of a list: a choice_filter is not supported."),
                    row=number,
                    column=_column_of(sheet, "choice_filter"),
                )
                return None
            if list_name not in self.choice_rows:
                self.problem(
                    SURVEY,
                    _("The choices sheet has no list “%(list)s”.") % {"list": list_name},
                    row=number,
                    column=type_column,
                )
                return None
            choices = self.choice_list(list_name)
            if choices is None:
                return None
            question.kind = _SELECTS[kind_word]
            question.choices = [ChoiceDraft(c.key, dict(c.label)) for c in choices]
            if question.kind == Question.Kind.SINGLE and appearance & _RATING_APPEARANCES:
                _rating_from_choices(question)
        elif kind_word in _SIMPLE and len(words) == 1:
            question.kind = _SIMPLE[kind_word]
            if kind_word == "text" and "multiline" in appearance:
                question.kind = Question.Kind.LONG_TEXT
            if kind_word == "range":
                self._range(sheet, number, cells, question)
        else:
            self.problem(
                SURVEY,
                _("The type “%(type)s” is not one XLSForm knows.") % {"type": type_text},
                row=number,
                column=type_column,
            )
            return None
        self._constraint(sheet, number, cells, question)
        return question

    def _required(self, sheet: _Sheet, number: int, cells: list) -> bool:
        value = self.cell(sheet, number, cells, "required").lower()
        if value in ("yes", "true", "true()", "1"):
            return True
        if value not in ("", "no", "false", "false()", "0"):
            self.problem(
                SURVEY,
                _("required must be yes or no (a condition is not supported): not “%(value)s”.")
                % {"value": value},
                row=number,
                column=_column_of(sheet, "required"),
            )
        return False

    def _range(self, sheet: _Sheet, number: int, cells: list, question: QuestionDraft) -> None:
        """A range's start and end (XLSForm's defaults are 1 and 10, step 1)."""
        text = self.cell(sheet, number, cells, "parameters")
        given = dict(
            part.split("=", 1) for part in re.split(r"[\s;,]+", text.strip()) if "=" in part
        )
        try:
            start, end = int(given.get("start", 1)), int(given.get("end", 10))
            step = Decimal(given.get("step", 1))
        except (ValueError, InvalidOperation):
            start, end, step = 0, 0, Decimal(0)
        if step != 1 or not 1 <= end - start < MAX_SCALE_POINTS:
            self.problem(
                SURVEY,
                _(
                    "A range becomes a rating scale: give whole numbers as "
                    "“start=1 end=5” with step 1, at most %(points)s points."
                )
                % {"points": MAX_SCALE_POINTS},
                row=number,
                column=_column_of(sheet, "parameters"),
            )
            return
        question.scale_min, question.scale_max = start, end

    def _constraint(self, sheet: _Sheet, number: int, cells: list, question: QuestionDraft):
        text = self.cell(sheet, number, cells, "constraint")
        if not text:
            return
        for part in _AND.split(text.strip()):
            bound = _BOUND.match(part)
            length = _LENGTH.match(part)
            if bound and question.kind == Question.Kind.NUMBER:
                value = Decimal(bound[2])
                if abs(value) >= 10**10 or value != value.quantize(Decimal("0.01")):
                    break
                if bound[1] == ">=":
                    question.number_min = value
                else:
                    question.number_max = value
            elif length and question.kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT):
                question.max_length = int(length[1])
                if not 1 <= question.max_length <= MAX_TEXT_LENGTH:
                    break
            else:
                break
        else:
            return
        self.problem(
            SURVEY,
            _(
                "Hemma reads a constraint only as the bounds of a number (. >= 0 and . <= 120) "
                "or the longest text (string-length(.) <= 500, at most %(longest)s): "
                "“%(text)s” is not one."
            )
            % {"text": text, "longest": MAX_TEXT_LENGTH},
            row=number,
            column=_column_of(sheet, "constraint"),
        )

    def _condition(
        self, sheet: _Sheet, number: int, cells: list, questions: dict[str, QuestionDraft]
    ) -> tuple[str, list[str]] | None:
        """The row's `relevant` as (question, choices), or None (none, or a problem)."""
        text = self.cell(sheet, number, cells, "relevant")
        if not text:
            return None
        column = _column_of(sheet, "relevant")
        found = read_condition(text)
        if found is None:
            self.problem(
                SURVEY,
                _(
                    "Hemma reads a condition only as ${question} = 'choice' or "
                    "selected(${question}, 'choice'), several joined by “or”, all about one "
                    "question: “%(text)s” is not one."
                )
                % {"text": text},
                row=number,
                column=column,
            )
            return None
        key, keys = found
        if key in self.refused:
            return None
        earlier = questions.get(key)
        if earlier is None or earlier.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            self.problem(
                SURVEY,
                _("The condition is about ${%(name)s}, which is no earlier choice question.")
                % {"name": key},
                row=number,
                column=column,
            )
            return None
        known = {choice.key for choice in earlier.choices}
        unknown = [k for k in keys if k not in known]
        if unknown:
            self.problem(
                SURVEY,
                _("The question ${%(name)s} has no choice “%(choice)s”.")
                % {"name": key, "choice": unknown[0]},
                row=number,
                column=column,
            )
            return None
        return key, list(dict.fromkeys(keys))


def read_condition(text: str) -> tuple[str, list[str]] | None:
    """`relevant` as (question key, choice keys), if it is of the forms Hemma reads."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    question = ""
    keys = []
    for term in _OR.split(text):
        term = term.strip()
        if term.startswith("(") and term.endswith(")"):
            term = term[1:-1].strip()
        match = _TERM_EQUALS.match(term) or _TERM_SELECTED.match(term)
        if match is None or (question and match[1].strip() != question):
            return None
        question = match[1].strip()
        keys.append(match[3])
    return question, keys


def _rating_from_choices(question: QuestionDraft) -> None:
    """Make a likert/rating select_one a rating scale, if its choices are a scale's points
    labelled at the ends only (the others by their number)."""
    try:
        points = [int(choice.key) for choice in question.choices]
    except ValueError:
        return
    if (
        len(points) < 2
        or len(points) > MAX_SCALE_POINTS
        or points != list(range(points[0], points[0] + len(points)))
    ):
        return
    middle = question.choices[1:-1]
    if any(text != choice.key for choice in middle for text in choice.label.values()):
        return
    first, last = question.choices[0], question.choices[-1]
    question.kind = Question.Kind.RATING
    question.scale_min, question.scale_max = points[0], points[-1]
    question.scale_min_label = {c: t for c, t in first.label.items() if t != first.key}
    question.scale_max_label = {c: t for c, t in last.label.items() if t != last.key}
    question.choices = []


def _used(sheet: _Sheet, base: str) -> bool:
    """Whether the sheet's column `base` without a language holds any text."""
    index = sheet.columns.get(base, {}).get("")
    return index is not None and any(
        index < len(cells) and cells[index] != "" for _number, cells in sheet.rows
    )


def _column_of(sheet: _Sheet, base: str) -> str:
    index = sheet.columns.get(base, {}).get("")
    return sheet.where(index) if index is not None else base


def _key_message(name: str) -> str:
    if not name:
        return _("The name is missing.")
    return _("The name “%(name)s” may hold only letters a–z, digits, “-” and “_”, at most 80.") % {
        "name": name
    }


# -- import ------------------------------------------------------------------------------------


def xlsform_read(data: bytes, *, name: str) -> SurveyDraft:
    """The survey the XLSForm describes; ProblemsFound with every problem if it has any."""
    reader = _Reader(data, name=name)
    draft = reader.read()
    if reader.problems or draft is None:
        order = {sheet: index for index, sheet in enumerate(_SHEET_ORDER)}
        raise ProblemsFound(
            sorted(reader.problems, key=lambda p: (order.get(p.file, 0), p.row or 0))
        )
    return draft


def read_upload(stream, *, name: str) -> bytes:
    """The uploaded file's bytes: an .xlsx under the size limit."""
    if PurePath(name).suffix.lower() != ".xlsx":
        raise ProblemsFound([Problem(_("An XLSForm is an Excel workbook (.xlsx)."), file=name)])
    return read_bytes(stream, name=name)


def xlsform_preview(*, programme: Programme, period: str, name: str, data: bytes) -> SurveyDraft:
    """The survey the file would make in `programme` for `period`, checked in full."""
    draft = xlsform_read(data, name=name)
    if Survey.objects.filter(programme=programme, key=draft.key, period=period).exists():
        raise ProblemsFound([_exists_problem(draft.key, period)])
    return draft


def _exists_problem(key: str, period: str) -> Problem:
    return Problem(
        _(
            "The programme has a survey “%(key)s” for %(period)s already: give the form "
            "another form_id, or choose another period."
        )
        % {"key": key, "period": period},
        file=SETTINGS,
        column="form_id",
    )


def xlsform_import(*, actor, programme: Programme, period: str, name: str, data: bytes) -> Survey:
    """Make the survey the XLSForm describes, as a draft, all or nothing; audited."""
    try:
        periods.parse(period)
    except periods.InvalidPeriod:
        raise ProblemsFound([Problem(_("Choose a period."), field="period")]) from None
    draft = xlsform_preview(programme=programme, period=period, name=name, data=data)
    try:
        with transaction.atomic():
            return _create(actor=actor, programme=programme, period=period, draft=draft)
    except IntegrityError:  # made by someone else since the preview
        raise ProblemsFound([_exists_problem(draft.key, period)]) from None


def _create(*, actor, programme: Programme, period: str, draft: SurveyDraft) -> Survey:
    survey = Survey(
        programme=programme,
        key=draft.key,
        period=period,
        title=draft.title,
        intro=draft.intro,
        source_language=draft.source_language,
        languages=draft.languages,
    )
    _mark(survey, draft.languages)
    survey.save()
    choices = []
    for position, item in enumerate(draft.questions, start=1):
        question = Question(
            survey=survey,
            key=item.key,
            kind=item.kind,
            text=item.text,
            help=item.help,
            required=item.required,
            position=position,
            show_if_question=item.show_if_question,
            show_if_choices=item.show_if_choices,
            scale_min=item.scale_min,
            scale_max=item.scale_max,
            scale_min_label=item.scale_min_label,
            scale_max_label=item.scale_max_label,
            number_min=item.number_min,
            number_max=item.number_max,
        )
        if item.max_length is not None:
            question.max_length = item.max_length
        _mark(question, draft.languages)
        question.save()
        for place, each in enumerate(item.choices, start=1):
            choice = Choice(question=question, key=each.key, label=each.label, position=place)
            _mark(choice, draft.languages)
            choices.append(choice)
    Choice.objects.bulk_create(choices)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.IMPORT,
        target=survey,
        programme_id=programme.pk,
        changes={
            "file": (None, draft.file),
            "questions": (None, len(draft.questions)),
            "languages": (None, draft.languages),
        },
    )
    return survey


def _mark(obj, languages: list[str]) -> None:
    """The file's texts are translations of each other as they stand."""
    for code in languages:
        mark_translated(obj, code)


# -- export ------------------------------------------------------------------------------------


def xlsform_export(survey: Survey, questions: list[Question]) -> bytes:
    """The survey as an XLSForm that KoboToolbox and ODK read, and `xlsform_read` reads
    back to the same questions, choices, texts and conditions. `questions` come with their
    choices prefetched."""
    languages = list(survey.languages)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SURVEY
    headings = [
        "type",
        "name",
        *(language_heading("label", c) for c in languages),
        *(language_heading("hint", c) for c in languages),
        "required",
        "relevant",
        "constraint",
        "appearance",
        "parameters",
    ]
    choice_rows: list[list[str]] = []
    rows = []
    keys = {q.key for q in questions}
    if any((survey.intro or {}).get(c) for c in languages):
        intro_key = next(
            k for k in ("intro", *(f"intro_{n}" for n in range(1, 99))) if k not in keys
        )
        rows.append(_row("note", intro_key, survey.intro, {}, languages))
    kinds = {q.key: q.kind for q in questions}
    for question in questions:
        type_text, appearance, parameters, constraint = _export_type(
            question, languages, choice_rows
        )
        row = _row(type_text, question.key, question.text, question.help, languages)
        row += [
            "yes" if question.required else "",
            _export_condition(question, kinds),
            constraint,
            appearance,
            parameters,
        ]
        rows.append(row)
    _write(sheet, headings, rows)
    choices = workbook.create_sheet(CHOICES)
    _write(
        choices,
        ["list_name", "name", *(language_heading("label", c) for c in languages)],
        choice_rows,
    )
    settings = workbook.create_sheet(SETTINGS)
    source = survey.source_language
    title = survey.title or {}
    _write(
        settings,
        [
            "form_title",
            *(language_heading("form_title", c) for c in languages),
            "form_id",
            "version",
            "default_language",
        ],
        [
            [
                title.get(source, ""),
                *(title.get(c, "") for c in languages),
                survey.key,
                survey.period,
                f"{_english_name(source)} ({source})",
            ]
        ],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(type_text: str, name: str, label: dict, hint: dict, languages: list[str]) -> list[str]:
    label, hint = label or {}, hint or {}
    return [
        type_text,
        name,
        *(label.get(c, "") for c in languages),
        *(hint.get(c, "") for c in languages),
    ]


def _export_type(
    question: Question, languages: list[str], choice_rows: list[list[str]]
) -> tuple[str, str, str, str]:
    """(type, appearance, parameters, constraint) of the question; its list added to
    `choice_rows` under the question's own key."""
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        for choice in question.choices.all():
            choice_rows.append(
                [question.key, choice.key, *((choice.label or {}).get(c, "") for c in languages)]
            )
        word = "select_one" if kind == Question.Kind.SINGLE else "select_multiple"
        return f"{word} {question.key}", "", "", ""
    if kind == Question.Kind.RATING:
        if question.scale_min_label or question.scale_max_label:
            # A range has no words for its ends: a likert list labelled at the ends has.
            for point in range(question.scale_min, question.scale_max + 1):
                words: dict[str, str] = {}
                if point == question.scale_min:
                    words = question.scale_min_label or {}
                elif point == question.scale_max:
                    words = question.scale_max_label or {}
                labels = (words.get(c) or str(point) for c in languages)
                choice_rows.append([question.key, str(point), *labels])
            return f"select_one {question.key}", "likert", "", ""
        parameters = f"start={question.scale_min} end={question.scale_max} step=1"
        return "range", "", parameters, ""
    if kind == Question.Kind.NUMBER:
        bounds = []
        if question.number_min is not None:
            bounds.append(f". >= {_number(question.number_min)}")
        if question.number_max is not None:
            bounds.append(f". <= {_number(question.number_max)}")
        return "decimal", "", "", " and ".join(bounds)
    default_length = Question._meta.get_field("max_length").default
    constraint = (
        f"string-length(.) <= {question.max_length}"
        if question.max_length != default_length
        else ""
    )
    appearance = "multiline" if kind == Question.Kind.LONG_TEXT else ""
    return "text", appearance, "", constraint


def _export_condition(question: Question, kinds: dict[str, str]) -> str:
    if not question.show_if_question:
        return ""
    key = question.show_if_question
    if kinds.get(key) == Question.Kind.MULTIPLE:
        terms = [f"selected(${{{key}}}, '{choice}')" for choice in question.show_if_choices]
    else:
        terms = [f"${{{key}}} = '{choice}'" for choice in question.show_if_choices]
    return " or ".join(terms)


def _number(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _write(sheet, headings: list[str], rows: list[list[str]]) -> None:
    for column, heading in enumerate(headings, start=1):
        spreadsheets.write_text(sheet.cell(row=1, column=column), heading)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if value != "":
                spreadsheets.write_text(sheet.cell(row=number, column=column), value)
