"""/api/v1/programmes: list, read, export and import programmes (docs/api.md).

The same policies and selectors as the web pages: a programme the user may not see is a 404,
one they may see but not change is a 403 (hemma.programmes.policies).
"""

import dataclasses
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from hemma.accounts.api_auth import request_user
from hemma.lib.problems import Problem, ProblemsFound
from hemma.programmes import policies, selectors
from hemma.programmes.interchange import reading
from hemma.programmes.interchange.exporting import programme_document
from hemma.programmes.interchange.files import EXPORT_FORMATS, document_from_file, export_file
from hemma.programmes.interchange.importing import ImportResult, programme_import
from hemma.programmes.interchange.validation import FORMAT
from hemma.programmes.models import Programme
from hemma.programmes.schemas import (
    ErrorOut,
    ImportResultOut,
    ProblemsOut,
    ProgrammeOut,
    ProgrammeTreeOut,
)

router = Router(tags=["programmes"])

ExportFormat = Literal["json", "yaml", "xlsx", "csv"]  # the keys of files.EXPORT_FORMATS

_READ_ERRORS = {401: ErrorOut, 404: ErrorOut}
_WRITE_ERRORS = {400: ProblemsOut, 401: ErrorOut, 403: ErrorOut, 415: ErrorOut}

_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A programme document (docs/interchange-format.md).",
                    "required": ["format", "programme"],
                    "properties": {
                        "format": {"type": "string", "const": FORMAT},
                        "programme": {"$ref": "#/components/schemas/ProgrammeTreeOut"},
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A .yaml, .yml or .json document; into a programme's "
                            "own import also an .xlsx or .csv action table.",
                        }
                    },
                }
            },
        },
    }
}


@router.get("", response={200: list[ProgrammeOut], 401: ErrorOut}, summary="List programmes")
@paginate(LimitOffsetPagination, max_limit=100)
def programme_list(request: HttpRequest):
    """The programmes the token's user may see, newest period first."""
    return selectors.programme_list(user=request_user(request)).prefetch_related("municipalities")


# Before "/{slug}": the URL programmes/import must not be read as a programme's slug.
@router.post(
    "/import",
    response={200: ImportResultOut, **_WRITE_ERRORS},
    openapi_extra=_IMPORT_BODY,
    summary="Import a programme document",
)
def programme_import_document(request: HttpRequest, dry_run: bool):
    """Add or update the programme a YAML or JSON document describes, all or nothing.

    With `dry_run=true` nothing is saved and the answer says what a real import would do.
    Only a region coordinator (of the document's region) may import.
    """
    regions = policies.regions_user_imports_into(request_user(request))
    if not regions.exists():
        raise PermissionDenied
    document, name = _document_from_request(request, programme=None)
    return _import(request, document=document, name=name, dry_run=dry_run)


@router.get(
    "/{slug}",
    response={200: ProgrammeTreeOut, **_READ_ERRORS},
    exclude_unset=True,
    summary="Read a programme with its tree",
)
def programme_detail(request: HttpRequest, slug: str):
    """Themes → goals → actions → indicators, as the interchange document's `programme`."""
    programme = selectors.programme_get(user=request_user(request), slug=slug)
    return programme_document(programme)["programme"]


@router.get(
    "/{slug}/export",
    response=_READ_ERRORS,
    openapi_extra={
        "responses": {
            200: {
                "description": "The programme as a file to download.",
                "content": {
                    content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for content_type, _suffix in EXPORT_FORMATS.values()
                },
            }
        }
    },
    summary="Export a programme as a file",
)
def programme_export(
    request: HttpRequest, slug: str, fmt: Annotated[ExportFormat, Query(alias="format")] = "json"
):
    """The programme as JSON or YAML (the interchange document) or as the action table."""
    programme = selectors.programme_get(user=request_user(request), slug=slug)
    content, content_type, filename = export_file(programme, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post(
    "/{slug}/import",
    response={200: ImportResultOut, **_WRITE_ERRORS, 404: ErrorOut},
    openapi_extra=_IMPORT_BODY,
    summary="Import into a programme",
)
def programme_import_into(request: HttpRequest, slug: str, dry_run: bool):
    """Import a document or an action table (.xlsx, .csv) into this programme.

    A spreadsheet replaces the programme's themes, goals and actions; a YAML or JSON
    document must be this programme's (its `slug`).
    """
    programme = selectors.programme_get(user=request_user(request), slug=slug, write=True)
    document, name = _document_from_request(request, programme=programme)
    return _import(request, document=document, name=name, dry_run=dry_run, into=programme)


# -- helpers -----------------------------------------------------------------------------------


def _import(
    request: HttpRequest,
    *,
    document: dict,
    name: str,
    dry_run: bool,
    into: Programme | None = None,
) -> ImportResult:
    return programme_import(
        actor=request_user(request),
        document=document,
        dry_run=dry_run,
        regions=policies.regions_user_imports_into(request_user(request)),
        file=name,
        into=into,
    )


def _document_from_request(
    request: HttpRequest, *, programme: Programme | None
) -> tuple[dict, str]:
    """(document, file name) from a JSON body or a multipart upload in the field "file"."""
    if request.content_type == "application/json":
        # Read as a stream, so that the size limit speaks before the whole body is in memory.
        data = reading.read_bytes(request, name="")  # type: ignore[arg-type]
        try:
            document = reading.parse_structured(data, name="body.json")
        except ProblemsFound as found:
            # The body is not a file: its problems name none.
            raise ProblemsFound([dataclasses.replace(p, file="") for p in found.problems]) from None
        return document, ""
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise ProblemsFound(
                [Problem(_("Send the file in the form field “file”."), field="file")]
            )
        name = upload.name or ""
        if programme is None and reading.suffix_of(name) in reading.TABULAR:
            raise ProblemsFound(
                [
                    Problem(
                        _(
                            "An action table names no programme: send it to the programme's "
                            "own import, /api/v1/programmes/<slug>/import."
                        ),
                        file=name,
                    )
                ]
            )
        return document_from_file(upload, name=name, programme=programme), name
    raise HttpError(
        415,
        _(
            "Send the document as application/json, or as a file in the multipart/form-data "
            "field “file”."
        ),
    )
