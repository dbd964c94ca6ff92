"""The API's shapes of recorded values: what /api/v1/values reads and writes (docs/api.md)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from ninja import Field, Schema
from pydantic import ConfigDict

from hemma.followup.models import Measurement, Status
from hemma.lib.languages import CONTENT_LANGUAGES


class ValueIn(Schema):
    """One value to record. Which of number … languages it takes depends on the indicator's
    kind; those not given are emptied (a record replaces the stored value)."""

    # A misspelt field ("numbr") is refused rather than silently ignored.
    model_config = ConfigDict(extra="forbid")

    programme: str = Field(description="The programme's slug.")
    action: str = Field(description="The action's key.")
    indicator: str = Field(description="The indicator's key in its action.")
    municipality: str | None = Field(
        None, description="The municipality's official code; null for the region as a whole."
    )
    period: str = Field(description="2024, 2024H1, 2024Q3 or 2023-2025, by the indicator.")
    number: Decimal | None = Field(
        None,
        description="count, statistics, frequency_band, count_with_participants, "
        "external_index (may be below zero), survey.",
    )
    participants: int | None = Field(None, description="count_with_participants.")
    done: bool | None = Field(None, description="milestone, ongoing, survey.")
    done_on: datetime.date | None = Field(
        None, description="When it was done: within or before the period."
    )
    languages: list[str] | None = Field(
        None,
        description="deliverable_languages: the language codes delivered.",
        json_schema_extra={"items": {"type": "string", "enum": list(CONTENT_LANGUAGES)}},
    )
    comment: str = ""
    version: int | None = Field(
        None,
        description="The version you read: none to record a first value, the stored "
        "value's version to change it.",
    )


class ValueBulkIn(Schema):
    items: list[ValueIn] = Field(max_length=1000)


class ValueOut(Schema):
    programme: str
    action: str
    indicator: str
    municipality: str | None = Field(description="Official code; null for the region.")
    period: str
    # int | float keeps a whole number whole: 3, not "3.00".
    number: int | float | None
    participants: int | None
    done: bool | None
    done_on: datetime.date | None
    languages: list[str]
    comment: str
    source: str = Field(json_schema_extra={"enum": list(Measurement.Source.values)})
    status: str = Field(
        description="Computed when the value was saved (docs/status.md).",
        json_schema_extra={"enum": list(Status.values)},
    )
    status_label: str = Field(description="The status in the request's language.")
    version: int
    entered_by: str = Field(description="The username of who saved it last.")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_programme(value: Measurement) -> str:
        return value.indicator.action.programme.slug

    @staticmethod
    def resolve_action(value: Measurement) -> str:
        return value.indicator.action.key

    @staticmethod
    def resolve_indicator(value: Measurement) -> str:
        return value.indicator.key

    @staticmethod
    def resolve_municipality(value: Measurement) -> str | None:
        return value.municipality.code if value.municipality is not None else None

    @staticmethod
    def resolve_number(value: Measurement) -> int | float | None:
        return _number_out(value.number)

    @staticmethod
    def resolve_status_label(value: Measurement) -> str:
        return str(Status(value.status).label)

    @staticmethod
    def resolve_entered_by(value: Measurement) -> str:
        return value.entered_by_name


# Named as django-ninja's pagination would name it, so the OpenAPI document keeps its name.
class PagedValueOut(Schema):
    items: list[ValueOut]
    count: int


# The columns of a value that ValueOut gives, in its order (status_label is derived).
VALUE_COLUMNS = (
    "indicator__action__programme__slug",
    "indicator__action__key",
    "indicator__key",
    "municipality__code",
    "period",
    "number",
    "participants",
    "done",
    "done_on",
    "languages",
    "comment",
    "source",
    "status",
    "version",
    "entered_by_name",
    "updated_at",
)


# Dates and times as the API's JSON writes them (django-ninja's encoder is Django's): written
# once per row here, the encoder needs no call back into Python for each.
_as_json = DjangoJSONEncoder().default


def value_rows(rows: Iterable[tuple]) -> list[dict]:
    """Rows of VALUE_COLUMNS as ValueOut gives the values they are of.

    For a page of the listing: a thousand model objects, each with its indicator, action and
    programme, then validated one by one, cost ten times the query (docs/performance.md,
    api-values). The API's tests check the rows against ValueOut's own.
    """
    labels = {status.value: str(status.label) for status in Status}
    return [
        {
            "programme": programme,
            "action": action,
            "indicator": indicator,
            "municipality": municipality,
            "period": period,
            "number": _number_out(number),
            "participants": participants,
            "done": done,
            "done_on": None if done_on is None else _as_json(done_on),
            "languages": languages,
            "comment": comment,
            "source": source,
            "status": status,
            "status_label": labels[status],
            "version": version,
            "entered_by": entered_by,
            "updated_at": _as_json(updated_at),
        }
        for (
            programme,
            action,
            indicator,
            municipality,
            period,
            number,
            participants,
            done,
            done_on,
            languages,
            comment,
            source,
            status,
            version,
            entered_by,
            updated_at,
        ) in rows
    ]


def _number_out(number: Decimal | None) -> int | float | None:
    """A stored number as JSON gives it: a whole number whole (3, not "3.00")."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


class ValueBulkOut(Schema):
    items: list[ValueOut]


class StaleValueOut(Schema):
    detail: str
    current: ValueOut | None = Field(description="The value as stored now.")
