"""Building a report to the council: one entry point for the command line and the web.

`build(spec, reader=…, progress=…)` returns the file's bytes. `progress(percent, step)` is
called as the work goes on (the web shows it); `step` is one of STEPS.

Who reads: `reader` is the user who asked (the web), and the report holds what they may see
(hemma.followup.policies; a programme they may not see is a 404). The command line has no
user: it passes `EVERYTHING`, a reader that sees every programme as a superuser does, since
whoever runs `hemma` on the server reads the database anyway.

What is read (hemma/reports/data.py) is the same for the three formats; every value in it is
the published one, small counts of people hidden as "< 5".

Which periods a report can be of (`report_periods`) is decided here for both: the web offers
them in its form, and `build` refuses any other, so that neither writes a report of a period
the programme has nothing for.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hemma.followup import locks, publishing, statuses
from hemma.lib import periods
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme
from hemma.programmes.selectors import programme_get
from hemma.reports import charts
from hemma.reports.data import Report, report_read
from hemma.reports.docx import docx_write
from hemma.reports.pdf import data_uri, pdf_write
from hemma.reports.xlsx import xlsx_write

FORMATS = ("pdf", "docx", "xlsx")
LANGUAGES = ("sv", "fi", "en")

# The steps of the work, in order, as the web shows them.
STEPS = {
    "reading": _("Reading the follow-up"),
    "charts": _("Drawing the charts"),
    "writing": _("Writing the file"),
    "done": _("Ready"),
}

Progress = Callable[[int, str], None]

# The errors a spec can have, shown to whoever asked.
PERIOD_INVALID = _("“%(period)s” is not a period: write a year such as 2024 (or 2024H1, 2024Q3).")
PERIOD_NOT_OF_PROGRAMME = _(
    "The programme “%(programme)s” has no period %(period)s: it runs from %(first)s to "
    "%(last)s, and nothing is recorded for %(period)s."
)
MUNICIPALITY_NOT_COVERED = _("The programme does not cover the municipality %(municipality)s.")
FORMAT_UNKNOWN = _("Unknown format “%(format)s”: choose pdf, docx or xlsx.")
LANGUAGE_UNKNOWN = _("Unknown language “%(language)s”: choose sv, fi or en.")


class ReportError(ValueError):
    """A report that cannot be built as asked; the message says why, translated."""


@dataclass(frozen=True)
class ReportSpec:
    programme: Programme
    period: str
    format: str  # one of FORMATS
    language: str = "sv"
    # None: the whole programme, every municipality it covers.
    municipality: Municipality | None = None


@dataclass(frozen=True)
class ReportPeriod:
    period: periods.Period
    # False: no approved reporting round covers the period; its report is preliminary.
    approved: bool


def report_periods(*, reader, programme: Programme) -> list[ReportPeriod]:
    """The periods a report of `programme` can be of, oldest first (two queries): those the
    follow-up offers `reader` (the programme's years, and any period with values or a round:
    hemma.followup.statuses.period_choices), each approved as the report judges it
    (hemma/reports/data.py)."""
    approved = locks.locked_periods(programme)
    return [
        ReportPeriod(period, publishing.is_approved(period, approved))
        for period in statuses.period_choices(user=reader, programme=programme)
    ]


def preliminary_periods(programme: Programme, codes: Iterable[str]) -> set[str]:
    """Of the period codes (the jobs'), those whose report is preliminary today (one query).

    Judged now, not when the file was built: a round approved or unlocked since then
    changes the answer, not the file."""
    approved = locks.locked_periods(programme)
    return {
        period.code
        for period in periods.valid(codes)
        if not publishing.is_approved(period, approved)
    }


def _checked(spec: ReportSpec, reader) -> periods.Period:
    if spec.format not in FORMATS:
        raise ReportError(FORMAT_UNKNOWN % {"format": spec.format})
    if spec.language not in LANGUAGES:
        raise ReportError(LANGUAGE_UNKNOWN % {"language": spec.language})
    try:
        period = periods.parse(spec.period)
    except periods.InvalidPeriod:
        raise ReportError(PERIOD_INVALID % {"period": spec.period}) from None
    programme = spec.programme
    # Who may not see the programme learns nothing of it, not even its years.
    programme_get(user=reader, slug=programme.slug)
    if period not in {p.period for p in report_periods(reader=reader, programme=programme)}:
        raise ReportError(
            PERIOD_NOT_OF_PROGRAMME
            % {
                "programme": pick(programme.title, fallback=programme.language),
                "period": period,
                "first": programme.period_start,
                "last": programme.period_end,
            }
        )
    if (
        spec.municipality is not None
        and not spec.programme.municipalities.filter(pk=spec.municipality.pk).exists()
    ):
        raise ReportError(MUNICIPALITY_NOT_COVERED % {"municipality": spec.municipality.code})
    return period


def build(spec: ReportSpec, *, reader, progress: Progress | None = None) -> bytes:
    """The report's file, read as `reader` may (a user; the command line passes EVERYTHING).

    ReportError if the spec asks for what cannot be (a bad period, one that is not among
    `report_periods`, a municipality the programme does not cover); Http404 if the reader
    may not see the programme.
    """

    def report(percent: int, step: str) -> None:
        if progress is not None:
            progress(percent, step)

    period = _checked(spec, reader)
    with translation.override(spec.language):
        report(0, "reading")
        data = report_read(
            reader=reader,
            programme=spec.programme,
            period=period,
            municipality=spec.municipality,
            language=spec.language,
        )
        if spec.format == "xlsx":
            report(50, "writing")
            content = xlsx_write(data)
        else:
            drawn = _charts(data, spec.format, report)
            report(80, "writing")
            if spec.format == "pdf":
                content = pdf_write(data, images=drawn)
            else:
                content = docx_write(data, pictures=drawn)
        report(100, "done")
    return content


def _charts(data: Report, format: str, report: Progress) -> dict:
    """Each indicator's chart by (action key, indicator key): an SVG data: URI for the PDF, a
    PNG for the Word document. From 10 % to 80 % of the work."""
    parts = [(a, p) for a, p in data.indicators() if p.history]
    drawn: dict = {}
    for index, (action, part) in enumerate(parts):
        report(10 + 70 * index // max(len(parts), 1), "charts")
        key = (action.key, part.key)
        if format == "pdf":
            drawn[key] = data_uri(charts.svg(part, chart_id=f"chart-{action.key}-{part.key}"))
        else:
            drawn[key] = charts.png(part)
    return drawn
