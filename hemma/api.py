"""The REST API's root: /api/v1/, its OpenAPI document at /api/v1/openapi.json (docs/api.md).

Every operation needs a personal access token (hemma.accounts.api_auth). Errors are JSON:
`{"detail": "…"}` for 401, 403, 404 and 415, `{"problems": [...]}` (400) for a document that
cannot be imported, and django-ninja's own `{"detail": [...]}` (422) for a malformed parameter.
Messages are in the language of the request's Accept-Language header.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.operation import Operation

from hemma.accounts.api_auth import BearerToken
from hemma.lib.problems import ProblemsFound
from hemma.programmes.api import router as programmes_router


class HemmaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # "programme_list" rather than ninja's module-path "hemma_programmes_api_programme_list":
        # client generators name their methods after it.
        return operation.view_func.__name__


api = HemmaAPI(
    title="Hemma API",
    version="1",
    description=(
        "Programmes for promoting integration: read, import and export. "
        "Send a personal access token as `Authorization: Bearer hemma_…`."
    ),
    urls_namespace="api",
    auth=BearerToken(),
    # The docs page (/api/v1/docs) serves Swagger UI from django-ninja's own static files
    # ("ninja" is an installed app), never from a CDN.
)
api.add_router("/programmes", programmes_router)
api.add_router("/values", "hemma.followup.api.router")
api.add_router("/activities", "hemma.registries.api.router")
api.add_router("/statistics", "hemma.registries.api.statistics_router")
api.add_router("/placements", "hemma.registries.placements_api.router")
api.add_router("/volunteers", "hemma.volunteers.api.router")
# Read-only and without a token: the approved follow-up (hemma/public/api.py).
api.add_router("/public", "hemma.public.api.router")


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": _("Send a valid personal access token as “Authorization: Bearer …”.")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"  # RFC 6750: a 401 names the scheme it wants
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same answer for what does not exist and what the user may not see.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(ProblemsFound)
def _problems(request: HttpRequest, exc: ProblemsFound) -> HttpResponse:
    return api.create_response(
        request, {"problems": [p.as_dict() for p in exc.problems]}, status=400
    )
