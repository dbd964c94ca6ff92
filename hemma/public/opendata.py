"""Open data: the values of an approved period of a published programme, as rows for the
files (CSV, JSON, a Frictionless Data Package) and the public API (docs/open-data.md).

One row per recorded value: indicator × place (a municipality, or the region as a whole) ×
period within the approved period (a year's round holds its half-years' and quarters' values
too). A value that was never recorded has no row. The rows are the same wherever they are
read, whatever the language of the request: the texts (theme, goal, action, indicator, unit,
target, field titles) are in the programme's own language, the one its texts must have, and
every node is named by its key as well, which does not change with a translation. That keeps
the files stable at their addresses, and their ETag with them.

What is public is decided by hemma.followup.publishing: only approved periods of published
programmes; any other period, an unknown municipality or one the programme does not cover is
a 404. Small counts of people are suppressed over the whole group of a period (every place,
not only the municipality asked for), so that a municipality's file hides the same values as
the programme's, complementary cells included. A suppressed value leaves as an empty cell,
with `suppressed` true; its comment is left out too, since a comment may state the figure.

Every read takes a fixed number of queries, whatever the number of values. The national file
of a year (every published programme's approved values of that year in one CSV) is streamed
programme by programme, with two queries each (`national_values_csv`).
"""

import csv
import datetime
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _

from hemma.followup import publishing
from hemma.followup.models import Measurement, Round, Status
from hemma.lib import periods, spreadsheets
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality
from hemma.programmes.models import Indicator, Programme

# How long a cache may keep a file before it asks again (with its ETag): an approved period
# changes only when a region coordinator unlocks it.
MAX_AGE = 600


@dataclass(frozen=True)
class Field:
    """A column of the files and a field of the API's rows, as the Table Schema describes it."""

    name: str
    type: str  # a Table Schema type: string, number, integer, boolean, date
    title: Any  # lazily translated
    description: Any
    unit: str = ""
    enum: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("programme", "string", _("Programme"), _("The programme's slug, as in its address.")),
    Field("theme_key", "string", _("Theme key"), _("The theme's key in the programme.")),
    Field("theme", "string", _("Theme"), _("The theme's title, in the programme's language.")),
    Field("goal_key", "string", _("Goal key"), _("The goal's key in its theme.")),
    Field("goal", "string", _("Goal"), _("The goal's title, in the programme's language.")),
    Field("action_key", "string", _("Action key"), _("The action's key in the programme.")),
    Field("action", "string", _("Action"), _("The action, in the programme's language.")),
    Field("indicator_key", "string", _("Indicator key"), _("The indicator's key in its action.")),
    Field(
        "indicator",
        "string",
        _("Indicator"),
        _("The indicator's name, in the programme's language."),
    ),
    Field(
        "kind",
        "string",
        _("Kind"),
        _("What the indicator records: a count, a milestone, languages delivered, …"),
        enum=tuple(Indicator.Kind.values),
    ),
    Field("unit", "string", _("Unit"), _("The unit of the value, where the indicator has one.")),
    Field("target", "string", _("Target"), _("The indicator's target in words, if it has one.")),
    Field(
        "municipality_code",
        "string",
        _("Municipality code"),
        _("The municipality's official code; empty for the region as a whole."),
    ),
    Field(
        "municipality",
        "string",
        _("Municipality"),
        _("The municipality's name; empty for the region as a whole."),
    ),
    Field(
        "period",
        "string",
        _("Period"),
        _("The period of the value: 2024, 2024H1, 2024Q3 or 2023-2025."),
    ),
    Field(
        "value",
        "number",
        _("Value"),
        _("The figure recorded, in the indicator's unit; empty when none was or it is suppressed."),
    ),
    Field(
        "participants",
        "integer",
        _("Participants"),
        _("The number of participants, for a count with participants; empty when suppressed."),
        unit="people",
    ),
    Field("done", "boolean", _("Done"), _("For a milestone or an ongoing activity: done or not.")),
    Field("done_on", "date", _("Done on"), _("When it was done, if a date was given.")),
    Field(
        "languages",
        "string",
        _("Languages"),
        _("The language codes delivered, separated by spaces."),
    ),
    Field(
        "status",
        "string",
        _("Status"),
        _(
            "The value judged by the programme's target for the indicator: met, exceeded, "
            "partly met, not met, no data (nothing recorded to judge) or not due (a "
            "milestone whose time has not come yet)."
        ),
        enum=tuple(Status.values),
    ),
    Field(
        "suppressed",
        "boolean",
        _("Suppressed"),
        _(
            "True when a count of people under the suppression threshold (or one that would "
            "let it be worked back) is left out, and so is its comment."
        ),
    ),
    Field("comment", "string", _("Comment"), _("The comment recorded with the value.")),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
PRIMARY_KEY = ("action_key", "indicator_key", "municipality_code", "period")

# The files of a period, by the name in their address.
FILE_NAMES = ("values.csv", "values.json", "datapackage.json", "datapackage.zip")


@dataclass(frozen=True)
class OpenData:
    """The published rows of one approved period of a programme (or of one municipality)."""

    programme: Programme
    period: periods.Period
    municipality: Municipality | None
    rows: list[dict[str, Any]]
    # The latest change among the rows and the approval of the round (None: neither known).
    last_modified: datetime.datetime | None

    @property
    def stem(self) -> str:
        """The files' name without extension: programme-period[-code]."""
        parts = [self.programme.slug, self.period.code]
        if self.municipality is not None:
            parts.append(self.municipality.code)
        return "-".join(parts)

    @property
    def title(self) -> str:
        return pick(self.programme.title, self.programme.language) or self.programme.slug


def licence() -> dict[str, str]:
    """The licence of the open data, as a Data Package names it (settings)."""
    found = settings.HEMMA_OPEN_DATA_LICENCE
    return {"name": found["name"], "title": found["title"], "path": found["path"]}


# -- reading ---------------------------------------------------------------------------------


def programme_published(slug: str) -> Programme:
    """The published programme (404 for a draft or an unknown one)."""
    programme = publishing.programmes_published().filter(slug=slug).first()
    if programme is None:
        raise Http404
    return programme


def approved_rounds(programme: Programme) -> list[Round]:
    """The programme's approved rounds, newest period first (one query; none for a draft)."""
    if programme.status not in publishing.PUBLISHED_STATES:
        return []
    found = list(Round.objects.filter(programme=programme, state=Round.State.APPROVED))
    return sorted(found, key=lambda r: _period_order(periods.parse(r.period)), reverse=True)


def open_data_get(*, slug: str, period_code: str, municipality_code: str | None = None) -> OpenData:
    """The published rows of the programme's approved period `period_code` (and, with
    `municipality_code`, of that municipality only); 404 where any of them is not public.

    Five queries whatever the number of values: programme, its approved rounds, its
    municipalities, its indicators, and the period's values (plus one for the published
    periods of every programme, hemma.followup.publishing.measurements_published).
    """
    programme = programme_published(slug)
    round_ = next((r for r in approved_rounds(programme) if r.period == period_code), None)
    if round_ is None:
        raise Http404
    period = periods.parse(round_.period)
    municipalities = {m.pk: m for m in programme.municipalities.all()}
    municipality = None
    if municipality_code is not None:
        municipality = next(
            (m for m in municipalities.values() if m.code == municipality_code), None
        )
        if municipality is None:
            raise Http404
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(action__programme=programme).select_related(
            "action__goal__theme"
        )
    }
    codes = {period.code, *periods.codes_within(period)}
    # Every place's values of the period: what is suppressed depends on the whole group.
    values = list(
        publishing.measurements_published()
        .filter(indicator__action__programme=programme, period__in=sorted(codes))
        .order_by()
    )
    shown, rows = _published_rows(programme, indicators, municipalities, values, municipality)
    changes = [v.updated_at for v in shown]
    if round_.approved_at is not None:
        changes.append(round_.approved_at)
    return OpenData(
        programme=programme,
        period=period,
        municipality=municipality,
        rows=rows,
        last_modified=max(changes, default=None),
    )


def _published_rows(
    programme: Programme,
    indicators: dict[int, Indicator],
    municipalities: dict[int, Municipality],
    values: list[Measurement],
    municipality: Municipality | None = None,
) -> tuple[list[Measurement], list[dict[str, Any]]]:
    """The values shown (of `municipality` only, if given) and their rows, in the files' order.

    `values` are every place's published values of the periods: what is suppressed depends on
    the whole group. A value of a municipality the programme no longer covers has no row.
    """
    hidden = publishing.hidden_values(values, indicators)
    shown = [
        v
        for v in values
        if v.indicator_id in indicators
        and (v.municipality_id is None or v.municipality_id in municipalities)
        and (municipality is None or v.municipality_id == municipality.pk)
    ]
    shown.sort(key=lambda v: _row_order(v, indicators, municipalities))
    with translation.override(programme.language):
        rows = [
            _row(
                programme,
                indicators[v.indicator_id],
                municipalities.get(v.municipality_id) if v.municipality_id else None,
                v,
                hidden.get(v.pk, publishing.SHOWN),
            )
            for v in shown
        ]
    return shown, rows


def programmes_open() -> list[tuple[Programme, list[Round]]]:
    """Every published programme with its approved rounds (newest first), by slug; three
    queries whatever their number."""
    programmes = list(
        publishing.programmes_published()
        .select_related("region")
        .prefetch_related("municipalities")
        .order_by("slug")
    )
    rounds: dict[int, list[Round]] = {p.pk: [] for p in programmes}
    for round_ in Round.objects.filter(programme__in=programmes, state=Round.State.APPROVED):
        rounds[round_.programme_id].append(round_)
    return [
        (
            p,
            sorted(
                rounds[p.pk], key=lambda r: _period_order(periods.parse(r.period)), reverse=True
            ),
        )
        for p in programmes
    ]


def programmes_last_modified(
    found: Sequence[tuple[Programme, list[Round]]],
) -> datetime.datetime | None:
    """The latest change of the programmes listed and of the approving of their rounds."""
    changes = [p.updated_at for p, _rounds in found]
    changes += [r.approved_at for _p, rounds in found for r in rounds if r.approved_at]
    return max(changes, default=None)


def _period_order(period: periods.Period) -> tuple:
    # A year before its half-years and quarters: by start, then the longest first.
    return (period.start, -period.end.toordinal())


def _row_order(value: Measurement, indicators, municipalities) -> tuple:
    indicator = indicators[value.indicator_id]
    action = indicator.action
    municipality = municipalities.get(value.municipality_id)
    return (
        (action.goal.theme.position, action.goal.theme_id),
        (action.goal.position, action.goal_id),
        (action.position, action.pk),
        (indicator.position, indicator.pk),
        # The region as a whole first, then the municipalities by code.
        municipality.code if municipality is not None else "",
        _period_order(periods.parse(value.period)),
    )


def _number(value: Decimal | None) -> int | float | None:
    """3.00 → 3, 2.50 → 2.5: numbers as numbers, whole ones whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _row(
    programme: Programme,
    indicator: Indicator,
    municipality: Municipality | None,
    value: Measurement,
    hidden: publishing.Hidden,
) -> dict[str, Any]:
    language = programme.language
    action = indicator.action
    goal = action.goal
    theme = goal.theme
    suppressed = hidden.number or hidden.participants
    return {
        "programme": programme.slug,
        "theme_key": theme.key,
        "theme": pick(theme.title, language),
        "goal_key": goal.key,
        "goal": pick(goal.title, language),
        "action_key": action.key,
        "action": pick(action.title, language),
        "indicator_key": indicator.key,
        "indicator": pick(indicator.name, language),
        "kind": indicator.kind,
        "unit": pick(indicator.unit, language),
        "target": str(indicator.target_display),
        "municipality_code": municipality.code if municipality is not None else None,
        "municipality": pick(municipality.name, language) if municipality is not None else None,
        "period": value.period,
        "value": None if hidden.number else _number(value.number),
        "participants": None if hidden.participants else value.participants,
        "done": value.done,
        "done_on": value.done_on.isoformat() if value.done_on else None,
        "languages": list(value.languages or ()),
        "status": value.status,
        "suppressed": suppressed,
        "comment": "" if suppressed else value.comment,
    }


# -- the files -------------------------------------------------------------------------------


def _csv_cell(field: Field, value: Any) -> str:
    if value is None:
        return ""
    if field.type == "boolean":
        return "true" if value else "false"
    if field.name == "languages":
        return " ".join(value)
    if field.type == "string":
        # Text a spreadsheet could take for a formula gets a leading apostrophe.
        return spreadsheets.escape_csv(str(value))
    return str(value)


def values_csv(data: OpenData) -> bytes:
    """The rows as CSV: UTF-8 with a byte order mark (so that Excel in Finland and Sweden reads
    the letters right), "," between values, "." in decimal numbers, a header of field names."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(FIELD_NAMES)
    for row in data.rows:
        writer.writerow([_csv_cell(field, row[field.name]) for field in FIELDS])
    return stream.getvalue().encode("utf-8-sig")


# -- the national file: every published programme's approved values of one year, streamed ----

# Rows written to the stream at a time: few enough to keep memory flat, many enough that the
# server does not send a chunk per row.
_ROWS_PER_CHUNK = 500


def national_year(year: int) -> list[tuple[Programme, list[str]]]:
    """The published programmes with an approved period within `year`, by slug, each with
    the period codes of its values published that year (a year's round holds its half-years
    and quarters; a round of several years is not within one year). Three queries."""
    found = []
    for programme, rounds in programmes_open():
        codes: set[str] = set()
        for round_ in rounds:
            try:
                period = periods.parse(round_.period)
            except periods.InvalidPeriod:
                continue
            if period.start.year == year and period.end.year == year:
                codes |= {period.code, *periods.codes_within(period)}
        if codes:
            found.append((programme, sorted(codes)))
    return found


def national_rows(plan: Sequence[tuple[Programme, list[str]]]) -> Iterator[dict[str, Any]]:
    """The rows of `plan` (national_year), programme after programme, each as its own file has
    them (the same suppression over the same groups). Two queries a programme, and never more
    than one programme's values in memory: the national file does not grow the server."""
    for programme, codes in plan:
        municipalities = {m.pk: m for m in programme.municipalities.all()}  # prefetched
        indicators = {
            i.pk: i
            for i in Indicator.objects.filter(action__programme=programme).select_related(
                "action__goal__theme"
            )
        }
        values = list(
            Measurement.objects.filter(
                indicator__action__programme=programme, period__in=codes
            ).order_by()
        )
        yield from _published_rows(programme, indicators, municipalities, values)[1]


def national_values_csv(plan: Sequence[tuple[Programme, list[str]]]) -> Iterator[bytes]:
    """The national file of `plan` as CSV, in chunks: the columns and encoding of values.csv."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(FIELD_NAMES)
    yield stream.getvalue().encode("utf-8-sig")
    written = 0
    for row in national_rows(plan):
        if written == 0:
            stream.seek(0)
            stream.truncate()
        writer.writerow([_csv_cell(field, row[field.name]) for field in FIELDS])
        written += 1
        if written == _ROWS_PER_CHUNK:
            yield stream.getvalue().encode()
            written = 0
    if written:
        yield stream.getvalue().encode()


def document(data: OpenData) -> dict[str, Any]:
    """The period's data as the JSON file has it."""
    return {
        "programme": {"slug": data.programme.slug, "title": data.title},
        "period": data.period.code,
        "municipality": (
            None
            if data.municipality is None
            else {
                "code": data.municipality.code,
                "name": pick(data.municipality.name, data.programme.language),
            }
        ),
        "licence": licence(),
        "rows": data.rows,
    }


def values_json(data: OpenData) -> bytes:
    return _json_bytes(document(data))


def datapackage(data: OpenData) -> dict[str, Any]:
    """The Frictionless Data Package (v1) describing values.csv beside it."""
    with translation.override(data.programme.language):
        fields = [_schema_field(field) for field in FIELDS]
        title = _("%(programme)s: follow-up %(period)s") % {
            "programme": data.title,
            "period": str(data.period),
        }
        if data.municipality is not None:
            title = f"{title}, {pick(data.municipality.name, data.programme.language)}"
    return {
        "profile": "tabular-data-package",
        "name": data.stem.lower(),
        "title": title,
        "licenses": [licence()],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "values",
                "path": "values.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": {
                    "fields": fields,
                    "primaryKey": list(PRIMARY_KEY),
                    "missingValues": [""],
                },
            }
        ],
    }


def _schema_field(field: Field) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": field.name,
        "type": field.type,
        "title": str(field.title),
        "description": str(field.description),
    }
    if field.type == "boolean":
        found["trueValues"] = ["true"]
        found["falseValues"] = ["false"]
    if field.unit:
        found["unit"] = field.unit
    if field.enum:
        found["constraints"] = {"enum": list(field.enum)}
    return found


def datapackage_json(data: OpenData) -> bytes:
    return _json_bytes(datapackage(data))


def datapackage_zip(data: OpenData) -> bytes:
    """datapackage.json and values.csv in one zip; the same bytes for the same data (the
    members are dated by the data's last change), so that its ETag holds."""
    moment = (data.last_modified or datetime.datetime(1980, 1, 1)).timetuple()[:6]
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("datapackage.json", datapackage_json(data)),
            ("values.csv", values_csv(data)),
        ):
            info = zipfile.ZipInfo(name, date_time=moment)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return stream.getvalue()


def _json_bytes(content: Any) -> bytes:
    return json.dumps(content, ensure_ascii=False, indent=1).encode()


# What each file is: its maker, content type and file name's ending.
FILES = {
    "values.csv": (values_csv, "text/csv; charset=utf-8", ".csv"),
    "values.json": (values_json, "application/json", ".json"),
    "datapackage.json": (datapackage_json, "application/json", ".datapackage.json"),
    "datapackage.zip": (datapackage_zip, "application/zip", ".datapackage.zip"),
}


# -- HTTP ------------------------------------------------------------------------------------


def cached_response(
    request: HttpRequest,
    body: bytes,
    *,
    content_type: str,
    last_modified: datetime.datetime | None,
    filename: str = "",
) -> HttpResponse:
    """The body with an ETag (its hash), Last-Modified and public caching, or 304 Not Modified
    where the client's copy is current (If-None-Match, else If-Modified-Since)."""
    response = HttpResponse(body, content_type=content_type)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    conditional = get_conditional_response(
        request, etag=etag, last_modified=timestamp, response=response
    )
    return conditional if conditional is not None else response


def file_response(request: HttpRequest, data: OpenData, name: str) -> HttpResponse:
    """One of the period's FILES as a download."""
    make, content_type, ending = FILES[name]
    return cached_response(
        request,
        make(data),
        content_type=content_type,
        last_modified=data.last_modified,
        filename=data.stem + ending,
    )
