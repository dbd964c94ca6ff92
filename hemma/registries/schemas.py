"""The API's shapes of activities: what /api/v1/activities reads and writes (docs/api.md)."""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.registries.models import Activity, ServiceStatistic
from hemma.registries.services import statistic_version


def _enum(choices, default=...):
    return Field(default, json_schema_extra={"enum": list(choices.values)})


_LANGUAGES: dict = {"items": {"type": "string", "enum": list(CONTENT_LANGUAGES)}}
_BREAKDOWN = 'Participants by group, numbers only (never names), e.g. {"0-17": 12}.'


class ActionRef(Schema):
    """A programme action, by its programme's slug and its own key."""

    model_config = ConfigDict(extra="forbid")

    programme: str
    action: str


class ActivityFieldsIn(Schema):
    """An activity's fields (a PUT replaces them all; what is left out is emptied)."""

    # A misspelt field ("titel") is refused rather than silently ignored.
    model_config = ConfigDict(extra="forbid")

    kind: str = _enum(Activity.Kind)
    title: str
    municipalities: list[str] = Field(
        default_factory=list,
        description="Official codes of the municipalities; none for the region as a whole.",
    )
    organiser: str | None = Field(None, description="An organisation's key in the region.")
    partners: list[str] = Field(default_factory=list, description="Organisations' keys.")
    actions: list[ActionRef] = Field(
        default_factory=list, description="The programme actions the activity serves."
    )
    starts_on: datetime.date
    ends_on: datetime.date | None = Field(None, description="Empty for a single day.")
    recurrence: str = _enum(Activity.Recurrence, Activity.Recurrence.ONCE)
    sessions: int | None = Field(None, description="How many times it was held.")
    languages: list[str] = Field(default_factory=list, json_schema_extra=_LANGUAGES)
    participants: int | None = None
    participants_by_age: dict[str, int] = Field(default_factory=dict, description=_BREAKDOWN)
    participants_by_gender: dict[str, int] = Field(default_factory=dict, description=_BREAKDOWN)
    note: str = ""


class ActivityIn(ActivityFieldsIn):
    """A new activity: its fields and its region."""

    region: str = Field(description="The region's key.")


class ActivityPatchIn(Schema):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = _enum(Activity.Kind, None)
    title: str | None = None
    municipalities: list[str] | None = None
    organiser: str | None = None
    partners: list[str] | None = None
    actions: list[ActionRef] | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    recurrence: str | None = _enum(Activity.Recurrence, None)
    sessions: int | None = None
    languages: list[str] | None = Field(None, json_schema_extra=_LANGUAGES)
    participants: int | None = None
    participants_by_age: dict[str, int] | None = None
    participants_by_gender: dict[str, int] | None = None
    note: str | None = None


class ActionRefOut(Schema):
    programme: str
    action: str


class ActivityOut(Schema):
    code: uuid.UUID
    region: str = Field(description="The region's key.")
    kind: str = _enum(Activity.Kind)
    kind_label: str = Field(description="The kind in the request's language.")
    title: str
    municipalities: list[str] = Field(description="Official codes; none: the region as a whole.")
    organiser: str | None
    partners: list[str]
    actions: list[ActionRefOut]
    starts_on: datetime.date
    ends_on: datetime.date | None
    recurrence: str = _enum(Activity.Recurrence)
    sessions: int | None
    languages: list[str]
    participants: int | None
    participants_by_age: dict[str, int]
    participants_by_gender: dict[str, int]
    note: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_region(activity: Activity) -> str:
        return activity.region.key

    @staticmethod
    def resolve_kind_label(activity: Activity) -> str:
        return str(Activity.Kind(activity.kind).label)

    @staticmethod
    def resolve_municipalities(activity: Activity) -> list[str]:
        # Sorted here, so that the list's prefetch stays one query.
        return sorted(m.code for m in activity.municipalities.all())

    @staticmethod
    def resolve_organiser(activity: Activity) -> str | None:
        return activity.organiser.key if activity.organiser is not None else None

    @staticmethod
    def resolve_partners(activity: Activity) -> list[str]:
        return sorted(o.key for o in activity.partners.all())

    @staticmethod
    def resolve_actions(activity: Activity) -> list[dict]:
        return sorted(
            ({"programme": a.programme.slug, "action": a.key} for a in activity.actions.all()),
            key=lambda ref: (ref["programme"], ref["action"]),
        )


# -- service statistics ------------------------------------------------------------------------


class StatisticFieldsIn(Schema):
    """One statistic: a municipality's number of a measure in a period."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(description="The municipality's official code.")
    period: str = Field(description="A period code: 2025, 2025H1 or 2025Q1.")
    measure: str = _enum(ServiceStatistic.Measure)
    value: Decimal = Field(
        description="At least 0; a whole number for a count, up to two decimals for the median."
    )
    source: str = Field("", description="The system or report it is from.")
    note: str = ""
    version: str | None = Field(
        None,
        description=(
            "The `version` read with the statistic: given, a statistic changed or removed "
            "meanwhile is refused rather than replaced."
        ),
    )


class StatisticIn(StatisticFieldsIn):
    """A statistic to record (created, or replacing the one stored for its municipality,
    period and measure)."""

    region: str = Field(description="The region's key.")


class StatisticsBulkIn(Schema):
    """Statistics to record all or none."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(description="The region's key.")
    items: list[StatisticFieldsIn] = Field(max_length=5000)


class StatisticOut(Schema):
    code: uuid.UUID
    region: str = Field(description="The region's key.")
    municipality: str = Field(description="The municipality's official code.")
    municipality_name: str
    period: str
    measure: str = _enum(ServiceStatistic.Measure)
    measure_label: str = Field(description="The measure in the request's language.")
    # int | float keeps a whole number whole: 3, not "3.00".
    value: int | float
    source: str
    note: str
    entered_by: str | None = Field(description="Who recorded it last (a username).")
    version: str = Field(description="Send it back when replacing, to hear of a change meanwhile.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_region(statistic: ServiceStatistic) -> str:
        return statistic.region.key

    @staticmethod
    def resolve_municipality(statistic: ServiceStatistic) -> str:
        return statistic.municipality.code

    @staticmethod
    def resolve_municipality_name(statistic: ServiceStatistic) -> str:
        return str(statistic.municipality)

    @staticmethod
    def resolve_measure_label(statistic: ServiceStatistic) -> str:
        return str(ServiceStatistic.Measure(statistic.measure).label)

    @staticmethod
    def resolve_value(statistic: ServiceStatistic) -> int | float:
        value = statistic.value
        return int(value) if value == value.to_integral_value() else float(value)

    @staticmethod
    def resolve_entered_by(statistic: ServiceStatistic) -> str | None:
        return statistic.entered_by.get_username() if statistic.entered_by else None

    @staticmethod
    def resolve_version(statistic: ServiceStatistic) -> str:
        return statistic_version(statistic)
