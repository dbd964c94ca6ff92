"""The report as a Word document, for a coordinator to edit before it goes to the council.

Real structure rather than looks, so that Word and LibreOffice (and their readers' assistive
technology) understand it: the title in the Title style, sections, themes and indicators in
Heading 1, 2 and 3, tables as tables with their first row marked to repeat on each page
(w:tblHeader), charts as PNG pictures with their text alternative (docPr descr), and the
document's language in its properties and its default style. A4, page numbers in the footer.
"""

import io
from collections.abc import Mapping, Sequence

import docx
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table

from hemma.followup.statuses import REGION_COLUMN_NOTE, ROLLUP_RULE, Rolled
from hemma.reports.data import Report, Value

# The language tags Word knows the report's languages by (Swedish as written in Finland).
LANGUAGE_TAGS = {"sv": "sv-FI", "fi": "fi-FI", "en": "en-GB"}


def docx_write(report: Report, *, pictures: Mapping[tuple[str, str], bytes]) -> bytes:
    """The Word document of `report`; `pictures` are the charts' PNGs by (action key,
    indicator key). Call it with the report's language active."""
    document = docx.Document()
    _set_up(document, report)
    _title_page(document, report)
    _summary(document, report)
    _programme_table(document, report)
    _indicators(document, report, pictures)
    _changes(document, report)
    _decisions(document, report)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _set_up(document: Document, report: Report) -> None:
    tag = LANGUAGE_TAGS.get(report.language, report.language)
    properties = document.core_properties
    properties.title = (
        f"{report.programme_title} – {_('Follow-up report %(period)s') % {'period': report.period}}"
    )
    properties.subject = report.scope
    properties.author = report.region
    properties.language = tag
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(10)
    fonts = normal.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), tag)
    fonts.append(language)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin = section.bottom_margin = Mm(20)
        footer = section.footer.paragraphs[0]
        footer.text = f"{report.programme_title} · {report.scope} · {report.period} · "
        _page_number(footer.add_run())


def _page_number(run) -> None:
    """A PAGE field: Word and LibreOffice put the page's number there."""
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _page_break(document: Document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _table(
    document: Document, headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str = ""
) -> Table:
    """A table with a header row that repeats on every page; the first column of each row
    in bold, as the row's header."""
    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        _row(table, values)
    document.add_paragraph()
    return table


def _row(table: Table, values: Sequence[str]) -> None:
    cells = table.add_row().cells
    for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
        cell.paragraphs[0].add_run(text).bold = index == 0


def _status(rolled: Rolled) -> str:
    if not rolled.followed_up:
        return "—"
    text = f"{rolled.symbol} {rolled.status_label}"
    if rolled.judged:
        text += (
            " ("
            + _("%(met)s of %(judged)s met") % {"met": rolled.met, "judged": rolled.judged}
            + ")"
        )
    return text


def _with_status(value: Value) -> str:
    return f"{value.text or '–'} ({value.symbol} {value.status_label})"


def _title_page(document: Document, report: Report) -> None:
    document.add_paragraph(report.programme_title, style="Title")
    document.add_paragraph(
        _("Follow-up report %(period)s") % {"period": report.period}, style="Subtitle"
    )
    document.add_paragraph().add_run(report.scope).bold = True
    document.add_paragraph(report.region)
    document.add_paragraph(_("Made on %(date)s") % {"date": date_format(report.made_on)})
    if not report.approved:
        warning = document.add_paragraph().add_run(
            _("Preliminary: not approved")
            + ". "
            + _(
                "The reporting round of this period has not been approved; "
                "the values may still change."
            )
        )
        warning.bold = True
    if report.demo:
        document.add_paragraph(_("Demo data: the values are made up to show the follow-up."))
    if report.legal_basis:
        document.add_paragraph(_("Legal basis: %(basis)s") % {"basis": report.legal_basis})
    if report.translation_note:
        document.add_paragraph(report.translation_note)
    document.add_paragraph(report.suppression_note)


def _summary(document: Document, report: Report) -> None:
    _page_break(document)
    document.add_heading(_("Summary"), level=1)
    document.add_paragraph(str(ROLLUP_RULE))
    _table(
        document,
        [_("Theme and goal"), *[p.label for p in report.places]],
        [
            [
                ("    " if line.level == "goal" else "") + line.title,
                *[_status(c) for c in line.cells],
            ]
            for line in report.matrix
        ],
        caption=_("Status by theme and place, %(period)s") % {"period": report.period},
    )
    document.add_paragraph(str(REGION_COLUMN_NOTE))


def _programme_table(document: Document, report: Report) -> None:
    _page_break(document)
    document.add_heading(_("The programme and its follow-up"), level=1)
    several = len(report.places) > 1
    for theme in report.themes:
        document.add_heading(theme.title, level=2)
        table = _table(
            document,
            [
                _("Action"),
                _("Responsible"),
                _("Partners"),
                _("Follow-up"),
                _("Status %(period)s") % {"period": report.period},
            ],
            [],
        )
        for goal in theme.goals:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.paragraphs[0].add_run(f"{_('Goal')}: {goal.title}").bold = True
            for action in goal.actions:
                found = []
                for each in action.statuses:
                    if not each.rolled.followed_up:
                        continue
                    line = (f"{each.place.label}: " if several else "") + _status(each.rolled)
                    if each.assessment:
                        line += f"; {_('manual assessment')}: {each.assessed_label}"
                    found.append(line)
                _row(
                    table,
                    [
                        action.title,
                        "\n".join([action.responsible, *action.units]),
                        action.partners,
                        action.followup,
                        "\n".join(found),
                    ],
                )


def _indicators(
    document: Document, report: Report, pictures: Mapping[tuple[str, str], bytes]
) -> None:
    _page_break(document)
    document.add_heading(_("Indicators"), level=1)
    for theme in report.themes:
        document.add_heading(theme.title, level=2)
        for goal in theme.goals:
            for action in goal.actions:
                for part in action.indicators:
                    document.add_heading(part.name, level=3)
                    document.add_paragraph(f"{_('Action')}: {action.title}")
                    if part.target:
                        document.add_paragraph(_("Target: %(target)s") % {"target": part.target})
                    _table(
                        document,
                        [_("Place"), _("Value"), _("Status"), _("Comment")],
                        [
                            [
                                v.place.label,
                                v.text or "–",
                                f"{v.symbol} {v.status_label}",
                                v.comment,
                            ]
                            for v in part.values
                        ]
                        or [[_("Not followed up here."), "", "", ""]],
                        caption=_("%(name)s, %(period)s")
                        % {"name": part.name, "period": report.period},
                    )
                    picture = pictures.get((action.key, part.key))
                    if picture is None:
                        continue
                    shape = document.add_picture(io.BytesIO(picture), width=Cm(16))
                    shape._inline.docPr.set("descr", part.chart_description)
                    shape._inline.docPr.set("title", part.chart_title)
                    _table(
                        document,
                        [_("Place"), *[str(p) for p in part.periods]],
                        [
                            [line.place.label, *[v.text or "–" for v in line.values]]
                            for line in part.history
                        ],
                        caption=_("%(name)s over the years") % {"name": part.name},
                    )


def _changes(document: Document, report: Report) -> None:
    _page_break(document)
    document.add_heading(_("Changes since the previous period"), level=1)
    if not (report.previous and report.changes):
        document.add_paragraph(_("No status changed since the previous period."))
        return
    _table(
        document,
        [_("Indicator"), _("Place"), str(report.previous), str(report.period)],
        [
            [
                f"{change.indicator} ({change.action})",
                change.place.label,
                _with_status(change.before),
                _with_status(change.now),
            ]
            for change in report.changes
        ],
        caption=_("What changed from %(before)s to %(now)s")
        % {"before": report.previous, "now": report.period},
    )


def _decisions(document: Document, report: Report) -> None:
    document.add_heading(_("Council decisions and review"), level=1)
    if report.decisions:
        _table(
            document,
            [_("Municipality"), _("Decided by"), _("Date"), _("Section")],
            [[d.municipality, d.body, date_format(d.date), d.section] for d in report.decisions],
            caption=_("Decisions on the programme"),
        )
    else:
        document.add_paragraph(_("No council decision is recorded."))
    if report.next_review:
        document.add_paragraph(
            _("The programme is next reviewed by %(date)s.")
            % {"date": date_format(report.next_review)}
        )
