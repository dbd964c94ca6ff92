"""The public API's shapes (/api/v1/public, docs/api.md "Public API"): the rows are those of
the open data files (hemma/public/opendata.py, docs/open-data.md)."""

import datetime

from ninja import Field, Schema

from hemma.followup.models import Status
from hemma.programmes.models import Indicator


class LicenceOut(Schema):
    name: str = Field(description="The licence's identifier, such as CC-BY-4.0.")
    title: str
    path: str = Field(description="The licence's address.")


class PublicMunicipalityOut(Schema):
    code: str = Field(description="The official code.")
    name: dict[str, str] = Field(description="The name by language code.")


class PublicFilesOut(Schema):
    """The addresses of a period's open data files (docs/open-data.md)."""

    values_csv: str
    values_json: str
    datapackage_json: str = Field(description="The Frictionless Data Package of the CSV.")
    datapackage_zip: str = Field(description="The CSV and its datapackage.json in one file.")


class PublicPeriodOut(Schema):
    period: str = Field(description="The approved period's code: 2024, 2024H1, 2023-2025.")
    approved_at: datetime.datetime | None
    values: str = Field(description="The address of its values in this API.")
    files: PublicFilesOut = Field(description="The programme's open data files of the period.")


class PublicProgrammeOut(Schema):
    slug: str
    title: dict[str, str] = Field(description="The title by language code.")
    language: str = Field(description="The programme's own language: the rows' texts are in it.")
    status: str = Field(json_schema_extra={"enum": ["approved", "archived"]})
    region: str = Field(description="The region's key.")
    municipalities: list[PublicMunicipalityOut]
    periods: list[PublicPeriodOut] = Field(description="The approved periods, newest first.")
    data_page: str = Field(description="The page listing the programme's open data files.")


class PublicProgrammeListOut(Schema):
    licence: LicenceOut
    items: list[PublicProgrammeOut]


class PublicValueOut(Schema):
    """One published value: the same fields as a row of the open data files."""

    programme: str
    theme_key: str
    theme: str
    goal_key: str
    goal: str
    action_key: str
    action: str
    indicator_key: str
    indicator: str
    kind: str = Field(json_schema_extra={"enum": list(Indicator.Kind.values)})
    unit: str
    target: str
    municipality_code: str | None = Field(description="Null for the region as a whole.")
    municipality: str | None = Field(description="Null for the region as a whole.")
    period: str
    # int | float keeps a whole number whole: 3, not 3.0.
    value: int | float | None = Field(description="Null when none was recorded or suppressed.")
    participants: int | None = Field(description="Null when none was recorded or suppressed.")
    done: bool | None
    done_on: datetime.date | None
    languages: list[str]
    status: str = Field(json_schema_extra={"enum": list(Status.values)})
    suppressed: bool = Field(
        description="A count of people under the threshold (or one that would give it away) "
        "is left out, with the comment."
    )
    comment: str


class PublicValuePageOut(Schema):
    programme: str
    period: str
    municipality: str | None = Field(description="The municipality asked for, if one was.")
    licence: LicenceOut
    count: int = Field(description="The number of values on every page together.")
    page: int
    page_size: int
    next: str | None = Field(description="The next page's address; null on the last page.")
    previous: str | None = Field(description="The previous page's address; null on the first.")
    items: list[PublicValueOut]
