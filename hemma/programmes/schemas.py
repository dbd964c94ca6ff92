"""The API's shapes of programmes: what /api/v1/programmes reads and writes.

A programme's tree (ProgrammeTreeOut and the schemas it holds) is the interchange document's
`programme` (docs/interchange-format.md), so what the API returns can be sent back to the
import. Texts are maps language → text.
"""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from hemma.organisations.models import Organisation
from hemma.programmes.interchange.importing import Change, ImportResult
from hemma.programmes.models import Indicator, Programme

Text = dict[str, str]


def _enum(choices, default: Any = ...) -> Any:
    """A field documented with its allowed values (the values come from the database)."""
    return Field(default, json_schema_extra={"enum": list(choices.values)})


class PeriodOut(Schema):
    start: int
    end: int


class ProgrammeOut(Schema):
    """A programme in a list: what it is, without its tree."""

    slug: str
    title: Text
    kind: str = _enum(Programme.Kind)
    legal_basis: str
    period: PeriodOut
    status: str = _enum(Programme.Status)
    region: str = Field(description="The region's key.")
    municipalities: list[str] = Field(description="Official codes of the municipalities covered.")
    action_count: int

    @staticmethod
    def resolve_period(programme: Programme) -> dict:
        return {"start": programme.period_start, "end": programme.period_end}

    @staticmethod
    def resolve_region(programme: Programme) -> str:
        return programme.region.key

    @staticmethod
    def resolve_municipalities(programme: Programme) -> list[str]:
        # Sorted here rather than in the query, so that the list's prefetch stays one query.
        return sorted(m.code for m in programme.municipalities.all())


# -- a programme's tree, as the interchange document writes it --------------------------------


class RegionOut(Schema):
    key: str
    name: Text


class MunicipalityOut(Schema):
    code: str
    name: Text


class CouncilDecisionOut(Schema):
    municipality: str
    body: Text
    date: datetime.date
    section: str | None = None


class OrganisationOut(Schema):
    key: str
    kind: str = _enum(Organisation.Kind)
    name: Text
    municipality: str | None = Field(
        None, description="The municipality that named this unit, if one did."
    )


class TargetOut(Schema):
    type: str = Field(json_schema_extra={"enum": ["band", "direction", "every_n_years"]})
    # int | float keeps a whole number whole: a band of 2–4 is written 2, not 2.0.
    min: int | float | None = None
    max: int | float | None = None
    direction: str | None = _enum(Indicator.Direction, None)
    years: int | None = None


class CountedFromOut(Schema):
    # Every query but "" (nothing: an indicator entered by people has no counted_from).
    query: str = Field(json_schema_extra={"enum": [q for q in Indicator.Query.values if q]})
    survey: str | None = Field(
        None, description="Query survey: the key of the survey whose answers are counted."
    )
    question: str | None = Field(
        None,
        description="Query survey: the question whose answers are counted as a share; left "
        "out, the number of answers.",
    )
    kinds: list[str] | None = Field(
        None,
        description="Kinds of activity or of place, the one statistic's measure, the "
        "choices of a survey's question, or the languages (codes) of the information pages "
        "that are counted.",
    )


class IndicatorOut(Schema):
    key: str
    name: Text
    kind: str = _enum(Indicator.Kind)
    unit: Text | None = None
    counts_people: bool | None = Field(
        None,
        description="The figure is a number of people: published, a number under the "
        "suppression threshold is shown only as “< 5”. Left out: false.",
    )
    period: str = _enum(Indicator.Period)
    target: TargetOut | None = None
    source: str = _enum(Indicator.Source)
    counted_from: CountedFromOut | None = Field(
        None, description="What an indicator counted from the registries counts."
    )
    scope: str | None = _enum(Indicator.Scope, None)


class MunicipalResponsibleOut(Schema):
    municipality: str
    organisations: list[str]


class ActionOut(Schema):
    key: str
    title: Text
    responsible: list[str] | None = Field(None, description="Organisation keys.")
    responsible_per_municipality: bool | None = None
    responsible_text: Text | None = None
    municipal_responsible: list[MunicipalResponsibleOut] | None = None
    partners: list[str] | None = Field(None, description="Organisation keys.")
    partners_text: Text | None = None
    followup: Text | None = None
    indicators: list[IndicatorOut] | None = None


class GoalOut(Schema):
    key: str
    title: Text
    actions: list[ActionOut]


class ThemeOut(Schema):
    key: str
    title: Text
    goals: list[GoalOut]


class ProgrammeTreeOut(Schema):
    """A programme with its whole tree: the `programme` of an interchange document."""

    slug: str
    language: str
    title: Text
    kind: str = _enum(Programme.Kind)
    legal_basis: str | None = None
    period: PeriodOut
    status: str = _enum(Programme.Status)
    next_review: datetime.date | None = None
    translations: Text | None = Field(
        None, description="Languages whose texts are translations, with a note for each."
    )
    region: RegionOut
    municipalities: list[MunicipalityOut]
    council_decisions: list[CouncilDecisionOut] | None = None
    organisations: list[OrganisationOut]
    themes: list[ThemeOut]


# -- import ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value of a changed field as JSON holds it: dates, decimals and objects as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)  # a model (a region, a goal) by its name


class ChangeOut(Schema):
    verb: str = Field(json_schema_extra={"enum": ["create", "update", "delete", "move"]})
    node: str = Field(description="programme, theme, goal, action, indicator, organisation, …")
    key: str
    label: str = Field(description="The node's title in the programme's own language.")
    fields: dict[str, list[Any]] = Field(
        description="Each changed field with [old, new]; dates and decimals as text."
    )

    @staticmethod
    def resolve_fields(change: Change) -> dict[str, list[Any]]:
        return {name: [_plain(old), _plain(new)] for name, (old, new) in change.fields.items()}


class ImportResultOut(Schema):
    dry_run: bool
    programme: str = Field(description="The programme's slug.")
    added: int
    changed: int
    removed: int
    changes: list[ChangeOut]

    @staticmethod
    def resolve_programme(result: ImportResult) -> str:
        return result.programme.slug


# -- errors ------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    file: str
    path: str = Field(description="Where in the document, e.g. programme.themes[2].title.")
    row: int | None = Field(description="The row of a spreadsheet or the line of a text file.")
    column: str
    field: str
    message: str


class ProblemsOut(Schema):
    problems: list[ProblemOut]


# The answers of a write besides its success, for the API's documentation.
WRITE_ERRORS = {400: ProblemsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
