"""The API's shapes of friend persons: what /api/v1/volunteers reads and writes (docs/api.md)."""

import datetime
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.volunteers.models import ActivePeriod, Match, Volunteer

_LANGUAGES: dict = {"items": {"type": "string", "enum": list(CONTENT_LANGUAGES)}}


class VolunteerFieldsIn(Schema):
    """A friend person's fields (a PUT replaces them all; what is left out is emptied)."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(description="The municipality's official code.")
    name: str
    email: str = ""
    phone: str = ""
    languages: list[str] = Field(default_factory=list, json_schema_extra=_LANGUAGES)
    note: str = Field("", description="Only what the programme needs; never sensitive data.")
    consent_on: datetime.date = Field(description="The day the person consented; required.")
    recruited_on: datetime.date
    training_completed_on: datetime.date | None = None


class VolunteerIn(VolunteerFieldsIn):
    """A new friend person; `active_from` opens their first active period."""

    active_from: datetime.date | None = Field(
        None, description="The start of their first active period (none: not active yet)."
    )


class VolunteerPatchIn(Schema):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    municipality: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    languages: list[str] | None = Field(None, json_schema_extra=_LANGUAGES)
    note: str | None = None
    consent_on: datetime.date | None = None
    recruited_on: datetime.date | None = None
    training_completed_on: datetime.date | None = None


class PeriodIn(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_on: datetime.date
    ends_on: datetime.date | None = Field(None, description="Empty: still active.")


class PeriodPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


class MatchIn(Schema):
    """A match with a household: a reference of your own and a size, never a name."""

    model_config = ConfigDict(extra="forbid")

    household_reference: str = Field(
        "", description="Your own code, such as H-2025-014; never a name or an identity code."
    )
    household_size: int = Field(ge=1, le=30)
    starts_on: datetime.date
    ends_on: datetime.date | None = Field(None, description="Empty: still matched.")


class MatchPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    household_reference: str | None = None
    household_size: int | None = Field(None, ge=1, le=30)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


class PeriodOut(Schema):
    id: int = Field(description="Addresses the period under its friend person.")
    starts_on: datetime.date
    ends_on: datetime.date | None

    @staticmethod
    def resolve_id(period: ActivePeriod) -> int:
        return period.pk


class MatchOut(Schema):
    id: int = Field(description="Addresses the match under its friend person.")
    household_reference: str
    household_size: int
    starts_on: datetime.date
    ends_on: datetime.date | None

    @staticmethod
    def resolve_id(match: Match) -> int:
        return match.pk


class VolunteerOut(Schema):
    code: uuid.UUID
    region: str = Field(description="The region's key.")
    municipality: str = Field(description="The municipality's official code.")
    name: str = Field(description="Empty once made anonymous.")
    email: str
    phone: str
    languages: list[str]
    note: str
    consent_on: datetime.date
    recruited_on: datetime.date
    training_completed_on: datetime.date | None
    anonymised_at: datetime.datetime | None = Field(
        description="When the record was erased or made anonymous; it cannot be changed then."
    )
    periods: list[PeriodOut]
    matches: list[MatchOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_region(volunteer: Volunteer) -> str:
        return volunteer.region.key

    @staticmethod
    def resolve_municipality(volunteer: Volunteer) -> str:
        return volunteer.municipality.code

    @staticmethod
    def resolve_periods(volunteer: Volunteer) -> list[ActivePeriod]:
        return list(volunteer.periods.all())

    @staticmethod
    def resolve_matches(volunteer: Volunteer) -> list[Match]:
        return list(volunteer.matches.all())


class VolunteerPageOut(Schema):
    items: list[VolunteerOut]
    count: int


class ExportOut(Schema):
    """Everything stored about a friend person (GDPR art. 15)."""

    exported_at: str
    exported_by: str
    friend_person: dict[str, Any]
    active_periods: list[dict[str, Any]]
    matches: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    reads: list[dict[str, Any]]
